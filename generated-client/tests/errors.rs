//! Errors a tool can act on: rate limits told apart from permission refusals, when to
//! try again, the transport error's root cause, and which `POST`s are retried.

mod fixtures;

use fixtures::{api_error, builder, client, quick_retries, received, workflow_run};
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use workflow_runs_client::types::ApprovedOrRejected;
use workflow_runs_client::{Error, RetryPolicy};

const CANCEL: &str = "/repos/o/r/actions/runs/7/cancel";
const SECONDARY: &str = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.";

/// An HTTP date `seconds` from now, as `Retry-After` carries it.
fn http_date(seconds: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::seconds(seconds)).format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// The error `server` answers a cancel with, sent once by a client without retries.
async fn cancel_error(server: &MockServer, response: ResponseTemplate) -> Error {
    Mock::given(method("POST")).and(path(CANCEL)).respond_with(response).mount(server).await;
    client(server).actions().cancel_workflow_run("o", "r", 7).send().await.unwrap_err()
}

#[tokio::test]
async fn a_secondary_rate_limit_on_a_post_is_not_a_permission_refusal() {
    let server = MockServer::start().await;
    // GitHub's secondary limit: `403`, its message, and no rate-limit header at all.
    let body = api_error(SECONDARY, "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api");
    let error = cancel_error(&server, ResponseTemplate::new(403).set_body_json(body)).await;
    assert!(error.is_rate_limited(), "{error:?}");
    assert!(!error.is_forbidden(), "{error:?}");
    // GitHub: "wait for at least one minute before retrying".
    assert_eq!(error.retry_after(), Some(Duration::from_secs(60)), "no time was named: GitHub's minute");
    assert!(error.to_string().contains("secondary rate limit"), "{error}");
    assert_eq!(received(&server).await.len(), 1);
}

/// A rate limit that names no time is not retried sooner than GitHub's documented minute:
/// with a budget of two seconds the client gives up at once (backing off instead would
/// have sent three requests), and the error says how long to wait.
#[tokio::test]
async fn a_rate_limit_that_names_no_time_waits_a_minute_not_the_backoff() {
    let secondary = api_error(SECONDARY, "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api");
    for answer in
        [ResponseTemplate::new(403).set_body_json(&secondary), ResponseTemplate::new(429).set_body_json(&secondary)]
    {
        let server = MockServer::start().await;
        Mock::given(method("GET")).respond_with(answer).mount(&server).await;
        let client = builder(&server).retry(quick_retries()).build().unwrap();
        let error = client.actions().get_workflow_run("o", "r", 7).send().await.unwrap_err();
        assert!(matches!(error, Error::RateLimited(_)) && !error.is_forbidden(), "{error:?}");
        assert_eq!(error.retry_after(), Some(Duration::from_secs(60)));
        assert_eq!(received(&server).await.len(), 1);
    }

    // A `403` that is no rate limit: its body, read to find out, reaches the error whole.
    let server = MockServer::start().await;
    let refusal = api_error("Must have admin rights to Repository.", "https://docs.github.com/rest");
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(403).set_body_json(refusal)).mount(&server).await;
    let client = builder(&server).retry(quick_retries()).build().unwrap();
    let error = client.actions().get_workflow_run("o", "r", 7).send().await.unwrap_err();
    assert!(error.is_forbidden() && error.retry_after().is_none(), "{error:?}");
    assert!(error.to_string().contains("Must have admin rights to Repository."), "{error}");
    assert_eq!(received(&server).await.len(), 1);

    // A secondary limit that names its time is retried at that time.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(403).insert_header("retry-after", "0").set_body_json(&secondary))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(workflow_run(7)))
        .mount(&server)
        .await;
    let client = builder(&server).retry(quick_retries()).build().unwrap();
    assert_eq!(client.actions().get_workflow_run("o", "r", 7).send().await.unwrap().id, 7);
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn a_403_without_a_rate_limit_is_forbidden() {
    let server = MockServer::start().await;
    let body = api_error("Must have admin rights to Repository.", "https://docs.github.com/rest");
    let error = cancel_error(
        &server,
        ResponseTemplate::new(403).insert_header("x-ratelimit-remaining", "4999").set_body_json(body),
    )
    .await;
    assert!(error.is_forbidden(), "{error:?}");
    assert!(!error.is_rate_limited() && !error.is_unauthorized() && !error.is_server_error());
    assert_eq!(error.retry_after(), None);
}

#[tokio::test]
async fn retry_after_reads_seconds_http_dates_and_the_reset_time() {
    let server = MockServer::start().await;
    let seconds = cancel_error(&server, ResponseTemplate::new(429).insert_header("retry-after", "30")).await;
    assert!(seconds.is_rate_limited());
    assert_eq!(seconds.retry_after(), Some(Duration::from_secs(30)));

    let server = MockServer::start().await;
    let date =
        cancel_error(&server, ResponseTemplate::new(403).insert_header("retry-after", http_date(3600).as_str())).await;
    let wait = date.retry_after().expect("an HTTP date is a wait");
    assert!(date.is_rate_limited() && !date.is_forbidden());
    assert!(wait > Duration::from_secs(3000) && wait <= Duration::from_secs(3600), "{wait:?}");

    let server = MockServer::start().await;
    let past =
        cancel_error(&server, ResponseTemplate::new(429).insert_header("retry-after", http_date(-60).as_str())).await;
    assert_eq!(past.retry_after(), Some(Duration::ZERO), "a date already past means now");

    let server = MockServer::start().await;
    let reset = (chrono::Utc::now() + chrono::Duration::seconds(600)).timestamp().to_string();
    let exhausted = cancel_error(
        &server,
        ResponseTemplate::new(403)
            .insert_header("x-ratelimit-remaining", "0")
            .insert_header("x-ratelimit-limit", "5000")
            .insert_header("x-ratelimit-reset", reset.as_str())
            .set_body_json(api_error("API rate limit exceeded for user ID 1.", "https://docs.github.com/rest")),
    )
    .await;
    let wait = exhausted.retry_after().expect("the reset time is a wait");
    assert!(exhausted.is_rate_limited() && !exhausted.is_forbidden());
    assert!(wait > Duration::from_secs(500) && wait <= Duration::from_secs(600), "{wait:?}");
}

#[tokio::test]
async fn unauthorized_and_server_errors_are_named_and_seen_through_retries() {
    let server = MockServer::start().await;
    let error = cancel_error(
        &server,
        ResponseTemplate::new(401).set_body_json(api_error("Bad credentials", "https://docs.github.com/rest")),
    )
    .await;
    assert!(error.is_unauthorized() && !error.is_forbidden() && !error.is_rate_limited());

    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let client = builder(&server).retry(quick_retries()).build().unwrap();
    let error = client.actions().get_workflow_run("o", "r", 7).send().await.unwrap_err();
    assert!(matches!(error, Error::Retried { attempts: 3, .. }), "{error:?}");
    assert!(error.is_server_error() && !error.is_rate_limited() && !error.is_unauthorized());

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .mount(&server)
        .await;
    let client = builder(&server).retry(quick_retries()).build().unwrap();
    let error = client.actions().get_workflow_run("o", "r", 7).send().await.unwrap_err();
    assert!(matches!(error, Error::Retried { .. }) && error.is_rate_limited(), "{error:?}");
    assert_eq!(error.retry_after(), Some(Duration::ZERO));
}

#[tokio::test]
async fn a_transport_error_shows_its_root_cause() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = workflow_runs_client::Client::builder().base_url(format!("http://127.0.0.1:{port}")).build().unwrap();
    let error = client.actions().get_workflow_run("o", "r", 7).send().await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    let shown = error.to_string().to_lowercase();
    assert!(shown.contains("connection refused"), "the root cause is missing: {shown}");
    assert!(error.status().is_none() && !error.is_server_error());
}

#[tokio::test]
async fn the_retry_loop_waits_until_an_http_date() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", http_date(-5).as_str()))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(workflow_run(7)))
        .mount(&server)
        .await;
    // Backing off instead would wait ten minutes, past the budget, and give up: only a
    // date read as "now" lets the second attempt happen.
    let policy = RetryPolicy {
        initial_backoff: Duration::from_secs(600),
        max_backoff: Duration::from_secs(600),
        max_total_wait: Duration::from_secs(1),
        ..quick_retries()
    };
    let client = builder(&server).retry(policy).build().unwrap();
    let run = client.actions().get_workflow_run("o", "r", 7).send().await.unwrap();
    assert_eq!(run.id, 7);
    assert_eq!(received(&server).await.len(), 2);
}

/// Mounts a cancel endpoint that is rate limited once, then accepts.
async fn limited_once(server: &MockServer, route: &str, success: u16) {
    let body = api_error(SECONDARY, "https://docs.github.com/rest");
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(403).insert_header("retry-after", "0").set_body_json(body))
        .up_to_n_times(1)
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(success).set_body_json(serde_json::json!({})))
        .mount(server)
        .await;
}

#[tokio::test]
async fn repeatable_posts_are_retried_only_when_asked() {
    let server = MockServer::start().await;
    limited_once(&server, CANCEL, 202).await;
    let client = builder(&server).retry(quick_retries()).build().unwrap();
    let error = client.actions().cancel_workflow_run("o", "r", 7).send().await.unwrap_err();
    assert!(error.is_rate_limited(), "{error:?}");
    assert_eq!(received(&server).await.len(), 1, "a POST is not retried by default");

    let server = MockServer::start().await;
    limited_once(&server, CANCEL, 202).await;
    let client = builder(&server).retry(quick_retries()).retry_repeatable_posts(true).build().unwrap();
    let response = client.actions().cancel_workflow_run("o", "r", 7).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 202);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.method.as_str() == "POST" && r.url.path() == CANCEL));

    let server = MockServer::start().await;
    limited_once(&server, "/repos/o/r/actions/runs/7/rerun", 201).await;
    let response = client_for(&server).actions().re_run_workflow("o", "r", 7).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(received(&server).await.len(), 2);
}

/// A client that retries, repeatable `POST`s too.
fn client_for(server: &MockServer) -> workflow_runs_client::Client {
    builder(server).retry(quick_retries()).retry_repeatable_posts(true).build().unwrap()
}

#[tokio::test]
async fn a_post_that_is_not_repeatable_is_never_retried() {
    let server = MockServer::start().await;
    let route = "/repos/o/r/actions/runs/7/pending_deployments";
    limited_once(&server, route, 200).await;
    let error = client_for(&server)
        .actions()
        .review_pending_deployments_for_run("o", "r", 7, vec![1], ApprovedOrRejected::Approved, "ship it")
        .send()
        .await
        .unwrap_err();
    assert!(error.is_rate_limited(), "{error:?}");
    assert_eq!(received(&server).await.len(), 1, "approving deployments twice could act twice");
}
