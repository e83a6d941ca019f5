//! Credentials set on the builder other than the token (`ClientBuilder::header` with
//! `X-API-Key`, `Authorization` or `Cookie`, `query_credential`, `cookie_credential`,
//! `basic_auth`): sent only to the API's origin, never shown, and part of who a client
//! is to a shared response cache.

mod fixtures;

use fixtures::{received, workflow_run, ConditionalResource};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use workflow_runs_client::{Client, ClientBuilder, Error, ResponseCache};

/// The API key the tests send; tests that guard it search output for it.
const KEY: &str = "k3y-Sup3rS3cretApiKeyValue";
const RUN: &str = "/repos/o/r/actions/runs/7";

fn header_of<'r>(request: &'r wiremock::Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

fn query_of(request: &wiremock::Request, name: &str) -> Vec<String> {
    request.url.query_pairs().filter(|(n, _)| n == name).map(|(_, v)| v.into_owned()).collect()
}

/// A builder for `server` that authenticates with an API key header only.
fn keyed(server: &MockServer, key: &str) -> ClientBuilder {
    Client::builder().base_url(server.uri()).header("X-API-Key", key)
}

/// An API whose `/archive` redirects to `/blob` on a storage host, and both answer.
async fn api_redirecting_to_storage() -> (MockServer, MockServer) {
    let api = MockServer::start().await;
    let storage = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/archive"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", format!("{}/blob", storage.uri()).as_str()))
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .and(path("/blob"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"log lines".to_vec()))
        .mount(&storage)
        .await;
    (api, storage)
}

#[tokio::test]
async fn an_api_key_header_goes_to_the_api_and_never_to_a_download_host() {
    let (api, storage) = api_redirecting_to_storage().await;
    Mock::given(method("GET"))
        .and(path(RUN))
        .respond_with(ResponseTemplate::new(200).set_body_json(workflow_run(7)))
        .mount(&api)
        .await;
    let client = keyed(&api, KEY).build().unwrap();

    client.actions().get_workflow_run("o", "r", 7).send().await.unwrap();
    let mut buffer = Vec::new();
    // Redirected off the origin by the API, then fetched from the storage host directly.
    client.download_to(&format!("{}/archive", api.uri()), &mut buffer).await.unwrap();
    client.download_to(&format!("{}/blob", storage.uri()), &mut buffer).await.unwrap();

    let to_api = received(&api).await;
    assert_eq!(to_api.len(), 2);
    assert!(
        to_api.iter().all(|r| header_of(r, "x-api-key") == Some(KEY)),
        "the API gets the key on calls and downloads"
    );
    let to_storage = received(&storage).await;
    assert_eq!(to_storage.len(), 2);
    for request in &to_storage {
        assert_eq!(header_of(request, "x-api-key"), None);
        assert!(request.headers.values().all(|v| !v.as_bytes().windows(KEY.len()).any(|w| w == KEY.as_bytes())));
    }
}

#[tokio::test]
async fn authorization_and_cookie_headers_set_by_hand_stay_on_the_api_origin() {
    let (api, storage) = api_redirecting_to_storage().await;
    let client = Client::builder()
        .base_url(api.uri())
        .header("Authorization", format!("ApiKey {KEY}"))
        .header("Cookie", format!("sid={KEY}"))
        .build()
        .unwrap();

    client.download_to(&format!("{}/archive", api.uri()), &mut Vec::new()).await.unwrap();

    let to_api = &received(&api).await[0];
    assert_eq!(header_of(to_api, "authorization"), Some(format!("ApiKey {KEY}").as_str()));
    assert_eq!(header_of(to_api, "cookie"), Some(format!("sid={KEY}").as_str()));
    let to_storage = &received(&storage).await[0];
    assert_eq!((header_of(to_storage, "authorization"), header_of(to_storage, "cookie")), (None, None));
}

#[test]
fn debug_of_the_builder_and_client_names_credential_headers_but_never_shows_them() {
    let builder = Client::builder()
        .base_url("https://api.example.com")
        .header("X-API-Key", KEY)
        .header("Authorization", format!("Basic {KEY}"))
        .header("X-Trace", "shown");
    let shown = format!("{builder:?}");
    assert!(!shown.contains(KEY), "{shown}");
    assert!(shown.contains("x-api-key") && shown.contains("authorization") && shown.contains("shown"), "{shown}");

    let client = builder.build().unwrap();
    let shown = format!("{client:?}");
    assert!(!shown.contains(KEY), "{shown}");
    assert!(shown.contains("x-api-key"), "{shown}");
}

#[test]
fn an_invalid_credential_header_value_is_named_but_never_quoted() {
    let secret = format!("{KEY}\nsecond line");
    let error =
        Client::builder().base_url("https://api.example.com").header("X-API-Key", secret.as_str()).build().unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    assert!(message.contains("x-api-key"), "{message}");
    assert!(!message.contains("k3y") && !format!("{error:?}").contains("k3y"), "{message}");
}

#[tokio::test]
async fn clients_differing_only_in_their_api_key_never_share_a_cached_response() {
    let api = MockServer::start().await;
    let resource = ConditionalResource::new(workflow_run(7));
    Mock::given(method("GET")).and(path(RUN)).respond_with(resource.clone()).mount(&api).await;
    let cache = ResponseCache::new(16);
    let alice = keyed(&api, "alice-key").conditional_requests(cache.clone()).build().unwrap();
    let bob = keyed(&api, "bob-key").conditional_requests(cache.clone()).build().unwrap();

    alice.actions().get_workflow_run("o", "r", 7).send().await.unwrap();
    bob.actions().get_workflow_run("o", "r", 7).send().await.unwrap();
    alice.actions().get_workflow_run("o", "r", 7).send().await.unwrap();

    let requests = received(&api).await;
    let validators: Vec<Option<&str>> = requests.iter().map(|r| header_of(r, "if-none-match")).collect();
    let etag = resource.etag();
    // Bob's first request asks afresh: Alice's kept answer is not his to revalidate.
    assert_eq!(validators, [None, None, Some(etag.as_str())]);
    assert_eq!(resource.not_modified(), 1);
    assert_eq!(cache.len(), 2);
}

#[tokio::test]
async fn clients_differing_only_in_a_query_credential_never_share_a_cached_response() {
    let api = MockServer::start().await;
    let resource = ConditionalResource::new(workflow_run(7));
    Mock::given(method("GET")).and(path(RUN)).respond_with(resource.clone()).mount(&api).await;
    let cache = ResponseCache::new(16);
    let build = |key: &str| {
        Client::builder()
            .base_url(api.uri())
            .query_credential("api_key", key)
            .conditional_requests(cache.clone())
            .build()
            .unwrap()
    };

    build("alice-key").actions().get_workflow_run("o", "r", 7).send().await.unwrap();
    build("bob-key").actions().get_workflow_run("o", "r", 7).send().await.unwrap();

    let requests = received(&api).await;
    assert_eq!(header_of(&requests[1], "if-none-match"), None);
    assert_eq!(query_of(&requests[0], "api_key"), ["alice-key"]);
    assert_eq!(query_of(&requests[1], "api_key"), ["bob-key"]);
    assert_eq!(cache.len(), 2);
}

#[tokio::test]
async fn a_query_credential_goes_to_the_api_only_and_is_never_shown() {
    let (api, storage) = api_redirecting_to_storage().await;
    // The next-page link echoes the key and leads back to the first page.
    let link = format!("<{}/repos/o/r/actions/runs?per_page=1&api_key={KEY}>; rel=\"next\"", api.uri());
    Mock::given(method("GET"))
        .and(path("/repos/o/r/actions/runs"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(fixtures::runs_page(2, &[1])).insert_header("link", link.as_str()),
        )
        .mount(&api)
        .await;
    let builder =
        Client::builder().base_url(api.uri()).query_credential("api_key", KEY).query_credential("api_key", KEY);
    assert!(!format!("{builder:?}").contains(KEY));
    let client = builder.build().unwrap();
    assert!(!format!("{client:?}").contains(KEY));

    client.download_to(&format!("{}/archive", api.uri()), &mut Vec::new()).await.unwrap();
    use futures_util::StreamExt;
    let runs: Vec<_> = client.actions().list_workflow_runs_for_repo("o", "r").per_page(1).stream().collect().await;
    let error = runs.into_iter().find_map(Result::err).expect("the link loops back");
    assert!(matches!(error, Error::PageLoop { .. }), "{error:?}");
    assert!(!error.to_string().contains(KEY) && !format!("{error:?}").contains(KEY), "{error}");

    let to_api = received(&api).await;
    // The download and the first page: the echoed key is no part of the next link's
    // URL, which is the first page's again.
    assert_eq!(to_api.len(), 2);
    assert!(
        to_api.iter().all(|r| query_of(r, "api_key") == [KEY]),
        "{:?}",
        to_api.iter().map(|r| r.url.to_string()).collect::<Vec<_>>()
    );
    assert_eq!(query_of(&received(&storage).await[0], "api_key"), Vec::<String>::new());
}

#[tokio::test]
async fn cookie_credentials_and_basic_auth_are_sent_to_the_api_only() {
    let (api, storage) = api_redirecting_to_storage().await;
    let client = Client::builder()
        .base_url(api.uri())
        .cookie_credential("SID", "a b;c")
        .cookie_credential("theme", "dark")
        .basic_auth("user", "pass")
        .build()
        .unwrap();

    client.download_to(&format!("{}/archive", api.uri()), &mut Vec::new()).await.unwrap();

    let to_api = &received(&api).await[0];
    assert_eq!(header_of(to_api, "cookie"), Some("SID=a%20b%3Bc; theme=dark"));
    assert_eq!(header_of(to_api, "authorization"), Some("Basic dXNlcjpwYXNz"));
    let to_storage = &received(&storage).await[0];
    assert_eq!((header_of(to_storage, "cookie"), header_of(to_storage, "authorization")), (None, None));
}

#[tokio::test]
async fn a_token_takes_the_place_of_an_authorization_header_set_by_hand() {
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(RUN))
        .respond_with(ResponseTemplate::new(200).set_body_json(workflow_run(7)))
        .mount(&api)
        .await;
    let client = Client::builder().base_url(api.uri()).basic_auth("user", "pass").token("t0ken").build().unwrap();

    client.actions().get_workflow_run("o", "r", 7).send().await.unwrap();

    let request = &received(&api).await[0];
    let sent: Vec<&str> = request.headers.get_all("authorization").iter().filter_map(|v| v.to_str().ok()).collect();
    assert_eq!(sent, ["Bearer t0ken"]);
}
