//! `cargo xtask generate --spec FILE --out DIR --name CRATE [--overrides FILE] [--root DIR] [--strict]
//! [--allow LINT]... [--deny LINT]...`: a standalone crate for any OpenAPI 3.0 or 3.1 document.
//!
//! The generator writes the whole crate (`generator::standalone`): the same generated
//! code as the checked-in client, the client's hand-written runtime (compiled into this
//! binary), `src/lib.rs`, and a `Cargo.toml` with the workspace's dependency versions
//! and no path dependency on it. Nothing is read but the description (and the files its
//! `$ref`s name) and overrides, so the command works wherever the binary is. The
//! overrides' `package` entry sets the manifest's registry metadata, and whether the crate
//! may be published at all (not unless it says so).
//!
//! It writes only into a missing or empty folder or one it wrote before, and touches only
//! the files it wrote there (`files`: the folder's `.generated-files` lists them).

use anyhow::{bail, Context, Result};
use std::path::PathBuf;

/// Folders of a standalone crate that hold only generated files: a file there that the
/// generator did not write is reported (and left alone).
const OWNED_DIRS: &[&str] = &["src/generated"];

/// Names a crate cannot take although they are not keywords: the crates every crate can
/// name, which a crate of that name would shadow in its own doctests.
const RESERVED_NAMES: &[&str] = &["std", "core", "alloc", "proc_macro", "test"];

/// What to generate.
#[derive(Debug, Clone, Default)]
pub struct Args {
    pub spec: PathBuf,
    pub out: PathBuf,
    pub name: String,
    pub overrides: Option<PathBuf>,
    /// The folder below which the files a multi-file description references are read
    /// (default: the description's own folder).
    pub root: Option<PathBuf>,
    pub options: generator::Options,
}

pub fn run(args: &[String]) -> Result<()> {
    let args = parse(args)?;
    let (warnings, report) = generate_with_report(&args)?;
    for warning in &warnings {
        eprintln!("{warning}");
    }
    if let Some(report) = report {
        print!("{}", crate::diff::render(&report, generator::diff::Format::Text));
    }
    println!("wrote crate `{}` to {} ({} warning(s))", args.name, args.out.display(), warnings.len());
    Ok(())
}

const USAGE: &str = "usage: cargo xtask generate --spec FILE --out DIR --name CRATE [--overrides FILE] [--root DIR] [--strict] [--allow LINT]... [--deny LINT]...";

fn parse(args: &[String]) -> Result<Args> {
    let mut parsed = Args::default();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().with_context(|| format!("{flag} needs a value\n{USAGE}"));
        match flag.as_str() {
            "--spec" => parsed.spec = value()?.into(),
            "--out" => parsed.out = value()?.into(),
            "--name" => parsed.name = value()?.clone(),
            "--overrides" => parsed.overrides = Some(value()?.into()),
            "--root" => parsed.root = Some(value()?.into()),
            "--strict" => parsed.options.strict = true,
            "--allow" | "--deny" => {
                let name = value()?;
                let lint = generator::Lint::from_name(name).with_context(|| {
                    let known: Vec<&str> = generator::Lint::ALL.iter().map(|l| l.name()).collect();
                    format!("unknown lint `{name}`; known lints: {}", known.join(", "))
                })?;
                if flag == "--allow" {
                    parsed.options.allow.insert(lint);
                } else {
                    parsed.options.deny.insert(lint);
                }
            }
            other => bail!("unknown argument `{other}`\n{USAGE}"),
        }
    }
    if parsed.spec.as_os_str().is_empty() || parsed.out.as_os_str().is_empty() || parsed.name.is_empty() {
        bail!("{USAGE}");
    }
    let valid = parsed.name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && parsed.name.starts_with(|c: char| c.is_ascii_alphabetic());
    if !valid {
        bail!("crate name `{}` must start with a letter and use only letters, digits, `-` and `_`", parsed.name);
    }
    let ident = parsed.name.replace('-', "_");
    // `Self` is a keyword too, kept out of the generator's list because field names never meet it.
    if generator::is_keyword(&ident) || ident == "Self" {
        bail!("crate name `{}` is a Rust keyword, which cannot name a crate; choose another name", parsed.name);
    }
    if RESERVED_NAMES.contains(&ident.as_str()) {
        bail!("crate name `{}` is taken by Rust's own `{ident}`, which the crate's code and doctests would no longer reach; choose another name", parsed.name);
    }
    Ok(parsed)
}

/// Generates the crate; returns the warnings that were not errors.
pub fn generate(args: &Args) -> Result<Vec<generator::Warning>> {
    Ok(generate_with_report(args)?.0)
}

/// Generates the crate; returns the warnings that were not errors and, when the folder
/// held an earlier generation's `public-api.txt`, the change report from it (the wire
/// part too when it held a `wire-api.txt`; an older generation wrote none).
pub fn generate_with_report(args: &Args) -> Result<(Vec<generator::Warning>, Option<generator::diff::Report>)> {
    let mut bundle = crate::bundle::read(&args.spec, args.root.as_deref())?;
    let overrides = match &args.overrides {
        Some(path) => crate::files::read_text(path, crate::files::MAX_DESCRIPTION_BYTES)?,
        None => String::new(),
    };
    let command = format!("cargo xtask generate --name {}", args.name);
    let options = generator::Options {
        command: command.clone(),
        crate_name: args.name.replace('-', "_"),
        package: Some(args.name.clone()),
        ..args.options.clone()
    };
    let output = bundle
        .generate(&overrides, &options)
        .map_err(|e| anyhow::anyhow!("{}", bundle.explain(&e)))
        .with_context(|| format!("generating from {}", args.spec.display()))?;
    // Refuses links and files it did not write before anything there is read.
    crate::files::plan(&args.out, &output.files, &command, OWNED_DIRS)?;
    let report = previous(&args.out, &output.files)?.map(|old| {
        let file = |name: &str| output.files.get(name).cloned().unwrap_or_default();
        let new = generator::diff::Summaries {
            public_api: file(generator::PUBLIC_API_FILE),
            wire_api: file(generator::WIRE_API_FILE),
        };
        generator::diff::compare(&old, &new)
    });
    let (plan, _) = crate::files::sync(&args.out, &output.files, &command, OWNED_DIRS, crate::files::Mode::Write)?;
    for rel in &plan.foreign {
        eprintln!("note: {} was not written by `cargo xtask generate`; left as it is", args.out.join(rel).display());
    }
    Ok((output.warnings.into_iter().map(|w| bundle.relocate(w)).collect(), report))
}

/// The summaries an earlier generation left in `out`, when it left a public one.
fn previous(
    out: &std::path::Path,
    files: &std::collections::BTreeMap<String, String>,
) -> Result<Option<generator::diff::Summaries>> {
    let read = |name: &str| -> Result<String> {
        let path = out.join(name);
        // Only a file this command writes, and only when it is there.
        if !files.contains_key(name) || !path.is_file() {
            return Ok(String::new());
        }
        crate::files::read_text(&path, crate::files::MAX_DESCRIPTION_BYTES)
    };
    let public_api = read(generator::PUBLIC_API_FILE)?;
    if public_api.is_empty() {
        return Ok(None);
    }
    Ok(Some(generator::diff::Summaries { public_api, wire_api: read(generator::WIRE_API_FILE)? }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_arguments_are_explained() {
        let args = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(parse(&args(&["--spec", "a.json"])).unwrap_err().to_string().starts_with("usage:"));
        let error =
            parse(&args(&["--spec", "a", "--out", "b", "--name", "c", "--deny", "nope"])).unwrap_err().to_string();
        assert!(error.contains("unknown lint `nope`") && error.contains("unsupported-schema"), "{error}");
        let error = parse(&args(&["--spec", "a", "--out", "b", "--name", "9lives"])).unwrap_err().to_string();
        assert!(error.contains("must start with a letter"), "{error}");
        let error = parse(&args(&["--spec", "a", "--out", "b", "--name", "box"])).unwrap_err().to_string();
        assert!(error.contains("crate name `box` is a Rust keyword"), "{error}");
        for name in ["std", "core", "alloc", "proc_macro", "proc-macro", "test"] {
            let error = parse(&args(&["--spec", "a", "--out", "b", "--name", name])).unwrap_err().to_string();
            assert!(error.contains(&format!("crate name `{name}` is taken by Rust's own")), "{error}");
        }
        let error = parse(&args(&["--spec", "a", "--out", "b", "--name", "Self"])).unwrap_err().to_string();
        assert!(error.contains("crate name `Self` is a Rust keyword"), "{error}");
        assert!(parse(&args(&["--spec", "a", "--out", "b", "--name", "stdlib"])).is_ok());
        let parsed =
            parse(&args(&["--spec", "a", "--out", "b", "--name", "c", "--strict", "--allow", "ignored"])).unwrap();
        assert!(parsed.options.strict && parsed.options.allow.contains(&generator::Lint::Ignored));
    }
}
