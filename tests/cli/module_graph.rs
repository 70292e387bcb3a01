//! The library's modules depend on each other one way only:
//!
//! ```text
//! source, text, suggest, write, edit  ←  diag  ←  model  ←  load  ←  schema, stack  ←  check  ←  report  ←  render  ←  site  ←  cli
//! ```
//!
//! Each module has a layer ([`LAYERS`]); a module may name (`use crate::x`,
//! `crate::x::f()`, `super::x` from the top of a module) only modules in
//! lower layers, so the graph has no cycle. The scan reads each file of
//! `src/` up to its first `#[cfg(test)]` (tests may build their inputs with
//! any part of the library) and skips comment lines. The binary (`src/cli`,
//! `src/main.rs`) sees the library only from outside, as `alliance_catalog`.
//!
//! Run `cargo test --test cli module_graph` after moving code between
//! modules; a failure names the file and line of each edge against the
//! order.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Each module of the library and its layer; lower layers come first.
const LAYERS: &[(&str, u8)] = &[
    ("source", 0),
    ("text", 0),
    ("suggest", 0),
    ("write", 0),
    ("edit", 0),
    ("purl", 0),
    ("diag", 1),
    ("version", 1),
    ("model", 2),
    ("load", 3),
    ("registry", 3),
    ("schema", 4),
    ("stack", 4),
    ("refresh", 4),
    ("check", 5),
    ("migrate", 5),
    ("report", 6),
    ("render", 7),
    ("site", 8),
];

/// Edges against the order that are known and tolerated for a while. Each
/// must still exist, so that the list shrinks as they are fixed; no other
/// edge may appear. Empty: the graph follows the order.
const PENDING: &[(&str, &str)] = &[];

/// One use of a module by another: (from, to, "file:line").
type Edge = (String, String, String);

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for item in std::fs::read_dir(dir).expect("read src") {
        let path = item.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The identifier at the start of `text`.
fn ident(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// The modules named after each `crate::` in `line`, and after enough
/// `super::` to reach the crate root (`depth` of them).
fn named_modules(line: &str, depth: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("crate::") {
        let after = &rest[i + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            out.extend(
                inner
                    .split(',')
                    .map(|p| ident(p.trim()).to_string())
                    .filter(|p| !p.is_empty()),
            );
        } else {
            out.push(ident(after).to_string());
        }
        rest = after;
    }
    let root = "super::".repeat(depth);
    let mut rest = line;
    while let Some(i) = rest.find(&root) {
        let after = &rest[i + root.len()..];
        if !after.starts_with("super::") {
            out.push(ident(after).to_string());
        }
        rest = after;
    }
    out
}

/// Every use of one library module by another.
fn edges() -> Vec<Edge> {
    let src = crate::root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let rel = path.strip_prefix(&src).expect("under src");
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let module = parts[0].trim_end_matches(".rs").to_string();
        if module == "lib" || module == "main" || module == "cli" {
            continue;
        }
        // How many `super::` reach the crate root: one per folder level,
        // a `mod.rs` counting as its folder.
        let depth =
            parts.len() - usize::from(parts.len() > 1 && parts[parts.len() - 1] == "mod.rs");
        let text = std::fs::read_to_string(&path).expect("read");
        let product = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (n, line) in product.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for to in named_modules(line, depth) {
                if to != module && to != "self" && to != "super" {
                    out.push((
                        module.clone(),
                        to,
                        format!("src/{}:{}", rel.display(), n + 1),
                    ));
                }
            }
        }
    }
    out
}

#[test]
fn every_module_has_a_layer() {
    let src = crate::root().join("src");
    for item in std::fs::read_dir(&src).expect("src") {
        let path = item.expect("entry").path();
        let name = path
            .file_stem()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if matches!(name.as_str(), "lib" | "main" | "cli") {
            continue;
        }
        assert!(
            layer(&name).is_some(),
            "src/{name} has no layer in tests/cli/module_graph.rs; place it in the order"
        );
    }
}

#[test]
fn modules_depend_only_on_lower_layers() {
    let edges = edges();
    assert!(
        edges.iter().any(|(f, t, _)| f == "render" && t == "report"),
        "the scan finds no use of report by render: it reads nothing"
    );
    let mut against: Vec<&Edge> = edges
        .iter()
        .filter(|(from, to, _)| match (layer(from), layer(to)) {
            (Some(f), Some(t)) => t >= f,
            // Not a module of the library (a macro path, a type at the root).
            _ => false,
        })
        .collect();
    let pending: BTreeSet<(String, String)> = against
        .iter()
        .map(|(f, t, _)| (f.clone(), t.clone()))
        .filter(|e| PENDING.iter().any(|(f, t)| e.0 == *f && e.1 == *t))
        .collect();
    against.retain(|(f, t, _)| !PENDING.iter().any(|(pf, pt)| f == pf && t == pt));
    assert!(
        against.is_empty(),
        "uses against the module order (a module may use only lower layers):\n{}",
        against
            .iter()
            .map(|(f, t, at)| format!("  {at}: {f} uses {t}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    for (f, t) in PENDING {
        assert!(
            pending.contains(&(f.to_string(), t.to_string())),
            "{f} no longer uses {t}: remove it from PENDING in tests/cli/module_graph.rs"
        );
    }
}

#[test]
fn the_scan_sees_every_form_of_path() {
    assert_eq!(named_modules("use crate::report::list;", 1), ["report"]);
    assert_eq!(
        named_modules("use crate::{diag::Code, model};", 1),
        ["diag", "model"]
    );
    assert_eq!(
        named_modules("let x = crate::schema::shown(id);", 2),
        ["schema"]
    );
    assert_eq!(named_modules("use super::super::load::yaml;", 2), ["load"]);
    assert!(named_modules("use super::markdown;", 2).is_empty());
}

/// The command files parse arguments, call the library, pick a renderer and
/// write: no table, markdown, escaping, colour or ad-hoc JSON of their own.
#[test]
fn commands_build_no_output_themselves() {
    let dir = crate::root().join("src/cli");
    let mut files = Vec::new();
    rust_files(&dir, &mut files);
    let banned = [
        "json!",
        "escape_cell",
        "markdown::table",
        "markdown::link",
        "table::render",
        "Table::",
        "Builder::default",
        "builder::Builder",
        "\\u{1b}",
        "\\x1b",
    ];
    let mut found = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("read");
        for (n, line) in text.lines().enumerate() {
            for b in banned {
                if line.contains(b) {
                    found.push(format!("{}:{}: {b}", path.display(), n + 1));
                }
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}
