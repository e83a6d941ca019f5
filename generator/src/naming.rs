//! The one place where names from the document become Rust identifiers.
//!
//! Every identifier the generator emits goes through [`type_name`], [`field_name`] or
//! [`variant_name`], and every set of sibling names through [`Namer`], so keywords,
//! leading digits, punctuation (`+1`, `-1`, `@type`) and collisions are handled once.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Rust keywords (strict, reserved and weak ones that matter in field position).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true",
    "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names the generated code uses unqualified; schemas with these names get a suffix.
const RESERVED_TYPES: &[&str] = &[
    "Box",
    "Client",
    "DateTime",
    "Deserialize",
    "Deserializer",
    "Err",
    "Error",
    "From",
    "Into",
    "None",
    "Ok",
    "Option",
    "Request",
    "Response",
    "Result",
    "Self",
    "Serialize",
    "Serializer",
    "Some",
    "String",
    "Utc",
    "Value",
    "Vec",
];

/// Spells out leading signs and other symbols that carry meaning (`+1`, `-1`), then
/// replaces what cannot appear in an identifier by a word separator.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 8);
    for (i, c) in raw.chars().enumerate() {
        match c {
            '+' => out.push_str(" plus "),
            '-' if i == 0 => out.push_str(" minus "),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ => out.push(' '),
        }
    }
    out
}

/// Identifiers longer than this are cut, and end in a hash of the whole name so that they
/// stay distinct: names are composed from others (`Parent` + `field`), and a very long
/// name repeated in each composition would cost quadratic memory.
pub const MAX_NAME_LEN: usize = 200;

/// `name` cut to [`MAX_NAME_LEN`] with a hash of it appended, when it is longer.
fn bounded(name: String, separator: &str) -> String {
    if name.len() <= MAX_NAME_LEN {
        return name;
    }
    // FNV-1a: deterministic everywhere, no dependency.
    let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    let keep = MAX_NAME_LEN - 8 - separator.len();
    // Names are ASCII here (see `words`), so any byte index is a character boundary.
    let prefix = name[..keep].trim_end_matches('_');
    format!("{prefix}{separator}{:08x}", hash as u32)
}

/// A type name in `UpperCamelCase`, e.g. `workflow-run` -> `WorkflowRun`.
pub fn type_name(raw: &str) -> String {
    let mut name = words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = "Unnamed".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'T');
    }
    if RESERVED_TYPES.contains(&name.as_str()) {
        name.push_str("Type");
    }
    bounded(name, "")
}

/// One word-part of a composed name (`environment` -> `Environment`), without the
/// adjustments [`type_name`] makes to whole names; compose, then pass through `type_name`.
pub fn camel_part(raw: &str) -> String {
    words(raw).to_upper_camel_case()
}

/// An enum variant name in `UpperCamelCase`; `+1` -> `Plus1`, `-1` -> `Minus1`.
pub fn variant_name(raw: &str) -> String {
    let mut name = words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = "Empty".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if name == "Self" {
        // `Self_` would number as `Self_2`, which is not camel case.
        name.push_str("Value");
    }
    bounded(name, "")
}

/// The variants of the generated `Release` enum, one per release id, unique:
/// `ghes-3.15` -> `Ghes3_15` (an underscore keeps two numbers apart), `api.github.com`
/// -> `ApiGithubCom`.
pub fn release_variants<'a>(ids: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut namer = Namer::with_reserved(["Unknown"]);
    ids.into_iter()
        .map(|id| {
            let mut name = String::new();
            for part in words(id).split_whitespace() {
                if name.ends_with(|c: char| c.is_ascii_digit()) && part.starts_with(|c: char| c.is_ascii_digit()) {
                    name.push('_');
                }
                let mut chars = part.chars();
                name.extend(chars.next().map(|c| c.to_ascii_uppercase()));
                name.extend(chars);
            }
            if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
                name.insert(0, 'R');
            }
            namer.claim(bounded(name, ""))
        })
        .collect()
}

/// A field, parameter or method name in `snake_case`; keywords get a trailing `_`.
pub fn field_name(raw: &str) -> String {
    let mut name = words(raw).to_snake_case();
    if name.is_empty() {
        name = "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    bounded(name, "_")
}

/// Whether `name` is a Rust keyword (and so cannot name a crate, a field or a module as is).
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Hands out names unique within one scope, in the order asked: the first asker gets the
/// plain name, later ones `Name2`, `Name3`... (or `name_2` for snake case).
#[derive(Debug, Default, Clone)]
pub struct Namer {
    taken: BTreeSet<String>,
    /// For each name asked more than once, the number to try next, so that many claims
    /// of one name cost linear time, not quadratic.
    next: HashMap<String, usize>,
}

impl Namer {
    /// A scope where `reserved` names are already taken.
    pub fn with_reserved<'a>(reserved: impl IntoIterator<Item = &'a str>) -> Self {
        Namer { taken: reserved.into_iter().map(str::to_owned).collect(), next: HashMap::new() }
    }

    /// Claims `name`, or the first free numbered form of it.
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        let start = self.next.get(&name).copied().unwrap_or(2);
        let (n, candidate) = (start..)
            .map(|n| (n, numbered(&name, n)))
            .find(|(_, candidate)| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name");
        self.next.insert(name, n + 1);
        candidate
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

/// One piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart<'a> {
    /// Literal text, sent as is.
    Literal(&'a str),
    /// A `{name}` parameter.
    Param(&'a str),
}

/// Splits `/repos/{owner}/{repo}` into literals and parameters; `None` when braces do
/// not pair up.
pub fn parse_path_template(template: &str) -> Option<Vec<PathPart<'_>>> {
    let mut parts = Vec::new();
    let mut rest = template;
    while !rest.is_empty() {
        match rest.find('{') {
            Some(0) => {
                let end = rest.find('}')?;
                let name = &rest[1..end];
                if name.is_empty() || name.contains('{') {
                    return None;
                }
                parts.push(PathPart::Param(name));
                rest = &rest[end + 1..];
            }
            Some(start) => {
                if rest[..start].contains('}') {
                    return None;
                }
                parts.push(PathPart::Literal(&rest[..start]));
                rest = &rest[start..];
            }
            None => {
                if rest.contains('}') {
                    return None;
                }
                parts.push(PathPart::Literal(rest));
                rest = "";
            }
        }
    }
    Some(parts)
}

/// A path key split into what goes in the URL path and what the key's own query string
/// says (`/rides?page={page}&sort=asc`, a habit of some descriptions; `#...` after a path,
/// used to tell apart operations on one path, is dropped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathKey {
    /// The path template plus the literal query pairs (`/rides?sort=asc`).
    pub template: String,
    /// `(wire name, parameter name)` of each `name={param}` pair of the query string.
    pub query_params: Vec<(String, String)>,
}

/// Splits a path key at `?` and `#`; a key without either is its own template.
pub fn split_path_key(key: &str) -> PathKey {
    let key = key.split('#').next().unwrap_or(key);
    let Some((path, query)) = key.split_once('?') else {
        return PathKey { template: key.to_owned(), query_params: Vec::new() };
    };
    let mut literal = Vec::new();
    let mut query_params = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (wire, value) = pair.split_once('=').unwrap_or((pair, ""));
        match value.strip_prefix('{').and_then(|v| v.strip_suffix('}')) {
            Some(param) if !param.is_empty() && !param.contains(['{', '}']) => {
                query_params.push((wire.to_owned(), param.to_owned()))
            }
            // `{page}` alone names its own wire name.
            _ if value.is_empty() && wire.starts_with('{') && wire.ends_with('}') && wire.len() > 2 => {
                let param = &wire[1..wire.len() - 1];
                query_params.push((param.to_owned(), param.to_owned()));
            }
            _ if pair.contains(['{', '}']) => {}
            _ => literal.push(pair),
        }
    }
    let template = if literal.is_empty() { path.to_owned() } else { format!("{path}?{}", literal.join("&")) };
    PathKey { template, query_params }
}

/// `name` numbered `n`, as a taken name is numbered: `Get2` for types, `list_2` for
/// snake-case names (the `_` keeps the number from reading as part of the word).
pub fn numbered(name: &str, n: usize) -> String {
    let sep = if name.starts_with(|c: char| c.is_ascii_uppercase()) || name.ends_with('_') { "" } else { "_" };
    format!("{name}{sep}{n}")
}

/// The name an inline schema at `part` below `parent` gets: `PendingDeployment` +
/// `environment` -> `PendingDeploymentEnvironment`.
pub fn child_name(parent: &str, part: &str) -> String {
    format!("{parent}{}", camel_part(part))
}

/// The `with_` setter of the struct field `field` (`with_type` for `type_`).
pub fn setter(field: &str) -> String {
    format!("with_{}", field.trim_end_matches('_'))
}

/// The mock method that answers with a documented response: `respond_200`, `respond_4xx`
/// for a range, `respond_default`.
pub fn respond(status: Option<u16>, range: bool) -> String {
    match status {
        Some(code) if range => format!("respond_{}xx", code / 100),
        Some(code) => format!("respond_{code}"),
        None => "respond_default".to_owned(),
    }
}

/// The mock's struct of what one request of the builder `builder` sent.
pub fn sent(builder: &str) -> String {
    format!("{builder}Sent")
}

/// The name of the outcome enum of the operation whose builder is `builder`.
pub fn outcome_type(builder: &str) -> String {
    format!("{builder}Outcome")
}

/// The name of a success variant in an outcome enum.
pub fn status_variant(status: u16) -> String {
    match status {
        200 => "Ok".into(),
        201 => "Created".into(),
        202 => "Accepted".into(),
        203 => "NonAuthoritative".into(),
        204 => "NoContent".into(),
        205 => "ResetContent".into(),
        206 => "PartialContent".into(),
        301 => "MovedPermanently".into(),
        302 => "Found".into(),
        303 => "SeeOther".into(),
        304 => "NotModified".into(),
        307 => "TemporaryRedirect".into(),
        308 => "PermanentRedirect".into(),
        other => format!("Status{other}"),
    }
}

/// The outcome enum's names for `op`, when its successes have different bodies.
pub fn outcome(op: &crate::ir::Operation) -> Option<crate::ir::Outcome> {
    let crate::ir::Successes::Outcome(cases) = op.successes() else { return None };
    let mut namer = Namer::default();
    let variants = cases
        .iter()
        .map(|case| {
            namer.claim(if case.range {
                format!("Status{}", case.label())
            } else {
                status_variant(case.status.unwrap_or(200))
            })
        })
        .collect();
    Some(crate::ir::Outcome { name: outcome_type(&op.builder), variants })
}

/// The mocks' module of the description's examples: `examples`, or a numbered form of it
/// when an operation group's module (one of `group_modules`) has that name.
pub fn examples_module<'a>(group_modules: impl IntoIterator<Item = &'a str>) -> String {
    Namer::with_reserved(group_modules).claim("examples".to_owned())
}

/// The setter of each parameter of `op` on the operation's mock, in parameter order:
/// `Some` for query and header parameters (the ones a mock matches), named as the
/// parameter unless one of the mock's own methods (`reserved`, and each response's
/// `respond_…`) or an earlier setter took that name.
pub fn mock_setters(op: &crate::ir::Operation, reserved: &[&str]) -> Vec<Option<String>> {
    use crate::ir::ParamLocation;
    let responds = op.responses.iter().map(|r| r.respond.as_str());
    let mut methods = Namer::with_reserved(reserved.iter().copied().chain(responds));
    op.params
        .iter()
        .map(|p| {
            matches!(p.location, ParamLocation::Query | ParamLocation::Header).then(|| methods.claim(p.name.clone()))
        })
        .collect()
}

/// The function of each example in the mocks' examples module, in order: `None` for an
/// example expected to fail (the golden tests show it does not decode). Each is named by
/// [`example_name`] (`operation` finds an operation's method name by path key and
/// method); an example of two types is `…_as_{type}` for each, and repeats are numbered.
pub fn example_functions(
    examples: &[crate::ir::Example],
    operation: impl Fn(&str, &str) -> Option<String>,
) -> Vec<Option<String>> {
    let bases: Vec<Option<String>> =
        examples.iter().map(|e| e.expected_failure.is_none().then(|| example_name(&e.pointer, &operation))).collect();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for base in bases.iter().flatten() {
        *counts.entry(base.as_str()).or_default() += 1;
    }
    let mut names = Namer::default();
    examples
        .iter()
        .zip(&bases)
        .map(|(example, base)| {
            let base = base.as_ref()?;
            let name = if counts.get(base.as_str()).copied().unwrap_or(0) > 1 {
                format!("{base}_as_{}", field_name(&example.ty.to_string()))
            } else {
                base.clone()
            };
            Some(names.claim(field_name(&name)))
        })
        .collect()
}

/// The golden test of each example in `tests/spec_examples.rs`, in order: its pointer as
/// a snake-case name (`components/examples/run/value` -> `components_examples_run_value`),
/// repeats numbered.
pub fn golden_tests(examples: &[crate::ir::Example]) -> Vec<String> {
    let mut namer = Namer::default();
    examples.iter().map(|e| namer.claim(field_name(&e.pointer.trim_start_matches("#/").replace("~1", "/")))).collect()
}

/// The name of an example in the generated mocks (`mock::examples::workflow_run()`), from
/// where the example sits: a component example or schema by its key; an example written
/// in an operation by the operation's method name (`operation` finds it from the path key
/// and method), `request` or `response_{status}`, and the example's key unless it is
/// `default`. Names may repeat (one example of two types); the caller numbers or
/// qualifies them.
pub fn example_name(pointer: &str, operation: impl Fn(&str, &str) -> Option<String>) -> String {
    let tokens: Vec<String> =
        pointer.trim_start_matches('#').split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~")).collect();
    let mut words: Vec<String> = Vec::new();
    match tokens.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["components", _, key, rest @ ..] => {
            words.push((*key).to_owned());
            words.extend(
                rest.iter()
                    .filter(|t| !matches!(**t, "value" | "example" | "properties" | "items"))
                    .map(|t| (*t).to_owned()),
            );
        }
        ["paths", path, method, rest @ ..] => {
            words.push(operation(path, method).unwrap_or_else(|| format!("{method} {path}")));
            let mut rest = rest.iter();
            while let Some(token) = rest.next() {
                match *token {
                    "requestBody" => words.push("request".to_owned()),
                    "responses" => words.push(format!("response {}", rest.next().copied().unwrap_or_default())),
                    // The media type after `content`, and the example's own key unless it
                    // is the only one's usual `default`.
                    "content" => {
                        rest.next();
                    }
                    "examples" => {
                        if let Some(key) = rest.next().filter(|k| **k != "default") {
                            words.push((*key).to_owned());
                        }
                    }
                    "value" | "example" | "schema" | "properties" | "items" => {}
                    other => words.push(other.to_owned()),
                }
            }
        }
        other => words.extend(other.iter().map(|t| (*t).to_owned())),
    }
    field_name(&words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_keys_with_query_strings() {
        let plain = split_path_key("/a/{id}");
        assert_eq!(plain, PathKey { template: "/a/{id}".into(), query_params: vec![] });
        let key = split_path_key("/rides?page={page}&sort=asc&p={per_page}&{cursor}");
        assert_eq!(key.template, "/rides?sort=asc");
        let pairs =
            [("page", "page"), ("p", "per_page"), ("cursor", "cursor")].map(|(w, p)| (w.to_owned(), p.to_owned()));
        assert_eq!(key.query_params, pairs);
        assert_eq!(split_path_key("/cookies#formExploded").template, "/cookies");
        assert_eq!(split_path_key("/x?").template, "/x");
        assert_eq!(split_path_key("/x?a={b").template, "/x", "a broken placeholder is left out");
    }

    #[test]
    fn type_names() {
        let cases = [
            ("workflow-run", "WorkflowRun"),
            ("nullable-simple-user", "NullableSimpleUser"),
            ("simple_user", "SimpleUser"),
            ("api-overview", "ApiOverview"),
            ("2fa-settings", "T2faSettings"),
            ("result", "ResultType"),
            ("", "Unnamed"),
            ("@@@", "Unnamed"),
            ("code-scanning-alert-rule.summary", "CodeScanningAlertRuleSummary"),
        ];
        for (raw, want) in cases {
            assert_eq!(type_name(raw), want, "type_name({raw:?})");
        }
    }

    #[test]
    fn variant_names() {
        let cases = [
            ("completed", "Completed"),
            ("action_required", "ActionRequired"),
            ("+1", "Plus1"),
            ("-1", "Minus1"),
            ("User", "User"),
            ("2020-01-01", "V20200101"),
            ("", "Empty"),
            ("application/vnd.github+json", "ApplicationVndGithubPlusJson"),
            ("self", "SelfValue"),
        ];
        for (raw, want) in cases {
            assert_eq!(variant_name(raw), want, "variant_name({raw:?})");
        }
    }

    #[test]
    fn field_names() {
        let cases = [
            ("run_id", "run_id"),
            ("headSha", "head_sha"),
            ("type", "type_"),
            ("@type", "type_"),
            ("self", "self_"),
            ("+1", "plus_1"),
            ("-1", "minus_1"),
            ("1password", "_1password"),
            ("X-GitHub-Api-Version", "x_git_hub_api_version"),
            ("", "value"),
        ];
        for (raw, want) in cases {
            assert_eq!(field_name(raw), want, "field_name({raw:?})");
        }
    }

    #[test]
    fn long_names_are_cut_and_stay_distinct() {
        let long = "a-very-long-name ".repeat(40);
        let (a, b) = (type_name(&long), type_name(&format!("{long}x")));
        assert_eq!(a.len(), MAX_NAME_LEN);
        assert!(a.starts_with("AVeryLongNameAVeryLongName") && a != b, "{a} {b}");
        let field = field_name(&long);
        assert!(
            field.len() <= MAX_NAME_LEN && field.starts_with("a_very_long_name_a") && !field.contains("__"),
            "{field}"
        );
        assert_eq!(type_name("short"), "Short");
    }

    #[test]
    fn namer_dedupes_in_order() {
        let mut namer = Namer::with_reserved(["Unknown"]);
        assert_eq!(namer.claim("Team".into()), "Team");
        assert_eq!(namer.claim("Team".into()), "Team2");
        assert_eq!(namer.claim("Team".into()), "Team3");
        assert_eq!(namer.claim("Unknown".into()), "Unknown2");
        assert_eq!(namer.claim("name".into()), "name");
        assert_eq!(namer.claim("name".into()), "name_2");
        assert_eq!(namer.claim("type_".into()), "type_");
        assert_eq!(namer.claim("type_".into()), "type_2");
    }

    #[test]
    fn path_templates() {
        use PathPart::*;
        assert_eq!(
            parse_path_template("/repos/{owner}/{repo}/actions/runs/{run_id}/logs"),
            Some(vec![
                Literal("/repos/"),
                Param("owner"),
                Literal("/"),
                Param("repo"),
                Literal("/actions/runs/"),
                Param("run_id"),
                Literal("/logs"),
            ])
        );
        assert_eq!(parse_path_template("/"), Some(vec![Literal("/")]));
        assert_eq!(parse_path_template("/a/{b}.{c}"), Some(vec![Literal("/a/"), Param("b"), Literal("."), Param("c")]));
        for bad in ["/a/{b", "/a/b}", "/a/{}", "/a/{{b}}"] {
            assert_eq!(parse_path_template(bad), None, "{bad}");
        }
    }

    #[test]
    fn example_functions_name_each_type_of_a_shared_example_and_skip_failing_ones() {
        let example = |pointer: &str, ty: &str, failing: bool| crate::ir::Example {
            pointer: pointer.to_owned(),
            ty: crate::ir::TypeRef::Named(ty.to_owned()),
            nullable: false,
            value: serde_json::Value::Null,
            expected_failure: failing.then(|| "wrong".to_owned()),
            function: None,
            test: String::new(),
        };
        let examples = [
            example("#/components/examples/thing/value", "A", false),
            example("#/components/examples/thing/value", "B", false),
            example("#/components/examples/other/value", "A", true),
            example("#/components/schemas/thing/example", "A", false),
        ];
        let functions = example_functions(&examples, |_, _| None);
        // The schema's example has the same base name: it is one more `thing`, numbered.
        assert_eq!(
            functions,
            [Some("thing_as_a".to_owned()), Some("thing_as_b".to_owned()), None, Some("thing_as_a_2".to_owned())]
        );
        let tests = golden_tests(&examples);
        assert_eq!(
            tests,
            [
                "components_examples_thing_value",
                "components_examples_thing_value_2",
                "components_examples_other_value",
                "components_schemas_thing_example"
            ]
        );
        assert_eq!(examples_module(["pets", "examples"]), "examples_2");
        assert_eq!(examples_module(["pets"]), "examples");
    }

    #[test]
    fn example_names_come_from_where_the_example_sits() {
        let op =
            |path: &str, method: &str| (path == "/runs/{id}/rerun" && method == "post").then(|| "re_run".to_owned());
        assert_eq!(example_name("#/components/examples/workflow-run/value", op), "workflow_run");
        assert_eq!(example_name("#/components/schemas/reviewer-type/example", op), "reviewer_type");
        assert_eq!(
            example_name(
                "#/paths/~1runs~1{id}~1rerun/post/requestBody/content/application~1json/examples/default/value",
                op
            ),
            "re_run_request"
        );
        assert_eq!(
            example_name(
                "#/paths/~1runs~1{id}~1rerun/post/responses/201/content/application~1json/examples/minimal/value",
                op
            ),
            "re_run_response_201_minimal"
        );
        assert_eq!(
            example_name("#/paths/~1other/get/responses/200/content/application~1json/example", op),
            "get_other_response_200"
        );
    }
}
