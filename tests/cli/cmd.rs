//! The human output of every command, exactly as users read it today:
//! `tests/cmd/*.toml` are trycmd cases, each one run of the real binary with
//! its expected exit code, stdout (`NAME.stdout`) and stderr (`NAME.stderr`).
//!
//! Cases with `fs.cwd = "../.."` run from the repository root and only read
//! the fixture catalogs. Cases with `fs.sandbox = true` run in a temporary
//! folder (seeded from `NAME.in/` when there is one), find the fixture
//! catalog through `ALLIANCE_CATALOG`, and the files they leave must match
//! `NAME.out/`; nothing is written into the repository.
//!
//! `TRYCMD=overwrite cargo test --test cli cmd` rewrites the expected
//! outputs; review them with `git diff`.

use std::path::{Path, PathBuf};

const BIN: &str = env!("CARGO_BIN_EXE_alliance-catalog");

/// The environment of every case, besides "today".
fn fixed_env() -> [(&'static str, String); 3] {
    [
        (
            "ALLIANCE_CATALOG",
            crate::fixture("catalog").to_string_lossy().into_owned(),
        ),
        ("NO_COLOR", "1".into()),
        ("COLUMNS", "100".into()),
    ]
}

/// Runs the cases `tests/cmd/{dir}*.toml` on the day `today`.
fn run_cases(dir: &str, today: &str) {
    let folder = crate::root().join("tests/cmd").join(dir);
    {
        let cases = trycmd::TestCases::new();
        cases
            .register_bin("alliance-catalog", PathBuf::from(BIN))
            .env("ALLIANCE_CATALOG_TODAY", today);
        for (key, value) in fixed_env() {
            cases.env(key, value);
        }
        cases.case(folder.join("*.toml"));
        // The cases run when `cases` is dropped, at the end of this block.
    }
    exact_streams(&folder, today);
}

/// trycmd compares text with every `\` read as `/` and CRLF as LF (it
/// normalises paths), and writes it back so on overwrite. That would hide,
/// and then erase, a change in escaping (`\[`, `\u202E`, `\n`), so the cases
/// that run in the repository are compared byte for byte as well, and
/// overwrite stores their exact bytes.
fn exact_streams(folder: &Path, today: &str) {
    let overwrite = std::env::var("TRYCMD").is_ok_and(|v| v == "overwrite");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(folder)
        .expect("tests/cmd")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    cases.sort();
    let mut checked = 0;
    let mut differ = Vec::new();
    for case in &cases {
        let spec: toml::Table = std::fs::read_to_string(case)
            .expect("read case")
            .parse()
            .expect("case is TOML");
        assert!(
            !spec.contains_key("env"),
            "{}: set the environment in tests/cli/cmd.rs, where both runs see it",
            case.display()
        );
        if spec
            .get("fs")
            .and_then(|fs| fs.get("sandbox"))
            .and_then(toml::Value::as_bool)
            .unwrap_or(false)
        {
            continue;
        }
        let args: Vec<&str> = spec["args"]
            .as_array()
            .expect("args is an array")
            .iter()
            .map(|a| a.as_str().expect("args are strings"))
            .collect();
        let mut cmd = std::process::Command::new(BIN);
        cmd.args(&args)
            .current_dir(crate::root())
            .env("ALLIANCE_CATALOG_TODAY", today)
            .envs(fixed_env());
        let out = cmd.output().expect("runs");
        for (ext, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            let path = case.with_extension(ext);
            if overwrite {
                std::fs::write(&path, bytes).expect("write expected output");
            } else if std::fs::read(&path).ok().as_ref() != Some(bytes) {
                differ.push(path.display().to_string());
            }
        }
        checked += 1;
    }
    assert!(checked > 0, "no case ran in the repository");
    assert!(
        differ.is_empty(),
        "these outputs differ from the command's, byte for byte: {differ:#?}"
    );
}

#[test]
fn cmd_human_output() {
    run_cases("", "2026-12-02");
}

/// A later day, when a vetting of the fixture catalog is overdue.
#[test]
fn cmd_human_output_later() {
    run_cases("2027-03-01", "2027-03-01");
}
