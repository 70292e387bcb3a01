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

/// `list` on the shipped catalog, as JSON ids.
fn shipped_ids(args: &[&str]) -> Vec<String> {
    let mut c = crate::cmd();
    c.arg("list").args(args).args(["--format", "json"]);
    crate::ids_of(&crate::success_json(c))
}

#[test]
fn tables_never_shorten_ids_and_fit_80_columns_when_piped() {
    let ids = shipped_ids(&[]);
    assert!(ids.iter().any(|id| id.len() >= 25), "{ids:?}");
    // Not a terminal and no COLUMNS: 80 columns. At 60 the ids alone are
    // wider than that, and the table is wider rather than any id cut.
    for (columns, width) in [(None, 80), (Some("60"), 60), (Some("100"), 100)] {
        let mut c = crate::cmd();
        if let Some(columns) = columns {
            c.env("COLUMNS", columns);
        }
        let out = c.arg("list").output().expect("runs");
        let text = String::from_utf8(out.stdout).expect("utf-8");
        let cells: std::collections::BTreeSet<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("│ "))
            .filter_map(|l| l.split(" │").next())
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        for id in &ids {
            assert!(cells.contains(id.as_str()), "{id} cut at {width}:\n{text}");
        }
        assert!(!text.contains("…│"), "{text}");
        if width >= 80 {
            for line in text.lines() {
                assert!(line.chars().count() <= width, "{width}: {line}");
            }
        }
    }
}

#[test]
fn filters_say_how_many_tools_declare_nothing_and_can_include_them() {
    let export = crate::success_json({
        let mut c = crate::cmd();
        c.arg("export");
        c
    });
    let silent: Vec<&str> = export["tools"]
        .as_array()
        .expect("tools")
        .iter()
        .filter(|t| t["languages"].as_array().is_none_or(|l| l.is_empty()))
        .map(|t| t["id"].as_str().expect("id"))
        .collect();
    assert!(!silent.is_empty());
    let german = shipped_ids(&["--language", "de"]);
    let out = crate::cmd()
        .args(["list", "--language", "de", "--format", "json"])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.trim(),
        format!(
            "note: {} more tools declare no value for --language and were left out; add --include-unknown to list them too",
            silent.len()
        )
    );
    let with_unknown = shipped_ids(&["--language", "de", "--include-unknown"]);
    assert_eq!(with_unknown.len(), german.len() + silent.len());
    for id in &silent {
        assert!(with_unknown.contains(&id.to_string()), "{id}");
    }
    // --include-unknown asks for them, so no note.
    let out = crate::cmd()
        .args(["list", "--language", "de", "--include-unknown"])
        .output()
        .expect("runs");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("note:"));
}

#[test]
fn plus_asks_for_all_of_the_values() {
    let both = shipped_ids(&["--risk", "prompt-injection+pii-leakage"]);
    let injection = shipped_ids(&["--risk", "prompt-injection"]);
    let pii = shipped_ids(&["--risk", "pii-leakage"]);
    let intersection: Vec<String> = injection
        .iter()
        .filter(|id| pii.contains(id))
        .cloned()
        .collect();
    assert!(!both.is_empty() && both.len() < injection.len());
    assert_eq!(both, intersection);
    // Any of (comma) still works, and mixes with all of.
    let either = shipped_ids(&["--risk", "prompt-injection,pii-leakage"]);
    assert!(either.len() >= injection.len().max(pii.len()));
    assert!(either.len() > both.len());
    let mixed = shipped_ids(&["--risk", "prompt-injection+pii-leakage,content-tampering"]);
    assert!(mixed.len() >= both.len());
    // Each part is checked against the taxonomy.
    crate::cmd()
        .args(["list", "--risk", "prompt-injection+pii-leak"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `pii-leakage`?"));
    // The table shows the filtered attribute, matched values first.
    crate::cmd()
        .env("COLUMNS", "120")
        .args(["list", "--risk", "prompt-injection+pii-leakage"])
        .assert()
        .success()
        .stdout(predicate::str::contains("RISKS"))
        .stdout(predicate::str::contains("│ prompt-injection, pii-leakage"));
}

#[test]
fn an_entry_with_errors_is_named_by_show_and_list() {
    let (_dir, catalog) = crate::scratch_catalog();
    // One entry the schema refuses (it never reaches the model), one with a
    // rule error (it does).
    for bad in ["schema-missing", "unknown-risk"] {
        std::fs::copy(
            crate::fixture(&format!("bad/{bad}.yaml")),
            catalog.join(format!("tools/{bad}.yaml")),
        )
        .expect("copy");
    }
    let file = catalog.join("tools/schema-missing.yaml");
    crate::catalog_cmd(&catalog)
        .args(["show", "schema-missing"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!(
            "error: the entry `schema-missing` ({}) has errors that keep it from being read; run `alliance-catalog validate {}` to see them\n",
            file.display(),
            file.display()
        ));
    let out = crate::catalog_cmd(&catalog)
        .args(["list", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("2 entries with errors were left out: "),
        "{stderr}"
    );
    assert!(stderr.contains("tools/schema-missing.yaml"), "{stderr}");
    assert!(stderr.contains("tools/unknown-risk.yaml"), "{stderr}");
}

#[test]
fn taxonomy_lists_ids_titles_and_counts() {
    let out = crate::cmd()
        .args(["taxonomy", "risks", "--format", "csv"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("vocabulary,id,tools,title"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.splitn(4, ',').collect()).collect();
    let export = crate::success_json({
        let mut c = crate::cmd();
        c.arg("export");
        c
    });
    let risks = export["taxonomy"]["risks"].as_array().expect("risks");
    assert_eq!(rows.len(), risks.len());
    for (row, risk) in rows.iter().zip(risks) {
        assert_eq!(row[0], "risks");
        assert_eq!(row[1], risk["id"]);
    }
    // Each count is what `list --risk ID` lists.
    for row in rows
        .iter()
        .filter(|r| ["prompt-injection", "pii-leakage"].contains(&r[1]))
    {
        let listed = shipped_ids(&["--risk", row[1]]);
        assert_eq!(row[2], listed.len().to_string(), "{}", row[1]);
    }
    // Without a vocabulary: each of them, headed by its name and size.
    crate::cmd()
        .arg("taxonomy")
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("risks ({})", risks.len())))
        .stdout(predicate::str::contains("platforms ("))
        .stdout(predicate::str::contains("│ python "));
}

#[test]
fn show_lists_the_advisories_a_release_records() {
    let dir = crate::fixture("rules/known-vulnerability/pass");
    crate::catalog_cmd(&dir)
        .args(["show", "known-vulnerability"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "  0.17.1      2026-10-16  python >=3.11\n              security advisories: GHSA-xxxx-yyyy-zzzz\n",
        ));
    let out = crate::catalog_cmd(&dir)
        .args(["show", "known-vulnerability", "--format", "json"])
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        doc["versions"][0]["advisories"],
        serde_json::json!(["GHSA-xxxx-yyyy-zzzz"])
    );
    // A release without recorded advisories has no such key.
    assert!(doc["versions"][1].get("advisories").is_none());
}

#[test]
fn show_calls_only_a_vetted_entry_reviewed() {
    let status = |id: &str| {
        let out = fixture_cmd().args(["show", id]).output().expect("runs");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.lines()
            .find(|l| l.starts_with("status"))
            .map(str::to_string)
            .unwrap_or_default()
    };
    assert_eq!(
        status("alpha-guard"),
        "status        vetted (reviewed 2026-06-01 by alice, bob; next review 2027-06-01)"
    );
    let provisional = status("beta-eval");
    assert!(
        provisional.starts_with("status        provisional (facts checked 2026-11-01 by catalog-maintainers, not yet independently reviewed"),
        "{provisional}"
    );
    let deprecated = status("gamma-scan");
    assert!(
        deprecated.contains("deprecated (facts checked"),
        "{deprecated}"
    );
    assert!(!deprecated.contains("reviewed"), "{deprecated}");
}
