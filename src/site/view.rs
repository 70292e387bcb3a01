//! The site's view models: what each page shows, as plain values built
//! from the report layer's views ([`ToolSummary`], [`ToolDetail`]) and the
//! taxonomy. Templates only lay these out; every URL in them is either a
//! relative link inside the site or a [`SafeUrl`].

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Entry, Frameworks as ModelFrameworks, Taxonomy, Term, Vocabulary};
use crate::report::coverage::reached;
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

/// One item of a framework, as its page and the index's facet show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemInfo {
    /// `FRAMEWORK:ITEM`, the value of `list --framework-item`.
    pub key: String,
    /// The item's id in its framework (`LLM01`).
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its kind (`technique`, `mitigation`), where the framework has several.
    pub kind: Option<String>,
    /// Its page at the framework's source, when a safe URL.
    pub url: Option<SafeUrl>,
    /// The catalog's note on why nothing maps to it.
    pub gap: Option<String>,
}

/// One framework of the catalog, with its items in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameworkInfo {
    /// Its id (`owasp-llm-2025`).
    pub id: String,
    /// `name edition`.
    pub name: String,
    /// Its source, linked when safe.
    pub source: MaybeLink,
    /// Its items.
    pub items: Vec<ItemInfo>,
}

/// The catalog's frameworks as the site shows them: a page per framework
/// and per item, and each tool's items as `list --framework-item` finds
/// them ([`coverage::reached`]: the entry's own mappings, its risks and
/// categories, and for ATLAS the techniques of a mitigation it reaches).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frameworks {
    /// The frameworks, by id.
    pub list: Vec<FrameworkInfo>,
    /// Framework id or item key → its page's file stem (under `framework/`).
    pub pages: BTreeMap<String, String>,
    /// Item key → (vocabulary, term id) of each taxonomy term mapping to
    /// it, in taxonomy order.
    pub terms: BTreeMap<String, Vec<(Vocabulary, String)>>,
}

impl Frameworks {
    /// The frameworks of a catalog, with the taxonomy's mappings to them.
    pub fn of(frameworks: &ModelFrameworks, taxonomy: &Taxonomy) -> Frameworks {
        let list: Vec<FrameworkInfo> = frameworks
            .iter()
            .map(|f| FrameworkInfo {
                id: f.id.clone(),
                name: f.display_name(),
                source: MaybeLink::url(&f.source),
                items: f
                    .items
                    .iter()
                    .map(|i| ItemInfo {
                        key: format!("{}:{}", f.id, i.id),
                        id: i.id.clone(),
                        title: i.title.clone(),
                        kind: i.kind.clone(),
                        url: i.url.as_deref().and_then(SafeUrl::new),
                        gap: i.gap.clone(),
                    })
                    .collect(),
            })
            .collect();
        let mut terms: BTreeMap<String, Vec<(Vocabulary, String)>> = BTreeMap::new();
        for v in [Vocabulary::Categories, Vocabulary::Risks] {
            for t in taxonomy.terms(v) {
                for m in &t.mappings {
                    terms
                        .entry(mapping_key(m))
                        .or_default()
                        .push((v, t.id.clone()));
                }
            }
        }
        let names = list.iter().map(|f| f.id.as_str()).chain(
            list.iter()
                .flat_map(|f| f.items.iter().map(|i| i.key.as_str())),
        );
        let pages = slugs(names);
        Frameworks { list, pages, terms }
    }

    /// The items (`FRAMEWORK:ITEM`) that `entry` reaches in `frameworks`,
    /// sorted: what `list --framework-item` selects it by.
    pub fn of_entry(
        &self,
        frameworks: &ModelFrameworks,
        taxonomy: &Taxonomy,
        entry: &Entry,
    ) -> Vec<String> {
        let mut out = BTreeSet::new();
        for f in frameworks.iter() {
            for (item, _) in reached(taxonomy, f, entry) {
                let key = format!("{}:{item}", f.id);
                if self.pages.contains_key(&key) {
                    out.insert(key);
                }
            }
        }
        out.into_iter().collect()
    }

    /// The page of a framework or item, relative to the site root.
    pub fn page(&self, key: &str) -> Option<String> {
        self.pages.get(key).map(|p| format!("framework/{p}.html"))
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
    /// The values, each linking to the index filtered on it.
    pub values: Vec<FacetValue>,
}

/// One value in a tool page's facet table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetValue {
    /// The text shown.
    pub text: String,
    /// The index filtered on it (or the related tool's page); empty for
    /// text only.
    pub href: String,
    /// Its static page (a category, risk or framework item), which works
    /// without JavaScript.
    pub page: Option<String>,
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
    /// Whether the entry records the release's requirements (`requires:
    /// {}` says it has none; without `requires` nothing is known).
    pub recorded: bool,
    /// Notes.
    pub notes: Option<String>,
    /// Security advisories the entry records for the release.
    pub advisories: Vec<String>,
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
    /// What the vetting date and the next one record, as `show` labels
    /// them (`reviewed` only for a vetted entry).
    pub date_labels: (&'static str, &'static str),
    /// The vetting date.
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
    /// The page of `entry`, which reaches the framework `items`; links
    /// are relative to the `tools/` folder.
    pub fn of(
        entry: &Entry,
        taxonomy: &Taxonomy,
        frameworks: &Frameworks,
        items: &[String],
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
                .map(|id| FacetValue {
                    text: taxonomy
                        .term(v, id)
                        .map_or_else(|| id.to_string(), |t: &Term| t.title.clone()),
                    href: format!("../index.html?{}={}", folder(v), query_value(id)),
                    page: matches!(v, Vocabulary::Categories | Vocabulary::Risks)
                        .then(|| format!("../{}/{}.html", folder(v), slug(id))),
                })
                .collect(),
        };
        let plain_row = |label, key: &str, values: &[String]| FacetRow {
            label,
            values: values
                .iter()
                .map(|value| FacetValue {
                    text: value.clone(),
                    href: format!("../index.html?{key}={}", query_value(value)),
                    page: None,
                })
                .collect(),
        };
        let facets = vec![
            term_row("Categories", Vocabulary::Categories, &entry.categories),
            term_row("Risks", Vocabulary::Risks, &entry.risks),
            FacetRow {
                label: "Framework items",
                values: items
                    .iter()
                    .map(|item| FacetValue {
                        href: format!("../index.html?framework-item={}", query_value(item)),
                        page: frameworks.page(item).map(|p| format!("../{p}")),
                        text: item.clone(),
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
                    .map(|r| FacetValue {
                        text: r.to_string(),
                        href: if known.contains(r.as_str()) {
                            format!("{r}.html")
                        } else {
                            String::new()
                        },
                        page: None,
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
                    recorded: r.requires_recorded,
                    notes: r.notes.clone(),
                    advisories: r.advisories.clone(),
                })
                .collect(),
            status: entry.vetting.status.as_str(),
            date_labels: crate::report::show::date_labels(entry.vetting.status),
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
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b':') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A page of one taxonomy term, framework or framework item, and its tools.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermView<'a> {
    /// "Category", "Risk", "Framework", "Framework item".
    pub kind: &'static str,
    /// The term's id (or the item's `FRAMEWORK:ITEM`).
    pub id: String,
    /// Title.
    pub title: String,
    /// The framework an item belongs to.
    pub part_of: Option<Local>,
    /// What it means.
    pub description: Option<String>,
    /// Why no tool covers it yet.
    pub gap: Option<String>,
    /// The sources it draws on.
    pub references: Vec<MaybeLink>,
    /// Related pages: the framework items a term maps to, or the terms
    /// mapping to an item (a link with an empty `href` is text only).
    pub related: Vec<Local>,
    /// The heading over `related`.
    pub related_label: &'static str,
    /// A framework's items, each with how many tools reach it.
    pub items: Vec<(Local, usize)>,
    /// The index filtered on this term, when the index can filter on it.
    pub filter_href: Option<String>,
    /// Whether the page lists tools (a framework's page lists its items).
    pub lists_tools: bool,
    /// The tools, by id.
    pub tools: Vec<&'a Card>,
}

impl<'a> TermView<'a> {
    /// The page of a term of `v`.
    pub fn term(
        v: Vocabulary,
        term: &Term,
        taxonomy: &Taxonomy,
        frameworks: &Frameworks,
        cards: Vec<&'a Card>,
    ) -> TermView<'a> {
        TermView {
            kind: match v {
                Vocabulary::Categories => "Category",
                _ => "Risk",
            },
            id: term.id.clone(),
            title: term.title.clone(),
            part_of: None,
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
                        href: frameworks
                            .page(&key)
                            .map_or_else(String::new, |p| format!("../{p}")),
                        text: key,
                    }
                })
                .collect(),
            related_label: "Framework items",
            items: Vec::new(),
            filter_href: Some(format!("../index.html?{}={}", folder(v), term.id)),
            lists_tools: true,
            tools: cards,
        }
    }

    /// The page of a framework: its items, each with its count of tools.
    pub fn framework(
        framework: &FrameworkInfo,
        frameworks: &Frameworks,
        counts: &BTreeMap<&str, usize>,
    ) -> TermView<'a> {
        TermView {
            kind: "Framework",
            id: framework.id.clone(),
            title: framework.name.clone(),
            part_of: None,
            description: None,
            gap: None,
            references: vec![framework.source.clone()],
            related: Vec::new(),
            related_label: "",
            items: framework
                .items
                .iter()
                .map(|i| {
                    let link = Local {
                        text: format!("{} {}", i.id, i.title),
                        href: frameworks
                            .page(&i.key)
                            .map_or_else(String::new, |p| format!("../{p}")),
                    };
                    (link, counts.get(i.key.as_str()).copied().unwrap_or(0))
                })
                .collect(),
            filter_href: None,
            lists_tools: false,
            tools: Vec::new(),
        }
    }

    /// The page of a framework item.
    pub fn item(
        framework: &FrameworkInfo,
        item: &ItemInfo,
        frameworks: &Frameworks,
        taxonomy: &Taxonomy,
        cards: Vec<&'a Card>,
    ) -> TermView<'a> {
        let terms = frameworks
            .terms
            .get(&item.key)
            .map_or(&[][..], Vec::as_slice);
        TermView {
            kind: "Framework item",
            id: item.key.clone(),
            title: format!("{} {}", item.id, item.title),
            part_of: Some(Local {
                text: framework.name.clone(),
                href: frameworks
                    .page(&framework.id)
                    .map_or_else(String::new, |p| format!("../{p}")),
            }),
            description: item
                .kind
                .as_ref()
                .map(|k| format!("A {k} of {}.", framework.name)),
            gap: item.gap.clone(),
            references: item
                .url
                .iter()
                .map(|u| MaybeLink {
                    text: format!("{} {}", item.id, item.title),
                    url: Some(u.clone()),
                })
                .collect(),
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
            items: Vec::new(),
            filter_href: Some(format!(
                "../index.html?framework-item={}",
                query_value(&item.key)
            )),
            lists_tools: true,
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
