//! One renderer per output format of diagnostics: human (rustc-like
//! snippets), JSON, GitHub workflow commands, SARIF 2.1.0 and the GitLab
//! Code Quality report.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use serde::Serialize;

use super::{Code, Diagnostic, Omitted, Severity, Summary};
use crate::source::{SourceFile, byte_offset};

/// Replaces characters that a terminal would interpret (escape sequences,
/// bidirectional overrides) by visible escapes.
pub fn terminal_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if crate::text::is_forbidden(c) || c == '\n' {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// Like [`terminal_safe`], but each unsafe character becomes exactly one
/// replacement character, so that character columns stay where they were.
fn terminal_safe_line(text: &str) -> String {
    text.chars()
        .map(|c| {
            if crate::text::is_forbidden(c) {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// Writes diagnostics the way rustc does: `severity[code]: message`, the
/// `--> file:line:col` line, the source line and a caret.
pub fn human(
    out: &mut dyn Write,
    diagnostics: &[Diagnostic],
    sources: &BTreeMap<Arc<str>, Arc<SourceFile>>,
    styled: bool,
) -> io::Result<()> {
    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let message = terminal_safe(&d.message);
        let file = terminal_safe(&d.file);
        let line_text = sources
            .get(&d.file)
            .and_then(|s| s.line(d.span.start.line))
            .map(terminal_safe_line);
        let title = level.primary_title(message.as_str()).id(d.code.name());
        let rendered = match &line_text {
            Some(line) if line.len() <= 4096 => {
                let start = byte_offset(line, d.span.start.column);
                let end = if d.span.end.line == d.span.start.line {
                    byte_offset(line, d.span.end.column).max(start)
                } else {
                    line.len()
                };
                let end = if end == start {
                    line[start..]
                        .chars()
                        .next()
                        .map_or(start, |c| start + c.len_utf8())
                } else {
                    end
                };
                let snippet = Snippet::source(line.as_str())
                    .line_start(d.span.start.line as usize)
                    .path(file.as_str())
                    .annotation(AnnotationKind::Primary.span(start..end));
                renderer.render(&[title.element(snippet)])
            }
            _ => {
                let origin = format!("{file}:{}:{}", d.span.start.line, d.span.start.column);
                let origin_text = origin.as_str();
                renderer.render(&[title.element(annotate_snippets::Origin::path(origin_text))])
            }
        };
        writeln!(out, "{rendered}")?;
        writeln!(out)?;
    }
    Ok(())
}

/// The one-line summary printed after human output.
pub fn summary_line(summary: &Summary) -> String {
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let mut line = format!(
        "checked {}: {}, {}",
        plural(summary.files, "file"),
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning")
    );
    if summary.skipped > 0 {
        line.push_str(&format!(
            "; {} skipped until the errors above are fixed",
            plural(summary.skipped, "check")
        ));
    }
    line
}

/// One line per file whose diagnostics went past the per-file cap, saying
/// how many were not shown.
pub fn omitted_lines(out: &mut dyn Write, omitted: &[Omitted]) -> io::Result<()> {
    for o in omitted {
        let file = terminal_safe(&o.file);
        writeln!(
            out,
            "note: {file}: and {} more in this file ({} error{}, {} warning{}) not shown; fix the ones above first",
            o.count(),
            o.errors,
            if o.errors == 1 { "" } else { "s" },
            o.warnings,
            if o.warnings == 1 { "" } else { "s" },
        )?;
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonOmitted<'a> {
    file: &'a str,
    errors: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: Severity,
    code: Code,
    file: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    message: &'a str,
}

/// Writes `{"summary": {...}, "diagnostics": [...]}`, and `"omitted"` (per
/// file, the counts past the per-file cap) when anything was left out.
pub fn json(
    out: &mut dyn Write,
    diagnostics: &[Diagnostic],
    omitted: &[Omitted],
    summary: &Summary,
) -> io::Result<()> {
    let items: Vec<JsonDiagnostic<'_>> = diagnostics
        .iter()
        .map(|d| JsonDiagnostic {
            severity: d.severity,
            code: d.code,
            file: &d.file,
            line: d.span.start.line,
            column: d.span.start.column,
            end_line: d.span.end.line,
            end_column: d.span.end.column,
            message: &d.message,
        })
        .collect();
    let doc = JsonReport {
        summary,
        diagnostics: items,
        omitted: omitted
            .iter()
            .map(|o| JsonOmitted {
                file: &o.file,
                errors: o.errors,
                warnings: o.warnings,
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// The document of `validate --format json` (`schemas/validate.schema.json`).
#[derive(Serialize)]
struct JsonReport<'a> {
    summary: &'a Summary,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    omitted: Vec<JsonOmitted<'a>>,
}

/// Escapes text for the message part of a GitHub workflow command: `%`,
/// line breaks and other control characters, and the second colon of any
/// `::` so that no workflow-command marker survives in the text.
pub fn github_escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous = '\0';
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if previous == ':' => out.push_str("%3A"),
            c if crate::text::is_forbidden(c) => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
        previous = c;
    }
    out
}

/// Escapes text for a property (`file=`, `title=`) of a GitHub workflow
/// command: as data, plus every `:` and `,`.
pub fn github_escape_property(text: &str) -> String {
    github_escape_data(text)
        .replace(':', "%3A")
        .replace(',', "%2C")
}

/// Writes one `::error file=F,line=L,col=C,...::message` line per diagnostic.
pub fn github(out: &mut dyn Write, diagnostics: &[Diagnostic]) -> io::Result<()> {
    for d in diagnostics {
        writeln!(
            out,
            "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            d.severity,
            github_escape_property(&d.file),
            d.span.start.line,
            d.span.start.column,
            d.span.end.line,
            d.span.end.column,
            github_escape_property(d.code.name()),
            github_escape_data(&d.message)
        )?;
    }
    Ok(())
}

/// Writes a SARIF 2.1.0 log: one run, one rule per code, one result per diagnostic.
pub fn sarif(out: &mut dyn Write, diagnostics: &[Diagnostic], version: &str) -> io::Result<()> {
    sarif_rooted(out, diagnostics, version, None)
}

/// The name SARIF viewers show for a code: its words in PascalCase
/// (`unknown-category` is `UnknownCategory`).
pub fn pascal_case(name: &str) -> String {
    name.split('-')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// The base of the relative paths of a SARIF log: `uriBaseId` of every
/// artifact, defined in `originalUriBaseIds`.
pub const SARIF_ROOT_ID: &str = "REPOROOT";

/// Like [`sarif`]; with `root` (a `file:` URI of a folder, ending in `/`),
/// every relative file is marked as relative to [`SARIF_ROOT_ID`] and the
/// run says where that is.
pub fn sarif_rooted(
    out: &mut dyn Write,
    diagnostics: &[Diagnostic],
    version: &str,
    root: Option<&str>,
) -> io::Result<()> {
    let names: Vec<String> = Code::ALL.iter().map(|c| pascal_case(c.name())).collect();
    let rules: Vec<SarifRule<'_>> = Code::ALL
        .iter()
        .zip(&names)
        .map(|(c, name)| {
            let info = c.info();
            SarifRule {
                id: info.name,
                name,
                short_description: SarifText { text: info.summary },
                full_description: SarifText { text: info.trigger },
                help: SarifText { text: info.fix },
                default_configuration: SarifLevel {
                    level: info.severity.as_str(),
                },
            }
        })
        .collect();
    let results: Vec<SarifResult<'_>> = diagnostics
        .iter()
        .map(|d| SarifResult {
            rule_id: d.code.name(),
            rule_index: Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0),
            level: d.severity.as_str(),
            message: SarifText { text: &d.message },
            locations: [SarifLocation {
                physical_location: SarifPhysical {
                    artifact_location: {
                        let relative = !is_absolute(&d.file);
                        SarifArtifact {
                            uri: if relative {
                                sarif_uri(&d.file)
                            } else {
                                absolute_uri(&d.file)
                            },
                            uri_base_id: root.filter(|_| relative).map(|_| SARIF_ROOT_ID),
                        }
                    },
                    region: SarifRegion {
                        start_line: d.span.start.line,
                        start_column: d.span.start.column,
                        end_line: d.span.end.line,
                        end_column: d.span.end.column,
                    },
                },
            }],
        })
        .collect();
    let log = SarifLog {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [SarifRun {
            tool: SarifTool {
                driver: SarifDriver {
                    name: "alliance-catalog",
                    version,
                    information_uri: "https://github.com/alliance-catalog/alliance-catalog",
                    rules,
                },
            },
            original_uri_base_ids: root.map(|uri| {
                BTreeMap::from([(
                    SARIF_ROOT_ID,
                    SarifBase {
                        uri: uri.to_string(),
                    },
                )])
            }),
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

/// A SARIF 2.1.0 log, as far as `sarif` writes one.
#[derive(Serialize)]
struct SarifLog<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [SarifRun<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRun<'a> {
    tool: SarifTool<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_uri_base_ids: Option<BTreeMap<&'static str, SarifBase>>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct SarifTool<'a> {
    driver: SarifDriver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifDriver<'a> {
    name: &'static str,
    version: &'a str,
    information_uri: &'static str,
    rules: Vec<SarifRule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRule<'a> {
    id: &'a str,
    name: &'a str,
    short_description: SarifText<'a>,
    full_description: SarifText<'a>,
    help: SarifText<'a>,
    default_configuration: SarifLevel,
}

#[derive(Serialize)]
struct SarifText<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct SarifLevel {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: SarifText<'a>,
    locations: [SarifLocation; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    physical_location: SarifPhysical,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifPhysical {
    artifact_location: SarifArtifact,
    region: SarifRegion,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifArtifact {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
struct SarifBase {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRegion {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

/// Whether a file name is an absolute path (on this system or on Windows).
fn is_absolute(path: &str) -> bool {
    std::path::Path::new(path).is_absolute()
        || path.starts_with('/')
        || path.as_bytes().get(1..3) == Some(b":\\")
}

/// A `file:` URI for an absolute path.
fn absolute_uri(path: &str) -> String {
    let encoded = sarif_uri(path);
    if encoded.starts_with('/') {
        format!("file://{encoded}")
    } else {
        format!("file:///{encoded}")
    }
}

/// Writes the GitLab Code Quality report: a JSON array with one issue per
/// diagnostic, each with `description`, `check_name`, `fingerprint`,
/// `severity` (`major` for errors, `minor` for warnings), `location.path`
/// and `location.lines.begin`. The fingerprint is stable across runs (the
/// code, file and message, and which repeat of those it is), so GitLab can
/// tell new findings of a merge request from old ones.
pub fn gitlab(out: &mut dyn Write, diagnostics: &[Diagnostic]) -> io::Result<()> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let issues: Vec<GitlabIssue<'_>> = diagnostics
        .iter()
        .map(|d| {
            let path = d.file.replace('\\', "/");
            let key = format!("{}\0{path}\0{}", d.code.name(), d.message);
            let repeat = seen.entry(key.clone()).or_default();
            *repeat += 1;
            let fingerprint = fingerprint(&format!("{key}\0{repeat}"));
            GitlabIssue {
                description: &d.message,
                check_name: d.code.name(),
                fingerprint,
                severity: match d.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                },
                location: GitlabLocation {
                    path,
                    lines: GitlabLines {
                        begin: d.span.start.line.max(1),
                    },
                },
            }
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}

/// 128 bits of FNV-1a (two 64-bit passes with different offsets) as 32 hex
/// digits: an identifier, not a cryptographic hash.
fn fingerprint(text: &str) -> String {
    let fnv = |offset: u64| {
        text.bytes().fold(offset, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    };
    format!(
        "{:016x}{:016x}",
        fnv(0xcbf2_9ce4_8422_2325),
        fnv(0x6c62_272e_07bb_0142)
    )
}

#[derive(Serialize)]
struct GitlabIssue<'a> {
    description: &'a str,
    check_name: &'static str,
    fingerprint: String,
    severity: &'static str,
    location: GitlabLocation,
}

#[derive(Serialize)]
struct GitlabLocation {
    path: String,
    lines: GitlabLines,
}

#[derive(Serialize)]
struct GitlabLines {
    begin: u32,
}

/// A relative URI reference for a file path (forward slashes, percent-encoded).
fn sarif_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Pos, Span};

    fn sample() -> (Vec<Diagnostic>, BTreeMap<Arc<str>, Arc<SourceFile>>) {
        let file: Arc<str> = Arc::from("tools/x.yaml");
        let d = Diagnostic::new(
            Code::UnknownCategory,
            file.clone(),
            Span {
                start: Pos {
                    line: 2,
                    column: 14,
                },
                end: Pos {
                    line: 2,
                    column: 22,
                },
            },
            "`gardrail` is not a category: did you mean `guardrail`?",
        );
        let mut sources = BTreeMap::new();
        sources.insert(
            file.clone(),
            Arc::new(SourceFile::new(file, "id: x\ncategories: [gardrail]\n")),
        );
        (vec![d], sources)
    }

    #[test]
    fn human_shows_location_line_and_caret() {
        let (d, sources) = sample();
        let mut out = Vec::new();
        human(&mut out, &d, &sources, false).expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.contains("error[unknown-category]"), "{text}");
        assert!(text.contains("--> tools/x.yaml:2:14"), "{text}");
        assert!(text.contains("categories: [gardrail]"), "{text}");
        assert!(text.contains("^^^^^^^^"), "{text}");
    }

    #[test]
    fn github_escapes_and_shapes() {
        let (d, _) = sample();
        let mut out = Vec::new();
        github(&mut out, &d).expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(
            text.starts_with("::error file=tools/x.yaml,line=2,col=14,"),
            "{text}"
        );
        assert_eq!(github_escape_data("a\nb%c::d: e"), "a%0Ab%25c:%3Ad: e");
        assert_eq!(github_escape_property("a,b:c"), "a%2Cb%3Ac");
    }

    #[test]
    fn sarif_has_rules_and_results() {
        let (d, _) = sample();
        let mut out = Vec::new();
        sarif(&mut out, &d, "0.1.0").expect("write");
        let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
        assert_eq!(v["version"], "2.1.0");
        assert_eq!(v["runs"][0]["results"][0]["ruleId"], "unknown-category");
        let idx = v["runs"][0]["results"][0]["ruleIndex"]
            .as_u64()
            .expect("index") as usize;
        assert_eq!(
            v["runs"][0]["tool"]["driver"]["rules"][idx]["id"],
            "unknown-category"
        );
        assert_eq!(
            v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startColumn"],
            14
        );
    }

    #[test]
    fn terminal_text_is_defused() {
        assert_eq!(terminal_safe("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(terminal_safe_line("a\u{202e}b"), "a\u{FFFD}b");
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::{github_escape_data, github_escape_property, terminal_safe};
    use crate::text::is_forbidden;

    proptest! {
        /// Terminal text never holds a control, bidi or invisible character.
        #[test]
        fn terminal_text_has_no_control_characters(text in "\\PC*|[\u{0}-\u{1f}\u{7f}\u{202a}-\u{202e}\u{2066}-\u{2069}a]{0,40}") {
            let safe = terminal_safe(&text);
            prop_assert!(!safe.chars().any(|c| is_forbidden(c) || c == '\n'), "{safe:?}");
        }

        /// Annotation text never breaks a line, never holds `::`, and
        /// properties never hold `,` or `:`.
        #[test]
        fn annotations_cannot_be_broken_out_of(text in "[ -~\n\r\u{1b}]{0,60}") {
            let data = github_escape_data(&text);
            prop_assert!(!data.contains('\n') && !data.contains('\r') && !data.contains("::"), "{data:?}");
            prop_assert!(!data.chars().any(is_forbidden), "{data:?}");
            let prop = github_escape_property(&text);
            prop_assert!(!prop.contains(',') && !prop.contains(':'), "{prop:?}");
        }
    }
}
