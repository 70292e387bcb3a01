//! The contributor path (`new` → edit → `validate`), the maintainer commands
//! (`review`, `coverage`) and the example CI workflow, run for real.

use predicates::prelude::*;

use crate::{cmd, fixture, validate_json};

#[test]
fn new_edit_validate_is_a_short_path() {
    let (_dir, catalog) = crate::scratch_catalog();
    let at = |c: &mut assert_cmd::Command| {
        c.arg("--catalog").arg(&catalog);
    };
    let mut c = cmd();
    at(&mut c);
    c.args(["new", "my-scanner"])
        .assert()
        .success()
        .stderr(predicate::str::contains("left to fill (12):"))
        .stderr(predicate::str::contains("alliance-catalog validate"));
    let path = catalog.join("tools/my-scanner.yaml");
    let skeleton = std::fs::read_to_string(&path).expect("written");
    assert!(
        skeleton.starts_with("# yaml-language-server: $schema=../../schemas/tool.schema.json\n")
    );

    // Unfilled, it fails with one `placeholder` per value to fill.
    let mut c = cmd();
    at(&mut c);
    let (code, found, _) = validate_json(c, &[path.to_str().expect("utf-8")]);
    assert_eq!(code, 1);
    assert_eq!(found.len(), 12, "{found:#?}");
    assert!(found.iter().all(|f| f.code == "placeholder"), "{found:#?}");

    // A contributor fills the placeholders in an editor.
    let filled = [
        ("\"TODO: display name\"", "My Scanner"),
        (
            "\"TODO: one line saying what the tool does\"",
            "Scans model outputs for leaked secrets and personal data.",
        ),
        (
            "\"TODO: https://github.com/OWNER/REPO\"",
            "https://github.com/example/my-scanner",
        ),
        (
            "\"TODO: SPDX licence expression, e.g. Apache-2.0\"",
            "Apache-2.0",
        ),
        (
            "\"TODO: organisation or people maintaining the tool\"",
            "Example Lab",
        ),
        ("\"TODO: category id, e.g. guardrail\"", "guardrail"),
        (
            "\"TODO: risk id, e.g. prompt-injection\"",
            "prompt-injection",
        ),
        ("\"TODO: modality id, e.g. text\"", "text"),
        ("\"TODO: interface id, e.g. python-library\"", "cli"),
        ("\"TODO: latest version, e.g. 1.0.0\"", "1.0.0"),
        ("\"TODO: its release date, YYYY-MM-DD\"", "2026-10-01"),
        ("\"TODO: your name\"", "Jane Doe"),
    ]
    .iter()
    .fold(skeleton, |text, (from, to)| {
        assert!(text.contains(from), "{from} not in the skeleton");
        text.replace(from, to)
    });
    std::fs::write(&path, filled).expect("edit");
    let mut c = cmd();
    at(&mut c);
    let (code, found, _) = validate_json(c, &[path.to_str().expect("utf-8")]);
    assert_eq!((code, found.len()), (0, 0), "{found:#?}");

    // `new` never overwrites and refuses bad ids.
    let mut c = cmd();
    at(&mut c);
    c.args(["new", "my-scanner"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
    let mut c = cmd();
    at(&mut c);
    c.args(["new", "My_Scanner"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a valid id"));
    let mut c = cmd();
    at(&mut c);
    let elsewhere = catalog.join("other.yaml");
    std::fs::write(&elsewhere, "keep").expect("write");
    c.args(["new", "other-tool", "--out"])
        .arg(&elsewhere)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("never overwrites"));
    assert_eq!(std::fs::read_to_string(&elsewhere).expect("read"), "keep");
}

#[test]
fn new_with_options_validates_at_once() {
    let (_dir, catalog) = crate::scratch_catalog();
    cmd()
        .arg("--catalog")
        .arg(&catalog)
        .args([
            "new",
            "full-tool",
            "--name",
            "Full Tool",
            "--summary",
            "A tool whose fields all come from options.",
            "--repository",
            "https://github.com/example/full-tool",
            "--license",
            "MIT",
            "--maintainer",
            "Example",
            "--category",
            "evaluation",
            "--risk",
            "toxicity",
            "--modality",
            "text",
            "--interface",
            "cli",
            "--version",
            "0.1.0",
            "--released",
            "2026-11-01",
            "--submitter",
            "Jane Doe",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("it validates already"));
    cmd()
        .arg("--catalog")
        .arg(&catalog)
        .arg("validate")
        .assert()
        .success();
}

#[test]
fn new_needs_a_folder_for_the_built_in_catalog() {
    let dir = tempfile::tempdir().expect("tempdir");
    cmd()
        .current_dir(dir.path())
        .args(["new", "x-tool"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--out FILE"));
}

#[test]
fn review_lists_overdue_oldest_first_and_can_fail() {
    let at = |today: &str| {
        let mut c = cmd();
        c.env("ALLIANCE_CATALOG_TODAY", today)
            .arg("--catalog")
            .arg(fixture("catalog"));
        c
    };
    at("2026-11-25")
        .args(["review"])
        .assert()
        .success()
        .stdout("no vetting is due\n");
    let out = at("2026-11-25")
        .args(["review", "--within", "200", "--format", "json"])
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    // gamma-scan reviewed 2026-02-01 (due 2027-02-01); alpha next_review 2027-06-01.
    let ids: Vec<&str> = doc["tools"]
        .as_array()
        .expect("tools")
        .iter()
        .filter_map(|t| t["id"].as_str())
        .collect();
    assert_eq!(ids, ["gamma-scan", "alpha-guard"]);
    assert_eq!(doc["overdue"], 0);
    let out = at("2027-07-01")
        .args(["review", "--format", "json"])
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let rows: Vec<(&str, i64)> = doc["tools"]
        .as_array()
        .expect("tools")
        .iter()
        .map(|t| {
            (
                t["id"].as_str().unwrap_or_default(),
                t["days_overdue"].as_i64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(rows, [("gamma-scan", 150), ("alpha-guard", 30)]);
    at("2027-07-01")
        .args(["review", "--fail-overdue"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("overdue by 150 days"));
    at("2027-07-01")
        .args(["review", "--format", "markdown"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "| gamma-scan | deprecated | 2026-02-01 | 2027-02-01 | overdue by 150 days |",
        ));
}

#[test]
fn coverage_counts_risks_by_category_and_names_the_gaps() {
    let out = cmd()
        .arg("--catalog")
        .arg(fixture("catalog"))
        .args(["coverage", "--format", "json"])
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        doc["categories"],
        serde_json::json!(["guardrail", "evaluation", "red-teaming"])
    );
    let jailbreak = &doc["risks"][1];
    assert_eq!(jailbreak["id"], "jailbreak");
    assert_eq!(
        jailbreak["tools"],
        serde_json::json!({"vetted": 1, "provisional": 0, "deprecated": 1})
    );
    assert_eq!(jailbreak["by_category"]["red-teaming"]["deprecated"], 1);
    assert_eq!(doc["no_vetted_tool"], serde_json::json!(["toxicity"]));
    assert_eq!(doc["no_tool"], serde_json::json!([]));
    cmd()
        .arg("--catalog")
        .arg(fixture("catalog"))
        .arg("coverage")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "risks with no vetted tool (1): toxicity",
        ))
        .stdout(predicate::str::contains(
            "risks with no tool at all (0): none",
        ));
    cmd()
        .args(["coverage", "--format", "markdown"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "**Risks with no tool at all (1):** vector-embedding-weaknesses",
        ));
}

/// The `run:` lines of the example workflow that call alliance-catalog.
fn workflow_commands() -> Vec<String> {
    let text =
        std::fs::read_to_string(crate::root().join("examples/ci/catalog.yml")).expect("workflow");
    let parsed = alliance_catalog::load::yaml::parse(&text, &Default::default());
    assert!(parsed.findings.is_empty(), "{:?}", parsed.findings);
    let json = parsed.root.expect("root").to_json();
    let mut out = Vec::new();
    for job in json["jobs"].as_object().expect("jobs").values() {
        for step in job["steps"].as_array().expect("steps") {
            if let Some(run) = step["run"].as_str()
                && run.starts_with("alliance-catalog ")
            {
                out.push(run.to_string());
            }
        }
    }
    out
}

#[test]
fn example_ci_workflow_commands_pass_on_the_shipped_catalog() {
    let commands = workflow_commands();
    assert!(commands.len() >= 4, "{commands:?}");
    assert!(commands.iter().any(|c| c.contains("--format github")));
    assert!(commands.iter().any(|c| c.contains("--format sarif")));
    assert!(commands.iter().any(|c| c.contains("index --check")));
    assert!(
        commands
            .iter()
            .any(|c| c.contains("review") && c.contains("--fail-overdue"))
    );
    // Run them as the workflow would: from a checkout holding catalog/, with
    // the binary on PATH.
    let dir = tempfile::tempdir().expect("tempdir");
    crate::copy_dir(&crate::root().join("catalog"), &dir.path().join("catalog"));
    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_alliance-catalog"))
        .parent()
        .expect("bin dir")
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    for command in commands {
        let out = std::process::Command::new("bash")
            .args(["-euo", "pipefail", "-c", &command])
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("ALLIANCE_CATALOG_TODAY", "2026-11-25")
            .env_remove("ALLIANCE_CATALOG")
            .output()
            .expect("bash runs");
        assert!(
            out.status.success(),
            "`{command}` failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let sarif: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.path().join("alliance-catalog.sarif")).expect("sarif written"),
    )
    .expect("sarif json");
    assert_eq!(sarif["version"], "2.1.0");
}

#[test]
fn pre_commit_hook_definition_runs_validate_on_catalog_yaml() {
    let text =
        std::fs::read_to_string(crate::root().join(".pre-commit-hooks.yaml")).expect("hooks");
    let json = alliance_catalog::load::yaml::parse(&text, &Default::default())
        .root
        .expect("parses")
        .to_json();
    let hook = &json[0];
    assert_eq!(hook["entry"], "alliance-catalog validate");
    assert_eq!(hook["language"], "rust");
    let files = regex_lite_match(hook["files"].as_str().expect("files"));
    assert!(files("catalog/tools/garak.yaml"));
    assert!(files("catalog/taxonomy.yaml"));
    assert!(!files("src/main.rs"));
    // What pre-commit runs: the entry with the changed files appended.
    cmd()
        .args([
            "validate",
            "catalog/tools/garak.yaml",
            "catalog/taxonomy.yaml",
        ])
        .assert()
        .success()
        .stderr("checked 2 files: 0 errors, 0 warnings\n");
}

/// The hook's `files` pattern is `^catalog/.*\.ya?ml$`; check that shape
/// without a regex engine.
fn regex_lite_match(pattern: &str) -> impl Fn(&str) -> bool {
    assert_eq!(pattern, r"^catalog/.*\.ya?ml$");
    |path: &str| path.starts_with("catalog/") && (path.ends_with(".yaml") || path.ends_with(".yml"))
}
