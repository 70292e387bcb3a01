//! The catalog as a static web site: an index page with live filtering, a
//! page per tool, and a page per category, risk and framework item.
//!
//! [`facets`] and [`view`] build the view models from the report layer's
//! views; [`pages`] lays them out with askama templates (`templates/site/`,
//! HTML-escaped by the engine). The stylesheet and the script are files of
//! the repository (`src/site/assets/`), embedded at build. The result is a
//! sorted list of files, the same bytes for the same catalog: no dates, no
//! random ids, no absolute paths, nothing fetched from elsewhere.

pub mod facets;
pub mod pages;
pub mod view;

use std::collections::BTreeSet;

use rayon::prelude::*;
use thiserror::Error;

use crate::model::{Entry, Settings, Taxonomy, Vocabulary};
use crate::report::list::{self, Filter, Listing, SortKey};

/// The stylesheet, `assets/site.css`.
pub const STYLESHEET: &str = include_str!("assets/site.css");
/// The script of the index page, `assets/site.js`.
pub const SCRIPT: &str = include_str!("assets/site.js");

/// The file a site folder holds to say it was written by this command, with
/// the list of the site's files; `site --out` replaces only such a folder.
pub const MARKER: &str = ".alliance-catalog-site";

/// One file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFile {
    /// Its path under the site folder, with `/` between parts.
    pub path: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// The whole site, files sorted by path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// The files, sorted by path.
    pub files: Vec<SiteFile>,
    /// How many tools it lists.
    pub tools: usize,
}

/// Why the site could not be built.
#[derive(Debug, Error)]
pub enum SiteError {
    /// A template failed to render.
    #[error("cannot render {page}: {source}")]
    Render {
        /// The page.
        page: String,
        /// The engine's error.
        #[source]
        source: askama::Error,
    },
    /// A view could not be written as JSON or CSV.
    #[error("cannot write the data of {page}: {message}")]
    Data {
        /// The page.
        page: String,
        /// What went wrong.
        message: String,
    },
}

/// Builds the site of `entries` (a catalog without errors).
pub fn build(
    settings: &Settings,
    taxonomy: &Taxonomy,
    entries: &[&Entry],
) -> Result<Site, SiteError> {
    let sorted = list::select(
        entries.iter().copied(),
        &Filter::default(),
        SortKey::Id,
        false,
    );
    let listing = Listing::of(sorted.iter().copied());
    let frameworks = view::Frameworks::of(taxonomy);
    let known: BTreeSet<&str> = sorted.iter().map(|e| e.id.as_str()).collect();
    let meta = pages::Meta::new(settings);
    let mut files = Vec::new();

    let data = |page: &str, e: std::io::Error| SiteError::Data {
        page: page.to_string(),
        message: e.to_string(),
    };
    let mut json = Vec::new();
    crate::render::json(&mut json, &listing).map_err(|e| data("tools.json", e))?;
    let mut csv = Vec::new();
    crate::render::csv(&mut csv, &listing.tools).map_err(|e| data("tools.csv", e))?;
    files.push(file("tools.json", json));
    files.push(file("tools.csv", csv));
    files.push(file("assets/site.css", STYLESHEET.as_bytes().to_vec()));
    files.push(file("assets/site.js", SCRIPT.as_bytes().to_vec()));


    // The framework items of each entry, in listing order.
    let items: Vec<Vec<String>> = sorted
        .iter()
        .map(|e| frameworks.of_entry(taxonomy, e))
        .collect();
    let tool_pages: Vec<SiteFile> = sorted
        .par_iter()
        .map(|e| {
            let v = view::ToolView::of(e, taxonomy, &frameworks, &known);
            let path = format!("tools/{}.html", e.id);
            Ok(file(&path, pages::tool(&meta, &v, &path)?))
        })
        .collect::<Result<_, SiteError>>()?;
    files.extend(tool_pages);
    let cards = |pick: &dyn Fn(&Entry) -> bool| -> Vec<view::Card> {
        listing
            .tools
            .iter()
            .zip(&sorted)
            .filter(|(_, e)| pick(e))
            .map(|(s, _)| view::Card::of(s))
            .collect()
    };
    for v in [Vocabulary::Categories, Vocabulary::Risks] {
        for term in taxonomy.terms(v) {
            let has = |e: &Entry| match v {
                Vocabulary::Categories => e.categories.iter().any(|c| *c == term.id),
                _ => e.risks.iter().any(|r| *r == term.id),
            };
            let page = view::TermView::term(v, term, taxonomy, &frameworks, cards(&has));
            let path = format!("{}/{}.html", view::folder(v), view::slug(&term.id));
            files.push(file(&path, pages::term(&meta, &page, &path)?));
        }
    }
    for (item, terms) in &frameworks.items {
        let cards: Vec<view::Card> = listing
            .tools
            .iter()
            .zip(&items)
            .filter(|(_, of)| of.contains(item))
            .map(|(s, _)| view::Card::of(s))
            .collect();
        let page = view::TermView::item(item, terms, taxonomy, cards);
        let path = format!("framework/{}.html", frameworks.pages[item]);
        files.push(file(&path, pages::term(&meta, &page, &path)?));
    }
    let index = pages::index(&meta, taxonomy, &sorted, &listing, &frameworks, &items)?;
    files.push(file("index.html", index));

    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut manifest = String::from(
        "# Written by `alliance-catalog site`; `site --out` replaces this folder's files listed here.\n",
    );
    for f in &files {
        manifest.push_str(&f.path);
        manifest.push('\n');
    }
    files.push(file(MARKER, manifest.into_bytes()));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Site {
        files,
        tools: sorted.len(),
    })
}

fn file(path: &str, bytes: Vec<u8>) -> SiteFile {
    SiteFile {
        path: path.to_string(),
        bytes,
    }
}

/// The paths a marker file lists (comment lines and anything that is not a
/// plain relative path inside the folder left out).
pub fn listed_paths(marker: &str) -> Vec<String> {
    marker
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .filter(|l| {
            !l.starts_with('/')
                && !l.contains('\\')
                && l.split('/')
                    .all(|part| !part.is_empty() && part != "." && part != "..")
        })
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_paths_stay_inside_the_folder() {
        let listed = listed_paths("# c\nindex.html\n../x\n/etc/passwd\ntools/a.html\na//b\n./c\n");
        assert_eq!(listed, ["index.html", "tools/a.html"]);
    }
}
