//! The embedded JSON Schemas, compiled once, and the translation of schema
//! errors into located findings.

use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{Draft, JsonType, Validator};
use serde_json::Value as Json;

use crate::diag::{Code, Span};
use crate::load::yaml::{Finding, Node, ScalarKind, Value};
use crate::suggest::closest;

/// The JSON Schema of a tool entry, as shipped in `schemas/tool.schema.json`.
pub const TOOL_SCHEMA: &str = include_str!("../schemas/tool.schema.json");
/// The JSON Schema of the taxonomy, as shipped in `schemas/taxonomy.schema.json`.
pub const TAXONOMY_SCHEMA: &str = include_str!("../schemas/taxonomy.schema.json");

/// The JSON Schema of a framework file, as shipped in `schemas/framework.schema.json`.
pub const FRAMEWORK_SCHEMA: &str = include_str!("../schemas/framework.schema.json");

/// The JSON Schema of `alliance-catalog export`, as shipped in `schemas/export.schema.json`.
pub const EXPORT_SCHEMA: &str = include_str!("../schemas/export.schema.json");

/// Names and texts of every embedded schema, for `alliance-catalog schema`:
/// the inputs (tool, taxonomy), the export, and the `--format json` output
/// of each command (the view models of `report`, and `validate`'s
/// result), each as shipped in `schemas/NAME.schema.json`.
pub const SCHEMAS: &[(&str, &str)] = &[
    ("tool", TOOL_SCHEMA),
    ("taxonomy", TAXONOMY_SCHEMA),
    ("export", EXPORT_SCHEMA),
    ("framework", FRAMEWORK_SCHEMA),
    ("list", include_str!("../schemas/list.schema.json")),
    ("show", include_str!("../schemas/show.schema.json")),
    ("compat", include_str!("../schemas/compat.schema.json")),
    ("matrix", include_str!("../schemas/matrix.schema.json")),
    ("review", include_str!("../schemas/review.schema.json")),
    ("coverage", include_str!("../schemas/coverage.schema.json")),
    (
        "framework-coverage",
        include_str!("../schemas/framework-coverage.schema.json"),
    ),
    ("diff", include_str!("../schemas/diff.schema.json")),
    ("validate", include_str!("../schemas/validate.schema.json")),
];

/// Which schema to check a document against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A tool entry.
    Tool,
    /// The taxonomy file.
    Taxonomy,
    /// A framework file.
    Framework,
}

struct Compiled {
    document: Json,
    validator: Validator,
}

fn compiled(kind: Kind) -> Result<&'static Compiled, String> {
    static TOOL: OnceLock<Result<Compiled, String>> = OnceLock::new();
    static TAXONOMY: OnceLock<Result<Compiled, String>> = OnceLock::new();
    static FRAMEWORK: OnceLock<Result<Compiled, String>> = OnceLock::new();
    let (cell, text) = match kind {
        Kind::Tool => (&TOOL, TOOL_SCHEMA),
        Kind::Taxonomy => (&TAXONOMY, TAXONOMY_SCHEMA),
        Kind::Framework => (&FRAMEWORK, FRAMEWORK_SCHEMA),
    };
    cell.get_or_init(|| {
        let document: Json = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let validator = jsonschema::options()
            .with_draft(Draft::Draft202012)
            .should_validate_formats(true)
            .build(&document)
            .map_err(|e| e.to_string())?;
        Ok(Compiled {
            document,
            validator,
        })
    })
    .as_ref()
    .map_err(Clone::clone)
}

/// Checks the schemas compile; called once at start-up so that a broken
/// build fails loudly rather than per file.
pub fn ensure_compiled() -> Result<(), String> {
    compiled(Kind::Tool)?;
    compiled(Kind::Taxonomy)?;
    compiled(Kind::Framework)?;
    Ok(())
}

/// What the schema check found in one document.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Located findings.
    pub findings: Vec<Finding>,
    /// JSON pointers of the values the schema refused (wrong type, format,
    /// pattern, …): the rules must not look at them. A missing key or an
    /// unknown key refuses no value.
    pub refused: Vec<String>,
}

/// Checks `json` (converted from `root`) against the schema of `kind`.
pub fn check(kind: Kind, root: &Node, json: &Json) -> Outcome {
    let compiled = match compiled(kind) {
        Ok(c) => c,
        Err(e) => {
            return Outcome {
                findings: vec![Finding {
                    code: Code::Schema,
                    span: root.span,
                    message: format!("internal error: the embedded schema does not compile: {e}"),
                }],
                refused: vec![String::new()],
            };
        }
    };
    if compiled.validator.is_valid(json) {
        return Outcome::default();
    }
    let mut outcome = Outcome::default();
    for error in compiled.validator.iter_errors(json) {
        let pointer = error.instance_path().as_str().to_string();
        let schema_path = error.schema_path().as_str().to_string();
        let kind = error.kind();
        if !matches!(
            kind,
            ValidationErrorKind::Required { .. } | ValidationErrorKind::AdditionalProperties { .. }
        ) {
            outcome.refused.push(pointer.clone());
        }
        translate(
            &compiled.document,
            root,
            &pointer,
            &schema_path,
            kind,
            &mut outcome.findings,
        );
    }
    outcome
}

/// The keys the schema of `kind` allows at the top level.
pub fn top_level_keys(kind: Kind) -> Vec<String> {
    compiled(kind)
        .map(|c| allowed_properties(&c.document, ""))
        .unwrap_or_default()
}

fn translate(
    schema: &Json,
    root: &Node,
    pointer: &str,
    schema_path: &str,
    kind: &ValidationErrorKind,
    out: &mut Vec<Finding>,
) {
    let node = root.pointer(pointer).unwrap_or(root);
    let at = node.span;
    let field = field_name(pointer);
    let mut push = |code: Code, span, message: String| {
        out.push(Finding {
            code,
            span,
            message,
        })
    };
    match kind {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let known = allowed_properties(schema, schema_path);
            // One index of the mapping's keys: looking each key up in turn
            // would take time quadratic in the number of unknown keys.
            let keys: std::collections::HashMap<String, Span> = match &node.value {
                Value::Map(entries) => entries
                    .iter()
                    .rev()
                    .map(|(k, _)| (crate::load::yaml::key_text(k), k.span))
                    .collect(),
                _ => Default::default(),
            };
            for key in unexpected {
                let span = keys.get(key.as_str()).copied().unwrap_or(at);
                let hint = match closest(key, known.iter().map(String::as_str)) {
                    Some(s) => format!("; did you mean `{s}`?"),
                    None if known.is_empty() => String::new(),
                    None => format!("; the keys allowed here are: {}", known.join(", ")),
                };
                push(
                    Code::UnknownKey,
                    span,
                    if pointer.is_empty() {
                        format!("unknown key `{}`{hint}", shown(key))
                    } else {
                        format!("unknown key `{}` in {field}{hint}", shown(key))
                    },
                );
            }
        }
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            push(
                Code::Schema,
                at,
                format!("{field} is missing the required key `{}`", shown(name)),
            );
        }
        ValidationErrorKind::Type { kind } => {
            push(Code::Schema, at, type_message(&field, node, kind));
        }
        // A value that may be a string or a list (a requirement), given as
        // a number or boolean: the string's message, with its quoted fix.
        ValidationErrorKind::AnyOf { context }
            if matches!(&node.value, Value::Scalar(_))
                && context.iter().flatten().any(|e| {
                    matches!(
                        e.kind(),
                        ValidationErrorKind::Type {
                            kind: TypeKind::Single(JsonType::String)
                        }
                    )
                }) =>
        {
            let string = TypeKind::Single(JsonType::String);
            push(Code::Schema, at, type_message(&field, node, &string));
        }
        ValidationErrorKind::Format { format } => {
            let text = scalar_text(node);
            let (code, message) = match format.as_str() {
                "date" => (
                    Code::InvalidDate,
                    format!(
                        "{field}: `{text}` is not a date; write a real calendar date as YYYY-MM-DD"
                    ),
                ),
                "uri" => (
                    Code::InvalidUrl,
                    format!(
                        "{field}: `{text}` is not a valid URL; write the full address, starting with https://"
                    ),
                ),
                "email" => (
                    Code::InvalidEmail,
                    format!("{field}: `{text}` is not an email address"),
                ),
                other => (
                    Code::Schema,
                    format!("{field}: `{text}` is not in the format `{other}`"),
                ),
            };
            push(code, at, message);
        }
        ValidationErrorKind::Enum { options } => {
            let allowed: Vec<String> = options
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            let text = scalar_text(node);
            let hint = closest(&text, allowed.iter().map(String::as_str))
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            push(
                Code::Schema,
                at,
                format!(
                    "{field}: `{text}` is not one of {}{hint}",
                    allowed.join(", ")
                ),
            );
        }
        ValidationErrorKind::MinLength { limit } => push(
            Code::Schema,
            at,
            format!("{field} is too short: write at least {limit} characters"),
        ),
        ValidationErrorKind::MaxLength { limit } => push(
            Code::Schema,
            at,
            format!("{field} is too long: write at most {limit} characters"),
        ),
        ValidationErrorKind::MinItems { limit } => push(
            Code::Schema,
            at,
            format!(
                "{field} needs at least {limit} item{}",
                if *limit == 1 { "" } else { "s" }
            ),
        ),
        ValidationErrorKind::MaxItems { limit } => push(
            Code::Schema,
            at,
            format!("{field} has more than {limit} items"),
        ),
        ValidationErrorKind::UniqueItems => {
            let span = first_repeat(node).map_or(at, |n| n.span);
            push(
                Code::Schema,
                span,
                format!("{field} lists the same item twice; keep one"),
            )
        }
        ValidationErrorKind::Pattern { pattern } => {
            let text = scalar_text(node);
            let hint = if pattern == "^[a-z0-9]+(-[a-z0-9]+)*$" {
                "use lowercase letters, digits and single hyphens, e.g. `my-tool`".to_string()
            } else if pattern == "^[^\\n\\r]*$" {
                "keep it on one line".to_string()
            } else {
                format!("it must match `{pattern}`")
            };
            push(
                Code::Schema,
                at,
                format!("{field}: `{text}` is not allowed here; {hint}"),
            )
        }
        ValidationErrorKind::PropertyNames { .. } => push(
            Code::Schema,
            at,
            format!("{field} has a key that is not a lowercase kebab-case id"),
        ),
        other => push(
            Code::Schema,
            at,
            format!("{field}: {}", truncate(&format!("{other:?}"), 160)),
        ),
    }
}

fn type_message(field: &str, node: &Node, expected: &TypeKind) -> String {
    let wanted = match expected {
        TypeKind::Single(t) => describe_json_type(&t.to_string()),
        TypeKind::Multiple(set) => set
            .iter()
            .map(|t| describe_json_type(&t.to_string()))
            .collect::<Vec<_>>()
            .join(" or "),
    };
    let found = match &node.value {
        Value::Scalar(s) => s.kind.describe(),
        Value::Seq(_) => "a list",
        Value::Map(_) => "a mapping",
    };
    let mut message = format!("{field} must be {wanted}, found {found}");
    if let Value::Scalar(s) = &node.value {
        let wants_string = matches!(expected, TypeKind::Single(t) if t.to_string() == "string");
        if wants_string && s.plain && !matches!(s.kind, ScalarKind::Str) {
            if matches!(s.kind, ScalarKind::Null) && s.text.is_empty() {
                message.push_str("; write a value after the colon");
            } else {
                message.push_str(&format!(
                    "; YAML reads `{}` as {found}, so put it in quotes: \"{}\"",
                    shown(&s.text),
                    shown(&final_fix(field, &s.text))
                ));
            }
        } else if matches!(s.kind, ScalarKind::Null) && s.text.is_empty() && field == "this file" {
            message =
                "the file is empty; an entry is a mapping of keys such as `id:` and `name:`".into();
        }
    }
    if wanted == "a list" && matches!(node.value, Value::Scalar(_)) {
        message.push_str("; write a list, e.g. `[a, b]` or one `- item` per line");
    }
    message
}

/// What to write for an unquoted number so that it passes the next check
/// too: a version gets its missing parts (`2.10` is `2.10.0`), a platform
/// requirement an operator (`3.10` is `>=3.10`); anything else as it is.
fn final_fix(field: &str, text: &str) -> String {
    let numeric = !text.is_empty()
        && text
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if !numeric {
        return text.to_string();
    }
    let name = field.trim_matches('`');
    if name.starts_with("versions[") && name.ends_with("].version") {
        let mut parts: Vec<&str> = text.split('.').collect();
        while parts.len() < 3 {
            parts.push("0");
        }
        parts.join(".")
    } else if name.starts_with("versions[") && name.contains("].requires.") {
        format!(">={text}")
    } else {
        text.to_string()
    }
}

fn describe_json_type(t: &str) -> String {
    match t {
        "object" => "a mapping",
        "array" => "a list",
        "string" => "a string",
        "number" | "integer" => "a number",
        "boolean" => "a boolean",
        "null" => "null",
        other => other,
    }
    .to_string()
}

fn scalar_text(node: &Node) -> String {
    match &node.value {
        Value::Scalar(s) => shown(&s.text),
        Value::Seq(_) => "a list".into(),
        Value::Map(_) => "a mapping".into(),
    }
}

pub use crate::text::shown;
use crate::text::truncate;

/// A readable name for the value at a pointer: "`versions[0].version`".
pub fn field_name(pointer: &str) -> String {
    if pointer.is_empty() {
        return "this file".into();
    }
    let mut out = String::new();
    for token in crate::load::yaml::pointer_tokens(pointer) {
        if token.parse::<usize>().is_ok() {
            out.push_str(&format!("[{token}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&shown(&token));
        }
    }
    format!("`{out}`")
}

fn allowed_properties(schema: &Json, schema_path: &str) -> Vec<String> {
    let parent = schema_path
        .rsplit_once('/')
        .map_or("", |(parent, _)| parent);
    schema
        .pointer(parent)
        .and_then(|s| s.get("properties"))
        .and_then(Json::as_object)
        .map(|props| props.keys().cloned().collect())
        .unwrap_or_default()
}

fn first_repeat(node: &Node) -> Option<&Node> {
    let Value::Seq(items) = &node.value else {
        return None;
    };
    let mut seen = std::collections::HashSet::new();
    items
        .iter()
        .find(|item| !seen.insert(item.to_json().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Pos;
    use crate::load::yaml::{YamlLimits, parse};

    fn run(text: &str) -> Vec<Finding> {
        let root = parse(text, &YamlLimits::default()).root.expect("parses");
        check(Kind::Tool, &root, &root.to_json()).findings
    }

    #[test]
    fn schemas_compile() {
        assert_eq!(ensure_compiled(), Ok(()));
    }

    #[test]
    fn unknown_key_is_located_with_suggestion() {
        let f = run("licence: MIT\n");
        let unknown: Vec<_> = f.iter().filter(|f| f.code == Code::UnknownKey).collect();
        assert_eq!(unknown.len(), 1);
        assert_eq!(unknown[0].span.start, Pos { line: 1, column: 1 });
        assert!(
            unknown[0].message.contains("did you mean `license`"),
            "{}",
            unknown[0].message
        );
    }

    #[test]
    fn nested_unknown_key_suggests_from_its_own_object() {
        let f = run("vetting:\n  status: vetted\n  reviwed: 2025-01-01\n");
        let unknown = f
            .iter()
            .find(|f| f.code == Code::UnknownKey)
            .expect("unknown key");
        assert_eq!(unknown.span.start, Pos { line: 3, column: 3 });
        assert!(
            unknown.message.contains("`reviewed`"),
            "{}",
            unknown.message
        );
    }

    #[test]
    fn number_for_string_says_to_quote() {
        let f = run("versions:\n  - version: 2.10\n    released: 2025-01-01\n");
        let t = f
            .iter()
            .find(|f| f.message.contains("versions[0].version"))
            .expect("type error");
        assert_eq!(
            t.span.start,
            Pos {
                line: 2,
                column: 14
            }
        );
        assert!(t.message.contains("\"2.10.0\""), "{}", t.message);
    }

    #[test]
    fn the_quoted_fix_passes_the_next_check_too() {
        assert_eq!(final_fix("`versions[0].version`", "2.10"), "2.10.0");
        assert_eq!(final_fix("`versions[1].version`", "3"), "3.0.0");
        assert_eq!(final_fix("`versions[0].version`", "1.2.3"), "1.2.3");
        assert_eq!(final_fix("`versions[0].requires.python`", "3.10"), ">=3.10");
        assert_eq!(final_fix("`name`", "1.5"), "1.5");
        assert_eq!(final_fix("`versions[0].version`", "1e5"), "1e5");
        let f = run(
            "versions:\n  - version: 1.0.0\n    released: 2025-01-01\n    requires:\n      python: 3.10\n",
        );
        let t = f
            .iter()
            .find(|f| f.message.contains("requires.python"))
            .expect("type error");
        assert!(t.message.contains("\">=3.10\""), "{}", t.message);
    }

    #[test]
    fn formats_map_to_codes() {
        let f =
            run("versions:\n  - version: 1.0.0\n    released: 2025-02-30\nhomepage: not a url\n");
        assert!(
            f.iter()
                .any(|f| f.code == Code::InvalidDate && f.span.start.line == 3)
        );
        assert!(
            f.iter()
                .any(|f| f.code == Code::InvalidUrl && f.span.start.line == 4)
        );
    }

    #[test]
    fn field_names_read_well() {
        assert_eq!(field_name("/versions/0/version"), "`versions[0].version`");
        assert_eq!(field_name(""), "this file");
    }
}
