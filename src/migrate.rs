//! `migrate`: rewrites an entry of schema 1.x to schema 2.0.0 by edits at
//! the positions the YAML parser recorded — the `schema_version` value and
//! each requirement whose text changes — so that every other byte
//! (comments, order, quoting, blank lines) stays as it was.
//!
//! A 1.x requirement is in the `semver` crate's syntax; 2.0.0 writes it in
//! its platform's own ([`crate::version::translate`]), with the same meaning
//! on final releases. What cannot be translated is refused with its
//! position and why; a refused file is not changed at all.

use crate::diag::Span;
use crate::edit::{self, Edit};
use crate::load::yaml::{self, Node, ScalarKind, Value, YamlLimits};
use crate::model::Taxonomy;
use crate::model::entry::target_of;
use crate::version::{ReleaseVersion, Rules, VersionRules, translate};

/// The schema version `migrate` writes.
pub const TARGET: &str = "2.0.0";

/// One requirement as it was and as it becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewrite {
    /// Where its value is written.
    pub span: Span,
    /// The release's version.
    pub release: String,
    /// The platform.
    pub platform: String,
    /// The requirement as written in 1.x.
    pub from: String,
    /// The requirement in 2.0.0 (equal to `from` when unchanged).
    pub to: String,
}

impl Rewrite {
    /// Whether the text changes.
    pub fn changed(&self) -> bool {
        self.from != self.to
    }
}

/// What migrating one file does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// The file is at schema 2.0.0 already; nothing to do.
    Current,
    /// The file is rewritten: its new text and every requirement, changed
    /// or not.
    Migrate {
        /// The file's text after the edits.
        text: String,
        /// The version it was written in.
        from: String,
        /// Every requirement of the file, in file order.
        requirements: Vec<Rewrite>,
    },
}

/// Why a file cannot be migrated, at a position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Where.
    pub span: Span,
    /// What is wrong and what to do.
    pub message: String,
}

/// The plan for one entry file's `text`, with the catalog's `taxonomy`
/// telling each platform's ecosystem.
pub fn plan(text: &str, taxonomy: &Taxonomy, limits: &YamlLimits) -> Result<Plan, Vec<Refusal>> {
    let parsed = yaml::parse(text, limits);
    let start = Span::point(crate::diag::Pos { line: 1, column: 1 });
    let Some(root) = parsed.root.filter(|_| parsed.findings.is_empty()) else {
        let first = parsed.findings.first();
        return Err(vec![Refusal {
            span: first.map_or(start, |f| f.span),
            message: format!(
                "the file is not a YAML document that can be edited safely ({}); fix what `alliance-catalog validate` reports first",
                first.map_or("no document", |f| f.message.as_str())
            ),
        }]);
    };
    let Some(version_node) = root.get("schema_version") else {
        return Err(vec![Refusal {
            span: root.span,
            message: "the entry has no `schema_version`; write the version it was written in (e.g. `schema_version: 1.1.0`)".into(),
        }]);
    };
    let version_text = match &version_node.value {
        Value::Scalar(s) if s.kind == ScalarKind::Str => s.text.clone(),
        _ => {
            return Err(vec![Refusal {
                span: version_node.span,
                message: "`schema_version` is not a version string".into(),
            }]);
        }
    };
    let version = semver::Version::parse(&version_text).map_err(|e| {
        vec![Refusal {
            span: version_node.span,
            message: format!("`schema_version` is not a semantic version ({e})"),
        }]
    })?;
    if version.major == 2 {
        return Ok(Plan::Current);
    }
    if version.major != 1 {
        return Err(vec![Refusal {
            span: version_node.span,
            message: format!(
                "schema version {version} is neither 1.x nor {TARGET}; migrate knows only 1.x"
            ),
        }]);
    }
    let mut edits = vec![replace_scalar(text, version_node, TARGET)?];
    let mut refusals = Vec::new();
    let mut requirements = Vec::new();
    let releases = match root.get("versions").map(|n| &n.value) {
        Some(Value::Seq(items)) => items.as_slice(),
        _ => &[],
    };
    // In 2.0.0 a PyPI package's release versions follow PEP 440: a
    // semantic version that PEP 440 cannot read is refused, not migrated
    // into an entry that would no longer validate.
    let first_package = match root.get("packages").map(|n| &n.value) {
        Some(Value::Seq(items)) => items
            .first()
            .and_then(|n| n.as_scalar())
            .map(|s| s.text.as_str()),
        _ => None,
    };
    let rules = VersionRules::of_entry(2, first_package);
    for release in releases {
        let release_version = release
            .get("version")
            .and_then(|n| n.as_scalar())
            .map(|s| s.text.clone())
            .unwrap_or_default();
        if let Some(node) = release.get("version")
            && let Err(e) = ReleaseVersion::parse(&release_version, rules)
            && rules == VersionRules::Pep440
            && semver::Version::parse(&release_version).is_ok()
        {
            refusals.push(Refusal {
                span: node.span,
                message: format!(
                    "`{}` is a semantic version but not a PEP 440 version ({}), which schema 2.0.0 requires of a PyPI package's releases; write the version as PyPI lists it (e.g. `1.0.0rc1` for `1.0.0-rc.1`)",
                    crate::text::shown(&release_version),
                    e.reason
                ),
            });
        }
        let Some(requires) = release.get("requires") else {
            continue;
        };
        let Some(pairs) = requires.as_map() else {
            refusals.push(Refusal {
                span: requires.span,
                message: "`requires` is not a mapping of platform to requirement".into(),
            });
            continue;
        };
        for (key, value) in pairs {
            let platform = yaml::key_text(key);
            let from = match &value.value {
                Value::Scalar(s) if s.kind == ScalarKind::Str => s.text.clone(),
                _ => {
                    refusals.push(Refusal {
                        span: value.span,
                        message: format!(
                            "the requirement on `{}` is not a string; write it as one, quoted (e.g. \">=3.9\"), then migrate",
                            crate::text::shown(&platform)
                        ),
                    });
                    continue;
                }
            };
            let target = target_of(Some(taxonomy), &platform, 2);
            let Rules::Native(ecosystem) = target.rules else {
                continue;
            };
            // A 1.x text the semver crate refused but the platform's own
            // rules read (`~=1.4.2`, `!=3.12.5`) was written for 2.0.0: it
            // stays as written.
            let translated = translate(&from, ecosystem, target.package()).or_else(|why| {
                crate::version::Requirement::parse(&from, target)
                    .map(|_| crate::version::Translation {
                        text: from.clone(),
                        changed: false,
                    })
                    .map_err(|_| why)
            });
            match translated {
                Err(why) => refusals.push(Refusal {
                    span: value.span,
                    message: format!(
                        "the requirement `{}` on `{}` cannot be translated to {}: {why}",
                        crate::text::shown(&from),
                        crate::text::shown(&platform),
                        ecosystem.name()
                    ),
                }),
                Ok(t) => {
                    if t.changed {
                        match replace_scalar(text, value, &t.text) {
                            Ok(e) => edits.push(e),
                            Err(mut r) => refusals.append(&mut r),
                        }
                    }
                    requirements.push(Rewrite {
                        span: value.span,
                        release: release_version.clone(),
                        platform: platform.clone(),
                        from,
                        to: t.text,
                    });
                }
            }
        }
    }
    if !refusals.is_empty() {
        return Err(refusals);
    }
    let new = edit::apply(text, &edits).map_err(|e| {
        vec![Refusal {
            span: root.span,
            message: format!("internal error: {e}"),
        }]
    })?;
    Ok(Plan::Migrate {
        text: new,
        from: version_text,
        requirements,
    })
}

/// The edit that replaces the scalar `node` (as written, quotes included)
/// by `value`, in the quoting style it was written in (plain scalars
/// become double-quoted, since a requirement such as `>=3.9` cannot be a
/// plain YAML scalar).
fn replace_scalar(text: &str, node: &Node, value: &str) -> Result<Edit, Vec<Refusal>> {
    let refuse = |why: &str| {
        vec![Refusal {
            span: node.span,
            message: format!("cannot edit this value in place: {why}"),
        }]
    };
    let start = edit::offset(text, node.span.start.line, node.span.start.column)
        .ok_or_else(|| refuse("its position is outside the file"))?;
    // The scalar's extent is read from the text itself: from its first
    // character to its closing quote (or, unquoted, to a comment or the end
    // of the line), whatever the parser's end marker says.
    let line = &text[start..edit::next_line_start(text, start)];
    let line = line.trim_end_matches(['\n', '\r']);
    let len = match line.chars().next() {
        Some('"') => {
            closing(line, '"').ok_or_else(|| refuse("its closing quote is not on its line"))?
        }
        Some('\'') => {
            closing(line, '\'').ok_or_else(|| refuse("its closing quote is not on its line"))?
        }
        Some(_) => line.find(" #").unwrap_or(line.len()),
        None => return Err(refuse("it is empty")),
    };
    let written = line[..len].trim_end();
    let plain = node.as_scalar().is_some_and(|s| s.plain);
    if plain && !matches!(node.as_scalar(), Some(s) if s.text == written) {
        return Err(refuse(
            "it is written over several lines or in a block style; write it on one line, then migrate",
        ));
    }
    let quoted = if written.starts_with('\'') {
        format!("'{}'", value.replace('\'', "''"))
    } else if written.starts_with('"') {
        double_quoted(value)
    } else if !needs_quotes(value) {
        value.to_string()
    } else {
        double_quoted(value)
    };
    Ok(Edit::replace(start, start + written.len(), quoted))
}

/// The length of the quoted scalar at the start of `line`, quotes included.
fn closing(line: &str, quote: char) -> Option<usize> {
    let mut chars = line.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if quote == '"' && c == '\\' {
            chars.next();
        } else if c == quote {
            if quote == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') {
                chars.next();
            } else {
                return Some(i + 1);
            }
        }
    }
    None
}

fn double_quoted(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Whether `value` must be quoted to stay a string in YAML: anything but
/// letters, digits, `.`, `_`, `-` and `+`, a first character other than a
/// letter or digit, and what YAML would read as a number, boolean or null.
fn needs_quotes(value: &str) -> bool {
    let simple = value.starts_with(|c: char| c.is_ascii_alphanumeric())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+'));
    !simple
        || value.parse::<f64>().is_ok()
        || matches!(
            value.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "inf" | "nan"
        )
        || value.starts_with("0x")
        || value.starts_with("0o")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taxonomy() -> Taxonomy {
        serde_json::from_value(serde_json::json!({
            "schema_version": "1.0.0",
            "categories": [], "risks": [], "lifecycle": [], "modalities": [], "interfaces": [],
            "platforms": [
                {"id": "python", "title": "Python", "description": "d", "runtime": "cpython"},
                {"id": "numpy", "title": "NumPy", "description": "d", "package": "pkg:pypi/numpy"},
                {"id": "nodejs", "title": "Node.js", "description": "d", "runtime": "nodejs"},
                {"id": "rust", "title": "Rust", "description": "d", "runtime": "rustc"}
            ]
        }))
        .expect("taxonomy")
    }

    fn migrate(text: &str) -> Result<Plan, Vec<Refusal>> {
        plan(text, &taxonomy(), &YamlLimits::default())
    }

    const ENTRY: &str = "# a comment\nschema_version: 1.1.0   # kept\nid: t\nversions:\n  - version: \"1.0.0\"\n    requires:\n      python: \">=3.9, <=3.12\"  # note\n      numpy: '*'\n      nodejs: \">=20.0.0, <23\"\n      rust: \">=1.88\"\n";

    #[test]
    fn only_the_version_and_changed_requirements_are_edited() {
        let plan = migrate(ENTRY);
        let Ok(Plan::Migrate {
            text,
            from,
            requirements,
        }) = plan
        else {
            panic!("not migrated: {plan:?}");
        };
        assert_eq!(from, "1.1.0");
        assert_eq!(
            text,
            "# a comment\nschema_version: 2.0.0   # kept\nid: t\nversions:\n  - version: \"1.0.0\"\n    requires:\n      python: \">=3.9, <3.13\"  # note\n      numpy: 'numpy'\n      nodejs: \">=20.0.0 <23\"\n      rust: \">=1.88\"\n"
        );
        let changed: Vec<bool> = requirements.iter().map(Rewrite::changed).collect();
        assert_eq!(changed, [true, true, true, false]);
    }

    #[test]
    fn current_entries_are_left_alone() {
        let text = ENTRY.replace("1.1.0", "2.0.0");
        assert_eq!(migrate(&text), Ok(Plan::Current));
    }

    #[test]
    fn what_cannot_be_translated_is_refused_where_it_is() {
        let text = ENTRY.replace("python: \">=3.9, <=3.12\"", "python: \"*\"");
        let refusals = migrate(&text).expect_err("refused");
        assert_eq!(refusals.len(), 1);
        assert_eq!(
            (refusals[0].span.start.line, refusals[0].span.start.column),
            (7, 15)
        );
        assert!(
            refusals[0]
                .message
                .contains("no PEP 440 form for a runtime"),
            "{}",
            refusals[0].message
        );
        // A text 1.x refused but PEP 440 reads stays as written.
        let text = ENTRY.replace("python: \">=3.9, <=3.12\"", "python: \"~=3.10\"");
        let Ok(Plan::Migrate { requirements, .. }) = migrate(&text) else {
            panic!("not migrated");
        };
        assert_eq!(requirements[0].to, "~=3.10");
        let text = ENTRY.replace("python: \">=3.9, <=3.12\"", "python: 3.9");
        let refusals = migrate(&text).expect_err("refused");
        assert!(refusals[0].message.contains("not a string"));
        assert!(migrate("a: [").is_err());
        // A PyPI package's semantic version that PEP 440 cannot read.
        let text = ENTRY
            .replace("id: t\n", "id: t\npackages: [pkg:pypi/t]\n")
            .replace("\"1.0.0\"", "\"1.0.0-alpha.beta\"");
        let refusals = migrate(&text).expect_err("refused");
        assert_eq!(refusals.len(), 1, "{refusals:?}");
        assert_eq!(refusals[0].span.start.line, 6);
        assert!(
            refusals[0].message.contains("not a PEP 440 version"),
            "{}",
            refusals[0].message
        );
        // Without a PyPI package it stays a semantic version.
        let text = ENTRY.replace("\"1.0.0\"", "\"1.0.0-alpha.beta\"");
        assert!(migrate(&text).is_ok());
        let refusals = migrate("schema_version: 3.0.0\n").expect_err("refused");
        assert!(refusals[0].message.contains("migrate knows only 1.x"));
    }
}
