//! Errors (the document cannot be generated) and warnings (it can, with a fallback).
//!
//! Every error and warning names the JSON pointer (RFC 6901, written `#/paths/~1a/get`)
//! of the node at fault, so a user can jump straight to it.

use std::fmt;

/// Why a document could not be turned into a client.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input has no content.
    #[error("the document is empty")]
    Empty,
    /// The input is not well-formed JSON or YAML.
    #[error("{format} syntax error at line {line}, column {column}: {message}")]
    Syntax {
        /// `JSON` or `YAML`.
        format: &'static str,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// The document is not OpenAPI 3.0.x or 3.1.x.
    #[error("#/{field}: {message}")]
    Version {
        /// `openapi` or `swagger`.
        field: &'static str,
        /// What is wrong and what to do.
        message: String,
    },
    /// A node does not have the shape OpenAPI 3.0 requires.
    #[error("{pointer}: {message}")]
    Invalid {
        /// Where.
        pointer: String,
        /// What.
        message: String,
    },
    /// A `$ref` points at nothing.
    #[error("{pointer}: $ref \"{reference}\" does not resolve")]
    DanglingRef {
        /// The node holding the `$ref`.
        pointer: String,
        /// The reference as written.
        reference: String,
    },
    /// A chain of `$ref`s leads back to itself without ever reaching a definition.
    #[error("{pointer}: $ref cycle that never reaches a definition: {chain}")]
    RefCycle {
        /// The node where the cycle was entered.
        pointer: String,
        /// The references in the cycle, joined by ` -> `.
        chain: String,
    },
    /// A `{name}` in a path template has no matching `in: path` parameter, or the reverse.
    #[error("{pointer}: {message}")]
    PathParameter {
        /// The operation.
        pointer: String,
        /// What does not match.
        message: String,
    },
    /// The same parameter (name and location) is declared twice in one list.
    #[error("{pointer}: parameter \"{name}\" in {location} is declared twice")]
    DuplicateParameter {
        /// The second declaration.
        pointer: String,
        /// Its name.
        name: String,
        /// `path`, `query`, `header` or `cookie`.
        location: String,
    },
    /// The overrides file is malformed or no longer matches the document.
    #[error("overrides entry {index} ({pointer}): {message}")]
    Override {
        /// 0-based position in the file (`usize::MAX` for the file as a whole).
        index: usize,
        /// The pointer the entry names.
        pointer: String,
        /// What is wrong.
        message: String,
    },
    /// The overrides' `package` entry (a standalone crate's metadata) is unusable.
    #[error("overrides: `{key}` {message}")]
    Package {
        /// The key at fault (`package.version`), or `package` for the whole entry.
        key: String,
        /// What is wrong.
        message: String,
    },
    /// `--strict` (or a `deny` level) turned warnings into an error.
    #[error("{} warning(s) denied:\n{}", .0.len(), DisplayList(.0))]
    Denied(Vec<Warning>),
}

impl Error {
    /// The JSON pointer of the node at fault, when there is one.
    pub fn pointer(&self) -> Option<&str> {
        match self {
            Error::Invalid { pointer, .. }
            | Error::DanglingRef { pointer, .. }
            | Error::RefCycle { pointer, .. }
            | Error::PathParameter { pointer, .. }
            | Error::DuplicateParameter { pointer, .. }
            | Error::Override { pointer, .. } => Some(pointer),
            Error::Version { field, .. } => Some(if *field == "swagger" { "#/swagger" } else { "#/openapi" }),
            Error::Denied(warnings) => warnings.first().map(|w| w.pointer.as_str()),
            Error::Empty | Error::Syntax { .. } | Error::Package { .. } => None,
        }
    }
}

struct DisplayList<'a>(&'a [Warning]);

impl fmt::Display for DisplayList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, warning) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "  {warning}")?;
        }
        Ok(())
    }
}

/// A kind of warning, with a stable name that can be allowed or denied on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Lint {
    /// A schema construct with no typed mapping (`not`, conflicting `allOf`); the value
    /// becomes `serde_json::Value`.
    UnsupportedSchema,
    /// A media type that is neither JSON, form nor plain bytes; handled as raw bytes.
    UnsupportedMediaType,
    /// An `enum` on a non-string type; the plain type is used.
    NonStringEnum,
    /// Something with no meaning for the client (a path item `$ref`, a status range
    /// outside `1XX`-`5XX`, an undeclared `{name}` in a path key's query string); ignored.
    Ignored,
    /// Something OpenAPI 3.0 does not allow but real documents commonly do (a Swagger 2.0
    /// `required: true` on a property schema); read the way its authors meant it.
    NonStandard,
    /// OpenAPI 3.1's `webhooks`: requests the API sends, not operations; their payload
    /// schemas become types and no call is generated.
    Webhook,
    /// A JSON Schema `if`/`then`/`else`: the value is typed by the rest of the schema and
    /// the condition is not checked.
    Conditional,
    /// A `jsonSchemaDialect` other than OpenAPI 3.1's own: schemas are read as 3.1's dialect.
    Dialect,
}

impl Lint {
    /// Every lint, in a stable order.
    pub const ALL: [Lint; 8] = [
        Lint::UnsupportedSchema,
        Lint::UnsupportedMediaType,
        Lint::NonStringEnum,
        Lint::Ignored,
        Lint::NonStandard,
        Lint::Webhook,
        Lint::Conditional,
        Lint::Dialect,
    ];

    /// The stable name, as used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Lint::UnsupportedSchema => "unsupported-schema",
            Lint::UnsupportedMediaType => "unsupported-media-type",
            Lint::NonStringEnum => "non-string-enum",
            Lint::Ignored => "ignored",
            Lint::NonStandard => "non-standard",
            Lint::Webhook => "webhook",
            Lint::Conditional => "conditional",
            Lint::Dialect => "dialect",
        }
    }

    /// The lint with this stable name.
    pub fn from_name(name: &str) -> Option<Lint> {
        Lint::ALL.into_iter().find(|lint| lint.name() == name)
    }
}

impl fmt::Display for Lint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Something the generator handled with a fallback.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// Which kind.
    pub lint: Lint,
    /// The node at fault.
    pub pointer: String,
    /// What was done instead.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning[{}]: {}: {}", self.lint, self.pointer, self.message)
    }
}

/// An error that is a bug of the generator, not of the document.
pub(crate) fn internal(what: &str) -> Error {
    Error::Invalid {
        pointer: "#".into(),
        message: format!("internal error: {what}; please report this with the document"),
    }
}
