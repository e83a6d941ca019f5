//! Behaviour of the client against local fake servers: what goes out on the wire
//! (URLs, headers, bodies) and what comes back (typed bodies, headers, errors).
//!
//! Most tests use a `wiremock` server standing in for the API; a second one stands in
//! for another origin (the storage behind log downloads, or a foreign pagination link).
//! A few use a raw TCP responder for answers wiremock cannot produce (a body cut short,
//! a chunked body without a length).

use futures_util::StreamExt;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use wiremock::matchers::{body_json, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};
mod fixtures;

use fixtures::{answer_in_turn, api_error, builder, client, quick_retries, received, runs_page, workflow_run, TOKEN};
use workflow_runs_client::types::{EmptyObject, WorkflowRunStatus};
use workflow_runs_client::{Client, Error, DEFAULT_API_VERSION, DEFAULT_MAX_BODY_BYTES, DEFAULT_USER_AGENT};

// ---------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------

fn header_of<'r>(request: &'r wiremock::Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

/// Path and query of a recorded request, e.g. `/repos/o/r/actions/runs?per_page=2`.
fn path_and_query(request: &wiremock::Request) -> String {
    match request.url.query() {
        Some(query) => format!("{}?{query}", request.url.path()),
        None => request.url.path().to_owned(),
    }
}

/// The token must not show up anywhere in what an error says about itself.
fn assert_token_hidden(error: &Error) {
    let shown = format!("{error} / {error:?}");
    assert!(!shown.contains(TOKEN), "token leaked through an error: {shown}");
    assert!(!shown.contains("Sup3rS3cret"), "token fragment leaked through an error: {shown}");
}

/// A file name in the temp directory that no other test uses.
fn temp_file(tag: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("workflow-runs-client-test-{}-{tag}-{n}.bin", std::process::id()))
}

/// A body of about `len` bytes that starts with `prefix` and is followed by two-byte
/// characters arranged so that byte 512 falls inside one of them.
fn straddling_body(prefix: &str, len: usize) -> String {
    let mut body = prefix.to_owned();
    if (512 - body.len()) % 2 == 0 {
        body.push('x');
    }
    while body.len() < len {
        body.push('é');
    }
    body
}

fn github_error(message: &str) -> Value {
    api_error(message, "https://docs.github.com/rest/actions/workflow-runs")
}

/// Serves one connection on 127.0.0.1 with `response` written verbatim after the
/// request head, then closes it; returns the server's base URL.
fn raw_server(response: Vec<u8>) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a local port");
    let address = listener.local_addr().expect("local address");
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") {
                match stream.read(&mut byte) {
                    Ok(1) => head.push(byte[0]),
                    _ => return,
                }
            }
            let _ = stream.write_all(&response);
            let _ = stream.flush();
        }
    });
    format!("http://{address}")
}

// ---------------------------------------------------------------------------------
// Connecting
// ---------------------------------------------------------------------------------

#[test]
fn default_base_url_is_public_github() {
    let client = Client::builder().build().unwrap();
    let base = client.base_url();
    assert_eq!(base.scheme(), "https");
    assert_eq!(base.host_str(), Some("api.github.com"));
    assert_eq!(base.port(), None);
    assert_eq!(base.as_str().trim_end_matches('/'), "https://api.github.com");
}

#[test]
fn enterprise_hostname_maps_to_api_v3() {
    let client = Client::builder().enterprise("ghe.example.com").build().unwrap();
    assert_eq!(client.base_url().as_str(), "https://ghe.example.com/api/v3");

    let trailing = Client::builder().enterprise("ghe.example.com/").build().unwrap();
    assert_eq!(trailing.base_url().as_str(), "https://ghe.example.com/api/v3");

    let plain = Client::builder().enterprise_with_protocol("http", "ghe.internal:8080").build().unwrap();
    assert_eq!(plain.base_url().as_str(), "http://ghe.internal:8080/api/v3");
}

#[test]
fn bad_base_urls_are_config_errors() {
    for bad in ["not a url", "ftp://x", "https://h/api?x=1", "https://h/api#frag", "", "mailto:someone@example.com"] {
        match Client::builder().base_url(bad).token(TOKEN).build() {
            Err(error @ Error::Config(_)) => assert_token_hidden(&error),
            other => panic!("base URL {bad:?} should be a configuration error, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn base_url_path_prefix_and_trailing_slash_are_not_doubled() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v3/repos/octo-org/octo-repo/actions/runs/7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(workflow_run(7)))
        .expect(2)
        .mount(&server)
        .await;

    for base in [format!("{}/api/v3/", server.uri()), format!("{}/api/v3", server.uri())] {
        let client = Client::builder().base_url(&base).build().unwrap();
        assert_eq!(client.base_url().path(), "/api/v3", "base {base}");
        let run = client.actions().get_workflow_run("octo-org", "octo-repo", 7).send().await.unwrap();
        assert_eq!(run.id, 7);
    }
    for request in received(&server).await {
        assert_eq!(request.url.path(), "/api/v3/repos/octo-org/octo-repo/actions/runs/7");
        assert!(!request.url.as_str().contains("//api"), "doubled slash in {}", request.url);
    }
}

#[tokio::test]
async fn sends_token_and_standard_headers() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/octo-org/octo-repo/actions/runs/1"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("accept", "application/vnd.github+json"))
        .and(header("x-github-api-version", DEFAULT_API_VERSION))
        .and(header("user-agent", DEFAULT_USER_AGENT))
        .respond_with(ResponseTemplate::new(200).set_body_json(workflow_run(1)))
        .expect(1)
        .mount(&server)
        .await;

    let run = client(&server).actions().get_workflow_run("octo-org", "octo-repo", 1).send().await.unwrap();
    assert_eq!(run.id, 1);

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(header_of(request, "authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    assert_eq!(header_of(request, "accept"), Some("application/vnd.github+json"));
    // The version the description names (`info.x-api-version`), whatever it is.
    assert_eq!(header_of(request, "x-github-api-version"), Some(DEFAULT_API_VERSION));
    // The package's own name and version.
    assert_eq!(header_of(request, "user-agent"), Some(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"))));
}

#[tokio::test]
async fn custom_user_agent_and_api_version_replace_the_defaults() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("user-agent", "release-bot/2.0"))
        .and(header("x-github-api-version", "2026-03-10"))
        .respond_with(ResponseTemplate::new(200).set_body_json(workflow_run(1)))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).user_agent("release-bot/2.0").api_version("2026-03-10").build().unwrap();
    client.actions().get_workflow_run("o", "r", 1).send().await.unwrap();
}

#[tokio::test]
async fn a_configured_header_replaces_a_default_of_that_name_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(workflow_run(1)))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server)
        .header("Accept", "application/json")
        .header("x-trace", "first")
        .header("X-Trace", "second")
        .api_version("2026-03-10")
        .build()
        .unwrap();
    client.actions().get_workflow_run("o", "r", 1).send().await.unwrap();
    let request = &received(&server).await[0];
    let all =
        |name: &str| request.headers.get_all(name).iter().map(|v| v.to_str().unwrap().to_owned()).collect::<Vec<_>>();
    assert_eq!(all("accept"), ["application/json"]);
    assert_eq!(all("x-trace"), ["second"]);
    assert_eq!(all("x-github-api-version"), ["2026-03-10"]);

    let error = builder(&server).header("bad name", "x").build().unwrap_err();
    assert!(matches!(&error, Error::Config(m) if m.contains("`bad name` is not a valid header name")), "{error}");
    let error = builder(&server).header("x-trace", "line\nbreak").build().unwrap_err();
    // Named, never quoted: any header may carry a credential.
    assert!(matches!(&error, Error::Config(m) if m.contains("header `x-trace`") && !m.contains("line")), "{error}");
}

#[tokio::test]
async fn no_authorization_header_without_a_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(workflow_run(1)))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    client.actions().get_workflow_run("o", "r", 1).send().await.unwrap();
    let requests = received(&server).await;
    assert_eq!(header_of(&requests[0], "authorization"), None);
}

#[tokio::test]
async fn path_parameters_are_encoded_as_single_segments() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(runs_page(0, &[])))
        .mount(&server)
        .await;
    let client = client(&server);
    client.actions().list_workflow_runs("octo org", "re/po", "ci.yml").send().await.unwrap();
    client.actions().list_workflow_runs("o", "r", 161335).send().await.unwrap();
    let error = client.actions().get_workflow_run("..", "r", 1).send().await.unwrap_err();
    assert!(matches!(error, Error::InvalidParameter { name: "owner", .. }), "{error:?}");

    let paths: Vec<String> = received(&server).await.iter().map(|r| r.url.path().to_owned()).collect();
    assert_eq!(
        paths,
        ["/repos/octo%20org/re%2Fpo/actions/workflows/ci.yml/runs", "/repos/o/r/actions/workflows/161335/runs"]
    );
}

#[tokio::test]
async fn token_never_shows_in_debug_output_or_errors() {
    let server = MockServer::start().await;
    let client = client(&server);
    let shown = format!("{client:?} {:?}", builder(&server));
    assert!(!shown.contains(TOKEN), "token in Debug output: {shown}");
    assert!(!shown.contains("Sup3rS3cret"), "token fragment in Debug output: {shown}");

    Mock::given(path("/repos/o/r/actions/runs/404"))
        .respond_with(ResponseTemplate::new(404).set_body_json(github_error("Not Found")))
        .mount(&server)
        .await;
    Mock::given(path("/repos/o/r/actions/runs/500"))
        .respond_with(ResponseTemplate::new(500).set_body_string("upstream failure"))
        .mount(&server)
        .await;
    Mock::given(path("/repos/o/r/actions/runs/200"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{\"id\": \"nope\"}"))
        .mount(&server)
        .await;
    Mock::given(path("/repos/o/r/actions/runs/429"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .mount(&server)
        .await;

    let mut errors = Vec::new();
    for id in [404, 500, 200] {
        errors.push(client.actions().get_workflow_run("o", "r", id).send().await.unwrap_err());
    }
    let retrying = builder(&server).retry(quick_retries()).build().unwrap();
    errors.push(retrying.actions().get_workflow_run("o", "r", 429).send().await.unwrap_err());

    // A transport error: nothing listens on this port any more.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let unreachable = Client::builder().base_url(closed).token(TOKEN).build().unwrap();
    errors.push(unreachable.actions().get_workflow_run("o", "r", 1).send().await.unwrap_err());

    // A token that cannot be a header value is refused without being repeated.
    errors.push(Client::builder().token(format!("{TOKEN}\n")).build().unwrap_err());

    assert!(matches!(errors[0], Error::Api(_)));
    assert!(matches!(errors[1], Error::UnexpectedStatus(_)));
    assert!(matches!(errors[2], Error::Decode(_)));
    assert!(matches!(errors[3], Error::Retried { attempts: 3, .. }));
    assert!(matches!(errors[4], Error::Transport(_)));
    assert!(matches!(errors[5], Error::Config(_)));
    for error in &errors {
        assert_token_hidden(error);
    }
}

// ---------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------

#[tokio::test]
async fn not_found_becomes_api_error_with_details() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/o/r/actions/runs/9"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-github-request-id", "CAFE:1234:5678")
                .set_body_json(github_error("Not Found")),
        )
        .expect(1)
        .mount(&server)
        .await;

    let error = client(&server).actions().get_workflow_run("o", "r", 9).send().await.unwrap_err();
    assert!(error.is_not_found() && !error.is_gone());
    assert_eq!(error.request_id(), Some("CAFE:1234:5678"));
    let Error::Api(api) = &error else { panic!("expected Error::Api, got {error:?}") };
    assert_eq!(api.status.as_u16(), 404);
    assert_eq!(api.message, "Not Found");
    assert_eq!(api.documentation_url.as_deref(), Some("https://docs.github.com/rest/actions/workflow-runs"));
    assert_eq!(api.request_id.as_deref(), Some("CAFE:1234:5678"));
    assert!(error.to_string().contains("Not Found"), "{error}");
}

#[tokio::test]
async fn validation_errors_keep_their_details() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(409).set_body_json(json!({
            "message": "Cannot cancel a workflow run that is completed.",
            "errors": [{"resource": "WorkflowRun", "code": "invalid"}]
        })))
        .mount(&server)
        .await;
    let error = client(&server).actions().cancel_workflow_run("o", "r", 3).send().await.unwrap_err();
    assert!(error.is_conflict());
    let Error::Api(api) = &error else { panic!("expected Error::Api, got {error:?}") };
    assert_eq!(api.documentation_url, None);
    assert_eq!(api.errors, vec![json!({"resource": "WorkflowRun", "code": "invalid"})]);
}

#[tokio::test]
async fn exhausted_rate_limit_403_is_rate_limited() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("x-ratelimit-limit", "5000")
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", "1700000000")
                .insert_header("x-github-request-id", "RL:1")
                .set_body_json(github_error("API rate limit exceeded for user ID 1.")),
        )
        .expect(1)
        .mount(&server)
        .await;

    let error = client(&server).actions().get_workflow_run("o", "r", 1).send().await.unwrap_err();
    let Error::RateLimited(limited) = &error else { panic!("expected Error::RateLimited, got {error:?}") };
    assert_eq!(limited.status.as_u16(), 403);
    assert_eq!(limited.remaining, Some(0));
    assert_eq!(limited.limit, Some(5000));
    assert_eq!(limited.reset.map(|t| t.timestamp()), Some(1_700_000_000));
    assert_eq!(limited.retry_after, None);
    assert_eq!(limited.message, "API rate limit exceeded for user ID 1.");
    assert_eq!(error.request_id(), Some("RL:1"));
}

#[tokio::test]
async fn forbidden_without_rate_limit_headers_is_an_api_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("x-ratelimit-remaining", "4999")
                .set_body_json(github_error("Resource not accessible by integration")),
        )
        .mount(&server)
        .await;
    let error = client(&server).actions().get_workflow_run("o", "r", 1).send().await.unwrap_err();
    assert!(matches!(&error, Error::Api(api) if api.status.as_u16() == 403), "{error:?}");
}

#[tokio::test]
async fn too_many_requests_429_carries_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "7")
                .set_body_json(github_error("You have exceeded a secondary rate limit.")),
        )
        .expect(1)
        .mount(&server)
        .await;

    let error = client(&server).actions().list_workflow_runs_for_repo("o", "r").send().await.unwrap_err();
    let Error::RateLimited(limited) = &error else { panic!("expected Error::RateLimited, got {error:?}") };
    assert_eq!(limited.status.as_u16(), 429);
    assert_eq!(limited.retry_after, Some(Duration::from_secs(7)));
    assert!(error.to_string().contains("retry after 7s"), "{error}");
}

#[tokio::test]
async fn html_error_page_is_unexpected_status_with_bounded_body() {
    let server = MockServer::start().await;
    // Larger than the part of an error body the client reads, and with a multi-byte
    // character across the 512-byte mark.
    let page = straddling_body("<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1><p>", 200 * 1024);
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(page.clone(), "text/html; charset=utf-8"))
        .expect(1)
        .mount(&server)
        .await;

    let error = client(&server).actions().get_workflow_run("o", "r", 1).send().await.unwrap_err();
    let Error::UnexpectedStatus(unexpected) = &error else { panic!("expected Error::UnexpectedStatus, got {error:?}") };
    assert_eq!(unexpected.status.as_u16(), 502);
    assert_eq!(unexpected.content_type.as_deref(), Some("text/html; charset=utf-8"));
    assert!(unexpected.body.len() <= 512, "body snippet of {} bytes", unexpected.body.len());
    assert!(unexpected.body.len() >= 500, "body snippet of only {} bytes", unexpected.body.len());
    assert!(page.starts_with(&unexpected.body), "snippet is not the start of the page: {:?}", unexpected.body);
    assert!(error.to_string().len() < 1024, "Display is not bounded: {} bytes", error.to_string().len());
}

#[tokio::test]
async fn empty_error_body_is_unexpected_status() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(500)).mount(&server).await;
    let error = client(&server).actions().get_workflow_run("o", "r", 1).send().await.unwrap_err();
    assert!(matches!(&error, Error::UnexpectedStatus(u) if u.status.as_u16() == 500 && u.body.is_empty()), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
}

#[tokio::test]
async fn truncated_json_is_a_decode_error() {
    let server = MockServer::start().await;
    let full = serde_json::to_string(&runs_page(2, &[1, 2])).unwrap();
    let truncated = &full[..full.len() / 2];
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-github-request-id", "TR:1")
                .set_body_raw(truncated.to_owned(), "application/json"),
        )
        .mount(&server)
        .await;

    let error = client(&server).actions().list_workflow_runs_for_repo("o", "r").send().await.unwrap_err();
    let Error::Decode(decode) = &error else { panic!("expected Error::Decode, got {error:?}") };
    assert_eq!(decode.status.as_u16(), 200);
    assert!(decode.path.starts_with("workflow_runs"), "path {:?}", decode.path);
    assert!(decode.snippet.len() <= 512);
    assert!(truncated.starts_with(&decode.snippet));
    assert_eq!(decode.request_id.as_deref(), Some("TR:1"));
}

#[tokio::test]
async fn a_body_that_is_not_utf8_is_a_decode_error() {
    let server = MockServer::start().await;
    let mut body = br#"{"total_count":1,"workflow_runs":[{"name":""#.to_vec();
    body.extend_from_slice(&[0xff, 0xfe, b'"', b'}', b']', b'}']);
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;

    let error = client(&server).actions().list_workflow_runs_for_repo("o", "r").send().await.unwrap_err();
    let Error::Decode(decode) = &error else { panic!("expected Error::Decode, got {error:?}") };
    assert!(decode.message.contains("not UTF-8"), "{}", decode.message);
    assert!(decode.snippet.starts_with("{\"total_count\":1"), "{:?}", decode.snippet);
}

#[tokio::test]
async fn html_with_200_is_a_decode_error() {
    let server = MockServer::start().await;
    let page = straddling_body("<html><head><title>Sign in</title></head><body>", 4096);
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(page.clone(), "text/html"))
        .mount(&server)
        .await;

    let error = client(&server).actions().get_workflow_run("o", "r", 1).send().await.unwrap_err();
    let Error::Decode(decode) = &error else { panic!("expected Error::Decode, got {error:?}") };
    assert_eq!(decode.content_type.as_deref(), Some("text/html"));
    assert_eq!(decode.path, ".");
    assert!(decode.snippet.len() <= 512, "snippet of {} bytes", decode.snippet.len());
    assert!(page.starts_with(&decode.snippet), "snippet is not the start of the body: {:?}", decode.snippet);
}

#[tokio::test]
async fn wrong_types_name_the_failing_field() {
    let server = MockServer::start().await;
    let mut page = runs_page(2, &[1, 2]);
    page["workflow_runs"][1]["run_number"] = json!("forty-two");
    Mock::given(path("/repos/o/r/actions/runs"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .mount(&server)
        .await;
    // An unknown member ahead of the bad value pushes a multi-byte character across the
    // 512-byte mark of the snippet.
    let note = straddling_body("{\"note\":\"", 1500);
    let body = format!("{note}\",\"total_count\":1,\"workflow_runs\":[{{\"id\":\"abc\"}}]}}");
    Mock::given(path("/repos/o/r/actions/workflows/ci.yml/runs"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"))
        .mount(&server)
        .await;
    let client = client(&server);

    let error = client.actions().list_workflow_runs_for_repo("o", "r").send().await.unwrap_err();
    let Error::Decode(decode) = &error else { panic!("expected Error::Decode, got {error:?}") };
    assert_eq!(decode.path, "workflow_runs[1].run_number");
    assert!(error.to_string().contains("workflow_runs[1].run_number"), "{error}");

    let error = client.actions().list_workflow_runs("o", "r", "ci.yml").send().await.unwrap_err();
    let Error::Decode(decode) = &error else { panic!("expected Error::Decode, got {error:?}") };
    assert_eq!(decode.path, "workflow_runs[0].id");
    assert!(decode.snippet.len() <= 512, "snippet of {} bytes", decode.snippet.len());
    assert!(body.starts_with(&decode.snippet), "snippet is not the start of the body: {:?}", decode.snippet);
}

#[tokio::test]
async fn trailing_garbage_after_json_is_a_decode_error() {
    let server = MockServer::start().await;
    let body = format!("{} <!-- cached -->", serde_json::to_string(&workflow_run(1)).unwrap());
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    let error = client(&server).actions().get_workflow_run("o", "r", 1).send().await.unwrap_err();
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
}

#[tokio::test]
async fn body_over_configured_limit_is_refused() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![b' '; 4096], "application/json"))
        .mount(&server)
        .await;
    let client = builder(&server).max_body_bytes(1024).build().unwrap();
    let error = client.actions().list_workflow_runs_for_repo("o", "r").send().await.unwrap_err();
    assert!(matches!(error, Error::BodyTooLarge { limit: 1024 }), "{error:?}");
}

#[tokio::test]
async fn huge_body_over_default_limit_is_refused() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![b'['; 40 * 1024 * 1024], "application/json"))
        .mount(&server)
        .await;
    let error = client(&server).actions().list_workflow_runs_for_repo("o", "r").send().await.unwrap_err();
    assert!(matches!(error, Error::BodyTooLarge { limit } if limit == DEFAULT_MAX_BODY_BYTES), "{error:?}");
}

#[tokio::test]
async fn chunked_body_without_length_is_cut_off_at_the_limit() {
    let mut response =
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..8 {
        response.extend_from_slice(format!("{:x}\r\n{}\r\n", 512, " ".repeat(512)).as_bytes());
    }
    response.extend_from_slice(b"0\r\n\r\n");
    let base = raw_server(response);
    let client = Client::builder().base_url(base).max_body_bytes(1024).build().unwrap();
    let error = client.actions().list_workflow_runs_for_repo("o", "r").send().await.unwrap_err();
    assert!(matches!(error, Error::BodyTooLarge { limit: 1024 }), "{error:?}");
}

#[tokio::test]
async fn undocumented_redirect_is_an_error_and_not_followed() {
    let api = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(workflow_run(1)))
        .expect(0)
        .mount(&elsewhere)
        .await;
    let target = format!("{}/repos/o/r/actions/runs/1", elsewhere.uri());
    Mock::given(method("GET"))
        .and(path("/repos/o/r/actions/runs/1"))
        .respond_with(ResponseTemplate::new(301).insert_header("location", target.as_str()))
        .expect(1)
        .mount(&api)
        .await;

    let error = client(&api).actions().get_workflow_run("o", "r", 1).send().await.unwrap_err();
    let Error::UnexpectedStatus(unexpected) = &error else { panic!("expected Error::UnexpectedStatus, got {error:?}") };
    assert_eq!(unexpected.status.as_u16(), 301);
    assert_eq!(unexpected.location.as_deref(), Some(target.as_str()));
    assert!(received(&elsewhere).await.is_empty());
}

#[tokio::test]
async fn responses_expose_rate_limit_and_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-ratelimit-limit", "5000")
                .insert_header("x-ratelimit-remaining", "4987")
                .insert_header("x-ratelimit-used", "13")
                .insert_header("x-ratelimit-reset", "1700003600")
                .insert_header("x-github-request-id", "ABCD:EF01")
                .set_body_json(workflow_run(5)),
        )
        .mount(&server)
        .await;

    let response = client(&server).actions().get_workflow_run("o", "r", 5).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.request_id(), Some("ABCD:EF01"));
    let limit = response.rate_limit().expect("rate-limit headers were sent");
    assert_eq!((limit.limit, limit.remaining, limit.used), (5000, 4987, Some(13)));
    assert_eq!(limit.reset.timestamp(), 1_700_003_600);
    assert_eq!(response.links(), Default::default());
}

// ---------------------------------------------------------------------------------
// Decoding what servers really send
// ---------------------------------------------------------------------------------

#[tokio::test]
async fn run_from_an_older_server_decodes_with_absent_fields() {
    let server = MockServer::start().await;
    let mut old = workflow_run(30433642);
    let fields = old.as_object_mut().unwrap();
    for absent in
        ["display_title", "path", "run_attempt", "triggering_actor", "referenced_workflows", "head_repository"]
    {
        assert!(fields.remove(absent).is_some(), "fixture lacks {absent}");
    }
    // The description's example has no `head_repository_id` to begin with.
    assert!(!fields.contains_key("head_repository_id"));
    fields.insert("head_commit".into(), Value::Null);
    Mock::given(method("GET"))
        .and(path("/repos/octo-org/octo-repo/actions/runs/30433642"))
        .respond_with(ResponseTemplate::new(200).set_body_json(old))
        .mount(&server)
        .await;

    let run = client(&server).actions().get_workflow_run("octo-org", "octo-repo", 30433642).send().await.unwrap();
    assert_eq!(run.id, 30433642);
    assert_eq!(run.display_title, None);
    assert_eq!(run.path, None);
    assert_eq!(run.run_attempt, None);
    assert_eq!(run.triggering_actor, None);
    assert_eq!(run.referenced_workflows, None);
    assert_eq!(run.head_repository_id, None);
    assert_eq!(run.head_repository, None);
    assert_eq!(run.head_commit, None);
    assert_eq!(run.repository.full_name, "octocat/Hello-World");
    assert_eq!(run.status, Some(WorkflowRunStatus::Queued));
}

#[tokio::test]
async fn unknown_fields_are_ignored() {
    let server = MockServer::start().await;
    let mut page = runs_page(1, &[1]);
    page["brand_new_top_level"] = json!({"nested": [1, 2, 3]});
    page["workflow_runs"][0]["brand_new_field"] = json!("surprise");
    page["workflow_runs"][0]["repository"]["brand_new_setting"] = json!(true);
    page["workflow_runs"][0]["actor"]["brand_new_flag"] = Value::Null;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(page)).mount(&server).await;
    let page = client(&server).actions().list_workflow_runs_for_repo("o", "r").send().await.unwrap();
    assert_eq!(page.total_count, 1);
    assert_eq!(page.workflow_runs[0].id, 1);
    assert_eq!(page.workflow_runs[0].actor.as_ref().map(|a| a.login.as_str()), Some("octocat"));
}

#[tokio::test]
async fn cancel_accepts_null_empty_and_object_bodies() {
    let server = MockServer::start().await;
    let bodies: [&[u8]; 4] = [b"null", b"", b"{}", b"  \n"];
    for (run_id, body) in (1..).zip(bodies) {
        Mock::given(method("POST"))
            .and(path(format!("/repos/o/r/actions/runs/{run_id}/cancel")))
            .respond_with(ResponseTemplate::new(202).set_body_raw(body.to_vec(), "application/json"))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server);
    for run_id in 1..=4 {
        let response = client.actions().cancel_workflow_run("o", "r", run_id).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 202);
        assert_eq!(*response.body(), EmptyObject::default());
    }
    assert!(received(&server).await.iter().all(|r| r.method.as_str() == "POST"));
}

#[tokio::test]
async fn reruns_send_their_json_bodies() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/repos/o/r/actions/runs/5/rerun"))
        .and(body_json(json!({"enable_debug_logging": true})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/repos/o/r/actions/runs/5/rerun-failed-jobs"))
        .and(body_json(json!({})))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    client.actions().re_run_workflow("o", "r", 5).enable_debug_logging(true).send().await.unwrap();
    client.actions().re_run_workflow_failed_jobs("o", "r", 5).send().await.unwrap();
    for request in received(&server).await {
        assert_eq!(header_of(&request, "content-type"), Some("application/json"));
    }
}

#[tokio::test]
async fn list_filters_become_query_parameters() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/o/r/actions/workflows/ci.yml/runs"))
        .and(query_param("branch", "release/1.x"))
        .and(query_param("status", "in_progress"))
        .and(query_param("created", ">=2024-01-01"))
        .and(query_param("per_page", "50"))
        .and(query_param_is_missing("page"))
        .respond_with(ResponseTemplate::new(200).set_body_json(runs_page(1, &[3])))
        .expect(1)
        .mount(&server)
        .await;
    let page = client(&server)
        .actions()
        .list_workflow_runs("o", "r", "ci.yml")
        .branch("release/1.x")
        .status(WorkflowRunStatus::InProgress)
        .created(">=2024-01-01")
        .per_page(50)
        .send()
        .await
        .unwrap();
    assert_eq!(page.workflow_runs.len(), 1);
}

// ---------------------------------------------------------------------------------
// Pagination
// ---------------------------------------------------------------------------------

/// Mounts a three-page listing: page 1 at the repository path the client builds,
/// pages 2 and 3 at the repository-id path the `Link` headers name.
async fn mount_three_pages(server: &MockServer, expect_pages: [u64; 3]) {
    let next =
        |page: u32| format!("<{}/repositories/42/actions/runs?per_page=2&page={page}>; rel=\"next\"", server.uri());
    let last = format!("<{}/repositories/42/actions/runs?per_page=2&page=3>; rel=\"last\"", server.uri());
    Mock::given(method("GET"))
        .and(path("/repos/octo-org/octo-repo/actions/runs"))
        .and(query_param("per_page", "2"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("link", format!("{}, {last}", next(2)).as_str())
                .set_body_json(runs_page(5, &[1, 2])),
        )
        .expect(expect_pages[0])
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repositories/42/actions/runs"))
        .and(query_param("page", "2"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("link", format!("{}, {last}", next(3)).as_str())
                .set_body_json(runs_page(5, &[3, 4])),
        )
        .expect(expect_pages[1])
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repositories/42/actions/runs"))
        .and(query_param("page", "3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(runs_page(5, &[5])))
        .expect(expect_pages[2])
        .mount(server)
        .await;
}

#[tokio::test]
async fn stream_follows_next_links_verbatim_to_the_last_page() {
    let server = MockServer::start().await;
    mount_three_pages(&server, [1, 1, 1]).await;
    let client = client(&server);

    let runs: Vec<_> =
        client.actions().list_workflow_runs_for_repo("octo-org", "octo-repo").per_page(2).stream().collect().await;
    let ids: Vec<i64> = runs.into_iter().map(|run| run.expect("every page decodes").id).collect();
    assert_eq!(ids, [1, 2, 3, 4, 5]);

    let requests = received(&server).await;
    let urls: Vec<String> = requests.iter().map(path_and_query).collect();
    assert_eq!(
        urls,
        [
            "/repos/octo-org/octo-repo/actions/runs?per_page=2",
            "/repositories/42/actions/runs?per_page=2&page=2",
            "/repositories/42/actions/runs?per_page=2&page=3",
        ]
    );
    for request in &requests {
        assert_eq!(header_of(request, "authorization"), Some(format!("Bearer {TOKEN}").as_str()), "{}", request.url);
    }
}

#[tokio::test]
async fn stream_stops_early_with_take() {
    let server = MockServer::start().await;
    mount_three_pages(&server, [1, 1, 0]).await;
    let client = client(&server);
    let ids: Vec<i64> = client
        .actions()
        .list_workflow_runs_for_repo("octo-org", "octo-repo")
        .per_page(2)
        .stream()
        .take(3)
        .map(|run| run.unwrap().id)
        .collect()
        .await;
    assert_eq!(ids, [1, 2, 3]);
    assert_eq!(received(&server).await.len(), 2);
    server.verify().await;
}

#[tokio::test]
async fn stream_of_a_workflow_uses_its_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/o/r/actions/workflows/161335/runs"))
        .respond_with(ResponseTemplate::new(200).set_body_json(runs_page(2, &[8, 9])))
        .expect(1)
        .mount(&server)
        .await;
    let ids: Vec<i64> =
        client(&server).actions().list_workflow_runs("o", "r", 161335).stream().map(|r| r.unwrap().id).collect().await;
    assert_eq!(ids, [8, 9]);
}

#[tokio::test]
async fn stream_reports_a_failing_page_and_ends() {
    let server = MockServer::start().await;
    let next = format!("<{}/repositories/42/actions/runs?page=2>; rel=\"next\"", server.uri());
    Mock::given(path("/repos/o/r/actions/runs"))
        .respond_with(ResponseTemplate::new(200).insert_header("link", next.as_str()).set_body_json(runs_page(2, &[1])))
        .mount(&server)
        .await;
    Mock::given(path("/repositories/42/actions/runs"))
        .respond_with(ResponseTemplate::new(500).set_body_json(github_error("Server Error")))
        .expect(1)
        .mount(&server)
        .await;

    let results: Vec<_> = client(&server).actions().list_workflow_runs_for_repo("o", "r").stream().collect().await;
    assert_eq!(results.len(), 2, "{results:?}");
    assert_eq!(results[0].as_ref().unwrap().id, 1);
    assert!(matches!(&results[1], Err(Error::Api(api)) if api.status.as_u16() == 500), "{:?}", results[1]);
}

#[tokio::test]
async fn single_page_exposes_its_links() {
    let server = MockServer::start().await;
    let link = format!(
        "<{0}/repositories/42/actions/runs?page=3>; rel=\"next\", <{0}/repositories/42/actions/runs?page=9>; rel=\"last\", \
         <{0}/repositories/42/actions/runs?page=1>; rel=\"first\", <{0}/repositories/42/actions/runs?page=1>; rel=\"prev\"",
        server.uri()
    );
    Mock::given(method("GET"))
        .and(query_param("page", "2"))
        .respond_with(
            ResponseTemplate::new(200).insert_header("link", link.as_str()).set_body_json(runs_page(18, &[3, 4])),
        )
        .expect(1)
        .mount(&server)
        .await;

    let page =
        client(&server).actions().list_workflow_runs_for_repo("o", "r").page(2).per_page(2).send().await.unwrap();
    let links = page.links();
    let at = |n: u32| Some(format!("{}/repositories/42/actions/runs?page={n}", server.uri()));
    assert_eq!(links.next, at(3));
    assert_eq!(links.last, at(9));
    assert_eq!(links.first, at(1));
    assert_eq!(links.prev, at(1));
    assert_eq!(page.total_count, 18);
}

// ---------------------------------------------------------------------------------
// Logs
// ---------------------------------------------------------------------------------

#[tokio::test]
async fn log_download_returns_the_redirect_without_following_it() {
    let api = MockServer::start().await;
    let storage = MockServer::start().await;
    let location = format!("{}/logs/run-7.zip?sig=abc", storage.uri());
    Mock::given(method("GET"))
        .and(path("/repos/o/r/actions/runs/7/logs"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", location.as_str()))
        .expect(1)
        .mount(&api)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&storage).await;

    let redirect = client(&api).actions().download_workflow_run_logs("o", "r", 7).send().await.unwrap();
    assert_eq!(redirect.status().as_u16(), 302);
    assert_eq!(redirect.location, location);
    assert!(received(&storage).await.is_empty());
}

#[tokio::test]
async fn a_relative_log_location_is_resolved_against_the_request() {
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v3/repos/o/r/actions/runs/7/logs"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/storage/run-7.zip?sig=a%2Bb"))
        .mount(&api)
        .await;
    let client = Client::builder().base_url(format!("{}/api/v3", api.uri())).build().unwrap();

    let redirect = client.actions().download_workflow_run_logs("o", "r", 7).send().await.unwrap();
    assert_eq!(redirect.location, format!("{}/storage/run-7.zip?sig=a%2Bb", api.uri()));
}

#[tokio::test]
async fn download_to_another_origin_streams_to_file_without_the_token() {
    let api = MockServer::start().await;
    let storage = MockServer::start().await;
    let archive: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let location = format!("{}/logs/run-7.zip?sig=abc", storage.uri());
    Mock::given(method("GET"))
        .and(path("/repos/o/r/actions/runs/7/logs"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", location.as_str()))
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .and(path("/logs/run-7.zip"))
        .and(query_param("sig", "abc"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(archive.clone(), "application/zip"))
        .expect(1)
        .mount(&storage)
        .await;

    let client = client(&api);
    let redirect = client.actions().download_workflow_run_logs("o", "r", 7).send().await.unwrap();
    let file = temp_file("logs");
    let written = client.download_to_file(&redirect.location, &file).await.unwrap();
    let content = std::fs::read(&file).unwrap();
    let _ = std::fs::remove_file(&file);

    assert_eq!(written, archive.len() as u64);
    assert_eq!(content, archive);
    let requests = received(&storage).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(header_of(&requests[0], "authorization"), None);
    assert_eq!(header_of(&received(&api).await[0], "authorization"), Some(format!("Bearer {TOKEN}").as_str()));
}

#[tokio::test]
async fn download_from_the_api_origin_sends_the_token() {
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/artifacts/1/zip"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"PK\x03\x04 archive".to_vec()))
        .expect(1)
        .mount(&api)
        .await;

    let mut buffer = Vec::new();
    let written = client(&api).download_to(&format!("{}/artifacts/1/zip", api.uri()), &mut buffer).await.unwrap();
    assert_eq!(written, 12);
    assert_eq!(buffer, b"PK\x03\x04 archive");
}

#[tokio::test]
async fn download_redirected_off_the_api_origin_drops_the_token() {
    let api = MockServer::start().await;
    let storage = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/archive"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", format!("{}/blob", storage.uri()).as_str()))
        .expect(1)
        .mount(&api)
        .await;
    Mock::given(method("GET"))
        .and(path("/blob"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"log lines".to_vec()))
        .expect(1)
        .mount(&storage)
        .await;

    let mut buffer = Vec::new();
    let written = client(&api).download_to(&format!("{}/archive", api.uri()), &mut buffer).await.unwrap();
    assert_eq!((written, buffer.as_slice()), (9, &b"log lines"[..]));
    assert_eq!(header_of(&received(&api).await[0], "authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    assert_eq!(header_of(&received(&storage).await[0], "authorization"), None);
}

#[tokio::test]
async fn missing_and_expired_logs_are_distinct() {
    let api = MockServer::start().await;
    Mock::given(path("/repos/o/r/actions/runs/1/logs"))
        .respond_with(ResponseTemplate::new(404).set_body_json(github_error("Not Found")))
        .mount(&api)
        .await;
    Mock::given(path("/repos/o/r/actions/runs/2/logs"))
        .respond_with(ResponseTemplate::new(410).set_body_json(github_error("Gone")))
        .mount(&api)
        .await;
    Mock::given(path("/blob/404"))
        .respond_with(ResponseTemplate::new(404).set_body_string("no such blob"))
        .mount(&api)
        .await;
    Mock::given(path("/blob/410")).respond_with(ResponseTemplate::new(410)).mount(&api).await;
    let client = client(&api);

    let missing = client.actions().download_workflow_run_logs("o", "r", 1).send().await.unwrap_err();
    assert!(missing.is_not_found() && !missing.is_gone(), "{missing:?}");
    let expired = client.actions().download_workflow_run_logs("o", "r", 2).send().await.unwrap_err();
    assert!(expired.is_gone() && !expired.is_not_found(), "{expired:?}");

    let mut sink = Vec::new();
    let missing = client.download_to(&format!("{}/blob/404", api.uri()), &mut sink).await.unwrap_err();
    assert!(missing.is_not_found() && !missing.is_gone(), "{missing:?}");
    let expired = client.download_to(&format!("{}/blob/410", api.uri()), &mut sink).await.unwrap_err();
    assert!(expired.is_gone() && !expired.is_not_found(), "{expired:?}");
    assert!(sink.is_empty());
}

#[tokio::test]
async fn failed_download_leaves_no_file() {
    let storage = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(410)).mount(&storage).await;
    let client = client(&storage);

    let file = temp_file("gone");
    let error = client.download_to_file(&format!("{}/blob", storage.uri()), &file).await.unwrap_err();
    assert!(error.is_gone(), "{error:?}");
    assert!(!file.exists(), "a failed download left {}", file.display());

    // The body stops short of its announced length: the transfer fails midway.
    let mut response = b"HTTP/1.1 200 OK\r\nContent-Type: application/zip\r\nContent-Length: 100000\r\n\r\n".to_vec();
    response.extend_from_slice(&[7u8; 3000]);
    let cut_short = raw_server(response);
    let file = temp_file("cut");
    let error = client.download_to_file(&format!("{cut_short}/blob"), &file).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(!file.exists(), "a failed download left {}", file.display());
}

#[tokio::test]
async fn download_of_a_bad_url_is_an_error() {
    let server = MockServer::start().await;
    let file = temp_file("bad-url");
    let error = client(&server).download_to_file("/relative/only", &file).await.unwrap_err();
    assert!(matches!(error, Error::InvalidParameter { name: "url", .. }), "{error:?}");
    assert!(!file.exists());
}

// ---------------------------------------------------------------------------------
// Retries
// ---------------------------------------------------------------------------------

#[tokio::test]
async fn get_is_retried_through_bad_gateways() {
    let server = MockServer::start().await;
    answer_in_turn(
        &server,
        || method("GET"),
        [
            (ResponseTemplate::new(502).set_body_string("bad gateway"), 2),
            (ResponseTemplate::new(200).set_body_json(workflow_run(11)), 1),
        ],
    )
    .await;

    let client = builder(&server).retry(quick_retries()).build().unwrap();
    let run = client.actions().get_workflow_run("o", "r", 11).send().await.unwrap();
    assert_eq!(run.id, 11);
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn get_is_retried_after_too_many_requests() {
    let server = MockServer::start().await;
    answer_in_turn(
        &server,
        || method("GET"),
        [
            (ResponseTemplate::new(429).insert_header("retry-after", "0").set_body_json(github_error("slow down")), 1),
            (ResponseTemplate::new(200).set_body_json(runs_page(1, &[1])), 1),
        ],
    )
    .await;

    let client = builder(&server).retry(quick_retries()).build().unwrap();
    let page = client.actions().list_workflow_runs_for_repo("o", "r").send().await.unwrap();
    assert_eq!(page.workflow_runs.len(), 1);
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn post_is_never_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/repos/o/r/actions/runs/3/cancel"))
        .respond_with(ResponseTemplate::new(502).set_body_string("bad gateway"))
        .expect(1)
        .mount(&server)
        .await;

    let client = builder(&server).retry(quick_retries()).build().unwrap();
    let error = client.actions().cancel_workflow_run("o", "r", 3).send().await.unwrap_err();
    assert!(matches!(&error, Error::UnexpectedStatus(u) if u.status.as_u16() == 502), "{error:?}");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn retries_give_up_after_max_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("x-github-request-id", "LAST:1")
                .set_body_json(github_error("Service Unavailable")),
        )
        .expect(3)
        .mount(&server)
        .await;

    let client = builder(&server).retry(quick_retries()).build().unwrap();
    let error = client.actions().get_workflow_run("o", "r", 1).send().await.unwrap_err();
    let Error::Retried { attempts, last } = &error else { panic!("expected Error::Retried, got {error:?}") };
    assert_eq!(*attempts, 3);
    assert!(matches!(&**last, Error::Api(api) if api.status.as_u16() == 503), "{last:?}");
    assert!(error.to_string().contains("3 attempts"), "{error}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(error.request_id(), Some("LAST:1"));
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn nothing_is_retried_without_a_policy() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502).set_body_string("bad gateway"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let error = client.actions().get_workflow_run("o", "r", 1).send().await.unwrap_err();
    assert!(matches!(&error, Error::UnexpectedStatus(u) if u.status.as_u16() == 502), "{error:?}");
    let error = client.actions().delete_workflow_run("o", "r", 1).send().await.unwrap_err();
    assert!(matches!(&error, Error::RateLimited(_)), "{error:?}");
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn connection_failures_are_retried_then_reported() {
    // Nothing listens on this port any more.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let client = Client::builder().base_url(closed).retry(quick_retries()).build().unwrap();
    let error = client.actions().get_workflow_run("o", "r", 1).send().await.unwrap_err();
    let Error::Retried { attempts, last } = &error else { panic!("expected Error::Retried, got {error:?}") };
    assert_eq!(*attempts, 3);
    assert!(matches!(&**last, Error::Transport(_)), "{last:?}");
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(github_error("Not Found")))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).retry(quick_retries()).build().unwrap();
    let error = client.actions().get_workflow_run("o", "r", 1).send().await.unwrap_err();
    assert!(matches!(error, Error::Api(_)), "{error:?}");
}

#[tokio::test]
async fn stream_pages_are_retried_too() {
    let server = MockServer::start().await;
    let next = format!("<{}/repositories/42/actions/runs?page=2>; rel=\"next\"", server.uri());
    Mock::given(path("/repos/o/r/actions/runs"))
        .respond_with(ResponseTemplate::new(200).insert_header("link", next.as_str()).set_body_json(runs_page(2, &[1])))
        .expect(1)
        .mount(&server)
        .await;
    answer_in_turn(
        &server,
        || path("/repositories/42/actions/runs"),
        [(ResponseTemplate::new(500), 1), (ResponseTemplate::new(200).set_body_json(runs_page(2, &[2])), 1)],
    )
    .await;

    let client = builder(&server).retry(quick_retries()).build().unwrap();
    let ids: Vec<i64> =
        client.actions().list_workflow_runs_for_repo("o", "r").stream().map(|r| r.unwrap().id).collect().await;
    assert_eq!(ids, [1, 2]);
}
