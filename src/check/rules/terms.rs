//! Taxonomy terms and language tags named by an entry.

use std::fmt;

use super::{Context, Emit};
use crate::diag::{At, Code, Message};
use crate::model::raw::items;
use crate::model::{RawEntry, Taxonomy, Vocabulary};
use crate::schema::shown;
use crate::suggest::closest;

/// An id that is not a term of its vocabulary.
struct UnknownTerm<'a> {
    taxonomy: &'a Taxonomy,
    vocabulary: Vocabulary,
    id: &'a str,
}

impl fmt::Display for UnknownTerm<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&unknown_term_message(
            self.taxonomy,
            self.vocabulary,
            self.id,
        ))
    }
}

impl Message for UnknownTerm<'_> {
    fn code(&self) -> Code {
        match self.vocabulary {
            Vocabulary::Categories => Code::UnknownCategory,
            Vocabulary::Risks => Code::UnknownRisk,
            Vocabulary::Lifecycle => Code::UnknownLifecycle,
            Vocabulary::Modalities => Code::UnknownModality,
            Vocabulary::Interfaces => Code::UnknownInterface,
            Vocabulary::Platforms => Code::UnknownPlatform,
        }
    }
}

/// The message for an id that is not in a vocabulary, with a suggestion.
pub fn unknown_term_message(taxonomy: &Taxonomy, vocabulary: Vocabulary, id: &str) -> String {
    let ids = taxonomy.terms(vocabulary).iter().map(|t| t.id.as_str());
    let hint = match closest(id, ids) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!(
            "the taxonomy's {} are: {}",
            vocabulary.key(),
            taxonomy
                .terms(vocabulary)
                .iter()
                .map(|t| t.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    format!(
        "`{}` is not {} of the taxonomy; {hint}",
        shown(id),
        vocabulary.a_noun()
    )
}

/// `unknown-category`, `unknown-risk`, … : every id an entry draws from the
/// taxonomy is one of its terms. Runs only when the taxonomy loaded.
pub fn check(entry: &RawEntry, ctx: &Context<'_>, out: &mut Emit<'_>) {
    let Some(taxonomy) = ctx.taxonomy else {
        return;
    };
    let lists = [
        (Vocabulary::Categories, &entry.categories),
        (Vocabulary::Risks, &entry.risks),
        (Vocabulary::Lifecycle, &entry.lifecycle),
        (Vocabulary::Modalities, &entry.modalities),
        (Vocabulary::Interfaces, &entry.interfaces),
    ];
    for (vocabulary, list) in lists {
        for (i, id) in items(list) {
            if !taxonomy.contains(vocabulary, id) {
                out.value(
                    format!("/{}/{i}", vocabulary.key()),
                    &UnknownTerm {
                        taxonomy,
                        vocabulary,
                        id,
                    },
                );
            }
        }
    }
    for (v, release) in items(&entry.versions) {
        for platform in release.requires.iter().flat_map(|r| r.keys()) {
            if !taxonomy.contains(Vocabulary::Platforms, platform) {
                out.at(
                    At::Key(format!("/versions/{v}/requires"), platform.clone()),
                    &UnknownTerm {
                        taxonomy,
                        vocabulary: Vocabulary::Platforms,
                        id: platform,
                    },
                );
            }
        }
    }
}

/// Whether `tag` is `any` or a well-formed BCP 47 language tag.
pub fn is_language_tag(tag: &str) -> bool {
    if tag == "any" {
        return true;
    }
    // BCP 47 allows 5-8 letter primary subtags, but none is registered:
    // natural languages use ISO 639 codes of 2 or 3 letters.
    let primary = tag.split('-').next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && tag.len() <= 35
        && icu_locale_core::LanguageIdentifier::try_from_str(tag).is_ok()
}

/// A language that is not a BCP 47 tag.
struct InvalidLanguage<'a> {
    tag: &'a str,
}

impl fmt::Display for InvalidLanguage<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match tag_for_name(self.tag) {
            Some(tag) => write!(
                f,
                "`{}` is not a BCP 47 language tag; did you mean `{tag}`?",
                shown(self.tag)
            ),
            None => write!(
                f,
                "`{}` is not a BCP 47 language tag; write e.g. `en`, `ja`, `no` or `pt-BR`, or `any`",
                shown(self.tag)
            ),
        }
    }
}

/// The BCP 47 tag of a language written by its English name (`German` is
/// `de`), for the languages tools most often name; `None` for others.
pub fn tag_for_name(name: &str) -> Option<&'static str> {
    const NAMES: &[(&str, &str)] = &[
        ("arabic", "ar"),
        ("bengali", "bn"),
        ("bulgarian", "bg"),
        ("catalan", "ca"),
        ("chinese", "zh"),
        ("croatian", "hr"),
        ("czech", "cs"),
        ("danish", "da"),
        ("dutch", "nl"),
        ("english", "en"),
        ("estonian", "et"),
        ("finnish", "fi"),
        ("french", "fr"),
        ("german", "de"),
        ("greek", "el"),
        ("hebrew", "he"),
        ("hindi", "hi"),
        ("hungarian", "hu"),
        ("indonesian", "id"),
        ("italian", "it"),
        ("japanese", "ja"),
        ("korean", "ko"),
        ("latvian", "lv"),
        ("lithuanian", "lt"),
        ("malay", "ms"),
        ("norwegian", "no"),
        ("persian", "fa"),
        ("polish", "pl"),
        ("portuguese", "pt"),
        ("romanian", "ro"),
        ("russian", "ru"),
        ("serbian", "sr"),
        ("slovak", "sk"),
        ("slovenian", "sl"),
        ("spanish", "es"),
        ("swahili", "sw"),
        ("swedish", "sv"),
        ("tamil", "ta"),
        ("thai", "th"),
        ("turkish", "tr"),
        ("ukrainian", "uk"),
        ("urdu", "ur"),
        ("vietnamese", "vi"),
    ];
    let lower = name.trim().to_ascii_lowercase();
    NAMES.iter().find(|(n, _)| *n == lower).map(|(_, t)| *t)
}

crate::message_code!(InvalidLanguage<'a> => InvalidLanguage);

/// `invalid-language`.
pub fn languages(entry: &RawEntry, _ctx: &Context<'_>, out: &mut Emit<'_>) {
    for (i, tag) in items(&entry.languages) {
        if !is_language_tag(tag) {
            out.value(format!("/languages/{i}"), &InvalidLanguage { tag });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_language_tag;

    #[test]
    fn language_tags() {
        for ok in ["en", "ja", "no", "pt-BR", "zh-Hant", "any"] {
            assert!(is_language_tag(ok), "{ok}");
        }
        for bad in ["english", "en_US!", "", "e"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }

    #[test]
    fn language_names_suggest_their_tags() {
        assert_eq!(super::tag_for_name("German"), Some("de"));
        assert_eq!(super::tag_for_name("japanese"), Some("ja"));
        assert_eq!(super::tag_for_name("Klingon"), None);
        let message = super::InvalidLanguage { tag: "German" }.to_string();
        assert!(message.ends_with("did you mean `de`?"), "{message}");
    }
}
