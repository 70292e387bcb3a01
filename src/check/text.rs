//! The rule on characters: no control, bidirectional or invisible formatting
//! characters in any key or value.
//!
//! Two codes: `control-character` for control characters and the
//! bidirectional and zero-width characters it always covered, and
//! `invisible-character` for every other character that Unicode says is not
//! shown: default-ignorable code points, format characters (general category
//! Cf) and the tag block U+E0000..U+E007F ("ASCII smuggling"), decided from
//! the Unicode character database (`icu_properties`), not a hand list; plus
//! the line and paragraph separators U+2028/U+2029 in one-line fields.

use crate::diag::{Code, Pos, Span};
use crate::load::yaml::{Finding, Node, Value};
pub use crate::text::{is_control, is_forbidden, is_invisible};

/// Keys whose values may span several lines.
const MULTI_LINE: &[&str] = &["description", "notes"];

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
    let separator = |c: char| matches!(c, '\u{2028}' | '\u{2029}') && !multi_line;
    let bad = text.chars().enumerate().find(|&(_, c)| {
        is_control(c) || is_invisible(c) || separator(c) || (c == '\n' && !multi_line)
    });
    let Some((index, c)) = bad else { return };
    let (code, what) = if c == '\n' {
        (
            Code::ControlCharacter,
            "a line break; only `description` and `notes` may span several lines".to_string(),
        )
    } else if is_control(c) {
        (
            Code::ControlCharacter,
            format!(
                "the character U+{:04X}, which can hide or reorder text in terminals and reviews; remove it",
                u32::from(c)
            ),
        )
    } else if separator(c) {
        (
            Code::InvisibleCharacter,
            format!(
                "the line separator U+{:04X}; this field is one line, so remove it",
                u32::from(c)
            ),
        )
    } else {
        (
            Code::InvisibleCharacter,
            format!(
                "the invisible character U+{:04X}, which people do not see but programs (and language models) read; remove it",
                u32::from(c)
            ),
        )
    };
    // `control-character` keeps pointing at the value, as it always has;
    // the new code points at the character itself.
    let span = if code == Code::InvisibleCharacter {
        char_span(node, text, index)
    } else {
        node.span
    };
    out.push(Finding {
        code,
        span,
        message: format!("this value contains {what}"),
    });
}

/// Where the `index`-th character of a scalar's text is written: exact when
/// the scalar is one line written as is (plain, or quoted without escapes:
/// its source is the text, maybe between quotes); the scalar's start
/// otherwise (escapes or block scalars, whose source differs from the text).
fn char_span(node: &Node, text: &str, index: usize) -> Span {
    let Span { start, end } = node.span;
    let chars = text.chars().count();
    let width = usize::try_from(end.column.saturating_sub(start.column)).unwrap_or(0);
    let offset = if start.line != end.line || text.contains('\n') {
        None
    } else if width == chars {
        Some(index)
    } else if width == chars + 2 {
        Some(index + 1)
    } else {
        None
    };
    match offset.and_then(|o| u32::try_from(o).ok()) {
        Some(o) => {
            let column = start.column.saturating_add(o);
            Span::point(Pos {
                line: start.line,
                column,
            })
        }
        None => node.span,
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

    #[test]
    fn invisible_characters_come_from_unicode_properties() {
        // Tags, invisible operators, deprecated format characters, Hangul
        // fillers, soft hyphen, Mongolian vowel separator, annotation marks:
        // none is in a hand list, all are found by property.
        for c in [
            '\u{E0041}',
            '\u{E0001}',
            '\u{E007F}',
            '\u{2062}',
            '\u{2064}',
            '\u{206A}',
            '\u{206F}',
            '\u{3164}',
            '\u{115F}',
            '\u{1160}',
            '\u{00AD}',
            '\u{180E}',
            '\u{FFF9}',
            '\u{FFFB}',
            '\u{200D}',
            '\u{FE0F}',
            '\u{1D173}',
        ] {
            assert!(is_invisible(c), "U+{:04X}", u32::from(c));
            assert!(is_forbidden(c), "U+{:04X}", u32::from(c));
        }
        for c in ['a', 'é', '日', '✓', '—', '\u{2028}', ' '] {
            assert!(!is_invisible(c), "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn invisible_characters_have_their_own_code_and_exact_column() {
        let found = findings("name: ab\u{E0041}\u{E0042}c\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, Code::InvisibleCharacter);
        assert_eq!(found[0].span.start, Pos { line: 1, column: 9 });
        let quoted = findings("name: 'ab\u{00AD}c'\n");
        assert_eq!(quoted[0].code, Code::InvisibleCharacter);
        assert_eq!(
            quoted[0].span.start,
            Pos {
                line: 1,
                column: 10
            }
        );
        // An escape makes source and text differ: the scalar's start.
        let escaped = findings("name: \"a\\u2062b\"\n");
        assert_eq!(escaped[0].code, Code::InvisibleCharacter);
        assert_eq!(escaped[0].span.start, Pos { line: 1, column: 7 });
    }

    #[test]
    fn line_separators_only_in_multi_line_fields() {
        let found = findings("name: a\u{2028}b\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, Code::InvisibleCharacter);
        assert_eq!(found[0].span.start, Pos { line: 1, column: 8 });
        assert!(findings("description: \"a\u{2029}b\"\n").is_empty());
    }
}
