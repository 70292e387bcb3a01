//! Which catalog a command uses: flag, environment, walking up, embedded.

use predicates::prelude::*;

use crate::{cmd, fixture};

fn listed_ids(out: &[u8]) -> Vec<String> {
    crate::ids_of(&serde_json::from_slice(out).expect("json"))
}

#[test]
fn embedded_catalog_is_used_anywhere_else() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = cmd()
        .current_dir(dir.path())
        .args(["list", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ids = listed_ids(&out.stdout);
    assert!(ids.len() >= 12, "{ids:?}");
    let on_disk = std::fs::read_dir(crate::root().join("catalog/tools"))
        .expect("tools")
        .count();
    assert_eq!(
        ids.len(),
        on_disk,
        "embedded catalog differs from catalog/tools"
    );
}

#[test]
fn list_from_the_filesystem_root_prints_the_table() {
    cmd()
        .current_dir("/")
        .arg("list")
        .assert()
        .success()
        .stdout(predicate::str::contains("garak"))
        .stdout(predicate::str::contains("│ ID"));
}

#[test]
fn walking_up_finds_catalog_folder_or_its_parent() {
    // From inside tests/fixtures/catalog/tools, the fixture catalog is found.
    let out = cmd()
        .current_dir(fixture("catalog/tools"))
        .args(["list", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(
        listed_ids(&out.stdout),
        ["alpha-guard", "beta-eval", "gamma-scan"]
    );
    // From a folder whose child is catalog/, that child is used.
    let dir = tempfile::tempdir().expect("tempdir");
    crate::copy_dir(&fixture("catalog"), &dir.path().join("catalog"));
    std::fs::create_dir_all(dir.path().join("deep/er")).expect("mkdir");
    let out = cmd()
        .current_dir(dir.path().join("deep/er"))
        .args(["list", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(listed_ids(&out.stdout).len(), 3);
}

#[test]
fn flag_beats_environment() {
    let out = cmd()
        .env("ALLIANCE_CATALOG", "/nonexistent")
        .arg("--catalog")
        .arg(fixture("catalog"))
        .args(["list", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(listed_ids(&out.stdout).len(), 3);
    let out = cmd()
        .env("ALLIANCE_CATALOG", fixture("catalog"))
        .current_dir("/")
        .args(["list", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(listed_ids(&out.stdout).len(), 3);
}

#[test]
fn a_folder_without_settings_cannot_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    cmd()
        .arg("--catalog")
        .arg(dir.path())
        .arg("validate")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no alliance-catalog.toml"));
}

#[test]
fn repository_root_is_accepted_for_its_catalog_folder() {
    let out = cmd()
        .arg("--catalog")
        .arg(crate::root())
        .args(["validate", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn embedded_schemas_equal_the_files() {
    for (name, text) in alliance_catalog::schema::SCHEMAS {
        let on_disk =
            std::fs::read_to_string(crate::root().join(format!("schemas/{name}.schema.json")))
                .expect("schema file");
        assert_eq!(
            *text, on_disk,
            "embedded {name} schema differs from schemas/{name}.schema.json"
        );
    }
}

#[test]
fn shipped_entries_start_with_the_editor_schema_line() {
    for entry in std::fs::read_dir(crate::root().join("catalog/tools")).expect("tools") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(
            text.starts_with("# yaml-language-server: $schema=../../schemas/tool.schema.json\n"),
            "{} lacks the editor schema line",
            path.display()
        );
    }
}

#[test]
fn an_empty_environment_variable_counts_as_unset() {
    cmd()
        .env("ALLIANCE_CATALOG", "")
        .arg("--catalog")
        .arg(fixture("catalog"))
        .arg("validate")
        .assert()
        .success();
    let out = cmd()
        .env("ALLIANCE_CATALOG", "")
        .current_dir(fixture("catalog/tools"))
        .args(["list", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(
        listed_ids(&out.stdout).len(),
        3,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
