//! TOML lock files: `uv.lock`, `pylock.toml` (PEP 751) and `poetry.lock`.
//!
//! A universal lock may hold several versions of one package, one per
//! marker; each is listed with its marker, and [`resolve`](super::resolve)
//! refuses to choose between them.

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::{Ecosystem, Format, Origin, Package, Reading};
use crate::model::stack::StackError;

/// Which lock `table` is, if it is one.
pub fn detect(table: &toml::Table) -> Option<Format> {
    if table.contains_key("lock-version") && table.contains_key("packages") {
        return Some(Format::Pylock);
    }
    if !table.contains_key("package") {
        return None;
    }
    let poetry = table
        .get("metadata")
        .and_then(|m| m.as_table())
        .is_some_and(|m| m.contains_key("content-hash") || m.contains_key("lock-version"));
    if poetry {
        Some(Format::PoetryLock)
    } else if table.get("version").is_some_and(|v| v.is_integer()) {
        Some(Format::UvLock)
    } else {
        None
    }
}

/// Byte offsets to lines and columns, in one pass over the text.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Lines<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    fn origin(&self, file: &Arc<str>, offset: usize) -> Origin {
        let line = self.starts.partition_point(|s| *s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        Origin {
            file: file.clone(),
            line,
            column,
        }
    }
}

/// A lock that does not read, at its place, with the command that writes
/// it again: lock files are written by tools, not by hand.
fn toml_error(file: &Arc<str>, text: &str, e: &toml::de::Error, what: &str) -> StackError {
    let at = Lines::new(text).origin(file, e.span().map_or(0, |s| s.start));
    let again = match what {
        "uv.lock" => "`uv lock`",
        "pylock.toml" => "`uv export --format pylock.toml` or the tool that wrote it",
        _ => "`poetry lock`",
    };
    at.error(format!(
        "not a {what}: {}; write it again with {again}",
        e.message().trim()
    ))
}

#[derive(Deserialize)]
struct UvLock {
    version: Spanned<i64>,
    #[serde(default)]
    package: Vec<UvPackage>,
}

#[derive(Deserialize)]
struct UvPackage {
    name: Spanned<String>,
    version: Option<Spanned<String>>,
    #[serde(default, rename = "resolution-markers")]
    resolution_markers: Vec<String>,
}

/// `uv.lock` (version 1): `[[package]] name, version`, with the package's
/// `resolution-markers` as its marker.
pub fn uv_lock(reading: &mut Reading, text: &str) -> Result<(), StackError> {
    let file = reading.file.clone();
    let lines = Lines::new(text);
    let lock: UvLock = toml::from_str(text).map_err(|e| toml_error(&file, text, &e, "uv.lock"))?;
    if *lock.version.get_ref() != 1 {
        return Err(lines
            .origin(&file, lock.version.span().start)
            .error(format!(
                "uv.lock version {} is not known; this reads version 1",
                lock.version.get_ref()
            )));
    }
    for p in lock.package {
        let marker = (!p.resolution_markers.is_empty()).then(|| {
            p.resolution_markers
                .iter()
                .map(|m| format!("({m})"))
                .collect::<Vec<_>>()
                .join(" or ")
        });
        push(reading, &lines, p.name, p.version, marker);
    }
    Ok(())
}

fn push(
    reading: &mut Reading,
    lines: &Lines<'_>,
    name: Spanned<String>,
    version: Option<Spanned<String>>,
    marker: Option<String>,
) {
    let file = reading.file.clone();
    match version {
        Some(v) => reading.packages.push(Package {
            ecosystem: Ecosystem::Pypi,
            name: name.get_ref().clone(),
            origin: lines.origin(&file, v.span().start),
            version: v.into_inner(),
            marker,
        }),
        None => reading
            .notes
            .push(lines.origin(&file, name.span().start).note(format!(
                "`{}` has no version in the lock (a project with a dynamic version); not used",
                crate::text::shown(name.get_ref())
            ))),
    }
}

#[derive(Deserialize)]
struct Pylock {
    #[serde(rename = "lock-version")]
    lock_version: Spanned<String>,
    #[serde(default)]
    packages: Vec<PylockPackage>,
}

#[derive(Deserialize)]
struct PylockPackage {
    name: Spanned<String>,
    version: Option<Spanned<String>>,
    marker: Option<String>,
}

/// `pylock.toml` (PEP 751, lock version 1.x): `[[packages]] name, version, marker`.
pub fn pylock(reading: &mut Reading, text: &str) -> Result<(), StackError> {
    let file = reading.file.clone();
    let lines = Lines::new(text);
    let lock: Pylock =
        toml::from_str(text).map_err(|e| toml_error(&file, text, &e, "pylock.toml"))?;
    if !lock.lock_version.get_ref().starts_with("1.") {
        return Err(lines
            .origin(&file, lock.lock_version.span().start)
            .error(format!(
                "pylock.toml lock-version {} is not known; this reads 1.x (PEP 751)",
                lock.lock_version.get_ref()
            )));
    }
    for p in lock.packages {
        push(reading, &lines, p.name, p.version, p.marker);
    }
    Ok(())
}

#[derive(Deserialize)]
struct PoetryLock {
    #[serde(default)]
    package: Vec<PoetryPackage>,
}

#[derive(Deserialize)]
struct PoetryPackage {
    name: Spanned<String>,
    version: Option<Spanned<String>>,
    markers: Option<toml::Value>,
}

/// `poetry.lock`: `[[package]] name, version` (and `markers` where given).
pub fn poetry_lock(reading: &mut Reading, text: &str) -> Result<(), StackError> {
    let file = reading.file.clone();
    let lines = Lines::new(text);
    let lock: PoetryLock =
        toml::from_str(text).map_err(|e| toml_error(&file, text, &e, "poetry.lock"))?;
    for p in lock.package {
        let marker = match p.markers {
            Some(toml::Value::String(s)) => Some(s),
            _ => None,
        };
        push(reading, &lines, p.name, p.version, marker);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(format: Format) -> Reading {
        Reading::new(&Arc::from("x.lock"), format)
    }

    #[test]
    fn uv_lock_keeps_each_version_with_its_marker() {
        let mut r = reading(Format::UvLock);
        uv_lock(
            &mut r,
            "version = 1\nrevision = 3\n\n[[package]]\nname = \"numpy\"\nversion = \"2.2.6\"\nresolution-markers = [\n    \"python_full_version < '3.11'\",\n]\n\n[[package]]\nname = \"numpy\"\nversion = \"2.4.6\"\n\n[[package]]\nname = \"app\"\nsource = { virtual = \".\" }\n",
        )
        .expect("reads");
        assert_eq!(r.packages.len(), 2);
        assert_eq!(r.packages[0].origin.to_string(), "x.lock:6:11");
        assert_eq!(
            r.packages[0].marker.as_deref(),
            Some("(python_full_version < '3.11')")
        );
        assert_eq!(r.notes.len(), 1);
        assert_eq!(r.notes[0].origin.line, 16);
        let e = uv_lock(&mut r, "version = 2\n").expect_err("v2");
        assert_eq!(e.origin, "x.lock:1:11");
        let e = uv_lock(&mut r, "version = 1\n[[package]]\nname = 3\n").expect_err("bad");
        assert_eq!(e.origin, "x.lock:3:8");
    }

    #[test]
    fn pylock_and_poetry_lock_list_their_packages() {
        let mut r = reading(Format::Pylock);
        pylock(
            &mut r,
            "lock-version = \"1.0\"\n[[packages]]\nname = \"colorama\"\nversion = \"0.4.6\"\nmarker = \"sys_platform == 'win32'\"\n",
        )
        .expect("reads");
        assert_eq!(
            r.packages[0].marker.as_deref(),
            Some("sys_platform == 'win32'")
        );
        let e = pylock(&mut r, "lock-version = \"2.0\"\npackages = []\n").expect_err("v2");
        assert!(e.message.contains("PEP 751"));
        let mut r = reading(Format::PoetryLock);
        poetry_lock(
            &mut r,
            "[[package]]\nname = \"numpy\"\nversion = \"2.4.6\"\n[metadata]\nlock-version = \"2.1\"\n",
        )
        .expect("reads");
        assert_eq!(r.packages[0].origin.short(), "x.lock:3");
    }
}
