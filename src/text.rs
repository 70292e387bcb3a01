//! Which characters may appear in catalog text: the one definition the
//! checks, the terminal and markdown renderers and the diagnostics share.
//!
//! Control characters and the bidirectional and zero-width characters are
//! one class; every other character that Unicode says is not shown
//! (default-ignorable code points, format characters of general category
//! Cf, the tag block U+E0000..U+E007F used for "ASCII smuggling") is the
//! other, decided from the Unicode character database (`icu_properties`),
//! not a hand list.

use icu_properties::props::{DefaultIgnorableCodePoint, GeneralCategory};
use icu_properties::{CodePointMapData, CodePointSetData};

/// Whether `c` is a control character (line breaks aside) or one of the
/// bidirectional and zero-width characters that can hide or reorder text in
/// terminals and reviews.
pub fn is_control(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Whether Unicode says `c` is not shown: a default-ignorable code point, a
/// format character (Cf), or in the tag block.
pub fn is_invisible(c: char) -> bool {
    if c.is_ascii() {
        return false;
    }
    matches!(c, '\u{E0000}'..='\u{E007F}')
        || CodePointSetData::new::<DefaultIgnorableCodePoint>().contains(c)
        || CodePointMapData::<GeneralCategory>::new().get(c) == GeneralCategory::Format
}

/// Whether `c` must not appear in a value (line breaks aside), nor reach a
/// terminal or the index raw.
pub fn is_forbidden(c: char) -> bool {
    is_control(c) || is_invisible(c)
}

/// Text from a file, made safe and short for a message.
pub fn shown(text: &str) -> String {
    truncate(
        &text
            .chars()
            .flat_map(char::escape_debug)
            .collect::<String>(),
        80,
    )
}

/// `text` cut to `max` characters, with `…` where it was cut.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut t: String = text.chars().take(max).collect();
        t.push('…');
        t
    }
}

/// The items joined by `separator` (ids, tags, languages).
pub fn join<T: AsRef<str>>(items: &[T], separator: &str) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(item.as_ref());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::is_forbidden;

    #[test]
    fn controls_and_bidi_are_forbidden_text_and_line_breaks_are_not() {
        for c in [
            '\u{1b}', '\u{7}', '\r', '\t', '\u{202E}', '\u{2067}', '\u{200B}', '\u{FEFF}',
        ] {
            assert!(is_forbidden(c), "{c:?}");
        }
        for c in ['\u{E0041}', '\u{3164}', '\u{00AD}', '\u{2062}'] {
            assert!(is_forbidden(c), "{c:?}");
        }
        for c in ['\n', 'a', ' ', 'é', 'あ', '→'] {
            assert!(!is_forbidden(c), "{c:?}");
        }
    }
}
