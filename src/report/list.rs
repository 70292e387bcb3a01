//! Filtering, sorting and summarising entries for `list` (and every command
//! that takes the same filters).

use std::cmp::Ordering;

use serde::Serialize;

use jiff::civil::Date;

use crate::model::{Entry, License, Status, Taxonomy, TermId, ToolId, Vocabulary};
use crate::suggest::closest;

/// Filters shared by the listing commands: the one place their meaning is
/// decided. Within one filter any value may match ("any of"); a value that
/// joins several with `+` (`prompt-injection+pii-leakage`) matches only
/// an entry that has all of them ("all of"); all given filters must match.
/// An entry that declares no value for a filtered attribute (no
/// `languages`, say) is unknown there: left out, unless `include_unknown`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Category ids.
    pub categories: Vec<String>,
    /// Risk ids.
    pub risks: Vec<String>,
    /// Lifecycle stage ids.
    pub lifecycle: Vec<String>,
    /// Modality ids.
    pub modalities: Vec<String>,
    /// Interface ids.
    pub interfaces: Vec<String>,
    /// Language tags; `pt` matches `pt-BR`, and entries declaring `any` match every language.
    pub languages: Vec<String>,
    /// Vetting statuses.
    pub statuses: Vec<Status>,
    /// SPDX identifiers that must appear in the licence expression (case-insensitive).
    pub licenses: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Case-insensitive text searched in id, name, summary, description and tags.
    pub search: Option<String>,
    /// Let entries that declare no value for a filtered attribute pass that filter.
    pub include_unknown: bool,
}

/// The parts of one filter value: `a+b` is `a` and `b` (empty parts, as in
/// the SPDX `GPL-2.0+`, are dropped).
pub fn all_of(value: &str) -> impl Iterator<Item = &str> {
    value.split('+').filter(|p| !p.is_empty())
}

/// Entries left out only because they declare no value for a filtered
/// attribute, and the flags concerned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unknown {
    /// How many entries.
    pub entries: usize,
    /// The flags whose attribute they leave empty, in flag order.
    pub flags: Vec<&'static str>,
}

impl Filter {
    /// Checks the taxonomy ids of the filter, so that a typo is an error
    /// rather than an empty listing.
    pub fn check(&self, taxonomy: &Taxonomy) -> Result<(), String> {
        let lists = [
            (Vocabulary::Categories, &self.categories, "--category"),
            (Vocabulary::Risks, &self.risks, "--risk"),
            (Vocabulary::Lifecycle, &self.lifecycle, "--lifecycle"),
            (Vocabulary::Modalities, &self.modalities, "--modality"),
            (Vocabulary::Interfaces, &self.interfaces, "--interface"),
        ];
        for (vocabulary, ids, flag) in lists {
            for id in ids.iter().flat_map(|v| all_of(v)) {
                if !taxonomy.contains(vocabulary, id) {
                    let all = taxonomy.terms(vocabulary).iter().map(|t| t.id.as_str());
                    let hint = match closest(id, all.clone()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("valid values: {}", all.collect::<Vec<_>>().join(", ")),
                    };
                    return Err(format!(
                        "{flag} {}: not {} of the taxonomy; {hint}",
                        crate::schema::shown(id),
                        vocabulary.a_noun()
                    ));
                }
            }
        }
        for tag in self.languages.iter().flat_map(|v| all_of(v)) {
            if !crate::check::rules::is_language_tag(tag) {
                return Err(format!(
                    "--language {}: not a BCP 47 language tag; write e.g. `en`, `ja` or `pt-BR`",
                    crate::schema::shown(tag)
                ));
            }
        }
        Ok(())
    }

    /// Whether `entry` passes every filter.
    pub fn matches(&self, entry: &Entry) -> bool {
        let unknown = self.include_unknown;
        attribute(&self.categories, &entry.categories, unknown, |h, w| h == w)
            && attribute(&self.risks, &entry.risks, unknown, |h, w| h == w)
            && attribute(&self.lifecycle, &entry.lifecycle, unknown, |h, w| h == w)
            && attribute(&self.modalities, &entry.modalities, unknown, |h, w| h == w)
            && attribute(&self.interfaces, &entry.interfaces, unknown, |h, w| h == w)
            && attribute(&self.tags, &entry.tags, unknown, |h, w| h == w)
            && attribute(&self.languages, &entry.languages, unknown, |h, w| {
                speaks(h, w)
            })
            && (self.statuses.is_empty() || self.statuses.contains(&entry.vetting.status))
            && (self.licenses.is_empty()
                || self
                    .licenses
                    .iter()
                    .any(|v| all_of(v).all(|l| license_mentions(entry.license.as_str(), l))))
            && self.search.as_deref().is_none_or(|s| mentions(entry, s))
    }

    /// The flags of the attribute filters that `entry` leaves unknown
    /// (declares no value for), in flag order.
    pub fn unknown_flags(&self, entry: &Entry) -> Vec<&'static str> {
        let empty = [
            (
                "--category",
                self.categories.is_empty(),
                entry.categories.is_empty(),
            ),
            ("--risk", self.risks.is_empty(), entry.risks.is_empty()),
            (
                "--lifecycle",
                self.lifecycle.is_empty(),
                entry.lifecycle.is_empty(),
            ),
            (
                "--modality",
                self.modalities.is_empty(),
                entry.modalities.is_empty(),
            ),
            (
                "--interface",
                self.interfaces.is_empty(),
                entry.interfaces.is_empty(),
            ),
            (
                "--language",
                self.languages.is_empty(),
                entry.languages.is_empty(),
            ),
            ("--tag", self.tags.is_empty(), entry.tags.is_empty()),
        ];
        empty
            .into_iter()
            .filter(|(_, unset, none)| !unset && *none)
            .map(|(flag, _, _)| flag)
            .collect()
    }

    /// The entries of `entries` that this filter leaves out only because
    /// they declare no value for a filtered attribute (that is, which
    /// `include_unknown` would let in). Nothing when `include_unknown` is set.
    pub fn unknown<'a>(&self, entries: impl IntoIterator<Item = &'a Entry>) -> Unknown {
        if self.include_unknown {
            return Unknown::default();
        }
        let lenient = Filter {
            include_unknown: true,
            ..self.clone()
        };
        let mut out = Unknown::default();
        for entry in entries {
            if !self.matches(entry) && lenient.matches(entry) {
                out.entries += 1;
                for flag in self.unknown_flags(entry) {
                    if !out.flags.contains(&flag) {
                        out.flags.push(flag);
                    }
                }
            }
        }
        const ORDER: [&str; 7] = [
            "--category",
            "--risk",
            "--lifecycle",
            "--modality",
            "--interface",
            "--language",
            "--tag",
        ];
        out.flags
            .sort_by_key(|f| ORDER.iter().position(|o| o == f).unwrap_or(ORDER.len()));
        out
    }
}

/// One attribute filter: no values wanted passes; an entry with no values
/// passes only when unknowns are let in; else some wanted value (all of
/// its `+` parts) must be among the entry's.
fn attribute<T>(
    wanted: &[String],
    have: &[T],
    include_unknown: bool,
    same: impl Fn(&T, &str) -> bool,
) -> bool {
    wanted.is_empty()
        || (include_unknown && have.is_empty())
        || wanted
            .iter()
            .any(|w| all_of(w).all(|part| have.iter().any(|h| same(h, part))))
}

/// Whether the declared language `have` covers the wanted tag: equal,
/// one a subtag of the other (`pt`, `pt-BR`), or `any`.
fn speaks(have: &str, wanted: &str) -> bool {
    let wanted = wanted.to_ascii_lowercase();
    let l = have.to_ascii_lowercase();
    l == "any"
        || l == wanted
        || l.starts_with(&format!("{wanted}-"))
        || wanted.starts_with(&format!("{l}-"))
}

fn license_mentions(expression: &str, wanted: &str) -> bool {
    let wanted = wanted.to_ascii_lowercase();
    expression
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|t| !matches!(*t, "AND" | "OR" | "WITH" | ""))
        .any(|t| {
            let t = t.trim_end_matches('+').to_ascii_lowercase();
            t == wanted || (wanted.ends_with('-') && t.starts_with(&wanted))
        })
}

fn mentions(entry: &Entry, needle: &str) -> bool {
    let needle = needle.to_lowercase();
    let hay = [
        Some(entry.id.as_str()),
        Some(entry.name.as_str()),
        Some(entry.summary.as_str()),
        entry.description.as_deref(),
    ];
    hay.into_iter()
        .flatten()
        .any(|h| h.to_lowercase().contains(&needle))
        || entry.tags.iter().any(|t| t.contains(&needle))
}

/// What a listing can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// By id (the default).
    #[default]
    Id,
    /// By display name, case-insensitive.
    Name,
    /// By vetting status (vetted first).
    Status,
    /// By licence expression.
    License,
    /// By latest version's release date, newest first.
    Released,
    /// By review date, oldest first.
    Reviewed,
}

/// Orders two entries by `key`, ties broken by id.
pub fn compare(a: &Entry, b: &Entry, key: SortKey) -> Ordering {
    let primary = match key {
        SortKey::Id => Ordering::Equal,
        SortKey::Name => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
        SortKey::Status => a.vetting.status.cmp(&b.vetting.status),
        SortKey::License => a.license.as_str().cmp(b.license.as_str()),
        SortKey::Released => {
            let date = |e: &Entry| e.latest().map(|r| r.released);
            date(b).cmp(&date(a))
        }
        SortKey::Reviewed => a.vetting.reviewed.cmp(&b.vetting.reviewed),
    };
    primary.then_with(|| a.id.cmp(&b.id))
}

/// Filters and sorts entries.
pub fn select<'a>(
    entries: impl IntoIterator<Item = &'a Entry>,
    filter: &Filter,
    sort: SortKey,
    reverse: bool,
) -> Vec<&'a Entry> {
    let mut out: Vec<&Entry> = entries.into_iter().filter(|e| filter.matches(e)).collect();
    out.sort_by(|a, b| {
        let o = compare(a, b, sort);
        if reverse { o.reverse() } else { o }
    });
    out
}

/// The listing of `list`: one summary per tool, in order. JSON and YAML
/// write it as an array (`schemas/list.schema.json`). It borrows from the
/// entries, so a listing of a large catalog costs little beyond them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Listing<'a> {
    /// The tools, in listing order.
    pub tools: Vec<ToolSummary<'a>>,
}

impl<'a> Listing<'a> {
    /// The listing of `entries`, in the order given.
    pub fn of(entries: impl IntoIterator<Item = &'a Entry>) -> Listing<'a> {
        Listing {
            tools: entries.into_iter().map(ToolSummary::of).collect(),
        }
    }
}

/// A listing written as it is made: it serialises exactly as the
/// [`Listing`] of the same entries, one row at a time, so that writing the
/// listing of a large catalog holds no row beyond the one being written.
#[derive(Debug, Clone, Copy)]
pub struct Streamed<'a>(pub &'a [&'a Entry]);

impl Serialize for Streamed<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|e| ToolSummary::of(e)))
    }
}

fn as_text<S: serde::Serializer, T: std::fmt::Display>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(value)
}

fn opt_as_text<S: serde::Serializer, T: std::fmt::Display>(
    value: &Option<T>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => s.collect_str(v),
        None => s.serialize_none(),
    }
}

/// One row of a listing, as scripts see it in JSON, YAML and CSV.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToolSummary<'a> {
    /// Id.
    pub id: &'a ToolId,
    /// Display name.
    pub name: &'a str,
    /// One-line summary.
    pub summary: &'a str,
    /// Category ids.
    pub categories: &'a [TermId],
    /// Risk ids.
    pub risks: &'a [TermId],
    /// Modality ids.
    pub modalities: &'a [TermId],
    /// Interface ids.
    pub interfaces: &'a [TermId],
    /// Language tags.
    pub languages: &'a [String],
    /// Licence expression.
    pub license: &'a License,
    /// Whether the licence can be met with OSI-approved licences only.
    pub license_osi_approved: bool,
    /// Vetting status.
    pub status: Status,
    /// Newest version.
    #[serde(serialize_with = "opt_as_text")]
    pub latest_version: Option<&'a crate::version::ReleaseVersion>,
    /// Its release date.
    #[serde(serialize_with = "opt_as_text")]
    pub released: Option<Date>,
    /// Date of the last review.
    #[serde(serialize_with = "as_text")]
    pub reviewed: Date,
    /// Repository URL.
    pub repository: &'a str,
    /// Homepage URL.
    pub homepage: Option<&'a str>,
}

impl<'a> ToolSummary<'a> {
    /// The summary of one entry.
    pub fn of(entry: &'a Entry) -> ToolSummary<'a> {
        let latest = entry.latest();
        ToolSummary {
            id: &entry.id,
            name: &entry.name,
            summary: &entry.summary,
            categories: &entry.categories,
            risks: &entry.risks,
            modalities: &entry.modalities,
            interfaces: &entry.interfaces,
            languages: &entry.languages,
            license: &entry.license,
            license_osi_approved: entry.osi_approved_license(),
            status: entry.vetting.status,
            latest_version: latest.map(|r| &r.version),
            released: latest.map(|r| r.released),
            reviewed: entry.vetting.reviewed,
            repository: &entry.repository,
            homepage: entry.homepage.as_deref(),
        }
    }

    /// The tool's page: its homepage, else its repository.
    pub fn link(&self) -> &str {
        self.homepage.unwrap_or(self.repository)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Release, Vetting};

    #[test]
    fn a_streamed_listing_serialises_as_the_listing() {
        let entries = [
            entry("beta", &["en"], "MIT"),
            entry("alpha", &[], "Apache-2.0 OR MIT"),
        ];
        let refs: Vec<&Entry> = entries.iter().collect();
        let whole = serde_json::to_string_pretty(&Listing::of(refs.iter().copied())).expect("json");
        let streamed = serde_json::to_string_pretty(&Streamed(&refs)).expect("json");
        assert_eq!(streamed, whole);
        assert!(whole.contains("\"alpha\""), "{whole}");
    }

    fn entry(id: &str, languages: &[&str], license: &str) -> Entry {
        Entry {
            schema_version: semver::Version::new(1, 0, 0),
            id: id.into(),
            name: id.to_uppercase(),
            summary: format!("{id} does things well"),
            description: None,
            homepage: None,
            documentation: None,
            repository: "https://example.org".into(),
            license: License::parse(license).expect("licence"),
            packages: Box::default(),
            maintainers: Box::default(),
            categories: vec!["guardrail".into()].into(),
            risks: vec!["prompt-injection".into()].into(),
            lifecycle: Box::default(),
            modalities: vec!["text".into()].into(),
            languages: languages.iter().map(|s| s.to_string()).collect(),
            interfaces: vec!["cli".into()].into(),
            tags: vec!["classifier".into()].into(),
            versions: vec![Release {
                version: crate::version::ReleaseVersion::from_semver(semver::Version::new(1, 0, 0)),
                released: jiff::civil::date(2025, 1, 1),
                requires: Default::default(),
                requires_recorded: true,
                notes: None,
                advisories: Vec::new(),
            }]
            .into(),
            vetting: Vetting {
                status: Status::Provisional,
                reviewed: jiff::civil::date(2025, 1, 1),
                reviewers: vec!["a".into()].into(),
                evidence: Box::default(),
                next_review: None,
                notes: None,
            },
            related: Box::default(),
            notes: None,
            mappings: Box::default(),
        }
    }

    #[test]
    fn language_prefixes_and_any() {
        let f = Filter {
            languages: vec!["pt".into()],
            ..Filter::default()
        };
        assert!(f.matches(&entry("a", &["pt-BR"], "MIT")));
        assert!(f.matches(&entry("b", &["any"], "MIT")));
        assert!(!f.matches(&entry("c", &["en"], "MIT")));
        assert!(!f.matches(&entry("d", &[], "MIT")));
    }

    #[test]
    fn licence_filter_reads_expressions() {
        let f = Filter {
            licenses: vec!["mit".into()],
            ..Filter::default()
        };
        assert!(f.matches(&entry("a", &[], "Apache-2.0 OR MIT")));
        assert!(!f.matches(&entry("b", &[], "MIT-0")));
        let prefix = Filter {
            licenses: vec!["LicenseRef-".into()],
            ..Filter::default()
        };
        assert!(prefix.matches(&entry("c", &[], "LicenseRef-Llama-4")));
    }

    #[test]
    fn filters_combine_with_and() {
        let f = Filter {
            categories: vec!["guardrail".into(), "evaluation".into()],
            search: Some("DOES".into()),
            ..Filter::default()
        };
        assert!(f.matches(&entry("a", &[], "MIT")));
        let g = Filter {
            risks: vec!["bias".into()],
            ..f
        };
        assert!(!g.matches(&entry("a", &[], "MIT")));
    }

    #[test]
    fn sorting_is_stable_by_id() {
        let a = entry("b", &[], "MIT");
        let b = entry("a", &[], "MIT");
        let sorted = select([&a, &b], &Filter::default(), SortKey::License, false);
        assert_eq!(
            sorted.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
        let rev = select([&a, &b], &Filter::default(), SortKey::Id, true);
        assert_eq!(rev[0].id, "b");
    }
}
