//! The `runs` example as a user runs it: against a local server, with the description's
//! own examples as answers, checking what it printed, what it sent, and its exit codes.

mod fixtures;

use fixtures::{runs_page, workflow_run};
use std::process::{Command, Output};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The example binary, which `cargo test` builds next to the test binaries.
fn example() -> Command {
    let exe = std::env::current_exe().expect("the test binary's path");
    let profile_dir = exe.parent().and_then(std::path::Path::parent).expect("the target profile directory");
    let binary = profile_dir.join("examples").join(format!("runs{}", std::env::consts::EXE_SUFFIX));
    assert!(binary.exists(), "{} is missing: run `cargo test` (which builds the examples)", binary.display());
    let mut command = Command::new(binary);
    command.env_remove("GITHUB_TOKEN");
    command
}

async fn run(mut command: Command) -> Output {
    tokio::task::spawn_blocking(move || command.output().expect("the example runs")).await.unwrap()
}

fn stdout(output: &Output) -> String {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

#[tokio::test]
async fn list_get_cancel_and_rerun_print_what_the_api_answered() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/octo-org/octo-repo/actions/runs"))
        .and(query_param("status", "queued"))
        .and(query_param("per_page", "2"))
        .and(header("authorization", "Bearer t0ken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(runs_page(2, &[11, 12])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repos/octo-org/octo-repo/actions/runs/11"))
        .respond_with(ResponseTemplate::new(200).set_body_json(workflow_run(11)))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/repos/octo-org/octo-repo/actions/runs/11/cancel"))
        .respond_with(ResponseTemplate::new(202).set_body_json(serde_json::json!({})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/repos/octo-org/octo-repo/actions/runs/11/rerun-failed-jobs"))
        .and(body_json(serde_json::json!({ "enable_debug_logging": true })))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let base = server.uri();
    let with = |args: &[&str]| {
        let mut command = example();
        command.env("GITHUB_TOKEN", "t0ken").args(["--base-url", &base]).args(args);
        command
    };

    // The description's example run: `Build`, queued, no conclusion yet.
    let list = run(with(&["list", "octo-org", "octo-repo", "--status", "queued", "--per-page=2"])).await;
    assert_eq!(stdout(&list), "11\tqueued\t-\tBuild\n12\tqueued\t-\tBuild\n");
    let get = run(with(&["get", "octo-org", "octo-repo", "11"])).await;
    assert_eq!(stdout(&get), "11\tqueued\t-\tBuild\thttps://github.com/octo-org/octo-repo/actions/runs/11\n");
    assert_eq!(stdout(&run(with(&["cancel", "octo-org", "octo-repo", "11"])).await), "cancelled\n");
    let rerun = run(with(&["rerun", "octo-org", "octo-repo", "11", "--failed-only", "--debug"])).await;
    assert_eq!(stdout(&rerun), "re-run of failed jobs requested\n");
}

#[tokio::test]
async fn api_errors_exit_1_and_usage_errors_exit_2_without_a_request() {
    let server = MockServer::start().await;
    Mock::given(path("/repos/o/r/actions/runs/5"))
        .respond_with(ResponseTemplate::new(404).set_body_json(fixtures::api_error("Not Found", "https://docs.example/runs")))
        .mount(&server)
        .await;
    let mut missing = example();
    missing.args(["--base-url", &server.uri(), "get", "o", "r", "5"]);
    let output = run(missing).await;
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("error: GitHub API error 404 Not Found: Not Found (see https://docs.example/runs)"), "{stderr}");

    for (args, message) in [
        (&["get", "o", "r", "0"][..], "RUN_ID must be a positive number, not `0`"),
        (&["get", "o", "r", "1", "--all"], "`get` takes no --all"),
        (&["list", "o"], "`list` takes OWNER REPO"),
        (&["list", "o", "r", "--per-page", "101"], "--per-page must be a number from 1 to 100"),
        (&["list", "o", "r", "--branch", "a", "--branch", "b"], "--branch given twice"),
        (&["logs", "o", "r", "1"], "`logs` needs --out FILE"),
        (&["frobnicate"], "unknown command `frobnicate`"),
        (&["list", "o", "r", "--colour"], "--colour"),
    ] {
        let mut command = example();
        command.args(["--base-url", &server.uri()]).args(args);
        let output = run(command).await;
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message) && stderr.contains("usage: runs"), "{args:?}: {stderr}");
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "only the 404 was requested");
}
