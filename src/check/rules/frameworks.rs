//! Rules on frameworks and mappings: each framework file is a sound id
//! registry, and every mapping of the taxonomy and of entries names a
//! framework of the catalog and an item of its edition, once.

use std::collections::HashMap;
use std::fmt;

use super::{Context, Emit};
use crate::model::framework::OtherEdition;
use crate::model::raw::items;
use crate::model::{Framework, Frameworks, RawEntry, Taxonomy, Vocabulary};
use crate::schema::shown;
use crate::suggest::closest;

/// What framework rules need besides the framework.
#[derive(Debug, Clone, Copy)]
pub struct FrameworkContext<'a> {
    /// The taxonomy, when it loaded.
    pub taxonomy: Option<&'a Taxonomy>,
    /// The stem of the framework's file name.
    pub stem: &'a str,
}

/// A framework file that is not a sound registry.
enum InvalidFramework<'a> {
    IdMismatch {
        id: &'a str,
        stem: &'a str,
    },
    DuplicateItem {
        id: &'a str,
        first: usize,
    },
    Dangling {
        field: &'static str,
        id: &'a str,
        suggestion: Option<&'a str>,
    },
}

impl fmt::Display for InvalidFramework<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidFramework::IdMismatch { id, stem } => write!(
                f,
                "the framework id `{}` differs from the file name `{}.yaml`; mappings name a framework by its id, so make them equal",
                shown(id),
                shown(stem)
            ),
            InvalidFramework::DuplicateItem { id, first } => write!(
                f,
                "the item `{}` is listed twice (first as items[{first}]); keep one",
                shown(id)
            ),
            InvalidFramework::Dangling {
                field,
                id,
                suggestion,
            } => {
                write!(
                    f,
                    "`{field}` names `{}`, which is not an item of this edition",
                    shown(id)
                )?;
                if let Some(s) = suggestion {
                    write!(f, "; did you mean `{s}`?")?;
                }
                Ok(())
            }
        }
    }
}

/// An item of a framework that must be fully mapped, with neither a
/// mapping nor a gap note; or a gap note on an item that is mapped.
enum UnmappedItem<'a> {
    Unmapped { id: &'a str, title: &'a str },
    StaleGap { id: &'a str, terms: String },
}

impl fmt::Display for UnmappedItem<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnmappedItem::Unmapped { id, title } => write!(
                f,
                "`{}` ({}) is mapped by no term of the taxonomy; map a risk to it, or write a `gap` note saying why nothing in the catalog covers it (the file sets `mapped_in_full`)",
                shown(id),
                shown(title)
            ),
            UnmappedItem::StaleGap { id, terms } => write!(
                f,
                "`{}` carries a `gap` note, but the taxonomy maps {terms} to it; remove the note or the mapping",
                shown(id)
            ),
        }
    }
}

/// A mapping that names no framework of the catalog.
struct UnknownFramework<'a> {
    framework: &'a str,
    known: String,
    suggestion: Option<&'a str>,
}

impl fmt::Display for UnknownFramework<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a framework of the catalog (frameworks: {})",
            shown(self.framework),
            self.known
        )?;
        if let Some(s) = self.suggestion {
            write!(f, "; did you mean `{s}`?")?;
        }
        Ok(())
    }
}

/// A mapping to an item that the framework's edition does not have.
struct UnknownItem<'a> {
    framework: &'a Framework,
    item: &'a str,
    suggestion: Option<(&'a str, &'a str)>,
}

impl fmt::Display for UnknownItem<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not an item of {} (`{}`)",
            shown(self.item),
            self.framework.display_name(),
            self.framework.id
        )?;
        if let Some((id, title)) = self.suggestion {
            write!(f, "; did you mean `{id}` ({title})?")?;
        }
        Ok(())
    }
}

/// A mapping written with an id of another edition of the framework.
struct WrongEdition<'a> {
    framework: &'a Framework,
    written: String,
    edition: &'a OtherEdition,
    item: Option<&'a str>,
}

impl fmt::Display for WrongEdition<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fw = self.framework;
        write!(
            f,
            "`{}` is of the {} edition of {} ({}), but the catalog maps to its {} edition (`{}`), where the same ids can mean other items",
            shown(&self.written),
            self.edition.edition,
            fw.name,
            self.edition.status,
            fw.edition,
            fw.id
        )?;
        let Some(item) = self.item else {
            return Ok(());
        };
        let Some(old) = self.edition.items.iter().find(|i| i.id == item) else {
            return write!(
                f,
                "; `{}` is not an item of that edition either",
                shown(item)
            );
        };
        let here = fw.item(item).map(|i| i.title.as_str());
        write!(
            f,
            "; `{}` of {} is {}",
            old.id, self.edition.edition, old.title
        )?;
        if let Some(here) = here {
            write!(f, ", while `{}` of {} is {here}", old.id, fw.edition)?;
        }
        match old.now.as_slice() {
            [] => write!(
                f,
                "; it has no item of its own in {}: map by content",
                fw.edition
            ),
            now => {
                let titles: Vec<String> = now
                    .iter()
                    .map(|n| match fw.item(n) {
                        Some(i) => format!("`{n}` ({})", i.title),
                        None => format!("`{n}`"),
                    })
                    .collect();
                write!(
                    f,
                    "; did you mean {} (framework `{}`)?",
                    titles.join(" or "),
                    fw.id
                )
            }
        }
    }
}

/// The same framework item twice in one list of mappings.
struct DuplicateMapping<'a> {
    framework: &'a str,
    item: &'a str,
    first: usize,
}

impl fmt::Display for DuplicateMapping<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}:{}` is mapped twice here (first as mappings[{}]); keep one, with the relation that holds",
            shown(self.framework),
            shown(self.item),
            self.first
        )
    }
}

crate::message_code!(
    InvalidFramework<'a> => InvalidFramework,
    UnmappedItem<'a> => UnmappedFrameworkItem,
    UnknownFramework<'a> => UnknownFramework,
    UnknownItem<'a> => UnknownFrameworkItem,
    WrongEdition<'a> => WrongEdition,
    DuplicateMapping<'a> => DuplicateMapping,
);

/// `invalid-framework`: the id equals the file name, each item once, and
/// `parent`, `tactics`, `addresses` and `now` name items of the edition.
pub fn registry(fw: &Framework, ctx: &FrameworkContext<'_>, out: &mut Emit<'_>) {
    if fw.id != ctx.stem {
        out.value(
            "/id",
            &InvalidFramework::IdMismatch {
                id: &fw.id,
                stem: ctx.stem,
            },
        );
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, item) in fw.items.iter().enumerate() {
        if let Some(&first) = seen.get(item.id.as_str()) {
            out.value(
                format!("/items/{i}/id"),
                &InvalidFramework::DuplicateItem {
                    id: &item.id,
                    first,
                },
            );
        } else {
            seen.insert(item.id.as_str(), i);
        }
    }
    let ids = || fw.items.iter().map(|i| i.id.as_str());
    let mut dangling = |pointer: String, field: &'static str, id: &str| {
        if !seen.contains_key(id) {
            out.value(
                pointer,
                &InvalidFramework::Dangling {
                    field,
                    id,
                    suggestion: closest(id, ids()),
                },
            );
        }
    };
    for (i, item) in fw.items.iter().enumerate() {
        if let Some(parent) = &item.parent {
            dangling(format!("/items/{i}/parent"), "parent", parent);
        }
        for (j, t) in item.tactics.iter().enumerate() {
            dangling(format!("/items/{i}/tactics/{j}"), "tactics", t);
        }
        for (j, t) in item.addresses.iter().enumerate() {
            dangling(format!("/items/{i}/addresses/{j}"), "addresses", t);
        }
    }
    for (e, edition) in fw.other_editions.iter().enumerate() {
        for (i, item) in edition.items.iter().enumerate() {
            for (j, n) in item.now.iter().enumerate() {
                dangling(format!("/other_editions/{e}/items/{i}/now/{j}"), "now", n);
            }
        }
    }
}

/// `unmapped-framework-item`: in a framework that sets `mapped_in_full`,
/// every item is mapped by a term of the taxonomy or carries a gap note,
/// and no mapped item keeps a gap note.
pub fn gaps(fw: &Framework, ctx: &FrameworkContext<'_>, out: &mut Emit<'_>) {
    let Some(taxonomy) = ctx.taxonomy else {
        return;
    };
    if !fw.mapped_in_full {
        return;
    }
    let mut mapped: HashMap<&str, Vec<&str>> = HashMap::new();
    for vocabulary in Vocabulary::ALL {
        for term in taxonomy.terms(vocabulary) {
            for m in term.mappings.iter().filter(|m| m.framework == fw.id) {
                mapped
                    .entry(m.item.as_str())
                    .or_default()
                    .push(term.id.as_str());
            }
        }
    }
    for (i, item) in fw.items.iter().enumerate() {
        match (mapped.get(item.id.as_str()), &item.gap) {
            (None, None) => out.value(
                format!("/items/{i}/id"),
                &UnmappedItem::Unmapped {
                    id: &item.id,
                    title: &item.title,
                },
            ),
            (Some(terms), Some(_)) => out.value(
                format!("/items/{i}/gap"),
                &UnmappedItem::StaleGap {
                    id: &item.id,
                    terms: terms
                        .iter()
                        .map(|t| format!("`{t}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                },
            ),
            _ => {}
        }
    }
}

/// One mapping, judged: `None` when it names an item of a framework of the
/// catalog. `at` is the JSON pointer of the mapping.
fn judge(frameworks: &Frameworks, framework: &str, item: &str, at: &str, out: &mut Emit<'_>) {
    if frameworks.is_broken(framework) {
        return;
    }
    let Some(fw) = frameworks.get(framework) else {
        if let Some((fw, edition)) = frameworks.other_edition(framework) {
            out.value(
                format!("{at}/framework"),
                &WrongEdition {
                    framework: fw,
                    written: framework.to_string(),
                    edition,
                    item: Some(item),
                },
            );
            return;
        }
        let ids: Vec<&str> = frameworks.iter().map(|f| f.id.as_str()).collect();
        out.value(
            format!("{at}/framework"),
            &UnknownFramework {
                framework,
                known: if ids.is_empty() {
                    "none; add catalog/frameworks/ID.yaml".to_string()
                } else {
                    ids.join(", ")
                },
                suggestion: closest(framework, ids.iter().copied()),
            },
        );
        return;
    };
    if fw.item(item).is_some() {
        return;
    }
    // `LLM06:2023`: an id with an edition written after it.
    if let Some((id, edition)) = item.rsplit_once(':') {
        if let Some(other) = fw.other_editions.iter().find(|e| e.edition == edition) {
            out.value(
                format!("{at}/item"),
                &WrongEdition {
                    framework: fw,
                    written: item.to_string(),
                    edition: other,
                    item: Some(id),
                },
            );
            return;
        }
        if edition == fw.edition
            && let Some(found) = fw.item(id)
        {
            out.value(
                format!("{at}/item"),
                &UnknownItem {
                    framework: fw,
                    item,
                    suggestion: Some((&found.id, &found.title)),
                },
            );
            return;
        }
    }
    // An id that only another edition has.
    if let Some(other) = fw
        .other_editions
        .iter()
        .find(|e| e.items.iter().any(|i| i.id == item))
    {
        out.value(
            format!("{at}/item"),
            &WrongEdition {
                framework: fw,
                written: item.to_string(),
                edition: other,
                item: Some(item),
            },
        );
        return;
    }
    // A typo of an id, or a title written for the id.
    let suggestion = closest(item, fw.items.iter().map(|i| i.id.as_str()))
        .or_else(|| {
            fw.items
                .iter()
                .find(|i| i.title.eq_ignore_ascii_case(item.trim()))
                .map(|i| i.id.as_str())
        })
        .and_then(|id| fw.item(id))
        .map(|i| (i.id.as_str(), i.title.as_str()));
    out.value(
        format!("{at}/item"),
        &UnknownItem {
            framework: fw,
            item,
            suggestion,
        },
    );
}

/// Judges a list of mappings at `base` (`/risks/3/mappings`): each names a
/// known item, and each item once.
fn judge_all<'a>(
    frameworks: &Frameworks,
    list: impl Iterator<Item = (usize, &'a str, &'a str)>,
    base: &str,
    out: &mut Emit<'_>,
) {
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, framework, item) in list {
        let at = format!("{base}/{i}");
        if let Some(&first) = seen.get(&(framework, item)) {
            out.value(
                format!("{at}/item"),
                &DuplicateMapping {
                    framework,
                    item,
                    first,
                },
            );
            continue;
        }
        seen.insert((framework, item), i);
        judge(frameworks, framework, item, &at, out);
    }
}

/// `unknown-framework`, `unknown-framework-item`, `wrong-edition` and
/// `duplicate-mapping` on the taxonomy's mappings.
pub fn taxonomy_mappings(taxonomy: &Taxonomy, frameworks: &Frameworks, out: &mut Emit<'_>) {
    for vocabulary in Vocabulary::ALL {
        for (t, term) in taxonomy.terms(vocabulary).iter().enumerate() {
            judge_all(
                frameworks,
                term.mappings
                    .iter()
                    .enumerate()
                    .map(|(i, m)| (i, m.framework.as_str(), m.item.as_str())),
                &format!("/{}/{t}/mappings", vocabulary.key()),
                out,
            );
        }
    }
}

/// The same on an entry's own mappings, and https links for their sources.
pub fn entry_mappings(raw: &RawEntry, ctx: &Context<'_>, out: &mut Emit<'_>) {
    let mut complete = Vec::new();
    for (i, m) in items(&raw.mappings) {
        if let (Some(framework), Some(item)) = (m.framework.as_deref(), m.item.as_deref()) {
            complete.push((i, framework, item));
        }
        if let Some(source) = m.source.as_deref()
            && let Err(bad) = super::check_url(source)
        {
            out.value(format!("/mappings/{i}/source"), &bad);
        }
    }
    judge_all(ctx.frameworks, complete.into_iter(), "/mappings", out);
}
