//! Decode speed of a 100-run `list` page into the generated types, next to the floors
//! (`IgnoredAny`, which only validates JSON, and `serde_json::Value`), and a streaming
//! pass over 50 pages through the pagination API against a local server.
//!
//! Run with `cargo bench -p workflow-runs-client --bench decode` (or `cargo xtask bench`).
//! Numbers only: nothing here passes or fails on timing.

use futures_util::StreamExt;
use serde_json::{json, Value};
use std::hint::black_box;
use std::time::{Duration, Instant};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};
use workflow_runs_client::types::ListWorkflowRunsForRepoResponse;
use workflow_runs_client::Client;

#[path = "../tests/fixtures/mod.rs"]
mod fixtures;

/// The description's `workflow-run` example, varied so no two runs are alike.
fn page(runs: usize, first_id: u64) -> Value {
    let example = fixtures::example("workflow-run");
    let statuses = ["completed", "in_progress", "queued", "waiting", "pending"];
    let conclusions = [json!("success"), json!("failure"), Value::Null, json!("startup_failure")];
    let items: Vec<Value> = (0..runs)
        .map(|i| {
            let mut run = example.clone();
            let id = first_id + i as u64 * 7_919;
            run["id"] = json!(id);
            run["run_number"] = json!(i + 1);
            run["status"] = json!(statuses[i % statuses.len()]);
            run["conclusion"] = conclusions[i % conclusions.len()].clone();
            run["name"] = json!(format!("CI #{i}"));
            run["url"] = json!(format!("https://api.github.com/repos/octo-org/octo-repo/actions/runs/{id}"));
            run
        })
        .collect();
    json!({ "total_count": runs * 50, "workflow_runs": items })
}

/// Best time per iteration of each case. Rounds interleave the cases, so a change in the
/// machine's speed (frequency, a neighbour's load) hits them all alike.
fn measure(cases: &mut [&mut dyn FnMut()]) -> Vec<Duration> {
    let batch = 20;
    let mut best = vec![Duration::MAX; cases.len()];
    for _ in 0..40 {
        for (case, best) in cases.iter_mut().zip(best.iter_mut()) {
            let start = Instant::now();
            for _ in 0..batch {
                case();
            }
            *best = (*best).min(start.elapsed() / batch);
        }
    }
    best
}

struct Pages {
    base: String,
    count: usize,
}

impl Respond for Pages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let page_no: usize =
            request.url.query_pairs().find(|(k, _)| k == "page").and_then(|(_, v)| v.parse().ok()).unwrap_or(1);
        let mut response = ResponseTemplate::new(200).set_body_json(page(100, page_no as u64 * 1_000_000));
        if page_no < self.count {
            let next =
                format!("<{}/repositories/42/actions/runs?per_page=100&page={}>; rel=\"next\"", self.base, page_no + 1);
            response = response.insert_header("link", next.as_str());
        }
        response
    }
}

fn main() {
    let body = serde_json::to_vec(&page(100, 30_433_642)).expect("serialises");
    if std::env::var_os("DECODE_PROFILE").is_some() {
        // For `perf record`: only the typed decode, long enough to sample.
        for _ in 0..1_000 {
            let text = std::str::from_utf8(black_box(&body)).expect("UTF-8");
            black_box(serde_json::from_str::<ListWorkflowRunsForRepoResponse>(text).expect("decodes"));
        }
        return;
    }
    let mb = body.len() as f64 / 1e6;
    let times = measure(&mut [
        &mut || {
            black_box(serde_json::from_slice::<serde::de::IgnoredAny>(black_box(&body)).expect("valid"));
        },
        &mut || {
            black_box(serde_json::from_slice::<Value>(black_box(&body)).expect("valid"));
        },
        &mut || {
            black_box(serde_json::from_slice::<ListWorkflowRunsForRepoResponse>(black_box(&body)).expect("decodes"));
        },
        // What the client does: check UTF-8 once for the whole body, then read it as `&str`,
        // so serde_json need not check each string on its own.
        &mut || {
            let text = std::str::from_utf8(black_box(&body)).expect("UTF-8");
            black_box(serde_json::from_str::<ListWorkflowRunsForRepoResponse>(text).expect("decodes"));
        },
    ]);
    let (ignored, value, typed, typed_str) = (times[0], times[1], times[2], times[3]);
    println!("| decode of a 100-run page ({:.2} MB) | time | MB/s | vs IgnoredAny |", mb);
    println!("|---|---|---|---|");
    for (label, t) in [
        ("floor: `IgnoredAny`", ignored),
        ("floor: `serde_json::Value`", value),
        ("generated types, `from_slice`", typed),
        ("generated types, UTF-8 checked once + `from_str` (the client's path)", typed_str),
    ] {
        println!(
            "| {label} | {:.1} µs | {:.0} | {:.2}x |",
            t.as_secs_f64() * 1e6,
            mb / t.as_secs_f64(),
            t.as_secs_f64() / ignored.as_secs_f64()
        );
    }

    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    runtime.block_on(async {
        let server = MockServer::start().await;
        let pages = 50;
        Mock::given(method("GET"))
            .and(path("/repos/octo-org/octo-repo/actions/runs"))
            .respond_with(Pages { base: server.uri(), count: pages })
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/repositories/42/actions/runs"))
            .respond_with(Pages { base: server.uri(), count: pages })
            .mount(&server)
            .await;
        let client = Client::builder().base_url(server.uri()).token("bench").build().expect("client");
        let start = Instant::now();
        let stream = client.actions().list_workflow_runs_for_repo("octo-org", "octo-repo").per_page(100).stream();
        let mut stream = Box::pin(stream);
        let mut items = 0;
        while let Some(run) = stream.next().await {
            black_box(run.expect("decodes"));
            items += 1;
        }
        let elapsed = start.elapsed();
        println!(
            "\nStreaming {pages} pages ({items} runs) through `.stream()` from a local server: {:.1} ms ({:.2} ms/page, {:.0} runs/s)",
            elapsed.as_secs_f64() * 1e3,
            elapsed.as_secs_f64() * 1e3 / pages as f64,
            items as f64 / elapsed.as_secs_f64()
        );
    });
}
