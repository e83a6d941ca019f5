//! Credentials kept out of sight: which header and query names carry one, how the
//! token and Basic credentials are written, and URLs shown with their credentials hidden.

use super::auth::SecretToken;
use crate::{Error, Result};
use reqwest::header::HeaderValue;
use reqwest::Url;

/// The request headers and query parameters that carry credentials by the description's
/// own word: every `apiKey` security scheme in a header or in the query. The generated
/// code hands its crate's names to the client it builds. The client adds the names that
/// carry credentials whatever the description says ([`is_credential_header`]).
#[derive(Debug, Clone, Copy)]
pub struct CredentialNames {
    /// Header names, in lowercase.
    pub headers: &'static [&'static str],
    /// Query parameter names, as sent.
    pub query: &'static [&'static str],
}

/// Header names that carry a credential in any API (lowercase): compared whole.
const CREDENTIAL_HEADER_NAMES: &[&str] = &["authorization", "proxy-authorization", "cookie", "key", "x-key"];
/// Parts of a header or query parameter name that mark it as carrying a credential
/// (`X-API-Key`, `Api-Key`, `X-Auth-Token`, `X-Access-Token`, `Private-Token`,
/// `X-Client-Secret`, `access_token`, `api_key`...), compared in lowercase.
const CREDENTIAL_NAME_PARTS: &[&str] = &[
    "auth",
    "token",
    "secret",
    "password",
    "passwd",
    "apikey",
    "api-key",
    "api_key",
    "credential",
    "session",
    "signature",
];

/// Whether a header named `name` (any case) carries a credential: one of the usual
/// names (`Authorization`, `Proxy-Authorization`, `Cookie`, `X-API-Key`,
/// `X-Auth-Token`...; a name with `auth`, `token`, `secret`, `password`, `api-key`,
/// `credential`, `session` or `signature` in it, or ending in `-key` or `_key`), or one that
/// the description's security schemes declare (`declared`). Such a header is marked
/// sensitive, sent only to the API's origin, never shown in `Debug` output or errors,
/// and part of the response cache's identity of a client.
pub fn is_credential_header(name: &str, declared: &CredentialNames) -> bool {
    let name = name.to_ascii_lowercase();
    CREDENTIAL_HEADER_NAMES.contains(&name.as_str())
        || name.ends_with("-key")
        || name.ends_with("_key")
        || CREDENTIAL_NAME_PARTS.iter().any(|part| name.contains(part))
        || declared.headers.iter().any(|header| header.eq_ignore_ascii_case(&name))
}

/// Whether a query parameter named `name` carries a credential: one the description's
/// security schemes declare (`declared`), or a name as [`is_credential_header`]
/// recognises one (`api_key`, `access_token`, `key`, `sig`...). URLs shown in errors and
/// `Debug` output hide its value.
pub fn is_credential_query(name: &str, declared: &CredentialNames) -> bool {
    let lower = name.to_ascii_lowercase();
    declared.query.contains(&name) || lower == "sig" || is_credential_header(&lower, declared)
}

/// `Bearer <token>` as a header value marked sensitive, so HTTP/2 never indexes it.
pub(crate) fn bearer(token: &SecretToken) -> Result<HeaderValue> {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
        .map_err(|_| Error::Config("the token is not a valid header value".into()))?;
    value.set_sensitive(true);
    Ok(value)
}

/// Removes the query parameters of `url` whose (decoded) names `drop` picks; the
/// query is rewritten only when one is there, so a signed URL is otherwise kept byte
/// for byte.
pub(crate) fn remove_query(url: &mut Url, drop: impl Fn(&str) -> bool) {
    if !url.query_pairs().any(|(name, _)| drop(&name)) {
        return;
    }
    let kept: Vec<(String, String)> =
        url.query_pairs().filter(|(name, _)| !drop(name)).map(|(n, v)| (n.into_owned(), v.into_owned())).collect();
    url.set_query(None);
    if !kept.is_empty() {
        url.query_pairs_mut().extend_pairs(kept);
    }
}

/// Standard Base64 with padding (RFC 4648), for HTTP Basic credentials.
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Removes a user name and password from `url`: they would go out as a second
/// `Authorization` header, and could show up in error messages.
pub(crate) fn strip_credentials(url: &mut Url) {
    // Both only fail for URLs that cannot have credentials at all.
    let _ = url.set_username("");
    let _ = url.set_password(None);
}

/// `url` as errors show it: without credentials, query or fragment (a signed download
/// URL carries its signature in the query).
pub(crate) fn redact_url(url: &Url) -> String {
    let mut url = url.clone();
    strip_credentials(&mut url);
    url.set_query(None);
    url.set_fragment(None);
    url.into()
}

/// `text` (a URL as given, which may not even parse) without the user name and
/// password of its authority, and with the values of query parameters that carry
/// credentials ([`is_credential_query`], with the names `declared`) shown as `***`;
/// everything else is kept as written.
pub(crate) fn redact_url_text(text: &str, declared: &CredentialNames) -> String {
    // The parser finds credentials wherever it would send them (`https:user:pw@host`).
    if let Ok(mut url) = Url::parse(text.trim()) {
        if !url.username().is_empty() || url.password().is_some() {
            strip_credentials(&mut url);
            return redact_query_text(url.as_str(), declared);
        }
    }
    let authority_start = text.find("://").map_or(0, |i| i + 3);
    let rest = &text[authority_start..];
    let authority_end = rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => redact_query_text(&format!("{}{}", &text[..authority_start], &rest[at + 1..]), declared),
        None => redact_query_text(text, declared),
    }
}

/// `text` with the value of each query parameter that carries a credential as `***`.
fn redact_query_text(text: &str, declared: &CredentialNames) -> String {
    let Some(start) = text.find('?') else { return text.to_owned() };
    let end = text[start..].find('#').map_or(text.len(), |i| start + i);
    let pairs = text[start + 1..end].split('&').map(|pair| {
        let (name, _) = pair.split_once('=').unwrap_or((pair, ""));
        let decoded =
            url::form_urlencoded::parse(name.as_bytes()).next().map(|(name, _)| name.into_owned()).unwrap_or_default();
        if is_credential_query(&decoded, declared) {
            format!("{name}=***")
        } else {
            pair.to_owned()
        }
    });
    format!("{}?{}{}", &text[..start], pairs.collect::<Vec<_>>().join("&"), &text[end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An API whose description declares no credential names.
    const NONE: CredentialNames = CredentialNames { headers: &[], query: &[] };

    #[test]
    fn credential_headers_are_known_by_their_usual_names_in_any_case() {
        for name in [
            "Authorization",
            "proxy-authorization",
            "Cookie",
            "X-API-Key",
            "Api-Key",
            "apikey",
            "X-Auth-Token",
            "X-Access-Token",
            "Private-Token",
            "X-Client-Secret",
            "Ocp-Apim-Subscription-Key",
        ] {
            assert!(is_credential_header(name, &NONE), "{name}");
        }
        for name in ["accept", "user-agent", "x-api-version", "content-type", "if-none-match", "x-request-id"] {
            assert!(!is_credential_header(name, &NONE), "{name}");
        }
        for name in ["api_key", "access_token", "key", "sig"] {
            assert!(is_credential_query(name, &NONE), "{name}");
        }
        assert!(!is_credential_query("per_page", &NONE) && !is_credential_query("page", &NONE));
    }

    #[test]
    fn the_names_an_api_declares_carry_credentials_too() {
        let declared = CredentialNames { headers: &["x-tenant"], query: &["tenant"] };
        assert!(is_credential_header("X-Tenant", &declared) && !is_credential_header("X-Tenant", &NONE));
        assert!(is_credential_query("tenant", &declared) && !is_credential_query("tenant", &NONE));
        assert_eq!(redact_url_text("https://h/p?tenant=t1&page=2", &declared), "https://h/p?tenant=***&page=2");
        assert_eq!(redact_url_text("https://h/p?tenant=t1", &NONE), "https://h/p?tenant=t1");
    }

    #[test]
    fn the_authorization_header_is_marked_sensitive() {
        let value = bearer(&SecretToken::new("t0ken")).unwrap();
        // HTTP/2 never indexes a sensitive value, and its `Debug` says only `Sensitive`.
        assert!(value.is_sensitive());
        assert_eq!(format!("{value:?}"), "Sensitive");
        assert!(matches!(bearer(&SecretToken::new("t0\nken")), Err(Error::Config(_))));
    }

    #[test]
    fn urls_shown_hide_the_values_of_query_credentials() {
        let shown =
            redact_url_text("https://user:pw@api.example.com/p?page=2&api_key=s3cret&Access%5FToken=t0k#frag", &NONE);
        assert_eq!(shown, "https://api.example.com/p?page=2&api_key=***&Access%5FToken=***#frag");
        assert_eq!(redact_url_text("not a url?key=s3cret", &NONE), "not a url?key=***");
        assert_eq!(redact_url_text("https://api.example.com/p?page=2", &NONE), "https://api.example.com/p?page=2");
    }

    #[test]
    fn basic_credentials_are_standard_base64() {
        let encoded: Vec<String> =
            ["", "f", "fo", "foo", "foob", "fooba", "foobar"].iter().map(|t| base64(t.as_bytes())).collect();
        assert_eq!(encoded, ["", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"]);
        assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
    }

    #[test]
    fn query_credentials_replace_their_name_and_leave_other_urls_byte_for_byte() {
        let mut url = Url::parse("https://h/p?sig=a%2Bb&api_key=echoed&x=1").unwrap();
        remove_query(&mut url, |name| name == "api_key");
        assert_eq!(url.as_str(), "https://h/p?sig=a%2Bb&x=1");
        let mut signed = Url::parse("https://h/p?sig=a+b%2F").unwrap();
        remove_query(&mut signed, |name| name == "api_key");
        assert_eq!(signed.as_str(), "https://h/p?sig=a+b%2F");
    }
}
