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
            "**Risks with no tool at all (0):** none",
        ));
}

/// A YAML file of the repository, parsed by the catalog's own reader.
fn yaml_file(rel: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(crate::root().join(rel)).expect("example");
    let parsed = alliance_catalog::load::yaml::parse(&text, &Default::default());
    assert!(parsed.findings.is_empty(), "{rel}: {:?}", parsed.findings);
    parsed.root.expect("root").to_json()
}

/// The `run:` lines of the example workflow that call alliance-catalog.
fn workflow_commands() -> Vec<String> {
    let json = yaml_file("examples/ci/catalog.yml");
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

/// The `script:` lines of the example GitLab pipeline that call alliance-catalog.
fn gitlab_commands() -> Vec<String> {
    let json = yaml_file("examples/ci/gitlab-ci.yml");
    let mut out = Vec::new();
    for job in json.as_object().expect("jobs").values() {
        for line in job["script"].as_array().into_iter().flatten() {
            if let Some(line) = line.as_str()
                && line.starts_with("alliance-catalog ")
            {
                out.push(line.to_string());
            }
        }
    }
    out
}

/// Runs each command as a CI job would: from a checkout holding catalog/
/// (and a `.git`), with the binary on PATH; returns the checkout.
fn run_as_ci(commands: &[String]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    crate::copy_dir(&crate::root().join("catalog"), &dir.path().join("catalog"));
    std::fs::create_dir_all(dir.path().join(".git")).expect(".git");
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
            .args(["-euo", "pipefail", "-c", command])
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("ALLIANCE_CATALOG_TODAY", "2026-12-02")
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
    dir
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
    let dir = run_as_ci(&commands);
    let sarif: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.path().join("alliance-catalog.sarif")).expect("sarif written"),
    )
    .expect("sarif json");
    assert_eq!(sarif["version"], "2.1.0");
}

/// The pull-request jobs of both examples leave time-based findings out, so
/// a review date passing fails no pull request; the scheduled jobs keep them.
#[test]
fn example_pull_request_jobs_do_not_fail_on_time_based_findings() {
    let workflow = yaml_file("examples/ci/catalog.yml");
    let validate_job = &workflow["jobs"]["validate"]["steps"];
    let pr_runs: Vec<&str> = validate_job
        .as_array()
        .expect("steps")
        .iter()
        .filter_map(|s| s["run"].as_str())
        .filter(|r| r.starts_with("alliance-catalog validate"))
        .collect();
    let gitlab = yaml_file("examples/ci/gitlab-ci.yml");
    let mr_runs: Vec<&str> = gitlab["validate"]["script"]
        .as_array()
        .expect("script")
        .iter()
        .filter_map(|s| s.as_str())
        .filter(|r| r.starts_with("alliance-catalog validate"))
        .collect();
    assert!(pr_runs.len() >= 2 && mr_runs.len() >= 2);
    for run in pr_runs.iter().chain(&mr_runs) {
        assert!(run.contains("--skip-time-based"), "{run}");
    }
    // Proved on an entry whose review is overdue: the pull-request command
    // passes, the same command without the flag (the scheduled job) fails.
    let dir = tempfile::tempdir().expect("tempdir");
    crate::copy_dir(&crate::root().join("catalog"), &dir.path().join("catalog"));
    let pr = pr_runs
        .iter()
        .find(|r| r.contains("--deny-warnings"))
        .expect("a denying PR step");
    for (today, code) in [("2026-12-02", 0), ("2030-01-01", 0)] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_alliance-catalog"))
            .args(pr.split_whitespace().skip(1))
            .current_dir(dir.path())
            .env("ALLIANCE_CATALOG_TODAY", today)
            .env_remove("ALLIANCE_CATALOG")
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(code), "{pr} on {today}");
    }
    let scheduled = std::process::Command::new(env!("CARGO_BIN_EXE_alliance-catalog"))
        .args(["validate", "--deny-warnings"])
        .current_dir(dir.path())
        .env("ALLIANCE_CATALOG_TODAY", "2030-01-01")
        .env_remove("ALLIANCE_CATALOG")
        .output()
        .expect("runs");
    assert_eq!(scheduled.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&scheduled.stderr).contains("review-overdue"));
}

#[test]
fn example_gitlab_pipeline_commands_pass_and_write_a_code_quality_report() {
    let commands = gitlab_commands();
    assert!(commands.iter().any(|c| c.contains("--format gitlab")));
    assert!(commands.iter().any(|c| c.contains("index --check")));
    let dir = run_as_ci(&commands);
    let report: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.path().join("gl-code-quality-report.json")).expect("report written"),
    )
    .expect("report json");
    assert_eq!(report, serde_json::json!([]));
    let gitlab = yaml_file("examples/ci/gitlab-ci.yml");
    assert_eq!(
        gitlab["validate"]["artifacts"]["reports"]["codequality"],
        "gl-code-quality-report.json"
    );
}

/// Every example that installs or pins alliance-catalog names the version of
/// Cargo.toml, from the upstream repository.
#[test]
fn examples_name_the_version_of_cargo_toml() {
    let version = format!("v{}", env!("CARGO_PKG_VERSION"));
    let upstream = "https://github.com/alliance-catalog/alliance-catalog";
    assert_eq!(env!("CARGO_PKG_REPOSITORY"), upstream);
    let mut named = 0;
    for rel in [
        "action.yml",
        "examples/ci/catalog.yml",
        "examples/ci/verify.yml",
        "examples/ci/gitlab-ci.yml",
        "examples/ci/pre-commit-config.yaml",
        "README.md",
        "RELEASING.md",
        "CONTRIBUTING.md",
    ] {
        let text = std::fs::read_to_string(crate::root().join(rel)).expect(rel);
        for (i, line) in text.lines().enumerate() {
            for marker in ["alliance-catalog/alliance-catalog@", "--tag ", "rev: "] {
                let mut rest = line;
                while let Some(at) = rest.find(marker) {
                    let after = &rest[at + marker.len()..];
                    let word: String = after
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-')
                        .collect();
                    if word.starts_with('v') && word[1..].starts_with(|c: char| c.is_ascii_digit())
                    {
                        assert_eq!(word, version, "{rel}:{}: {line}", i + 1);
                        named += 1;
                    }
                    rest = after;
                }
            }
            if line.contains("cargo install") && line.contains("--git") {
                assert!(line.contains("--locked"), "{rel}:{}: {line}", i + 1);
                assert!(line.contains(upstream), "{rel}:{}: {line}", i + 1);
            }
        }
    }
    assert!(named >= 6, "only {named} pinned versions found");
    let changelog = std::fs::read_to_string(crate::root().join("CHANGELOG.md")).expect("changelog");
    assert!(
        changelog.contains(&format!("## [{}]", env!("CARGO_PKG_VERSION"))),
        "CHANGELOG.md has no section for {version}"
    );
}

/// The composite action installs the pinned release with --locked from the
/// upstream repository and runs the given command.
#[test]
fn the_action_installs_a_pinned_release_and_runs_a_command() {
    let action = yaml_file("action.yml");
    assert_eq!(action["runs"]["using"], "composite");
    assert!(action["inputs"]["command"].is_object());
    assert!(action["inputs"]["version"].is_object());
    let steps = action["runs"]["steps"].as_array().expect("steps");
    let install = steps[0]["run"].as_str().expect("install step");
    // By default the action's own files (the repository at the `uses:` ref)...
    assert!(
        install.contains("cargo install --locked --path \"$GITHUB_ACTION_PATH\""),
        "{install}"
    );
    // ...or, given `version`, that tag from the upstream repository.
    assert!(install.contains(
        "cargo install --locked --git https://github.com/alliance-catalog/alliance-catalog --tag \"$ALLIANCE_CATALOG_VERSION\""
    ), "{install}");
    assert_eq!(
        steps[0]["env"]["ALLIANCE_CATALOG_VERSION"],
        "${{ inputs.version }}"
    );
    let run = steps[1]["run"].as_str().expect("run step");
    assert!(run.contains("\"$ALLIANCE_CATALOG_COMMAND\""), "{run}");
    assert_eq!(steps[1]["if"], "inputs.command != ''");
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

/// `new` checks the values it is given before writing anything: each bad
/// one is named by its option, with the fix, and no file is written.
#[test]
fn new_refuses_bad_values_at_once_and_writes_nothing() {
    let (_dir, catalog) = crate::scratch_catalog();
    let out = cmd()
        .arg("--catalog")
        .arg(&catalog)
        .args([
            "new",
            "my-tool",
            "--license",
            "MIT License",
            "--category",
            "gardrail",
            "--language",
            "German",
            "--version",
            "3.3",
            "--released",
            "2030-01-01",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for line in [
        "error: --license: `MIT License` is not a valid SPDX license expression (unknown term); did you mean `MIT`?",
        "error: --category: `gardrail` is not a category of the taxonomy; did you mean `guardrail`?",
        "error: --language: `German` is not a BCP 47 language tag; did you mean `de`?",
        "error: --released: the release date 2030-01-01 is after today (2026-12-02); record only releases that happened",
        "nothing written; correct the options above and run `new` again",
    ] {
        assert!(
            stderr.lines().any(|l| l == line),
            "missing {line:?} in:\n{stderr}"
        );
    }
    assert!(
        stderr.contains("error: --version: `3.3` is not a semantic version (")
            && stderr.contains("did you mean `3.3.0`?"),
        "{stderr}"
    );
    assert!(!catalog.join("tools/my-tool.yaml").exists());
    // The suggested values are accepted.
    cmd()
        .arg("--catalog")
        .arg(&catalog)
        .args([
            "new",
            "my-tool",
            "--license",
            "MIT",
            "--category",
            "guardrail",
            "--language",
            "de",
            "--version",
            "3.3.0",
            "--released",
            "2026-11-01",
        ])
        .assert()
        .success();
    let written = std::fs::read_to_string(catalog.join("tools/my-tool.yaml")).expect("written");
    assert!(written.contains("\nlanguages: [\"de\"]\n"), "{written}");
}
