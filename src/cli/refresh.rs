//! `alliance-catalog refresh [ID…] [--all]`: records the registry releases
//! an entry is missing (and, with `--fix`, corrects recorded days and
//! python requirements), as edits at recorded positions; `--dry-run` prints
//! the unified diff instead of writing.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context as _, Result, bail};

use alliance_catalog::edit;
use alliance_catalog::load::{self, Location, yaml};
use alliance_catalog::purl::Purl;
use alliance_catalog::refresh::{self, NewRelease, Policy, insert};
use alliance_catalog::registry;
use alliance_catalog::registry::history::{History, Release};
use alliance_catalog::registry::releases::{Fetcher, HistoryLookup, MetadataRead};

use super::{EXIT_OK, EXIT_USAGE, GlobalArgs, write_stderr, write_stdout};

const EXAMPLES: &str = "\
Examples:
  alliance-catalog refresh garak --dry-run      # the diff, nothing written
  alliance-catalog refresh --all                # every entry with a package
  alliance-catalog refresh garak --fix          # also correct recorded days and python
  alliance-catalog refresh promptfoo --pre      # pre-releases too

Policy: [policy] min_release_age_days (7) and history_months (24) in
alliance-catalog.toml. Registries as for `verify` ([registries], --registry).";

/// Options of `refresh`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(flatten)]
    pub jobs: super::Jobs,
    /// Ids of the entries to refresh.
    #[arg(value_name = "ID")]
    pub ids: Vec<String>,
    /// Refresh every entry that names a PyPI, npm or crates.io package.
    #[arg(long, conflicts_with = "ids")]
    pub all: bool,
    /// Record pre-releases too.
    #[arg(long)]
    pub pre: bool,
    /// Print the unified diff; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Also correct the `released` day and python requirement of recorded
    /// releases where the registry says otherwise (vetting is never touched).
    #[arg(long)]
    pub fix: bool,
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

/// One entry to refresh.
struct Target {
    id: String,
    path: PathBuf,
    shown: String,
    text: String,
    purl: Purl,
}

/// What was decided for one entry.
#[derive(Default)]
struct Outcome {
    added: Vec<NewRelease>,
    fixes: Vec<insert::Fix>,
    notes: Vec<String>,
    before: refresh::Coverage,
    after: refresh::Coverage,
    new_text: Option<String>,
}

pub fn run(global: &GlobalArgs, args: &Args) -> Result<u8> {
    let started = Instant::now();
    if args.ids.is_empty() && !args.all {
        bail!("name the entries to refresh, or pass --all");
    }
    let files = super::read_catalog(global)?;
    let Location::Dir(root) = files.location.clone() else {
        bail!("refresh edits entry files: point --catalog at a catalog folder");
    };
    let today = super::today()?;
    let settings = files.settings.clone();
    let opts = super::verify::options(
        &settings,
        &args.registries,
        args.cache.as_ref(),
        args.offline,
    )?;
    let policy = Policy {
        min_age_days: settings.policy.min_release_age_days,
        window_months: settings.policy.history_months,
        pre: args.pre,
    };
    let limits = yaml::YamlLimits::from(&settings.limits);
    let tools = files.tools.clone();
    let checked = super::check_files(files, today);
    super::known_ids(&checked, &args.ids)?;
    let taxonomy = checked
        .taxonomy
        .as_ref()
        .context("the catalog has no usable taxonomy; run `alliance-catalog validate`")?;
    let feeds = refresh::platform_feeds(taxonomy);
    let by_name: BTreeMap<&str, &load::ToolFile> =
        tools.iter().map(|t| (t.name().as_ref(), t)).collect();

    let mut notes = Vec::new();
    let mut targets = Vec::new();
    for e in &checked.entries {
        if !args.ids.is_empty() && !args.ids.iter().any(|id| e.entry.id == *id) {
            continue;
        }
        let purl = e
            .entry
            .packages
            .iter()
            .filter_map(|p| Purl::parse(p).ok())
            .map(|p| p.package_only())
            .find(|p| registry::registry_of(p).is_ok());
        let Some(purl) = purl else {
            if !args.ids.is_empty() {
                notes.push(format!(
                    "{}: names no PyPI, npm or crates.io package; nothing to refresh",
                    e.entry.id
                ));
            }
            continue;
        };
        if e.has_errors {
            notes.push(format!(
                "{}: has errors; not refreshed (run `alliance-catalog validate`)",
                e.entry.id
            ));
            continue;
        }
        let Some(file) = by_name.get(e.file.as_ref()) else {
            continue;
        };
        let Some(path) = file.path().map(PathBuf::from) else {
            continue;
        };
        let input = (*file).clone().read();
        let text = match input.text {
            Ok(t) => t,
            Err(p) => {
                notes.push(format!("{}: {}", e.file, p.message));
                continue;
            }
        };
        targets.push(Target {
            id: e.entry.id.to_string(),
            path,
            shown: e.file.to_string(),
            text,
            purl,
        });
    }

    let fetcher = Fetcher::new(&opts);
    let mut purls: Vec<Purl> = Vec::new();
    for t in &targets {
        if !purls.contains(&t.purl) {
            purls.push(t.purl.clone());
        }
    }
    let histories = fetcher.histories(&purls);

    // What each entry is missing, and which releases need their metadata read.
    // With each entry, whether it is of schema 2.x (requirements as whole
    // `Requires-Dist` lines, markers included).
    let mut plans: Vec<(usize, Vec<Release>, bool)> = Vec::new();
    let mut failed: BTreeMap<String, String> = BTreeMap::new();
    for (i, t) in targets.iter().enumerate() {
        let root = yaml::parse(&t.text, &limits).root;
        let Some(root) = root else { continue };
        match histories.get(&t.purl.to_string()) {
            Some(HistoryLookup::Found(History { releases })) => {
                let recorded = insert::recorded(&root);
                let missing = refresh::missing(releases, &recorded, &policy, today);
                let whole_lines = root
                    .get("schema_version")
                    .and_then(|n| n.as_scalar())
                    .is_some_and(|s| !s.text.starts_with("1."));
                plans.push((i, missing.into_iter().cloned().collect(), whole_lines));
            }
            Some(HistoryLookup::NotFound) => {
                notes.push(format!("{}: `{}` is not on its registry", t.id, t.purl));
            }
            Some(HistoryLookup::Failed(why)) => {
                failed.insert(t.id.clone(), why.clone());
            }
            Some(HistoryLookup::Unsupported(why)) => notes.push(format!("{}: {why}", t.id)),
            None => {}
        }
    }
    let jobs: Vec<(usize, usize)> = plans
        .iter()
        .enumerate()
        .flat_map(|(p, (_, rs, _))| {
            rs.iter()
                .enumerate()
                .filter(|(_, r)| r.requires_dist.is_none() && !r.files.is_empty())
                .map(move |(k, _)| (p, k))
        })
        .collect();
    let job_files: Vec<_> = jobs
        .iter()
        .map(|&(p, k)| plans[p].1[k].files.clone())
        .collect();
    let reads = fetcher.metadata(&job_files);
    let mut metadata: BTreeMap<(usize, usize), MetadataRead> = BTreeMap::new();
    for (job, read) in jobs.into_iter().zip(reads) {
        metadata.insert(job, read);
    }

    let mut outcomes: Vec<(usize, Outcome)> = Vec::new();
    for (p, (i, releases, whole_lines)) in plans.iter().enumerate() {
        let t = &targets[*i];
        let Some(HistoryLookup::Found(history)) = histories.get(&t.purl.to_string()) else {
            continue;
        };
        let mut out = Outcome::default();
        for (k, r) in releases.iter().enumerate() {
            let Some(released) = refresh::utc_day(r) else {
                continue;
            };
            if !refresh::writable_version(&r.version) {
                out.notes.push(format!(
                    "the registry's version `{}` is not written (characters no version uses)",
                    r.version.escape_debug()
                ));
                continue;
            }
            let meta = match metadata.get(&(p, k)) {
                Some(MetadataRead::Read { metadata, .. }) => Some(metadata),
                Some(MetadataRead::Unreadable(why)) => {
                    out.notes.push(format!(
                        "{}: no metadata could be read ({why}); recorded what the registry's document says",
                        r.version
                    ));
                    None
                }
                None => None,
            };
            let (requires, mut why) = refresh::requirements(r, meta, &feeds, *whole_lines);
            for w in why.drain(..) {
                out.notes.push(format!("{}: {w}", r.version));
            }
            out.added.push(NewRelease {
                version: r.version.clone(),
                released,
                requires,
            });
        }
        match edit_entry(t, &history.releases, &out.added, args.fix, &limits) {
            Ok((text, fixes)) => {
                out.fixes = fixes;
                out.new_text = (text != t.text).then_some(text);
            }
            Err(why) => {
                out.notes.push(format!("not edited: {why}"));
                out.added.clear();
            }
        }
        let root = yaml::parse(&t.text, &limits).root;
        let recorded = root.as_ref().map(insert::recorded).unwrap_or_default();
        out.before = refresh::coverage(&history.releases, &recorded, &policy, today);
        let mut after = recorded;
        after.extend(out.added.iter().map(|r| r.version.clone()));
        out.after = refresh::coverage(&history.releases, &after, &policy, today);
        outcomes.push((*i, out));
    }

    // The product: the diff (with --dry-run), or the files written.
    if args.dry_run {
        write_stdout(|w| {
            for (i, out) in &outcomes {
                if let Some(new) = &out.new_text {
                    let t = &targets[*i];
                    write!(w, "{}", edit::unified_diff(&t.shown, &t.text, new))?;
                }
            }
            Ok(())
        })?;
    } else {
        for (i, out) in &outcomes {
            if let Some(new) = &out.new_text {
                let t = &targets[*i];
                alliance_catalog::write::ensure_inside(&root, &t.path)?;
                alliance_catalog::write::write_atomic(&t.path, new.as_bytes())?;
            }
        }
    }

    if !global.quiet {
        let plural = |n: usize, one: &str, many: &str| {
            if n == 1 {
                one.to_string()
            } else {
                many.to_string()
            }
        };
        let verb = if args.dry_run { "would add" } else { "added" };
        let mut added = 0;
        let mut fixed = 0;
        let mut changed = 0;
        let mut covered = 0;
        let mut counted = 0;
        write_stderr(|w| {
            for n in &notes {
                writeln!(w, "note: {n}")?;
            }
            for (id, why) in &failed {
                writeln!(w, "warning: {id}: could not read its registry: {why}")?;
            }
            for (i, out) in &outcomes {
                let t = &targets[*i];
                added += out.added.len();
                fixed += out.fixes.len();
                changed += usize::from(out.new_text.is_some());
                if out.after.registry > 0 {
                    counted += 1;
                    if out.after.recorded * 10 >= out.after.registry * 9 {
                        covered += 1;
                    }
                }
                let versions: Vec<&str> = out.added.iter().map(|r| r.version.as_str()).collect();
                writeln!(
                    w,
                    "{} ({}): {verb} {} release{}{}{}; records {} → {} of {} release{} of the last {} months",
                    t.id,
                    t.purl,
                    versions.len(),
                    if versions.len() == 1 { "" } else { "s" },
                    if versions.is_empty() { "" } else { ": " },
                    versions.join(", "),
                    out.before.recorded,
                    out.after.recorded,
                    out.after.registry,
                    if out.after.registry == 1 { "" } else { "s" },
                    policy.window_months,
                )?;
                for f in &out.fixes {
                    writeln!(w, "  fix {} {}: {} → {}", f.version, f.field, f.old, f.new)?;
                }
                for n in &out.notes {
                    writeln!(w, "  note: {n}")?;
                }
            }
            let stats = fetcher.stats();
            writeln!(
                w,
                "refresh: {} entr{}, {changed} {} changed; {verb} {added} release{}, {fixed} fix{}; {covered} of {counted} record at least 90% of their registry's releases of the last {} months; {} request{}, {} answer{} from the cache; {:.1} s",
                outcomes.len(),
                if outcomes.len() == 1 { "y" } else { "ies" },
                plural(changed, "file", "files"),
                if added == 1 { "" } else { "s" },
                if fixed == 1 { "" } else { "es" },
                policy.window_months,
                stats.requests,
                if stats.requests == 1 { "" } else { "s" },
                stats.cached,
                if stats.cached == 1 { "" } else { "s" },
                started.elapsed().as_secs_f64()
            )
        })?;
    }
    Ok(
        if !targets.is_empty() && outcomes.is_empty() && !failed.is_empty() {
            EXIT_USAGE
        } else {
            EXIT_OK
        },
    )
}

/// The entry's new text: `--fix` corrections first (then the text is parsed
/// again), then the new releases; and the corrections made.
fn edit_entry(
    t: &Target,
    history: &[Release],
    added: &[NewRelease],
    fix: bool,
    limits: &yaml::YamlLimits,
) -> std::result::Result<(String, Vec<insert::Fix>), String> {
    let parse = |text: &str| {
        yaml::parse(text, limits)
            .root
            .ok_or_else(|| "the file does not parse".to_string())
    };
    let mut text = t.text.clone();
    let mut fixes = Vec::new();
    if fix {
        let root = parse(&text)?;
        let mut edits = Vec::new();
        for version in insert::recorded(&root) {
            let Some(r) = history
                .iter()
                .find(|r| registry::facts::same_version(&r.version, &version))
            else {
                continue;
            };
            let Some(item) = insert::item_of(&root, &version) else {
                continue;
            };
            if let (Some(day), Some(node)) = (refresh::utc_day(r), item.get("released"))
                && let Some(old) = node.as_scalar().map(|s| s.text.clone())
                && old != day.to_string()
            {
                let e = insert::replace_scalar(&text, node, &day.to_string())
                    .ok_or_else(|| format!("cannot correct `released` of {version}"))?;
                edits.push(e);
                fixes.push(insert::Fix {
                    version: version.clone(),
                    field: "released",
                    old,
                    new: day.to_string(),
                });
            }
            let listed = item
                .get("requires")
                .and_then(|m| m.get("python"))
                .and_then(|n| n.as_scalar())
                .map(|s| s.text.clone());
            if t.purl.ty == "pypi"
                && let Some(registry) = r.requires_python.as_deref()
                && listed
                    .as_deref()
                    .is_none_or(|l| refresh::comparators(l) != refresh::comparators(registry))
            {
                let e = insert::set_python(&text, &root, item, registry)
                    .ok_or_else(|| format!("cannot correct the python requirement of {version}"))?;
                edits.push(e);
                fixes.push(insert::Fix {
                    version: version.clone(),
                    field: "requires.python",
                    old: listed.unwrap_or_else(|| "(none)".into()),
                    new: registry.to_string(),
                });
            }
        }
        text = edit::apply(&text, &edits).map_err(|e| e.to_string())?;
    }
    let root = parse(&text)?;
    let edits = insert::add_releases(&text, &root, added).map_err(|e| e.0)?;
    let new = edit::apply(&text, &edits).map_err(|e| e.to_string())?;
    // The result must still parse: nothing is written otherwise.
    parse(&new)?;
    Ok((new, fixes))
}
