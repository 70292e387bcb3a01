//! Every diagnostic code has a failing and a passing fixture under
//! `tests/fixtures/rules/<code>/{fail,pass}/`, and what the binary reports on
//! each is snapshot-tested (`tests/cli/snapshots/cli__rules__*.snap`; after a
//! deliberate change, `INSTA_UPDATE=always cargo test rules` rewrites them).
//!
//! A fixture folder holding `alliance-catalog.toml` is a whole catalog,
//! validated as such; otherwise its YAML files are validated as submissions
//! beside the fixture catalog.

use std::path::Path;

use crate::{cmd, fixture, root};

/// The diagnostics of `validate --format json` on one fixture folder, with
/// paths relative to the repository.
fn diagnostics_of(dir: &Path) -> (i32, serde_json::Value) {
    let mut c = cmd();
    // A catalog with recorded registry answers is verified against them,
    // served on a loopback port.
    let _server;
    let cache = tempfile::tempdir().expect("cache");
    if dir.join("registry").is_dir() {
        let server = crate::server::serve(dir.join("registry"));
        c.arg("--catalog")
            .arg(dir)
            .args(["verify", "--format", "json"]);
        c.arg("--cache").arg(cache.path());
        for reg in ["pypi", "npm", "crates"] {
            c.arg("--registry")
                .arg(format!("{reg}={}/{reg}", server.base));
        }
        _server = server;
    } else if dir.join("alliance-catalog.toml").exists() {
        c.arg("--catalog")
            .arg(dir)
            .args(["validate", "--format", "json"]);
    } else {
        c.arg("--catalog")
            .arg(fixture("catalog"))
            .args(["validate", "--format", "json"]);
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .expect("fixture folder")
            .map(|e| e.expect("entry").path())
            .collect();
        files.sort();
        c.args(files);
    }
    let out = c.output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let prefix = format!("{}/", root().display());
    let doc: serde_json::Value =
        serde_json::from_str(&text.replace(&prefix, "")).expect("json output");
    (out.status.code().unwrap_or(-1), doc)
}

#[test]
fn every_code_has_a_failing_and_a_passing_fixture() {
    let mut missing = Vec::new();
    for code in alliance_catalog::diag::Code::ALL {
        let name = code.name();
        let base = fixture("rules").join(name);
        for kind in ["fail", "pass"] {
            if !base.join(kind).is_dir() {
                missing.push(format!("{name}/{kind}"));
            }
        }
    }
    assert!(missing.is_empty(), "fixtures missing: {missing:?}");
    // And no fixture folder for a code that does not exist.
    for entry in std::fs::read_dir(fixture("rules")).expect("rules fixtures") {
        let name = entry.expect("entry").file_name();
        let name = name.to_string_lossy();
        assert!(
            alliance_catalog::diag::Code::from_name(&name).is_some(),
            "tests/fixtures/rules/{name} names no code"
        );
    }
}

#[test]
fn each_failing_fixture_reports_its_code_and_each_passing_one_is_clean() {
    let mut problems = Vec::new();
    for code in alliance_catalog::diag::Code::ALL {
        let name = code.name();
        let base = fixture("rules").join(name);
        let (fail_exit, fail) = diagnostics_of(&base.join("fail"));
        let codes = crate::codes_of(&fail);
        if !codes.contains(&name) {
            problems.push(format!("{name}/fail reports {codes:?}"));
        }
        let severity = code.default_severity().as_str();
        let expected_exit = if severity == "error" { 1 } else { 0 };
        if fail_exit != expected_exit {
            problems.push(format!("{name}/fail exits {fail_exit}"));
        }
        let (pass_exit, pass) = diagnostics_of(&base.join("pass"));
        let summary = &pass["summary"];
        if pass_exit != 0 || summary["errors"] != 0 || summary["warnings"] != 0 {
            problems.push(format!("{name}/pass is not clean: {pass}"));
        }
        insta::assert_json_snapshot!(format!("{name}-fail"), fail);
        insta::assert_json_snapshot!(format!("{name}-pass"), pass);
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
