//! Which characters may appear in catalog text: the one definition the
//! checks, the terminal and markdown renderers and the diagnostics share.

/// Whether `c` must not appear in a value (line breaks aside): control
/// characters, bidirectional overrides and isolates, and invisible
/// formatting characters, which can hide or reorder text in terminals and
/// reviews.
pub fn is_forbidden(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
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
        for c in ['\n', 'a', ' ', 'é', 'あ', '→'] {
            assert!(!is_forbidden(c), "{c:?}");
        }
    }
}
