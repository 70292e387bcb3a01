//! The catalog's mappings as an SSSOM mapping set (Simple Standard for
//! Sharing Ontological Mappings): one row per mapping of a taxonomy term
//! (risk, category, …) to a framework item, with its SKOS predicate, and one
//! per tool-level mapping of an entry. [`crate::render::sssom`] writes it as
//! SSSOM/TSV.

use crate::model::{Entry, Frameworks, Settings, Taxonomy, Vocabulary};

/// The namespace of the catalog's own identifiers (terms, tools and the
/// frameworks' items as the catalog names them). Not dereferenceable: the
/// catalog has no web address of its own; the same base names the schemas.
pub const BASE: &str = "https://alliance-catalog.invalid/";

/// How every mapping was made: by hand, by the catalog's maintainers.
pub const JUSTIFICATION: &str = "semapv:ManualMappingCuration";

/// The predicate of a tool-level mapping (the tool implements or tests for
/// the item): the weakest SKOS mapping relation.
pub const TOOL_PREDICATE: &str = "skos:relatedMatch";

/// The columns written, in order; the first four are the ones SSSOM requires.
pub const COLUMNS: [&str; 10] = [
    "subject_id",
    "subject_label",
    "predicate_id",
    "object_id",
    "object_label",
    "mapping_justification",
    "subject_source",
    "object_source",
    "object_source_version",
    "comment",
];

/// The mapping set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappingSet {
    /// Prefix → expansion, for every CURIE in the rows, sorted by prefix.
    pub curie_map: Vec<(String, String)>,
    /// `mapping_set_id`.
    pub id: String,
    /// `mapping_set_title`.
    pub title: String,
    /// `mapping_set_description`.
    pub description: String,
    /// `license`, as a URL.
    pub license: String,
    /// The rows, sorted by subject, object and predicate.
    pub rows: Vec<Row>,
}

/// One mapping.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Row {
    /// `risk:prompt-injection`, `tool:garak`.
    pub subject_id: String,
    /// The term's title or the tool's name.
    pub subject_label: String,
    /// `skos:exactMatch` …
    pub predicate_id: String,
    /// `owasp-llm-2025:LLM01`.
    pub object_id: String,
    /// The item's title.
    pub object_label: String,
    /// Always [`JUSTIFICATION`].
    pub mapping_justification: String,
    /// `catalog:taxonomy` or `catalog:tools`.
    pub subject_source: String,
    /// The framework's public address.
    pub object_source: String,
    /// The framework's edition.
    pub object_source_version: String,
    /// The mapping's note; for a tool, where its documentation says so.
    pub comment: String,
}

/// The CURIE prefix of a vocabulary's terms.
fn prefix(vocabulary: Vocabulary) -> &'static str {
    match vocabulary {
        Vocabulary::Categories => "category",
        Vocabulary::Risks => "risk",
        Vocabulary::Lifecycle => "lifecycle",
        Vocabulary::Modalities => "modality",
        Vocabulary::Interfaces => "interface",
        Vocabulary::Platforms => "platform",
    }
}

/// Builds the mapping set of the taxonomy and of `entries`. Mappings to a
/// framework the catalog does not hold are left out (`validate` reports
/// them; a catalog with errors is not exported at all).
pub fn mapping_set(
    settings: &Settings,
    taxonomy: &Taxonomy,
    frameworks: &Frameworks,
    entries: &[&Entry],
    license: &str,
) -> MappingSet {
    let mut rows = Vec::new();
    let mut prefixes: Vec<(String, String)> = vec![
        ("catalog".into(), BASE.to_string()),
        (
            "semapv".into(),
            "https://w3id.org/semapv/vocab/".to_string(),
        ),
        (
            "skos".into(),
            "http://www.w3.org/2004/02/skos/core#".to_string(),
        ),
    ];
    let mut used_frameworks = std::collections::BTreeSet::new();
    let mut object = |framework: &str, item: &str| {
        let f = frameworks.get(framework)?;
        let title = f.item(item)?.title.clone();
        used_frameworks.insert(f.id.clone());
        Some((
            format!("{}:{item}", f.id),
            title,
            f.source.clone(),
            f.edition.clone(),
        ))
    };
    for vocabulary in Vocabulary::ALL {
        for term in taxonomy.terms(vocabulary) {
            for m in &term.mappings {
                let Some((object_id, object_label, source, edition)) =
                    object(&m.framework, &m.item)
                else {
                    continue;
                };
                rows.push(Row {
                    subject_id: format!("{}:{}", prefix(vocabulary), term.id),
                    subject_label: term.title.clone(),
                    predicate_id: m.relation.skos().to_string(),
                    object_id,
                    object_label,
                    mapping_justification: JUSTIFICATION.to_string(),
                    subject_source: "catalog:taxonomy".to_string(),
                    object_source: source,
                    object_source_version: edition,
                    comment: m.note.clone().unwrap_or_default(),
                });
            }
        }
    }
    for e in entries {
        for m in &e.mappings {
            let Some((object_id, object_label, source, edition)) = object(&m.framework, &m.item)
            else {
                continue;
            };
            let mut comment = format!(
                "the tool implements or tests for the item; source: {}",
                m.source
            );
            if let Some(note) = &m.note {
                comment.push_str("; ");
                comment.push_str(note);
            }
            rows.push(Row {
                subject_id: format!("tool:{}", e.id),
                subject_label: e.name.clone(),
                predicate_id: TOOL_PREDICATE.to_string(),
                object_id,
                object_label,
                mapping_justification: JUSTIFICATION.to_string(),
                subject_source: "catalog:tools".to_string(),
                object_source: source,
                object_source_version: edition,
                comment,
            });
        }
    }
    rows.sort();
    rows.dedup();
    let used_vocabularies: std::collections::BTreeSet<&str> = rows
        .iter()
        .filter_map(|r| r.subject_id.split_once(':').map(|(p, _)| p))
        .collect();
    for vocabulary in Vocabulary::ALL {
        let p = prefix(vocabulary);
        if used_vocabularies.contains(p) {
            prefixes.push((p.to_string(), format!("{BASE}{}/", vocabulary.key())));
        }
    }
    if used_vocabularies.contains("tool") {
        prefixes.push(("tool".into(), format!("{BASE}tools/")));
    }
    for f in used_frameworks {
        prefixes.push((f.clone(), format!("{BASE}frameworks/{f}/")));
    }
    prefixes.sort();
    MappingSet {
        curie_map: prefixes,
        id: format!("{BASE}mappings.sssom.tsv"),
        title: format!("{}: mappings to AI-risk frameworks", settings.name),
        description: "Each risk and category of the catalog's taxonomy mapped to items of published frameworks (SKOS relations), and the framework items that tools state they implement or test for.".to_string(),
        license: license.to_string(),
        rows,
    }
}
