//! `alliance-catalog export`: the whole catalog as one JSON document.

use std::path::PathBuf;

use anyhow::Result;

use alliance_catalog::render;
use alliance_catalog::report::export::export;
use alliance_catalog::write::write_atomic;

use super::{EXIT_OK, GlobalArgs, write_stdout};

const EXAMPLES: &str = "\
Examples:
  alliance-catalog export > catalog.json
  alliance-catalog export --out site/catalog.json
  alliance-catalog schema export      # the shape of the document";

/// Options of `export`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

pub fn run(global: &GlobalArgs, args: &Args) -> Result<u8> {
    let checked = super::load_checked(global)?;
    let (taxonomy, entries) = match super::publishable(&checked)? {
        Ok(parts) => parts,
        Err(code) => return Ok(code),
    };
    let doc = export(&checked.settings, taxonomy, &entries);
    match &args.out {
        Some(path) => {
            let mut bytes = Vec::new();
            render::json(&mut bytes, &doc)?;
            write_atomic(path, &bytes)?;
        }
        None => write_stdout(|w| render::json(w, &doc))?,
    }
    Ok(EXIT_OK)
}
