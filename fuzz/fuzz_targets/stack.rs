//! Arbitrary bytes as a stack file (in every format `compat --from` reads,
//! detected and forced) and as `--with` values: a clear error or a stack,
//! never a panic.
#![no_main]

use alliance_catalog::model::stack::parse_version;
use alliance_catalog::model::{Stack, Taxonomy};
use alliance_catalog::stack::{self, Format, Included, Includes};
use libfuzzer_sys::fuzz_target;

/// No file may be included.
struct NoFiles;

impl Includes for NoFiles {
    fn key(&mut self, file: &str) -> String {
        file.to_string()
    }
    fn read(&mut self, _from: &str, _path: &str) -> Result<Included, String> {
        Err("not found".into())
    }
}

const FORMATS: [Format; 11] = [
    Format::Requirements,
    Format::PipInspect,
    Format::PipList,
    Format::UvLock,
    Format::Pylock,
    Format::PoetryLock,
    Format::CondaEnv,
    Format::CondaExport,
    Format::NpmLock,
    Format::CycloneDx,
    Format::Toml,
];

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
    let file: std::sync::Arc<str> = std::sync::Arc::from("in");
    let format = data.first().map(|b| FORMATS[usize::from(*b) % FORMATS.len()]);
    for f in [None, format] {
        if let Ok(reading) = stack::read(&file, text, f, &taxonomy, &mut NoFiles) {
            let _ = stack::resolve(vec![reading], &taxonomy, &Default::default());
        }
    }
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
