//! `compat --from` and `--venv`: the stacks people have, read from real
//! files (`tests/fixtures/stacks/`, see its README for how each was made).

use std::path::Path;

use predicates::prelude::*;

use crate::{cmd, fixture};

const INSTALLED: &str = "stacks/installed";
const FORMATS: &str = "stacks/formats";

fn path(rel: &str) -> String {
    fixture(rel).to_string_lossy().into_owned()
}

/// Runs `compat` on the shipped catalog; returns exit code, stdout, stderr.
fn compat(args: &[&str]) -> (i32, String, String) {
    let out = cmd().arg("compat").args(args).output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The stack's platforms of a JSON report, as `name version` pairs.
fn platforms(args: &[&str]) -> Vec<String> {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let (code, out, err) = compat(&all);
    assert_eq!(code, 0, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
    doc["stack"]["platforms"]
        .as_object()
        .expect("platforms")
        .iter()
        .map(|(k, v)| format!("{k} {}", v.as_str().unwrap_or_default()))
        .collect()
}

/// One stack given five ways: `pip freeze` and `uv.lock` (which do not say
/// which Python runs them, so `--with` does), `pip inspect`, a conda export
/// and the installed environment itself.
fn five_ways() -> [Vec<String>; 5] {
    let with = "python=3.11.7".to_string();
    [
        vec![
            "--from".into(),
            path(&format!("{INSTALLED}/freeze.txt")),
            "--with".into(),
            with.clone(),
        ],
        vec![
            "--from".into(),
            path(&format!("{INSTALLED}/pip-inspect.json")),
        ],
        vec![
            "--from".into(),
            path(&format!("{INSTALLED}/uv.lock")),
            "--with".into(),
            with,
        ],
        vec![
            "--from".into(),
            path(&format!("{INSTALLED}/conda-export.txt")),
        ],
        vec!["--venv".into(), path(&format!("{INSTALLED}/venv"))],
    ]
}

#[test]
fn one_stack_given_five_ways_gives_the_same_report() {
    for format in ["json", "table"] {
        let mut outputs = Vec::new();
        for args in five_ways() {
            let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
            all.extend(["--format", format]);
            let (code, out, err) = compat(&all);
            assert_eq!(code, 0, "{args:?}: {err}");
            outputs.push((args, out));
        }
        let (first_args, first) = &outputs[0];
        for (args, out) in &outputs[1..] {
            assert_eq!(out, first, "{args:?} differs from {first_args:?}");
        }
        if format == "json" {
            let doc: serde_json::Value = serde_json::from_str(first).expect("json");
            let stack: Vec<String> = doc["stack"]["platforms"]
                .as_object()
                .expect("platforms")
                .iter()
                .map(|(k, v)| format!("{k} {}", v.as_str().unwrap_or_default()))
                .collect();
            assert_eq!(
                stack,
                [
                    "langchain 1.5.2",
                    "numpy 2.4.6",
                    "pandas 3.1.1",
                    "python 3.11.7",
                    "scikit-learn 1.9.1",
                    "transformers 5.24.0"
                ]
            );
            let statuses: std::collections::BTreeSet<&str> = doc["tools"]
                .as_array()
                .expect("tools")
                .iter()
                .filter_map(|t| t["status"].as_str())
                .collect();
            assert_eq!(statuses.len(), 3, "all three statuses appear: {statuses:?}");
        }
    }
}

#[test]
fn each_source_says_how_many_packages_matched_no_platform() {
    let cases = [
        (
            format!("{INSTALLED}/freeze.txt"),
            "(pip freeze / requirements): 67 packages; platforms: langchain 1.5.2, numpy 2.4.6, pandas 3.1.1, scikit-learn 1.9.1, transformers 5.24.0; 62 packages matched no platform",
        ),
        (
            format!("{INSTALLED}/pip-inspect.json"),
            "(pip inspect): 69 packages; platforms: langchain 1.5.2, numpy 2.4.6, pandas 3.1.1, python 3.11.7, scikit-learn 1.9.1, transformers 5.24.0; 64 packages matched no platform",
        ),
        (
            format!("{INSTALLED}/pip-list.json"),
            "(pip list): 69 packages; platforms: langchain 1.5.2, numpy 2.4.6, pandas 3.1.1, scikit-learn 1.9.1, transformers 5.24.0; 64 packages matched no platform",
        ),
        (format!("{INSTALLED}/uv.lock"), "(uv.lock): 69 packages;"),
        (
            format!("{INSTALLED}/conda-export.txt"),
            "(conda list --export): 92 packages; platforms: langchain 1.5.2, numpy 2.4.6, pandas 3.1.1, python 3.11.7, scikit-learn 1.9.1, transformers 5.24.0; 87 packages matched no platform",
        ),
        (
            format!("{FORMATS}/npm/package-lock.json"),
            "(package-lock.json): 4 packages; platforms: none; 4 packages matched no platform",
        ),
    ];
    for (file, expected) in cases {
        let (code, _, err) = compat(&["--from", &path(&file), "--format", "json"]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains(expected), "{file}: {err}");
    }
    let (code, _, err) = compat(&[
        "--venv",
        &path(&format!("{INSTALLED}/venv")),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    // lib64 is a link to lib: each package is read once.
    assert!(err.contains("(virtual environment): 69 packages;"), "{err}");
    assert!(err.contains("64 packages matched no platform"), "{err}");
}

#[test]
fn awkward_files_give_their_platforms_and_notes_with_lines() {
    let requirements = format!("{FORMATS}/requirements/requirements.txt");
    assert_eq!(
        platforms(&["--from", &path(&requirements)]),
        [
            "cuda 12.1",
            "numpy 1.26.4",
            "pandas 2.2.3",
            "pytorch 2.5.1+cu121",
            "transformers 4.46.3"
        ]
    );
    let (_, _, err) = compat(&["--from", &path(&requirements), "--format", "json"]);
    assert!(err.contains("requirements.txt:27:1: `accelerate>=1.0` is a range, not an installed version; not used"), "{err}");
    assert!(err.contains("requirements.txt:29:1: `my-plugin` is installed from https://example.org/my_plugin-0.1.tar.gz"), "{err}");

    assert_eq!(
        platforms(&["--from", &path(&format!("{FORMATS}/environment.yml"))]),
        [
            "cuda 12.4",
            "numpy 1.26.4",
            "python 3.11.7",
            "pytorch 2.5.1",
            "scikit-learn 1.5.2",
            "transformers 4.46.3"
        ]
    );
    assert_eq!(
        platforms(&["--from", &path(&format!("{FORMATS}/sbom.cdx.json"))]),
        [
            "cuda 12.1",
            "pytorch 2.5.1+cu121",
            "scikit-learn 1.5.2",
            "transformers 4.46.3"
        ]
    );

    let (code, _, err) = compat(&[
        "--from",
        &path(&format!("{FORMATS}/freeze-editable.txt")),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("4 packages; platforms: none; 4 packages matched no platform; 1 note"),
        "{err}"
    );
    assert!(
        err.contains("freeze-editable.txt:4:1: `six` is installed from file:///"),
        "{err}"
    );

    for lock in ["uv.lock", "pylock.toml", "poetry.lock"] {
        let (code, _, err) = compat(&[
            "--from",
            &path(&format!("{FORMATS}/universal/{lock}")),
            "--format",
            "json",
        ]);
        assert_eq!(code, 0, "{err}");
        assert!(
            err.contains("`numpy` has 2 versions here: 2.2.6 (line"),
            "{lock}: {err}"
        );
    }
    // --with chooses between them.
    assert_eq!(
        platforms(&[
            "--from",
            &path(&format!("{FORMATS}/universal/uv.lock")),
            "--with",
            "numpy=2.4.6"
        ]),
        ["numpy 2.4.6"]
    );
}

#[test]
fn malformed_input_is_located_with_a_hint_and_exits_2() {
    let cases = [
        (
            "bad/freeze.txt",
            "bad/freeze.txt:3:8: `torch=2.5.1` is not a PEP 508 requirement; a pin is written `torch==2.5.1`",
        ),
        (
            "bad/pip-list.json",
            "bad/pip-list.json:3:33: not valid JSON: expected value;",
        ),
        ("bad/uv.lock", "bad/uv.lock:5:11: not a uv.lock:"),
        (
            "bad/conda-export.txt",
            "bad/conda-export.txt:3:1: `numpy 2.4.6` is not a line of `conda list --export`",
        ),
        (
            "requirements/loop-a.txt",
            "loop-b.txt:1:1: `-r loop-a.txt` includes a file that is already being read: ",
        ),
    ];
    for (file, expected) in cases {
        let (code, out, err) = compat(&["--from", &path(&format!("{FORMATS}/{file}"))]);
        assert_eq!(code, 2, "{file}: {err}");
        assert!(out.is_empty(), "{file}: {out}");
        assert!(err.contains(expected), "{file}: {err}");
    }
}

#[test]
fn from_format_overrides_detection() {
    let freeze = path(&format!("{INSTALLED}/freeze.txt"));
    let (code, _, err) = compat(&["--from", &freeze, "--from-format", "pip-inspect"]);
    assert_eq!(code, 2);
    assert!(err.contains("freeze.txt:1:1: not valid JSON"), "{err}");
    assert_eq!(
        platforms(&["--from", &freeze, "--from-format", "freeze"]).len(),
        5
    );
}

#[test]
fn standard_input_is_read_once_and_within_the_limit() {
    let freeze = std::fs::read(fixture(&format!("{INSTALLED}/freeze.txt"))).expect("fixture");
    let out = cmd()
        .args(["compat", "--from", "-", "--format", "json"])
        .write_stdin(freeze)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("read - (pip freeze / requirements): 67 packages"),
        "{err}"
    );

    // Larger than a catalog file may be (1 MiB), within the bound of a stack.
    let mut big = vec![b'#'; 2 * 1024 * 1024];
    big.extend(b"\nnumpy==2.4.6\n");
    let out = cmd()
        .args(["compat", "--from", "-", "--format", "json"])
        .write_stdin(big)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let over = vec![b'#'; 32 * 1024 * 1024 + 1];
    cmd()
        .args(["compat", "--from", "-"])
        .write_stdin(over)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("more than 33554432 bytes"));
    cmd()
        .args(["compat", "--from", "-", "--from", "-"])
        .write_stdin("numpy==1.0\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("read once"));
}

#[test]
fn with_takes_comma_separated_pairs_and_corrects_requirements() {
    assert_eq!(
        platforms(&["--with", "python=3.12,pytorch=2.5.1"]),
        ["python 3.12", "pytorch 2.5.1"]
    );
    cmd()
        .args(["compat", "--with", "pytorch==2.5.1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `pytorch=2.5.1`?"));
    cmd()
        .args(["compat", "--with", "torch==2.5.1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `pytorch=2.5.1`?"));
    cmd()
        .args(["compat", "--with", "torch=2.5.1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`torch` is the package of the platform `pytorch`; did you mean `pytorch`?",
        ));
}

#[test]
fn sources_that_disagree_are_refused_unless_with_chooses() {
    let a = path(&format!("{INSTALLED}/freeze.txt"));
    let b = path(&format!("{FORMATS}/requirements/base.txt"));
    let (code, _, err) = compat(&["--from", &a, "--from", &b]);
    assert_eq!(code, 2);
    assert!(err.contains("`numpy` is 1.26.4 here but 2.4.6 in"), "{err}");
    assert_eq!(
        platforms(&[
            "--from",
            &a,
            "--from",
            &b,
            "--with",
            "numpy=2.4.6,pandas=3.1.1"
        ])
        .iter()
        .filter(|p| p.starts_with("numpy ") || p.starts_with("pandas "))
        .collect::<Vec<_>>(),
        ["numpy 2.4.6", "pandas 3.1.1"]
    );
}

#[test]
fn toml_stacks_combine_with_installed_files() {
    assert_eq!(
        platforms(&[
            "--stack",
            &path("stacks/team.toml"),
            "--from",
            &path(&format!("{FORMATS}/requirements/base.txt")),
        ]),
        [
            "numpy 1.26.4",
            "pandas 2.2.3",
            "python 3.12",
            "pytorch 2.3.1+cu121",
            "transformers 4.44.2"
        ]
    );
}

#[cfg(unix)]
#[test]
fn a_venv_is_read_only_inside_its_folder() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().expect("tempdir");
    let outside = tempfile::tempdir().expect("tempdir");
    let venv = dir.path().join("venv");
    let site = venv.join("lib/python3.12/site-packages");
    std::fs::create_dir_all(site.join("numpy-2.1.0.dist-info")).expect("mkdir");
    std::fs::write(
        venv.join("pyvenv.cfg"),
        "home = /usr/bin\nversion_info = 3.12.7\n",
    )
    .expect("cfg");
    std::fs::write(
        site.join("numpy-2.1.0.dist-info/METADATA"),
        "Metadata-Version: 2.1\nName: numpy\nVersion: 2.1.0\n",
    )
    .expect("metadata");
    // A package whose metadata links out of the environment.
    std::fs::write(
        outside.path().join("METADATA"),
        "Name: torch\nVersion: 9.9.9\n",
    )
    .expect("outside");
    std::fs::create_dir_all(site.join("torch-9.9.9.dist-info")).expect("mkdir");
    symlink(
        outside.path().join("METADATA"),
        site.join("torch-9.9.9.dist-info/METADATA"),
    )
    .expect("link");
    let venv_arg = venv.to_string_lossy().into_owned();
    assert_eq!(
        platforms(&["--venv", &venv_arg]),
        ["numpy 2.1.0", "python 3.12.7"]
    );
    let (_, _, err) = compat(&["--venv", &venv_arg, "--format", "json"]);
    assert!(
        err.contains("torch-9.9.9.dist-info/METADATA:1:1: leads outside the environment; not read"),
        "{err}"
    );

    let (code, _, err) = compat(&["--from", &venv_arg]);
    assert_eq!(code, 2);
    assert!(
        err.contains("a folder, not a file; read an installed environment with --venv"),
        "{err}"
    );

    let (code, _, err) = compat(&["--venv", &dir.path().to_string_lossy()]);
    assert_eq!(code, 2);
    assert!(err.contains("no pyvenv.cfg here"), "{err}");
    assert!(!Path::new(&dir.path().join("pyvenv.cfg")).exists());
}
