//! Coverage: how many tools address each risk in each category, by status,
//! and which risks have no vetted tool or no tool at all; and, per item of a
//! framework, which tools reach it and through which risks, categories,
//! entry mappings or mitigations.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Entry, Framework, Relation, Status, Taxonomy, Vocabulary};

/// Counts of tools by vetting status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Vetted tools.
    pub vetted: usize,
    /// Provisional tools.
    pub provisional: usize,
    /// Deprecated tools.
    pub deprecated: usize,
}

impl Counts {
    /// Counts one more tool with `status`.
    pub fn add(&mut self, status: Status) {
        match status {
            Status::Vetted => self.vetted += 1,
            Status::Provisional => self.provisional += 1,
            Status::Deprecated => self.deprecated += 1,
        }
    }

    /// All tools, whatever their status.
    pub fn total(&self) -> usize {
        self.vetted + self.provisional + self.deprecated
    }
}

/// One risk's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RiskRow {
    /// Risk id.
    pub id: String,
    /// Risk title.
    pub title: String,
    /// Tools addressing the risk, by status.
    pub tools: Counts,
    /// Per category id: tools in that category addressing the risk.
    pub by_category: BTreeMap<String, Counts>,
}

/// The coverage report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Category ids, in taxonomy order (the columns).
    pub categories: Vec<String>,
    /// One row per risk, in taxonomy order.
    pub risks: Vec<RiskRow>,
    /// Risks that no vetted tool addresses.
    pub no_vetted_tool: Vec<String>,
    /// Risks that no tool at all addresses.
    pub no_tool: Vec<String>,
}

/// Builds the coverage of `entries` over the taxonomy.
pub fn coverage<'a>(
    taxonomy: &Taxonomy,
    entries: impl IntoIterator<Item = &'a Entry> + Clone,
) -> Coverage {
    let categories: Vec<String> = taxonomy
        .terms(Vocabulary::Categories)
        .iter()
        .map(|t| t.id.clone())
        .collect();
    let risks: Vec<RiskRow> = taxonomy
        .terms(Vocabulary::Risks)
        .iter()
        .map(|risk| {
            let mut tools = Counts::default();
            let mut by_category: BTreeMap<String, Counts> = categories
                .iter()
                .map(|c| (c.clone(), Counts::default()))
                .collect();
            for e in entries
                .clone()
                .into_iter()
                .filter(|e| e.risks.iter().any(|r| *r == risk.id))
            {
                tools.add(e.vetting.status);
                for c in &e.categories {
                    if let Some(counts) = by_category.get_mut(c.as_str()) {
                        counts.add(e.vetting.status);
                    }
                }
            }
            RiskRow {
                id: risk.id.clone(),
                title: risk.title.clone(),
                tools,
                by_category,
            }
        })
        .collect();
    let no_vetted_tool = risks
        .iter()
        .filter(|r| r.tools.vetted == 0)
        .map(|r| r.id.clone())
        .collect();
    let no_tool = risks
        .iter()
        .filter(|r| r.tools.total() == 0)
        .map(|r| r.id.clone())
        .collect();
    Coverage {
        categories,
        risks,
        no_vetted_tool,
        no_tool,
    }
}

impl Coverage {
    /// The column headings: `RISK`, each category, `TOTAL`, `VETTED`.
    pub fn header(&self) -> Vec<&str> {
        let mut header: Vec<&str> = vec!["RISK"];
        header.extend(self.categories.iter().map(String::as_str));
        header.extend(["TOTAL", "VETTED"]);
        header
    }

    /// The cells under [`Coverage::header`], one row per risk.
    pub fn cells(&self) -> Vec<Vec<String>> {
        self.risks
            .iter()
            .map(|r| {
                let mut row = vec![r.id.clone()];
                row.extend(self.categories.iter().map(|c| r.by_category[c].cell()));
                row.push(r.tools.total().to_string());
                row.push(r.tools.vetted.to_string());
                row
            })
            .collect()
    }
}

impl Counts {
    /// A grid cell: `·` for none, `3 (1v)` with vetted tools, else `3`.
    pub fn cell(&self) -> String {
        if self.total() == 0 {
            "·".into()
        } else if self.vetted > 0 {
            format!("{} ({}v)", self.total(), self.vetted)
        } else {
            self.total().to_string()
        }
    }
}

/// Ids joined by `, `, or `none`.
pub fn id_list(ids: &[String]) -> String {
    if ids.is_empty() {
        "none".to_string()
    } else {
        ids.join(", ")
    }
}

/// How a tool reaches a framework item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum By {
    /// The entry's own `mappings`.
    Entry,
    /// A risk the entry addresses, mapped to the item by the taxonomy.
    Risk,
    /// A category of the entry, mapped to the item by the taxonomy.
    Category,
}

/// One way a tool reaches a framework item.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Via {
    /// The tool's id.
    pub tool: String,
    /// Its vetting status.
    pub status: Status,
    /// How it reaches the first item of the path.
    pub by: By,
    /// The risk or category (null for the entry's own mapping).
    pub term: Option<String>,
    /// The relation of the taxonomy's mapping (null for the entry's own).
    pub relation: Option<Relation>,
    /// The mitigation the path goes through, when the item is a technique
    /// covered transitively (tool → mitigation → technique).
    pub mitigation: Option<String>,
}

impl Via {
    /// The path in words: `risk prompt-injection (exact)`,
    /// `category guardrail (close) → AML.M0020`, `entry`.
    pub fn describe(&self) -> String {
        let mut out = match (self.by, &self.term, self.relation) {
            (By::Entry, _, _) => "entry".to_string(),
            (by, Some(term), Some(rel)) => format!("{} {term} ({rel})", by.noun()),
            (by, _, _) => by.noun().to_string(),
        };
        if let Some(m) = &self.mitigation {
            out.push_str(" → ");
            out.push_str(m);
        }
        out
    }
}

impl By {
    /// The word for it.
    pub fn noun(self) -> &'static str {
        match self {
            By::Entry => "entry",
            By::Risk => "risk",
            By::Category => "category",
        }
    }
}

/// The items of `framework` that `entry` reaches, each with how: through
/// its own mappings, its risks and its categories, and for a framework with
/// mitigations (ATLAS) also the techniques those mitigations address.
pub fn reached(taxonomy: &Taxonomy, framework: &Framework, entry: &Entry) -> Vec<(String, Via)> {
    let via = |by: By, term: Option<&str>, relation: Option<Relation>| Via {
        tool: entry.id.to_string(),
        status: entry.vetting.status,
        by,
        term: term.map(str::to_string),
        relation,
        mitigation: None,
    };
    let mut out: Vec<(String, Via)> = Vec::new();
    for m in entry
        .mappings
        .iter()
        .filter(|m| m.framework == framework.id)
    {
        out.push((m.item.clone(), via(By::Entry, None, None)));
    }
    for (by, vocabulary, ids) in [
        (By::Risk, Vocabulary::Risks, &entry.risks),
        (By::Category, Vocabulary::Categories, &entry.categories),
    ] {
        for id in ids {
            let Some(term) = taxonomy.term(vocabulary, id.as_str()) else {
                continue;
            };
            for m in term.mappings.iter().filter(|m| m.framework == framework.id) {
                out.push((m.item.clone(), via(by, Some(&term.id), Some(m.relation))));
            }
        }
    }
    let direct = out.len();
    for i in 0..direct {
        let (item, first) = out[i].clone();
        if let Some(mitigation) = framework.item(&item) {
            for t in &mitigation.addresses {
                let mut v = first.clone();
                v.mitigation = Some(item.clone());
                out.push((t.clone(), v));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The tools of one framework item, by status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ToolsByStatus {
    /// Vetted tools' ids.
    pub vetted: Vec<String>,
    /// Provisional tools' ids.
    pub provisional: Vec<String>,
    /// Deprecated tools' ids.
    pub deprecated: Vec<String>,
}

impl ToolsByStatus {
    /// Adds tool `id`; the tools of one item arrive sorted by id (a tool
    /// reaching it several ways comes several times in a row), so a repeat
    /// is the last one added.
    fn add(&mut self, status: Status, id: &str) {
        let list = match status {
            Status::Vetted => &mut self.vetted,
            Status::Provisional => &mut self.provisional,
            Status::Deprecated => &mut self.deprecated,
        };
        if list.last().is_none_or(|t| t != id) {
            list.push(id.to_string());
        }
    }

    /// How many tools, whatever their status.
    pub fn total(&self) -> usize {
        self.vetted.len() + self.provisional.len() + self.deprecated.len()
    }
}

/// One framework item's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemRow {
    /// The item's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its kind (`technique`, `mitigation`), where the framework has kinds.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// The tools that reach it, by status.
    pub tools: ToolsByStatus,
    /// How each tool reaches it.
    pub via: Vec<Via>,
    /// The terms of the taxonomy mapped to it, whether or not a tool
    /// addresses them.
    pub terms: Vec<String>,
    /// The catalog's gap note on the item, else, when no tool reaches it,
    /// the gap notes of the terms mapped to it (`risk-id: note`).
    pub gap: Option<String>,
}

/// Counts of one kind of item (or of all).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KindCount {
    /// The kind, or `all`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Items of that kind.
    pub items: usize,
    /// Items that at least one tool reaches.
    pub with_tool: usize,
    /// Items that at least one vetted tool reaches.
    pub with_vetted_tool: usize,
}

/// What the coverage report says of the framework.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrameworkInfo {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its edition.
    pub edition: String,
    /// Its public address.
    pub source: String,
}

/// `coverage --framework NAME`: per item of the framework, the tools by
/// vetting status, how they reach it, and the gaps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrameworkCoverage {
    /// The framework.
    pub framework: FrameworkInfo,
    /// Counts: `all` first, then per kind in the order kinds first appear.
    pub summary: Vec<KindCount>,
    /// One row per item, in the framework's order.
    pub items: Vec<ItemRow>,
    /// Items no tool reaches.
    pub no_tool: Vec<String>,
    /// Items no vetted tool reaches.
    pub no_vetted_tool: Vec<String>,
}

/// Builds the coverage of `entries` over `framework`.
pub fn framework_coverage<'a>(
    taxonomy: &Taxonomy,
    framework: &Framework,
    entries: impl IntoIterator<Item = &'a Entry>,
) -> FrameworkCoverage {
    let mut by_item: BTreeMap<String, Vec<Via>> = BTreeMap::new();
    for e in entries {
        for (item, via) in reached(taxonomy, framework, e) {
            by_item.entry(item).or_default().push(via);
        }
    }
    let mut terms: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut term_gaps: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for vocabulary in [Vocabulary::Categories, Vocabulary::Risks] {
        for term in taxonomy.terms(vocabulary) {
            for m in term.mappings.iter().filter(|m| m.framework == framework.id) {
                terms
                    .entry(m.item.as_str())
                    .or_default()
                    .push(term.id.clone());
                if let Some(gap) = &term.gap {
                    term_gaps
                        .entry(m.item.as_str())
                        .or_default()
                        .push(format!("{}: {gap}", term.id));
                }
            }
        }
    }
    let items: Vec<ItemRow> = framework
        .items
        .iter()
        .map(|item| {
            let mut via = by_item.remove(&item.id).unwrap_or_default();
            via.sort_by(|a, b| (&a.tool, a).cmp(&(&b.tool, b)));
            let mut tools = ToolsByStatus::default();
            for v in &via {
                tools.add(v.status, &v.tool);
            }
            let mut mapped = terms.get(item.id.as_str()).cloned().unwrap_or_default();
            mapped.dedup();
            ItemRow {
                id: item.id.clone(),
                title: item.title.clone(),
                kind: item.kind.clone(),
                via,
                terms: mapped,
                // The item's own note, else, when no tool reaches it, the
                // notes of the terms mapped to it.
                gap: item.gap.clone().or_else(|| {
                    (tools.total() == 0)
                        .then(|| term_gaps.get(item.id.as_str()).map(|g| g.join(" ")))
                        .flatten()
                }),
                tools,
            }
        })
        .collect();
    let count = |kind: &str, rows: &mut dyn Iterator<Item = &ItemRow>| {
        let mut c = KindCount {
            kind: kind.to_string(),
            items: 0,
            with_tool: 0,
            with_vetted_tool: 0,
        };
        for r in rows {
            c.items += 1;
            c.with_tool += usize::from(r.tools.total() > 0);
            c.with_vetted_tool += usize::from(!r.tools.vetted.is_empty());
        }
        c
    };
    let mut summary = vec![count("all", &mut items.iter())];
    let mut kinds: Vec<&str> = Vec::new();
    for r in &items {
        if let Some(k) = r.kind.as_deref()
            && !kinds.contains(&k)
        {
            kinds.push(k);
        }
    }
    for k in kinds {
        summary.push(count(
            k,
            &mut items.iter().filter(|r| r.kind.as_deref() == Some(k)),
        ));
    }
    FrameworkCoverage {
        framework: FrameworkInfo {
            id: framework.id.clone(),
            name: framework.name.clone(),
            edition: framework.edition.clone(),
            source: framework.source.clone(),
        },
        summary,
        no_tool: items
            .iter()
            .filter(|r| r.tools.total() == 0)
            .map(|r| r.id.clone())
            .collect(),
        no_vetted_tool: items
            .iter()
            .filter(|r| r.tools.vetted.is_empty())
            .map(|r| r.id.clone())
            .collect(),
        items,
    }
}

impl FrameworkCoverage {
    /// The column headings of the item table.
    pub const HEADER: [&'static str; 6] = ["ITEM", "TITLE", "TOOLS", "VETTED", "THROUGH", "GAP"];

    /// The cells under [`FrameworkCoverage::HEADER`], one row per item.
    /// THROUGH lists the distinct paths (without tool names).
    pub fn cells(&self) -> Vec<Vec<String>> {
        self.items
            .iter()
            .map(|r| {
                let mut paths: Vec<String> = r.via.iter().map(Via::describe).collect();
                paths.sort();
                paths.dedup();
                vec![
                    r.id.clone(),
                    r.title.clone(),
                    r.tools.total().to_string(),
                    r.tools.vetted.len().to_string(),
                    paths.join("; "),
                    r.gap.clone().unwrap_or_default(),
                ]
            })
            .collect()
    }

    /// One line per kind: `technique: 9 of 101 items have a tool (0 a vetted tool)`.
    pub fn summary_lines(&self) -> Vec<String> {
        self.summary
            .iter()
            .map(|c| {
                let what = if c.kind == "all" {
                    "items".to_string()
                } else {
                    format!("{} items", c.kind)
                };
                format!(
                    "{} of {} {what} have a tool ({} a vetted tool)",
                    c.with_tool, c.items, c.with_vetted_tool
                )
            })
            .collect()
    }
}
