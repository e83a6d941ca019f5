//! Lowering of operations: groups and names, parameters, bodies, responses and
//! pagination.

use super::context::{doc_text, Lowerer};
use crate::error::{Error, Lint};
use crate::input::document::{escape, unescape};
use crate::ir::*;
use crate::naming::{field_name, parse_path_template, respond, sent, split_path_key, type_name, Namer, PathPart};
use indexmap::IndexMap;
use openapiv3::{MediaType, Parameter, ParameterSchemaOrContent, ReferenceOr, SchemaKind, StatusCode, Type};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Names the generated operation code itself uses on a request builder.
const BUILDER_RESERVED: &[&str] = &["client", "request_body", "send", "stream", "into_request"];
/// Module names taken by the generated crate itself.
const MODULE_RESERVED: &[&str] =
    &["types", "runtime", "generated", "error", "client", "pagination", "response", "mock", "mocking"];
/// Methods a group accessor on `Client` must not take: `Client`'s own (public and
/// private), those of the traits it implements, and those of std's blanket traits, which
/// an inherent method of the same name would silently shadow (`client.clone()`).
const CLIENT_RESERVED: &[&str] = &[
    "builder",
    "base_url",
    "is_api_origin",
    "url_for",
    "execute",
    "send_once",
    "download_to",
    "download_to_file",
    "new",
    "clone",
    "clone_from",
    "clone_into",
    "fmt",
    "default",
    "eq",
    "ne",
    "to_owned",
    "to_string",
    "borrow",
    "borrow_mut",
    "into",
    "try_into",
    "from",
    "try_from",
    "type_id",
    "drop",
];
/// Crates the generated code names by path: a group module of the same name, glob
/// re-exported at the crate root, would make those paths ambiguous.
const CRATE_RESERVED: &[&str] = &[
    "std",
    "core",
    "alloc",
    "serde",
    "serde_json",
    "reqwest",
    "bytes",
    "futures_util",
    "chrono",
    "tokio",
    "url",
    "percent_encoding",
];

impl<'a> Lowerer<'a> {
    pub(super) fn operations(&mut self) -> Result<BTreeMap<String, Group>, Error> {
        struct Found<'o> {
            id: String,
            group: String,
            short: String,
            method: &'o str,
            path: &'o str,
            pointer: String,
            op: &'o openapiv3::Operation,
            item: &'o openapiv3::PathItem,
        }
        let doc = self.doc;
        let mut found: Vec<Found<'a>> = Vec::new();
        let mut ids: BTreeMap<String, String> = BTreeMap::new();
        for (path, item) in doc.paths.iter() {
            let path_pointer = format!("#/paths/{}", escape(path));
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    self.warn(Lint::Ignored, &path_pointer, "path item `$ref` is not supported; path skipped");
                    continue;
                }
            };
            for (method, op) in item.iter() {
                let pointer = format!("{path_pointer}/{method}");
                let id = op.operation_id.clone().unwrap_or_else(|| format!("{method}{}", path.replace(['{', '}'], "")));
                let id = match ids.get(&id) {
                    None => id,
                    Some(first) => {
                        // Invalid, but real documents do it: the later one gets a numbered id.
                        let first = first.clone();
                        let unique =
                            (2..).map(|n| format!("{id}-{n}")).find(|c| !ids.contains_key(c)).unwrap_or_default();
                        self.warn(
                            Lint::NonStandard,
                            &pointer,
                            format!("operationId \"{id}\" is already used at {first}; generated as \"{unique}\""),
                        );
                        unique
                    }
                };
                ids.insert(id.clone(), pointer.clone());
                let (group, short) = match id.split_once('/') {
                    Some((g, s)) if !g.is_empty() && !s.is_empty() => (g.to_owned(), s.to_owned()),
                    _ => (op.tags.first().cloned().unwrap_or_else(|| "default".into()), id.clone()),
                };
                found.push(Found { id, group, short, method, path, pointer, op, item });
            }
        }
        found.sort_by(|a, b| a.id.cmp(&b.id));

        let mut modules =
            Namer::with_reserved(MODULE_RESERVED.iter().chain(CLIENT_RESERVED).chain(CRATE_RESERVED).copied());
        let mut groups: BTreeMap<String, (Group, Namer, Namer)> = BTreeMap::new();
        let mut group_modules: BTreeMap<String, String> = BTreeMap::new();
        for f in found {
            let module =
                group_modules.entry(f.group.clone()).or_insert_with(|| modules.claim(field_name(&f.group))).clone();
            let (group, methods, builders) = groups.entry(module.clone()).or_insert_with(|| {
                let name = type_name(&f.group);
                (
                    // The accessor is named as its module: `modules` keeps both off `Client`'s methods.
                    Group {
                        module: module.clone(),
                        accessor: module.clone(),
                        name: name.clone(),
                        operations: Vec::new(),
                    },
                    Namer::default(),
                    Namer::with_reserved([name.as_str()]),
                )
            });
            let method_name = methods.claim(field_name(&f.short));
            // The builder is named after its operation; when that name is taken (by the
            // group's accessor, or another operation's builder or outcome), the first free
            // numbered form, in operation order: unique and deterministic, never refused.
            let base = type_name(&f.short);
            let builder = (1..)
                .map(|n| if n == 1 { base.clone() } else { crate::naming::numbered(&base, n) })
                .find(|b| !builders.contains(b) && !builders.contains(&crate::naming::outcome_type(b)))
                .unwrap_or(base);
            builders.claim(builder.clone());
            builders.claim(crate::naming::outcome_type(&builder));
            let operation = self.operation(f.id, method_name, builder, f.method, f.path, &f.pointer, f.op, f.item)?;
            group.operations.push(operation);
        }
        Ok(groups
            .into_values()
            .map(|(mut g, _, _)| {
                g.operations.sort_by(|a, b| a.method_name.cmp(&b.method_name));
                let builders: Vec<String> = g.operations.iter().map(|op| op.builder.clone()).collect();
                let mut names = Namer::with_reserved(builders.iter().map(String::as_str));
                for op in &mut g.operations {
                    op.sent = names.claim(sent(&op.builder));
                }
                (g.module.clone(), g)
            })
            .collect())
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn operation(
        &mut self,
        id: String,
        method_name: String,
        builder: String,
        method: &str,
        path: &str,
        pointer: &str,
        op: &'a openapiv3::Operation,
        item: &'a openapiv3::PathItem,
    ) -> Result<Operation, Error> {
        // A query string in the path key (`/rides?page={page}`) is not part of the template.
        let key = split_path_key(path);
        // The literal query pairs are not part of the template; they hold no braces.
        let (route, literal_query) = key.template.split_once('?').unwrap_or((key.template.as_str(), ""));
        let template = parse_path_template(route).ok_or_else(|| Error::PathParameter {
            pointer: format!("#/paths/{}", escape(path)),
            message: format!("path template `{path}` has unbalanced braces"),
        })?;

        // Path-level parameters first, then the operation's, which replace same-named ones.
        let mut declared: Vec<Option<(&'a Parameter, String)>> = Vec::new();
        let mut position: HashMap<(String, &'static str), usize> = HashMap::new();
        let lists = [
            (&item.parameters, format!("#/paths/{}/parameters", escape(path))),
            (&op.parameters, format!("{pointer}/parameters")),
        ];
        for (list, list_pointer) in lists {
            let mut seen: BTreeSet<(String, &'static str)> = BTreeSet::new();
            for (i, p) in list.iter().enumerate() {
                let (param, at) = self.resolve("parameters", |c| &c.parameters, p, format!("{list_pointer}/{i}"))?;
                let data = param.parameter_data_ref();
                let key = (data.name.clone(), location_name(param));
                if !seen.insert(key.clone()) {
                    return Err(Error::DuplicateParameter {
                        pointer: format!("{list_pointer}/{i}"),
                        name: key.0,
                        location: key.1.into(),
                    });
                }
                if let Some(replaced) = position.insert(key, declared.len()) {
                    declared[replaced] = None;
                }
                declared.push(Some((param, at)));
            }
        }
        let declared: Vec<(&'a Parameter, String)> = declared.into_iter().flatten().collect();
        let template_params: Vec<&str> =
            template.iter().filter_map(|p| if let PathPart::Param(n) = p { Some(*n) } else { None }).collect();
        // Position of each name in the template (the first, if a name repeats).
        let mut template_rank: HashMap<&str, usize> = HashMap::new();
        for (i, name) in template_params.iter().enumerate() {
            template_rank.entry(name).or_insert(i);
        }
        for name in &template_params {
            if !position.contains_key(&((*name).to_owned(), "path")) {
                return Err(Error::PathParameter {
                    pointer: pointer.to_owned(),
                    message: format!("path template has `{{{name}}}` but no `in: path` parameter declares it"),
                });
            }
        }

        let mut namer = Namer::with_reserved(BUILDER_RESERVED.iter().copied());
        let mut params = Vec::new();
        for (param, at) in &declared {
            let data = param.parameter_data_ref();
            let in_key_query = key.query_params.iter().find(|(_, name)| *name == data.name);
            let location = match param {
                // Declared `in: path` but placed in the key's query string: a query parameter.
                Parameter::Path { .. } if !template_params.contains(&data.name.as_str()) && in_key_query.is_some() => {
                    ParamLocation::Query
                }
                Parameter::Path { .. } => {
                    if !template_rank.contains_key(data.name.as_str()) {
                        return Err(Error::PathParameter {
                            pointer: at.clone(),
                            message: format!("path parameter `{}` does not appear in the template `{path}`", data.name),
                        });
                    }
                    ParamLocation::Path
                }
                Parameter::Query { .. } => ParamLocation::Query,
                Parameter::Header { .. } => ParamLocation::Header,
                Parameter::Cookie { .. } => ParamLocation::Cookie,
            };
            let hint = match at.strip_prefix("#/components/parameters/") {
                Some(key) => unescape(key).into_owned(),
                None => crate::naming::child_name(&builder, &data.name),
            };
            let ty = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    let ty = self.schema_type(schema, &hint, &format!("{at}/schema"))?.ty;
                    // An array in `style: simple` (the default) is its elements joined by commas.
                    let simple_list = match (&ty, param) {
                        (TypeRef::Vec(inner), Parameter::Path { style, .. }) => {
                            matches!(style, openapiv3::PathStyle::Simple) && self.displays(inner)
                        }
                        _ => false,
                    };
                    if location == ParamLocation::Path && !self.displays(&ty) && !simple_list {
                        self.warn(
                            Lint::UnsupportedSchema,
                            at,
                            "a path parameter must be a scalar, an enum or a union of those; sent as a string",
                        );
                        TypeRef::String
                    } else {
                        ty
                    }
                }
                ParameterSchemaOrContent::Content(_) => {
                    self.warn(Lint::UnsupportedSchema, at, "parameter `content` is not supported; sent as a string");
                    TypeRef::String
                }
            };
            let wire = match (param, in_key_query) {
                (Parameter::Path { .. }, Some((wire, _))) if location == ParamLocation::Query => wire.clone(),
                _ => data.name.clone(),
            };
            params.push(Param {
                name: namer.claim(field_name(&data.name)),
                wire,
                location,
                ty,
                required: data.required || location == ParamLocation::Path,
                doc: doc_text(None, data.description.as_deref()),
                deprecated: data.deprecated.unwrap_or(false),
                // Decided once the types are final (`text::record`).
                encoding: ParamEncoding::default(),
                // Named once the operation's responses are known (`mocks::name`).
                mock_setter: None,
                availability: self.parameter_availability(pointer, location_name(param), &data.name)?,
            });
        }
        for (_, name) in &key.query_params {
            if !declared.iter().any(|(p, _)| p.parameter_data_ref().name == *name) {
                self.warn(
                    Lint::Ignored,
                    pointer,
                    format!("`{{{name}}}` in the query string of the path key has no parameter; left out"),
                );
            }
        }
        params.sort_by(|a, b| {
            let rank = |p: &Param| template_rank.get(p.wire.as_str()).copied().unwrap_or(usize::MAX);
            (a.location, rank(a), &a.name).cmp(&(b.location, rank(b), &b.name))
        });

        let body = match &op.request_body {
            None => None,
            Some(body) => {
                let (body, at) =
                    self.resolve("requestBodies", |c| &c.request_bodies, body, format!("{pointer}/requestBody"))?;
                self.body(body, &at, &builder)?.map(|mut body| {
                    body.setters = match &body.fields {
                        Some(fields) => fields.iter().map(|f| namer.claim(f.name.clone())).collect(),
                        None => vec![namer.claim("body".into())],
                    };
                    body
                })
            }
        };

        let mut responses = Vec::new();
        let success_json = op
            .responses
            .responses
            .iter()
            .filter(|(s, _)| {
                matches!(s, StatusCode::Code(c) if (200..300).contains(c)) || matches!(s, StatusCode::Range(2))
            })
            .count();
        for (status, response) in &op.responses.responses {
            // A range (`2XX`) is its hundred's first status, matching the whole hundred.
            let (code, range, label) = match status {
                StatusCode::Code(code) => (*code, false, code.to_string()),
                StatusCode::Range(range) if (1..=5).contains(range) => (*range * 100, true, format!("{range}XX")),
                StatusCode::Range(range) => {
                    self.warn(
                        Lint::Ignored,
                        &format!("{pointer}/responses/{range}XX"),
                        "a status range outside 1XX-5XX; response skipped",
                    );
                    continue;
                }
            };
            let response_pointer = format!("{pointer}/responses/{label}");
            let (response, at) = self.resolve("responses", |c| &c.responses, response, response_pointer)?;
            let hint =
                if success_json > 1 { format!("{builder}Response{label}") } else { format!("{builder}Response") };
            let kind = self.response_kind(Some(code), response, &at, &hint)?;
            responses.push(ResponseCase {
                status: Some(code),
                range,
                kind,
                doc: doc_text(None, Some(&response.description)),
                respond: respond(Some(code), range),
            });
        }
        if let Some(response) = &op.responses.default {
            let (response, at) =
                self.resolve("responses", |c| &c.responses, response, format!("{pointer}/responses/default"))?;
            let kind = self.response_kind(None, response, &at, &format!("{builder}Default"))?;
            responses.push(ResponseCase {
                status: None,
                range: false,
                kind,
                doc: doc_text(None, Some(&response.description)),
                respond: respond(None, false),
            });
        }
        // Exact statuses before the range of their hundred, so `send` matches them first.
        responses
            .sort_by_key(|r| (r.status.map_or(u32::MAX, |s| u32::from(s) + if r.range { 99 } else { 0 }), r.range));

        // Each placeholder is filled by the first path parameter of its wire name.
        let mut by_wire: HashMap<&str, &str> = HashMap::new();
        for p in params.iter().filter(|p| p.location == ParamLocation::Path) {
            by_wire.entry(p.wire.as_str()).or_insert(p.name.as_str());
        }
        let segments = template
            .iter()
            .map(|part| match part {
                PathPart::Literal(text) => PathSegment::Literal((*text).to_owned()),
                PathPart::Param(wire) => {
                    let param = by_wire.get(wire).map(|name| (*name).to_owned()).unwrap_or_default();
                    PathSegment::Param { wire: (*wire).to_owned(), param }
                }
            })
            .collect();
        let query = literal_query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| match pair.split_once('=') {
                Some((key, value)) => (key.to_owned(), Some(value.to_owned())),
                None => (pair.to_owned(), None),
            })
            .collect();

        let paginated = self.pagination(op, &responses)?;
        let mut operation = Operation {
            id,
            method_name,
            builder,
            http_method: method.to_ascii_uppercase(),
            path: key.template.clone(),
            segments,
            query,
            doc: doc_text(op.summary.as_deref(), op.description.as_deref()),
            docs_url: op.external_docs.as_ref().map(|d| d.url.clone()),
            deprecated: op.deprecated,
            params,
            body,
            responses,
            paginated,
            outcome: None,
            repeatable: false,
            // Decided with the mocks' names (`mocks::name`).
            conditional: false,
            // Named once the group's operations are sorted (`operations`).
            sent: String::new(),
            availability: self.availability_at(pointer)?,
        };
        operation.outcome = crate::naming::outcome(&operation);
        Ok(operation)
    }

    /// Whether values of `ty` can be written as text (have `Display`), as a path segment must.
    pub(super) fn displays(&self, ty: &TypeRef) -> bool {
        super::text::displays(&self.types, ty)
    }

    pub(super) fn body(
        &mut self,
        body: &'a openapiv3::RequestBody,
        pointer: &str,
        builder: &str,
    ) -> Result<Option<Body>, Error> {
        let Some((media_type, media)) = pick_media(&body.content) else {
            return Ok(None);
        };
        let media_pointer = format!("{pointer}/content/{}", escape(media_type));
        let encoding = if is_json(media_type) {
            BodyEncoding::Json
        } else if media_type == "application/x-www-form-urlencoded" {
            BodyEncoding::Form
        } else if media_type == "multipart/form-data" && media.schema.is_some() {
            BodyEncoding::Multipart
        } else {
            // Bytes as given are the mapping of a body whose schema is a string (a token, a
            // binary payload) whatever its media type; structured content loses its type.
            let opaque = match &media.schema {
                Some(schema) => self
                    .resolve_schema(schema, &media_pointer)
                    .is_ok_and(|(s, _)| matches!(s.schema_kind, SchemaKind::Type(Type::String(_)))),
                None => false,
            };
            if !is_raw(media_type) && !opaque {
                self.warn(Lint::UnsupportedMediaType, &media_pointer, "sent as raw bytes");
            }
            BodyEncoding::Raw
        };
        let (ty, nullable) = match (&media.schema, encoding) {
            (_, BodyEncoding::Raw) => (TypeRef::Bytes, false),
            (Some(schema), _) => {
                let lowered =
                    self.schema_type(schema, &format!("{builder}Request"), &format!("{media_pointer}/schema"))?;
                (lowered.ty, lowered.nullable)
            }
            (None, _) => (TypeRef::Json, false),
        };
        let struct_fields = |ty: &TypeRef| match ty {
            TypeRef::Named(name) => match self.types.get(name).map(|t| &t.kind) {
                Some(TypeKind::Struct(s)) if !s.fields.is_empty() && s.additional.is_none() => Some(s.fields.clone()),
                _ => None,
            },
            _ => None,
        };
        if encoding == BodyEncoding::Multipart && struct_fields(&ty).is_none() {
            // A form whose parts are not the fields of one object has no typed mapping.
            self.warn(
                Lint::UnsupportedMediaType,
                &media_pointer,
                "a multipart body whose schema is not an object with properties; sent as raw bytes",
            );
            return Ok(Some(Body {
                media_type: media_type.to_owned(),
                encoding: BodyEncoding::Raw,
                required: body.required,
                ty: TypeRef::Bytes,
                fields: None,
                setters: Vec::new(),
            }));
        }
        if encoding != BodyEncoding::Raw {
            self.media_examples(media, &media_pointer, &ty, nullable)?;
        }
        let fields = match &ty {
            TypeRef::Named(name) => match self.types.get(name).map(|t| &t.kind) {
                Some(TypeKind::Struct(s)) if !s.fields.is_empty() && s.additional.is_none() => Some(s.fields.clone()),
                _ => None,
            },
            _ => None,
        };
        Ok(Some(Body {
            media_type: media_type.to_owned(),
            encoding,
            required: body.required,
            ty,
            fields,
            setters: Vec::new(),
        }))
    }

    pub(super) fn response_kind(
        &mut self,
        code: Option<u16>,
        response: &'a openapiv3::Response,
        pointer: &str,
        hint: &str,
    ) -> Result<ResponseKind, Error> {
        // Headers are not typed (the runtime reads `Link`, `Location` and the rate-limit
        // headers itself), but their `$ref`s must resolve like any other.
        for (name, header) in &response.headers {
            let at = format!("{pointer}/headers/{}", escape(name));
            self.resolve("headers", |c| &c.headers, header, at)?;
        }
        let success = code.is_some_and(|c| (200..400).contains(&c));
        if matches!(code, Some(301 | 302 | 303 | 307 | 308)) {
            return Ok(ResponseKind::Redirect);
        }
        let Some((media_type, media)) = pick_media(&response.content) else {
            return Ok(ResponseKind::Empty);
        };
        if code == Some(204) || code == Some(304) {
            return Ok(ResponseKind::Empty);
        }
        let media_pointer = format!("{pointer}/content/{}", escape(media_type));
        if !is_json(media_type) {
            return Ok(if media_type.starts_with("text/") { ResponseKind::Text } else { ResponseKind::Bytes });
        }
        if !success {
            // Error bodies are decoded by the runtime's error type.
            return Ok(ResponseKind::Json(TypeRef::Json));
        }
        let (ty, nullable) = match &media.schema {
            Some(schema) => {
                let lowered = self.schema_type(schema, hint, &format!("{media_pointer}/schema"))?;
                (lowered.ty, lowered.nullable)
            }
            None => (TypeRef::Json, false),
        };
        self.media_examples(media, &media_pointer, &ty, nullable)?;
        Ok(ResponseKind::Json(ty))
    }

    pub(super) fn media_examples(
        &mut self,
        media: &'a MediaType,
        pointer: &str,
        ty: &TypeRef,
        nullable: bool,
    ) -> Result<(), Error> {
        if media.example.is_some() {
            self.add_example(format!("{pointer}/example"), ty, nullable);
        }
        for (name, example) in &media.examples {
            let at = format!("{pointer}/examples/{}", escape(name));
            let (example, at) = self.resolve("examples", |c| &c.examples, example, at)?;
            let at = format!("{at}/value");
            match &example.value {
                Some(_) => self.add_example(at, ty, nullable),
                None => {
                    if let Some(serde_json::Value::Null) = crate::input::document::resolve(self.raw, &at) {
                        self.add_example(at, ty, nullable);
                    }
                }
            }
        }
        Ok(())
    }

    pub(super) fn pagination(
        &mut self,
        op: &'a openapiv3::Operation,
        responses: &[ResponseCase],
    ) -> Result<Option<Pagination>, Error> {
        // A list the description says comes with a `Link` header; what else a flavor's
        // convention asks for is `flavor::apply`'s to check.
        let Some(ok) = op.responses.responses.get(&StatusCode::Code(200)) else {
            return Ok(None);
        };
        let (response, _) = self.resolve("responses", |c| &c.responses, ok, String::new())?;
        if !response.headers.keys().any(|h| h.eq_ignore_ascii_case("link")) {
            return Ok(None);
        }
        let Some(ResponseKind::Json(ty)) = responses.iter().find(|r| r.status == Some(200)).map(|r| &r.kind) else {
            return Ok(None);
        };
        Ok(match ty {
            TypeRef::Vec(item) => {
                Some(Pagination { page: ty.clone(), item: (**item).clone(), field: None, page_size: None })
            }
            TypeRef::Named(name) => match self.types.get(name).map(|t| &t.kind) {
                Some(TypeKind::Struct(s)) => {
                    let lists: Vec<&Field> =
                        s.fields.iter().filter(|f| matches!(f.ty, TypeRef::Vec(_)) && !f.optional()).collect();
                    match lists.as_slice() {
                        [only] => match &only.ty {
                            TypeRef::Vec(item) => Some(Pagination {
                                page: ty.clone(),
                                item: (**item).clone(),
                                field: Some(only.name.clone()),
                                page_size: None,
                            }),
                            _ => None,
                        },
                        _ => None,
                    }
                }
                _ => None,
            },
            _ => None,
        })
    }
}

pub(super) fn location_name(param: &Parameter) -> &'static str {
    match param {
        Parameter::Path { .. } => "path",
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Cookie { .. } => "cookie",
    }
}

pub(super) fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json") || essence == "application/scim+json"
}

/// Media types whose content is bytes as they are (files, images, archives, text): sending
/// them as given is their typed mapping.
pub(super) fn is_raw(media_type: &str) -> bool {
    let binary_families = ["text/", "image/", "audio/", "video/", "font/"];
    let binary_types = [
        "application/octet-stream",
        "*/*",
        "application/zip",
        "application/pdf",
        "application/gzip",
        "application/x-gzip",
        "application/x-tar",
        "application/wasm",
    ];
    binary_families.iter().any(|f| media_type.starts_with(f)) || binary_types.iter().any(|t| media_type.starts_with(t))
}

/// Chooses the media type to use: JSON first, then form, then whatever comes first.
pub(super) fn pick_media(content: &IndexMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    content
        .iter()
        .find(|(k, _)| k.as_str() == "application/json")
        .or_else(|| content.iter().find(|(k, _)| is_json(k)))
        .or_else(|| content.iter().find(|(k, _)| k.as_str() == "application/x-www-form-urlencoded"))
        .or_else(|| content.iter().find(|(k, _)| k.as_str() == "multipart/form-data"))
        .or_else(|| content.first())
        .map(|(k, v)| (k.as_str(), v))
}
