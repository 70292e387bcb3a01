//! Arbitrary bytes as one entry file of the default catalog: decoding, YAML,
//! schema, every rule, the cross-entry rules, and every diagnostics renderer.
#![no_main]

use std::collections::BTreeMap;
use std::sync::Arc;

use alliance_catalog::check::check_catalog;
use alliance_catalog::diag::{Summary, render};
use alliance_catalog::load::{self, Input, ToolFile};
use alliance_catalog::model::Settings;
use libfuzzer_sys::fuzz_target;

const SETTINGS: &str = include_str!("../../catalog/alliance-catalog.toml");
const TAXONOMY: &str = include_str!("../../catalog/taxonomy.yaml");
const NEIGHBOUR: &str = include_str!("../../catalog/tools/garak.yaml");

fn input(name: &str, bytes: Vec<u8>) -> Input {
    let (text, warning) = match load::decode(bytes) {
        Ok((t, w)) => (Ok(t), w),
        Err(p) => (Err(p), None),
    };
    Input {
        name: Arc::from(name),
        path: None,
        stem: name.trim_end_matches(".yaml").rsplit('/').next().unwrap_or_default().to_string(),
        text,
        warning,
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() > 64 * 1024 {
        return;
    }
    let Ok(settings) = Settings::from_toml("alliance-catalog.toml", SETTINGS) else {
        return;
    };
    let taxonomy = input("taxonomy.yaml", TAXONOMY.as_bytes().to_vec());
    let tools = vec![
        ToolFile::Read(Box::new(input("tools/garak.yaml", NEIGHBOUR.as_bytes().to_vec()))),
        ToolFile::Read(Box::new(input("tools/fuzzed.yaml", data.to_vec()))),
    ];
    let today = jiff::civil::date(2026, 11, 25);
    let checked = check_catalog(settings, &taxonomy, &[], tools, Vec::new(), today);
    let summary = Summary::count(checked.files, &checked.diagnostics);
    let mut sink = Vec::new();
    let sources: BTreeMap<_, _> = checked.sources.clone();
    render::human(&mut sink, &checked.diagnostics, &sources, true).expect("write to memory");
    render::json(&mut sink, &checked.diagnostics, &checked.omitted, &summary).expect("write to memory");
    render::github(&mut sink, &checked.diagnostics).expect("write to memory");
    render::sarif(&mut sink, &checked.diagnostics, "fuzz").expect("write to memory");
    // Every diagnostic is located inside the file it names.
    for d in &checked.diagnostics {
        if let Some(src) = sources.get(&d.file).filter(|s| !s.is_partial()) {
            let lines = alliance_catalog::source::split_lines(&src.text).count() as u32;
            assert!(d.span.start.line >= 1 && d.span.start.line <= lines + 1, "{d:?}");
        }
    }
});
