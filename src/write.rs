//! Writing files safely: atomically (a temporary file in the same folder,
//! then a rename), never through a symbolic link. A new file gets the usual
//! mode (0666 less the umask); a replaced file keeps its mode. Temporary
//! files are named after their target (`.INDEX.md.alliance-catalog-XXXXXX.tmp`)
//! and held locked while written, so that ones left by a killed writer are
//! recognised and removed by the next write of the same target.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, SystemTime};

use thiserror::Error;

/// Why a file could not be written.
#[derive(Debug, Error)]
pub enum WriteError {
    /// The target is a symbolic link; following it could write anywhere.
    #[error("{0}: is a symbolic link; refusing to write through it")]
    Symlink(String),
    /// The target's folder resolves (through symbolic links) outside the catalog.
    #[error(
        "{0}: its folder leads outside the catalog folder (through a symbolic link); refusing to write"
    )]
    Outside(String),
    /// The target exists and the write must not replace it.
    #[error("{0}: already exists")]
    Exists(String),
    /// An I/O error.
    #[error("{path}: {source}")]
    Io {
        /// The target.
        path: String,
        /// The error.
        #[source]
        source: std::io::Error,
    },
}

/// Checks that the folder of `target` lies inside `root` once symbolic links
/// are resolved, so that a file the catalog owns is never written elsewhere.
pub fn ensure_inside(root: &Path, target: &Path) -> Result<(), WriteError> {
    let shown = target.display().to_string();
    let io = |source| WriteError::Io {
        path: shown.clone(),
        source,
    };
    let root = std::fs::canonicalize(root).map_err(io)?;
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let parent = std::fs::canonicalize(parent).map_err(io)?;
    if parent.starts_with(&root) {
        Ok(())
    } else {
        Err(WriteError::Outside(shown))
    }
}

/// Writes `bytes` to `path` atomically: readers see the old file or the new
/// one, never a part; concurrent writers each replace the file whole.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let tmp = staged(path, bytes, true)?;
    tmp.persist(path).map_err(|e| io_error(path, e.error))?;
    Ok(())
}

/// Writes a new file at `path` atomically, failing if anything (a file or a
/// link) is there already: of concurrent writers exactly one succeeds.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let tmp = staged(path, bytes, true)?;
    tmp.persist_noclobber(path).map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            WriteError::Exists(path.display().to_string())
        } else {
            io_error(path, e.error)
        }
    })?;
    Ok(())
}

/// What [`write_rebuilt`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rebuilt {
    /// The file was there with these very bytes: left as it was.
    Unchanged,
    /// There was no file: it was created.
    Created,
    /// Another file was there: it was replaced atomically.
    Replaced,
}

/// Writes one file of output that is rebuilt whole (a site's page), as
/// cheaply as is safe for that: a file already holding `bytes` is left
/// alone (its time stamp too); a file that does not exist is created and
/// written in place, since there is nothing for a reader to see
/// half-replaced; any other file is replaced like [`write_atomic_unsynced`].
/// Never writes through a symbolic link.
/// `likely_new` says that the file is probably not there (the previous
/// build did not write it): then creating it is tried first, which fails
/// on anything there, a link included, and only then is the path looked at.
pub fn write_rebuilt(path: &Path, bytes: &[u8], likely_new: bool) -> Result<Rebuilt, WriteError> {
    if likely_new && let Some(done) = create_in_place(path, bytes)? {
        return Ok(done);
    }
    match path.symlink_metadata() {
        Ok(m) if m.file_type().is_symlink() => {
            return Err(WriteError::Symlink(path.display().to_string()));
        }
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            if same_bytes(path, bytes) {
                return Ok(Rebuilt::Unchanged);
            }
        }
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(done) = create_in_place(path, bytes)? {
                return Ok(done);
            }
        }
        Err(e) => return Err(io_error(path, e)),
    }
    write_atomic_unsynced(path, bytes)?;
    Ok(Rebuilt::Replaced)
}

/// Creates `path` and writes `bytes` into it, if nothing is there: `None`
/// when something is (`create_new` fails on anything, a link included).
fn create_in_place(path: &Path, bytes: &[u8]) -> Result<Option<Rebuilt>, WriteError> {
    let created = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path);
    match created {
        Ok(mut file) => {
            file.write_all(bytes).map_err(|e| io_error(path, e))?;
            Ok(Some(Rebuilt::Created))
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(None),
        Err(e) => Err(io_error(path, e)),
    }
}

/// Whether the file at `path` holds exactly `bytes` (reading no more than
/// one byte past their length).
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut found = Vec::with_capacity(bytes.len());
    file.take(bytes.len() as u64 + 1)
        .read_to_end(&mut found)
        .is_ok_and(|_| found == bytes)
}

/// Writes `bytes` to `path` atomically like [`write_atomic`], for a writer
/// of many files (a whole site): the file is not synced on its own and its
/// folder is not searched for stale temporary files, which would make the
/// cost of n files grow as n². Readers still see the old file or the new
/// one; after a crash a file may be the old one, so this is for output
/// that is rebuilt, not for the catalog's own files.
pub fn write_atomic_unsynced(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let tmp = staged(path, bytes, false)?;
    tmp.persist(path).map_err(|e| io_error(path, e.error))?;
    Ok(())
}

fn io_error(path: &Path, source: std::io::Error) -> WriteError {
    WriteError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// The part of temporary file names after the target's name.
const TMP_MARK: &str = ".alliance-catalog-";
/// The end of temporary file names.
const TMP_SUFFIX: &str = ".tmp";
/// A temporary file older than this, and not locked by a live writer, was
/// left by a writer that died; the next write of its target removes it.
pub const STALE_AFTER: Duration = Duration::from_secs(60);

/// The bytes written and synced to a temporary file beside `path`, after
/// refusing a `path` that is a symbolic link.
fn staged(path: &Path, bytes: &[u8], sync: bool) -> Result<tempfile::NamedTempFile, WriteError> {
    let existing = match path.symlink_metadata() {
        Ok(m) if m.file_type().is_symlink() => {
            return Err(WriteError::Symlink(path.display().to_string()));
        }
        Ok(m) => Some(m),
        Err(_) => None,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{file_name}{TMP_MARK}");
    if sync {
        remove_stale(dir, &prefix);
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(TMP_SUFFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Created 0666 less the umask, like any new file.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir).map_err(|e| io_error(path, e))?;
    lock(tmp.as_file());
    #[cfg(unix)]
    if let Some(meta) = existing.filter(std::fs::Metadata::is_file) {
        use std::os::unix::fs::PermissionsExt;
        // A replaced file keeps its permission bits.
        let mode = meta.permissions().mode() & 0o777;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(|e| io_error(path, e))?;
    }
    #[cfg(not(unix))]
    let _ = existing;
    tmp.write_all(bytes).map_err(|e| io_error(path, e))?;
    if sync {
        tmp.as_file().sync_all().map_err(|e| io_error(path, e))?;
    }
    Ok(tmp)
}

/// Takes an exclusive lock on a temporary file for as long as it is open,
/// so that other writers see it is in use. Best effort: without the lock,
/// age alone protects it.
fn lock(file: &std::fs::File) -> bool {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: flock on a descriptor we own; it touches no memory.
        unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) == 0 }
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        true
    }
}

/// Removes the temporary files of a target (named `prefix…​.tmp` in `dir`)
/// that a killed writer left: regular files older than [`STALE_AFTER`]
/// that no live writer holds locked. Errors are ignored: this is tidying.
fn remove_stale(dir: &Path, prefix: &str) {
    let Ok(items) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for item in items.filter_map(Result::ok) {
        let name = item.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(prefix) && name.ends_with(TMP_SUFFIX)) {
            continue;
        }
        let path = item.path();
        let Ok(meta) = path.symlink_metadata() else {
            continue;
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age >= STALE_AFTER);
        if !meta.is_file() || !old {
            continue;
        }
        let mut options = std::fs::OpenOptions::new();
        options.read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
        }
        let Ok(file) = options.open(&path) else {
            continue;
        };
        if file.metadata().is_ok_and(|m| m.is_file()) && lock(&file) {
            let _ = std::fs::remove_file(&path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_replaces() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("out.md");
        write_atomic(&p, b"one").expect("write");
        write_atomic(&p, b"two").expect("replace");
        assert_eq!(std::fs::read(&p).expect("read"), b"two");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .expect("dir")
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn rebuilt_files_are_created_left_alone_or_replaced() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("page.html");
        assert_eq!(
            write_rebuilt(&p, b"one", false).expect("create"),
            Rebuilt::Created
        );
        assert_eq!(
            write_rebuilt(&p, b"one", false).expect("same"),
            Rebuilt::Unchanged
        );
        // Taken for new, but there: still compared.
        assert_eq!(
            write_rebuilt(&p, b"one", true).expect("same"),
            Rebuilt::Unchanged
        );
        // Same length, other bytes; then another length.
        assert_eq!(
            write_rebuilt(&p, b"two", false).expect("replace"),
            Rebuilt::Replaced
        );
        assert_eq!(std::fs::read(&p).expect("read"), b"two");
        assert_eq!(
            write_rebuilt(&p, b"three", true).expect("replace"),
            Rebuilt::Replaced
        );
        assert_eq!(std::fs::read(&p).expect("read"), b"three");
        let q = dir.path().join("new.html");
        assert_eq!(
            write_rebuilt(&q, b"new", true).expect("create"),
            Rebuilt::Created
        );
        assert_eq!(std::fs::read(&q).expect("read"), b"new");
        #[cfg(unix)]
        {
            let target = dir.path().join("elsewhere");
            std::fs::write(&target, b"keep").expect("write");
            let link = dir.path().join("link.html");
            std::os::unix::fs::symlink(&target, &link).expect("symlink");
            for likely_new in [false, true] {
                assert!(matches!(
                    write_rebuilt(&link, b"keep", likely_new),
                    Err(WriteError::Symlink(_))
                ));
            }
            assert_eq!(std::fs::read(&target).expect("read"), b"keep");
        }
    }

    #[test]
    fn write_new_never_replaces() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("entry.yaml");
        write_new(&p, b"first").expect("write");
        assert!(matches!(
            write_new(&p, b"second"),
            Err(WriteError::Exists(_))
        ));
        assert_eq!(std::fs::read(&p).expect("read"), b"first");
    }

    #[cfg(unix)]
    #[test]
    fn new_files_follow_the_umask_and_replaced_files_keep_their_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        // SAFETY: umask only sets the process's mask; the old one is restored.
        let old = unsafe { libc::umask(0o022) };
        let p = dir.path().join("INDEX.md");
        write_atomic(&p, b"one").expect("write");
        let created = mode(&p);
        let n = dir.path().join("new.yaml");
        write_new(&n, b"x").expect("write new");
        let created_new = mode(&n);
        // SAFETY: as above.
        unsafe { libc::umask(old) };
        assert_eq!(created, 0o644);
        assert_eq!(created_new, 0o644);
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        write_atomic(&p, b"two").expect("replace");
        assert_eq!(mode(&p), 0o640);
    }

    #[test]
    fn temporary_files_are_named_after_their_target_and_stale_ones_removed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("INDEX.md");
        let stale = dir.path().join(".INDEX.md.alliance-catalog-dead01.tmp");
        let fresh = dir.path().join(".INDEX.md.alliance-catalog-live01.tmp");
        let other = dir.path().join(".other.md.alliance-catalog-dead02.tmp");
        for f in [&stale, &fresh, &other] {
            std::fs::write(f, b"left by a killed writer").expect("write");
        }
        let long_ago = SystemTime::now() - STALE_AFTER - Duration::from_secs(5);
        for f in [&stale, &other] {
            std::fs::File::options()
                .write(true)
                .open(f)
                .and_then(|h| h.set_modified(long_ago))
                .expect("age");
        }
        let staged = staged(&p, b"x", true).expect("stage");
        let name = staged
            .path()
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        assert!(
            name.starts_with(".INDEX.md.alliance-catalog-") && name.ends_with(".tmp"),
            "{name}"
        );
        staged.persist(&p).expect("persist");
        assert!(
            !stale.exists(),
            "a stale temporary file of the target is removed"
        );
        assert!(fresh.exists(), "a recent one may belong to a live writer");
        assert!(other.exists(), "another target's files are left alone");
    }

    #[cfg(unix)]
    #[test]
    fn a_locked_temporary_file_is_never_removed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let busy = dir.path().join(".INDEX.md.alliance-catalog-busy01.tmp");
        std::fs::write(&busy, b"in progress").expect("write");
        let long_ago = SystemTime::now() - STALE_AFTER - Duration::from_secs(5);
        let holder = std::fs::File::options()
            .write(true)
            .open(&busy)
            .expect("open");
        holder.set_modified(long_ago).expect("age");
        assert!(lock(&holder));
        write_atomic(&dir.path().join("INDEX.md"), b"x").expect("write");
        assert!(busy.exists(), "a writer still holds it");
        drop(holder);
        write_atomic(&dir.path().join("INDEX.md"), b"y").expect("write");
        assert!(!busy.exists(), "removed once its writer is gone");
    }

    #[cfg(unix)]
    #[test]
    fn refuses_symlinks() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("elsewhere.md");
        std::fs::write(&target, "keep").expect("write");
        let link = dir.path().join("INDEX.md");
        std::os::unix::fs::symlink(&target, &link).expect("symlink");
        assert!(matches!(
            write_atomic(&link, b"x"),
            Err(WriteError::Symlink(_))
        ));
        assert_eq!(std::fs::read_to_string(&target).expect("read"), "keep");
    }
}
