//! IR built by hand for emit's unit tests: small values with plain defaults that a test
//! changes where it needs to (struct update syntax), so an emit test reads the IR it
//! prints and fails only for an emit bug. Nothing here lowers a description or calls a
//! naming rule: every name is written out.

use crate::ir::*;

/// An API with these groups and nothing else: no types, server, examples or security
/// schemes, the plain flavor, and the examples module `examples`.
pub(super) fn api(groups: Vec<Group>) -> Api {
    Api {
        title: "t".to_owned(),
        version: "1".to_owned(),
        api_version: None,
        server: None,
        base_url: None,
        types: Default::default(),
        groups: groups.into_iter().map(|g| (g.module.clone(), g)).collect(),
        examples: Vec::new(),
        examples_module: "examples".to_owned(),
        inputs: Default::default(),
        flavor: Flavor::Plain,
        security: Vec::new(),
        releases: None,
    }
}

/// A group whose accessor is its module.
pub(super) fn group(module: &str, name: &str, operations: Vec<Operation>) -> Group {
    Group { module: module.to_owned(), accessor: module.to_owned(), name: name.to_owned(), operations }
}

/// A literal piece of a path.
pub(super) fn literal(text: &str) -> PathSegment {
    PathSegment::Literal(text.to_owned())
}

/// A `{wire}` placeholder filled by the path parameter named `param`.
pub(super) fn placeholder(wire: &str, param: &str) -> PathSegment {
    PathSegment::Param { wire: wire.to_owned(), param: param.to_owned() }
}

/// An operation with no parameters, body or responses: its id is `method_name`, its path
/// the template the segments spell, its mock's `…Sent` struct `{builder}Sent`.
pub(super) fn operation(method_name: &str, builder: &str, http_method: &str, segments: Vec<PathSegment>) -> Operation {
    let path = segments
        .iter()
        .map(|s| match s {
            PathSegment::Literal(text) => text.clone(),
            PathSegment::Param { wire, .. } => format!("{{{wire}}}"),
        })
        .collect();
    Operation {
        id: method_name.to_owned(),
        method_name: method_name.to_owned(),
        builder: builder.to_owned(),
        http_method: http_method.to_owned(),
        path,
        segments,
        query: Vec::new(),
        doc: None,
        docs_url: None,
        deprecated: false,
        params: Vec::new(),
        body: None,
        responses: Vec::new(),
        paginated: None,
        outcome: None,
        repeatable: false,
        conditional: http_method == "GET",
        sent: format!("{builder}Sent"),
        availability: None,
    }
}

/// A parameter written as text, required only in the path, with no mock setter.
pub(super) fn param(name: &str, wire: &str, location: ParamLocation, ty: TypeRef) -> Param {
    Param {
        name: name.to_owned(),
        wire: wire.to_owned(),
        location,
        ty,
        required: location == ParamLocation::Path,
        doc: None,
        deprecated: false,
        encoding: ParamEncoding::Text,
        mock_setter: None,
        availability: None,
    }
}

/// A documented response without a description; `status` `None` is `default`.
pub(super) fn response(status: Option<u16>, range: bool, kind: ResponseKind, respond: &str) -> ResponseCase {
    ResponseCase { status, range, kind, doc: None, respond: respond.to_owned() }
}

/// An optional field whose Rust name is its wire name.
pub(super) fn field(name: &str, ty: TypeRef) -> Field {
    Field {
        name: name.to_owned(),
        wire: name.to_owned(),
        ty,
        required: false,
        nullable: false,
        doc: None,
        deprecated: false,
        availability: None,
    }
}

/// An example of type `ty` that round-trips, with its mock function and golden test.
pub(super) fn example(pointer: &str, ty: TypeRef, function: &str, test: &str) -> Example {
    Example {
        pointer: pointer.to_owned(),
        ty,
        nullable: false,
        value: serde_json::Value::Null,
        expected_failure: None,
        function: Some(function.to_owned()),
        test: test.to_owned(),
    }
}

/// `TypeRef::Named(name)`.
pub(super) fn named(name: &str) -> TypeRef {
    TypeRef::Named(name.to_owned())
}
