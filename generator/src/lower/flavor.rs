//! Which conventions beyond the description an API follows ([`Flavor`]), and what they
//! change in the IR.
//!
//! The flavor is read from the description, or set by `flavor:` in the overrides file.
//! It decides the runtime the generated crate gets (`standalone`), the `CONVENTIONS` its
//! generated `mod.rs` declares (default server, headers, error bodies, request id), and
//! which list operations are paginated.

use crate::input::Overrides;
use crate::ir::{Api, Flavor, ParamLocation};
use serde_json::Value;

/// The API's flavor: the overrides file's `flavor` when set; else [`Flavor::GitHub`] when
/// the description carries GitHub's extensions (`x-github` on operations, `x-github-*` in
/// `info`) or names `api.github.com` as a server; else [`Flavor::Plain`].
pub fn detect(raw: &Value, overrides: &Overrides) -> Flavor {
    if let Some(flavor) = overrides.flavor {
        return flavor;
    }
    let github_key = |node: Option<&Value>| {
        node.and_then(Value::as_object).is_some_and(|map| map.keys().any(|k| k.starts_with("x-github")))
    };
    let in_info = github_key(raw.get("info"));
    let on_operations = || {
        raw.get("paths").and_then(Value::as_object).is_some_and(|paths| {
            paths.values().filter_map(Value::as_object).any(|item| item.values().any(|op| github_key(Some(op))))
        })
    };
    let github_server = || {
        raw.get("servers").and_then(Value::as_array).is_some_and(|servers| {
            servers.iter().filter_map(|s| s.get("url").and_then(Value::as_str)).any(|url| {
                let host = url.split("://").nth(1).unwrap_or(url).split(['/', ':']).next().unwrap_or_default();
                host.eq_ignore_ascii_case("api.github.com")
            })
        })
    };
    if in_info || on_operations() || github_server() {
        Flavor::GitHub
    } else {
        Flavor::Plain
    }
}

/// GitHub's `POST` operations whose repetition has no further effect, so a client may
/// send them again after a rate limit or a server error: re-running a run or a job that
/// is already queued again, or cancelling or approving one already cancelled or
/// approved, changes nothing (GitHub answers the repeat with an error status, never a
/// second run).
pub const REPEATABLE: &[&str] = &[
    "actions/approve-workflow-run",
    "actions/cancel-workflow-run",
    "actions/force-cancel-workflow-run",
    "actions/re-run-job-for-workflow-run",
    "actions/re-run-workflow",
    "actions/re-run-workflow-failed-jobs",
];

/// Applies the flavor's conventions to the lowered API: GitHub paginates only the lists
/// that also take a `page` query parameter, sizes pages with `per_page`, and marks the
/// operations of [`REPEATABLE`].
pub fn apply(api: &mut Api) {
    if api.flavor != Flavor::GitHub {
        return;
    }
    for op in api.groups.values_mut().flat_map(|g| g.operations.iter_mut()) {
        op.repeatable = REPEATABLE.contains(&op.id.as_str());
        let query = |name: &str| op.params.iter().any(|p| p.wire == name && p.location == ParamLocation::Query);
        let (page, per_page) = (query("page"), query("per_page"));
        match &mut op.paginated {
            Some(_) if !page => op.paginated = None,
            Some(pagination) if per_page => pagination.page_size = Some("per_page".to_owned()),
            _ => {}
        }
    }
}

/// The base URL a client of this API uses unless told otherwise: the description's
/// first server when it is a fixed absolute `http(s)` URL (no variables). GitHub's is
/// the runtime's own (`api.github.com`), whatever the description names.
pub fn default_base_url(api: &Api) -> Option<&str> {
    let url = api.server.as_ref()?.url.as_str();
    let plain_text = url.chars().all(|c| c.is_ascii_graphic() && !matches!(c, '{' | '}' | '"' | '\\'));
    let fixed = plain_text && (url.starts_with("https://") || url.starts_with("http://"));
    fixed.then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn github_is_read_from_extensions_or_the_server_and_overrides_win() {
        let plain = json!({"info": {"title": "t"}, "servers": [{"url": "https://api.example.com"}], "paths": {"/a": {"get": {}}}});
        assert_eq!(detect(&plain, &Overrides::default()), Flavor::Plain);
        let extension = json!({"paths": {"/a": {"get": {"x-github": {"category": "actions"}}}}});
        assert_eq!(detect(&extension, &Overrides::default()), Flavor::GitHub);
        let info = json!({"info": {"x-github-plan": "ghes"}});
        assert_eq!(detect(&info, &Overrides::default()), Flavor::GitHub);
        let server = json!({"servers": [{"url": "https://API.github.com:443/"}]});
        assert_eq!(detect(&server, &Overrides::default()), Flavor::GitHub);
        let lookalike = json!({"servers": [{"url": "https://api.github.com.example.net"}]});
        assert_eq!(detect(&lookalike, &Overrides::default()), Flavor::Plain);
        let forced = Overrides::parse("flavor: plain").unwrap();
        assert_eq!(detect(&extension, &forced), Flavor::Plain);
        assert_eq!(detect(&plain, &Overrides::parse("flavor: github").unwrap()), Flavor::GitHub);
        assert!(Overrides::parse("flavor: gitlab").is_err());
    }

    #[test]
    fn only_githubs_listed_posts_are_repeatable() {
        const SPEC: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /runs/{id}/cancel:
    post:
      operationId: actions/cancel-workflow-run
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses: {'202': {description: ok}}
  /runs/{id}/pending:
    post:
      operationId: actions/review-pending-deployments-for-run
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses: {'200': {description: ok}}
";
        // What the crate says of each operation: its `OPERATION` constant and its docs.
        let generated = |overrides: &str| {
            let options = crate::Options { crate_name: "client".into(), ..Default::default() };
            let output = crate::generate(SPEC, overrides, &options).unwrap();
            output.files.values().cloned().collect::<String>()
        };
        let github = generated("flavor: github");
        let constant = |id: &str| {
            github
                .split(&format!("id: \"{id}\""))
                .nth(1)
                .and_then(|rest| rest.split("};").next())
                .unwrap_or_default()
                .to_owned()
        };
        assert!(constant("actions/cancel-workflow-run").contains("repeatable: true"), "{github}");
        assert!(constant("actions/review-pending-deployments-for-run").contains("repeatable: false"), "{github}");
        assert_eq!(github.matches("Repeatable: sending it again").count(), 1, "{github}");
        let plain = generated("flavor: plain");
        assert!(!plain.contains("repeatable: true") && !plain.contains("Repeatable:"), "{plain}");
    }
}
