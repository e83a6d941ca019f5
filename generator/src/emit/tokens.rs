//! What every emitting module builds tokens with: identifiers from the IR's names, doc
//! attributes, the paths to the crate's types ([`Paths`]) and how a value is taken from a
//! caller ([`input`]). A leaf: it imports no other module of `emit`.

use crate::format::{doc_lines, doc_literal};
use crate::ir::TypeRef;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// A file's tokens in pieces, made as they are asked for: the first piece may hold the
/// file's inner attributes, and every piece holds whole items, so each is formatted apart
/// from the rest (`format::format_file`) and a whole file's tokens never exist at once.
pub type Pieces<'a> = Box<dyn Iterator<Item = TokenStream> + 'a>;

/// `head` followed by `items`, each a piece of its own: `quote!`'s `#(#items)*` would
/// copy every token it interpolates, and a file's items are most of its tokens.
pub(super) fn followed_by<'a>(head: TokenStream, items: impl Iterator<Item = TokenStream> + 'a) -> Pieces<'a> {
    Box::new(std::iter::once(head).chain(items))
}

/// An identifier made of a name the IR holds.
pub(super) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// Doc attributes of a description's text (`format::doc_lines`), nothing for `None`.
pub(super) fn docs(text: Option<&str>) -> TokenStream {
    let lines = text.map(doc_lines).unwrap_or_default();
    let lines = lines.iter().map(|l| doc_literal(&if l.is_empty() { String::new() } else { format!(" {l}") }));
    quote! { #( #[doc = #lines] )* }
}

/// The description, when it has anything to show (not only whitespace or controls).
pub(super) fn described(text: Option<&str>) -> Option<&str> {
    text.filter(|text| doc_lines(text).iter().any(|line| !line.is_empty()))
}

/// A description as doc lines after `head` (`` - `404`: ``): its first line follows the
/// head, unless it opens a block of its own (a quote, a list, a fence, a heading), and the
/// rest are indented by `indent` spaces, which keeps them inside a list item.
pub(super) fn docs_after(head: &str, text: &str, indent: usize) -> Vec<String> {
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

/// Text from the description made safe inside a doc comment's code span: one clean
/// line, without the backticks that would end the span.
pub(super) fn code_text(text: &str) -> String {
    crate::format::plain_line(text).replace('`', "'")
}

/// `#[deprecated]` when `flag` is set.
pub(super) fn deprecated(flag: bool) -> TokenStream {
    if flag {
        quote! { #[deprecated] }
    } else {
        quote! {}
    }
}

/// Where generated code finds the crate root and the `types` module.
#[derive(Clone)]
pub(super) struct Paths {
    /// The crate root: `crate::`, or the crate's name outside it.
    pub(super) root: TokenStream,
    /// The `types` module: empty inside it.
    pub(super) types: TokenStream,
}

impl Paths {
    /// Inside `types.rs`.
    pub(super) fn in_types() -> Self {
        Paths { root: quote!(crate::), types: quote!() }
    }
    /// In any other module of the crate.
    pub(super) fn in_group() -> Self {
        Paths { root: quote!(crate::), types: quote!(crate::types::) }
    }
    /// Outside the crate (its tests), which name it `crate_name`.
    pub(super) fn external(crate_name: &str) -> Self {
        let krate = ident(crate_name);
        Paths { root: quote!(#krate::), types: quote!(#krate::types::) }
    }

    /// The Rust type of `ty`.
    pub(super) fn ty(&self, ty: &TypeRef) -> TokenStream {
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
            TypeRef::Tuple(items) => {
                let items = items.iter().map(|item| self.ty(item));
                quote!((#(#items,)*))
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

/// How a value of type `ty` is taken from the caller: the argument type and the
/// conversion into the stored type.
pub(super) fn input(ty: &TypeRef, paths: &Paths, value: &Ident) -> (TokenStream, TokenStream) {
    match ty {
        TypeRef::String | TypeRef::Named(_) | TypeRef::Json | TypeRef::Bytes | TypeRef::Binary => {
            let t = paths.ty(ty);
            (quote!(impl Into<#t>), quote!(#value.into()))
        }
        _ => (paths.ty(ty), quote!(#value)),
    }
}

#[cfg(test)]
mod tests {
    use super::docs_after;

    #[test]
    fn a_response_description_of_several_lines_stays_in_its_list_item() {
        assert_eq!(
            docs_after("- `403`: ", "We return:\n\n- one\n- two", 2),
            [" - `403`: We return:", "", "   - one", "   - two"]
        );
        assert_eq!(
            docs_after("`201`: ", "> [!WARNING]\n> Closing down.", 0),
            [" `201`:", " > [!WARNING]", " > Closing down."]
        );
        assert_eq!(docs_after("`304`: ", "", 0), [" `304`:"]);
    }
}
