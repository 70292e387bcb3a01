//! Arbitrary bytes as a stack file and as `--with` values: a clear error or a
//! stack, never a panic.
#![no_main]

use alliance_catalog::model::stack::parse_version;
use alliance_catalog::model::{Stack, Taxonomy};
use libfuzzer_sys::fuzz_target;

const TAXONOMY: &str = include_str!("../../catalog/taxonomy.yaml");

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let taxonomy: Taxonomy = match alliance_catalog::load::yaml::parse(TAXONOMY, &Default::default()).root {
        Some(root) => match serde_json::from_value(root.to_json()) {
            Ok(t) => t,
            Err(_) => return,
        },
        None => return,
    };
    if let Ok(mut stack) = Stack::from_toml("stack.toml", text, &taxonomy) {
        for line in text.lines().take(16) {
            let _ = stack.set(line, &taxonomy);
        }
    }
    for line in text.lines().take(16) {
        if let Ok(v) = parse_version(line) {
            let _ = alliance_catalog::model::stack::comparable(&v);
        }
    }
});
