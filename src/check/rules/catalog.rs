//! Rules across entries: ids are unique, `related` resolves.

use std::collections::BTreeMap;
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

fn by_id<'a>(entries: &[&'a Identity]) -> BTreeMap<&'a str, Vec<usize>> {
    let mut by_id: BTreeMap<&'a str, Vec<usize>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        by_id.entry(&e.id).or_default().push(i);
    }
    by_id
}

/// `duplicate-id`.
pub fn duplicate_ids(entries: &[&Identity], out: &mut CatalogEmit<'_>) {
    for indices in by_id(entries).values() {
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
    let by_id = by_id(entries);
    let mut suggestions_left = 200usize;
    for e in entries {
        for (related, span) in &e.related {
            if related == &e.id {
                out.at(&e.file, *span, &RelatedToItself);
                continue;
            }
            if by_id.contains_key(&**related) {
                continue;
            }
            let suggestion = if suggestions_left > 0 {
                suggestions_left -= 1;
                crate::suggest::closest(related, by_id.keys().copied())
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
