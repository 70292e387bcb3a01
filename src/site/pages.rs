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
use crate::report::list::{Listing, ToolSummary};

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
    cards: Vec<Card>,
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
    page: &'a TermView,
}

/// The data the index page's script filters: the facets, the header of
/// `list --format csv`, and per tool its `list --format json` row, the
/// facet values that row lacks and its description (searched). The script
/// writes a tool's CSV row from its JSON row, as `render::csv` does.
#[derive(Serialize)]
struct IndexData<'a> {
    facets: Vec<FacetKey>,
    #[serde(rename = "csvHeader")]
    csv_header: String,
    tools: Vec<ToolData<'a>>,
}

#[derive(Serialize)]
struct ToolData<'a> {
    summary: &'a ToolSummary<'a>,
    more: BTreeMap<&'static str, Vec<String>>,
    description: Option<&'a str>,
}

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

/// The index page; `items` are the framework items of each entry.
pub fn index(
    meta: &Meta,
    taxonomy: &Taxonomy,
    entries: &[&Entry],
    listing: &Listing<'_>,
    frameworks: &Frameworks,
    items: &[Vec<String>],
) -> Result<Vec<u8>, SiteError> {
    let header = csv_text(&[])?;
    let mut tools = Vec::with_capacity(entries.len());
    for (summary, entry) in listing.tools.iter().zip(entries) {
        tools.push(ToolData {
            summary,
            more: facets::values_of(entry),
            description: entry.description.as_deref(),
        });
    }
    let data = IndexData {
        facets: facets::keys(),
        csv_header: header,
        tools,
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
        label: "Framework items",
        links: frameworks
            .items
            .keys()
            .map(|item| {
                let count = items.iter().filter(|of| of.contains(item)).count();
                let link = Local {
                    text: item.clone(),
                    href: format!("framework/{}.html", frameworks.pages[item]),
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
        facets: facets::facets(taxonomy, entries),
        sorts: SORTS,
        cards: listing.tools.iter().map(Card::of).collect(),
        total: entries.len(),
        browse,
        data: script_json(&json),
    };
    page.render()
        .map(String::into_bytes)
        .map_err(render_error("index.html"))
}

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
pub fn term(meta: &Meta, view: &TermView, path: &str) -> Result<Vec<u8>, SiteError> {
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
