//! `alliance-catalog export`: the whole catalog as one JSON document, or
//! its framework mappings as SSSOM/TSV.

use std::path::PathBuf;

use anyhow::Result;

use alliance_catalog::render;
use alliance_catalog::report::export::export;
use alliance_catalog::report::sssom::mapping_set;
use alliance_catalog::write::write_atomic;

use super::{EXIT_OK, GlobalArgs, write_stdout};

const EXAMPLES: &str = "\
Examples:
  alliance-catalog export > catalog.json
  alliance-catalog export --out site/catalog.json
  alliance-catalog export --format sssom > mappings.sssom.tsv
  alliance-catalog schema export      # the shape of the document";

/// Options of `export`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(flatten)]
    pub jobs: super::Jobs,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// What to export.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// With `--format sssom`: the licence of the mappings, as a URL (the
    /// mapping set's `license`).
    #[arg(
        long,
        value_name = "URL",
        default_value = "https://spdx.org/licenses/Apache-2.0.html"
    )]
    pub license: String,
}

/// What `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The whole catalog as one JSON document (`schema export`).
    Json,
    /// The mappings of the taxonomy and of entries to framework items, as
    /// an SSSOM/TSV mapping set.
    Sssom,
}

pub fn run(global: &GlobalArgs, args: &Args) -> Result<u8> {
    let checked = super::load_checked(global)?;
    let (taxonomy, entries) = match super::publishable(&checked)? {
        Ok(parts) => parts,
        Err(code) => return Ok(code),
    };
    let mut bytes = Vec::new();
    match args.format {
        Format::Json => render::json(&mut bytes, &export(&checked.settings, taxonomy, &entries))?,
        Format::Sssom => render::sssom::write(
            &mut bytes,
            &mapping_set(
                &checked.settings,
                taxonomy,
                &checked.frameworks,
                &entries,
                &args.license,
            ),
        )?,
    }
    match &args.out {
        Some(path) => write_atomic(path, &bytes)?,
        None => write_stdout(|w| w.write_all(&bytes))?,
    }
    Ok(EXIT_OK)
}
