//! `migrate`: the shipped catalog as it was at schema 1.x
//! (`tests/fixtures/migrate/catalog-1x/`) migrates with only its
//! `schema_version` and requirement lines changed, and each migrated
//! requirement selects the same versions as the 1.x one on a grid of final
//! releases; the shipped catalog differs from that only where the exclusions
//! 1.x had dropped were restored from the packages' metadata on PyPI.

use std::collections::BTreeSet;
use std::path::Path;

use alliance_catalog::load::yaml::{self, Node, YamlLimits};
use alliance_catalog::model::Taxonomy;
use alliance_catalog::model::entry::target_of;
use alliance_catalog::version::{Environment, Requirement, Verdict};
use predicates::prelude::*;

use crate::{catalog_cmd, copy_dir, fixture, root};

/// The requirements restored after the migration: (entry, release,
/// platform, requirement in 1.x or none, requirement restored).
const RESTORED: &[(&str, &str, &str, Option<&str>, &str)] = &[
    (
        "fairness-indicators",
        "0.52.0",
        "numpy",
        None,
        "numpy per Python version",
    ),
    (
        "responsible-ai-toolbox",
        "0.36.0",
        "scikit-learn",
        Some(">=0.22.1, <=1.5.1"),
        "!=1.1,<=1.5.1,>=0.22.1",
    ),
    (
        "textattack",
        "0.3.10",
        "pytorch",
        Some(">=1.7.0"),
        "!=1.8,>=1.7.0",
    ),
    (
        "textattack",
        "0.3.11",
        "pytorch",
        Some(">=1.7.0"),
        "!=1.8,>=1.7.0",
    ),
];

fn parse(path: &Path) -> Node {
    let text = std::fs::read_to_string(path).expect("read");
    yaml::parse(&text, &YamlLimits::default())
        .root
        .expect("a document")
}

fn taxonomy() -> Taxonomy {
    serde_json::from_value(parse(&root().join("catalog/taxonomy.yaml")).to_json())
        .expect("taxonomy")
}

/// (entry, release, platform) -> requirement texts, for every requirement
/// of the catalog's entries.
fn requirements(tools: &Path) -> Vec<((String, String, String), Vec<String>)> {
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(tools)
        .expect("tools")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    for file in files {
        let stem = file
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        let doc = parse(&file).to_json();
        for release in doc["versions"].as_array().expect("versions") {
            let version = release["version"].as_str().expect("version").to_string();
            let Some(requires) = release["requires"].as_object() else {
                continue;
            };
            for (platform, value) in requires {
                let texts = match value {
                    serde_json::Value::String(s) => vec![s.clone()],
                    serde_json::Value::Array(items) => items
                        .iter()
                        .map(|i| i.as_str().expect("text").to_string())
                        .collect(),
                    other => panic!("{stem}: {other}"),
                };
                out.push(((stem.clone(), version.clone(), platform.clone()), texts));
            }
        }
    }
    out
}

/// Final releases around every number the requirement texts mention.
fn grid(texts: &[&str]) -> Vec<String> {
    let mut out: BTreeSet<String> = ["0.0.1", "0.1", "1", "100.0.0"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for text in texts {
        for word in text.split(|c: char| !(c.is_ascii_digit() || c == '.')) {
            let parts: Vec<u64> = word.split('.').filter_map(|p| p.parse().ok()).collect();
            if parts.is_empty() {
                continue;
            }
            let p = |i: usize| parts.get(i).copied().unwrap_or(0);
            let (a, b, c) = (p(0), p(1), p(2));
            for (x, y, z) in [
                (a, b, c),
                (a, b, c + 1),
                (a, b, c.saturating_sub(1)),
                (a, b + 1, 0),
                (a, b.saturating_sub(1), 9),
                (a + 1, 0, 0),
                (a.saturating_sub(1), 99, 0),
            ] {
                out.insert(format!("{x}.{y}.{z}"));
                if z == 0 {
                    out.insert(format!("{x}.{y}"));
                }
            }
        }
    }
    out.into_iter().collect()
}

fn selected(req: &Requirement, versions: &[String]) -> BTreeSet<String> {
    let env = Environment::new();
    versions
        .iter()
        .filter(|v| match req.check(v, &env) {
            Verdict::Met => true,
            Verdict::Fails => false,
            other => panic!("{req} on {v}: {other:?}"),
        })
        .cloned()
        .collect()
}

#[test]
fn the_shipped_catalog_migrates_keeping_every_other_byte_and_selects_the_same_versions() {
    let old_catalog = fixture("migrate/catalog-1x");
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&old_catalog, dir.path());

    // --dry-run prints the diff and writes nothing.
    let before = std::fs::read_to_string(dir.path().join("tools/garak.yaml")).expect("read");
    catalog_cmd(dir.path())
        .args(["migrate", "--dry-run"])
        .assert()
        .success()
        .stdout(predicate::str::contains("+schema_version: 2.0.0"))
        .stdout(predicate::str::contains("-      numpy: \"=1.26.4\"\n"))
        .stderr(predicate::str::contains(
            "would migrate 80 entries to schema 2.0.0 (65 requirements rewritten, 301 unchanged); 0 already at 2.0.0; 0 refused",
        ));
    let after_dry = std::fs::read_to_string(dir.path().join("tools/garak.yaml")).expect("read");
    assert_eq!(before, after_dry, "--dry-run wrote");

    catalog_cmd(dir.path())
        .arg("migrate")
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "migrated 80 entries to schema 2.0.0 (65 requirements rewritten, 301 unchanged)",
        ));
    // Once more: nothing left to do.
    catalog_cmd(dir.path())
        .arg("migrate")
        .assert()
        .success()
        .stderr(predicate::str::contains("migrated 0 entries to schema 2.0.0 (0 requirements rewritten, 0 unchanged); 80 already at 2.0.0"));

    // Every other byte kept: a changed line is the `schema_version` line or
    // a requirement's line, with the same key.
    for item in std::fs::read_dir(dir.path().join("tools")).expect("tools") {
        let path = item.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let migrated = std::fs::read_to_string(&path).expect("read");
        let original = std::fs::read_to_string(old_catalog.join("tools").join(&name)).expect("1.x");
        assert_eq!(migrated.lines().count(), original.lines().count(), "{name}");
        for (m, o) in migrated.lines().zip(original.lines()) {
            if m != o {
                let key = |l: &str| l.split_once(':').map(|(k, _)| k.to_string());
                assert_eq!(key(m), key(o), "{name}: {o:?} became {m:?}");
            }
        }
    }

    // Each migrated requirement selects the same versions as the 1.x one.
    let taxonomy = taxonomy();
    let old = requirements(&old_catalog.join("tools"));
    let migrated = requirements(&dir.path().join("tools"));
    assert_eq!(old.len(), 366);
    assert_eq!(migrated.len(), 366);
    for ((key, old_texts), (new_key, new_texts)) in old.iter().zip(&migrated) {
        assert_eq!(key, new_key);
        let old_req = Requirement::parse(&old_texts[0], target_of(Some(&taxonomy), &key.2, 1))
            .unwrap_or_else(|e| panic!("{key:?}: {e}"));
        let new_req = Requirement::parse(&new_texts[0], target_of(Some(&taxonomy), &key.2, 2))
            .unwrap_or_else(|e| panic!("{key:?}: {e}"));
        let versions = grid(&[old_texts[0].as_str(), new_texts[0].as_str()]);
        assert_eq!(
            selected(&old_req, &versions),
            selected(&new_req, &versions),
            "{key:?}: {old_texts:?} and {new_texts:?} select different versions"
        );
    }

    // The shipped catalog restores what 1.x had dropped, and those
    // requirements only take versions away.
    let shipped = requirements(&root().join("catalog/tools"));
    let mut differing: Vec<(String, String, String)> = Vec::new();
    for (key, old_texts) in &old {
        let Some((_, now)) = shipped.iter().find(|(k, _)| k == key) else {
            continue;
        };
        let target = target_of(Some(&taxonomy), &key.2, 2);
        let texts: Vec<&str> = now.iter().map(String::as_str).collect();
        let now_req = Requirement::parse_list(&texts, target)
            .or_else(|_| Requirement::parse(texts[0], target).map_err(|e| (0, e)))
            .unwrap_or_else(|(_, e)| panic!("{key:?}: {e}"));
        let old_req =
            Requirement::parse(&old_texts[0], target_of(Some(&taxonomy), &key.2, 1)).expect("1.x");
        let versions = grid(&[old_texts[0].as_str(), now[0].as_str()]);
        let (before, after) = (selected(&old_req, &versions), selected(&now_req, &versions));
        if RESTORED
            .iter()
            .any(|(e, r, p, _, _)| (*e, *r, *p) == (key.0.as_str(), key.1.as_str(), key.2.as_str()))
        {
            assert!(
                after.is_subset(&before) && after != before,
                "{key:?}: {after:?} against {before:?}"
            );
            differing.push(key.clone());
        }
    }
    let expected: Vec<(String, String, String)> = RESTORED
        .iter()
        .filter(|r| r.3.is_some())
        .map(|(e, r, p, _, _)| (e.to_string(), r.to_string(), p.to_string()))
        .collect();
    differing.sort();
    assert_eq!(differing, expected);
    assert!(
        shipped
            .iter()
            .any(|((e, r, p), t)| e == "fairness-indicators"
                && r == "0.52.0"
                && p == "numpy"
                && t.len() == 2),
        "fairness-indicators 0.52.0 states numpy per Python version"
    );
    assert!(
        !old.iter()
            .any(|((e, r, p), _)| e == "fairness-indicators" && r == "0.52.0" && p == "numpy")
    );

    // The exclusions restored are the ones the 1.x entries' notes said were dropped.
    for (entry, release, platform, old_text, _) in RESTORED {
        let Some(old_text) = old_text else { continue };
        let (_, texts) = old
            .iter()
            .find(|(k, _)| k == &(entry.to_string(), release.to_string(), platform.to_string()))
            .expect("old requirement");
        assert_eq!(texts[0], *old_text);
    }
    let excluded = |entry: &str, platform: &str, version: &str| {
        let (_, texts) = shipped
            .iter()
            .find(|((e, _, p), _)| e == entry && p == platform)
            .expect("requirement");
        let req =
            Requirement::parse(&texts[0], target_of(Some(&taxonomy), platform, 2)).expect("parses");
        !selected(&req, &[version.to_string()]).contains(version)
    };
    assert!(excluded("textattack", "pytorch", "1.8"));
    assert!(excluded("textattack", "pytorch", "1.8.0"));
    assert!(!excluded("textattack", "pytorch", "1.8.1"));
    assert!(excluded("responsible-ai-toolbox", "scikit-learn", "1.1.0"));
    assert!(!excluded("responsible-ai-toolbox", "scikit-learn", "1.1.1"));
}

#[test]
fn what_cannot_be_migrated_is_refused_with_its_position_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture("migrate/catalog-1x"), dir.path());
    let garak = dir.path().join("tools/garak.yaml");
    let text = std::fs::read_to_string(&garak)
        .expect("read")
        .replace("      python: \">=3.11\"", "      python: \"*\"");
    std::fs::write(&garak, &text).expect("write");
    catalog_cmd(dir.path())
        .args(["migrate", garak.to_str().expect("utf-8")])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("garak.yaml:47:15: error: the requirement `*` on `python` cannot be translated to PEP 440"))
        .stderr(predicate::str::contains("1 refused"));
    assert_eq!(
        std::fs::read_to_string(&garak).expect("read"),
        text,
        "a refused file is not changed"
    );
}
