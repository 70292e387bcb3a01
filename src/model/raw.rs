//! An entry as written: every field optional, every value as the file
//! spells it. The checker builds it from the document after removing the
//! values the schema refused, so the rules can still look at every value
//! that is sound while a neighbour is not.

use std::collections::BTreeMap;

use serde::Deserialize;

/// One tool entry as written. Unknown keys are ignored here: the schema
/// reports them.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct RawEntry {
    /// `schema_version`
    pub schema_version: Option<String>,
    /// `id`
    pub id: Option<String>,
    /// `name`
    pub name: Option<String>,
    /// `summary`
    pub summary: Option<String>,
    /// `description`
    pub description: Option<String>,
    /// `homepage`
    pub homepage: Option<String>,
    /// `documentation`
    pub documentation: Option<String>,
    /// `repository`
    pub repository: Option<String>,
    /// `license`
    pub license: Option<String>,
    /// `packages` (schema 1.1.0): Package URLs.
    pub packages: Option<Vec<Option<String>>>,
    /// `maintainers`
    pub maintainers: Option<Vec<Option<RawMaintainer>>>,
    /// `categories`
    pub categories: Option<Vec<Option<String>>>,
    /// `risks`
    pub risks: Option<Vec<Option<String>>>,
    /// `lifecycle`
    pub lifecycle: Option<Vec<Option<String>>>,
    /// `modalities`
    pub modalities: Option<Vec<Option<String>>>,
    /// `languages`
    pub languages: Option<Vec<Option<String>>>,
    /// `interfaces`
    pub interfaces: Option<Vec<Option<String>>>,
    /// `tags`
    pub tags: Option<Vec<Option<String>>>,
    /// `versions`
    pub versions: Option<Vec<Option<RawRelease>>>,
    /// `vetting`
    pub vetting: Option<RawVetting>,
    /// `related`
    pub related: Option<Vec<Option<String>>>,
    /// `notes`
    pub notes: Option<String>,
    /// `mappings`: framework items the tool itself implements.
    pub mappings: Option<Vec<Option<RawToolMapping>>>,
}

/// A tool-level framework mapping as written.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct RawToolMapping {
    /// `framework`
    pub framework: Option<String>,
    /// `item`
    pub item: Option<String>,
    /// `source`
    pub source: Option<String>,
    /// `note`
    pub note: Option<String>,
}

/// A maintainer as written.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct RawMaintainer {
    /// `name`
    pub name: Option<String>,
    /// `url`
    pub url: Option<String>,
    /// `email`
    pub email: Option<String>,
}

/// A release as written.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct RawRelease {
    /// `version`
    pub version: Option<String>,
    /// `released`
    pub released: Option<String>,
    /// `requires`: platform id to requirement.
    pub requires: Option<BTreeMap<String, Option<RawRequirement>>>,
    /// `notes`
    pub notes: Option<String>,
    /// `advisories` (schema 2.2.0): ids of the security advisories known
    /// to affect the release.
    pub advisories: Option<Vec<Option<String>>>,
}

/// A requirement as written: one text, or (schema 2.0.0) a list of texts,
/// one per `Requires-Dist` line.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum RawRequirement {
    /// One text.
    One(String),
    /// Several texts.
    Many(Vec<Option<String>>),
}

impl RawRequirement {
    /// The text, when there is exactly one written as a string.
    pub fn as_one(&self) -> Option<&str> {
        match self {
            RawRequirement::One(t) => Some(t),
            RawRequirement::Many(_) => None,
        }
    }
}

/// The vetting record as written.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct RawVetting {
    /// `status`
    pub status: Option<String>,
    /// `reviewed`
    pub reviewed: Option<String>,
    /// `reviewers`
    pub reviewers: Option<Vec<Option<String>>>,
    /// `evidence`
    pub evidence: Option<Vec<Option<String>>>,
    /// `next_review`
    pub next_review: Option<String>,
    /// `notes`
    pub notes: Option<String>,
}

/// The items of an optional list that are present, with their indices
/// (indices stay those of the file, so findings point at the right item).
pub fn items<T>(list: &Option<Vec<Option<T>>>) -> impl Iterator<Item = (usize, &T)> {
    list.iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, v)| v.as_ref().map(|v| (i, v)))
}
