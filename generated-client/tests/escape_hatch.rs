//! `Client::request`, the typed way to an endpoint the generated operations do not
//! cover, against wiremock: decoding into a caller's type, typed errors, credentials on
//! the API's origin only, retries, conditional requests and hostile path values.

mod fixtures;

use fixtures::{api_error, builder, client, quick_retries, received, ConditionalResource, TOKEN};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use workflow_runs_client::reqwest::Method;
use workflow_runs_client::{Error, ResponseCache};

/// The part of a repository the tests read: what no workflow-runs operation returns.
#[derive(Debug, serde::Deserialize, PartialEq)]
struct Repository {
    full_name: String,
    default_branch: String,
}

fn repository(full_name: &str, default_branch: &str) -> serde_json::Value {
    serde_json::json!({ "id": 1, "full_name": full_name, "default_branch": default_branch, "private": false })
}

fn authorization(request: &wiremock::Request) -> Option<&str> {
    request.headers.get("authorization").and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn a_success_decodes_into_the_callers_type_with_the_clients_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/octo-org/octo-repo"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-github-request-id", "AB:12")
                .set_body_json(repository("octo-org/octo-repo", "trunk")),
        )
        .mount(&server)
        .await;

    let answer = client(&server)
        .request(Method::GET, "/repos/{owner}/{repo}")
        .path("owner", "octo-org")
        .path("repo", "octo-repo")
        .send::<Repository>()
        .await
        .unwrap();
    assert_eq!(answer.default_branch, "trunk");
    assert_eq!(answer.request_id(), Some("AB:12"));
    assert!(!answer.from_cache());

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(authorization(&requests[0]), Some(format!("Bearer {TOKEN}").as_str()));
    assert_eq!(requests[0].headers.get("accept").unwrap(), "application/vnd.github+json", "the API's default headers");
    assert!(requests[0].headers.get("x-github-api-version").is_some());
}

#[tokio::test]
async fn query_header_and_json_body_are_sent_and_a_header_replaces_the_clients() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(204)).mount(&server).await;

    let sent = client(&server)
        .request(Method::POST, "/repos/{owner}/{repo}/dispatches")
        .path("owner", "o")
        .path("repo", "r")
        .query("dry_run", true)
        .query("label", "a b&c")
        .header("accept", "application/vnd.github.raw+json")
        .json(&serde_json::json!({ "event_type": "deploy" }))
        .send_empty()
        .await
        .unwrap();
    assert_eq!(sent.status().as_u16(), 204);

    let request = &received(&server).await[0];
    assert_eq!(request.url.path(), "/repos/o/r/dispatches");
    assert_eq!(request.url.query(), Some("dry_run=true&label=a+b%26c"));
    let accepts: Vec<_> = request.headers.get_all("accept").iter().collect();
    assert_eq!(accepts, ["application/vnd.github.raw+json"], "the request's header in place of the client's");
    assert_eq!(request.headers.get("content-type").unwrap(), "application/json");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&request.body).unwrap(),
        serde_json::json!({ "event_type": "deploy" })
    );
}

#[tokio::test]
async fn a_404_is_the_apis_typed_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(api_error("Not Found", "https://docs.github.com/rest/repos/repos#get-a-repository")),
        )
        .mount(&server)
        .await;

    let error = client(&server)
        .request(Method::GET, "/repos/{owner}/{repo}")
        .path("owner", "o")
        .path("repo", "gone")
        .send::<Repository>()
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    let Error::Api(api) = &error else { panic!("not the API's error: {error:?}") };
    assert_eq!(api.message, "Not Found");
    assert_eq!(api.documentation_url.as_deref(), Some("https://docs.github.com/rest/repos/repos#get-a-repository"));
}

#[tokio::test]
async fn an_exhausted_budget_is_a_rate_limit() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", "4102444800")
                .set_body_json(api_error("API rate limit exceeded", "https://docs.github.com/rest")),
        )
        .mount(&server)
        .await;
    let error = client(&server).request(Method::GET, "/rate_limited").send_bytes().await.unwrap_err();
    assert!(error.is_rate_limited() && !error.is_forbidden(), "{error:?}");
}

#[tokio::test]
async fn credentials_go_to_the_apis_origin_only() {
    let api = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    for server in [&api, &elsewhere] {
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(repository("o/r", "main")))
            .mount(server)
            .await;
    }
    let client = builder(&api).header("X-API-Key", "k3y").build().unwrap();

    // An absolute template on the API's origin is the API; another origin is not.
    let on_api: &'static str = Box::leak(format!("{}/repos/{{owner}}/{{repo}}", api.uri()).into_boxed_str());
    let off_api: &'static str = Box::leak(format!("{}/repos/{{owner}}/{{repo}}", elsewhere.uri()).into_boxed_str());
    for template in ["/repos/{owner}/{repo}", on_api, off_api] {
        let answer = client
            .request(Method::GET, template)
            .path("owner", "o")
            .path("repo", "r")
            .send::<Repository>()
            .await
            .unwrap();
        assert_eq!(answer.full_name, "o/r");
    }

    let at_api = received(&api).await;
    assert_eq!(at_api.len(), 2);
    for request in &at_api {
        assert_eq!(authorization(request), Some(format!("Bearer {TOKEN}").as_str()));
        assert_eq!(request.headers.get("x-api-key").unwrap(), "k3y");
    }
    let off = &received(&elsewhere).await[0];
    assert_eq!(off.url.path(), "/repos/o/r");
    assert_eq!(authorization(off), None, "the token went to another origin");
    assert!(off.headers.get("x-api-key").is_none(), "a credential header went to another origin");
    assert!(off.headers.get("accept").is_some(), "plain headers go everywhere");
}

#[tokio::test]
async fn a_get_is_retried_after_a_server_error_and_a_post_only_when_repeatable() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(repository("o/r", "main")))
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(502)).mount(&server).await;
    let client = builder(&server).retry(quick_retries()).retry_repeatable_posts(true).build().unwrap();

    let answer = client
        .request(Method::GET, "/repos/{owner}/{repo}")
        .path("owner", "o")
        .path("repo", "r")
        .send::<Repository>()
        .await
        .unwrap();
    assert_eq!(answer.default_branch, "main");
    assert_eq!(received(&server).await.len(), 2, "one failure, one retry");

    server.reset().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(502)).mount(&server).await;
    let once = client.request(Method::POST, "/things").send_empty().await.unwrap_err();
    assert!(once.is_server_error() && !matches!(once, Error::Retried { .. }), "{once:?}");
    assert_eq!(received(&server).await.len(), 1, "a POST is not sent again unless marked repeatable");

    server.reset().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(502)).mount(&server).await;
    let retried = client.request(Method::POST, "/things").repeatable().send_empty().await.unwrap_err();
    assert!(matches!(retried, Error::Retried { attempts: 3, .. }), "{retried:?}");
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn a_second_get_is_conditional_and_comes_from_the_cache() {
    let server = MockServer::start().await;
    let resource = ConditionalResource::new(repository("o/r", "main"));
    Mock::given(method("GET")).and(path("/repos/o/r")).respond_with(resource.clone()).mount(&server).await;
    let client = builder(&server).conditional_requests(ResponseCache::new(8)).build().unwrap();
    let get = || {
        client.request(Method::GET, "/repos/{owner}/{repo}").path("owner", "o").path("repo", "r").send::<Repository>()
    };

    let first = get().await.unwrap();
    let second = get().await.unwrap();
    assert!(!first.from_cache() && second.from_cache());
    assert_eq!(*second, *first);
    assert_eq!(second.status().as_u16(), 200);
    assert_eq!((resource.units_used(), resource.not_modified()), (1, 1));
    let requests = received(&server).await;
    assert_eq!(requests[1].headers.get("if-none-match").unwrap(), resource.etag().as_str());

    // A request with a credential of its own is not answered from the client's cache.
    let own = client
        .request(Method::GET, "/repos/{owner}/{repo}")
        .path("owner", "o")
        .path("repo", "r")
        .header("authorization", "Bearer another")
        .send::<Repository>()
        .await
        .unwrap();
    assert!(!own.from_cache());
    let requests = received(&server).await;
    assert!(requests[2].headers.get("if-none-match").is_none());
    assert_eq!(authorization(&requests[2]), Some("Bearer another"));
}

#[tokio::test]
async fn hostile_path_values_stay_inside_their_segment() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(repository("o/r", "main")))
        .mount(&server)
        .await;
    let client = client(&server);

    for (owner, want) in [
        ("../", "..%2F"),
        ("%2F", "%252F"),
        ("a?b=1", "a%3Fb%3D1"),
        ("x#y", "x%23y"),
        ("../../admin", "..%2F..%2Fadmin"),
    ] {
        client
            .request(Method::GET, "/repos/{owner}/{repo}")
            .path("owner", owner)
            .path("repo", "r")
            .send::<Repository>()
            .await
            .unwrap();
        let requests = received(&server).await;
        let request = requests.last().unwrap();
        assert_eq!(request.url.path(), format!("/repos/{want}/r"), "{owner}");
        assert_eq!(request.url.query(), None, "{owner}");
    }

    let sent = received(&server).await.len();
    for bad in ["..", ".", ""] {
        let error = client
            .request(Method::GET, "/repos/{owner}/{repo}")
            .path("owner", bad)
            .path("repo", "r")
            .send::<Repository>()
            .await
            .unwrap_err();
        assert!(matches!(error, Error::InvalidParameter { name: "owner", .. }), "{bad:?}: {error:?}");
    }
    assert_eq!(received(&server).await.len(), sent, "a refused value sends nothing");
}

#[tokio::test]
async fn a_template_that_does_not_fit_its_values_fails_without_sending() {
    let server = MockServer::start().await;
    let client = client(&server);
    let missing =
        client.request(Method::GET, "/repos/{owner}/{repo}").path("owner", "o").send_empty().await.unwrap_err();
    assert!(matches!(&missing, Error::InvalidParameter { name: "repo", .. }), "{missing:?}");
    let unknown = client
        .request(Method::GET, "/repos/{owner}")
        .path("owner", "o")
        .path("repo", "r")
        .send_empty()
        .await
        .unwrap_err();
    assert!(matches!(&unknown, Error::InvalidParameter { name: "repo", .. }), "{unknown:?}");
    assert!(unknown.to_string().contains("no placeholder `{repo}`"), "{unknown}");
    let unreadable = client.request(Method::GET, "/repos/{owner").path("owner", "o").send_empty().await.unwrap_err();
    assert!(matches!(&unreadable, Error::InvalidParameter { name: "template", .. }), "{unreadable:?}");
    let bad_header = client.request(Method::GET, "/x").header("x-note", "a\nb").send_empty().await.unwrap_err();
    assert!(matches!(&bad_header, Error::InvalidParameter { name: "x-note", .. }), "{bad_header:?}");
    assert!(received(&server).await.is_empty());
}
