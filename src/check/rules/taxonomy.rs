//! Rules on the taxonomy: each term once per vocabulary, references to
//! listed sources, https links.

use std::collections::HashMap;
use std::fmt;

use super::Emit;
use crate::model::{Taxonomy, Vocabulary};
use crate::schema::shown;
use crate::suggest::closest;

/// A term defined twice.
struct DuplicateTerm<'a> {
    vocabulary: Vocabulary,
    id: &'a str,
    first: usize,
}

impl fmt::Display for DuplicateTerm<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the {} `{}` is defined twice (first as {}[{}]); keep one",
            self.vocabulary.noun(),
            self.id,
            self.vocabulary.key(),
            self.first
        )
    }
}

/// A reference to a source the taxonomy does not list.
struct UnresolvedSource<'a> {
    reference: &'a str,
    suggestion: Option<&'a str>,
}

impl fmt::Display for UnresolvedSource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not the id of an item of `sources`",
            shown(self.reference)
        )?;
        if let Some(s) = self.suggestion {
            write!(f, "; did you mean `{s}`?")?;
        }
        Ok(())
    }
}

crate::message_code!(DuplicateTerm<'a> => DuplicateTerm, UnresolvedSource<'a> => UnresolvedSource);

/// `duplicate-term` and `unresolved-source`.
pub fn terms(taxonomy: &Taxonomy, out: &mut Emit<'_>) {
    let sources: Vec<&str> = taxonomy.sources.iter().map(|s| s.id.as_str()).collect();
    for vocabulary in Vocabulary::ALL {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, term) in taxonomy.terms(vocabulary).iter().enumerate() {
            if let Some(&first) = seen.get(term.id.as_str()) {
                out.value(
                    format!("/{}/{i}/id", vocabulary.key()),
                    &DuplicateTerm {
                        vocabulary,
                        id: &term.id,
                        first,
                    },
                );
            } else {
                seen.insert(term.id.as_str(), i);
            }
            for (r, reference) in term.references.iter().enumerate() {
                if !sources.contains(&reference.as_str()) {
                    out.value(
                        format!("/{}/{i}/references/{r}", vocabulary.key()),
                        &UnresolvedSource {
                            reference,
                            suggestion: closest(reference, sources.iter().copied()),
                        },
                    );
                }
            }
        }
    }
}

/// `insecure-url` and `invalid-url` on the sources' links.
pub fn links(taxonomy: &Taxonomy, out: &mut Emit<'_>) {
    for (i, source) in taxonomy.sources.iter().enumerate() {
        if let Err(bad) = super::check_url(&source.url) {
            out.value(format!("/sources/{i}/url"), &bad);
        }
    }
}
