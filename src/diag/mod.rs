//! Diagnostics: findings about a catalog as plain data, the code registry,
//! the severity policy and one renderer per output format.

mod codes;
mod finding;
pub mod render;
mod sink;

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

pub use codes::{Code, CodeInfo, Severity};
pub use finding::{At, Finding, Message};
pub use sink::{FileSink, Findings, Omitted, Sink};

/// A position in a source file: 1-based line, 1-based column counted in
/// Unicode scalar values (characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Pos {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

impl Pos {
    /// The start of a file.
    pub const START: Pos = Pos { line: 1, column: 1 };
}

/// A range in a source file; `end` is exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// First character.
    pub start: Pos,
    /// One past the last character.
    pub end: Pos,
}

impl Span {
    /// A span of one character at `pos`.
    pub fn point(pos: Pos) -> Span {
        Span {
            start: pos,
            end: Pos {
                line: pos.line,
                column: pos.column + 1,
            },
        }
    }
}

/// One problem found in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning, after the severity policy.
    pub severity: Severity,
    /// The stable code.
    pub code: Code,
    /// The file as shown to the user.
    pub file: Arc<str>,
    /// Where in the file.
    pub span: Span,
    /// What is wrong and what to do.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity.
    pub fn new(code: Code, file: Arc<str>, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: code.default_severity(),
            code,
            file,
            span,
            message: message.into(),
        }
    }

    /// The order in which diagnostics are reported: by file, then position, then code.
    pub fn sort_key(&self) -> (&str, Pos, Code, &str) {
        (&self.file, self.span.start, self.code, &self.message)
    }
}

/// How the catalog's settings change severities: a code may be made an error,
/// a warning, or switched off.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeverityPolicy {
    overrides: BTreeMap<Code, Option<Severity>>,
}

impl SeverityPolicy {
    /// Sets `code` to `level` (`None` switches the code off).
    pub fn set(&mut self, code: Code, level: Option<Severity>) {
        self.overrides.insert(code, level);
    }

    /// The final severity of one diagnostic, or `None` when its code is
    /// switched off. The only place severities are decided.
    pub fn judge(&self, mut diagnostic: Diagnostic) -> Option<Diagnostic> {
        match self.overrides.get(&diagnostic.code) {
            None => Some(diagnostic),
            Some(None) => None,
            Some(Some(level)) => {
                diagnostic.severity = *level;
                Some(diagnostic)
            }
        }
    }
}

/// Counts for the one-line summary and the exit code.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Files checked.
    pub files: usize,
    /// Errors found.
    pub errors: usize,
    /// Warnings found.
    pub warnings: usize,
    /// Checks that could not run because their input has errors.
    #[serde(skip_serializing_if = "is_zero")]
    pub skipped: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Summary {
    /// Counts `diagnostics` over `files` files.
    pub fn count(files: usize, diagnostics: &[Diagnostic]) -> Summary {
        let errors = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        Summary {
            files,
            errors,
            warnings: diagnostics.len() - errors,
            skipped: 0,
        }
    }

    /// Whether the run fails: errors, or warnings under `--deny-warnings`.
    pub fn fails(&self, deny_warnings: bool) -> bool {
        self.errors > 0 || (deny_warnings && self.warnings > 0)
    }
}

/// Sorts diagnostics into reporting order and removes exact repeats.
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diag(code: Code) -> Diagnostic {
        Diagnostic::new(code, Arc::from("f.yaml"), Span::point(Pos::START), "m")
    }

    #[test]
    fn policy_changes_and_drops() {
        let mut policy = SeverityPolicy::default();
        policy.set(Code::ReviewOverdue, Some(Severity::Error));
        policy.set(Code::InsecureUrl, None);
        let out: Vec<Diagnostic> = [diag(Code::ReviewOverdue), diag(Code::InsecureUrl)]
            .into_iter()
            .filter_map(|d| policy.judge(d))
            .collect();
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].severity, Severity::Error);
    }

    #[test]
    fn summary_counts_and_fails() {
        let s = Summary::count(3, &[diag(Code::Schema), diag(Code::ReviewOverdue)]);
        assert_eq!((s.files, s.errors, s.warnings), (3, 1, 1));
        assert!(s.fails(false));
        let w = Summary::count(1, &[diag(Code::ReviewOverdue)]);
        assert!(!w.fails(false));
        assert!(w.fails(true));
    }
}

/// The diagnostics reference (`docs/diagnostics.md`), generated from the
/// code registry so that it cannot drift from the codes the tool emits.
pub fn reference_markdown() -> String {
    let mut out = String::from(
        "# Diagnostics reference\n\n\
         Every problem `alliance-catalog validate` finds is one diagnostic with a stable code.\n\
         This page is generated from the code registry in `src/diag/codes.rs`; a test fails\n\
         when the two differ (regenerate with `ALLIANCE_CATALOG_BLESS=1 cargo test reference`).\n\n\
         Severities are defaults: a catalog can change them in the `[severity]` table of\n\
         `alliance-catalog.toml` (`\"error\"`, `\"warning\"` or `\"allow\"`).\n\n\
         | code | severity | what it means |\n|---|---|---|\n",
    );
    for code in Code::ALL {
        let info = code.info();
        out.push_str(&format!(
            "| [`{0}`](#{0}) | {1} | {2} |\n",
            info.name, info.severity, info.summary
        ));
    }
    for code in Code::ALL {
        let info = code.info();
        out.push_str(&format!(
            "\n## {}\n\nDefault severity: **{}**. {}\n\n**What triggers it.** {}\n\n**Example.**\n\n```\n{}\n```\n\n**How to fix it.** {}\n",
            info.name, info.severity, info.summary, info.trigger, info.example, info.fix
        ));
    }
    out
}

#[cfg(test)]
mod reference_tests {
    #[test]
    fn reference_matches_docs_file() {
        let generated = super::reference_markdown();
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/diagnostics.md");
        if std::env::var_os("ALLIANCE_CATALOG_BLESS").is_some() {
            std::fs::write(path, &generated).expect("write docs/diagnostics.md");
        }
        let on_disk = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            on_disk == generated,
            "docs/diagnostics.md is out of date; run `ALLIANCE_CATALOG_BLESS=1 cargo test reference`"
        );
    }
}
