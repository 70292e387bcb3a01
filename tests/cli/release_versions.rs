//! Release versions in the rules of the entry's package: a PyPI tool's
//! PEP 440 versions validate, print as written and order as PEP 440 says.

use crate::{catalog_cmd, fixture, scratch_catalog, success_json, validate_json};

/// The fixture catalog with the PyPI tool added.
fn catalog() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, catalog) = scratch_catalog();
    std::fs::copy(
        fixture("release-versions/pypi-tool.yaml"),
        catalog.join("tools/pypi-tool.yaml"),
    )
    .expect("copy");
    (dir, catalog)
}

#[test]
fn pep440_release_versions_validate_and_print_as_written() {
    let (_dir, catalog) = catalog();
    let file = catalog.join("tools/pypi-tool.yaml");
    let (code, found, summary) =
        validate_json(catalog_cmd(&catalog), &[file.to_str().expect("utf-8")]);
    assert_eq!((code, &found), (0, &Vec::new()), "{summary}");
    assert_eq!(
        (summary["errors"].as_u64(), summary["warnings"].as_u64()),
        (Some(0), Some(0))
    );

    let mut show = catalog_cmd(&catalog);
    show.args(["show", "pypi-tool", "--format", "json"]);
    let doc = success_json(show);
    let versions: Vec<&str> = doc["versions"]
        .as_array()
        .expect("versions")
        .iter()
        .map(|v| v["version"].as_str().expect("text"))
        .collect();
    assert_eq!(versions, ["1.0.0.post1", "0.10.3.1", "0.10.3"]);
    assert_eq!(doc["latest_version"], "1.0.0.post1");

    let mut list = catalog_cmd(&catalog);
    list.args(["list", "--format", "json"]);
    let doc = success_json(list);
    let row = doc
        .as_array()
        .expect("array")
        .iter()
        .find(|t| t["id"] == "pypi-tool")
        .expect("listed");
    assert_eq!(row["latest_version"], "1.0.0.post1");
}

#[test]
fn compat_chooses_the_newest_pep440_release_that_fits() {
    let (_dir, catalog) = catalog();
    let mut c = catalog_cmd(&catalog);
    c.args(["compat", "--with", "python=3.11.9", "--format", "json"]);
    let doc = success_json(c);
    let row = doc["tools"]
        .as_array()
        .expect("tools")
        .iter()
        .find(|t| t["id"] == "pypi-tool")
        .expect("pypi-tool");
    // 1.0.0.post1 needs Python >= 3.13; of 0.10.3.1 and 0.10.3, which both
    // fit, PEP 440 orders 0.10.3.1 newer.
    assert_eq!(row["status"], "compatible");
    assert_eq!(row["version"], "0.10.3.1");
    let mut c = catalog_cmd(&catalog);
    c.args(["compat", "--with", "python=3.13.1", "--format", "json"]);
    let doc = success_json(c);
    let row = doc["tools"]
        .as_array()
        .expect("tools")
        .iter()
        .find(|t| t["id"] == "pypi-tool")
        .expect("pypi-tool");
    assert_eq!(row["version"], "1.0.0.post1");
}
