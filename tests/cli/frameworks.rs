//! Frameworks and mappings: the shipped taxonomy's mappings are all checked
//! against the framework files; wrong ids are located errors with a
//! suggestion; `coverage --framework`, `list --framework-item` and the
//! SSSOM export, on the shipped catalog and on `tests/fixtures/frameworks/`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::{cmd, fixture, root, success_json};

/// The framework files of `catalog/frameworks/`, read here with the YAML
/// parser of the library (independently of the checks under test): id →
/// item ids.
fn shipped_frameworks() -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(root().join("catalog/frameworks")).expect("frameworks") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("read");
        let parsed = alliance_catalog::load::yaml::parse(
            &text,
            &alliance_catalog::load::yaml::YamlLimits::default(),
        );
        let json = parsed.root.expect("parses").to_json();
        let id = json["id"].as_str().expect("id").to_string();
        assert_eq!(
            path.file_stem().and_then(|s| s.to_str()),
            Some(id.as_str()),
            "{path:?}"
        );
        let items = json["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["id"].as_str().expect("item id").to_string())
            .collect();
        out.insert(id, items);
    }
    out
}

/// `validate --format json` on a fixture catalog: exit code and document.
fn validate(dir: &str) -> (i32, Value) {
    let out = cmd()
        .arg("--catalog")
        .arg(fixture(dir))
        .args(["validate", "--format", "json"])
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        serde_json::from_slice(&out.stdout).expect("json"),
    )
}

/// The diagnostics of `doc` with `code`, as (file name, line, message).
fn found(doc: &Value, code: &str) -> Vec<(String, u64, String)> {
    doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == code)
        .map(|d| {
            (
                d["file"]
                    .as_str()
                    .unwrap_or_default()
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_string(),
                d["line"].as_u64().unwrap_or_default(),
                d["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_mapping_of_the_shipped_taxonomy_is_structured_and_names_a_known_item() {
    let frameworks = shipped_frameworks();
    let doc = success_json({
        let mut c = cmd();
        c.arg("export");
        c
    });
    let mut checked = 0;
    for vocabulary in [
        "categories",
        "risks",
        "lifecycle",
        "modalities",
        "interfaces",
        "platforms",
    ] {
        for term in doc["taxonomy"][vocabulary].as_array().expect("terms") {
            for m in term["mappings"].as_array().into_iter().flatten() {
                let framework = m["framework"].as_str().expect("a structured mapping");
                let item = m["item"].as_str().expect("item");
                assert!(
                    frameworks
                        .get(framework)
                        .is_some_and(|items| items.contains(item)),
                    "{}: {framework}:{item} is not in catalog/frameworks/",
                    term["id"]
                );
                assert!(
                    ["exact", "close", "broad", "narrow", "related"]
                        .contains(&m["relation"].as_str().unwrap_or_default()),
                    "{m}"
                );
                checked += 1;
            }
        }
    }
    // The 64 free-string mappings the taxonomy had, converted, and more.
    assert!(checked >= 64, "{checked} mappings");
    // And `validate` reports nothing about them (nor anything else).
    let out = cmd()
        .args(["validate", "--format", "json"])
        .output()
        .expect("runs");
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["summary"]["errors"], 0, "{doc}");
    assert_eq!(doc["summary"]["warnings"], 0, "{doc}");
}

#[test]
fn every_owasp_agentic_item_is_mapped_or_has_a_gap_note() {
    let frameworks = shipped_frameworks();
    let items = &frameworks["owasp-agentic-2026"];
    assert_eq!(items.len(), 10);
    let doc = success_json({
        let mut c = cmd();
        c.args([
            "coverage",
            "--framework",
            "owasp-agentic-2026",
            "--format",
            "json",
        ]);
        c
    });
    let rows = doc["items"].as_array().expect("items");
    assert_eq!(rows.len(), 10);
    for row in rows {
        let mapped = !row["terms"].as_array().expect("terms").is_empty();
        let gap = row["gap"].is_string();
        assert!(mapped || gap, "{} is neither mapped nor a gap", row["id"]);
    }
}

#[test]
fn an_unknown_item_is_located_with_the_closest_id() {
    let (code, doc) = validate("rules/unknown-framework-item/fail");
    assert_eq!(code, 1);
    let hits = found(&doc, "unknown-framework-item");
    assert!(
        hits.iter()
            .any(|(file, line, message)| file == "taxonomy.yaml"
                && *line == 22
                && message.contains("`AML.T0O51`")
                && message.contains("did you mean `AML.T0051` (LLM Prompt Injection)")),
        "{hits:?}"
    );
    // An id with its own edition after it is not the id.
    assert!(
        hits.iter()
            .any(|(file, _, message)| file == "beta-eval.yaml"
                && message.contains("`LLM07:2025`")
                && message.contains("did you mean `LLM07`")),
        "{hits:?}"
    );
}

#[test]
fn an_id_of_another_edition_names_what_it_means_in_each() {
    let (code, doc) = validate("rules/wrong-edition/fail");
    assert_eq!(code, 1);
    let hits = found(&doc, "wrong-edition");
    // LLM06 of 2023 is Sensitive Information Disclosure, LLM02 in 2025;
    // LLM06 of 2025 is Excessive Agency.
    assert!(
        hits.iter()
            .any(|(file, line, message)| file == "taxonomy.yaml"
                && *line == 21
                && message.contains("`LLM06` of 2023 is Sensitive Information Disclosure")
                && message.contains("`LLM06` of 2025 is Excessive Agency")
                && message.contains("did you mean `LLM02` (Sensitive Information Disclosure)")),
        "{hits:?}"
    );
    // The framework id of the old edition is recognised too.
    assert!(
        hits.iter()
            .any(|(_, line, message)| *line == 22 && message.contains("`owasp-llm-2023`")),
        "{hits:?}"
    );
}

#[test]
fn an_unknown_framework_is_located_with_the_closest_framework() {
    let (code, doc) = validate("rules/unknown-framework/fail");
    assert_eq!(code, 1);
    let hits = found(&doc, "unknown-framework");
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert!(
        hits.iter()
            .any(|(file, line, message)| file == "taxonomy.yaml"
                && *line == 21
                && message.contains("did you mean `owasp-llm-2025`")),
        "{hits:?}"
    );
    assert!(
        hits.iter().any(
            |(file, _, message)| file == "beta-eval.yaml" && message.contains("`owasp-top-10`")
        ),
        "{hits:?}"
    );
}

#[test]
fn a_duplicate_mapping_is_reported_at_the_second() {
    let (code, doc) = validate("rules/duplicate-mapping/fail");
    assert_eq!(code, 1);
    let hits = found(&doc, "duplicate-mapping");
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert!(
        hits.iter()
            .any(|(file, line, message)| file == "taxonomy.yaml"
                && *line == 23
                && message.contains("`mitre-atlas:AML.T0051` is mapped twice")
                && message.contains("mappings[1]")),
        "{hits:?}"
    );
    assert!(
        hits.iter()
            .any(|(file, line, _)| file == "beta-eval.yaml" && *line == 25),
        "{hits:?}"
    );
}

#[test]
fn coverage_follows_mitigations_to_techniques_and_entry_mappings() {
    let doc = success_json({
        let mut c = cmd();
        c.arg("--catalog").arg(fixture("frameworks")).args([
            "coverage",
            "--framework",
            "mitre-atlas",
            "--format",
            "json",
        ]);
        c
    });
    let row = |id: &str| {
        doc["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))
            .clone()
    };
    // No risk maps to AML.T0054: alpha-guard (a guardrail, vetted) reaches
    // it through the category's mitigation AML.M0020, which addresses it.
    let jailbreak = row("AML.T0054");
    assert_eq!(
        jailbreak["tools"]["vetted"],
        serde_json::json!(["alpha-guard"])
    );
    assert_eq!(
        jailbreak["via"],
        serde_json::json!([{
            "tool": "alpha-guard", "status": "vetted", "by": "category",
            "term": "guardrail", "relation": "close", "mitigation": "AML.M0020"
        }])
    );
    // The tactic no one maps to is a gap.
    assert!(
        doc["no_tool"]
            .as_array()
            .expect("no_tool")
            .contains(&"AML.TA0004".into())
    );
    assert_eq!(doc["summary"][0]["items"], 4);
    assert_eq!(doc["summary"][0]["with_tool"], 3);

    // An entry's own mapping: beta-eval states LLM07.
    let owasp = success_json({
        let mut c = cmd();
        c.arg("--catalog").arg(fixture("frameworks")).args([
            "coverage",
            "--framework",
            "owasp-llm-2025",
            "--format",
            "json",
        ]);
        c
    });
    let llm07 = owasp["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|r| r["id"] == "LLM07")
        .expect("LLM07")
        .clone();
    assert_eq!(llm07["via"][0]["by"], "entry");
    assert_eq!(llm07["via"][0]["tool"], "beta-eval");
}

#[test]
fn coverage_of_an_unknown_framework_is_a_usage_error_with_a_suggestion() {
    cmd()
        .args(["coverage", "--framework", "owasp-llm-205"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("did you mean `owasp-llm-2025`?"));
    cmd()
        .args(["coverage", "--framework", "owasp-llm-2023"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "the catalog holds its 2025 edition as `owasp-llm-2025`",
        ));
}

#[test]
fn list_by_framework_item() {
    let ids = |args: &[&str]| {
        crate::ids_of(&success_json({
            let mut c = cmd();
            c.arg("--catalog")
                .arg(fixture("frameworks"))
                .arg("list")
                .args(args)
                .args(["--format", "json"]);
            c
        }))
    };
    assert_eq!(
        ids(&["--framework-item", "mitre-atlas:AML.T0054"]),
        ["alpha-guard"]
    );
    assert_eq!(
        ids(&["--framework-item", "owasp-llm-2025:LLM07"]),
        ["beta-eval"]
    );
    // Any of several items.
    assert_eq!(
        ids(&[
            "--framework-item",
            "owasp-llm-2025:LLM07,mitre-atlas:AML.T0054"
        ]),
        ["alpha-guard", "beta-eval"]
    );
    cmd()
        .arg("--catalog")
        .arg(fixture("frameworks"))
        .args(["list", "--framework-item", "owasp-llm-2025:LLM7"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "did you mean `owasp-llm-2025:LLM07`?",
        ));
    cmd()
        .args(["list", "--framework-item", "LLM01"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("write FRAMEWORK:ITEM"));
}

#[test]
fn coverage_json_of_every_shipped_framework_meets_its_schema() {
    let path = root().join("schemas/framework-coverage.schema.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("json");
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("compiles");
    for id in shipped_frameworks().keys() {
        let doc = success_json({
            let mut c = cmd();
            c.args(["coverage", "--framework", id, "--format", "json"]);
            c
        });
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{id}: {errors:#?}");
    }
}

/// The SSSOM/TSV of `export --format sssom`, split into the metadata block
/// (the `#` lines, without the `#`) and the table.
fn sssom(catalog: Option<&str>) -> (String, Vec<Vec<String>>) {
    let mut c = cmd();
    if let Some(dir) = catalog {
        c.arg("--catalog").arg(fixture(dir));
    }
    let out = c
        .args(["export", "--format", "sssom"])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let mut meta = String::new();
    let mut rows = Vec::new();
    for line in text.lines() {
        if let Some(m) = line.strip_prefix('#') {
            assert!(rows.is_empty(), "metadata after the header: {line}");
            meta.push_str(m);
            meta.push('\n');
        } else {
            rows.push(line.split('\t').map(str::to_string).collect());
        }
    }
    (meta, rows)
}

/// The SSSOM rules on one mapping set: the metadata block is YAML with a
/// `curie_map`, a `mapping_set_id` and a `license` (both URIs); the header
/// names the required columns once each; every row has as many cells as
/// the header; every CURIE uses a declared prefix; predicates are SKOS
/// mapping relations; justifications are SEMAPV terms; no triple twice.
/// Returns the rows as (subject, predicate, object).
fn check_sssom(meta: &str, rows: &[Vec<String>]) -> BTreeSet<(String, String, String)> {
    let parsed = alliance_catalog::load::yaml::parse(
        meta,
        &alliance_catalog::load::yaml::YamlLimits::default(),
    );
    assert!(parsed.findings.is_empty(), "{:?}", parsed.findings);
    let meta = parsed.root.expect("metadata").to_json();
    let curies: BTreeMap<String, String> = meta["curie_map"]
        .as_object()
        .expect("curie_map")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().expect("expansion").to_string()))
        .collect();
    for (prefix, expansion) in &curies {
        assert!(
            url::Url::parse(expansion).is_ok()
                && (expansion.ends_with('/') || expansion.ends_with('#')),
            "{prefix}: {expansion}"
        );
    }
    for key in ["mapping_set_id", "license"] {
        let value = meta[key]
            .as_str()
            .unwrap_or_else(|| panic!("{key} missing"));
        assert!(url::Url::parse(value).is_ok(), "{key}: {value}");
    }
    let (header, body) = rows.split_first().expect("a header row");
    let column = |name: &str| header.iter().position(|h| h == name);
    for required in [
        "subject_id",
        "predicate_id",
        "object_id",
        "mapping_justification",
    ] {
        assert!(column(required).is_some(), "no {required} column");
    }
    let unique: BTreeSet<&String> = header.iter().collect();
    assert_eq!(unique.len(), header.len(), "a column twice: {header:?}");
    let declared = |curie: &str| {
        let (prefix, local) = curie
            .split_once(':')
            .unwrap_or_else(|| panic!("{curie} is no CURIE"));
        assert!(!local.is_empty(), "{curie}");
        assert!(
            curies.contains_key(prefix),
            "{curie}: prefix not in curie_map"
        );
    };
    let at = |row: &Vec<String>, name: &str| row[column(name).expect("column")].clone();
    let mut triples = BTreeSet::new();
    for row in body {
        assert_eq!(row.len(), header.len(), "{row:?}");
        for name in [
            "subject_id",
            "predicate_id",
            "object_id",
            "mapping_justification",
            "subject_source",
        ] {
            declared(&at(row, name));
        }
        assert!(
            [
                "skos:exactMatch",
                "skos:closeMatch",
                "skos:broadMatch",
                "skos:narrowMatch",
                "skos:relatedMatch"
            ]
            .contains(&at(row, "predicate_id").as_str()),
            "{row:?}"
        );
        assert!(
            at(row, "mapping_justification").starts_with("semapv:"),
            "{row:?}"
        );
        assert!(
            triples.insert((
                at(row, "subject_id"),
                at(row, "predicate_id"),
                at(row, "object_id")
            )),
            "twice: {row:?}"
        );
    }
    triples
}

#[test]
fn the_sssom_export_parses_back_and_follows_the_column_rules() {
    // The fixture catalog: exactly its four mappings.
    let (meta, rows) = sssom(Some("frameworks"));
    let triples = check_sssom(&meta, &rows);
    let expected: BTreeSet<(String, String, String)> = [
        (
            "category:guardrail",
            "skos:closeMatch",
            "mitre-atlas:AML.M0020",
        ),
        (
            "risk:prompt-injection",
            "skos:exactMatch",
            "mitre-atlas:AML.T0051",
        ),
        (
            "risk:prompt-injection",
            "skos:exactMatch",
            "owasp-llm-2025:LLM01",
        ),
        (
            "tool:beta-eval",
            "skos:relatedMatch",
            "owasp-llm-2025:LLM07",
        ),
    ]
    .iter()
    .map(|(s, p, o)| (s.to_string(), p.to_string(), o.to_string()))
    .collect();
    assert_eq!(triples, expected);

    // The shipped catalog: one row per mapping of the taxonomy and of the
    // entries, each as the export JSON has it.
    let (meta, rows) = sssom(None);
    let triples = check_sssom(&meta, &rows);
    let doc = success_json({
        let mut c = cmd();
        c.arg("export");
        c
    });
    let prefix = |vocabulary: &str| match vocabulary {
        "categories" => "category",
        "risks" => "risk",
        other => panic!("mappings on {other}"),
    };
    let mut from_json = BTreeSet::new();
    for vocabulary in ["categories", "risks"] {
        for term in doc["taxonomy"][vocabulary].as_array().expect("terms") {
            for m in term["mappings"].as_array().into_iter().flatten() {
                let predicate = format!("skos:{}Match", m["relation"].as_str().expect("relation"));
                from_json.insert((
                    format!(
                        "{}:{}",
                        prefix(vocabulary),
                        term["id"].as_str().expect("id")
                    ),
                    predicate,
                    format!(
                        "{}:{}",
                        m["framework"].as_str().expect("f"),
                        m["item"].as_str().expect("i")
                    ),
                ));
            }
        }
    }
    for tool in doc["tools"].as_array().expect("tools") {
        for m in tool["mappings"].as_array().into_iter().flatten() {
            from_json.insert((
                format!("tool:{}", tool["id"].as_str().expect("id")),
                "skos:relatedMatch".to_string(),
                format!(
                    "{}:{}",
                    m["framework"].as_str().expect("f"),
                    m["item"].as_str().expect("i")
                ),
            ));
        }
    }
    assert_eq!(triples, from_json);
}

#[test]
fn the_index_has_a_section_per_framework() {
    let index = std::fs::read_to_string(root().join("catalog/INDEX.md")).expect("index");
    for heading in [
        "### OWASP Top 10 for LLM Applications 2025",
        "### OWASP Top 10 for Agentic Applications 2026",
        "### MITRE ATLAS 5.6.1",
        "### NIST AI 600-1 Generative AI Profile July 2024",
    ] {
        assert!(index.contains(heading), "{heading}");
    }
}

/// Copies the folder `from` into `to`, files only.
fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

#[test]
fn a_bad_framework_file_is_reported_at_its_place_and_a_link_out_is_not_followed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = dir.path().join("catalog");
    copy_tree(&fixture("frameworks"), &catalog);
    // A misspelt key in a framework file.
    let atlas = catalog.join("frameworks/mitre-atlas.yaml");
    let text = std::fs::read_to_string(&atlas).expect("read");
    std::fs::write(&atlas, text.replace("retrieved_from:", "retreived_from:")).expect("write");
    // A framework file that is a link out of the catalog.
    let outside = dir.path().join("outside.yaml");
    std::fs::write(&outside, "secret: 1\n").expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, catalog.join("frameworks/evil.yaml")).expect("symlink");
    let out = cmd()
        .arg("--catalog")
        .arg(&catalog)
        .args(["validate", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("json");
    let unknown = found(&doc, "unknown-key");
    assert!(
        unknown
            .iter()
            .any(|(file, line, message)| file == "mitre-atlas.yaml"
                && *line == 8
                && message.contains("did you mean `retrieved_from`?")),
        "{unknown:?}"
    );
    // The mappings to the broken file are not judged: its own error says it.
    assert!(found(&doc, "unknown-framework").is_empty(), "{doc}");
    #[cfg(unix)]
    {
        let unsafe_path = found(&doc, "unsafe-path");
        assert!(
            unsafe_path.iter().any(|(file, _, _)| file == "evil.yaml"),
            "{unsafe_path:?}"
        );
    }
}
