//! The change report on pairs of descriptions, one pair per kind of change: each folder
//! of `tests/diff/` holds `old.yaml`, `new.yaml` and `expected.txt`, the report
//! `generator::diff` prints for the update (empty for `identical`), and optionally
//! `overrides.yaml`, applied to both.
//! `UPDATE_SNAPSHOTS=1` rewrites the expected reports; read their diff before committing.

use generator::diff::{compare, describe, Format, Summaries};
use generator::Overrides;
use std::fs;
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff")
}

fn summaries(path: &Path, overrides: &Overrides) -> Summaries {
    let text = fs::read_to_string(path).unwrap();
    let value = generator::parse_text(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    describe(value, overrides, "test").unwrap_or_else(|e| panic!("{}: {e}", path.display())).0
}

/// The report for the pair in `tests/diff/NAME`, with its `overrides.yaml` if it has one.
fn report(name: &str) -> generator::diff::Report {
    let folder = dir().join(name);
    let overrides = fs::read_to_string(folder.join("overrides.yaml")).unwrap_or_default();
    report_with(name, &overrides)
}

/// The report for the pair in `tests/diff/NAME` with the overrides file `overrides`.
fn report_with(name: &str, overrides: &str) -> generator::diff::Report {
    let folder = dir().join(name);
    let overrides = Overrides::parse(overrides).unwrap();
    compare(&summaries(&folder.join("old.yaml"), &overrides), &summaries(&folder.join("new.yaml"), &overrides))
}

fn check(name: &str) {
    let text = report(name).render(Format::Text);
    let expected_path = dir().join(name).join("expected.txt");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        fs::write(&expected_path, &text).unwrap();
        return;
    }
    let expected = fs::read_to_string(&expected_path).unwrap_or_default();
    assert_eq!(
        text,
        expected,
        "case `{name}`: the report differs from {} (UPDATE_SNAPSHOTS=1 rewrites it)",
        expected_path.display()
    );
}

macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        $( #[test] fn $name() { check(stringify!($name)); } )*

        /// Every folder is a case above, so none is silently skipped.
        #[test]
        fn every_pair_is_a_case() {
            let listed = [$(stringify!($name)),*];
            for entry in fs::read_dir(dir()).unwrap() {
                let name = entry.unwrap().file_name().into_string().unwrap();
                assert!(listed.contains(&name.as_str()), "tests/diff/{name} has no test: add it to `cases!`");
            }
        }
    };
}

cases!(
    identical,
    availability_narrowed,
    operation_added,
    operation_removed,
    parameter_added_optional,
    parameter_added_required,
    parameter_removed,
    parameter_became_required,
    parameter_style,
    request_body_required,
    request_media_type_removed,
    response_media_type_added,
    response_field_became_optional,
    request_field_became_required,
    enum_value_removed_from_request,
    enum_value_added_to_response,
    max_length_tightened,
    max_length_loosened,
    range_tightened,
    pattern_added,
    items_tightened,
    properties_bounded,
    one_of_variant_added,
    discriminator_mapping_removed,
    read_only_added,
    response_header_removed,
    security_scheme_changed,
    operation_security_changed,
    error_status_added,
    error_status_removed,
    response_field_nullable,
    response_field_type_changed,
    enum_from_follows_a_filter,
);

/// An identical pair reports nothing, whichever way it is read.
#[test]
fn an_identical_pair_reports_nothing() {
    assert!(report("identical").changes.is_empty());
}

/// The labels that matter for CI: what is breaking, what changes behavior.
#[test]
fn labels_per_kind() {
    use generator::public_api::Severity::{Additive, Behavior, Breaking};
    let worst = |name: &str| report(name).changes.iter().map(|c| c.severity).max();
    for (name, label) in [
        ("operation_removed", Breaking),
        ("operation_added", Additive),
        ("parameter_added_required", Breaking),
        ("parameter_style", Behavior),
        ("request_body_required", Behavior),
        // The inline enum shared by two value lists is named anew: the Rust type changes.
        ("enum_value_removed_from_request", Breaking),
        ("enum_value_added_to_response", Behavior),
        ("max_length_tightened", Behavior),
        ("max_length_loosened", Additive),
        ("error_status_added", Behavior),
        ("error_status_removed", Behavior),
        ("security_scheme_changed", Breaking),
    ] {
        assert_eq!(worst(name), Some(label), "case `{name}`:\n{}", report(name).render(Format::Text));
    }
    let removed = report("enum_value_removed_from_request");
    let wire: Vec<String> =
        removed.changes.iter().filter(|c| c.subject == "schema NewPet").map(ToString::to_string).collect();
    assert_eq!(wire, ["behavior  - schema NewPet .status enum \"sold\"  (a value the server accepted)"]);
    // One line per value that differs, not one per value of the renamed enum.
    let values = removed.changes.iter().filter(|c| c.text.contains("value ")).count();
    assert_eq!(values, 1, "{}", removed.render(Format::Text));
}

/// A field that takes a filter's value list with `enum_from` shares the filter's type
/// across an update that adds a value to the filter: the report has one additive line for
/// the value, where the same list written out with `set` splits the type in two and
/// reports the field's type change as breaking.
#[test]
fn a_list_taken_with_enum_from_keeps_its_type_when_the_source_grows() {
    use generator::public_api::Severity::{Additive, Breaking};
    let followed = report("enum_from_follows_a_filter");
    let text = followed.render(Format::Text);
    assert!(!text.contains("RunStatus2"), "{text}");
    let api: Vec<String> =
        followed.changes.iter().filter(|c| !c.subject.starts_with("schema ")).map(ToString::to_string).collect();
    assert_eq!(api, ["additive  + value RunStatus.Pending: \"pending\""], "{text}");
    assert!(followed.changes.iter().all(|c| c.severity != Breaking), "{text}");
    assert!(followed.changes.iter().any(|c| c.severity == Additive), "{text}");

    let copied = "patches:\n- pointer: '#/components/schemas/Run/properties/status'\n  set: {enum: [queued, in_progress, completed, waiting, requested]}\n  reason: r\n";
    let copied = report_with("enum_from_follows_a_filter", copied);
    let text = copied.render(Format::Text);
    assert!(copied.changes.iter().any(|c| c.severity == Breaking) && text.contains("RunStatus2"), "{text}");
}
