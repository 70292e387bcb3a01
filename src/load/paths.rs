//! Paths mode (`validate FILE…`): which files of a catalog to report on when
//! paths are named on the command line. Files inside the catalog are picked
//! out of it; files outside it are read as submissions beside it, so that
//! the cross-entry rules still see the whole catalog.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{CatalogFiles, ToolFile, expand_paths, read_input};

/// The files named on the command line, by the name diagnostics carry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    names: BTreeSet<Arc<str>>,
}

impl Selection {
    /// Whether diagnostics about the file `name` are reported.
    pub fn contains(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    /// How many files were named (folders count each entry file in them).
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether no file was named.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// Chooses the files named by `paths` (files, or folders walked for entry
/// files) from `files`, adding each one that is not part of the catalog as
/// a submission. A path that does not exist is an error.
pub fn select(files: &mut CatalogFiles, paths: &[PathBuf]) -> Result<Selection, String> {
    let wanted = expand_paths(paths)?;
    let canonical = |p: &Path| std::fs::canonicalize(p).ok();
    let known: Vec<(Option<PathBuf>, Arc<str>)> = files
        .tools
        .iter()
        .map(|t| (t.path().and_then(canonical), t.name().clone()))
        .chain(std::iter::once((
            files.taxonomy.path.as_deref().and_then(canonical),
            files.taxonomy.name.clone(),
        )))
        .chain(
            files
                .frameworks
                .iter()
                .map(|f| (f.path.as_deref().and_then(canonical), f.name.clone())),
        )
        .collect();
    let mut names = BTreeSet::new();
    let mut extra = Vec::new();
    for path in wanted {
        let c = canonical(&path);
        match known.iter().find(|(k, _)| k.is_some() && *k == c) {
            Some((_, name)) => {
                names.insert(name.clone());
            }
            None => {
                let input = read_input(&path, files.settings.limits.max_file_bytes);
                names.insert(input.name.clone());
                extra.push(input);
            }
        }
    }
    files
        .tools
        .extend(extra.into_iter().map(|i| ToolFile::Read(Box::new(i))));
    Ok(Selection { names })
}

/// The folder that file paths in CI reports (`--format github`, `sarif`,
/// `gitlab`) are relative to: the nearest folder at or above `catalog`
/// holding `.git` (the repository root, as CI systems check it out), else
/// `cwd`. Both are made absolute and canonical where they exist.
pub fn report_root(catalog: &Path, cwd: &Path) -> PathBuf {
    let start = canonical_or_lexical(&cwd.join(catalog));
    start
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| canonical_or_lexical(cwd))
}

/// A file name as diagnostics carry it (relative to `cwd`, or absolute),
/// relative to `root` with `/` between its parts; `None` when the file
/// lies outside `root`.
pub fn relative_to_root(name: &str, cwd: &Path, root: &Path) -> Option<String> {
    let full = canonical_or_lexical(&cwd.join(name));
    let rest = full.strip_prefix(root).ok()?;
    let parts: Vec<String> = rest
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The canonical form of `path`, or (when it does not exist) the path with
/// `.` and `..` resolved lexically.
fn canonical_or_lexical(path: &Path) -> PathBuf {
    if let Ok(c) = std::fs::canonicalize(path) {
        return c;
    }
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Location, read_catalog};

    fn fixture() -> CatalogFiles {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalog");
        read_catalog(&Location::Dir(dir)).expect("fixture catalog")
    }

    #[test]
    fn a_file_of_the_catalog_is_picked_out_not_read_twice() {
        let mut files = fixture();
        let before = files.tools.len();
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/catalog/tools/alpha-guard.yaml");
        let selection = select(&mut files, &[path]).expect("selects");
        assert_eq!(files.tools.len(), before);
        assert_eq!(selection.len(), 1);
        let name = files
            .tools
            .iter()
            .map(|t| t.name().clone())
            .find(|n| n.ends_with("alpha-guard.yaml"))
            .expect("in the catalog");
        assert!(selection.contains(&name));
    }

    #[test]
    fn a_file_outside_the_catalog_is_read_as_a_submission() {
        let mut files = fixture();
        let before = files.tools.len();
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("new-tool.yaml");
        std::fs::write(&path, "id: new-tool\n").expect("write");
        let selection = select(&mut files, std::slice::from_ref(&path)).expect("selects");
        assert_eq!(files.tools.len(), before + 1);
        assert!(selection.contains(&path.display().to_string()));
        assert!(!selection.contains("tests/fixtures/catalog/tools/alpha-guard.yaml"));
    }

    #[test]
    fn a_framework_file_of_the_catalog_is_picked_out_not_read_as_an_entry() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/frameworks");
        let mut files = read_catalog(&Location::Dir(dir.clone())).expect("fixture catalog");
        let before = files.tools.len();
        let path = dir.join("frameworks/mitre-atlas.yaml");
        let selection = select(&mut files, &[path]).expect("selects");
        assert_eq!(files.tools.len(), before, "not added as a submission");
        let name = files
            .frameworks
            .iter()
            .map(|f| f.name.clone())
            .find(|n| n.ends_with("mitre-atlas.yaml"))
            .expect("a framework of the catalog");
        assert!(selection.contains(&name));
    }

    #[test]
    fn report_paths_are_relative_to_the_repository_root() {
        let dir = tempfile::tempdir().expect("temp dir");
        let repo = std::fs::canonicalize(dir.path()).expect("canonical");
        std::fs::create_dir_all(repo.join(".git")).expect(".git");
        std::fs::create_dir_all(repo.join("data/catalog/tools")).expect("catalog");
        std::fs::create_dir_all(repo.join("scripts")).expect("scripts");
        std::fs::write(repo.join("data/catalog/tools/x.yaml"), "id: x\n").expect("write");
        let cwd = repo.join("scripts");
        let root = report_root(Path::new("../data/catalog"), &cwd);
        assert_eq!(root, repo);
        assert_eq!(
            relative_to_root("../data/catalog/tools/x.yaml", &cwd, &root).as_deref(),
            Some("data/catalog/tools/x.yaml")
        );
        let outside = tempfile::tempdir().expect("temp dir");
        let elsewhere = outside.path().join("y.yaml");
        assert_eq!(
            relative_to_root(&elsewhere.display().to_string(), &cwd, &root),
            None
        );
        // Without a repository, the current folder is the root.
        let bare = tempfile::tempdir().expect("temp dir");
        let bare_root = report_root(Path::new("."), bare.path());
        assert_eq!(
            bare_root,
            std::fs::canonicalize(bare.path()).expect("canonical")
        );
    }

    #[test]
    fn a_missing_path_is_an_error() {
        let mut files = fixture();
        let missing = PathBuf::from("/nonexistent/alliance-catalog/x.yaml");
        assert!(select(&mut files, &[missing]).is_err());
    }
}
