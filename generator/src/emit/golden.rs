//! The generated `tests/spec_examples.rs`: one golden test per example of the
//! description, checking that it round-trips through its type (or, listed in the
//! overrides, still fails).

use super::tokens::{followed_by, ident, Paths, Pieces};
use crate::ir::Api;
use quote::quote;

/// The tests of `api`'s examples, in a crate named `crate_name`.
pub(super) fn examples_file<'a>(api: &'a Api, crate_name: &str) -> Pieces<'a> {
    let paths = Paths::external(crate_name);
    let tests = api.examples.iter().map(move |example| {
        // The test's name is the IR's (`naming::golden_tests`).
        let name = ident(&example.test);
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
        // Formatted by the generator: `cargo fmt` leaves the file as written.
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #unused
        mod golden;
    };
    followed_by(head, tests)
}
