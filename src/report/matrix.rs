//! The requirement matrix of `compat --matrix`: each tool's latest version
//! and what it requires of each platform any of them names.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Entry, Taxonomy, Vocabulary};

/// The matrix: platform columns and one row per tool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Matrix {
    /// Platform ids some tool's latest version requires, in taxonomy order.
    pub platforms: Vec<String>,
    /// One row per tool, in the order given.
    pub tools: Vec<MatrixRow>,
}

/// One tool's latest version and its requirements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatrixRow {
    /// The tool's id.
    pub id: String,
    /// Its latest version (`None` only when it lists none).
    pub version: Option<String>,
    /// Platform -> requirement of that version, as written.
    pub requires: BTreeMap<String, String>,
}

impl MatrixRow {
    /// The row of one entry.
    pub fn of(entry: &Entry) -> MatrixRow {
        let latest = entry.latest();
        MatrixRow {
            id: entry.id.to_string(),
            version: latest.map(|r| r.version.to_string()),
            requires: latest
                .map(|r| {
                    r.requires
                        .iter()
                        .map(|(p, req)| (p.to_string(), req.to_string()))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
}

impl Matrix {
    /// The matrix of `entries` over the taxonomy's platforms.
    pub fn build(taxonomy: &Taxonomy, entries: &[&Entry]) -> Matrix {
        let tools: Vec<MatrixRow> = entries.iter().map(|e| MatrixRow::of(e)).collect();
        let platforms = taxonomy
            .terms(Vocabulary::Platforms)
            .iter()
            .map(|t| t.id.as_str())
            .filter(|p| tools.iter().any(|r| r.requires.contains_key(*p)))
            .map(str::to_string)
            .collect();
        Matrix { platforms, tools }
    }

    /// The column headings: `TOOL`, `VERSION`, then each platform.
    pub fn header(&self) -> Vec<&str> {
        let mut header = vec!["TOOL", "VERSION"];
        header.extend(self.platforms.iter().map(String::as_str));
        header
    }

    /// The cells under [`Matrix::header`]; `-` where a tool requires nothing
    /// of a platform.
    pub fn cells(&self) -> Vec<Vec<String>> {
        self.tools
            .iter()
            .map(|r| {
                let mut row = vec![r.id.clone(), r.version.clone().unwrap_or_default()];
                for p in &self.platforms {
                    row.push(r.requires.get(p).cloned().unwrap_or_else(|| "-".into()));
                }
                row
            })
            .collect()
    }
}
