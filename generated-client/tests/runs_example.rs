//! The `runs` example as a user runs it: against a local server, with the description's
//! own examples as answers, checking what it printed, what it sent, and its exit codes.

mod fixtures;

use fixtures::{access_tokens_path, installation_token, runs_page, workflow_run, APP_ID, INSTALLATION_ID};
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
    for credential in ["GITHUB_TOKEN", "GITHUB_APP_ID", "GITHUB_APP_PRIVATE_KEY", "GITHUB_APP_INSTALLATION_ID"] {
        command.env_remove(credential);
    }
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
        .respond_with(
            ResponseTemplate::new(404).set_body_json(fixtures::api_error("Not Found", "https://docs.example/runs")),
        )
        .mount(&server)
        .await;
    let mut missing = example();
    missing.args(["--base-url", &server.uri(), "get", "o", "r", "5"]);
    let output = run(missing).await;
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: GitHub API error 404 Not Found: Not Found (see https://docs.example/runs)"),
        "{stderr}"
    );

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

/// The test key's file, as a user passes the App's downloaded `.pem`.
fn app_key_path() -> String {
    format!("{}/tests/fixtures/app-key.pem", env!("CARGO_MANIFEST_DIR"))
}

#[tokio::test]
async fn with_github_app_credentials_it_lists_as_the_installation() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/api/v3{}", access_tokens_path(INSTALLATION_ID))))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(installation_token("ghs_example", chrono::Duration::hours(1))),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v3/repos/octo-org/octo-repo/actions/runs"))
        .and(header("authorization", "Bearer ghs_example"))
        .respond_with(ResponseTemplate::new(200).set_body_json(runs_page(1, &[31])))
        .expect(1)
        .mount(&server)
        .await;
    let mut command = example();
    command
        .env("GITHUB_APP_ID", APP_ID.to_string())
        .env("GITHUB_APP_PRIVATE_KEY", app_key_path())
        .env("GITHUB_APP_INSTALLATION_ID", INSTALLATION_ID.to_string())
        .args(["--base-url", &format!("{}/api/v3", server.uri()), "list", "octo-org", "octo-repo"]);

    assert_eq!(stdout(&run(command).await), "31\tqueued\t-\tBuild\n");
    let requests = fixtures::received(&server).await;
    assert_eq!(requests.len(), 2, "the exchange, then the list");
    let jwt = requests[0].headers.get("authorization").unwrap().to_str().unwrap();
    assert!(jwt.starts_with("Bearer ey") && jwt.matches('.').count() == 2, "a JWT: {jwt}");
}

#[tokio::test]
async fn github_token_wins_over_app_credentials_and_incomplete_or_bad_ones_are_refused() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/o/r/actions/runs"))
        .and(header("authorization", "Bearer t0ken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(runs_page(1, &[3])))
        .mount(&server)
        .await;
    let base = server.uri();
    let with = |vars: &[(&str, String)]| {
        let mut command = example();
        command.envs(vars.iter().map(|(k, v)| (*k, v.as_str()))).args(["--base-url", &base, "list", "o", "r"]);
        command
    };
    let app = |key: String, installation: &str| {
        vec![
            ("GITHUB_APP_ID", APP_ID.to_string()),
            ("GITHUB_APP_PRIVATE_KEY", key),
            ("GITHUB_APP_INSTALLATION_ID", installation.to_owned()),
        ]
    };

    let mut both = app(app_key_path(), "77");
    both.push(("GITHUB_TOKEN", "t0ken".to_owned()));
    assert_eq!(stdout(&run(with(&both)).await), "3\tqueued\t-\tBuild\n");

    let incomplete = run(with(&[("GITHUB_APP_ID", "1".to_owned())])).await;
    let stderr = String::from_utf8_lossy(&incomplete.stderr);
    assert_eq!(incomplete.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("GITHUB_APP_ID is set, but not GITHUB_APP_PRIVATE_KEY and GITHUB_APP_INSTALLATION_ID"),
        "{stderr}"
    );

    let missing_key = run(with(&app("/nonexistent/app.pem".to_owned(), "77"))).await;
    let stderr = String::from_utf8_lossy(&missing_key.stderr);
    assert_eq!(missing_key.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("error: reading GITHUB_APP_PRIVATE_KEY `/nonexistent/app.pem`"), "{stderr}");

    let not_rsa = run(with(&app(format!("{}/tests/fixtures/ec-key.pem", env!("CARGO_MANIFEST_DIR")), "77"))).await;
    let stderr = String::from_utf8_lossy(&not_rsa.stderr);
    assert_eq!(not_rsa.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the private key is unusable: it is a PKCS #8 private key, but not an RSA one"),
        "{stderr}"
    );

    let bad_installation = run(with(&app(app_key_path(), "seventy-seven"))).await;
    assert_eq!(bad_installation.status.code(), Some(2));
    assert_eq!(fixtures::received(&server).await.len(), 1, "only the GITHUB_TOKEN run sent a request");
}
