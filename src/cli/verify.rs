//! `alliance-catalog verify [ID…]`: the entries' facts against the package
//! registries (online, opt-in, read-only).

use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Result, bail};

use alliance_catalog::check::{self, rules::registry::Facts};
use alliance_catalog::diag::render;
use alliance_catalog::purl::Purl;
use alliance_catalog::registry::{self, Bases, Lookup, Registry};

use super::validate::Format;
use super::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, GlobalArgs, write_stderr, write_stdout};

const EXAMPLES: &str = "\
Examples:
  alliance-catalog verify                       # every entry with packages
  alliance-catalog verify garak promptfoo       # some entries
  alliance-catalog verify --format sarif > verify.sarif
  alliance-catalog verify --offline             # from the cache only

Registries: [registries] pypi, npm, crates in alliance-catalog.toml (mirrors work).
Hugging Face and GitHub packages are listed as not checked.";

/// Options of `verify`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(flatten)]
    pub jobs: super::Jobs,
    /// Ids of the entries to verify (default: all).
    #[arg(value_name = "ID")]
    pub ids: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// The cache folder (default: the user's cache folder).
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,
    /// Answer from the cache only; send no request.
    #[arg(long)]
    pub offline: bool,
    /// A registry's base URL, overriding the settings: pypi=URL, npm=URL or crates=URL.
    #[arg(long = "registry", value_name = "NAME=URL")]
    pub registries: Vec<String>,
}

pub fn run(global: &GlobalArgs, args: &Args) -> Result<u8> {
    let started = Instant::now();
    let files = super::read_catalog(global)?;
    let location = files.location.clone();
    let today = super::today()?;
    let settings = files.settings.clone();
    let r = &settings.registries;
    let opts = options(
        &settings,
        &args.registries,
        args.cache.as_ref(),
        args.offline,
    )?;

    let checked = super::check_files(files, today);
    super::known_ids(&checked, &args.ids)?;
    let mut selected: BTreeSet<Arc<str>> = BTreeSet::new();
    let mut purls: Vec<Purl> = Vec::new();
    let mut skipped_with_errors = 0;
    for e in &checked.entries {
        if !args.ids.is_empty() && !args.ids.iter().any(|id| e.entry.id == *id) {
            continue;
        }
        if e.entry.packages.is_empty() {
            continue;
        }
        if e.has_errors {
            skipped_with_errors += 1;
            continue;
        }
        selected.insert(e.file.clone());
        for p in &e.entry.packages {
            if let Ok(p) = Purl::parse(p) {
                let p = p.package_only();
                if !purls.contains(&p) {
                    purls.push(p);
                }
            }
        }
    }

    let bar = (std::io::stderr().is_terminal() && !global.quiet).then(|| {
        let bar = indicatif::ProgressBar::new(purls.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("verify {bar:30} {pos}/{len} packages")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let tick = || {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    let (lookups, stats) = registry::lookup_all(&purls, &opts, &tick);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }

    // The same files, read again, through the registry rules.
    let again = super::read_catalog(global)?;
    let inputs: Vec<_> = again
        .tools
        .into_iter()
        .filter(|t| selected.contains(t.name()))
        .map(alliance_catalog::load::ToolFile::read)
        .collect();
    let facts = Facts {
        lookups: &lookups,
        today,
        min_release_age_days: r.min_release_age_days,
    };
    let verified = check::verify::verify(inputs, &settings, &facts);
    let found = &verified.findings;

    // What could not be checked: once per registry or type.
    let mut failed: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    let mut unsupported: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    let mut checked_count: BTreeMap<&str, usize> = BTreeMap::new();
    for (purl, lookup) in &lookups {
        match lookup {
            Lookup::Found(_) | Lookup::NotFound => {
                let reg = Purl::parse(purl)
                    .ok()
                    .and_then(|p| registry::registry_of(&p).ok())
                    .map_or("?", Registry::name);
                *checked_count.entry(reg).or_default() += 1;
            }
            Lookup::Failed(reg, why) => {
                let e = failed.entry(reg.name()).or_insert((0, why.as_str()));
                e.0 += 1;
            }
            Lookup::Unsupported(why) => {
                let ty = purl
                    .trim_start_matches("pkg:")
                    .split('/')
                    .next()
                    .unwrap_or("?");
                let e = unsupported.entry(ty).or_insert((0, why));
                e.0 += 1;
            }
        }
    }
    let total_checked: usize = checked_count.values().sum();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    write_stderr(|w| {
        for (reg, (n, why)) in &failed {
            writeln!(
                w,
                "warning: could not check {n} package{} on {reg}: {why}",
                plural(*n)
            )?;
        }
        for (ty, (n, why)) in &unsupported {
            writeln!(
                w,
                "note: did not check {n} {ty} package{}: {why}",
                plural(*n)
            )?;
        }
        if skipped_with_errors > 0 {
            writeln!(
                w,
                "note: {skipped_with_errors} entr{} with errors not verified; run `alliance-catalog validate`",
                if skipped_with_errors == 1 { "y" } else { "ies" }
            )?;
        }
        Ok(())
    })?;
    match args.format {
        Format::Human => {
            let styled = super::stderr_styled();
            write_stderr(|w| {
                render::human(w, &found.diagnostics, &verified.sources, styled)?;
                render::omitted_lines(w, &found.omitted)?;
                Ok(())
            })?;
        }
        Format::Json => {
            write_stdout(|w| render::json(w, &found.diagnostics, &found.omitted, &found.summary))?
        }
        Format::Github | Format::Sarif | Format::Gitlab => {
            super::validate::write_ci(args.format, &found.diagnostics, &location)?
        }
    }
    if !global.quiet {
        let per: Vec<String> = checked_count
            .iter()
            .map(|(r, n)| format!("{r} {n}"))
            .collect();
        let s = &found.summary;
        write_stderr(|w| {
            writeln!(
                w,
                "verified {total_checked} of {} package{} ({}): {} error{}, {} warning{}; {} request{}, {} answer{} from the cache; {:.1} s",
                purls.len(),
                plural(purls.len()),
                if per.is_empty() {
                    "none".to_string()
                } else {
                    per.join(", ")
                },
                s.errors,
                plural(s.errors),
                s.warnings,
                plural(s.warnings),
                stats.requests,
                plural(stats.requests),
                stats.cached,
                plural(stats.cached),
                started.elapsed().as_secs_f64()
            )
        })?;
    }
    Ok(if total_checked == 0 && !purls.is_empty() {
        EXIT_USAGE
    } else if found.summary.fails(args.deny_warnings) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

/// The registry options of the settings, `--registry` overrides, `--cache`
/// and `--offline` (shared by `verify` and `refresh`).
pub(super) fn options(
    settings: &alliance_catalog::model::Settings,
    overrides: &[String],
    cache: Option<&PathBuf>,
    offline: bool,
) -> Result<registry::Options> {
    let r = &settings.registries;
    let mut bases = BTreeMap::new();
    for (reg, text) in [
        (Registry::Pypi, &r.pypi),
        (Registry::Npm, &r.npm),
        (Registry::Crates, &r.crates),
    ] {
        bases.insert(reg, url::Url::parse(text)?);
    }
    for item in overrides {
        let Some((name, url)) = item.split_once('=') else {
            bail!("--registry {item:?}: write NAME=URL, e.g. pypi=https://mirror.example/pypi");
        };
        let reg = match name {
            "pypi" => Registry::Pypi,
            "npm" => Registry::Npm,
            "crates" => Registry::Crates,
            _ => bail!("--registry {name:?}: the registries are pypi, npm and crates"),
        };
        let url = url::Url::parse(url).map_err(|e| anyhow::anyhow!("--registry {item:?}: {e}"))?;
        if !registry::http::allowed(&url) {
            bail!("--registry {item:?}: https only (or http to a loopback address)");
        }
        bases.insert(reg, url);
    }
    let cache = match (cache, registry::cache::default_dir()) {
        (Some(dir), _) => Some(dir.clone()),
        (None, dir) => dir,
    };
    Ok(registry::Options {
        bases: Bases { urls: bases },
        cache,
        ttl: Duration::from_secs(u64::from(r.cache_ttl_hours) * 3600),
        offline,
        limits: registry::http::Limits {
            timeout: Duration::from_secs(u64::from(r.timeout_secs)),
            max_bytes: r.max_response_bytes,
            ..registry::http::Limits::default()
        },
        per_host: 4,
    })
}
