//! A run's typed state, the `created` date ranges and the re-exported crates, against
//! wiremock: what the client sent and what it decoded.
//!
//! This suite names `chrono`, `futures_util` and `reqwest` only through the client's
//! re-exports, as a user who has none of them in their own manifest would.

mod fixtures;

use fixtures::{client, received, runs_page, workflow_run};
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};
use workflow_runs_client::chrono::{FixedOffset, NaiveDate, TimeZone, Utc};
use workflow_runs_client::futures_util::TryStreamExt;
use workflow_runs_client::reqwest::StatusCode;
use workflow_runs_client::types::{WorkflowRun, WorkflowRunStatus};
use workflow_runs_client::{DateBound, DateRange};

/// A run of the description's example with the given `status` and `conclusion`.
fn run_with(id: i64, status: Value, conclusion: Value) -> Value {
    let mut run = workflow_run(id);
    run["status"] = status;
    run["conclusion"] = conclusion;
    run
}

/// The decoded values of the query parameter `name` in the last request `server` received.
async fn last_query(server: &MockServer, name: &str) -> Vec<String> {
    let requests = received(server).await;
    let last = requests.last().expect("a request was sent");
    last.url.query_pairs().filter(|(key, _)| key == name).map(|(_, value)| value.into_owned()).collect()
}

#[tokio::test]
async fn status_and_conclusion_compare_with_the_status_filter() {
    let server = MockServer::start().await;
    let runs = [
        run_with(1, json!("completed"), json!("failure")),
        run_with(2, json!("completed"), json!("success")),
        run_with(3, json!("in_progress"), Value::Null),
        // A conclusion GitHub sends that the description's list lacks, and a status
        // newer than this client.
        run_with(4, json!("completed"), json!("startup_failure")),
        run_with(5, json!("brand_new_state"), Value::Null),
    ];
    Mock::given(method("GET"))
        .and(path("/repos/o/r/actions/runs"))
        .and(query_param("status", "failure"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"total_count": 5, "workflow_runs": runs})))
        .expect(1)
        .mount(&server)
        .await;

    let wanted = WorkflowRunStatus::Failure;
    let page =
        client(&server).actions().list_workflow_runs_for_repo("o", "r").status(wanted.clone()).send().await.unwrap();
    assert_eq!(last_query(&server, "status").await, ["failure"]);

    let states: Vec<(Option<WorkflowRunStatus>, Option<WorkflowRunStatus>)> =
        page.workflow_runs.iter().map(|run| (run.status.clone(), run.conclusion.clone())).collect();
    assert_eq!(
        states,
        [
            (Some(WorkflowRunStatus::Completed), Some(WorkflowRunStatus::Failure)),
            (Some(WorkflowRunStatus::Completed), Some(WorkflowRunStatus::Success)),
            (Some(WorkflowRunStatus::InProgress), None),
            (Some(WorkflowRunStatus::Completed), Some(WorkflowRunStatus::Unknown("startup_failure".into()))),
            (Some(WorkflowRunStatus::Unknown("brand_new_state".into())), None),
        ]
    );
    // The filter's value and a run's conclusion are one type.
    let failed: Vec<i64> =
        page.workflow_runs.iter().filter(|run| run.conclusion.as_ref() == Some(&wanted)).map(|run| run.id).collect();
    assert_eq!(failed, [1]);
    assert!(page.workflow_runs[0].conclusion == Some(WorkflowRunStatus::Failure));

    // Unknown values and `null` are written back as they came.
    for (run, (status, conclusion)) in page.workflow_runs.iter().zip([
        ("completed", json!("failure")),
        ("completed", json!("success")),
        ("in_progress", Value::Null),
        ("completed", json!("startup_failure")),
        ("brand_new_state", Value::Null),
    ]) {
        let written = serde_json::to_value(run).unwrap();
        assert_eq!((&written["status"], &written["conclusion"]), (&json!(status), &conclusion), "run {}", run.id);
    }
}

#[test]
fn an_absent_status_and_conclusion_decode_as_none() {
    let mut run = workflow_run(7);
    let fields = run.as_object_mut().unwrap();
    fields.remove("status");
    fields.remove("conclusion");
    let run: WorkflowRun = serde_json::from_value(run).unwrap();
    assert_eq!((run.status, run.conclusion), (None, None));
}

#[tokio::test]
async fn created_sends_each_date_range_in_githubs_syntax() {
    let day = |d: u32| NaiveDate::from_ymd_opt(2024, 1, d).unwrap();
    let noon = Utc.with_ymd_and_hms(2024, 1, 1, 12, 0, 0).unwrap();
    let plus_two = FixedOffset::east_opt(2 * 3600).unwrap();
    let cases: [(DateRange, &str); 9] = [
        (DateRange::since(noon), ">=2024-01-01T12:00:00Z"),
        // Sub-second digits are dropped; GitHub's syntax has none.
        (DateRange::since(noon + std::time::Duration::from_millis(999)), ">=2024-01-01T12:00:00Z"),
        // Any time zone is written in UTC.
        (DateRange::until(plus_two.with_ymd_and_hms(2024, 1, 1, 1, 30, 0).unwrap()), "<=2023-12-31T23:30:00Z"),
        (DateRange::until(day(31)), "<=2024-01-31"),
        (DateRange::between(day(1), day(31)), "2024-01-01..2024-01-31"),
        // Reversed ends are put in order rather than making an empty range.
        (DateRange::between(day(31), day(1)), "2024-01-01..2024-01-31"),
        (DateRange::between(day(2), noon), "2024-01-01T12:00:00Z..2024-01-02"),
        (DateRange::between(noon, noon), "2024-01-01T12:00:00Z"),
        (DateRange::on(day(15)), "2024-01-15"),
    ];
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/o/r/actions/runs"))
        .respond_with(ResponseTemplate::new(200).set_body_json(runs_page(1, &[9])))
        .mount(&server)
        .await;
    let client = client(&server);
    for (range, written) in cases {
        assert_eq!(range.to_string(), written);
        let page = client.actions().list_workflow_runs_for_repo("o", "r").created(range).send().await.unwrap();
        assert_eq!(last_query(&server, "created").await, [written], "{range:?}");
        assert_eq!(page.workflow_runs[0].id, 9);
    }
    // A range written by hand still goes out as written.
    client.actions().list_workflow_runs_for_repo("o", "r").created("2024-01-01..*").send().await.unwrap();
    assert_eq!(last_query(&server, "created").await, ["2024-01-01..*"]);
    assert_eq!(received(&server).await.len(), 10);
}

#[tokio::test]
async fn a_date_range_matches_the_servers_query_parameter() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/o/r/actions/workflows/ci.yml/runs"))
        .and(query_param("created", ">=2024-03-01"))
        .and(query_param("status", "completed"))
        .respond_with(ResponseTemplate::new(200).set_body_json(runs_page(1, &[11])))
        .expect(1)
        .mount(&server)
        .await;
    let since = DateBound::Day(NaiveDate::from_ymd_opt(2024, 3, 1).unwrap());
    let response = client(&server)
        .actions()
        .list_workflow_runs("o", "r", "ci.yml")
        .created(DateRange::since(since))
        .status(WorkflowRunStatus::Completed)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.workflow_runs[0].id, 11);
}

#[tokio::test]
async fn a_list_stream_collects_through_the_reexported_futures_util() {
    let server = MockServer::start().await;
    let next = format!("<{}/repositories/42/actions/runs?per_page=2&page=2>; rel=\"next\"", server.uri());
    Mock::given(method("GET"))
        .and(path("/repos/o/r/actions/runs"))
        .respond_with(
            ResponseTemplate::new(200).insert_header("link", next.as_str()).set_body_json(runs_page(3, &[1, 2])),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repositories/42/actions/runs"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(runs_page(3, &[3])))
        .expect(1)
        .mount(&server)
        .await;
    let runs: Vec<WorkflowRun> = client(&server)
        .actions()
        .list_workflow_runs_for_repo("o", "r")
        .per_page(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(runs.iter().map(|run| run.id).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(last_query(&server, "page").await, ["2"]);
}
