//! A hostile catalog: everything an attacker might put in a pull request,
//! each file with the diagnostics it must produce. Plus the cases that are
//! made at test time: thousands of files, huge files, files swapped while
//! being read, concurrent writers.

use std::collections::BTreeMap;

use crate::{cmd, fixture, validate_json};

/// (file under tests/fixtures/hostile/tools, expected (code, line, column)).
type Case = (&'static str, &'static [(&'static str, u64, u64)]);

const HOSTILE: &[Case] = &[
    ("alias-long-strings.yaml", &[("yaml-limit", 39, 1468)]),
    ("aliases-fine.yaml", &[("unknown-key", 18, 1)]),
    ("alpha-guard.yaml", &[("duplicate-id", 3, 5)]),
    (
        "annotation-injection.yaml",
        &[("control-character", 14, 14), ("unknown-category", 14, 14)],
    ),
    ("ansi-escape.yaml", &[("control-character", 5, 10)]),
    ("bad-date-shape.yaml", &[("invalid-date", 28, 15)]),
    ("bidi-name.yaml", &[("control-character", 4, 7)]),
    ("bom.yaml", &[("encoding", 1, 1)]),
    ("bool-name.yaml", &[("schema", 4, 7)]),
    ("compact-nesting.yaml", &[("yaml-syntax", 2, 7)]),
    ("crlf.yaml", &[]),
    ("data-url.yaml", &[("invalid-url", 8, 11)]),
    ("escaped-tag.yaml", &[("invisible-character", 4, 7)]),
    ("deep-block.yaml", &[("yaml-limit", 66, 129)]),
    ("deep-flow.yaml", &[("yaml-limit", 20, 262)]),
    ("deep-unknown-key.yaml", &[("unknown-key", 29, 5)]),
    ("float-version.yaml", &[("schema", 22, 14)]),
    ("hangul-filler.yaml", &[("invisible-character", 4, 8)]),
    ("homoglyph-id.yaml", &[("schema", 3, 5)]),
    ("html-and-markdown.yaml", &[]),
    ("http-maintainer.yaml", &[("insecure-url", 13, 10)]),
    ("huge-integer.yaml", &[("schema", 27, 14)]),
    ("huge-list.yaml", &[("schema", 20, 14)]),
    ("inf.yaml", &[("schema", 4, 7)]),
    ("invisible-times.yaml", &[("invisible-character", 4, 13)]),
    ("javascript-evidence.yaml", &[("insecure-url", 36, 7)]),
    (
        "line-separator-name.yaml",
        &[("invisible-character", 4, 13)],
    ),
    ("long-key.yaml", &[("yaml-syntax", 38, 50001)]),
    ("long-line.yaml", &[("schema", 5, 10)]),
    (
        "merge-key.yaml",
        &[("unknown-key", 31, 1), ("unknown-key", 33, 3)],
    ),
    ("mixed-line-ends.yaml", &[]),
    ("nan.yaml", &[("schema", 5, 10)]),
    ("nested-duplicate-key.yaml", &[("duplicate-key", 33, 3)]),
    ("noassertion.yaml", &[("invalid-license", 10, 10)]),
    ("norway-language.yaml", &[]),
    ("not-leap-day.yaml", &[("invalid-date", 28, 15)]),
    ("nul-byte.yaml", &[("yaml-syntax", 4, 12)]),
    ("only-comments.yaml", &[("schema", 1, 1)]),
    ("overlong-utf8.yaml", &[("encoding", 4, 13)]),
    ("requirement-bomb.yaml", &[("invalid-requirement", 30, 15)]),
    ("scalar-root.yaml", &[("schema", 1, 1)]),
    (
        "shadow-existing-id.yaml",
        &[("id-mismatch", 3, 5), ("duplicate-id", 3, 5)],
    ),
    ("slash-license.yaml", &[("invalid-license", 10, 10)]),
    ("soft-hyphen.yaml", &[("invisible-character", 4, 12)]),
    ("spdx-bomb.yaml", &[]),
    ("surrogate-utf8.yaml", &[("encoding", 4, 13)]),
    ("tab-in-value.yaml", &[("control-character", 4, 7)]),
    ("tab-indent.yaml", &[("yaml-syntax", 12, 2)]),
    ("tag-custom.yaml", &[("yaml-tag", 10, 10)]),
    (
        "tag-python-object.yaml",
        &[("yaml-tag", 4, 7), ("schema", 4, 7)],
    ),
    ("tag-set.yaml", &[("yaml-tag", 20, 7), ("schema", 20, 7)]),
    ("tag-smuggling.yaml", &[("invisible-character", 4, 18)]),
    ("undefined-alias.yaml", &[("yaml-syntax", 10, 10)]),
    ("utf16-be.yaml", &[("encoding", 1, 1)]),
    ("utf16-le.yaml", &[("encoding", 1, 1)]),
    ("version-string-bomb.yaml", &[]),
    (
        "zero-width-id.yaml",
        &[("control-character", 3, 5), ("schema", 3, 5)],
    ),
    ("zero-width-name.yaml", &[("control-character", 4, 7)]),
];

#[test]
fn hostile_catalog_yields_exactly_the_expected_diagnostics() {
    let mut c = cmd();
    c.arg("--catalog").arg(fixture("hostile"));
    let (code, found, summary) = validate_json(c, &[]);
    assert_eq!(code, 1);
    let mut by_file: BTreeMap<String, Vec<(String, u64, u64)>> = BTreeMap::new();
    for f in &found {
        let name = f.file.rsplit('/').next().unwrap_or_default().to_string();
        by_file
            .entry(name)
            .or_default()
            .push((f.code.clone(), f.line, f.column));
    }
    let mut problems = Vec::new();
    for (file, expected) in HOSTILE {
        let got = by_file.remove(*file).unwrap_or_default();
        let want: Vec<(String, u64, u64)> = expected
            .iter()
            .map(|(c, l, k)| (c.to_string(), *l, *k))
            .collect();
        if got != want {
            problems.push(format!("{file}: expected {want:?}, got {got:?}"));
        }
    }
    for (file, got) in by_file {
        problems.push(format!("{file}: unexpected {got:?}"));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let on_disk = std::fs::read_dir(fixture("hostile/tools"))
        .expect("tools")
        .count();
    assert_eq!(
        on_disk,
        HOSTILE.len(),
        "every hostile file needs an expectation"
    );
    assert!(HOSTILE.len() >= 40);
    assert_eq!(summary["files"], on_disk + 1);
}

#[test]
fn hostile_text_stays_inert_in_every_output_format() {
    let run = |format: &str| {
        let out = cmd()
            .arg("--catalog")
            .arg(fixture("hostile"))
            .args(["validate", "--format", format])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1));
        (out.stdout, out.stderr)
    };
    // GitHub annotations: one command per line, nothing else starts with `::`.
    let (github, _) = run("github");
    let text = String::from_utf8(github).expect("utf-8");
    for line in text.lines() {
        assert!(
            line.starts_with("::error file=") || line.starts_with("::warning file="),
            "{line}"
        );
        let message = line.splitn(3, "::").nth(2).unwrap_or_default();
        assert!(!message.contains("::"), "unescaped :: in {line}");
        assert!(!line.contains('\u{1b}') && !line.contains('\r'), "{line:?}");
    }
    // JSON and SARIF parse, and carry the text escaped, not raw.
    for format in ["json", "sarif"] {
        let (out, _) = run(format);
        serde_json::from_slice::<serde_json::Value>(&out).expect("valid JSON");
        assert!(!out.contains(&0x1b), "raw escape in {format}");
    }
    // The terminal never receives a control or bidi character.
    let (_, human) = run("human");
    let text = String::from_utf8(human).expect("utf-8");
    for bad in [
        '\u{1b}',
        '\u{202e}',
        '\u{200b}',
        '\0',
        '\r',
        '\u{e0049}',
        '\u{2062}',
        '\u{3164}',
    ] {
        assert!(!text.contains(bad), "{bad:?} reached the terminal");
    }
}

#[test]
fn thousands_of_files_are_all_checked() {
    let (_dir, catalog) = crate::scratch_catalog();
    let template = std::fs::read_to_string(fixture("catalog/tools/beta-eval.yaml")).expect("read");
    for i in 0..3000 {
        let id = format!("gen-{i:04}");
        let sub = catalog.join(format!("tools/part-{}", i % 7));
        std::fs::create_dir_all(&sub).expect("mkdir");
        let text = template.replace("id: beta-eval", &format!("id: {id}"));
        let text = if i % 1000 == 999 {
            text.replace("risks: [toxicity]", "risks: [toxcity]")
        } else {
            text
        };
        std::fs::write(sub.join(format!("{id}.yaml")), text).expect("write");
    }
    let c = crate::catalog_cmd(&catalog);
    let (code, found, summary) = validate_json(c, &[]);
    assert_eq!(code, 1);
    assert_eq!(summary["files"], 3004);
    let codes: Vec<&str> = found.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["unknown-risk"; 3]);
}

#[test]
fn entry_limit_is_enforced() {
    let (_dir, catalog) = crate::scratch_catalog();
    let settings = catalog.join("alliance-catalog.toml");
    let text = std::fs::read_to_string(&settings).expect("read");
    std::fs::write(&settings, format!("{text}\n[limits]\nmax_entries = 2\n")).expect("write");
    let c = crate::catalog_cmd(&catalog);
    let (code, found, _) = validate_json(c, &[]);
    assert_eq!(code, 1);
    assert!(
        found
            .iter()
            .any(|f| f.code == "too-many-files" && f.message.contains("max_entries")),
        "{found:#?}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn memory_stays_bounded_on_a_100_mb_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("big.yaml");
    // Real bytes, not a sparse file: a reader that slurped it would show.
    // (Written in chunks: a 100 MB buffer in this process would be counted
    // in the child's peak between fork and exec.)
    let line = "tags: [".to_string() + &"x, ".repeat(30_000) + "x]\n";
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    let mut written = 0;
    while written < 100 << 20 {
        std::io::Write::write_all(&mut file, line.as_bytes()).expect("write");
        written += line.len();
    }
    std::io::Write::flush(&mut file).expect("flush");
    drop(file);
    let (code, peak_mib) = crate::hostile_io::exit_and_peak_mib(&[
        "--catalog".as_ref(),
        fixture("catalog").as_os_str(),
        "validate".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        path.as_os_str(),
    ]);
    assert_eq!(code, 1);
    assert!(peak_mib < 40, "peak RSS {peak_mib} MiB on a 100 MB file");
}

#[test]
fn a_file_swapped_while_being_read_never_crashes_the_run() {
    let (dir, catalog) = crate::scratch_catalog();
    let target = catalog.join("tools/beta-eval.yaml");
    let small = std::fs::read(&target).expect("read");
    let big = vec![b'#'; 2 << 20];
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let swapper = {
        let stop = stop.clone();
        let target = target.clone();
        let dir = dir.path().to_path_buf();
        std::thread::spawn(move || {
            let mut i = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let tmp = dir.join(format!("swap-{i}"));
                let bytes = if i.is_multiple_of(2) { &big } else { &small };
                if std::fs::write(&tmp, bytes).is_ok() {
                    let _ = std::fs::rename(&tmp, &target);
                }
                i += 1;
            }
        })
    };
    for _ in 0..20 {
        let c = crate::catalog_cmd(&catalog);
        let (code, found, _) = validate_json(c, &[]);
        assert!(code == 0 || code == 1, "exit {code}");
        for f in &found {
            assert!(
                f.code == "file-too-large" && f.file.ends_with("beta-eval.yaml"),
                "{f:?}"
            );
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    swapper.join().expect("swapper");
}

#[test]
fn concurrent_new_never_overwrites() {
    let (_dir, catalog) = crate::scratch_catalog();
    let children: Vec<_> = (0..6)
        .map(|i| {
            std::process::Command::new(env!("CARGO_BIN_EXE_alliance-catalog"))
                .arg("--catalog")
                .arg(&catalog)
                .args(["-q", "new", "race-tool", "--name", &format!("Writer {i}")])
                .stderr(std::process::Stdio::null())
                .spawn()
                .expect("spawn")
        })
        .collect();
    let wins = children
        .into_iter()
        .map(|mut c| c.wait().expect("wait").success())
        .filter(|ok| *ok)
        .count();
    assert_eq!(wins, 1, "exactly one writer creates the file");
    let text = std::fs::read_to_string(catalog.join("tools/race-tool.yaml")).expect("written");
    assert_eq!(text.matches("name: \"Writer ").count(), 1, "{text}");
    let leftovers = std::fs::read_dir(catalog.join("tools"))
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .count();
    assert_eq!(leftovers, 0);
}

#[cfg(unix)]
#[test]
fn new_never_writes_through_a_symlinked_tools_folder() {
    let (dir, catalog) = crate::scratch_catalog();
    let outside = dir.path().join("outside");
    std::fs::create_dir(&outside).expect("mkdir");
    std::fs::rename(catalog.join("tools"), outside.join("tools")).expect("move");
    std::os::unix::fs::symlink(outside.join("tools"), catalog.join("tools")).expect("symlink");
    cmd()
        .arg("--catalog")
        .arg(&catalog)
        .args(["new", "escape-tool"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("outside the catalog"));
    assert!(!outside.join("tools/escape-tool.yaml").exists());
}
