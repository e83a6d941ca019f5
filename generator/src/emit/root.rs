//! The generated `src/generated/mod.rs`: the crate's modules, its server template, the
//! flavor's `CONVENTIONS`, the `CREDENTIALS` of its security schemes, the client's
//! constructors (`handover`) and one `ClientBuilder` setter per security scheme.

use super::handover;
use super::tokens::{code_text, described, docs, ident};
use crate::format::doc_literal;
use crate::ir::{Api, Flavor, Releases, SchemeKind};
use proc_macro2::TokenStream;
use quote::quote;

/// `mod.rs`: the crate's modules and what it declares for the runtime.
pub(super) fn module_file(api: &Api) -> TokenStream {
    let title = format!(" Generated from {} (version {}).", api.title, api.version);
    let modules = api.groups.values().map(|g| {
        let module = ident(&g.module);
        let doc = doc_literal(&format!(" Operations whose `operationId` starts with `{}/`.", g.module));
        quote! { #[doc = #doc] pub mod #module; }
    });
    let url = api.server.as_ref().map_or("{protocol}://{hostname}", |s| s.url.as_str());
    let doc = doc_literal(&format!(" The server URL template of the description: `{url}`."));
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
    let constructors = handover::client_constructors(api.api_version.is_some(), api.releases.is_some());
    let api_version = api.api_version.as_deref().map(|version| {
        let doc = doc_literal(&format!(
            " The API version this crate was generated for (`info.x-api-version` of its description, `{version}`). \
             Every request carries it in the API's version header, when its conventions have one (GitHub's \
             `X-GitHub-Api-Version`), unless the builder is told another."
        ));
        quote! { #[doc = #doc] pub const DEFAULT_API_VERSION: &str = #version; }
    });
    let setters = security_setters(api);
    let releases = api.releases.as_ref().map(releases).unwrap_or_default();
    quote! {
        #![doc = #title]
        #![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]
        #server
        #api_version
        #conventions
        #credentials
        #constructors
        #setters
        #releases
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

/// For a description of several releases: `RELEASES` (the table the runtime checks
/// requests against), the `Release` enum, and the builder's and client's `server_release`.
fn releases(releases: &Releases) -> TokenStream {
    let header = match &releases.header {
        Some(header) => quote!(Some(#header)),
        None => quote!(None),
    };
    let entries = releases.list.iter().map(|r| {
        let (id, name) = (&r.id, &r.name);
        let value = match &r.header_value {
            Some(value) => quote!(Some(#value)),
            None => quote!(None),
        };
        quote!(crate::runtime::ReleaseEntry { id: #id, name: #name, header_value: #value })
    });
    let variants: Vec<proc_macro2::Ident> = releases.list.iter().map(|r| ident(&r.variant)).collect();
    let variant_docs = releases.list.iter().map(|r| doc_literal(&format!(" {} (`{}`).", r.name, code_text(&r.id))));
    let primary = releases.list.iter().find(|r| r.id == releases.primary).map(|r| ident(&r.variant));
    let primary_doc = doc_literal(&format!(
        " The release whose description the client's docs and names come from: {}.",
        releases.list.iter().find(|r| r.id == releases.primary).map_or("", |r| r.name.as_str())
    ));
    let names: Vec<&str> = releases.list.iter().map(|r| r.name.as_str()).collect();
    let enum_doc = doc_literal(&format!(" A release of the API that this client covers: {}.", names.join(", ")));
    let primary =
        primary.map(|variant| quote! { #[doc = #primary_doc] pub const PRIMARY: Release = Release::#variant; });
    let header_doc = match &releases.header {
        Some(header) => format!(" learned from the `{}` header of its responses, or", code_text(header)),
        None => String::new(),
    };
    let client_doc = doc_literal(&format!(
        " The server's release, when known:{header_doc} set with [`ClientBuilder::server_release`](crate::ClientBuilder::server_release)."
    ));
    quote! {
        /// The releases the description covers, for the runtime's checks.
        pub(crate) const RELEASES: crate::runtime::ReleaseTable = crate::runtime::ReleaseTable {
            header: #header,
            releases: &[#(#entries),*],
        };

        #[doc = #enum_doc]
        ///
        /// Items that not every release has say where they exist ("Available on: …"); a
        /// client that knows its server's release refuses what that release lacks.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Release {
            #( #[doc = #variant_docs] #variants, )*
        }

        impl Release {
            /// Every release, in the order the docs list them.
            pub const ALL: &'static [Release] = &[#(Release::#variants),*];

            #primary

            /// Its id in the description (`Release::from_id` reads it back).
            pub fn id(self) -> &'static str {
                RELEASES.releases[self as usize].id
            }

            /// Its name for people.
            pub fn name(self) -> &'static str {
                RELEASES.releases[self as usize].name
            }

            /// The release of this id, if the client covers it.
            pub fn from_id(id: &str) -> Option<Release> {
                Release::ALL.iter().copied().find(|release| release.id() == id)
            }
        }

        impl std::fmt::Display for Release {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl crate::ClientBuilder {
            /// The server's release, when known before the first response: an operation,
            /// parameter or body field it lacks is then refused before sending, with an
            /// error for which `is_unavailable()` is true.
            pub fn server_release(self, release: Release) -> Self {
                self.server_release_index(release as usize)
            }
        }

        impl crate::Client {
            #[doc = #client_doc]
            pub fn server_release(&self) -> Option<Release> {
                Release::ALL.get(self.server_release_index()?).copied()
            }
        }
    }
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
            SchemeKind::Header(name) => (
                format!("sends `key` in the header `{}`", code_text(name)),
                quote!(key: impl Into<String>),
                quote!(self.header(#name, key)),
            ),
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
        let summary = doc_literal(&format!(
            " Authenticates with the description's `{}` security scheme: {what}, to the API's own origin only.",
            code_text(&scheme.key)
        ));
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

#[cfg(test)]
mod tests {
    use super::module_file;
    use crate::emit::test_ir::api;
    use crate::ir::*;

    #[test]
    fn the_module_declares_the_conventions_of_the_flavor() {
        let mut api = api(Vec::new());
        let module = module_file(&api).to_string();
        assert!(module.contains("Conventions :: plain (None)"), "{module}");
        api.base_url = Some("https://api.example.com/v1".into());
        let module = module_file(&api).to_string();
        assert!(module.contains("Conventions :: plain (Some (\"https://api.example.com/v1\"))"), "{module}");
        api.flavor = Flavor::GitHub;
        let module = module_file(&api).to_string();
        assert!(module.contains("pub (crate) use crate :: github :: CONVENTIONS"), "{module}");
    }

    #[test]
    fn the_descriptions_api_version_is_handed_to_the_runtime() {
        let mut api = api(Vec::new());
        let module = module_file(&api).to_string();
        assert!(module.contains("for_api (& CONVENTIONS , & CREDENTIALS , None)"), "{module}");
        assert!(!module.contains("DEFAULT_API_VERSION"), "{module}");
        api.api_version = Some("2026-03-10".into());
        let module = module_file(&api).to_string();
        assert!(module.contains("pub const DEFAULT_API_VERSION : & str = \"2026-03-10\""), "{module}");
        assert!(module.contains("for_api (& CONVENTIONS , & CREDENTIALS , Some (DEFAULT_API_VERSION))"), "{module}");
    }
}
