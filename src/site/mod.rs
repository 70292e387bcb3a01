//! The catalog as a static web site: an index page with live filtering, a
//! page per tool, and a page per category, risk and framework item.
//!
//! [`facets`] and [`view`] build the view models from the report layer's
//! views; [`pages`] lays them out with askama templates (`templates/site/`,
//! HTML-escaped by the engine). The stylesheet and the script are files of
//! the repository (`src/site/assets/`), embedded at build. The result is a
//! set of files, the same bytes for the same catalog: no dates, no
//! random ids, no absolute paths, nothing fetched from elsewhere. Pages go
//! to an [`Output`] as they are made, from several threads.

pub mod facets;
pub mod pages;
pub mod view;

use std::collections::BTreeSet;

use rayon::prelude::*;
use thiserror::Error;

use crate::model::{Entry, Frameworks as ModelFrameworks, Settings, Taxonomy, Vocabulary};
use crate::report::list::{self, Filter, Listing, SortKey};

/// The stylesheet, `assets/site.css`.
pub const STYLESHEET: &str = include_str!("assets/site.css");
/// The script of the index page, `assets/site.js`.
pub const SCRIPT: &str = include_str!("assets/site.js");

/// The file a site folder holds to say it was written by this command, with
/// the list of the site's files; `site --out` replaces only such a folder.
pub const MARKER: &str = ".alliance-catalog-site";

/// What was built: the site's files, by path, and how many tools it lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Built {
    /// Every file's path under the site folder (`/` between parts), sorted,
    /// the marker included.
    pub paths: Vec<String>,
    /// How many tools it lists.
    pub tools: usize,
}

/// Where the files of a site go, one at a time and from several threads:
/// to a folder (`site --out`) or to a comparison with one (`site --check`).
/// `path` is relative, with `/` between parts.
pub trait Output: Sync {
    /// Takes one file. The marker ([`MARKER`]) comes last, after every
    /// other file has been taken.
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), String>;
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
    /// The output refused a file.
    #[error("{message}")]
    Output {
        /// What went wrong.
        message: String,
    },
}

/// Builds the site of `entries` (a catalog without errors) into `out`,
/// page by page, so that a large catalog's site is never held whole.
pub fn build(
    settings: &Settings,
    taxonomy: &Taxonomy,
    model_frameworks: &ModelFrameworks,
    entries: &[&Entry],
    out: &dyn Output,
) -> Result<Built, SiteError> {
    let sorted = list::select(
        entries.iter().copied(),
        &Filter::default(),
        SortKey::Id,
        false,
    );
    let listing = Listing::of(sorted.iter().copied());
    let frameworks = view::Frameworks::of(model_frameworks, taxonomy);
    let known: BTreeSet<&str> = sorted.iter().map(|e| e.id.as_str()).collect();
    let meta = pages::Meta::new(settings);
    let paths = std::sync::Mutex::new(Vec::new());
    let put = |path: &str, bytes: &[u8]| -> Result<(), SiteError> {
        out.put(path, bytes)
            .map_err(|message| SiteError::Output { message })?;
        paths
            .lock()
            .map_err(|_| SiteError::Output {
                message: "a writer thread failed".into(),
            })?
            .push(path.to_string());
        Ok(())
    };

    put("assets/site.css", STYLESHEET.as_bytes())?;
    put("assets/site.js", SCRIPT.as_bytes())?;

    // The framework items of each entry, in listing order.
    let items: Vec<Vec<String>> = sorted
        .par_iter()
        .map(|e| frameworks.of_entry(model_frameworks, taxonomy, e))
        .collect();
    sorted
        .par_iter()
        .zip(items.par_iter())
        .try_for_each(|(e, of)| {
            let v = view::ToolView::of(e, taxonomy, &frameworks, of, &known);
            let path = format!("tools/{}.html", e.id);
            put(&path, &pages::tool(&meta, &v, &path)?)
        })?;
    let cards = |pick: &dyn Fn(usize) -> bool| -> Vec<view::Card> {
        listing
            .tools
            .iter()
            .enumerate()
            .filter(|(i, _)| pick(*i))
            .map(|(_, s)| view::Card::of(s))
            .collect()
    };
    for v in [Vocabulary::Categories, Vocabulary::Risks] {
        for term in taxonomy.terms(v) {
            let has = |i: usize| {
                let e = sorted[i];
                match v {
                    Vocabulary::Categories => e.categories.iter().any(|c| *c == term.id),
                    _ => e.risks.iter().any(|r| *r == term.id),
                }
            };
            let page = view::TermView::term(v, term, taxonomy, &frameworks, cards(&has));
            let path = format!("{}/{}.html", view::folder(v), view::slug(&term.id));
            put(&path, &pages::term(&meta, &page, &path)?)?;
        }
    }
    let counts = facets::item_counts(&items);
    for f in &frameworks.list {
        let page = view::TermView::framework(f, &frameworks, &counts);
        if let Some(path) = frameworks.page(&f.id) {
            put(&path, &pages::term(&meta, &page, &path)?)?;
        }
        for item in &f.items {
            let Some(path) = frameworks.page(&item.key) else {
                continue;
            };
            let has = |i: usize| items[i].contains(&item.key);
            let page = view::TermView::item(f, item, &frameworks, taxonomy, cards(&has));
            put(&path, &pages::term(&meta, &page, &path)?)?;
        }
    }
    let index = pages::index(&meta, taxonomy, &sorted, &listing, &frameworks, &items)?;
    put("index.html", &index)?;
    put(pages::MORE, &pages::index_more(&listing, &sorted)?)?;

    let mut paths = paths.into_inner().map_err(|_| SiteError::Output {
        message: "a writer thread failed".into(),
    })?;
    paths.sort();
    let mut manifest = String::from(
        "# Written by `alliance-catalog site`; `site --out` replaces this folder's files listed here.\n",
    );
    for p in &paths {
        manifest.push_str(p);
        manifest.push('\n');
    }
    out.put(MARKER, manifest.as_bytes())
        .map_err(|message| SiteError::Output { message })?;
    paths.push(MARKER.to_string());
    paths.sort();
    Ok(Built {
        paths,
        tools: sorted.len(),
    })
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
