//! `list` and `show` on the fixture catalog.

use predicates::prelude::*;

use crate::fixture_cmd;

fn ids(args: &[&str]) -> Vec<String> {
    let mut c = fixture_cmd();
    c.arg("list").args(args).args(["--format", "json"]);
    crate::ids_of(&crate::success_json(c))
}

#[test]
fn filters_select_and_combine() {
    assert_eq!(ids(&[]), ["alpha-guard", "beta-eval", "gamma-scan"]);
    assert_eq!(ids(&["--risk", "jailbreak"]), ["alpha-guard", "gamma-scan"]);
    assert_eq!(
        ids(&["--risk", "jailbreak", "--language", "ja"]),
        ["alpha-guard"]
    );
    assert_eq!(
        ids(&["--category", "guardrail,evaluation"]),
        ["alpha-guard", "beta-eval"]
    );
    assert_eq!(
        ids(&["--category", "guardrail", "--category", "red-teaming"]),
        ["alpha-guard", "gamma-scan"]
    );
    assert_eq!(ids(&["--status", "deprecated"]), ["gamma-scan"]);
    assert_eq!(
        ids(&["--license", "apache-2.0"]),
        ["alpha-guard", "gamma-scan"]
    );
    assert_eq!(ids(&["--interface", "cli"]), ["beta-eval", "gamma-scan"]);
    assert_eq!(ids(&["--modality", "image"]), ["gamma-scan"]);
    assert_eq!(ids(&["--lifecycle", "deploy"]), ["alpha-guard"]);
    assert_eq!(ids(&["--tag", "classifier"]), ["alpha-guard"]);
    assert_eq!(ids(&["--search", "BENCHMARK"]), ["beta-eval"]);
    assert_eq!(ids(&["--language", "no"]), ["alpha-guard"]);
}

#[test]
fn sorting() {
    assert_eq!(
        ids(&["--sort", "released"]),
        ["beta-eval", "alpha-guard", "gamma-scan"]
    );
    assert_eq!(
        ids(&["--sort", "status"]),
        ["alpha-guard", "beta-eval", "gamma-scan"]
    );
    assert_eq!(
        ids(&["--sort", "name", "--reverse"]),
        ["gamma-scan", "beta-eval", "alpha-guard"]
    );
    assert_eq!(
        ids(&["--sort", "reviewed"]),
        ["gamma-scan", "alpha-guard", "beta-eval"]
    );
}

#[test]
fn json_rows_carry_the_contract_fields() {
    let out = fixture_cmd()
        .args(["list", "--format", "json"])
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let first = &doc[0];
    for key in [
        "id",
        "name",
        "summary",
        "categories",
        "risks",
        "license",
        "status",
        "latest_version",
    ] {
        assert!(!first[key].is_null(), "missing {key}");
    }
    assert_eq!(first["latest_version"], "2.1.0");
    assert_eq!(first["status"], "vetted");
}

#[test]
fn unknown_filter_value_is_a_usage_error_with_suggestion() {
    fixture_cmd()
        .args(["list", "--category", "gardrail"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `guardrail`?"));
    fixture_cmd()
        .args(["list", "--status", "great"])
        .assert()
        .code(2);
    fixture_cmd()
        .args(["list", "--language", "english"])
        .assert()
        .code(2);
}

#[test]
fn every_format_renders() {
    fixture_cmd()
        .args(["list", "--format", "csv"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("id,name,summary,"))
        .stdout(predicate::str::contains("alpha-guard,Alpha Guard,"));
    fixture_cmd()
        .args(["list", "--format", "markdown"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains(
                "| [Alpha Guard](https://example.org/alpha) | alpha\\-guard |",
            )
            .not(),
        )
        .stdout(predicate::str::contains(
            "| [Alpha Guard](https://example.org/alpha) | alpha-guard |",
        ));
    let out = fixture_cmd()
        .args(["list", "--format", "yaml"])
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.contains("id: alpha-guard"), "{text}");
    assert!(
        text.contains("\"no\""),
        "Norwegian must stay a string: {text}"
    );
    fixture_cmd()
        .args(["list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("alpha-guard"))
        .stdout(predicate::str::ends_with("3 tools\n"));
}

#[test]
fn table_fits_the_given_width() {
    let out = fixture_cmd()
        .env("COLUMNS", "60")
        .arg("list")
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    for line in text.lines() {
        assert!(line.chars().count() <= 60, "{line}");
    }
}

#[test]
fn list_leaves_out_broken_entries_and_fails() {
    let (_dir, catalog) = crate::scratch_catalog();
    std::fs::copy(
        crate::fixture("bad/unknown-risk.yaml"),
        catalog.join("tools/unknown-risk.yaml"),
    )
    .expect("copy");
    crate::cmd()
        .arg("--catalog")
        .arg(&catalog)
        .args(["list", "--format", "json"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("unknown-risk").not())
        .stdout(predicate::str::contains("alpha-guard"))
        .stderr(predicate::str::contains("1 entry with errors was left out"));
}

#[test]
fn show_human_json_yaml() {
    fixture_cmd()
        .args(["show", "alpha-guard"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("Alpha Guard (alpha-guard)\n"))
        .stdout(predicate::str::contains(
            "status        vetted (reviewed 2026-06-01 by alice, bob; next review 2027-06-01)",
        ))
        .stdout(predicate::str::contains(
            "2.1.0       2025-10-02  python >=3.10, <3.14; pytorch >=2.4",
        ));
    let out = fixture_cmd()
        .args(["show", "alpha-guard", "--format", "json"])
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["latest_version"], "2.1.0");
    assert_eq!(doc["languages"], serde_json::json!(["en", "ja", "no"]));
    assert_eq!(doc["versions"][0]["requires"]["pytorch"], ">=2.4");
    fixture_cmd()
        .args(["show", "beta-eval", "--format", "yaml"])
        .assert()
        .success()
        .stdout(predicate::str::contains("latest_version: 0.3.0"));
}

#[test]
fn show_unknown_id_suggests_the_closest() {
    fixture_cmd()
        .args(["show", "alpha-gaurd"])
        .assert()
        .code(1)
        .stdout("")
        .stderr("error: no tool has the id `alpha-gaurd`; did you mean `alpha-guard`?\n");
}
