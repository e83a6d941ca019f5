//! The `tracing` feature: one span per request with the operation, never the filled-in
//! path, query, headers or token; events for retry and rate-limit waits.
//!
//! Runs with `cargo test -p workflow-runs-client --features tracing --test tracing`.

mod fixtures;

use fixtures::{builder, quick_retries, workflow_run, TOKEN};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};
use workflow_runs_client::reqwest::Method;

type Fields = BTreeMap<String, String>;

/// What the client's spans and events said, by span id.
#[derive(Default)]
struct Captured {
    spans: Mutex<BTreeMap<u64, (String, Fields)>>,
    events: Mutex<Vec<(Option<u64>, Fields)>>,
    next_id: AtomicU64,
}

/// A subscriber that keeps every field of the client's own spans and events.
struct Capture(Arc<Captured>);

struct Fieldwise<'f>(&'f mut Fields);

impl Visit for Fieldwise<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl Subscriber for Capture {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.target().starts_with("workflow_runs_client")
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.0.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let mut fields = Fields::new();
        span.record(&mut Fieldwise(&mut fields));
        self.0.spans.lock().unwrap().insert(id, (span.metadata().name().to_owned(), fields));
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        if let Some((_, fields)) = self.0.spans.lock().unwrap().get_mut(&span.into_u64()) {
            values.record(&mut Fieldwise(fields));
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields::new();
        event.record(&mut Fieldwise(&mut fields));
        self.0.events.lock().unwrap().push((event.parent().map(Id::into_u64), fields));
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

/// Every field value recorded, for searching.
fn everything(captured: &Captured) -> String {
    let spans = captured.spans.lock().unwrap();
    let events = captured.events.lock().unwrap();
    format!("{spans:?} {events:?}")
}

#[tokio::test]
async fn a_request_is_one_span_with_the_operation_and_no_secrets() {
    let captured = Arc::new(Captured::default());
    let _guard = tracing::subscriber::set_default(Capture(captured.clone()));
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-github-request-id", "ABCD:1234")
                .set_body_json(workflow_run(987_654)),
        )
        .mount(&server)
        .await;

    let client = builder(&server).retry(quick_retries()).build().unwrap();
    let run = client.actions().get_workflow_run("private-owner", "secret-repo", 987_654).send().await.unwrap();
    assert_eq!(run.id, 987_654);

    let spans = captured.spans.lock().unwrap().clone();
    let requests: Vec<_> = spans.iter().filter(|(_, (name, _))| name == "request").collect();
    assert_eq!(requests.len(), 1, "one span for the request and its retries: {spans:?}");
    let (&id, (_, fields)) = requests[0];
    let field = |name: &str| fields.get(name).map(String::as_str);
    assert_eq!(field("operation"), Some("actions/get-workflow-run"));
    assert_eq!(field("method"), Some("GET"));
    assert_eq!(field("path"), Some("/repos/{owner}/{repo}/actions/runs/{run_id}"));
    assert_eq!(field("status"), Some("200"));
    assert_eq!(field("request_id"), Some("ABCD:1234"));
    assert_eq!(field("attempt"), Some("3"));
    assert!(field("duration_ms").is_some_and(|ms| ms.parse::<u64>().is_ok()), "{fields:?}");

    let events = captured.events.lock().unwrap().clone();
    let reasons: Vec<&str> = events
        .iter()
        .filter(|(parent, _)| *parent == Some(id))
        .filter_map(|(_, f)| f.get("reason").map(String::as_str))
        .collect();
    assert_eq!(reasons, ["server error", "rate limit"], "{events:?}");
    let limited = events.iter().find(|(_, f)| f.get("reason").map(String::as_str) == Some("rate limit")).unwrap();
    assert_eq!(
        limited.1.get("operation").map(String::as_str),
        Some("actions/get-workflow-run"),
        "the warning says what was limited"
    );
    assert!(events
        .iter()
        .any(|(_, f)| f.get("wait_ms").is_some() && f.get("attempt").map(String::as_str) == Some("2")));

    let shown = everything(&captured);
    for secret in [TOKEN, "private-owner", "secret-repo", "987654", "127.0.0.1"] {
        assert!(!shown.contains(secret), "`{secret}` was traced: {shown}");
    }
}

#[tokio::test]
async fn a_listing_traces_every_page_as_its_operation() {
    use futures_util::StreamExt;
    let captured = Arc::new(Captured::default());
    let _guard = tracing::subscriber::set_default(Capture(captured.clone()));
    let server = MockServer::start().await;
    let next = format!("<{}/repositories/42/actions/runs?page=2&token=q>; rel=\"next\"", server.uri());
    Mock::given(method("GET"))
        .and(wiremock::matchers::query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(fixtures::runs_page(2, &[2])))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).insert_header("link", next.as_str()).set_body_json(fixtures::runs_page(2, &[1])),
        )
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let ids: Vec<i64> =
        client.actions().list_workflow_runs_for_repo("o", "r").stream().map(|r| r.unwrap().id).collect().await;
    assert_eq!(ids, [1, 2]);

    let spans = captured.spans.lock().unwrap().clone();
    let operations: Vec<_> = spans
        .values()
        .filter(|(name, _)| name == "request")
        .map(|(_, f)| f.get("operation").map(String::as_str))
        .collect();
    assert_eq!(operations, [Some("actions/list-workflow-runs-for-repo"); 2]);
    assert!(!everything(&captured).contains("token=q"), "a next link's query was traced");
}

/// The spans of the requests `captured` saw, by span id.
fn request_spans(captured: &Captured) -> Vec<(u64, Fields)> {
    let spans = captured.spans.lock().unwrap();
    spans.iter().filter(|(_, (name, _))| name == "request").map(|(id, (_, fields))| (*id, fields.clone())).collect()
}

#[tokio::test]
async fn a_custom_request_is_named_by_its_method_and_template() {
    let captured = Arc::new(Captured::default());
    let _guard = tracing::subscriber::set_default(Capture(captured.clone()));
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"default_branch": "main"})))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let answer = client
        .request(Method::GET, "/repos/{owner}/{repo}")
        .path("owner", "private-owner")
        .path("repo", "secret-repo")
        .send::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(answer["default_branch"], "main");

    let spans = request_spans(&captured);
    assert_eq!(spans.len(), 1, "{spans:?}");
    let fields = &spans[0].1;
    assert_eq!(fields.get("operation").map(String::as_str), Some("GET /repos/{owner}/{repo}"));
    assert_eq!(fields.get("path").map(String::as_str), Some("/repos/{owner}/{repo}"));
    assert_eq!(fields.get("status").map(String::as_str), Some("200"));
    let shown = everything(&captured);
    for secret in [TOKEN, "private-owner", "secret-repo"] {
        assert!(!shown.contains(secret), "`{secret}` was traced: {shown}");
    }
}

#[tokio::test]
async fn the_token_exchange_is_a_span_of_its_own_operation() {
    use fixtures::{access_tokens_path, installation_token, runs_page, APP_ID, APP_KEY, INSTALLATION_ID};
    let captured = Arc::new(Captured::default());
    let _guard = tracing::subscriber::set_default(Capture(captured.clone()));
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(wiremock::matchers::path(access_tokens_path(INSTALLATION_ID)))
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(installation_token("ghs_installation", chrono::Duration::hours(1))),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(runs_page(1, &[5])))
        .mount(&server)
        .await;
    let app = workflow_runs_client::GitHubApp::from_pem(APP_ID.to_string(), APP_KEY).unwrap();
    let client = workflow_runs_client::Client::builder()
        .base_url(server.uri())
        .token_source(app.installation(INSTALLATION_ID))
        .build()
        .unwrap();
    client.actions().list_workflow_runs_for_repo("o", "r").send().await.unwrap();

    let spans = request_spans(&captured);
    let operations: Vec<_> = spans.iter().map(|(_, f)| f.get("operation").cloned().unwrap_or_default()).collect();
    assert_eq!(
        operations,
        ["actions/list-workflow-runs-for-repo", "apps/create-installation-access-token"],
        "{spans:?}"
    );
    let exchange = &spans[1].1;
    assert_eq!(exchange.get("method").map(String::as_str), Some("POST"));
    assert_eq!(exchange.get("path").map(String::as_str), Some("/app/installations/{installation_id}/access_tokens"));
    assert_eq!(exchange.get("status").map(String::as_str), Some("201"));
    assert!(!everything(&captured).contains("ghs_installation"), "the installation token was traced");
}
