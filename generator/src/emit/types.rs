//! The generated `src/generated/types.rs`: one type per schema (structs with their
//! constructors and setters, string enums, unions with their decoding, aliases and
//! wrappers).

use super::tokens::{code_text, deprecated, described, docs, docs_after, followed_by, ident, input, Paths, Pieces};
use crate::format::doc_literal;
use crate::ir::{Api, Field, Impls, StringEnum, Struct, TypeDef, TypeKind, TypeRef, Variant};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

/// `types.rs`: every named type of the API, in name order.
pub(super) fn types_file(api: &Api) -> Pieces<'_> {
    let paths = Paths::in_types();
    let defs = api.types.values().map(move |def| type_def(api, def, &paths));
    let head = quote! {
        //! Types of the bodies the API sends and receives, one per schema.
        #![allow(deprecated, clippy::large_enum_variant, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]
    };
    followed_by(head, defs)
}

fn type_def(api: &Api, def: &TypeDef, paths: &Paths) -> TokenStream {
    let name = ident(&def.name);
    let origin = doc_literal(&format!(" Schema: `{}`.", def.pointer));
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
        let doc = doc_literal(&if f.name == "new" {
            " Sets `new`.".to_owned()
        } else {
            format!(" Sets [`{0}`](Self::{0}).", f.name)
        });
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
    let doc = doc_literal(&if params.is_empty() {
        format!(" A `{name}` with every field unset; fill it in with the `with_` methods.")
    } else {
        format!(" A `{name}` from the fields that must be given; set the others with the `with_` methods.")
    });
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
    let doc = field_description(f);
    let available = super::tokens::available(f.availability.as_ref());
    quote!(#doc #available)
}

/// [`field_docs`] but for where the field exists.
fn field_description(f: &Field) -> TokenStream {
    if let Some(text) = described(f.doc.as_deref()) {
        let doc = docs(Some(text));
        if f.required && f.nullable {
            let note = doc_literal(&format!(" {NULL_NOTE}."));
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
    let line = doc_literal(&format!(" {}.", parts.join("; ")));
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
    let variant_docs = wires.iter().enumerate().map(|(i, w)| {
        let lines = match described(e.docs.get(i).and_then(Option::as_deref)) {
            Some(text) => docs_after(&format!("`{w}`: "), text, 0),
            None => vec![format!(" `{w}`")],
        };
        let lines = lines.iter().map(|line| doc_literal(line));
        quote! { #( #[doc = #lines] )* }
    });
    quote! {
        #doc
        #deprecated
        ///
        /// Values this client does not know yet are kept in `Unknown` and sent back unchanged.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #variant_docs #variants, )*
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

fn union(
    name: &Ident,
    variants: &[Variant],
    impls: &Impls,
    doc: TokenStream,
    deprecated: TokenStream,
    paths: &Paths,
) -> TokenStream {
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
    let variant_docs = variants.iter().map(|v| doc_literal(&format!(" A value of type `{}`.", v.ty)));
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

#[cfg(test)]
mod tests {
    use super::field_docs;
    use crate::emit::test_ir::field;
    use crate::ir::*;

    /// The doc lines of a field, as its doc attributes hold them.
    fn lines(f: &Field) -> Vec<String> {
        let tokens = field_docs(f);
        let item: syn::ItemStruct = syn::parse_quote!(#tokens struct S;);
        item.attrs
            .iter()
            .map(|a| match &a.meta {
                syn::Meta::NameValue(syn::MetaNameValue {
                    value: syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }),
                    ..
                }) => s.value(),
                _ => panic!("not a doc attribute"),
            })
            .collect()
    }

    #[test]
    fn a_field_without_a_description_is_documented_by_what_its_type_does_not_say() {
        // The Rust name is `ref_`; the wire name is `ref_` (the same) or `ref`.
        let case = |wire: &str, required: bool, nullable: bool, doc: Option<&str>| Field {
            wire: wire.into(),
            required,
            nullable,
            doc: doc.map(str::to_owned),
            ..field("ref_", TypeRef::String)
        };
        assert_eq!(lines(&case("ref_", true, false, None)), [" Always present."]);
        assert_eq!(lines(&case("ref", true, false, None)), [" Named `ref` on the wire."]);
        assert_eq!(lines(&case("ref_", false, false, None)), [" `None` when absent."]);
        assert_eq!(lines(&case("ref", false, true, None)), [" Named `ref` on the wire; `None` when absent or `null`."]);
        assert_eq!(
            lines(&case("ref_", true, true, Some(" \n "))),
            [" `None` when the API sends `null` (or, from older servers, nothing)."]
        );
        // A description says it all, but for a `null` that `Option` does not tell from absent.
        assert_eq!(lines(&case("ref", false, true, Some("The commit."))), [" The commit."]);
        assert_eq!(
            lines(&case("ref", true, true, Some("The commit."))),
            [" The commit.", "", " `None` when the API sends `null` (or, from older servers, nothing)."]
        );
    }
}
