//! `alliance-catalog compat`: which version of each tool fits a stack.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Result, anyhow, bail};
use clap::ValueEnum;

use alliance_catalog::model::{Stack, Taxonomy};
use alliance_catalog::render::{self, markdown, table};
use alliance_catalog::report::compat::{CompatReport, Status};
use alliance_catalog::report::list::{self, SortKey};
use alliance_catalog::report::matrix::Matrix;
use alliance_catalog::stack::{self as stacks, Format as StackFormat, Reading, Summary};

use super::filter::FilterArgs;
use super::{GlobalArgs, write_stdout};

const EXAMPLES: &str = "\
Examples:
  alliance-catalog compat --stack examples/stacks/llm-service.toml
  pip freeze | alliance-catalog compat --from - --with python=3.12
  alliance-catalog compat --from uv.lock --with python=3.12.7
  alliance-catalog compat --venv .venv
  alliance-catalog compat --from environment.yml --from sbom.cdx.json
  alliance-catalog compat --with python=3.12,pytorch=2.3.1+cu121
  alliance-catalog compat --stack stack.toml --with python=3.13 --only compatible
  alliance-catalog compat --stack stack.toml --category guardrail --format markdown
  alliance-catalog compat --matrix --category red-teaming

A stack file:
  name = \"team-llm-prod\"
  [platforms]
  python = \"3.12\"
  pytorch = \"2.3.1\"

--from reads pip freeze or requirements files, pip inspect or pip list JSON,
uv.lock, pylock.toml, poetry.lock, conda environment.yml or conda list --export,
package-lock.json and CycloneDX JSON; the format is detected from the content.

Each requirement is checked in its platform's rules: PEP 440 (and PEP 508 markers)
for Python packages, node-semver for Node.js, Cargo's for Rust. A version in the
stack is installed, so a pre-release there counts where PEP 440 orders it:
2.6.0rc1 meets >=2.5 and fails >=2.6. A release that records no requirements is
unknown, not compatible.";

/// Options of `compat`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(flatten)]
    pub jobs: super::Jobs,
    /// A stack file (TOML: `name`, and `[platforms]` of platform = "version").
    #[arg(long, value_name = "FILE")]
    pub stack: Option<PathBuf>,
    /// What is installed: pip freeze or requirements, pip inspect, pip list, uv.lock,
    /// pylock.toml, poetry.lock, conda, package-lock.json or CycloneDX (`-` reads
    /// standard input); repeatable.
    #[arg(long = "from", value_name = "FILE")]
    pub from: Vec<PathBuf>,
    /// The format of every --from file, instead of detecting it.
    #[arg(long = "from-format", value_enum, value_name = "FORMAT")]
    pub from_format: Option<FromFormat>,
    /// An installed virtual environment: its dist-info metadata and pyvenv.cfg
    /// (Python is not run).
    #[arg(long, value_name = "DIR")]
    pub venv: Option<PathBuf>,
    /// Platform versions, e.g. python=3.12,pytorch=2.5.1; repeatable; wins over
    /// every file.
    #[arg(long = "with", value_name = "NAME=VERSION", value_delimiter = ',')]
    pub with: Vec<String>,
    /// Show only tools with these statuses.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "STATUS")]
    pub only: Vec<OnlyArg>,
    /// Show each tool's latest requirements per platform instead of a report.
    #[arg(long)]
    pub matrix: bool,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Statuses for `--only`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnlyArg {
    /// A version meets every requirement.
    Compatible,
    /// A required platform is not in the stack.
    Unknown,
    /// Every version fails a requirement.
    Incompatible,
}

impl From<OnlyArg> for Status {
    fn from(o: OnlyArg) -> Status {
        match o {
            OnlyArg::Compatible => Status::Compatible,
            OnlyArg::Unknown => Status::Unknown,
            OnlyArg::Incompatible => Status::Incompatible,
        }
    }
}

/// Formats of `--from`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FromFormat {
    /// `pip freeze` output or a requirements file.
    #[value(alias = "freeze")]
    Requirements,
    /// `pip inspect` JSON.
    PipInspect,
    /// `pip list --format json`.
    PipList,
    /// `uv.lock`.
    UvLock,
    /// `pylock.toml` (PEP 751).
    Pylock,
    /// `poetry.lock`.
    PoetryLock,
    /// A conda `environment.yml`.
    CondaEnv,
    /// `conda list --export`.
    CondaExport,
    /// npm `package-lock.json`.
    NpmLock,
    /// A CycloneDX JSON SBOM.
    Cyclonedx,
    /// A stack TOML file (as --stack).
    Toml,
}

impl From<FromFormat> for StackFormat {
    fn from(f: FromFormat) -> StackFormat {
        match f {
            FromFormat::Requirements => StackFormat::Requirements,
            FromFormat::PipInspect => StackFormat::PipInspect,
            FromFormat::PipList => StackFormat::PipList,
            FromFormat::UvLock => StackFormat::UvLock,
            FromFormat::Pylock => StackFormat::Pylock,
            FromFormat::PoetryLock => StackFormat::PoetryLock,
            FromFormat::CondaEnv => StackFormat::CondaEnv,
            FromFormat::CondaExport => StackFormat::CondaExport,
            FromFormat::NpmLock => StackFormat::NpmLock,
            FromFormat::Cyclonedx => StackFormat::CycloneDx,
            FromFormat::Toml => StackFormat::Toml,
        }
    }
}

/// Output formats of `compat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table, status coloured on a terminal.
    Table,
    /// One JSON document.
    Json,
    /// A markdown report, e.g. for a pull-request comment.
    Markdown,
}

pub fn run(global: &GlobalArgs, args: &Args) -> Result<u8> {
    let checked = super::load_checked(global)?;
    let taxonomy = checked.taxonomy.as_ref().ok_or_else(|| {
        anyhow!("the catalog's taxonomy has errors; run `alliance-catalog validate`")
    })?;
    let filter = args.filter.to_filter();
    filter.check(taxonomy).map_err(|e| anyhow!(e))?;
    let entries = list::select(checked.valid_entries(), &filter, SortKey::Id, false);
    super::list::note_unknown(global, &filter.unknown(checked.valid_entries()))?;

    if args.matrix {
        let matrix = Matrix::build(taxonomy, &entries);
        write_stdout(|w| match args.format {
            Format::Json => render::json(w, &matrix),
            Format::Markdown => markdown::matrix(w, &matrix),
            Format::Table => table::matrix(w, &matrix),
        })?;
        return super::note_skipped(global, &checked);
    }

    let (stack, summaries) = read_stack(args, taxonomy, checked.settings.limits.max_file_bytes)?;
    if !global.quiet {
        write_summaries(&summaries)?;
    }
    let only: Vec<Status> = args.only.iter().map(|o| Status::from(*o)).collect();
    let report = CompatReport::build(&entries, &stack, &only);
    let options = super::table_options(global);
    write_stdout(|w| match args.format {
        Format::Json => render::json(w, &report),
        Format::Markdown => markdown::compat(w, &report),
        Format::Table => table::compat(w, &report, options),
    })?;
    let legacy = entries
        .iter()
        .filter(|e| e.schema_version.major < 2)
        .count();
    if legacy > 0 && !global.quiet {
        super::write_stderr(|w| {
            writeln!(
                w,
                "note: {legacy} entr{} still in schema 1.x, whose requirements are read with semver's rules; `alliance-catalog migrate` rewrites them to 2.0.0, in each platform's own syntax",
                if legacy == 1 { "y is" } else { "ies are" }
            )
        })?;
    }
    super::note_skipped(global, &checked)
}

/// The stack from --stack, --from, --venv and --with, and what each source gave.
fn read_stack(args: &Args, taxonomy: &Taxonomy, max_bytes: u64) -> Result<(Stack, Vec<Summary>)> {
    if args.stack.is_none() && args.with.is_empty() && args.from.is_empty() && args.venv.is_none() {
        bail!(
            "compat needs a stack: --from FILE (pip freeze, a lock file, conda, an SBOM), --venv DIR, --stack FILE.toml and/or --with NAME=VERSION (or --matrix)"
        );
    }
    let mut readings: Vec<Reading> = Vec::new();
    // What a user has installed is not a catalog entry: a `pip inspect` of a
    // few hundred packages is several megabytes.
    let input_bytes = stacks::MAX_INPUT_BYTES;
    let mut includes = stacks::disk::DiskIncludes {
        max_bytes: input_bytes,
    };
    if let Some(path) = &args.stack {
        let name: Arc<str> = Arc::from(path.display().to_string());
        let text = read_text(path, max_bytes)?;
        readings.push(stacks::read(
            &name,
            &text,
            Some(StackFormat::Toml),
            taxonomy,
            &mut includes,
        )?);
    }
    let mut stdin_read = false;
    for path in &args.from {
        let name: Arc<str> = Arc::from(path.display().to_string());
        let text = if path.as_os_str() == "-" {
            if stdin_read {
                bail!("--from -: standard input can be read once");
            }
            stdin_read = true;
            stacks::disk::read_bounded(std::io::stdin().lock(), input_bytes)?
        } else {
            read_text(path, input_bytes)?
        };
        let format = args.from_format.map(StackFormat::from);
        readings.push(stacks::read(&name, &text, format, taxonomy, &mut includes)?);
    }
    if let Some(dir) = &args.venv {
        readings.push(stacks::disk::venv(dir, input_bytes)?);
    }
    let chosen: BTreeSet<String> = args
        .with
        .iter()
        .filter_map(|w| w.split_once('=').map(|(k, _)| k.trim().to_string()))
        .collect();
    let (mut stack, summaries) = stacks::resolve(readings, taxonomy, &chosen)?;
    for pair in &args.with {
        stack.set(pair, taxonomy)?;
    }
    Ok((stack, summaries))
}

fn read_text(path: &std::path::Path, max_bytes: u64) -> Result<String> {
    let name = path.display().to_string();
    if path.is_dir() {
        bail!("{name}: a folder, not a file; read an installed environment with --venv {name}");
    }
    let input = alliance_catalog::load::read_input(path, max_bytes);
    input.text.map_err(|p| anyhow!("{name}: {}", p.message))
}

/// One line per source read, then its notes, on stderr.
fn write_summaries(summaries: &[Summary]) -> Result<()> {
    super::write_stderr(|w| {
        for s in summaries {
            if s.format == StackFormat::Toml {
                continue;
            }
            writeln!(w, "read {}", s.line())?;
            for n in &s.notes {
                writeln!(w, "  note: {}: {}", n.origin, n.message)?;
            }
        }
        Ok(())
    })
}
