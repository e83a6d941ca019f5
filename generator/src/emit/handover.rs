//! What the generated code hands the runtime: the runtime names no generated item, so
//! the client's constructors and the mocks' view of the API are emitted here, passing
//! the crate's own conventions, credential names, server URL and examples in.

use proc_macro2::TokenStream;
use quote::quote;

/// In `mod.rs`: `Client::builder` and `ClientBuilder::default`, which give the runtime's
/// builder this crate's `CONVENTIONS` and `CREDENTIALS` (declared beside them), its
/// `DEFAULT_API_VERSION` when the description names one (`has_api_version`), and
/// `RELEASES` for a description of several releases (`fleet`).
pub(super) fn client_constructors(has_api_version: bool, fleet: bool) -> TokenStream {
    let api_version = if has_api_version { quote!(Some(DEFAULT_API_VERSION)) } else { quote!(None) };
    let releases = if fleet { quote!(.for_releases(&RELEASES)) } else { quote!() };
    quote! {
        impl crate::Client {
            /// Starts configuring a client (of the API's default server, when it has one).
            pub fn builder() -> crate::ClientBuilder {
                crate::ClientBuilder::default()
            }
        }

        impl Default for crate::ClientBuilder {
            fn default() -> Self {
                crate::ClientBuilder::for_api(&CONVENTIONS, &CREDENTIALS, #api_version)#releases
            }
        }
    }
}

/// In `mock/mod.rs`: `API`, what the runtime's mocks need of this API (its server URL
/// template, its conventions: the paths it is served below and how it refuses requests;
/// its examples), which every mock and example function of the module passes on.
pub(super) fn mocked_api() -> TokenStream {
    quote! {
        /// This API as the runtime's mocks see it: where requests may go, how it refuses
        /// them, and the examples.
        // An API without operations or examples has no mock that reads it.
        #[allow(dead_code)]
        pub(crate) static API: crate::mocking::MockedApi = crate::mocking::MockedApi::new(
            super::SERVER_URL_TEMPLATE,
            super::CONVENTIONS,
            include_str!("../examples.json"),
        );
    }
}
