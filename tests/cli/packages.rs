//! Package identity (schema 1.1.0): entries written in 1.0.0 stay valid,
//! 1.1.0 entries may list packages, and the shipped taxonomy names a
//! package or a runtime for every platform.

use crate::{cmd, fixture, root};

fn validate_json(files: &[std::path::PathBuf]) -> (i32, serde_json::Value) {
    let out = cmd()
        .arg("--catalog")
        .arg(fixture("catalog"))
        .args(["validate", "--format", "json"])
        .args(files)
        .output()
        .expect("runs");
    let doc = serde_json::from_slice(&out.stdout).expect("json");
    (out.status.code().unwrap_or(-1), doc)
}

#[test]
fn entries_at_schema_1_0_0_stay_valid() {
    let entry = fixture("catalog/tools/alpha-guard.yaml");
    let text = std::fs::read_to_string(&entry).expect("fixture");
    assert!(
        text.contains("\nschema_version: 1.0.0\n"),
        "the fixture is a 1.0.0 entry"
    );
    assert!(!text.contains("packages"), "and has no packages");
    let (code, doc) = validate_json(&[entry]);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["summary"]["errors"], 0);
    assert_eq!(doc["summary"]["warnings"], 0);
}

#[test]
fn entries_at_schema_1_1_0_may_list_packages() {
    let entry = fixture("rules/invalid-package/pass/invalid-package.yaml");
    let text = std::fs::read_to_string(&entry).expect("fixture");
    assert!(text.contains("\nschema_version: 1.1.0\n") && text.contains("\npackages:\n"));
    let (code, doc) = validate_json(&[entry]);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["summary"]["errors"], 0);
}

#[test]
fn schema_1_2_0_is_still_refused() {
    let dir = tempfile::tempdir().expect("temp");
    let text = std::fs::read_to_string(fixture("catalog/tools/alpha-guard.yaml"))
        .expect("fixture")
        .replace("schema_version: 1.0.0", "schema_version: 1.2.0");
    let path = dir.path().join("alpha-guard.yaml");
    std::fs::write(&path, text).expect("write");
    let (code, doc) = validate_json(&[path]);
    assert_eq!(code, 1);
    let codes = crate::codes_of(&doc);
    assert_eq!(codes, ["unsupported-schema-version"]);
}

#[test]
fn every_shipped_platform_names_a_package_or_a_runtime() {
    let text = std::fs::read_to_string(root().join("catalog/taxonomy.yaml")).expect("taxonomy");
    let platforms = text.split("\nplatforms:\n").nth(1).expect("platforms");
    let items: Vec<&str> = platforms.split("\n  - id: ").skip(1).collect();
    assert!(items.len() >= 10);
    for item in items {
        assert!(
            item.contains("\n    package: pkg:") || item.contains("\n    runtime: "),
            "platform without package or runtime: {item}"
        );
    }
    assert!(text.contains("  - id: pytorch\n    title: PyTorch\n    description: The torch package.\n    package: pkg:pypi/torch\n"));
}

#[test]
fn a_wrong_platform_package_is_located_in_the_taxonomy() {
    let dir = tempfile::tempdir().expect("temp");
    let catalog = dir.path();
    std::fs::create_dir_all(catalog.join("tools")).expect("dir");
    std::fs::write(catalog.join("alliance-catalog.toml"), "name = \"t\"\n").expect("toml");
    let taxonomy = std::fs::read_to_string(root().join("catalog/taxonomy.yaml"))
        .expect("taxonomy")
        .replace("package: pkg:pypi/torch", "package: pkg:pypi/Torch@2.4.0");
    std::fs::write(catalog.join("taxonomy.yaml"), &taxonomy).expect("write");
    let out = cmd()
        .arg("--catalog")
        .arg(catalog)
        .args(["validate", "--format", "json"])
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let found: Vec<_> = doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == "invalid-package")
        .collect();
    assert_eq!(found.len(), 1, "{doc}");
    let line = taxonomy
        .lines()
        .position(|l| l.contains("pkg:pypi/Torch@2.4.0"))
        .expect("line")
        + 1;
    assert_eq!(found[0]["line"], line as u64, "{}", found[0]);
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("write `pkg:pypi/torch`"),
        "{}",
        found[0]
    );
}
