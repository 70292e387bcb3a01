//! The site's pages, laid out by askama templates (`templates/site/`).
//! askama escapes every value for HTML unless a template says `|safe`,
//! which only the index page's data does, after [`script_json`] has made
//! it unable to leave its `<script type="application/json">` element.

use std::collections::BTreeMap;

use askama::Template;
use serde::Serialize;

use super::SiteError;
use super::facets::{self, Facet, FacetKey};
use super::view::{Card, Frameworks, Local, TermView, ToolView, folder, slug};
use crate::model::{Entry, Settings, Taxonomy, Vocabulary};
use crate::report::list::{self, Listing, SortKey, ToolSummary};

/// What every page shows of the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    /// The catalog's name.
    pub name: String,
    /// Its description.
    pub description: String,
}

impl Meta {
    /// The catalog's name and description from its settings.
    pub fn new(settings: &Settings) -> Meta {
        Meta {
            name: settings.name.clone(),
            description: settings.description.clone(),
        }
    }
}

/// The way back to the site root from a page at `path` (`tools/x.html` → `../`).
fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// A group of links in the index's "browse" navigation.
struct BrowseGroup {
    id: &'static str,
    label: &'static str,
    links: Vec<(Local, usize)>,
}

/// A sort order the index offers, named as `list --sort` names it.
struct SortChoice {
    value: &'static str,
    label: &'static str,
}

const SORTS: &[SortChoice] = &[
    SortChoice {
        value: "id",
        label: "Id",
    },
    SortChoice {
        value: "name",
        label: "Name",
    },
    SortChoice {
        value: "status",
        label: "Vetting status",
    },
    SortChoice {
        value: "license",
        label: "Licence",
    },
    SortChoice {
        value: "released",
        label: "Latest release (newest first)",
    },
    SortChoice {
        value: "reviewed",
        label: "Review date (oldest first)",
    },
];

#[derive(Template)]
#[template(path = "site/index.html")]
struct IndexPage<'a> {
    meta: &'a Meta,
    root: String,
    title: String,
    script: bool,
    facets: Vec<Facet>,
    sorts: &'static [SortChoice],
    cards: &'a [Card],
    total: usize,
    browse: Vec<BrowseGroup>,
    data: String,
}

#[derive(Template)]
#[template(path = "site/tool.html")]
struct ToolPage<'a> {
    meta: &'a Meta,
    root: String,
    title: String,
    script: bool,
    tool: &'a ToolView,
}

#[derive(Template)]
#[template(path = "site/term.html")]
struct TermPage<'a> {
    meta: &'a Meta,
    root: String,
    title: String,
    script: bool,
    page: &'a TermView<'a>,
}

/// The data the index page's script filters and sorts on, compact: per
/// facet the table of its values, per tool (in id order, as the page lists
/// them) the indexes of its values in each table, and per sort order of
/// `list --sort` the tools' indexes in that order (ties by id), as
/// [`list::compare`] orders them. What only search and downloads need is
/// in `data/tools.js` ([`index_more`]), which the script loads when asked.
#[derive(Serialize)]
struct IndexData<'a> {
    facets: Vec<FacetKey>,
    values: Vec<Vec<&'a str>>,
    tools: Vec<Vec<Vec<u32>>>,
    order: BTreeMap<&'static str, Vec<u32>>,
    #[serde(rename = "csvHeader")]
    csv_header: String,
}

/// The file the index page's script loads for search and downloads.
pub const MORE: &str = "data/tools.js";

fn render_error(page: &str) -> impl FnOnce(askama::Error) -> SiteError + '_ {
    move |source| SiteError::Render {
        page: page.to_string(),
        source,
    }
}

fn data_error(page: &str, message: impl std::fmt::Display) -> SiteError {
    SiteError::Data {
        page: page.to_string(),
        message: message.to_string(),
    }
}

/// JSON made safe to stand inside an HTML `<script>` element: `<`, `>` and
/// `&` (which can only occur inside JSON strings) become `\u` escapes, so
/// neither `</script>` nor `<!--` can appear; `JSON.parse` reads it back.
pub fn script_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

fn csv_text(rows: &[ToolSummary<'_>]) -> Result<String, SiteError> {
    let mut out = Vec::new();
    crate::render::csv(&mut out, rows).map_err(|e| data_error("index.html", e))?;
    String::from_utf8(out).map_err(|e| data_error("index.html", e))
}

/// A position in a table of the index data.
fn index_of(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// The index page; `items` are the framework items of each entry, and
/// `entries` are in id order.
pub fn index(
    meta: &Meta,
    taxonomy: &Taxonomy,
    entries: &[&Entry],
    cards: &[Card],
    frameworks: &Frameworks,
    items: &[Vec<String>],
) -> Result<Vec<u8>, SiteError> {
    let keys = facets::keys();
    let per_tool: Vec<Vec<Vec<String>>> = entries
        .iter()
        .zip(items)
        .map(|(e, of)| facets::values_of(e, of))
        .collect();
    let mut values: Vec<Vec<&str>> = vec![Vec::new(); keys.len()];
    let mut seen: Vec<BTreeMap<&str, u32>> = vec![BTreeMap::new(); keys.len()];
    let mut tools = Vec::with_capacity(entries.len());
    for tool in &per_tool {
        let mut row = Vec::with_capacity(keys.len());
        for (f, vals) in tool.iter().enumerate() {
            row.push(
                vals.iter()
                    .map(|v| {
                        *seen[f].entry(v.as_str()).or_insert_with(|| {
                            values[f].push(v.as_str());
                            index_of(values[f].len() - 1)
                        })
                    })
                    .collect(),
            );
        }
        tools.push(row);
    }
    let mut order = BTreeMap::new();
    for (name, key) in [
        ("name", SortKey::Name),
        ("status", SortKey::Status),
        ("license", SortKey::License),
        ("released", SortKey::Released),
        ("reviewed", SortKey::Reviewed),
    ] {
        let mut at: Vec<usize> = (0..entries.len()).collect();
        at.sort_by(|&a, &b| list::compare(entries[a], entries[b], key));
        order.insert(name, at.into_iter().map(index_of).collect());
    }
    let data = IndexData {
        facets: keys,
        values,
        tools,
        order,
        csv_header: csv_text(&[])?,
    };
    let json = serde_json::to_string(&data).map_err(|e| data_error("index.html", e))?;

    let mut browse = Vec::new();
    for (v, id, label) in [
        (Vocabulary::Categories, "browse-categories", "Categories"),
        (Vocabulary::Risks, "browse-risks", "Risks"),
    ] {
        let links = taxonomy
            .terms(v)
            .iter()
            .map(|t| {
                let count = entries
                    .iter()
                    .filter(|e| match v {
                        Vocabulary::Categories => e.categories.iter().any(|c| *c == t.id),
                        _ => e.risks.iter().any(|r| *r == t.id),
                    })
                    .count();
                let link = Local {
                    text: t.title.clone(),
                    href: format!("{}/{}.html", folder(v), slug(&t.id)),
                };
                (link, count)
            })
            .collect();
        browse.push(BrowseGroup { id, label, links });
    }
    browse.push(BrowseGroup {
        id: "browse-frameworks",
        label: "Frameworks",
        links: frameworks
            .list
            .iter()
            .map(|f| {
                let prefix = format!("{}:", f.id);
                let count = items
                    .iter()
                    .filter(|of| of.iter().any(|i| i.starts_with(&prefix)))
                    .count();
                let link = Local {
                    text: f.name.clone(),
                    href: frameworks.page(&f.id).unwrap_or_default(),
                };
                (link, count)
            })
            .collect(),
    });

    let page = IndexPage {
        meta,
        root: String::new(),
        title: meta.name.clone(),
        script: true,
        facets: facets::facets(taxonomy, frameworks, entries, items),
        sorts: SORTS,
        cards,
        total: entries.len(),
        browse,
        data: script_json(&json),
    };
    page.render()
        .map(String::into_bytes)
        .map_err(render_error("index.html"))
}

/// What of each tool's `list --format json` row neither the index page's
/// data nor its list items hold (licence verdict, newest release, review
/// date, URLs) and its description: [`MORE`], a script that hands them to
/// the page's script. Search (which reads descriptions) and downloads load
/// it; the page's first view does not need it. The name and summary are
/// read from the list item; only where HTML would not give the text back
/// as written (a carriage return or NUL, which the parser changes) are
/// they in this file.
pub fn index_more<'a>(listing: &Listing<'a>, entries: &[&'a Entry]) -> Result<Vec<u8>, SiteError> {
    let rows: Vec<MoreRow<'_>> = listing
        .tools
        .iter()
        .zip(entries)
        .map(|(s, e)| {
            let kept = |text: &'a str| text.contains(['\r', '\0']).then_some(text);
            (
                kept(s.name),
                kept(s.summary),
                e.description.as_deref(),
                s.license_osi_approved,
                s.latest_version.map(|v| v.to_string()),
                s.released.map(|d| d.to_string()),
                s.reviewed.to_string(),
                s.repository,
                s.homepage,
            )
        })
        .collect();
    let json = serde_json::to_string(&rows).map_err(|e| data_error(MORE, e))?;
    let mut out = String::with_capacity(json.len() + 200);
    out.push_str(
        "// Written by `alliance-catalog site`: the rest of each tool's row of the index, for search and downloads.\n",
    );
    out.push_str("allianceCatalogMore(");
    out.push_str(&script_json(&json));
    out.push_str(");\n");
    Ok(out.into_bytes())
}

/// One tool's row of [`MORE`].
type MoreRow<'a> = (
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    bool,
    Option<String>,
    Option<String>,
    String,
    &'a str,
    Option<&'a str>,
);

/// The page of one tool, at `path`.
pub fn tool(meta: &Meta, tool: &ToolView, path: &str) -> Result<Vec<u8>, SiteError> {
    let page = ToolPage {
        meta,
        root: root_of(path),
        title: format!("{} — {}", tool.name, meta.name),
        script: false,
        tool,
    };
    page.render()
        .map(String::into_bytes)
        .map_err(render_error(path))
}

/// The page of a category, risk or framework item, at `path`.
pub fn term(meta: &Meta, view: &TermView<'_>, path: &str) -> Result<Vec<u8>, SiteError> {
    let page = TermPage {
        meta,
        root: root_of(path),
        title: format!("{}: {} — {}", view.kind, view.title, meta.name),
        script: false,
        page: view,
    };
    page.render()
        .map(String::into_bytes)
        .map_err(render_error(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_its_element() {
        let json = serde_json::to_string(&["</script><!--<script>&amp;"]).expect("json");
        let safe = script_json(&json);
        assert!(!safe.contains('<') && !safe.contains('>') && !safe.contains('&'));
        let back: Vec<String> = serde_json::from_str(&safe).expect("parses back");
        assert_eq!(back, ["</script><!--<script>&amp;"]);
    }

    #[test]
    fn roots_climb_one_folder_per_slash() {
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("tools/a.html"), "../");
    }
}
