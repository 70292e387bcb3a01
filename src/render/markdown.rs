//! Markdown output, with all escaping of entry text in one place: the
//! cell, link and table helpers, and the markdown format of every command.

use std::io::{self, Write};

use crate::report::Listing;
use crate::report::compat::CompatReport;
use crate::report::coverage::{Coverage, FrameworkCoverage, id_list};
use crate::report::diff::{CatalogDiff, short_value};
use crate::report::matrix::Matrix;
use crate::report::review::{Due, REVIEW_HEADER, Review};

/// Escapes text for a GitHub-flavoured markdown table cell or heading:
/// nothing in it can start a link (explicit, `<…>` or GFM autolink of
/// URLs, `www.` and e-mail addresses), an HTML element or entity, code,
/// emphasis, a footnote, a new cell or a new line.
pub fn escape_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' => out.push_str("\\|"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '~' | '!' | '{' | '}' | '$'
            | ':' | '@' | '^' => {
                out.push('\\');
                out.push(c);
            }
            '.' if out
                .get(out.len().saturating_sub(3)..)
                .is_some_and(|tail| tail.eq_ignore_ascii_case("www")) =>
            {
                out.push_str("\\.")
            }
            c if crate::text::is_forbidden(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    // A cell starting with a list or heading marker is harmless inside a
    // table, but escape it anyway so the text means the same anywhere.
    if out.starts_with(['-', '+', '=']) {
        out.insert(0, '\\');
    }
    out
}

/// A markdown table from a header and rows of already escaped cells.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    out.push_str(&format!("| {} |\n", header.join(" | ")));
    out.push_str(&format!(
        "|{}|\n",
        header.iter().map(|_| "---").collect::<Vec<_>>().join("|")
    ));
    for row in rows {
        out.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    out
}

/// A link whose target is a URL the checks accepted (https with a host);
/// any other URL is shown as plain escaped text. The target is the parsed,
/// normalised URL with every character that could end the link or the table
/// cell percent-encoded, and `&` written as an entity.
pub fn link(text: &str, url: &str) -> String {
    if crate::check::rules::check_url(url).is_err() {
        return escape_cell(text);
    }
    let Ok(parsed) = url::Url::parse(url) else {
        return escape_cell(text);
    };
    let mut target = String::with_capacity(parsed.as_str().len());
    for c in parsed.as_str().chars() {
        match c {
            'a'..='z'
            | 'A'..='Z'
            | '0'..='9'
            | '-'
            | '.'
            | '_'
            | '~'
            | ':'
            | '/'
            | '?'
            | '#'
            | '@'
            | '!'
            | '$'
            | '\''
            | '*'
            | '+'
            | ','
            | ';'
            | '='
            | '%' => target.push(c),
            '&' => target.push_str("&amp;"),
            c => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    target.push_str(&format!("%{b:02X}"));
                }
            }
        }
    }
    format!("[{}]({target})", escape_cell(text))
}

/// Writes a listing as a table linking each tool to its page.
pub fn list(w: &mut dyn Write, listing: &Listing) -> io::Result<()> {
    let rows: Vec<Vec<String>> = listing
        .tools
        .iter()
        .map(|t| {
            vec![
                link(t.name, t.link()),
                escape_cell(t.id),
                escape_cell(t.summary),
                escape_cell(&crate::text::join(t.categories, ", ")),
                escape_cell(t.license.as_str()),
                escape_cell(&t.latest_version.map(|v| v.to_string()).unwrap_or_default()),
                t.status.as_str().to_string(),
            ]
        })
        .collect();
    let header = [
        "Tool",
        "Id",
        "Summary",
        "Categories",
        "License",
        "Latest",
        "Status",
    ];
    w.write_all(table(&header, &rows).as_bytes())
}

/// Writes a compatibility report: a heading naming the stack, the counts
/// and a table, e.g. for a pull-request comment.
pub fn compat(w: &mut dyn Write, report: &CompatReport) -> io::Result<()> {
    writeln!(
        w,
        "### Compatibility with {}",
        escape_cell(&report.stack.line())
    )?;
    writeln!(w)?;
    writeln!(w, "{}", report.counts_line())?;
    writeln!(w)?;
    let cells: Vec<Vec<String>> = report
        .tools
        .iter()
        .map(|r| {
            vec![
                format!("{} (`{}`)", link(&r.name, &r.link), r.result.id),
                r.result.status.as_str().to_string(),
                escape_cell(r.result.version.as_deref().unwrap_or("")),
                escape_cell(&r.why.join("; ")),
            ]
        })
        .collect();
    w.write_all(table(&["Tool", "Status", "Version", "Why"], &cells).as_bytes())
}

/// Writes the requirement matrix as a table.
pub fn matrix(w: &mut dyn Write, m: &Matrix) -> io::Result<()> {
    w.write_all(table(&m.header(), &escape_rows(m.cells())).as_bytes())
}

/// Writes the vettings due as a table, or that none is due.
pub fn review(w: &mut dyn Write, r: &Review, quiet: bool) -> io::Result<()> {
    if r.tools.is_empty() {
        if !quiet {
            writeln!(w, "{}", r.nothing_due())?;
        }
        return Ok(());
    }
    let cells: Vec<Vec<String>> = r.tools.iter().map(Due::cells).collect();
    w.write_all(table(&REVIEW_HEADER, &escape_rows(cells)).as_bytes())
}

/// Writes the coverage grid and the risks without a (vetted) tool.
pub fn coverage(w: &mut dyn Write, c: &Coverage) -> io::Result<()> {
    w.write_all(table(&c.header(), &escape_rows(c.cells())).as_bytes())?;
    writeln!(w)?;
    writeln!(
        w,
        "Cells count the tools addressing the risk in the category (v = vetted).\n"
    )?;
    writeln!(
        w,
        "**Risks with no vetted tool ({}):** {}\n",
        c.no_vetted_tool.len(),
        escape_cell(&id_list(&c.no_vetted_tool))
    )?;
    writeln!(
        w,
        "**Risks with no tool at all ({}):** {}",
        c.no_tool.len(),
        escape_cell(&id_list(&c.no_tool))
    )
}

/// Writes `coverage --framework NAME` as a markdown table: per item, the
/// tools (vetted ones marked), how they reach it, and the gap notes.
pub fn framework_coverage(w: &mut dyn Write, c: &FrameworkCoverage) -> io::Result<()> {
    let f = &c.framework;
    writeln!(
        w,
        "### {} {} (`{}`)\n",
        escape_cell(&f.name),
        escape_cell(&f.edition),
        escape_cell(&f.id)
    )?;
    let rows: Vec<Vec<String>> = c
        .items
        .iter()
        .zip(c.cells())
        .map(|(item, cells)| {
            let tools: Vec<String> = item
                .tools
                .vetted
                .iter()
                .map(|t| format!("{} (vetted)", escape_cell(t)))
                .chain(item.tools.provisional.iter().map(|t| escape_cell(t)))
                .chain(
                    item.tools
                        .deprecated
                        .iter()
                        .map(|t| format!("{} (deprecated)", escape_cell(t))),
                )
                .collect();
            vec![
                escape_cell(&cells[0]),
                escape_cell(&cells[1]),
                tools.join(", "),
                escape_cell(&cells[4]),
                escape_cell(&cells[5]),
            ]
        })
        .collect();
    w.write_all(table(&["Item", "Title", "Tools", "Through", "Gap"], &rows).as_bytes())?;
    writeln!(w)?;
    for line in c.summary_lines() {
        writeln!(w, "- {}", escape_cell(&line))?;
    }
    writeln!(
        w,
        "\n**Items with no tool ({}):** {}",
        c.no_tool.len(),
        escape_cell(&id_list(&c.no_tool))
    )
}

/// Writes the changes between two catalogs: added and removed ids, then a
/// table of changed fields.
pub fn diff(w: &mut dyn Write, d: &CatalogDiff) -> io::Result<()> {
    writeln!(w, "### Catalog changes\n")?;
    if d.is_empty() {
        return writeln!(w, "No changes.");
    }
    let ids = |ids: &[String]| {
        ids.iter()
            .map(|i| escape_cell(i))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !d.added.is_empty() {
        writeln!(w, "**Added ({}):** {}\n", d.added.len(), ids(&d.added))?;
    }
    if !d.removed.is_empty() {
        writeln!(
            w,
            "**Removed ({}):** {}\n",
            d.removed.len(),
            ids(&d.removed)
        )?;
    }
    if !d.changed.is_empty() {
        let rows: Vec<Vec<String>> = d
            .changed
            .iter()
            .flat_map(|t| {
                t.changes.iter().map(move |c| {
                    vec![
                        escape_cell(&t.id),
                        escape_cell(&c.field),
                        escape_cell(&short_value(&c.old)),
                        escape_cell(&short_value(&c.new)),
                    ]
                })
            })
            .collect();
        writeln!(w, "**Changed ({}):**\n", d.changed.len())?;
        w.write_all(table(&["Tool", "Field", "Old", "New"], &rows).as_bytes())?;
    }
    Ok(())
}

/// Escapes every cell of plain-text rows.
fn escape_rows(rows: Vec<Vec<String>>) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|c| escape_cell(c)).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_cannot_break_out() {
        let e = escape_cell("a|b <script>x</script> [x](javascript:alert(1))\n# h");
        assert!(!e.contains("<script"));
        assert!(!e.contains("](j"));
        assert!(!e.contains('\n'));
        assert!(e.contains("\\|"));
        assert_eq!(escape_cell("- item"), "\\- item");
    }

    /// Found by the `markdown` fuzz target: a pipe (and a space) in a URL
    /// that parses ended the table cell.
    #[test]
    fn regression_pipe_in_link_target_stays_in_its_cell() {
        let l = link("x", "https://veil.examxle/x &am$;p,| _a_");
        assert!(!l.contains('|'), "{l}");
        assert!(!l.contains(' '), "{l}");
        assert!(
            l.starts_with("[x](https://veil.examxle/x%20&amp;am$;p,%7C%20_a_)"),
            "{l}"
        );
    }

    #[test]
    fn links_only_for_https() {
        assert_eq!(link("X", "https://x.org/a"), "[X](https://x.org/a)");
        assert_eq!(link("X", "javascript:alert(1)"), "X");
    }
}

#[cfg(test)]
mod properties {
    use comrak::nodes::{AstNode, NodeValue};
    use comrak::{Arena, Options, parse_document};
    use proptest::prelude::*;

    use super::escape_cell;

    fn gfm() -> Options<'static> {
        let mut o = Options::default();
        o.extension.table = true;
        o.extension.autolink = true;
        o.extension.strikethrough = true;
        o.extension.footnotes = true;
        o.extension.tasklist = true;
        o
    }

    /// The text of a cell, or an error naming the first node that is not text.
    fn cell_text<'a>(node: &'a AstNode<'a>, out: &mut String) -> Result<(), String> {
        for child in node.children() {
            match &child.data.borrow().value {
                NodeValue::Text(t) => out.push_str(t),
                other => return Err(format!("{other:?}")),
            }
        }
        Ok(())
    }

    proptest! {
        /// Whatever the text, the escaped cell is one table cell holding
        /// exactly that text (line breaks as spaces), and nothing else: no
        /// link, HTML, code, emphasis or extra cell.
        #[test]
        fn escaped_cells_parse_back_to_plain_text(text in "[ -~\u{e9}\u{3042}\n]{0,60}") {
            let escaped = escape_cell(&text);
            let doc = format!("| h |\n|---|\n| {escaped} |\n");
            let arena = Arena::new();
            let root = parse_document(&arena, &doc, &gfm());
            let table = root.first_child().expect("table");
            let rows: Vec<_> = table.children().collect();
            prop_assert_eq!(rows.len(), 2, "{}", doc);
            let cells: Vec<_> = rows[1].children().collect();
            prop_assert_eq!(cells.len(), 1, "{}", doc);
            let mut got = String::new();
            let plain = cell_text(cells[0], &mut got);
            prop_assert!(plain.is_ok(), "{:?} in {}", plain, doc);
            let expected = text.replace(['\n', '\r'], " ");
            prop_assert_eq!(got.trim(), expected.trim(), "{}", doc);
        }
    }
}
