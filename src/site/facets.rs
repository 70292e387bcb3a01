//! The facets of the index page: which filters it offers, with which
//! options, and how many tools each option selects. One table
//! ([`FACET_DEFS`]) drives the buttons, the data the page's script filters
//! on, and the counts; a new facet is one more row.
//!
//! Each facet's key is the name of the `list` filter it stands for, so the
//! page's URL query reads like the command line (`?risk=prompt-injection`).
//! Counts come from [`Filter::matches`], the very test `list` applies.

use std::collections::BTreeMap;

use serde::Serialize;

use super::view::Frameworks;
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
    /// Whether `include-unknown` lets a tool with no value pass it (as
    /// `list --include-unknown` does for its attribute filters).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unknown: bool,
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
    /// The options, in taxonomy order (or sorted, for free values), in
    /// groups (one framework's items); most facets have one group.
    pub groups: Vec<OptionGroup>,
}

/// Options shown together, under a heading when there are several groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionGroup {
    /// The heading (the facet's label for a facet of one group).
    pub label: String,
    /// The options.
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
    /// The items of the catalog's frameworks that some tool reaches,
    /// grouped by framework.
    Items,
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
    /// Whether `list --include-unknown` applies to it.
    unknown: bool,
    /// The tool's values of this facet, as the page's script compares
    /// them, from the entry and the framework items it reaches.
    values: fn(&Entry, &[String]) -> Vec<String>,
    /// The `list` filter selecting `value` of this facet (none for
    /// framework items, which `list` selects apart from its filter).
    filter: Option<fn(&str) -> Filter>,
}

fn strings<T: AsRef<str>>(items: &[T]) -> Vec<String> {
    items.iter().map(|s| s.as_ref().to_string()).collect()
}

/// The facets, in the order the page shows them.
const FACET_DEFS: &[FacetDef] = &[
    FacetDef {
        key: "category",
        label: "Category",
        matching: Matching::Exact,
        open: true,
        unknown: true,
        options: Options::Terms(Vocabulary::Categories),
        values: |e, _| strings(&e.categories),
        filter: Some(|v| Filter {
            categories: vec![v.to_string()],
            ..Filter::default()
        }),
    },
    FacetDef {
        key: "risk",
        label: "Risk",
        matching: Matching::Exact,
        open: false,
        unknown: true,
        options: Options::Terms(Vocabulary::Risks),
        values: |e, _| strings(&e.risks),
        filter: Some(|v| Filter {
            risks: vec![v.to_string()],
            ..Filter::default()
        }),
    },
    FacetDef {
        key: "lifecycle",
        label: "Lifecycle stage",
        matching: Matching::Exact,
        open: false,
        unknown: true,
        options: Options::Terms(Vocabulary::Lifecycle),
        values: |e, _| strings(&e.lifecycle),
        filter: Some(|v| Filter {
            lifecycle: vec![v.to_string()],
            ..Filter::default()
        }),
    },
    FacetDef {
        key: "modality",
        label: "Modality",
        matching: Matching::Exact,
        open: false,
        unknown: true,
        options: Options::Terms(Vocabulary::Modalities),
        values: |e, _| strings(&e.modalities),
        filter: Some(|v| Filter {
            modalities: vec![v.to_string()],
            ..Filter::default()
        }),
    },
    FacetDef {
        key: "interface",
        label: "Interface",
        matching: Matching::Exact,
        open: false,
        unknown: true,
        options: Options::Terms(Vocabulary::Interfaces),
        values: |e, _| strings(&e.interfaces),
        filter: Some(|v| Filter {
            interfaces: vec![v.to_string()],
            ..Filter::default()
        }),
    },
    FacetDef {
        key: "language",
        label: "Language",
        matching: Matching::Language,
        open: false,
        unknown: true,
        options: Options::Used,
        values: |e, _| e.languages.to_vec(),
        filter: Some(|v| Filter {
            languages: vec![v.to_string()],
            ..Filter::default()
        }),
    },
    FacetDef {
        key: "status",
        label: "Vetting status",
        matching: Matching::Exact,
        open: true,
        unknown: false,
        options: Options::Statuses,
        values: |e, _| vec![e.vetting.status.as_str().to_string()],
        filter: Some(|v| Filter {
            statuses: Status::parse(v).into_iter().collect(),
            ..Filter::default()
        }),
    },
    FacetDef {
        key: "license",
        label: "Licence",
        matching: Matching::License,
        open: false,
        unknown: false,
        options: Options::Used,
        values: |e, _| vec![e.license.as_str().to_string()],
        filter: Some(|v| Filter {
            licenses: vec![v.to_string()],
            ..Filter::default()
        }),
    },
    FacetDef {
        key: "framework-item",
        label: "Framework item",
        matching: Matching::Exact,
        open: false,
        unknown: false,
        options: Options::Items,
        values: |_, items| items.to_vec(),
        filter: None,
    },
    FacetDef {
        key: "tag",
        label: "Tag",
        matching: Matching::Exact,
        open: false,
        unknown: true,
        options: Options::Hidden,
        values: |e, _| e.tags.to_vec(),
        filter: Some(|v| Filter {
            tags: vec![v.to_string()],
            ..Filter::default()
        }),
    },
];

/// The keys of every facet, in page order, as the script reads them.
pub fn keys() -> Vec<FacetKey> {
    FACET_DEFS.iter().map(FacetDef::key).collect()
}

impl FacetDef {
    fn key(&self) -> FacetKey {
        FacetKey {
            key: self.key,
            matching: self.matching,
            unknown: self.unknown,
        }
    }
}

/// One tool's values of every facet, in [`keys`] order; `items` are the
/// framework items it reaches.
pub fn values_of(entry: &Entry, items: &[String]) -> Vec<Vec<String>> {
    FACET_DEFS
        .iter()
        .map(|d| (d.values)(entry, items))
        .collect()
}

/// The facets with buttons, each option counted over `entries`; `items`
/// are the framework items of each entry.
pub fn facets(
    taxonomy: &Taxonomy,
    frameworks: &Frameworks,
    entries: &[&Entry],
    items: &[Vec<String>],
) -> Vec<Facet> {
    FACET_DEFS
        .iter()
        .filter_map(|d| {
            let count = |value: &str| match d.filter {
                Some(filter) => {
                    let filter = filter(value);
                    entries.iter().filter(|e| filter.matches(e)).count()
                }
                None => 0,
            };
            let plain = |choices: Vec<(String, String)>| {
                vec![OptionGroup {
                    label: d.label.to_string(),
                    options: choices
                        .into_iter()
                        .map(|(value, label)| FacetOption {
                            count: count(&value),
                            value,
                            label,
                        })
                        .collect(),
                }]
            };
            let groups = match d.options {
                Options::Hidden => return None,
                Options::Terms(v) => plain(
                    taxonomy
                        .terms(v)
                        .iter()
                        .map(|t| (t.id.clone(), t.title.clone()))
                        .collect(),
                ),
                Options::Statuses => plain(
                    [Status::Vetted, Status::Provisional, Status::Deprecated]
                        .iter()
                        .map(|s| (s.as_str().to_string(), s.as_str().to_string()))
                        .collect(),
                ),
                Options::Used => plain(used_values(d, entries)),
                Options::Items => item_groups(frameworks, items),
            };
            Some(Facet {
                key: d.key(),
                label: d.label,
                open: d.open,
                groups,
            })
        })
        .collect()
}

/// How many tools reach each framework item.
pub fn item_counts(items: &[Vec<String>]) -> BTreeMap<&str, usize> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for of in items {
        for item in of {
            *counts.entry(item.as_str()).or_default() += 1;
        }
    }
    counts
}

/// The options of the framework-item facet: per framework, the items that
/// some tool reaches (an item no tool reaches cannot select anything, so
/// it has no button; its page says so), in the framework's order.
fn item_groups(frameworks: &Frameworks, items: &[Vec<String>]) -> Vec<OptionGroup> {
    let counts = item_counts(items);
    frameworks
        .list
        .iter()
        .map(|f| OptionGroup {
            label: f.name.clone(),
            options: f
                .items
                .iter()
                .filter_map(|i| {
                    counts.get(i.key.as_str()).map(|&count| FacetOption {
                        value: i.key.clone(),
                        label: format!("{} {}", i.id, i.title),
                        count,
                    })
                })
                .collect(),
        })
        .filter(|g| !g.options.is_empty())
        .collect()
}

/// The distinct values the entries give a free facet (languages, licence
/// identifiers), compared case-insensitively, sorted; `any` is left out,
/// since an entry declaring it matches every language anyway.
fn used_values(d: &FacetDef, entries: &[&Entry]) -> Vec<(String, String)> {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for e in entries {
        for value in (d.values)(e, &[]) {
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
            "framework-item",
            "tag",
        ];
        let keys: Vec<&str> = keys().iter().map(|k| k.key).collect();
        assert_eq!(keys, names);
    }
}
