//! Slicing GitHub's full REST description: every slice is closed and minimal, slicing is
//! deterministic, and the checked-in `spec/workflow-runs.yaml` is up to date.

use super::{operations, slice_subcategory, subcategories, subcategory_of, to_yaml};
use generator::document::{pointer, Kind};
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// The primary's slice and where it was cut from, as its header records it: these tests
/// follow whatever release `spec/releases.yaml` names as the primary.
fn checked_in() -> (String, super::Provenance) {
    let root = crate::root();
    let primary = crate::releases::Releases::read(&root).expect("spec/releases.yaml").primary;
    let path = crate::releases::slice_path(&primary);
    let slice = std::fs::read_to_string(root.join(&path)).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let provenance = super::provenance(&slice).unwrap_or_else(|| panic!("{path} has no `cargo xtask spec` header"));
    (slice, provenance)
}

/// The full description, parsed once per test binary.
fn upstream() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| {
        let source = checked_in().1.source.expect("the primary's slice records its full description");
        let path = crate::root().join(source);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        serde_json::from_slice(&bytes).expect("the upstream description is not valid JSON")
    })
}

fn slice(subcategory: &str) -> Value {
    slice_subcategory(upstream(), subcategory).unwrap_or_else(|e| panic!("slicing {subcategory}: {e}"))
}

/// Every reference under a node of `kind`: each `$ref` where the structure has one. A
/// `$ref` in data (GitHub's example values hold some) is not one, and may name a component
/// the slice does not keep.
fn collect_refs<'a>(node: &'a Value, kind: Option<Kind>, out: &mut Vec<&'a str>) {
    let Some(kind) = kind else { return };
    match node {
        Value::Object(map) => match kind.reference(map) {
            Some(reference) => out.push(reference),
            None => map.iter().for_each(|(key, value)| collect_refs(value, kind.child(key), out)),
        },
        Value::Array(items) => items.iter().for_each(|value| collect_refs(value, kind.item(), out)),
        _ => {}
    }
}

/// `(section, name)` of the component entry a `#/components/<section>/<name>...` reference is in.
fn entry_of(reference: &str) -> (String, String) {
    let unescape = |token: &str| token.replace("~1", "/").replace("~0", "~");
    let tokens: Vec<_> = reference.split('/').collect();
    assert!(tokens.len() >= 4 && tokens[..2] == ["#", "components"], "not a component reference: {reference}");
    (unescape(tokens[2]), unescape(tokens[3]))
}

/// Checks that the slice for `subcategory` is closed, minimal and faithful to the original.
fn check(subcategory: &str) {
    let full = upstream();
    let slice = slice(subcategory);

    let expected: Vec<_> = operations(full).filter(|(_, _, op)| subcategory_of(op) == Some(subcategory)).collect();
    let kept: Vec<_> = operations(&slice).collect();
    assert!(!kept.is_empty(), "{subcategory}: no operations");
    assert_eq!(kept, expected, "{subcategory}: kept operations differ from the original ones");

    let mut all_refs = Vec::new();
    collect_refs(&slice, Some(Kind::DOCUMENT), &mut all_refs);
    for reference in all_refs {
        let resolved = reference.strip_prefix('#').and_then(|pointer| slice.pointer(pointer));
        assert!(resolved.is_some(), "{subcategory}: {reference} does not resolve within the slice");
    }

    let mut reached = BTreeSet::new();
    let mut pending = Vec::new();
    collect_refs(&slice["paths"], Kind::at("#/paths"), &mut pending);
    while let Some(reference) = pending.pop() {
        let (section, name) = entry_of(reference);
        let entry = &slice["components"][&section][&name];
        let kind = Kind::at(&pointer(["components", &section, &name]));
        if reached.insert((section, name)) {
            collect_refs(entry, kind, &mut pending);
        }
    }
    let mut present = BTreeSet::new();
    for (section, entries) in slice["components"].as_object().into_iter().flatten() {
        for (name, entry) in entries.as_object().expect("component section is an object") {
            assert_eq!(entry, &full["components"][section][name], "{subcategory}: {section}/{name} was altered");
            present.insert((section.clone(), name.clone()));
        }
    }
    assert_eq!(present, reached, "{subcategory}: components are not exactly those reachable from the paths");
}

#[test]
fn chosen_slices_are_closed_and_minimal() {
    let all = subcategories(upstream());
    for subcategory in
        ["workflow-runs", "workflows", "workflow-jobs", "artifacts", "issues", "contents", "users", "pulls"]
    {
        assert!(all.contains(subcategory), "{subcategory} is not a subcategory of the upstream description");
        check(subcategory);
    }
}

#[test]
fn every_slice_is_closed_and_minimal() {
    let all = subcategories(upstream());
    assert!(all.len() > 100, "only {} subcategories", all.len());
    all.iter().for_each(|subcategory| check(subcategory));
}

/// The operations the client documents; every release since the client's first has them
/// (github.com has a few more), so the test holds whichever release `spec/` is sliced from.
#[test]
fn workflow_runs_has_the_documented_operations() {
    let doc = slice("workflow-runs");
    let ids: BTreeSet<&str> = operations(&doc).filter_map(|(_, _, op)| op.get("operationId")?.as_str()).collect();
    for id in [
        "actions/cancel-workflow-run",
        "actions/delete-workflow-run",
        "actions/delete-workflow-run-logs",
        "actions/download-workflow-run-attempt-logs",
        "actions/download-workflow-run-logs",
        "actions/force-cancel-workflow-run",
        "actions/get-pending-deployments-for-run",
        "actions/get-reviews-for-run",
        "actions/get-workflow-run",
        "actions/get-workflow-run-attempt",
        "actions/list-workflow-runs",
        "actions/list-workflow-runs-for-repo",
        "actions/re-run-job-for-workflow-run",
        "actions/re-run-workflow",
        "actions/re-run-workflow-failed-jobs",
        "actions/review-custom-gates-for-run",
        "actions/review-pending-deployments-for-run",
    ] {
        assert!(ids.contains(id), "{id} is missing from the workflow-runs slice: {ids:?}");
    }
}

#[test]
fn unknown_subcategory_is_an_error() {
    assert!(slice_subcategory(upstream(), "no-such-subcategory").is_err());
}

#[test]
fn slicing_is_deterministic() {
    let render = || to_yaml(&slice("workflow-runs"), "# a.json").expect("render");
    assert_eq!(render(), render());
}

#[test]
fn checked_in_slice_is_up_to_date() {
    let (actual, source) = checked_in();
    let header = actual.lines().next().unwrap_or_default();
    let expected = to_yaml(&slice(&source.subcategory), header).expect("render");
    let from = source.source.unwrap_or_default();
    assert!(actual == expected, "the primary's slice is out of date with {from}; run `cargo xtask spec --from {from}`");
}
