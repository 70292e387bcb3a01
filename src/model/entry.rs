//! A tool entry as written (after the schema check), with the derived values
//! listings need.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::RawEntry;

/// One tool entry, typed. Built only from values that passed the schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Entry format version.
    pub schema_version: String,
    /// Identifier, equal to the file stem.
    pub id: String,
    /// Display name.
    pub name: String,
    /// One-line summary.
    pub summary: String,
    /// Longer markdown description.
    #[serde(default)]
    pub description: Option<String>,
    /// Project homepage.
    #[serde(default)]
    pub homepage: Option<String>,
    /// Documentation site.
    #[serde(default)]
    pub documentation: Option<String>,
    /// Source repository.
    pub repository: String,
    /// SPDX license expression.
    pub license: String,
    /// Package URLs of the tool's packages (schema 1.1.0).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub packages: Vec<String>,
    /// Maintainers.
    pub maintainers: Vec<Maintainer>,
    /// Category ids.
    pub categories: Vec<String>,
    /// Risk ids.
    pub risks: Vec<String>,
    /// Lifecycle stage ids.
    #[serde(default)]
    pub lifecycle: Vec<String>,
    /// Modality ids.
    pub modalities: Vec<String>,
    /// BCP 47 language tags, or `any`.
    #[serde(default)]
    pub languages: Vec<String>,
    /// Interface ids.
    pub interfaces: Vec<String>,
    /// Free tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Releases.
    pub versions: Vec<Release>,
    /// The catalog's review of the tool.
    pub vetting: Vetting,
    /// Ids of related entries.
    #[serde(default)]
    pub related: Vec<String>,
    /// Free notes.
    #[serde(default)]
    pub notes: Option<String>,
}

/// A maintainer of a tool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Maintainer {
    /// Person or organisation.
    pub name: String,
    /// Web page.
    #[serde(default)]
    pub url: Option<String>,
    /// Contact address.
    #[serde(default)]
    pub email: Option<String>,
}

/// One release of a tool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Release {
    /// Semver version.
    pub version: String,
    /// Release date, YYYY-MM-DD.
    pub released: String,
    /// Platform id -> semver requirement.
    #[serde(default)]
    pub requires: BTreeMap<String, String>,
    /// Notes on this release.
    #[serde(default)]
    pub notes: Option<String>,
}

/// Vetting status of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Reviewed independently under the catalog's criteria.
    Vetted,
    /// Facts checked by the maintainers; independent review pending.
    Provisional,
    /// Archived or superseded.
    Deprecated,
}

impl Status {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Vetted => "vetted",
            Status::Provisional => "provisional",
            Status::Deprecated => "deprecated",
        }
    }
}

/// The catalog's review of a tool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vetting {
    /// Outcome.
    pub status: Status,
    /// Date of the review.
    pub reviewed: String,
    /// Who reviewed.
    pub reviewers: Vec<String>,
    /// Links to the sources checked.
    #[serde(default)]
    pub evidence: Vec<String>,
    /// When the next review is due.
    #[serde(default)]
    pub next_review: Option<String>,
    /// Notes on the review.
    #[serde(default)]
    pub notes: Option<String>,
}

impl Status {
    /// The status named `text` in an entry.
    pub fn parse(text: &str) -> Option<Status> {
        match text {
            "vetted" => Some(Status::Vetted),
            "provisional" => Some(Status::Provisional),
            "deprecated" => Some(Status::Deprecated),
            _ => None,
        }
    }
}

fn list(values: Option<Vec<Option<String>>>) -> Option<Vec<String>> {
    values.unwrap_or_default().into_iter().collect()
}

impl Entry {
    /// The validated entry of an entry as written: `None` when a required
    /// value is missing or was refused by the schema.
    pub fn from_raw(raw: RawEntry) -> Option<Entry> {
        let vetting = raw.vetting?;
        let versions = raw
            .versions?
            .into_iter()
            .map(|r| {
                let r = r?;
                Some(Release {
                    version: r.version?,
                    released: r.released?,
                    requires: r
                        .requires
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(k, v)| v.map(|v| (k, v)))
                        .collect::<Option<_>>()?,
                    notes: r.notes,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        let maintainers = raw
            .maintainers?
            .into_iter()
            .map(|m| {
                let m = m?;
                Some(Maintainer {
                    name: m.name?,
                    url: m.url,
                    email: m.email,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Entry {
            schema_version: raw.schema_version?,
            id: raw.id?,
            name: raw.name?,
            summary: raw.summary?,
            description: raw.description,
            homepage: raw.homepage,
            documentation: raw.documentation,
            repository: raw.repository?,
            license: raw.license?,
            packages: list(raw.packages)?,
            maintainers,
            categories: list(Some(raw.categories?))?,
            risks: list(Some(raw.risks?))?,
            lifecycle: list(raw.lifecycle)?,
            modalities: list(Some(raw.modalities?))?,
            languages: list(raw.languages)?,
            interfaces: list(Some(raw.interfaces?))?,
            tags: list(raw.tags)?,
            versions,
            vetting: Vetting {
                status: Status::parse(vetting.status.as_deref()?)?,
                reviewed: vetting.reviewed?,
                reviewers: list(Some(vetting.reviewers?))?,
                evidence: list(vetting.evidence)?,
                next_review: vetting.next_review,
                notes: vetting.notes,
            },
            related: list(raw.related)?,
            notes: raw.notes,
        })
    }

    /// The newest release by semver order (falling back to the first listed
    /// when no version parses).
    pub fn latest(&self) -> Option<&Release> {
        self.versions
            .iter()
            .filter_map(|r| semver::Version::parse(&r.version).ok().map(|v| (v, r)))
            .max_by(|a, b| a.0.cmp(&b.0))
            .map(|(_, r)| r)
            .or_else(|| self.versions.first())
    }

    /// Whether the licence expression can be satisfied with OSI-approved
    /// licences only (`MIT OR LicenseRef-X` can; `LicenseRef-X` cannot).
    pub fn osi_approved_license(&self) -> bool {
        osi_approved(&self.license)
    }

    /// The version string of the newest release.
    pub fn latest_version(&self) -> Option<&str> {
        self.latest().map(|r| r.version.as_str())
    }
}

/// Whether an SPDX expression can be satisfied with OSI-approved licences only.
/// An expression that does not parse is not.
pub fn osi_approved(expression: &str) -> bool {
    spdx::Expression::parse(expression)
        .is_ok_and(|e| e.evaluate(|req| req.license.id().is_some_and(|id| id.is_osi_approved())))
}

#[cfg(test)]
mod tests {
    use super::osi_approved;

    #[test]
    fn osi_approval_follows_the_expression() {
        assert!(osi_approved("MIT"));
        assert!(osi_approved("MIT OR LicenseRef-Custom"));
        assert!(!osi_approved("MIT AND LicenseRef-Custom"));
        assert!(!osi_approved("LicenseRef-Llama-4-Community"));
        assert!(!osi_approved("BUSL-1.1"));
        assert!(!osi_approved("Elastic-2.0"));
        assert!(osi_approved("Apache-2.0 WITH LLVM-exception"));
        assert!(!osi_approved("not a licence"));
    }
}
