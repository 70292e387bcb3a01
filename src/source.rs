//! Source files: the text of one file with its display name, and line lookup
//! for rendering snippets.

use std::sync::{Arc, OnceLock};

/// The text of one file, as read, with the name diagnostics show for it.
/// A file without findings of its own may be kept as only the few lines that
/// later findings can point at ([`SourceFile::partial`]), to save memory on
/// large catalogs.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as shown to the user.
    pub name: Arc<str>,
    /// The file's text (UTF-8, byte order mark removed); empty for a partial file.
    pub text: String,
    /// For a partial file: the lines kept, by 1-based number.
    kept: Vec<(u32, String)>,
    /// Byte offsets where each line starts, computed on first use so that a
    /// file with many findings is not scanned once per finding.
    starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    /// A source file named `name` holding `text`.
    pub fn new(name: impl Into<Arc<str>>, text: impl Into<String>) -> Self {
        SourceFile {
            name: name.into(),
            text: text.into(),
            kept: Vec::new(),
            starts: OnceLock::new(),
        }
    }

    /// A file of which only some lines are kept.
    pub fn partial(name: impl Into<Arc<str>>, lines: Vec<(u32, String)>) -> Self {
        SourceFile {
            name: name.into(),
            text: String::new(),
            kept: lines,
            starts: OnceLock::new(),
        }
    }

    /// Whether only some lines are kept.
    pub fn is_partial(&self) -> bool {
        !self.kept.is_empty()
    }

    /// The text of 1-based line `line`, without its line break, if it is known.
    pub fn line(&self, line: u32) -> Option<&str> {
        if self.is_partial() {
            return self
                .kept
                .iter()
                .find(|(n, _)| *n == line)
                .map(|(_, l)| l.as_str());
        }
        let index = usize::try_from(line).ok()?.checked_sub(1)?;
        let starts = self.starts.get_or_init(|| line_starts(&self.text));
        let start = *starts.get(index)?;
        let rest = &self.text[start..];
        let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
        Some(&rest[..end])
    }
}

/// Byte offsets of the starts of the lines of `text`, counted as
/// [`split_lines`] counts them.
fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => starts.push(i + 1),
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                starts.push(i + 2);
                i += 1;
            }
            b'\r' => starts.push(i + 1),
            _ => {}
        }
        i += 1;
    }
    starts
}

/// Splits text into lines the way YAML counts them: `\n`, `\r\n` and a lone
/// `\r` each end a line.
pub fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        match current.find(['\n', '\r']) {
            Some(i) => {
                let skip = if current[i..].starts_with("\r\n") {
                    2
                } else {
                    1
                };
                rest = Some(&current[i + skip..]);
                Some(&current[..i])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

/// The 1-based line and character column of byte `offset` in `text`,
/// counting lines as [`split_lines`] does.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    split_lines(before)
        .enumerate()
        .last()
        .map_or((1, 1), |(i, line)| (i + 1, line.chars().count() + 1))
}

/// The byte offset of 1-based character column `column` in `line`, clamped
/// to the line's length.
pub fn byte_offset(line: &str, column: u32) -> usize {
    let skip = usize::try_from(column.saturating_sub(1)).unwrap_or(usize::MAX);
    line.char_indices()
        .nth(skip)
        .map_or(line.len(), |(offset, _)| offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_with_every_line_break() {
        let f = SourceFile::new("f", "a\r\nb\rc\nd");
        assert_eq!(f.line(1), Some("a"));
        assert_eq!(f.line(2), Some("b"));
        assert_eq!(f.line(3), Some("c"));
        assert_eq!(f.line(4), Some("d"));
        assert_eq!(f.line(5), None);
        assert_eq!(f.line(0), None);
    }

    #[test]
    fn line_lookup_agrees_with_split_lines() {
        for text in ["", "a", "a\n", "a\n\n", "\r\r\n\n", "é\r\nü\rx\n", "a\r"] {
            let f = SourceFile::new("f", text);
            let lines: Vec<&str> = split_lines(text).collect();
            for (i, line) in lines.iter().enumerate() {
                assert_eq!(f.line(i as u32 + 1), Some(*line), "{text:?} line {}", i + 1);
            }
            assert_eq!(f.line(lines.len() as u32 + 1), None, "{text:?}");
        }
    }

    #[test]
    fn partial_files_keep_only_some_lines() {
        let f = SourceFile::partial("f", vec![(3, "id: x".into())]);
        assert_eq!(f.line(3), Some("id: x"));
        assert_eq!(f.line(1), None);
    }

    #[test]
    fn line_and_column_of_an_offset() {
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_column("ab\r\ncé", 6), (2, 3));
        assert_eq!(line_column("", 0), (1, 1));
    }

    #[test]
    fn offsets_count_characters() {
        assert_eq!(byte_offset("héllo", 3), 3);
        assert_eq!(byte_offset("héllo", 1), 0);
        assert_eq!(byte_offset("ab", 9), 2);
    }
}
