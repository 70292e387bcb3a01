//! Markdown output, with all escaping of entry text in one place.

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
            c if crate::check::text::is_forbidden(c) => out.push('\u{FFFD}'),
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
/// any other URL is shown as plain escaped text.
pub fn link(text: &str, url: &str) -> String {
    if crate::check::rules::check_url(url).is_ok() {
        let target = url
            .replace('(', "%28")
            .replace(')', "%29")
            .replace(' ', "%20")
            .replace('<', "%3C")
            .replace('>', "%3E");
        format!("[{}]({target})", escape_cell(text))
    } else {
        escape_cell(text)
    }
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

    #[test]
    fn links_only_for_https() {
        assert_eq!(link("X", "https://x.org/a"), "[X](https://x.org/a)");
        assert_eq!(link("X", "javascript:alert(1)"), "X");
    }
}
