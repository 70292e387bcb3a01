//! `refresh` against a loopback registry serving recorded answers and real
//! wheels and sdists (`tests/fixtures/refresh/`, built by its
//! `build-dists.sh`): releases appended in order with their days and
//! requirements, the policy's minimum age and window, `--pre`, yanked
//! releases skipped, `--fix`, `--dry-run`, idempotence, and that nothing
//! outside `versions` changes. No test touches the network.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use crate::{cmd, copy_dir, fixture};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// A copy of the refresh fixture catalog, with `policy` lines replacing
/// the fixture's refresh policy when given.
fn catalog(policy: Option<&str>) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let cat = dir.path().join("catalog");
    copy_dir(&fixture("refresh/catalog"), &cat);
    if let Some(policy) = policy {
        let settings = cat.join("alliance-catalog.toml");
        let text = std::fs::read_to_string(&settings).expect("settings");
        let kept: String = text
            .lines()
            .filter(|l| !l.starts_with("min_release_age_days") && !l.starts_with("history_months"))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(&settings, format!("{kept}{policy}\n")).expect("write settings");
    }
    (dir, cat)
}

/// The binary on the day the recorded registry answers were made for
/// (2026-11-25): release ages and history windows count from it.
fn fixture_day() -> assert_cmd::Command {
    let mut c = cmd();
    c.env("ALLIANCE_CATALOG_TODAY", "2026-11-25");
    c
}

fn refresh(cat: &Path, base: &str, cache: &Path, args: &[&str]) -> Run {
    let mut c = fixture_day();
    c.arg("--catalog")
        .arg(cat)
        .arg("refresh")
        .arg("--cache")
        .arg(cache);
    for reg in ["pypi", "npm", "crates"] {
        c.arg("--registry").arg(format!("{reg}={base}/{reg}"));
    }
    c.args(args);
    let out = c.output().expect("runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn read(cat: &Path, id: &str) -> String {
    std::fs::read_to_string(cat.join("tools").join(format!("{id}.yaml"))).expect("entry")
}

fn server() -> crate::server::Server {
    crate::server::serve(fixture("refresh/registry"))
}

const DEMO_ADDED: &str = "\
versions:
  # Newest first.
  - version: \"1.4.0\"
    released: 2026-10-01
    requires:
      python: \">=3.10\"
      pytorch: \">=2.4\"
      numpy: \">=1.26\"
  - version: \"1.2.0\"
    released: 2025-09-01
    requires:
      python: \">=3.9\"
      pytorch: \"<3,>=2.2\"
  - version: \"1.1.0\"
    released: 2025-06-01
    requires:
      python: \">=3.9\"
      pytorch: \">=2.1\"
  - version: \"1.0.0\"
    released: 2025-01-11   # one day late: --fix corrects it
";

#[test]
fn in_schema_2_marker_lines_and_bare_names_are_recorded_as_published() {
    let (_dir, cat) = catalog(None);
    let path = cat.join("tools/demo-tool.yaml");
    let text = std::fs::read_to_string(&path).expect("entry");
    std::fs::write(
        &path,
        text.replace("schema_version: 1.1.0", "schema_version: 2.0.0"),
    )
    .expect("write");
    let server = server();
    let cache = tempfile::tempdir().expect("cache");
    let r = refresh(&cat, &server.base, cache.path(), &["demo-tool"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = read(&cat, "demo-tool");
    // 1.1.0's wheel requires transformers only from Python 3.10 on.
    assert!(
        text.contains(
            "      pytorch: \">=2.1\"\n      transformers: '>=4.40; python_version >= \"3.10\"'\n"
        ),
        "{text}"
    );
    assert!(!r.stderr.contains("environment marker"), "{}", r.stderr);
    // The entry as refreshed is valid.
    let v = cmd()
        .env("ALLIANCE_CATALOG_TODAY", "2026-11-25")
        .arg("--catalog")
        .arg(&cat)
        .args(["validate"])
        .output()
        .expect("runs");
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
}

#[test]
fn refresh_appends_missing_releases_in_order_with_days_and_requires_dist() {
    let (_dir, cat) = catalog(None);
    let server = server();
    let cache = tempfile::tempdir().expect("cache");
    let r = refresh(&cat, &server.base, cache.path(), &["demo-tool"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = read(&cat, "demo-tool");
    assert!(text.contains(DEMO_ADDED), "{text}");
    // 1.4.0 from its wheel's METADATA, 1.2.0 from its sdist's PKG-INFO
    // (it has no wheel), 1.1.0 from a 120 KB wheel read by range requests.
    assert!(
        r.stderr.contains(
            "demo-tool (pkg:pypi/demo-tool): added 3 releases: 1.4.0, 1.2.0, 1.1.0; records 1 → 4 of 5 releases of the last 24 months"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(
            "note: 1.1.0: transformers: `transformers>=4.40; python_version >= \"3.10\"` has an environment marker, which schema 1.x cannot record; not recorded"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("note: 1.1.0: numpy: `numpy` is required only by extras; not recorded"),
        "{}",
        r.stderr
    );
    let big = std::fs::metadata(fixture(
        "refresh/registry/pypi/packages/demo_tool-1.1.0-py3-none-any.whl",
    ))
    .expect("wheel")
    .len() as usize;
    let sent = server.bytes.load(Ordering::SeqCst);
    assert!(
        sent < big,
        "the whole run read {sent} bytes, less than the one 1.1.0 wheel ({big})"
    );
}

#[test]
fn refreshed_entries_validate_and_a_second_run_changes_nothing() {
    let (_dir, cat) = catalog(None);
    let server = server();
    let cache = tempfile::tempdir().expect("cache");
    let first = refresh(&cat, &server.base, cache.path(), &["--all"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let after: Vec<String> = ["demo-tool", "node-tool", "rust-tool"]
        .iter()
        .map(|id| read(&cat, id))
        .collect();
    let out = fixture_day()
        .arg("--catalog")
        .arg(&cat)
        .arg("validate")
        .output()
        .expect("validate");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("0 errors, 0 warnings"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let requests = server.requests.load(Ordering::SeqCst);
    let second = refresh(&cat, &server.base, cache.path(), &["--all"]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    for (id, before) in ["demo-tool", "node-tool", "rust-tool"].iter().zip(&after) {
        assert_eq!(&read(&cat, id), before, "{id} changed on the second run");
    }
    assert!(
        second
            .stderr
            .contains("3 entries, 0 files changed; added 0 releases"),
        "{}",
        second.stderr
    );
    assert_eq!(
        server.requests.load(Ordering::SeqCst),
        requests,
        "the second run answers from the cache"
    );
}

#[test]
fn npm_engines_and_crates_rust_version_fill_flow_and_block_lists() {
    let (_dir, cat) = catalog(None);
    let server = server();
    let cache = tempfile::tempdir().expect("cache");
    let r = refresh(
        &cat,
        &server.base,
        cache.path(),
        &["node-tool", "rust-tool"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    // 1.2.0 is deprecated, 2.1.0-beta.1 a pre-release: neither is added.
    assert!(
        read(&cat, "node-tool").contains(
            "versions: [{version: '2.0.0', released: 2026-03-01, requires: {nodejs: '>=20.0.0'}}, {version: '1.1.0', released: 2025-05-01, requires: {nodejs: '>=18'}}, {version: '1.0.0', released: 2025-02-01, requires: {nodejs: '>=18'}}]\n"
        ),
        "{}",
        read(&cat, "node-tool")
    );
    // 0.3.0 is yanked.
    assert!(
        read(&cat, "rust-tool").contains(
            "versions:\n- version: 0.2.0\n  released: 2025-08-01\n  requires:\n    rust: '>=1.74'\n- version: 0.1.0\n"
        ),
        "{}",
        read(&cat, "rust-tool")
    );
}

#[test]
fn dry_run_prints_the_diff_and_writes_nothing() {
    let (dir, cat) = catalog(None);
    let server = server();
    let cache = tempfile::tempdir().expect("cache");
    let listing = |d: &Path| {
        let mut all = Vec::new();
        for e in walk(d) {
            let bytes = std::fs::read(&e).unwrap_or_default();
            all.push((e, bytes));
        }
        all.sort();
        all
    };
    let before = listing(dir.path());
    let r = refresh(&cat, &server.base, cache.path(), &["--all", "--dry-run"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(listing(dir.path()), before, "nothing written");
    assert!(r.stdout.contains("+++ b/"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("+  - version: \"1.4.0\"\n+    released: 2026-10-01\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stderr
            .contains("would add 3 releases: 1.4.0, 1.2.0, 1.1.0"),
        "{}",
        r.stderr
    );
    // Applying the printed diff gives what a real run writes.
    let real = refresh(&cat, &server.base, cache.path(), &["demo-tool"]);
    assert_eq!(real.code, 0, "{}", real.stderr);
    for line in read(&cat, "demo-tool").lines() {
        if !before_has(&before, line) {
            assert!(
                r.stdout.contains(&format!("+{line}\n")),
                "`{line}` is written but not in the diff"
            );
        }
    }
}

fn before_has(before: &[(PathBuf, Vec<u8>)], line: &str) -> bool {
    before.iter().any(|(p, b)| {
        p.ends_with("demo-tool.yaml") && String::from_utf8_lossy(b).lines().any(|l| l == line)
    })
}

fn walk(d: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(d).expect("read_dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn the_diff_touches_only_the_versions_list() {
    let (_dir, cat) = catalog(None);
    let server = server();
    let cache = tempfile::tempdir().expect("cache");
    let ids = ["demo-tool", "node-tool", "rust-tool"];
    let before: Vec<String> = ids.iter().map(|id| read(&cat, id)).collect();
    let r = refresh(&cat, &server.base, cache.path(), &["--all"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for (id, old) in ids.iter().zip(&before) {
        let new = read(&cat, id);
        assert_ne!(&new, old, "{id} gained releases");
        let (os, oe) = versions_range(old);
        let (ns, ne) = versions_range(&new);
        assert_eq!(
            &old[..os],
            &new[..ns],
            "{id}: bytes before `versions` changed"
        );
        assert_eq!(
            &old[oe..],
            &new[ne..],
            "{id}: bytes after `versions` changed"
        );
        // Inside the list, the old lines all remain, in order.
        let mut kept = new[ns..ne].lines();
        for line in old[os..oe].lines() {
            if id == &"node-tool" {
                break; // one flow line, extended in place
            }
            assert!(kept.any(|l| l == line), "{id}: `{line}` was lost");
        }
    }
}

fn versions_range(text: &str) -> (usize, usize) {
    let root = alliance_catalog::load::yaml::parse(text, &Default::default())
        .root
        .expect("parses");
    alliance_catalog::refresh::insert::versions_range(text, &root).expect("versions")
}

#[test]
fn minimum_age_and_window_come_from_the_policy() {
    let (_dir, cat) = catalog(Some("min_release_age_days = 0\nhistory_months = 60"));
    let server = server();
    let cache = tempfile::tempdir().expect("cache");
    let r = refresh(&cat, &server.base, cache.path(), &["demo-tool"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("added 5 releases: 1.5.0, 1.4.0, 1.2.0, 1.1.0, 0.5.0"),
        "{}",
        r.stderr
    );
    let text = read(&cat, "demo-tool");
    // 1.5.0 is the newest: its Requires-Dist is in the project JSON.
    assert!(
        text.contains("  - version: \"1.5.0\"\n    released: 2026-11-22\n    requires:\n      python: \">=3.10\"\n      pytorch: \">=2.5\"\n"),
        "{text}"
    );
    assert!(
        text.ends_with("  - version: \"0.5.0\"\n    released: 2022-01-01\n    requires:\n      python: \">=3.8\"\n\nvetting:\n  status: provisional\n  reviewed: 2026-11-01\n  reviewers: [catalog-maintainers]\n  next_review: 2027-11-01\n"),
        "{text}"
    );
    assert!(
        r.stderr
            .contains("note: 0.5.0: numpy: `numpy` is required without a version; not recorded"),
        "{}",
        r.stderr
    );

    // A narrow window still adds the newest release.
    let (_dir, cat) = catalog(Some("history_months = 1"));
    let r = refresh(&cat, &server.base, cache.path(), &["demo-tool"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("added 1 release: 1.4.0;"), "{}", r.stderr);
}

#[test]
fn pre_releases_only_with_pre_and_yanked_releases_never() {
    let (_dir, cat) = catalog(None);
    let server = server();
    let cache = tempfile::tempdir().expect("cache");
    let r = refresh(&cat, &server.base, cache.path(), &["demo-tool", "--pre"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("added 4 releases: 1.4.0, 1.3.0rc1, 1.2.0, 1.1.0;"),
        "{}",
        r.stderr
    );
    let text = read(&cat, "demo-tool");
    assert!(
        text.contains("      numpy: \">=1.26\"\n  - version: \"1.3.0rc1\"\n    released: 2025-10-01\n    requires:\n      python: \">=3.10\"\n      pytorch: \">=2.3\"\n  - version: \"1.2.0\""),
        "{text}"
    );
    assert!(!text.contains("\"1.3.0\""), "1.3.0 is yanked: {text}");
}

#[test]
fn fix_corrects_recorded_days_and_python_and_lists_each_change() {
    let (_dir, cat) = catalog(None);
    let server = server();
    let cache = tempfile::tempdir().expect("cache");
    let before = read(&cat, "demo-tool");
    let r = refresh(
        &cat,
        &server.base,
        cache.path(),
        &["demo-tool", "--fix", "--dry-run"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(read(&cat, "demo-tool"), before, "--dry-run writes nothing");
    let r = refresh(&cat, &server.base, cache.path(), &["demo-tool", "--fix"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("  fix 1.0.0 released: 2025-01-11 → 2025-01-10\n"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("  fix 1.0.0 requires.python: >=3.7 → >=3.8\n"),
        "{}",
        r.stderr
    );
    let text = read(&cat, "demo-tool");
    assert!(
        text.contains("  - version: \"1.0.0\"\n    released: 2025-01-10   # one day late: --fix corrects it\n    requires:\n      python: \">=3.8\"\n      pytorch: \">=2.0\"\n"),
        "{text}"
    );
    let vetting = |t: &str| t[t.find("vetting:").expect("vetting")..].to_string();
    assert_eq!(vetting(&text), vetting(&before), "vetting is never touched");
    let again = refresh(&cat, &server.base, cache.path(), &["demo-tool", "--fix"]);
    assert!(
        again
            .stderr
            .contains("0 files changed; added 0 releases, 0 fixes"),
        "{}",
        again.stderr
    );
}

#[test]
fn refresh_needs_ids_or_all_and_a_registry_that_answers() {
    let (_dir, cat) = catalog(None);
    let cache = tempfile::tempdir().expect("cache");
    let r = refresh(&cat, "http://127.0.0.1:9", cache.path(), &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--all"), "{}", r.stderr);
    let r = refresh(&cat, "http://127.0.0.1:9", cache.path(), &["no-such-tool"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let before = read(&cat, "demo-tool");
    let r = refresh(&cat, "http://127.0.0.1:9", cache.path(), &["--all"]);
    assert_eq!(r.code, 2, "nothing could be read: {}", r.stderr);
    assert!(
        r.stderr.contains("could not read its registry"),
        "{}",
        r.stderr
    );
    assert_eq!(read(&cat, "demo-tool"), before);
}

#[test]
fn a_release_whose_files_cannot_be_read_is_recorded_with_what_is_known() {
    let (_dir, cat) = catalog(None);
    let registry = tempfile::tempdir().expect("registry");
    copy_dir(&fixture("refresh/registry"), registry.path());
    std::fs::remove_file(
        registry
            .path()
            .join("pypi/packages/demo_tool-1.1.0-py3-none-any.whl"),
    )
    .expect("remove the wheel");
    let server = crate::server::serve(registry.path().to_path_buf());
    let cache = tempfile::tempdir().expect("cache");
    let r = refresh(&cat, &server.base, cache.path(), &["demo-tool"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("note: 1.1.0: no metadata could be read (demo_tool-1.1.0-py3-none-any.whl: not found); recorded what the registry's document says"),
        "{}",
        r.stderr
    );
    let text = read(&cat, "demo-tool");
    assert!(
        text.contains("  - version: \"1.1.0\"\n    released: 2025-06-01\n    requires:\n      python: \">=3.9\"\n  - version: \"1.0.0\"\n"),
        "{text}"
    );
}
