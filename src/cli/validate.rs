//! `alliance-catalog validate`: check the catalog, or submissions against it.

use std::path::PathBuf;

use anyhow::Result;
use clap::ValueEnum;

use alliance_catalog::check;
use alliance_catalog::diag::{Summary, render};
use alliance_catalog::load::paths;

use super::{EXIT_FINDINGS, EXIT_OK, GlobalArgs, write_stderr, write_stdout};

const EXAMPLES: &str = "\
Examples:
  alliance-catalog validate                          # the whole catalog
  alliance-catalog validate catalog/tools/garak.yaml # one entry (others are still read for cross-entry rules)
  alliance-catalog validate ~/my-tool.yaml           # a submission outside the catalog
  alliance-catalog validate --format github          # annotations in a GitHub Actions job
  alliance-catalog validate --format sarif > results.sarif";

/// Options of `validate`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Entry files or folders to report on; they may lie outside the catalog.
    /// Without paths, the whole catalog is reported.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
}

/// Output formats of `validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-like diagnostics with the source line, on stderr.
    Human,
    /// One JSON document on stdout.
    Json,
    /// GitHub Actions workflow commands (annotations) on stdout.
    Github,
    /// A SARIF 2.1.0 log on stdout, for code scanning.
    Sarif,
}

pub fn run(global: &GlobalArgs, args: &Args) -> Result<u8> {
    let mut files = super::read_catalog(global)?;
    let today = super::today()?;

    // Paths mode: report only on the named files, reading those outside the
    // catalog as submissions beside it.
    let selected = if args.paths.is_empty() {
        None
    } else {
        Some(paths::select(&mut files, &args.paths).map_err(anyhow::Error::msg)?)
    };

    let checked = check::check_catalog_keeping(
        files.settings,
        &files.taxonomy,
        &files.frameworks,
        files.tools,
        files.problems,
        today,
        check::Keep::DiagnosticsOnly,
    );
    let (diagnostics, omitted, summary) = match &selected {
        Some(selection) => {
            let diagnostics: Vec<_> = checked
                .diagnostics
                .iter()
                .filter(|d| selection.contains(&d.file))
                .cloned()
                .collect();
            let omitted: Vec<_> = checked
                .omitted
                .iter()
                .filter(|o| selection.contains(&o.file))
                .cloned()
                .collect();
            let mut summary = Summary::count(selection.len(), &diagnostics);
            summary.errors += omitted.iter().map(|o| o.errors).sum::<usize>();
            summary.warnings += omitted.iter().map(|o| o.warnings).sum::<usize>();
            summary.skipped = checked
                .skipped
                .iter()
                .filter(|(f, _)| selection.contains(f))
                .map(|(_, n)| n)
                .sum();
            (diagnostics, omitted, summary)
        }
        None => (
            checked.diagnostics.clone(),
            checked.omitted.clone(),
            checked.summary,
        ),
    };

    match args.format {
        Format::Human => {
            let styled = super::stderr_styled();
            write_stderr(|w| {
                render::human(w, &diagnostics, &checked.sources, styled)?;
                render::omitted_lines(w, &omitted)?;
                if !global.quiet {
                    writeln!(w, "{}", render::summary_line(&summary))?;
                }
                Ok(())
            })?;
        }
        Format::Json => write_stdout(|w| render::json(w, &diagnostics, &omitted, &summary))?,
        Format::Github => {
            write_stdout(|w| render::github(w, &diagnostics))?;
            if !global.quiet {
                write_stderr(|w| writeln!(w, "{}", render::summary_line(&summary)))?;
            }
        }
        Format::Sarif => {
            write_stdout(|w| render::sarif(w, &diagnostics, env!("CARGO_PKG_VERSION")))?
        }
    }
    Ok(if summary.fails(args.deny_warnings) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}
