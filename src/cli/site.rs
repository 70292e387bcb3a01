//! `alliance-catalog site`: write the catalog as a static web site, or
//! check that a folder holds the site the catalog would produce now.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use std::sync::Mutex;

use anyhow::{Context as _, Result, bail};

use alliance_catalog::diag::render::terminal_safe;
use alliance_catalog::load;
use alliance_catalog::site::{self, Built, MARKER};
use alliance_catalog::write::{ensure_inside, write_atomic, write_rebuilt};

use super::{EXIT_FINDINGS, EXIT_OK, GlobalArgs, write_stderr, write_stdout};

const EXAMPLES: &str = "\
Examples:
  alliance-catalog site --out public        # write the site to public/
  alliance-catalog site --check public      # in CI: exit 1 if public/ is not current

The site works from file:// and from any static host under any path; it loads
nothing from other origins. Its index filters with the names of `list`:
  index.html?risk=prompt-injection&language=de&status=provisional

--out replaces only a folder that is new, empty, or written by this command
(it holds .alliance-catalog-site, the list of the site's files); files the
catalog no longer produces are removed, nothing else is touched.";

/// Options of `site`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
#[command(group(clap::ArgGroup::new("target").required(true).multiple(false)))]
pub struct Args {
    #[command(flatten)]
    pub jobs: super::Jobs,
    /// Write the site into this folder.
    #[arg(long, value_name = "DIR", group = "target")]
    pub out: Option<PathBuf>,
    /// Write nothing; exit 1 when DIR is not the site the catalog would produce now.
    #[arg(long, value_name = "DIR", group = "target")]
    pub check: Option<PathBuf>,
}

/// Lines of differences `--check` lists before it is cut short.
const SHOWN_DIFFERENCES: usize = 20;

pub fn run(global: &GlobalArgs, args: &Args) -> Result<u8> {
    let checked = super::load_checked(global)?;
    let (taxonomy, entries) = match super::publishable(&checked)? {
        Ok(parts) => parts,
        Err(code) => return Ok(code),
    };
    match (&args.out, &args.check) {
        (_, Some(dir)) => {
            let shown = terminal_safe(&dir.display().to_string());
            if !dir.is_dir() {
                write_stderr(|w| {
                    writeln!(
                        w,
                        "error: {shown} is not a folder; run `alliance-catalog site --out {shown}`"
                    )
                })?;
                return Ok(EXIT_FINDINGS);
            }
            let compare = Compare {
                dir,
                differences: Mutex::new(Vec::new()),
            };
            let built = site::build(
                &checked.settings,
                taxonomy,
                &checked.frameworks,
                &entries,
                &compare,
            )?;
            let differences = compare.differences.into_inner().unwrap_or_default();
            report(global, &built, dir, differences)
        }
        (Some(dir), None) => {
            let folder = Folder::open(dir)?;
            let built = site::build(
                &checked.settings,
                taxonomy,
                &checked.frameworks,
                &entries,
                &folder,
            )?;
            let removed = folder.remove_stale(&built)?;
            if !global.quiet {
                let shown = terminal_safe(&dir.display().to_string());
                write_stderr(|w| {
                    write!(
                        w,
                        "wrote {shown} ({} files, {} tools)",
                        built.paths.len(),
                        built.tools
                    )?;
                    if removed > 0 {
                        write!(w, "; removed {removed} stale files")?;
                    }
                    writeln!(w)
                })?;
            }
            Ok(EXIT_OK)
        }
        (None, None) => bail!("give --out DIR or --check DIR"),
    }
}

/// The files under `dir`, by relative path with `/`: regular files as
/// `true`, anything else (a link, a device) as `false`.
fn present(dir: &Path) -> Result<BTreeMap<String, bool>> {
    let mut out = BTreeMap::new();
    for item in walkdir::WalkDir::new(dir).follow_links(false).min_depth(1) {
        let item = item.with_context(|| format!("cannot read {}", dir.display()))?;
        if item.file_type().is_dir() {
            continue;
        }
        let rel = item
            .path()
            .strip_prefix(dir)
            .context("a file outside the folder")?;
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        out.insert(parts.join("/"), item.file_type().is_file());
    }
    Ok(out)
}

/// `--check`: compares each file with the folder's, noting differences.
struct Compare<'a> {
    dir: &'a Path,
    differences: Mutex<Vec<String>>,
}

impl site::Output for Compare<'_> {
    fn put(&self, rel: &str, bytes: &[u8]) -> std::result::Result<(), String> {
        let path = self.dir.join(rel);
        let difference = match std::fs::symlink_metadata(&path) {
            Err(_) => Some(format!("missing: {rel}")),
            Ok(m) if !m.is_file() => Some(format!("not a regular file: {rel}")),
            // A file of another length differs; only one of the right
            // length is read, and never more than that length.
            Ok(m) if m.len() != bytes.len() as u64 => Some(format!("changed: {rel}")),
            Ok(_) => match load::read_file_bounded(&path, bytes.len() as u64) {
                Ok(found) if found == bytes => None,
                _ => Some(format!("changed: {rel}")),
            },
        };
        if let Some(d) = difference {
            self.differences
                .lock()
                .map_err(|_| "a checking thread failed".to_string())?
                .push(d);
        }
        Ok(())
    }
}

fn report(global: &GlobalArgs, built: &Built, dir: &Path, found: Vec<String>) -> Result<u8> {
    let shown = terminal_safe(&dir.display().to_string());
    let mut differences = found;
    differences.sort();
    let wanted: BTreeSet<&str> = built.paths.iter().map(String::as_str).collect();
    differences.extend(
        present(dir)?
            .into_keys()
            .filter(|p| !wanted.contains(p.as_str()))
            .map(|p| format!("not part of the site: {p}")),
    );
    if differences.is_empty() {
        if !global.quiet {
            write_stderr(|w| writeln!(w, "{shown} is up to date ({} files)", built.paths.len()))?;
        }
        return Ok(EXIT_OK);
    }
    write_stdout(|w| {
        for d in differences.iter().take(SHOWN_DIFFERENCES) {
            writeln!(w, "{}", terminal_safe(d))?;
        }
        if differences.len() > SHOWN_DIFFERENCES {
            writeln!(w, "... and {} more", differences.len() - SHOWN_DIFFERENCES)?;
        }
        Ok(())
    })?;
    write_stderr(|w| {
        writeln!(
            w,
            "error: {shown} is not current ({} difference{}); run `alliance-catalog site --out {shown}`",
            differences.len(),
            if differences.len() == 1 { "" } else { "s" }
        )
    })?;
    Ok(EXIT_FINDINGS)
}

/// `--out`: a folder that is new, empty, or a site written before.
struct Folder<'a> {
    dir: &'a Path,
    /// The files the previous site listed.
    old: BTreeSet<String>,
    /// Folders made (and checked to be inside `dir`) so far.
    made: Mutex<BTreeSet<PathBuf>>,
}

impl<'a> Folder<'a> {
    fn open(dir: &'a Path) -> Result<Folder<'a>> {
        let shown = terminal_safe(&dir.display().to_string());
        match std::fs::symlink_metadata(dir) {
            Ok(m) if m.file_type().is_symlink() => {
                bail!("{shown}: is a symbolic link; refusing to write through it")
            }
            Ok(m) if !m.is_dir() => bail!("{shown}: is not a folder"),
            Ok(_) => {}
            Err(_) => std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create the folder {shown}"))?,
        }
        let marker = dir.join(MARKER);
        let old = match std::fs::symlink_metadata(&marker) {
            Ok(m) if m.is_file() => {
                let bytes = load::read_file_bounded(&marker, 64 * 1024 * 1024)
                    .map_err(|p| anyhow::anyhow!("{}: {}", marker.display(), p.message))?;
                site::listed_paths(&String::from_utf8_lossy(&bytes))
                    .into_iter()
                    .collect()
            }
            Ok(_) => bail!("{shown}/{MARKER}: is not a regular file; refusing to write"),
            Err(_) => {
                let empty = std::fs::read_dir(dir)
                    .with_context(|| format!("cannot read {shown}"))?
                    .next()
                    .is_none();
                if !empty {
                    bail!(
                        "{shown}: the folder is not empty and holds no site written by alliance-catalog \
                         (no {MARKER}); give a new or empty folder"
                    );
                }
                BTreeSet::new()
            }
        };
        Ok(Folder {
            dir,
            old,
            made: Mutex::new(BTreeSet::new()),
        })
    }

    /// Removes the files the previous site listed and this one does not.
    fn remove_stale(&self, built: &Built) -> Result<usize> {
        let wanted: BTreeSet<&str> = built.paths.iter().map(String::as_str).collect();
        let mut removed = 0;
        for stale in self.old.iter().filter(|p| !wanted.contains(p.as_str())) {
            let path = self.dir.join(stale);
            if ensure_inside(self.dir, &path).is_ok()
                && std::fs::symlink_metadata(&path).is_ok_and(|m| !m.is_dir())
            {
                std::fs::remove_file(&path)
                    .with_context(|| format!("cannot remove {}", path.display()))?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

impl site::Output for Folder<'_> {
    fn put(&self, rel: &str, bytes: &[u8]) -> std::result::Result<(), String> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            let mut made = self
                .made
                .lock()
                .map_err(|_| "a writing thread failed".to_string())?;
            if made.insert(parent.to_path_buf()) {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
                ensure_inside(self.dir, &path).map_err(|e| e.to_string())?;
            }
        }
        // A page already as it should be is left alone; a new one is
        // written in place; one that changed is replaced atomically (not
        // synced one by one: the site is rebuilt output). The marker,
        // written last, is replaced atomically and synced.
        if rel == MARKER {
            write_atomic(&path, bytes).map_err(|e| e.to_string())
        } else {
            write_rebuilt(&path, bytes, !self.old.contains(rel))
                .map(|_| ())
                .map_err(|e| e.to_string())
        }
    }
}
