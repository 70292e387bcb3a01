//! Shell completion driven in a real bash: the script `completions bash`
//! prints is sourced, registered with `complete`, and its function called
//! the way bash calls it at a Tab (COMP_WORDS, COMP_CWORD, COMP_LINE,
//! COMP_POINT, COMP_TYPE), so what is asserted is what a user's Tab gets.
//! Values come from the catalog the command would use.

use std::path::Path;

use crate::{cmd, fixture};

/// The words bash offers at the end of each line of `lines`, run in one
/// bash from `cwd` after sourcing the completion script.
fn complete_in_bash(cwd: &Path, lines: &[&[&str]]) -> (String, Vec<Vec<String>>) {
    let out = cmd().args(["completions", "bash"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let dir = tempfile::tempdir().expect("tempdir");
    let script = dir.path().join("alliance-catalog.bash");
    std::fs::write(&script, &out.stdout).expect("write script");
    let mut program = format!(
        "source {}\ncomplete -p alliance-catalog\n\
         t() {{ COMP_WORDS=(\"$@\"); COMP_CWORD=$((${{#COMP_WORDS[@]}}-1)); COMP_LINE=\"$*\"; \
         COMP_POINT=${{#COMP_LINE}}; COMP_TYPE=9; COMPREPLY=(); \
         _clap_complete_alliance_catalog alliance-catalog \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; \
         printf 'REPLY'; printf ' %s' \"${{COMPREPLY[@]}}\"; printf '\\n'; }}\n",
        script.display()
    );
    for words in lines {
        program.push('t');
        for w in *words {
            program.push_str(&format!(" '{w}'"));
        }
        program.push('\n');
    }
    let out = std::process::Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .current_dir(cwd)
        .env("ALLIANCE_CATALOG_TODAY", "2026-12-02")
        .env_remove("ALLIANCE_CATALOG")
        .env_remove("ALLIANCE_CATALOG_COMPLETE")
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let registration = stdout.lines().next().unwrap_or_default().to_string();
    let replies = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("REPLY"))
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .collect();
    (registration, replies)
}

#[test]
fn bash_completes_subcommands_options_and_catalog_values() {
    let catalog = fixture("catalog");
    let c = catalog.to_str().expect("utf-8");
    let (registration, replies) = complete_in_bash(
        &crate::root(),
        &[
            &["alliance-catalog", "sh"],
            // Options after the subcommand: what clap-rs/clap#6421 broke.
            &["alliance-catalog", "validate", "--sk"],
            &["alliance-catalog", "list", "--ca"],
            // Taxonomy ids of the catalog named on the command line.
            &["alliance-catalog", "--catalog", c, "list", "--risk", ""],
            &[
                "alliance-catalog",
                "list",
                "--catalog",
                c,
                "--category",
                "g",
            ],
            // Tool ids after `show`.
            &["alliance-catalog", "--catalog", c, "show", "a"],
            // The shipped catalog, found from the repository root.
            &["alliance-catalog", "show", "gar"],
            &["alliance-catalog", "compat", "--with", "py"],
            &["alliance-catalog", "list", "--risk", "pii"],
            &["alliance-catalog", "list", "--interface", "py"],
        ],
    );
    assert!(
        registration.contains("-F _clap_complete_alliance_catalog alliance-catalog"),
        "{registration}"
    );
    let expected: &[&[&str]] = &[
        &["show"],
        &["--skip-time-based"],
        &["--category", "--catalog"],
        &["prompt-injection", "jailbreak", "toxicity"],
        &["guardrail"],
        &["alpha-guard"],
        &["garak"],
        &["python=", "pytorch="],
        &["pii-leakage"],
        &["python-library"],
    ];
    assert_eq!(replies.len(), expected.len(), "{replies:?}");
    for (got, want) in replies.iter().zip(expected) {
        assert_eq!(got, want);
    }
}

/// The taxonomy ids offered are exactly those of the catalog in use.
#[test]
fn bash_offers_every_risk_of_the_shipped_taxonomy() {
    let (_, replies) = complete_in_bash(
        &crate::root(),
        &[&["alliance-catalog", "list", "--risk", ""]],
    );
    let out = cmd().args(["export"]).output().expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let mut risks: Vec<String> = doc["taxonomy"]["risks"]
        .as_array()
        .expect("risks")
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_string())
        .collect();
    let mut offered = replies[0].clone();
    risks.sort();
    offered.sort();
    assert!(risks.len() > 10, "{risks:?}");
    assert_eq!(offered, risks);
}
