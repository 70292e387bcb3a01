//! The whole catalog as one JSON document, for sites and other tools.
//! Its shape is `schemas/export.schema.json`.

use serde::Serialize;

use crate::model::{Entry, Settings, Taxonomy};

/// Version of the export format.
pub const EXPORT_VERSION: &str = "1.0.0";

/// The export document.
#[derive(Debug, Serialize)]
pub struct Export<'a> {
    /// Version of this document's format.
    pub export_version: &'static str,
    /// The catalog's name and description.
    pub catalog: CatalogInfo<'a>,
    /// The taxonomy, whole.
    pub taxonomy: &'a Taxonomy,
    /// Every entry, sorted by id, with derived fields.
    pub tools: Vec<ToolExport<'a>>,
}

/// Name and description of the catalog.
#[derive(Debug, Serialize)]
pub struct CatalogInfo<'a> {
    /// Name.
    pub name: &'a str,
    /// Description.
    pub description: &'a str,
}

/// One entry with every field, plus the values derived from it.
#[derive(Debug, Serialize)]
pub struct ToolExport<'a> {
    /// Every field of the entry.
    #[serde(flatten)]
    pub entry: &'a Entry,
    /// The newest version (semver order).
    pub latest_version: Option<String>,
    /// Whether the licence can be met with OSI-approved licences only.
    pub license_osi_approved: bool,
}

/// Builds the export of `entries`.
pub fn export<'a>(
    settings: &'a Settings,
    taxonomy: &'a Taxonomy,
    entries: &[&'a Entry],
) -> Export<'a> {
    let mut tools: Vec<ToolExport<'a>> = entries
        .iter()
        .map(|e| ToolExport {
            entry: e,
            latest_version: e.latest_version().map(|v| v.to_string()),
            license_osi_approved: e.osi_approved_license(),
        })
        .collect();
    tools.sort_by(|a, b| a.entry.id.cmp(&b.entry.id));
    Export {
        export_version: EXPORT_VERSION,
        catalog: CatalogInfo {
            name: &settings.name,
            description: &settings.description,
        },
        taxonomy,
        tools,
    }
}

#[cfg(test)]
mod properties {
    use std::sync::Arc;

    use proptest::prelude::*;

    use super::*;
    use crate::check::check_catalog;
    use crate::load::{Input, ToolFile, decode};

    const TAXONOMY: &str = include_str!("../../tests/fixtures/catalog/taxonomy.yaml");

    fn input(name: &str, stem: &str, text: &str) -> Input {
        let (text, warning) = match decode(text.as_bytes().to_vec()) {
            Ok((t, w)) => (Ok(t), w),
            Err(p) => (Err(p), None),
        };
        Input {
            name: Arc::from(name),
            path: None,
            stem: stem.into(),
            text,
            warning,
        }
    }

    fn words() -> impl Strategy<Value = String> {
        "[A-Za-z0-9 .,:;'!?()&<>|*_`#-]{10,60}".prop_map(|s| s.trim().to_string() + " tool text")
    }

    prop_compose! {
        fn entry_json()(
            name in "[A-Za-z][A-Za-z0-9 ]{0,30}",
            summary in words(),
            description in proptest::option::of("[ -~\n]{0,200}"),
            homepage in proptest::option::of("[a-z]{1,10}"),
            license in proptest::sample::select(vec!["MIT", "Apache-2.0", "MIT OR Apache-2.0", "LicenseRef-Custom-1"]),
            categories in proptest::sample::subsequence(vec!["guardrail", "evaluation", "red-teaming"], 1..=3),
            risks in proptest::sample::subsequence(vec!["prompt-injection", "jailbreak", "toxicity"], 1..=3),
            languages in proptest::sample::subsequence(vec!["en", "ja", "no", "pt-BR", "any"], 0..=3),
            versions in proptest::collection::btree_set((0u64..5, 0u64..20, 0u64..5), 1..4),
            python in proptest::option::of((3u64..4, 8u64..14)),
            tags in proptest::collection::btree_set("[a-z]{2,8}(-[a-z0-9]{1,4})?", 0..4),
            notes in proptest::option::of("[ -~]{1,80}"),
        ) -> serde_json::Value {
            let mut e = serde_json::json!({
                "schema_version": "1.0.0",
                "id": "gen-tool",
                "name": name.trim().to_string() + "x",
                "summary": summary,
                "repository": "https://github.com/example/gen-tool",
                "license": license,
                "maintainers": [{"name": "Example"}],
                "categories": categories,
                "risks": risks,
                "modalities": ["text"],
                "interfaces": ["cli"],
                "versions": versions.iter().rev().map(|(a, b, c)| {
                    let mut r = serde_json::json!({"version": format!("{a}.{b}.{c}"), "released": "2025-03-04"});
                    if let Some((maj, min)) = python {
                        r["requires"] = serde_json::json!({"python": format!(">={maj}.{min}")});
                    }
                    r
                }).collect::<Vec<_>>(),
                "vetting": {"status": "provisional", "reviewed": "2026-01-02", "reviewers": ["someone"]},
            });
            if let Some(d) = description { e["description"] = d.into(); }
            if let Some(h) = homepage { e["homepage"] = format!("https://{h}.example.org").into(); }
            if !languages.is_empty() { e["languages"] = serde_json::json!(languages); }
            if !tags.is_empty() { e["tags"] = serde_json::json!(tags); }
            if let Some(n) = notes { e["notes"] = n.into(); }
            e
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Any entry the checks accept comes out of `export` with every field
        /// as written: decoding the exported tool gives the same entry.
        #[test]
        fn accepted_entries_round_trip_through_export(json in entry_json()) {
            let mut yaml = Vec::new();
            crate::render::yaml(&mut yaml, &json).expect("yaml");
            let yaml = String::from_utf8(yaml).expect("utf-8");
            let settings = Settings::from_toml("s.toml", "name = \"x\"").expect("settings");
            let checked = check_catalog(
                settings,
                &input("taxonomy.yaml", "taxonomy", TAXONOMY),
                &[],
                vec![ToolFile::Read(Box::new(input("tools/gen-tool.yaml", "gen-tool", &yaml)))],
                Vec::new(),
                jiff::civil::date(2026, 11, 25),
            );
            prop_assert!(checked.diagnostics.is_empty(), "{:#?}\n{}", checked.diagnostics, yaml);
            let taxonomy = checked.taxonomy.as_ref().expect("taxonomy");
            let entries: Vec<&Entry> = checked.valid_entries().collect();
            let doc = serde_json::to_value(export(&checked.settings, taxonomy, &entries)).expect("json");
            let mut tool = doc["tools"][0].as_object().expect("tool").clone();
            tool.remove("latest_version");
            tool.remove("license_osi_approved");
            let back: Entry = serde_json::from_value(serde_json::Value::Object(tool)).expect("decodes");
            let original: Entry = serde_json::from_value(json).expect("decodes");
            prop_assert_eq!(back, original);
        }
    }
}
