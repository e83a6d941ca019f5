//! Each class of real-world description that once failed generates a crate that
//! type-checks with no warning: the generator's snapshot descriptions of those classes,
//! and a description split across files. The crates are one scratch workspace, checked by
//! one `cargo` in the target directory every suite that checks generated crates shares
//! (not the workspace's own, which `cargo test` holds locked). Generation and its
//! warnings are checked in every `cargo test`; the type-checks are slow and run only with
//! `RUN_SLOW_TESTS` (CI sets it).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn xtask(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).output().expect("xtask runs")
}

/// Where the crates go: members of one scratch workspace, type-checked by one `cargo`.
fn workspace() -> PathBuf {
    root().join("target/failure-classes")
}

/// Generates a crate from `spec` as a member of [`workspace`]; returns the generator's
/// warnings.
fn generate(name: &str, spec: &Path) -> String {
    let out = workspace().join(name);
    let generated =
        xtask(&["generate", "--spec", spec.to_str().unwrap(), "--out", out.to_str().unwrap(), "--name", name]);
    let stderr = String::from_utf8_lossy(&generated.stderr).into_owned();
    assert!(generated.status.success(), "{name} did not generate:\n{stderr}");
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    let member = manifest.trim_end().strip_suffix("[workspace]").expect("the manifest ends with [workspace]");
    std::fs::write(out.join("Cargo.toml"), member).unwrap();
    stderr
}

/// Type-checks the crates `members` of [`workspace`] (tests included) with one `cargo`,
/// asserting success and no warning. Slow: only with `RUN_SLOW_TESTS`.
fn check(members: &[&str]) {
    if common::skip_slow("type-checking the crates generated for each failure class") {
        return;
    }
    let dir = workspace();
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let list: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    std::fs::write(dir.join("Cargo.toml"), format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", list.join(", ")))
        .unwrap();
    let check = Command::new(env!("CARGO"))
        .args(["check", "--workspace", "--all-targets", "--offline", "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("generated-check"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let diagnostics = String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "a failure class does not type-check:\n{diagnostics}");
    assert!(!diagnostics.contains("warning"), "a failure class type-checks with warnings:\n{diagnostics}");
}

fn snapshot(name: &str) -> PathBuf {
    root().join("generator/tests/snapshots").join(format!("{name}.yaml"))
}

#[test]
fn each_failure_class_compiles() {
    // Members left by an earlier run would be checked with the stale text.
    let _ = std::fs::remove_dir_all(workspace());
    let warnings = generate("required-true", &snapshot("required_true"));
    assert!(
        warnings.contains("warning[non-standard]: #/components/schemas/Account/properties/id/required"),
        "{warnings}"
    );
    generate("big-integers", &snapshot("big_integers"));
    generate("union-of-aliases", &snapshot("union_of_aliases"));
    generate("multipart", &snapshot("multipart"));
    let warnings = generate("pointer-refs", &snapshot("pointer_refs"));
    assert!(warnings.contains("$ref \"#\" names the whole document"), "{warnings}");
    let warnings = generate("name-collisions", &snapshot("name_collisions"));
    assert!(warnings.contains("generated as \"resources/list-2\""), "{warnings}");
    generate("nullable-refs", &snapshot("nullable_refs"));
    let warnings = generate("multi-file", &root().join("xtask/tests/multi_file/openapi.yaml"));
    assert!(!warnings.contains("warning["), "{warnings}");
    check(&[
        "required-true",
        "big-integers",
        "union-of-aliases",
        "multipart",
        "pointer-refs",
        "name-collisions",
        "nullable-refs",
        "multi-file",
    ]);
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-classes-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("paths")).unwrap();
    dir
}

#[test]
fn problems_in_other_files_name_the_file() {
    let dir = scratch("located");
    std::fs::write(
        dir.join("openapi.yaml"),
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a/{id}:\n    $ref: paths/a.yaml\n  /b:\n    $ref: paths/b.yaml\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("paths/a.yaml"),
        "get:\n  operationId: a/get\n  responses:\n    '204': {description: done}\n",
    )
    .unwrap();
    std::fs::write(dir.join("paths/b.yaml"), "get:\n  responses:\n    '200': {$ref: '#/missing'}\n").unwrap();
    let spec = dir.join("openapi.yaml");
    let run = || {
        xtask(&[
            "generate",
            "--spec",
            spec.to_str().unwrap(),
            "--out",
            dir.join("out").to_str().unwrap(),
            "--name",
            "located",
        ])
    };

    let out = run();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("paths/b.yaml#/get/responses/200: $ref \"#/missing\" does not resolve: paths/b.yaml has no node at #/missing"), "{stderr}");

    std::fs::write(
        dir.join("paths/b.yaml"),
        "get:\n  operationId: b/get\n  responses:\n    '204': {description: done}\n",
    )
    .unwrap();
    let out = run();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("paths/a.yaml#/get: path template has `{id}` but no `in: path` parameter declares it"),
        "{stderr}"
    );

    std::fs::write(dir.join("paths/a.yaml"), "get:\n  operationId: a/get\n  parameters: [{$ref: 'https://example.com/p.yaml'}]\n  responses:\n    '204': {description: done}\n").unwrap();
    let out = run();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("paths/a.yaml#/get/parameters/0: $ref \"https://example.com/p.yaml\": references to other hosts are not supported"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn files_outside_the_root_are_read_only_when_a_root_names_them() {
    let dir = scratch("root");
    std::fs::write(dir.join("shared.yaml"), "type: object\nproperties:\n  id: {type: integer}\n").unwrap();
    std::fs::write(
        dir.join("paths/openapi.yaml"),
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a/get\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '../shared.yaml'}\n",
    )
    .unwrap();
    let spec = dir.join("paths/openapi.yaml");
    let out = dir.join("out");
    let run = |extra: &[&str]| {
        let mut args =
            vec!["generate", "--spec", spec.to_str().unwrap(), "--out", out.to_str().unwrap(), "--name", "rooted"];
        args.extend_from_slice(extra);
        xtask(&args)
    };
    let refused = run(&[]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success() && !out.exists());
    assert!(stderr.contains("openapi.yaml#/paths/~1a/get/responses/200/content/application~1json/schema: $ref \"../shared.yaml\": ../shared.yaml is outside"), "{stderr}");
    assert!(stderr.contains("--root DIR"), "{stderr}");
    let allowed = run(&["--root", dir.to_str().unwrap()]);
    assert!(allowed.status.success(), "{}", String::from_utf8_lossy(&allowed.stderr));
    let types = std::fs::read_to_string(out.join("src/generated/types.rs")).unwrap();
    assert!(types.contains("pub struct Shared"), "{types}");
    let _ = std::fs::remove_dir_all(&dir);
}
