//! `verify`: the registry rules on the entries of a catalog, through the same
//! parse, schema screen, positions and sink as `validate`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::rules::{self, Emit, Run, Scope};
use super::{locate, parse_file, screen};
use crate::diag::{FileSink, Findings, SeverityPolicy, Sink};
use crate::load::Input;
use crate::model::{RawEntry, Settings};
use crate::schema::Kind;
use crate::source::SourceFile;

/// What `verify` found.
#[derive(Debug)]
pub struct Verified {
    /// Diagnostics, counted and capped as `validate`'s.
    pub findings: Findings,
    /// The text of each file that has diagnostics, for snippets.
    pub sources: BTreeMap<Arc<str>, Arc<SourceFile>>,
}

/// Runs the registry rules on each of `inputs` (entry files that validate),
/// fed `facts`.
pub fn verify(
    inputs: Vec<Input>,
    settings: &Settings,
    facts: &rules::registry::Facts<'_>,
) -> Verified {
    let policy: Arc<SeverityPolicy> = Arc::new(settings.severity_policy().clone());
    let mut sink = Sink::new(policy.clone(), settings.limits.max_findings_per_file);
    let mut sources = BTreeMap::new();
    let files = inputs.len();
    for input in inputs {
        let Ok(text) = input.text else { continue };
        let source = Arc::new(SourceFile::new(input.name.clone(), text));
        let (root, _) = parse_file(
            &source.text,
            &crate::load::yaml::YamlLimits::from(&settings.limits),
        );
        let Some(root) = root else { continue };
        let mut scratch = FileSink::new(input.name.clone(), policy.clone());
        let Some((json, _refused)) = screen(Kind::Tool, &root, &mut scratch) else {
            continue;
        };
        let Ok(raw) = serde_json::from_value::<RawEntry>(json) else {
            continue;
        };
        let mut found = Vec::new();
        for rule in rules::of_scope(Scope::Registry) {
            if let Run::Registry(run) = rule.run {
                run(&raw, facts, &mut Emit::new(rule, &mut found));
            }
        }
        if found.is_empty() {
            continue;
        }
        let mut file_sink = FileSink::new(input.name.clone(), policy.clone());
        for f in found {
            file_sink.push(locate(&input.name, &root, f));
        }
        sources.insert(input.name.clone(), source);
        sink.absorb(file_sink);
    }
    let findings = sink.finish(files);
    let shown: BTreeSet<&Arc<str>> = findings.diagnostics.iter().map(|d| &d.file).collect();
    sources.retain(|k, _| shown.contains(k));
    Verified { findings, sources }
}
