//! The change report: the public-API and wire changes of one update, grouped by what
//! they are about (an operation, a type), the groups with the most severe change first,
//! printed for a terminal or as Markdown.

use crate::emit::public_api::{Bump, Change, Severity};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Lines longer than this are wrapped: the new value of a change, and its note, go on
/// lines of their own.
const WIDTH: usize = 100;

/// How a report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Plain lines for a terminal.
    #[default]
    Text,
    /// Markdown, every line of the summaries in a code span (so `Option<bool>` is not read
    /// as HTML).
    Markdown,
}

/// Every change of one update, grouped: one group per subject, the groups ordered by
/// their most severe change, then by name; in a group, the most severe first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// The changes in report order.
    pub changes: Vec<Change>,
}

impl Report {
    /// The report of `changes`, in any order.
    pub fn new(changes: Vec<Change>) -> Report {
        let mut groups: BTreeMap<String, Vec<Change>> = BTreeMap::new();
        for change in changes {
            groups.entry(change.subject.clone()).or_default().push(change);
        }
        let mut groups: Vec<(String, Vec<Change>)> = groups.into_iter().collect();
        for (_, changes) in &mut groups {
            changes.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| unsigned(&a.text).cmp(unsigned(&b.text))));
        }
        let worst = |changes: &[Change]| changes.iter().map(|c| c.severity).max();
        groups.sort_by(|(a, x), (b, y)| worst(y).cmp(&worst(x)).then_with(|| a.cmp(b)));
        Report { changes: groups.into_iter().flat_map(|(_, changes)| changes).collect() }
    }

    /// How many changes have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.changes.iter().filter(|c| c.severity == severity).count()
    }

    /// Whether code that compiled against the old description may not compile now.
    pub fn is_breaking(&self) -> bool {
        self.count(Severity::Breaking) > 0
    }

    /// The version step the changes call for (behavior changes: at least minor).
    pub fn bump(&self) -> Bump {
        Bump::of(&self.changes, 0)
    }

    /// `N breaking, N behavior, N additive`.
    pub fn counts(&self) -> String {
        format!(
            "{} breaking, {} behavior, {} additive",
            self.count(Severity::Breaking),
            self.count(Severity::Behavior),
            self.count(Severity::Additive)
        )
    }

    /// The report in `format`: a heading per subject and a line per change. Empty when
    /// nothing changed.
    pub fn render(&self, format: Format) -> String {
        let mut out = String::new();
        let mut subject: Option<&str> = None;
        for change in &self.changes {
            if subject != Some(change.subject.as_str()) {
                subject = Some(&change.subject);
                match format {
                    Format::Text => {
                        let _ = writeln!(out, "{}", change.subject);
                    }
                    Format::Markdown => {
                        let _ =
                            writeln!(out, "{}#### {}\n", if out.is_empty() { "" } else { "\n" }, code(&change.subject));
                    }
                }
            }
            let line = short(change);
            match format {
                Format::Text => text_line(&mut out, change, &line),
                Format::Markdown => {
                    let note = change.note.as_deref().map(|n| format!(" ({n})")).unwrap_or_default();
                    let _ = writeln!(out, "- **{}** {}{note}", change.severity.label(), code(&line));
                }
            }
        }
        out
    }
}

/// One change for a terminal, wrapped at [`WIDTH`].
fn text_line(out: &mut String, change: &Change, line: &str) {
    let head = format!("  {:<8}  ", change.severity.label());
    let indent = " ".repeat(head.len() + 2);
    let mut rows = vec![format!("{head}{line}")];
    if rows[0].len() > WIDTH {
        // The arrow between the values is the middle one: each value holds as many.
        let arrows: Vec<usize> = line.match_indices(" -> ").map(|(i, _)| i).collect();
        if let Some(&at) = arrows.get(arrows.len() / 2) {
            rows = vec![format!("{head}{}", &line[..at]), format!("{indent}{}", &line[at + 1..])];
        }
    }
    if let Some(note) = &change.note {
        let last = rows.len() - 1;
        if rows[last].len() + note.len() + 4 <= WIDTH {
            rows[last].push_str(&format!("  ({note})"));
        } else {
            rows.push(format!("{indent}({note})"));
        }
    }
    for row in rows {
        out.push_str(&row);
        out.push('\n');
    }
}

/// The change's line without its subject, which the group's heading names:
/// `+ param query status: optional` under `GET /repos/{owner}/{repo}/actions/runs`.
fn short(change: &Change) -> String {
    let text = change.text.as_str();
    let Some(rest) = text.get(2..) else { return text.to_owned() };
    let kind = rest.split([' ', ':']).next().unwrap_or_default();
    if kind == change.subject || change.subject.is_empty() {
        return text.to_owned();
    }
    match rest.find(change.subject.as_str()) {
        Some(at) => {
            let (before, after) = rest.split_at(at);
            let after = &after[change.subject.len()..];
            let glue = if after.starts_with(':') { "" } else { " " };
            let joined = format!("{}{glue}{}", before.trim_end(), after.trim_start());
            format!("{}{}", &text[..2], joined.trim_start())
        }
        None => text.to_owned(),
    }
}

/// `text` as a Markdown code span, whatever backticks it holds.
fn code(text: &str) -> String {
    let mut fence = "`".to_owned();
    while text.contains(fence.as_str()) {
        fence.push('`');
    }
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

fn unsigned(text: &str) -> &str {
    text.get(2..).unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(severity: Severity, subject: &str, text: &str, note: Option<&str>) -> Change {
        Change { severity, subject: subject.into(), text: text.into(), note: note.map(Into::into) }
    }

    #[test]
    fn groups_put_the_most_severe_first_and_drop_their_subject_from_lines() {
        let report = Report::new(vec![
            change(Severity::Additive, "Team", "+ field Team.size: Option<i64>", None),
            change(
                Severity::Behavior,
                "GET /teams",
                "+ response GET /teams 404",
                Some("a status the old description did not document"),
            ),
            change(Severity::Breaking, "Team", "- field Team.slug: Option<String>", None),
        ]);
        assert_eq!(
            report.render(Format::Text),
            "Team\n  breaking  - field .slug: Option<String>\n  additive  + field .size: Option<i64>\n\
             GET /teams\n  behavior  + response 404  (a status the old description did not document)\n"
        );
        assert_eq!(report.counts(), "1 breaking, 1 behavior, 1 additive");
        let markdown = report.render(Format::Markdown);
        assert!(markdown.starts_with("#### `Team`\n\n- **breaking** `- field .slug: Option<String>`\n"), "{markdown}");
        assert_eq!(code("a `b`"), "`` a `b` ``");
    }

    #[test]
    fn long_lines_wrap_before_the_new_value_and_the_note() {
        let long = format!("~ field T.x: {} -> {}", "A".repeat(60), "B".repeat(60));
        let why = "why ".repeat(10);
        let text = Report::new(vec![change(Severity::Breaking, "T", &long, Some(why.trim()))]).render(Format::Text);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert!(lines[2].trim_start().starts_with("-> BBB") && lines[3].trim().starts_with("(why"), "{text}");
        assert!(lines.iter().all(|l| l.len() <= WIDTH), "{text}");
    }
}
