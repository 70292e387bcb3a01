//! `validate`: formats, summary, exit codes, paths mode, the shipped catalog.

use predicates::prelude::*;

use crate::{cmd, fixture, fixture_cmd, validate_json};

#[test]
fn shipped_catalog_validates_with_zero_diagnostics() {
    let (code, found, summary) = validate_json(cmd(), &[]);
    assert_eq!(code, 0, "{found:#?}");
    assert!(found.is_empty(), "{found:#?}");
    assert_eq!(summary["errors"], 0);
    assert_eq!(summary["warnings"], 0);
    assert!(summary["files"].as_u64().unwrap_or(0) >= 13, "{summary}");
}

#[test]
fn fixture_catalog_is_clean_and_summarised() {
    fixture_cmd()
        .arg("validate")
        .assert()
        .success()
        .stdout("")
        .stderr("checked 4 files: 0 errors, 0 warnings\n");
}

#[test]
fn human_format_is_rustc_like() {
    fixture_cmd()
        .arg("validate")
        .arg(fixture("bad/unknown-category.yaml"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("error[unknown-category]: `gardrail` is not a category of the taxonomy; did you mean `guardrail`?"))
        .stderr(predicate::str::contains("bad/unknown-category.yaml:14:14"))
        .stderr(predicate::str::contains("14 | categories: [gardrail]"))
        .stderr(predicate::str::contains("^^^^^^^^"))
        .stderr(predicate::str::ends_with("checked 1 file: 1 error, 0 warnings\n"));
}

#[test]
fn human_format_snapshot() {
    let out = fixture_cmd()
        .current_dir(crate::root())
        .arg("validate")
        .arg("tests/fixtures/bad/schema-type.yaml")
        .arg("tests/fixtures/bad/duplicate-key.yaml")
        .output()
        .expect("runs");
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stderr));
}

#[test]
fn json_format_has_the_contract_fields() {
    let out = fixture_cmd()
        .args(["validate", "--format", "json"])
        .arg(fixture("bad/unknown-risk.yaml"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        doc["summary"],
        serde_json::json!({"files": 1, "errors": 1, "warnings": 0})
    );
    let d = &doc["diagnostics"][0];
    for key in ["severity", "code", "file", "line", "column", "message"] {
        assert!(!d[key].is_null(), "missing {key}");
    }
    assert_eq!(d["severity"], "error");
    assert_eq!(d["code"], "unknown-risk");
    assert_eq!(d["line"], 15);
    assert_eq!(d["column"], 27);
}

#[test]
fn github_format_is_one_annotation_per_diagnostic() {
    fixture_cmd()
        .args(["validate", "--format", "github"])
        .arg(fixture("bad/insecure-url.yaml"))
        .arg(fixture("bad/review-overdue.yaml"))
        .assert()
        .code(1)
        .stdout(predicate::str::is_match(r"(?m)^::error file=[^,]*insecure-url\.yaml,line=8,col=11,endLine=8,endColumn=35,title=insecure-url::`http://example.org/alpha` uses `http:`; only https:// links are accepted$").expect("regex"))
        .stdout(predicate::str::is_match(r"(?m)^::warning file=[^,]*review-overdue\.yaml,line=37,col=16,").expect("regex"));
}

#[test]
fn sarif_format_is_sarif_2_1_0() {
    let out = fixture_cmd()
        .args(["validate", "--format", "sarif"])
        .arg(fixture("bad/invalid-license.yaml"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["version"], "2.1.0");
    let run = &doc["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "alliance-catalog");
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "invalid-license");
    assert_eq!(result["level"], "error");
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(10), Some(10))
    );
}

#[test]
fn warnings_pass_unless_denied() {
    let file = fixture("bad/review-overdue.yaml");
    fixture_cmd().arg("validate").arg(&file).assert().success();
    fixture_cmd()
        .args(["validate", "--deny-warnings"])
        .arg(&file)
        .assert()
        .code(1);
}

#[test]
fn paths_inside_the_catalog_report_only_on_them() {
    let (_dir, catalog) = crate::scratch_catalog();
    std::fs::copy(
        fixture("bad/unknown-risk.yaml"),
        catalog.join("tools/unknown-risk.yaml"),
    )
    .expect("copy");
    let c = crate::catalog_cmd(&catalog);
    let (code, found, summary) = validate_json(
        c,
        &[catalog
            .join("tools/alpha-guard.yaml")
            .to_str()
            .expect("utf-8")],
    );
    assert_eq!(code, 0, "{found:#?}");
    assert_eq!(summary["files"], 1);
    let c = crate::catalog_cmd(&catalog);
    let (code, found, _) = validate_json(c, &[]);
    assert_eq!(code, 1);
    assert_eq!(found.len(), 1);
}

#[test]
fn a_folder_of_submissions_is_walked() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(
        fixture("bad/unknown-risk.yaml"),
        dir.path().join("unknown-risk.yaml"),
    )
    .expect("copy");
    std::fs::copy(fixture("bad/crlf.yaml"), dir.path().join("crlf.yaml")).expect("copy");
    std::fs::write(dir.path().join("README.md"), "not an entry").expect("write");
    let (code, found, summary) =
        validate_json(fixture_cmd(), &[dir.path().to_str().expect("utf-8")]);
    assert_eq!(code, 1);
    assert_eq!(summary["files"], 2);
    assert_eq!(found.len(), 1);
}

#[test]
fn missing_path_cannot_run() {
    fixture_cmd()
        .args(["validate", "no/such/file.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("error: no/such/file.yaml:"));
}

#[test]
fn bad_format_is_a_usage_error() {
    fixture_cmd()
        .args(["validate", "--format", "xml"])
        .assert()
        .code(2);
}

#[test]
fn quiet_drops_the_summary() {
    fixture_cmd()
        .args(["-q", "validate"])
        .assert()
        .success()
        .stderr("");
}

#[test]
fn colour_only_when_asked() {
    let file = fixture("bad/unknown-risk.yaml");
    let plain = fixture_cmd()
        .arg("validate")
        .arg(&file)
        .output()
        .expect("runs");
    assert!(!plain.stderr.contains(&0x1b));
    let coloured = fixture_cmd()
        .env_remove("NO_COLOR")
        .args(["--color", "always", "validate"])
        .arg(&file)
        .output()
        .expect("runs");
    assert!(coloured.stderr.contains(&0x1b));
}

#[test]
fn hostile_text_never_reaches_the_terminal_raw() {
    let out = fixture_cmd()
        .arg("validate")
        .arg(fixture("bad/control-character.yaml"))
        .arg(fixture("bad/bidi-character.yaml"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stderr).expect("utf-8");
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(!text.contains('\u{202e}'), "{text}");
}

#[test]
fn today_must_be_a_date() {
    fixture_cmd()
        .env("ALLIANCE_CATALOG_TODAY", "tomorrow")
        .arg("validate")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("YYYY-MM-DD"));
}

#[test]
fn today_moves_reviews_into_overdue() {
    let (code, found, _) = validate_json(
        {
            let mut c = fixture_cmd();
            c.env("ALLIANCE_CATALOG_TODAY", "2028-01-01");
            c
        },
        &[],
    );
    assert_eq!(code, 0);
    assert!(
        found.iter().all(|f| f.code == "review-overdue"),
        "{found:#?}"
    );
    assert_eq!(found.len(), 3);
}

#[test]
fn severity_can_be_changed_by_settings() {
    let (_dir, catalog) = crate::scratch_catalog();
    let settings = catalog.join("alliance-catalog.toml");
    let mut text = std::fs::read_to_string(&settings).expect("read");
    text.push_str("\n[severity]\nreview-overdue = \"error\"\n");
    std::fs::write(&settings, text).expect("write");
    let c = crate::catalog_cmd(&catalog);
    let (code, found, _) = validate_json(
        c,
        &[fixture("bad/review-overdue.yaml").to_str().expect("utf-8")],
    );
    assert_eq!(code, 1);
    assert_eq!(found[0].severity, "error");
}

#[test]
fn broken_settings_cannot_run() {
    let (_dir, catalog) = crate::scratch_catalog();
    std::fs::write(
        catalog.join("alliance-catalog.toml"),
        "name = \"X\"\n[policy]\nreviewrs = 3\n",
    )
    .expect("write");
    let mut c = cmd();
    c.arg("--catalog").arg(&catalog).arg("validate");
    c.assert()
        .code(2)
        .stderr(predicate::str::contains("alliance-catalog.toml:3:1"))
        .stderr(predicate::str::contains("reviewrs"));
}

#[test]
fn broken_taxonomy_is_reported_and_entries_still_checked() {
    let (_dir, catalog) = crate::scratch_catalog();
    let tax = catalog.join("taxonomy.yaml");
    let text = std::fs::read_to_string(&tax).expect("read");
    std::fs::write(
        &tax,
        text.replace("  - {id: jailbreak", "  - {id: Jail Break"),
    )
    .expect("write");
    let c = crate::catalog_cmd(&catalog);
    let (code, found, _) = validate_json(c, &[]);
    assert_eq!(code, 1);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].code, "schema");
    assert!(found[0].file.ends_with("taxonomy.yaml"));
    assert_eq!(found[0].line, 13);
}

#[test]
fn sequential_and_parallel_runs_report_identically() {
    let (_dir, catalog) = crate::scratch_catalog();
    let template =
        std::fs::read_to_string(fixture("catalog/tools/alpha-guard.yaml")).expect("read");
    for i in 0..600 {
        let id = format!("tool-{i:03}");
        let mut text = template.replace("id: alpha-guard", &format!("id: {id}"));
        text = match i % 6 {
            0 => text.replace("categories: [guardrail]", "categories: [gardrail]"),
            1 => text.replace("license: Apache-2.0", "license: Apache 2"),
            2 => text.replace("version: 1.4.2", "version: 2.10"),
            3 => text.replace(&format!("id: {id}"), "id: shared-id"),
            4 => text.replace("related: [gamma-scan]", "related: [gamma-scna]"),
            _ => text,
        };
        std::fs::write(catalog.join(format!("tools/{id}.yaml")), text).expect("write");
    }
    let run = |jobs: &str, format: &str| {
        let out = cmd()
            .arg("--catalog")
            .arg(&catalog)
            .args(["validate", "--jobs", jobs, "--format", format])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1));
        (out.stdout, out.stderr)
    };
    for format in ["json", "human", "github", "sarif"] {
        assert_eq!(
            run("1", format),
            run("4", format),
            "{format} differs between -j1 and -j4"
        );
    }
    let (json, _) = run("2", "json");
    let doc: serde_json::Value = serde_json::from_slice(&json).expect("json");
    assert!(
        doc["summary"]["errors"].as_u64().unwrap_or(0) >= 500,
        "{}",
        doc["summary"]
    );
}

/// A repository holding the fixture catalog in `data/catalog` with two bad
/// entries (an error and a warning), and a `scripts/` folder to run from.
fn repository_with_findings() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = std::fs::canonicalize(dir.path()).expect("canonical");
    std::fs::create_dir_all(repo.join(".git")).expect(".git");
    std::fs::create_dir_all(repo.join("scripts")).expect("scripts");
    let catalog = repo.join("data/catalog");
    crate::copy_dir(&fixture("catalog"), &catalog);
    for bad in ["unknown-category", "review-overdue"] {
        std::fs::copy(
            fixture(&format!("bad/{bad}.yaml")),
            catalog.join(format!("tools/{bad}.yaml")),
        )
        .expect("copy");
    }
    (dir, repo)
}

/// Runs `validate --format FORMAT` from `repo/scripts` on `../data/catalog`.
fn ci_output(repo: &std::path::Path, format: &str, extra: &[&str]) -> (i32, String) {
    let out = cmd()
        .current_dir(repo.join("scripts"))
        .args([
            "--catalog",
            "../data/catalog",
            "validate",
            "--format",
            format,
        ])
        .args(extra)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("utf-8"),
    )
}

#[test]
fn ci_formats_name_files_from_the_repository_root_whatever_catalog_was() {
    let (_dir, repo) = repository_with_findings();
    let (code, github) = ci_output(&repo, "github", &[]);
    assert_eq!(code, 1);
    assert!(
        github.contains("::error file=data/catalog/tools/unknown-category.yaml,line=14,col=14,"),
        "{github}"
    );
    assert!(!github.contains(".."), "{github}");

    let (code, text) = ci_output(&repo, "sarif", &[]);
    assert_eq!(code, 1);
    let sarif: serde_json::Value = serde_json::from_str(&text).expect("sarif json");
    let run = &sarif["runs"][0];
    let root_uri = run["originalUriBaseIds"]["REPOROOT"]["uri"]
        .as_str()
        .expect("REPOROOT defined");
    let expected = url::Url::from_directory_path(&repo).expect("file uri");
    assert_eq!(root_uri, expected.as_str());
    assert!(root_uri.ends_with('/'), "{root_uri}");
    let artifacts: Vec<&serde_json::Value> = run["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| &r["locations"][0]["physicalLocation"]["artifactLocation"])
        .collect();
    assert_eq!(artifacts.len(), 2);
    for a in &artifacts {
        assert_eq!(a["uriBaseId"], "REPOROOT");
        assert!(
            a["uri"]
                .as_str()
                .expect("uri")
                .starts_with("data/catalog/tools/"),
            "{a}"
        );
    }
    // Rule names are readable PascalCase words, not the id again.
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    for rule in rules {
        let (id, name) = (
            rule["id"].as_str().expect("id"),
            rule["name"].as_str().expect("name"),
        );
        assert_ne!(id, name);
        assert!(
            name.starts_with(|c: char| c.is_ascii_uppercase())
                && name.chars().all(|c| c.is_ascii_alphanumeric()),
            "{name}"
        );
        assert_eq!(name.to_ascii_lowercase(), id.replace('-', ""));
    }
    assert!(rules.iter().any(|r| r["name"] == "UnknownCategory"));
}

#[test]
fn gitlab_code_quality_report_has_the_documented_fields() {
    let (_dir, repo) = repository_with_findings();
    let (code, text) = ci_output(&repo, "gitlab", &[]);
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&text).expect("json");
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("gitlab/code-quality.schema.json")).expect("schema"),
    )
    .expect("schema json");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{text}");
    let issues = report.as_array().expect("array");
    assert_eq!(issues.len(), 2, "{text}");
    let by_check = |name: &str| {
        issues
            .iter()
            .find(|i| i["check_name"] == name)
            .unwrap_or_else(|| panic!("no {name} in {text}"))
    };
    let error = by_check("unknown-category");
    assert_eq!(error["severity"], "major");
    assert_eq!(
        error["location"]["path"],
        "data/catalog/tools/unknown-category.yaml"
    );
    assert_eq!(error["location"]["lines"]["begin"], 14);
    assert!(
        error["description"]
            .as_str()
            .expect("description")
            .contains("did you mean `guardrail`?")
    );
    assert_eq!(by_check("review-overdue")["severity"], "minor");
    // Fingerprints tell issues apart and stay the same from run to run, so
    // GitLab can compare a merge request with its target branch.
    let prints: std::collections::BTreeSet<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().expect("fingerprint"))
        .collect();
    assert_eq!(prints.len(), 2);
    let (_, again) = ci_output(&repo, "gitlab", &[]);
    assert_eq!(again, text);
    // No findings: an empty array, exit 0.
    let (code, clean) = ci_output(&repo, "gitlab", &["../data/catalog/tools/alpha-guard.yaml"]);
    assert_eq!(code, 0);
    assert_eq!(clean.trim(), "[]");
}

#[test]
fn skip_time_based_leaves_out_what_days_passing_bring() {
    let file = fixture("bad/review-overdue.yaml");
    let (code, found, summary) = validate_json(
        fixture_cmd(),
        &["--deny-warnings", file.to_str().expect("utf-8")],
    );
    assert_eq!(code, 1);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code, "review-overdue");
    assert_eq!(summary["warnings"], 1);
    let (code, found, summary) = validate_json(
        fixture_cmd(),
        &[
            "--deny-warnings",
            "--skip-time-based",
            file.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(code, 0, "{found:#?}");
    assert!(found.is_empty(), "{found:#?}");
    assert_eq!(summary["warnings"], 0);
    // Other findings still fail the run.
    let bad = fixture("bad/unknown-category.yaml");
    let (code, found, _) = validate_json(
        fixture_cmd(),
        &["--skip-time-based", bad.to_str().expect("utf-8")],
    );
    assert_eq!(code, 1);
    assert_eq!(found[0].code, "unknown-category");
}

#[test]
fn jobs_is_an_option_only_of_the_commands_that_check_files() {
    for command in ["validate", "list", "compat", "site", "verify", "refresh"] {
        let out = cmd().args([command, "--help"]).output().expect("runs");
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(help.contains("-j, --jobs <N>"), "{command}: {help}");
    }
    for (command, operand) in [("schema", "tool"), ("completions", "bash"), ("man", "")] {
        let out = cmd().args([command, "--help"]).output().expect("runs");
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(!help.contains("--jobs"), "{command}: {help}");
        let operands: Vec<&str> = [operand].into_iter().filter(|o| !o.is_empty()).collect();
        let runs = cmd().arg(command).args(&operands).output().expect("runs");
        assert_eq!(runs.status.code(), Some(0), "{command} runs without -j");
        let refused = cmd()
            .arg(command)
            .args(&operands)
            .args(["--jobs", "2"])
            .output()
            .expect("runs");
        assert_eq!(
            refused.status.code(),
            Some(2),
            "{command} -j is a usage error"
        );
        assert!(String::from_utf8_lossy(&refused.stderr).contains("--jobs"));
    }
    let ok = cmd()
        .args(["validate", "-j", "1", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
}
