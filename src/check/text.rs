//! The rule on characters: no control, bidirectional or invisible formatting
//! characters in any key or value.

use crate::diag::Code;
use crate::load::yaml::{Finding, Node, Value};

/// Keys whose values may span several lines.
const MULTI_LINE: &[&str] = &["description", "notes"];

/// Whether `c` must not appear in a value (line breaks aside).
pub fn is_forbidden(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Finds forbidden characters in every key and value of the tree.
pub fn check(root: &Node) -> Vec<Finding> {
    let mut out = Vec::new();
    // (node, whether its strings may span lines); iterative, so any depth is fine.
    let mut stack = vec![(root, false)];
    while let Some((node, multi_line)) = stack.pop() {
        match &node.value {
            Value::Scalar(s) => check_text(&s.text, node, multi_line, &mut out),
            Value::Seq(items) => stack.extend(items.iter().rev().map(|i| (i, multi_line))),
            Value::Map(entries) => {
                for (key, value) in entries.iter().rev() {
                    let text = match &key.value {
                        Value::Scalar(s) => s.text.as_str(),
                        _ => "",
                    };
                    stack.push((value, MULTI_LINE.contains(&text)));
                    stack.push((key, false));
                }
            }
        }
    }
    out
}

fn check_text(text: &str, node: &Node, multi_line: bool, out: &mut Vec<Finding>) {
    // Fast path: printable ASCII (and line breaks where allowed) needs no
    // per-character decoding.
    let plain = text
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) || (b == b'\n' && multi_line));
    if plain {
        return;
    }
    let bad = text
        .chars()
        .find(|&c| is_forbidden(c) || (c == '\n' && !multi_line));
    if let Some(c) = bad {
        let what = if c == '\n' {
            "a line break; only `description` and `notes` may span several lines".to_string()
        } else {
            format!(
                "the character U+{:04X}, which can hide or reorder text in terminals and reviews; remove it",
                u32::from(c)
            )
        };
        out.push(Finding {
            code: Code::ControlCharacter,
            span: node.span,
            message: format!("this value contains {what}"),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::{YamlLimits, parse};

    fn findings(text: &str) -> Vec<Finding> {
        check(&parse(text, &YamlLimits::default()).root.expect("parses"))
    }

    #[test]
    fn escapes_and_bidi_are_found() {
        assert_eq!(findings("name: \"a\\e[31mred\"\n").len(), 1);
        assert_eq!(findings("name: \"a\\u202Eb\"\n").len(), 1);
        assert_eq!(findings("name: \"tab\\there\"\n").len(), 1);
        assert_eq!(findings("\"k\\u0007\": 1\n").len(), 1);
    }

    #[test]
    fn line_breaks_only_in_multi_line_fields() {
        assert!(findings("description: |\n  a\n  b\n").is_empty());
        assert!(findings("vetting:\n  notes: |\n    a\n    b\n").is_empty());
        assert_eq!(findings("name: \"a\\nb\"\n").len(), 1);
    }

    #[test]
    fn ordinary_unicode_is_fine() {
        assert!(findings("name: 日本語 — Ünïcode ✓\n").is_empty());
    }
}
