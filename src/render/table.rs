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

/// Renders rows under a header as a table. When `width` is given and the
/// table is wider, the free-text columns give way: the columns that hold
/// what a user types or compares (ids, versions, statuses, dates) are never
/// shortened; licences and lists of ids wrap between words; the last
/// column, free text, is shortened last with `…`. If the kept columns alone
/// are wider than `width`, the table is wider than `width` rather than cut.
pub fn render(header: &[&str], rows: &[Vec<String>], width: Option<usize>) -> String {
    render_with(header, rows, width, true)
}

/// Like [`render`]; with `fit` false the table keeps its natural width
/// (grids, whose every column is an id or a count).
pub fn render_with(
    header: &[&str],
    rows: &[Vec<String>],
    width: Option<usize>,
    fit: bool,
) -> String {
    let (text, _) = render_fit(header, rows, if fit { width } else { None }, &[], false);
    text
}

/// Like [`render`]; with `may_drop`, wrapping columns that still do not fit
/// once wrapped are left out, right to left, except those named in `asked`
/// (the attributes a user filtered by). Returns the table and the headers
/// of the columns left out.
pub fn render_fit(
    header: &[&str],
    rows: &[Vec<String>],
    width: Option<usize>,
    asked: &[&str],
    may_drop: bool,
) -> (String, Vec<String>) {
    let mut header: Vec<&str> = header.to_vec();
    let mut rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| terminal_safe(c)).collect())
        .collect();
    let mut dropped = Vec::new();
    if let Some(width) = width {
        let width = width.max(40);
        if may_drop {
            while minimum_width(&header, &rows) > width {
                let Some(i) = (0..header.len())
                    .rev()
                    .find(|&i| give(&header, i) == Give::Wrap && !asked.contains(&header[i]))
                else {
                    break;
                };
                dropped.push(header.remove(i).to_string());
                for row in &mut rows {
                    if i < row.len() {
                        row.remove(i);
                    }
                }
            }
        }
        fit_to(&header, &mut rows, width);
    }
    dropped.reverse();
    // Fitted already: nothing is truncated after this.
    (build(&header, rows, None), dropped)
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

/// The narrowest the table can get: kept columns whole, wrapping columns
/// at their longest word, the free text at its floor.
fn minimum_width(header: &[&str], rows: &[Vec<String>]) -> usize {
    (0..header.len())
        .map(|i| {
            let w = match give(header, i) {
                Give::Keep => natural_width(header[i], rows, i),
                Give::Wrap => longest_word(header[i], rows, i),
                Give::Shorten => natural_width(header[i], rows, i).min(shorten_floor(header[i])),
            };
            w + 3
        })
        .sum::<usize>()
        + 1
}

fn natural_width(header: &str, rows: &[Vec<String>], i: usize) -> usize {
    rows.iter()
        .filter_map(|r| r.get(i))
        .flat_map(|c| c.lines().map(chars).max())
        .chain(std::iter::once(chars(header)))
        .max()
        .unwrap_or(0)
}

/// The narrowest the free-text column is shortened to.
fn shorten_floor(header: &str) -> usize {
    chars(header).max(12)
}

/// How a column gives way when a table is too wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Give {
    /// Never: ids, versions, statuses, dates.
    Keep,
    /// Wraps between words (licence expressions, lists of ids).
    Wrap,
    /// Shortened with `…` (the free-text last column).
    Shorten,
}

/// The columns whose text wraps between words instead of being kept whole.
const WRAPPING: [&str; 8] = [
    "LICENSE",
    "TITLE",
    "THROUGH",
    "CATEGORIES",
    "RISKS",
    "LANGUAGES",
    "MODALITIES",
    "INTERFACES",
];

fn give(header: &[&str], i: usize) -> Give {
    if i == 0 {
        Give::Keep
    } else if i + 1 == header.len() && !is_kept_header(header[i]) {
        Give::Shorten
    } else if WRAPPING.contains(&header[i]) {
        Give::Wrap
    } else {
        Give::Keep
    }
}

/// Headers of columns that are never shortened even when last.
fn is_kept_header(h: &str) -> bool {
    matches!(
        h,
        "ID" | "TOOL" | "STATUS" | "VERSION" | "LATEST" | "REVIEWED" | "DUE"
    )
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

fn fit_to(header: &[&str], rows: &mut [Vec<String>], width: usize) {
    let columns = header.len();
    if columns == 0 {
        return;
    }
    let mut widths: Vec<usize> = (0..columns)
        .map(|i| natural_width(header[i], rows, i))
        .collect();
    // Each column has a space of padding on both sides and a border.
    let total = |w: &[usize]| w.iter().map(|w| w + 3).sum::<usize>() + 1;
    if total(&widths) <= width {
        return;
    }
    let last = columns - 1;
    // First the free text, down to a floor that keeps it useful.
    if give(header, last) == Give::Shorten {
        let floor = shorten_floor(header[last]);
        let over = total(&widths) - width;
        widths[last] = widths[last].saturating_sub(over).max(floor);
    }
    // Then the wrapping columns, widest first, down to their longest word.
    let wrapping: Vec<usize> = (0..columns)
        .filter(|&i| give(header, i) == Give::Wrap)
        .collect();
    while total(&widths) > width {
        let Some(&i) = wrapping
            .iter()
            .filter(|&&i| widths[i] > longest_word(header[i], rows, i))
            .max_by_key(|&&i| widths[i])
        else {
            break;
        };
        let floor = longest_word(header[i], rows, i);
        let over = total(&widths) - width;
        widths[i] = widths[i].saturating_sub(over).max(floor);
    }
    // What the wrapping left over goes back to the free text.
    if give(header, last) == Give::Shorten && total(&widths) < width {
        let natural = natural_width(header[last], rows, last);
        widths[last] = (widths[last] + width - total(&widths)).min(natural);
    }
    for row in rows.iter_mut() {
        for (i, cell) in row.iter_mut().enumerate().take(columns) {
            match give(header, i) {
                Give::Shorten if chars(cell) > widths[i] => {
                    let mut short: String =
                        cell.chars().take(widths[i].saturating_sub(1)).collect();
                    short.push('…');
                    *cell = short;
                }
                Give::Wrap if chars(cell) > widths[i] => {
                    *cell = at_most_lines(&wrap_words(cell, widths[i]), WRAP_LINES);
                }
                _ => {}
            }
        }
    }
}

/// The most lines a wrapped cell takes; the rest is shortened with `…`.
const WRAP_LINES: usize = 3;

/// The first `n` lines of `text`, the last of them ending in `…` when
/// lines were dropped.
fn at_most_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= n {
        return text.to_string();
    }
    let mut kept: Vec<String> = lines[..n].iter().map(|l| l.to_string()).collect();
    if let Some(last) = kept.last_mut() {
        last.push_str(" …");
    }
    kept.join("\n")
}

/// The longest word (or the header) of column `i`: how narrow it can wrap.
fn longest_word(header: &str, rows: &[Vec<String>], i: usize) -> usize {
    rows.iter()
        .filter_map(|r| r.get(i))
        .flat_map(|c| c.split_whitespace().map(chars))
        .chain(std::iter::once(chars(header)))
        .max()
        .unwrap_or(0)
}

/// Breaks `text` into lines of at most `width` characters between words
/// (a word longer than `width` stays whole on its own line).
fn wrap_words(text: &str, width: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && chars(&line) + 1 + chars(word) > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines.join("\n")
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

/// An attribute a listing was filtered by, shown as a column of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// Categories (a column already).
    Categories,
    /// Risks.
    Risks,
    /// Modalities.
    Modalities,
    /// Interfaces.
    Interfaces,
    /// Languages.
    Languages,
    /// The licence (a column already).
    License,
}

impl Shown {
    fn header(self) -> &'static str {
        match self {
            Shown::Categories => "CATEGORIES",
            Shown::Risks => "RISKS",
            Shown::Modalities => "MODALITIES",
            Shown::Interfaces => "INTERFACES",
            Shown::Languages => "LANGUAGES",
            Shown::License => "LICENSE",
        }
    }
}

/// Writes a listing: the table and the number of tools.
pub fn list(w: &mut dyn Write, listing: &Listing, o: Options) -> io::Result<()> {
    list_showing(w, listing, o, &[])
}

/// The values of one attribute column: those the filter asked for first,
/// then how many others the tool declares (`prompt-injection, pii-leakage
/// +6`); all of them when `wanted` is empty.
fn attribute_cell(have: &[&str], wanted: &[String]) -> String {
    if wanted.is_empty() {
        return have.join(", ");
    }
    let hit = |h: &str| {
        let h = h.to_ascii_lowercase();
        h == "any"
            || wanted.iter().any(|w| {
                let w = w.to_ascii_lowercase();
                h == w || h.starts_with(&format!("{w}-")) || w.starts_with(&format!("{h}-"))
            })
    };
    let matched: Vec<&str> = have.iter().copied().filter(|h| hit(h)).collect();
    let others = have.len() - matched.len();
    let mut cell = matched.join(", ");
    if others > 0 {
        if !cell.is_empty() {
            cell.push(' ');
        }
        cell.push_str(&format!("+{others}"));
    }
    cell
}

/// Writes a listing with a column for each attribute in `shown` (those a
/// user filtered by, with the values asked for, which the column shows
/// first), which stay when narrow columns are left out.
pub fn list_showing(
    w: &mut dyn Write,
    listing: &Listing,
    o: Options,
    shown: &[(Shown, Vec<String>)],
) -> io::Result<()> {
    if listing.tools.is_empty() {
        if !o.quiet {
            writeln!(w, "no tool matches the filters")?;
        }
        return Ok(());
    }
    let extra: Vec<Shown> = [
        Shown::Risks,
        Shown::Languages,
        Shown::Modalities,
        Shown::Interfaces,
    ]
    .into_iter()
    .filter(|s| shown.iter().any(|(x, _)| x == s))
    .collect();
    let wanted = |s: Shown| -> &[String] {
        shown
            .iter()
            .find(|(x, _)| *x == s)
            .map_or(&[], |(_, v)| v.as_slice())
    };
    let mut header = vec!["ID", "LATEST", "STATUS"];
    header.extend(extra.iter().map(|s| s.header()));
    header.extend(["LICENSE", "CATEGORIES", "SUMMARY"]);
    let rows: Vec<Vec<String>> = listing
        .tools
        .iter()
        .map(|t| {
            let mut row = vec![
                t.id.to_string(),
                t.latest_version.map(|v| v.to_string()).unwrap_or_default(),
                t.status.as_str().to_string(),
            ];
            for &s in &extra {
                let have: Vec<&str> = match s {
                    Shown::Risks => t.risks.iter().map(|x| x.as_str()).collect(),
                    Shown::Languages => t.languages.iter().map(String::as_str).collect(),
                    Shown::Modalities => t.modalities.iter().map(|x| x.as_str()).collect(),
                    Shown::Interfaces => t.interfaces.iter().map(|x| x.as_str()).collect(),
                    Shown::Categories | Shown::License => Vec::new(),
                };
                row.push(attribute_cell(&have, wanted(s)));
            }
            row.push(t.license.to_string());
            row.push(crate::text::join(t.categories, ", "));
            row.push(t.summary.to_string());
            row
        })
        .collect();
    let asked: Vec<&str> = shown.iter().map(|(s, _)| s.header()).collect();
    let (text, dropped) = render_fit(&header, &rows, o.width, &asked, true);
    writeln!(w, "{text}")?;
    if !o.quiet {
        let n = listing.tools.len();
        let mut line = format!("{n} tool{}", if n == 1 { "" } else { "s" });
        if !dropped.is_empty() {
            let width = o.width.unwrap_or_default().max(40);
            line.push_str(&format!(
                " ({} left out to fit {width} columns; widen the terminal, set COLUMNS, or use --format markdown)",
                dropped.join(", "),
            ));
            line = wrap_words(&line, width);
        }
        writeln!(w, "{line}")?;
    }
    Ok(())
}

/// Writes the terms of vocabularies, one table each under its name and size.
pub fn vocabularies(
    w: &mut dyn Write,
    rows: &[(&str, Vec<crate::report::vocabulary::TermCount>)],
    o: Options,
) -> io::Result<()> {
    for (i, (name, terms)) in rows.iter().enumerate() {
        if i > 0 {
            writeln!(w)?;
        }
        if !o.quiet {
            writeln!(w, "{name} ({})", terms.len())?;
        }
        let cells: Vec<Vec<String>> = terms.iter().map(|t| t.cells()).collect();
        writeln!(
            w,
            "{}",
            render(&crate::report::vocabulary::HEADER, &cells, o.width)
        )?;
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

/// Writes the coverage grid and the risks without a (vetted) tool. Every
/// column of the grid is an id or a count, so nothing is shortened: when
/// the grid is wider than the width, the category columns are numbered and
/// a key under the grid names them.
pub fn coverage(w: &mut dyn Write, c: &Coverage, o: Options) -> io::Result<()> {
    let header = c.header();
    let cells = c.cells();
    let natural = render_with(&header, &cells, None, false);
    let too_wide = o
        .width
        .is_some_and(|width| natural.lines().next().map_or(0, chars) > width.max(40));
    if too_wide {
        let numbers: Vec<String> = (1..=c.categories.len()).map(|n| n.to_string()).collect();
        let mut short: Vec<&str> = vec![header[0]];
        short.extend(numbers.iter().map(String::as_str));
        short.extend(&header[header.len() - 2..]);
        writeln!(w, "{}", render_with(&short, &cells, None, false))?;
        let key: Vec<String> = c
            .categories
            .iter()
            .zip(&numbers)
            .map(|(id, n)| format!("{n} {id}"))
            .collect();
        let width = o.width.unwrap_or(80).max(40);
        writeln!(
            w,
            "{}",
            wrap_words(&format!("categories: {}", key.join(", ")), width)
        )?;
    } else {
        writeln!(w, "{natural}")?;
    }
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
    fn ids_versions_and_statuses_are_never_shortened() {
        let rows = vec![vec![
            "granite-guardian-hap-125m".to_string(),
            "3.3.0".to_string(),
            "provisional".to_string(),
            "Apache-2.0 OR MIT".to_string(),
            "guardrail, red-teaming".to_string(),
            "A summary long enough to be shortened when the table is narrow.".to_string(),
        ]];
        let header = ["ID", "LATEST", "STATUS", "LICENSE", "CATEGORIES", "SUMMARY"];
        for width in [40, 60, 80] {
            let out = render(&header, &rows, Some(width));
            assert!(out.contains("granite-guardian-hap-125m"), "{width}:\n{out}");
            assert!(out.contains("provisional"), "{width}:\n{out}");
            // Licence and categories wrap between words; nothing is cut.
            assert!(out.contains("Apache-2.0"), "{width}:\n{out}");
            assert!(out.contains("red-teaming"), "{width}:\n{out}");
            assert!(out.contains('…'), "{width}:\n{out}");
        }
        // At 70 columns the wrapping columns that cannot fit are left out
        // and named, right to left; ids stay whole.
        let (at_70, dropped) = render_fit(&header, &rows, Some(70), &[], true);
        assert!(at_70.lines().all(|l| l.chars().count() <= 70), "{at_70}");
        assert!(at_70.contains("granite-guardian-hap-125m"), "{at_70}");
        assert_eq!(dropped, ["LICENSE", "CATEGORIES"]);
        let (asked, dropped) = render_fit(&header, &rows, Some(70), &["LICENSE"], true);
        assert_eq!(dropped, ["CATEGORIES"]);
        assert!(asked.contains("Apache-2.0"), "{asked}");
    }

    #[test]
    fn wrapping_keeps_words_whole() {
        assert_eq!(
            wrap_words("guardrail, red-teaming, evaluation", 12),
            "guardrail,\nred-teaming,\nevaluation"
        );
        assert_eq!(
            wrap_words("averyveryverylongword x", 5),
            "averyveryverylongword\nx"
        );
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let rows = vec![vec!["a\u{1b}[2Jb".to_string()]];
        let out = render(&["ID"], &rows, None);
        assert!(!out.contains('\u{1b}'));
    }
}
