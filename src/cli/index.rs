//! `alliance-catalog index`: write the markdown index, or check it is current.

use std::path::PathBuf;

use anyhow::{Result, bail};

use alliance_catalog::load::{self, Location};
use alliance_catalog::render::{self, human};
use alliance_catalog::report::index::{self, Index};
use alliance_catalog::write::write_atomic;

use super::{EXIT_FINDINGS, EXIT_OK, GlobalArgs, write_stderr, write_stdout};

const EXAMPLES: &str = "\
Examples:
  alliance-catalog index                 # writes the catalog's INDEX.md
  alliance-catalog index --check         # in CI: exit 1 with a diff if INDEX.md is stale
  alliance-catalog index --out site/tools.md";

/// Options of `index`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(flatten)]
    pub jobs: super::Jobs,
    /// Where to write (default: the catalog's `paths.index`, INDEX.md).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Write nothing; exit 1 with a short diff when the file is not current.
    #[arg(long)]
    pub check: bool,
}

/// Lines of diff shown by `--check` before it is cut short.
const DIFF_LINES: usize = 60;

pub fn run(global: &GlobalArgs, args: &Args) -> Result<u8> {
    let (checked, location) = super::load_checked_at(global)?;
    let (taxonomy, entries) = match super::publishable(&checked)? {
        Ok(parts) => parts,
        Err(code) => return Ok(code),
    };
    let text = render::index::write(&Index::build(
        &checked.settings,
        taxonomy,
        &checked.frameworks,
        &entries,
    ));
    let target = match (&args.out, &location) {
        (Some(out), _) => out.clone(),
        (None, Location::Dir(dir)) => dir.join(&checked.settings.paths.index),
        (None, Location::Embedded) => {
            bail!(
                "the built-in catalog has no folder to write to; give --out FILE or --catalog DIR"
            )
        }
    };
    if let (None, Location::Dir(dir)) = (&args.out, &location) {
        alliance_catalog::write::ensure_inside(dir, &target)?;
    }
    let shown = alliance_catalog::diag::render::terminal_safe(&target.display().to_string());
    if args.check {
        // Read through the same gate as every catalog file: inside the
        // catalog, a regular file, bounded (a larger file is not current).
        let max = (text.len() as u64).saturating_add(checked.settings.limits.max_file_bytes);
        let read = match (&args.out, &location) {
            (None, Location::Dir(dir)) => {
                load::read_in_catalog(&load::catalog_root(dir), &target, max)
            }
            _ => load::read_file_bounded(&target, max),
        };
        let current = match read {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(_) if !target.exists() && target.symlink_metadata().is_err() => String::new(),
            Err(p) => bail!("{shown}: [{}] {}", p.code.name(), p.message),
        };
        if current == text {
            if !global.quiet {
                write_stderr(|w| writeln!(w, "{shown} is up to date"))?;
            }
            return Ok(EXIT_OK);
        }
        let unified = index::drift(&shown, &current, &text);
        write_stdout(|w| human::diff_lines(w, &unified, DIFF_LINES))?;
        write_stderr(|w| {
            writeln!(
                w,
                "error: {shown} is not current; run `alliance-catalog index` and commit it"
            )
        })?;
        return Ok(EXIT_FINDINGS);
    }
    write_atomic(&target, text.as_bytes())?;
    if !global.quiet {
        write_stderr(|w| writeln!(w, "wrote {shown} ({} tools)", entries.len()))?;
    }
    Ok(EXIT_OK)
}
