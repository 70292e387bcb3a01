//! `alliance-catalog diff`: tools added, removed and changed between two
//! catalogs, or between the catalog and a git revision of it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context as _, Result, anyhow, bail};
use clap::ValueEnum;

use alliance_catalog::check::Checked;
use alliance_catalog::load::{self, Location};
use alliance_catalog::render::{self, human, markdown};
use alliance_catalog::report::diff::diff;

use super::{EXIT_FINDINGS, EXIT_OK, GlobalArgs, write_stderr, write_stdout};

const EXAMPLES: &str = "\
Examples:
  alliance-catalog diff old-catalog/ catalog/
  alliance-catalog diff --git v1.0.0             # the catalog now against tag v1.0.0
  alliance-catalog diff --git origin/main --format markdown   # for a pull-request comment
  alliance-catalog diff --git HEAD --exit-code -q   # exit 1 when the catalog changed since HEAD";

/// Options of `diff`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(flatten)]
    pub jobs: super::Jobs,
    /// The old catalog folder.
    #[arg(value_name = "OLD", required_unless_present = "git")]
    pub old: Option<PathBuf>,
    /// The new catalog folder.
    #[arg(value_name = "NEW", required_unless_present = "git")]
    pub new: Option<PathBuf>,
    /// Compare the current catalog with the catalog at this git revision.
    #[arg(long, value_name = "REV", conflicts_with_all = ["old", "new"])]
    pub git: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit 1 when there are changes (as `git diff --exit-code`), 0 when none.
    #[arg(long)]
    pub exit_code: bool,
}

/// Output formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable text.
    Human,
    /// `{"added", "removed", "changed": [{"id", "changes": [{"field", "old", "new"}]}]}`.
    Json,
    /// Markdown, e.g. for a pull-request comment.
    Markdown,
}

pub fn run(global: &GlobalArgs, args: &Args) -> Result<u8> {
    let today = super::today()?;
    let cwd = std::env::current_dir().context("cannot determine the current folder")?;
    let load_dir = |dir: &Path| -> Result<Checked> {
        let location = load::locate(Some(dir), None, &cwd)?;
        Ok(super::check_files(load::read_catalog(&location)?, today))
    };
    let _keep_alive;
    let (old, new) = match &args.git {
        Some(rev) => {
            let (current, location) = super::load_checked_at(global)?;
            let Location::Dir(dir) = location else {
                bail!("--git needs a catalog in a git repository; the built-in catalog has none");
            };
            let tmp = tempfile::tempdir().context("cannot create a temporary folder")?;
            extract_at_revision(&dir, rev, tmp.path())?;
            let old = load_dir(tmp.path()).with_context(|| format!("the catalog at {rev}"))?;
            _keep_alive = tmp;
            (old, current)
        }
        None => {
            let (Some(a), Some(b)) = (&args.old, &args.new) else {
                bail!("give two catalog folders, OLD and NEW, or --git REV");
            };
            (load_dir(a)?, load_dir(b)?)
        }
    };
    for (label, c) in [("old", &old), ("new", &new)] {
        if c.has_errors() && !global.quiet {
            let missing = not_compared(c);
            write_stderr(|w| {
                if missing.is_empty() {
                    writeln!(
                        w,
                        "warning: the {label} catalog has errors; its entries were compared as they are"
                    )
                } else {
                    writeln!(
                        w,
                        "warning: the {label} catalog has errors; {} entr{} could not be read and {} not compared: {}",
                        missing.len(),
                        if missing.len() == 1 { "y" } else { "ies" },
                        if missing.len() == 1 { "was" } else { "were" },
                        missing.join(", ")
                    )
                }
            })?;
        }
    }
    let result = diff(
        old.entries.iter().map(|e| &*e.entry),
        new.entries.iter().map(|e| &*e.entry),
    );
    write_stdout(|w| match args.format {
        Format::Json => render::json(w, &result),
        Format::Human => human::diff(w, &result),
        Format::Markdown => markdown::diff(w, &result),
    })?;
    let changes =
        !(result.added.is_empty() && result.removed.is_empty() && result.changed.is_empty());
    Ok(if args.exit_code && changes {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

/// The entry files of `c` with errors that kept them from the typed model,
/// so that no entry of theirs was compared.
fn not_compared(c: &Checked) -> Vec<String> {
    c.files_with_errors
        .iter()
        .filter(|f| **f != *c.taxonomy_file())
        .filter(|f| !c.entries.iter().any(|e| e.file == **f))
        .map(|f| alliance_catalog::diag::render::terminal_safe(f))
        .collect()
}

/// Writes the catalog folder `dir` as it was at `rev` into `into`.
fn extract_at_revision(dir: &Path, rev: &str, into: &Path) -> Result<()> {
    if rev.starts_with('-') || rev.is_empty() {
        bail!("--git {rev:?}: not a revision");
    }
    let probe = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", "--show-toplevel", "--show-prefix"])
        .output()
        .context("cannot run git")?;
    if !probe.status.success() {
        bail!(
            "{} is not in a git repository: {}",
            dir.display(),
            String::from_utf8_lossy(&probe.stderr).trim()
        );
    }
    let answer = String::from_utf8_lossy(&probe.stdout).into_owned();
    let mut lines = answer.lines();
    let top = PathBuf::from(lines.next().unwrap_or_default());
    let prefix = lines.next().unwrap_or_default().trim().to_string();
    // Run from the top of the work tree: from a sub-folder, git archive
    // would limit the tree to that sub-folder a second time.
    let mut archive = Command::new("git")
        .arg("-C")
        .arg(&top)
        .args(["archive", "--format=tar", &format!("{rev}:{prefix}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot run git archive")?;
    let stdout = archive
        .stdout
        .take()
        .ok_or_else(|| anyhow!("git archive gave no output"))?;
    let tar = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(into)
        .stdin(stdout)
        .output()
        .context("cannot run tar")?;
    let git = archive.wait_with_output().context("git archive failed")?;
    if !git.status.success() {
        bail!(
            "git cannot read the catalog at {rev}: {}",
            String::from_utf8_lossy(&git.stderr).trim()
        );
    }
    if !tar.status.success() {
        bail!(
            "cannot unpack the catalog at {rev}: {}",
            String::from_utf8_lossy(&tar.stderr).trim()
        );
    }
    Ok(())
}
