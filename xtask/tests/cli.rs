//! The commands as a user runs them: exit codes and messages.

use std::path::PathBuf;
use std::process::{Command, Output};

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).output().expect("xtask runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_broken_spec_is_one_error_with_its_pointer_and_a_failing_exit() {
    let dir = scratch("broken");
    let spec = dir.join("broken.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    get:\n      operationId: x/get\n      responses:\n        '204': {description: done}\n",
    )
    .unwrap();
    let out = xtask(&["generate", "--spec", spec.to_str().unwrap(), "--out", dir.join("out").to_str().unwrap(), "--name", "broken"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("#/paths/~1a~1{id}/get: path template has `{id}` but no `in: path` parameter declares it"), "{stderr}");
    assert!(!dir.join("out").exists(), "nothing is written for a broken spec");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn strict_turns_warnings_into_a_failing_exit() {
    let dir = scratch("strict");
    let spec = dir.join("spec.json");
    std::fs::write(
        &spec,
        r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/up": {"post": {"operationId": "x/up",
            "requestBody": {"content": {"multipart/form-data": {"schema": {"type": "object"}}}},
            "responses": {"204": {"description": "done"}}}}}}"#,
    )
    .unwrap();
    let out_dir = dir.join("out");
    let args = ["generate", "--spec", spec.to_str().unwrap(), "--out", out_dir.to_str().unwrap(), "--name", "up-client"];
    let lenient = xtask(&args);
    assert!(lenient.status.success(), "{}", String::from_utf8_lossy(&lenient.stderr));
    assert!(String::from_utf8_lossy(&lenient.stderr).contains("warning[unsupported-media-type]: #/paths/~1up/post/requestBody/content/multipart~1form-data"));
    assert!(out_dir.join("Cargo.toml").exists() && out_dir.join("src/generated/x.rs").exists());

    let strict = xtask(&[&args[..], &["--strict"]].concat());
    assert!(!strict.status.success());
    assert!(String::from_utf8_lossy(&strict.stderr).contains("1 warning(s) denied"), "{}", String::from_utf8_lossy(&strict.stderr));

    let allowed = xtask(&[&args[..], &["--strict", "--allow", "unsupported-media-type"]].concat());
    assert!(allowed.status.success(), "{}", String::from_utf8_lossy(&allowed.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn unknown_commands_print_usage_and_fail() {
    let out = xtask(&["frobnicate"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage: cargo xtask <command>"));
    assert!(xtask(&["help"]).status.success());
}
