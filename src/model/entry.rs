//! A tool entry, validated: ids as their own types, versions and
//! requirements parsed, dates as dates, the licence as an SPDX expression
//! with its OSI flag. Built from a [`RawEntry`] the checker judged; nothing
//! downstream parses these strings again.

use std::collections::BTreeMap;
use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize, Serializer};

use super::RawEntry;
use super::ids::{Interner, PlatformId, TermId, ToolId};

/// One tool entry, typed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// Entry format version.
    #[serde(serialize_with = "as_text")]
    pub schema_version: semver::Version,
    /// Identifier, equal to the file stem.
    pub id: ToolId,
    /// Display name.
    pub name: String,
    /// One-line summary.
    pub summary: String,
    /// Longer markdown description.
    pub description: Option<String>,
    /// Project homepage.
    pub homepage: Option<String>,
    /// Documentation site.
    pub documentation: Option<String>,
    /// Source repository.
    pub repository: String,
    /// SPDX license expression.
    pub license: License,
    /// Package URLs of the tool's packages (schema 1.1.0), checked by the
    /// `packages` rule.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub packages: Box<[String]>,
    /// Maintainers.
    pub maintainers: Box<[Maintainer]>,
    /// Category ids.
    pub categories: Box<[TermId]>,
    /// Risk ids.
    pub risks: Box<[TermId]>,
    /// Lifecycle stage ids.
    pub lifecycle: Box<[TermId]>,
    /// Modality ids.
    pub modalities: Box<[TermId]>,
    /// BCP 47 language tags, or `any`.
    pub languages: Box<[String]>,
    /// Interface ids.
    pub interfaces: Box<[TermId]>,
    /// Free tags.
    pub tags: Box<[String]>,
    /// Releases.
    pub versions: Box<[Release]>,
    /// The catalog's review of the tool.
    pub vetting: Vetting,
    /// Ids of related entries.
    pub related: Box<[ToolId]>,
    /// Free notes.
    pub notes: Option<String>,
    /// Framework items the tool itself implements, as its documentation
    /// states them, checked by the `framework-mappings` rule.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub mappings: Box<[super::ToolMapping]>,
}

fn as_text<S: Serializer, T: fmt::Display>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(value)
}

fn opt_as_text<S: Serializer, T: fmt::Display>(value: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => s.collect_str(v),
        None => s.serialize_none(),
    }
}

/// A licence: an expression that parsed as SPDX, as written, with the
/// verdict on it that listings need (whether OSI-approved licences alone
/// can satisfy it). Only [`License::parse`] makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct License {
    text: Box<str>,
    osi_approved: bool,
}

impl License {
    /// The licence of `text`, if it is an SPDX expression.
    pub fn parse(text: &str) -> Option<License> {
        let text = text.trim();
        let expression = spdx::Expression::parse(text).ok()?;
        Some(License {
            text: text.into(),
            osi_approved: osi_of(&expression),
        })
    }

    /// The expression as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the expression can be satisfied with OSI-approved licences
    /// only (`MIT OR LicenseRef-X` can; `LicenseRef-X` cannot).
    pub fn osi_approved(&self) -> bool {
        self.osi_approved
    }
}

impl fmt::Display for License {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for License {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

fn osi_of(expression: &spdx::Expression) -> bool {
    expression.evaluate(|req| req.license.id().is_some_and(|id| id.is_osi_approved()))
}

/// A maintainer of a tool.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Maintainer {
    /// Person or organisation.
    pub name: String,
    /// Web page.
    pub url: Option<String>,
    /// Contact address.
    pub email: Option<String>,
}

pub use crate::version::Requirement;
pub use crate::version::legacy::parse_requirement;

use crate::version::{PlatformKind, ReleaseVersion, Rules, Target, VersionRules};

/// How requirements on `platform` are read in an entry of schema major
/// version `major`: by the platform's package or runtime in `taxonomy`.
/// Where the taxonomy does not say (no taxonomy, or a platform naming
/// neither), the well-known platform ids keep their meaning (`python`,
/// `nodejs`, `rust`, `cuda` are runtimes) and every other platform is read
/// as a PyPI package (PEP 440) whose name is not checked.
pub fn target_of<'a>(
    taxonomy: Option<&'a super::Taxonomy>,
    platform: &str,
    major: u64,
) -> Target<'a> {
    if let Some(term) = taxonomy.and_then(|t| t.platforms.iter().find(|p| p.id == platform))
        && (term.package.is_some() || term.runtime.is_some())
    {
        return Target::of_platform(term.package.as_deref(), term.runtime.as_deref(), major);
    }
    let runtime = match platform {
        "python" => Some("cpython"),
        "nodejs" => Some("nodejs"),
        "rust" => Some("rustc"),
        "cuda" => Some("cuda"),
        _ => None,
    };
    match runtime {
        Some(r) => Target::of_platform(None, Some(r), major),
        None => Target {
            rules: if major < 2 {
                Rules::Legacy
            } else {
                Rules::Native(crate::version::Ecosystem::Pep440)
            },
            kind: PlatformKind::Unknown,
        },
    }
}

/// Parses a requirement as written (one text, or a list of texts) for `target`.
pub fn parse_raw_requirement(
    raw: &super::raw::RawRequirement,
    target: Target<'_>,
) -> Option<Requirement> {
    match raw {
        super::raw::RawRequirement::One(text) => Requirement::parse(text, target).ok(),
        super::raw::RawRequirement::Many(items) => {
            let texts: Vec<&str> = items.iter().map(|t| t.as_deref()).collect::<Option<_>>()?;
            Requirement::parse_list(&texts, target).ok()
        }
    }
}

/// A release's requirements, one per platform, sorted by platform: a map
/// kept as a sorted slice, which costs a fraction of a tree for the few
/// platforms a release names.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Requires(Box<[(PlatformId, Requirement)]>);

impl Requires {
    /// The requirements of `pairs`; a platform named twice keeps its last.
    pub fn new(pairs: impl IntoIterator<Item = (PlatformId, Requirement)>) -> Requires {
        let map: BTreeMap<PlatformId, Requirement> = pairs.into_iter().collect();
        Requires(map.into_iter().collect())
    }

    /// The requirement on `platform`.
    pub fn get(&self, platform: &str) -> Option<&Requirement> {
        self.0
            .binary_search_by(|(p, _)| p.as_str().cmp(platform))
            .ok()
            .map(|i| &self.0[i].1)
    }

    /// Whether there is a requirement on `platform`.
    pub fn contains_key(&self, platform: &str) -> bool {
        self.get(platform).is_some()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The platforms and their requirements, by platform.
    pub fn iter(&self) -> impl Iterator<Item = (&PlatformId, &Requirement)> {
        self.0.iter().map(|(p, r)| (p, r))
    }

    /// The platforms, in order.
    pub fn keys(&self) -> impl Iterator<Item = &PlatformId> {
        self.0.iter().map(|(p, _)| p)
    }
}

impl<'a> IntoIterator for &'a Requires {
    type Item = (&'a PlatformId, &'a Requirement);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (PlatformId, Requirement)>,
        fn(&'a (PlatformId, Requirement)) -> (&'a PlatformId, &'a Requirement),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(p, r)| (p, r))
    }
}

impl FromIterator<(PlatformId, Requirement)> for Requires {
    fn from_iter<I: IntoIterator<Item = (PlatformId, Requirement)>>(iter: I) -> Self {
        Requires::new(iter)
    }
}

/// A requirement serialises as written: one text, or a list of texts.
impl Serialize for Requirement {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.is_list() {
            s.collect_seq(self.clauses().iter().map(|c| c.as_str()))
        } else {
            s.collect_str(self)
        }
    }
}

impl Serialize for Requires {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

/// One release of a tool. It serialises with `requires: null` when the
/// requirements are not recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct Release {
    /// The version as written, ordered in the rules of the entry's package
    /// (PEP 440 for a PyPI package in schema 2.x, else semver).
    pub version: ReleaseVersion,
    /// Release date.
    pub released: Date,
    /// Platform id -> requirement.
    pub requires: Requires,
    /// Whether the entry records the release's requirements: `requires`
    /// is written (an empty `requires: {}` states that the release has
    /// none); without it nothing is known.
    pub requires_recorded: bool,
    /// Notes on this release.
    pub notes: Option<String>,
    /// Ids of the security advisories the entry records as affecting this
    /// release (schema 2.2.0), as the advisory database names them
    /// (`GHSA-…`, `PYSEC-…`, `CVE-…`).
    pub advisories: Vec<String>,
}

impl Serialize for Release {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Release", 5)?;
        st.serialize_field("version", self.version.as_str())?;
        st.serialize_field("released", &self.released.to_string())?;
        st.serialize_field(
            "requires",
            &self.requires_recorded.then_some(&self.requires),
        )?;
        st.serialize_field("notes", &self.notes)?;
        if self.advisories.is_empty() {
            st.skip_field("advisories")?;
        } else {
            st.serialize_field("advisories", &self.advisories)?;
        }
        st.end()
    }
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

/// The catalog's review of a tool.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Vetting {
    /// Outcome.
    pub status: Status,
    /// Date of the review.
    #[serde(serialize_with = "as_text")]
    pub reviewed: Date,
    /// Who reviewed.
    pub reviewers: Box<[String]>,
    /// Links to the sources checked.
    pub evidence: Box<[String]>,
    /// When the next review is due.
    #[serde(serialize_with = "opt_as_text")]
    pub next_review: Option<Date>,
    /// Notes on the review.
    pub notes: Option<String>,
}

/// `text` without spare capacity: strings read from YAML grow as they are
/// read, and a catalog keeps many of them.
fn tight(mut text: String) -> String {
    text.shrink_to_fit();
    text
}

fn tight_opt(text: Option<String>) -> Option<String> {
    text.map(tight)
}

fn list(values: Option<Vec<Option<String>>>) -> Option<Box<[String]>> {
    values
        .unwrap_or_default()
        .into_iter()
        .map(|v| v.map(tight))
        .collect::<Option<_>>()
}

fn terms(values: Option<Vec<Option<String>>>, interner: &Interner) -> Option<Box<[TermId]>> {
    values
        .unwrap_or_default()
        .into_iter()
        .map(|v| v.map(|v| interner.term(&v)))
        .collect::<Option<_>>()
}

fn date(text: Option<String>) -> Option<Date> {
    text?.parse().ok()
}

impl Entry {
    /// The validated entry of an entry as written: `None` when a required
    /// value is missing, was refused by the schema, or does not parse (the
    /// rules report why). Taxonomy ids are shared through `interner`.
    pub fn from_raw(
        raw: RawEntry,
        interner: &Interner,
        taxonomy: Option<&super::Taxonomy>,
    ) -> Option<Entry> {
        let vetting = raw.vetting?;
        let schema_version = semver::Version::parse(raw.schema_version.as_deref()?).ok()?;
        let major = schema_version.major;
        let rules = VersionRules::of_entry(major, first_package(&raw.packages));
        let versions: Box<[Release]> = raw
            .versions?
            .into_iter()
            .map(|r| {
                let r = r?;
                Some(Release {
                    version: ReleaseVersion::parse(r.version.as_deref()?, rules).ok()?,
                    released: date(r.released)?,
                    requires_recorded: r.requires.is_some(),
                    requires: r
                        .requires
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(k, v)| {
                            let platform = interner.platform(&k);
                            let v = v?;
                            let requirement = interner.requirement(&platform, major, &v, || {
                                parse_raw_requirement(&v, target_of(taxonomy, &k, major))
                            })?;
                            Some((platform, requirement))
                        })
                        .collect::<Option<Vec<_>>>()
                        .map(Requires::new)?,
                    notes: tight_opt(r.notes),
                    advisories: r
                        .advisories
                        .unwrap_or_default()
                        .into_iter()
                        .collect::<Option<Vec<_>>>()?,
                })
            })
            .collect::<Option<_>>()?;
        let maintainers: Box<[Maintainer]> = raw
            .maintainers?
            .into_iter()
            .map(|m| {
                let m = m?;
                Some(Maintainer {
                    name: tight(m.name?),
                    url: tight_opt(m.url),
                    email: tight_opt(m.email),
                })
            })
            .collect::<Option<_>>()?;
        let next_review = match vetting.next_review {
            Some(text) => Some(text.parse().ok()?),
            None => None,
        };
        Some(Entry {
            schema_version,
            id: ToolId::from(raw.id?.as_str()),
            name: tight(raw.name?),
            summary: tight(raw.summary?),
            description: tight_opt(raw.description),
            homepage: tight_opt(raw.homepage),
            documentation: tight_opt(raw.documentation),
            repository: tight(raw.repository?),
            license: License::parse(raw.license.as_deref()?)?,
            packages: list(raw.packages)?,
            maintainers,
            categories: terms(Some(raw.categories?), interner)?,
            risks: terms(Some(raw.risks?), interner)?,
            lifecycle: terms(raw.lifecycle, interner)?,
            modalities: terms(Some(raw.modalities?), interner)?,
            languages: list(raw.languages)?,
            interfaces: terms(Some(raw.interfaces?), interner)?,
            tags: list(raw.tags)?,
            versions,
            vetting: Vetting {
                status: Status::parse(vetting.status.as_deref()?)?,
                reviewed: date(vetting.reviewed)?,
                reviewers: list(Some(vetting.reviewers?))?,
                evidence: list(vetting.evidence)?,
                next_review,
                notes: tight_opt(vetting.notes),
            },
            related: list(raw.related)?
                .iter()
                .map(|r| ToolId::from(r.as_str()))
                .collect(),
            notes: tight_opt(raw.notes),
            mappings: raw
                .mappings
                .unwrap_or_default()
                .into_iter()
                .map(|m| {
                    let m = m?;
                    Some(super::ToolMapping {
                        framework: m.framework?,
                        item: m.item?,
                        source: m.source?,
                        note: tight_opt(m.note),
                    })
                })
                .collect::<Option<_>>()?,
        })
    }

    /// The newest release by version order.
    pub fn latest(&self) -> Option<&Release> {
        self.versions
            .iter()
            .max_by(|a, b| a.version.cmp(&b.version))
    }

    /// Whether the licence expression can be satisfied with OSI-approved
    /// licences only.
    pub fn osi_approved_license(&self) -> bool {
        self.license.osi_approved()
    }

    /// The newest release's version.
    pub fn latest_version(&self) -> Option<&ReleaseVersion> {
        self.latest().map(|r| &r.version)
    }
}

/// An entry read back from JSON (an export, a test) goes the same way as one
/// read from YAML: as written, then validated.
impl<'de> Deserialize<'de> for Entry {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = RawEntry::deserialize(d)?;
        Entry::from_raw(raw, &Interner::default(), None)
            .ok_or_else(|| serde::de::Error::custom("not a valid entry"))
    }
}

/// The first package purl of an entry as written, which decides the rules
/// of its release versions.
pub fn first_package(packages: &Option<Vec<Option<String>>>) -> Option<&str> {
    packages.as_ref()?.first()?.as_deref()
}

/// Whether an SPDX expression can be satisfied with OSI-approved licences only.
/// An expression that does not parse is not.
pub fn osi_approved(expression: &str) -> bool {
    License::parse(expression).is_some_and(|l| l.osi_approved())
}

#[cfg(test)]
mod tests {
    use super::osi_approved;

    /// A large catalog keeps one boxed entry per tool; the allocator's size
    /// class above 512 bytes is 640, so a field more costs a quarter more.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn an_entry_fits_in_512_bytes() {
        let size = size_of::<super::Entry>();
        assert!(size <= 512, "an Entry takes {size} bytes");
    }

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
