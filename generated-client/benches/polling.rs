//! Rate-limit units spent polling one run's status 100 times, with and without
//! conditional requests, against a local server that answers as GitHub does: an `ETag`
//! on every `200`, `304 Not Modified` when `If-None-Match` names it, and only `200`s
//! counted against the budget (`x-ratelimit-remaining`).
//!
//! Run with `cargo bench -p workflow-runs-client --bench polling` (or `cargo xtask bench`).
//! The counts do not depend on the machine; the times are for orientation only.

use std::time::{Duration, Instant};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};
use workflow_runs_client::{Client, ResponseCache};

#[path = "../tests/fixtures/mod.rs"]
mod fixtures;

const POLLS: u64 = 100;

/// What one series of polls cost.
struct Cost {
    units_by_server: u64,
    units_by_headers: u64,
    not_modified: u64,
    elapsed: Duration,
}

async fn poll(cache: Option<ResponseCache>) -> Cost {
    let server = MockServer::start().await;
    let run = fixtures::ConditionalResource::new(fixtures::workflow_run(7));
    Mock::given(method("GET")).and(path("/repos/o/r/actions/runs/7")).respond_with(run.clone()).mount(&server).await;
    let mut builder = Client::builder().base_url(server.uri()).token(fixtures::TOKEN);
    if let Some(cache) = cache {
        builder = builder.conditional_requests(cache);
    }
    let client = builder.build().expect("a client");
    let start = Instant::now();
    let mut remaining = fixtures::ConditionalResource::LIMIT;
    for _ in 0..POLLS {
        let response = client.actions().get_workflow_run("o", "r", 7).send().await.expect("the run");
        assert_eq!(response.id, 7);
        remaining = response.rate_limit().expect("rate-limit headers").remaining;
    }
    Cost {
        units_by_server: run.units_used(),
        units_by_headers: fixtures::ConditionalResource::LIMIT - remaining,
        not_modified: run.not_modified(),
        elapsed: start.elapsed(),
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    let plain = runtime.block_on(poll(None));
    let conditional = runtime.block_on(poll(Some(ResponseCache::new(64))));
    println!("| polling one run {POLLS} times | rate-limit units (server) | units (x-ratelimit-remaining) | 304 answers | wall time |");
    println!("|---|---|---|---|---|");
    for (label, cost) in [("plain GETs", plain), ("conditional_requests", conditional)] {
        println!(
            "| {label} | {} | {} | {} | {:.1} ms |",
            cost.units_by_server,
            cost.units_by_headers,
            cost.not_modified,
            cost.elapsed.as_secs_f64() * 1000.0
        );
    }
}
