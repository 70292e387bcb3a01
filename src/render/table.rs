//! Terminal tables (tabled), fitted to a width and free of control characters.

use tabled::builder::Builder;
use tabled::settings::peaker::Priority;
use tabled::settings::{Style, Width};

use crate::diag::render::terminal_safe;

/// Renders rows under a header as a table; when `width` is given, the widest
/// columns are truncated until the table fits.
pub fn render(header: &[&str], rows: &[Vec<String>], width: Option<usize>) -> String {
    let mut builder = Builder::default();
    builder.push_record(header.iter().map(|h| h.to_string()));
    for row in rows {
        builder.push_record(row.iter().map(|c| terminal_safe(c)));
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
