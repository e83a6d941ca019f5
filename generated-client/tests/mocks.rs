//! The generated mocks (feature `mock`, on for the crate's own tests) as a user tests
//! their code with them: typed expectations and responses, and what was sent, decoded;
//! and the unhappy paths (errors of any status, both rate limits, conditional requests),
//! each answered by a mock's own method, never a hand-built `ResponseTemplate`.

mod fixtures;

use fixtures::{api_error, client, received, runs_page};
use std::time::Duration;
use wiremock::MockServer;
use workflow_runs_client::mock::{actions, examples, ReceivedError};
use workflow_runs_client::types::{ListWorkflowRunsForRepoResponse, ReRunWorkflowFailedJobsRequest, WorkflowRunStatus};
use workflow_runs_client::{serde_json, ApiError, Client, Error, RateLimitError, ResponseCache};

/// A user's function: re-runs the failed jobs (with debug logging) of the newest failed
/// run on `main`, and returns its id; `None` when no run failed.
async fn rerun_newest_failure(client: &Client, owner: &str, repo: &str) -> Result<Option<i64>, Error> {
    let page = client
        .actions()
        .list_workflow_runs_for_repo(owner, repo)
        .branch("main")
        .status(WorkflowRunStatus::Failure)
        .per_page(1)
        .send()
        .await?;
    let Some(run) = page.workflow_runs.first() else { return Ok(None) };
    client.actions().re_run_workflow_failed_jobs(owner, repo, run.id).enable_debug_logging(true).send().await?;
    Ok(Some(run.id))
}

fn page(ids: &[i64]) -> ListWorkflowRunsForRepoResponse {
    serde_json::from_value(runs_page(ids.len() as i64, ids)).expect("a page of runs")
}

#[tokio::test]
async fn a_users_function_is_tested_with_typed_mocks() {
    let server = MockServer::start().await;
    let list = actions::ListWorkflowRunsForRepo::new("octo-org", "octo-repo")
        .branch("main")
        .status(WorkflowRunStatus::Failure);
    list.respond_200(&page(&[7001])).expect(1).mount(&server).await;
    let rerun = actions::ReRunWorkflowFailedJobs::new("octo-org", "octo-repo", 7001);
    rerun.respond_201(&examples::re_run_workflow_failed_jobs_response_201()).expect(1).mount(&server).await;

    let rerun_id = rerun_newest_failure(&client(&server), "octo-org", "octo-repo").await.unwrap();
    assert_eq!(rerun_id, Some(7001), "the function returns the run the list mock answered with");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    let listed = list.received(&requests).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].branch.as_deref(), Some("main"));
    assert_eq!(listed[0].status, Some(WorkflowRunStatus::Failure));
    assert_eq!(listed[0].per_page, Some(1), "the unmatched parameter is decoded too");
    assert_eq!(listed[0].actor, None);
    let sent = rerun.received(&requests).unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].request_body, Some(ReRunWorkflowFailedJobsRequest::new().with_enable_debug_logging(true)));
    // Each mock's `received` keeps only its own operation's requests.
    assert!(actions::ReRunWorkflowFailedJobs::new("octo-org", "octo-repo", 7002)
        .received(&requests)
        .unwrap()
        .is_empty());
}

/// A tool that builds its client for a GitHub Enterprise Server host is tested as it is:
/// its requests go below `/api/v3`, where the mocks expect them too, whichever GitHub
/// description (an Enterprise Server release or github.com) the crate was made from.
#[tokio::test]
async fn mocks_answer_a_client_of_an_enterprise_server_below_its_api_path() {
    let server = MockServer::start().await;
    let host = server.uri().trim_start_matches("http://").to_owned();
    let client = Client::builder().enterprise_with_protocol("http", &host).token(fixtures::TOKEN).build().unwrap();
    assert!(client.base_url().path().starts_with("/api/v3"), "{}", client.base_url());
    let list = actions::ListWorkflowRunsForRepo::new("octo-org", "octo-repo")
        .branch("main")
        .status(WorkflowRunStatus::Failure);
    list.respond_200(&page(&[7001])).expect(1).mount(&server).await;
    let rerun = actions::ReRunWorkflowFailedJobs::new("octo-org", "octo-repo", 7001);
    rerun.respond_201(&examples::re_run_workflow_failed_jobs_response_201()).expect(1).mount(&server).await;

    assert_eq!(rerun_newest_failure(&client, "octo-org", "octo-repo").await.unwrap(), Some(7001));
    let requests = received(&server).await;
    assert!(
        requests.iter().all(|r| r.url.path().starts_with("/api/v3/repos/octo-org/octo-repo/actions/runs")),
        "{requests:?}"
    );
    assert_eq!(list.received(&requests).unwrap().len(), 1);
    assert_eq!(
        rerun.received(&requests).unwrap()[0].request_body,
        Some(ReRunWorkflowFailedJobsRequest::new().with_enable_debug_logging(true))
    );
    // Only that path: below any other prefix the mocks match nothing.
    let elsewhere = Client::builder().base_url(format!("{}/api/v4", server.uri())).build().unwrap();
    let error = elsewhere.actions().list_workflow_runs_for_repo("octo-org", "octo-repo").send().await.unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
}

#[tokio::test]
async fn an_empty_page_means_nothing_is_rerun() {
    let server = MockServer::start().await;
    actions::ListWorkflowRunsForRepo::new("octo-org", "octo-repo").respond_200(&page(&[])).mount(&server).await;
    let rerun = actions::ReRunWorkflowFailedJobs::new("octo-org", "octo-repo", 7001);
    rerun.respond_201(&examples::re_run_workflow_failed_jobs_response_201()).expect(0).mount(&server).await;
    assert_eq!(rerun_newest_failure(&client(&server), "octo-org", "octo-repo").await.unwrap(), None);
    assert!(rerun.received(&received(&server).await).unwrap().is_empty());
}

#[tokio::test]
async fn parameters_that_are_set_must_be_sent_and_others_are_free() {
    let server = MockServer::start().await;
    let failures = actions::ListWorkflowRunsForRepo::new("octo-org", "octo-repo").status(WorkflowRunStatus::Failure);
    failures.respond_200(&page(&[1])).mount(&server).await;
    let client = client(&server);
    let found = client
        .actions()
        .list_workflow_runs_for_repo("octo-org", "octo-repo")
        .status(WorkflowRunStatus::Failure)
        .actor("octocat")
        .send()
        .await
        .unwrap();
    assert_eq!(found.workflow_runs[0].id, 1);
    // Another status, another repository: no mock matches, and wiremock answers 404.
    let other = client
        .actions()
        .list_workflow_runs_for_repo("octo-org", "octo-repo")
        .status(WorkflowRunStatus::Success)
        .send()
        .await
        .unwrap_err();
    assert_eq!(other.status().map(|s| s.as_u16()), Some(404), "{other}");
    let other = client
        .actions()
        .list_workflow_runs_for_repo("octo-org", "other")
        .status(WorkflowRunStatus::Failure)
        .send()
        .await
        .unwrap_err();
    assert_eq!(other.status().map(|s| s.as_u16()), Some(404), "{other}");
    let sent = failures.received(&received(&server).await).unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].actor.as_deref(), Some("octocat"));
}

#[tokio::test]
async fn path_parameters_are_encoded_as_the_client_encodes_them() {
    let server = MockServer::start().await;
    let owner = "octo org/with?odd#chars";
    let mock = actions::GetWorkflowRun::new(owner, "répo", 42);
    mock.respond_200(&examples::workflow_run()).expect(1).mount(&server).await;
    let run = client(&server).actions().get_workflow_run(owner, "répo", 42).send().await.unwrap();
    assert_eq!(run.id, examples::workflow_run().id);
    assert_eq!(mock.received(&received(&server).await).unwrap().len(), 1);
}

#[tokio::test]
async fn a_json_body_can_be_required() {
    let server = MockServer::start().await;
    let debug = ReRunWorkflowFailedJobsRequest::new().with_enable_debug_logging(true);
    actions::ReRunWorkflowFailedJobs::new("o", "r", 5)
        .request_body(&debug)
        .respond_201(&examples::re_run_workflow_failed_jobs_response_201())
        .mount(&server)
        .await;
    let client = client(&server);
    client.actions().re_run_workflow_failed_jobs("o", "r", 5).enable_debug_logging(true).send().await.unwrap();
    let plain =
        client.actions().re_run_workflow_failed_jobs("o", "r", 5).enable_debug_logging(false).send().await.unwrap_err();
    assert_eq!(plain.status().map(|s| s.as_u16()), Some(404), "another body does not match: {plain}");
}

#[tokio::test]
async fn redirects_empty_bodies_and_documented_errors_are_typed() {
    let server = MockServer::start().await;
    let location = "https://pipelines.example.com/logs/42.zip?token=short-lived";
    actions::DownloadWorkflowRunLogs::new("o", "r", 42).respond_302(location).mount(&server).await;
    actions::DeleteWorkflowRun::new("o", "r", 42).respond_204().mount(&server).await;
    let refusal = api_error("Must have admin rights to Repository.", "https://docs.github.com/rest");
    actions::DeleteWorkflowRunLogs::new("o", "r", 42).respond_403(&refusal).mount(&server).await;
    let client = client(&server);

    let logs = client.actions().download_workflow_run_logs("o", "r", 42).send().await.unwrap();
    assert_eq!(logs.location, location);
    client.actions().delete_workflow_run("o", "r", 42).send().await.unwrap();
    match client.actions().delete_workflow_run_logs("o", "r", 42).send().await.unwrap_err() {
        Error::Api(e) => {
            assert_eq!(e.status.as_u16(), 403);
            assert_eq!(e.message, "Must have admin rights to Repository.");
        }
        other => panic!("expected the documented 403 as an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn what_was_sent_that_is_not_of_its_type_is_an_error_naming_it() {
    let server = MockServer::start().await;
    let mock = actions::ListWorkflowRunsForRepo::new("o", "r");
    mock.respond_200(&page(&[])).mount(&server).await;
    // Not the client: a request whose `per_page` is not a number.
    let url = format!("{}/repos/o/r/actions/runs?per_page=many&status=failure", server.uri());
    reqwest::get(&url).await.unwrap().error_for_status().unwrap();
    let error = mock.received(&received(&server).await).unwrap_err();
    assert!(matches!(&error, ReceivedError::Parameter { name: "per_page", .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("`per_page`") && message.contains("/repos/o/r/actions/runs"), "{message}");
}

#[test]
fn the_descriptions_examples_are_typed_values() {
    let run = examples::workflow_run();
    assert_eq!(serde_json::to_value(&run).unwrap()["id"], fixtures::example("workflow-run")["id"]);
    let page = examples::workflow_run_paginated_as_list_workflow_runs_for_repo_response();
    assert_eq!(page.total_count, fixtures::example("workflow-run-paginated")["total_count"].as_i64().unwrap());
    // An example written in an operation is named by the operation; a `null` one is `None`.
    let review = examples::review_pending_deployments_for_run_request();
    assert_eq!((review.environment_ids, review.comment.as_str()), (vec![161171787], "Ship it!"));
    assert_eq!(examples::re_run_workflow_failed_jobs_request(), None);
}

/// Where GitHub's error bodies, as its conventions write them, link to.
const GITHUB_DOCS: &str = "https://docs.github.com/rest";

/// The API's error inside `error`, or a panic naming what it was instead.
fn api_error_of(error: &Error) -> &ApiError {
    match error {
        Error::Api(e) => e,
        other => panic!("expected the API's error, got {other:?}"),
    }
}

/// The rate limit inside `error`, or a panic naming what it was instead.
fn rate_limit_of(error: &Error) -> &RateLimitError {
    match error {
        Error::RateLimited(e) => e,
        other => panic!("expected a rate limit, got {other:?}"),
    }
}

/// A re-run answers only `201` in the description; a run that is still going conflicts.
#[tokio::test]
async fn a_rerun_that_conflicts_is_the_apis_409() {
    let server = MockServer::start().await;
    actions::ListWorkflowRunsForRepo::new("octo-org", "octo-repo").respond_200(&page(&[7001])).mount(&server).await;
    let rerun = actions::ReRunWorkflowFailedJobs::new("octo-org", "octo-repo", 7001);
    rerun.respond_error(409, "This workflow run is not completed.").expect(1).mount(&server).await;

    let error = rerun_newest_failure(&client(&server), "octo-org", "octo-repo").await.unwrap_err();
    assert!(error.is_conflict() && !error.is_forbidden() && !error.is_rate_limited(), "{error:?}");
    let api = api_error_of(&error);
    assert_eq!((api.status.as_u16(), api.message.as_str()), (409, "This workflow run is not completed."));
    assert_eq!(api.documentation_url.as_deref(), Some(GITHUB_DOCS), "GitHub's error body, as GitHub writes it");
    assert_eq!(rerun.received(&received(&server).await).unwrap().len(), 1);
}

#[tokio::test]
async fn a_refusal_for_lack_of_rights_is_forbidden_and_not_a_rate_limit() {
    let server = MockServer::start().await;
    actions::DeleteWorkflowRunLogs::new("o", "r", 42)
        .respond_error(403, "Must have admin rights to Repository.")
        .mount(&server)
        .await;
    let error = client(&server).actions().delete_workflow_run_logs("o", "r", 42).send().await.unwrap_err();
    assert!(error.is_forbidden() && !error.is_rate_limited(), "{error:?}");
    assert_eq!(api_error_of(&error).message, "Must have admin rights to Repository.");
    assert_eq!(error.retry_after(), None);
}

#[tokio::test]
async fn a_missing_run_is_not_found() {
    let server = MockServer::start().await;
    actions::GetWorkflowRun::new("o", "r", 404_404).respond_error(404, "Not Found").mount(&server).await;
    let error = client(&server).actions().get_workflow_run("o", "r", 404_404).send().await.unwrap_err();
    assert!(error.is_not_found() && !error.is_gone(), "{error:?}");
    assert_eq!(error.to_string(), format!("GitHub API error 404 Not Found: Not Found (see {GITHUB_DOCS})"));
}

/// Documented or not, every error status is the API's error with its message, and the
/// predicates a tool acts on answer for it.
#[tokio::test]
async fn any_status_answers_with_the_apis_error_body() {
    let server = MockServer::start().await;
    let statuses: [u16; 8] = [400, 409, 410, 418, 422, 451, 500, 503];
    for (run_id, status) in (1..).zip(statuses) {
        actions::GetWorkflowRun::new("o", "r", run_id)
            .respond_error(status, &format!("refused with {status}"))
            .mount(&server)
            .await;
    }
    let client = client(&server);
    for (run_id, status) in (1..).zip(statuses) {
        let error = client.actions().get_workflow_run("o", "r", run_id).send().await.unwrap_err();
        let api = api_error_of(&error);
        assert_eq!((api.status.as_u16(), api.message.clone()), (status, format!("refused with {status}")));
        assert_eq!(error.is_conflict(), status == 409, "{status}");
        assert_eq!(error.is_gone(), status == 410, "{status}");
        assert_eq!(error.is_server_error(), status >= 500, "{status}");
        assert!(!error.is_rate_limited() && error.retry_after().is_none(), "{status}");
    }
    // A documented error's typed answer takes the body the description gives it, built
    // with the re-exported `serde_json`.
    let body = serde_json::json!({"message": "Cannot cancel a workflow run that is completed.", "documentation_url": GITHUB_DOCS});
    actions::CancelWorkflowRun::new("o", "r", 9).respond_409(&body).mount(&server).await;
    let error = client.actions().cancel_workflow_run("o", "r", 9).send().await.unwrap_err();
    assert!(error.is_conflict(), "{error:?}");
    assert_eq!(api_error_of(&error).message, "Cannot cancel a workflow run that is completed.");
}

/// GitHub's primary rate limit: `403`, the budget spent, and when it resets.
#[tokio::test]
async fn a_spent_budget_is_a_rate_limit_that_ends_at_the_reset() {
    let server = MockServer::start().await;
    let reset = workflow_runs_client::chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap();
    actions::ListWorkflowRunsForRepo::new("o", "r").respond_rate_limited(reset).expect(1).mount(&server).await;
    let error = client(&server).actions().list_workflow_runs_for_repo("o", "r").send().await.unwrap_err();
    assert!(error.is_rate_limited() && !error.is_forbidden(), "a rate limit, though GitHub answers 403: {error:?}");
    let limit = rate_limit_of(&error);
    assert_eq!(limit.status.as_u16(), 403);
    assert_eq!((limit.limit, limit.remaining, limit.reset), (Some(5_000), Some(0), Some(reset)));
    assert_eq!((limit.retry_after, limit.message.as_str()), (None, "API rate limit exceeded."));
    // The reset has passed: the wait is over.
    assert_eq!(error.retry_after(), Some(Duration::ZERO));
}

/// GitHub's secondary rate limit: `403` with `retry-after`, or only its message, when
/// the client waits what GitHub documents.
#[tokio::test]
async fn a_secondary_rate_limit_says_when_to_try_again() {
    let server = MockServer::start().await;
    actions::GetWorkflowRun::new("o", "r", 1)
        .respond_secondary_rate_limited(Some(Duration::from_millis(1_500)))
        .mount(&server)
        .await;
    actions::GetWorkflowRun::new("o", "r", 2).respond_secondary_rate_limited(None).mount(&server).await;
    let client = client(&server);

    let timed = client.actions().get_workflow_run("o", "r", 1).send().await.unwrap_err();
    assert!(timed.is_rate_limited() && !timed.is_forbidden(), "{timed:?}");
    let limit = rate_limit_of(&timed);
    assert_eq!((limit.status.as_u16(), limit.remaining), (403, None), "no spent budget: a secondary limit");
    assert!(limit.message.contains("secondary rate limit"), "{}", limit.message);
    assert_eq!(timed.retry_after(), Some(Duration::from_secs(2)), "whole seconds, rounded up");

    let untimed = client.actions().get_workflow_run("o", "r", 2).send().await.unwrap_err();
    assert!(untimed.is_rate_limited(), "known by its message alone: {untimed:?}");
    assert_eq!(rate_limit_of(&untimed).retry_after, None);
    assert_eq!(untimed.retry_after(), Some(Duration::from_secs(60)), "GitHub's documented wait");
}

/// Serves run `id` with `ETag: etag` and returns its mock, already answered and mounted,
/// for what it received. Its callers may drop it: the mock type is not `must_use`, so
/// `serve_run(..).await;` draws no warning (clippy's `-D warnings` would fail on one).
async fn serve_run(server: &MockServer, id: i64, etag: &str) -> actions::GetWorkflowRun {
    let mock = actions::GetWorkflowRun::new("o", "r", id);
    let mut run = examples::workflow_run();
    run.id = id;
    mock.clone().with_etag(etag).respond_200(&run).mount(server).await;
    mock
}

/// A client with a response cache asks again with `If-None-Match`; the mock that expects
/// it answers `304`, and the client returns the run it kept.
#[tokio::test]
async fn an_unchanged_run_is_revalidated_with_if_none_match_and_a_304() {
    let server = MockServer::start().await;
    // Mounted first: a conditional request matches it before the unconditional answer.
    let revalidation = actions::GetWorkflowRun::new("o", "r", 7).if_none_match("\"v1\"");
    revalidation.respond_not_modified().expect(1).mount(&server).await;
    let served = serve_run(&server, 7, "\"v1\"").await;
    serve_run(&server, 8, "\"v8\"").await;
    let client = fixtures::builder(&server).conditional_requests(ResponseCache::new(4)).build().unwrap();

    let first = client.actions().get_workflow_run("o", "r", 7).send().await.unwrap();
    let second = client.actions().get_workflow_run("o", "r", 7).send().await.unwrap();
    assert_eq!(second.status().as_u16(), 200, "the kept answer, not the 304");
    assert_eq!(*second, *first);
    assert_eq!(second.id, 7);
    let requests = received(&server).await;
    assert_eq!(served.received(&requests).unwrap().len(), 2, "the mock without `if_none_match` matches both");
    assert_eq!(revalidation.received(&requests).unwrap().len(), 1, "only the second request was conditional");
    assert_eq!(requests[1].headers.get("if-none-match").map(|v| v.to_str().unwrap()), Some("\"v1\""));
    // Another ETag is another request: no `304` for it.
    let other = client.actions().get_workflow_run("o", "r", 8).send().await.unwrap();
    assert_eq!(other.id, 8);
    assert_eq!(revalidation.received(&received(&server).await).unwrap().len(), 1);
}
