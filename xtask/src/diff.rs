//! `cargo xtask diff OLD NEW [--overrides FILE] [--root DIR] [--format text|markdown]
//! [--fail-on-breaking]`: what updating from one description to another means for code
//! that used the crate generated from the old one, written nowhere.
//!
//! Each description is read as `generate` reads it (`bundle`, so a multi-file one is
//! bundled from below its own folder or `--root`), the same overrides applied to both,
//! and summarized by `generator::diff::describe` (input and lowering only, the two on
//! two threads). The command exits 0 whatever it finds; with `--fail-on-breaking`, it
//! exits non-zero when a change is breaking, for CI.

use anyhow::{bail, Context, Result};
use generator::diff::{Format, Report, Summaries};
use std::path::{Path, PathBuf};

const USAGE: &str =
    "usage: cargo xtask diff OLD NEW [--overrides FILE] [--root DIR] [--format text|markdown] [--fail-on-breaking]";

/// The command named in the summaries' headers (never written anywhere).
const COMMAND: &str = "cargo xtask diff";

/// What to compare and how to print it.
#[derive(Debug, Default)]
struct Args {
    old: PathBuf,
    new: PathBuf,
    overrides: Option<PathBuf>,
    root: Option<PathBuf>,
    format: Format,
    fail_on_breaking: bool,
}

pub fn run(args: &[String]) -> Result<()> {
    let args = parse(args)?;
    let report = diff(&args)?;
    print!("{}", render(&report, args.format));
    if args.fail_on_breaking && report.is_breaking() {
        bail!("{} breaking change(s)", report.count(generator::public_api::Severity::Breaking));
    }
    Ok(())
}

fn parse(args: &[String]) -> Result<Args> {
    let mut parsed = Args::default();
    let mut paths = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = || it.next().with_context(|| format!("{arg} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--overrides" => parsed.overrides = Some(value()?.into()),
            "--root" => parsed.root = Some(value()?.into()),
            "--format" => {
                parsed.format = match value()?.as_str() {
                    "text" => Format::Text,
                    "markdown" => Format::Markdown,
                    other => bail!("unknown format `{other}`: text or markdown\n{USAGE}"),
                }
            }
            "--fail-on-breaking" => parsed.fail_on_breaking = true,
            flag if flag.starts_with("--") => bail!("unknown argument `{flag}`\n{USAGE}"),
            path => paths.push(PathBuf::from(path)),
        }
    }
    let [old, new] = <[PathBuf; 2]>::try_from(paths).map_err(|_| anyhow::anyhow!("{USAGE}"))?;
    (parsed.old, parsed.new) = (old, new);
    Ok(parsed)
}

/// The report from `args.old` to `args.new`.
fn diff(args: &Args) -> Result<Report> {
    let overrides = match &args.overrides {
        Some(path) => crate::files::read_text(path, crate::files::MAX_DESCRIPTION_BYTES)?,
        None => String::new(),
    };
    let overrides = generator::Overrides::parse(&overrides).context("reading the overrides")?;
    let (old, new) = std::thread::scope(|scope| {
        let old = scope.spawn(|| summaries(&args.old, args.root.as_deref(), &overrides));
        let new = summaries(&args.new, args.root.as_deref(), &overrides);
        (old.join(), new)
    });
    let old = old.map_err(|_| anyhow::anyhow!("reading {} failed unexpectedly", args.old.display()))??;
    Ok(generator::diff::compare(&old, &new?))
}

/// The summaries of the description at `path`, read through `bundle`.
fn summaries(path: &Path, root: Option<&Path>, overrides: &generator::Overrides) -> Result<Summaries> {
    let mut bundle = crate::bundle::read(path, root)?;
    bundle.describe(overrides, COMMAND).with_context(|| format!("reading {}", path.display()))
}

/// The report with a heading of counts and the semver step; a line saying so when
/// nothing changed.
pub fn render(report: &Report, format: Format) -> String {
    if report.changes.is_empty() {
        return "no changes of the public API or of the wire\n".to_owned();
    }
    let body = report.render(format);
    let bump = report.bump().describe();
    match format {
        Format::Text => format!("changes ({}):\n{body}semver: {bump}\n", report.counts()),
        Format::Markdown => format!("### Changes ({})\n\n{body}\nsemver: {bump}\n", report.counts()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn arguments_are_checked() {
        assert!(parse(&strings(&["a.yaml"])).unwrap_err().to_string().starts_with("usage:"));
        let error = parse(&strings(&["a", "b", "--format", "html"])).unwrap_err().to_string();
        assert!(error.contains("unknown format `html`"), "{error}");
        let parsed = parse(&strings(&["a", "b", "--format", "markdown", "--fail-on-breaking"])).unwrap();
        assert!(parsed.fail_on_breaking && parsed.format == Format::Markdown);
    }

    /// The two real releases: the report is read as the command prints it, and an
    /// identical pair has nothing to say.
    #[test]
    fn two_releases_and_an_identical_pair() {
        let release = |name: &str| crate::root().join("spec/releases").join(name);
        let args = Args {
            old: release("ghes-3.15.workflow-runs.yaml"),
            new: release("ghes-3.19.workflow-runs.yaml"),
            ..Args::default()
        };
        let report = diff(&args).unwrap();
        let text = render(&report, Format::Text);
        assert!(
            text.starts_with("changes (0 breaking, 1 behavior, 18 additive):\nschema minimal-repository\n"),
            "{text}"
        );
        assert!(text.ends_with("semver: minor (additive)\n"), "{text}");
        let markdown = render(&report, Format::Markdown);
        assert!(markdown.contains("- **additive** `+ field .has_pull_requests: Option<bool>`\n"), "{markdown}");
        let same = Args { old: args.new.clone(), new: args.new.clone(), ..Args::default() };
        assert_eq!(render(&diff(&same).unwrap(), Format::Text), "no changes of the public API or of the wire\n");
        let back = Args { old: args.new, new: args.old, fail_on_breaking: true, ..Args::default() };
        assert!(diff(&back).unwrap().is_breaking());
    }
}
