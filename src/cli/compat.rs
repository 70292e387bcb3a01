//! `alliance-catalog compat`: which version of each tool fits a stack.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Result, anyhow, bail};
use clap::ValueEnum;
use serde::Serialize;
use serde_json::json;

use alliance_catalog::model::{Entry, Stack, Taxonomy, Vocabulary};
use alliance_catalog::render::{self, markdown, table};
use alliance_catalog::report::compat::{self, Status, ToolCompat};
use alliance_catalog::report::list::{self, SortKey};

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
        write_stdout(|w| matrix(w, &entries, taxonomy, args.format))?;
        return super::note_skipped(global, &checked);
    }

    let stack = read_stack(args, taxonomy, checked.settings.limits.max_file_bytes)?;
    let only: Vec<Status> = args.only.iter().map(|o| Status::from(*o)).collect();
    let rows: Vec<(&Entry, ToolCompat)> = entries
        .iter()
        .map(|e| (*e, compat::tool(e, &stack)))
        .filter(|(_, r)| only.is_empty() || only.contains(&r.status))
        .collect();
    let styled = super::stdout_styled();
    write_stdout(|w| match args.format {
        Format::Json => render::json(
            w,
            &json!({
                "stack": stack_json(&stack),
                "tools": rows.iter().map(|(_, r)| r).collect::<Vec<_>>(),
            }),
        ),
        Format::Markdown => report_markdown(w, &stack, &rows),
        Format::Table => report_table(w, &stack, &rows, styled, global.quiet),
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

fn stack_json(stack: &Stack) -> serde_json::Value {
    json!({
        "name": stack.name,
        "platforms": stack
            .platforms
            .iter()
            .map(|(k, v)| (k.clone(), json!(v.text)))
            .collect::<serde_json::Map<_, _>>(),
    })
}

fn stack_line(stack: &Stack) -> String {
    let platforms: Vec<String> = stack
        .platforms
        .iter()
        .map(|(k, v)| format!("{k} {}", v.text))
        .collect();
    match &stack.name {
        Some(n) => format!("{n}: {}", platforms.join(", ")),
        None => platforms.join(", "),
    }
}

fn counts(rows: &[(&Entry, ToolCompat)]) -> String {
    let n = |s: Status| rows.iter().filter(|(_, r)| r.status == s).count();
    format!(
        "{} compatible, {} unknown, {} incompatible",
        n(Status::Compatible),
        n(Status::Unknown),
        n(Status::Incompatible)
    )
}

fn report_table(
    w: &mut dyn Write,
    stack: &Stack,
    rows: &[(&Entry, ToolCompat)],
    styled: bool,
    quiet: bool,
) -> std::io::Result<()> {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|(e, r)| {
            vec![
                r.id.clone(),
                r.status.as_str().to_string(),
                r.version.clone().unwrap_or_default(),
                r.why(e, stack),
            ]
        })
        .collect();
    if !quiet {
        writeln!(
            w,
            "stack: {}",
            alliance_catalog::diag::render::terminal_safe(&stack_line(stack))
        )?;
    }
    let mut text = table::render(
        &["TOOL", "STATUS", "VERSION", "WHY"],
        &cells,
        super::output_width(),
    );
    if styled {
        for (word, colour) in [
            ("incompatible", "31"),
            ("compatible", "32"),
            ("unknown", "33"),
        ] {
            text = text.replace(
                &format!("│ {word} "),
                &format!("│ \u{1b}[{colour}m{word}\u{1b}[0m "),
            );
        }
    }
    writeln!(w, "{text}")?;
    if !quiet {
        writeln!(w, "{}", counts(rows))?;
    }
    Ok(())
}

fn report_markdown(
    w: &mut dyn Write,
    stack: &Stack,
    rows: &[(&Entry, ToolCompat)],
) -> std::io::Result<()> {
    writeln!(
        w,
        "### Compatibility with {}",
        markdown::escape_cell(&stack_line(stack))
    )?;
    writeln!(w)?;
    writeln!(w, "{}", counts(rows))?;
    writeln!(w)?;
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|(e, r)| {
            vec![
                markdown::link(&e.name, e.homepage.as_deref().unwrap_or(&e.repository)),
                r.status.as_str().to_string(),
                markdown::escape_cell(r.version.as_deref().unwrap_or("")),
                markdown::escape_cell(&r.why(e, stack)),
            ]
        })
        .collect();
    w.write_all(markdown::table(&["Tool", "Status", "Version", "Why"], &cells).as_bytes())
}

#[derive(Serialize)]
struct MatrixRow<'a> {
    id: &'a str,
    version: Option<&'a str>,
    requires: &'a std::collections::BTreeMap<String, String>,
}

fn matrix(
    w: &mut dyn Write,
    entries: &[&Entry],
    taxonomy: &Taxonomy,
    format: Format,
) -> std::io::Result<()> {
    let latest: Vec<(&Entry, Option<&alliance_catalog::model::Release>)> =
        entries.iter().map(|e| (*e, e.latest())).collect();
    let platforms: Vec<&str> = taxonomy
        .terms(Vocabulary::Platforms)
        .iter()
        .map(|t| t.id.as_str())
        .filter(|p| {
            latest
                .iter()
                .any(|(_, r)| r.is_some_and(|r| r.requires.contains_key(*p)))
        })
        .collect();
    let empty = std::collections::BTreeMap::new();
    match format {
        Format::Json => {
            let rows: Vec<MatrixRow<'_>> = latest
                .iter()
                .map(|(e, r)| MatrixRow {
                    id: &e.id,
                    version: r.map(|r| r.version.as_str()),
                    requires: r.map_or(&empty, |r| &r.requires),
                })
                .collect();
            render::json(w, &json!({ "platforms": platforms, "tools": rows }))
        }
        Format::Table | Format::Markdown => {
            let mut header = vec!["TOOL", "VERSION"];
            header.extend(platforms.iter().copied());
            let cells: Vec<Vec<String>> = latest
                .iter()
                .map(|(e, r)| {
                    let mut row =
                        vec![e.id.clone(), r.map_or(String::new(), |r| r.version.clone())];
                    for p in &platforms {
                        row.push(
                            r.and_then(|r| r.requires.get(*p))
                                .cloned()
                                .unwrap_or_else(|| "-".into()),
                        );
                    }
                    row
                })
                .collect();
            if format == Format::Table {
                writeln!(w, "{}", table::render(&header, &cells, None))
            } else {
                let escaped: Vec<Vec<String>> = cells
                    .iter()
                    .map(|row| row.iter().map(|c| markdown::escape_cell(c)).collect())
                    .collect();
                w.write_all(markdown::table(&header, &escaped).as_bytes())
            }
        }
    }
}
