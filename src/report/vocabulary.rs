//! `taxonomy`: the terms of one vocabulary with their titles and how many
//! tools use each, so the ids to filter by can be browsed without the
//! taxonomy file (which `cargo install` does not put anywhere).

use crate::model::{Entry, Taxonomy, Vocabulary};

/// One term and the number of tools that use it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermCount {
    /// The term's id, as filters take it.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Tools that name it (for platforms: that state a requirement on it).
    pub tools: usize,
}

/// The header of the table of a vocabulary.
pub const HEADER: [&str; 3] = ["ID", "TOOLS", "TITLE"];

impl TermCount {
    /// The cells under [`HEADER`].
    pub fn cells(&self) -> Vec<String> {
        vec![self.id.clone(), self.tools.to_string(), self.title.clone()]
    }
}

/// Every term of `vocabulary`, in taxonomy order, counted over `entries`.
pub fn terms<'a>(
    taxonomy: &Taxonomy,
    vocabulary: Vocabulary,
    entries: impl IntoIterator<Item = &'a Entry> + Clone,
) -> Vec<TermCount> {
    taxonomy
        .terms(vocabulary)
        .iter()
        .map(|t| TermCount {
            id: t.id.clone(),
            title: t.title.clone(),
            tools: entries
                .clone()
                .into_iter()
                .filter(|e| uses(e, vocabulary, &t.id))
                .count(),
        })
        .collect()
}

fn uses(entry: &Entry, vocabulary: Vocabulary, id: &str) -> bool {
    let named = |ids: &[crate::model::TermId]| ids.iter().any(|x| x == id);
    match vocabulary {
        Vocabulary::Categories => named(&entry.categories),
        Vocabulary::Risks => named(&entry.risks),
        Vocabulary::Lifecycle => named(&entry.lifecycle),
        Vocabulary::Modalities => named(&entry.modalities),
        Vocabulary::Interfaces => named(&entry.interfaces),
        Vocabulary::Platforms => entry
            .versions
            .iter()
            .any(|r| r.requires.keys().any(|p| p.as_str() == id)),
    }
}
