//! Terminal tables (tabled), fitted to a width and free of control
//! characters, and the table format of every command: the one place that
//! knows the terminal's width and colours.

use std::io::{self, Write};

use tabled::builder::Builder;
use tabled::settings::peaker::Priority;
use tabled::settings::{Style, Width};

use crate::diag::render::terminal_safe;
use crate::report::Listing;
use crate::report::compat::CompatReport;
use crate::report::coverage::{Coverage, FrameworkCoverage, id_list};
use crate::report::matrix::Matrix;
use crate::report::review::{Due, REVIEW_HEADER, Review};

/// Renders rows under a header as a table. When `width` is given, the last
/// column (the free text) is shortened first, then the widest others, until
/// the table fits.
pub fn render(header: &[&str], rows: &[Vec<String>], width: Option<usize>) -> String {
    render_with(header, rows, width, true)
}

/// Like [`render`]; `shrink_last_first` chooses whether the last column
/// gives way first (free text) or all columns give way widest first (grids).
pub fn render_with(
    header: &[&str],
    rows: &[Vec<String>],
    width: Option<usize>,
    shrink_last_first: bool,
) -> String {
    let mut rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| terminal_safe(c)).collect())
        .collect();
    if let Some(width) = width
        && shrink_last_first
    {
        shrink_last_column(header, &mut rows, width.max(40));
    }
    build(header, rows, width)
}

/// The table of cells already made terminal-safe (which may hold line
/// breaks of their own), truncated to `width` as a last resort.
fn build(header: &[&str], rows: Vec<Vec<String>>, width: Option<usize>) -> String {
    let mut builder = Builder::default();
    builder.push_record(header.iter().map(|h| h.to_string()));
    for row in rows {
        builder.push_record(row);
    }
    let mut table = builder.build();
    table.with(Style::sharp());
    if let Some(width) = width {
        table.with(
            Width::truncate(width.max(40))
                .priority(Priority::max(true))
                .suffix("…"),
        );
    }
    table.to_string()
}

fn shrink_last_column(header: &[&str], rows: &mut [Vec<String>], width: usize) {
    let columns = header.len();
    if columns == 0 {
        return;
    }
    let widest = |i: usize| {
        rows.iter()
            .filter_map(|r| r.get(i))
            .map(|c| c.chars().count())
            .chain(std::iter::once(header[i].chars().count()))
            .max()
            .unwrap_or(0)
    };
    let natural: Vec<usize> = (0..columns).map(widest).collect();
    // Each column has a space of padding on both sides and a border.
    let total: usize = natural.iter().map(|w| w + 3).sum::<usize>() + 1;
    if total <= width {
        return;
    }
    let last = columns - 1;
    let others = total - (natural[last] + 3);
    let room = width.saturating_sub(others + 3).max(20).max(width / 3);
    for row in rows.iter_mut() {
        if let Some(cell) = row.get_mut(last)
            && cell.chars().count() > room
        {
            let mut short: String = cell.chars().take(room.saturating_sub(1)).collect();
            short.push('…');
            *cell = short;
        }
    }
}

/// How tables meet the terminal: its width, whether it takes colour, and
/// whether to leave out the lines around the table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// The width to fit to, if known.
    pub width: Option<usize>,
    /// Whether to colour statuses.
    pub styled: bool,
    /// Print only the table: no heading, counts or "nothing" notes.
    pub quiet: bool,
}

/// Writes a listing: the table and the number of tools.
pub fn list(w: &mut dyn Write, listing: &Listing, o: Options) -> io::Result<()> {
    if listing.tools.is_empty() {
        if !o.quiet {
            writeln!(w, "no tool matches the filters")?;
        }
        return Ok(());
    }
    let rows: Vec<Vec<String>> = listing
        .tools
        .iter()
        .map(|t| {
            vec![
                t.id.to_string(),
                t.latest_version.map(|v| v.to_string()).unwrap_or_default(),
                t.status.as_str().to_string(),
                t.license.to_string(),
                crate::text::join(t.categories, ", "),
                t.summary.to_string(),
            ]
        })
        .collect();
    let text = render(
        &["ID", "LATEST", "STATUS", "LICENSE", "CATEGORIES", "SUMMARY"],
        &rows,
        o.width,
    );
    writeln!(w, "{text}")?;
    if !o.quiet {
        let n = listing.tools.len();
        writeln!(w, "{n} tool{}", if n == 1 { "" } else { "s" })?;
    }
    Ok(())
}

/// Writes a compatibility report: the stack, the table (statuses coloured
/// when styled) and the counts.
pub fn compat(w: &mut dyn Write, report: &CompatReport, o: Options) -> io::Result<()> {
    let mut cells: Vec<Vec<String>> = report
        .tools
        .iter()
        .map(|r| {
            vec![
                r.result.id.clone(),
                r.result.status.as_str().to_string(),
                r.result.version.clone().unwrap_or_default(),
                r.why
                    .iter()
                    .map(|p| terminal_safe(p))
                    .collect::<Vec<_>>()
                    .join("; "),
            ]
        })
        .collect();
    let header = ["TOOL", "STATUS", "VERSION", "WHY"];
    // The reasons wrap, between reasons first and never inside a
    // requirement, to the room the other columns leave.
    if let Some(width) = o.width {
        let others: usize = (0..3)
            .map(|i| {
                cells
                    .iter()
                    .map(|r| r[i].chars().count())
                    .chain(std::iter::once(header[i].len()))
                    .max()
                    .unwrap_or(0)
                    + 3
            })
            .sum::<usize>()
            + 1;
        let room = width.max(40).saturating_sub(others + 3).max(24);
        for (row, r) in cells.iter_mut().zip(&report.tools) {
            let keep: Vec<&str> = r
                .result
                .requirements
                .iter()
                .map(|c| c.requirement.as_str())
                .collect();
            let parts: Vec<String> = r.why.iter().map(|p| terminal_safe(p)).collect();
            row[3] = wrap_parts(&parts, room, &keep);
        }
    }
    if !o.quiet {
        writeln!(w, "stack: {}", terminal_safe(&report.stack.line()))?;
    }
    for row in &mut cells {
        for cell in &mut row[..3] {
            *cell = terminal_safe(cell);
        }
    }
    let mut text = build(&header, cells, o.width);
    if o.styled {
        text = colour_statuses(&text);
    }
    writeln!(w, "{text}")?;
    if !o.quiet {
        writeln!(w, "{}", report.counts_line())?;
    }
    Ok(())
}

/// Joins `parts` with `; ` into lines of at most `room` characters,
/// breaking between parts where it can and else between words, but never
/// inside one of the texts of `keep` (a line holding one that is longer
/// than `room` is left long).
pub fn wrap_parts(parts: &[String], room: usize, keep: &[&str]) -> String {
    const GLUE: char = '\u{1f}';
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let count = parts.len();
    for (i, part) in parts.iter().enumerate() {
        let mut part = part.clone();
        for k in keep {
            if k.contains(' ') {
                part = part.replace(k, &k.replace(' ', &GLUE.to_string()));
            }
        }
        if i + 1 < count {
            part.push(';');
        }
        // A reason that fits a line of its own starts one rather than break.
        let whole = part.chars().count();
        if !line.is_empty() && line.chars().count() + 1 + whole > room && whole <= room {
            lines.push(std::mem::take(&mut line));
        }
        for word in part.split(' ') {
            let len = word.chars().count();
            let used = line.chars().count();
            if !line.is_empty() && used + 1 + len > room {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        // Start the next reason on a new line when this one ended near the edge.
        if line.chars().count() >= room {
            lines.push(std::mem::take(&mut line));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines.join("\n").replace(GLUE, " ")
}

/// Colours the compatibility statuses at the start of table cells.
fn colour_statuses(table: &str) -> String {
    let mut text = table.to_string();
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
    text
}

/// Writes the requirement matrix, at its natural width.
pub fn matrix(w: &mut dyn Write, m: &Matrix) -> io::Result<()> {
    writeln!(w, "{}", render(&m.header(), &m.cells(), None))
}

/// Writes the vettings due and the counts, or that none is due.
pub fn review(w: &mut dyn Write, r: &Review, o: Options) -> io::Result<()> {
    if r.tools.is_empty() {
        if !o.quiet {
            writeln!(w, "{}", r.nothing_due())?;
        }
        return Ok(());
    }
    let cells: Vec<Vec<String>> = r.tools.iter().map(Due::cells).collect();
    writeln!(w, "{}", render(&REVIEW_HEADER, &cells, o.width))?;
    if !o.quiet {
        writeln!(w, "{}", r.counts_line())?;
    }
    Ok(())
}

/// Writes the coverage grid (every column gives way, widest first) and the
/// risks without a (vetted) tool.
pub fn coverage(w: &mut dyn Write, c: &Coverage, o: Options) -> io::Result<()> {
    writeln!(
        w,
        "{}",
        render_with(&c.header(), &c.cells(), o.width, false)
    )?;
    writeln!(
        w,
        "cells: tools addressing the risk in the category (v = vetted); · = none"
    )?;
    writeln!(
        w,
        "risks with no vetted tool ({}): {}",
        c.no_vetted_tool.len(),
        id_list(&c.no_vetted_tool)
    )?;
    writeln!(
        w,
        "risks with no tool at all ({}): {}",
        c.no_tool.len(),
        id_list(&c.no_tool)
    )
}

/// Writes `coverage --framework NAME`: one row per item, then the counts
/// and the items no tool reaches.
pub fn framework_coverage(w: &mut dyn Write, c: &FrameworkCoverage, o: Options) -> io::Result<()> {
    let f = &c.framework;
    writeln!(
        w,
        "{}",
        terminal_safe(&format!("{} {} ({})", f.name, f.edition, f.id))
    )?;
    writeln!(
        w,
        "{}",
        render(&FrameworkCoverage::HEADER, &c.cells(), o.width)
    )?;
    writeln!(
        w,
        "THROUGH: how tools reach the item: their own entry mappings, a risk or category the taxonomy maps to it (with the relation), or → the mitigation that addresses it"
    )?;
    for line in c.summary_lines() {
        writeln!(w, "{line}")?;
    }
    writeln!(
        w,
        "items with no tool ({}): {}",
        c.no_tool.len(),
        id_list(&c.no_tool)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_the_width() {
        let rows = vec![vec!["a".to_string(), "x".repeat(200)]];
        let out = render(&["ID", "SUMMARY"], &rows, Some(60));
        for line in out.lines() {
            assert!(line.chars().count() <= 60, "{line}");
        }
        assert!(out.contains('…'));
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let rows = vec![vec!["a\u{1b}[2Jb".to_string()]];
        let out = render(&["ID"], &rows, None);
        assert!(!out.contains('\u{1b}'));
    }
}
