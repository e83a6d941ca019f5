//! `src/generated/mock/` (cargo feature `mock`): for every operation, a `wiremock`
//! expectation typed by the operation's parameters, responses typed by its documented
//! outcomes, and the decoding of what a request sent; and the description's examples as
//! typed values. The repeated bodies are calls of the runtime's `mocking` module.

use super::tokens::{docs, ident, input, Paths, Pieces};
use crate::format::doc_literal;
use crate::ir::*;
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use std::collections::{BTreeMap, HashMap};

/// `mock/mod.rs`: the module's documentation and one submodule per operation group, and
/// the examples. Each submodule is a file of its own, so they are formatted in parallel.
pub(super) fn mock_module(api: &Api) -> TokenStream {
    let groups = api.groups.values().map(|g| {
        let module = ident(&g.module);
        let doc = doc_literal(&format!(" Mocks of the operations under `{}/`.", g.module));
        quote! {
            #[doc = #doc]
            pub mod #module;
        }
    });
    let examples_module = ident(&api.examples_module);
    let mocked_api = super::handover::mocked_api();
    quote! {
        //! Mocks of every operation, for testing code that uses this client against a
        //! `wiremock::MockServer` (cargo feature `mock`).
        //!
        //! A mock is built like a call: the operation's mock type takes the path parameters,
        //! and setters ask for query parameters, headers or a JSON body; only what is set is
        //! matched. A `respond_*` method per documented status gives the `wiremock::Mock`
        //! that answers with a body of the documented type; mount it on the server. Every
        //! mock also refuses as the API does: `respond_error` (any status, the API's error
        //! body), `respond_rate_limited` and `respond_secondary_rate_limited` (with the
        //! rate-limit headers the client reads); a `GET`'s mock matches conditional
        //! requests (`if_none_match`), answers with an `ETag` (`with_etag`) and answers
        //! `304` (`respond_not_modified`). The client's base URL is the server's `uri()`,
        //! or that followed by the path of the description's server URL
        //! (`SERVER_URL_TEMPLATE`). `received` decodes the matching requests the server
        //! recorded, so a test can check what was sent.
        #![allow(deprecated, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items)]

        pub use crate::mocking::ReceivedError;

        #mocked_api

        #(#groups)*

        /// The description's examples as typed values, ready to answer with.
        pub mod #examples_module;
    }
}

/// `mock/<module>.rs`: the mocks of one group's operations.
pub(super) fn group_file(group: &Group) -> Pieces<'_> {
    Box::new(group.operations.iter().map(move |op| operation(group, op, &op.sent)))
}

/// The `respond_*` method of one documented response.
fn respond(case: &ResponseCase, paths: &Paths) -> TokenStream {
    let (status_arg, status) = match case.status {
        Some(code) if !case.range => (false, {
            let code = Literal::u16_unsuffixed(code);
            quote!(#code)
        }),
        _ => (true, quote!(status)),
    };
    let (args, template) = match &case.kind {
        ResponseKind::Empty => (quote!(), quote!(crate::mocking::empty(#status))),
        ResponseKind::Json(ty) => {
            let ty = paths.ty(ty);
            (quote!(body: &#ty), quote!(crate::mocking::json(#status, body)))
        }
        ResponseKind::Text => (quote!(body: impl Into<String>), quote!(crate::mocking::text(#status, body.into()))),
        ResponseKind::Bytes => {
            (quote!(body: impl Into<bytes::Bytes>), quote!(crate::mocking::bytes(#status, body.into())))
        }
        ResponseKind::Redirect => (quote!(location: &str), quote!(crate::mocking::redirect(#status, location))),
    };
    let status_param = status_arg.then(|| quote!(status: u16,));
    let what = match &case.kind {
        ResponseKind::Empty => "no body".to_owned(),
        ResponseKind::Json(ty) => format!("a JSON body of type `{ty}`"),
        ResponseKind::Text => "a text body".to_owned(),
        ResponseKind::Bytes => "a body of bytes".to_owned(),
        ResponseKind::Redirect => "`Location: location`".to_owned(),
    };
    let status_text =
        if status_arg { format!("`status` (documented as `{}`)", case.label()) } else { format!("`{}`", case.label()) };
    let head = doc_literal(&format!(" A mock that answers with {status_text} and {what}."));
    let description = docs(case.doc.as_deref());
    // The method's name is the IR's (`naming::respond`, in lowering).
    let method = ident(&case.respond);
    quote! {
        #[doc = #head]
        ///
        #description
        pub fn #method(&self, #status_param #args) -> wiremock::Mock {
            self.expectation.respond(#template)
        }
    }
}

/// Why a setter's result must be used: it is the changed mock, the one to answer with.
const SETTER_MUST_USE: &str =
    "a setter returns the changed mock, which does nothing until one of its answers is mounted";

/// The answers every operation's mock has besides its documented ones: the API's error
/// body for any status, and its rate limits' refusals. Their names are in lowering's
/// `MOCK_METHODS`, which parameter setters avoid.
fn refusals(paths: &Paths) -> TokenStream {
    let date_time = paths.ty(&TypeRef::DateTime);
    quote! {
        /// A mock that answers with `status` and the API's error body saying `message`
        /// (with the API's documentation link, when its error bodies carry one): any
        /// status, documented or not, such as a `409` for a conflict, a `404` or a `500`.
        /// The client reads it as the API's error.
        ///
        /// # Panics
        ///
        /// When `status` is not an HTTP status (below 100 or above 999), as `wiremock` does.
        pub fn respond_error(&self, status: u16, message: &str) -> wiremock::Mock {
            self.expectation.respond(super::API.error(status, message))
        }

        /// A mock that answers as the API does when its primary rate limit refuses a
        /// request: the API's status and error body for it, `x-ratelimit-remaining: 0`
        /// and `x-ratelimit-reset` at `reset` (and the budget, all used, when the API
        /// names one). The client reads it as a rate limit that ends at `reset`.
        pub fn respond_rate_limited(&self, reset: #date_time) -> wiremock::Mock {
            self.expectation.respond(super::API.rate_limited(reset))
        }

        /// A mock that answers as the API does when a secondary rate limit (too many
        /// requests at once) refuses a request: the API's status and error body for it,
        /// and `retry-after` in whole seconds when given (a fraction rounds up). Without
        /// one, the client knows the limit by the status or the message, and the wait is
        /// the one the API documents, if any.
        pub fn respond_secondary_rate_limited(&self, retry_after: Option<std::time::Duration>) -> wiremock::Mock {
            self.expectation.respond(super::API.secondary_rate_limited(retry_after))
        }
    }
}

/// A `GET`'s conditional requests (`Operation::conditional`): matching `If-None-Match`,
/// answering with an `ETag`, and `304 Not Modified`.
fn conditional() -> TokenStream {
    quote! {
        /// Matches only conditional requests for `etag`: those that send
        /// `If-None-Match: etag` (the `ETag` as sent, quotes included), as a client with a
        /// response cache does once it keeps an answer that carried it.
        #[must_use = #SETTER_MUST_USE]
        pub fn if_none_match(mut self, etag: &str) -> Self {
            self.expectation.if_none_match(etag);
            self
        }

        /// Every answer of this mock carries `ETag: etag` (quotes included, `"\"v1\""`),
        /// so a client with a response cache keeps a `200` and asks again with
        /// `If-None-Match`.
        ///
        /// # Panics
        ///
        /// The `respond…` methods panic when `etag` is not a header value (holds a
        /// control character), as `wiremock` does.
        #[must_use = #SETTER_MUST_USE]
        pub fn with_etag(mut self, etag: &str) -> Self {
            self.expectation.etag(etag);
            self
        }

        /// A mock that answers `304 Not Modified`, with no body: the API's answer to a
        /// conditional request (see `if_none_match`) whose `ETag` still holds. A client
        /// with a response cache returns the answer it kept.
        pub fn respond_not_modified(&self) -> wiremock::Mock {
            self.expectation.respond(crate::mocking::not_modified())
        }
    }
}

fn operation(group: &Group, op: &Operation, sent_name: &str) -> TokenStream {
    let paths = Paths::in_group();
    let name = ident(&op.builder);
    let sent = ident(sent_name);
    let responses: Vec<TokenStream> = op.responses.iter().map(|case| respond(case, &paths)).collect();

    // `new`: the path parameters, encoded as the client encodes them.
    let mut args = Vec::new();
    let mut lets = Vec::new();
    let mut path_params: HashMap<&str, &Param> = HashMap::new();
    for p in op.params.iter().filter(|p| p.location == ParamLocation::Path) {
        path_params.insert(p.name.as_str(), p);
        let pname = ident(&p.name);
        let (arg, convert) = input(&p.ty, &paths, &pname);
        let ty = paths.ty(&p.ty);
        args.push(quote!(#pname: #arg));
        if pname != convert.to_string() {
            lets.push(quote!(let #pname: #ty = #convert;));
        }
    }
    let mut pieces = Vec::new();
    let mut template = String::new();
    for segment in &op.segments {
        match segment {
            PathSegment::Literal(text) => {
                template.push_str(text);
                pieces.push(quote!(#text));
            }
            PathSegment::Param { wire, param } => {
                template.push_str(&format!("{{{wire}}}"));
                // The parameter that fills the placeholder is the IR's.
                match path_params.get(param.as_str()) {
                    Some(p) if p.encoding == ParamEncoding::EachText => {
                        let pname = ident(&p.name);
                        pieces.push(quote!(&crate::mocking::segment_list(#wire, &#pname)));
                    }
                    Some(p) => {
                        let pname = ident(&p.name);
                        pieces.push(quote!(&crate::mocking::segment(#wire, &#pname)));
                    }
                    None => {
                        let text = format!("{{{wire}}}");
                        pieces.push(quote!(#text));
                    }
                }
            }
        }
    }
    let literal_query: Vec<TokenStream> = op
        .query
        .iter()
        .map(|(key, value)| {
            let value = value.as_deref().unwrap_or("");
            quote!(expectation.query(#key, &#value);)
        })
        .collect();
    let mutability = (!literal_query.is_empty()).then(|| quote!(mut));
    let method = op.http_method.as_str();
    let many = (args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let new_doc = doc_literal(&format!(" Requests to `{} {}` with these path parameters.", op.http_method, template));

    // Setters: query parameters, headers and the JSON body, matched when set. The
    // parameters with a setter, and its name, are the IR's (`naming::mock_setters`).
    let mut setters = Vec::new();
    let mut sent_fields = Vec::new();
    let mut decodes = Vec::new();
    for (p, setter) in op.params.iter().filter_map(|p| Some((p, p.mock_setter.as_deref()?))) {
        let setter = ident(setter);
        let fname = ident(&p.name);
        let wire = &p.wire;
        let value = ident("value");
        let (arg, convert) = input(&p.ty, &paths, &value);
        let ty = paths.ty(&p.ty);
        let (call, where_) = match (p.location, p.encoding) {
            (ParamLocation::Query, ParamEncoding::EachText) => {
                (quote!(query_each(#wire, value.as_slice())), "query parameter")
            }
            (ParamLocation::Query, ParamEncoding::Text) => (quote!(query(#wire, &value)), "query parameter"),
            (ParamLocation::Query, _) => (quote!(query_json(#wire, &value)), "query parameter"),
            (_, ParamEncoding::Json) => (quote!(header_json(#wire, &value)), "header"),
            (_, _) => (quote!(header(#wire, &value)), "header"),
        };
        let doc = doc_literal(&format!(" Matches only requests whose `{wire}` {where_} is `value`."));
        setters.push(quote! {
            #[doc = #doc]
            #[must_use = #SETTER_MUST_USE]
            pub fn #setter(mut self, value: #arg) -> Self {
                let value: #ty = #convert;
                self.expectation.#call;
                self
            }
        });
        let field_doc = doc_literal(&format!(" The `{wire}` {where_}, decoded."));
        let (field_ty, decode) = match (&p.ty, p.location) {
            (TypeRef::Vec(inner), ParamLocation::Query) if p.encoding == ParamEncoding::EachText => {
                let inner = paths.ty(inner);
                (quote!(Vec<#inner>), quote!(crate::mocking::query_all(request, #wire)?))
            }
            (_, ParamLocation::Query) => (quote!(Option<#ty>), quote!(crate::mocking::query_one(request, #wire)?)),
            (_, _) => (quote!(Option<#ty>), quote!(crate::mocking::header_one(request, #wire)?)),
        };
        sent_fields.push(quote!(#[doc = #field_doc] pub #fname: #field_ty,));
        decodes.push(quote!(#fname: #decode,));
    }
    if let Some(body) = &op.body {
        let ty = paths.ty(&body.ty);
        if body.encoding == BodyEncoding::Json {
            setters.push(quote! {
                /// Matches only requests whose JSON body equals `value`.
                #[must_use = #SETTER_MUST_USE]
                pub fn request_body(mut self, value: &#ty) -> Self {
                    self.expectation.json_body(value);
                    self
                }
            });
            sent_fields.push(quote! {
                /// The JSON body, decoded; `None` when the request had none.
                pub request_body: Option<#ty>,
            });
            decodes.push(quote!(request_body: crate::mocking::json_body(request)?,));
        } else {
            let doc = doc_literal(&format!(" The body as sent (`{}`).", body.media_type));
            sent_fields.push(quote!(#[doc = #doc] pub request_body: Vec<u8>,));
            decodes.push(quote!(request_body: request.body.clone(),));
        }
    }
    let request = if decodes.is_empty() { ident("_request") } else { ident("request") };
    let conditional = op.conditional.then(conditional);
    let refusals = refusals(&paths);

    let client_method = format!("{}::{}", group.name, op.method_name);
    let mock_doc = doc_literal(&format!(
        " A mock of [`{client_method}`](crate::{}::{client_method}): `{} {}` (`{}`).",
        group.module, op.http_method, op.path, op.id
    ));
    let sent_doc = doc_literal(&format!(
        " What one request to `{} {}` sent: its query parameters and headers, and its body, decoded.",
        op.http_method, template
    ));
    // `must_use` on `new` and the setters, not on the type: a function that mounts a
    // mock's answer and returns the mock (for its `received`) returns one that was used.
    quote! {
        #[doc = #mock_doc]
        #[derive(Debug, Clone)]
        pub struct #name {
            expectation: crate::mocking::Expectation,
        }

        impl #name {
            #[doc = #new_doc]
            #many
            #[must_use = "a mock does nothing until one of its answers is mounted"]
            pub fn new(#(#args),*) -> Self {
                #(#lets)*
                let #mutability expectation = crate::mocking::Expectation::new(&super::API, #method, [#(#pieces),*].concat());
                #(#literal_query)*
                Self { expectation }
            }

            #(#setters)*

            #conditional

            /// A mock that answers with `response`, for what the documented responses and
            /// the refusals do not cover.
            pub fn respond(&self, response: wiremock::ResponseTemplate) -> wiremock::Mock {
                self.expectation.respond(response)
            }

            #(#responses)*

            #refusals

            /// The requests among `requests` (`MockServer::received_requests`) that this mock
            /// matches, in order, with what they sent decoded.
            ///
            /// # Errors
            ///
            /// [`ReceivedError`](crate::mock::ReceivedError) when a matching request sent a
            /// parameter or body that is not a value of its type.
            pub fn received(&self, requests: &[wiremock::Request]) -> Result<Vec<#sent>, crate::mocking::ReceivedError> {
                self.expectation.received(requests).map(|#request| Ok(#sent { #(#decodes)* })).collect()
            }
        }

        #[doc = #sent_doc]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub struct #sent {
            #(#sent_fields)*
        }
    }
}

/// Every example of the description, as data beside the code ([`super::EXAMPLES_FILE`]),
/// for the mocks' `examples` functions and the golden tests (which also check the ones
/// listed as wrong): a JSON object with a line saying how it was made and the examples by
/// pointer, in pointer order. Kept out of the Rust source, where each would be
/// one escaped string literal: here an updated description's changed example shows as a
/// readable JSON diff.
pub(crate) fn examples_json(api: &Api, command: &str) -> String {
    let all: BTreeMap<&str, &serde_json::Value> = api.examples.iter().map(|e| (e.pointer.as_str(), &e.value)).collect();
    let examples: serde_json::Map<String, serde_json::Value> =
        all.into_iter().map(|(pointer, value)| (pointer.to_owned(), value.clone())).collect();
    let file = serde_json::json!({
        "//": format!("@generated by `{}`. Do not edit by hand.", crate::format::plain_line(command)),
        "examples": examples,
    });
    // Serializing a `Value` cannot fail.
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    text
}

/// `mock/examples.rs`: one function per example that has one in the IR (those that
/// decode, as the golden tests prove), named there (`naming::example_functions`); an
/// example of two types has one function per type.
pub(super) fn examples_file(api: &Api) -> Pieces<'_> {
    let paths = Paths::in_group();
    let functions =
        api.examples.iter().filter_map(|e| Some((e, e.function.as_deref()?))).map(move |(example, name)| {
            let name = ident(name);
            let ty = paths.ty(&example.ty);
            let ty = if example.nullable { quote!(Option<#ty>) } else { ty };
            let pointer = &example.pointer;
            let doc = doc_literal(&format!(" The example at `{pointer}`, as a `{}`.", example.ty));
            quote! {
                #[doc = #doc]
                ///
                /// # Panics
                ///
                /// Never: the golden tests (`tests/spec_examples.rs`) check that it decodes.
                pub fn #name() -> #ty {
                    super::API.example(#pointer)
                }
            }
        });
    Box::new(functions)
}

#[cfg(test)]
mod tests {
    use crate::emit::test_ir::{api, example, field, group, literal, named, operation, param, placeholder, response};
    use crate::emit::{emit_file, plan, EmitOptions, FileKind};
    use crate::ir::*;

    /// The mock files of `api`, as token text, each after its path.
    fn mock_text(api: &Api) -> String {
        let options = EmitOptions { crate_name: "demo".into() };
        let mut text = String::new();
        for (path, kind) in plan(api).iter().filter(|(path, _)| path.starts_with("src/generated/mock/")) {
            text.push_str(&format!(
                "{path}: {}\n",
                emit_file(api, kind, &options).collect::<proc_macro2::TokenStream>()
            ));
        }
        text
    }

    /// Two groups: `pets` (a lookup with a parameter in every place and four kinds of
    /// response, and a creation with a JSON body) and `examples` (an upload of bytes to a
    /// path key with a literal query), whose name the examples module gives way to.
    fn pets() -> Api {
        let query = |name: &str, ty: TypeRef, encoding: ParamEncoding, setter: &str| Param {
            encoding,
            mock_setter: Some(setter.to_owned()),
            ..param(name, name, ParamLocation::Query, ty)
        };
        let get = Operation {
            params: vec![
                param("id", "id", ParamLocation::Path, TypeRef::I64),
                query("filter", named("GetFilter"), ParamEncoding::Json, "filter"),
                // Named off the mock's own `respond` (`naming::mock_setters`).
                query("respond", TypeRef::Bool, ParamEncoding::Text, "respond_2"),
                query("tags", TypeRef::Vec(Box::new(TypeRef::String)), ParamEncoding::EachText, "tags"),
                Param {
                    mock_setter: Some("x_trace".into()),
                    ..param("x_trace", "X-Trace", ParamLocation::Header, TypeRef::String)
                },
                param("session", "session", ParamLocation::Cookie, TypeRef::String),
            ],
            responses: vec![
                response(Some(200), false, ResponseKind::Json(TypeRef::String), "respond_200"),
                response(Some(302), false, ResponseKind::Redirect, "respond_302"),
                response(Some(400), true, ResponseKind::Text, "respond_4xx"),
                response(None, false, ResponseKind::Json(TypeRef::Json), "respond_default"),
            ],
            ..operation("get", "Get", "GET", vec![literal("/pets/"), placeholder("id", "id")])
        };
        let create = Operation {
            body: Some(Body {
                media_type: "application/json".into(),
                encoding: BodyEncoding::Json,
                required: true,
                ty: named("CreateRequest"),
                fields: Some(vec![field("name", TypeRef::String)]),
                setters: vec!["name".into()],
            }),
            responses: vec![response(Some(204), false, ResponseKind::Empty, "respond_204")],
            ..operation("create", "Create", "POST", vec![literal("/pets")])
        };
        let upload = Operation {
            path: "/uploads?kind=photo".into(),
            query: vec![("kind".into(), Some("photo".into()))],
            body: Some(Body {
                media_type: "application/octet-stream".into(),
                encoding: BodyEncoding::Raw,
                required: false,
                ty: TypeRef::Bytes,
                fields: None,
                setters: vec!["body".into()],
            }),
            responses: vec![response(Some(201), false, ResponseKind::Empty, "respond_201")],
            ..operation("upload", "Upload", "PUT", vec![literal("/uploads")])
        };
        let mut api = api(vec![group("pets", "Pets", vec![create, get]), group("examples", "Examples", vec![upload])]);
        api.examples_module = "examples_2".into();
        api.examples = vec![example(
            "#/paths/~1pets~1{id}/get/responses/200/content/application~1json/example",
            TypeRef::String,
            "get_response_200",
            "t",
        )];
        api
    }

    #[test]
    fn each_documented_response_gets_a_typed_respond_method() {
        let text = mock_text(&pets());
        assert!(text.contains("pub fn respond_200 (& self , body : & String) -> wiremock :: Mock"), "{text}");
        assert!(text.contains("crate :: mocking :: json (200 , body)"), "{text}");
        assert!(text.contains("pub fn respond_302 (& self , location : & str)"), "{text}");
        assert!(text.contains("crate :: mocking :: redirect (302 , location)"), "{text}");
        // A range and `default` take the status.
        assert!(text.contains("pub fn respond_4xx (& self , status : u16 , body : impl Into < String >)"), "{text}");
        assert!(
            text.contains("pub fn respond_default (& self , status : u16 , body : & serde_json :: Value)"),
            "{text}"
        );
        assert!(text.contains("pub fn respond_204 (& self ,) -> wiremock :: Mock"), "{text}");
        assert!(text.contains("crate :: mocking :: empty (204)"), "{text}");
    }

    #[test]
    fn every_mock_refuses_as_the_api_does() {
        let text = mock_text(&pets());
        let error = "pub fn respond_error (& self , status : u16 , message : & str) -> wiremock :: Mock { self . expectation . respond (super :: API . error (status , message)) }";
        let primary = "pub fn respond_rate_limited (& self , reset : crate :: DateTime) -> wiremock :: Mock { self . expectation . respond (super :: API . rate_limited (reset)) }";
        let secondary = "pub fn respond_secondary_rate_limited (& self , retry_after : Option < std :: time :: Duration >) -> wiremock :: Mock";
        for method in [error, primary, secondary] {
            assert_eq!(text.matches(method).count(), 3, "one on each operation's mock: {method}\n{text}");
        }
        // The runtime gets the crate's conventions, which say how the API refuses.
        assert!(text.contains("MockedApi :: new (super :: SERVER_URL_TEMPLATE , super :: CONVENTIONS , include_str ! (\"../examples.json\")"), "{text}");
    }

    #[test]
    fn only_a_conditional_operations_mock_matches_if_none_match_and_answers_304() {
        let mut api = pets();
        let text = mock_text(&api);
        for method in [
            "pub fn if_none_match (mut self , etag : & str) -> Self",
            "pub fn with_etag (mut self , etag : & str) -> Self",
            "pub fn respond_not_modified (& self)",
        ] {
            assert_eq!(text.matches(method).count(), 1, "only the `GET` of three: {method}\n{text}");
        }
        assert!(text.contains("self . expectation . respond (crate :: mocking :: not_modified ())"), "{text}");
        // The IR decides, not the method.
        api.groups.get_mut("pets").unwrap().operations.iter_mut().for_each(|op| op.conditional = false);
        assert!(!mock_text(&api).contains("pub fn if_none_match"));
    }

    #[test]
    fn new_and_the_setters_must_be_used_not_the_mock_itself() {
        let text = mock_text(&pets());
        // A function that mounts a mock's answer and returns the mock is not warned.
        assert!(text.contains("# [derive (Debug , Clone)] pub struct Get { expectation"), "{text}");
        assert_eq!(
            text.matches("# [must_use = \"a mock does nothing until one of its answers is mounted\"] pub fn new")
                .count(),
            3,
            "{text}"
        );
        let setter = "# [must_use = \"a setter returns the changed mock, which does nothing until one of its answers is mounted\"]";
        for name in ["filter", "respond_2", "tags", "x_trace", "request_body", "if_none_match", "with_etag"] {
            assert!(text.contains(&format!("{setter} pub fn {name} (mut self")), "{name}: {text}");
        }
        // Nothing else: answers are `wiremock::Mock`s, which `wiremock` marks itself.
        assert_eq!(text.matches("# [must_use").count(), 3 + 7, "{text}");
    }

    #[test]
    fn parameters_match_where_the_client_sends_them() {
        let text = mock_text(&pets());
        assert!(text.contains("crate :: mocking :: segment (\"id\" , & id)"), "{text}");
        assert!(text.contains("query_each (\"tags\" , value . as_slice ())"), "{text}");
        assert!(text.contains("query_json (\"filter\" , & value)"), "{text}");
        assert!(text.contains("header (\"X-Trace\" , & value)"), "{text}");
        assert!(!text.contains("\"session\""), "cookies are not matched: {text}");
        // The setter is the IR's name, whatever the parameter's.
        assert!(
            text.contains("pub fn respond_2 (mut self , value : bool)")
                && text.contains("query (\"respond\" , & value)"),
            "{text}"
        );
        // What was sent: lists as lists, the rest optional.
        assert!(
            text.contains("pub tags : Vec < String >") && text.contains("query_all (request , \"tags\")"),
            "{text}"
        );
        assert!(
            text.contains("pub x_trace : Option < String >") && text.contains("header_one (request , \"X-Trace\")"),
            "{text}"
        );
    }

    #[test]
    fn a_path_list_parameter_is_one_segment_of_joined_values() {
        let mut api = pets();
        let get = api.groups.get_mut("pets").unwrap().operations.iter_mut().find(|op| op.method_name == "get").unwrap();
        get.params[0] = Param {
            encoding: ParamEncoding::EachText,
            ..param("id", "id", ParamLocation::Path, TypeRef::Vec(Box::new(TypeRef::I64)))
        };
        let text = mock_text(&api);
        assert!(text.contains("crate :: mocking :: segment_list (\"id\" , & id)"), "{text}");
    }

    #[test]
    fn bodies_are_matched_as_json_and_received_as_their_type_or_bytes() {
        let text = mock_text(&pets());
        assert!(text.contains("pub fn request_body (mut self , value : & crate :: types :: CreateRequest)"), "{text}");
        assert!(text.contains("pub request_body : Option < crate :: types :: CreateRequest >"), "{text}");
        // Not JSON: the bytes as sent, and no body matcher.
        assert!(text.contains("pub request_body : Vec < u8 >"), "{text}");
        assert_eq!(text.matches("pub fn request_body").count(), 1, "{text}");
    }

    #[test]
    fn a_path_keys_literal_query_is_matched_and_names_do_not_collide() {
        let text = mock_text(&pets());
        assert!(text.contains("Expectation :: new (& super :: API , \"PUT\" , [\"/uploads\"] . concat ())"), "{text}");
        assert!(text.contains("expectation . query (\"kind\" , & \"photo\")"), "{text}");
        // A group named `examples` keeps its name; the examples module is the IR's.
        assert!(text.contains("pub mod examples ;") && text.contains("pub mod examples_2 ;"), "{text}");
        assert!(
            text.contains("src/generated/mock/examples.rs: ") && text.contains("src/generated/mock/examples_2.rs: "),
            "{text}"
        );
        assert!(text.contains("pub fn get_response_200 () -> String"), "{text}");
    }

    #[test]
    fn the_module_is_planned_and_declared_behind_the_feature() {
        let api = pets();
        assert!(plan(&api).contains(&("src/generated/mock/mod.rs".to_owned(), FileKind::Mock)));
        let options = EmitOptions { crate_name: "demo".into() };
        let module = emit_file(&api, &FileKind::Module, &options).collect::<proc_macro2::TokenStream>().to_string();
        assert!(module.contains("# [cfg (feature = \"mock\")] pub mod mock ;"), "{module}");
    }

    #[test]
    fn an_example_of_two_types_gets_one_function_per_type() {
        let pointer = "#/components/examples/thing/value";
        let mut api = api(Vec::new());
        api.examples = vec![
            example(pointer, named("A"), "thing_as_a", "t"),
            example(pointer, named("B"), "thing_as_b", "t_2"),
            // Expected to fail: no function.
            Example {
                expected_failure: Some("wrong".into()),
                function: None,
                ..example("#/components/examples/bad/value", named("A"), "", "t_3")
            },
        ];
        let text = mock_text(&api);
        assert!(text.contains("pub fn thing_as_a () -> crate :: types :: A"), "{text}");
        assert!(text.contains("pub fn thing_as_b () -> crate :: types :: B"), "{text}");
        assert!(!text.contains("bad"), "{text}");
    }
}
