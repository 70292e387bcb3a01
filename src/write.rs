//! Writing files safely: atomically (a temporary file in the same folder,
//! then a rename), never through a symbolic link.

use std::io::Write;
use std::path::Path;

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
    let tmp = staged(path, bytes)?;
    tmp.persist(path).map_err(|e| io_error(path, e.error))?;
    Ok(())
}

/// Writes a new file at `path` atomically, failing if anything (a file or a
/// link) is there already: of concurrent writers exactly one succeeds.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let tmp = staged(path, bytes)?;
    tmp.persist_noclobber(path).map_err(|e| {
        if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            WriteError::Exists(path.display().to_string())
        } else {
            io_error(path, e.error)
        }
    })?;
    Ok(())
}

fn io_error(path: &Path, source: std::io::Error) -> WriteError {
    WriteError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// The bytes written and synced to a temporary file beside `path`, after
/// refusing a `path` that is a symbolic link.
fn staged(path: &Path, bytes: &[u8]) -> Result<tempfile::NamedTempFile, WriteError> {
    if path
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink())
    {
        return Err(WriteError::Symlink(path.display().to_string()));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".alliance-catalog-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| io_error(path, e))?;
    tmp.write_all(bytes).map_err(|e| io_error(path, e))?;
    tmp.as_file().sync_all().map_err(|e| io_error(path, e))?;
    Ok(tmp)
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
