//! `site --out` and `site --check`: what the site holds, that it is the
//! same bytes on rebuild, that it links only inside itself or to https
//! URLs, that its entry text is escaped, and the folder rules of `--out`.
//! The pages in a real browser: `site_browser.rs`.

use std::path::Path;

use predicates::prelude::*;

use crate::{catalog_cmd, fixture, root};

fn build(catalog: &Path, out: &Path) {
    catalog_cmd(catalog)
        .args(["site", "--out"])
        .arg(out)
        .assert()
        .success()
        .stderr(predicate::str::contains("wrote"));
}

/// Every file of a folder, by relative path, with its bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walk(dir)
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(&p).expect("read"))
        })
        .collect();
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for item in std::fs::read_dir(dir).expect("read_dir") {
        let path = item.expect("entry").path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// The values of every `name="..."` attribute in `html`.
fn attributes<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let key = format!(" {name}=\"");
    html.match_indices(&key)
        .map(|(i, _)| {
            let rest = &html[i + key.len()..];
            &rest[..rest.find('"').expect("closed attribute")]
        })
        .collect()
}

#[test]
fn the_site_has_every_page_and_rebuilds_byte_for_byte() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let catalog = root().join("catalog");
    build(&catalog, &a);
    build(&catalog, &b);
    let first = files(&a);
    assert_eq!(first, files(&b), "two builds differ");
    // A third build over the first writes the same bytes again.
    build(&catalog, &a);
    assert_eq!(first, files(&a));

    let ids = crate::ids_of(&crate::success_json({
        let mut c = catalog_cmd(&catalog);
        c.args(["list", "--format", "json"]);
        c
    }));
    let names: Vec<&str> = first.iter().map(|(p, _)| p.as_str()).collect();
    for id in &ids {
        assert!(names.contains(&format!("tools/{id}.html").as_str()), "{id}");
    }
    for page in [
        "index.html",
        "assets/site.js",
        "assets/site.css",
        "category/guardrail.html",
        "risk/prompt-injection.html",
        "framework/owasp-llm-2025-llm01.html",
        "framework/owasp-llm-2025.html",
        "framework/mitre-atlas.html",
        "data/tools.js",
        ".alliance-catalog-site",
    ] {
        assert!(names.contains(&page), "{page} missing");
    }
    let index = std::fs::read_to_string(a.join("index.html")).expect("index");
    let listed: Vec<&str> = attributes(&index, "data-tool-id");
    assert_eq!(listed, ids);
    assert!(index.contains(&format!("<span id=\"result-count\">{}</span>", ids.len())));
    // The marker lists exactly the other files.
    let marker = std::fs::read_to_string(a.join(".alliance-catalog-site")).expect("marker");
    let listed: Vec<&str> = marker.lines().filter(|l| !l.starts_with('#')).collect();
    let others: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| *n != ".alliance-catalog-site")
        .collect();
    assert_eq!(listed, others);
}

#[test]
fn pages_load_nothing_from_elsewhere_and_link_only_inside_or_to_https() {
    let dir = tempfile::tempdir().expect("tempdir");
    build(&root().join("catalog"), dir.path());
    let mut pages = 0;
    for (path, bytes) in files(dir.path()) {
        if !path.ends_with(".html") {
            continue;
        }
        pages += 1;
        let html = String::from_utf8(bytes).expect("utf-8");
        assert!(html.contains(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self'; style-src 'self'"
        ), "{path}: CSP");
        assert!(!html.contains("unsafe-inline"), "{path}");
        for src in attributes(&html, "src") {
            assert!(
                !src.contains(':') && !src.starts_with("//") && !src.starts_with('/'),
                "{path}: src={src}"
            );
        }
        for href in attributes(&html, "href") {
            // Relative: no scheme (a colon before any `?` or `#`; one in
            // the query, as in `?framework-item=owasp-llm-2025:LLM01`, is
            // part of the value).
            let head = href.split(['?', '#']).next().unwrap_or_default();
            let local = !head.contains(':') && !href.starts_with("//") && !href.starts_with('/');
            assert!(local || href.starts_with("https://"), "{path}: href={href}");
        }
        assert!(!html.contains(" style=\""), "{path}: inline style");
        // The only inline script element holds JSON, not code.
        let inline = html.matches("<script>").count();
        assert_eq!(inline, 0, "{path}");
    }
    assert!(pages > 100, "{pages} pages");
}

#[test]
fn hostile_entry_text_is_escaped_and_unsafe_links_stay_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    build(&fixture("hostile-index"), dir.path());
    for (path, bytes) in files(dir.path()) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).expect("utf-8");
        for raw in [
            "<script>alert",
            "<img",
            "<!-- comment",
            "</table> break",
            "<https:",
        ] {
            assert!(!html.contains(raw), "{path}: {raw} unescaped");
        }
        for href in attributes(&html, "href") {
            assert!(!href.contains("javascript"), "{path}: href={href}");
        }
    }
    let page = std::fs::read_to_string(dir.path().join("tools/script.html")).expect("page");
    assert!(page.contains("<h1>&#60;script&#62;alert(document.cookie)&#60;/script&#62;</h1>"));
    let index = std::fs::read_to_string(dir.path().join("index.html")).expect("index");
    // In the page's data the markup is \u-escaped, so it cannot end the
    // <script type="application/json"> element.
    let data = index
        .split("<script type=\"application/json\" id=\"catalog-data\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .expect("data element");
    assert!(!data.contains('<'));
    let parsed: serde_json::Value = serde_json::from_str(data).expect("the data is JSON");
    assert_eq!(parsed["tools"].as_array().expect("tools").len(), 7);
    // The rest of each row, for search and downloads: one call with JSON
    // in which markup cannot appear either.
    let more = std::fs::read_to_string(dir.path().join("data/tools.js")).expect("data/tools.js");
    let json = more
        .split_once("\nallianceCatalogMore(")
        .and_then(|(_, rest)| rest.strip_suffix(");\n"))
        .expect("one call");
    assert!(!json.contains('<') && !json.contains("</"));
    let rows: Vec<serde_json::Value> = serde_json::from_str(json).expect("the rows are JSON");
    assert_eq!(rows.len(), 7);
    assert!(more.contains("\"https://github.com/example/script\""));
}

#[test]
fn check_passes_on_a_fresh_site_and_names_every_difference() {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    let catalog = fixture("catalog");
    build(&catalog, &site);
    catalog_cmd(&catalog)
        .args(["site", "--check"])
        .arg(&site)
        .assert()
        .code(0)
        .stderr(predicate::str::contains("is up to date"));

    std::fs::write(site.join("tools/alpha-guard.html"), "changed").expect("write");
    std::fs::remove_file(site.join("assets/site.css")).expect("remove");
    std::fs::write(site.join("extra.html"), "x").expect("write");
    catalog_cmd(&catalog)
        .args(["site", "--check"])
        .arg(&site)
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("changed: tools/alpha-guard.html")
                .and(predicate::str::contains("missing: assets/site.css"))
                .and(predicate::str::contains("not part of the site: extra.html")),
        )
        .stderr(predicate::str::contains("is not current (3 differences)"));
    catalog_cmd(&catalog)
        .args(["site", "--check"])
        .arg(dir.path().join("nowhere"))
        .assert()
        .code(1);
}

#[test]
fn check_sees_a_catalog_change() {
    let (_dir, catalog) = crate::scratch_catalog();
    let out = tempfile::tempdir().expect("tempdir");
    build(&catalog, out.path());
    let entry = catalog.join("tools/alpha-guard.yaml");
    let text = std::fs::read_to_string(&entry).expect("read");
    let changed = text.replacen("summary: ", "summary: Now ", 1);
    assert_ne!(text, changed);
    std::fs::write(&entry, changed).expect("write");
    catalog_cmd(&catalog)
        .args(["site", "--check"])
        .arg(out.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("changed: index.html"));
}

#[test]
fn out_replaces_its_own_site_and_removes_pages_no_longer_produced() {
    let (_dir, catalog) = crate::scratch_catalog();
    let out = tempfile::tempdir().expect("tempdir");
    build(&catalog, out.path());
    assert!(out.path().join("tools/gamma-scan.html").exists());
    std::fs::remove_file(catalog.join("tools/gamma-scan.yaml")).expect("remove");
    // A related entry may name the removed one; drop such links first.
    for f in std::fs::read_dir(catalog.join("tools")).expect("dir") {
        let p = f.expect("entry").path();
        let t = std::fs::read_to_string(&p).expect("read");
        std::fs::write(&p, t.replace("gamma-scan", "beta-eval")).expect("write");
    }
    catalog_cmd(&catalog)
        .args(["site", "--out"])
        .arg(out.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("removed 1 stale files"));
    assert!(!out.path().join("tools/gamma-scan.html").exists());
    catalog_cmd(&catalog)
        .args(["site", "--check"])
        .arg(out.path())
        .assert()
        .code(0);
}

#[test]
fn out_refuses_a_folder_that_is_not_a_site() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("notes.txt"), "keep me").expect("write");
    crate::fixture_cmd()
        .args(["site", "--out"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "holds no site written by alliance-catalog",
        ));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("notes.txt")).expect("read"),
        "keep me"
    );
    assert_eq!(files(dir.path()).len(), 1);
    let file = dir.path().join("notes.txt");
    crate::fixture_cmd()
        .args(["site", "--out"])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a folder"));
}

#[test]
fn site_refuses_a_catalog_with_errors() {
    let (_dir, catalog) = crate::scratch_catalog();
    std::fs::copy(
        fixture("bad/unknown-risk.yaml"),
        catalog.join("tools/unknown-risk.yaml"),
    )
    .expect("copy");
    let out = tempfile::tempdir().expect("tempdir");
    let site = out.path().join("site");
    catalog_cmd(&catalog)
        .args(["site", "--out"])
        .arg(&site)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("the catalog has 1 error"));
    assert!(!site.exists());
}

#[test]
fn site_needs_out_or_check() {
    crate::fixture_cmd()
        .arg("site")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--out"));
}

#[test]
fn the_pages_workflow_commands_pass_on_the_shipped_catalog() {
    let text = std::fs::read_to_string(root().join("examples/ci/site.yml")).expect("workflow");
    let parsed = alliance_catalog::load::yaml::parse(&text, &Default::default());
    assert!(parsed.findings.is_empty(), "{:?}", parsed.findings);
    let json = parsed.root.expect("root").to_json();
    let mut commands = Vec::new();
    for job in json["jobs"].as_object().expect("jobs").values() {
        for step in job["steps"].as_array().expect("steps") {
            if let Some(run) = step["run"].as_str()
                && let Some(args) = run.strip_prefix("alliance-catalog ")
            {
                commands.push(
                    args.split_whitespace()
                        .map(str::to_string)
                        .collect::<Vec<_>>(),
                );
            }
        }
    }
    assert_eq!(commands.len(), 3, "{commands:?}");
    let dir = tempfile::tempdir().expect("tempdir");
    for args in &commands {
        crate::cmd()
            .current_dir(dir.path())
            .env("ALLIANCE_CATALOG", root().join("catalog"))
            .args(args)
            .assert()
            .success();
    }
    assert!(dir.path().join("public/index.html").is_file());
}

#[test]
fn framework_item_pages_list_what_list_framework_item_lists() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = root().join("catalog");
    build(&catalog, dir.path());
    let mut pages: Vec<(String, Vec<String>)> = Vec::new();
    for (path, bytes) in files(&dir.path().join("framework")) {
        let html = String::from_utf8(bytes).expect("utf-8");
        if !html.contains("<p class=\"kind\">Framework item</p>") {
            continue;
        }
        let key = html
            .split("<p class=\"meta\"><code>")
            .nth(1)
            .and_then(|rest| rest.split("</code>").next())
            .expect("the item's key")
            .to_string();
        let tools = attributes(&html, "data-tool-id")
            .into_iter()
            .map(str::to_string)
            .collect();
        assert!(path.ends_with(".html"), "{path}");
        pages.push((key, tools));
    }
    assert!(pages.len() > 300, "{} item pages", pages.len());
    // Every OWASP LLM item, and ATLAS techniques (reached through the
    // mitigations tools implement) with and without tools.
    let owasp: Vec<_> = pages
        .iter()
        .filter(|(k, _)| k.starts_with("owasp-llm-2025:"))
        .collect();
    assert_eq!(owasp.len(), 10);
    let atlas: Vec<_> = pages
        .iter()
        .filter(|(k, _)| k.starts_with("mitre-atlas:AML.T"))
        .collect();
    let with_tools = atlas.iter().copied().filter(|(_, t)| !t.is_empty()).take(4);
    let without = atlas.iter().copied().filter(|(_, t)| t.is_empty()).take(2);
    let sample: Vec<_> = owasp.into_iter().chain(with_tools).chain(without).collect();
    assert!(sample.len() >= 14, "{}", sample.len());
    for (key, tools) in sample {
        let want = crate::ids_of(&crate::success_json({
            let mut c = catalog_cmd(&catalog);
            c.args(["list", "--format", "json", "--framework-item", key]);
            c
        }));
        assert_eq!(tools, &want, "{key}");
    }
}

#[test]
fn a_tool_page_says_reviewed_only_of_a_vetted_tool_and_lists_recorded_advisories() {
    let out = tempfile::tempdir().expect("tempdir");
    build(&fixture("catalog"), out.path());
    let page = |id: &str| {
        std::fs::read_to_string(out.path().join("tools").join(format!("{id}.html"))).expect("page")
    };
    let vetted = page("alpha-guard");
    assert!(
        vetted.contains("<dt>reviewed</dt><dd>2026-06-01</dd>"),
        "{vetted}"
    );
    assert!(vetted.contains("<dt>next review</dt>"), "{vetted}");
    let provisional = page("beta-eval");
    assert!(
        provisional.contains("<dd>provisional (not yet independently reviewed)</dd>"),
        "{provisional}"
    );
    assert!(
        provisional.contains("<dt>facts checked</dt>"),
        "{provisional}"
    );
    assert!(!provisional.contains("<dt>reviewed</dt>"), "{provisional}");

    let site = tempfile::tempdir().expect("tempdir");
    build(&fixture("rules/known-vulnerability/pass"), site.path());
    let page =
        std::fs::read_to_string(site.path().join("tools/known-vulnerability.html")).expect("page");
    assert!(
        page.contains("<strong>Security advisories:</strong> GHSA-xxxx-yyyy-zzzz<br>The fixture advisory has no fixed release yet."),
        "{page}"
    );
}
