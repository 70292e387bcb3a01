//! `compat`: stacks, statuses, formats, the matrix, and the shipped examples.

use predicates::prelude::*;

use crate::{cmd, fixture, fixture_cmd};

fn report(args: &[&str]) -> serde_json::Value {
    let mut c = fixture_cmd();
    c.arg("compat").args(args).args(["--format", "json"]);
    crate::success_json(c)
}

fn statuses(doc: &serde_json::Value) -> Vec<(String, String, String)> {
    doc["tools"]
        .as_array()
        .expect("tools")
        .iter()
        .map(|t| {
            (
                t["id"].as_str().unwrap_or_default().to_string(),
                t["status"].as_str().unwrap_or_default().to_string(),
                t["version"].as_str().unwrap_or("null").to_string(),
            )
        })
        .collect()
}

#[test]
fn stack_file_gives_the_spec_json_shape() {
    let doc = report(&[
        "--stack",
        fixture("stacks/team.toml").to_str().expect("utf-8"),
    ]);
    assert_eq!(doc["stack"]["name"], "team-llm-prod");
    assert_eq!(doc["stack"]["platforms"]["pytorch"], "2.3.1+cu121");
    // alpha-guard 2.1.0 needs pytorch >=2.4; 1.4.2 only python >=3.9.
    // gamma-scan 1.0.0 records no requirements: not compatible, unknown.
    assert_eq!(
        statuses(&doc),
        [
            ("alpha-guard".into(), "compatible".into(), "1.4.2".into()),
            ("beta-eval".into(), "compatible".into(), "0.3.0".into()),
            ("gamma-scan".into(), "unknown".into(), "1.0.0".into()),
        ]
    );
    for t in doc["tools"].as_array().expect("tools") {
        for key in [
            "id",
            "status",
            "version",
            "requirements_recorded",
            "requirements",
            "reasons",
            "missing",
        ] {
            assert!(t.get(key).is_some(), "missing {key}");
        }
    }
    assert_eq!(doc["tools"][2]["requirements_recorded"], false);
    // A compatible release lists the requirements it meets.
    assert_eq!(
        doc["tools"][0]["requirements"],
        serde_json::json!([{"platform": "python", "requirement": ">=3.9", "version": "3.12", "outcome": "met"}])
    );
}

#[test]
fn with_wins_over_the_file_and_all_statuses_appear() {
    let doc = report(&[
        "--stack",
        fixture("stacks/team.toml").to_str().expect("utf-8"),
        "--with",
        "python=3.10",
        "--with",
        "pytorch=2.5.0rc1",
    ]);
    assert_eq!(doc["stack"]["platforms"]["python"], "3.10");
    assert_eq!(
        statuses(&doc),
        [
            ("alpha-guard".into(), "compatible".into(), "2.1.0".into()),
            ("beta-eval".into(), "incompatible".into(), "0.3.0".into()),
            ("gamma-scan".into(), "unknown".into(), "1.0.0".into()),
        ]
    );
    let beta = &doc["tools"][1];
    assert_eq!(
        beta["reasons"],
        serde_json::json!([{"platform": "python", "requirement": ">=3.11", "version": "3.10"}])
    );
    // Every version of alpha-guard needs python, which this stack lacks.
    let only_torch = report(&["--with", "pytorch=2.5"]);
    let alpha = &only_torch["tools"][0];
    assert_eq!(alpha["status"], "unknown");
    assert_eq!(alpha["version"], "2.1.0");
    assert_eq!(alpha["missing"], serde_json::json!(["python"]));
}

#[test]
fn only_and_filters_narrow_the_report() {
    let doc = report(&["--with", "python=3.10", "--only", "incompatible"]);
    assert_eq!(
        statuses(&doc),
        [("beta-eval".into(), "incompatible".into(), "0.3.0".into())]
    );
    let doc = report(&["--with", "python=3.12", "--category", "red-teaming"]);
    assert_eq!(statuses(&doc).len(), 1);
}

#[test]
fn typo_in_stack_file_names_file_line_and_suggestion() {
    fixture_cmd()
        .args(["compat", "--stack"])
        .arg(fixture("stacks/typo.toml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("stacks/typo.toml:5:1: `pytroch` is not a platform of the taxonomy; did you mean `pytorch`?"));
}

#[test]
fn unreadable_stacks_are_usage_errors() {
    for (file, needle) in [
        (
            "float.toml",
            "float.toml:2:10: write the version of `python` as a string in quotes: python = \"3.10\"",
        ),
        (
            "unknown-key.toml",
            "unknown-key.toml:2:1: unknown field `platform`",
        ),
        (
            "bad-version.toml",
            "bad-version.toml:2:10: `three` is not a version",
        ),
    ] {
        fixture_cmd()
            .args(["compat", "--stack"])
            .arg(fixture(&format!("stacks/{file}")))
            .assert()
            .code(2)
            .stderr(predicate::str::contains(needle));
    }
    fixture_cmd()
        .args(["compat", "--with", "pytroch=2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `pytorch`?"));
    fixture_cmd()
        .args(["compat", "--with", "python"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("NAME=VERSION"));
    fixture_cmd()
        .arg("compat")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("needs a stack"));
    fixture_cmd()
        .args(["compat", "--stack", "no/such/stack.toml"])
        .assert()
        .code(2);
}

#[test]
fn table_and_markdown_say_why() {
    fixture_cmd()
        .args(["compat", "--with", "python=3.10", "--with", "pytorch=2.5"])
        .assert()
        .success()
        .stdout(predicate::str::contains("stack: python 3.10, pytorch 2.5"))
        .stdout(predicate::str::contains("python 3.10 fails >=3.11"))
        .stdout(predicate::str::contains("no requirements recorded"))
        .stdout(predicate::str::ends_with(
            "1 compatible, 1 unknown, 1 incompatible\n",
        ));
    fixture_cmd()
        .args(["compat", "--with", "pytorch=2.5", "--format", "markdown"])
        .assert()
        .success()
        .stdout(predicate::str::contains("| Tool | Status | Version | Why |"))
        .stdout(predicate::str::contains("| [Alpha Guard](https://example.org/alpha) (`alpha-guard`) | unknown | 2.1.0 | stack does not name python |"));
}

#[test]
fn status_is_coloured_only_on_request() {
    let out = fixture_cmd()
        .env_remove("NO_COLOR")
        .args(["--color", "always", "compat", "--with", "python=3.10"])
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.contains("\u{1b}[31mincompatible\u{1b}[0m"), "{text}");
}

#[test]
fn matrix_shows_latest_requirements_per_platform() {
    fixture_cmd()
        .args(["compat", "--matrix", "--format", "markdown"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "| TOOL | VERSION | python | pytorch |",
        ))
        .stdout(predicate::str::contains(
            "| alpha-guard | 2.1.0 | &gt;=3.10, &lt;3.14 | &gt;=2.4 |",
        ))
        .stdout(predicate::str::contains(
            "| gamma-scan | 1.0.0 | \\- | \\- |",
        ));
    let out = fixture_cmd()
        .args(["compat", "--matrix", "--format", "json"])
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["platforms"], serde_json::json!(["python", "pytorch"]));
    fixture_cmd()
        .args(["compat", "--matrix"])
        .assert()
        .success()
        .stdout(predicate::str::contains(">=3.10, <3.14"));
}

#[test]
fn shipped_example_stacks_show_all_three_statuses() {
    let dir = crate::root().join("examples/stacks");
    let mut stacks: Vec<_> = std::fs::read_dir(&dir)
        .expect("examples/stacks")
        .map(|e| e.expect("entry").path())
        .collect();
    stacks.sort();
    assert!(stacks.len() >= 3);
    for stack in stacks {
        let out = cmd()
            .args(["compat", "--format", "json", "--stack"])
            .arg(&stack)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(0), "{}", stack.display());
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        let seen: std::collections::BTreeSet<&str> = doc["tools"]
            .as_array()
            .expect("tools")
            .iter()
            .filter_map(|t| t["status"].as_str())
            .collect();
        assert_eq!(
            seen.into_iter().collect::<Vec<_>>(),
            ["compatible", "incompatible", "unknown"],
            "{}",
            stack.display()
        );
    }
}

#[test]
fn compat_says_how_many_tools_a_filter_left_out_for_declaring_no_value() {
    let run = |extra: &[&str]| {
        let out = cmd()
            .args(["compat", "--with", "python=3.11", "--language", "de"])
            .args(["--format", "json"])
            .args(extra)
            .output()
            .expect("runs");
        assert!(out.status.success());
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        let tools = doc["tools"].as_array().expect("tools").len();
        (tools, String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (narrow, note) = run(&[]);
    let left_out: usize = note
        .split("note: ")
        .nth(1)
        .and_then(|n| n.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a note with a count: {note}"));
    assert!(
        note.contains("declare no value for --language") && note.contains("--include-unknown"),
        "{note}"
    );
    let (wide, quiet) = run(&["--include-unknown"]);
    assert_eq!(
        wide,
        narrow + left_out,
        "--include-unknown adds exactly those"
    );
    assert!(!quiet.contains("declare no value"), "{quiet}");
}
