//! Maintainer commands: `review` (which vettings are due) and `coverage`
//! (which risks have no vetted tool).

use anyhow::{Result, anyhow};
use clap::ValueEnum;
use serde_json::json;

use alliance_catalog::render::{self, markdown, table};
use alliance_catalog::report::coverage::{Counts, coverage};
use alliance_catalog::report::review::{Due, due};

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
    let rows = due(
        checked.valid_entries(),
        today,
        checked.settings.policy.review_max_age_days,
        args.within,
    );
    let overdue = rows.iter().filter(|r| r.overdue).count();
    write_stdout(|w| match args.format {
        Format::Json => render::json(
            w,
            &json!({"today": today.to_string(), "within": args.within, "overdue": overdue, "tools": rows}),
        ),
        Format::Table | Format::Markdown => {
            if rows.is_empty() {
                return if global.quiet {
                    Ok(())
                } else {
                    writeln!(
                        w,
                        "no vetting is due{}",
                        match args.within {
                            Some(d) => format!(" within {d} days"),
                            None => String::new(),
                        }
                    )
                };
            }
            let cells: Vec<Vec<String>> = rows.iter().map(review_cells).collect();
            let header = ["ID", "STATUS", "REVIEWED", "DUE", "WHEN"];
            if args.format == Format::Table {
                writeln!(
                    w,
                    "{}",
                    table::render(&header, &cells, super::output_width())
                )?;
                if !global.quiet {
                    writeln!(w, "{overdue} overdue, {} due soon", rows.len() - overdue)?;
                }
                Ok(())
            } else {
                let escaped: Vec<Vec<String>> = cells
                    .iter()
                    .map(|r| r.iter().map(|c| markdown::escape_cell(c)).collect())
                    .collect();
                w.write_all(markdown::table(&header, &escaped).as_bytes())
            }
        }
    })?;
    if args.fail_overdue && overdue > 0 {
        return Ok(EXIT_FINDINGS);
    }
    super::note_skipped(global, &checked)
}

fn review_cells(r: &Due) -> Vec<String> {
    let when = if r.overdue {
        format!("overdue by {} days", r.days_overdue)
    } else if r.days_overdue == 0 {
        "due today".into()
    } else {
        format!("due in {} days", -r.days_overdue)
    };
    vec![
        r.id.clone(),
        r.status.as_str().into(),
        r.reviewed.clone(),
        r.due.clone(),
        when,
    ]
}

const COVERAGE_EXAMPLES: &str = "\
Examples:
  alliance-catalog coverage
  alliance-catalog coverage --format markdown > coverage.md
  alliance-catalog coverage --format json | jq .no_vetted_tool";

/// Options of `coverage`.
#[derive(Debug, clap::Args)]
#[command(after_help = COVERAGE_EXAMPLES)]
pub struct CoverageArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

fn cell(c: &Counts) -> String {
    if c.total() == 0 {
        "·".into()
    } else if c.vetted > 0 {
        format!("{} ({}v)", c.total(), c.vetted)
    } else {
        c.total().to_string()
    }
}

pub fn coverage_cmd(global: &GlobalArgs, args: &CoverageArgs) -> Result<u8> {
    let checked = super::load_checked(global)?;
    let taxonomy = checked.taxonomy.as_ref().ok_or_else(|| {
        anyhow!("the catalog's taxonomy has errors; run `alliance-catalog validate`")
    })?;
    let entries: Vec<_> = checked.valid_entries().collect();
    let report = coverage(taxonomy, entries.iter().copied());
    write_stdout(|w| {
        if args.format == Format::Json {
            return render::json(w, &report);
        }
        let mut header: Vec<&str> = vec!["RISK"];
        header.extend(report.categories.iter().map(String::as_str));
        header.extend(["TOTAL", "VETTED"]);
        let cells: Vec<Vec<String>> = report
            .risks
            .iter()
            .map(|r| {
                let mut row = vec![r.id.clone()];
                row.extend(report.categories.iter().map(|c| cell(&r.by_category[c])));
                row.push(r.tools.total().to_string());
                row.push(r.tools.vetted.to_string());
                row
            })
            .collect();
        let list = |ids: &[String]| {
            if ids.is_empty() {
                "none".to_string()
            } else {
                ids.join(", ")
            }
        };
        if args.format == Format::Table {
            writeln!(
                w,
                "{}",
                table::render_with(&header, &cells, super::output_width(), false)
            )?;
            writeln!(
                w,
                "cells: tools addressing the risk in the category (v = vetted); · = none"
            )?;
            writeln!(
                w,
                "risks with no vetted tool ({}): {}",
                report.no_vetted_tool.len(),
                list(&report.no_vetted_tool)
            )?;
            writeln!(
                w,
                "risks with no tool at all ({}): {}",
                report.no_tool.len(),
                list(&report.no_tool)
            )
        } else {
            let escaped: Vec<Vec<String>> = cells
                .iter()
                .map(|r| r.iter().map(|c| markdown::escape_cell(c)).collect())
                .collect();
            w.write_all(markdown::table(&header, &escaped).as_bytes())?;
            writeln!(w)?;
            writeln!(
                w,
                "Cells count the tools addressing the risk in the category (v = vetted).\n"
            )?;
            writeln!(
                w,
                "**Risks with no vetted tool ({}):** {}\n",
                report.no_vetted_tool.len(),
                markdown::escape_cell(&list(&report.no_vetted_tool))
            )?;
            writeln!(
                w,
                "**Risks with no tool at all ({}):** {}",
                report.no_tool.len(),
                markdown::escape_cell(&list(&report.no_tool))
            )
        }
    })?;
    super::note_skipped(global, &checked)
}
