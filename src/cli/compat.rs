//! `alliance-catalog compat`: which version of each tool fits a stack.

use std::path::PathBuf;

use anyhow::{Result, anyhow, bail};
use clap::ValueEnum;

use alliance_catalog::model::{Stack, Taxonomy};
use alliance_catalog::render::{self, markdown, table};
use alliance_catalog::report::compat::{CompatReport, Status};
use alliance_catalog::report::list::{self, SortKey};
use alliance_catalog::report::matrix::Matrix;

use super::filter::FilterArgs;
use super::{GlobalArgs, write_stdout};

const EXAMPLES: &str = "\
Examples:
  alliance-catalog compat --stack examples/stacks/llm-service.toml
  alliance-catalog compat --with python=3.12 --with pytorch=2.3.1+cu121
  alliance-catalog compat --stack stack.toml --with python=3.13 --only compatible
  alliance-catalog compat --stack stack.toml --category guardrail --format markdown
  alliance-catalog compat --matrix --category red-teaming

A stack file:
  name = \"team-llm-prod\"
  [platforms]
  python = \"3.12\"
  pytorch = \"2.3.1\"

Versions are read leniently: 3.12 is 3.12.0, build metadata (+cu121) is ignored,
2.4.0rc1 is the pre-release 2.4.0-rc.1 and is checked as 2.4.0.";

/// Options of `compat`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// A stack file (TOML: `name`, and `[platforms]` of platform = "version").
    #[arg(long, value_name = "FILE")]
    pub stack: Option<PathBuf>,
    /// A platform version, e.g. python=3.12; repeatable; wins over the file.
    #[arg(long = "with", value_name = "NAME=VERSION")]
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

    if args.matrix {
        let matrix = Matrix::build(taxonomy, &entries);
        write_stdout(|w| match args.format {
            Format::Json => render::json(w, &matrix),
            Format::Markdown => markdown::matrix(w, &matrix),
            Format::Table => table::matrix(w, &matrix),
        })?;
        return super::note_skipped(global, &checked);
    }

    let stack = read_stack(args, taxonomy, checked.settings.limits.max_file_bytes)?;
    let only: Vec<Status> = args.only.iter().map(|o| Status::from(*o)).collect();
    let report = CompatReport::build(&entries, &stack, &only);
    let options = super::table_options(global);
    write_stdout(|w| match args.format {
        Format::Json => render::json(w, &report),
        Format::Markdown => markdown::compat(w, &report),
        Format::Table => table::compat(w, &report, options),
    })?;
    super::note_skipped(global, &checked)
}

fn read_stack(args: &Args, taxonomy: &Taxonomy, max_bytes: u64) -> Result<Stack> {
    if args.stack.is_none() && args.with.is_empty() {
        bail!("compat needs a stack: --stack FILE.toml and/or --with NAME=VERSION (or --matrix)");
    }
    let mut stack = match &args.stack {
        Some(path) => {
            let name = path.display().to_string();
            let input = alliance_catalog::load::read_input(path, max_bytes);
            let text = input.text.map_err(|p| anyhow!("{name}: {}", p.message))?;
            Stack::from_toml(&name, &text, taxonomy)?
        }
        None => Stack::default(),
    };
    for pair in &args.with {
        stack.set(pair, taxonomy)?;
    }
    Ok(stack)
}
