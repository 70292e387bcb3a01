//! The taxonomy: the vocabularies entries draw their ids from.

use serde::{Deserialize, Serialize};

use super::framework::Mapping;

/// One term of a vocabulary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// Stable id.
    pub id: String,
    /// Display title.
    pub title: String,
    /// What it means.
    pub description: String,
    /// Ids of the taxonomy's sources this term draws on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    /// Items of published frameworks it corresponds to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mappings: Vec<Mapping>,
    /// Why no listed tool covers it yet, when that is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gap: Option<String>,
    /// A platform's package, as a Package URL without version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    /// A platform that is a runtime rather than a package: which one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime: Option<String>,
}

/// A published framework the taxonomy is grounded in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Stable id.
    pub id: String,
    /// Name of the framework.
    pub title: String,
    /// Where to read it.
    pub url: String,
}

/// The whole taxonomy file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Taxonomy {
    /// Format version of the taxonomy file.
    pub schema_version: String,
    /// Frameworks the taxonomy is grounded in.
    #[serde(default)]
    pub sources: Vec<Source>,
    /// Tool categories.
    pub categories: Vec<Term>,
    /// Risks tools address.
    pub risks: Vec<Term>,
    /// Lifecycle stages.
    pub lifecycle: Vec<Term>,
    /// Data modalities.
    pub modalities: Vec<Term>,
    /// How tools are used.
    pub interfaces: Vec<Term>,
    /// Platforms that requirements name.
    pub platforms: Vec<Term>,
}

/// The vocabularies of the taxonomy, named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Vocabulary {
    /// `categories`
    Categories,
    /// `risks`
    Risks,
    /// `lifecycle`
    Lifecycle,
    /// `modalities`
    Modalities,
    /// `interfaces`
    Interfaces,
    /// `platforms`
    Platforms,
}

impl Vocabulary {
    /// Every vocabulary, in file order.
    pub const ALL: [Vocabulary; 6] = [
        Vocabulary::Categories,
        Vocabulary::Risks,
        Vocabulary::Lifecycle,
        Vocabulary::Modalities,
        Vocabulary::Interfaces,
        Vocabulary::Platforms,
    ];

    /// The key in the taxonomy file.
    pub fn key(self) -> &'static str {
        match self {
            Vocabulary::Categories => "categories",
            Vocabulary::Risks => "risks",
            Vocabulary::Lifecycle => "lifecycle",
            Vocabulary::Modalities => "modalities",
            Vocabulary::Interfaces => "interfaces",
            Vocabulary::Platforms => "platforms",
        }
    }

    /// The singular noun with its article, for messages: "a category", "an interface".
    pub fn a_noun(self) -> String {
        let noun = self.noun();
        let article = if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        format!("{article} {noun}")
    }

    /// The singular noun, for messages: "category", "risk".
    pub fn noun(self) -> &'static str {
        match self {
            Vocabulary::Categories => "category",
            Vocabulary::Risks => "risk",
            Vocabulary::Lifecycle => "lifecycle stage",
            Vocabulary::Modalities => "modality",
            Vocabulary::Interfaces => "interface",
            Vocabulary::Platforms => "platform",
        }
    }
}

impl Taxonomy {
    /// The terms of one vocabulary.
    pub fn terms(&self, vocabulary: Vocabulary) -> &[Term] {
        match vocabulary {
            Vocabulary::Categories => &self.categories,
            Vocabulary::Risks => &self.risks,
            Vocabulary::Lifecycle => &self.lifecycle,
            Vocabulary::Modalities => &self.modalities,
            Vocabulary::Interfaces => &self.interfaces,
            Vocabulary::Platforms => &self.platforms,
        }
    }

    /// Whether `id` is a term of `vocabulary`.
    pub fn contains(&self, vocabulary: Vocabulary, id: &str) -> bool {
        self.terms(vocabulary).iter().any(|t| t.id == id)
    }

    /// The term `id` of `vocabulary`.
    pub fn term(&self, vocabulary: Vocabulary, id: &str) -> Option<&Term> {
        self.terms(vocabulary).iter().find(|t| t.id == id)
    }
}
