//! The one path by which generated files reach the disk, for `codegen` and `generate`.
//!
//! A generator touches only what it wrote. It keeps a record ([`RECORD`]) in the folder it
//! writes: the command that wrote it, then every file it wrote there. It writes into a
//! folder only when the folder is missing or empty, holds its record, or holds files it
//! generated before records existed (their `@generated` line names it); it never writes
//! over a file it did not write, and removes only files on its record that it no longer
//! writes. It never follows a symbolic link: a link at the folder or at any part of a path
//! below it that it would write or remove is refused by name, its target untouched. A
//! file is written only when its bytes change, through a new file in the same folder
//! renamed over it. In check mode nothing is touched.

use anyhow::{bail, Context, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

/// Whether to write the files or only compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write files whose bytes changed, delete the ones no longer generated.
    Write,
    /// Change nothing; fail when anything would change.
    Check,
}

/// The name of the record a generator keeps at the top of the folder it writes.
pub const RECORD: &str = ".generated-files";

/// The most bytes a record may hold: a path a line, for many thousand files.
const MAX_RECORD_BYTES: u64 = 4 * 1024 * 1024;

/// What writing `files` into a folder will do, found before anything is touched.
#[derive(Debug, Default)]
pub struct Plan {
    /// Files (relative paths) whose bytes differ from what is on disk, or that are missing.
    pub differ: Vec<String>,
    /// Files on the record that are no longer generated and still exist: they are removed.
    pub removed: Vec<String>,
    /// Files in the `owned` folders that the generator did not write: left as they are.
    pub foreign: Vec<String>,
    /// The record's bytes now (`None`: no record) and after the run.
    old_record: Option<String>,
    new_record: String,
    /// Every file the generator owns while it works: the old record and the new files.
    during: BTreeSet<String>,
}

impl Plan {
    /// Whether the record changes.
    fn record_changes(&self) -> bool {
        self.old_record.as_deref() != Some(self.new_record.as_str())
    }
}

/// Checks that `command` may write `files` (contents by path relative to `dir`) into
/// `dir`, and finds what that changes; touches nothing. `command` is the command that
/// regenerates the files (`cargo xtask generate --name x`); its part before the first
/// ` --` names the generator in the record and in `@generated` lines. Files in the `owned`
/// folders (relative to `dir`) that it did not write are listed as [`Plan::foreign`].
pub fn plan(dir: &Path, files: &BTreeMap<String, String>, command: &str, owned: &[&str]) -> Result<Plan> {
    let generator = generator_of(command);
    for rel in files.keys() {
        if !is_plain_relative(rel) || rel == RECORD {
            bail!("the generator produced a file named `{rel}`, which is not a plain path inside {}", dir.display());
        }
    }
    if existing(dir, "")?.is_none() {
        let new_record = record_text(command, files.keys());
        let during = files.keys().cloned().collect();
        return Ok(Plan { differ: files.keys().cloned().collect(), new_record, during, ..Plan::default() });
    }
    let old_record = read_record(dir, generator)?;
    let mut owned_files: BTreeSet<String> = old_record.as_ref().map(|(_, list)| list.clone()).unwrap_or_default();
    let mut plan = Plan::default();
    // What is at each destination now: `None` for nothing, else its bytes if a file.
    let mut found = BTreeMap::new();
    for (rel, contents) in files {
        let Some(metadata) = existing(dir, rel)? else {
            plan.differ.push(rel.clone());
            continue;
        };
        if !metadata.is_file() {
            bail!(
                "{} is {}, not a file `{generator}` wrote; refusing to replace it",
                dir.join(rel).display(),
                file_kind(&metadata)
            );
        }
        let same = metadata.len() == contents.len() as u64
            && fs::read(dir.join(rel)).is_ok_and(|old| old == contents.as_bytes());
        if !same {
            plan.differ.push(rel.clone());
        }
        found.insert(rel.clone(), same);
    }
    if old_record.is_none() {
        // Files generated before records existed say so in their first lines.
        for rel in found.keys() {
            if says_generated_by(&dir.join(rel), generator) {
                owned_files.insert(rel.clone());
            }
        }
    }
    if let Some(foreign) = found.keys().find(|rel| !owned_files.contains(*rel)) {
        bail!(
            "{} exists and was not written by `{generator}` (it is not listed in {}): refusing to overwrite it; move it away or choose another folder",
            dir.join(foreign).display(),
            dir.join(RECORD).display()
        );
    }
    if old_record.is_none() && owned_files.is_empty() {
        if let Some(first) = first_entry(dir)? {
            bail!(
                "{} is not empty and holds no {RECORD} of `{generator}`, and {} was not written by it: refusing to write there; choose an empty or missing folder",
                dir.display(),
                dir.join(first).display()
            );
        }
    }
    for rel in owned_files.iter().filter(|rel| !files.contains_key(*rel)) {
        match existing(dir, rel)? {
            Some(metadata) if metadata.is_file() => plan.removed.push(rel.clone()),
            Some(metadata) => bail!(
                "{} is {}, not the file `{generator}` wrote; refusing to remove it",
                dir.join(rel).display(),
                file_kind(&metadata)
            ),
            None => {}
        }
    }
    for folder in owned {
        plan.foreign.extend(unlisted_below(dir, folder, files, &plan.removed)?);
    }
    plan.during = owned_files.into_iter().chain(files.keys().cloned()).collect();
    plan.old_record = old_record.map(|(text, _)| text);
    plan.new_record = record_text(command, files.keys());
    Ok(plan)
}

/// Brings `dir` to `files` as [`plan`] finds it may: writes the files whose bytes differ,
/// removes the files on the record no longer generated, and writes the record. Returns the
/// plan and the paths that changed (or would, in check mode): the files written in order,
/// then those removed, then the record if it changed.
pub fn sync(
    dir: &Path,
    files: &BTreeMap<String, String>,
    command: &str,
    owned: &[&str],
    mode: Mode,
) -> Result<(Plan, Vec<PathBuf>)> {
    let plan = plan(dir, files, command, owned)?;
    let mut changed: Vec<PathBuf> = plan.differ.iter().chain(&plan.removed).map(|rel| dir.join(rel)).collect();
    if plan.record_changes() {
        changed.push(dir.join(RECORD));
    }
    if mode == Mode::Check || changed.is_empty() {
        return Ok((plan, changed));
    }
    // The record lists every file written before any is, so that a run cut short leaves
    // no file of the generator's that a later run would take for someone else's.
    let during = record_text(command, plan.during.iter());
    if plan.old_record.as_deref() != Some(during.as_str()) {
        write_file(dir, RECORD, &during)?;
    }
    for rel in &plan.differ {
        write_file(dir, rel, &files[rel])?;
    }
    for rel in &plan.removed {
        remove_file(dir, rel)?;
    }
    if during != plan.new_record {
        write_file(dir, RECORD, &plan.new_record)?;
    }
    Ok((plan, changed))
}

/// The generator a command names: its words before the first option.
fn generator_of(command: &str) -> &str {
    command.split(" --").next().unwrap_or(command)
}

/// The record's text: a line naming the command, then the files, sorted, one a line.
fn record_text<'a>(command: &str, files: impl Iterator<Item = &'a String>) -> String {
    let mut text = format!(
        "# @generated by `{command}`: the files it wrote in this folder, the only ones it rewrites or removes.\n"
    );
    for rel in files {
        text.push_str(rel);
        text.push('\n');
    }
    text
}

/// The record in `dir` (its text and files), if there is one written by `generator`.
fn read_record(dir: &Path, generator: &str) -> Result<Option<(String, BTreeSet<String>)>> {
    let path = dir.join(RECORD);
    if existing(dir, RECORD)?.is_none() {
        return Ok(None);
    }
    let text = read_text(&path, MAX_RECORD_BYTES)?;
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default();
    let Some(rest) = header.strip_prefix(&format!("# @generated by `{generator}")) else {
        bail!(
            "{} was not written by `{generator}` (its first line does not name it): refusing to write there",
            path.display()
        );
    };
    if !rest.starts_with(['`', ' ']) {
        bail!(
            "{} was not written by `{generator}` (its first line does not name it): refusing to write there",
            path.display()
        );
    }
    let mut list = BTreeSet::new();
    for (number, line) in lines.enumerate() {
        if !is_plain_relative(line) || line == RECORD {
            bail!(
                "{} line {}: not a plain path inside the folder; fix or remove the record",
                path.display(),
                number + 2
            );
        }
        list.insert(line.to_owned());
    }
    Ok(Some((text, list)))
}

/// Whether `rel` is a relative path of plain names separated by `/`: no root, `.`, `..`
/// or empty part, so it stays inside the folder it is joined to.
pub fn is_plain_relative(rel: &str) -> bool {
    !rel.is_empty()
        && rel
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != ".." && !part.contains(['\\', '\r', '\0']))
        && Path::new(rel).components().all(|c| matches!(c, Component::Normal(_)))
}

/// What is at `rel` below `dir` (`""`: `dir` itself), without following links: `None`
/// when nothing is. A symbolic link at `dir` or at any part of `rel` is refused by name,
/// and so is a part before the last that is not a folder.
fn existing(dir: &Path, rel: &str) -> Result<Option<fs::Metadata>> {
    let mut path = dir.to_path_buf();
    let mut parts = vec![Component::CurDir];
    parts.extend(Path::new(rel).components());
    let last = parts.len() - 1;
    for (i, part) in parts.into_iter().enumerate() {
        if i > 0 {
            path.push(part);
        }
        let metadata = match fs::symlink_metadata(&path) {
            Ok(metadata) => metadata,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(error).with_context(|| format!("reading {}", path.display())),
        };
        if metadata.file_type().is_symlink() {
            bail!("{} is a symbolic link: generated files are never written or removed through one; its target was not touched", path.display());
        }
        if i < last && !metadata.is_dir() {
            bail!("{} is {}, where a folder of generated files belongs", path.display(), file_kind(&metadata));
        }
        if i == last {
            return Ok(Some(metadata));
        }
    }
    unreachable!("the loop returns at its last part")
}

/// Whether the first lines of the file at `path` say `generator` wrote it.
fn says_generated_by(path: &Path, generator: &str) -> bool {
    let mut head = Vec::new();
    let Ok(file) = fs::File::open(path) else { return false };
    if file.take(1024).read_to_end(&mut head).is_err() {
        return false;
    }
    let head = String::from_utf8_lossy(&head);
    let mark = format!("@generated by `{generator}");
    head.lines().take(2).any(|line| line.split_once(&mark).is_some_and(|(_, rest)| rest.starts_with(['`', ' '])))
}

/// The first entry of the folder `dir`, by name.
fn first_entry(dir: &Path) -> Result<Option<String>> {
    let entries = fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))?;
    let mut names = Vec::new();
    for entry in entries {
        names.push(
            entry.with_context(|| format!("listing {}", dir.display()))?.file_name().to_string_lossy().into_owned(),
        );
    }
    Ok(names.into_iter().min())
}

/// The files (and anything else that is not a folder) below `dir/folder`, relative to
/// `dir` and sorted, that are neither among `files` nor `removed`. Links are listed, not
/// followed.
fn unlisted_below(
    dir: &Path,
    folder: &str,
    files: &BTreeMap<String, String>,
    removed: &[String],
) -> Result<Vec<String>> {
    let mut unlisted = Vec::new();
    if existing(dir, folder)?.is_none_or(|m| !m.is_dir()) {
        return Ok(unlisted);
    }
    let mut pending = vec![folder.to_owned()];
    while let Some(rel) = pending.pop() {
        let path = dir.join(&rel);
        for entry in fs::read_dir(&path).with_context(|| format!("listing {}", path.display()))? {
            let entry = entry.with_context(|| format!("listing {}", path.display()))?;
            let child = format!("{rel}/{}", entry.file_name().to_string_lossy());
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            if is_dir {
                pending.push(child);
            } else if !files.contains_key(&child) && !removed.contains(&child) {
                unlisted.push(child);
            }
        }
    }
    unlisted.sort();
    Ok(unlisted)
}

/// Writes `contents` to `rel` below `dir`: creates the missing folders one by one, writes
/// a new file beside the destination and renames it over, so that nothing is written
/// through a link, and a crash leaves the old file or the new one, never half of one.
/// A link at `dir` or at any part of `rel` is refused by name.
pub fn write_file(dir: &Path, rel: &str, contents: &str) -> Result<()> {
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let path = dir.join(rel);
    let mut folder = dir.to_path_buf();
    let parts: Vec<Component> = Path::new(rel).components().collect();
    create_folder(&folder, dir, "")?;
    for (i, part) in parts[..parts.len() - 1].iter().enumerate() {
        folder.push(part);
        let rel_folder: PathBuf = parts[..=i].iter().collect();
        create_folder(&folder, dir, &rel_folder.to_string_lossy())?;
    }
    if existing(dir, rel)?.is_some_and(|m| !m.is_file()) {
        bail!("{} is no longer a file; refusing to replace it", path.display());
    }
    let name = path.file_name().context("a generated file has a name")?.to_string_lossy();
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let temporary = folder.join(format!(".{name}.{}-{n}.tmp", std::process::id()));
    // `create_new` fails on anything already there, a link included, rather than follow it.
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temporary)
        .with_context(|| format!("creating {}", temporary.display()))?;
    let written = file.write_all(contents.as_bytes()).and_then(|()| file.flush());
    drop(file);
    if let Err(error) = written.and_then(|()| fs::rename(&temporary, &path)) {
        let _ = fs::remove_file(&temporary);
        return Err(error).with_context(|| format!("writing {}", path.display()));
    }
    Ok(())
}

/// Makes sure `path` (`rel` below `dir`) is a folder, not a link, creating it if missing.
fn create_folder(path: &Path, dir: &Path, rel: &str) -> Result<()> {
    match existing(dir, rel)? {
        Some(metadata) if metadata.is_dir() => Ok(()),
        Some(metadata) => {
            bail!("{} is {}, where a folder of generated files belongs", path.display(), file_kind(&metadata))
        }
        // The output folder's own parents are the user's to choose: made as needed.
        None => match if rel.is_empty() { fs::create_dir_all(path) } else { fs::create_dir(path) } {
            Err(error) if error.kind() != std::io::ErrorKind::AlreadyExists => {
                Err(error).with_context(|| format!("creating {}", path.display()))
            }
            // Created now, or by someone else meanwhile: look again.
            _ => match existing(dir, rel)? {
                Some(metadata) if metadata.is_dir() => Ok(()),
                _ => bail!("{} could not be created as a folder", path.display()),
            },
        },
    }
}

/// Removes the file `rel` below `dir`, then the folders it leaves empty up to `dir`.
pub fn remove_file(dir: &Path, rel: &str) -> Result<()> {
    let path = dir.join(rel);
    match existing(dir, rel)? {
        Some(metadata) if metadata.is_file() => {
            fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?
        }
        Some(metadata) => bail!(
            "{} is {}, not the file that was generated; refusing to remove it",
            path.display(),
            file_kind(&metadata)
        ),
        None => return Ok(()),
    }
    let mut parent = Path::new(rel).parent();
    while let Some(folder) = parent.filter(|p| !p.as_os_str().is_empty()) {
        // `remove_dir` removes only an empty folder, and never a link's target.
        if existing(dir, &folder.to_string_lossy())?.is_none_or(|m| !m.is_dir())
            || fs::remove_dir(dir.join(folder)).is_err()
        {
            break;
        }
        parent = folder.parent();
    }
    Ok(())
}

/// Copies the file or folder `from` to `to`, folders whole, creating what is missing.
/// Symbolic links are not followed; only files and folders are copied. A copied file keeps
/// its modification time where the system allows, so cargo finds a package copied again
/// over its earlier copy (try-release's) unchanged and does not rebuild it.
pub fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    let mut pending = vec![(from.to_path_buf(), to.to_path_buf())];
    while let Some((from, to)) = pending.pop() {
        let metadata = fs::symlink_metadata(&from).with_context(|| format!("reading {}", from.display()))?;
        if metadata.is_dir() {
            fs::create_dir_all(&to).with_context(|| format!("creating {}", to.display()))?;
            for entry in fs::read_dir(&from).with_context(|| format!("listing {}", from.display()))? {
                let entry = entry.with_context(|| format!("listing {}", from.display()))?;
                pending.push((entry.path(), to.join(entry.file_name())));
            }
        } else if metadata.is_file() {
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
            }
            fs::copy(&from, &to).with_context(|| format!("copying {} to {}", from.display(), to.display()))?;
            // Best effort: where the time cannot be kept, the copy is only rebuilt.
            if let Ok(modified) = metadata.modified() {
                let _ = fs::File::open(&to).and_then(|file| file.set_modified(modified));
            }
        }
    }
    Ok(())
}

/// Removes the folder `path` and everything in it if it exists. A symbolic link there is
/// refused, not followed (nor removed): what it points at is never touched.
pub fn remove_folder(path: &Path) -> Result<()> {
    match fs::symlink_metadata(path) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(error).with_context(|| format!("reading {}", path.display())),
        Ok(metadata) if metadata.file_type().is_symlink() => {
            bail!("{} is a symbolic link: refusing to remove what it points at", path.display())
        }
        Ok(metadata) if !metadata.is_dir() => {
            bail!("{} is {}, not a folder: refusing to remove it", path.display(), file_kind(&metadata))
        }
        // `remove_dir_all` does not follow the links it meets inside.
        Ok(_) => fs::remove_dir_all(path).with_context(|| format!("removing {}", path.display())),
    }
}

/// The most bytes one description file may hold. GitHub's largest description is about
/// 13 MB; a file far past that is not a description someone wrote.
pub const MAX_DESCRIPTION_BYTES: u64 = 64 * 1024 * 1024;

/// The UTF-8 text of the regular file at `path`, of at most `limit` bytes.
///
/// A folder, device, FIFO or socket is refused by name and never read: the file is opened
/// without blocking (opening a FIFO with no writer would wait forever) and its type is
/// checked on the open handle, so nothing can be swapped in between. Reading stops one
/// byte past `limit`, so `/dev/zero` behind a link costs nothing either. Errors name the
/// file, never its contents.
pub fn read_text(path: &Path, limit: u64) -> Result<String> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).with_context(|| format!("reading {}", path.display()))?;
    let metadata = file.metadata().with_context(|| format!("reading {}", path.display()))?;
    if !metadata.is_file() {
        bail!("{} is not a regular file ({}); only files are read", path.display(), file_kind(&metadata));
    }
    if metadata.len() > limit {
        bail!("{} holds {} bytes, more than the {limit} a description file may hold", path.display(), metadata.len());
    }
    // Sized for the file as it is now (one byte more to see the end without growing), so
    // a large description is not read into a buffer doubled past its size.
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len().saturating_add(1)).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading {}", path.display()))?;
    if bytes.len() as u64 > limit {
        bail!("{} holds more than the {limit} bytes a description file may hold", path.display());
    }
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{} is not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// What kind of file system entry `metadata` describes, for messages.
fn file_kind(metadata: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        if kind.is_fifo() {
            return "a FIFO";
        } else if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        } else if kind.is_socket() {
            return "a socket";
        }
    }
    if metadata.is_dir() {
        "a folder"
    } else if metadata.is_file() {
        "a file"
    } else {
        "neither a file nor a folder"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMMAND: &str = "cargo xtask generate --name demo";

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-files-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    fn files(list: &[(&str, &str)]) -> BTreeMap<String, String> {
        list.iter().map(|(p, c)| ((*p).to_owned(), format!("// @generated by `{COMMAND}`\n{c}\n"))).collect()
    }

    /// Every path below `dir` with its kind and bytes (links by what they point at), sorted:
    /// what a test compares to see that nothing changed.
    fn snapshot(dir: &Path) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut pending = vec![dir.to_path_buf()];
        while let Some(path) = pending.pop() {
            let metadata = fs::symlink_metadata(&path).unwrap();
            let rel = path.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            if metadata.file_type().is_symlink() {
                out.push((rel, format!("link to {}", fs::read_link(&path).unwrap().display())));
            } else if metadata.is_dir() {
                out.push((rel, "folder".to_owned()));
                pending.extend(fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            } else {
                out.push((rel, String::from_utf8_lossy(&fs::read(&path).unwrap()).into_owned()));
            }
        }
        out.sort();
        out
    }

    fn write(path: &Path, text: &str) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    fn error(result: Result<(Plan, Vec<PathBuf>)>) -> String {
        format!("{:#}", result.expect_err("refused"))
    }

    #[test]
    fn a_missing_folder_is_written_with_its_record_and_only_changes_are_rewritten() {
        let base = scratch("fresh");
        let dir = base.join("in/a/new/folder");
        let files = files(&[("src/gen/a.rs", "a"), ("src/lib.rs", "lib"), ("Cargo.toml", "toml")]);
        let (_, changed) = sync(&dir, &files, COMMAND, &["src/gen"], Mode::Check).unwrap();
        assert_eq!(changed.len(), 4, "three files and the record: {changed:?}");
        assert!(!dir.exists(), "check mode writes nothing");
        sync(&dir, &files, COMMAND, &["src/gen"], Mode::Write).unwrap();
        let record = fs::read_to_string(dir.join(RECORD)).unwrap();
        assert_eq!(
            record,
            "# @generated by `cargo xtask generate --name demo`: the files it wrote in this folder, the only ones it rewrites or removes.\nCargo.toml\nsrc/gen/a.rs\nsrc/lib.rs\n"
        );
        assert!(sync(&dir, &files, COMMAND, &["src/gen"], Mode::Write).unwrap().1.is_empty());
        // Another name, same generator: its folder.
        assert_eq!(
            sync(&dir, &files, "cargo xtask generate --name other", &["src/gen"], Mode::Write).unwrap().1,
            [dir.join(RECORD)]
        );
        // No temporary file is left behind.
        assert_eq!(snapshot(&dir).len(), 7, "{:?}", snapshot(&dir));
        fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn a_folder_it_did_not_write_is_refused_and_left_as_it_was() {
        let dir = scratch("foreign");
        let files = files(&[("src/gen/a.rs", "a"), ("src/lib.rs", "lib"), ("Cargo.toml", "toml")]);
        // A crate of someone's own: its manifest is the first file that would be lost.
        write(&dir.join("Cargo.toml"), "[package]\nname = \"mine\"\n");
        write(&dir.join("src/lib.rs"), "pub fn mine() {}\n");
        let before = snapshot(&dir);
        let message = error(sync(&dir, &files, COMMAND, &["src/gen"], Mode::Write));
        assert!(
            message.contains(&format!(
                "{} exists and was not written by `cargo xtask generate`",
                dir.join("Cargo.toml").display()
            )),
            "{message}"
        );
        assert_eq!(snapshot(&dir), before);

        // A folder holding anything else is not empty either.
        fs::remove_dir_all(&dir).unwrap();
        write(&dir.join("notes.txt"), "mine\n");
        let message = error(sync(&dir, &files, COMMAND, &["src/gen"], Mode::Write));
        assert!(
            message.contains("is not empty") && message.contains(&dir.join("notes.txt").display().to_string()),
            "{message}"
        );
        assert_eq!(snapshot(&dir).len(), 2);

        // Another command's record is not this one's.
        fs::remove_dir_all(&dir).unwrap();
        write(&dir.join(RECORD), "# @generated by `cargo xtask codegen`: the files\nsrc/lib.rs\n");
        let message = error(sync(&dir, &files, COMMAND, &["src/gen"], Mode::Write));
        assert!(message.contains("was not written by `cargo xtask generate`"), "{message}");

        // A record naming a path outside the folder removes nothing there.
        fs::remove_dir_all(&dir).unwrap();
        let outside = scratch("foreign-outside");
        write(&outside.join("precious.rs"), "mine\n");
        let escape = format!("../{}/precious.rs", outside.file_name().unwrap().to_string_lossy());
        write(&dir.join(RECORD), &format!("# @generated by `{COMMAND}`: the files\n{escape}\n"));
        let message = error(sync(&dir, &files, COMMAND, &["src/gen"], Mode::Write));
        assert!(message.contains(&format!("{} line 2: not a plain path", dir.join(RECORD).display())), "{message}");
        assert!(outside.join("precious.rs").exists());
        fs::remove_dir_all(&dir).unwrap();
        fs::remove_dir_all(&outside).unwrap();
    }

    #[test]
    fn a_rerun_removes_only_files_on_its_record() {
        let dir = scratch("rerun");
        let first =
            files(&[("src/gen/a.rs", "a"), ("src/gen/old/b.rs", "b"), ("src/gen/c.rs", "c"), ("src/lib.rs", "lib")]);
        sync(&dir, &first, COMMAND, &["src/gen"], Mode::Write).unwrap();
        write(&dir.join("src/gen/mine.rs"), "mine\n");
        write(&dir.join("src/gen/old/mine.rs"), "mine too\n");
        write(&dir.join("Cargo.lock"), "lock\n");
        // A file it now writes, where someone else put one: refused before anything changes.
        let mut second = files(&[("src/gen/a.rs", "a2"), ("src/lib.rs", "lib")]);
        second.insert("src/gen/mine.rs".to_owned(), "generated\n".to_owned());
        let before = snapshot(&dir);
        let message = error(sync(&dir, &second, COMMAND, &["src/gen"], Mode::Write));
        assert!(
            message.contains(&format!("{} exists and was not written", dir.join("src/gen/mine.rs").display())),
            "{message}"
        );
        assert_eq!(snapshot(&dir), before);

        second.remove("src/gen/mine.rs");
        let (plan, changed) = sync(&dir, &second, COMMAND, &["src/gen"], Mode::Check).unwrap();
        assert_eq!(
            changed,
            [dir.join("src/gen/a.rs"), dir.join("src/gen/c.rs"), dir.join("src/gen/old/b.rs"), dir.join(RECORD)]
        );
        assert_eq!(plan.foreign, ["src/gen/mine.rs", "src/gen/old/mine.rs"]);
        assert_eq!(snapshot(&dir), before, "check mode changes nothing");
        sync(&dir, &second, COMMAND, &["src/gen"], Mode::Write).unwrap();
        assert!(!dir.join("src/gen/c.rs").exists() && !dir.join("src/gen/old/b.rs").exists());
        for kept in ["src/gen/mine.rs", "src/gen/old/mine.rs", "Cargo.lock"] {
            assert!(dir.join(kept).exists(), "{kept} was not generated and stays");
        }
        assert!(fs::read_to_string(dir.join("src/gen/a.rs")).unwrap().contains("a2"));
        assert!(!fs::read_to_string(dir.join(RECORD)).unwrap().contains("c.rs"));

        // A folder left empty goes with its last generated file.
        let mut third = second.clone();
        third.insert("src/gen/deep/er/d.rs".to_owned(), "d\n".to_owned());
        sync(&dir, &third, COMMAND, &["src/gen"], Mode::Write).unwrap();
        sync(&dir, &second, COMMAND, &["src/gen"], Mode::Write).unwrap();
        assert!(!dir.join("src/gen/deep").exists());
        fs::remove_dir_all(&dir).unwrap();
    }

    /// A folder generated before records existed is recognised by its files' first lines.
    #[test]
    fn files_it_generated_before_records_are_its_own() {
        let dir = scratch("legacy");
        let files = files(&[("src/lib.rs", "lib"), ("Cargo.toml", "toml")]);
        for (rel, text) in &files {
            write(&dir.join(rel), &text.replace("toml", "old toml").replace("demo", "older-name"));
        }
        write(&dir.join("Cargo.lock"), "lock\n");
        let (_, changed) = sync(&dir, &files, COMMAND, &[], Mode::Write).unwrap();
        assert_eq!(changed, [dir.join("Cargo.toml"), dir.join("src/lib.rs"), dir.join(RECORD)]);
        // One file without the line is someone else's.
        fs::remove_file(dir.join(RECORD)).unwrap();
        write(&dir.join("src/lib.rs"), "// @generated by `cargo xtask codegen`\n");
        let message = error(sync(&dir, &files, COMMAND, &[], Mode::Write));
        assert!(
            message.contains(&format!("{} exists and was not written", dir.join("src/lib.rs").display())),
            "{message}"
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    /// A copied file keeps its modification time, so cargo does not rebuild a package
    /// copied again over its earlier copy.
    #[test]
    fn a_copy_keeps_modification_times() {
        let (from, to) = (scratch("copy-times-from"), scratch("copy-times-to"));
        write(&from.join("src/lib.rs"), "lib\n");
        let then = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
        fs::File::open(from.join("src/lib.rs")).unwrap().set_modified(then).unwrap();
        copy_tree(&from, &to).unwrap();
        assert_eq!(fs::read_to_string(to.join("src/lib.rs")).unwrap(), "lib\n");
        assert_eq!(fs::metadata(to.join("src/lib.rs")).unwrap().modified().unwrap(), then);
        let _ = (fs::remove_dir_all(&from), fs::remove_dir_all(&to));
    }

    /// A link at the folder, at a folder below it, or at a file it writes or removes is
    /// refused by name in both modes, and what it points at is left as it was.
    #[cfg(unix)]
    #[test]
    fn links_are_refused_and_their_targets_untouched() {
        let files = files(&[("src/generated/mock/m.rs", "m"), ("src/generated/mod.rs", "mod"), ("src/lib.rs", "lib")]);
        for (n, link) in ["", "src", "src/generated", "src/generated/mock", "src/lib.rs", "src/generated/gone.rs"]
            .into_iter()
            .enumerate()
        {
            let dir = scratch(&format!("link-{n}"));
            let target = scratch(&format!("link-{n}-target"));
            sync(&dir, &files, COMMAND, &["src/generated"], Mode::Write).unwrap();
            let at = if link.is_empty() { dir.clone() } else { dir.join(link) };
            if link.ends_with(".rs") {
                write(&target.join("victim.rs"), "precious\n");
                fs::remove_file(&at).ok();
                std::os::unix::fs::symlink(target.join("victim.rs"), &at).unwrap();
            } else {
                // The link points at a copy of what was there, so only a link stands between.
                copy_tree(&at, &target).unwrap();
                write(&target.join("victim.rs"), "precious\n");
                fs::remove_dir_all(&at).unwrap();
                std::os::unix::fs::symlink(&target, &at).unwrap();
            }
            if link == "src/generated/gone.rs" {
                // On the record, no longer generated: it would be removed.
                let record = fs::read_to_string(dir.join(RECORD)).unwrap();
                fs::write(
                    dir.join(RECORD),
                    record.replace("src/generated/mock/m.rs\n", "src/generated/gone.rs\nsrc/generated/mock/m.rs\n"),
                )
                .unwrap();
            }
            let (dir_before, target_before) =
                (if link.is_empty() { Vec::new() } else { snapshot(&dir) }, snapshot(&target));
            let mut changed = files.clone();
            for text in changed.values_mut() {
                text.push_str("changed\n");
            }
            for mode in [Mode::Check, Mode::Write] {
                let message = error(sync(&dir, &changed, COMMAND, &["src/generated"], mode));
                assert!(message.contains(&format!("{} is a symbolic link", at.display())), "{link}: {message}");
            }
            assert_eq!(snapshot(&target), target_before, "{link}: the link's target changed");
            if !link.is_empty() {
                assert_eq!(snapshot(&dir), dir_before, "{link}: the folder changed");
            }
            let _ = fs::remove_dir_all(&dir);
            let _ = fs::remove_file(&dir);
            fs::remove_dir_all(&target).unwrap();
        }
    }

    #[test]
    fn a_removed_folder_is_never_followed() {
        let dir = scratch("remove");
        remove_folder(&dir).unwrap();
        write(&dir.join("a/b.txt"), "b\n");
        remove_folder(&dir).unwrap();
        assert!(!dir.exists());
        #[cfg(unix)]
        {
            let target = scratch("remove-target");
            write(&target.join("victim.txt"), "precious\n");
            std::os::unix::fs::symlink(&target, &dir).unwrap();
            let message = format!("{:#}", remove_folder(&dir).unwrap_err());
            assert!(message.contains(&format!("{} is a symbolic link", dir.display())), "{message}");
            assert!(target.join("victim.txt").exists() && fs::symlink_metadata(&dir).is_ok());
            fs::remove_file(&dir).unwrap();
            fs::remove_dir_all(&target).unwrap();
        }
    }

    #[cfg(unix)]
    #[test]
    fn only_regular_files_within_the_limit_are_read() {
        let dir = std::env::temp_dir().join(format!("xtask-read-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("a.yaml"), "openapi: 3.0.3\n").unwrap();
        assert_eq!(read_text(&dir.join("a.yaml"), 100).unwrap(), "openapi: 3.0.3\n");
        let error = read_text(&dir.join("a.yaml"), 4).unwrap_err().to_string();
        assert!(error.contains("more than the 4"), "{error}");
        for (device, kind) in [("/dev/zero", "a device"), ("/dev/urandom", "a device")] {
            let error = read_text(Path::new(device), MAX_DESCRIPTION_BYTES).unwrap_err().to_string();
            assert!(error.contains(kind), "{error}");
        }
        // A FIFO nobody writes to: opening it blocking would wait forever.
        let fifo = dir.join("fifo.yaml");
        let name = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        let error = read_text(&fifo, MAX_DESCRIPTION_BYTES).unwrap_err().to_string();
        assert!(error.contains("a FIFO"), "{error}");
        let error = read_text(&dir, MAX_DESCRIPTION_BYTES).unwrap_err().to_string();
        assert!(error.contains("a folder"), "{error}");
        fs::write(dir.join("bin"), [0xff, 0xfe, b's', b'e', b'c', b'r', b'e', b't']).unwrap();
        let error = read_text(&dir.join("bin"), 100).unwrap_err().to_string();
        assert!(error.contains("not UTF-8") && !error.contains("secret"), "{error}");
        fs::remove_dir_all(&dir).unwrap();
    }
}
