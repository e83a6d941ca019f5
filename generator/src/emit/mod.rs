//! Emission: [`Api`] -> one token stream per generated file.
//!
//! Small `quote!` functions, one per construct. The emitted code leans on the crate's
//! hand-written runtime (`crate::runtime`) for everything that does not depend on the
//! document, so each operation is only a few lines.

use crate::format::doc_lines;
use crate::ir::*;
use crate::naming::{field_name, Namer};
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

mod handover;
mod mock;
pub mod public_api;
pub(crate) mod render;

pub(crate) use mock::examples_json;

/// Where the description's examples go as data, for the generated mocks' `examples`
/// functions (through the `mocking::MockedApi` the generated mocks hand the runtime) and
/// the golden tests (read by `tests/golden/mod.rs`), relative to the crate root.
pub const EXAMPLES_FILE: &str = "src/generated/examples.json";

/// Everything emission needs besides the API itself.
#[derive(Debug, Clone)]
pub struct EmitOptions {
    /// The library name of the generated crate (`workflow_runs_client`), for its tests.
    pub crate_name: String,
}

/// One file the emitter writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileKind {
    /// `src/generated/mod.rs`
    Module,
    /// `src/generated/types.rs`
    Types,
    /// `src/generated/<module>.rs` for the group with this module name.
    Group(String),
    /// `tests/spec_examples.rs`
    Examples,
    /// `src/generated/mock/mod.rs`: the module of `wiremock` mocks of every operation
    /// (cargo feature `mock`).
    Mock,
    /// `src/generated/mock/<module>.rs`: the mocks of one group's operations.
    MockGroup(String),
    /// `src/generated/mock/examples.rs`: the description's examples as typed values.
    MockExamples,
}

/// Every file to emit, with its path relative to the generated crate's root.
pub fn plan(api: &Api) -> Vec<(String, FileKind)> {
    let mut files = vec![
        ("src/generated/mod.rs".to_owned(), FileKind::Module),
        ("src/generated/types.rs".to_owned(), FileKind::Types),
    ];
    files.extend(api.groups.values().map(|g| (format!("src/generated/{}.rs", g.module), FileKind::Group(g.module.clone()))));
    files.push(("src/generated/mock/mod.rs".to_owned(), FileKind::Mock));
    files.extend(api.groups.values().map(|g| (format!("src/generated/mock/{}.rs", g.module), FileKind::MockGroup(g.module.clone()))));
    files.push((format!("src/generated/mock/{}.rs", mock::examples_module(api)), FileKind::MockExamples));
    files.push(("tests/spec_examples.rs".to_owned(), FileKind::Examples));
    files
}

/// Emits one file.
pub fn emit_file(api: &Api, kind: &FileKind, options: &EmitOptions) -> TokenStream {
    match kind {
        FileKind::Module => module_file(api),
        FileKind::Types => types_file(api),
        FileKind::Group(module) => api.groups.get(module).map(group_file).unwrap_or_default(),
        FileKind::Examples => examples_file(api, options),
        FileKind::Mock => mock::mock_module(api),
        FileKind::MockGroup(module) => api.groups.get(module).map(mock::group_file).unwrap_or_default(),
        FileKind::MockExamples => mock::examples_file(api),
    }
}

/// `head` followed by `items`, which are moved into it: `quote!`'s `#(#items)*` copies
/// every token it interpolates, and a file's items are most of its tokens.
fn followed_by(mut head: TokenStream, items: impl IntoIterator<Item = TokenStream>) -> TokenStream {
    head.extend(items);
    head
}

fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

fn docs(text: Option<&str>) -> TokenStream {
    let lines = text.map(doc_lines).unwrap_or_default();
    let lines = lines.iter().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    quote! { #( #[doc = #lines] )* }
}

/// The description, when it has anything to show (not only whitespace or controls).
fn described(text: Option<&str>) -> Option<&str> {
    text.filter(|text| doc_lines(text).iter().any(|line| !line.is_empty()))
}

/// A description as doc lines after `head` (`` - `404`: ``): its first line follows the
/// head, unless it opens a block of its own (a quote, a list, a fence, a heading), and the
/// rest are indented by `indent` spaces, which keeps them inside a list item.
fn docs_after(head: &str, text: &str, indent: usize) -> Vec<String> {
    let lines = doc_lines(text);
    let mut out = Vec::with_capacity(lines.len() + 1);
    let block = lines.first().is_some_and(|first| crate::format::starts_block(first));
    let mut rest = lines.iter();
    match rest.next() {
        Some(first) if !block => out.push(format!(" {head}{first}")),
        Some(first) => {
            out.push(format!(" {}", head.trim_end()));
            out.push(format!(" {}{first}", " ".repeat(indent)));
        }
        None => out.push(format!(" {}", head.trim_end())),
    }
    out.extend(rest.map(|line| if line.is_empty() { String::new() } else { format!(" {}{line}", " ".repeat(indent)) }));
    out
}

fn deprecated(flag: bool) -> TokenStream {
    if flag {
        quote! { #[deprecated] }
    } else {
        quote! {}
    }
}

/// Where generated code finds the crate root and the `types` module.
#[derive(Clone)]
struct Paths {
    root: TokenStream,
    types: TokenStream,
}

impl Paths {
    fn in_types() -> Self {
        Paths { root: quote!(crate::), types: quote!() }
    }
    fn in_group() -> Self {
        Paths { root: quote!(crate::), types: quote!(crate::types::) }
    }
    fn external(crate_name: &str) -> Self {
        let krate = ident(crate_name);
        Paths { root: quote!(#krate::), types: quote!(#krate::types::) }
    }

    fn ty(&self, ty: &TypeRef) -> TokenStream {
        let Paths { root, types } = self;
        match ty {
            TypeRef::Bool => quote!(bool),
            TypeRef::I32 => quote!(i32),
            TypeRef::I64 => quote!(i64),
            TypeRef::F64 => quote!(f64),
            TypeRef::String => quote!(String),
            TypeRef::DateTime => quote!(#root DateTime),
            TypeRef::Json => quote!(serde_json::Value),
            TypeRef::Bytes => quote!(bytes::Bytes),
            TypeRef::Binary => quote!(#root runtime::Binary),
            TypeRef::Named(name) => {
                let name = ident(name);
                quote!(#types #name)
            }
            TypeRef::Vec(inner) => {
                let inner = self.ty(inner);
                quote!(Vec<#inner>)
            }
            TypeRef::Map(inner) => {
                let inner = self.ty(inner);
                quote!(std::collections::BTreeMap<String, #inner>)
            }
            TypeRef::Boxed(inner) => {
                let inner = self.ty(inner);
                quote!(Box<#inner>)
            }
            TypeRef::I8 => quote!(i8),
            TypeRef::I16 => quote!(i16),
            TypeRef::U8 => quote!(u8),
            TypeRef::U16 => quote!(u16),
            TypeRef::U32 => quote!(u32),
            TypeRef::U64 => quote!(u64),
        }
    }
}

// ----- mod.rs -----

fn module_file(api: &Api) -> TokenStream {
    let title = format!(" Generated from {} (version {}).", api.title, api.version);
    let modules = api.groups.values().map(|g| {
        let module = ident(&g.module);
        let doc = format!(" Operations whose `operationId` starts with `{}/`.", g.module);
        quote! { #[doc = #doc] pub mod #module; }
    });
    let url = api.server.as_ref().map_or("{protocol}://{hostname}", |s| s.url.as_str());
    let doc = format!(" The server URL template of the description: `{url}`.");
    let server = quote! { #[doc = #doc] pub const SERVER_URL_TEMPLATE: &str = #url; };
    let conventions = match api.flavor {
        Flavor::GitHub => quote! {
            /// The API follows GitHub's conventions.
            pub(crate) use crate::github::CONVENTIONS;
        },
        Flavor::Plain => {
            let base = match api.base_url.as_deref() {
                Some(url) => quote!(Some(#url)),
                None => quote!(None),
            };
            quote! {
                /// The API follows no conventions beyond its description.
                pub(crate) const CONVENTIONS: crate::runtime::Conventions = crate::runtime::Conventions::plain(#base);
            }
        }
    };
    let credentials = credential_names(api);
    let constructors = handover::client_constructors();
    let setters = security_setters(api);
    quote! {
        #![doc = #title]
        #![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]
        #server
        #conventions
        #credentials
        #constructors
        #setters
        pub mod types;
        #(#modules)*
        /// Mocks of every operation on a `wiremock` server, for tests of code that uses the client.
        #[cfg(feature = "mock")]
        pub mod mock;
    }
}

/// `CREDENTIALS`: the headers (in lowercase) and query parameters the description's
/// `apiKey` security schemes send credentials in, which the runtime treats as it treats
/// the token.
fn credential_names(api: &Api) -> TokenStream {
    let names = |pick: fn(&SchemeKind) -> Option<String>| {
        let names: std::collections::BTreeSet<String> = api.security.iter().filter_map(|s| pick(&s.kind)).collect();
        names.into_iter()
    };
    let headers = names(|kind| match kind {
        SchemeKind::Header(name) => Some(name.to_ascii_lowercase()),
        _ => None,
    });
    let query = names(|kind| match kind {
        SchemeKind::Query(name) => Some(name.clone()),
        _ => None,
    });
    quote! {
        /// The headers and query parameters that carry credentials, from the description's security schemes.
        pub(crate) const CREDENTIALS: crate::runtime::CredentialNames =
            crate::runtime::CredentialNames { headers: &[#(#headers),*], query: &[#(#query),*] };
    }
}

/// Text from the description made safe inside a doc comment's code span: one clean
/// line, without the backticks that would end the span.
fn code_text(text: &str) -> String {
    crate::format::plain_line(text).replace('`', "'")
}

/// One setter on `ClientBuilder` per security scheme, named and documented from it.
fn security_setters(api: &Api) -> TokenStream {
    if api.security.is_empty() {
        return quote! {};
    }
    let setters = api.security.iter().map(|scheme| {
        let setter = ident(&scheme.setter);
        let (what, signature, body) = match &scheme.kind {
            SchemeKind::Bearer => (
                "sends `Authorization: Bearer <token>`, as [`token`](crate::ClientBuilder::token) does".to_owned(),
                quote!(token: impl Into<String>),
                quote!(self.token(token)),
            ),
            SchemeKind::Basic => (
                "sends `Authorization: Basic` with the user name and password".to_owned(),
                quote!(username: impl AsRef<str>, password: impl AsRef<str>),
                quote!(self.basic_auth(username, password)),
            ),
            SchemeKind::Http(name) => (
                format!("sends `Authorization: {} <credentials>`", code_text(name)),
                quote!(credentials: impl AsRef<str>),
                quote!(self.header("authorization", format!("{} {}", #name, credentials.as_ref()))),
            ),
            SchemeKind::Header(name) => {
                (format!("sends `key` in the header `{}`", code_text(name)), quote!(key: impl Into<String>), quote!(self.header(#name, key)))
            }
            SchemeKind::Query(name) => (
                format!("adds `key` to the query as `{}`", code_text(name)),
                quote!(key: impl Into<String>),
                quote!(self.query_credential(#name, key)),
            ),
            SchemeKind::Cookie(name) => (
                format!("sends `key` as the cookie `{}`", code_text(name)),
                quote!(key: impl Into<String>),
                quote!(self.cookie_credential(#name, key)),
            ),
        };
        let summary = format!(
            " Authenticates with the description's `{}` security scheme: {what}, to the API's own origin only.",
            code_text(&scheme.key)
        );
        // A description with nothing to show (only whitespace or controls) adds no paragraph.
        let description = match described(scheme.description.as_deref()) {
            Some(text) => {
                let lines = docs(Some(text));
                quote! { #[doc = ""] #lines }
            }
            None => quote! {},
        };
        quote! {
            #[doc = #summary]
            #description
            pub fn #setter(self, #signature) -> Self {
                #body
            }
        }
    });
    quote! {
        /// Setters for the security schemes the description declares.
        impl crate::ClientBuilder {
            #(#setters)*
        }
    }
}

// ----- types.rs -----

fn types_file(api: &Api) -> TokenStream {
    let paths = Paths::in_types();
    let defs = api.types.values().map(|def| type_def(api, def, &paths));
    let head = quote! {
        //! Types of the bodies the API sends and receives, one per schema.
        #![allow(deprecated, clippy::large_enum_variant, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]
    };
    followed_by(head, defs)
}

fn type_def(api: &Api, def: &TypeDef, paths: &Paths) -> TokenStream {
    let name = ident(&def.name);
    let origin = format!(" Schema: `{}`.", def.pointer);
    let doc = docs(def.doc.as_deref());
    let doc = if def.doc.is_some() { quote!(#doc #[doc = ""] #[doc = #origin]) } else { quote!(#[doc = #origin]) };
    let deprecated = deprecated(def.deprecated);
    match &def.kind {
        TypeKind::Struct(s) if s.empty => quote! {
            #doc
            #deprecated
            #[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
            #[non_exhaustive]
            pub struct #name {}

            impl<'de> serde::Deserialize<'de> for #name {
                /// Accepts `{}` and also `null`, which some servers send where they document an empty object.
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    <Option<serde_json::Map<String, serde_json::Value>> as serde::Deserialize>::deserialize(deserializer)?;
                    Ok(Self {})
                }
            }
        },
        TypeKind::Struct(s) => {
            let fields = s.fields.iter().map(|f| field(f, paths));
            let additional = s.additional.as_ref().map(|ty| {
                let ty = paths.ty(ty);
                quote! {
                    /// Properties not listed in the schema.
                    #[serde(flatten)]
                    pub additional_properties: std::collections::BTreeMap<String, #ty>,
                }
            });
            let default = s.fields.iter().all(Field::optional).then(|| quote!(Default,));
            let properties = def.impls.properties.then(|| {
                let wires = s.fields.iter().map(|f| &f.wire);
                quote! {
                    impl #name {
                        /// The property names on the wire, matched against objects when a
                        /// union of objects decides which variant an object is.
                        pub const PROPERTIES: &'static [&'static str] = &[#(#wires),*];
                    }
                }
            });
            let constructor = api.inputs.contains(&def.name).then(|| constructor_and_setters(&name, s, paths));
            quote! {
                #doc
                #deprecated
                #[derive(Debug, Clone, #default PartialEq, serde::Serialize, serde::Deserialize)]
                #[non_exhaustive]
                pub struct #name {
                    #(#fields)*
                    #additional
                }
                #properties
                #constructor
            }
        }
        TypeKind::Enum(e) => string_enum(&name, e, doc, deprecated),
        TypeKind::Union(variants) => union(&name, variants, &def.impls, doc, deprecated, paths),
        TypeKind::Alias(ty) => {
            let ty = paths.ty(ty);
            quote! { #doc #deprecated pub type #name = #ty; }
        }
        TypeKind::Newtype(ty) => {
            let ty = paths.ty(ty);
            quote! {
                #doc
                #deprecated
                #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #ty);
            }
        }
    }
}

/// `new` with the fields a caller must give, and a `with_` setter for each other field:
/// how callers build a struct that a newer description may extend (it is
/// `#[non_exhaustive]`, so struct literals are not an option outside the crate).
fn constructor_and_setters(name: &Ident, s: &Struct, paths: &Paths) -> TokenStream {
    let value = ident("value");
    let mut params = Vec::new();
    let mut inits = Vec::new();
    let mut setters = Vec::new();
    for (index, f) in s.fields.iter().enumerate() {
        let fname = ident(&f.name);
        if f.is_argument() {
            let (arg, convert) = input(&f.ty, paths, &fname);
            params.push(quote!(#fname: #arg));
            inits.push(if fname == convert.to_string() { quote!(#fname) } else { quote!(#fname: #convert) });
            continue;
        }
        inits.push(quote!(#fname: None));
        // The names are the IR's (`naming::setter`, in lowering).
        let Some(Some(setter)) = s.setters.get(index) else { continue };
        let setter = ident(setter);
        let (arg, convert) = input(&f.ty, paths, &value);
        // The field's doc says the rest; a field named `new` would link to the constructor.
        let doc = if f.name == "new" { " Sets `new`.".to_owned() } else { format!(" Sets [`{0}`](Self::{0}).", f.name) };
        let deprecated = deprecated(f.deprecated);
        setters.push(quote! {
            #[doc = #doc]
            #deprecated
            pub fn #setter(mut self, #value: #arg) -> Self {
                self.#fname = Some(#convert);
                self
            }
        });
    }
    if s.additional.is_some() {
        inits.push(quote!(additional_properties: std::collections::BTreeMap::new()));
    }
    let many = (params.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let doc = if params.is_empty() {
        format!(" A `{name}` with every field unset; fill it in with the `with_` methods.")
    } else {
        format!(" A `{name}` from the fields that must be given; set the others with the `with_` methods.")
    };
    quote! {
        impl #name {
            #[doc = #doc]
            #many
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits,)* }
            }
            #(#setters)*
        }
    }
}

/// What `None` means for a field that is required but nullable, which its type does not
/// tell apart from an optional one.
const NULL_NOTE: &str = "`None` when the API sends `null` (or, from older servers, nothing)";

/// A field's doc: its description, and what `None` means when that is `null` (which
/// `Option` alone does not say). Without a description, one line of what the signature
/// does not show: the wire name when it differs from the field's, and what `None` means;
/// a required field named as on the wire is "Always present." (every public item has a
/// doc, and that is what the description adds to its type).
fn field_docs(f: &Field) -> TokenStream {
    if let Some(text) = described(f.doc.as_deref()) {
        let doc = docs(Some(text));
        if f.required && f.nullable {
            let note = format!(" {NULL_NOTE}.");
            return quote!(#doc #[doc = ""] #[doc = #note]);
        }
        return doc;
    }
    let mut parts = Vec::new();
    if f.name != f.wire {
        parts.push(format!("Named `{}` on the wire", code_text(&f.wire)));
    }
    match (f.required, f.nullable) {
        (true, true) => parts.push(NULL_NOTE.to_owned()),
        (false, false) => parts.push("`None` when absent".to_owned()),
        (false, true) => parts.push("`None` when absent or `null`".to_owned()),
        (true, false) if parts.is_empty() => parts.push("Always present".to_owned()),
        (true, false) => {}
    }
    let line = format!(" {}.", parts.join("; "));
    quote!(#[doc = #line])
}

fn field(f: &Field, paths: &Paths) -> TokenStream {
    let name = ident(&f.name);
    let doc = field_docs(f);
    let deprecated = deprecated(f.deprecated);
    let rename = (f.name != f.wire).then(|| {
        let wire = &f.wire;
        quote!(#[serde(rename = #wire)])
    });
    let inner = paths.ty(&f.ty);
    let (attrs, ty) = match (f.required, f.nullable) {
        (true, false) => (quote!(), inner),
        // Present-or-null on the wire: always written, but also read when absent.
        (true, true) => (quote!(#[serde(default)]), quote!(Option<#inner>)),
        (false, _) => (quote!(#[serde(default, skip_serializing_if = "Option::is_none")]), quote!(Option<#inner>)),
    };
    quote! { #doc #deprecated #rename #attrs pub #name: #ty, }
}

fn string_enum(name: &Ident, e: &StringEnum, doc: TokenStream, deprecated: TokenStream) -> TokenStream {
    let variants: Vec<Ident> = e.variants.iter().map(|(v, _)| ident(v)).collect();
    let wires: Vec<&String> = e.variants.iter().map(|(_, w)| w).collect();
    let variant_docs = wires.iter().map(|w| format!(" `{w}`"));
    quote! {
        #doc
        #deprecated
        ///
        /// Values this client does not know yet are kept in `Unknown` and sent back unchanged.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #variant_docs] #variants, )*
            /// A value not in the description, kept as received.
            Unknown(String),
        }

        impl #name {
            /// The value as written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #wires, )*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #wires => Self::#variants, )*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                match Self::from(value.as_str()) {
                    Self::Unknown(_) => Self::Unknown(value),
                    known => known,
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <String as serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    }
}

fn union(name: &Ident, variants: &[Variant], impls: &Impls, doc: TokenStream, deprecated: TokenStream, paths: &Paths) -> TokenStream {
    let root = &paths.root;
    let names: Vec<Ident> = variants.iter().map(|v| ident(&v.name)).collect();
    let types: Vec<TokenStream> = variants.iter().map(|v| paths.ty(&v.ty)).collect();
    let display = impls.display.then(|| {
        quote! {
            impl std::fmt::Display for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    match self { #( Self::#names(value) => value.fmt(f), )* }
                }
            }
        }
    });
    let froms = impls.from.iter().filter_map(|&i| Some((i, variants.get(i)?))).map(|(i, v)| {
        let (variant, ty) = (&names[i], &types[i]);
        let from_str = (v.ty == TypeRef::String).then(|| {
            quote! {
                impl From<&str> for #name {
                    fn from(value: &str) -> Self { Self::#variant(value.to_owned()) }
                }
            }
        });
        quote! {
            impl From<#ty> for #name {
                fn from(value: #ty) -> Self { Self::#variant(value) }
            }
            #from_str
        }
    });
    let variant_docs = variants.iter().map(|v| format!(" A value of type `{}`.", v.ty));
    if impls.keyed.is_empty() {
        return quote! {
            #doc
            #deprecated
            ///
            /// Decoding tries each variant in order and keeps the first that fits.
            #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
            #[serde(untagged)]
            #[non_exhaustive]
            pub enum #name {
                #( #[doc = #variant_docs] #names(#types), )*
            }
            #display
            #(#froms)*
        };
    }
    let types_path = &paths.types;
    let key_lists = impls.keyed.iter().map(|k| match k {
        Some(name) => {
            let name = ident(name);
            quote!(#types_path #name::PROPERTIES)
        }
        None => quote!(&[]),
    });
    let indices = (0..variants.len()).map(Literal::usize_unsuffixed);
    let no_match = format!("data did not match any variant of {name}");
    quote! {
        #doc
        #deprecated
        ///
        /// Decoding tries the variants that know most of an object's keys first (then the
        /// smaller ones), and keeps the first that fits.
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #variant_docs] #names(#types), )*
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                for variant in #root runtime::variant_order(&value, &[#(#key_lists),*]) {
                    let decoded = match variant {
                        #( #indices => serde_json::from_value(value.clone()).map(Self::#names), )*
                        _ => continue,
                    };
                    if let Ok(decoded) = decoded {
                        return Ok(decoded);
                    }
                }
                Err(serde::de::Error::custom(#no_match))
            }
        }
        #display
        #(#froms)*
    }
}


// ----- operation groups -----

fn group_file(group: &Group) -> TokenStream {
    let paths = Paths::in_group();
    let accessor = ident(&group.module);
    let name = ident(&group.name);
    let group_doc = format!(" Operations under `{}/`; get one with [`Client::{}`](crate::Client::{}).", group.module, group.module, group.module);
    let accessor_doc = format!(" Operations under `{}/`.", group.module);
    let methods = group.operations.iter().map(|op| constructor(op, &paths));
    let builders = group.operations.iter().map(|op| builder(group, op, &paths));
    let head = quote! {
        //! Request builders for one group of operations.
        #![allow(deprecated, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]

        impl crate::Client {
            #[doc = #accessor_doc]
            pub fn #accessor(&self) -> #name<'_> {
                #name { client: self }
            }
        }

        #[doc = #group_doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #name<'a> {
            client: &'a crate::Client,
        }

        impl<'a> #name<'a> {
            #(#methods)*
        }
    };
    followed_by(head, builders)
}

/// How a value of type `ty` is taken from the caller: the argument type and the
/// conversion into the stored type.
fn input(ty: &TypeRef, paths: &Paths, value: &Ident) -> (TokenStream, TokenStream) {
    match ty {
        TypeRef::String | TypeRef::Named(_) | TypeRef::Json | TypeRef::Bytes | TypeRef::Binary => {
            let t = paths.ty(ty);
            (quote!(impl Into<#t>), quote!(#value.into()))
        }
        _ => (paths.ty(ty), quote!(#value)),
    }
}

/// Parameters and body fields the caller must give when starting the request.
struct Arg {
    name: Ident,
    ty: TokenStream,
    convert: TokenStream,
}

fn required_args(op: &Operation, paths: &Paths) -> Vec<Arg> {
    let mut args = Vec::new();
    for p in op.params.iter().filter(|p| p.required) {
        let name = ident(&p.name);
        let (ty, convert) = input(&p.ty, paths, &name);
        args.push(Arg { name, ty, convert });
    }
    if let Some(body) = &op.body {
        match &body.fields {
            Some(fields) => {
                for (f, setter) in fields.iter().zip(&body.setters) {
                    if f.is_argument() {
                        let name = ident(setter);
                        let (ty, convert) = input(&f.ty, paths, &name);
                        args.push(Arg { name, ty, convert });
                    }
                }
            }
            None if body.required => {
                let name = ident(body.setters.first().map_or("body", String::as_str));
                let (ty, convert) = input(&body.ty, paths, &name);
                args.push(Arg { name, ty, convert });
            }
            None => {}
        }
    }
    args
}

fn op_doc(op: &Operation) -> TokenStream {
    let described = described(op.doc.as_deref());
    let doc = docs(described);
    let mut extra = vec![format!(" `{} {}` (`{}`)", op.http_method, op.path, op.id)];
    if described.is_some() {
        extra.insert(0, String::new());
    }
    if op.repeatable {
        extra.push(String::new());
        extra.push(
            " Repeatable: sending it again has no further effect, so a client with a retry policy and \
             [`ClientBuilder::retry_repeatable_posts`](crate::ClientBuilder::retry_repeatable_posts) \
             retries it after a rate limit or a server error, as it does a `GET`."
                .to_owned(),
        );
    }
    if let Some(url) = &op.docs_url {
        extra.push(String::new());
        extra.push(format!(" [API documentation]({url})"));
    }
    quote! { #doc #( #[doc = #extra] )* }
}

fn constructor(op: &Operation, paths: &Paths) -> TokenStream {
    let method = ident(&op.method_name);
    let builder = ident(&op.builder);
    let doc = op_doc(op);
    let deprecated = deprecated(op.deprecated);
    let args = required_args(op, paths);
    let arg_decls = args.iter().map(|a| {
        let (name, ty) = (&a.name, &a.ty);
        quote!(#name: #ty)
    });
    // By name, so that an operation with thousands of arguments is not quadratic.
    let by_name: std::collections::HashMap<String, &TokenStream> = args.iter().map(|a| (a.name.to_string(), &a.convert)).collect();
    let mut inits = Vec::new();
    for p in &op.params {
        let name = ident(&p.name);
        if p.required {
            let arg = by_name.get(&p.name).copied();
            if arg.is_some_and(|a| name == a.to_string()) {
                inits.push(quote!(#name));
            } else {
                inits.push(quote!(#name: #arg));
            }
        } else {
            inits.push(quote!(#name: None));
        }
    }
    if let Some(body) = &op.body {
        let init = match &body.fields {
            Some(fields) => {
                let struct_ty = paths.ty(&body.ty);
                let field_inits = fields.iter().zip(&body.setters).map(|(f, setter)| {
                    let fname = ident(&f.name);
                    if f.is_argument() {
                        let convert = by_name.get(setter).copied();
                        if convert.is_some_and(|c| fname == c.to_string()) {
                            quote!(#fname)
                        } else {
                            quote!(#fname: #convert)
                        }
                    } else {
                        quote!(#fname: None)
                    }
                });
                quote!(#struct_ty { #(#field_inits,)* })
            }
            None if body.required => {
                let convert = &args.last().map(|a| &a.convert);
                quote!(#convert)
            }
            None => quote!(None),
        };
        inits.push(quote!(request_body: #init));
    }
    quote! {
        #doc
        #deprecated
        pub fn #method(&self, #(#arg_decls),*) -> #builder<'a> {
            #builder { client: self.client, #(#inits,)* }
        }
    }
}

fn builder(group: &Group, op: &Operation, paths: &Paths) -> TokenStream {
    let name = ident(&op.builder);
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    for p in &op.params {
        let fname = ident(&p.name);
        let ty = paths.ty(&p.ty);
        if p.required {
            fields.push(quote!(#fname: #ty));
        } else {
            fields.push(quote!(#fname: Option<#ty>));
            let value = ident("value");
            let (arg, convert) = input(&p.ty, paths, &value);
            let where_ = match p.location {
                ParamLocation::Query => "query parameter",
                ParamLocation::Header => "header",
                ParamLocation::Cookie => "cookie",
                ParamLocation::Path => "path parameter",
            };
            let fallback = format!("Sent as the `{}` {where_}.", code_text(&p.wire));
            let pdoc = docs(Some(described(p.doc.as_deref()).unwrap_or(&fallback)));
            let deprecated = deprecated(p.deprecated);
            setters.push(quote! {
                #pdoc
                #deprecated
                pub fn #fname(mut self, value: #arg) -> Self {
                    self.#fname = Some(#convert);
                    self
                }
            });
        }
    }
    if let Some(body) = &op.body {
        let body_ty = paths.ty(&body.ty);
        match &body.fields {
            Some(body_fields) => {
                fields.push(quote!(request_body: #body_ty));
                for (f, setter) in body_fields.iter().zip(&body.setters) {
                    if f.is_argument() {
                        continue;
                    }
                    let fname = ident(&f.name);
                    let setter = ident(setter);
                    let value = ident("value");
                    let (arg, convert) = input(&f.ty, paths, &value);
                    let fallback = format!("Sent as the `{}` property of the body.", code_text(&f.wire));
                    let fdoc = docs(Some(described(f.doc.as_deref()).unwrap_or(&fallback)));
                    let deprecated = deprecated(f.deprecated);
                    setters.push(quote! {
                        #fdoc
                        #deprecated
                        pub fn #setter(mut self, value: #arg) -> Self {
                            self.request_body.#fname = Some(#convert);
                            self
                        }
                    });
                }
            }
            None if body.required => fields.push(quote!(request_body: #body_ty)),
            None => {
                fields.push(quote!(request_body: Option<#body_ty>));
                let setter = ident(body.setters.first().map_or("body", String::as_str));
                let value = ident("value");
                let (arg, convert) = input(&body.ty, paths, &value);
                setters.push(quote! {
                    /// The request body.
                    pub fn #setter(mut self, value: #arg) -> Self {
                        self.request_body = Some(#convert);
                        self
                    }
                });
            }
        }
    }

    let call = if op.paginated.is_some() { "call `send` (or `stream` for every item of every page)" } else { "call `send`" };
    let doc = if setters.is_empty() {
        format!(" Request for [`{}::{}`]: {call}.", group.name, op.method_name)
    } else {
        format!(" Request for [`{}::{}`]: set optional parameters, then {call}.", group.name, op.method_name)
    };
    let request = into_request(op);
    let operation = operation_info(op);
    let (send, outcome) = send(op, paths);
    let stream = op.paginated.as_ref().map(|p| {
        let size_hint = match &p.page_size {
            Some(name) => format!(" Set `{name}` to fetch fewer, larger pages; use `StreamExt::take` to stop early."),
            None => " Use `StreamExt::take` to stop early.".to_owned(),
        };
        let item = paths.ty(&p.item);
        let page = match op.responses.iter().find(|r| r.status == Some(200)).map(|r| &r.kind) {
            Some(ResponseKind::Json(ty)) => paths.ty(ty),
            _ => quote!(serde_json::Value),
        };
        let extract = match &p.field {
            Some(field) => {
                let field = ident(field);
                quote!(|page: #page| page.#field)
            }
            None => quote!(|page: #page| page),
        };
        quote! {
            /// Every item of every page, in order: sends this request, then follows each
            /// response's `Link: rel="next"` until the last page.
            ///
            #[doc = #size_hint]
            pub fn stream(self) -> impl futures_util::Stream<Item = crate::Result<#item>> + 'a {
                let client = self.client;
                crate::runtime::paginate(client, self.into_request(), #extract)
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #name<'a> {
            client: &'a crate::Client,
            #(#fields,)*
        }

        impl<'a> #name<'a> {
            #(#setters)*
            #send
            #stream

            #operation

            fn into_request(self) -> crate::Result<crate::runtime::Request> {
                #request
            }
        }

        #outcome
    }
}

/// The operation as the runtime sees it (tracing, retries): its id, method, path
/// template and whether it may be repeated.
fn operation_info(op: &Operation) -> TokenStream {
    let (id, method, path, repeatable) = (&op.id, &op.http_method, &op.path, op.repeatable);
    quote! {
        const OPERATION: &'static crate::runtime::Operation = &crate::runtime::Operation {
            id: #id,
            method: #method,
            path: #path,
            repeatable: #repeatable,
        };
    }
}

fn into_request(op: &Operation) -> TokenStream {
    let method = ident(&op.http_method);
    let mut pieces = Vec::new();
    let lists: std::collections::HashSet<&str> =
        op.params.iter().filter(|p| p.location == ParamLocation::Path && p.encoding == ParamEncoding::EachText).map(|p| p.name.as_str()).collect();
    for segment in &op.segments {
        match segment {
            PathSegment::Literal(text) => pieces.push(quote!(#text)),
            PathSegment::Param { wire, param } => {
                let encode = if lists.contains(param.as_str()) { quote!(segment_list) } else { quote!(segment) };
                let name = ident(param);
                pieces.push(quote!(&crate::runtime::#encode(#wire, &self.#name)?));
            }
        }
    }
    // The path key's literal query pairs follow the path, in the literal they end.
    if !op.query.is_empty() {
        let pairs: Vec<String> = op.query.iter().map(|(key, value)| value.as_ref().map_or_else(|| key.clone(), |value| format!("{key}={value}"))).collect();
        let text = format!("?{}", pairs.join("&"));
        match op.segments.last() {
            Some(PathSegment::Literal(last)) => {
                pieces.pop();
                let text = format!("{last}{text}");
                pieces.push(quote!(#text));
            }
            _ => pieces.push(quote!(#text)),
        }
    }
    let path = match pieces.as_slice() {
        [only] => quote!(#only.to_owned()),
        _ => quote!([#(#pieces),*].concat()),
    };
    let params = op.params.iter().filter(|p| p.location != ParamLocation::Path).map(|p| {
        let name = ident(&p.name);
        let wire = &p.wire;
        let value = if p.required { quote!(Some(&self.#name)) } else { quote!(self.#name.as_ref()) };
        let (method, value) = match (p.location, p.encoding) {
            (ParamLocation::Query, ParamEncoding::EachText) => (quote!(query_each), value),
            (ParamLocation::Query, ParamEncoding::Text) => (quote!(query), value),
            (ParamLocation::Query, _) => (quote!(query_json), value),
            (ParamLocation::Cookie, ParamEncoding::Json) => (quote!(cookie_json), value),
            (ParamLocation::Cookie, _) => (quote!(cookie), value),
            (_, ParamEncoding::Json) => (quote!(header_json), value),
            (_, _) => (quote!(header), value),
        };
        quote!(request.#method(#wire, #value)?;)
    });
    let body = op.body.as_ref().map(|b| {
        let media = &b.media_type;
        let method = match b.encoding {
            BodyEncoding::Json => quote!(json),
            BodyEncoding::Form => quote!(form),
            BodyEncoding::Raw => quote!(bytes),
            BodyEncoding::Multipart => return multipart_body(b),
        };
        let arg = if b.encoding == BodyEncoding::Raw { quote!(body) } else { quote!(&body) };
        if b.fields.is_some() || b.required {
            quote! { let body = self.request_body; request.#method(#media, #arg)?; }
        } else {
            quote! { if let Some(body) = self.request_body { request.#method(#media, #arg)?; } }
        }
    });
    let mutability = if op.params.iter().any(|p| p.location != ParamLocation::Path) || op.body.is_some() { quote!(mut) } else { quote!() };
    quote! {
        let #mutability request = crate::runtime::Request::of(Self::OPERATION, reqwest::Method::#method, #path);
        #(#params)*
        #body
        Ok(request)
    }
}


/// The runtime function that decodes a response of `kind`, for `runtime::send`.
fn decoder(kind: &ResponseKind) -> TokenStream {
    match kind {
        ResponseKind::Empty => quote!(crate::runtime::RawResponse::empty),
        ResponseKind::Json(_) => quote!(crate::runtime::RawResponse::json),
        ResponseKind::Text => quote!(crate::runtime::RawResponse::text),
        ResponseKind::Bytes => quote!(crate::runtime::RawResponse::bytes),
        ResponseKind::Redirect => quote!(|response: crate::runtime::RawResponse| std::future::ready(response.redirect())),
    }
}

/// The `match` pattern of a documented status: `201`, or `200..=299` for `2XX`.
fn status_pattern(case: &ResponseCase) -> TokenStream {
    let code = case.status.unwrap_or(200);
    let first = Literal::u16_unsuffixed(code);
    if case.range {
        let last = Literal::u16_unsuffixed(code + 99);
        quote!(#first..=#last)
    } else {
        quote!(#first)
    }
}

/// A `multipart/form-data` body, one part per field of the body struct: binary fields
/// (and lists of them) as files, anything else as text.
fn multipart_body(body: &Body) -> TokenStream {
    let parts = body.fields.iter().flatten().map(|f| {
        let (name, wire) = (ident(&f.name), &f.wire);
        let add = match &f.ty {
            TypeRef::Binary => quote!(form.file(#wire, value)),
            TypeRef::Vec(inner) if **inner == TypeRef::Binary => quote!(form.files(#wire, value)),
            _ => quote!(form.text(#wire, value)?),
        };
        if f.optional() {
            quote! { if let Some(value) = &body.#name { #add; } }
        } else {
            quote! { let value = &body.#name; #add; }
        }
    });
    quote! {
        let body = self.request_body;
        let mut form = crate::runtime::Multipart::default();
        #(#parts)*
        request.multipart(form);
    }
}

fn decode_call(kind: &ResponseKind, paths: &Paths) -> (TokenStream, Option<TokenStream>) {
    match kind {
        ResponseKind::Empty => (quote!(response.empty().await), None),
        ResponseKind::Json(ty) => {
            let ty = paths.ty(ty);
            (quote!(response.json::<#ty>().await), Some(ty))
        }
        ResponseKind::Text => (quote!(response.text().await), Some(quote!(String))),
        ResponseKind::Bytes => (quote!(response.bytes().await), Some(quote!(bytes::Bytes))),
        ResponseKind::Redirect => (quote!(response.redirect()), Some(quote!(crate::Redirect))),
    }
}

fn send(op: &Operation, paths: &Paths) -> (TokenStream, TokenStream) {
    let errors: Vec<String> = op
        .responses
        .iter()
        .filter(|r| !r.is_success())
        .flat_map(|r| {
            let head = match r.status {
                Some(_) => format!("- `{}`: ", r.label()),
                None => "- any other status: ".to_owned(),
            };
            docs_after(&head, described(r.doc.as_deref()).unwrap_or("error"), 2)
        })
        .collect();
    let errors_doc = if errors.is_empty() {
        quote! {
            ///
            /// # Errors
            ///
            /// Any status other than the documented success is a [`crate::Error`].
        }
    } else {
        quote! {
            ///
            /// # Errors
            ///
            /// Any status other than the documented success is a [`crate::Error`]; documented ones:
            #( #[doc = #errors] )*
        }
    };
    match op.successes() {
        Successes::Undocumented => (
            quote! {
                /// Sends the request; any success status returns its JSON body.
                #errors_doc
                pub async fn send(self) -> crate::Result<crate::Response<serde_json::Value>> {
                    let (client, request) = (self.client, self.into_request());
                    crate::runtime::send(client, request, |status| (200..=299).contains(&status), crate::runtime::RawResponse::json).await
                }
            },
            quote!(),
        ),
        Successes::Uniform { statuses, kind } => {
            let patterns = statuses.iter().map(status_pattern);
            let (_, ty) = decode_call(kind, paths);
            let decode = decoder(kind);
            let ty = ty.unwrap_or_else(|| quote!(()));
            let listed: Vec<String> = statuses.iter().map(|c| format!("`{}`", c.label())).collect();
            let doc = match listed.as_slice() {
                [one] => format!(" Sends the request; {one} is the documented success."),
                many => format!(" Sends the request; {} are the documented successes.", many.join(", ")),
            };
            (
                quote! {
                    #[doc = #doc]
                    #errors_doc
                    pub async fn send(self) -> crate::Result<crate::Response<#ty>> {
                        let (client, request) = (self.client, self.into_request());
                        crate::runtime::send(client, request, |status| matches!(status, #(#patterns)|*), #decode).await
                    }
                },
                quote!(),
            )
        }
        Successes::Outcome(many) => {
            // Names are the IR's (`naming::outcome`, in lowering); an IR built without them
            // still prints, with a placeholder.
            let unnamed = Outcome { name: "Outcome".to_owned(), variants: Vec::new() };
            let names = op.outcome.as_ref().unwrap_or(&unnamed);
            let outcome = ident(&names.name);
            let mut variants = Vec::new();
            let mut arms = Vec::new();
            let mut patterns = Vec::new();
            for (index, case) in many.iter().enumerate() {
                patterns.push(status_pattern(case));
                // The last documented success is what remains once the others are matched.
                let status = if index + 1 == many.len() { quote!(_) } else { status_pattern(case) };
                let variant = ident(names.variants.get(index).map_or("Unnamed", String::as_str));
                let (call, ty) = decode_call(&case.kind, paths);
                let vdoc = docs_after(&format!("`{}`: ", case.label()), case.doc.as_deref().unwrap_or(""), 0);
                match ty {
                    Some(ty) => {
                        variants.push(quote!(#(#[doc = #vdoc])* #variant(#ty)));
                        arms.push(quote!(#status => #call.map(|r| r.map(#outcome::#variant))));
                    }
                    None => {
                        variants.push(quote!(#(#[doc = #vdoc])* #variant));
                        arms.push(quote!(#status => #call.map(|r| r.map(|()| #outcome::#variant))));
                    }
                }
            }
            let doc = format!(" The documented successes of [`{}`].", op.builder);
            (
                quote! {
                    /// Sends the request; each documented success is a variant of the outcome.
                    #errors_doc
                    pub async fn send(self) -> crate::Result<crate::Response<#outcome>> {
                        let (client, request) = (self.client, self.into_request());
                        crate::runtime::send(client, request, |status| matches!(status, #(#patterns)|*), |response| async move {
                            match response.status().as_u16() {
                                #(#arms,)*
                            }
                        })
                        .await
                    }
                },
                quote! {
                    #[doc = #doc]
                    #[derive(Debug, Clone, PartialEq)]
                    #[non_exhaustive]
                    pub enum #outcome {
                        #(#variants,)*
                    }
                },
            )
        }
    }
}

// ----- golden tests -----

fn examples_file(api: &Api, options: &EmitOptions) -> TokenStream {
    let paths = Paths::external(&options.crate_name);
    let mut namer = Namer::default();
    let tests = api.examples.iter().map(|example| {
        let name = ident(&namer.claim(field_name(&example.pointer.trim_start_matches("#/").replace("~1", "/"))));
        let ty = paths.ty(&example.ty);
        let ty = if example.nullable { quote!(Option<#ty>) } else { ty };
        let pointer = &example.pointer;
        match &example.expected_failure {
            None => quote! {
                #[test]
                fn #name() {
                    golden::round_trips::<#ty>(#pointer);
                }
            },
            Some(reason) => {
                let reason = reason.trim();
                quote! {
                    #[test]
                    fn #name() {
                        golden::is_known_mismatch::<#ty>(#pointer, #reason);
                    }
                }
            }
        }
    });
    // Without an example expected to round-trip, the helper that checks one is unused.
    let unused = api.examples.iter().all(|e| e.expected_failure.is_some()).then(|| quote!(#[allow(dead_code)]));
    let head = quote! {
        //! Golden tests: every example in the description (`src/generated/examples.json`)
        //! decodes into its generated type and encodes back to equivalent JSON. Examples the
        //! description gets wrong are listed in `spec/overrides.yaml` with their reason, and
        //! checked to still fail.
        #![allow(non_snake_case)]
        #unused
        mod golden;
    };
    followed_by(head, tests)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The IR of a small document: a paginated list, and a removal whose successes have
    /// different bodies.
    fn api() -> Api {
        let spec = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets:
    get:
      operationId: pets/list
      parameters: [{name: per_page, in: query, schema: {type: integer}}]
      responses:
        "200":
          description: A page.
          headers: {Link: {schema: {type: string}}}
          content: {application/json: {schema: {type: array, items: {type: string}}}}
  /pets/{id}:
    delete:
      operationId: pets/remove
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        "200": {description: Removed., content: {application/json: {schema: {type: string}}}}
        "202": {description: Queued.}
"##;
        let value = crate::input::parse_text(spec).unwrap();
        let doc = crate::input::openapi(&value).unwrap();
        crate::lower::lower(&doc, &value, &crate::Overrides::default()).unwrap().0
    }

    fn group_text(api: &Api) -> String {
        let options = EmitOptions { crate_name: "demo".into() };
        emit_file(api, &FileKind::Group("pets".into()), &options).to_string()
    }

    fn operation<'a>(api: &'a mut Api, method: &str) -> &'a mut Operation {
        api.groups.get_mut("pets").unwrap().operations.iter_mut().find(|op| op.method_name == method).unwrap()
    }

    #[test]
    fn the_outcome_enum_is_named_as_the_ir_says() {
        let mut api = api();
        let text = group_text(&api);
        assert!(text.contains("pub enum RemoveOutcome"), "{text}");
        assert!(text.contains("Ok (String)") && text.contains("Accepted"), "{text}");
        let outcome = operation(&mut api, "remove").outcome.as_mut().unwrap();
        outcome.name = "Removal".into();
        outcome.variants = vec!["Gone".into(), "Later".into()];
        let text = group_text(&api);
        assert!(text.contains("pub enum Removal") && !text.contains("RemoveOutcome"), "{text}");
        assert!(text.contains("Removal :: Gone") && text.contains("Removal :: Later"), "{text}");
        assert!(text.contains("matches ! (status , 200 | 202)"), "the documented statuses are sent to runtime::send: {text}");
    }

    #[test]
    fn pagination_and_its_page_size_come_from_the_ir() {
        let mut api = api();
        // A plain description: paginated (its list declares `Link`), no page-size convention.
        let text = group_text(&api);
        assert!(text.contains("pub fn stream") && !text.contains("Set `per_page`"), "{text}");
        operation(&mut api, "list").paginated.as_mut().unwrap().page_size = Some("per_page".into());
        assert!(group_text(&api).contains("Set `per_page` to fetch fewer, larger pages"));
        operation(&mut api, "list").paginated = None;
        assert!(!group_text(&api).contains("pub fn stream"));
    }

    #[test]
    fn the_module_declares_the_conventions_of_the_flavor() {
        let mut api = api();
        let options = EmitOptions { crate_name: "demo".into() };
        let module = emit_file(&api, &FileKind::Module, &options).to_string();
        assert!(module.contains("Conventions :: plain (None)"), "{module}");
        api.base_url = Some("https://api.example.com/v1".into());
        let module = emit_file(&api, &FileKind::Module, &options).to_string();
        assert!(module.contains("Conventions :: plain (Some (\"https://api.example.com/v1\"))"), "{module}");
        api.flavor = Flavor::GitHub;
        let module = emit_file(&api, &FileKind::Module, &options).to_string();
        assert!(module.contains("pub (crate) use crate :: github :: CONVENTIONS"), "{module}");
    }

    #[test]
    fn a_field_without_a_description_is_documented_by_what_its_type_does_not_say() {
        let field = |wire: &str, required: bool, nullable: bool, doc: Option<&str>| Field {
            name: "ref_".into(),
            wire: wire.into(),
            ty: TypeRef::String,
            required,
            nullable,
            doc: doc.map(str::to_owned),
            deprecated: false,
        };
        let lines = |f: &Field| {
            let tokens = field_docs(f);
            let item: syn::ItemStruct = syn::parse_quote!(#tokens struct S;);
            item.attrs
                .iter()
                .map(|a| match &a.meta {
                    syn::Meta::NameValue(syn::MetaNameValue { value: syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }), .. }) => s.value(),
                    _ => panic!("not a doc attribute"),
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(lines(&field("ref_", true, false, None)), [" Always present."]);
        assert_eq!(lines(&field("ref", true, false, None)), [" Named `ref` on the wire."]);
        assert_eq!(lines(&field("ref_", false, false, None)), [" `None` when absent."]);
        assert_eq!(lines(&field("ref", false, true, None)), [" Named `ref` on the wire; `None` when absent or `null`."]);
        assert_eq!(lines(&field("ref_", true, true, Some(" \n "))), [" `None` when the API sends `null` (or, from older servers, nothing)."]);
        // A description says it all, but for a `null` that `Option` does not tell from absent.
        assert_eq!(lines(&field("ref", false, true, Some("The commit."))), [" The commit."]);
        assert_eq!(lines(&field("ref", true, true, Some("The commit."))), [" The commit.", "", " `None` when the API sends `null` (or, from older servers, nothing)."]);
    }

    #[test]
    fn only_a_builder_with_optional_parameters_says_to_set_them() {
        let text = group_text(&api());
        assert!(text.contains("Request for [`Pets::list`]: set optional parameters, then call `send` (or `stream`"), "{text}");
        assert!(text.contains("Request for [`Pets::remove`]: call `send`."), "{text}");
        // An undescribed parameter's setter says where it goes.
        assert!(text.contains("Sent as the `per_page` query parameter."), "{text}");
    }

    #[test]
    fn a_response_description_of_several_lines_stays_in_its_list_item() {
        assert_eq!(docs_after("- `403`: ", "We return:\n\n- one\n- two", 2), [" - `403`: We return:", "", "   - one", "   - two"]);
        assert_eq!(docs_after("`201`: ", "> [!WARNING]\n> Closing down.", 0), [" `201`:", " > [!WARNING]", " > Closing down."]);
        assert_eq!(docs_after("`304`: ", "", 0), [" `304`:"]);
    }
}
