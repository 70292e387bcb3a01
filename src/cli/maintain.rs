//! Maintainer commands: `review` (which vettings are due) and `coverage`
//! (which risks have no vetted tool).

use anyhow::{Result, anyhow};
use clap::ValueEnum;

use alliance_catalog::render::{self, markdown, table};
use alliance_catalog::report::coverage::{coverage, framework_coverage};
use alliance_catalog::report::review::Review;
use alliance_catalog::suggest::closest;

use super::{EXIT_FINDINGS, GlobalArgs, write_stdout};

/// Output formats of `review` and `coverage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table.
    Table,
    /// One JSON document.
    Json,
    /// A markdown table.
    Markdown,
}

const REVIEW_EXAMPLES: &str = "\
Examples:
  alliance-catalog review                      # overdue vettings
  alliance-catalog review --within 60          # and those due in the next 60 days
  alliance-catalog review --fail-overdue       # in a scheduled CI job: exit 1 when any is overdue";

/// Options of `review`.
#[derive(Debug, clap::Args)]
#[command(after_help = REVIEW_EXAMPLES)]
pub struct ReviewArgs {
    #[command(flatten)]
    pub jobs: super::Jobs,
    /// Also list vettings due within this many days (at most 36525, a
    /// hundred years).
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(0..=i64::from(alliance_catalog::model::settings::CEILING_REVIEW_DAYS)))]
    pub within: Option<u32>,
    /// Exit 1 when any vetting is overdue.
    #[arg(long)]
    pub fail_overdue: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub fn review(global: &GlobalArgs, args: &ReviewArgs) -> Result<u8> {
    let checked = super::load_checked(global)?;
    let today = super::today()?;
    let report = Review::build(
        checked.valid_entries(),
        today,
        checked.settings.policy.review_max_age_days,
        args.within,
    );
    let options = super::table_options(global);
    write_stdout(|w| match args.format {
        Format::Json => render::json(w, &report),
        Format::Markdown => markdown::review(w, &report, global.quiet),
        Format::Table => table::review(w, &report, options),
    })?;
    if args.fail_overdue && report.overdue > 0 {
        return Ok(EXIT_FINDINGS);
    }
    super::note_skipped(global, &checked)
}

const COVERAGE_EXAMPLES: &str = "\
Examples:
  alliance-catalog coverage
  alliance-catalog coverage --format markdown > coverage.md
  alliance-catalog coverage --format json | jq .no_vetted_tool
  alliance-catalog coverage --framework owasp-llm-2025
  alliance-catalog coverage --framework mitre-atlas --format json | jq '.summary'";

/// Options of `coverage`.
#[derive(Debug, clap::Args)]
#[command(after_help = COVERAGE_EXAMPLES)]
pub struct CoverageArgs {
    #[command(flatten)]
    pub jobs: super::Jobs,
    /// Report by the items of this framework (the id of a file under the
    /// catalog's `frameworks/`, e.g. owasp-llm-2025, mitre-atlas) instead
    /// of by risk and category.
    #[arg(long, value_name = "NAME")]
    pub framework: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub fn coverage_cmd(global: &GlobalArgs, args: &CoverageArgs) -> Result<u8> {
    let checked = super::load_checked(global)?;
    let taxonomy = checked.taxonomy.as_ref().ok_or_else(|| {
        anyhow!("the catalog's taxonomy has errors; run `alliance-catalog validate`")
    })?;
    let entries: Vec<_> = checked.valid_entries().collect();
    if let Some(name) = &args.framework {
        let framework = find_framework(&checked.frameworks, name)?;
        let report = framework_coverage(taxonomy, framework, entries.iter().copied());
        let options = super::table_options(global);
        write_stdout(|w| match args.format {
            Format::Json => render::json(w, &report),
            Format::Markdown => markdown::framework_coverage(w, &report),
            Format::Table => table::framework_coverage(w, &report, options),
        })?;
        return super::note_skipped(global, &checked);
    }
    let report = coverage(taxonomy, entries.iter().copied());
    let options = super::table_options(global);
    write_stdout(|w| match args.format {
        Format::Json => render::json(w, &report),
        Format::Markdown => markdown::coverage(w, &report),
        Format::Table => table::coverage(w, &report, options),
    })?;
    super::note_skipped(global, &checked)
}

/// The framework `name` of the catalog, or a usage error that names the
/// frameworks there and the closest one (or the edition the catalog holds,
/// for an id of another edition).
pub fn find_framework<'a>(
    frameworks: &'a alliance_catalog::model::Frameworks,
    name: &str,
) -> Result<&'a alliance_catalog::model::Framework> {
    if let Some(f) = frameworks.get(name) {
        return Ok(f);
    }
    if let Some((f, edition)) = frameworks.other_edition(name) {
        return Err(anyhow!(
            "`{name}` is the {} edition of {}; the catalog holds its {} edition as `{}`",
            edition.edition,
            f.name,
            f.edition,
            f.id
        ));
    }
    let ids: Vec<&str> = frameworks.iter().map(|f| f.id.as_str()).collect();
    let hint = closest(name, ids.iter().copied())
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default();
    Err(anyhow!(
        "`{name}` is not a framework of the catalog (frameworks: {}){hint}",
        if ids.is_empty() {
            "none".to_string()
        } else {
            ids.join(", ")
        }
    ))
}
