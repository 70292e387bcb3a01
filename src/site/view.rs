//! The site's view models: what each page shows, as plain values built
//! from the report layer's views ([`ToolSummary`], [`ToolDetail`]) and the
//! taxonomy. Templates only lay these out; every URL in them is either a
//! relative link inside the site or a [`SafeUrl`].

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Entry, Taxonomy, Term, Vocabulary};
use crate::report::list::ToolSummary;
use crate::report::show::ToolDetail;

/// A link to another site: only an absolute `https` URL with a host, as
/// the url crate parses it, becomes one; anything else stays text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafeUrl(String);

impl SafeUrl {
    /// The link, if `text` is a valid https URL.
    pub fn new(text: &str) -> Option<SafeUrl> {
        let url = url::Url::parse(text).ok()?;
        (url.scheme() == "https" && url.host_str().is_some_and(|h| !h.is_empty()))
            .then(|| SafeUrl(url.to_string()))
    }

    /// The URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Text that is a link when its URL is safe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaybeLink {
    /// The text shown.
    pub text: String,
    /// The link, when the URL was a valid https URL.
    pub url: Option<SafeUrl>,
}

impl MaybeLink {
    /// A URL shown as itself, linked when safe.
    pub fn url(text: &str) -> MaybeLink {
        MaybeLink {
            text: text.to_string(),
            url: SafeUrl::new(text),
        }
    }
}

/// A link inside the site, relative to the page that shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Local {
    /// The text shown.
    pub text: String,
    /// The relative link.
    pub href: String,
}

/// The file name of a page for `id` (ids are kebab-case; anything else is
/// made so, and [`slugs`] keeps the names distinct).
pub fn slug(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() { "item".into() } else { out }
}

/// Distinct file names for `ids`, in order: a name already taken gets
/// `-2`, `-3`, ... appended.
pub fn slugs<'a>(ids: impl IntoIterator<Item = &'a str>) -> BTreeMap<String, String> {
    let mut taken = BTreeSet::new();
    let mut out = BTreeMap::new();
    for id in ids {
        if out.contains_key(id) {
            continue;
        }
        let base = slug(id);
        let mut name = base.clone();
        let mut n = 2;
        while !taken.insert(name.clone()) {
            name = format!("{base}-{n}");
            n += 1;
        }
        out.insert(id.to_string(), name);
    }
    out
}

/// A mapping's item as `FRAMEWORK:ITEM` (`owasp-llm-2025:LLM01`), the
/// syntax of `list --framework-item`.
fn mapping_key(m: &crate::model::framework::Mapping) -> String {
    format!("{}:{}", m.framework, m.item)
}

/// The framework items the taxonomy's terms map to (`OWASP LLM01:2025`),
/// each with the terms that map to it, and their page names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frameworks {
    /// Item → (vocabulary, term id) of each term mapping to it, in taxonomy order.
    pub items: BTreeMap<String, Vec<(Vocabulary, String)>>,
    /// Item → its page's file stem.
    pub pages: BTreeMap<String, String>,
}

impl Frameworks {
    /// The items of `taxonomy`'s categories and risks.
    pub fn of(taxonomy: &Taxonomy) -> Frameworks {
        let mut items: BTreeMap<String, Vec<(Vocabulary, String)>> = BTreeMap::new();
        for v in [Vocabulary::Categories, Vocabulary::Risks] {
            for t in taxonomy.terms(v) {
                for m in &t.mappings {
                    items
                        .entry(mapping_key(m))
                        .or_default()
                        .push((v, t.id.clone()));
                }
            }
        }
        let pages = slugs(items.keys().map(String::as_str));
        Frameworks { items, pages }
    }

    /// The items `entry` reaches through its categories and risks, sorted.
    pub fn of_entry(&self, taxonomy: &Taxonomy, entry: &Entry) -> Vec<String> {
        let mut out = BTreeSet::new();
        for (v, ids) in [
            (Vocabulary::Categories, &entry.categories),
            (Vocabulary::Risks, &entry.risks),
        ] {
            for id in ids {
                if let Some(t) = taxonomy.term(v, id) {
                    out.extend(t.mappings.iter().map(mapping_key));
                }
            }
        }
        out.into_iter().collect()
    }
}

/// The folder of a vocabulary's pages, which is also its facet key.
pub fn folder(v: Vocabulary) -> &'static str {
    match v {
        Vocabulary::Categories => "category",
        Vocabulary::Risks => "risk",
        Vocabulary::Lifecycle => "lifecycle",
        Vocabulary::Modalities => "modality",
        Vocabulary::Interfaces => "interface",
        Vocabulary::Platforms => "platform",
    }
}

/// One tool in a list of tools (the index, a category page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    /// Id (the `data-tool-id` of the list item).
    pub id: String,
    /// Display name.
    pub name: String,
    /// One-line summary.
    pub summary: String,
    /// Vetting status.
    pub status: &'static str,
    /// Licence expression.
    pub license: String,
    /// `VERSION (DATE)` of the newest release.
    pub latest: Option<String>,
    /// The tool's page, relative to the site root.
    pub page: String,
}

impl Card {
    /// The card of one listed tool.
    pub fn of(s: &ToolSummary<'_>) -> Card {
        Card {
            id: s.id.to_string(),
            name: s.name.to_string(),
            summary: s.summary.to_string(),
            status: s.status.as_str(),
            license: s.license.to_string(),
            latest: s.latest_version.map(|v| match s.released {
                Some(d) => format!("{v} ({d})"),
                None => v.to_string(),
            }),
            page: format!("tools/{}.html", s.id),
        }
    }
}

/// One row of a tool page's fixed facet table: always shown, empty when
/// the entry states nothing for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetRow {
    /// The heading.
    pub label: &'static str,
    /// The values, each linking to the index filtered on it (or to a page).
    pub values: Vec<Local>,
}

/// One release on a tool page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseRow {
    /// Version.
    pub version: String,
    /// Release date.
    pub released: String,
    /// `platform requirement` pairs.
    pub requires: Vec<String>,
    /// Notes.
    pub notes: Option<String>,
}

/// A maintainer on a tool page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaintainerView {
    /// Name.
    pub name: String,
    /// Their page, when a safe URL.
    pub url: Option<SafeUrl>,
}

/// Everything a tool page shows: what `show` shows, in a fixed layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolView {
    /// Id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// One-line summary.
    pub summary: String,
    /// Status, licence, latest, repository... as `show` labels them.
    pub fields: Vec<(&'static str, String)>,
    /// Repository, homepage and documentation links.
    pub links: Vec<(&'static str, MaybeLink)>,
    /// Package URLs.
    pub packages: Vec<String>,
    /// Maintainers.
    pub maintainers: Vec<MaintainerView>,
    /// The facet table, every row present.
    pub facets: Vec<FacetRow>,
    /// Releases, in file order.
    pub releases: Vec<ReleaseRow>,
    /// Vetting status.
    pub status: &'static str,
    /// Review date.
    pub reviewed: String,
    /// Reviewers.
    pub reviewers: Vec<String>,
    /// Next review.
    pub next_review: Option<String>,
    /// Evidence links.
    pub evidence: Vec<MaybeLink>,
    /// Description, notes and vetting notes, labelled, as paragraphs
    /// (a blank line parts them; single line breaks are wrapping).
    pub texts: Vec<(&'static str, Vec<String>)>,
}

/// The paragraphs of a free text: parted by blank lines, lines joined.
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            if !current.is_empty() {
                out.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current.join(" "));
    }
    out
}

impl ToolView {
    /// The page of `entry`; links are relative to the `tools/` folder.
    pub fn of(
        entry: &Entry,
        taxonomy: &Taxonomy,
        frameworks: &Frameworks,
        known: &BTreeSet<&str>,
    ) -> ToolView {
        let detail = ToolDetail::of(entry);
        let fields = detail
            .fields
            .iter()
            .filter(|(label, _)| matches!(*label, "status" | "license" | "latest"))
            .cloned()
            .collect();
        let mut links = vec![("repository", MaybeLink::url(&entry.repository))];
        if let Some(h) = &entry.homepage {
            links.push(("homepage", MaybeLink::url(h)));
        }
        if let Some(d) = &entry.documentation {
            links.push(("documentation", MaybeLink::url(d)));
        }
        let term_row = |label, v: Vocabulary, ids: &[crate::model::TermId]| FacetRow {
            label,
            values: ids
                .iter()
                .map(|id| Local {
                    text: taxonomy
                        .term(v, id)
                        .map_or_else(|| id.to_string(), |t: &Term| t.title.clone()),
                    href: format!("../index.html?{}={}", folder(v), id),
                })
                .collect(),
        };
        let plain_row = |label, key: &str, values: &[String]| FacetRow {
            label,
            values: values
                .iter()
                .map(|value| Local {
                    text: value.clone(),
                    href: format!("../index.html?{key}={}", query_value(value)),
                })
                .collect(),
        };
        let facets = vec![
            term_row("Categories", Vocabulary::Categories, &entry.categories),
            term_row("Risks", Vocabulary::Risks, &entry.risks),
            FacetRow {
                label: "Framework items",
                values: frameworks
                    .of_entry(taxonomy, entry)
                    .into_iter()
                    .map(|item| Local {
                        href: format!("../framework/{}.html", frameworks.pages[&item]),
                        text: item,
                    })
                    .collect(),
            },
            term_row("Lifecycle stages", Vocabulary::Lifecycle, &entry.lifecycle),
            term_row("Modalities", Vocabulary::Modalities, &entry.modalities),
            term_row("Interfaces", Vocabulary::Interfaces, &entry.interfaces),
            plain_row("Languages", "language", &entry.languages),
            plain_row("Tags", "tag", &entry.tags),
            FacetRow {
                label: "Related tools",
                values: entry
                    .related
                    .iter()
                    .map(|r| Local {
                        text: r.to_string(),
                        href: if known.contains(r.as_str()) {
                            format!("{r}.html")
                        } else {
                            String::new()
                        },
                    })
                    .collect(),
            },
        ];
        ToolView {
            id: detail.id,
            name: detail.name,
            summary: detail.summary,
            fields,
            links,
            packages: entry.packages.to_vec(),
            maintainers: entry
                .maintainers
                .iter()
                .map(|m| MaintainerView {
                    name: m.name.clone(),
                    url: m.url.as_deref().and_then(SafeUrl::new),
                })
                .collect(),
            facets,
            releases: entry
                .versions
                .iter()
                .map(|r| ReleaseRow {
                    version: r.version.to_string(),
                    released: r.released.to_string(),
                    requires: r.requires.iter().map(|(p, q)| format!("{p} {q}")).collect(),
                    notes: r.notes.clone(),
                })
                .collect(),
            status: entry.vetting.status.as_str(),
            reviewed: entry.vetting.reviewed.to_string(),
            reviewers: entry.vetting.reviewers.to_vec(),
            next_review: entry.vetting.next_review.map(|d| d.to_string()),
            evidence: entry
                .vetting
                .evidence
                .iter()
                .map(|e| MaybeLink::url(e))
                .collect(),
            texts: detail
                .texts
                .iter()
                .map(|(label, text)| (*label, paragraphs(text)))
                .collect(),
        }
    }
}

/// A value as it appears in a URL query: percent-encoded but for the
/// characters of ids and tags.
pub fn query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A page of one taxonomy term or framework item and its tools.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermView {
    /// "Category", "Risk", "Framework item".
    pub kind: &'static str,
    /// The term's id (or the item's name).
    pub id: String,
    /// Title.
    pub title: String,
    /// What it means.
    pub description: Option<String>,
    /// Why no tool covers it yet.
    pub gap: Option<String>,
    /// The sources it draws on.
    pub references: Vec<MaybeLink>,
    /// Related pages: the framework items a term maps to, or the terms
    /// mapping to an item.
    pub related: Vec<Local>,
    /// The heading over `related`.
    pub related_label: &'static str,
    /// The index filtered on this term, when the index can filter on it.
    pub filter_href: Option<String>,
    /// The tools, by id.
    pub tools: Vec<Card>,
}

impl TermView {
    /// The page of a term of `v`.
    pub fn term(
        v: Vocabulary,
        term: &Term,
        taxonomy: &Taxonomy,
        frameworks: &Frameworks,
        cards: Vec<Card>,
    ) -> TermView {
        TermView {
            kind: match v {
                Vocabulary::Categories => "Category",
                _ => "Risk",
            },
            id: term.id.clone(),
            title: term.title.clone(),
            description: Some(term.description.clone()),
            gap: term.gap.clone(),
            references: term
                .references
                .iter()
                .map(|r| match taxonomy.sources.iter().find(|s| s.id == *r) {
                    Some(s) => MaybeLink {
                        text: s.title.clone(),
                        url: SafeUrl::new(&s.url),
                    },
                    None => MaybeLink {
                        text: r.clone(),
                        url: None,
                    },
                })
                .collect(),
            related: term
                .mappings
                .iter()
                .map(|m| {
                    let key = mapping_key(m);
                    Local {
                        href: format!("../framework/{}.html", frameworks.pages[&key]),
                        text: key,
                    }
                })
                .collect(),
            related_label: "Framework items",
            filter_href: Some(format!("../index.html?{}={}", folder(v), term.id)),
            tools: cards,
        }
    }

    /// The page of a framework item.
    pub fn item(
        item: &str,
        terms: &[(Vocabulary, String)],
        taxonomy: &Taxonomy,
        cards: Vec<Card>,
    ) -> TermView {
        TermView {
            kind: "Framework item",
            id: item.to_string(),
            title: item.to_string(),
            description: None,
            gap: None,
            references: Vec::new(),
            related: terms
                .iter()
                .map(|(v, id)| Local {
                    text: taxonomy
                        .term(*v, id)
                        .map_or_else(|| id.clone(), |t| t.title.clone()),
                    href: format!("../{}/{}.html", folder(*v), slug(id)),
                })
                .collect(),
            related_label: "Mapped from",
            filter_href: None,
            tools: cards,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_urls_become_links() {
        assert!(SafeUrl::new("https://example.org/x").is_some());
        for bad in [
            "javascript:alert(1)",
            "http://example.org",
            "data:text/html,x",
            "//evil.example",
            "https://",
            "vbscript:x",
        ] {
            assert_eq!(SafeUrl::new(bad), None, "{bad}");
        }
    }

    #[test]
    fn slugs_stay_distinct() {
        let s = slugs(["OWASP LLM01:2025", "owasp-llm01-2025", "ATLAS AML.T0051"]);
        assert_eq!(s["OWASP LLM01:2025"], "owasp-llm01-2025");
        assert_eq!(s["owasp-llm01-2025"], "owasp-llm01-2025-2");
        assert_eq!(s["ATLAS AML.T0051"], "atlas-aml-t0051");
    }

    #[test]
    fn paragraphs_part_at_blank_lines() {
        assert_eq!(paragraphs("a\nb\n\n\nc\n"), ["a b", "c"]);
    }

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(query_value("pt-BR"), "pt-BR");
        assert_eq!(query_value("a b&c"), "a%20b%26c");
    }
}
