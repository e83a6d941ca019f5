//! The generated `src/generated/<module>.rs` of an operation group: the group's accessor
//! on `Client`, and per operation a request builder with its setters, `send` (and
//! `stream` for a paginated list), its `OPERATION` and, when the documented successes
//! have different bodies, the outcome enum.

use super::tokens::{
    availability_value, available, code_text, deprecated, described, docs, docs_after, followed_by, ident, input,
    Paths, Pieces,
};
use crate::format::doc_literal;
use crate::ir::*;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

/// `<module>.rs`: the accessor, request builders and outcome enums of one group.
pub(super) fn group_file(group: &Group) -> Pieces<'_> {
    let paths = Paths::in_group();
    let accessor = ident(&group.accessor);
    let name = ident(&group.name);
    let group_doc = doc_literal(&format!(
        " Operations under `{}/`; get one with [`Client::{}`](crate::Client::{}).",
        group.module, group.accessor, group.accessor
    ));
    let accessor_doc = doc_literal(&format!(" Operations under `{}/`.", group.module));
    let methods = group.operations.iter().map(|op| constructor(op, &paths));
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
    let builders = group.operations.iter().map(move |op| builder(group, op, &paths));
    followed_by(head, builders)
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
    if let Some(availability) = &op.availability {
        extra.push(String::new());
        extra.push(format!(" Available on: {}.", crate::format::plain_line(&availability.text)));
    }
    if let Some(url) = &op.docs_url {
        extra.push(String::new());
        extra.push(format!(" [API documentation]({url})"));
    }
    let extra = extra.iter().map(|line| doc_literal(line));
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
    let by_name: std::collections::HashMap<String, &TokenStream> =
        args.iter().map(|a| (a.name.to_string(), &a.convert)).collect();
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
            let available = available(p.availability.as_ref());
            let deprecated = deprecated(p.deprecated);
            setters.push(quote! {
                #pdoc
                #available
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
                    let available = available(f.availability.as_ref());
                    let deprecated = deprecated(f.deprecated);
                    setters.push(quote! {
                        #fdoc
                        #available
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

    let call =
        if op.paginated.is_some() { "call `send` (or `stream` for every item of every page)" } else { "call `send`" };
    let doc = doc_literal(&if setters.is_empty() {
        format!(" Request for [`{}::{}`]: {call}.", group.name, op.method_name)
    } else {
        format!(" Request for [`{}::{}`]: set optional parameters, then {call}.", group.name, op.method_name)
    });
    let request = into_request(op);
    let operation = operation_info(op);
    let (send, outcome) = send(op, paths);
    let stream = op.paginated.as_ref().map(|p| {
        let size_hint = doc_literal(&match &p.page_size {
            Some(name) => format!(" Set `{name}` to fetch fewer, larger pages; use `StreamExt::take` to stop early."),
            None => " Use `StreamExt::take` to stop early.".to_owned(),
        });
        let item = paths.ty(&p.item);
        let page = paths.ty(&p.page);
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
    let lists: std::collections::HashSet<&str> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path && p.encoding == ParamEncoding::EachText)
        .map(|p| p.name.as_str())
        .collect();
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
        let pairs: Vec<String> = op
            .query
            .iter()
            .map(|(key, value)| value.as_ref().map_or_else(|| key.clone(), |value| format!("{key}={value}")))
            .collect();
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
    let availability = availability_checks(op);
    let mutability =
        if op.params.iter().any(|p| p.location != ParamLocation::Path) || op.body.is_some() || !availability.is_empty()
        {
            quote!(mut)
        } else {
            quote!()
        };
    quote! {
        let #mutability request = crate::runtime::Request::of(Self::OPERATION, reqwest::Method::#method, #path);
        #(#availability)*
        #(#params)*
        #body
        Ok(request)
    }
}

/// What the runtime checks against the server's release: the releases that have the
/// operation, and each parameter and body field that not every release has, when set.
fn availability_checks(op: &Operation) -> Vec<TokenStream> {
    let mut checks = Vec::new();
    if let Some(availability) = &op.availability {
        let value = availability_value(availability);
        checks.push(quote!(request.available_on(#value);));
    }
    for p in &op.params {
        let Some(availability) = &p.availability else { continue };
        let (wire, value, name) = (&p.wire, availability_value(availability), ident(&p.name));
        checks.push(if p.required {
            quote!(request.requires(#wire, #value);)
        } else {
            quote!(if self.#name.is_some() { request.requires(#wire, #value); })
        });
    }
    if let Some(Body { fields: Some(fields), .. }) = &op.body {
        for f in fields {
            let Some(availability) = &f.availability else { continue };
            let (wire, value, name) = (&f.wire, availability_value(availability), ident(&f.name));
            checks.push(if f.optional() {
                quote!(if self.request_body.#name.is_some() { request.requires(#wire, #value); })
            } else {
                quote!(request.requires(#wire, #value);)
            });
        }
    }
    checks
}

/// The runtime function that decodes a response of `kind`, for `runtime::send`.
fn decoder(kind: &ResponseKind) -> TokenStream {
    match kind {
        ResponseKind::Empty => quote!(crate::runtime::RawResponse::empty),
        ResponseKind::Json(_) => quote!(crate::runtime::RawResponse::json),
        ResponseKind::Text => quote!(crate::runtime::RawResponse::text),
        ResponseKind::Bytes => quote!(crate::runtime::RawResponse::bytes),
        ResponseKind::Redirect => {
            quote!(|response: crate::runtime::RawResponse| std::future::ready(response.redirect()))
        }
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
    let errors: Vec<Literal> = op
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
        .map(|line| doc_literal(&line))
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
            let doc = doc_literal(&match listed.as_slice() {
                [one] => format!(" Sends the request; {one} is the documented success."),
                many => format!(" Sends the request; {} are the documented successes.", many.join(", ")),
            });
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
                let vdoc: Vec<Literal> =
                    docs_after(&format!("`{}`: ", case.label()), case.doc.as_deref().unwrap_or(""), 0)
                        .iter()
                        .map(|line| doc_literal(line))
                        .collect();
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
            let doc = doc_literal(&format!(" The documented successes of [`{}`].", op.builder));
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

#[cfg(test)]
mod tests {
    use super::group_file;
    use crate::emit::test_ir::{api, group, literal, operation, param, placeholder, response};
    use crate::ir::*;

    /// A group of two operations: a paginated list, and a removal whose successes have
    /// different bodies.
    fn pets() -> Api {
        let list = Operation {
            params: vec![param("per_page", "per_page", ParamLocation::Query, TypeRef::I64)],
            responses: vec![response(
                Some(200),
                false,
                ResponseKind::Json(TypeRef::Vec(Box::new(TypeRef::String))),
                "respond_200",
            )],
            paginated: Some(Pagination {
                page: TypeRef::Vec(Box::new(TypeRef::String)),
                item: TypeRef::String,
                field: None,
                page_size: None,
            }),
            ..operation("list", "List", "GET", vec![literal("/pets")])
        };
        let remove = Operation {
            params: vec![param("id", "id", ParamLocation::Path, TypeRef::I64)],
            responses: vec![
                response(Some(200), false, ResponseKind::Json(TypeRef::String), "respond_200"),
                response(Some(202), false, ResponseKind::Empty, "respond_202"),
            ],
            outcome: Some(Outcome { name: "RemoveOutcome".into(), variants: vec!["Ok".into(), "Accepted".into()] }),
            ..operation("remove", "Remove", "DELETE", vec![literal("/pets/"), placeholder("id", "id")])
        };
        api(vec![group("pets", "Pets", vec![list, remove])])
    }

    fn group_text(api: &Api) -> String {
        group_file(&api.groups["pets"]).collect::<proc_macro2::TokenStream>().to_string()
    }

    fn operation_mut<'a>(api: &'a mut Api, method: &str) -> &'a mut Operation {
        api.groups.get_mut("pets").unwrap().operations.iter_mut().find(|op| op.method_name == method).unwrap()
    }

    #[test]
    fn the_outcome_enum_is_named_as_the_ir_says() {
        let mut api = pets();
        let text = group_text(&api);
        assert!(text.contains("pub enum RemoveOutcome"), "{text}");
        assert!(text.contains("Ok (String)") && text.contains("Accepted"), "{text}");
        let outcome = operation_mut(&mut api, "remove").outcome.as_mut().unwrap();
        outcome.name = "Removal".into();
        outcome.variants = vec!["Gone".into(), "Later".into()];
        let text = group_text(&api);
        assert!(text.contains("pub enum Removal") && !text.contains("RemoveOutcome"), "{text}");
        assert!(text.contains("Removal :: Gone") && text.contains("Removal :: Later"), "{text}");
        assert!(
            text.contains("matches ! (status , 200 | 202)"),
            "the documented statuses are sent to runtime::send: {text}"
        );
    }

    #[test]
    fn pagination_and_its_page_size_come_from_the_ir() {
        let mut api = pets();
        // No page-size convention.
        let text = group_text(&api);
        assert!(text.contains("pub fn stream") && !text.contains("Set `per_page`"), "{text}");
        assert!(text.contains("| page : Vec < String > | page"), "the page type is the IR's: {text}");
        operation_mut(&mut api, "list").paginated.as_mut().unwrap().page_size = Some("per_page".into());
        assert!(group_text(&api).contains("Set `per_page` to fetch fewer, larger pages"));
        operation_mut(&mut api, "list").paginated = None;
        assert!(!group_text(&api).contains("pub fn stream"));
    }

    #[test]
    fn the_accessor_is_named_as_the_ir_says() {
        let mut api = pets();
        api.groups.get_mut("pets").unwrap().accessor = "animals".into();
        let text = group_text(&api);
        assert!(text.contains("pub fn animals (& self) -> Pets < '_ >"), "{text}");
        assert!(text.contains("[`Client::animals`](crate::Client::animals)"), "{text}");
    }

    #[test]
    fn only_a_builder_with_optional_parameters_says_to_set_them() {
        let text = group_text(&pets());
        assert!(
            text.contains("Request for [`Pets::list`]: set optional parameters, then call `send` (or `stream`"),
            "{text}"
        );
        assert!(text.contains("Request for [`Pets::remove`]: call `send`."), "{text}");
        // An undescribed parameter's setter says where it goes.
        assert!(text.contains("Sent as the `per_page` query parameter."), "{text}");
    }
}
