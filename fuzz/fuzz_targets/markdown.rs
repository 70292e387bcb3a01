//! Arbitrary text in every field of an entry, rendered to the markdown index:
//! no panic, and every table row keeps the header's number of cells.
#![no_main]

use alliance_catalog::model::{Entry, Settings, Taxonomy};
use alliance_catalog::render::{index, markdown};
use libfuzzer_sys::fuzz_target;

const TAXONOMY: &str = include_str!("../../catalog/taxonomy.yaml");

fn cells(line: &str) -> usize {
    let mut n = 0;
    let mut escaped = false;
    for c in line.trim().trim_start_matches('|').chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => n += 1,
            _ => escaped = false,
        }
    }
    n
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let escaped = markdown::escape_cell(&text);
    assert!(!escaped.contains('\n') && !escaped.contains('<'));
    let taxonomy: Taxonomy = match alliance_catalog::load::yaml::parse(TAXONOMY, &Default::default()).root {
        Some(root) => match serde_json::from_value(root.to_json()) {
            Ok(t) => t,
            Err(_) => return,
        },
        None => return,
    };
    let mut entry: Entry = match serde_json::from_value(serde_json::json!({
        "schema_version": "1.0.0", "id": "fuzzed", "name": text, "summary": text,
        "repository": "https://example.org", "license": text, "maintainers": [],
        "categories": ["guardrail"], "risks": ["prompt-injection"], "modalities": ["text"],
        "interfaces": ["cli"], "languages": [text],
        "versions": [{"version": text, "released": "2025-01-01"}],
        "vetting": {"status": "provisional", "reviewed": "2025-01-01", "reviewers": ["x"]}
    })) {
        Ok(e) => e,
        Err(_) => return,
    };
    entry.homepage = Some(text.to_string());
    let mut settings = Settings::from_toml("s.toml", "name = \"x\"").expect("settings");
    settings.name = text.to_string();
    settings.description = text.to_string();
    let out = index::render(&settings, &taxonomy, &Default::default(), &[&entry]);
    let mut header = None;
    for line in out.lines() {
        if line.starts_with('|') {
            let n = cells(line);
            match header {
                None => header = Some(n),
                Some(h) => assert_eq!(h, n, "{line}"),
            }
        } else {
            header = None;
        }
    }
});
