//! The commands as a user runs them: exit codes and messages.

mod common;

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
    let out = xtask(&[
        "generate",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        dir.join("out").to_str().unwrap(),
        "--name",
        "broken",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("#/paths/~1a~1{id}/get: path template has `{id}` but no `in: path` parameter declares it"),
        "{stderr}"
    );
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
    let args =
        ["generate", "--spec", spec.to_str().unwrap(), "--out", out_dir.to_str().unwrap(), "--name", "up-client"];
    let lenient = xtask(&args);
    assert!(lenient.status.success(), "{}", String::from_utf8_lossy(&lenient.stderr));
    assert!(String::from_utf8_lossy(&lenient.stderr)
        .contains("warning[unsupported-media-type]: #/paths/~1up/post/requestBody/content/multipart~1form-data"));
    assert!(out_dir.join("Cargo.toml").exists() && out_dir.join("src/generated/x.rs").exists());

    let strict = xtask(&[&args[..], &["--strict"]].concat());
    assert!(!strict.status.success());
    assert!(
        String::from_utf8_lossy(&strict.stderr).contains("1 warning(s) denied"),
        "{}",
        String::from_utf8_lossy(&strict.stderr)
    );

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

/// A small description in the shape of a non-GitHub API: one list and one get.
const PETS: &str = r##"openapi: 3.0.3
info: {title: Pet store, version: "2.1"}
servers: [{url: "https://pets.example.com/v2"}]
paths:
  /pets:
    get:
      operationId: pets/list
      parameters:
        - {name: limit, in: query, schema: {type: integer, format: int32}}
      responses:
        "200":
          description: A page of pets.
          headers: {Link: {schema: {type: string}}}
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}
  /pets/{id}:
    get:
      operationId: pets/get
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        "200":
          description: The pet.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
        "404": {description: No such pet.}
    delete:
      operationId: pets/remove
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        "200":
          description: Removed; the pet as it was.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
        "202": {description: Removal queued.}
  /pets/{id}/feed:
    post:
      operationId: pets/feed
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        "404": {description: No such pet.}
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: {type: integer}
        name: {type: string}
        tag: {type: string, enum: [cat, dog]}
      example: {id: 1, name: Rex, tag: dog}
"##;

/// Every file of a crate below `dir`, relative to it, sorted.
fn files_below(dir: &std::path::Path) -> Vec<String> {
    fn walk(base: &std::path::Path, dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                out.push(path.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// `generate` needs nothing from the checkout it was built in: a copy of the binary in
/// a folder of its own writes a complete crate, whose `lib.rs` declares every module
/// it has, and a second run changes nothing.
#[test]
fn a_copied_binary_generates_a_complete_crate_anywhere() {
    let dir = scratch("copied");
    let binary = dir.join(format!("xtask{}", std::env::consts::EXE_SUFFIX));
    std::fs::copy(env!("CARGO_BIN_EXE_xtask"), &binary).unwrap();
    std::fs::write(dir.join("pets.yaml"), PETS).unwrap();
    let run = || {
        let mut command = Command::new(&binary);
        command.args(["generate", "--spec", "pets.yaml", "--out", "pets", "--name", "pet-client"]).current_dir(&dir);
        // A process started by another test while the copy was open for writing holds
        // the file open until it execs (`ETXTBSY`); it lets go within moments.
        let mut attempts = 0;
        let out = loop {
            match command.output() {
                Err(error) if error.raw_os_error() == Some(26) && attempts < 100 => {
                    attempts += 1;
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                other => break other.expect("the copied binary runs"),
            }
        };
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    run();
    let crate_dir = dir.join("pets");
    let files = files_below(&crate_dir);
    let expected = [
        ".generated-files",
        "Cargo.toml",
        "public-api.txt",
        "src/generated/examples.json",
        "src/generated/mock/examples.rs",
        "src/generated/mock/mod.rs",
        "src/generated/mock/pets.rs",
        "src/generated/mod.rs",
        "src/generated/pets.rs",
        "src/generated/types.rs",
        "src/lib.rs",
        "src/runtime/auth.rs",
        "src/runtime/body.rs",
        "src/runtime/cache.rs",
        "src/runtime/client.rs",
        "src/runtime/conventions.rs",
        "src/runtime/credentials.rs",
        "src/runtime/custom.rs",
        "src/runtime/decode.rs",
        "src/runtime/download.rs",
        "src/runtime/error.rs",
        "src/runtime/mocking.rs",
        "src/runtime/mod.rs",
        "src/runtime/pagination.rs",
        "src/runtime/releases.rs",
        "src/runtime/request.rs",
        "src/runtime/response.rs",
        "src/runtime/retry.rs",
        "src/runtime/trace.rs",
        "tests/golden/mod.rs",
        "tests/spec_examples.rs",
        "wire-api.txt",
    ];
    assert_eq!(files, expected);
    let lib = std::fs::read_to_string(crate_dir.join("src/lib.rs")).unwrap();
    for module in files.iter().filter_map(|f| f.strip_prefix("src/")).filter(|f| *f != "lib.rs" && f.ends_with(".rs")) {
        let name = module.trim_end_matches(".rs").trim_end_matches("/mod.rs").split('/').next().unwrap();
        assert!(lib.contains(&format!("mod {name};")), "lib.rs lacks `mod {name};`:\n{lib}");
    }
    assert!(lib.contains("A typed async client for Pet store (version 2.1)."), "{lib}");
    for file in &files {
        let text = std::fs::read_to_string(crate_dir.join(file)).unwrap();
        // The first line, or for JSON (which has no comments) the first key.
        let first = text.lines().take(if file.ends_with(".json") { 2 } else { 1 }).collect::<Vec<_>>().join("\n");
        assert!(
            first.contains("@generated by `cargo xtask generate --name pet-client`"),
            "{file} does not say how it was made: {first}"
        );
    }
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("name = \"pet-client\"") && manifest.contains("reqwest = ") && !manifest.contains("path ="),
        "{manifest}"
    );

    // Rerunning writes nothing: the modification times stay.
    let stamp = |rel: &str| std::fs::metadata(crate_dir.join(rel)).unwrap().modified().unwrap();
    let before: Vec<_> = expected.iter().map(|f| stamp(f)).collect();
    std::fs::write(crate_dir.join("src/generated/stray.rs"), "// left behind\n").unwrap();
    run();
    assert_eq!(expected.iter().map(|f| stamp(f)).collect::<Vec<_>>(), before);
    assert!(crate_dir.join("src/generated/stray.rs").exists(), "a file it did not write is not its to remove");
    let _ = std::fs::remove_dir_all(&dir);
}

/// GitHub's conventions come only with GitHub's descriptions: a crate generated from a
/// plain description names GitHub nowhere (no default server, headers, error body,
/// request id or pagination rule of GitHub's), one generated from GitHub's has them,
/// and both type-check without warnings.
#[test]
fn only_github_descriptions_get_github_conventions_and_both_crates_compile() {
    let dir = scratch("flavors");
    let workspace = dir.join("workspace");
    std::fs::create_dir_all(&workspace).unwrap();
    std::fs::write(dir.join("pets.yaml"), PETS).unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let github_spec = root.join("spec/workflow-runs.yaml");
    for (name, spec) in [("pets", dir.join("pets.yaml")), ("runs", github_spec)] {
        let out = workspace.join(name);
        let run = xtask(&[
            "generate",
            "--spec",
            spec.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--name",
            &format!("{name}-client"),
        ]);
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        // Members of the scratch workspace rather than workspaces of their own.
        let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
        std::fs::write(out.join("Cargo.toml"), manifest.trim_end().strip_suffix("[workspace]").unwrap()).unwrap();
    }

    let pets = workspace.join("pets");
    for file in files_below(&pets) {
        let text = std::fs::read_to_string(pets.join(&file)).unwrap();
        let at = text.to_lowercase().find("github");
        assert!(at.is_none(), "{file} names GitHub: {}", &text[at.unwrap().saturating_sub(80)..]);
    }
    let module = std::fs::read_to_string(pets.join("src/generated/mod.rs")).unwrap();
    assert!(
        module.contains("Conventions::plain(") && module.contains("Some(\"https://pets.example.com/v2\")"),
        "{module}"
    );
    let list = std::fs::read_to_string(pets.join("src/generated/pets.rs")).unwrap();
    assert!(
        list.contains("pub fn stream("),
        "a list with a declared Link header is paginated without a `page` parameter"
    );
    assert!(list.contains("pub enum RemoveOutcome"), "two successes with different bodies are an outcome enum");
    assert!(list.contains("(200..=299).contains(&status)"), "an operation that documents no success takes any");
    let runs = workspace.join("runs");
    assert!(runs.join("src/runtime/github.rs").exists() && runs.join("src/runtime/github_app.rs").exists());
    let lib = std::fs::read_to_string(runs.join("src/lib.rs")).unwrap();
    assert!(lib.contains("mod github;") && lib.contains("pub use github::GITHUB_API_URL;"), "{lib}");
    // The API version comes from the description (the fleet slice's `info.x-api-version`).
    let module = std::fs::read_to_string(runs.join("src/generated/mod.rs")).unwrap();
    assert!(module.contains("pub const DEFAULT_API_VERSION: &str = \""), "{module}");

    check_workspace(&root, &workspace, &["pets", "runs"]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Makes `members` of `workspace` one scratch workspace and type-checks it with every
/// target and each member's `mock` feature (the mocks are generated code too), asserting
/// success and no warning. Dependencies are built once into the target
/// directory every suite that checks generated crates shares. Slow: only with
/// `RUN_SLOW_TESTS`.
fn check_workspace(root: &std::path::Path, workspace: &std::path::Path, members: &[&str]) {
    if common::skip_slow(&format!("type-checking the generated crates {members:?}")) {
        return;
    }
    std::fs::copy(root.join("Cargo.lock"), workspace.join("Cargo.lock")).unwrap();
    // Each member's package is named after its folder (`--name {member}-client`).
    let features: Vec<String> = members.iter().map(|m| format!("{m}-client/mock")).collect();
    let members: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    std::fs::write(
        workspace.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", ")),
    )
    .unwrap();
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("generated-check");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let check = Command::new(cargo)
        .args(["check", "--offline", "--workspace", "--all-targets", "--message-format", "short", "--features"])
        .arg(features.join(","))
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "{stderr}");
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning")).collect();
    assert!(warnings.is_empty(), "{}", warnings.join("\n"));
}

/// An operation in group `group` answering with component schema `schema`.
fn returning(group: &str, schema: &str) -> serde_json::Value {
    serde_json::json!({"get": {
        "operationId": format!("{group}/get-{schema}"),
        "description": "Reads it.\r\u{202E}Bidi\u{2067}, a bell\u{7}, DEL\u{7f}.",
        "responses": {
            "200": {"description": "Found.\rCR", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}},
            "404": {"description": "Missing\r\u{202D}."}
        }
    }})
}

/// Hostile descriptions whose generated crates must type-check without warnings: one
/// `cargo check` over a scratch workspace of the crates `cargo xtask generate` writes.
#[test]
fn hostile_descriptions_generate_crates_that_check_without_warnings() {
    use serde_json::{json, Map, Value};
    let dir = scratch("hostile");
    // Objects holding the next one by value, in a map, in an array: as deep as the generator allows.
    let chain = |prefix: &str, links: usize, hold: fn(Value) -> Value| -> Vec<(String, Value)> {
        (0..links)
            .map(|i| {
                let next = if i + 1 < links {
                    json!({"$ref": format!("#/components/schemas/{prefix}{}", i + 1)})
                } else {
                    json!({"type": "string"})
                };
                (format!("{prefix}{i}"), json!({"type": "object", "properties": {"next": hold(next)}}))
            })
            .collect()
    };
    let mut schemas: Map<String, Value> = chain("link", 47, |next| next).into_iter().collect();
    schemas.extend(chain("mapped", 23, |next| json!({"type": "object", "additionalProperties": next})));
    schemas.extend(chain("listed", 31, |next| json!({"type": "array", "items": next})));
    let more = json!({
        "list": {"type": "array", "items": {"$ref": "#/components/schemas/list"}},
        "map": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/map"}},
        "ping": {"type": "array", "items": {"$ref": "#/components/schemas/pong"}},
        "pong": {"allOf": [{"$ref": "#/components/schemas/ping"}]},
        "itself": {"oneOf": [{"$ref": "#/components/schemas/itself"}]},
        "who": {"type": "string", "enum": ["self", "Self", "other", "a\rb\u{202E}c"], "description": "Who.\rNot \u{2066}you\u{2069}."},
        "big": {
            "type": "object",
            "required": ["id", "small"],
            "properties": {"id": {"type": "integer", "format": "uint64"}, "small": {"type": "integer", "format": "int8"}},
            "example": {"id": 18_446_744_073_709_551_615_u64, "small": -128}
        },
        "ring": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/ring2"}}},
        "ring2": {"type": "object", "required": ["back"], "properties": {"back": {"$ref": "#/components/schemas/ring"}}},
        "text": {"type": "string"},
        "from": {"type": "string", "enum": ["a", "b"]},
        "s": {"type": "string", "enum": ["x"]},
        "d": {"oneOf": [{"$ref": "#/components/schemas/s"}, {"type": "object", "properties": {"a": {"type": "string"}}}, {"type": "object", "properties": {"b": {"type": "string"}}}]},
        "either": {"oneOf": [{"$ref": "#/components/schemas/text"}, {"type": "string"}, {"type": "array", "items": {"$ref": "#/components/schemas/text"}},
            {"type": "array", "items": {"type": "string"}}]}
    });
    schemas.extend(more.as_object().unwrap().clone());
    let groups = [
        ("builder", "link0"),
        ("clone", "list"),
        ("execute", "map"),
        ("default", "ping"),
        ("fmt", "itself"),
        ("base_url", "who"),
        ("download_to", "big"),
        ("download_to_file", "ring"),
        ("serde", "pong"),
        ("into", "big"),
        ("response", "mapped0"),
        ("types", "listed0"),
        ("to_owned", "d"),
    ];
    let mut paths: Map<String, Value> =
        groups.iter().map(|(group, schema)| (format!("/{group}/{schema}"), returning(group, schema))).collect();
    let mut by_object = returning("paths", "either");
    by_object["get"]["parameters"] =
        json!([{"name": "obj", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/ring"}}]);
    paths.insert("/by/{obj}".into(), by_object);
    // Named like the traits generated code names unqualified (`impl From<&str>`, `impl Into<T>`).
    let mut into = returning("misc", "from");
    into["get"]["operationId"] = json!("misc/into");
    paths.insert("/into".into(), into);
    let hostile = json!({
        "openapi": "3.0.3",
        "info": {"title": "Hostile\r\n\"API\" \u{202E}\\ \u{7}", "version": "1\r"},
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": {
            "token": {"type": "http", "scheme": "bearer", "description": "Not \u{2066}you\u{2069}.\r```\nfn main() {}"},
            "self": {"type": "apiKey", "in": "header", "name": "X-Key\"); }", "description": "*/ `"},
            "Self": {"type": "apiKey", "in": "query", "name": "k\r\u{202E}"},
            "": {"type": "http", "scheme": "Weird\u{7}Scheme"}
        }}
    });
    let plain = json!({"openapi": "3.0.3", "info": {"title": "plain", "version": "1"}, "paths": {"/a": returning("a", "s")}, "components": {"schemas": {"s": {"type": "string"}}}});
    let workspace = dir.join("workspace");
    for (name, spec) in [("hostile", &hostile), ("plain", &plain)] {
        let spec_path = dir.join(format!("{name}.json"));
        std::fs::write(&spec_path, spec.to_string()).unwrap();
        let out = workspace.join(name);
        let run = xtask(&[
            "generate",
            "--spec",
            spec_path.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--name",
            &format!("{name}-client"),
        ]);
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        // Members of the scratch workspace rather than workspaces of their own.
        let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
        let manifest = manifest.trim_end().strip_suffix("[workspace]").expect("the manifest ends with [workspace]");
        std::fs::write(out.join("Cargo.toml"), manifest).unwrap();
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let generated = std::fs::read_to_string(workspace.join("hostile/src/generated/types.rs")).unwrap();
    assert!(generated.contains("pub struct List(pub Vec<List>);") && generated.contains("SelfValue2"), "{generated}");
    let module = std::fs::read_to_string(workspace.join("hostile/src/generated/mod.rs")).unwrap();
    let setters = ["pub fn value(", "pub fn self_(", "pub fn self_2(", "pub fn token_auth("];
    assert!(setters.iter().all(|setter| module.contains(setter)), "{module}");

    check_workspace(&root, &workspace, &["hostile", "plain"]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every path below `dir` with what it holds (a link by where it points), sorted: two
/// equal snapshots mean nothing was written, removed or replaced.
fn snapshot(dir: &std::path::Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(path) = pending.pop() {
        let metadata = std::fs::symlink_metadata(&path).unwrap();
        let rel = path.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
        if metadata.file_type().is_symlink() {
            out.push((rel, format!("link to {}", std::fs::read_link(&path).unwrap().display())));
        } else if metadata.is_dir() {
            out.push((rel, "folder".to_owned()));
            pending.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else {
            out.push((rel, String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned()));
        }
    }
    out.sort();
    out
}

/// Copies the folder `from` to `to` (files and folders only).
fn copy_folder(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            copy_folder(&entry.path(), &to.join(entry.file_name()));
        } else if kind.is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

/// A crate generated with the overrides' `package` entry (`tests/publish/`) is ready for a
/// registry: its manifest has the metadata and no `publish = false`, and cargo packages it
/// without a warning about missing metadata. One generated without the entry cannot be
/// published: cargo refuses before it looks at any registry. `cargo publish --dry-run`
/// itself needs the registry's index over the network, so `.ci/run` runs it on the same
/// fixture. Slow (cargo): only with `RUN_SLOW_TESTS`.
#[test]
fn a_crate_generated_with_package_metadata_packages_and_one_without_is_unpublishable() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let fixture = root.join("xtask/tests/publish");
    let dir = scratch("publish");
    let generate = |name: &str, overrides: Option<&std::path::Path>| {
        let (spec, out) = (fixture.join("openapi.yaml"), dir.join(name));
        let mut args =
            vec!["generate", "--spec", spec.to_str().unwrap(), "--out", out.to_str().unwrap(), "--name", name];
        if let Some(overrides) = overrides {
            args.extend(["--overrides", overrides.to_str().unwrap()]);
        }
        let run = xtask(&args);
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
        out
    };
    let published = generate("pet-store-client", Some(&fixture.join("overrides.yaml")));
    let manifest = std::fs::read_to_string(published.join("Cargo.toml")).unwrap();
    assert!(!manifest.contains("publish = false") && manifest.contains("\nlicense = \"MIT\"\n"), "{manifest}");
    let private = generate("pet-store-private", None);
    let manifest = std::fs::read_to_string(private.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("\npublish = false\n"), "{manifest}");

    if common::skip_slow("packaging the generated crates with cargo") {
        return;
    }
    let cargo = |crate_dir: &std::path::Path, args: &[&str]| {
        let manifest = crate_dir.join("Cargo.toml");
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(args)
            .args(["--offline", "--manifest-path", manifest.to_str().unwrap()])
            .env("CARGO_TARGET_DIR", dir.join("target"))
            .output()
            .expect("cargo runs")
    };
    let listed = cargo(&published, &["package", "--list"]);
    let stderr = String::from_utf8_lossy(&listed.stderr);
    assert!(listed.status.success() && !stderr.contains("warning"), "{stderr}");
    let files = String::from_utf8_lossy(&listed.stdout);
    for file in [
        "Cargo.toml",
        "Cargo.lock",
        "src/lib.rs",
        "src/generated/mod.rs",
        "src/generated/examples.json",
        "src/runtime/client.rs",
        "tests/spec_examples.rs",
    ] {
        assert!(files.lines().any(|line| line == file), "the package lacks {file}:\n{files}");
    }
    let packaged = cargo(&published, &["package", "--no-verify"]);
    assert!(packaged.status.success(), "{}", String::from_utf8_lossy(&packaged.stderr));
    assert!(dir.join("target/package/pet-store-client-0.1.0.crate").is_file());
    let refused = cargo(&private, &["publish", "--dry-run"]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success() && stderr.contains("`pet-store-private` cannot be published"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `generate` into a crate someone wrote, or into the checked-in client, refuses and
/// names the first file it would have overwritten, and changes nothing.
#[test]
fn generate_refuses_a_folder_it_did_not_write() {
    let dir = scratch("foreign");
    std::fs::write(dir.join("pets.yaml"), PETS).unwrap();
    let out = dir.join("mine");
    std::fs::create_dir_all(out.join("src/generated")).unwrap();
    std::fs::write(out.join("Cargo.toml"), "[package]\nname = \"mine\"\n").unwrap();
    std::fs::write(out.join("src/lib.rs"), "//! Mine.\n").unwrap();
    std::fs::write(out.join("src/generated/notes.rs"), "// mine\n").unwrap();
    let before = snapshot(&out);
    let run = xtask(&[
        "generate",
        "--spec",
        dir.join("pets.yaml").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--name",
        "pet-client",
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success());
    assert!(
        stderr.contains(&format!(
            "{} exists and was not written by `cargo xtask generate`",
            out.join("Cargo.toml").display()
        )),
        "{stderr}"
    );
    assert_eq!(snapshot(&out), before);

    // The checked-in client is codegen's, and its runtime is written by hand.
    let client = dir.join("generated-client");
    copy_folder(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../generated-client"), &client);
    let before = snapshot(&client);
    let run = xtask(&[
        "generate",
        "--spec",
        dir.join("pets.yaml").to_str().unwrap(),
        "--out",
        client.to_str().unwrap(),
        "--name",
        "pet-client",
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success());
    assert!(stderr.contains(".generated-files was not written by `cargo xtask generate`"), "{stderr}");
    assert_eq!(snapshot(&client), before);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A second run into its own output rewrites it, removes the files it no longer
/// generates, and keeps (and names) the files it did not write.
#[test]
fn generate_reruns_remove_only_what_it_wrote() {
    let dir = scratch("rerun");
    let (spec, out) = (dir.join("pets.yaml"), dir.join("pets"));
    std::fs::write(&spec, PETS).unwrap();
    let run = || {
        xtask(&["generate", "--spec", spec.to_str().unwrap(), "--out", out.to_str().unwrap(), "--name", "pet-client"])
    };
    assert!(run().status.success());
    std::fs::write(out.join("src/generated/mine.rs"), "// mine\n").unwrap();
    std::fs::write(out.join("Cargo.lock"), "# mine\n").unwrap();
    // The operations move to another group: `pets.rs` is no longer generated.
    std::fs::write(&spec, PETS.replace("operationId: pets/", "operationId: animals/")).unwrap();
    let second = run();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(second.status.success(), "{stderr}");
    assert!(out.join("src/generated/animals.rs").exists() && out.join("src/generated/mock/animals.rs").exists());
    assert!(!out.join("src/generated/pets.rs").exists() && !out.join("src/generated/mock/pets.rs").exists());
    assert_eq!(std::fs::read_to_string(out.join("src/generated/mine.rs")).unwrap(), "// mine\n");
    assert_eq!(std::fs::read_to_string(out.join("Cargo.lock")).unwrap(), "# mine\n");
    assert!(
        stderr.contains(&format!(
            "note: {} was not written by `cargo xtask generate`",
            out.join("src/generated/mine.rs").display()
        )),
        "{stderr}"
    );
    let record = std::fs::read_to_string(out.join(".generated-files")).unwrap();
    assert!(
        record.contains("src/generated/animals.rs\n") && !record.contains("pets.rs") && !record.contains("mine.rs"),
        "{record}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A link at `src`, `src/generated`, a folder below it or `src/lib.rs` of a generated
/// crate is refused by name, and what it points at is left as it was.
#[cfg(unix)]
#[test]
fn generate_never_writes_through_a_link() {
    let dir = scratch("links");
    let spec = dir.join("pets.yaml");
    std::fs::write(&spec, PETS).unwrap();
    for (n, link) in ["src", "src/generated", "src/generated/mock", "src/lib.rs"].into_iter().enumerate() {
        let (out, target) = (dir.join(format!("out-{n}")), dir.join(format!("target-{n}")));
        let run = |name: &str| {
            xtask(&["generate", "--spec", spec.to_str().unwrap(), "--out", out.to_str().unwrap(), "--name", name])
        };
        assert!(run("pet-client").status.success());
        let at = out.join(link);
        if link.ends_with(".rs") {
            std::fs::create_dir_all(&target).unwrap();
            std::fs::write(target.join("victim.rs"), "// precious\n").unwrap();
            std::fs::remove_file(&at).unwrap();
            std::os::unix::fs::symlink(target.join("victim.rs"), &at).unwrap();
        } else {
            copy_folder(&at, &target);
            std::fs::write(target.join("victim.rs"), "// precious\n").unwrap();
            std::fs::remove_dir_all(&at).unwrap();
            std::os::unix::fs::symlink(&target, &at).unwrap();
        }
        let before = (snapshot(&out), snapshot(&target));
        // Another name changes every file, so each would be written.
        let second = run("other-client");
        let stderr = String::from_utf8_lossy(&second.stderr);
        assert!(!second.status.success(), "{link}");
        assert!(stderr.contains(&format!("{} is a symbolic link", at.display())), "{link}: {stderr}");
        assert_eq!((snapshot(&out), snapshot(&target)), before, "{link}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn crate_names_that_shadow_rusts_own_crates_are_refused() {
    for (name, says) in [
        ("std", "taken by Rust's own `std`"),
        ("core", "taken by Rust's own `core`"),
        ("alloc", "taken by Rust's own"),
        ("Self", "is a Rust keyword"),
    ] {
        let run = xtask(&["generate", "--spec", "pets.yaml", "--out", "never-written", "--name", name]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(
            !run.status.success() && stderr.contains(&format!("crate name `{name}`")) && stderr.contains(says),
            "{name}: {stderr}"
        );
    }
    assert!(!std::path::Path::new("never-written").exists());
}

/// What the crate generated in `security_setters_send_their_credentials` runs: each
/// setter, against a local responder that records the request's head.
const SETTERS_TEST: &str = r##"
use security_client::{Client, ClientBuilder};
use std::io::{Read, Write};

/// Answers one request on a local port: the base URL, and the request's head once served.
fn one_request() -> (String, std::thread::JoinHandle<String>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let served = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            stream.read_exact(&mut byte).unwrap();
            head.push(byte[0]);
        }
        let answer = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 4\r\nconnection: close\r\n\r\n\"ok\"";
        stream.write_all(answer.as_bytes()).unwrap();
        String::from_utf8(head).unwrap()
    });
    (url, served)
}

#[tokio::test]
async fn each_setter_sends_its_credential_to_the_api() {
    let cases: [(fn(ClientBuilder) -> ClientBuilder, &str); 6] = [
        (|b| b.api_key_auth("k1"), "\r\nx-api-key: k1\r\n"),
        (|b| b.api_key_in_query("k2"), "GET /v1/pets?api_key=k2 HTTP/1.1\r\n"),
        (|b| b.session("k3"), "\r\ncookie: SID=k3\r\n"),
        (|b| b.token_auth("k4"), "\r\nauthorization: Bearer k4\r\n"),
        (|b| b.basic("user", "pass"), "\r\nauthorization: Basic dXNlcjpwYXNz\r\n"),
        (|b| b.fn_("k5"), "\r\nx-custom-credential: k5\r\n"),
    ];
    for (set, expected) in cases {
        let (url, served) = one_request();
        let client = set(Client::builder().base_url(format!("{url}/v1"))).build().unwrap();
        assert!(!format!("{client:?}").contains("k1"));
        client.pets().list().send().await.unwrap();
        let head = served.join().unwrap();
        assert!(head.contains(expected), "{expected:?} not in {head:?}");
    }
}
"##;

/// The setters a description's security schemes give `ClientBuilder` send the
/// credential where the scheme says (header, query, cookie, bearer or basic
/// `Authorization`), whatever the schemes' names and descriptions: the generated crate,
/// with a test of its own, builds and passes without warnings.
#[test]
fn security_setters_send_their_credentials() {
    use serde_json::json;
    let dir = scratch("security");
    let hostile = "Ends the span ` and the comment */ \u{202E}\u{7}\r\n```\nfn main() { panic!() }\n```";
    let spec = json!({
        "openapi": "3.0.3",
        "info": {"title": "security", "version": "1"},
        "servers": [{"url": "https://api.example.com/v1"}],
        "paths": {"/pets": {"get": {
            "operationId": "pets/list",
            "security": [{"ApiKeyAuth": []}],
            "responses": {"200": {"description": "The pets.", "content": {"application/json": {"schema": {"type": "string"}}}}}
        }}},
        "components": {"securitySchemes": {
            "ApiKeyAuth": {"type": "apiKey", "in": "header", "name": "X-API-Key", "description": "The key.\n\n```\npanic!()\n```"},
            "api key in query": {"type": "apiKey", "in": "query", "name": "api_key"},
            "session": {"type": "apiKey", "in": "cookie", "name": "SID", "description": hostile},
            "token": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            "basic": {"type": "http", "scheme": "basic"},
            "fn": {"type": "apiKey", "in": "header", "name": "X-Custom-Credential", "description": hostile},
            "fn ": {"type": "oauth2", "flows": {}},
            "build": {"$ref": "#/components/securitySchemes/token"}
        }}
    });
    let spec_path = dir.join("security.json");
    std::fs::write(&spec_path, spec.to_string()).unwrap();
    let workspace = dir.join("workspace");
    let out = workspace.join("security");
    let run = xtask(&[
        "generate",
        "--spec",
        spec_path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--name",
        "security-client",
    ]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let module = std::fs::read_to_string(out.join("src/generated/mod.rs")).unwrap();
    assert!(
        module.contains(r#"headers: &["x-api-key", "x-custom-credential"]"#)
            && module.contains(r#"query: &["api_key"]"#),
        "{module}"
    );
    assert!(
        module.contains("pub fn fn_2(self, token: impl Into<String>)") && module.contains("pub fn build_auth("),
        "{module}"
    );
    // A member of the scratch workspace, with what its test needs.
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    let manifest = manifest.trim_end().strip_suffix("[workspace]").expect("the manifest ends with [workspace]");
    let dev = "\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"macros\", \"rt\"] }\n";
    std::fs::write(out.join("Cargo.toml"), format!("{manifest}{dev}")).unwrap();
    std::fs::create_dir_all(out.join("tests")).unwrap();
    std::fs::write(out.join("tests/setters.rs"), SETTERS_TEST).unwrap();

    if common::skip_slow("running the generated security crate's setter test") {
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    std::fs::copy(root.join("Cargo.lock"), workspace.join("Cargo.lock")).unwrap();
    std::fs::write(workspace.join("Cargo.toml"), "[workspace]\nresolver = \"2\"\nmembers = [\"security\"]\n").unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let test = Command::new(cargo)
        .args(["test", "--offline", "--test", "setters", "--message-format", "short"])
        .current_dir(&workspace)
        .env("CARGO_TARGET_DIR", PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("generated-check"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&test.stderr);
    let stdout = String::from_utf8_lossy(&test.stdout);
    assert!(test.status.success(), "{stderr}\n{stdout}");
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning")).collect();
    assert!(warnings.is_empty(), "{}", warnings.join("\n"));
    assert!(stdout.contains("test each_setter_sends_its_credential_to_the_api ... ok"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}
