//! The one path by which generated files reach the disk, for `codegen` and `generate`:
//! a file is written only when its bytes change, and the folders the generator owns
//! lose the files it no longer writes; in check mode nothing is touched.

use anyhow::{bail, Context, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Whether to write the files or only compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write files whose bytes changed, delete the ones no longer generated.
    Write,
    /// Change nothing; fail when anything would change.
    Check,
}

/// Brings `dir` to `files` (contents by path relative to `dir`): writes the files whose
/// bytes differ and removes the [`strays`] of the `owned` folders. Returns the paths that
/// differed, in order, then the strays, sorted; in check mode writes and removes nothing.
pub fn sync(dir: &Path, files: &BTreeMap<String, String>, owned: &[&str], mode: Mode) -> Result<Vec<PathBuf>> {
    let mut changed = Vec::new();
    for (rel, contents) in files {
        let path = dir.join(rel);
        if ensure_file_contents(&path, contents, mode)? {
            changed.push(path);
        }
    }
    for path in strays(dir, files, owned) {
        if mode == Mode::Write {
            if is_real_dir(&path) {
                fs::remove_dir_all(&path).with_context(|| format!("removing {}", path.display()))?;
            } else {
                fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
            }
        }
        changed.push(path);
    }
    Ok(changed)
}

/// What in the `owned` folders of `dir` (relative to it) is not among `files`: files, and
/// folders that hold none of `files`, sorted. A folder that holds some is walked instead.
pub fn strays(dir: &Path, files: &BTreeMap<String, String>, owned: &[&str]) -> Vec<PathBuf> {
    let wanted: BTreeSet<PathBuf> = files.keys().map(|rel| dir.join(rel)).collect();
    let mut strays = Vec::new();
    let mut folders: Vec<PathBuf> = owned.iter().map(|owned| dir.join(owned)).collect();
    while let Some(folder) = folders.pop() {
        let Ok(entries) = fs::read_dir(&folder) else { continue };
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| !wanted.contains(p)) {
            if is_real_dir(&path) && wanted.iter().any(|w| w.starts_with(&path)) {
                folders.push(path);
            } else {
                strays.push(path);
            }
        }
    }
    strays.sort();
    strays
}

/// The text of every file at or below `path` (a stray), in path order. Symbolic links are
/// not followed; what is not UTF-8 text is skipped.
pub fn texts_below(path: &Path) -> Vec<String> {
    let mut texts = Vec::new();
    let mut pending = vec![path.to_path_buf()];
    while let Some(path) = pending.pop() {
        let Ok(metadata) = fs::symlink_metadata(&path) else { continue };
        if metadata.is_dir() {
            let Ok(entries) = fs::read_dir(&path) else { continue };
            let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            entries.sort_by(|a, b| b.cmp(a));
            pending.extend(entries);
        } else if metadata.is_file() {
            if let Ok(text) = fs::read_to_string(&path) {
                texts.push(text);
            }
        }
    }
    texts
}

/// Copies the file or folder `from` to `to`, folders whole, creating what is missing.
/// Symbolic links are not followed; only files and folders are copied.
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
        }
    }
    Ok(())
}

/// Whether `path` is a folder itself, not a symbolic link to one.
fn is_real_dir(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

/// Writes `contents` to `path` only if its bytes differ; in check mode writes nothing.
/// Returns whether the file differs.
pub fn ensure_file_contents(path: &Path, contents: &str, mode: Mode) -> Result<bool> {
    if fs::read(path).is_ok_and(|old| old == contents.as_bytes()) {
        return Ok(false);
    }
    if mode == Mode::Write {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        fs::write(path, contents).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(true)
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
    use std::io::Read;
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
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes).with_context(|| format!("reading {}", path.display()))?;
    if bytes.len() as u64 > limit {
        bail!("{} holds more than the {limit} bytes a description file may hold", path.display());
    }
    String::from_utf8(bytes).map_err(|e| anyhow::anyhow!("{} is not UTF-8 text (invalid byte at offset {})", path.display(), e.utf8_error().valid_up_to()))
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
    } else {
        "not a file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_files_are_written_and_strays_in_owned_folders_go() {
        let dir = std::env::temp_dir().join(format!("xtask-files-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let files: BTreeMap<String, String> =
            [("src/gen/a.rs", "a\n"), ("src/lib.rs", "lib\n")].iter().map(|(p, c)| ((*p).to_owned(), (*c).to_owned())).collect();
        assert_eq!(sync(&dir, &files, &["src/gen"], Mode::Check).unwrap().len(), 2);
        assert!(!dir.exists(), "check mode writes nothing");
        assert_eq!(sync(&dir, &files, &["src/gen"], Mode::Write).unwrap().len(), 2);
        assert!(sync(&dir, &files, &["src/gen"], Mode::Write).unwrap().is_empty());
        fs::write(dir.join("src/gen/stray.rs"), "old\n").unwrap();
        fs::write(dir.join("src/kept.rs"), "mine\n").unwrap();
        assert_eq!(sync(&dir, &files, &["src/gen"], Mode::Check).unwrap(), [dir.join("src/gen/stray.rs")]);
        assert_eq!(sync(&dir, &files, &["src/gen"], Mode::Write).unwrap(), [dir.join("src/gen/stray.rs")]);
        assert!(!dir.join("src/gen/stray.rs").exists() && dir.join("src/kept.rs").exists());

        // A generated folder inside an owned one keeps its files and loses its strays;
        // a folder with nothing generated in it goes whole.
        let mut nested = files.clone();
        nested.insert("src/gen/sub/b.rs".to_owned(), "b\n".to_owned());
        assert_eq!(sync(&dir, &nested, &["src/gen"], Mode::Write).unwrap(), [dir.join("src/gen/sub/b.rs")]);
        fs::write(dir.join("src/gen/sub/stray.rs"), "old\n").unwrap();
        fs::create_dir_all(dir.join("src/gen/old/deeper")).unwrap();
        fs::write(dir.join("src/gen/old/deeper/c.rs"), "old\n").unwrap();
        assert_eq!(sync(&dir, &nested, &["src/gen"], Mode::Write).unwrap(), [dir.join("src/gen/old"), dir.join("src/gen/sub/stray.rs")]);
        assert!(dir.join("src/gen/sub/b.rs").exists() && dir.join("src/gen/a.rs").exists());
        assert!(!dir.join("src/gen/old").exists() && !dir.join("src/gen/sub/stray.rs").exists());
        assert!(sync(&dir, &nested, &["src/gen"], Mode::Check).unwrap().is_empty());
        fs::remove_dir_all(&dir).unwrap();
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
