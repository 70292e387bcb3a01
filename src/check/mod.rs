//! Checking a catalog: every file through parse, schema and rules (in
//! parallel), then the rules across entries. Findings are collected, never
//! thrown: one bad file never hides another.

pub mod rules;
pub mod text;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::diag::{self, Code, Diagnostic, Severity, Span};
use crate::load::yaml::{self, Finding, Node, ScalarKind, Value};
use crate::load::{Input, ReadProblem, ToolFile};
use crate::model::{Entry, Settings, Taxonomy, Vocabulary};
use crate::schema::{self, Kind};
use crate::source::SourceFile;
use rules::{Context, Loc, RuleFinding};

/// The entry format this build understands: `1.N.0` with N at most this minor.
pub const SCHEMA_MAJOR: u64 = 1;
/// See [`SCHEMA_MAJOR`].
pub const SCHEMA_MINOR: u64 = 0;

/// An entry that passed the schema, with where it came from.
#[derive(Debug, Clone)]
pub struct CheckedEntry {
    /// The entry.
    pub entry: Entry,
    /// Its file, as shown.
    pub file: Arc<str>,
    /// Whether any error was found in its file.
    pub has_errors: bool,
}

/// The outcome of checking a catalog.
#[derive(Debug)]
pub struct Checked {
    /// The settings used.
    pub settings: Settings,
    /// The taxonomy, when it loaded.
    pub taxonomy: Option<Taxonomy>,
    /// Entries that passed the schema, sorted by id.
    pub entries: Vec<CheckedEntry>,
    /// Every diagnostic, sorted, after the severity policy.
    pub diagnostics: Vec<Diagnostic>,
    /// Number of files checked (entries and the taxonomy).
    pub files: usize,
    /// The text of each file that has diagnostics, for snippets.
    pub sources: BTreeMap<Arc<str>, Arc<SourceFile>>,
}

impl Checked {
    /// Entries whose files have no errors: what listings show.
    pub fn valid_entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .filter(|e| !e.has_errors)
            .map(|e| &e.entry)
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

struct FileOutcome {
    /// The entry (when entries are kept) and what the cross-entry rules need.
    entry: Option<(Option<Entry>, Identity)>,
    diagnostics: Vec<Diagnostic>,
    source: Option<Arc<SourceFile>>,
}

/// What the rules across entries need of one entry: far less than the entry.
#[derive(Debug, Default)]
struct Identity {
    id: String,
    related: Vec<String>,
    file: Arc<str>,
    id_span: Span,
    related_spans: Vec<Span>,
    /// The lines cross-entry findings can point at, kept when the file's
    /// text is dropped.
    lines: Vec<(u32, String)>,
}

/// Whether a check keeps the typed entries (for listings) or only reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Keep every entry that passed the schema, for listing and publishing.
    Entries,
    /// Keep only diagnostics: memory stays small on very large catalogs.
    DiagnosticsOnly,
}

/// Checks a whole catalog: the taxonomy, then every tool file, then the rules
/// across entries. `problems` are folder-level problems found while reading.
pub fn check_catalog(
    settings: Settings,
    taxonomy_input: &Input,
    tools: Vec<ToolFile>,
    problems: Vec<(Arc<str>, ReadProblem)>,
    today: Date,
) -> Checked {
    check_catalog_keeping(
        settings,
        taxonomy_input,
        tools,
        problems,
        today,
        Keep::Entries,
    )
}

/// Like [`check_catalog`], choosing what to keep: with
/// [`Keep::DiagnosticsOnly`], `Checked::entries` stays empty.
pub fn check_catalog_keeping(
    settings: Settings,
    taxonomy_input: &Input,
    tools: Vec<ToolFile>,
    problems: Vec<(Arc<str>, ReadProblem)>,
    today: Date,
    keep: Keep,
) -> Checked {
    let policy = settings.severity_policy().unwrap_or_default();
    let limits = settings.yaml_limits();
    let mut diagnostics: Vec<Diagnostic> = problems
        .into_iter()
        .map(|(file, p)| Diagnostic::new(p.code, file, p.span, p.message))
        .collect();
    let mut sources = BTreeMap::new();

    let (taxonomy, tax_outcome) = check_taxonomy(taxonomy_input, &limits);
    diagnostics.extend(tax_outcome.diagnostics);
    if let Some(src) = tax_outcome.source {
        sources.insert(src.name.clone(), src);
    }

    let ctx = Context {
        taxonomy: taxonomy.as_ref(),
        settings: &settings,
        today,
    };
    let files = tools.len() + 1;
    // The schemas compile once; do it before the workers wait on it.
    let _ = schema::ensure_compiled();
    let outcomes: Vec<(Arc<str>, FileOutcome)> = tools
        .into_par_iter()
        .map(|file| {
            let input = file.read();
            (input.name.clone(), check_tool(input, &ctx, keep))
        })
        .collect();

    let mut entries = Vec::new();
    let mut identities: Vec<Identity> = Vec::new();
    let mut texts: HashMap<Arc<str>, Arc<SourceFile>> = HashMap::new();
    for (name, outcome) in outcomes {
        let has_errors = outcome
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error);
        diagnostics.extend(outcome.diagnostics);
        if let Some(src) = outcome.source {
            texts.insert(name.clone(), src);
        }
        if let Some((entry, identity)) = outcome.entry {
            if let Some(entry) = entry {
                entries.push(CheckedEntry {
                    entry,
                    file: name,
                    has_errors,
                });
            }
            identities.push(identity);
        }
    }

    let cross = cross_entry(&identities);
    let broken: std::collections::HashSet<&Arc<str>> = cross
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| &d.file)
        .collect();
    for e in &mut entries {
        if broken.contains(&e.file) {
            e.has_errors = true;
        }
    }
    diagnostics.extend(cross);

    let mut diagnostics = policy.apply(diagnostics);
    diag::sort(&mut diagnostics);
    for d in &diagnostics {
        if let Some(src) = texts.get(&d.file) {
            sources.entry(d.file.clone()).or_insert_with(|| src.clone());
        }
    }
    // Files whose only findings are cross-entry ones: their kept lines.
    let with_findings: std::collections::HashSet<&Arc<str>> =
        diagnostics.iter().map(|d| &d.file).collect();
    for identity in &identities {
        if !sources.contains_key(&identity.file) && with_findings.contains(&identity.file) {
            sources.insert(
                identity.file.clone(),
                Arc::new(SourceFile::partial(
                    identity.file.clone(),
                    identity.lines.clone(),
                )),
            );
        }
    }
    entries.sort_by(|a, b| {
        a.entry
            .id
            .cmp(&b.entry.id)
            .then_with(|| a.file.cmp(&b.file))
    });
    Checked {
        settings,
        taxonomy,
        entries,
        diagnostics,
        files,
        sources,
    }
}

fn located(file: &Arc<str>, findings: Vec<Finding>) -> impl Iterator<Item = Diagnostic> + '_ {
    findings
        .into_iter()
        .map(move |f| Diagnostic::new(f.code, file.clone(), f.span, f.message))
}

fn read_problem(input: &Input) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Err(p) = &input.text {
        out.push(Diagnostic::new(
            p.code,
            input.name.clone(),
            p.span,
            p.message.clone(),
        ));
    }
    if let Some(w) = &input.warning {
        let mut d = Diagnostic::new(w.code, input.name.clone(), w.span, w.message.clone());
        d.severity = Severity::Warning;
        out.push(d);
    }
    out
}

/// Parses a file's text into a tree, with the findings of parsing and of the
/// character rule.
fn parse_file(text: &str, limits: &yaml::YamlLimits) -> (Option<Node>, Vec<Finding>) {
    let parsed = yaml::parse(text, limits);
    let mut findings = parsed.findings;
    if let Some(root) = &parsed.root {
        findings.extend(text::check(root));
    }
    (parsed.root, findings)
}

/// The marker that starts every placeholder value written by `new`.
pub const PLACEHOLDER: &str = "TODO:";

/// Finds placeholder values (strings starting with [`PLACEHOLDER`]).
fn placeholders(root: &Node) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::Scalar(s) if s.text.trim_start().starts_with(PLACEHOLDER) => out.push(Finding {
                code: Code::Placeholder,
                span: node.span,
                message: format!(
                    "replace the placeholder `{}` with the real value",
                    schema::shown(s.text.trim())
                ),
            }),
            Value::Scalar(_) => {}
            Value::Seq(items) => stack.extend(items.iter().rev()),
            Value::Map(entries) => stack.extend(entries.iter().rev().map(|(_, v)| v)),
        }
    }
    out
}

/// The steps every file takes before its rules: the schema-version gate,
/// placeholders (entries only), the schema, and the typed decode. `None`
/// when any of them found a problem (recorded in `diagnostics`).
fn decode<T: serde::de::DeserializeOwned>(
    kind: Kind,
    root: &Node,
    name: &Arc<str>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<T> {
    let (gate, stop) = schema_version_gate(root);
    diagnostics.extend(located(name, gate));
    if stop {
        return None;
    }
    // Placeholders are reported once; other findings on them wait.
    let todo = if kind == Kind::Tool {
        placeholders(root)
    } else {
        Vec::new()
    };
    let todo_spans: Vec<Span> = todo.iter().map(|f| f.span).collect();
    diagnostics.extend(located(name, todo));
    let json = root.to_json();
    let schema_findings: Vec<Finding> = schema::check(kind, root, &json)
        .into_iter()
        .filter(|f| !todo_spans.contains(&f.span))
        .collect();
    if !schema_findings.is_empty() || !todo_spans.is_empty() {
        diagnostics.extend(located(name, schema_findings));
        return None;
    }
    match serde_json::from_value(json) {
        Ok(value) => Some(value),
        Err(e) => {
            let what = match kind {
                Kind::Tool => "the entry does not fit the entry format",
                Kind::Taxonomy => "the taxonomy does not fit its format",
            };
            diagnostics.push(Diagnostic::new(
                Code::Schema,
                name.clone(),
                root.span,
                format!("{what}: {e}"),
            ));
            None
        }
    }
}

fn check_tool(input: Input, ctx: &Context<'_>, keep: Keep) -> FileOutcome {
    let mut diagnostics = read_problem(&input);
    let Input {
        name, stem, text, ..
    } = input;
    let Ok(text) = text else {
        return FileOutcome {
            entry: None,
            diagnostics,
            source: None,
        };
    };
    let source = Arc::new(SourceFile::new(name.clone(), text));
    let limits = ctx.settings.yaml_limits();
    let (root, findings) = parse_file(&source.text, &limits);
    diagnostics.extend(located(&name, findings));
    let entry = root.and_then(|root| {
        let entry: Entry = decode(Kind::Tool, &root, &name, &mut diagnostics)?;
        let findings = rules::check_entry(&entry, &stem, ctx);
        diagnostics.extend(findings.into_iter().map(|f| locate(&name, &root, f)));
        let id_span = root.pointer("/id").map_or(root.span, |n| n.span);
        let related_spans: Vec<Span> = (0..entry.related.len())
            .map(|i| {
                root.pointer(&format!("/related/{i}"))
                    .map_or(root.span, |n| n.span)
            })
            .collect();
        let mut lines: Vec<(u32, String)> = std::iter::once(id_span)
            .chain(related_spans.iter().copied())
            .filter_map(|s| {
                source
                    .line(s.start.line)
                    .map(|l| (s.start.line, l.to_string()))
            })
            .collect();
        lines.dedup();
        let identity = Identity {
            id: entry.id.clone(),
            related: entry.related.clone(),
            file: name.clone(),
            id_span,
            related_spans,
            lines,
        };
        Some(((keep == Keep::Entries).then_some(entry), identity))
    });
    // Keep the whole text only where there is something to show.
    let source = (!diagnostics.is_empty()).then_some(source);
    FileOutcome {
        entry,
        diagnostics,
        source,
    }
}

fn locate(file: &Arc<str>, root: &Node, f: RuleFinding) -> Diagnostic {
    let span = match &f.at {
        Loc::Value(p) => root.pointer(p).map(|n| n.span),
        Loc::Key(p, key) => root.key_at(p, key).map(|n| n.span),
    }
    .unwrap_or(root.span);
    Diagnostic::new(f.code, file.clone(), span, f.message)
}

/// Checks `schema_version` before anything else: a version this build does
/// not know stops the file (its other keys may be newer than the schema).
fn schema_version_gate(root: &Node) -> (Vec<Finding>, bool) {
    let Some(node) = root.get("schema_version") else {
        return (Vec::new(), false);
    };
    let Value::Scalar(s) = &node.value else {
        return (Vec::new(), false);
    };
    if !matches!(s.kind, ScalarKind::Str) {
        return (Vec::new(), false);
    }
    let known = format!("{SCHEMA_MAJOR}.{SCHEMA_MINOR}.0");
    match semver::Version::parse(&s.text) {
        Err(e) => (
            vec![Finding {
                code: Code::InvalidVersion,
                span: node.span,
                message: format!(
                    "`{}` is not a semantic version ({e}); write `{known}`",
                    schema::shown(&s.text)
                ),
            }],
            false,
        ),
        Ok(v) if v.major != SCHEMA_MAJOR || v.minor > SCHEMA_MINOR => (
            vec![Finding {
                code: Code::UnsupportedSchemaVersion,
                span: node.span,
                message: format!(
                    "this entry is written in schema version {v}, but this alliance-catalog knows schema version {known}; upgrade alliance-catalog (or write the entry in {known})"
                ),
            }],
            true,
        ),
        Ok(_) => (Vec::new(), false),
    }
}

fn check_taxonomy(input: &Input, limits: &yaml::YamlLimits) -> (Option<Taxonomy>, FileOutcome) {
    let name = input.name.clone();
    let mut diagnostics = read_problem(input);
    let Ok(text) = &input.text else {
        return (
            None,
            FileOutcome {
                entry: None,
                diagnostics,
                source: None,
            },
        );
    };
    let source = Arc::new(SourceFile::new(name.clone(), text.clone()));
    let (root, findings) = parse_file(text, limits);
    diagnostics.extend(located(&name, findings));
    let taxonomy = root.and_then(|root| {
        let taxonomy: Taxonomy = decode(Kind::Taxonomy, &root, &name, &mut diagnostics)?;
        for vocabulary in Vocabulary::ALL {
            let mut seen: HashMap<&str, usize> = HashMap::new();
            for (i, term) in taxonomy.terms(vocabulary).iter().enumerate() {
                let pointer = format!("/{}/{i}/id", vocabulary.key());
                let span = root.pointer(&pointer).map_or(root.span, |n| n.span);
                if let Some(first) = seen.insert(term.id.as_str(), i) {
                    diagnostics.push(Diagnostic::new(
                        Code::DuplicateId,
                        name.clone(),
                        span,
                        format!(
                            "the {} `{}` is defined twice (first as {}[{first}]); keep one",
                            vocabulary.noun(),
                            term.id,
                            vocabulary.key()
                        ),
                    ));
                }
                for (r, reference) in term.references.iter().enumerate() {
                    if !taxonomy.sources.iter().any(|s| &s.id == reference) {
                        let p = format!("/{}/{i}/references/{r}", vocabulary.key());
                        diagnostics.push(Diagnostic::new(
                            Code::UnresolvedRelated,
                            name.clone(),
                            root.pointer(&p).map_or(span, |n| n.span),
                            format!(
                                "`{}` is not the id of an item of `sources`",
                                schema::shown(reference)
                            ),
                        ));
                    }
                }
            }
        }
        for (i, source) in taxonomy.sources.iter().enumerate() {
            if let Err((code, message)) = rules::check_url(&source.url) {
                let p = format!("/sources/{i}/url");
                diagnostics.push(Diagnostic::new(
                    code,
                    name.clone(),
                    root.pointer(&p).map_or(root.span, |n| n.span),
                    message,
                ));
            }
        }
        Some(taxonomy)
    });
    (
        taxonomy,
        FileOutcome {
            entry: None,
            diagnostics,
            source: Some(source),
        },
    )
}

fn cross_entry(entries: &[Identity]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut by_id: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        by_id.entry(e.id.as_str()).or_default().push(i);
    }
    for indices in by_id.values() {
        if indices.len() < 2 {
            continue;
        }
        for &this in indices {
            let mut others: Vec<String> = indices
                .iter()
                .filter(|&&o| o != this)
                .take(3)
                .map(|&o| entries[o].file.to_string())
                .collect();
            if indices.len() > 4 {
                others.push(format!("{} more", indices.len() - 4));
            }
            out.push(Diagnostic::new(
                Code::DuplicateId,
                entries[this].file.clone(),
                entries[this].id_span,
                format!(
                    "the id `{}` is also used by {}; give one of the entries another id, or merge them",
                    entries[this].id,
                    others.join(", ")
                ),
            ));
        }
    }
    // Suggestions compare with every id; cap how many are made so that a
    // catalog full of bad references stays linear.
    let mut suggestions_left = 200usize;
    for e in entries {
        for (r, related) in e.related.iter().enumerate() {
            let exists = by_id.contains_key(related.as_str()) && *related != e.id;
            if exists {
                continue;
            }
            let message = if *related == e.id {
                "an entry cannot be related to itself; remove its own id".to_string()
            } else {
                let hint = if suggestions_left > 0 {
                    suggestions_left -= 1;
                    crate::suggest::closest(related, by_id.keys().copied())
                        .map(|s| format!("; did you mean `{s}`?"))
                        .unwrap_or_default()
                } else {
                    String::new()
                };
                format!(
                    "no entry of the catalog has the id `{}`{hint}",
                    schema::shown(related)
                )
            };
            let span = e.related_spans.get(r).copied().unwrap_or(e.id_span);
            out.push(Diagnostic::new(
                Code::UnresolvedRelated,
                e.file.clone(),
                span,
                message,
            ));
        }
    }
    out
}

#[cfg(test)]
mod properties {
    use std::sync::Arc;

    use proptest::prelude::*;

    use super::*;
    use crate::load::{Input, decode};

    const TAXONOMY: &str = include_str!("../../tests/fixtures/catalog/taxonomy.yaml");
    const ENTRY: &str = include_str!("../../tests/fixtures/catalog/tools/alpha-guard.yaml");

    fn input(name: &str, bytes: Vec<u8>) -> Input {
        let (text, warning) = match decode(bytes) {
            Ok((t, w)) => (Ok(t), w),
            Err(p) => (Err(p), None),
        };
        Input {
            name: Arc::from(name),
            path: None,
            stem: "alpha-guard".into(),
            text,
            warning,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// However an entry is damaged (bytes replaced, inserted or cut),
        /// every diagnostic points inside the file it names.
        #[test]
        fn diagnostics_are_located_inside_their_file(
            edits in proptest::collection::vec((0usize..2000, any::<u8>(), 0u8..3), 1..8)
        ) {
            let mut bytes = ENTRY.as_bytes().to_vec();
            for (at, byte, kind) in edits {
                let at = at % (bytes.len() + 1);
                match kind {
                    0 if at < bytes.len() => bytes[at] = byte,
                    1 => bytes.insert(at, byte),
                    _ if at < bytes.len() => { bytes.remove(at); }
                    _ => {}
                }
            }
            let settings = Settings::from_toml("s.toml", "name = \"x\"").expect("settings");
            let today = jiff::civil::date(2026, 11, 25);
            let checked = check_catalog(
                settings,
                &input("taxonomy.yaml", TAXONOMY.as_bytes().to_vec()),
                vec![ToolFile::Read(input("tools/alpha-guard.yaml", bytes.clone()))],
                Vec::new(),
                today,
            );
            let text = String::from_utf8_lossy(&bytes);
            let lines: Vec<&str> = crate::source::split_lines(&text).collect();
            for d in &checked.diagnostics {
                prop_assert_eq!(&*d.file, "tools/alpha-guard.yaml");
                let line = d.span.start.line as usize;
                prop_assert!(line >= 1 && line <= lines.len() + 1, "{d:?}");
                let width = lines.get(line - 1).map_or(0, |l| l.chars().count());
                prop_assert!(d.span.start.column as usize <= width + 1, "{d:?} on {:?}", lines.get(line - 1));
            }
        }
    }
}
