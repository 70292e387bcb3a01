//! `index`, `export` and `diff`: determinism, markdown validity and escaping
//! (checked by parsing with comrak, GitHub's flavour of CommonMark), atomic
//! writes, the export schema, and catalog diffs.

use std::collections::BTreeSet;
use std::path::Path;

use comrak::nodes::{AstNode, NodeValue};
use comrak::{Arena, Options, parse_document};
use predicates::prelude::*;

use crate::{cmd, fixture};

fn gfm() -> Options<'static> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.autolink = true;
    o.extension.strikethrough = true;
    o.extension.footnotes = true;
    o.extension.tasklist = true;
    o
}

fn index_of(catalog: &Path, out: &Path) -> String {
    cmd()
        .arg("--catalog")
        .arg(catalog)
        .arg("index")
        .arg("--out")
        .arg(out)
        .assert()
        .success();
    std::fs::read_to_string(out).expect("index written")
}

/// Splits a markdown table line into cells the way GFM does: on `|` that is
/// not escaped by a backslash, ignoring the outer pipes.
fn raw_cells(line: &str) -> usize {
    let mut cells = 0;
    let mut escaped = false;
    for c in line.trim().trim_start_matches('|').chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => cells += 1,
            _ => escaped = false,
        }
    }
    cells
}

/// The URLs of the catalog's tools that passed validation: the only links
/// an index may contain besides its own anchors.
fn tool_urls(catalog: &Path) -> BTreeSet<String> {
    let mut c = crate::catalog_cmd(catalog);
    c.args(["list", "--format", "json"]);
    crate::success_json(c)
        .as_array()
        .expect("array")
        .iter()
        .flat_map(|t| [t["homepage"].as_str(), t["repository"].as_str()])
        .flatten()
        // Links carry the URL as the URL parser normalises it.
        .filter_map(|u| url::Url::parse(u).ok())
        .map(|u| u.to_string())
        .collect()
}

/// Parses the markdown and checks: no HTML at all, every link is an anchor
/// of the page or a tool's validated https link, every table row has the
/// header's number of cells (in the source, before any normalisation).
fn check_markdown(text: &str, allowed: &BTreeSet<String>) -> Vec<String> {
    let mut problems = Vec::new();
    let arena = Arena::new();
    let root = parse_document(&arena, text, &gfm());
    fn walk<'a>(node: &'a AstNode<'a>, allowed: &BTreeSet<String>, problems: &mut Vec<String>) {
        match &node.data.borrow().value {
            NodeValue::HtmlBlock(h) => problems.push(format!("HTML block: {:?}", h.literal)),
            NodeValue::HtmlInline(h) => problems.push(format!("inline HTML: {h:?}")),
            NodeValue::Link(l) | NodeValue::Image(l)
                if !(l.url.starts_with('#') || allowed.contains(&l.url)) =>
            {
                problems.push(format!("link to {:?}", l.url));
            }
            NodeValue::FootnoteReference(f) => problems.push(format!("footnote {:?}", f.name)),
            _ => {}
        }
        for child in node.children() {
            walk(child, allowed, problems);
        }
    }
    walk(root, allowed, &mut problems);
    let mut header: Option<usize> = None;
    for line in text.lines() {
        if line.starts_with('|') {
            let n = raw_cells(line);
            match header {
                None => header = Some(n),
                Some(h) if h != n => problems.push(format!("{n} cells instead of {h}: {line}")),
                _ => {}
            }
        } else {
            header = None;
        }
    }
    problems
}

#[test]
fn committed_index_is_current_and_generation_is_deterministic() {
    cmd().args(["index", "--check"]).assert().success();
    let dir = tempfile::tempdir().expect("tempdir");
    let a = index_of(&crate::root().join("catalog"), &dir.path().join("a.md"));
    let b = index_of(&crate::root().join("catalog"), &dir.path().join("b.md"));
    assert_eq!(a, b);
    assert_eq!(
        a,
        std::fs::read_to_string(crate::root().join("catalog/INDEX.md")).expect("committed")
    );
}

#[test]
fn shipped_index_is_clean_gfm() {
    let text = std::fs::read_to_string(crate::root().join("catalog/INDEX.md")).expect("index");
    let problems = check_markdown(&text, &tool_urls(&crate::root().join("catalog")));
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(text.contains("## Contents"));
    assert!(text.contains("## Gaps"));
    assert!(text.contains("| Tool | Summary | License | Latest | Status | Languages |"));
}

#[test]
fn hostile_entries_inject_no_html_links_or_cells() {
    let catalog = fixture("hostile-index");
    let dir = tempfile::tempdir().expect("tempdir");
    let text = index_of(&catalog, &dir.path().join("INDEX.md"));
    let problems = check_markdown(&text, &tool_urls(&catalog));
    assert!(problems.is_empty(), "{problems:#?}\n{text}");
    // Rendered to HTML, the hostile text is visible as text, never as markup.
    let html = comrak::markdown_to_html(&text, &gfm());
    for bad in [
        "<script",
        "<img",
        "javascript:alert(1)\"",
        "href=\"mailto:",
        "href=\"https://evil",
        "<!--",
        "<del>",
        "<em>",
        "<code>code",
    ] {
        assert!(!html.contains(bad), "{bad} reached the HTML:\n{html}");
    }
    assert!(
        html.contains("&lt;script&gt;alert(document.cookie)&lt;/script&gt;"),
        "{html}"
    );
    assert!(html.contains("A | summary | with | pipes"), "{html}");
    // Each tool row has exactly the six cells of the header.
    let rows = html.matches("<tr>").count();
    let cells = html.matches("<td").count();
    assert_eq!(cells, (rows - 1) * 6, "{html}");
}

#[test]
fn check_reports_a_stale_index_with_a_diff_and_writes_nothing() {
    let (_dir, catalog) = crate::scratch_catalog();
    cmd()
        .arg("--catalog")
        .arg(&catalog)
        .arg("index")
        .assert()
        .success();
    let index = catalog.join("INDEX.md");
    let good = std::fs::read_to_string(&index).expect("written");
    cmd()
        .arg("--catalog")
        .arg(&catalog)
        .args(["index", "--check"])
        .assert()
        .success();
    std::fs::write(&index, good.replace("Alpha Guard", "Alpha Gaurd")).expect("tamper");
    cmd()
        .arg("--catalog")
        .arg(&catalog)
        .args(["index", "--check"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("-| [Alpha Gaurd]"))
        .stdout(predicate::str::contains("+| [Alpha Guard]"))
        .stderr(predicate::str::contains("is not current"));
    assert!(
        std::fs::read_to_string(&index)
            .expect("kept")
            .contains("Alpha Gaurd")
    );
    std::fs::remove_file(&index).expect("remove");
    cmd()
        .arg("--catalog")
        .arg(&catalog)
        .args(["index", "--check"])
        .assert()
        .code(1);
    assert!(!index.exists());
}

#[test]
fn concurrent_writers_never_leave_a_torn_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("INDEX.md");
    let expected = index_of(
        &crate::root().join("catalog"),
        &dir.path().join("expected.md"),
    );
    let children: Vec<_> = (0..6)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_alliance-catalog"))
                .arg("--catalog")
                .arg(crate::root().join("catalog"))
                .args(["-q", "index", "--out"])
                .arg(&out)
                .spawn()
                .expect("spawn")
        })
        .collect();
    // Read while they write: every read sees nothing or a whole index.
    for _ in 0..50 {
        if let Ok(text) = std::fs::read_to_string(&out) {
            assert_eq!(text, expected, "a reader saw a partial index");
        }
    }
    for mut child in children {
        assert!(child.wait().expect("wait").success());
    }
    assert_eq!(std::fs::read_to_string(&out).expect("index"), expected);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[cfg(unix)]
#[test]
fn index_refuses_to_write_through_a_symlink() {
    let dir = tempfile::tempdir().expect("tempdir");
    let outside = dir.path().join("outside.md");
    std::fs::write(&outside, "keep me").expect("write");
    let link = dir.path().join("INDEX.md");
    std::os::unix::fs::symlink(&outside, &link).expect("symlink");
    cmd()
        .arg("--catalog")
        .arg(fixture("catalog"))
        .args(["index", "--out"])
        .arg(&link)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("symbolic link"));
    assert_eq!(std::fs::read_to_string(&outside).expect("read"), "keep me");
}

#[test]
fn publishing_refuses_a_catalog_with_errors() {
    let (_dir, catalog) = crate::scratch_catalog();
    std::fs::copy(
        fixture("bad/unknown-risk.yaml"),
        catalog.join("tools/unknown-risk.yaml"),
    )
    .expect("copy");
    for args in [vec!["index"], vec!["export"]] {
        cmd()
            .arg("--catalog")
            .arg(&catalog)
            .args(&args)
            .assert()
            .code(1)
            .stdout("")
            .stderr(predicate::str::contains("the catalog has 1 error"));
    }
    assert!(!catalog.join("INDEX.md").exists());
}

#[test]
fn export_validates_against_its_schema_and_carries_every_field() {
    let out = cmd().arg("export").output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(crate::root().join("schemas/export.schema.json")).expect("schema"),
    )
    .expect("schema json");
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(
        doc["catalog"]["name"],
        "AI Alliance Catalog of Trust and Safety Tools"
    );
    let tools = doc["tools"].as_array().expect("tools");
    assert!(tools.len() >= 70);
    let garak = tools.iter().find(|t| t["id"] == "garak").expect("garak");
    assert_eq!(garak["latest_version"], garak["versions"][0]["version"]);
    assert!(
        !doc["taxonomy"]["risks"]
            .as_array()
            .expect("risks")
            .is_empty()
    );
}

#[test]
fn export_round_trips_every_entry() {
    let out = cmd()
        .args(["--catalog"])
        .arg(fixture("catalog"))
        .arg("export")
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    for tool in doc["tools"].as_array().expect("tools") {
        let id = tool["id"].as_str().expect("id");
        let mut fields = tool.as_object().expect("object").clone();
        fields.remove("latest_version");
        fields.remove("license_osi_approved");
        let from_export: alliance_catalog::model::Entry =
            serde_json::from_value(serde_json::Value::Object(fields)).expect("entry");
        let shown = cmd()
            .arg("--catalog")
            .arg(fixture("catalog"))
            .args(["show", id, "--format", "json"])
            .output()
            .expect("runs");
        let mut shown: serde_json::Value = serde_json::from_slice(&shown.stdout).expect("json");
        shown
            .as_object_mut()
            .expect("object")
            .remove("latest_version");
        let from_show: alliance_catalog::model::Entry =
            serde_json::from_value(shown).expect("entry");
        assert_eq!(from_export, from_show, "{id}");
    }
}

#[test]
fn diff_of_two_fixture_catalogs() {
    let out = cmd()
        .args(["diff", "--format", "json"])
        .arg(fixture("catalog"))
        .arg(fixture("catalog-v2"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let expected = serde_json::json!({
        "added": ["delta-tool"],
        "removed": ["gamma-scan"],
        "changed": [
            {"id": "alpha-guard", "changes": [
                {"field": "versions[2.2.0]", "old": null, "new": {
                    "version": "2.2.0", "released": "2026-09-01",
                    "requires": {"python": ">=3.10, <3.15", "pytorch": ">=2.5"}, "notes": null}},
                {"field": "related", "old": ["gamma-scan"], "new": []}
            ]},
            {"id": "beta-eval", "changes": [
                {"field": "license", "old": "MIT", "new": "Apache-2.0"},
                {"field": "vetting.status", "old": "provisional", "new": "vetted"},
                {"field": "vetting.reviewers", "old": ["catalog-maintainers"], "new": ["alice", "bob"]}
            ]}
        ]
    });
    assert_eq!(doc, expected);
    // Field order is the entry format's order, not alphabetical.
    let fields: Vec<&str> = doc["changed"][1]["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter_map(|c| c["field"].as_str())
        .collect();
    assert_eq!(fields, ["license", "vetting.status", "vetting.reviewers"]);
    cmd()
        .arg("diff")
        .arg(fixture("catalog"))
        .arg(fixture("catalog-v2"))
        .assert()
        .success()
        .stdout(predicate::str::contains("    license: MIT → Apache-2.0\n"))
        .stdout(predicate::str::contains(
            "    vetting.status: provisional → vetted\n",
        ));
    cmd()
        .args(["diff", "--format", "markdown"])
        .arg(fixture("catalog"))
        .arg(fixture("catalog-v2"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "| beta-eval | license | MIT | Apache-2.0 |",
        ));
    cmd()
        .arg("diff")
        .arg(fixture("catalog"))
        .arg(fixture("catalog"))
        .assert()
        .success()
        .stdout("no changes\n");
}

#[test]
fn diff_against_a_git_revision() {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path();
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git")
            .arg("-C")
            .arg(repo)
            .args(["-c", "user.email=t@example.org", "-c", "user.name=t"])
            .args(args)
            .status()
            .expect("git runs");
        assert!(status.success(), "git {args:?}");
    };
    git(&["init", "-q"]);
    crate::copy_dir(&fixture("catalog"), &repo.join("catalog"));
    git(&["add", "."]);
    git(&["commit", "-qm", "v1"]);
    std::fs::remove_dir_all(repo.join("catalog")).expect("rm");
    crate::copy_dir(&fixture("catalog-v2"), &repo.join("catalog"));
    let out = cmd()
        .current_dir(repo)
        .args(["diff", "--git", "HEAD", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["added"], serde_json::json!(["delta-tool"]));
    assert_eq!(doc["removed"], serde_json::json!(["gamma-scan"]));
    cmd()
        .current_dir(repo)
        .args(["diff", "--git", "no-such-rev"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "git cannot read the catalog at no-such-rev",
        ));
    cmd()
        .current_dir(repo)
        .args(["diff", "--git", "--upload-pack=evil"])
        .assert()
        .code(2);
}

#[test]
fn diff_exit_code_says_whether_there_are_changes() {
    cmd()
        .args(["diff", "--exit-code"])
        .arg(fixture("catalog"))
        .arg(fixture("catalog-v2"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("license: MIT → Apache-2.0"));
    cmd()
        .args(["diff", "--exit-code"])
        .arg(fixture("catalog"))
        .arg(fixture("catalog"))
        .assert()
        .code(0)
        .stdout("no changes\n");
    // Without the flag, changes are not a failure.
    cmd()
        .arg("diff")
        .arg(fixture("catalog"))
        .arg(fixture("catalog-v2"))
        .assert()
        .code(0);
}

#[test]
fn diff_names_the_entries_it_could_not_compare() {
    let (_dir, catalog) = crate::scratch_catalog();
    std::fs::copy(
        fixture("bad/schema-missing.yaml"),
        catalog.join("tools/schema-missing.yaml"),
    )
    .expect("copy");
    let out = cmd()
        .arg("diff")
        .arg(fixture("catalog"))
        .arg(&catalog)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.trim(),
        format!(
            "warning: the new catalog has errors; 1 entry could not be read and was not compared: {}",
            catalog.join("tools/schema-missing.yaml").display()
        )
    );
}
