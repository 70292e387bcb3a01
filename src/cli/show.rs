//! `alliance-catalog show ID`: everything about one tool.

use std::io::Write;

use anyhow::Result;
use clap::ValueEnum;
use serde::Serialize;

use alliance_catalog::diag::render::terminal_safe;
use alliance_catalog::model::Entry;
use alliance_catalog::render;
use alliance_catalog::suggest;

use super::{EXIT_FINDINGS, EXIT_OK, GlobalArgs, write_stderr, write_stdout};

const EXAMPLES: &str = "\
Examples:
  alliance-catalog show garak
  alliance-catalog show llama-guard --format json";

/// Options of `show`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The tool's id.
    pub id: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Output formats of `show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable text.
    Human,
    /// The entry as JSON, with `latest_version`.
    Json,
    /// The entry as YAML, with `latest_version`.
    Yaml,
}

#[derive(Serialize)]
struct View<'a> {
    #[serde(flatten)]
    entry: &'a Entry,
    latest_version: Option<&'a str>,
}

pub fn run(global: &GlobalArgs, args: &Args) -> Result<u8> {
    let checked = super::load_checked(global)?;
    let found = checked
        .entries
        .iter()
        .filter(|e| e.entry.id == args.id)
        .min_by_key(|e| e.has_errors);
    let Some(found) = found else {
        let ids = checked.entries.iter().map(|e| e.entry.id.as_str());
        let close: Vec<&str> = suggest::ranked(&args.id, ids).into_iter().take(3).collect();
        let hint = if close.is_empty() {
            "run `alliance-catalog list` to see every id".to_string()
        } else {
            format!(
                "did you mean {}?",
                close
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        write_stderr(|w| {
            writeln!(
                w,
                "error: no tool has the id `{}`; {hint}",
                terminal_safe(&args.id)
            )
        })?;
        return Ok(EXIT_FINDINGS);
    };
    let entry = &found.entry;
    let view = View {
        entry,
        latest_version: entry.latest_version(),
    };
    write_stdout(|w| match args.format {
        Format::Json => render::json(w, &view),
        Format::Yaml => render::yaml(w, &view),
        Format::Human => human(w, entry),
    })?;
    if found.has_errors {
        if !global.quiet {
            write_stderr(|w| {
                writeln!(
                    w,
                    "error: {} has errors; run `alliance-catalog validate {}`",
                    terminal_safe(&entry.id),
                    terminal_safe(&found.file)
                )
            })?;
        }
        return Ok(EXIT_FINDINGS);
    }
    Ok(EXIT_OK)
}

fn human(w: &mut dyn Write, e: &Entry) -> std::io::Result<()> {
    let t = |s: &str| terminal_safe(s);
    writeln!(w, "{} ({})", t(&e.name), t(&e.id))?;
    writeln!(w, "{}", t(&e.summary))?;
    writeln!(w)?;
    let v = &e.vetting;
    let mut status = format!(
        "{} (reviewed {} by {}",
        v.status.as_str(),
        v.reviewed,
        v.reviewers.join(", ")
    );
    if let Some(next) = &v.next_review {
        status.push_str(&format!("; next review {next}"));
    }
    status.push(')');
    let license = if e.osi_approved_license() {
        e.license.clone()
    } else {
        format!("{} (not OSI-approved: check its terms)", e.license)
    };
    let mut fields: Vec<(&str, String)> = vec![("status", status), ("license", license)];
    if let Some(latest) = e.latest() {
        fields.push((
            "latest",
            format!("{} ({})", latest.version, latest.released),
        ));
    }
    fields.push(("repository", e.repository.clone()));
    if let Some(h) = &e.homepage {
        fields.push(("homepage", h.clone()));
    }
    if let Some(d) = &e.documentation {
        fields.push(("documentation", d.clone()));
    }
    let maintainers: Vec<String> = e
        .maintainers
        .iter()
        .map(|m| match &m.url {
            Some(u) => format!("{} <{u}>", m.name),
            None => m.name.clone(),
        })
        .collect();
    fields.push(("maintainers", maintainers.join("; ")));
    for (label, list) in [
        ("categories", &e.categories),
        ("risks", &e.risks),
        ("lifecycle", &e.lifecycle),
        ("modalities", &e.modalities),
        ("languages", &e.languages),
        ("interfaces", &e.interfaces),
        ("tags", &e.tags),
        ("related", &e.related),
    ] {
        if !list.is_empty() {
            fields.push((label, list.join(", ")));
        }
    }
    for (label, value) in fields {
        writeln!(w, "{label:<14}{}", t(&value))?;
    }
    writeln!(w)?;
    writeln!(w, "versions")?;
    for r in &e.versions {
        let requires: Vec<String> = r
            .requires
            .iter()
            .map(|(p, req)| format!("{p} {req}"))
            .collect();
        writeln!(
            w,
            "  {:<12}{}  {}",
            t(&r.version),
            r.released,
            t(&requires.join("; "))
        )?;
        if let Some(n) = &r.notes {
            writeln!(w, "  {:<12}{}", "", t(&n.replace('\n', " ")))?;
        }
    }
    for (label, text) in [
        ("description", &e.description),
        ("notes", &e.notes),
        ("vetting notes", &v.notes),
    ] {
        if let Some(text) = text {
            writeln!(w)?;
            writeln!(w, "{label}")?;
            for line in text.lines() {
                writeln!(w, "  {}", t(line))?;
            }
        }
    }
    if !v.evidence.is_empty() {
        writeln!(w)?;
        writeln!(w, "evidence")?;
        for url in &v.evidence {
            writeln!(w, "  {}", t(url))?;
        }
    }
    Ok(())
}
