//! What changed between two catalogs: tools added, removed, and for changed
//! tools each field with its old and new value.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::model::Entry;

/// One changed field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    /// The field: `license`, `vetting.status`, `versions[2.1.0].released`.
    pub field: String,
    /// Its old value (`null` when the field is new).
    pub old: Value,
    /// Its new value (`null` when the field was removed).
    pub new: Value,
}

/// The changes of one tool.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToolChanges {
    /// The tool's id.
    pub id: String,
    /// Its changed fields, in field order.
    pub changes: Vec<FieldChange>,
}

/// The difference between two catalogs.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct CatalogDiff {
    /// Ids only in the new catalog.
    pub added: Vec<String>,
    /// Ids only in the old catalog.
    pub removed: Vec<String>,
    /// Tools in both whose entries differ.
    pub changed: Vec<ToolChanges>,
}

impl CatalogDiff {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// Compares two sets of entries by id.
pub fn diff<'a>(
    old: impl IntoIterator<Item = &'a Entry>,
    new: impl IntoIterator<Item = &'a Entry>,
) -> CatalogDiff {
    let old: BTreeMap<&str, &Entry> = old.into_iter().map(|e| (e.id.as_str(), e)).collect();
    let new: BTreeMap<&str, &Entry> = new.into_iter().map(|e| (e.id.as_str(), e)).collect();
    let mut out = CatalogDiff::default();
    for id in new.keys() {
        if !old.contains_key(id) {
            out.added.push(id.to_string());
        }
    }
    for (id, before) in &old {
        match new.get(id) {
            None => out.removed.push(id.to_string()),
            Some(after) => {
                let changes = entry_changes(before, after);
                if !changes.is_empty() {
                    out.changed.push(ToolChanges {
                        id: id.to_string(),
                        changes,
                    });
                }
            }
        }
    }
    out
}

/// The field changes between two versions of one entry.
pub fn entry_changes(old: &Entry, new: &Entry) -> Vec<FieldChange> {
    let old_json = serde_json::to_value(old).unwrap_or(Value::Null);
    let new_json = serde_json::to_value(new).unwrap_or(Value::Null);
    let mut out = Vec::new();
    let empty = serde_json::Map::new();
    let old_map = old_json.as_object().unwrap_or(&empty);
    let new_map = new_json.as_object().unwrap_or(&empty);
    for key in field_order(old_map, new_map) {
        let a = old_map.get(&key).unwrap_or(&Value::Null);
        let b = new_map.get(&key).unwrap_or(&Value::Null);
        if key == "versions" {
            versions(a, b, &mut out);
        } else {
            walk(&key, a, b, &mut out);
        }
    }
    out
}

fn field_order(
    a: &serde_json::Map<String, Value>,
    b: &serde_json::Map<String, Value>,
) -> Vec<String> {
    let mut keys: Vec<String> = a.keys().cloned().collect();
    for k in b.keys() {
        if !keys.contains(k) {
            keys.push(k.clone());
        }
    }
    keys
}

fn walk(field: &str, a: &Value, b: &Value, out: &mut Vec<FieldChange>) {
    if a == b {
        return;
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in field_order(x, y) {
                walk(
                    &format!("{field}.{key}"),
                    x.get(&key).unwrap_or(&Value::Null),
                    y.get(&key).unwrap_or(&Value::Null),
                    out,
                );
            }
        }
        _ => out.push(FieldChange {
            field: field.to_string(),
            old: a.clone(),
            new: b.clone(),
        }),
    }
}

/// Versions are matched by their version string, so a new release reads as
/// `versions[2.2.0]: null → {...}` rather than as every position shifting.
fn versions(a: &Value, b: &Value, out: &mut Vec<FieldChange>) {
    let index = |v: &Value| -> Vec<(String, Value)> {
        v.as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|r| {
                        (
                            r["version"].as_str().unwrap_or_default().to_string(),
                            r.clone(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let old = index(a);
    let new = index(b);
    for (version, release) in &new {
        match old.iter().find(|(v, _)| v == version) {
            None => out.push(FieldChange {
                field: format!("versions[{version}]"),
                old: Value::Null,
                new: release.clone(),
            }),
            Some((_, before)) => walk(&format!("versions[{version}]"), before, release, out),
        }
    }
    for (version, release) in &old {
        if !new.iter().any(|(v, _)| v == version) {
            out.push(FieldChange {
                field: format!("versions[{version}]"),
                old: release.clone(),
                new: Value::Null,
            });
        }
    }
}

/// A compact, one-line rendering of a value for human and markdown output.
pub fn show_value(v: &Value) -> String {
    match v {
        Value::Null => "(none)".into(),
        Value::String(s) => s.clone(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(show_value).collect::<Vec<_>>().join(", ")
        ),
        other => other.to_string(),
    }
}

/// [`show_value`] on one line, cut to 120 characters.
pub fn short_value(v: &Value) -> String {
    const MAX: usize = 120;
    let flat = show_value(v).replace('\n', " ");
    if flat.chars().count() <= MAX {
        flat
    } else {
        let mut s: String = flat.chars().take(MAX - 1).collect();
        s.push('…');
        s
    }
}
