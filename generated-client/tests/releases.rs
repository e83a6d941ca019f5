//! One client for servers of several releases: what a server's release lacks is refused
//! before sending when the release is known, and a `404` from a server that names a
//! release lacking the operation says so; github.com-style answers are unaffected.

mod fixtures;

use fixtures::{api_error, builder, client, received, workflow_run};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use workflow_runs_client::futures_util::StreamExt;
use workflow_runs_client::{Error, Release};

const APPROVE: &str = "/repos/o/r/actions/runs/7/approve";
const RERUN_JOB: &str = "/repos/o/r/actions/jobs/9/rerun";
const HEADER: &str = "X-GitHub-Enterprise-Version";

fn not_found() -> ResponseTemplate {
    ResponseTemplate::new(404).set_body_json(api_error("Not Found", "https://docs.github.com/rest"))
}

#[tokio::test]
async fn a_404_from_a_release_without_the_operation_says_so() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(APPROVE))
        .respond_with(not_found().insert_header(HEADER, "3.14.0"))
        .mount(&server)
        .await;
    let client = client(&server);
    let error = client.actions().approve_workflow_run("o", "r", 7).send().await.unwrap_err();
    assert!(error.is_unavailable(), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    let message = error.to_string();
    assert!(message.contains("actions/approve-workflow-run"), "{message}");
    assert!(message.contains("GitHub Enterprise Server 3.14"), "{message}");
    assert!(message.contains("it exists on GHEC, github.com"), "{message}");
    let Error::Unavailable(details) = &error else { panic!("{error:?}") };
    assert_eq!(details.item, None);
    // The client now knows its server's release.
    assert_eq!(client.server_release(), Some(Release::Ghes3_14));
}

#[tokio::test]
async fn github_com_style_answers_are_unaffected() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path(APPROVE)).respond_with(not_found()).mount(&server).await;
    let first = client(&server);
    let error = first.actions().approve_workflow_run("o", "r", 7).send().await.unwrap_err();
    assert!(!error.is_unavailable() && error.is_not_found(), "{error:?}");
    assert!(matches!(error, Error::Api(_)), "{error:?}");
    assert_eq!(first.server_release(), None);

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(APPROVE))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({})))
        .mount(&server)
        .await;
    client(&server).actions().approve_workflow_run("o", "r", 7).send().await.unwrap();
}

#[tokio::test]
async fn a_known_release_refuses_what_it_lacks_before_sending() {
    let server = MockServer::start().await;
    let client = builder(&server).server_release(Release::Ghes3_15).build().unwrap();
    assert_eq!(client.server_release(), Some(Release::Ghes3_15));
    let error = client.actions().approve_workflow_run("o", "r", 7).send().await.unwrap_err();
    assert!(error.is_unavailable(), "{error:?}");
    assert_eq!(error.status(), None);
    assert!(error.to_string().contains("GitHub Enterprise Server 3.15"), "{error}");
    assert!(error.to_string().ends_with("(not sent)"), "{error}");
    assert!(received(&server).await.is_empty(), "a refused request reaches no server");
}

#[tokio::test]
async fn a_release_learned_from_an_earlier_response_refuses_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(workflow_run(7)).insert_header(HEADER, "3.14.2"))
        .mount(&server)
        .await;
    let client = client(&server);
    client.actions().get_workflow_run("o", "r", 7).send().await.unwrap();
    assert_eq!(client.server_release(), Some(Release::Ghes3_14));
    // Clones share what the client learned.
    let error = client.clone().actions().approve_workflow_run("o", "r", 7).send().await.unwrap_err();
    assert!(error.is_unavailable(), "{error:?}");
    assert_eq!(received(&server).await.len(), 1, "only the GET was sent");
}

#[tokio::test]
async fn a_field_the_known_release_lacks_is_refused_and_the_request_without_it_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(RERUN_JOB))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({})))
        .mount(&server)
        .await;
    let client = builder(&server).server_release(Release::Ghes3_16).build().unwrap();
    let error =
        client.actions().re_run_job_for_workflow_run("o", "r", 9).enable_debugger(true).send().await.unwrap_err();
    assert!(error.is_unavailable(), "{error:?}");
    let Error::Unavailable(details) = &error else { panic!("{error:?}") };
    assert_eq!(details.item, Some("enable_debugger"));
    assert!(error.to_string().contains("GitHub Enterprise Server 3.17 and later"), "{error}");
    assert!(received(&server).await.is_empty());
    // Without the field, the same request is sent; on a release that has it, with it.
    client.actions().re_run_job_for_workflow_run("o", "r", 9).send().await.unwrap();
    let newer = builder(&server).server_release(Release::Ghes3_17).build().unwrap();
    newer.actions().re_run_job_for_workflow_run("o", "r", 9).enable_debugger(true).send().await.unwrap();
    let sent = received(&server).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].body_json::<serde_json::Value>().unwrap()["enable_debugger"], json!(true));
}

#[tokio::test]
async fn checks_can_be_turned_off_for_a_server_ahead_of_its_description() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(APPROVE))
        .respond_with(not_found().insert_header(HEADER, "3.14.0"))
        .mount(&server)
        .await;
    let client = builder(&server).server_release(Release::Ghes3_14).check_availability(false).build().unwrap();
    let error = client.actions().approve_workflow_run("o", "r", 7).send().await.unwrap_err();
    assert!(!error.is_unavailable() && error.is_not_found(), "{error:?}");
    assert_eq!(received(&server).await.len(), 1, "sent despite the description");
}

#[test]
fn the_release_enum_names_every_release() {
    assert_eq!(Release::ALL.len(), 8);
    assert_eq!(Release::from_id("ghes-3.14"), Some(Release::Ghes3_14));
    assert_eq!(Release::Ghes3_14.id(), "ghes-3.14");
    assert_eq!(Release::Ghes3_14.to_string(), "GitHub Enterprise Server 3.14");
    assert_eq!(Release::ApiGithubCom.name(), "github.com");
    assert_eq!(Release::PRIMARY, Release::Ghes3_19);
    assert_eq!(Release::from_id("ghes-2.0"), None);
}

#[tokio::test]
async fn only_the_apis_own_origin_names_the_release() {
    // The API's next-page link points at another host, which claims a release without
    // approval: a claim from there must not make the client refuse calls to the API.
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/page2"))
        .respond_with(
            ResponseTemplate::new(200).insert_header(HEADER, "3.14.0").set_body_json(fixtures::runs_page(2, &[2])),
        )
        .mount(&elsewhere)
        .await;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/o/r/actions/runs"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("link", format!("<{}/page2>; rel=\"next\"", elsewhere.uri()).as_str())
                .set_body_json(fixtures::runs_page(2, &[1])),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let runs: Vec<_> = client.actions().list_workflow_runs_for_repo("o", "r").stream().collect().await;
    // However the other host's page was treated, its header taught the client nothing.
    assert!(!runs.is_empty(), "{runs:?}");
    assert_eq!(client.server_release(), None, "{runs:?}");
    Mock::given(method("POST"))
        .and(path(APPROVE))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({})))
        .mount(&server)
        .await;
    client.actions().approve_workflow_run("o", "r", 7).send().await.unwrap();
}
