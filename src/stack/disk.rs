//! The edge of stack reading that touches files: `-r` includes, standard
//! input, and installed virtual environments (`--venv DIR`), each within
//! bounds.
//!
//! An environment is read without running Python: the Python version from
//! `pyvenv.cfg`, and the `Name` and `Version` of each
//! `site-packages/*.dist-info/METADATA` (and `*.egg-info/PKG-INFO`). Only
//! files that resolve inside the environment's folder are read (a link out
//! of it is noted and not followed), only regular files, each at most
//! `max_bytes`, and at most [`MAX_PACKAGES`] of them.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Ecosystem, Format, Included, Includes, Origin, Package, Reading};
use crate::model::stack::StackError;

/// The most installed packages one environment may hold.
pub const MAX_PACKAGES: usize = 100_000;

/// A reader of `-r` includes from disk: the path is resolved against the
/// folder of the file that includes it (the current folder for standard
/// input), and read as any input file, at most `max_bytes`.
#[derive(Debug, Clone, Copy)]
pub struct DiskIncludes {
    /// The most bytes one file may hold.
    pub max_bytes: u64,
}

fn canonical_key(path: &Path) -> String {
    std::fs::canonicalize(path)
        .map_or_else(|_| path.display().to_string(), |p| p.display().to_string())
}

impl Includes for DiskIncludes {
    fn key(&mut self, file: &str) -> String {
        canonical_key(Path::new(file))
    }

    fn read(&mut self, from: &str, path: &str) -> Result<Included, String> {
        let base = if from == "-" {
            PathBuf::from(".")
        } else {
            Path::new(from)
                .parent()
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
        };
        let target = base.join(path);
        let input = crate::load::read_input(&target, self.max_bytes);
        let text = input.text.map_err(|p| p.message)?;
        let key = canonical_key(&target);
        Ok(Included {
            name: Arc::from(target.display().to_string()),
            key,
            text,
        })
    }
}

/// Reads all of `input` as UTF-8 text, refusing more than `max_bytes`.
pub fn read_bounded(mut input: impl Read, max_bytes: u64) -> Result<String, StackError> {
    let err = |message: String| StackError {
        origin: "-".into(),
        message,
    };
    let mut bytes = Vec::new();
    input
        .by_ref()
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| err(format!("cannot read standard input: {e}")))?;
    if bytes.len() as u64 > max_bytes {
        return Err(err(format!(
            "standard input holds more than {max_bytes} bytes; it was not read"
        )));
    }
    crate::load::decode(bytes)
        .map(|(text, _)| text)
        .map_err(|p| err(p.message))
}

fn read_text(path: &Path, max_bytes: u64) -> Result<String, String> {
    let bytes = crate::load::read_file_bounded(path, max_bytes).map_err(|p| p.message)?;
    crate::load::decode(bytes)
        .map(|(text, _)| text)
        .map_err(|p| p.message)
}

/// `key = value` lines of `pyvenv.cfg`: the Python version (`version_info`,
/// written by uv and Python 3.11+, else `version`) and the implementation.
pub fn pyvenv_cfg(reading: &mut Reading, file: &Arc<str>, text: &str) -> Result<(), StackError> {
    let mut version = None;
    let mut implementation = None;
    for (n, line) in crate::source::split_lines(text).enumerate() {
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let origin = Origin {
            file: file.clone(),
            line: n + 1,
            column: line
                .find(value.trim())
                .map_or(1, |i| line[..i].chars().count() + 1),
        };
        match key.trim() {
            "version_info" => version = Some((value.trim().to_string(), origin)),
            "version" if version.is_none() => version = Some((value.trim().to_string(), origin)),
            "implementation" => implementation = Some(value.trim().to_ascii_lowercase()),
            _ => {}
        }
    }
    let Some((version, origin)) = version else {
        return Err(StackError {
            origin: format!("{file}:1:1"),
            message: "pyvenv.cfg names no Python version (`version_info` or `version`)".into(),
        });
    };
    if let Some(i) = &implementation {
        reading
            .environment
            .insert("implementation_name".into(), i.clone());
    }
    match implementation.as_deref() {
        None | Some("cpython") => reading.python(&version, origin),
        Some(_) => {
            reading
                .environment
                .insert("python_full_version".into(), version.clone());
        }
    }
    Ok(())
}

/// The `Name` and `Version` headers of core metadata (`METADATA`,
/// `PKG-INFO`): (name, version, line of the version).
pub fn metadata(file: &Arc<str>, text: &str) -> Result<(String, String, usize), StackError> {
    let mut name = None;
    let mut version = None;
    for (n, line) in crate::source::split_lines(text).enumerate() {
        if line.is_empty() {
            break; // the headers end; the description follows
        }
        if let Some(v) = line.strip_prefix("Name:") {
            name = Some(v.trim().to_string());
        } else if let Some(v) = line.strip_prefix("Version:") {
            version = Some((v.trim().to_string(), n + 1));
        }
    }
    match (name, version) {
        (Some(name), Some((version, line))) if !name.is_empty() && !version.is_empty() => {
            Ok((name, version, line))
        }
        _ => Err(StackError {
            origin: format!("{file}:1:1"),
            message: "core metadata without a `Name:` and a `Version:` header".into(),
        }),
    }
}

/// The `site-packages` folders of the environment at `root` (canonical).
fn site_packages(root: &Path) -> Vec<PathBuf> {
    let mut out = vec![root.join("Lib").join("site-packages")];
    for lib in ["lib", "lib64"] {
        if let Ok(items) = std::fs::read_dir(root.join(lib)) {
            let mut found: Vec<PathBuf> = items
                .filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().starts_with("python"))
                .map(|e| e.path().join("site-packages"))
                .collect();
            found.sort();
            out.extend(found);
        }
    }
    out
}

/// Reads the installed environment at `dir`.
pub fn venv(dir: &Path, max_bytes: u64) -> Result<Reading, StackError> {
    let shown = dir.display().to_string();
    let file: Arc<str> = Arc::from(shown.as_str());
    let err = |origin: &str, message: String| StackError {
        origin: origin.to_string(),
        message,
    };
    let root = std::fs::canonicalize(dir)
        .map_err(|e| err(&shown, format!("cannot read the environment: {e}")))?;
    if !root.is_dir() {
        return Err(err(
            &shown,
            "not a folder; --venv takes the folder of a virtual environment".into(),
        ));
    }
    let mut reading = Reading::new(&file, Format::Venv);
    let cfg = dir.join("pyvenv.cfg");
    let cfg_name: Arc<str> = Arc::from(cfg.display().to_string());
    if std::fs::symlink_metadata(&cfg).is_err() {
        return Err(err(
            &shown,
            "no pyvenv.cfg here, so not a virtual environment (for a conda environment, read `conda list --export` with --from)".into(),
        ));
    }
    let cfg_text = inside(&root, &cfg)
        .ok_or_else(|| err(&cfg_name, "leads outside the environment; not read".into()))
        .and_then(|p| read_text(&p, max_bytes).map_err(|m| err(&cfg_name, m)))?;
    pyvenv_cfg(&mut reading, &cfg_name, &cfg_text)?;

    let mut seen = std::collections::BTreeSet::new();
    let mut files = Vec::new();
    for site in site_packages(&root) {
        let Some(site) = inside(&root, &site) else {
            if site.exists() {
                reading.notes.push(
                    Origin {
                        file: Arc::from(site.display().to_string()),
                        line: 1,
                        column: 1,
                    }
                    .note("leads outside the environment; not read"),
                );
            }
            continue;
        };
        if !seen.insert(site.clone()) {
            continue; // lib64 is often a link to lib
        }
        let Ok(items) = std::fs::read_dir(&site) else {
            continue;
        };
        for item in items.filter_map(Result::ok) {
            let name = item.file_name().to_string_lossy().into_owned();
            let metadata = if name.ends_with(".dist-info") {
                item.path().join("METADATA")
            } else if name.ends_with(".egg-info") {
                let p = item.path();
                if p.is_dir() { p.join("PKG-INFO") } else { p }
            } else {
                continue;
            };
            files.push(metadata);
            if files.len() > MAX_PACKAGES {
                return Err(err(
                    &shown,
                    format!("more than {MAX_PACKAGES} installed packages; not read"),
                ));
            }
        }
    }
    files.sort();
    let base = dir.to_path_buf();
    for path in files {
        // Name files as reached from the folder given, not the canonical path.
        let shown_path = path
            .strip_prefix(&root)
            .map_or_else(|_| path.clone(), |rel| base.join(rel));
        let name: Arc<str> = Arc::from(shown_path.display().to_string());
        let Some(real) = inside(&root, &path) else {
            reading.notes.push(
                Origin {
                    file: name,
                    line: 1,
                    column: 1,
                }
                .note("leads outside the environment; not read"),
            );
            continue;
        };
        let text = read_text(&real, max_bytes).map_err(|m| err(&name, m))?;
        let (package, version, line) = metadata(&name, &text)?;
        reading.packages.push(Package {
            ecosystem: Ecosystem::Pypi,
            name: package,
            version,
            origin: Origin {
                file: name,
                line,
                column: 10,
            },
            marker: None,
        });
    }
    Ok(reading)
}

/// `path` resolved, if it exists and lies inside `root`.
fn inside(root: &Path, path: &Path) -> Option<PathBuf> {
    let real = std::fs::canonicalize(path).ok()?;
    real.starts_with(root).then_some(real)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pyvenv_cfg_of_venv_and_of_uv() {
        let f: Arc<str> = Arc::from("pyvenv.cfg");
        let mut r = Reading::new(&f, Format::Venv);
        pyvenv_cfg(
            &mut r,
            &f,
            "home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.7\n",
        )
        .expect("reads");
        assert_eq!(r.packages[0].version, "3.11.7");
        assert_eq!(r.packages[0].origin.to_string(), "pyvenv.cfg:3:11");
        assert_eq!(r.environment["python_version"], "3.11");
        let mut r = Reading::new(&f, Format::Venv);
        pyvenv_cfg(
            &mut r,
            &f,
            "home = /x\nimplementation = CPython\nuv = 0.13.9\nversion_info = 3.12.7\n",
        )
        .expect("reads");
        assert_eq!(r.packages[0].version, "3.12.7");
        assert_eq!(r.environment["implementation_name"], "cpython");
        assert!(pyvenv_cfg(&mut r, &f, "home = /x\n").is_err());
    }

    #[test]
    fn metadata_headers_end_at_the_first_blank_line() {
        let f: Arc<str> = Arc::from("METADATA");
        let got = metadata(
            &f,
            "Metadata-Version: 2.1\nName: zope.interface\nVersion: 7.2\n\nVersion: 9\n",
        )
        .expect("reads");
        assert_eq!(got, ("zope.interface".into(), "7.2".into(), 3));
        assert!(metadata(&f, "Metadata-Version: 2.1\n\nName: x\nVersion: 1\n").is_err());
    }

    #[test]
    fn standard_input_is_read_within_its_bound() {
        assert_eq!(
            read_bounded(&b"numpy==1\n"[..], 100).expect("reads"),
            "numpy==1\n"
        );
        let e = read_bounded(std::io::repeat(b'a'), 1000).expect_err("bounded");
        assert!(e.message.contains("more than 1000 bytes"));
    }
}
