//! Every example command in README.md and CONTRIBUTING.md is run, and its
//! output compared, so the documentation cannot drift from the behaviour.
//! Each document runs in a scratch copy of the repository's data, so the
//! examples that write files (`new`, `index`) touch nothing real.

use std::path::Path;

fn sandboxed_case(doc: &str, scratch: &Path) -> std::path::PathBuf {
    let root = crate::root();
    let stem = doc.trim_end_matches(".md");
    let base = scratch.join(format!("{stem}.in"));
    for dir in ["catalog", "schemas", "examples", "tests/fixtures"] {
        crate::copy_dir(&root.join(dir), &base.join(dir));
    }
    let copy = scratch.join(doc);
    std::fs::copy(root.join(doc), &copy).expect("copy document");
    copy
}

#[test]
fn documented_commands_behave_as_documented() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let readme = sandboxed_case("README.md", scratch.path());
    let contributing = sandboxed_case("CONTRIBUTING.md", scratch.path());
    {
        // The cases run when `TestCases` is dropped, at the end of this block.
        trycmd::TestCases::new()
            .register_bin(
                "alliance-catalog",
                std::path::PathBuf::from(env!("CARGO_BIN_EXE_alliance-catalog")),
            )
            .env("ALLIANCE_CATALOG_TODAY", "2026-12-02")
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100")
            .case(&readme)
            .case(&contributing);
    }
    // `TRYCMD=overwrite cargo test documented` rewrites the outputs in the
    // scratch copies; bring them back to review with `git diff`.
    if std::env::var("TRYCMD").is_ok_and(|v| v == "overwrite") {
        for (copy, doc) in [(&readme, "README.md"), (&contributing, "CONTRIBUTING.md")] {
            std::fs::copy(copy, crate::root().join(doc)).expect("write back");
        }
    }
}

#[test]
fn every_command_help_shows_an_example() {
    let out = crate::cmd().arg("--help").output().expect("runs");
    let help = String::from_utf8(out.stdout).expect("utf-8");
    assert!(help.contains("Examples:"), "{help}");
    let commands: Vec<String> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    assert!(commands.len() >= 13, "{commands:?}");
    for command in commands {
        let out = crate::cmd()
            .args([command.as_str(), "--help"])
            .output()
            .expect("runs");
        let text = String::from_utf8(out.stdout).expect("utf-8");
        assert!(
            text.contains("Examples:\n  alliance-catalog "),
            "`alliance-catalog {command} --help` shows no example:\n{text}"
        );
    }
}

#[test]
fn completions_and_man_page_come_from_the_same_definition() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = crate::cmd()
            .args(["completions", shell])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = String::from_utf8(out.stdout).expect("utf-8");
        // The script calls the binary back, which answers from the same
        // definition as --help and the man page.
        assert!(
            text.contains("ALLIANCE_CATALOG_COMPLETE"),
            "{shell} script does not call the binary back: {text}"
        );
    }
    let out = crate::cmd()
        .env("ALLIANCE_CATALOG_COMPLETE", "fish")
        .args(["--", "alliance-catalog", ""])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let offered = String::from_utf8(out.stdout).expect("utf-8");
    for sub in ["validate", "compat", "coverage"] {
        assert!(
            offered.lines().any(|l| l.starts_with(&format!("{sub}\t"))),
            "completion lacks {sub}: {offered}"
        );
    }
    crate::cmd().args(["completions", "tcsh"]).assert().code(2);
    let out = crate::cmd().arg("man").output().expect("runs");
    let page = String::from_utf8(out.stdout).expect("utf-8");
    assert!(page.contains(".TH alliance-catalog 1"), "{page}");
    // One page with every subcommand, each with its synopsis and options.
    let help = String::from_utf8(crate::cmd().arg("--help").output().expect("runs").stdout)
        .expect("utf-8");
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.len() >= 15, "{commands:?}");
    for command in commands {
        let heading = format!(".SH \"ALLIANCE-CATALOG {}\"", command.to_uppercase());
        let at = page
            .find(&heading)
            .unwrap_or_else(|| panic!("no section {heading}"));
        let section = &page[at..];
        let end = section[1..].find("\n.SH ").map_or(section.len(), |e| e + 1);
        let section = &section[..end];
        assert!(section.contains(".SS Synopsis"), "{section}");
        assert!(
            section.contains(&format!("alliance\\-catalog {command}")),
            "{section}"
        );
        assert!(section.contains(".SS Examples"), "{section}");
    }
    for heading in [".SH \"EXIT STATUS\"", ".SH ENVIRONMENT"] {
        assert!(page.contains(heading), "{heading}");
    }
    for variable in ["ALLIANCE_CATALOG_TODAY", "NO_COLOR", "COLUMNS"] {
        assert!(page.contains(variable), "{variable}");
    }
}

#[test]
fn version_names_the_built_in_catalog() {
    let out = crate::cmd().arg("--version").output().expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let tools = std::fs::read_dir(crate::root().join("catalog/tools"))
        .expect("tools")
        .count();
    assert!(
        text.starts_with(&format!(
            "alliance-catalog {} (built-in catalog: {tools} entries, facts last checked 20",
            env!("CARGO_PKG_VERSION")
        )),
        "{text}"
    );
    assert!(text.contains(", digest "), "{text}");
}

#[test]
fn schema_command_prints_the_files() {
    for name in ["tool", "taxonomy", "export"] {
        let out = crate::cmd().args(["schema", name]).output().expect("runs");
        let expected =
            std::fs::read(crate::root().join(format!("schemas/{name}.schema.json"))).expect("file");
        assert_eq!(out.stdout, expected, "{name}");
    }
    crate::cmd()
        .args(["schema", "nope"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("tool, taxonomy, export"));
}

/// Every `alliance-catalog list` and `show` example of the help texts
/// returns something on the shipped catalog.
#[test]
fn help_examples_return_something_on_the_shipped_catalog() {
    let mut examples = Vec::new();
    for args in [
        vec!["--help"],
        vec!["list", "--help"],
        vec!["show", "--help"],
    ] {
        let out = crate::cmd().args(&args).output().expect("runs");
        let help = String::from_utf8(out.stdout).expect("utf-8");
        for line in help.lines() {
            let line = line.split('#').next().unwrap_or_default().trim();
            if let Some(rest) = line.strip_prefix("alliance-catalog ")
                && (rest.starts_with("list") || rest.starts_with("show"))
            {
                examples.push(rest.to_string());
            }
        }
    }
    assert!(examples.len() >= 7, "{examples:?}");
    for example in examples {
        let words: Vec<&str> = example.split_whitespace().collect();
        let out = crate::cmd()
            .env("COLUMNS", "200")
            .args(&words)
            .output()
            .expect("runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "`{example}`: {stdout}");
        assert!(
            !stdout.contains("no tool matches") && stdout.trim().len() > 2,
            "`{example}` returns nothing: {stdout}"
        );
    }
}

/// `.ci/run` looks for the vendored advisory database before anything
/// else and, when it is absent, stops at once (exit 2) saying what to do.
#[test]
fn ci_script_checks_for_the_advisory_database_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(repo.join(".ci")).expect("mkdir");
    std::fs::copy(crate::root().join(".ci/run"), repo.join(".ci/run")).expect("copy");
    let out = std::process::Command::new("bash")
        .arg(repo.join(".ci/run"))
        .current_dir(dir.path())
        // No cargo on PATH: had the script got past the check, it would fail
        // differently.
        .env("PATH", "/usr/bin:/bin")
        .output()
        .expect("bash runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("error: .ci/run needs the vendored RustSec advisory database"),
        "{stderr}"
    );
    assert!(stderr.contains("advisory-db-2026-08-21.tar.gz"), "{stderr}");
    assert!(stderr.contains("cargo deny check"), "{stderr}");
}
