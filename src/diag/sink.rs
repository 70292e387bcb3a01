//! The one collector of findings. The severity policy is applied as each
//! diagnostic arrives, so the counts, the exit code and the verdict on each
//! file ("is this entry usable?") all read the final severities from one
//! place.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Diagnostic, Severity, SeverityPolicy, Summary};

/// What one file contributed: its diagnostics and whether one is an error.
#[derive(Debug, Default)]
struct FileState {
    diagnostics: Vec<Diagnostic>,
    errors: usize,
}

/// Collects every diagnostic of one run.
#[derive(Debug)]
pub struct Sink {
    policy: Arc<SeverityPolicy>,
    max_per_file: usize,
    /// Only files with at least one diagnostic have a state.
    files: HashMap<Arc<str>, FileState>,
    /// Per file, checks that could not run.
    skipped: HashMap<Arc<str>, usize>,
}

impl Sink {
    /// A sink applying `policy`, keeping at most `max_per_file` diagnostics
    /// of any one file.
    pub fn new(policy: Arc<SeverityPolicy>, max_per_file: usize) -> Sink {
        Sink {
            policy,
            max_per_file: max_per_file.max(1),
            files: HashMap::new(),
            skipped: HashMap::new(),
        }
    }

    /// Takes one diagnostic: its severity is set by the policy (or it is
    /// dropped when the policy switches its code off), then it is counted.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        let Some(diagnostic) = self.policy.judge(diagnostic) else {
            return;
        };
        let state = self.files.entry(diagnostic.file.clone()).or_default();
        if diagnostic.severity == Severity::Error {
            state.errors += 1;
        }
        state.diagnostics.push(diagnostic);
    }

    /// Takes everything a per-file sink collected.
    pub fn absorb(&mut self, file: FileSink) {
        if file.skipped > 0 {
            *self.skipped.entry(file.file.clone()).or_default() += file.skipped;
        }
        if file.diagnostics.is_empty() {
            return;
        }
        let state = self.files.entry(file.file).or_default();
        state.errors += file.errors;
        state.diagnostics.extend(file.diagnostics);
    }

    /// Whether the file has any error, after the policy.
    pub fn has_errors(&self, file: &str) -> bool {
        self.files.get(file).is_some_and(|s| s.errors > 0)
    }

    /// The files with at least one error, sorted.
    pub fn files_with_errors(&self) -> Vec<Arc<str>> {
        let mut files: Vec<Arc<str>> = self
            .files
            .iter()
            .filter(|(_, s)| s.errors > 0)
            .map(|(f, _)| f.clone())
            .collect();
        files.sort();
        files
    }

    /// Sorts, removes exact repeats, applies the per-file cap, and hands the
    /// result over.
    pub fn finish(self, files: usize) -> Findings {
        let mut diagnostics = Vec::new();
        let mut omitted = Vec::new();
        let mut summary = Summary {
            files,
            errors: 0,
            warnings: 0,
            skipped: self.skipped.values().sum(),
        };
        for (name, mut state) in self.files {
            // Exact repeats are one finding; counts are taken after removing them.
            super::sort(&mut state.diagnostics);
            let errors = state
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            summary.errors += errors;
            summary.warnings += state.diagnostics.len() - errors;
            if state.diagnostics.len() > self.max_per_file {
                let rest = state.diagnostics.split_off(self.max_per_file);
                let rest_errors = rest
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .count();
                omitted.push(Omitted {
                    file: name.clone(),
                    errors: rest_errors,
                    warnings: rest.len() - rest_errors,
                    after: state.diagnostics.last().map(|d| d.span.start),
                });
            }
            diagnostics.extend(state.diagnostics);
        }
        super::sort(&mut diagnostics);
        omitted.sort_by(|a, b| a.file.cmp(&b.file));
        let mut skipped: Vec<(Arc<str>, usize)> = self.skipped.into_iter().collect();
        skipped.sort();
        Findings {
            diagnostics,
            omitted,
            skipped,
            summary,
        }
    }
}

/// The diagnostics of one file, collected by the worker that checks it.
#[derive(Debug)]
pub struct FileSink {
    file: Arc<str>,
    policy: Arc<SeverityPolicy>,
    diagnostics: Vec<Diagnostic>,
    errors: usize,
    skipped: usize,
}

impl FileSink {
    /// A sink for the file shown as `file`.
    pub fn new(file: Arc<str>, policy: Arc<SeverityPolicy>) -> FileSink {
        FileSink {
            file,
            policy,
            diagnostics: Vec::new(),
            errors: 0,
            skipped: 0,
        }
    }

    /// The file this sink collects for.
    pub fn file(&self) -> &Arc<str> {
        &self.file
    }

    /// Takes one diagnostic of this file, applying the policy.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        debug_assert_eq!(diagnostic.file, self.file);
        let Some(diagnostic) = self.policy.judge(diagnostic) else {
            return;
        };
        if diagnostic.severity == Severity::Error {
            self.errors += 1;
        }
        self.diagnostics.push(diagnostic);
    }

    /// Records `n` checks that could not run.
    pub fn skipped(&mut self, n: usize) {
        self.skipped += n;
    }

    /// How many checks could not run.
    pub fn skipped_count(&self) -> usize {
        self.skipped
    }

    /// Whether an error was recorded, after the policy.
    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }

    /// Whether anything was recorded.
    pub fn is_empty(&self) -> bool {
        self.diagnostics.is_empty()
    }
}

/// Diagnostics of a file beyond the per-file cap: counted, not shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Omitted {
    /// The file.
    pub file: Arc<str>,
    /// Errors not shown.
    pub errors: usize,
    /// Warnings not shown.
    pub warnings: usize,
    /// The position of the last diagnostic shown for the file.
    pub after: Option<super::Pos>,
}

impl Omitted {
    /// How many were not shown.
    pub fn count(&self) -> usize {
        self.errors + self.warnings
    }
}

/// What a run found, in reporting order.
#[derive(Debug, Default)]
pub struct Findings {
    /// The diagnostics shown, sorted by file, position and code.
    pub diagnostics: Vec<Diagnostic>,
    /// Per file, what the cap left out.
    pub omitted: Vec<Omitted>,
    /// Per file, how many checks could not run, sorted by file.
    pub skipped: Vec<(Arc<str>, usize)>,
    /// Counts over everything found, shown or not.
    pub summary: Summary,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Code, Pos, Span};

    fn diag(file: &str, line: u32, code: Code) -> Diagnostic {
        Diagnostic::new(
            code,
            Arc::from(file),
            Span::point(Pos { line, column: 1 }),
            "m",
        )
    }

    #[test]
    fn the_policy_decides_the_verdict_on_a_file() {
        let mut policy = SeverityPolicy::default();
        policy.set(Code::UnknownRisk, Some(Severity::Warning));
        policy.set(Code::ReviewOverdue, Some(Severity::Error));
        let policy = Arc::new(policy);
        let mut a = FileSink::new(Arc::from("a.yaml"), policy.clone());
        a.push(diag("a.yaml", 1, Code::UnknownRisk));
        assert!(!a.has_errors(), "a downgraded error makes no file unusable");
        let mut b = FileSink::new(Arc::from("b.yaml"), policy.clone());
        b.push(diag("b.yaml", 1, Code::ReviewOverdue));
        assert!(
            b.has_errors(),
            "an upgraded warning makes the file unusable"
        );
        let mut sink = Sink::new(policy, 10);
        sink.absorb(a);
        sink.absorb(b);
        assert!(!sink.has_errors("a.yaml"));
        assert!(sink.has_errors("b.yaml"));
        let found = sink.finish(2);
        assert_eq!((found.summary.errors, found.summary.warnings), (1, 1));
    }

    #[test]
    fn switched_off_codes_are_dropped_on_arrival() {
        let mut policy = SeverityPolicy::default();
        policy.set(Code::InsecureUrl, None);
        let mut sink = Sink::new(Arc::new(policy), 10);
        sink.push(diag("a.yaml", 1, Code::InsecureUrl));
        assert!(!sink.has_errors("a.yaml"));
        assert_eq!(sink.finish(1).diagnostics.len(), 0);
    }

    #[test]
    fn the_cap_counts_what_it_does_not_show() {
        let mut sink = Sink::new(Arc::new(SeverityPolicy::default()), 3);
        for line in (1..=10).rev() {
            sink.push(diag("a.yaml", line, Code::UnknownKey));
        }
        sink.push(diag("b.yaml", 1, Code::ReviewOverdue));
        let found = sink.finish(2);
        let lines: Vec<u32> = found
            .diagnostics
            .iter()
            .filter(|d| &*d.file == "a.yaml")
            .map(|d| d.span.start.line)
            .collect();
        assert_eq!(lines, [1, 2, 3], "the first by position are shown");
        assert_eq!(found.omitted.len(), 1);
        assert_eq!(found.omitted[0].count(), 7);
        assert_eq!(found.summary.errors, 10, "counts cover what is not shown");
        assert_eq!(found.summary.warnings, 1);
    }

    #[test]
    fn exact_repeats_count_once() {
        let mut sink = Sink::new(Arc::new(SeverityPolicy::default()), 10);
        sink.push(diag("a.yaml", 1, Code::UnknownKey));
        sink.push(diag("a.yaml", 1, Code::UnknownKey));
        let found = sink.finish(1);
        assert_eq!(found.diagnostics.len(), 1);
        assert_eq!(found.summary.errors, 1);
    }
}
