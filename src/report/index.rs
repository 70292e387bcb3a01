//! The markdown index of the catalog (`INDEX.md`) as a view: the catalog's
//! name, the counts, each category and each risk of the taxonomy with the
//! tools under it. [`crate::render::index`] writes it.

use crate::model::{Entry, Frameworks, Settings, Status, Taxonomy, Term, TermId, Vocabulary};
use crate::report::coverage::{Counts, FrameworkCoverage, framework_coverage};

/// The index: every tool once, sorted by id, and the sections that list
/// them by position in [`Index::tools`].
#[derive(Debug, Clone, PartialEq)]
pub struct Index<'a> {
    /// The catalog's name.
    pub name: &'a str,
    /// What the catalog is (may be empty).
    pub description: &'a str,
    /// The folder of the entry files, relative to the settings.
    pub tools_path: &'a str,
    /// Tools by vetting status.
    pub counts: Counts,
    /// Every tool, sorted by id.
    pub tools: Vec<IndexTool>,
    /// One section per category, in taxonomy order.
    pub categories: Vec<Section<'a>>,
    /// One section per risk, in taxonomy order.
    pub risks: Vec<Section<'a>>,
    /// One section per framework of the catalog, by framework id.
    pub frameworks: Vec<FrameworkSection>,
}

/// A framework's coverage, with each item's tools as positions in
/// [`Index::tools`].
#[derive(Debug, Clone, PartialEq)]
pub struct FrameworkSection {
    /// The coverage of the framework.
    pub coverage: FrameworkCoverage,
    /// Per item of `coverage.items`, the positions of its tools, in id order.
    pub tools: Vec<Vec<usize>>,
}

/// A term of the taxonomy and the tools under it.
#[derive(Debug, Clone, PartialEq)]
pub struct Section<'a> {
    /// The term.
    pub term: &'a Term,
    /// Positions in [`Index::tools`], in id order.
    pub tools: Vec<usize>,
}

/// What the index shows of one tool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexTool {
    /// Display name.
    pub name: String,
    /// Its page: the homepage, else the repository.
    pub link: String,
    /// One-line summary.
    pub summary: String,
    /// Licence expression.
    pub license: String,
    /// Whether the licence can be met with OSI-approved licences only.
    pub osi_approved: bool,
    /// The newest version.
    pub latest_version: Option<String>,
    /// Vetting status.
    pub status: Status,
    /// Language tags.
    pub languages: Vec<String>,
}

impl IndexTool {
    /// What the index shows of `entry`.
    pub fn of(entry: &Entry) -> IndexTool {
        IndexTool {
            name: entry.name.clone(),
            link: entry
                .homepage
                .as_deref()
                .unwrap_or(&entry.repository)
                .to_string(),
            summary: entry.summary.clone(),
            license: entry.license.to_string(),
            osi_approved: entry.osi_approved_license(),
            latest_version: entry.latest_version().map(|v| v.to_string()),
            status: entry.vetting.status,
            languages: entry.languages.to_vec(),
        }
    }
}

impl<'a> Index<'a> {
    /// The index of `entries` over the taxonomy.
    pub fn build(
        settings: &'a Settings,
        taxonomy: &'a Taxonomy,
        frameworks: &Frameworks,
        entries: &[&Entry],
    ) -> Index<'a> {
        let mut entries: Vec<&Entry> = entries.to_vec();
        entries.sort_by(|a, b| a.id.cmp(&b.id));
        let mut counts = Counts::default();
        for e in &entries {
            counts.add(e.vetting.status);
        }
        let section = |vocabulary: Vocabulary, has: fn(&Entry) -> &[TermId]| -> Vec<Section<'a>> {
            taxonomy
                .terms(vocabulary)
                .iter()
                .map(|term| Section {
                    term,
                    tools: (0..entries.len())
                        .filter(|&i| has(entries[i]).iter().any(|t| *t == term.id))
                        .collect(),
                })
                .collect()
        };
        // `entries` is sorted by id: a tool's place is found by bisection.
        let position = |id: &str| entries.binary_search_by(|e| e.id.as_str().cmp(id)).ok();
        let frameworks = frameworks
            .iter()
            .map(|f| {
                let coverage = framework_coverage(taxonomy, f, entries.iter().copied());
                let tools = coverage
                    .items
                    .iter()
                    .map(|item| {
                        let t = &item.tools;
                        let mut at: Vec<usize> = t
                            .vetted
                            .iter()
                            .chain(&t.provisional)
                            .chain(&t.deprecated)
                            .filter_map(|id| position(id))
                            .collect();
                        at.sort_unstable();
                        at
                    })
                    .collect();
                FrameworkSection { coverage, tools }
            })
            .collect();
        Index {
            name: &settings.name,
            frameworks,
            description: &settings.description,
            tools_path: &settings.paths.tools,
            counts,
            categories: section(Vocabulary::Categories, |e| &e.categories),
            risks: section(Vocabulary::Risks, |e| &e.risks),
            tools: entries.iter().map(|e| IndexTool::of(e)).collect(),
        }
    }

    /// The tools of a section.
    pub fn tools_of<'s>(&'s self, section: &'s Section<'_>) -> impl Iterator<Item = &'s IndexTool> {
        section.tools.iter().map(|&i| &self.tools[i])
    }
}

/// How a committed index differs from the generated one: a unified diff
/// with two lines of context, headed `NAME (committed)` / `NAME (generated)`.
pub fn drift(name: &str, committed: &str, generated: &str) -> String {
    similar::TextDiff::from_lines(committed, generated)
        .unified_diff()
        .context_radius(2)
        .header(
            &format!("{name} (committed)"),
            &format!("{name} (generated)"),
        )
        .to_string()
}
