//! End-to-end tests for every operation on `client.actions()`, each against its own local
//! `wiremock` server standing in for the GitHub API.
//!
//! Every exchange is checked in both directions:
//! - out: the exact method, path (one segment per parameter), raw query string (names,
//!   order and encoding), JSON body, and the headers every API call carries;
//! - in: the documented status, decoded into the operation's typed value.
//!
//! Workflow runs are the description's own `workflow-run` example (`fixtures`); the other
//! bodies are trimmed from its examples. Run ids above 2^32 check that ids stay 64-bit
//! from path to decoded body.

use reqwest::StatusCode;
use serde_json::{json, Value};
use std::future::Future;
use wiremock::matchers::{any, body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod fixtures;

use fixtures::{api_error, runs_page, simple_user, workflow_run};
use workflow_runs_client::types::{
    self, DeploymentPayload, DeploymentReviewerType, EmptyObject, EnvironmentApprovalsState,
    PendingDeploymentReviewersItemReviewer, ReviewCustomGatesCommentRequired, ReviewCustomGatesStateRequired,
    WorkflowId, WorkflowRunStatus,
};
use workflow_runs_client::{Client, DateTime, Error, Redirect, Response, DEFAULT_API_VERSION};

// =====================================================================================
// Constants
// =====================================================================================

const TOKEN: &str = "t0ken";
const OWNER: &str = "octo-org";
const REPO: &str = "octo-repo";
/// A run id from the description's examples (fits in 32 bits).
const RUN_ID: i64 = 30_433_642;
/// A run id above 2^32: it only survives if every layer keeps ids 64-bit.
const BIG_RUN_ID: i64 = 5_000_000_000;
/// A job id above 2^32.
const BIG_JOB_ID: i64 = 8_000_000_123;
const HEAD_SHA: &str = "acb5820ced9479c074f688cc328bf03f341a511d";
/// The `Location` example of the log download operations, verbatim (with its `%3A`s).
const SIGNED_LOGS_URL: &str = "https://pipelines.actions.githubusercontent.com/ab1f3cCFPB34Nd6imvFxpGZH5hNlDp2wijMwl2gDoO0bcrrlJj/_apis/pipelines/1/runs/19/signedlogcontent?urlExpires=2020-01-22T22%3A44%3A54.1389777Z&urlSigningMethod=HMACV1&urlSignature=2TUDfIg4fm36OJmfPy6km5QD5DLCOkBVzvhWZM8B%2BUY%3D";

/// `/repos/octo-org/octo-repo` followed by `rest`.
fn repo_path(rest: &str) -> String {
    format!("/repos/{OWNER}/{REPO}{rest}")
}

/// `/repos/octo-org/octo-repo/actions/runs/{run_id}` followed by `rest`.
fn run_path(run_id: i64, rest: &str) -> String {
    repo_path(&format!("/actions/runs/{run_id}{rest}"))
}

// =====================================================================================
// Client and request-assertion helpers
// =====================================================================================

/// A client for `base`, authenticated with the test token.
fn client_at(base: impl Into<String>) -> Client {
    Client::builder().base_url(base).token(TOKEN).build().expect("a client for the mock server")
}

fn header<'r>(request: &'r wiremock::Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).map(|value| value.to_str().expect("a visible-ASCII header value"))
}

/// The headers every call to the API carries, each exactly once.
fn assert_api_headers(request: &wiremock::Request) {
    for name in ["authorization", "accept", "x-github-api-version", "user-agent"] {
        assert_eq!(request.headers.get_all(name).iter().count(), 1, "`{name}` must be sent exactly once");
    }
    assert_eq!(header(request, "authorization"), Some("Bearer t0ken"));
    assert_eq!(header(request, "accept"), Some("application/vnd.github+json"));
    assert_eq!(header(request, "x-github-api-version"), Some(DEFAULT_API_VERSION));
    let user_agent = header(request, "user-agent").unwrap_or_default();
    assert!(!user_agent.trim().is_empty(), "GitHub refuses requests without a User-Agent");
}

/// One request an operation must send: what the mock matches on, and what is checked
/// byte for byte afterwards.
#[derive(Debug, Clone)]
struct Expected {
    method: &'static str,
    /// The path on the wire, percent-encoding included.
    path: String,
    /// The raw query string on the wire (`None`: no `?` at all).
    query: Option<String>,
    /// The JSON body (`None`: no body and no `Content-Type`).
    body: Option<Value>,
    /// Appended to the server's URI to make the client's base URL (e.g. `/api/v3`).
    base_suffix: String,
}

impl Expected {
    fn new(method: &'static str, path: impl Into<String>) -> Self {
        Expected { method, path: path.into(), query: None, body: None, base_suffix: String::new() }
    }

    fn get(path: impl Into<String>) -> Self {
        Self::new("GET", path)
    }

    fn post(path: impl Into<String>) -> Self {
        Self::new("POST", path)
    }

    fn delete(path: impl Into<String>) -> Self {
        Self::new("DELETE", path)
    }

    fn query(mut self, raw: &str) -> Self {
        self.query = Some(raw.to_owned());
        self
    }

    fn json(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// The client's base URL is the server's URI plus `suffix`; the expected path must
    /// include the prefix itself.
    fn base_suffix(mut self, suffix: &str) -> Self {
        self.base_suffix = suffix.to_owned();
        self
    }

    fn client(&self, server: &MockServer) -> Client {
        client_at(format!("{}{}", server.uri(), self.base_suffix))
    }

    /// Mounts a mock answering `response` to exactly this request, expected once.
    async fn mount(&self, server: &MockServer, response: ResponseTemplate) {
        let mut mock = Mock::given(method(self.method)).and(path(self.path.as_str()));
        if let Some(query) = &self.query {
            for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
                mock = mock.and(query_param(name.into_owned(), value.into_owned()));
            }
        }
        if let Some(body) = &self.body {
            mock = mock.and(body_json(body));
        }
        mock.respond_with(response).expect(1).named(format!("{} {}", self.method, self.path)).mount(server).await;
    }

    /// Checks the one request `server` received against this expectation.
    async fn verify(&self, server: &MockServer) {
        let requests = server.received_requests().await.expect("request recording is on");
        let [request] = requests.as_slice() else {
            panic!("expected exactly one request, got {}: {requests:#?}", requests.len());
        };
        assert_eq!(request.method.as_str(), self.method, "method");
        assert_eq!(request.url.path(), self.path, "path");
        assert_eq!(request.url.query(), self.query.as_deref(), "raw query string");
        assert_api_headers(request);
        match &self.body {
            Some(body) => {
                assert_eq!(header(request, "content-type"), Some("application/json"));
                let sent: Value = serde_json::from_slice(&request.body).expect("a JSON request body");
                assert_eq!(&sent, body, "request body");
            }
            None => {
                assert!(request.body.is_empty(), "no body expected, got {:?}", String::from_utf8_lossy(&request.body));
                assert_eq!(header(request, "content-type"), None, "no body, so no content type");
            }
        }
        server.verify().await;
    }
}

/// Starts a server that answers `response` to the `expected` request, runs `call` with a
/// client for it, checks what went out, and returns what the call returned.
async fn exchange<T, Fut>(
    expected: &Expected,
    response: ResponseTemplate,
    call: impl FnOnce(Client) -> Fut,
) -> workflow_runs_client::Result<Response<T>>
where
    Fut: Future<Output = workflow_runs_client::Result<Response<T>>>,
{
    let server = MockServer::start().await;
    expected.mount(&server, response).await;
    let outcome = call(expected.client(&server)).await;
    expected.verify(&server).await;
    outcome
}

/// Like [`exchange`], for calls that must succeed.
async fn success<T, Fut>(
    expected: &Expected,
    response: ResponseTemplate,
    call: impl FnOnce(Client) -> Fut,
) -> Response<T>
where
    Fut: Future<Output = workflow_runs_client::Result<Response<T>>>,
{
    exchange(expected, response, call)
        .await
        .unwrap_or_else(|error| panic!("{} {} should succeed: {error:?}", expected.method, expected.path))
}

/// Like [`exchange`], for calls that must fail.
async fn failure<T: std::fmt::Debug, Fut>(
    expected: &Expected,
    response: ResponseTemplate,
    call: impl FnOnce(Client) -> Fut,
) -> Error
where
    Fut: Future<Output = workflow_runs_client::Result<Response<T>>>,
{
    match exchange(expected, response, call).await {
        Ok(response) => panic!("{} {} should fail, got {response:?}", expected.method, expected.path),
        Err(error) => error,
    }
}

// =====================================================================================
// Responses and bodies (trimmed from the description's examples)
// =====================================================================================

fn json_response(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

fn no_content() -> ResponseTemplate {
    ResponseTemplate::new(204)
}

fn redirect_to(location: &str) -> ResponseTemplate {
    ResponseTemplate::new(302).insert_header("location", location)
}

fn github_error(message: &str, docs: &str) -> Value {
    api_error(message, &format!("https://docs.github.com/enterprise-server@3.19/rest/{docs}"))
}

fn at(timestamp: &str) -> DateTime {
    timestamp.parse().expect("an RFC 3339 timestamp")
}

fn staging_environment() -> Value {
    json!({
        "id": 161088068,
        "node_id": "MDExOkVudmlyb25tZW50MTYxMDg4MDY4",
        "name": "staging",
        "url": "https://api.github.com/repos/github/hello-world/environments/staging",
        "html_url": "https://github.com/github/hello-world/deployments/activity_log?environments_filter=staging"
    })
}

/// The description's `environment-approvals-items` example, with the review in `state`.
fn environment_approvals(state: &str) -> Value {
    let mut environment = staging_environment();
    environment["created_at"] = json!("2020-11-23T22:00:40Z");
    environment["updated_at"] = json!("2020-11-23T22:00:40Z");
    json!([{
        "state": state,
        "comment": "Ship it!",
        "environments": [environment],
        "user": simple_user("octocat", 1)
    }])
}

/// The description's `pending-deployment-items` example: one user and one team reviewer.
fn pending_deployments() -> Value {
    json!([{
        "environment": staging_environment(),
        "wait_timer": 30,
        "wait_timer_started_at": "2020-11-23T22:00:40Z",
        "current_user_can_approve": true,
        "reviewers": [
            { "type": "User", "reviewer": simple_user("octocat", 1) },
            {
                "type": "Team",
                "reviewer": {
                    "id": 1,
                    "node_id": "MDQ6VGVhbTE=",
                    "url": "https://api.github.com/teams/1",
                    "html_url": "https://github.com/orgs/github/teams/justice-league",
                    "name": "Justice League",
                    "slug": "justice-league",
                    "description": "A great team.",
                    "privacy": "closed",
                    "notification_setting": "notifications_enabled",
                    "permission": "admin",
                    "members_url": "https://api.github.com/teams/1/members{/member}",
                    "repositories_url": "https://api.github.com/teams/1/repos",
                    "parent": null
                }
            }
        ]
    }])
}

/// The description's `deployment-items` example.
fn deployments() -> Value {
    json!([{
        "url": "https://api.github.com/repos/octocat/example/deployments/1",
        "id": 1,
        "node_id": "MDEwOkRlcGxveW1lbnQx",
        "sha": "a84d88e7554fc1fa21bcbc4efae3c782a70d2b9d",
        "ref": "topic-branch",
        "task": "deploy",
        "payload": {},
        "original_environment": "staging",
        "environment": "production",
        "description": "Deploy request from hubot",
        "creator": simple_user("octocat", 1),
        "created_at": "2012-07-20T01:19:13Z",
        "updated_at": "2012-07-20T01:19:13Z",
        "statuses_url": "https://api.github.com/repos/octocat/example/deployments/1/statuses",
        "repository_url": "https://api.github.com/repos/octocat/example",
        "transient_environment": false,
        "production_environment": true
    }])
}

/// The common checks on a decoded `workflow-run` built by [`workflow_run`] (the
/// description's example).
fn assert_example_run(run: &types::WorkflowRun, id: i64) {
    assert_eq!(run.id, id);
    assert_eq!(run.name.as_deref(), Some("Build"));
    assert_eq!(run.head_branch.as_deref(), Some("main"));
    assert_eq!(run.head_sha, HEAD_SHA);
    assert_eq!(run.run_number, 562);
    assert_eq!(run.event, "push");
    assert_eq!(run.status, Some(WorkflowRunStatus::Queued));
    assert_eq!(run.conclusion, None);
    assert_eq!(run.workflow_id, 159038);
    assert_eq!(run.check_suite_id, Some(42));
    assert_eq!(run.url, format!("https://api.github.com/repos/octo-org/octo-repo/actions/runs/{id}"));
    assert_eq!(run.created_at, at("2020-01-22T19:33:08Z"));
    assert_eq!(run.display_title.as_deref(), Some("Update README.md"));
    assert_eq!(run.pull_requests.as_deref(), Some(&[][..]));
    assert_eq!(run.actor.as_ref().map(|actor| actor.login.as_str()), Some("octocat"));
    assert_eq!(run.repository.full_name, "octocat/Hello-World");
    assert_eq!(run.repository.id, 1296269);
    let head_repository = run.head_repository.as_ref().expect("head_repository");
    assert!(head_repository.private);
    assert_eq!(head_repository.id, 217723378);
    let head_commit = run.head_commit.as_ref().expect("head_commit");
    assert_eq!(head_commit.message, "Create linter.yaml");
    assert_eq!(head_commit.author.as_ref().map(|a| a.email.as_str()), Some("octocat@github.com"));
    let referenced = run.referenced_workflows.as_deref().expect("referenced_workflows");
    assert_eq!(referenced.len(), 3);
    assert_eq!(referenced[0].ref_.as_deref(), Some("refs/heads/main"));
    assert_eq!(referenced[2].ref_, None);
}

/// A `409` from a cancel endpoint: an API error, recognisable as a conflict.
fn assert_cancel_conflict(error: &Error) {
    assert!(error.is_conflict(), "{error:?}");
    assert!(matches!(error, Error::Api(_)), "{error:?}");
    let Error::Api(api) = error else { unreachable!() };
    assert_eq!(api.status, StatusCode::CONFLICT);
    assert_eq!(api.message, "Cannot cancel a workflow run that is completed.");
    assert_eq!(
        api.documentation_url.as_deref(),
        Some("https://docs.github.com/enterprise-server@3.19/rest/actions/workflow-runs#cancel-a-workflow-run")
    );
    assert_eq!(error.request_id(), Some("CAFE:1234:5678ABC:9ABCDEF:65B00000"));
}

fn cancel_conflict_response() -> ResponseTemplate {
    json_response(
        409,
        &github_error("Cannot cancel a workflow run that is completed.", "actions/workflow-runs#cancel-a-workflow-run"),
    )
    .insert_header("x-github-request-id", "CAFE:1234:5678ABC:9ABCDEF:65B00000")
}

// =====================================================================================
// cancel_workflow_run / force_cancel_workflow_run
// =====================================================================================

#[tokio::test]
async fn cancel_workflow_run_posts_no_body_and_accepts_202() {
    let expected = Expected::post(run_path(BIG_RUN_ID, "/cancel"));
    let response = success(&expected, json_response(202, &json!({})), |client| async move {
        client.actions().cancel_workflow_run(OWNER, REPO, BIG_RUN_ID).send().await
    })
    .await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    assert_eq!(response.body(), &EmptyObject::default());
}

#[tokio::test]
async fn cancel_workflow_run_conflict_is_an_api_error() {
    let expected = Expected::post(run_path(RUN_ID, "/cancel"));
    let error = failure(&expected, cancel_conflict_response(), |client| async move {
        client.actions().cancel_workflow_run(OWNER, REPO, RUN_ID).send().await
    })
    .await;
    assert_cancel_conflict(&error);
}

#[tokio::test]
async fn force_cancel_workflow_run_accepts_202_with_an_empty_body() {
    let expected = Expected::post(run_path(BIG_RUN_ID, "/force-cancel"));
    let response = success(&expected, ResponseTemplate::new(202), |client| async move {
        client.actions().force_cancel_workflow_run(OWNER, REPO, BIG_RUN_ID).send().await
    })
    .await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    assert_eq!(response.into_body(), EmptyObject::default());
}

#[tokio::test]
async fn force_cancel_workflow_run_conflict_is_an_api_error() {
    let expected = Expected::post(run_path(RUN_ID, "/force-cancel"));
    let error = failure(&expected, cancel_conflict_response(), |client| async move {
        client.actions().force_cancel_workflow_run(OWNER, REPO, RUN_ID).send().await
    })
    .await;
    assert_cancel_conflict(&error);
}

// =====================================================================================
// delete_workflow_run / delete_workflow_run_logs
// =====================================================================================

#[tokio::test]
async fn delete_workflow_run_answers_no_content() {
    let expected = Expected::delete(run_path(BIG_RUN_ID, ""));
    let response: Response<()> = success(&expected, no_content(), |client| async move {
        client.actions().delete_workflow_run(OWNER, REPO, BIG_RUN_ID).send().await
    })
    .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let () = response.into_body();
}

#[tokio::test]
async fn delete_workflow_run_logs_answers_no_content() {
    let expected = Expected::delete(run_path(BIG_RUN_ID, "/logs"));
    let response: Response<()> = success(&expected, no_content(), |client| async move {
        client.actions().delete_workflow_run_logs(OWNER, REPO, BIG_RUN_ID).send().await
    })
    .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let () = response.into_body();
}

#[tokio::test]
async fn delete_workflow_run_logs_documented_failures_are_api_errors() {
    for (status, message) in [(403, "Must have admin rights to Repository."), (500, "Internal Server Error")] {
        let expected = Expected::delete(run_path(RUN_ID, "/logs"));
        let response = json_response(status, &github_error(message, "actions/workflow-runs#delete-workflow-run-logs"));
        let error = failure(&expected, response, |client| async move {
            client.actions().delete_workflow_run_logs(OWNER, REPO, RUN_ID).send().await
        })
        .await;
        let Error::Api(api) = &error else { panic!("{status}: expected Error::Api, got {error:?}") };
        assert_eq!(api.status.as_u16(), status);
        assert_eq!(api.message, message);
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
    }
}

// =====================================================================================
// download_workflow_run_logs / download_workflow_run_attempt_logs
// =====================================================================================

#[tokio::test]
async fn download_workflow_run_logs_returns_the_location_verbatim() {
    let expected = Expected::get(run_path(BIG_RUN_ID, "/logs"));
    let response = success(&expected, redirect_to(SIGNED_LOGS_URL), |client| async move {
        client.actions().download_workflow_run_logs(OWNER, REPO, BIG_RUN_ID).send().await
    })
    .await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.body(), &Redirect { location: SIGNED_LOGS_URL.to_owned() });
}

#[tokio::test]
async fn download_workflow_run_attempt_logs_returns_the_redirect_without_following_it() {
    let server = MockServer::start().await;
    // The archive lives on the same server here, so following the redirect would be seen.
    let location = format!("{}/storage/logs_{BIG_RUN_ID}_2.zip?sig=abc%2Bdef", server.uri());
    Mock::given(path(format!("/storage/logs_{BIG_RUN_ID}_2.zip")))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(b"PK\x03\x04".to_vec()))
        .expect(0)
        .named("log archive")
        .mount(&server)
        .await;
    let expected = Expected::get(run_path(BIG_RUN_ID, "/attempts/2/logs"));
    expected.mount(&server, redirect_to(&location)).await;

    let response = expected
        .client(&server)
        .actions()
        .download_workflow_run_attempt_logs(OWNER, REPO, BIG_RUN_ID, 2)
        .send()
        .await
        .expect("302 is success");

    expected.verify(&server).await;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.into_body(), Redirect { location });
}

// =====================================================================================
// get_pending_deployments_for_run / review_pending_deployments_for_run
// =====================================================================================

#[tokio::test]
async fn get_pending_deployments_for_run_decodes_user_and_team_reviewers() {
    let expected = Expected::get(run_path(BIG_RUN_ID, "/pending_deployments"));
    let response = success(&expected, json_response(200, &pending_deployments()), |client| async move {
        client.actions().get_pending_deployments_for_run(OWNER, REPO, BIG_RUN_ID).send().await
    })
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let [pending] = response.as_slice() else { panic!("one pending deployment expected: {:?}", response.body()) };
    assert_eq!(pending.environment.id, Some(161088068));
    assert_eq!(pending.environment.name.as_deref(), Some("staging"));
    assert_eq!(pending.wait_timer, 30);
    assert_eq!(pending.wait_timer_started_at, Some(at("2020-11-23T22:00:40Z")));
    assert!(pending.current_user_can_approve);
    let [user, team] = pending.reviewers.as_slice() else { panic!("two reviewers expected: {:?}", pending.reviewers) };
    assert_eq!(user.type_, Some(DeploymentReviewerType::User));
    match &user.reviewer {
        Some(PendingDeploymentReviewersItemReviewer::SimpleUser(user)) => {
            assert_eq!((user.login.as_str(), user.id), ("octocat", 1))
        }
        other => panic!("the first reviewer is a user: {other:?}"),
    }
    assert_eq!(team.type_, Some(DeploymentReviewerType::Team));
    match &team.reviewer {
        Some(PendingDeploymentReviewersItemReviewer::Team(team)) => {
            assert_eq!(team.slug, "justice-league");
            assert_eq!(team.permission, "admin");
            assert_eq!(team.parent, None);
        }
        other => panic!("the second reviewer is a team: {other:?}"),
    }
}

#[tokio::test]
async fn review_pending_deployments_for_run_posts_the_review_and_decodes_deployments() {
    let expected = Expected::post(run_path(BIG_RUN_ID, "/pending_deployments")).json(json!({
        "environment_ids": [161171787, 161171795],
        "state": "approved",
        "comment": "Ship it!"
    }));
    let response = success(&expected, json_response(200, &deployments()), |client| async move {
        client
            .actions()
            .review_pending_deployments_for_run(
                OWNER,
                REPO,
                BIG_RUN_ID,
                vec![161171787, 161171795],
                "approved",
                "Ship it!",
            )
            .send()
            .await
    })
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let [deployment] = response.as_slice() else { panic!("one deployment expected: {:?}", response.body()) };
    assert_eq!(deployment.id, 1);
    assert_eq!(deployment.ref_, "topic-branch");
    assert_eq!(deployment.sha, "a84d88e7554fc1fa21bcbc4efae3c782a70d2b9d");
    assert_eq!(deployment.task, "deploy");
    assert_eq!(deployment.environment, "production");
    assert_eq!(deployment.original_environment.as_deref(), Some("staging"));
    assert_eq!(deployment.payload, DeploymentPayload::Object(json!({})));
    assert_eq!(deployment.creator.as_ref().map(|c| c.login.as_str()), Some("octocat"));
    assert_eq!(deployment.created_at, at("2012-07-20T01:19:13Z"));
    assert_eq!(deployment.production_environment, Some(true));
    assert_eq!(deployment.transient_environment, Some(false));
}

#[tokio::test]
async fn review_pending_deployments_for_run_sends_a_rejection_with_64_bit_environment_ids() {
    let expected = Expected::post(run_path(RUN_ID, "/pending_deployments")).json(json!({
        "environment_ids": [5_000_000_001_i64],
        "state": "rejected",
        "comment": "Not during the freeze ❄"
    }));
    let response = success(&expected, json_response(200, &json!([])), |client| async move {
        client
            .actions()
            .review_pending_deployments_for_run(
                OWNER,
                REPO,
                RUN_ID,
                vec![5_000_000_001],
                "rejected",
                "Not during the freeze ❄",
            )
            .send()
            .await
    })
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.is_empty());
}

// =====================================================================================
// get_reviews_for_run
// =====================================================================================

#[tokio::test]
async fn get_reviews_for_run_decodes_the_review_history() {
    let expected = Expected::get(run_path(BIG_RUN_ID, "/approvals"));
    let response = success(&expected, json_response(200, &environment_approvals("approved")), |client| async move {
        client.actions().get_reviews_for_run(OWNER, REPO, BIG_RUN_ID).send().await
    })
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let [review] = response.as_slice() else { panic!("one review expected: {:?}", response.body()) };
    assert_eq!(review.state, EnvironmentApprovalsState::Approved);
    assert_eq!(review.comment, "Ship it!");
    assert_eq!(review.user.login, "octocat");
    let [environment] = review.environments.as_slice() else { panic!("one environment expected") };
    assert_eq!(environment.id, Some(161088068));
    assert_eq!(environment.name.as_deref(), Some("staging"));
    assert_eq!(environment.created_at, Some(at("2020-11-23T22:00:40Z")));
}

#[tokio::test]
async fn get_reviews_for_run_keeps_an_unknown_state_and_re_encodes_it_unchanged() {
    let body = environment_approvals("some_future_state");
    let expected = Expected::get(run_path(RUN_ID, "/approvals"));
    let response = success(&expected, json_response(200, &body), |client| async move {
        client.actions().get_reviews_for_run(OWNER, REPO, RUN_ID).send().await
    })
    .await;
    let reviews = response.into_body();
    assert_eq!(reviews[0].state, EnvironmentApprovalsState::Unknown("some_future_state".to_owned()));
    assert_eq!(reviews[0].state.as_str(), "some_future_state");
    assert_eq!(serde_json::to_value(&reviews[0].state).expect("encodes"), json!("some_future_state"));
    // The whole history encodes back to what the server sent.
    assert_eq!(serde_json::to_value(&reviews).expect("encodes"), body);
}

// =====================================================================================
// get_workflow_run / get_workflow_run_attempt
// =====================================================================================

#[tokio::test]
async fn get_workflow_run_decodes_a_run_with_a_64_bit_id() {
    let expected = Expected::get(run_path(BIG_RUN_ID, ""));
    let response = success(&expected, json_response(200, &workflow_run(BIG_RUN_ID)), |client| async move {
        client.actions().get_workflow_run(OWNER, REPO, BIG_RUN_ID).send().await
    })
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_example_run(&response, BIG_RUN_ID);
    assert_eq!(response.run_attempt, Some(1));
}

#[tokio::test]
async fn get_workflow_run_sends_exclude_pull_requests() {
    let expected = Expected::get(run_path(RUN_ID, "")).query("exclude_pull_requests=true");
    let response = success(&expected, json_response(200, &workflow_run(RUN_ID)), |client| async move {
        client.actions().get_workflow_run(OWNER, REPO, RUN_ID).exclude_pull_requests(true).send().await
    })
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_example_run(&response, RUN_ID);
}

#[tokio::test]
async fn get_workflow_run_under_a_base_path_prefix() {
    let expected = Expected::get(format!("/api/v3{}", run_path(BIG_RUN_ID, ""))).base_suffix("/api/v3");
    assert!(expected.path.starts_with("/api/v3/repos/") && !expected.path.contains("/api/v3/api/v3"));
    let response = success(&expected, json_response(200, &workflow_run(BIG_RUN_ID)), |client| async move {
        client.actions().get_workflow_run(OWNER, REPO, BIG_RUN_ID).send().await
    })
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.id, BIG_RUN_ID);
}

#[tokio::test]
async fn get_workflow_run_attempt_decodes_the_attempt() {
    let mut body = workflow_run(BIG_RUN_ID);
    body["run_attempt"] = json!(3);
    body["previous_attempt_url"] =
        json!(format!("https://api.github.com/repos/octo-org/octo-repo/actions/runs/{BIG_RUN_ID}/attempts/2"));
    let expected = Expected::get(run_path(BIG_RUN_ID, "/attempts/3")).query("exclude_pull_requests=false");
    let response = success(&expected, json_response(200, &body), |client| async move {
        client.actions().get_workflow_run_attempt(OWNER, REPO, BIG_RUN_ID, 3).exclude_pull_requests(false).send().await
    })
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_example_run(&response, BIG_RUN_ID);
    assert_eq!(response.run_attempt, Some(3));
    assert!(response
        .previous_attempt_url
        .as_deref()
        .is_some_and(|url| url.ends_with(&format!("/runs/{BIG_RUN_ID}/attempts/2"))));
}

// =====================================================================================
// list_workflow_runs
// =====================================================================================

#[tokio::test]
async fn list_workflow_runs_by_file_name_with_filters() {
    let expected =
        Expected::get(repo_path("/actions/workflows/main.yaml/runs")).query("branch=main&per_page=5&status=failure");
    let response = success(&expected, json_response(200, &runs_page(7, &[BIG_RUN_ID, RUN_ID])), |client| async move {
        client
            .actions()
            .list_workflow_runs(OWNER, REPO, "main.yaml")
            .status(WorkflowRunStatus::Failure)
            .per_page(5)
            .branch("main")
            .send()
            .await
    })
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.total_count, 7);
    let ids: Vec<i64> = response.workflow_runs.iter().map(|run| run.id).collect();
    assert_eq!(ids, [BIG_RUN_ID, RUN_ID]);
    assert_example_run(&response.workflow_runs[0], BIG_RUN_ID);
}

#[tokio::test]
async fn list_workflow_runs_by_integer_workflow_id() {
    let cases: [(WorkflowId, &str); 3] =
        [(WorkflowId::Integer(6), "6"), (6_i64.into(), "6"), (WorkflowId::Integer(5_000_000_007), "5000000007")];
    for (workflow_id, segment) in cases {
        let expected = Expected::get(repo_path(&format!("/actions/workflows/{segment}/runs")));
        let response = success(&expected, json_response(200, &runs_page(1, &[RUN_ID])), |client| async move {
            client.actions().list_workflow_runs(OWNER, REPO, workflow_id).send().await
        })
        .await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.total_count, 1);
        assert_eq!(response.workflow_runs.len(), 1);
        assert_eq!(response.workflow_runs[0].workflow_id, 159038);
    }
}

// =====================================================================================
// list_workflow_runs_for_repo
// =====================================================================================

#[tokio::test]
async fn list_workflow_runs_for_repo_without_filters_sends_no_query() {
    let next = "https://api.github.com/repositories/1296269/actions/runs?page=2".to_owned();
    let link = format!(
        "<{next}>; rel=\"next\", <https://api.github.com/repositories/1296269/actions/runs?page=5>; rel=\"last\""
    );
    let expected = Expected::get(repo_path("/actions/runs"));
    let answer = json_response(200, &runs_page(150, &[BIG_RUN_ID])).insert_header("link", link.as_str());
    let response = success(&expected, answer, |client| async move {
        client.actions().list_workflow_runs_for_repo(OWNER, REPO).send().await
    })
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.total_count, 150);
    assert_example_run(&response.workflow_runs[0], BIG_RUN_ID);
    assert_eq!(response.links().next.as_deref(), Some(next.as_str()));
}

#[tokio::test]
async fn list_workflow_runs_for_repo_with_every_filter() {
    // Query parameters go out in the generated order (alphabetical), form-encoded:
    // `>=` becomes `%3E%3D` and `/` becomes `%2F`.
    let expected = Expected::get(repo_path("/actions/runs")).query(
        "actor=octocat&branch=release%2Fv1.2&check_suite_id=5000000001&created=%3E%3D2024-01-01&event=push\
         &exclude_pull_requests=true&head_sha=acb5820ced9479c074f688cc328bf03f341a511d&page=2&per_page=5&status=failure",
    );
    let response = success(&expected, json_response(200, &runs_page(6, &[RUN_ID])), |client| async move {
        client
            .actions()
            .list_workflow_runs_for_repo(OWNER, REPO)
            .actor("octocat")
            .branch("release/v1.2")
            .event("push")
            .status(WorkflowRunStatus::Failure)
            .per_page(5)
            .page(2)
            .created(">=2024-01-01")
            .check_suite_id(5_000_000_001)
            .exclude_pull_requests(true)
            .head_sha(HEAD_SHA)
            .send()
            .await
    })
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.total_count, 6);
    assert_example_run(&response.workflow_runs[0], RUN_ID);
}

#[tokio::test]
async fn list_workflow_runs_for_repo_sends_status_values_verbatim() {
    let cases = [
        (WorkflowRunStatus::ActionRequired, "status=action_required"),
        (WorkflowRunStatus::TimedOut, "status=timed_out"),
        (WorkflowRunStatus::from("some_future_status"), "status=some_future_status"),
        (WorkflowRunStatus::Unknown("needs review".to_owned()), "status=needs+review"),
    ];
    for (status, query) in cases {
        let expected = Expected::get(repo_path("/actions/runs")).query(query);
        let response = success(&expected, json_response(200, &runs_page(0, &[])), |client| async move {
            client.actions().list_workflow_runs_for_repo(OWNER, REPO).status(status).send().await
        })
        .await;
        assert_eq!(response.total_count, 0);
        assert!(response.workflow_runs.is_empty());
    }
}

#[tokio::test]
async fn list_workflow_runs_for_repo_created_range_with_spaces_is_form_encoded() {
    let expected = Expected::get(repo_path("/actions/runs")).query("created=2024-01-01+..+2024-02-01T12%3A00%3A00Z");
    let response = success(&expected, json_response(200, &runs_page(0, &[])), |client| async move {
        client
            .actions()
            .list_workflow_runs_for_repo(OWNER, REPO)
            .created("2024-01-01 .. 2024-02-01T12:00:00Z")
            .send()
            .await
    })
    .await;
    assert_eq!(response.status(), StatusCode::OK);
}

// =====================================================================================
// re_run_job_for_workflow_run / re_run_workflow / re_run_workflow_failed_jobs
// =====================================================================================

#[tokio::test]
async fn re_run_job_for_workflow_run_sends_its_optional_body() {
    let path = repo_path(&format!("/actions/jobs/{BIG_JOB_ID}/rerun"));

    let bare = Expected::post(&path).json(json!({}));
    let response = success(&bare, json_response(201, &json!({})), |client| async move {
        client.actions().re_run_job_for_workflow_run(OWNER, REPO, BIG_JOB_ID).send().await
    })
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.body(), &EmptyObject::default());

    let on = Expected::post(&path).json(json!({ "enable_debug_logging": true }));
    let response = success(&on, ResponseTemplate::new(201), |client| async move {
        client.actions().re_run_job_for_workflow_run(OWNER, REPO, BIG_JOB_ID).enable_debug_logging(true).send().await
    })
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);

    // An explicit `false` is sent, not dropped.
    let off = Expected::post(&path).json(json!({ "enable_debug_logging": false }));
    let response = success(&off, json_response(201, &json!({})), |client| async move {
        client.actions().re_run_job_for_workflow_run(OWNER, REPO, BIG_JOB_ID).enable_debug_logging(false).send().await
    })
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn re_run_workflow_sends_its_optional_body() {
    let path = run_path(BIG_RUN_ID, "/rerun");

    let bare = Expected::post(&path).json(json!({}));
    let response = success(&bare, json_response(201, &json!({})), |client| async move {
        client.actions().re_run_workflow(OWNER, REPO, BIG_RUN_ID).send().await
    })
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.body(), &EmptyObject::default());

    let debug = Expected::post(&path).json(json!({ "enable_debug_logging": true }));
    let response = success(&debug, ResponseTemplate::new(201), |client| async move {
        client.actions().re_run_workflow(OWNER, REPO, BIG_RUN_ID).enable_debug_logging(true).send().await
    })
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.into_body(), EmptyObject::default());
}

#[tokio::test]
async fn re_run_workflow_failed_jobs_sends_its_optional_body() {
    let path = run_path(BIG_RUN_ID, "/rerun-failed-jobs");

    let bare = Expected::post(&path).json(json!({}));
    let response = success(&bare, ResponseTemplate::new(201), |client| async move {
        client.actions().re_run_workflow_failed_jobs(OWNER, REPO, BIG_RUN_ID).send().await
    })
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.body(), &EmptyObject::default());

    let debug = Expected::post(&path).json(json!({ "enable_debug_logging": true }));
    let response = success(&debug, json_response(201, &json!({})), |client| async move {
        client.actions().re_run_workflow_failed_jobs(OWNER, REPO, BIG_RUN_ID).enable_debug_logging(true).send().await
    })
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
}

// =====================================================================================
// review_custom_gates_for_run (anyOf body)
// =====================================================================================

#[tokio::test]
async fn review_custom_gates_for_run_with_a_state() {
    let cases = [
        (
            ReviewCustomGatesStateRequired::new("prod-eus", "approved").with_comment("All health checks passed."),
            json!({ "environment_name": "prod-eus", "state": "approved", "comment": "All health checks passed." }),
        ),
        (
            // Without its optional comment: the member is left out, not sent as `null`.
            ReviewCustomGatesStateRequired::new("prod-weu", "rejected"),
            json!({ "environment_name": "prod-weu", "state": "rejected" }),
        ),
    ];
    for (review, body) in cases {
        let expected = Expected::post(run_path(BIG_RUN_ID, "/deployment_protection_rule")).json(body);
        let response: Response<()> = success(&expected, no_content(), |client| async move {
            client.actions().review_custom_gates_for_run(OWNER, REPO, BIG_RUN_ID, review).send().await
        })
        .await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
    }
}

#[tokio::test]
async fn review_custom_gates_for_run_with_only_a_comment() {
    let review = ReviewCustomGatesCommentRequired::new("prod-eus", "Waiting for the canary to finish.");
    let expected = Expected::post(run_path(BIG_RUN_ID, "/deployment_protection_rule"))
        .json(json!({ "environment_name": "prod-eus", "comment": "Waiting for the canary to finish." }));
    let response: Response<()> = success(&expected, no_content(), |client| async move {
        client.actions().review_custom_gates_for_run(OWNER, REPO, BIG_RUN_ID, review).send().await
    })
    .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let () = response.into_body();
}

// =====================================================================================
// Across operations: base path prefix, path encoding, refused segments
// =====================================================================================

/// Calls every operation once, discarding what comes back; the number of calls
/// must match the 17 paths in [`every_operation_keeps_the_base_path_prefix`].
async fn call_every_operation(client: &Client, owner: &str, repo: &str) -> Vec<workflow_runs_client::Result<()>> {
    let actions = client.actions();
    let gate = ReviewCustomGatesCommentRequired::new("prod-eus", "ok");
    vec![
        actions.cancel_workflow_run(owner, repo, BIG_RUN_ID).send().await.map(drop),
        actions.delete_workflow_run(owner, repo, BIG_RUN_ID).send().await.map(drop),
        actions.delete_workflow_run_logs(owner, repo, BIG_RUN_ID).send().await.map(drop),
        actions.download_workflow_run_attempt_logs(owner, repo, BIG_RUN_ID, 2).send().await.map(drop),
        actions.download_workflow_run_logs(owner, repo, BIG_RUN_ID).send().await.map(drop),
        actions.force_cancel_workflow_run(owner, repo, BIG_RUN_ID).send().await.map(drop),
        actions.get_pending_deployments_for_run(owner, repo, BIG_RUN_ID).send().await.map(drop),
        actions.get_reviews_for_run(owner, repo, BIG_RUN_ID).send().await.map(drop),
        actions.get_workflow_run(owner, repo, BIG_RUN_ID).send().await.map(drop),
        actions.get_workflow_run_attempt(owner, repo, BIG_RUN_ID, 2).send().await.map(drop),
        actions.list_workflow_runs(owner, repo, "main.yaml").send().await.map(drop),
        actions.list_workflow_runs_for_repo(owner, repo).send().await.map(drop),
        actions.re_run_job_for_workflow_run(owner, repo, BIG_JOB_ID).send().await.map(drop),
        actions.re_run_workflow(owner, repo, BIG_RUN_ID).send().await.map(drop),
        actions.re_run_workflow_failed_jobs(owner, repo, BIG_RUN_ID).send().await.map(drop),
        actions.review_custom_gates_for_run(owner, repo, BIG_RUN_ID, gate).send().await.map(drop),
        actions
            .review_pending_deployments_for_run(owner, repo, BIG_RUN_ID, vec![161171787], "approved", "ok")
            .send()
            .await
            .map(drop),
    ]
}

#[tokio::test]
async fn every_operation_keeps_the_base_path_prefix() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(json_response(404, &github_error("Not Found", "actions/workflow-runs")))
        .expect(17)
        .mount(&server)
        .await;
    // With a trailing slash, which must not produce `//` either.
    let client = client_at(format!("{}/api/v3/", server.uri()));

    let outcomes = call_every_operation(&client, OWNER, REPO).await;

    for (i, outcome) in outcomes.iter().enumerate() {
        let error = outcome.as_ref().expect_err("every call was answered 404");
        assert!(error.is_not_found() && matches!(error, Error::Api(_)), "call {i}: {error:?}");
    }
    let run = format!("/api/v3/repos/{OWNER}/{REPO}/actions/runs/{BIG_RUN_ID}");
    let repo = format!("/api/v3/repos/{OWNER}/{REPO}");
    let want = [
        ("POST", format!("{run}/cancel")),
        ("DELETE", run.clone()),
        ("DELETE", format!("{run}/logs")),
        ("GET", format!("{run}/attempts/2/logs")),
        ("GET", format!("{run}/logs")),
        ("POST", format!("{run}/force-cancel")),
        ("GET", format!("{run}/pending_deployments")),
        ("GET", format!("{run}/approvals")),
        ("GET", run.clone()),
        ("GET", format!("{run}/attempts/2")),
        ("GET", format!("{repo}/actions/workflows/main.yaml/runs")),
        ("GET", format!("{repo}/actions/runs")),
        ("POST", format!("{repo}/actions/jobs/{BIG_JOB_ID}/rerun")),
        ("POST", format!("{run}/rerun")),
        ("POST", format!("{run}/rerun-failed-jobs")),
        ("POST", format!("{run}/deployment_protection_rule")),
        ("POST", format!("{run}/pending_deployments")),
    ];
    let requests = server.received_requests().await.expect("request recording is on");
    let got: Vec<(&str, &str)> = requests.iter().map(|r| (r.method.as_str(), r.url.path())).collect();
    let want: Vec<(&str, &str)> = want.iter().map(|(m, p)| (*m, p.as_str())).collect();
    assert_eq!(got, want);
    for request in &requests {
        assert_api_headers(request);
        assert_eq!(request.url.query(), None, "{}", request.url);
    }
}

#[tokio::test]
async fn path_parameters_stay_one_segment_each() {
    let cases = [
        ("a/b", REPO, "a%2Fb", REPO),
        (OWNER, "my repo", OWNER, "my%20repo"),
        (OWNER, "dépôt-ü", OWNER, "d%C3%A9p%C3%B4t-%C3%BC"),
        ("%2e%2e", "r?x#y", "%252e%252e", "r%3Fx%23y"),
        ("...", "octo.repo", "...", "octo.repo"),
    ];
    for (owner, repo, owner_on_wire, repo_on_wire) in cases {
        let expected = Expected::get(format!("/repos/{owner_on_wire}/{repo_on_wire}/actions/runs/{RUN_ID}"));
        let response = success(&expected, json_response(200, &workflow_run(RUN_ID)), |client| async move {
            client.actions().get_workflow_run(owner, repo, RUN_ID).send().await
        })
        .await;
        assert_eq!(response.id, RUN_ID, "{owner}/{repo}");
    }
}

#[tokio::test]
async fn workflow_file_names_stay_one_segment() {
    let expected = Expected::get(repo_path("/actions/workflows/ci%2Fbuild%20all.yml/runs"));
    let response = success(&expected, json_response(200, &runs_page(0, &[])), |client| async move {
        client.actions().list_workflow_runs(OWNER, REPO, "ci/build all.yml").send().await
    })
    .await;
    assert_eq!(response.total_count, 0);
}

#[tokio::test]
async fn dot_segments_are_refused_before_anything_is_sent() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .named("nothing may be sent")
        .mount(&server)
        .await;
    let client = client_at(server.uri());
    let actions = client.actions();

    let outcomes: Vec<(&str, workflow_runs_client::Result<()>)> = vec![
        ("owner", actions.cancel_workflow_run("..", REPO, RUN_ID).send().await.map(drop)),
        ("owner", actions.get_workflow_run(".", REPO, RUN_ID).send().await.map(drop)),
        ("repo", actions.delete_workflow_run(OWNER, "..", RUN_ID).send().await.map(drop)),
        ("repo", actions.list_workflow_runs_for_repo(OWNER, "").send().await.map(drop)),
        ("workflow_id", actions.list_workflow_runs(OWNER, REPO, "..").send().await.map(drop)),
        ("repo", actions.re_run_workflow(OWNER, "..", RUN_ID).enable_debug_logging(true).send().await.map(drop)),
        (
            "owner",
            actions
                .review_custom_gates_for_run("..", REPO, RUN_ID, ReviewCustomGatesCommentRequired::new("prod", "x"))
                .send()
                .await
                .map(drop),
        ),
    ];

    for (want, outcome) in outcomes {
        match outcome {
            Err(Error::InvalidParameter { name, reason }) => {
                assert_eq!(name, want, "{reason}");
                assert!(!reason.is_empty());
            }
            other => panic!("`{want}` should be refused as InvalidParameter, got {other:?}"),
        }
    }
    // The refused `..` owner on a whole sweep of operations, too.
    for outcome in call_every_operation(&client, "..", REPO).await {
        assert!(matches!(outcome, Err(Error::InvalidParameter { name: "owner", .. })), "{outcome:?}");
    }
    let requests = server.received_requests().await.expect("request recording is on");
    assert!(requests.is_empty(), "nothing may reach the server: {requests:#?}");
    server.verify().await;
}
