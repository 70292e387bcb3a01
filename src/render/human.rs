//! Readable text for a terminal: `show`, `diff` and a stale index. Every piece of entry
//! text goes through [`terminal_safe`] here.

use std::io::{self, Write};

use crate::diag::render::terminal_safe;
use crate::report::diff::{CatalogDiff, short_value};
use crate::report::show::ToolDetail;

/// Writes one tool: heading, labelled values, versions, free text, evidence.
pub fn show(w: &mut dyn Write, d: &ToolDetail) -> io::Result<()> {
    let t = |s: &str| terminal_safe(s);
    writeln!(w, "{} ({})", t(&d.name), t(&d.id))?;
    writeln!(w, "{}", t(&d.summary))?;
    writeln!(w)?;
    for (label, value) in &d.fields {
        writeln!(w, "{label:<14}{}", t(value))?;
    }
    writeln!(w)?;
    writeln!(w, "versions")?;
    for r in &d.versions {
        writeln!(
            w,
            "  {:<12}{}  {}",
            t(&r.version),
            r.released,
            t(&r.requires)
        )?;
        if !r.advisories.is_empty() {
            writeln!(
                w,
                "  {:<12}security advisories: {}",
                "",
                t(&r.advisories.join(", "))
            )?;
        }
        if let Some(n) = &r.notes {
            writeln!(w, "  {:<12}{}", "", t(n))?;
        }
    }
    for (label, text) in &d.texts {
        writeln!(w)?;
        writeln!(w, "{label}")?;
        for line in text.lines() {
            writeln!(w, "  {}", t(line))?;
        }
    }
    if !d.evidence.is_empty() {
        writeln!(w)?;
        writeln!(w, "evidence")?;
        for url in &d.evidence {
            writeln!(w, "  {}", t(url))?;
        }
    }
    Ok(())
}

/// Writes the changes between two catalogs: added, removed, then each
/// changed field as `old → new`.
pub fn diff(w: &mut dyn Write, d: &CatalogDiff) -> io::Result<()> {
    if d.is_empty() {
        return writeln!(w, "no changes");
    }
    if !d.added.is_empty() {
        writeln!(w, "added ({}): {}", d.added.len(), d.added.join(", "))?;
    }
    if !d.removed.is_empty() {
        writeln!(w, "removed ({}): {}", d.removed.len(), d.removed.join(", "))?;
    }
    if !d.changed.is_empty() {
        writeln!(w, "changed ({}):", d.changed.len())?;
        for tool in &d.changed {
            writeln!(w, "  {}", tool.id)?;
            for c in &tool.changes {
                writeln!(
                    w,
                    "    {}: {} → {}",
                    terminal_safe(&c.field),
                    terminal_safe(&short_value(&c.old)),
                    terminal_safe(&short_value(&c.new))
                )?;
            }
        }
    }
    Ok(())
}

/// Writes the first `max_lines` lines of a diff, and how many were left out.
pub fn diff_lines(w: &mut dyn Write, diff: &str, max_lines: usize) -> io::Result<()> {
    let total = diff.lines().count();
    for line in diff.lines().take(max_lines) {
        writeln!(w, "{}", terminal_safe(line))?;
    }
    if total > max_lines {
        writeln!(w, "... {} more lines of diff", total - max_lines)?;
    }
    Ok(())
}
