//! Edits to a file's text at positions the parser recorded, for the
//! commands that change entries (`migrate`, `refresh`): every byte outside
//! an edit stays as it was, so comments, key order, quoting and blank lines
//! survive, and a reviewer sees exactly the lines that changed. Nothing here
//! re-emits YAML.
//!
//! Positions are 1-based lines and 1-based columns counted in characters,
//! as the parser records them; [`offset`] turns one into a byte offset.

use std::fmt;

use thiserror::Error;

/// One change: the bytes `start..end` of the text become `text`. An
/// insertion has `start == end`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// First byte replaced.
    pub start: usize,
    /// One past the last byte replaced.
    pub end: usize,
    /// What replaces them.
    pub text: String,
}

impl Edit {
    /// Replaces the bytes `start..end` with `text`.
    pub fn replace(start: usize, end: usize, text: impl Into<String>) -> Edit {
        Edit {
            start,
            end,
            text: text.into(),
        }
    }

    /// Inserts `text` before the byte at `at`.
    pub fn insert(at: usize, text: impl Into<String>) -> Edit {
        Edit::replace(at, at, text)
    }
}

/// Why a set of edits cannot be applied. Each is a defect of the caller,
/// reported rather than risked: a file is never written half-edited.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum EditError {
    /// An edit reaches past the end of the text, or ends before it starts.
    #[error("an edit at bytes {start}..{end} lies outside a text of {len} bytes")]
    OutOfBounds {
        /// The edit's start.
        start: usize,
        /// The edit's end.
        end: usize,
        /// The text's length.
        len: usize,
    },
    /// An edit starts or ends inside a character.
    #[error("an edit at bytes {start}..{end} splits a character")]
    NotCharBoundary {
        /// The edit's start.
        start: usize,
        /// The edit's end.
        end: usize,
    },
    /// Two edits change the same bytes, or insert at the same place, so
    /// their order would be a guess.
    #[error("edits at bytes {first:?} and {second:?} overlap")]
    Overlap {
        /// The earlier edit's range.
        first: (usize, usize),
        /// The later edit's range.
        second: (usize, usize),
    },
}

/// The byte offset of `line`:`column` (1-based, columns in characters) in
/// `text`; the position just past a line's last character (its line break)
/// and the end of the text are valid. `None` when the position does not
/// exist.
pub fn offset(text: &str, line: u32, column: u32) -> Option<usize> {
    if line == 0 || column == 0 {
        return None;
    }
    let mut start = 0;
    for _ in 1..line {
        start += text[start..].find('\n')? + 1;
    }
    let rest = &text[start..];
    let line_end = rest.find('\n').unwrap_or(rest.len());
    let line_text = &rest[..line_end];
    let wanted = (column - 1) as usize;
    if wanted == line_text.chars().count() {
        return Some(start + line_end);
    }
    line_text
        .char_indices()
        .nth(wanted)
        .map(|(at, _)| start + at)
}

/// The byte offset where the line holding byte `at` starts.
pub fn line_start(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1)
}

/// The byte offset just past the line break of the line holding byte `at`
/// (the end of the text when that line has none).
pub fn next_line_start(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

/// Applies `edits` to `text`. The edits may come in any order; they must
/// not overlap (two insertions at one place count as overlapping, since
/// their order would be a guess — join them into one).
pub fn apply(text: &str, edits: &[Edit]) -> Result<String, EditError> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.start, e.end));
    for edit in &sorted {
        if edit.start > edit.end || edit.end > text.len() {
            return Err(EditError::OutOfBounds {
                start: edit.start,
                end: edit.end,
                len: text.len(),
            });
        }
        if !text.is_char_boundary(edit.start) || !text.is_char_boundary(edit.end) {
            return Err(EditError::NotCharBoundary {
                start: edit.start,
                end: edit.end,
            });
        }
    }
    for pair in sorted.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if b.start < a.end || b.start == a.start {
            return Err(EditError::Overlap {
                first: (a.start, a.end),
                second: (b.start, b.end),
            });
        }
    }
    let grown: usize = sorted.iter().map(|e| e.text.len()).sum();
    let mut out = String::with_capacity(text.len() + grown);
    let mut at = 0;
    for edit in sorted {
        out.push_str(&text[at..edit.start]);
        out.push_str(&edit.text);
        at = edit.end;
    }
    out.push_str(&text[at..]);
    Ok(out)
}

/// A unified diff (`diff -u` format, 3 lines of context) from `old` to
/// `new`, with `path` named as `a/PATH` and `b/PATH`; empty when they are
/// equal.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    Diff { path, old, new }.to_string()
}

struct Diff<'a> {
    path: &'a str,
    old: &'a str,
    new: &'a str,
}

impl fmt::Display for Diff<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let diff = similar::TextDiff::from_lines(self.old, self.new);
        let a = format!("a/{}", self.path);
        let b = format!("b/{}", self.path);
        write!(
            f,
            "{}",
            diff.unified_diff().context_radius(3).header(&a, &b)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_counts_lines_and_characters() {
        let text = "ab\nçd\n";
        assert_eq!(offset(text, 1, 1), Some(0));
        assert_eq!(offset(text, 1, 3), Some(2), "the line break");
        assert_eq!(offset(text, 2, 2), Some(5), "after the two-byte ç");
        assert_eq!(offset(text, 3, 1), Some(text.len()), "end of text");
        assert_eq!(offset(text, 2, 4), None);
        assert_eq!(offset(text, 4, 1), None);
        assert_eq!(offset(text, 0, 1), None);
    }

    #[test]
    fn line_starts_are_found_both_ways() {
        let text = "ab\ncd\nef";
        assert_eq!(line_start(text, 4), 3);
        assert_eq!(line_start(text, 0), 0);
        assert_eq!(next_line_start(text, 4), 6);
        assert_eq!(next_line_start(text, 7), text.len());
    }

    #[test]
    fn edits_apply_in_any_order_and_keep_every_other_byte() {
        let text = "a: 1 # one\nb: 2\n";
        let edits = [
            Edit::insert(text.len(), "c: 3\n"),
            Edit::replace(3, 4, "\"1.0\""),
        ];
        assert_eq!(
            apply(text, &edits).unwrap(),
            "a: \"1.0\" # one\nb: 2\nc: 3\n"
        );
    }

    #[test]
    fn overlapping_or_outside_edits_are_refused() {
        let text = "abcdef";
        assert!(matches!(
            apply(text, &[Edit::replace(1, 3, "x"), Edit::replace(2, 4, "y")]),
            Err(EditError::Overlap { .. })
        ));
        assert!(matches!(
            apply(text, &[Edit::insert(2, "x"), Edit::insert(2, "y")]),
            Err(EditError::Overlap { .. })
        ));
        assert!(matches!(
            apply(text, &[Edit::replace(4, 9, "x")]),
            Err(EditError::OutOfBounds { .. })
        ));
        assert!(matches!(
            apply("é", &[Edit::insert(1, "x")]),
            Err(EditError::NotCharBoundary { .. })
        ));
    }

    #[test]
    fn adjacent_edits_are_not_overlaps() {
        assert_eq!(
            apply(
                "abcd",
                &[Edit::replace(0, 2, "X"), Edit::replace(2, 4, "Y")]
            )
            .unwrap(),
            "XY"
        );
    }

    #[test]
    fn the_diff_names_the_file_and_shows_only_changed_lines() {
        let diff = unified_diff("catalog/tools/x.yaml", "a\nb\nc\n", "a\nB\nc\n");
        assert!(diff.starts_with("--- a/catalog/tools/x.yaml\n+++ b/catalog/tools/x.yaml\n"));
        assert!(diff.contains("-b\n+B\n"), "{diff}");
        assert_eq!(unified_diff("x", "same\n", "same\n"), "");
    }
}
