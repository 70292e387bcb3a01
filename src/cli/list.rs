//! `alliance-catalog list`: a filtered, sorted listing of tools.

use anyhow::{Result, anyhow};
use clap::ValueEnum;

use alliance_catalog::render::{self, markdown, table};
use alliance_catalog::report::list::{self, Listing, SortKey};

use super::filter::FilterArgs;
use super::{GlobalArgs, write_stdout};

const EXAMPLES: &str = "\
Examples:
  alliance-catalog list
  alliance-catalog list --risk prompt-injection --language fr
  alliance-catalog list --risk prompt-injection+pii-leakage --interface cli
  alliance-catalog list --category guardrail,red-teaming --language de --include-unknown
  alliance-catalog list --search watermark --format json
  alliance-catalog list --license Apache-2.0 --sort released --format csv
  alliance-catalog list --framework-item owasp-llm-2025:LLM01

Values of one filter may be repeated or comma-separated; any of them may match.
Join values with + to ask for all of them: --risk prompt-injection+pii-leakage
lists the tools that address both. Different filters must all match. A tool
that declares no value for a filtered attribute (no languages, say) is left
out and counted in a note; --include-unknown lists it too.";

/// Options of `list`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(flatten)]
    pub jobs: super::Jobs,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Sort by this field (ties by id).
    #[arg(long, value_enum, default_value_t = SortArg::Id)]
    pub sort: SortArg,
    /// Reverse the order.
    #[arg(short, long)]
    pub reverse: bool,
    /// Framework items as FRAMEWORK:ITEM (e.g. owasp-llm-2025:LLM01): tools
    /// that reach one, through their own mappings, their risks or
    /// categories, or an ATLAS mitigation of the technique.
    #[arg(
        long = "framework-item",
        value_name = "FRAMEWORK:ITEM",
        value_delimiter = ','
    )]
    pub framework_items: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// Sort fields on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    /// Id.
    Id,
    /// Display name.
    Name,
    /// Vetting status (vetted first).
    Status,
    /// Licence expression.
    License,
    /// Latest release date, newest first.
    Released,
    /// Review date, oldest first.
    Reviewed,
}

impl From<SortArg> for SortKey {
    fn from(s: SortArg) -> SortKey {
        match s {
            SortArg::Id => SortKey::Id,
            SortArg::Name => SortKey::Name,
            SortArg::Status => SortKey::Status,
            SortArg::License => SortKey::License,
            SortArg::Released => SortKey::Released,
            SortArg::Reviewed => SortKey::Reviewed,
        }
    }
}

/// Output formats of `list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table fitted to the terminal.
    Table,
    /// A JSON array of tools.
    Json,
    /// A YAML list of tools.
    Yaml,
    /// CSV with a header row.
    Csv,
    /// A GitHub-flavoured markdown table.
    Markdown,
}

pub fn run(global: &GlobalArgs, args: &Args) -> Result<u8> {
    let checked = super::load_checked(global)?;
    let filter = args.filter.to_filter();
    if let Some(taxonomy) = &checked.taxonomy {
        filter.check(taxonomy).map_err(|e| anyhow!(e))?;
    }
    let items = super::filter::framework_items(&checked.frameworks, &args.framework_items)
        .map_err(|e| anyhow!(e))?;
    let entries = list::select(
        checked.valid_entries().filter(|e| {
            items.is_empty()
                || checked.taxonomy.as_ref().is_some_and(|t| {
                    items.iter().any(|(f, item)| {
                        alliance_catalog::report::coverage::reached(t, f, e)
                            .iter()
                            .any(|(i, _)| i == item)
                    })
                })
        }),
        &filter,
        args.sort.into(),
        args.reverse,
    );
    let options = super::table_options(global);
    let shown = shown_columns(&args.filter);
    // JSON is written row by row: a large catalog's listing is never held.
    let listing = || Listing::of(entries.iter().copied());
    write_stdout(|w| match args.format {
        Format::Json => render::json(w, &list::Streamed(&entries)),
        Format::Yaml => render::yaml(w, &listing()),
        Format::Csv => render::csv(w, &listing().tools),
        Format::Markdown => markdown::list(w, &listing()),
        Format::Table => table::list_showing(w, &listing(), options, &shown),
    })?;
    note_unknown(global, &filter.unknown(checked.valid_entries()))?;
    super::note_skipped(global, &checked)
}

/// The attributes filtered by, shown as columns of the table, with the
/// values asked for (the parts of `a+b` included).
fn shown_columns(f: &FilterArgs) -> Vec<(table::Shown, Vec<String>)> {
    let parts = |values: &[String]| -> Vec<String> {
        values
            .iter()
            .flat_map(|v| list::all_of(v).map(str::to_string).collect::<Vec<_>>())
            .collect()
    };
    [
        (&f.categories, table::Shown::Categories),
        (&f.risks, table::Shown::Risks),
        (&f.modalities, table::Shown::Modalities),
        (&f.interfaces, table::Shown::Interfaces),
        (&f.languages, table::Shown::Languages),
        (&f.licenses, table::Shown::License),
    ]
    .into_iter()
    .filter(|(values, _)| !values.is_empty())
    .map(|(values, s)| (s, parts(values)))
    .collect()
}

/// Says on stderr how many tools a filter left out only because they
/// declare no value for a filtered attribute, and how to include them.
pub(super) fn note_unknown(global: &GlobalArgs, unknown: &list::Unknown) -> Result<()> {
    if unknown.entries == 0 || global.quiet {
        return Ok(());
    }
    let n = unknown.entries;
    super::write_stderr(|w| {
        writeln!(
            w,
            "note: {n} more tool{} declare{} no value for {} and {} left out; add --include-unknown to list {} too",
            if n == 1 { "" } else { "s" },
            if n == 1 { "s" } else { "" },
            unknown.flags.join(", "),
            if n == 1 { "was" } else { "were" },
            if n == 1 { "it" } else { "them" },
        )
    })
}
