//! Coverage: how many tools address each risk in each category, by status,
//! and which risks have no vetted tool or no tool at all.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Entry, Status, Taxonomy, Vocabulary};

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
