//! The facets of the index page: which filters it offers, with which
//! options, and how many tools each option selects. One table
//! ([`FACET_DEFS`]) drives the buttons, the data the page's script filters
//! on, and the counts; a new facet (framework items, once the crosswalks
//! exist) is one more row.
//!
//! Each facet's key is the name of the `list` filter it stands for, so the
//! page's URL query reads like the command line (`?risk=prompt-injection`).
//! Counts come from [`Filter::matches`], the very test `list` applies.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Entry, Status, Taxonomy, Vocabulary};
use crate::report::list::Filter;

/// How a facet's chosen value is compared with a tool's values; the page's
/// script has one function for each, written to agree with `list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Matching {
    /// Equal strings.
    Exact,
    /// BCP 47 tags: `pt` matches `pt-BR`, `any` matches every language.
    Language,
    /// An SPDX identifier appearing in the licence expression.
    License,
}

/// One facet as the page's script sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetKey {
    /// The URL query name, the same as the `list` option (`risk`).
    pub key: &'static str,
    /// How values are compared.
    #[serde(rename = "match")]
    pub matching: Matching,
    /// The field of the tool's `list --format json` row that holds its
    /// values; without one, the page's data carries them apart, under the key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
}

/// One facet with its options, for the page's filter panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facet {
    /// Key and matching.
    pub key: FacetKey,
    /// The heading shown.
    pub label: &'static str,
    /// Whether the panel opens with this facet unfolded.
    pub open: bool,
    /// The options, in taxonomy order (or sorted, for free values).
    pub options: Vec<FacetOption>,
}

/// One option of a facet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetOption {
    /// The value written in the URL.
    pub value: String,
    /// The text shown.
    pub label: String,
    /// How many tools of the whole catalog it selects.
    pub count: usize,
}

/// Where a facet's options come from.
#[derive(Debug, Clone, Copy)]
enum Options {
    /// The terms of a taxonomy vocabulary, titled.
    Terms(Vocabulary),
    /// The distinct values the entries use.
    Used,
    /// The vetting statuses.
    Statuses,
    /// None shown: the facet filters from the URL but has no buttons.
    Hidden,
}

/// One row of the facet table.
struct FacetDef {
    key: &'static str,
    label: &'static str,
    matching: Matching,
    open: bool,
    options: Options,
    /// The field of the listing row with the same values, if there is one.
    field: Option<&'static str>,
    /// The tool's values of this facet, as the page's script compares them.
    values: fn(&Entry) -> Vec<String>,
    /// The `list` filter selecting `value` of this facet.
    filter: fn(&str) -> Filter,
}

fn strings<T: AsRef<str>>(items: &[T]) -> Vec<String> {
    items.iter().map(|s| s.as_ref().to_string()).collect()
}

/// The facets, in the order the page shows them.
const FACET_DEFS: &[FacetDef] = &[
    FacetDef {
        key: "category",
        field: Some("categories"),
        label: "Category",
        matching: Matching::Exact,
        open: true,
        options: Options::Terms(Vocabulary::Categories),
        values: |e| strings(&e.categories),
        filter: |v| Filter {
            categories: vec![v.to_string()],
            ..Filter::default()
        },
    },
    FacetDef {
        key: "risk",
        field: Some("risks"),
        label: "Risk",
        matching: Matching::Exact,
        open: false,
        options: Options::Terms(Vocabulary::Risks),
        values: |e| strings(&e.risks),
        filter: |v| Filter {
            risks: vec![v.to_string()],
            ..Filter::default()
        },
    },
    FacetDef {
        key: "lifecycle",
        field: None,
        label: "Lifecycle stage",
        matching: Matching::Exact,
        open: false,
        options: Options::Terms(Vocabulary::Lifecycle),
        values: |e| strings(&e.lifecycle),
        filter: |v| Filter {
            lifecycle: vec![v.to_string()],
            ..Filter::default()
        },
    },
    FacetDef {
        key: "modality",
        field: Some("modalities"),
        label: "Modality",
        matching: Matching::Exact,
        open: false,
        options: Options::Terms(Vocabulary::Modalities),
        values: |e| strings(&e.modalities),
        filter: |v| Filter {
            modalities: vec![v.to_string()],
            ..Filter::default()
        },
    },
    FacetDef {
        key: "interface",
        field: Some("interfaces"),
        label: "Interface",
        matching: Matching::Exact,
        open: false,
        options: Options::Terms(Vocabulary::Interfaces),
        values: |e| strings(&e.interfaces),
        filter: |v| Filter {
            interfaces: vec![v.to_string()],
            ..Filter::default()
        },
    },
    FacetDef {
        key: "language",
        field: Some("languages"),
        label: "Language",
        matching: Matching::Language,
        open: false,
        options: Options::Used,
        values: |e| e.languages.to_vec(),
        filter: |v| Filter {
            languages: vec![v.to_string()],
            ..Filter::default()
        },
    },
    FacetDef {
        key: "status",
        field: Some("status"),
        label: "Vetting status",
        matching: Matching::Exact,
        open: true,
        options: Options::Statuses,
        values: |e| vec![e.vetting.status.as_str().to_string()],
        filter: |v| Filter {
            statuses: Status::parse(v).into_iter().collect(),
            ..Filter::default()
        },
    },
    FacetDef {
        key: "license",
        field: Some("license"),
        label: "Licence",
        matching: Matching::License,
        open: false,
        options: Options::Used,
        values: |e| vec![e.license.as_str().to_string()],
        filter: |v| Filter {
            licenses: vec![v.to_string()],
            ..Filter::default()
        },
    },
    FacetDef {
        key: "tag",
        field: None,
        label: "Tag",
        matching: Matching::Exact,
        open: false,
        options: Options::Hidden,
        values: |e| e.tags.to_vec(),
        filter: |v| Filter {
            tags: vec![v.to_string()],
            ..Filter::default()
        },
    },
];

/// The keys of every facet, in page order, as the script reads them.
pub fn keys() -> Vec<FacetKey> {
    FACET_DEFS
        .iter()
        .map(|d| FacetKey {
            key: d.key,
            matching: d.matching,
            field: d.field,
        })
        .collect()
}

/// The values of one tool for the facets its listing row does not hold,
/// by key.
pub fn values_of(entry: &Entry) -> BTreeMap<&'static str, Vec<String>> {
    FACET_DEFS
        .iter()
        .filter(|d| d.field.is_none())
        .map(|d| (d.key, (d.values)(entry)))
        .collect()
}

/// The facets with buttons, each option counted over `entries`.
pub fn facets(taxonomy: &Taxonomy, entries: &[&Entry]) -> Vec<Facet> {
    FACET_DEFS
        .iter()
        .filter_map(|d| {
            let choices: Vec<(String, String)> = match d.options {
                Options::Hidden => return None,
                Options::Terms(v) => taxonomy
                    .terms(v)
                    .iter()
                    .map(|t| (t.id.clone(), t.title.clone()))
                    .collect(),
                Options::Statuses => [Status::Vetted, Status::Provisional, Status::Deprecated]
                    .iter()
                    .map(|s| (s.as_str().to_string(), s.as_str().to_string()))
                    .collect(),
                Options::Used => used_values(d, entries),
            };
            let options = choices
                .into_iter()
                .map(|(value, label)| {
                    let filter = (d.filter)(&value);
                    let count = entries.iter().filter(|e| filter.matches(e)).count();
                    FacetOption {
                        value,
                        label,
                        count,
                    }
                })
                .collect();
            Some(Facet {
                key: FacetKey {
                    key: d.key,
                    matching: d.matching,
                    field: d.field,
                },
                label: d.label,
                open: d.open,
                options,
            })
        })
        .collect()
}

/// The distinct values the entries give a free facet (languages, licence
/// identifiers), compared case-insensitively, sorted; `any` is left out,
/// since an entry declaring it matches every language anyway.
fn used_values(d: &FacetDef, entries: &[&Entry]) -> Vec<(String, String)> {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for e in entries {
        for value in (d.values)(e) {
            let parts = match d.matching {
                Matching::License => license_ids(&value),
                _ => vec![value],
            };
            for part in parts {
                if part.eq_ignore_ascii_case("any") && d.matching == Matching::Language {
                    continue;
                }
                seen.entry(part.to_ascii_lowercase()).or_insert(part);
            }
        }
    }
    seen.into_values().map(|v| (v.clone(), v)).collect()
}

/// The licence identifiers of an SPDX expression, as written (`+` dropped).
fn license_ids(expression: &str) -> Vec<String> {
    expression
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|t| !matches!(*t, "AND" | "OR" | "WITH" | ""))
        .map(|t| t.trim_end_matches('+').to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licence_identifiers_leave_out_operators() {
        assert_eq!(
            license_ids("(Apache-2.0 OR MIT) AND GPL-2.0+ WITH Classpath-exception-2.0"),
            ["Apache-2.0", "MIT", "GPL-2.0", "Classpath-exception-2.0"]
        );
    }

    #[test]
    fn every_facet_key_is_a_list_filter_name() {
        let names = [
            "category",
            "risk",
            "lifecycle",
            "modality",
            "interface",
            "language",
            "status",
            "license",
            "tag",
        ];
        let keys: Vec<&str> = keys().iter().map(|k| k.key).collect();
        assert_eq!(keys, names);
    }
}
