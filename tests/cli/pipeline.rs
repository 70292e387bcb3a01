//! One pipeline: severities decided once, by the final policy, for every
//! command; every problem of a file reported in one run.

use crate::{
    catalog_cmd, fixture, fixture_cmd, ids_of, scratch_catalog, success_json, validate_json,
};

/// A scratch copy of the fixture catalog with `setting` added to its
/// settings and `bad/NAME.yaml` added to its tools.
fn catalog_with(setting: &str, name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, catalog) = scratch_catalog();
    let settings = catalog.join("alliance-catalog.toml");
    let old = std::fs::read_to_string(&settings).expect("read settings");
    std::fs::write(&settings, format!("{old}\n{setting}\n")).expect("write settings");
    std::fs::copy(
        fixture(&format!("bad/{name}.yaml")),
        catalog.join(format!("tools/{name}.yaml")),
    )
    .expect("copy");
    (dir, catalog)
}

/// Regression: an error made a warning by `[severity]` left the entry out of
/// `list`, `index` and `export` (and `show` said it had errors) although
/// `validate` passed.
#[test]
fn severity_downgraded_to_warning_keeps_the_entry_in_every_command() {
    let (_dir, catalog) = catalog_with("[severity]\nunknown-risk = \"warning\"", "unknown-risk");

    let (code, found, summary) = validate_json(catalog_cmd(&catalog), &[]);
    assert_eq!(code, 0, "{found:#?}");
    assert_eq!(
        (summary["errors"].as_u64(), summary["warnings"].as_u64()),
        (Some(0), Some(1))
    );

    let mut list = catalog_cmd(&catalog);
    list.args(["list", "--format", "json"]);
    let ids = ids_of(&success_json(list));
    assert!(ids.contains(&"unknown-risk".to_string()), "{ids:?}");
    assert_eq!(ids.len(), 4);

    let mut export = catalog_cmd(&catalog);
    export.args(["export"]);
    let doc = success_json(export);
    let exported = ids_of(&doc["tools"]);
    assert!(
        exported.contains(&"unknown-risk".to_string()),
        "{exported:?}"
    );

    let index = catalog.join("INDEX.md");
    let out = catalog_cmd(&catalog)
        .args(["index", "--out"])
        .arg(&index)
        .output()
        .expect("index runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&index).expect("index written");
    assert!(
        text.contains("**4 tools**"),
        "the index counts the entry:\n{text}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("(4 tools)"));

    let out = catalog_cmd(&catalog)
        .args(["show", "unknown-risk"])
        .output()
        .expect("show runs");
    assert_eq!(out.status.code(), Some(0));
    let shown =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(!shown.contains("error"), "{shown}");
}

/// Regression: a warning made an error by `[severity]` was counted by
/// `validate` but `list` said "0 entries with errors were left out" and
/// listed the entry.
#[test]
fn severity_raised_to_error_leaves_the_entry_out_and_says_so() {
    let (_dir, catalog) = catalog_with("[severity]\nreview-overdue = \"error\"", "review-overdue");

    let (code, found, summary) = validate_json(catalog_cmd(&catalog), &[]);
    assert_eq!(code, 1);
    assert_eq!(summary["errors"].as_u64(), Some(1), "{found:#?}");
    assert_eq!(found[0].severity, "error");

    let out = catalog_cmd(&catalog)
        .args(["list", "--format", "json"])
        .output()
        .expect("list runs");
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let ids = ids_of(&doc);
    assert!(!ids.contains(&"review-overdue".to_string()), "{ids:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("1 entry with errors was left out"),
        "{stderr}"
    );

    let out = catalog_cmd(&catalog)
        .args(["index", "--check"])
        .output()
        .expect("index runs");
    assert_eq!(
        out.status.code(),
        Some(1),
        "index refuses a catalog with errors"
    );

    let out = catalog_cmd(&catalog)
        .args(["show", "review-overdue"])
        .output()
        .expect("show runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error"), "{stderr}");
}

/// A contributor's six mistakes in one new entry are all reported by one
/// run: a category typo, an unquoted version, a licence name, a future
/// date, an unknown key and a leftover placeholder.
#[test]
fn six_mistakes_in_one_entry_are_reported_in_one_run() {
    let path = fixture("pipeline/six-mistakes.yaml");
    let (code, found, summary) = validate_json(fixture_cmd(), &[path.to_str().expect("utf-8")]);
    assert_eq!(code, 1);
    let mut codes: Vec<&str> = found.iter().map(|f| f.code.as_str()).collect();
    codes.sort_unstable();
    assert_eq!(
        codes,
        [
            "future-date",
            "invalid-license",
            "placeholder",
            "schema",
            "unknown-category",
            "unknown-key",
        ],
        "{found:#?}"
    );
    let at = |code: &str| {
        let f = found.iter().find(|f| f.code == code).expect("present");
        (f.line, f.column)
    };
    assert_eq!(at("unknown-category"), (10, 14));
    assert_eq!(at("schema"), (15, 14));
    assert_eq!(at("invalid-license"), (7, 10));
    assert_eq!(at("future-date"), (18, 15));
    assert_eq!(at("unknown-key"), (25, 1));
    assert_eq!(at("placeholder"), (24, 7));
    // The version rules did not see the refused `2.10`: the run says so.
    assert!(summary["skipped"].as_u64().unwrap_or(0) >= 1, "{summary}");

    let out = fixture_cmd()
        .arg("validate")
        .arg(&path)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("skipped until the errors above are fixed"),
        "{stderr}"
    );
}

/// `new` refuses a Windows device name as an id, as `validate` does.
#[test]
fn new_refuses_windows_device_names() {
    let (_dir, catalog) = scratch_catalog();
    for id in ["con", "nul", "com1", "lpt9"] {
        let out = catalog_cmd(&catalog)
            .args(["new", id])
            .output()
            .expect("new runs");
        assert_eq!(out.status.code(), Some(2), "{id}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("device name on Windows"), "{stderr}");
        assert!(!catalog.join(format!("tools/{id}.yaml")).exists());
    }
}

/// 90,000 unknown keys in one file: every one is counted, the first 200 by
/// position are shown, and the rest are summed up in one line.
#[test]
fn findings_past_the_per_file_cap_are_counted_and_summed_up() {
    let dir = tempfile::tempdir().expect("tempdir");
    let alpha = std::fs::read_to_string(fixture("catalog/tools/alpha-guard.yaml")).expect("read");
    let mut text = alpha.replace("id: alpha-guard", "id: many-keys");
    let first_extra = text.lines().count() + 1;
    for i in 0..90_000 {
        text.push_str(&format!("x{i:05}: 1\n"));
    }
    let path = dir.path().join("many-keys.yaml");
    std::fs::write(&path, text).expect("write");
    let (code, found, summary) = validate_json(fixture_cmd(), &[path.to_str().expect("utf-8")]);
    assert_eq!(code, 1);
    assert_eq!(summary["errors"].as_u64(), Some(90_000));
    assert_eq!(found.len(), 200);
    assert!(found.iter().all(|f| f.code == "unknown-key"));
    assert_eq!((found[0].line, found[0].column), (first_extra as u64, 1));
    assert_eq!(found[199].line, first_extra as u64 + 199);

    let out = fixture_cmd()
        .arg("validate")
        .arg(&path)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("and 89800 more in this file (89800 errors, 0 warnings) not shown"),
        "{}",
        &stderr[stderr.len().saturating_sub(400)..]
    );
    assert!(stderr.ends_with("checked 1 file: 90000 errors, 0 warnings\n"));
}
