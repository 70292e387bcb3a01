//! The edits that record new releases in an entry's `versions` list, and
//! that correct recorded ones (`--fix`), computed against the spans the YAML
//! parser recorded. New items copy the layout of the list's own items: the
//! indentation of the dash and of the keys, block or flow style, the key
//! order, and how versions, days and requirements are quoted. Nothing is
//! re-emitted; every byte outside the edits stays.

use crate::edit::{self, Edit};
use crate::load::yaml::{Node, ScalarKind, Value};

use super::NewRelease;
use crate::registry::facts::compare;

/// Why an entry's list could not be edited safely.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported(pub String);

/// How a scalar is quoted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quote {
    /// `"…"`.
    Double,
    /// `'…'`.
    Single,
    /// No quotes.
    Plain,
}

impl Quote {
    /// `text` quoted this way; plain text that YAML would read as something
    /// other than a string (`1.10`, `true`) or that starts with an indicator
    /// (`>=3.9`) is double-quoted instead.
    pub fn write(self, text: &str) -> String {
        let plain_ok = !text.is_empty()
            && !text.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`<=~^ ".contains(c))
            && !text.contains(": ")
            && !text.contains(" #")
            && !text.ends_with([' ', ':'])
            && crate::load::yaml::parse(&format!("k: {text}\n"), &Default::default())
                .root
                .as_ref()
                .and_then(|r| r.get("k"))
                .and_then(Node::as_scalar)
                .is_some_and(|s| s.kind == ScalarKind::Str && s.text == text);
        match self {
            Quote::Plain if plain_ok => text.to_string(),
            Quote::Single => format!("'{}'", text.replace('\'', "''")),
            _ => format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\"")),
        }
    }
}

/// A requirement's texts as written in the list's quoting: one text as a
/// scalar, several as a flow sequence of quoted scalars. A text holding
/// one kind of quote (as markers do) takes the other kind around it.
fn requirement(q: Quote, texts: &[String]) -> String {
    let around = |q: Quote, t: &str| match (t.contains('"'), t.contains('\'')) {
        (true, false) => Quote::Single,
        (false, true) => Quote::Double,
        _ => q,
    };
    match texts {
        [one] => around(q, one).write(one),
        many => {
            let items: Vec<String> = many
                .iter()
                .map(|t| {
                    let q = if q == Quote::Plain { Quote::Single } else { q };
                    around(q, t).write(t)
                })
                .collect();
            format!("[{}]", items.join(", "))
        }
    }
}

/// The layout of a list's items, learnt from the items themselves.
#[derive(Debug, Clone)]
struct Layout {
    /// What comes before an item's first key on its line (`"  - "`).
    dash: String,
    /// Spaces before an item's other keys.
    keys: String,
    /// Spaces before the keys of `requires`.
    nested: String,
    /// `requires` written as a flow mapping.
    requires_flow: bool,
    /// Items written as flow mappings (`- {version: …}`).
    item_flow: bool,
    /// The list itself is a flow sequence (`[{…}, {…}]`).
    list_flow: bool,
    /// Key order of an item.
    order: Vec<String>,
    /// Platforms in the order the list's items name them.
    platforms: Vec<String>,
    version: Quote,
    released: Quote,
    requirement: Quote,
}

fn quote_at(text: &str, node: &Node) -> Quote {
    let Some(at) = edit::offset(text, node.span.start.line, node.span.start.column) else {
        return Quote::Double;
    };
    match text[at..].chars().next() {
        Some('"') => Quote::Double,
        Some('\'') => Quote::Single,
        _ => Quote::Plain,
    }
}

fn start_of(text: &str, node: &Node) -> Option<usize> {
    edit::offset(text, node.span.start.line, node.span.start.column)
}

/// The byte range of a scalar as written, quotes included.
fn scalar_range(text: &str, node: &Node) -> Option<(usize, usize)> {
    let s = node.as_scalar()?;
    let start = start_of(text, node)?;
    let rest = &text[start..];
    let len = match rest.chars().next()? {
        '"' => {
            let mut escaped = false;
            let mut end = None;
            for (i, c) in rest.char_indices().skip(1) {
                match c {
                    '\\' if !escaped => escaped = true,
                    '"' if !escaped => {
                        end = Some(i + 1);
                        break;
                    }
                    '\n' => return None,
                    _ => escaped = false,
                }
            }
            end?
        }
        '\'' => {
            let b = rest.as_bytes();
            let mut i = 1;
            loop {
                match b.get(i)? {
                    b'\'' if b.get(i + 1) == Some(&b'\'') => i += 2,
                    b'\'' => break i + 1,
                    b'\n' => return None,
                    _ => i += 1,
                }
            }
        }
        _ if rest.starts_with(s.text.as_str()) && !s.text.contains('\n') => s.text.len(),
        _ => return None,
    };
    Some((start, start + len))
}

/// The offset just past the last scalar of a subtree.
fn last_end(text: &str, node: &Node) -> Option<usize> {
    match &node.value {
        Value::Scalar(_) => scalar_range(text, node).map(|(_, e)| e),
        Value::Seq(items) => items.last().and_then(|n| last_end(text, n)),
        Value::Map(entries) => entries.last().and_then(|(_, v)| last_end(text, v)),
    }
}

fn layout(text: &str, list: &Node, items: &[Node]) -> Result<Layout, Unsupported> {
    let bad = |why: &str| Unsupported(why.to_string());
    let first = items
        .first()
        .ok_or_else(|| bad("the `versions` list is empty"))?;
    let entries = first
        .as_map()
        .ok_or_else(|| bad("a `versions` item is not a mapping"))?;
    let list_start = start_of(text, list).ok_or_else(|| bad("no position for `versions`"))?;
    let list_flow = text[list_start..].starts_with('[');
    let item_start = start_of(text, first).ok_or_else(|| bad("no position for an item"))?;
    let item_flow = text[item_start..].starts_with('{');
    let line = edit::line_start(text, item_start);
    let dash = text[line..item_start].to_string();
    let dash_ok = {
        let t = dash.trim_start_matches(' ');
        t.starts_with('-') && t[1..].chars().all(|c| c == ' ') && t.len() >= 2
    };
    if !list_flow && !dash_ok {
        return Err(bad(
            "the items of `versions` are not laid out as `- key: value`",
        ));
    }
    let keys = " ".repeat(dash.chars().count());
    let get = |k: &str| {
        entries
            .iter()
            .find(|(key, _)| key.as_scalar().is_some_and(|s| s.text == k))
    };
    let mut layout = Layout {
        dash,
        nested: format!("{keys}  "),
        keys,
        requires_flow: item_flow || list_flow,
        item_flow,
        list_flow,
        order: entries
            .iter()
            .filter_map(|(k, _)| k.as_scalar().map(|s| s.text.clone()))
            .filter(|k| ["version", "released", "requires"].contains(&k.as_str()))
            .collect(),
        version: get("version").map_or(Quote::Double, |(_, v)| quote_at(text, v)),
        released: get("released").map_or(Quote::Plain, |(_, v)| quote_at(text, v)),
        requirement: Quote::Double,
        platforms: Vec::new(),
    };
    for item in items {
        for (k, _) in item
            .get("requires")
            .and_then(Node::as_map)
            .unwrap_or_default()
        {
            if let Some(k) = k.as_scalar()
                && !layout.platforms.contains(&k.text)
            {
                layout.platforms.push(k.text.clone());
            }
        }
    }
    for k in ["version", "released", "requires"] {
        if !layout.order.iter().any(|o| o == k) {
            layout.order.push(k.to_string());
        }
    }
    // The first item that records a requirement shows how they are written.
    for item in items {
        if let Some(req) = item.get("requires")
            && let Some((key, value)) = req.as_map().and_then(|m| m.first())
        {
            let at = start_of(text, req).unwrap_or(0);
            layout.requires_flow = text[at..].starts_with('{');
            if !layout.requires_flow
                && let Some(k) = start_of(text, key)
            {
                layout.nested = " ".repeat(k - edit::line_start(text, k));
            }
            layout.requirement = match quote_at(text, value) {
                Quote::Plain => Quote::Double,
                q => q,
            };
            break;
        }
    }
    Ok(layout)
}

fn flow_item(l: &Layout, r: &NewRelease) -> String {
    let mut parts = Vec::new();
    for k in &l.order {
        match k.as_str() {
            "version" => parts.push(format!("version: {}", l.version.write(&r.version))),
            "released" => parts.push(format!(
                "released: {}",
                l.released.write(&r.released.to_string())
            )),
            _ if !r.requires.is_empty() => {
                let reqs: Vec<String> = r
                    .requires
                    .iter()
                    .map(|(p, t)| format!("{p}: {}", requirement(l.requirement, t)))
                    .collect();
                parts.push(format!("requires: {{{}}}", reqs.join(", ")));
            }
            _ => {}
        }
    }
    format!("{{{}}}", parts.join(", "))
}

fn block_item(l: &Layout, r: &NewRelease) -> String {
    if l.item_flow {
        return format!("{}{}\n", l.dash, flow_item(l, r));
    }
    let mut out = String::new();
    let keys = l
        .order
        .iter()
        .filter(|k| k.as_str() != "requires" || !r.requires.is_empty());
    for (i, k) in keys.enumerate() {
        out.push_str(if i == 0 { &l.dash } else { &l.keys });
        match k.as_str() {
            "version" => out.push_str(&format!("version: {}\n", l.version.write(&r.version))),
            "released" => out.push_str(&format!(
                "released: {}\n",
                l.released.write(&r.released.to_string())
            )),
            _ if l.requires_flow => {
                let reqs: Vec<String> = r
                    .requires
                    .iter()
                    .map(|(p, t)| format!("{p}: {}", requirement(l.requirement, t)))
                    .collect();
                out.push_str(&format!("requires: {{{}}}\n", reqs.join(", ")));
            }
            _ => {
                out.push_str("requires:\n");
                for (p, t) in &r.requires {
                    out.push_str(&format!(
                        "{}{p}: {}\n",
                        l.nested,
                        requirement(l.requirement, t)
                    ));
                }
            }
        }
    }
    out
}

/// The `versions` list of an entry's tree and its items.
fn versions_of(root: &Node) -> Result<(&Node, &[Node]), Unsupported> {
    let list = root
        .get("versions")
        .ok_or_else(|| Unsupported("the entry has no `versions` list".into()))?;
    match &list.value {
        Value::Seq(items) => Ok((list, items)),
        _ => Err(Unsupported("`versions` is not a list".into())),
    }
}

/// The edits that add `new` (any order) to the `versions` list of `root`,
/// each at its place in version order (the list's own direction: newest
/// first unless its first two items ascend).
pub fn add_releases(text: &str, root: &Node, new: &[NewRelease]) -> Result<Vec<Edit>, Unsupported> {
    if new.is_empty() {
        return Ok(Vec::new());
    }
    let (list, items) = versions_of(root)?;
    let l = layout(text, list, items)?;
    let version_of = |n: &Node| {
        n.get("version")
            .and_then(Node::as_scalar)
            .map(|s| s.text.clone())
    };
    let existing: Vec<String> = items
        .iter()
        .map(|n| version_of(n).unwrap_or_default())
        .collect();
    let ascending = existing.len() >= 2
        && compare(&existing[0], &existing[1]) == Some(std::cmp::Ordering::Less);
    // Where each new release goes: before item `i` (or after the last).
    let mut slots: Vec<(usize, &NewRelease)> = new
        .iter()
        .map(|r| {
            let before = existing.iter().position(|v| {
                let o = compare(v, &r.version);
                if ascending {
                    o == Some(std::cmp::Ordering::Greater)
                } else {
                    o == Some(std::cmp::Ordering::Less)
                }
            });
            (before.unwrap_or(items.len()), r)
        })
        .collect();
    slots.sort_by(|(a, x), (b, y)| {
        a.cmp(b).then_with(|| {
            let o = compare(&x.version, &y.version).unwrap_or(std::cmp::Ordering::Equal);
            if ascending { o } else { o.reverse() }
        })
    });
    // Requirements in the order the entry already names its platforms;
    // others after them, in the order given.
    let sorted: Vec<NewRelease> = slots
        .iter()
        .map(|(_, r)| {
            let mut r = (*r).clone();
            r.requires.sort_by_key(|(p, _)| {
                l.platforms
                    .iter()
                    .position(|q| q == p)
                    .unwrap_or(usize::MAX)
            });
            r
        })
        .collect();
    let slots: Vec<(usize, &NewRelease)> =
        slots.iter().map(|(s, _)| *s).zip(sorted.iter()).collect();
    let mut edits: Vec<Edit> = Vec::new();
    let mut i = 0;
    while i < slots.len() {
        let slot = slots[i].0;
        let group: Vec<&NewRelease> = slots[i..]
            .iter()
            .take_while(|(s, _)| *s == slot)
            .map(|(_, r)| *r)
            .collect();
        i += group.len();
        let bad = || Unsupported("no position for a `versions` item".into());
        if l.list_flow {
            let texts: Vec<String> = group.iter().map(|r| flow_item(&l, r)).collect();
            if slot < items.len() {
                let at = start_of(text, &items[slot]).ok_or_else(bad)?;
                edits.push(Edit::insert(at, format!("{}, ", texts.join(", "))));
            } else {
                let last = items.last().ok_or_else(bad)?;
                let end = flow_end(text, last).ok_or_else(bad)?;
                edits.push(Edit::insert(end, format!(", {}", texts.join(", "))));
            }
            continue;
        }
        let block: String = group.iter().map(|r| block_item(&l, r)).collect();
        if slot == 0 {
            let at = edit::line_start(text, start_of(text, &items[0]).ok_or_else(bad)?);
            edits.push(Edit::insert(at, block));
        } else {
            let at = item_end(text, root, items, slot - 1, l.keys.len()).ok_or_else(bad)?;
            let lead = if at == text.len() && !text.ends_with('\n') {
                "\n"
            } else {
                ""
            };
            edits.push(Edit::insert(at, format!("{lead}{block}")));
        }
    }
    Ok(edits)
}

/// Where the block item `k` of `items` ends: the start of the line after
/// its last line, found from what follows it (the next item, or the next
/// key of the document), so that multi-line scalars such as `notes: >-`
/// need no measuring. Blank lines and comments less indented than the
/// item's keys, just before what follows, are left after it.
fn item_end(text: &str, root: &Node, items: &[Node], k: usize, keys: usize) -> Option<usize> {
    let item_line_end = edit::next_line_start(text, start_of(text, &items[k])?);
    let mut at = match items.get(k + 1) {
        Some(next) => edit::line_start(text, start_of(text, next)?),
        None => {
            let entries = root.as_map()?;
            let i = entries
                .iter()
                .position(|(key, _)| key.as_scalar().is_some_and(|s| s.text == "versions"))?;
            match entries.get(i + 1) {
                Some((key, _)) => edit::line_start(text, start_of(text, key)?),
                None => text.len(),
            }
        }
    };
    while at > item_line_end {
        let prev = edit::line_start(text, at - 1);
        let line = &text[prev..at];
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        let blank = trimmed.trim().is_empty();
        if blank || (trimmed.starts_with('#') && indent < keys) {
            at = prev;
        } else {
            break;
        }
    }
    Some(at.max(item_line_end))
}

/// Past the closing `}` of a flow-mapping item whose last scalar ends at `end`.
fn flow_close(text: &str, item: &Node, end: usize) -> usize {
    let at = start_of(text, item).unwrap_or(end);
    if !text[at..].starts_with('{') {
        return end;
    }
    let mut depth = 0i32;
    let mut i = at;
    for (k, c) in text[at..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    i = at + k + 1;
                    break;
                }
            }
            _ => {}
        }
    }
    i.max(end)
}

/// The end of a flow-sequence item (past its closing `}`).
fn flow_end(text: &str, item: &Node) -> Option<usize> {
    let end = last_end(text, item)?;
    Some(flow_close(text, item, end))
}

/// A correction of a recorded release (`--fix`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// The version whose field changes.
    pub version: String,
    /// `released` or `requires.python`.
    pub field: &'static str,
    /// The value as recorded.
    pub old: String,
    /// The registry's value.
    pub new: String,
}

/// The edit that replaces a recorded scalar by `new`, quoted as it was
/// (a plain scalar that would not stay a string is double-quoted).
pub fn replace_scalar(text: &str, node: &Node, new: &str) -> Option<Edit> {
    let (s, e) = scalar_range(text, node)?;
    Some(Edit::replace(s, e, quote_at(text, node).write(new)))
}

/// The edit that sets the python requirement of the recorded `item` to
/// `new`: the value replaced when it is written; else a `python` key added
/// first to its block `requires`, or a `requires` block added after the
/// item's last line, in the list's layout. `None` when the item's layout
/// is not one this can edit safely.
pub fn set_python(text: &str, root: &Node, item: &Node, new: &str) -> Option<Edit> {
    let requires = item.get("requires");
    if let Some(py) = requires.and_then(|r| r.get("python")) {
        return replace_scalar(text, py, new);
    }
    let (list, items) = versions_of(root).ok()?;
    let l = layout(text, list, items).ok()?;
    if l.item_flow || l.list_flow {
        return None;
    }
    match requires {
        Some(req) => {
            let (first, _) = req.as_map()?.first()?;
            let at = start_of(text, req)?;
            if text[at..].starts_with('{') {
                return None;
            }
            let key = start_of(text, first)?;
            let line = edit::line_start(text, key);
            let indent = &text[line..key];
            if !indent.chars().all(|c| c == ' ') {
                return None;
            }
            Some(Edit::insert(
                line,
                format!("{indent}python: {}\n", l.requirement.write(new)),
            ))
        }
        None => {
            let k = items.iter().position(|n| std::ptr::eq(n, item))?;
            let at = item_end(text, root, items, k, l.keys.len())?;
            let lead = if at == text.len() && !text.ends_with('\n') {
                "\n"
            } else {
                ""
            };
            Some(Edit::insert(
                at,
                format!(
                    "{lead}{}requires:\n{}python: {}\n",
                    l.keys,
                    l.nested,
                    l.requirement.write(new)
                ),
            ))
        }
    }
}

/// The item of `versions` recording `version`, if any.
pub fn item_of<'n>(root: &'n Node, version: &str) -> Option<&'n Node> {
    let (_, items) = versions_of(root).ok()?;
    items.iter().find(|n| {
        n.get("version")
            .and_then(Node::as_scalar)
            .is_some_and(|s| crate::registry::facts::same_version(&s.text, version))
    })
}

/// The versions the list records, as written.
pub fn recorded(root: &Node) -> Vec<String> {
    versions_of(root)
        .map(|(_, items)| {
            items
                .iter()
                .filter_map(|n| {
                    n.get("version")
                        .and_then(Node::as_scalar)
                        .map(|s| s.text.clone())
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The byte range `versions` covers in the text: from its key's line to
/// the end of its last item's line.
pub fn versions_range(text: &str, root: &Node) -> Option<(usize, usize)> {
    let key = root.key_at("", "versions")?;
    let (_, items) = versions_of(root).ok()?;
    let start = edit::line_start(text, start_of(text, key)?);
    let last = items.last()?;
    let end = if text[start_of(text, last)?..].starts_with('{') {
        edit::next_line_start(text, flow_end(text, last)?)
    } else {
        item_end(text, root, items, items.len() - 1, 0)?
    };
    Some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Node {
        crate::load::yaml::parse(text, &Default::default())
            .root
            .expect("parses")
    }

    fn release(v: &str, day: &str, reqs: &[(&str, &str)]) -> NewRelease {
        NewRelease {
            version: v.into(),
            released: day.parse().expect("day"),
            requires: reqs
                .iter()
                .map(|(a, b)| (a.to_string(), b.split(" | ").map(str::to_string).collect()))
                .collect(),
        }
    }

    fn add(text: &str, new: &[NewRelease]) -> String {
        let root = parse(text);
        let edits = add_releases(text, &root, new).expect("edits");
        edit::apply(text, &edits).expect("applies")
    }

    #[test]
    fn block_items_are_inserted_in_order_in_the_lists_style() {
        let text = "id: x\nversions:\n    # newest first\n    -   version: '2.0'\n        released: 2025-02-01 # a comment\n        requires:\n            python: '>=3.9'\n    -   version: '1.0'\n        released: 2024-01-01\nvetting: {}\n";
        let out = add(
            text,
            &[
                release("3.0", "2026-01-01", &[("python", ">=3.10")]),
                release("1.5", "2024-06-01", &[]),
                release(
                    "0.9",
                    "2023-06-01",
                    &[("pytorch", ">=2.1"), ("python", ">=3.8")],
                ),
            ],
        );
        assert_eq!(
            out,
            "id: x\nversions:\n    # newest first\n    -   version: '3.0'\n        released: 2026-01-01\n        requires:\n            python: '>=3.10'\n    -   version: '2.0'\n        released: 2025-02-01 # a comment\n        requires:\n            python: '>=3.9'\n    -   version: '1.5'\n        released: 2024-06-01\n    -   version: '1.0'\n        released: 2024-01-01\n    -   version: '0.9'\n        released: 2023-06-01\n        requires:\n            python: '>=3.8'\n            pytorch: '>=2.1'\nvetting: {}\n"
        );
    }

    #[test]
    fn flow_lists_and_flow_items_get_flow_items() {
        let text = "versions: [{version: \"1.0\", released: 2024-01-01, requires: {python: \">=3.9\"}}]\nid: x\n";
        let out = add(
            text,
            &[
                release("1.1", "2024-02-01", &[("python", ">=3.9")]),
                release("0.5", "2023-01-01", &[]),
            ],
        );
        assert_eq!(
            out,
            "versions: [{version: \"1.1\", released: 2024-02-01, requires: {python: \">=3.9\"}}, {version: \"1.0\", released: 2024-01-01, requires: {python: \">=3.9\"}}, {version: \"0.5\", released: 2023-01-01}]\nid: x\n"
        );
        let text = "versions:\n  - {version: \"1.0\", released: 2024-01-01}\n";
        let out = add(text, &[release("0.5", "2023-01-01", &[])]);
        assert_eq!(
            out,
            "versions:\n  - {version: \"1.0\", released: 2024-01-01}\n  - {version: \"0.5\", released: 2023-01-01}\n"
        );
    }

    #[test]
    fn items_ending_in_block_scalars_and_comments_keep_them() {
        let text = "versions:\n  - version: \"1.0\"\n    released: 2024-01-01\n    notes: >-\n      Two\n      lines.\n\n# about vetting\nvetting:\n  status: provisional\n";
        let out = add(
            text,
            &[release("0.9", "2023-01-01", &[("python", ">=3.8")])],
        );
        assert_eq!(
            out,
            "versions:\n  - version: \"1.0\"\n    released: 2024-01-01\n    notes: >-\n      Two\n      lines.\n  - version: \"0.9\"\n    released: 2023-01-01\n    requires:\n      python: \">=3.8\"\n\n# about vetting\nvetting:\n  status: provisional\n"
        );
    }

    #[test]
    fn plain_versions_that_would_be_numbers_are_quoted() {
        let text = "versions:\n- version: 1.0.0\n  released: 2024-01-01\n";
        let out = add(
            text,
            &[
                release("1.10", "2025-01-01", &[]),
                release("1.2.0", "2024-06-01", &[]),
            ],
        );
        assert!(
            out.starts_with(
                "versions:\n- version: \"1.10\"\n  released: 2025-01-01\n- version: 1.2.0\n"
            ),
            "{out}"
        );
    }

    #[test]
    fn ascending_lists_stay_ascending_and_a_missing_final_newline_is_kept_apart() {
        let text = "versions:\n  - version: \"1.0\"\n    released: 2024-01-01\n  - version: \"2.0\"\n    released: 2025-01-01";
        let out = add(text, &[release("3.0", "2026-01-01", &[])]);
        assert!(
            out.ends_with("released: 2025-01-01\n  - version: \"3.0\"\n    released: 2026-01-01\n"),
            "{out}"
        );
    }

    #[test]
    fn marker_lines_are_written_as_a_list_with_fitting_quotes() {
        let text = "id: x\nversions:\n  - version: '1.0'\n    released: 2024-01-01\n    requires:\n      python: '>=3.9'\nvetting: {}\n";
        let out = add(
            text,
            &[release(
                "2.0",
                "2025-01-01",
                &[
                    ("python", ">=3.10"),
                    (
                        "numpy",
                        "<2; python_version < \"3.12\" | >=2.1; python_version >= '3.12'",
                    ),
                ],
            )],
        );
        assert!(
            out.contains("      numpy: ['<2; python_version < \"3.12\"', \">=2.1; python_version >= '3.12'\"]\n"),
            "{out}"
        );
        // What was written reads back as the two lines.
        let root = crate::load::yaml::parse(&out, &Default::default())
            .root
            .expect("parses");
        let numpy = root.pointer("/versions/0/requires/numpy").expect("numpy");
        let Value::Seq(items) = &numpy.value else {
            panic!("a list: {out}")
        };
        let texts: Vec<&str> = items
            .iter()
            .filter_map(|n| n.as_scalar().map(|s| s.text.as_str()))
            .collect();
        assert_eq!(
            texts,
            [
                "<2; python_version < \"3.12\"",
                ">=2.1; python_version >= '3.12'"
            ]
        );
    }

    #[test]
    fn scalars_are_replaced_with_their_quotes() {
        let text = "versions:\n  - version: \"1.0\"\n    released: 2024-01-01\n    requires:\n      python: '>=3.8'\n";
        let root = parse(text);
        let item = item_of(&root, "1.0").expect("item");
        let e1 =
            replace_scalar(text, item.get("released").expect("r"), "2024-01-02").expect("edit");
        let py = item
            .get("requires")
            .and_then(|r| r.get("python"))
            .expect("py");
        let e2 = replace_scalar(text, py, ">=3.9").expect("edit");
        assert_eq!(
            edit::apply(text, &[e1, e2]).expect("applies"),
            "versions:\n  - version: \"1.0\"\n    released: 2024-01-02\n    requires:\n      python: '>=3.9'\n"
        );
        let (s, e) = versions_range(text, &root).expect("range");
        assert_eq!((s, e), (0, text.len()));
    }

    #[test]
    fn a_missing_python_requirement_is_added_in_the_items_layout() {
        let text = "versions:\n  - version: \"2.0\"\n    released: 2025-01-01\n    requires:\n      pytorch: \">=2.1\"\n  - version: \"1.0\"\n    released: 2024-01-01\nid: x\n";
        let root = parse(text);
        let e =
            set_python(text, &root, item_of(&root, "2.0").expect("2.0"), ">=3.9").expect("edit");
        let out = edit::apply(text, &[e]).expect("applies");
        assert!(
            out.contains("    requires:\n      python: \">=3.9\"\n      pytorch: \">=2.1\"\n"),
            "{out}"
        );
        let e =
            set_python(text, &root, item_of(&root, "1.0").expect("1.0"), ">=3.8").expect("edit");
        let out = edit::apply(text, &[e]).expect("applies");
        assert!(
            out.ends_with("released: 2024-01-01\n    requires:\n      python: \">=3.8\"\nid: x\n"),
            "{out}"
        );
    }

    #[test]
    fn odd_layouts_are_refused_not_guessed() {
        let text = "versions:\n  -\n    version: \"1.0\"\n    released: 2024-01-01\n";
        let root = parse(text);
        assert!(add_releases(text, &root, &[release("2.0", "2025-01-01", &[])]).is_err());
        let text = "versions: []\n";
        let root = parse(text);
        assert!(add_releases(text, &root, &[release("2.0", "2025-01-01", &[])]).is_err());
    }
}
