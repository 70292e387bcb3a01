//! Frameworks: the edition-pinned id registries of `catalog/frameworks/`
//! (MITRE ATLAS, the OWASP Top 10 lists, NIST AI 600-1, …) that mappings of
//! the taxonomy and of entries name, and the mappings themselves.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

/// One framework file: one edition of a framework, as copied from its source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    /// Format version of the framework file.
    pub schema_version: String,
    /// The id mappings use, equal to the file name (`owasp-llm-2025`).
    pub id: String,
    /// Name of the framework, without edition.
    pub name: String,
    /// The edition the ids belong to.
    pub edition: String,
    /// Full title of the edition.
    pub title: String,
    /// The framework's public address.
    pub source: String,
    /// Licence of the copied data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    /// When the ids were copied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retrieved: Option<String>,
    /// Where the ids were read.
    pub retrieved_from: Vec<String>,
    /// Whether every item must be mapped or carry a gap note.
    #[serde(default)]
    pub mapped_in_full: bool,
    /// Notes for readers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// The ids of this edition.
    pub items: Vec<Item>,
    /// Other editions, recognised only to say what to write instead.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_editions: Vec<OtherEdition>,
}

/// One item of a framework's edition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// The id as the framework writes it.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its kind, where the framework has several (`technique`, `mitigation`).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The item it refines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Its page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// ATLAS: the tactics of a technique.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tactics: Vec<String>,
    /// ATLAS: the techniques a mitigation addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<String>,
    /// The catalog's note on why nothing maps to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gap: Option<String>,
}

/// Another edition of the same framework.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OtherEdition {
    /// Its edition.
    pub edition: String,
    /// The framework id someone would write for it (`owasp-llm-2023`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Superseded, draft, …
    pub status: String,
    /// Its ids.
    pub items: Vec<OtherItem>,
}

/// An item of another edition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OtherItem {
    /// The id in that edition.
    pub id: String,
    /// Its title in that edition.
    pub title: String,
    /// The items of the file's edition that continue it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub now: Vec<String>,
}

impl Framework {
    /// The item `id` of this edition.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    /// `name edition`, for headings: "OWASP Top 10 for LLM Applications 2025".
    pub fn display_name(&self) -> String {
        format!("{} {}", self.name, self.edition)
    }

    /// Whether this framework has ATLAS-style mitigations (items that
    /// address others), so that coverage can follow them.
    pub fn has_mitigations(&self) -> bool {
        self.items.iter().any(|i| !i.addresses.is_empty())
    }

    /// For each item, the items that address it (the inverse of
    /// `addresses`, exactly as the framework lists it: a mitigation of a
    /// technique is not taken to address its sub-techniques).
    pub fn addressed_by(&self) -> BTreeMap<&str, BTreeSet<&str>> {
        let mut out: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for m in &self.items {
            for t in &m.addresses {
                out.entry(t.as_str()).or_default().insert(m.id.as_str());
            }
        }
        out
    }
}

/// The frameworks of a catalog, by id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Frameworks {
    list: Vec<Framework>,
    /// Ids (file stems) of framework files that did not load: mappings to
    /// them are not judged, their files' own errors say what is wrong.
    broken: Vec<String>,
}

impl Frameworks {
    /// The registry of `list` (sorted by id; a second file with an id
    /// already seen is left out: the rules report it).
    pub fn new(mut list: Vec<Framework>) -> Frameworks {
        list.sort_by(|a, b| a.id.cmp(&b.id));
        list.dedup_by(|b, a| a.id == b.id);
        Frameworks {
            list,
            broken: Vec::new(),
        }
    }

    /// The same, knowing the stems of the framework files that did not load.
    pub fn with_broken(mut self, broken: Vec<String>) -> Frameworks {
        self.broken = broken;
        self
    }

    /// Whether `id` names a framework file that did not load.
    pub fn is_broken(&self, id: &str) -> bool {
        self.broken.iter().any(|b| b == id)
    }

    /// The framework `id`.
    pub fn get(&self, id: &str) -> Option<&Framework> {
        self.list
            .binary_search_by(|f| f.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.list[i])
    }

    /// Every framework, by id.
    pub fn iter(&self) -> impl Iterator<Item = &Framework> {
        self.list.iter()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The framework whose other edition is named `id` (`owasp-llm-2023`),
    /// with that edition.
    pub fn other_edition(&self, id: &str) -> Option<(&Framework, &OtherEdition)> {
        self.list.iter().find_map(|f| {
            f.other_editions
                .iter()
                .find(|e| e.id.as_deref() == Some(id))
                .map(|e| (f, e))
        })
    }
}

/// How a term relates to a framework item: the SKOS mapping relations, as
/// SSSOM uses them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// The same concept (`skos:exactMatch`).
    Exact,
    /// Close enough to use one for the other in most cases (`skos:closeMatch`).
    Close,
    /// The item is broader than the term (`skos:broadMatch`).
    Broad,
    /// The item is narrower than the term (`skos:narrowMatch`).
    Narrow,
    /// Associated, neither broader nor narrower (`skos:relatedMatch`).
    Related,
}

impl Relation {
    /// The lowercase name, as written.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Exact => "exact",
            Relation::Close => "close",
            Relation::Broad => "broad",
            Relation::Narrow => "narrow",
            Relation::Related => "related",
        }
    }

    /// The SKOS predicate as a CURIE, for SSSOM.
    pub fn skos(self) -> &'static str {
        match self {
            Relation::Exact => "skos:exactMatch",
            Relation::Close => "skos:closeMatch",
            Relation::Broad => "skos:broadMatch",
            Relation::Narrow => "skos:narrowMatch",
            Relation::Related => "skos:relatedMatch",
        }
    }
}

impl fmt::Display for Relation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A taxonomy term's mapping to a framework item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// The framework's id.
    pub framework: String,
    /// The item's id in that framework's edition.
    pub item: String,
    /// How the term relates to the item.
    pub relation: Relation,
    /// Why, where it is not evident.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An entry's own mapping to a framework item (an ATLAS mitigation the
/// tool implements), with where the tool's documentation says so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolMapping {
    /// The framework's id.
    pub framework: String,
    /// The item's id in that framework's edition.
    pub item: String,
    /// The tool's documentation that states it (https).
    pub source: String,
    /// A remark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A framework item written `framework:item` on the command line
/// (`owasp-llm-2025:LLM01`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ItemRef {
    /// The framework's id.
    pub framework: String,
    /// The item's id.
    pub item: String,
}

impl ItemRef {
    /// Splits `framework:item` at its first colon.
    pub fn parse(text: &str) -> Option<ItemRef> {
        let (framework, item) = text.split_once(':')?;
        (!framework.is_empty() && !item.is_empty()).then(|| ItemRef {
            framework: framework.to_string(),
            item: item.to_string(),
        })
    }
}

impl fmt::Display for ItemRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.framework, self.item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framework() -> Framework {
        serde_json::from_value(serde_json::json!({
            "schema_version": "1.0.0",
            "id": "mitre-atlas",
            "name": "MITRE ATLAS",
            "edition": "5.6.1",
            "title": "ATLAS",
            "source": "https://atlas.mitre.org/",
            "retrieved_from": ["x"],
            "items": [
                {"id": "AML.T0051", "title": "LLM Prompt Injection", "type": "technique"},
                {"id": "AML.T0051.000", "title": "Direct", "type": "subtechnique", "parent": "AML.T0051"},
                {"id": "AML.M0020", "title": "Generative AI Guardrails", "type": "mitigation",
                 "addresses": ["AML.T0051"]}
            ],
            "other_editions": [{"edition": "4.0", "id": "mitre-atlas-4", "status": "old",
                "items": [{"id": "AML.T0051", "title": "LLM Prompt Injection"}]}]
        }))
        .expect("a framework")
    }

    #[test]
    fn mitigations_address_exactly_what_the_framework_lists() {
        let f = framework();
        assert!(f.has_mitigations());
        let by = f.addressed_by();
        assert_eq!(
            by.get("AML.T0051")
                .map(|s| s.iter().copied().collect::<Vec<_>>()),
            Some(vec!["AML.M0020"])
        );
        // Not inherited by the sub-technique.
        assert!(!by.contains_key("AML.T0051.000"));
    }

    #[test]
    fn frameworks_are_found_by_id_and_by_another_edition() {
        let all = Frameworks::new(vec![framework()]);
        assert!(all.get("mitre-atlas").is_some());
        assert!(all.get("mitre").is_none());
        let (f, e) = all.other_edition("mitre-atlas-4").expect("other edition");
        assert_eq!((f.id.as_str(), e.edition.as_str()), ("mitre-atlas", "4.0"));
    }

    #[test]
    fn relations_are_skos_predicates() {
        for (r, skos) in [
            (Relation::Exact, "skos:exactMatch"),
            (Relation::Close, "skos:closeMatch"),
            (Relation::Broad, "skos:broadMatch"),
            (Relation::Narrow, "skos:narrowMatch"),
            (Relation::Related, "skos:relatedMatch"),
        ] {
            assert_eq!(r.skos(), skos);
            let parsed: Relation =
                serde_json::from_value(serde_json::json!(r.as_str())).expect("parses");
            assert_eq!(parsed, r);
        }
    }

    #[test]
    fn item_refs_split_at_the_first_colon() {
        let r = ItemRef::parse("owasp-llm-2025:LLM01").expect("parses");
        assert_eq!(
            (r.framework.as_str(), r.item.as_str()),
            ("owasp-llm-2025", "LLM01")
        );
        assert_eq!(r.to_string(), "owasp-llm-2025:LLM01");
        assert_eq!(
            ItemRef::parse("owasp-llm-2025:LLM06:2023").map(|r| r.item),
            Some("LLM06:2023".to_string())
        );
        assert!(ItemRef::parse("LLM01").is_none());
        assert!(ItemRef::parse(":LLM01").is_none());
        assert!(ItemRef::parse("owasp-llm-2025:").is_none());
    }
}
