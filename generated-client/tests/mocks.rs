//! The generated mocks (feature `mock`, on for the crate's own tests) as a user tests
//! their code with them: typed expectations and responses, and what was sent, decoded.

mod fixtures;

use fixtures::{api_error, client, received, runs_page};
use wiremock::MockServer;
use workflow_runs_client::mock::{actions, examples, ReceivedError};
use workflow_runs_client::types::{ListWorkflowRunsForRepoResponse, ReRunWorkflowFailedJobsRequest, WorkflowRunStatus};
use workflow_runs_client::{Client, Error};

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
    let list = actions::ListWorkflowRunsForRepo::new("octo-org", "octo-repo").branch("main").status(WorkflowRunStatus::Failure);
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
    assert!(actions::ReRunWorkflowFailedJobs::new("octo-org", "octo-repo", 7002).received(&requests).unwrap().is_empty());
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
    let list = actions::ListWorkflowRunsForRepo::new("octo-org", "octo-repo").branch("main").status(WorkflowRunStatus::Failure);
    list.respond_200(&page(&[7001])).expect(1).mount(&server).await;
    let rerun = actions::ReRunWorkflowFailedJobs::new("octo-org", "octo-repo", 7001);
    rerun.respond_201(&examples::re_run_workflow_failed_jobs_response_201()).expect(1).mount(&server).await;

    assert_eq!(rerun_newest_failure(&client, "octo-org", "octo-repo").await.unwrap(), Some(7001));
    let requests = received(&server).await;
    assert!(requests.iter().all(|r| r.url.path().starts_with("/api/v3/repos/octo-org/octo-repo/actions/runs")), "{requests:?}");
    assert_eq!(list.received(&requests).unwrap().len(), 1);
    assert_eq!(rerun.received(&requests).unwrap()[0].request_body, Some(ReRunWorkflowFailedJobsRequest::new().with_enable_debug_logging(true)));
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
    let found = client.actions().list_workflow_runs_for_repo("octo-org", "octo-repo").status(WorkflowRunStatus::Failure).actor("octocat").send().await.unwrap();
    assert_eq!(found.workflow_runs[0].id, 1);
    // Another status, another repository: no mock matches, and wiremock answers 404.
    let other = client.actions().list_workflow_runs_for_repo("octo-org", "octo-repo").status(WorkflowRunStatus::Success).send().await.unwrap_err();
    assert_eq!(other.status().map(|s| s.as_u16()), Some(404), "{other}");
    let other = client.actions().list_workflow_runs_for_repo("octo-org", "other").status(WorkflowRunStatus::Failure).send().await.unwrap_err();
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
    let plain = client.actions().re_run_workflow_failed_jobs("o", "r", 5).enable_debug_logging(false).send().await.unwrap_err();
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
