//! Integration tests: the real binary on real files.

mod bad_input;
mod cmd;
mod compat;
mod completions;
mod discovery;
mod docs;
mod frameworks;
mod hostile;
mod hostile_io;
mod list_show;
mod migrate;
mod module_graph;
mod output_schemas;
mod packages;
mod pipeline;
mod publish;
mod refresh;
mod refresh_props;
mod release_versions;
mod rules;
mod server;
mod site;
mod site_browser;
mod stacks;
mod validate;
mod verify;
mod verify_faults;
mod workflow;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A path under `tests/fixtures`.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// The binary, with a fixed "today", no colour, no inherited catalog, run
/// from the repository root.
pub fn cmd() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_alliance-catalog"));
    c.current_dir(root())
        .env("ALLIANCE_CATALOG_TODAY", "2026-12-02")
        .env_remove("ALLIANCE_CATALOG")
        .env_remove("CLICOLOR_FORCE")
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS");
    c
}

/// The binary pointed at the fixture catalog.
pub fn fixture_cmd() -> Command {
    let mut c = cmd();
    c.arg("--catalog").arg(fixture("catalog"));
    c
}

/// Runs `c`, asserts that it succeeded, and parses its stdout as JSON.
pub fn success_json(mut c: Command) -> serde_json::Value {
    let out = c.output().expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

/// The `id` of each item of a JSON array of tools.
pub fn ids_of(doc: &serde_json::Value) -> Vec<String> {
    doc.as_array()
        .expect("array")
        .iter()
        .map(|t| t["id"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The codes of the diagnostics of a `validate` or `verify` JSON document.
pub fn codes_of(doc: &serde_json::Value) -> Vec<&str> {
    doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect()
}

/// One diagnostic of `validate --format json`, reduced to what tests compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The diagnostic code, e.g. `unknown-category`.
    pub code: String,
    /// The file, as the command printed it.
    pub file: String,
    /// 1-based line.
    pub line: u64,
    /// 1-based column.
    pub column: u64,
    /// `error` or `warning`.
    pub severity: String,
    /// The message.
    pub message: String,
}

/// Runs `validate --format json` with extra arguments and returns the exit
/// code, the parsed diagnostics and the summary.
pub fn validate_json(mut c: Command, args: &[&str]) -> (i32, Vec<Found>, serde_json::Value) {
    let out = c
        .arg("validate")
        .arg("--format")
        .arg("json")
        .args(args)
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let found = doc["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .map(|d| Found {
            code: d["code"].as_str().unwrap_or_default().to_string(),
            file: d["file"].as_str().unwrap_or_default().to_string(),
            line: d["line"].as_u64().unwrap_or_default(),
            column: d["column"].as_u64().unwrap_or_default(),
            severity: d["severity"].as_str().unwrap_or_default().to_string(),
            message: d["message"].as_str().unwrap_or_default().to_string(),
        })
        .collect();
    (
        out.status.code().unwrap_or(-1),
        found,
        doc["summary"].clone(),
    )
}

/// A writable copy of the fixture catalog: the guard that deletes it, and
/// the catalog folder.
pub fn scratch_catalog() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = dir.path().join("catalog");
    copy_dir(&fixture("catalog"), &catalog);
    (dir, catalog)
}

/// The binary pointed at `catalog`.
pub fn catalog_cmd(catalog: &Path) -> Command {
    let mut c = cmd();
    c.arg("--catalog").arg(catalog);
    c
}

/// Copies a folder recursively (for tests that change a catalog).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        let kind = entry.file_type().expect("type");
        if kind.is_dir() {
            copy_dir(&entry.path(), &target);
        } else if kind.is_symlink() {
            // Links stay links (some fixtures are dangling or lead out on purpose).
            let link = std::fs::read_link(entry.path()).expect("read link");
            #[cfg(unix)]
            std::os::unix::fs::symlink(link, &target).expect("symlink");
            #[cfg(not(unix))]
            let _ = link;
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}
