//! Security schemes: each entry of `components.securitySchemes` becomes a setter on
//! `ClientBuilder` ([`SecurityScheme`]), so that a user never writes an `Authorization`
//! header by hand, and every `apiKey` header or query parameter is known to the runtime
//! as a credential.

use crate::error::{Lint, Warning};
use crate::input::document::{escape, unescape};
use crate::ir::{SchemeKind, SecurityScheme};
use crate::naming::{field_name, Namer};
use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr};

/// What a setter on `ClientBuilder` must not be called: the builder's own methods (the
/// runtime's, GitHub's, and what its traits and std's blanket traits give it), which a
/// generated method would clash with or silently shadow.
const BUILDER_METHODS: &[&str] = &[
    "base_url",
    "token",
    "token_source",
    "user_agent",
    "header",
    "basic_auth",
    "query_credential",
    "cookie_credential",
    "timeout",
    "connect_timeout",
    "http_client",
    "retry",
    "retry_repeatable_posts",
    "conditional_requests",
    "download_timeout",
    "download_idle_timeout",
    "max_download_bytes",
    "max_pages",
    "max_body_bytes",
    "build",
    "enterprise",
    "api_version",
    "default",
    "clone",
    "clone_from",
    "clone_into",
    "fmt",
    "to_owned",
    "borrow",
    "borrow_mut",
    "into",
    "try_into",
    "from",
    "try_from",
    "type_id",
    "drop",
    "new",
    "eq",
    "ne",
];

/// The prefix of a `$ref` to another security scheme.
const SCHEMES: &str = "#/components/securitySchemes/";

/// The document's security schemes, sorted by key, each with a setter name of its own;
/// and warnings for the schemes that cannot become a setter (a `$ref` that leads
/// nowhere).
pub(super) fn schemes(doc: &OpenAPI) -> (Vec<SecurityScheme>, Vec<Warning>) {
    let Some(components) = &doc.components else { return (Vec::new(), Vec::new()) };
    let declared = &components.security_schemes;
    let mut keys: Vec<&String> = declared.keys().collect();
    keys.sort();
    let mut names = Namer::with_reserved(BUILDER_METHODS.iter().copied());
    let mut schemes = Vec::new();
    let mut warnings = Vec::new();
    for key in keys {
        let pointer = format!("{SCHEMES}{}", escape(key));
        let Some(scheme) = resolve(declared, key) else {
            warnings.push(Warning {
                lint: Lint::Ignored,
                pointer,
                message: "a `$ref` that names no security scheme of this document; no setter".into(),
            });
            continue;
        };
        let (kind, description) = match scheme {
            openapiv3::SecurityScheme::APIKey { location, name, description, .. } => {
                let kind = match location {
                    APIKeyLocation::Header => SchemeKind::Header(name.clone()),
                    APIKeyLocation::Query => SchemeKind::Query(name.clone()),
                    APIKeyLocation::Cookie => SchemeKind::Cookie(name.clone()),
                };
                (kind, description)
            }
            openapiv3::SecurityScheme::HTTP { scheme, description, .. } => {
                let kind = match scheme.to_ascii_lowercase().as_str() {
                    "bearer" => SchemeKind::Bearer,
                    "basic" => SchemeKind::Basic,
                    _ => SchemeKind::Http(scheme.clone()),
                };
                (kind, description)
            }
            openapiv3::SecurityScheme::OAuth2 { description, .. }
            | openapiv3::SecurityScheme::OpenIDConnect { description, .. } => (SchemeKind::Bearer, description),
        };
        let mut setter = field_name(key);
        // A key that names one of the builder's methods (`token`) says what it is for:
        // `token_auth` reads better than `token_2`.
        if BUILDER_METHODS.contains(&setter.as_str()) {
            setter = field_name(&format!("{key} auth"));
        }
        let setter = names.claim(setter);
        schemes.push(SecurityScheme { key: key.clone(), setter, description: description.clone(), kind });
    }
    (schemes, warnings)
}

/// The scheme `key` names, through `$ref`s to other schemes (each followed once).
fn resolve<'a>(
    declared: &'a indexmap::IndexMap<String, ReferenceOr<openapiv3::SecurityScheme>>,
    key: &str,
) -> Option<&'a openapiv3::SecurityScheme> {
    let mut entry = declared.get(key)?;
    // A chain longer than the map has come back to itself.
    for _ in 0..=declared.len() {
        match entry {
            ReferenceOr::Item(scheme) => return Some(scheme),
            ReferenceOr::Reference { reference } => {
                let target = reference.strip_prefix(SCHEMES).filter(|rest| !rest.contains('/'))?;
                entry = declared.get(unescape(target).as_ref())?;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lowered(declared: &str) -> (Vec<SecurityScheme>, Vec<Warning>) {
        let spec = format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  securitySchemes:\n{declared}");
        let value = crate::input::parse_text(&spec).unwrap();
        let doc = crate::input::openapi(&value).unwrap();
        schemes(&doc)
    }

    #[test]
    fn every_kind_of_scheme_becomes_a_setter_named_from_its_key() {
        let (schemes, warnings) = lowered(
            "    ApiKeyAuth: {type: apiKey, in: header, name: X-API-Key, description: The key.}
    query_key: {type: apiKey, in: query, name: api_key}
    session: {type: apiKey, in: cookie, name: SID}
    bearer: {type: http, scheme: Bearer}
    basic: {type: http, scheme: basic}
    digest: {type: http, scheme: Digest}
    oauth: {type: oauth2, flows: {}}
    oidc: {type: openIdConnect, openIdConnectUrl: 'https://example.com'}
    alias: {$ref: '#/components/securitySchemes/basic'}
    broken: {$ref: '#/components/schemas/nowhere'}
",
        );
        let shown: Vec<(&str, &str, &SchemeKind)> =
            schemes.iter().map(|s| (s.key.as_str(), s.setter.as_str(), &s.kind)).collect();
        assert_eq!(
            shown,
            [
                ("ApiKeyAuth", "api_key_auth", &SchemeKind::Header("X-API-Key".into())),
                ("alias", "alias", &SchemeKind::Basic),
                ("basic", "basic", &SchemeKind::Basic),
                ("bearer", "bearer", &SchemeKind::Bearer),
                ("digest", "digest", &SchemeKind::Http("Digest".into())),
                ("oauth", "oauth", &SchemeKind::Bearer),
                ("oidc", "oidc", &SchemeKind::Bearer),
                ("query_key", "query_key", &SchemeKind::Query("api_key".into())),
                ("session", "session", &SchemeKind::Cookie("SID".into())),
            ]
        );
        assert_eq!(schemes[0].description.as_deref(), Some("The key."));
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].pointer, "#/components/securitySchemes/broken");
    }

    #[test]
    fn setter_names_are_identifiers_that_clash_with_nothing() {
        let (schemes, _) = lowered(
            "    token: {type: http, scheme: bearer}
    token auth: {type: http, scheme: bearer}
    type: {type: http, scheme: bearer}
    '': {type: http, scheme: bearer}
    '1st': {type: http, scheme: bearer}
    'a/b~c': {type: http, scheme: bearer}
    build: {type: http, scheme: bearer}
    loop1: {$ref: '#/components/securitySchemes/loop2'}
    loop2: {$ref: '#/components/securitySchemes/loop1'}
",
        );
        let setters: Vec<&str> = schemes.iter().map(|s| s.setter.as_str()).collect();
        assert_eq!(setters, ["value", "_1st", "a_b_c", "build_auth", "token_auth", "token_auth_2", "type_"]);
    }
}
