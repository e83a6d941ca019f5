//! `cargo xtask spec`: cuts one subcategory out of GitHub's full REST description.

use anyhow::{bail, Context};
use generator::slice;
use std::path::{Path, PathBuf};

const USAGE: &str = "usage: cargo xtask spec --from <full description .json|.yaml> \
                     [--subcategory workflow-runs] [--out spec/<subcategory>.yaml]";

/// Runs `cargo xtask spec` with the arguments that follow `spec`.
///
/// Paths are relative to the workspace root. The output is only rewritten when its bytes change.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let (mut from, mut subcategory, mut out) = (None, None, None);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag, Some(value.to_owned())),
            None => (arg.as_str(), None),
        };
        let slot = match flag {
            "--from" => &mut from,
            "--subcategory" => &mut subcategory,
            "--out" => &mut out,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            _ => bail!("unexpected argument `{arg}`\n{USAGE}"),
        };
        let value = inline.or_else(|| args.next().cloned());
        *slot = Some(value.with_context(|| format!("`{flag}` needs a value\n{USAGE}"))?);
    }
    let from = from.with_context(|| format!("`--from` is required\n{USAGE}"))?;
    let subcategory = subcategory.unwrap_or_else(|| "workflow-runs".to_owned());
    let out = out.unwrap_or_else(|| format!("spec/{subcategory}.yaml"));

    let root = workspace_root();
    let (from_path, out_path) = (root.join(&from), root.join(&out));
    let text =
        std::fs::read_to_string(&from_path).with_context(|| format!("cannot read {from}"))?;
    let is_yaml = matches!(
        from_path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    );
    let full =
        slice::parse_document(&text, is_yaml).with_context(|| format!("cannot parse {from}"))?;
    let doc = slice::slice_subcategory(&full, &subcategory)
        .with_context(|| format!("cannot slice {from}"))?;
    let yaml = slice::to_yaml(&doc, &from, &subcategory)?;

    let operations = slice::operations(&doc).count();
    let components: usize = (doc
        .get("components")
        .and_then(|c| c.as_object())
        .into_iter()
        .flatten())
    .filter_map(|(_, section)| section.as_object().map(|entries| entries.len()))
    .sum();
    let summary = format!("{subcategory}: {operations} operations, {components} components");
    if std::fs::read(&out_path).is_ok_and(|old| old == yaml.as_bytes()) {
        println!("{out} is up to date ({summary})");
        return Ok(());
    }
    if let Some(dir) = out_path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the directory of {out}"))?;
    }
    std::fs::write(&out_path, yaml).with_context(|| format!("cannot write {out}"))?;
    println!("wrote {out} ({summary})");
    Ok(())
}

/// The workspace root: the parent of this crate's directory.
fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}
