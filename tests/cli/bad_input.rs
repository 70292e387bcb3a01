//! Every bad-input case of the contract, as a real file, with the code and
//! position it must be reported at. Each file is checked as a submission
//! beside the fixture catalog.

use crate::{fixture, fixture_cmd, validate_json};

/// An expected diagnostic: (code, line, column).
type Expect = (&'static str, u64, u64);

/// (fixture file, expected diagnostics).
const CASES: &[(&str, &[Expect])] = &[
    ("yaml-syntax.yaml", &[("yaml-syntax", 4, 7)]),
    ("duplicate-key.yaml", &[("duplicate-key", 11, 1)]),
    ("schema-missing.yaml", &[("schema", 2, 1)]),
    ("schema-type.yaml", &[("schema", 27, 14)]),
    (
        "unknown-key.yaml",
        &[("schema", 2, 1), ("unknown-key", 10, 1)],
    ),
    (
        "unsupported-schema-version.yaml",
        &[("unsupported-schema-version", 2, 17)],
    ),
    ("id-mismatch.yaml", &[("id-mismatch", 3, 5)]),
    ("beta-eval.yaml", &[("duplicate-id", 3, 5)]),
    ("unknown-category.yaml", &[("unknown-category", 14, 14)]),
    ("unknown-risk.yaml", &[("unknown-risk", 15, 27)]),
    ("unknown-lifecycle.yaml", &[("unknown-lifecycle", 16, 13)]),
    ("unknown-modality.yaml", &[("unknown-modality", 17, 14)]),
    ("unknown-interface.yaml", &[("unknown-interface", 19, 14)]),
    ("unknown-platform.yaml", &[("unknown-platform", 26, 7)]),
    ("invalid-language.yaml", &[("invalid-language", 18, 17)]),
    ("invalid-license.yaml", &[("invalid-license", 10, 10)]),
    ("invalid-version.yaml", &[("invalid-version", 27, 14)]),
    (
        "invalid-requirement.yaml",
        &[("invalid-requirement", 30, 15)],
    ),
    ("duplicate-version.yaml", &[("duplicate-version", 27, 14)]),
    ("invalid-date.yaml", &[("invalid-date", 28, 15)]),
    ("future-date.yaml", &[("future-date", 23, 15)]),
    ("review-overdue.yaml", &[("review-overdue", 37, 16)]),
    ("too-few-reviewers.yaml", &[("too-few-reviewers", 34, 14)]),
    ("unresolved-related.yaml", &[("unresolved-related", 38, 23)]),
    ("insecure-url.yaml", &[("insecure-url", 8, 11)]),
    ("javascript-url.yaml", &[("insecure-url", 8, 11)]),
    ("invalid-url.yaml", &[("invalid-url", 8, 11)]),
    ("invalid-email.yaml", &[("invalid-email", 14, 12)]),
    ("control-character.yaml", &[("control-character", 4, 7)]),
    ("bidi-character.yaml", &[("control-character", 4, 7)]),
    (
        "invisible-character.yaml",
        &[("invisible-character", 4, 20)],
    ),
    ("multiple-documents.yaml", &[("multiple-documents", 38, 1)]),
    ("yaml-tag.yaml", &[("yaml-tag", 4, 7), ("schema", 4, 7)]),
    ("billion-laughs.yaml", &[("yaml-limit", 4, 36)]),
    ("deep-nesting.yaml", &[("yaml-limit", 2, 70)]),
    ("block-nesting.yaml", &[("yaml-limit", 66, 65)]),
    ("non-utf8.yaml", &[("encoding", 4, 16)]),
    ("utf16.yaml", &[("encoding", 1, 1)]),
    ("bom.yaml", &[("encoding", 1, 1)]),
    ("crlf.yaml", &[]),
    ("html-in-text.yaml", &[]),
    ("empty.yaml", &[("schema", 1, 1)]),
    ("not-a-mapping.yaml", &[("schema", 1, 1)]),
];

#[test]
fn every_bad_input_case_reports_its_code_at_its_position() {
    let mut failures = Vec::new();
    for (file, expected) in CASES {
        let path = fixture(&format!("bad/{file}"));
        let (code, found, summary) =
            validate_json(fixture_cmd(), &[path.to_str().expect("utf-8 path")]);
        let got: Vec<(&str, u64, u64)> = found
            .iter()
            .map(|f| (f.code.as_str(), f.line, f.column))
            .collect();
        if got != *expected {
            failures.push(format!("{file}: expected {expected:?}, got {got:?}"));
        }
        let errors = found.iter().filter(|f| f.severity == "error").count();
        let want_exit = if errors > 0 { 1 } else { 0 };
        if code != want_exit {
            failures.push(format!("{file}: exit {code}, expected {want_exit}"));
        }
        if summary["files"] != 1 {
            failures.push(format!("{file}: summary counts {} files", summary["files"]));
        }
        for f in &found {
            if !f.file.ends_with(file) {
                failures.push(format!("{file}: diagnostic names another file {}", f.file));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_fixture_file_has_a_case() {
    let dir = fixture("bad");
    for entry in std::fs::read_dir(&dir).expect("fixtures") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        assert!(
            CASES.iter().any(|(f, _)| *f == name),
            "tests/fixtures/bad/{name} has no expectation in CASES"
        );
    }
}

#[test]
fn all_bad_files_at_once_hide_nothing() {
    let paths: Vec<String> = CASES
        .iter()
        .map(|(f, _)| fixture(&format!("bad/{f}")).to_string_lossy().into_owned())
        .collect();
    let args: Vec<&str> = paths.iter().map(String::as_str).collect();
    let (code, found, summary) = validate_json(fixture_cmd(), &args);
    let expected: usize = CASES.iter().map(|(_, e)| e.len()).sum();
    assert_eq!(code, 1);
    assert_eq!(found.len(), expected, "{found:#?}");
    assert_eq!(summary["files"], CASES.len());
}

#[test]
fn huge_file_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("huge.yaml");
    let file = std::fs::File::create(&path).expect("create");
    file.set_len(100 * 1024 * 1024).expect("100 MB sparse file");
    let (code, found, _) = validate_json(fixture_cmd(), &[path.to_str().expect("utf-8")]);
    assert_eq!(code, 1);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code, "file-too-large");
    assert_eq!((found[0].line, found[0].column), (1, 1));
}

#[cfg(unix)]
#[test]
fn symlink_out_of_the_catalog_is_not_followed() {
    let (dir, catalog) = crate::scratch_catalog();
    let secret = dir.path().join("secret.yaml");
    std::fs::write(&secret, "id: secret\n").expect("write");
    std::os::unix::fs::symlink(&secret, catalog.join("tools/evil.yaml")).expect("symlink");
    let c = crate::catalog_cmd(&catalog);
    let (code, found, _) = validate_json(c, &[]);
    assert_eq!(code, 1);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].code, "unsafe-path");
    assert!(found[0].file.ends_with("evil.yaml"));
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_reported_and_others_still_checked() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, catalog) = crate::scratch_catalog();
    let locked = catalog.join("tools/locked.yaml");
    std::fs::write(&locked, "id: locked\n").expect("write");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read(&locked).is_ok() {
        // Running as root: permissions do not stop reads; nothing to test.
        return;
    }
    std::fs::copy(
        fixture("bad/unknown-risk.yaml"),
        catalog.join("tools/unknown-risk.yaml"),
    )
    .expect("copy");
    let c = crate::catalog_cmd(&catalog);
    let (_, found, _) = validate_json(c, &[]);
    let codes: Vec<&str> = found.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, vec!["unreadable", "unknown-risk"]);
}

#[cfg(unix)]
#[test]
fn fifo_and_broken_link_are_unreadable_not_a_hang() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("pipe.yaml");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
    let (code, found, _) = validate_json(fixture_cmd(), &[fifo.to_str().expect("utf-8")]);
    assert_eq!(code, 1);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].code, "unreadable");

    let catalog = dir.path().join("catalog");
    crate::copy_dir(&fixture("catalog"), &catalog);
    std::os::unix::fs::symlink(
        catalog.join("tools/gone.yaml"),
        catalog.join("tools/dangling.yaml"),
    )
    .expect("symlink");
    let c = crate::catalog_cmd(&catalog);
    let (code, found, _) = validate_json(c, &[]);
    assert_eq!(code, 1);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].code, "unreadable");
    assert!(found[0].message.contains("broken symbolic link"));
}

#[test]
fn license_policy_flags_what_the_settings_name() {
    let (_dir, catalog) = crate::scratch_catalog();
    let settings = catalog.join("alliance-catalog.toml");
    let text = std::fs::read_to_string(&settings).expect("read");
    std::fs::write(
        &settings,
        text.replace(
            "review_max_age_days = 365",
            "review_max_age_days = 365\nflag_licenses = [\"MIT\"]",
        ),
    )
    .expect("write");
    let c = crate::catalog_cmd(&catalog);
    let (code, found, _) = validate_json(c, &[]);
    assert_eq!(code, 0, "warnings only");
    let flagged: Vec<(&str, &str, u64)> = found
        .iter()
        .map(|f| (f.code.as_str(), f.severity.as_str(), f.line))
        .collect();
    assert_eq!(
        flagged,
        vec![
            ("license-policy", "warning", 7),
            ("license-policy", "warning", 7)
        ]
    );
}
