//! Authenticating as a GitHub App installation: the App's private key signs a
//! short-lived JSON web token (RS256), which the API exchanges for an installation token
//! (`POST /app/installations/{installation_id}/access_tokens`). Only crates generated
//! from a GitHub description have this module.

use crate::runtime::auth::{AuthError, SecretToken, TokenFuture, TokenSource};
use crate::runtime::client::Credential;
use crate::runtime::{escape_controls, Operation, Request};
use crate::{Client, DateTime, Error, Result};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::Method;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// How far in the past a JSON web token says it was issued, so that a server whose clock
/// runs a little behind still accepts it.
const CLOCK_DRIFT_SECONDS: i64 = 60;
/// How long a JSON web token is valid, counted from its backdated issue time: GitHub's
/// maximum, 10 minutes.
const JWT_LIFETIME_SECONDS: i64 = 600;

/// The token exchange as GitHub's description names it: traces show the exchange's
/// span under this name and template, never the installation id filled in. Sent again
/// after a failure like an idempotent request, whatever the client's policy for `POST`s:
/// it only issues a token.
const EXCHANGE: Operation = Operation {
    id: "apps/create-installation-access-token",
    method: "POST",
    path: "/app/installations/{installation_id}/access_tokens",
    repeatable: true,
};

/// A GitHub App: its id and the private key that signs its JSON web tokens.
///
/// Cheap to clone; the key is parsed once. `Debug` shows the App's id, never the key.
#[derive(Clone)]
pub struct GitHubApp {
    issuer: Issuer,
    key: Arc<EncodingKey>,
}

/// The `iss` claim: the App's numeric id, sent as a JSON number, or its client id.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(untagged)]
enum Issuer {
    Id(u64),
    ClientId(String),
}

#[derive(serde::Serialize)]
struct Claims<'a> {
    iat: i64,
    exp: i64,
    iss: &'a Issuer,
}

impl std::fmt::Debug for GitHubApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitHubApp").field("app_id", &self.issuer).field("key", &"***").finish()
    }
}

impl GitHubApp {
    /// The App with id `app_id` (its numeric App ID, or its client ID) and the private key
    /// GitHub generated for it, as the PEM text of the downloaded `.pem` file (PKCS #1,
    /// `BEGIN RSA PRIVATE KEY`; a PKCS #8 `BEGIN PRIVATE KEY` RSA key works too).
    ///
    /// # Errors
    ///
    /// [`Error::Auth`] with [`AuthError::InvalidKey`] when `pem` is not PEM, not an RSA
    /// private key, or a key that cannot sign; [`Error::Config`] for an empty `app_id`.
    /// Neither message repeats the key.
    pub fn from_pem(app_id: impl Into<String>, pem: impl AsRef<[u8]>) -> Result<GitHubApp> {
        let app_id = app_id.into();
        let app_id = app_id.trim();
        if app_id.is_empty() {
            return Err(Error::Config("the GitHub App id is empty".into()));
        }
        let issuer = match app_id.parse::<u64>() {
            Ok(id) => Issuer::Id(id),
            Err(_) => Issuer::ClientId(app_id.to_owned()),
        };
        let block = pem::parse(pem.as_ref())
            .map_err(|_| invalid_key("it is not PEM text (`-----BEGIN RSA PRIVATE KEY-----` ...)".into()))?;
        let der = match block.tag() {
            "RSA PRIVATE KEY" => block.contents(),
            "PRIVATE KEY" => pkcs8_rsa_key(block.contents())
                .ok_or_else(|| invalid_key("it is a PKCS #8 private key, but not an RSA one".into()))?,
            "ENCRYPTED PRIVATE KEY" => return Err(invalid_key("it is encrypted; decrypt it first".into())),
            other => {
                let tag: String = other.chars().take(40).collect();
                return Err(invalid_key(format!("it is a `{}`, not an RSA private key", escape_controls(&tag))));
            }
        };
        let app = GitHubApp { issuer, key: Arc::new(EncodingKey::from_rsa_der(der)) };
        // Signing once now reports a key the signer refuses here, not at the first request.
        app.jwt()?;
        Ok(app)
    }

    /// A JSON web token that authenticates as the App itself (for the API's `/app`
    /// endpoints): RS256, `iss` the App, issued a minute ago for clock drift, valid
    /// until 9 minutes from now (10 minutes in all, GitHub's maximum).
    ///
    /// # Errors
    ///
    /// [`Error::Auth`] with [`AuthError::InvalidKey`] when signing fails.
    pub fn jwt(&self) -> Result<SecretToken> {
        let now = chrono::Utc::now().timestamp();
        let iat = now.saturating_sub(CLOCK_DRIFT_SECONDS);
        let claims = Claims { iat, exp: iat.saturating_add(JWT_LIFETIME_SECONDS), iss: &self.issuer };
        jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &self.key)
            .map(SecretToken::new)
            .map_err(|e| invalid_key(format!("signing failed: {e}")))
    }

    /// A token source for the App's installation `installation_id`, for
    /// [`ClientBuilder::token_source`](crate::ClientBuilder::token_source).
    pub fn installation(&self, installation_id: u64) -> InstallationTokenSource {
        InstallationTokenSource {
            app: self.clone(),
            installation_id,
            scope: Scope::default(),
            state: Mutex::new(Cache::default()),
            refresh: tokio::sync::Mutex::new(()),
        }
    }
}

/// Installation tokens of a [`GitHubApp`], exchanged when needed and cached.
///
/// The exchange (`POST {base_url}/app/installations/{installation_id}/access_tokens`,
/// with the App's JSON web token) goes to the client's own base URL with its headers, so
/// it works on GitHub Enterprise Server as on github.com. A token is used until
/// [`REFRESH_BEFORE_EXPIRY`](InstallationTokenSource::REFRESH_BEFORE_EXPIRY) before its
/// `expires_at`; concurrent requests that find none wait for one exchange rather than
/// each starting their own. A `401` from the API drops the token it refused, and the
/// request is sent once more with a new one.
///
/// `Debug` shows the App, the installation and when the cached token expires, never the
/// token or the key.
pub struct InstallationTokenSource {
    app: GitHubApp,
    installation_id: u64,
    /// What the tokens are narrowed to; all the installation may do when empty.
    scope: Scope,
    state: Mutex<Cache>,
    /// Held while exchanging, so that one exchange serves every waiting request.
    refresh: tokio::sync::Mutex<()>,
}

/// The body of the exchange: the repositories and permissions a token is narrowed to.
/// GitHub refuses a narrowing beyond what the installation was granted.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
struct Scope {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    repositories: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    repository_ids: Vec<u64>,
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    permissions: std::collections::BTreeMap<String, String>,
}

impl Scope {
    fn is_empty(&self) -> bool {
        *self == Scope::default()
    }
}

#[derive(Default)]
struct Cache {
    token: Option<(SecretToken, DateTime)>,
    /// Exchanges completed, so a request that waited for one knows it happened.
    exchanges: u64,
    /// Exchanges that failed, and the last one's message: the requests that waited for
    /// a failed exchange share its failure instead of each trying one in turn.
    failures: u64,
    failure: Option<String>,
    /// A copy of the last failure when it was the API's answer, so that the requests
    /// that waited see its status, rate limit and request id too.
    refusal: Option<Error>,
}

impl std::fmt::Debug for InstallationTokenSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let expires_at = self.cache().token.as_ref().map(|(_, expires_at)| *expires_at);
        f.debug_struct("InstallationTokenSource")
            .field("app", &self.app)
            .field("installation_id", &self.installation_id)
            .field("scope", &self.scope)
            .field("token_expires_at", &expires_at)
            .finish()
    }
}

impl InstallationTokenSource {
    /// How long before it expires a cached token is replaced: 5 minutes, so that a request
    /// (or a paginated listing's next page) never starts with a token about to lapse,
    /// even where the server's clock is a little ahead.
    pub const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(5 * 60);

    /// Narrows every token to these repositories of the installation, by name without
    /// the owner (`octo-repo`); adds to any named before. A tool that only touches a few
    /// repositories should not hold a token for all of them.
    pub fn repositories<S: Into<String>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        self.scope.repositories.extend(names.into_iter().map(Into::into));
        self
    }

    /// Narrows every token to these repositories of the installation, by id; adds to any
    /// named before.
    pub fn repository_ids(mut self, ids: impl IntoIterator<Item = u64>) -> Self {
        self.scope.repository_ids.extend(ids);
        self
    }

    /// Narrows every token to these permissions, each a name and a level as GitHub
    /// spells them (`("actions", "write")`, `("metadata", "read")`); a permission given
    /// twice keeps the last level. Without any, a token has all the installation's.
    pub fn permissions<N: Into<String>, L: Into<String>>(
        mut self,
        permissions: impl IntoIterator<Item = (N, L)>,
    ) -> Self {
        self.scope.permissions.extend(permissions.into_iter().map(|(name, level)| (name.into(), level.into())));
        self
    }

    fn cache(&self) -> MutexGuard<'_, Cache> {
        // The cache is consistent after every statement; a panic elsewhere cannot break it.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The cached token, if it is good for longer than the refresh margin.
    fn fresh(cache: &Cache) -> Option<SecretToken> {
        let (token, expires_at) = cache.token.as_ref()?;
        let margin = chrono::TimeDelta::from_std(Self::REFRESH_BEFORE_EXPIRY).ok()?;
        let refresh_at = expires_at.checked_sub_signed(margin)?;
        (chrono::Utc::now() < refresh_at).then(|| token.clone())
    }

    /// Exchanges the App's JSON web token for an installation token and its expiry.
    async fn exchange(&self, client: &Client) -> Result<(SecretToken, DateTime)> {
        let jwt = self.app.jwt()?;
        let mut request =
            Request::of(&EXCHANGE, Method::POST, format!("/app/installations/{}/access_tokens", self.installation_id));
        if !self.scope.is_empty() {
            request.json("application/json", &self.scope)?;
        }
        // Retried per the client's policy: a transient failure of the exchange does not
        // fail the request that needed the token.
        let response = client.execute_with(request, Credential::Exchange(&jwt)).await.map_err(exchange_failed)?;
        if !response.status().is_success() {
            return Err(exchange_failed(response.into_error().await));
        }
        let body = response.bytes().await.map_err(exchange_failed)?.into_body();
        // Read as a plain JSON value: a typed decoding error could quote the token.
        let answer: serde_json::Value =
            serde_json::from_slice(&body).map_err(|e| invalid_answer(format!("a body that is not JSON ({e})")))?;
        let token = answer
            .get("token")
            .and_then(serde_json::Value::as_str)
            .filter(|token| !token.is_empty())
            .ok_or_else(|| invalid_answer("no `token` string".into()))?;
        if !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(invalid_answer("a `token` that cannot be sent in a header".into()));
        }
        let expires_at = answer
            .get("expires_at")
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| invalid_answer("no `expires_at` time".into()))?;
        let expires_at = chrono::DateTime::parse_from_rfc3339(expires_at).map_err(|e| {
            let shown: String = expires_at.chars().take(64).collect();
            invalid_answer(format!("an `expires_at` that is not an RFC 3339 time ({shown:?}: {e})"))
        })?;
        Ok((SecretToken::new(token), expires_at.with_timezone(&chrono::Utc)))
    }
}

impl TokenSource for InstallationTokenSource {
    fn token<'a>(&'a self, client: &'a Client) -> TokenFuture<'a> {
        Box::pin(async move {
            let (seen, seen_failures) = {
                let cache = self.cache();
                if let Some(token) = Self::fresh(&cache) {
                    return Ok(token);
                }
                (cache.exchanges, cache.failures)
            };
            let _exchanging = self.refresh.lock().await;
            {
                let cache = self.cache();
                if let Some(token) = Self::fresh(&cache) {
                    return Ok(token);
                }
                if cache.failures != seen_failures {
                    let shared = match cache.refusal.as_ref().and_then(copy_of_answer) {
                        Some(refusal) => AuthError::ExchangeRefusedWhileWaiting(Box::new(refusal)),
                        None => AuthError::ExchangeFailedWhileWaiting(cache.failure.clone().unwrap_or_default()),
                    };
                    return Err(Error::Auth(Box::new(shared)));
                }
                // Another request exchanged while this one waited: its token is as new as
                // the server makes them, even when it lives less than the refresh margin.
                if cache.exchanges != seen {
                    if let Some((token, expires_at)) = &cache.token {
                        if chrono::Utc::now() < *expires_at {
                            return Ok(token.clone());
                        }
                    }
                }
            }
            let (token, expires_at) = match self.exchange(client).await {
                Ok(exchanged) => exchanged,
                Err(error) => {
                    let mut cache = self.cache();
                    cache.failures = cache.failures.wrapping_add(1);
                    cache.failure = Some(error.to_string());
                    cache.refusal = copy_of_answer(&error);
                    return Err(error);
                }
            };
            let mut cache = self.cache();
            cache.token = Some((token.clone(), expires_at));
            cache.exchanges = cache.exchanges.wrapping_add(1);
            cache.failure = None;
            Ok(token)
        })
    }

    fn reject(&self, rejected: &SecretToken) -> bool {
        let mut cache = self.cache();
        // Only the refused token is dropped: another request may have replaced it already.
        if cache.token.as_ref().is_some_and(|(token, _)| token == rejected) {
            cache.token = None;
        }
        true
    }
}

fn invalid_key(reason: String) -> Error {
    Error::Auth(Box::new(AuthError::InvalidKey(reason)))
}

fn invalid_answer(reason: String) -> Error {
    Error::Auth(Box::new(AuthError::InvalidAnswer(reason)))
}

fn exchange_failed(error: Error) -> Error {
    Error::Auth(Box::new(AuthError::Exchange(Box::new(error))))
}

/// The PKCS #1 key inside a PKCS #8 `PrivateKeyInfo` of algorithm `rsaEncryption`:
/// `SEQUENCE { INTEGER version, SEQUENCE { OID, NULL }, OCTET STRING key, ... }`.
fn pkcs8_rsa_key(der: &[u8]) -> Option<&[u8]> {
    /// 1.2.840.113549.1.1.1, DER-encoded.
    const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
    let Some((0x30, info, _)) = der_element(der) else { return None };
    let Some((0x02, _version, rest)) = der_element(info) else { return None };
    let Some((0x30, algorithm, rest)) = der_element(rest) else { return None };
    let Some((0x06, oid, _)) = der_element(algorithm) else { return None };
    let Some((0x04, key, _)) = der_element(rest) else { return None };
    (oid == RSA_ENCRYPTION).then_some(key)
}

/// The first DER element of `input`: its tag, its contents and what follows it.
fn der_element(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, mut rest) = rest.split_first()?;
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        // Long form: the next `first & 0x7f` bytes; a key never needs more than 4.
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 {
            return None;
        }
        let (bytes, after) = rest.split_at_checked(count)?;
        rest = after;
        bytes.iter().try_fold(0usize, |len, &b| len.checked_mul(256)?.checked_add(usize::from(b)))?
    };
    let (contents, rest) = rest.split_at_checked(len)?;
    Some((tag, contents, rest))
}

/// A copy of the API's answer `error` is, through retries, for the requests that share one
/// failed exchange: `None` for what is not an answer (a transport error, a timeout), which
/// cannot be copied.
fn copy_of_answer(error: &Error) -> Option<Error> {
    match error {
        Error::Api(e) => Some(Error::Api(e.clone())),
        Error::RateLimited(e) => Some(Error::RateLimited(e.clone())),
        Error::UnexpectedStatus(e) => Some(Error::UnexpectedStatus(e.clone())),
        Error::Retried { attempts, last } => {
            copy_of_answer(last).map(|last| Error::Retried { attempts: *attempts, last: Box::new(last) })
        }
        Error::Auth(auth) => match &**auth {
            AuthError::Exchange(refusal) => copy_of_answer(refusal),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_elements_are_read_within_their_bounds() {
        assert_eq!(der_element(&[0x04, 0x02, 1, 2, 9]), Some((0x04, &[1u8, 2][..], &[9u8][..])));
        assert_eq!(der_element(&[0x04, 0x81, 0x01, 7]), Some((0x04, &[7u8][..], &[][..])));
        // A length past the input, an indefinite length, or one of more than 4 bytes.
        assert_eq!(der_element(&[0x04, 0x05, 1]), None);
        assert_eq!(der_element(&[0x30, 0x80, 0, 0]), None);
        assert_eq!(der_element(&[0x04, 0x88, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), None);
        assert_eq!(der_element(&[0x04]), None);
        assert_eq!(pkcs8_rsa_key(&[0x30, 0x00]), None);
    }
}
