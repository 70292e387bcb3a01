//! `alliance-catalog new ID`: write a skeleton entry that is valid once its
//! placeholders are filled (or at once, when options fill them).

use std::path::PathBuf;

use anyhow::{Context as _, Result, bail};

use alliance_catalog::check::{self, PLACEHOLDER};
use alliance_catalog::diag::render::terminal_safe;
use alliance_catalog::load::{self, Location};

use super::{EXIT_OK, GlobalArgs, write_stderr};

const EXAMPLES: &str = "\
Examples:
  alliance-catalog new my-guard
  alliance-catalog new my-guard --name \"My Guard\" --repository https://github.com/me/my-guard \\
      --license Apache-2.0 --category guardrail --risk prompt-injection --modality text \\
      --interface python-library --version 1.0.0 --released 2026-01-15 \\
      --summary \"Flags prompt injections before they reach the model.\" --maintainer \"Me\"

Then fill every `TODO:` value and run `alliance-catalog validate catalog/tools/my-guard.yaml`.";

/// Options of `new`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(flatten)]
    pub jobs: super::Jobs,
    /// The new tool's id (lowercase kebab-case, 2-64 characters).
    pub id: String,
    /// Write here instead of the catalog's tools folder.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Display name.
    #[arg(long)]
    pub name: Option<String>,
    /// One-line summary (10-200 characters).
    #[arg(long)]
    pub summary: Option<String>,
    /// Source repository (https).
    #[arg(long, value_name = "URL")]
    pub repository: Option<String>,
    /// Homepage (https).
    #[arg(long, value_name = "URL")]
    pub homepage: Option<String>,
    /// SPDX licence expression.
    #[arg(long, value_name = "SPDX")]
    pub license: Option<String>,
    /// Package URLs of the tool's packages, without version (repeatable or
    /// comma-separated), e.g. pkg:pypi/my-guard.
    #[arg(long = "package", value_delimiter = ',', value_name = "PURL")]
    pub packages: Vec<String>,
    /// Maintainer (person or organisation).
    #[arg(long)]
    pub maintainer: Option<String>,
    /// Category ids (repeatable or comma-separated).
    #[arg(long = "category", value_delimiter = ',', value_name = "ID", add = clap_complete::engine::ArgValueCandidates::new(super::complete::categories))]
    pub categories: Vec<String>,
    /// Risk ids.
    #[arg(long = "risk", value_delimiter = ',', value_name = "ID", add = clap_complete::engine::ArgValueCandidates::new(super::complete::risks))]
    pub risks: Vec<String>,
    /// Modality ids.
    #[arg(long = "modality", value_delimiter = ',', value_name = "ID", add = clap_complete::engine::ArgValueCandidates::new(super::complete::modalities))]
    pub modalities: Vec<String>,
    /// Interface ids.
    #[arg(long = "interface", value_delimiter = ',', value_name = "ID", add = clap_complete::engine::ArgValueCandidates::new(super::complete::interfaces))]
    pub interfaces: Vec<String>,
    /// Natural languages the tool supports, as BCP 47 tags (or `any`).
    #[arg(long = "language", value_delimiter = ',', value_name = "TAG")]
    pub languages: Vec<String>,
    /// Latest version (PEP 440 when the first package is on PyPI, else semver).
    #[arg(long)]
    pub version: Option<String>,
    /// Its release date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub released: Option<String>,
    /// Your name, as the submitter recorded in `vetting.reviewers`.
    #[arg(long)]
    pub submitter: Option<String>,
}

/// A YAML double-quoted scalar for any text (JSON strings are valid YAML).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

fn value_or(value: &Option<String>, placeholder: &str) -> String {
    match value {
        Some(v) => quoted(v),
        None => quoted(&format!("{PLACEHOLDER} {placeholder}")),
    }
}

fn list_or(values: &[String], placeholder: &str) -> String {
    let items: Vec<String> = if values.is_empty() {
        vec![quoted(&format!("{PLACEHOLDER} {placeholder}"))]
    } else {
        values.iter().map(|v| quoted(v)).collect()
    };
    format!("[{}]", items.join(", "))
}

/// The skeleton text.
fn skeleton(args: &Args, today: &str, next: &str) -> String {
    let homepage = match &args.homepage {
        Some(h) => format!("homepage: {}\n", quoted(h)),
        None => "# homepage: https://example.org\n".into(),
    };
    let packages = if args.packages.is_empty() {
        "# Optional: the tool's packages as Package URLs without version, so that
# `alliance-catalog verify` can check the facts below against the registries, e.g.
# packages: [pkg:pypi/my-guard, pkg:npm/%40me/my-guard, pkg:huggingface/me/my-guard-2b]
"
        .to_string()
    } else {
        format!("packages: {}\n", list_or(&args.packages, ""))
    };
    format!(
        "# yaml-language-server: $schema=../../schemas/tool.schema.json
# A new catalog entry. Replace every value that starts with \"{PLACEHOLDER}\", then run
#   alliance-catalog validate <this file>
# Format: schemas/tool.schema.json. Criteria for listing: catalog/VETTING.md.
schema_version: {schema}
# Lowercase kebab-case, equal to the file name.
id: {id}
# The display name, 1-80 characters.
name: {name}
# One line, 10-200 characters, in your own words.
summary: {summary}
# Optional: a few sentences of markdown on what it does, how it is used, its limits.
# description: |
#   ...
{homepage}# Optional: documentation site (https).
# documentation: https://example.org/docs
# The source repository (https).
repository: {repository}
# The SPDX expression from the tool's licence file (Apache-2.0, MIT OR Apache-2.0);
# custom licences as LicenseRef-<name>.
license: {license}
{packages}maintainers:
  - name: {maintainer}
# Ids from the catalog's taxonomy.yaml (`alliance-catalog list --help` shows filters).
categories: {categories}
risks: {risks}
# Optional: lifecycle stages, e.g. [deploy, operate-monitor].
# lifecycle: []
modalities: {modalities}
{languages}interfaces: {interfaces}
# Optional: free lowercase kebab-case words.
# tags: []
# Releases, newest first: at least the latest, with its date.
versions:
  - version: {version}
    released: {released}
    # The hard requirements declared at this release, per taxonomy platform, as the
    # package metadata writes them (PEP 440 for Python packages, node-semver for npm,
    # Cargo for crates), e.g.
    # requires:
    #   python: \">=3.9,<3.13\"
    #   pytorch: \"!=2.0.*,>=1.13\"
    # Write `requires: {{}}` when the release declares none; leaving it out says they
    # are not recorded, and `compat` then cannot call the release compatible.
# How the entry was checked; the maintainers complete this on review.
vetting:
  status: provisional
  reviewed: {today}
  reviewers: [{submitter}]
  # evidence: [https links to the licence file, package metadata, release page]
  next_review: {next}
# Optional: ids of related entries.
# related: []
",
        schema = format_args!("{}.{}.0", check::SCHEMA_MAJOR, check::SCHEMA_MINOR),
        id = args.id,
        name = value_or(&args.name, "display name"),
        summary = value_or(&args.summary, "one line saying what the tool does"),
        homepage = homepage,
        packages = packages,
        repository = value_or(&args.repository, "https://github.com/OWNER/REPO"),
        license = value_or(&args.license, "SPDX licence expression, e.g. Apache-2.0"),
        maintainer = value_or(
            &args.maintainer,
            "organisation or people maintaining the tool"
        ),
        categories = list_or(&args.categories, "category id, e.g. guardrail"),
        risks = list_or(&args.risks, "risk id, e.g. prompt-injection"),
        modalities = list_or(&args.modalities, "modality id, e.g. text"),
        interfaces = list_or(&args.interfaces, "interface id, e.g. python-library"),
        languages = if args.languages.is_empty() {
            "# Optional: BCP 47 tags of the natural languages the tool supports, or [any].\n# languages: [en]\n".to_string()
        } else {
            format!(
                "# BCP 47 tags of the natural languages the tool supports, or [any].\nlanguages: {}\n",
                list_or(&args.languages, "")
            )
        },
        version = value_or(&args.version, "latest version, e.g. 1.0.0"),
        released = value_or(&args.released, "its release date, YYYY-MM-DD"),
        submitter = value_or(&args.submitter, "your name"),
    )
}

/// The option that gave the value on a line of the skeleton.
fn option_of(line: &str) -> String {
    let item = line.trim_start().starts_with("- ");
    let key = line
        .trim_start()
        .trim_start_matches("- ")
        .split(':')
        .next()
        .unwrap_or_default()
        .trim();
    match (key, item) {
        ("name", true) => "--maintainer",
        ("name", false) => "--name",
        ("summary", _) => "--summary",
        ("repository", _) => "--repository",
        ("homepage", _) => "--homepage",
        ("license", _) => "--license",
        ("packages", _) => "--package",
        ("categories", _) => "--category",
        ("risks", _) => "--risk",
        ("modalities", _) => "--modality",
        ("interfaces", _) => "--interface",
        ("languages", _) => "--language",
        ("version", _) => "--version",
        ("released", _) => "--released",
        ("reviewers", _) => "--submitter",
        ("id", _) => "ID",
        (other, _) => return format!("`{other}`"),
    }
    .to_string()
}

fn valid_id(id: &str) -> bool {
    (2..=64).contains(&id.len())
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

pub fn run(global: &GlobalArgs, args: &Args) -> Result<u8> {
    if !valid_id(&args.id) {
        bail!(
            "`{}` is not a valid id: use 2-64 lowercase letters, digits and single hyphens, e.g. `my-tool`",
            terminal_safe(&args.id)
        );
    }
    if check::rules::is_reserved_name(&args.id) {
        bail!(
            "`{0}` is a device name on Windows, where `{0}.yaml` cannot be checked out; choose another id, e.g. `{0}-tool`",
            args.id
        );
    }
    let files = super::read_catalog(global)?;
    let target = match (&args.out, &files.location) {
        (Some(out), _) => out.clone(),
        (None, Location::Dir(dir)) => dir
            .join(&files.settings.paths.tools)
            .join(format!("{}.yaml", args.id)),
        (None, Location::Embedded) => bail!(
            "no catalog folder here to write into; run inside a catalog checkout, or give --catalog DIR or --out FILE"
        ),
    };
    if let (None, Location::Dir(dir)) = (&args.out, &files.location) {
        alliance_catalog::write::ensure_inside(dir, &target)?;
    }
    if let Some(existing) = files.tools.iter().find(|t| t.stem() == args.id) {
        bail!(
            "an entry with the id `{}` already exists: {}",
            args.id,
            existing.name()
        );
    }
    let today = super::today()?;
    let next = today
        .checked_add(jiff::Span::new().years(1))
        .unwrap_or(today);
    let text = skeleton(args, &today.to_string(), &next.to_string());

    // Check the entry against the catalog before writing it: a value given
    // on the command line that fails a check is refused now, with the
    // option named, and nothing is written.
    let name: std::sync::Arc<str> = std::sync::Arc::from(target.display().to_string());
    let input = load::Input {
        name: name.clone(),
        path: None,
        stem: args.id.clone(),
        text: Ok(text.clone()),
        warning: None,
    };
    let mut tools = files.tools;
    tools.push(load::ToolFile::Read(Box::new(input)));
    let checked = check::check_catalog(
        files.settings,
        &files.taxonomy,
        &files.frameworks,
        tools,
        files.problems,
        today,
    );
    let (left, refused): (Vec<_>, Vec<_>) = checked
        .diagnostics
        .iter()
        .filter(|d| d.file == name)
        .partition(|d| d.code == alliance_catalog::diag::Code::Placeholder);
    if !refused.is_empty() {
        write_stderr(|w| {
            for d in &refused {
                let line = text
                    .lines()
                    .nth(d.span.start.line.saturating_sub(1) as usize)
                    .unwrap_or_default();
                writeln!(
                    w,
                    "error: {}: {}",
                    option_of(line),
                    terminal_safe(&d.message)
                )?;
            }
            writeln!(
                w,
                "nothing written; correct the option{} above and run `new` again",
                if refused.len() == 1 { "" } else { "s" }
            )
        })?;
        return Ok(super::EXIT_USAGE);
    }
    alliance_catalog::write::write_new(&target, text.as_bytes())
        .context("`new` never overwrites a file")?;
    if !global.quiet {
        write_stderr(|w| {
            writeln!(w, "wrote {}", terminal_safe(&target.display().to_string()))?;
            if left.is_empty() {
                writeln!(
                    w,
                    "it validates already; review the optional fields in its comments"
                )?;
            } else {
                writeln!(w, "left to fill ({}):", left.len())?;
                for d in &left {
                    writeln!(
                        w,
                        "  line {:>2}: {}",
                        d.span.start.line,
                        terminal_safe(&d.message)
                    )?;
                }
            }
            writeln!(
                w,
                "check it with: alliance-catalog validate {}",
                terminal_safe(&target.display().to_string())
            )
        })?;
    }
    Ok(EXIT_OK)
}
