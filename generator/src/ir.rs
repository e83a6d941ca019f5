//! The intermediate representation between the OpenAPI document and emitted Rust.
//!
//! Everything here is plain data, already named with Rust identifiers and sorted, so
//! that the emit stage never sees `openapiv3` types and output order never depends on
//! hash order or on how the document happened to be written.

use std::collections::{BTreeMap, BTreeSet};

/// A whole API, lowered and ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title` of the document.
    pub title: String,
    /// `info.version` of the document.
    pub version: String,
    /// The REST API version a client sends (`info.x-api-version`, a fleet slice's), when
    /// the description names one: the generated code hands it to the runtime.
    pub api_version: Option<String>,
    /// The first server URL template, e.g. `{protocol}://{hostname}/api/v3`.
    pub server: Option<Server>,
    /// The base URL a client uses unless told otherwise, when the description names a
    /// fixed one (`flavor::default_base_url`). A GitHub-flavored client uses the runtime's
    /// own instead.
    pub base_url: Option<String>,
    /// Every named type, keyed by its Rust name.
    pub types: BTreeMap<String, TypeDef>,
    /// Operations grouped by the prefix of their `operationId` (`actions/...` -> `actions`).
    pub groups: BTreeMap<String, Group>,
    /// Examples found in the document, for golden tests.
    pub examples: Vec<Example>,
    /// The mocks' module of the description's examples (`naming::examples_module`:
    /// `examples`, unless an operation group has that module name).
    pub examples_module: String,
    /// Structs that callers build (reachable from a request body or parameter): they get
    /// a `new` constructor taking the fields that must be given, and `with_` setters.
    pub inputs: BTreeSet<String>,
    /// Whose conventions the API follows beyond what the description says.
    pub flavor: Flavor,
    /// The description's security schemes (`components.securitySchemes`), sorted by
    /// key: each a setter on `ClientBuilder`.
    pub security: Vec<SecurityScheme>,
    /// The releases a fleet description covers (its `x-releases`), `None` for a
    /// description of one server.
    pub releases: Option<Releases>,
}

/// The releases of a fleet description (`generator::fleet`), in the order its docs list them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Releases {
    /// The id of the release the description's text comes from.
    pub primary: String,
    /// The response header by which a server names its release.
    pub header: Option<String>,
    /// The REST API version the description is for.
    pub api_version: Option<String>,
    /// The releases.
    pub list: Vec<ReleaseInfo>,
}

/// One release of a fleet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReleaseInfo {
    /// Its id, as the availability annotations name it.
    pub id: String,
    /// Its name for people (`GitHub Enterprise Server 3.15`).
    pub name: String,
    /// Its family, for a run of versions of one product.
    pub family: Option<String>,
    /// Its version inside the family.
    pub version: Option<String>,
    /// What its servers send in the release header.
    pub header_value: Option<String>,
    /// Its variant of the generated `Release` enum (`naming::release_variants`).
    pub variant: String,
}

/// Where an operation, parameter or field exists, when not every release of a fleet
/// has it (`None` on the item means everywhere).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Availability {
    /// The positions in `Releases::list` of the releases that have it, ascending.
    pub releases: Vec<usize>,
    /// The same for people: `Server 3.15 and later, Cloud`.
    pub text: String,
}

/// A security scheme of the description, offered as a setter on `ClientBuilder`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityScheme {
    /// Its key in `components.securitySchemes`.
    pub key: String,
    /// The setter's name: from the key, unique among the builder's methods.
    pub setter: String,
    /// The scheme's `description`.
    pub description: Option<String>,
    /// How the credential is sent.
    pub kind: SchemeKind,
}

/// How a security scheme sends its credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// `Authorization: Bearer <token>`: `http` `bearer`, `oauth2` and `openIdConnect`.
    Bearer,
    /// `Authorization: Basic ...` of a user name and password: `http` `basic`.
    Basic,
    /// `Authorization: <scheme> <credentials>`: another `http` scheme.
    Http(String),
    /// An `apiKey` in the header of this name.
    Header(String),
    /// An `apiKey` in the query parameter of this name.
    Query(String),
    /// An `apiKey` in the cookie of this name.
    Cookie(String),
}

/// Conventions an API follows that its description does not spell out, chosen from the
/// description (see `flavor::detect`) or set in the overrides file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Flavor {
    /// Only what the description says: no default server unless it names a fixed one,
    /// `Accept: application/json`, error bodies kept as text, pagination where a list
    /// response declares a `Link` header.
    #[default]
    Plain,
    /// GitHub's REST API: `api.github.com` by default (or an Enterprise Server), its media
    /// type and API-version headers, its error body and request id, and pagination of
    /// lists that take a `page` parameter and answer with a `Link` header.
    GitHub,
}

/// A server URL template with its variables.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// The URL template.
    pub url: String,
    /// Variables as (name, default, description), in template order.
    pub variables: Vec<(String, String, Option<String>)>,
}

/// A named type definition.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Rust name, `UpperCamelCase`.
    pub name: String,
    /// Doc comment text.
    pub doc: Option<String>,
    /// JSON pointer of the schema this type came from.
    pub pointer: String,
    /// Whether the schema is deprecated.
    pub deprecated: bool,
    /// The shape of the type.
    pub kind: TypeKind,
    /// The impls it gets beyond its shape, decided in lowering.
    pub impls: Impls,
}

/// The impls a type gets beyond those of its shape.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Impls {
    /// A union: `Display`, because every variant has it.
    pub display: bool,
    /// A union: the variants (by index) that get `From` their payload type (and `From<&str>`
    /// when that is `String`): those whose payload type no other variant has.
    pub from: Vec<usize>,
    /// A union decoded by matching an object's keys: for each variant, the struct whose
    /// `PROPERTIES` it is matched by (`None` for a variant that is no object). Empty when
    /// the union is decoded by trying its variants in order.
    pub keyed: Vec<Option<String>>,
    /// A struct: lists its property names on the wire (`PROPERTIES`), for a union that
    /// decodes by keys.
    pub properties: bool,
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// A string enumeration that keeps unknown values.
    Enum(StringEnum),
    /// `oneOf` / `anyOf`: one of several shapes, tried in order.
    Union(Vec<Variant>),
    /// A named alias of another type (`type Foo = Vec<Bar>`).
    Alias(TypeRef),
    /// A transparent wrapper (`struct Foo(Vec<Foo>)`): an alias that refers to itself,
    /// which `type` cannot express.
    Newtype(TypeRef),
}

/// An object type.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// Fields in document order.
    pub fields: Vec<Field>,
    /// `additionalProperties` with a schema (or `true`): kept in a flattened map.
    pub additional: Option<TypeRef>,
    /// An object with no properties at all that also accepts `null` on the wire.
    pub empty: bool,
    /// For a struct callers build (`Api::inputs`): the `with_` setter of each field, in
    /// field order (`naming::setter`, unique among the fields), `None` for a field given
    /// to `new`. Empty for other structs.
    pub setters: Vec<Option<String>>,
}

/// One property of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Rust field name, `snake_case`.
    pub name: String,
    /// Name on the wire.
    pub wire: String,
    /// Rust type without the outer `Option`.
    pub ty: TypeRef,
    /// Listed in `required`.
    pub required: bool,
    /// `nullable` (on the property or on the schema it refers to).
    pub nullable: bool,
    /// Doc comment text.
    pub doc: Option<String>,
    /// Whether the property is deprecated.
    pub deprecated: bool,
    /// The releases that have the property, when not every release having the object does.
    pub availability: Option<Availability>,
}

impl Field {
    /// Whether the Rust type is wrapped in `Option`.
    pub fn optional(&self) -> bool {
        !self.required || self.nullable
    }

    /// Whether a caller building this object must give the field up front (a constructor
    /// or request-builder argument) rather than set it afterwards.
    pub fn is_argument(&self) -> bool {
        self.required && !self.nullable
    }
}

/// A string enumeration.
#[derive(Debug, Clone, PartialEq)]
pub struct StringEnum {
    /// Variants as (Rust name, wire value), in document order.
    pub variants: Vec<(String, String)>,
    /// Each variant's docs, in variant order (a 3.1 enumeration written as `const`
    /// members documents its values); empty when no variant has any.
    pub docs: Vec<Option<String>>,
}

/// One alternative of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// Rust variant name.
    pub name: String,
    /// Payload type.
    pub ty: TypeRef,
}

/// A reference to a Rust type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    /// `bool`
    Bool,
    /// `i32`
    I32,
    /// `i64`
    I64,
    /// `f64`
    F64,
    /// `String`
    String,
    /// A timestamp (`format: date-time`).
    DateTime,
    /// Any JSON value.
    Json,
    /// Raw bytes (non-JSON media types).
    Bytes,
    /// Binary content in a schema (`format: binary`): a file in a multipart body.
    Binary,
    /// A named type in `types`.
    Named(String),
    /// `Vec<T>`
    Vec(Box<TypeRef>),
    /// An ordered map from string keys to `T`.
    Map(Box<TypeRef>),
    /// `Box<T>`, to break recursion.
    Boxed(Box<TypeRef>),
    /// `i8` (`format: int8`)
    I8,
    /// `i16` (`format: int16`)
    I16,
    /// `u8` (`format: uint8`)
    U8,
    /// `u16` (`format: uint16`)
    U16,
    /// `u32` (`format: uint32`)
    U32,
    /// `u64` (`format: uint64`)
    U64,
    /// A tuple `(A, B, ...)`: an array of fixed length whose items each have their own
    /// type (JSON Schema's `prefixItems`); only of types that name no other type.
    Tuple(Vec<TypeRef>),
}

impl std::fmt::Display for TypeRef {
    /// The type as a reader of the generated code sees it (`Vec<WorkflowRun>`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TypeRef::Bool => f.write_str("bool"),
            TypeRef::I32 => f.write_str("i32"),
            TypeRef::I64 => f.write_str("i64"),
            TypeRef::F64 => f.write_str("f64"),
            TypeRef::String => f.write_str("String"),
            TypeRef::DateTime => f.write_str("DateTime"),
            TypeRef::Json => f.write_str("serde_json::Value"),
            TypeRef::Bytes => f.write_str("Bytes"),
            TypeRef::Binary => f.write_str("Binary"),
            TypeRef::Named(name) => f.write_str(name),
            TypeRef::Vec(inner) => write!(f, "Vec<{inner}>"),
            TypeRef::Map(inner) => write!(f, "BTreeMap<String, {inner}>"),
            TypeRef::Boxed(inner) => write!(f, "Box<{inner}>"),
            TypeRef::I8 => f.write_str("i8"),
            TypeRef::I16 => f.write_str("i16"),
            TypeRef::U8 => f.write_str("u8"),
            TypeRef::U16 => f.write_str("u16"),
            TypeRef::U32 => f.write_str("u32"),
            TypeRef::U64 => f.write_str("u64"),
            TypeRef::Tuple(items) => {
                f.write_str("(")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str(")")
            }
        }
    }
}

/// Operations that share an `operationId` prefix.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Module name, `snake_case`.
    pub module: String,
    /// The method on `Client` that returns the group (`client.actions()`): named as its
    /// module, which lowering keeps off `Client`'s own methods.
    pub accessor: String,
    /// Accessor struct name, `UpperCamelCase`.
    pub name: String,
    /// Operations sorted by method name.
    pub operations: Vec<Operation>,
}

/// One HTTP operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The `operationId` as written in the document.
    pub id: String,
    /// Method on the group accessor, `snake_case`.
    pub method_name: String,
    /// Request builder struct name, `UpperCamelCase`.
    pub builder: String,
    /// HTTP method, upper case.
    pub http_method: String,
    /// Path template as written, e.g. `/repos/{owner}/{repo}`, with the literal query
    /// pairs of the path key (`/rides?sort=asc`).
    pub path: String,
    /// The path part of `path` (before any `?`), parsed once: literals and parameters,
    /// in order.
    pub segments: Vec<PathSegment>,
    /// The literal query pairs of the path key (`sort=asc` in `/rides?sort=asc`), in
    /// order: each key and, when it has one, its value.
    pub query: Vec<(String, Option<String>)>,
    /// Summary and description, for the doc comment.
    pub doc: Option<String>,
    /// Link to the reference documentation.
    pub docs_url: Option<String>,
    /// Whether the operation is deprecated.
    pub deprecated: bool,
    /// Parameters: path ones first in template order, then the rest sorted by name.
    pub params: Vec<Param>,
    /// The request body, if any.
    pub body: Option<Body>,
    /// Documented responses, sorted by status.
    pub responses: Vec<ResponseCase>,
    /// Whether the operation is paginated (a list with a `Link` header, and what its
    /// flavor asks for besides).
    pub paginated: Option<Pagination>,
    /// The names of the outcome enum `send` returns when the documented successes have
    /// different bodies (`naming::outcome`, set in lowering); `None` otherwise. Emission
    /// and the public-API summary read these names and make none.
    pub outcome: Option<Outcome>,
    /// Whether a `POST` (or `PATCH`) may be sent again after a rate limit or a server
    /// error, because repeating it has no further effect: the flavor's list
    /// (`flavor::REPEATABLE`). A client retries these only when asked to.
    pub repeatable: bool,
    /// Whether a client with a response cache sends the operation's requests
    /// conditionally (a `GET`): its mock then matches `If-None-Match`, answers with an
    /// `ETag` and answers `304`.
    pub conditional: bool,
    /// The mock's struct of what one request sent (`naming::sent`), unique among the
    /// group's builders and the other such structs.
    pub sent: String,
    /// The releases that have the operation, when not every release does.
    pub availability: Option<Availability>,
}

/// One piece of an operation's path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// Literal text, sent as is.
    Literal(String),
    /// A `{wire}` placeholder, filled from the path parameter whose Rust name is `param`.
    Param {
        /// The name inside the braces.
        wire: String,
        /// The Rust name of the parameter that fills it (the first declared with that
        /// wire name).
        param: String,
    },
}

/// The enum of an operation's documented successes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// The enum's name, `{builder}Outcome`.
    pub name: String,
    /// One variant name per documented success, in status order (`Ok`, `Accepted`...).
    pub variants: Vec<String>,
}

/// How a paginated list response holds its items.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Type of one page: the body of the `200` response.
    pub page: TypeRef,
    /// Type of one item.
    pub item: TypeRef,
    /// Field holding the items in the wrapper object, or `None` when the body is an array.
    pub field: Option<String>,
    /// The query parameter that sets the page size, when the flavor knows one (GitHub's
    /// `per_page`).
    pub page_size: Option<String>,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    /// A path segment.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie, sent in the `Cookie` header.
    Cookie,
}

/// One parameter of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Rust name, `snake_case`.
    pub name: String,
    /// Name on the wire.
    pub wire: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Rust type.
    pub ty: TypeRef,
    /// Whether the caller must give it.
    pub required: bool,
    /// Doc comment text.
    pub doc: Option<String>,
    /// Whether the parameter is deprecated.
    pub deprecated: bool,
    /// How its value is written on the wire.
    pub encoding: ParamEncoding,
    /// The operation mock's setter that matches the parameter (`naming::mock_setters`):
    /// `Some` for query and header parameters, unique among the mock's methods.
    pub mock_setter: Option<String>,
    /// The releases that have the parameter, when not every release having the
    /// operation does.
    pub availability: Option<Availability>,
}

/// How a parameter's value is written on the wire.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ParamEncoding {
    /// As text (its `Display`).
    #[default]
    Text,
    /// A list of text values: joined by commas in a path segment, one pair per element in
    /// the query.
    EachText,
    /// As JSON text: the value has no `Display`.
    Json,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// Media type sent in `Content-Type`.
    pub media_type: String,
    /// How it is encoded.
    pub encoding: BodyEncoding,
    /// Whether the body must be sent.
    pub required: bool,
    /// The body type.
    pub ty: TypeRef,
    /// When the body is an object, its fields (settable one by one on the builder).
    pub fields: Option<Vec<Field>>,
    /// Builder method (or argument) name for each of `fields`, unique among parameters.
    pub setters: Vec<String>,
}

/// How a request body is encoded on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// `application/json` and `+json` types.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`: one part per field, binary fields as files.
    Multipart,
    /// Bytes as given.
    Raw,
}

/// One documented response status.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseCase {
    /// Status code (`None` for `default`); the first of its hundred for a range.
    pub status: Option<u16>,
    /// Whether the case is a status range (`2XX`: `status` is 200 and any 2xx matches).
    pub range: bool,
    /// What the body decodes to.
    pub kind: ResponseKind,
    /// The response description.
    pub doc: Option<String>,
    /// The mock's method that answers with this response (`naming::respond`:
    /// `respond_200`, `respond_4xx`, `respond_default`).
    pub respond: String,
}

/// What a response carries.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseKind {
    /// No body (or one that is ignored).
    Empty,
    /// A JSON body of this type.
    Json(TypeRef),
    /// A non-JSON body, kept as text.
    Text,
    /// A non-JSON body, kept as bytes.
    Bytes,
    /// A redirect; the target is in `Location`.
    Redirect,
}

/// How an operation's documented successes reach the caller of `send`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Successes<'a> {
    /// None documented: any 2xx, as JSON.
    Undocumented,
    /// One or more statuses whose bodies all decode the same way: `send` returns that type,
    /// so a later release that documents one more such status changes nothing for callers.
    Uniform {
        /// The statuses, in order.
        statuses: &'a [ResponseCase],
        /// What each of them carries.
        kind: &'a ResponseKind,
    },
    /// Statuses with different bodies: `send` returns an outcome enum, one variant each.
    Outcome(&'a [ResponseCase]),
}

impl Operation {
    /// The documented successes and how `send` returns them. Responses are sorted by
    /// status and successes are 2xx and 3xx, so they are one contiguous run.
    pub fn successes(&self) -> Successes<'_> {
        let start = self.responses.iter().position(ResponseCase::is_success);
        let Some(start) = start else { return Successes::Undocumented };
        let len = self.responses[start..].iter().take_while(|r| r.is_success()).count();
        let cases = &self.responses[start..start + len];
        if cases.iter().all(|c| c.kind == cases[0].kind) {
            Successes::Uniform { statuses: cases, kind: &cases[0].kind }
        } else {
            Successes::Outcome(cases)
        }
    }
}

impl ResponseCase {
    /// The status as the description writes it: `200`, `2XX` or `default`.
    pub fn label(&self) -> String {
        match self.status {
            Some(s) if self.range => format!("{}XX", s / 100),
            Some(s) => s.to_string(),
            None => "default".to_owned(),
        }
    }

    /// Whether this status is a success (2xx or 3xx).
    pub fn is_success(&self) -> bool {
        matches!(self.status, Some(s) if (200..400).contains(&s))
    }
}

/// An example value found in the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// JSON pointer of the example value.
    pub pointer: String,
    /// The type it should decode into.
    pub ty: TypeRef,
    /// Whether the schema is nullable (the example decodes into `Option` of `ty`).
    pub nullable: bool,
    /// The example, as JSON.
    pub value: serde_json::Value,
    /// Why the example is expected not to round-trip, when the overrides list it.
    pub expected_failure: Option<String>,
    /// Its function in the mocks' examples module (`naming::example_functions`); `None`
    /// for an example expected to fail, which has none.
    pub function: Option<String>,
    /// Its golden test in `tests/spec_examples.rs` (`naming::golden_tests`).
    pub test: String,
}
