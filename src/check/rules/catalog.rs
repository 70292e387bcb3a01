//! Rules across entries: ids are unique, `related` resolves.

use std::fmt;
use std::sync::Arc;

use super::CatalogEmit;
use crate::diag::Span;
use crate::schema::shown;

/// What the rules across entries need of one entry: far less than the entry.
#[derive(Debug, Default, Clone)]
pub struct Identity {
    /// The id.
    pub id: Box<str>,
    /// The ids of `related`, with their positions.
    pub related: Box<[(Box<str>, Span)]>,
    /// The file, as shown.
    pub file: Arc<str>,
    /// Where the id is.
    pub id_span: Span,
}

/// An id used by more than one file.
struct DuplicateId<'a> {
    id: &'a str,
    others: Vec<&'a str>,
    more: usize,
}

impl fmt::Display for DuplicateId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the id `{}` is also used by {}",
            self.id,
            self.others.join(", ")
        )?;
        if self.more > 0 {
            write!(f, ", {} more", self.more)?;
        }
        f.write_str("; give one of the entries another id, or merge them")
    }
}

/// `related` names the entry itself.
struct RelatedToItself;

impl fmt::Display for RelatedToItself {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an entry cannot be related to itself; remove its own id")
    }
}

/// `related` names no entry.
struct NoSuchEntry<'a> {
    id: &'a str,
    suggestion: Option<&'a str>,
}

impl fmt::Display for NoSuchEntry<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no entry of the catalog has the id `{}`", shown(self.id))?;
        if let Some(s) = self.suggestion {
            write!(f, "; did you mean `{s}`?")?;
        }
        Ok(())
    }
}

crate::message_code!(
    DuplicateId<'a> => DuplicateId,
    RelatedToItself => UnresolvedRelated,
    NoSuchEntry<'a> => UnresolvedRelated,
);

/// The indices of `entries` sorted by id, entries of one id in their
/// order: one small list rather than a map with a list per id, which at
/// 100,000 entries is the largest thing the check holds.
fn by_id(entries: &[&Identity]) -> Vec<usize> {
    let mut sorted: Vec<usize> = (0..entries.len()).collect();
    sorted.sort_by(|&a, &b| entries[a].id.cmp(&entries[b].id));
    sorted
}

/// The runs of `sorted` (from [`by_id`]) that share an id, by id.
fn runs<'s>(entries: &'s [&Identity], sorted: &'s [usize]) -> impl Iterator<Item = &'s [usize]> {
    sorted.chunk_by(move |&a, &b| entries[a].id == entries[b].id)
}

/// `duplicate-id`.
pub fn duplicate_ids(entries: &[&Identity], out: &mut CatalogEmit<'_>) {
    let sorted = by_id(entries);
    for indices in runs(entries, &sorted) {
        if indices.len() < 2 {
            continue;
        }
        for &this in indices {
            let others: Vec<&str> = indices
                .iter()
                .filter(|&&o| o != this)
                .take(3)
                .map(|&o| &*entries[o].file)
                .collect();
            let e = &entries[this];
            out.at(
                &e.file,
                e.id_span,
                &DuplicateId {
                    id: &e.id,
                    others,
                    more: indices.len().saturating_sub(4),
                },
            );
        }
    }
}

/// `unresolved-related`. Suggestions compare with every id, so how many are
/// made is capped: a catalog full of bad references stays linear.
pub fn related(entries: &[&Identity], out: &mut CatalogEmit<'_>) {
    let sorted = by_id(entries);
    let known = |id: &str| {
        sorted
            .binary_search_by(|&i| (*entries[i].id).cmp(id))
            .is_ok()
    };
    let mut suggestions_left = 200usize;
    for e in entries {
        for (related, span) in &e.related {
            if related == &e.id {
                out.at(&e.file, *span, &RelatedToItself);
                continue;
            }
            if known(related) {
                continue;
            }
            let suggestion = if suggestions_left > 0 {
                suggestions_left -= 1;
                let ids = runs(entries, &sorted).map(|run| &*entries[run[0]].id);
                crate::suggest::closest(related, ids)
            } else {
                None
            };
            out.at(
                &e.file,
                *span,
                &NoSuchEntry {
                    id: related,
                    suggestion,
                },
            );
        }
    }
}
