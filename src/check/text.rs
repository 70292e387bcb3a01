//! The rule on characters: no control, bidirectional or invisible formatting
//! characters in any key or value.

use crate::diag::Code;
use crate::load::yaml::{Finding, Node, Value, escape_token};

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
    walk(root, "", false, &mut out);
    out
}

fn walk(node: &Node, pointer: &str, multi_line: bool, out: &mut Vec<Finding>) {
    match &node.value {
        Value::Scalar(s) => check_text(&s.text, node, multi_line, out),
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, &format!("{pointer}/{i}"), multi_line, out);
            }
        }
        Value::Map(entries) => {
            for (key, value) in entries {
                let text = crate::load::yaml::key_text(key);
                check_text(&text, key, false, out);
                let child = format!("{pointer}/{}", escape_token(&text));
                walk(value, &child, MULTI_LINE.contains(&text.as_str()), out);
            }
        }
    }
}

fn check_text(text: &str, node: &Node, multi_line: bool, out: &mut Vec<Finding>) {
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
