//! `alliance-catalog migrate`: rewrite entries of schema 1.x to 2.0.0 by
//! edits at recorded positions, every other byte kept.

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow, bail};

use alliance_catalog::diag::render::terminal_safe;
use alliance_catalog::load::yaml::YamlLimits;
use alliance_catalog::load::{self, Location};
use alliance_catalog::migrate::{self, Plan, TARGET};
use alliance_catalog::write::{ensure_inside, write_atomic};

use super::{EXIT_FINDINGS, EXIT_OK, GlobalArgs, write_stderr, write_stdout};

const EXAMPLES: &str = "\
Examples:
  alliance-catalog migrate --dry-run        # show the unified diff, write nothing
  alliance-catalog migrate                  # rewrite every 1.x entry of the catalog
  alliance-catalog migrate catalog/tools/garak.yaml

Schema 2.0.0 writes each requirement in its platform's own syntax (PEP 440 for
PyPI packages and Python, node-semver for npm and Node.js, Cargo's for crates
and Rust). migrate changes only `schema_version` and the requirements whose
text differs, with the same meaning on final releases: `<=3.12` becomes
`<3.13`, `=1.26` `==1.26.*`, `^2.1` `>=2.1, <3`, `*` the package's name.
An entry it cannot translate is reported with its line and column and left
unchanged (exit 1).";

/// Options of `migrate`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(flatten)]
    pub jobs: super::Jobs,
    /// Entry files to migrate (default: every entry of the catalog).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print a unified diff of each change; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run(global: &GlobalArgs, args: &Args) -> Result<u8> {
    let files = super::read_catalog(global)?;
    let Location::Dir(dir) = files.location.clone() else {
        bail!("the built-in catalog cannot be changed; give --catalog DIR");
    };
    let limits = YamlLimits::from(&files.settings.limits);
    let max_bytes = files.settings.limits.max_file_bytes;
    let catalog_paths: Vec<PathBuf> = files
        .tools
        .iter()
        .filter_map(|t| t.path().map(Path::to_path_buf))
        .collect();
    let checked = super::check_files(files, super::today()?);
    let taxonomy = checked.taxonomy.as_ref().ok_or_else(|| {
        anyhow!("the catalog's taxonomy has errors, and migrate needs it to know each platform's ecosystem; run `alliance-catalog validate`")
    })?;
    let paths = if args.paths.is_empty() {
        catalog_paths
    } else {
        load::expand_paths(&args.paths).map_err(|e| anyhow!(e))?
    };

    let (mut migrated, mut current, mut refused) = (0usize, 0usize, 0usize);
    let (mut rewritten, mut unchanged) = (0usize, 0usize);
    for path in &paths {
        let shown = terminal_safe(&path.display().to_string());
        let input = load::read_input(path, max_bytes);
        let text = match input.text {
            Ok(t) => t,
            Err(p) => {
                refused += 1;
                write_stderr(|w| writeln!(w, "{shown}: error[{}]: {}", p.code.name(), p.message))?;
                continue;
            }
        };
        match migrate::plan(&text, taxonomy, &limits) {
            Ok(Plan::Current) => current += 1,
            Err(refusals) => {
                refused += 1;
                write_stderr(|w| {
                    for r in &refusals {
                        writeln!(
                            w,
                            "{shown}:{}:{}: error: {}",
                            r.span.start.line,
                            r.span.start.column,
                            terminal_safe(&r.message)
                        )?;
                    }
                    Ok(())
                })?;
            }
            Ok(Plan::Migrate {
                text: new,
                requirements,
                ..
            }) => {
                migrated += 1;
                let changed = requirements.iter().filter(|r| r.changed()).count();
                rewritten += changed;
                unchanged += requirements.len() - changed;
                if args.dry_run {
                    let diff = alliance_catalog::edit::unified_diff(&shown, &text, &new);
                    write_stdout(|w| w.write_all(diff.as_bytes()))?;
                } else {
                    if args.paths.is_empty() {
                        ensure_inside(&dir, path)?;
                    }
                    write_atomic(path, new.as_bytes())?;
                }
            }
        }
    }
    if !global.quiet {
        let verb = if args.dry_run {
            "would migrate"
        } else {
            "migrated"
        };
        write_stderr(|w| {
            writeln!(
                w,
                "{verb} {migrated} entr{} to schema {TARGET} ({rewritten} requirement{} rewritten, {unchanged} unchanged); {current} already at {TARGET}; {refused} refused",
                if migrated == 1 { "y" } else { "ies" },
                if rewritten == 1 { "" } else { "s" },
            )
        })?;
    }
    Ok(if refused > 0 { EXIT_FINDINGS } else { EXIT_OK })
}
