//! Authenticating as a GitHub App installation, and token sources in general, against a
//! local server: the JSON web token the exchange receives, the installation token API
//! calls carry, one exchange for many concurrent requests, refreshes before expiry and
//! after a `401`, typed errors, and secrets kept out of `Debug`, errors and other hosts.

mod fixtures;

use fixtures::{
    access_tokens_path, installation_token, received, runs_page, workflow_run, APP_ID, APP_KEY, INSTALLATION_ID,
};
use futures_util::future::join_all;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use workflow_runs_client::{
    AuthError, Client, Error, GitHubApp, InstallationTokenSource, SecretToken, TokenFuture, TokenSource,
};

const RUNS: &str = "/repos/o/r/actions/runs";

fn app() -> GitHubApp {
    GitHubApp::from_pem(APP_ID.to_string(), APP_KEY).expect("the test key is an RSA key")
}

fn app_client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).token_source(app().installation(INSTALLATION_ID)).build().unwrap()
}

/// Answers the exchange with `token`, valid for `minutes`, at most `times` times (first
/// mounted, first answered).
async fn exchange_answers(server: &MockServer, token: &str, minutes: i64, times: u64) {
    Mock::given(method("POST"))
        .and(path(access_tokens_path(INSTALLATION_ID)))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(installation_token(token, chrono::Duration::minutes(minutes))),
        )
        .up_to_n_times(times)
        .mount(server)
        .await;
}

/// Answers the exchange with `answer` after 200 ms, so that concurrent calls pile up
/// behind it, at most `times` times.
async fn slow_exchange(server: &MockServer, answer: ResponseTemplate, times: u64) {
    Mock::given(method("POST"))
        .and(path(access_tokens_path(INSTALLATION_ID)))
        .respond_with(answer.set_delay(std::time::Duration::from_millis(200)))
        .up_to_n_times(times)
        .mount(server)
        .await;
}

/// Lists runs with `Bearer {token}`, else answers `401 Bad credentials`.
async fn runs_for(server: &MockServer, token: &str) {
    Mock::given(method("GET"))
        .and(path(RUNS))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(runs_page(1, &[5])))
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(path(RUNS))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(fixtures::api_error("Bad credentials", "https://docs.github.com/rest")),
        )
        .with_priority(2)
        .mount(server)
        .await;
}

/// The requests `server` received at `path`, each with its `Authorization` header.
async fn authorizations(server: &MockServer, at: &str) -> Vec<String> {
    received(server)
        .await
        .into_iter()
        .filter(|request| request.url.path() == at)
        .map(|request| request.headers.get("authorization").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default())
        .collect()
}

async fn exchanges(server: &MockServer) -> usize {
    authorizations(server, &access_tokens_path(INSTALLATION_ID)).await.len()
}

async fn list(client: &Client) -> Result<i64, Error> {
    client.actions().list_workflow_runs_for_repo("o", "r").send().await.map(|page| page.total_count)
}

/// The claims of `jwt`, verified with the public half of the test key.
fn verified_claims(jwt: &str) -> Value {
    let public = pem::parse(fixtures::APP_PUBLIC_KEY).unwrap();
    let key = jsonwebtoken::DecodingKey::from_rsa_der(public.contents());
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    // The library reads only a string `iss`; the App id is a number, checked by the tests.
    validation.set_required_spec_claims(&["exp"]);
    let claims = jsonwebtoken::decode::<Value>(jwt, &key, &validation)
        .expect("the JWT verifies with the App's public key")
        .claims;
    assert!(claims["iat"].is_i64() && !claims["iss"].is_null(), "{claims}");
    claims
}

#[tokio::test]
async fn the_exchange_sends_a_signed_jwt_and_api_calls_carry_the_installation_token() {
    let server = MockServer::start().await;
    // An Enterprise Server's API root: the exchange goes below it too.
    Mock::given(method("POST"))
        .and(path(format!("/api/v3{}", access_tokens_path(INSTALLATION_ID))))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(installation_token("ghs_one", chrono::Duration::hours(1))),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/api/v3{RUNS}")))
        .and(header("authorization", "Bearer ghs_one"))
        .respond_with(ResponseTemplate::new(200).set_body_json(runs_page(1, &[5])))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(format!("{}/api/v3", server.uri()))
        .token_source(app().installation(INSTALLATION_ID))
        .build()
        .unwrap();

    assert_eq!(list(&client).await.unwrap(), 1);
    assert_eq!(list(&client).await.unwrap(), 1, "the cached token serves the second call");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 3, "one exchange, two calls");
    let exchange = &requests[0];
    assert_eq!(exchange.method.as_str(), "POST");
    assert_eq!(exchange.headers.get("accept").unwrap(), "application/vnd.github+json");
    assert!(exchange.headers.get("x-github-api-version").is_some());
    let jwt =
        exchange.headers.get("authorization").unwrap().to_str().unwrap().strip_prefix("Bearer ").unwrap().to_owned();
    let claims = verified_claims(&jwt);
    assert_eq!(claims["iss"], json!(APP_ID), "the App id, as a number");
    let (iat, exp) = (claims["iat"].as_i64().unwrap(), claims["exp"].as_i64().unwrap());
    let now = chrono::Utc::now().timestamp();
    assert!(iat < now && exp > now && exp - iat <= 600, "iat {iat}, exp {exp}, now {now}");
    assert_eq!(jsonwebtoken::decode_header(&jwt).unwrap().alg, jsonwebtoken::Algorithm::RS256);
    for call in &requests[1..] {
        assert_eq!(call.headers.get("authorization").unwrap(), "Bearer ghs_one");
    }
}

#[tokio::test]
async fn twenty_concurrent_calls_without_a_token_cause_one_exchange() {
    let server = MockServer::start().await;
    slow_exchange(
        &server,
        ResponseTemplate::new(201).set_body_json(installation_token("ghs_shared", chrono::Duration::hours(1))),
        20,
    )
    .await;
    runs_for(&server, "ghs_shared").await;
    let client = app_client(&server);

    let results = join_all((0..20).map(|_| list(&client))).await;
    assert!(results.iter().all(|result| matches!(result, Ok(1))), "{results:?}");
    assert_eq!(exchanges(&server).await, 1);
    assert_eq!(authorizations(&server, RUNS).await, vec!["Bearer ghs_shared".to_owned(); 20]);
}

#[tokio::test]
async fn a_narrowed_source_asks_only_for_its_repositories_and_permissions() {
    let server = MockServer::start().await;
    let narrowed = json!({
        "repositories": ["octo-repo", "other-repo"],
        "repository_ids": [1296269],
        "permissions": {"actions": "write", "metadata": "read"},
    });
    Mock::given(method("POST"))
        .and(path(access_tokens_path(INSTALLATION_ID)))
        .and(body_json(&narrowed))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(installation_token("ghs_narrow", chrono::Duration::hours(1))),
        )
        .expect(1)
        .mount(&server)
        .await;
    runs_for(&server, "ghs_narrow").await;
    let source = app()
        .installation(INSTALLATION_ID)
        .repositories(["octo-repo"])
        .repositories(vec!["other-repo".to_owned()])
        .repository_ids([1296269])
        .permissions([("actions", "read"), ("metadata", "read")])
        .permissions([("actions", "write")]);
    let shown = format!("{source:?}");
    assert!(shown.contains("other-repo") && shown.contains("actions"), "{shown}");
    let client = Client::builder().base_url(server.uri()).token_source(source).build().unwrap();
    assert_eq!(list(&client).await.unwrap(), 1);

    // Not narrowed: the exchange sends no body at all, and the token has all the
    // installation was granted.
    let server = MockServer::start().await;
    exchange_answers(&server, "ghs_all", 60, 1).await;
    runs_for(&server, "ghs_all").await;
    assert_eq!(list(&app_client(&server)).await.unwrap(), 1);
    let exchange =
        received(&server).await.into_iter().find(|r| r.url.path() == access_tokens_path(INSTALLATION_ID)).unwrap();
    assert!(exchange.body.is_empty(), "{:?}", String::from_utf8_lossy(&exchange.body));
}

#[tokio::test]
async fn a_failed_exchange_is_shared_by_the_calls_that_waited_for_it() {
    let server = MockServer::start().await;
    let suspended = fixtures::api_error("This installation has been suspended", "https://docs.github.com/rest/apps");
    slow_exchange(&server, ResponseTemplate::new(403).set_body_json(suspended), 1).await;
    exchange_answers(&server, "ghs_later", 60, 1).await;
    runs_for(&server, "ghs_later").await;
    let client = app_client(&server);

    let results = join_all((0..20).map(|_| list(&client))).await;
    // One exchange, not twenty in turn: the call that made it has its error, the
    // nineteen that waited for it share its message.
    assert_eq!(exchanges(&server).await, 1);
    let auth = |result: &Result<i64, Error>| match result {
        Err(Error::Auth(auth)) => Some(auth.to_string()),
        _ => None,
    };
    let messages: Vec<String> = results.iter().map(|r| auth(r).unwrap_or_else(|| panic!("{r:?}"))).collect();
    assert_eq!(messages.iter().filter(|m| m.starts_with("the token exchange failed: ")).count(), 1, "{messages:?}");
    let shared =
        messages.iter().filter(|m| m.starts_with("the token exchange this request waited for failed: ")).count();
    assert_eq!(shared, 19, "{messages:?}");
    assert!(messages.iter().all(|m| m.contains("This installation has been suspended")), "{messages:?}");
    // Each waiter's error answers for the refusal it shared as the first call's does.
    assert!(results.iter().all(|r| r.as_ref().unwrap_err().is_forbidden()), "{results:?}");
    assert!(results.iter().all(|r| r.as_ref().unwrap_err().status().is_none()), "{results:?}");
    assert!(authorizations(&server, RUNS).await.is_empty());

    // The failure is not kept: the next call exchanges again.
    assert_eq!(list(&client).await.unwrap(), 1);
    assert_eq!(exchanges(&server).await, 2);
}

#[tokio::test]
async fn a_transient_exchange_failure_is_retried_per_the_clients_policy() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(access_tokens_path(INSTALLATION_ID)))
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    exchange_answers(&server, "ghs_second_try", 60, 1).await;
    runs_for(&server, "ghs_second_try").await;
    let client = Client::builder()
        .base_url(server.uri())
        .token_source(app().installation(INSTALLATION_ID))
        .retry(fixtures::quick_retries())
        .build()
        .unwrap();
    assert_eq!(list(&client).await.unwrap(), 1);
    let jwts = authorizations(&server, &access_tokens_path(INSTALLATION_ID)).await;
    assert_eq!(jwts.len(), 2, "the exchange was sent again after its 502");
    assert_eq!(jwts[0], jwts[1], "with the same JSON web token");
    assert_eq!(authorizations(&server, RUNS).await, ["Bearer ghs_second_try"]);
}

#[tokio::test]
async fn a_token_near_expiry_is_refreshed_before_use_once_under_concurrent_calls() {
    let server = MockServer::start().await;
    // Two minutes left is inside the five-minute margin: used once, then replaced.
    exchange_answers(&server, "ghs_expiring", 2, 1).await;
    exchange_answers(&server, "ghs_fresh", 60, 1).await;
    exchange_answers(&server, "ghs_unwanted", 60, 100).await;
    Mock::given(path(RUNS))
        .respond_with(ResponseTemplate::new(200).set_body_json(runs_page(1, &[5])))
        .mount(&server)
        .await;
    let client = app_client(&server);

    list(&client).await.unwrap();
    let results = join_all((0..20).map(|_| list(&client))).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");

    assert_eq!(exchanges(&server).await, 2);
    let mut expected = vec!["Bearer ghs_expiring".to_owned()];
    expected.extend(vec!["Bearer ghs_fresh".to_owned(); 20]);
    assert_eq!(authorizations(&server, RUNS).await, expected);
}

#[tokio::test]
async fn concurrent_401s_for_an_expired_token_refresh_it_once_and_retry_each_call_once() {
    let server = MockServer::start().await;
    exchange_answers(&server, "ghs_expired", 60, 1).await;
    exchange_answers(&server, "ghs_new", 60, 1).await;
    exchange_answers(&server, "ghs_unwanted", 60, 100).await;
    // The first token serves one call, then the server holds it expired (revoked early,
    // or a clock far off): `expires_at` said an hour.
    Mock::given(path("/repos/o/r/actions/runs/5"))
        .respond_with(ResponseTemplate::new(200).set_body_json(workflow_run(5)))
        .mount(&server)
        .await;
    runs_for(&server, "ghs_new").await;
    let client = app_client(&server);
    client.actions().get_workflow_run("o", "r", 5).send().await.unwrap();

    let results = join_all((0..20).map(|_| list(&client))).await;
    assert!(results.iter().all(|result| matches!(result, Ok(1))), "{results:?}");

    assert_eq!(exchanges(&server).await, 2, "one exchange, then one refresh for all twenty");
    let sent = authorizations(&server, RUNS).await;
    assert_eq!(sent.len(), 40, "each call sent twice: {sent:?}");
    assert_eq!(sent.iter().filter(|auth| *auth == "Bearer ghs_expired").count(), 20);
    assert_eq!(sent.iter().filter(|auth| *auth == "Bearer ghs_new").count(), 20);
}

#[tokio::test]
async fn a_401_to_a_post_refreshes_the_token_and_sends_it_once_more() {
    let server = MockServer::start().await;
    exchange_answers(&server, "ghs_revoked", 60, 1).await;
    exchange_answers(&server, "ghs_new", 60, 1).await;
    let cancel = "/repos/o/r/actions/runs/9/cancel";
    Mock::given(method("POST"))
        .and(path(cancel))
        .and(header("authorization", "Bearer ghs_new"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({})))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path(cancel)).respond_with(ResponseTemplate::new(401)).with_priority(2).mount(&server).await;

    app_client(&server).actions().cancel_workflow_run("o", "r", 9).send().await.unwrap();

    assert_eq!(exchanges(&server).await, 2);
    assert_eq!(authorizations(&server, cancel).await, ["Bearer ghs_revoked", "Bearer ghs_new"]);
}

#[tokio::test]
async fn a_second_401_is_the_error_not_another_refresh() {
    let server = MockServer::start().await;
    exchange_answers(&server, "ghs_a", 60, 1).await;
    exchange_answers(&server, "ghs_b", 60, 1).await;
    exchange_answers(&server, "ghs_c", 60, 100).await;
    runs_for(&server, "never-issued").await;

    let error = list(&app_client(&server)).await.unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(401), "{error}");
    assert!(error.to_string().contains("Bad credentials"), "{error}");
    assert_eq!(exchanges(&server).await, 2);
    assert_eq!(authorizations(&server, RUNS).await, ["Bearer ghs_a", "Bearer ghs_b"]);
}

#[tokio::test]
async fn a_fixed_token_refused_with_401_is_not_sent_again() {
    let server = MockServer::start().await;
    runs_for(&server, "another").await;

    let error = list(&fixtures::client(&server)).await.unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(authorizations(&server, RUNS).await, [format!("Bearer {}", fixtures::TOKEN)]);
}

/// A source of the caller's own: numbered tokens, a new one after each rejection.
#[derive(Debug, Default)]
struct Numbered {
    current: AtomicUsize,
    asked: AtomicUsize,
    rejected: Mutex<Vec<String>>,
}

impl TokenSource for Numbered {
    fn token<'a>(&'a self, _client: &'a Client) -> TokenFuture<'a> {
        self.asked.fetch_add(1, Ordering::SeqCst);
        let token = format!("custom-{}", self.current.load(Ordering::SeqCst));
        Box::pin(async move { Ok(SecretToken::new(token)) })
    }

    fn reject(&self, rejected: &SecretToken) -> bool {
        self.rejected.lock().unwrap().push(rejected.expose().to_owned());
        self.current.fetch_add(1, Ordering::SeqCst);
        true
    }
}

#[tokio::test]
async fn a_custom_token_source_is_asked_per_request_and_told_of_rejections() {
    let server = MockServer::start().await;
    runs_for(&server, "custom-1").await;
    let source = Arc::new(Numbered::default());
    let client = Client::builder().base_url(server.uri()).token_source(source.clone()).build().unwrap();

    assert_eq!(list(&client).await.unwrap(), 1);
    assert_eq!(list(&client).await.unwrap(), 1);

    assert_eq!(authorizations(&server, RUNS).await, ["Bearer custom-0", "Bearer custom-1", "Bearer custom-1"]);
    assert_eq!(*source.rejected.lock().unwrap(), ["custom-0"]);
    assert_eq!(source.asked.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_custom_source_that_fails_stops_the_request_with_its_error() {
    #[derive(Debug)]
    struct Broken;
    impl TokenSource for Broken {
        fn token<'a>(&'a self, _client: &'a Client) -> TokenFuture<'a> {
            Box::pin(async { Err(Error::auth("the vault is sealed")) })
        }
    }
    let server = MockServer::start().await;
    let client = Client::builder().base_url(server.uri()).token_source(Broken).build().unwrap();

    let error = list(&client).await.unwrap_err();

    assert!(matches!(&error, Error::Auth(e) if matches!(**e, AuthError::Source(_))), "{error:?}");
    assert_eq!(error.to_string(), "authentication failed: the vault is sealed");
    assert!(received(&server).await.is_empty(), "nothing is sent without a token");
}

#[tokio::test]
async fn debug_output_shows_neither_the_key_nor_any_token() {
    let server = MockServer::start().await;
    exchange_answers(&server, "ghs_Sup3rS3cretInstallationT0ken", 60, 1).await;
    Mock::given(path(RUNS))
        .respond_with(ResponseTemplate::new(200).set_body_json(runs_page(1, &[5])))
        .mount(&server)
        .await;
    let app = app();
    let source = Arc::new(app.installation(INSTALLATION_ID));
    let builder = Client::builder().base_url(server.uri()).token_source(source.clone());
    let client = builder.clone().build().unwrap();
    list(&client).await.unwrap();
    let jwt = app.jwt().unwrap();

    let shown = format!("{app:?} {source:?} {builder:?} {client:?} {jwt:?} {:?}", fixtures::builder(&server));
    let key_line = APP_KEY.lines().nth(1).unwrap();
    for secret in [key_line, "ghs_Sup3rS3cretInstallationT0ken", jwt.expose(), fixtures::TOKEN] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert!(shown.contains("installation_id: 77") && shown.contains("token_expires_at: Some("), "{shown}");
}

#[tokio::test]
async fn a_refused_exchange_is_a_typed_error_with_status_and_message_but_no_jwt() {
    let server = MockServer::start().await;
    Mock::given(path(access_tokens_path(INSTALLATION_ID)))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(fixtures::api_error("Not Found", "https://docs.github.com/rest/apps"))
                .insert_header("x-github-request-id", "AB12:3456"),
        )
        .mount(&server)
        .await;

    let error = list(&app_client(&server)).await.unwrap_err();

    let Error::Auth(auth) = &error else { panic!("{error:?}") };
    let AuthError::Exchange(refusal) = &**auth else { panic!("{auth:?}") };
    assert_eq!(refusal.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(refusal.request_id(), Some("AB12:3456"));
    let text = error.to_string();
    assert!(text.starts_with("authentication failed: the token exchange failed: GitHub API error 404"), "{text}");
    assert!(text.contains("Not Found"), "{text}");
    assert_eq!(error.status(), None, "a failed exchange says nothing of the resource asked for");
    let jwt = authorizations(&server, &access_tokens_path(INSTALLATION_ID)).await.remove(0);
    let jwt = jwt.strip_prefix("Bearer ").unwrap();
    assert!(!text.contains(jwt) && !format!("{error:?}").contains(jwt));
    assert!(authorizations(&server, RUNS).await.is_empty(), "the call is not sent without a token");
}

/// What the predicates of `error` say, in order: unauthorized, forbidden, rate limited,
/// server error, not found.
fn predicates(error: &Error) -> [bool; 5] {
    [
        error.is_unauthorized(),
        error.is_forbidden(),
        error.is_rate_limited(),
        error.is_server_error(),
        error.is_not_found(),
    ]
}

#[tokio::test]
async fn the_error_predicates_answer_for_a_failed_exchange_as_for_the_call_itself() {
    let limited = ResponseTemplate::new(403)
        .set_body_json(fixtures::api_error("API rate limit exceeded", "https://docs.github.com/rest"))
        .insert_header("x-ratelimit-remaining", "0")
        .insert_header("retry-after", "30");
    let bad_credentials = fixtures::api_error("A JSON web token could not be decoded", "https://docs.github.com/rest");
    let suspended = fixtures::api_error("This installation has been suspended", "https://docs.github.com/rest/apps");
    for (answer, retried, expected) in [
        (ResponseTemplate::new(401).set_body_json(&bad_credentials), false, [true, false, false, false, false]),
        (ResponseTemplate::new(403).set_body_json(&suspended), false, [false, true, false, false, false]),
        (limited, false, [false, false, true, false, false]),
        (ResponseTemplate::new(500), false, [false, false, false, true, false]),
        // Retried per the client's policy until it gave up: the last attempt's status.
        (ResponseTemplate::new(502), true, [false, false, false, true, false]),
        // An unknown installation says nothing of the runs asked for.
        (ResponseTemplate::new(404), false, [false, false, false, false, false]),
    ] {
        let server = MockServer::start().await;
        let answer = answer.insert_header("x-github-request-id", "EX:1");
        Mock::given(path(access_tokens_path(INSTALLATION_ID))).respond_with(answer).mount(&server).await;
        let mut builder = Client::builder().base_url(server.uri()).token_source(app().installation(INSTALLATION_ID));
        if retried {
            builder = builder.retry(fixtures::quick_retries());
        }

        let error = list(&builder.build().unwrap()).await.unwrap_err();

        assert_eq!(predicates(&error), expected, "{error:?}");
        let Error::Auth(auth) = &error else { panic!("{error:?}") };
        let AuthError::Exchange(refusal) = &**auth else { panic!("{auth:?}") };
        // The same as the refusal says of itself, but for the resource's own `404`.
        assert_eq!(predicates(refusal)[..4], expected[..4], "{refusal:?}");
        assert!(error.to_string().starts_with("authentication failed: the token exchange failed: "), "{error}");
        assert_eq!(error.request_id(), Some("EX:1"), "{error:?}");
        assert_eq!(error.status(), None, "the status of the runs asked for is unknown");
        assert_eq!(exchanges(&server).await, if retried { 3 } else { 1 });
        assert!(authorizations(&server, RUNS).await.is_empty());
    }
}

#[tokio::test]
async fn a_rate_limited_exchange_says_when_to_try_again() {
    let server = MockServer::start().await;
    Mock::given(path(access_tokens_path(INSTALLATION_ID)))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "30"))
        .mount(&server)
        .await;
    let error = list(&app_client(&server)).await.unwrap_err();
    assert!(error.is_rate_limited(), "{error:?}");
    assert_eq!(error.retry_after(), Some(std::time::Duration::from_secs(30)), "{error:?}");
}

#[tokio::test]
async fn unusable_exchange_answers_are_typed_errors_that_never_quote_the_token() {
    let expires = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    for (body, expected) in [
        (json!({ "token": "ghs_hidden" }), "no `expires_at` time"),
        (
            json!({ "token": "ghs_hidden", "expires_at": "tomorrow" }),
            "an `expires_at` that is not an RFC 3339 time (\"tomorrow\"",
        ),
        (json!({ "token": "ghs_hidden", "expires_at": 1_700_000_000 }), "no `expires_at` time"),
        (json!({ "expires_at": expires }), "no `token` string"),
        (json!({ "token": "ghs hidden\n", "expires_at": expires }), "a `token` that cannot be sent in a header"),
        (json!(["ghs_hidden"]), "no `token` string"),
    ] {
        let server = MockServer::start().await;
        Mock::given(path(access_tokens_path(INSTALLATION_ID)))
            .respond_with(ResponseTemplate::new(201).set_body_json(&body))
            .mount(&server)
            .await;
        let error = list(&app_client(&server)).await.unwrap_err();
        assert!(matches!(&error, Error::Auth(e) if matches!(**e, AuthError::InvalidAnswer(_))), "{body}: {error:?}");
        let text = error.to_string();
        assert!(text.contains(expected), "{body}: {text}");
        assert!(!text.contains("hidden") && !format!("{error:?}").contains("hidden"), "{text}");
    }

    let server = MockServer::start().await;
    Mock::given(path(access_tokens_path(INSTALLATION_ID)))
        .respond_with(ResponseTemplate::new(201).set_body_string("token=ghs_hidden"))
        .mount(&server)
        .await;
    let error = list(&app_client(&server)).await.unwrap_err();
    assert!(error.to_string().contains("a body that is not JSON") && !error.to_string().contains("hidden"), "{error}");
}

#[tokio::test]
async fn an_endless_exchange_answer_stops_at_the_body_limit() {
    let server = MockServer::start().await;
    Mock::given(path(access_tokens_path(INSTALLATION_ID)))
        .respond_with(
            ResponseTemplate::new(201).set_body_string(format!("{{\"token\": \"{}\"}}", "x".repeat(64 * 1024))),
        )
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .max_body_bytes(4096)
        .token_source(app().installation(INSTALLATION_ID))
        .build()
        .unwrap();

    let error = list(&client).await.unwrap_err();

    let Error::Auth(auth) = &error else { panic!("{error:?}") };
    assert!(
        matches!(&**auth, AuthError::Exchange(inner) if matches!(**inner, Error::BodyTooLarge { limit: 4096 })),
        "{auth:?}"
    );
}

#[test]
fn keys_that_cannot_sign_are_refused_up_front_without_quoting_them() {
    let truncated: String = APP_KEY.lines().take(10).chain(APP_KEY.lines().last()).collect::<Vec<_>>().join("\n");
    for (pem, expected) in [
        (fixtures::EC_KEY.to_owned(), "it is a PKCS #8 private key, but not an RSA one"),
        ("not a key at all".to_owned(), "it is not PEM text"),
        (fixtures::APP_PUBLIC_KEY.to_owned(), "it is a `RSA PUBLIC KEY`, not an RSA private key"),
        (truncated, "signing failed"),
    ] {
        let error = GitHubApp::from_pem("4242", &pem).unwrap_err();
        assert!(matches!(&error, Error::Auth(e) if matches!(**e, AuthError::InvalidKey(_))), "{error:?}");
        let text = error.to_string();
        assert!(text.starts_with("authentication failed: the private key is unusable: "), "{text}");
        assert!(text.contains(expected), "{text}");
        let body_line = pem.lines().nth(1).unwrap_or(&pem);
        assert!(!text.contains(body_line) && !format!("{error:?}").contains(body_line), "{text}");
    }
    assert!(matches!(GitHubApp::from_pem(" ", APP_KEY), Err(Error::Config(_))));
}

#[test]
fn a_pkcs8_key_and_a_client_id_sign_tokens_too() {
    let app = GitHubApp::from_pem("Iv23liExampleClientId", fixtures::APP_KEY_PKCS8).unwrap();
    let claims = verified_claims(app.jwt().unwrap().expose());
    assert_eq!(claims["iss"], json!("Iv23liExampleClientId"));
}

#[tokio::test]
async fn the_installation_token_never_goes_to_another_origin() {
    let (api, storage) = (MockServer::start().await, MockServer::start().await);
    exchange_answers(&api, "ghs_api_only", 60, 1).await;
    let location = format!("{}/logs/run-7.zip?sig=abc", storage.uri());
    Mock::given(path("/repos/o/r/actions/runs/7/logs"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", location.as_str()))
        .mount(&api)
        .await;
    Mock::given(path("/logs/run-7.zip"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"PK".to_vec()))
        .mount(&storage)
        .await;
    let client = app_client(&api);

    let redirect = client.actions().download_workflow_run_logs("o", "r", 7).send().await.unwrap();
    let mut archive = Vec::new();
    client.download_to(&redirect.location, &mut archive).await.unwrap();

    assert_eq!(archive, b"PK");
    assert_eq!(authorizations(&api, "/repos/o/r/actions/runs/7/logs").await, ["Bearer ghs_api_only"]);
    let at_storage = received(&storage).await;
    assert_eq!(at_storage.len(), 1);
    assert!(at_storage[0].headers.get("authorization").is_none());
}

/// The source can be shared: two clients (say, of different timeouts) with one cache.
#[tokio::test]
async fn clients_sharing_a_source_share_its_token() {
    let server = MockServer::start().await;
    exchange_answers(&server, "ghs_shared", 60, 100).await;
    runs_for(&server, "ghs_shared").await;
    let source: Arc<InstallationTokenSource> = Arc::new(app().installation(INSTALLATION_ID));
    let first = Client::builder().base_url(server.uri()).token_source(source.clone()).build().unwrap();
    let second = Client::builder().base_url(server.uri()).token_source(source).build().unwrap();

    list(&first).await.unwrap();
    list(&second).await.unwrap();

    assert_eq!(exchanges(&server).await, 1);
}
