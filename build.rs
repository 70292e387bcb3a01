//! Embeds the default catalog (`catalog/`) into the binary: writes
//! `$OUT_DIR/embedded_catalog.rs` with every settings, taxonomy and entry file.

#![allow(
    clippy::disallowed_macros,
    reason = "a build script talks to cargo on stdout"
)]

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

fn main() {
    let manifest = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let catalog = Path::new(&manifest).join("catalog");
    println!("cargo:rerun-if-changed=catalog");

    let mut files: Vec<(String, String)> = Vec::new();
    for entry in walkdir::WalkDir::new(&catalog)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let keep = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "toml")
        );
        if !keep {
            continue;
        }
        let rel = path
            .strip_prefix(&catalog)
            .expect("walked under catalog")
            .to_string_lossy()
            .replace('\\', "/");
        files.push((rel, path.to_string_lossy().into_owned()));
    }

    // What `--version` says of the embedded catalog: how many entries, the
    // newest review date, and a digest of every embedded byte (which tells
    // two builds' catalogs apart).
    let mut tools = 0;
    let mut newest = String::new();
    let mut digest: u64 = 0xcbf2_9ce4_8422_2325;
    for (rel, abs) in &files {
        let bytes = fs::read(abs).expect("read a catalog file");
        for b in rel.bytes().chain(bytes.iter().copied()) {
            digest = (digest ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        if rel.starts_with("tools/") {
            tools += 1;
            for line in String::from_utf8_lossy(&bytes).lines() {
                if let Some(date) = line.trim().strip_prefix("reviewed:") {
                    let date = date.trim().trim_matches('"').trim_matches('\'');
                    if date.len() == 10 && *date > *newest {
                        newest = date.to_string();
                    }
                }
            }
        }
    }
    let newest = if newest.is_empty() {
        "none".to_string()
    } else {
        newest
    };
    println!(
        "cargo:rustc-env=ALLIANCE_CATALOG_EMBEDDED={tools} entries, facts last checked {newest}, digest {:08x}",
        digest >> 32
    );

    let mut code = String::from(
        "/// Files of the embedded default catalog: path relative to the catalog folder, bytes.\n\
         pub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for (rel, abs) in &files {
        writeln!(code, "    ({rel:?}, include_bytes!({abs:?})),").expect("write to string");
    }
    code.push_str("];\n");
    fs::write(Path::new(&out_dir).join("embedded_catalog.rs"), code)
        .expect("write embedded_catalog.rs");
}
