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

use std::collections::{BTreeMap, BTreeSet};

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
    // Each listed tool's card, and which tools each term and item page lists.
    let all_cards: Vec<view::Card> = listing.tools.par_iter().map(view::Card::of).collect();
    let mut listed: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (i, e) in sorted.iter().enumerate() {
        for (v, ids) in [
            (Vocabulary::Categories, &e.categories),
            (Vocabulary::Risks, &e.risks),
        ] {
            for id in ids {
                listed
                    .entry((view::folder(v), id.as_str()))
                    .or_default()
                    .push(i);
            }
        }
    }
    let mut reaching: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, of) in items.iter().enumerate() {
        for item in of {
            reaching.entry(item.as_str()).or_default().push(i);
        }
    }
    let cards = |at: Option<&Vec<usize>>| -> Vec<&view::Card> {
        at.map_or_else(Vec::new, |at| at.iter().map(|&i| &all_cards[i]).collect())
    };
    let counts = facets::item_counts(&items);

    // The pages of terms, frameworks and items, as jobs for the thread pool.
    enum Job<'a> {
        Term(Vocabulary, &'a crate::model::Term),
        Framework(&'a view::FrameworkInfo),
        Item(&'a view::FrameworkInfo, &'a view::ItemInfo),
    }
    let mut jobs = Vec::new();
    for v in [Vocabulary::Categories, Vocabulary::Risks] {
        jobs.extend(taxonomy.terms(v).iter().map(|t| Job::Term(v, t)));
    }
    for f in &frameworks.list {
        jobs.push(Job::Framework(f));
        jobs.extend(f.items.iter().map(|i| Job::Item(f, i)));
    }
    jobs.par_iter().try_for_each(|job| {
        let (path, page) = match job {
            Job::Term(v, term) => (
                format!("{}/{}.html", view::folder(*v), view::slug(&term.id)),
                view::TermView::term(
                    *v,
                    term,
                    taxonomy,
                    &frameworks,
                    cards(listed.get(&(view::folder(*v), term.id.as_str()))),
                ),
            ),
            Job::Framework(f) => match frameworks.page(&f.id) {
                Some(path) => (path, view::TermView::framework(f, &frameworks, &counts)),
                None => return Ok(()),
            },
            Job::Item(f, item) => match frameworks.page(&item.key) {
                Some(path) => (
                    path,
                    view::TermView::item(
                        f,
                        item,
                        &frameworks,
                        taxonomy,
                        cards(reaching.get(item.key.as_str())),
                    ),
                ),
                None => return Ok(()),
            },
        };
        put(&path, &pages::term(&meta, &page, &path)?)
    })?;
    let index = pages::index(&meta, taxonomy, &sorted, &all_cards, &frameworks, &items)?;
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
