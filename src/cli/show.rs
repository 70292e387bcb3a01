//! `alliance-catalog show ID`: everything about one tool.

use anyhow::Result;
use clap::ValueEnum;

use alliance_catalog::diag::render::terminal_safe;
use alliance_catalog::render::{self, human};
use alliance_catalog::report::show::{self, NotFound, ToolDetail, ToolView};

use super::{EXIT_FINDINGS, EXIT_OK, GlobalArgs, write_stderr, write_stdout};

const EXAMPLES: &str = "\
Examples:
  alliance-catalog show garak
  alliance-catalog show llama-guard --format json";

/// Options of `show`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(flatten)]
    pub jobs: super::Jobs,
    /// The tool's id.
    #[arg(add = clap_complete::engine::ArgValueCandidates::new(super::complete::tools))]
    pub id: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Output formats of `show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable text.
    Human,
    /// The entry as JSON, with `latest_version`.
    Json,
    /// The entry as YAML, with `latest_version`.
    Yaml,
}

pub fn run(global: &GlobalArgs, args: &Args) -> Result<u8> {
    let checked = super::load_checked(global)?;
    let found = match show::find(&checked, &args.id) {
        Ok(found) => found,
        Err(NotFound {
            broken_file: Some(file),
            ..
        }) => {
            write_stderr(|w| {
                writeln!(
                    w,
                    "error: the entry `{}` ({}) has errors that keep it from being read; run `alliance-catalog validate {}` to see them",
                    terminal_safe(&args.id),
                    terminal_safe(&file),
                    terminal_safe(&file)
                )
            })?;
            return Ok(EXIT_FINDINGS);
        }
        Err(NotFound { close, .. }) => {
            let hint = if close.is_empty() {
                "run `alliance-catalog list` to see every id".to_string()
            } else {
                format!(
                    "did you mean {}?",
                    close
                        .iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            write_stderr(|w| {
                writeln!(
                    w,
                    "error: no tool has the id `{}`; {hint}",
                    terminal_safe(&args.id)
                )
            })?;
            return Ok(EXIT_FINDINGS);
        }
    };
    let entry = &found.entry;
    write_stdout(|w| match args.format {
        Format::Json => render::json(w, &ToolView::of(entry)),
        Format::Yaml => render::yaml(w, &ToolView::of(entry)),
        Format::Human => human::show(w, &ToolDetail::of(entry)),
    })?;
    if found.has_errors {
        if !global.quiet {
            write_stderr(|w| {
                writeln!(
                    w,
                    "error: {} has errors; run `alliance-catalog validate {}`",
                    terminal_safe(&entry.id),
                    terminal_safe(&found.file)
                )
            })?;
        }
        return Ok(EXIT_FINDINGS);
    }
    Ok(EXIT_OK)
}
