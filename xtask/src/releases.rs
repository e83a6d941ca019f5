//! `spec/releases.yaml`: the GitHub releases the client supports, as data.
//!
//! Each release has its workflow-runs slice in `spec/releases/<id>.workflow-runs.yaml`;
//! `cargo xtask spec` merges them into the fleet slice, `spec/workflow-runs.yaml`. The
//! file is read by hand from its YAML value, so that every mistake names its key.

use anyhow::{bail, Context};
use serde_json::Value;
use std::path::Path;

/// The list of supported releases, relative to the workspace root.
pub const FILE: &str = "spec/releases.yaml";

/// Where each release's slice is kept, relative to the workspace root.
pub const FOLDER: &str = "spec/releases";

/// The supported releases, as `spec/releases.yaml` lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Releases {
    /// The REST API version the fleet slice is for (`X-GitHub-Api-Version`).
    pub api_version: String,
    /// The release whose text, names and order win in the fleet slice; its full
    /// description is the one kept in `spec/upstream/`.
    pub primary: String,
    /// The response header that names a server's release.
    pub release_header: Option<String>,
    /// Oldest first inside a family; the docs list releases in this order.
    pub releases: Vec<Release>,
}

/// One supported release: what the merge and the generated client know of it, and the
/// REST API versions it serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    /// Its id (the slice's file name), its name or family and version, and what its
    /// servers send in the release header.
    pub about: generator::fleet::Release,
    /// The REST API versions it serves.
    pub api_versions: Vec<String>,
}

impl Releases {
    /// Reads `spec/releases.yaml` below `root`.
    pub fn read(root: &Path) -> anyhow::Result<Releases> {
        let text = crate::files::read_text(&root.join(FILE), crate::files::MAX_DESCRIPTION_BYTES)?;
        Releases::parse(&text).with_context(|| format!("in {FILE}"))
    }

    /// Reads the text of `spec/releases.yaml`: every key checked, every id a safe file
    /// name and listed once, the primary among them.
    pub fn parse(text: &str) -> anyhow::Result<Releases> {
        let value: Value = serde_yaml::from_str(text).context("not valid YAML")?;
        let Value::Object(map) = &value else { bail!("the file is not a mapping") };
        for key in map.keys() {
            if !["api_version", "primary", "release_header", "releases"].contains(&key.as_str()) {
                bail!("unknown key `{key}`");
            }
        }
        let releases: Vec<Release> = match map.get("releases") {
            Some(Value::Array(items)) => {
                items.iter().enumerate().map(|(i, item)| release(item, i)).collect::<anyhow::Result<_>>()?
            }
            _ => bail!("`releases` must be a list"),
        };
        let parsed = Releases {
            api_version: string(&value, "api_version", "#")?.context("`api_version` is missing")?,
            primary: string(&value, "primary", "#")?.context("`primary` is missing")?,
            release_header: string(&value, "release_header", "#")?,
            releases,
        };
        check_api_version(&parsed.api_version)?;
        let mut seen = std::collections::BTreeSet::new();
        for release in &parsed.releases {
            if !seen.insert(release.about.id.as_str()) {
                bail!("release `{}` is listed twice", release.about.id);
            }
        }
        if !seen.contains(parsed.primary.as_str()) {
            bail!("the primary `{}` is not among the releases", parsed.primary);
        }
        Ok(parsed)
    }

    /// The API versions some release serves besides the fleet's, sorted.
    pub fn other_api_versions(&self) -> Vec<&str> {
        let all = self.releases.iter().flat_map(|r| &r.api_versions).map(String::as_str);
        let others: std::collections::BTreeSet<&str> = all.filter(|v| *v != self.api_version).collect();
        others.into_iter().collect()
    }

    /// The release of `id`, if listed.
    pub fn get(&self, id: &str) -> Option<&Release> {
        self.releases.iter().find(|release| release.about.id == id)
    }

    /// Adds `release` after the last one of its family (at the end when its family is
    /// new or it has none).
    pub fn add(&mut self, release: Release) {
        let at = match &release.about.family {
            Some(family) => self.releases.iter().rposition(|r| r.about.family.as_ref() == Some(family)),
            None => None,
        };
        match at {
            Some(at) => self.releases.insert(at + 1, release),
            None => self.releases.push(release),
        }
    }

    /// The file's text: a comment on what it holds, then the data, in a fixed layout.
    pub fn render(&self) -> String {
        let mut out = String::from(
            "# The GitHub releases the client supports. `cargo xtask spec --release ID --from FILE` adds or\n\
             # refreshes one (its workflow-runs slice goes to spec/releases/ID.workflow-runs.yaml), and\n\
             # `cargo xtask spec` merges the slices of all of them into spec/workflow-runs.yaml.\n\
             # api_version: the REST API version the fleet slice is for (X-GitHub-Api-Version).\n\
             # primary: the release whose text, names and order win; its full description is kept in spec/upstream/.\n\
             # release_header: the response header in which a server names its release.\n\
             # releases: oldest first inside a family, the order the docs list them in; api_versions: the\n\
             # REST API versions each serves.\n",
        );
        out.push_str(&format!("api_version: {}\n", quote(&self.api_version)));
        out.push_str(&format!("primary: {}\n", quote(&self.primary)));
        if let Some(header) = &self.release_header {
            out.push_str(&format!("release_header: {}\n", quote(header)));
        }
        out.push_str("releases:\n");
        for release in &self.releases {
            let about = &release.about;
            out.push_str(&format!("  - id: {}\n", quote(&about.id)));
            for (key, value) in [
                ("name", &about.name),
                ("family", &about.family),
                ("version", &about.version),
                ("header_value", &about.header_value),
            ] {
                if let Some(value) = value {
                    out.push_str(&format!("    {key}: {}\n", quote(value)));
                }
            }
            let versions: Vec<String> = release.api_versions.iter().map(|v| quote(v)).collect();
            out.push_str(&format!("    api_versions: [{}]\n", versions.join(", ")));
        }
        out
    }
}

impl Release {
    /// The slice's path, relative to the workspace root.
    pub fn slice_path(&self) -> String {
        slice_path(&self.about.id)
    }
}

/// The path of release `id`'s slice, relative to the workspace root.
pub fn slice_path(id: &str) -> String {
    format!("{FOLDER}/{id}.workflow-runs.yaml")
}

/// A release id is a file name of its own: lowercase letters, digits, `.` and `-`, not
/// starting with `.` or `-`, at most 64 characters.
pub fn check_id(id: &str) -> anyhow::Result<()> {
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-';
    if id.is_empty() || id.len() > 64 || id.starts_with(['.', '-']) || !id.chars().all(allowed) {
        bail!(
            "release id `{}` must be 1 to 64 of a-z, 0-9, `.` and `-`, not starting with `.` or `-`",
            id.escape_debug()
        );
    }
    Ok(())
}

/// An API version is a date, `YYYY-MM-DD`: it goes into a header and a file name.
pub fn check_api_version(version: &str) -> anyhow::Result<()> {
    let bytes = version.as_bytes();
    let shape = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() });
    if !shape {
        bail!("API version `{}` is not a date written YYYY-MM-DD", version.escape_debug());
    }
    Ok(())
}

fn release(item: &Value, index: usize) -> anyhow::Result<Release> {
    let at = format!("releases[{index}]");
    let Value::Object(map) = item else { bail!("{at} is not a mapping") };
    for key in map.keys() {
        if !["id", "name", "family", "version", "header_value", "api_versions"].contains(&key.as_str()) {
            bail!("{at} has an unknown key `{key}`");
        }
    }
    let id = string(item, "id", &at)?.with_context(|| format!("{at} has no `id`"))?;
    check_id(&id).with_context(|| format!("in {at}"))?;
    let api_versions = match map.get("api_versions") {
        Some(Value::Array(items)) if !items.is_empty() => items
            .iter()
            .map(|v| {
                let v = v.as_str().with_context(|| format!("{at}.api_versions holds a non-string"))?;
                check_api_version(v).with_context(|| format!("in {at}"))?;
                Ok(v.to_owned())
            })
            .collect::<anyhow::Result<Vec<_>>>()?,
        _ => bail!("{at} (`{id}`) needs `api_versions`, a list of at least one version"),
    };
    let about = generator::fleet::Release {
        id,
        name: string(item, "name", &at)?,
        family: string(item, "family", &at)?,
        version: string(item, "version", &at)?,
        header_value: string(item, "header_value", &at)?,
    };
    if about.name.is_none() && (about.family.is_none() || about.version.is_none()) {
        bail!("{at} (`{}`) needs a `name`, or a `family` and a `version`", about.id);
    }
    Ok(Release { about, api_versions })
}

/// The string at `key` of a mapping, if present; numbers are refused (write `"3.10"`, or
/// YAML reads 3.1).
fn string(node: &Value, key: &str, at: &str) -> anyhow::Result<Option<String>> {
    match node.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) if !text.trim().is_empty() && !text.chars().any(char::is_control) => {
            Ok(Some(text.clone()))
        }
        Some(_) => bail!("{at}.{key} must be a non-empty single-line string (quote numbers: \"3.10\")"),
    }
}

/// A YAML double-quoted scalar.
fn quote(text: &str) -> String {
    serde_json::to_string(text).expect("a string always serializes")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"api_version: "2022-11-28"
primary: ghes-3.19
release_header: X-GitHub-Enterprise-Version
releases:
  - id: ghes-3.14
    family: GitHub Enterprise Server
    version: "3.14"
    header_value: "3.14"
    api_versions: ["2022-11-28"]
  - id: ghes-3.19
    family: GitHub Enterprise Server
    version: "3.19"
    header_value: "3.19"
    api_versions: ["2022-11-28"]
  - id: api.github.com
    name: github.com
    api_versions: ["2022-11-28", "2026-03-10"]
"#;

    #[test]
    fn reads_renders_and_reads_back() {
        let releases = Releases::parse(SAMPLE).unwrap();
        assert_eq!(releases.primary, "ghes-3.19");
        assert_eq!(releases.releases.len(), 3);
        assert_eq!(releases.get("api.github.com").unwrap().api_versions, ["2022-11-28", "2026-03-10"]);
        assert_eq!(releases.other_api_versions(), ["2026-03-10"]);
        assert_eq!(Releases::parse(&releases.render()).unwrap(), releases);
    }

    /// The kept list is in the form `cargo xtask spec` writes when it adds a release, so
    /// adding one changes only its own lines.
    #[test]
    fn the_kept_list_is_in_its_written_form() {
        let root = crate::root();
        let text = std::fs::read_to_string(root.join(FILE)).unwrap();
        assert_eq!(Releases::read(&root).unwrap().render(), text);
    }

    #[test]
    fn a_new_release_goes_after_its_family() {
        let mut releases = Releases::parse(SAMPLE).unwrap();
        let mut new = releases.releases[0].clone();
        new.about.id = "ghes-3.20".into();
        releases.add(new);
        let ids: Vec<&str> = releases.releases.iter().map(|r| r.about.id.as_str()).collect();
        assert_eq!(ids, ["ghes-3.14", "ghes-3.19", "ghes-3.20", "api.github.com"]);
    }

    #[test]
    fn mistakes_are_named() {
        let error = |text: &str| format!("{:#}", Releases::parse(text).unwrap_err());
        assert!(error(&SAMPLE.replace("primary: ghes-3.19", "primary: ghes-9")).contains("`ghes-9` is not among"));
        assert!(error(&SAMPLE.replace("id: ghes-3.14", "id: ../x")).contains("release id `../x`"));
        assert!(error(&SAMPLE.replace("id: ghes-3.14", "id: ghes-3.19")).contains("listed twice"));
        assert!(error(&SAMPLE.replace("version: \"3.14\"", "version: 3.14")).contains("releases[0].version"));
        assert!(error(&SAMPLE.replace("\"2022-11-28\"\nprimary", "\"v3\"\nprimary")).contains("`v3` is not a date"));
        assert!(error(&SAMPLE.replace("    name: github.com\n", "")).contains("needs a `name`"));
        assert!(error(&format!("{SAMPLE}extra: 1\n")).contains("unknown key `extra`"));
    }
}
