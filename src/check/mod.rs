//! Checking a catalog: every file through parse, schema and rules (in
//! parallel), then the rules across entries, all into one [`Sink`]. Findings
//! are collected, never thrown: one bad file never hides another, and one
//! bad value never hides the findings on its sound neighbours.

pub mod rules;
pub mod text;
pub mod verify;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::diag::{
    At, Code, Diagnostic, FileSink, Finding, Omitted, Severity, SeverityPolicy, Sink, Span, Summary,
};
use crate::load::yaml::{self, Node, ScalarKind, Value};
use crate::load::{Input, ReadProblem, ToolFile};
use crate::model::{Entry, Framework, Frameworks, Interner, RawEntry, Settings, Taxonomy};
use crate::schema::{self, Kind};
use crate::source::SourceFile;
use rules::{CatalogEmit, Context, Emit, FrameworkContext, Identity, Run, Scope};

/// The entry format this build writes and understands: `MAJOR.N.0` with N
/// at most [`SCHEMA_MINOR`] (and schema 1.x, see [`SCHEMA_1_MINOR`]).
pub const SCHEMA_MAJOR: u64 = 2;
/// See [`SCHEMA_MAJOR`].
pub const SCHEMA_MINOR: u64 = 2;
/// The newest minor version of the previous major version, schema 1.x,
/// which this build still reads under its own rules (`migrate` rewrites
/// such entries to the current version).
pub const SCHEMA_1_MINOR: u64 = 1;

/// An entry that passed the schema, with where it came from.
#[derive(Debug, Clone)]
pub struct CheckedEntry {
    /// The entry (boxed: it moves from the worker to the listing without
    /// being copied).
    pub entry: Box<Entry>,
    /// Its file, as shown.
    pub file: Arc<str>,
    /// Whether any error was found in its file, after the severity policy.
    pub has_errors: bool,
}

/// The outcome of checking a catalog.
#[derive(Debug)]
pub struct Checked {
    /// The settings used.
    pub settings: Settings,
    /// The taxonomy, when it loaded.
    pub taxonomy: Option<Taxonomy>,
    /// The frameworks that loaded (each file that passed its schema).
    pub frameworks: Frameworks,
    /// Entries that passed the schema, sorted by id.
    pub entries: Vec<CheckedEntry>,
    /// The diagnostics shown, sorted, with their final severities.
    pub diagnostics: Vec<Diagnostic>,
    /// Per file, the diagnostics beyond the per-file cap (counted, not shown).
    pub omitted: Vec<Omitted>,
    /// Per file, the checks that could not run because their input has errors.
    pub skipped: Vec<(Arc<str>, usize)>,
    /// Counts over every finding, shown or not.
    pub summary: Summary,
    /// Files with at least one error, sorted.
    pub files_with_errors: Vec<Arc<str>>,
    /// The taxonomy's file, as shown.
    pub taxonomy_file: Arc<str>,
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
            .map(|e| &*e.entry)
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.summary.errors > 0
    }

    /// The taxonomy's file, as shown.
    pub fn taxonomy_file(&self) -> &Arc<str> {
        &self.taxonomy_file
    }
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
    frameworks: &[Input],
    tools: Vec<ToolFile>,
    problems: Vec<(Arc<str>, ReadProblem)>,
    today: Date,
) -> Checked {
    check_catalog_keeping(
        settings,
        taxonomy_input,
        frameworks,
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
    frameworks: &[Input],
    tools: Vec<ToolFile>,
    problems: Vec<(Arc<str>, ReadProblem)>,
    today: Date,
    keep: Keep,
) -> Checked {
    check_inputs(
        settings,
        taxonomy_input,
        frameworks,
        tools,
        ToolFile::read,
        problems,
        today,
        keep,
    )
}

/// What one worker hands back for one entry file: small and of one size,
/// so that the outcomes of a large catalog are one exact allocation. What
/// only some files have (findings, the text, a kept entry) is boxed.
struct FileOutcome {
    kept: Option<Box<Kept>>,
    entry: Option<Box<Entry>>,
    rest: Option<Box<Rest>>,
}

/// The parts of an outcome that most files of a large, clean catalog lack.
struct Rest {
    sink: FileSink,
    source: Option<Arc<SourceFile>>,
}

/// What the rules across entries need, and the lines their findings can
/// point at (kept when the file's text is dropped). Boxed in the outcome,
/// and read there in place: the outcomes of a large catalog are never
/// copied into a second list.
struct Kept {
    identity: Identity,
    lines: Lines,
}

/// The lines of an entry that findings across entries can point at: none
/// stored when the only one is the plain `id: <id>` line, which can be
/// written again from the id (most entries; this keeps large catalogs small).
type Lines = Option<Box<[(u32, Box<str>)]>>;

/// The checking pipeline proper: `read` turns each of `tools` into an
/// [`Input`] inside the worker that checks it, so reading and checking
/// overlap and a file's text lives only while it is checked. Pure but for
/// what `read` does.
#[allow(
    clippy::too_many_arguments,
    reason = "the pipeline's inputs, each of its own kind"
)]
pub fn check_inputs<T: Send>(
    settings: Settings,
    taxonomy_input: &Input,
    framework_inputs: &[Input],
    tools: Vec<T>,
    read: impl Fn(T) -> Input + Sync,
    problems: Vec<(Arc<str>, ReadProblem)>,
    today: Date,
    keep: Keep,
) -> Checked {
    let policy: Arc<SeverityPolicy> = Arc::new(settings.severity_policy().clone());
    let mut sink = Sink::new(policy.clone(), settings.limits.max_findings_per_file);
    for (file, p) in problems {
        sink.push(Diagnostic::new(p.code, file, p.span, p.message));
    }
    let mut sources = BTreeMap::new();

    let mut parsed = Vec::with_capacity(framework_inputs.len());
    for input in framework_inputs {
        parsed.push(parse_framework(input, &settings, &policy));
    }
    let frameworks = Frameworks::new(parsed.iter().filter_map(|p| p.framework.clone()).collect())
        .with_broken(
            parsed
                .iter()
                .filter(|p| p.framework.is_none())
                .map(|p| p.stem.clone())
                .collect(),
        );
    let (taxonomy, tax_sink, tax_source) =
        check_taxonomy(taxonomy_input, &frameworks, &settings, &policy);
    sink.absorb(tax_sink);
    if let Some(src) = tax_source {
        sources.insert(src.name.clone(), src);
    }
    for p in parsed {
        let (file_sink, source) = check_framework(p, taxonomy.as_ref());
        sink.absorb(file_sink);
        if let Some(src) = source {
            sources.insert(src.name.clone(), src);
        }
    }

    let interner = match &taxonomy {
        Some(t) => Interner::new(
            crate::model::Vocabulary::ALL
                .into_iter()
                .flat_map(|v| t.terms(v).iter().map(|term| term.id.as_str())),
        ),
        None => Interner::default(),
    };
    let files = tools.len() + 1 + framework_inputs.len();
    // The schemas compile once; do it before the workers wait on it.
    let _ = schema::ensure_compiled();
    let outcomes: Vec<FileOutcome> = tools
        .into_par_iter()
        .map(|file| {
            let input = read(file);
            check_tool(
                input,
                taxonomy.as_ref(),
                &frameworks,
                &settings,
                today,
                &policy,
                keep,
                &interner,
            )
        })
        .collect();
    let mut outcomes = outcomes;
    let mut entries: Vec<CheckedEntry> = Vec::with_capacity(match keep {
        Keep::Entries => outcomes.len(),
        Keep::DiagnosticsOnly => 0,
    });
    let mut texts: HashMap<Arc<str>, Arc<SourceFile>> = HashMap::new();
    for outcome in &mut outcomes {
        if let Some(rest) = outcome.rest.take() {
            let Rest {
                sink: file_sink,
                source,
            } = *rest;
            if let Some(src) = source {
                texts.insert(file_sink.file().clone(), src);
            }
            sink.absorb(file_sink);
        }
        // An entry is kept only with its identity, which names its file.
        if let (Some(entry), Some(kept)) = (outcome.entry.take(), &outcome.kept) {
            entries.push(CheckedEntry {
                entry,
                file: kept.identity.file.clone(),
                has_errors: false,
            });
        }
    }
    let identities: Vec<&Identity> = outcomes
        .iter()
        .filter_map(|o| o.kept.as_deref())
        .map(|k| &k.identity)
        .collect();

    let mut cross = Vec::new();
    for rule in rules::of_scope(Scope::Catalog) {
        if let Run::Catalog(run) = rule.run {
            run(&identities, &mut CatalogEmit::new(rule, &mut cross));
        }
    }
    for (file, span, finding) in cross {
        sink.push(Diagnostic::new(finding.code, file, span, finding.message));
    }

    for e in &mut entries {
        e.has_errors = sink.has_errors(&e.file);
    }
    // (id, file) is a total order, so an unstable sort is deterministic, and
    // it sorts in place: no second buffer of entries.
    entries.sort_unstable_by(|a, b| {
        a.entry
            .id
            .cmp(&b.entry.id)
            .then_with(|| a.file.cmp(&b.file))
    });
    let files_with_errors = sink.files_with_errors();
    let found = sink.finish(files);
    for d in &found.diagnostics {
        if let Some(src) = texts.get(&d.file) {
            sources.entry(d.file.clone()).or_insert_with(|| src.clone());
        }
    }
    // Files whose only findings are cross-entry ones: their kept lines.
    let with_findings: std::collections::HashSet<&Arc<str>> =
        found.diagnostics.iter().map(|d| &d.file).collect();
    drop(identities);
    for Kept { identity, lines } in outcomes.into_iter().filter_map(|o| o.kept).map(|k| *k) {
        let file = identity.file;
        if !sources.contains_key(&file) && with_findings.contains(&file) {
            let lines = match lines {
                Some(lines) => lines.iter().map(|(n, l)| (*n, l.to_string())).collect(),
                None => vec![(identity.id_span.start.line, format!("id: {}", identity.id))],
            };
            sources.insert(file.clone(), Arc::new(SourceFile::partial(file, lines)));
        }
    }
    Checked {
        settings,
        taxonomy,
        frameworks,
        entries,
        diagnostics: found.diagnostics,
        omitted: found.omitted,
        skipped: found.skipped,
        summary: found.summary,
        files_with_errors,
        taxonomy_file: taxonomy_input.name.clone(),
        files,
        sources,
    }
}

fn push_located(sink: &mut FileSink, findings: Vec<yaml::Finding>) {
    let file = sink.file().clone();
    for f in findings {
        sink.push(Diagnostic::new(f.code, file.clone(), f.span, f.message));
    }
}

fn read_problem(input: &Input, sink: &mut FileSink) {
    if let Err(p) = &input.text {
        sink.push(Diagnostic::new(
            p.code,
            input.name.clone(),
            p.span,
            p.message.clone(),
        ));
    }
    if let Some(w) = &input.warning {
        let mut d = Diagnostic::new(w.code, input.name.clone(), w.span, w.message.clone());
        d.severity = Severity::Warning;
        sink.push(d);
    }
}

/// Parses a file's text into a tree, with the findings of parsing and of the
/// character rule.
fn parse_file(text: &str, limits: &yaml::YamlLimits) -> (Option<Node>, Vec<yaml::Finding>) {
    let parsed = yaml::parse(text, limits);
    let mut findings = parsed.findings;
    if let Some(root) = &parsed.root {
        findings.extend(text::check(root));
    }
    (parsed.root, findings)
}

/// The marker that starts every placeholder value written by `new`.
pub const PLACEHOLDER: &str = "TODO:";

/// Finds placeholder values (strings starting with [`PLACEHOLDER`]), with
/// the JSON pointer of each.
fn placeholders(root: &Node) -> Vec<(String, yaml::Finding)> {
    let mut out = Vec::new();
    let mut stack = vec![(root, String::new())];
    while let Some((node, pointer)) = stack.pop() {
        match &node.value {
            Value::Scalar(s) if s.text.trim_start().starts_with(PLACEHOLDER) => out.push((
                pointer,
                yaml::Finding {
                    code: Code::Placeholder,
                    span: node.span,
                    message: format!(
                        "replace the placeholder `{}` with the real value",
                        schema::shown(s.text.trim())
                    ),
                },
            )),
            Value::Scalar(_) => {}
            Value::Seq(items) => stack.extend(
                items
                    .iter()
                    .enumerate()
                    .rev()
                    .map(|(i, n)| (n, format!("{pointer}/{i}"))),
            ),
            Value::Map(entries) => stack.extend(entries.iter().rev().map(|(k, v)| {
                (
                    v,
                    format!("{pointer}/{}", yaml::escape_token(&yaml::key_text(k))),
                )
            })),
        }
    }
    out
}

/// Replaces the value at each of `pointers` by null, so that no rule reads
/// a value that was refused. The pointers are removed from the deepest up,
/// and one that no longer resolves is skipped.
fn prune(json: &mut serde_json::Value, pointers: &[String]) {
    for pointer in pointers {
        if let Some(v) = json.pointer_mut(pointer) {
            *v = serde_json::Value::Null;
        }
    }
}

/// The steps before the rules: the schema-version gate, placeholders
/// (entries only) and the schema. Returns the document as JSON with every
/// refused value replaced by null, and the pointers of those values; `None`
/// when the file cannot be read as a document of its kind at all.
fn screen(
    kind: Kind,
    root: &Node,
    sink: &mut FileSink,
) -> Option<(serde_json::Value, Vec<String>)> {
    let (gate, stop) = schema_version_gate(root);
    push_located(sink, gate);
    if stop {
        return None;
    }
    let todo = if kind == Kind::Tool {
        placeholders(root)
    } else {
        Vec::new()
    };
    let todo_spans: Vec<Span> = todo.iter().map(|(_, f)| f.span).collect();
    let mut refused: Vec<String> = Vec::new();
    for (pointer, finding) in todo {
        refused.push(pointer);
        push_located(sink, vec![finding]);
    }
    let mut json = root.to_json();
    let outcome = schema::check(kind, root, &json);
    // A placeholder is reported once; what the schema says of it waits.
    let findings: Vec<yaml::Finding> = outcome
        .findings
        .into_iter()
        .filter(|f| !todo_spans.contains(&f.span))
        .collect();
    push_located(sink, findings);
    refused.extend(outcome.refused);
    if refused.iter().any(String::is_empty) || !json.is_object() {
        return None;
    }
    // Deepest first, so that nulling a parent does not hide a child's path.
    refused.sort_by(|a, b| {
        (std::cmp::Reverse(a.matches('/').count()), a)
            .cmp(&(std::cmp::Reverse(b.matches('/').count()), b))
    });
    refused.dedup();
    prune(&mut json, &refused);
    Some((json, refused))
}

#[allow(
    clippy::too_many_arguments,
    reason = "what one worker needs to check one file"
)]
fn check_tool(
    input: Input,
    taxonomy: Option<&Taxonomy>,
    frameworks: &Frameworks,
    settings: &Settings,
    today: Date,
    policy: &Arc<SeverityPolicy>,
    keep: Keep,
    interner: &Interner,
) -> FileOutcome {
    let mut sink = FileSink::new(input.name.clone(), policy.clone());
    read_problem(&input, &mut sink);
    let entry_rules =
        rules::of_scope(Scope::Entry).count() + rules::of_scope(Scope::Catalog).count();
    let Input {
        name, stem, text, ..
    } = input;
    let Ok(text) = text else {
        sink.skipped(entry_rules);
        return FileOutcome::of(sink, None, None, None);
    };
    let source = Arc::new(SourceFile::new(name.clone(), text));
    let limits = yaml::YamlLimits::from(&settings.limits);
    let (root, findings) = parse_file(&source.text, &limits);
    push_located(&mut sink, findings);
    let mut entry = None;
    let mut identity = None;
    match root
        .as_ref()
        .and_then(|root| screen(Kind::Tool, root, &mut sink).map(|s| (root, s)))
    {
        None => sink.skipped(entry_rules),
        Some((root, (json, refused))) => match serde_json::from_value::<RawEntry>(json) {
            Err(e) => {
                sink.push(Diagnostic::new(
                    Code::Schema,
                    name.clone(),
                    root.span,
                    format!("the entry does not fit the entry format: {e}"),
                ));
                sink.skipped(entry_rules);
            }
            Ok(raw) => {
                let ctx = Context {
                    taxonomy,
                    frameworks,
                    settings,
                    today,
                    stem: &stem,
                };
                let mut findings: Vec<Finding> = Vec::new();
                for rule in rules::of_scope(Scope::Entry) {
                    let Run::Entry(run) = rule.run else { continue };
                    let blind = rules::is_blind(rule.inputs, &refused)
                        || (taxonomy.is_none() && rule.name == "terms");
                    if blind {
                        sink.skipped(1);
                    }
                    run(&raw, &ctx, &mut Emit::new(rule, &mut findings));
                }
                for f in findings {
                    sink.push(locate(&name, root, f));
                }
                identity = identify(&raw, root, &name, &source, &refused);
                if identity.is_none() {
                    sink.skipped(rules::of_scope(Scope::Catalog).count());
                }
                if keep == Keep::Entries && refused.is_empty() && identity.is_some() {
                    entry = Entry::from_raw(raw, interner, taxonomy).map(Box::new);
                }
            }
        },
    }
    // Keep the whole text only where there is something to show.
    let source = (!sink.is_empty()).then_some(source);
    FileOutcome::of(sink, entry, identity, source)
}

impl FileOutcome {
    fn of(
        sink: FileSink,
        entry: Option<Box<Entry>>,
        kept: Option<Box<Kept>>,
        source: Option<Arc<SourceFile>>,
    ) -> FileOutcome {
        let needed = !sink.is_empty() || sink.skipped_count() > 0;
        FileOutcome {
            kept,
            entry,
            rest: needed.then(|| Box::new(Rest { sink, source })),
        }
    }
}

/// What the cross-entry rules need of an entry, when its id is sound.
fn identify(
    raw: &RawEntry,
    root: &Node,
    name: &Arc<str>,
    source: &SourceFile,
    refused: &[String],
) -> Option<Box<Kept>> {
    if rules::is_blind(&["/id"], refused) {
        return None;
    }
    let id: Box<str> = raw.id.as_deref()?.into();
    let id_span = root.pointer("/id").map_or(root.span, |n| n.span);
    let related: Box<[(Box<str>, Span)]> = crate::model::raw::items(&raw.related)
        .map(|(i, r)| {
            let span = root
                .pointer(&format!("/related/{i}"))
                .map_or(id_span, |n| n.span);
            (r.as_str().into(), span)
        })
        .collect();
    let plain =
        related.is_empty() && source.line(id_span.start.line) == Some(format!("id: {id}").as_str());
    let lines = (!plain).then(|| {
        let mut lines: Vec<(u32, Box<str>)> = std::iter::once(id_span)
            .chain(related.iter().map(|(_, s)| *s))
            .filter_map(|s| source.line(s.start.line).map(|l| (s.start.line, l.into())))
            .collect();
        lines.sort_by_key(|(n, _)| *n);
        lines.dedup_by_key(|(n, _)| *n);
        lines.into_boxed_slice()
    });
    Some(Box::new(Kept {
        identity: Identity {
            id,
            related,
            file: name.clone(),
            id_span,
        },
        lines,
    }))
}

/// Ties a finding to its position in the file.
fn locate(file: &Arc<str>, root: &Node, f: Finding) -> Diagnostic {
    let span = match &f.at {
        At::Span(span) => Some(*span),
        At::Value(p) => root.pointer(p).map(|n| n.span),
        At::Key(p, key) => root.key_at(p, key).map(|n| n.span),
    }
    .unwrap_or(root.span);
    Diagnostic::new(f.code, file.clone(), span, f.message)
}

/// Checks `schema_version` before anything else: a version this build does
/// not know stops the file (its other keys may be newer than the schema).
/// Whether this build reads entries of schema version `v`.
fn known_schema(v: &semver::Version) -> bool {
    let (minor, newest) = (v.minor, SCHEMA_MINOR);
    (v.major == SCHEMA_MAJOR && minor <= newest) || (v.major == 1 && v.minor <= SCHEMA_1_MINOR)
}

fn schema_version_gate(root: &Node) -> (Vec<yaml::Finding>, bool) {
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
            vec![yaml::Finding {
                code: Code::InvalidVersion,
                span: node.span,
                message: format!(
                    "`{}` is not a semantic version ({e}); write `{known}`",
                    schema::shown(&s.text)
                ),
            }],
            false,
        ),
        Ok(v) if !known_schema(&v) => (
            vec![yaml::Finding {
                code: Code::UnsupportedSchemaVersion,
                span: node.span,
                message: format!(
                    "this entry is written in schema version {v}, but this alliance-catalog knows schema version {known} (and reads 1.0.0 to 1.{SCHEMA_1_MINOR}.0); upgrade alliance-catalog (or write the entry in {known})"
                ),
            }],
            true,
        ),
        Ok(_) => (Vec::new(), false),
    }
}

fn check_taxonomy(
    input: &Input,
    frameworks: &Frameworks,
    settings: &Settings,
    policy: &Arc<SeverityPolicy>,
) -> (Option<Taxonomy>, FileSink, Option<Arc<SourceFile>>) {
    let name = input.name.clone();
    let mut sink = FileSink::new(name.clone(), policy.clone());
    read_problem(input, &mut sink);
    let Ok(text) = &input.text else {
        return (None, sink, None);
    };
    let source = Arc::new(SourceFile::new(name.clone(), text.clone()));
    let (root, findings) = parse_file(text, &yaml::YamlLimits::from(&settings.limits));
    push_located(&mut sink, findings);
    let taxonomy = root.as_ref().and_then(|root| {
        let (json, refused) = screen(Kind::Taxonomy, root, &mut sink)?;
        if !refused.is_empty() {
            return None;
        }
        let taxonomy: Taxonomy = match serde_json::from_value(json) {
            Ok(t) => t,
            Err(e) => {
                sink.push(Diagnostic::new(
                    Code::Schema,
                    name.clone(),
                    root.span,
                    format!("the taxonomy does not fit its format: {e}"),
                ));
                return None;
            }
        };
        let mut findings = Vec::new();
        for rule in rules::of_scope(Scope::Taxonomy) {
            match rule.run {
                Run::Taxonomy(run) => run(&taxonomy, &mut Emit::new(rule, &mut findings)),
                Run::Mappings(run) => {
                    run(&taxonomy, frameworks, &mut Emit::new(rule, &mut findings));
                }
                _ => {}
            }
        }
        for f in findings {
            sink.push(locate(&name, root, f));
        }
        Some(taxonomy)
    });
    (taxonomy, sink, Some(source))
}

/// A framework file, parsed and checked against its schema, waiting for
/// the rules that need the taxonomy.
struct ParsedFramework {
    name: Arc<str>,
    stem: String,
    sink: FileSink,
    source: Option<Arc<SourceFile>>,
    root: Option<Node>,
    framework: Option<Framework>,
}

fn parse_framework(
    input: &Input,
    settings: &Settings,
    policy: &Arc<SeverityPolicy>,
) -> ParsedFramework {
    let name = input.name.clone();
    let mut sink = FileSink::new(name.clone(), policy.clone());
    read_problem(input, &mut sink);
    let mut out = ParsedFramework {
        name: name.clone(),
        stem: input.stem.clone(),
        sink,
        source: None,
        root: None,
        framework: None,
    };
    let Ok(text) = &input.text else {
        return out;
    };
    out.source = Some(Arc::new(SourceFile::new(name.clone(), text.clone())));
    let (root, findings) = parse_file(text, &yaml::YamlLimits::from(&settings.limits));
    push_located(&mut out.sink, findings);
    let Some(root) = root else {
        return out;
    };
    if let Some((json, refused)) = screen(Kind::Framework, &root, &mut out.sink)
        && refused.is_empty()
    {
        match serde_json::from_value::<Framework>(json) {
            Ok(f) => out.framework = Some(f),
            Err(e) => out.sink.push(Diagnostic::new(
                Code::Schema,
                name.clone(),
                root.span,
                format!("the framework file does not fit its format: {e}"),
            )),
        }
    }
    out.root = Some(root);
    out
}

/// Runs the framework rules on a parsed framework file.
fn check_framework(
    parsed: ParsedFramework,
    taxonomy: Option<&Taxonomy>,
) -> (FileSink, Option<Arc<SourceFile>>) {
    let ParsedFramework {
        name,
        stem,
        mut sink,
        source,
        root,
        framework,
    } = parsed;
    if let (Some(root), Some(framework)) = (&root, &framework) {
        let ctx = FrameworkContext {
            taxonomy,
            stem: &stem,
        };
        let mut findings = Vec::new();
        for rule in rules::of_scope(Scope::Framework) {
            if let Run::Framework(run) = rule.run {
                run(framework, &ctx, &mut Emit::new(rule, &mut findings));
            }
        }
        for f in findings {
            sink.push(locate(&name, root, f));
        }
    }
    (sink, source)
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
                &[],
                vec![ToolFile::Read(Box::new(input("tools/alpha-guard.yaml", bytes.clone())))],
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
