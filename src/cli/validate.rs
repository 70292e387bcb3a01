//! `alliance-catalog validate`: check the catalog, or submissions against it.

use std::path::PathBuf;

use std::sync::Arc;

use anyhow::{Context as _, Result};
use clap::ValueEnum;

use alliance_catalog::check;
use alliance_catalog::diag::{Diagnostic, Summary, render};
use alliance_catalog::load::{Location, paths};

use super::{EXIT_FINDINGS, EXIT_OK, GlobalArgs, write_stderr, write_stdout};

const EXAMPLES: &str = "\
Examples:
  alliance-catalog validate                          # the whole catalog
  alliance-catalog validate catalog/tools/garak.yaml # one entry (others are still read for cross-entry rules)
  alliance-catalog validate ~/my-tool.yaml           # a submission outside the catalog
  alliance-catalog validate --format github          # annotations in a GitHub Actions job
  alliance-catalog validate --format sarif > results.sarif
  alliance-catalog validate --format gitlab > gl-code-quality-report.json
  alliance-catalog validate --deny-warnings --skip-time-based  # a pull-request job";

/// Options of `validate`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(flatten)]
    pub jobs: super::Jobs,
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
    /// Leave out the findings that appear as days pass on unchanged files
    /// (review-overdue), for pull-request jobs; a scheduled job reports them.
    #[arg(long)]
    pub skip_time_based: bool,
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
    /// A GitLab Code Quality report (JSON) on stdout, for merge requests.
    Gitlab,
}

pub fn run(global: &GlobalArgs, args: &Args) -> Result<u8> {
    let mut files = super::read_catalog(global)?;
    let location = files.location.clone();
    let today = super::today()?;
    if args.skip_time_based {
        for code in alliance_catalog::diag::Code::time_based() {
            files.settings.severity_policy_mut().set(code, None);
        }
    }

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
        Format::Github | Format::Sarif | Format::Gitlab => {
            write_ci(args.format, &diagnostics, &location)?;
            if args.format == Format::Github && !global.quiet {
                write_stderr(|w| writeln!(w, "{}", render::summary_line(&summary)))?;
            }
        }
    }
    Ok(if summary.fails(args.deny_warnings) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

/// Writes diagnostics in a CI format (`github`, `sarif`, `gitlab`), with
/// every file inside the repository named relative to the repository root
/// (whatever `--catalog` was), as CI systems expect.
pub(super) fn write_ci(
    format: Format,
    diagnostics: &[Diagnostic],
    location: &Location,
) -> Result<()> {
    let (diagnostics, root) = rooted(diagnostics, location)?;
    write_stdout(|w| match format {
        Format::Github => render::github(w, &diagnostics),
        Format::Gitlab => render::gitlab(w, &diagnostics),
        _ => render::sarif_rooted(w, &diagnostics, env!("CARGO_PKG_VERSION"), root.as_deref()),
    })
}

/// The diagnostics with their files relative to the repository root of
/// the catalog (see [`paths::report_root`]), and that root as a `file:`
/// URI; the built-in catalog has no root.
fn rooted(
    diagnostics: &[Diagnostic],
    location: &Location,
) -> Result<(Vec<Diagnostic>, Option<String>)> {
    let Location::Dir(dir) = location else {
        return Ok((diagnostics.to_vec(), None));
    };
    let cwd = std::env::current_dir().context("cannot determine the current folder")?;
    let root = paths::report_root(dir, &cwd);
    let rewritten = diagnostics
        .iter()
        .map(|d| {
            let mut d = d.clone();
            if let Some(relative) = paths::relative_to_root(&d.file, &cwd, &root) {
                d.file = Arc::from(relative);
            }
            d
        })
        .collect();
    let uri = url::Url::from_directory_path(&root).ok().map(String::from);
    Ok((rewritten, uri))
}
