//! Command-line definitions (clap) and the code shared by every command:
//! finding the catalog, today's date, colour and output.

mod compat;
mod complete;
mod diff;
mod export;
mod filter;
mod index;
mod list;
mod maintain;
mod meta;
mod migrate;
mod new;
mod refresh;
mod show;
mod site;
mod taxonomy;
mod validate;
mod verify;

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use jiff::civil::Date;

use alliance_catalog::check::{self, Checked};
use alliance_catalog::load::{self, CatalogFiles, Location};

/// Exit code: the command ran and found nothing wrong.
pub const EXIT_OK: u8 = 0;
/// Exit code: the catalog or submission has errors, or an index is stale.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: the command could not run.
pub const EXIT_USAGE: u8 = 2;

/// The environment variable that fixes "today" (YYYY-MM-DD).
pub const TODAY_ENV: &str = "ALLIANCE_CATALOG_TODAY";

const ABOUT: &str = "Validate, list and publish a catalog of AI safety, security and trust tools";

const EXAMPLES: &str = "\
Examples:
  alliance-catalog list --risk prompt-injection --language fr
  alliance-catalog show garak
  alliance-catalog validate --format github
  alliance-catalog validate path/to/my-tool.yaml

Which catalog: --catalog DIR, else $ALLIANCE_CATALOG, else the first folder up
from here holding alliance-catalog.toml (or catalog/alliance-catalog.toml),
else the catalog built into this binary.";

/// What `--version` prints: the version and the catalog built in.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (built-in catalog: ",
    env!("ALLIANCE_CATALOG_EMBEDDED"),
    ")"
);

/// The command line.
#[derive(Debug, Parser)]
#[command(name = "alliance-catalog", version = VERSION, about = ABOUT, after_help = EXAMPLES, max_term_width = 100)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, clap::Args)]
pub struct GlobalArgs {
    /// The catalog folder (holding alliance-catalog.toml); default: $ALLIANCE_CATALOG,
    /// else found by walking up from here, else the built-in catalog.
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        help_heading = "Global options"
    )]
    pub catalog: Option<PathBuf>,
    /// When to use colour (auto honours NO_COLOR and terminals).
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN", help_heading = "Global options")]
    pub color: ColorWhen,
    /// Print only the product: no summary line, no notes.
    #[arg(short, long, global = true, help_heading = "Global options")]
    pub quiet: bool,
}

/// `-j/--jobs`, on the commands that check the catalog's files (all but
/// `schema`, `completions` and `man`, which read no catalog).
#[derive(Debug, Clone, Copy, Default, clap::Args)]
#[group(skip)]
pub struct Jobs {
    /// Threads for checking the catalog's files (default: one per core).
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<std::num::NonZeroUsize>,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// On terminals, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the catalog, or the given entry files against it.
    Validate(validate::Args),
    /// Check entries' facts against the package registries (online).
    Verify(Box<verify::Args>),
    /// Record the registry releases entries are missing, as a reviewable edit (online).
    Refresh(Box<refresh::Args>),
    /// List tools, filtered and sorted.
    List(Box<list::Args>),
    /// Everything about one tool.
    Show(show::Args),
    /// Which version of each tool fits a stack of platforms.
    Compat(Box<compat::Args>),
    /// Write the markdown index of the catalog, or check that it is current.
    Index(index::Args),
    /// The whole catalog as one JSON document.
    Export(export::Args),
    /// Write the catalog as a static web site, or check that one is current.
    Site(site::Args),
    /// Tools added, removed and changed between two catalogs.
    Diff(diff::Args),
    /// Write a skeleton entry for a new tool.
    New(Box<new::Args>),
    /// Rewrite entries of schema 1.x to 2.0.0, every other byte kept.
    Migrate(migrate::Args),
    /// Vettings that are overdue, or due soon.
    Review(maintain::ReviewArgs),
    /// Risks × categories: how many tools cover what, and the gaps.
    Coverage(maintain::CoverageArgs),
    /// The ids filters take (categories, risks, platforms, …), with titles and counts.
    Taxonomy(taxonomy::Args),
    /// Print an embedded JSON Schema (tool, taxonomy, export, command output).
    Schema(meta::SchemaArgs),
    /// Print shell completions (bash, zsh, fish, powershell, elvish).
    Completions(meta::CompletionsArgs),
    /// Print the man page (roff).
    Man(meta::ManArgs),
}

/// Parses the command line and runs it.
pub fn run() -> Result<ExitCode> {
    if complete::from_env()?.is_some() {
        return Ok(ExitCode::SUCCESS);
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_outcome(&e),
    };
    let choice = match cli.global.color {
        ColorWhen::Auto => anstream::ColorChoice::Auto,
        ColorWhen::Always => anstream::ColorChoice::Always,
        ColorWhen::Never => anstream::ColorChoice::Never,
    };
    choice.write_global();
    let jobs = match &cli.command {
        Command::Validate(a) => a.jobs,
        Command::Verify(a) => a.jobs,
        Command::Refresh(a) => a.jobs,
        Command::List(a) => a.jobs,
        Command::Show(a) => a.jobs,
        Command::Compat(a) => a.jobs,
        Command::Index(a) => a.jobs,
        Command::Export(a) => a.jobs,
        Command::Site(a) => a.jobs,
        Command::Diff(a) => a.jobs,
        Command::New(a) => a.jobs,
        Command::Migrate(a) => a.jobs,
        Command::Review(a) => a.jobs,
        Command::Coverage(a) => a.jobs,
        Command::Taxonomy(a) => a.jobs,
        Command::Schema(_) | Command::Completions(_) | Command::Man(_) => Jobs::default(),
    };
    if let Some(jobs) = jobs.jobs {
        rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.get())
            .build_global()
            .context("cannot start the worker threads")?;
    }
    let code = match &cli.command {
        Command::Validate(args) => validate::run(&cli.global, args)?,
        Command::Verify(args) => verify::run(&cli.global, args)?,
        Command::Refresh(args) => refresh::run(&cli.global, args)?,
        Command::List(args) => list::run(&cli.global, args)?,
        Command::Show(args) => show::run(&cli.global, args)?,
        Command::Compat(args) => compat::run(&cli.global, args)?,
        Command::Index(args) => index::run(&cli.global, args)?,
        Command::Export(args) => export::run(&cli.global, args)?,
        Command::Site(args) => site::run(&cli.global, args)?,
        Command::Diff(args) => diff::run(&cli.global, args)?,
        Command::New(args) => new::run(&cli.global, args)?,
        Command::Migrate(args) => migrate::run(&cli.global, args)?,
        Command::Review(args) => maintain::review(&cli.global, args)?,
        Command::Coverage(args) => maintain::coverage_cmd(&cli.global, args)?,
        Command::Taxonomy(args) => taxonomy::run(&cli.global, args)?,
        Command::Schema(args) => meta::schema(args)?,
        Command::Completions(args) => meta::completions(args)?,
        Command::Man(args) => meta::man(args)?,
    };
    Ok(ExitCode::from(code))
}

/// Prints what clap has to say (help, version, or a usage error) under the
/// same output policy as every command: a closed pipe is quiet success, any
/// other failure to write is an error (exit 2).
fn clap_outcome(e: &clap::Error) -> Result<ExitCode> {
    let code = u8::try_from(e.exit_code()).unwrap_or(EXIT_USAGE);
    let styled = if e.use_stderr() {
        stderr_styled()
    } else {
        stdout_styled()
    };
    let rendered = e.render();
    let text = if styled {
        rendered.ansi().to_string()
    } else {
        rendered.to_string()
    };
    if e.use_stderr() {
        write_stderr(|w| w.write_all(text.as_bytes()))?;
    } else {
        write_stdout(|w| w.write_all(text.as_bytes()))?;
    }
    Ok(ExitCode::from(code))
}

/// Today's date: `ALLIANCE_CATALOG_TODAY`, else the current UTC date.
pub fn today() -> Result<Date> {
    match std::env::var(TODAY_ENV) {
        Ok(text) if !text.is_empty() => {
            let shaped = text.len() == 10
                && text.bytes().enumerate().all(|(i, b)| match i {
                    4 | 7 => b == b'-',
                    _ => b.is_ascii_digit(),
                });
            if !shaped {
                bail!("{TODAY_ENV}={text:?}: write the date as YYYY-MM-DD");
            }
            text.parse::<Date>()
                .with_context(|| format!("{TODAY_ENV}={text:?} is not a calendar date"))
        }
        _ => Ok(jiff::Timestamp::now()
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .date()),
    }
}

/// Finds and reads the catalog chosen by the global options.
pub fn read_catalog(global: &GlobalArgs) -> Result<CatalogFiles> {
    let cwd = std::env::current_dir().context("cannot determine the current folder")?;
    let env = std::env::var_os(load::CATALOG_ENV);
    let location = load::locate(global.catalog.as_deref(), env, &cwd)?;
    Ok(load::read_catalog(&location)?)
}

/// Reads and checks the whole catalog.
pub fn load_checked(global: &GlobalArgs) -> Result<Checked> {
    Ok(load_checked_at(global)?.0)
}

/// Reads and checks the whole catalog, and says where it was.
pub fn load_checked_at(global: &GlobalArgs) -> Result<(Checked, Location)> {
    let files = read_catalog(global)?;
    let today = today()?;
    let location = files.location.clone();
    Ok((check_files(files, today), location))
}

/// Checks the files of a catalog.
/// Refuses ids that name no entry of `checked`.
pub fn known_ids(checked: &Checked, ids: &[String]) -> Result<()> {
    let known: std::collections::BTreeSet<&str> = checked
        .entries
        .iter()
        .map(|e| e.entry.id.as_str())
        .collect();
    match ids.iter().find(|id| !known.contains(id.as_str())) {
        Some(id) => bail!("no entry has the id `{id}`"),
        None => Ok(()),
    }
}

pub fn check_files(files: CatalogFiles, today: Date) -> Checked {
    check::check_catalog(
        files.settings,
        &files.taxonomy,
        &files.frameworks,
        files.tools,
        files.problems,
        today,
    )
}

/// What a publishing command works from: the taxonomy and every entry.
pub type Publishable<'a> = (
    &'a alliance_catalog::model::Taxonomy,
    Vec<&'a alliance_catalog::model::Entry>,
);

/// The taxonomy and entries of a catalog that has no errors; or, when it has
/// some, the exit code 1 after saying so. Commands that publish the catalog
/// must not silently leave entries out.
pub fn publishable(checked: &Checked) -> Result<std::result::Result<Publishable<'_>, u8>> {
    let errors = checked.summary.errors;
    if errors > 0 {
        write_stderr(|w| {
            writeln!(
                w,
                "error: the catalog has {errors} error{}; run `alliance-catalog validate` and fix them first",
                if errors == 1 { "" } else { "s" }
            )
        })?;
        return Ok(Err(EXIT_FINDINGS));
    }
    let taxonomy = checked
        .taxonomy
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("the catalog has no usable taxonomy"))?;
    Ok(Ok((taxonomy, checked.valid_entries().collect())))
}

/// Whether colour goes to stderr.
pub fn stderr_styled() -> bool {
    anstream::AutoStream::choice(&io::stderr()) != anstream::ColorChoice::Never
}

/// Whether colour goes to stdout.
pub fn stdout_styled() -> bool {
    anstream::AutoStream::choice(&io::stdout()) != anstream::ColorChoice::Never
}

/// The width tables are fitted to when standard output is not a terminal
/// and `COLUMNS` is not set (`list | less`).
pub const PIPE_WIDTH: usize = 80;

/// The width to fit tables to: the terminal's, else `COLUMNS`, else
/// [`PIPE_WIDTH`].
pub fn output_width() -> Option<usize> {
    if io::stdout().is_terminal()
        && let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size()
    {
        return Some(usize::from(w));
    }
    Some(
        std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(PIPE_WIDTH),
    )
}

/// How tables meet the terminal on stdout: its width, its colours, and
/// whether `--quiet` leaves out the lines around them.
pub fn table_options(global: &GlobalArgs) -> alliance_catalog::render::table::Options {
    alliance_catalog::render::table::Options {
        width: output_width(),
        styled: stdout_styled(),
        quiet: global.quiet,
    }
}

/// Writes to stdout under the one output policy of every command and
/// format: a closed pipe (the reader has gone, as with `| head`) is quiet
/// success; any other failure (a full disk) is an error, exit 2.
pub fn write_stdout(f: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    write_policy(io::stdout().lock(), f).context("cannot write to standard output")
}

/// Writes to stderr, buffered, under the same policy as [`write_stdout`].
pub fn write_stderr(f: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    write_policy(io::stderr().lock(), f).context("cannot write to standard error")
}

/// Runs `f` on a buffered `sink` and applies the output policy. The pipe is
/// seen closed at the sink itself, so a renderer that wraps the error (the
/// CSV writer does) cannot hide it.
fn write_policy<W: Write>(
    sink: W,
    f: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut tracked = Tracked {
        inner: sink,
        broken: false,
    };
    let result = {
        let mut out = io::BufWriter::new(&mut tracked);
        f(&mut out).and_then(|()| out.flush())
    };
    match result {
        Err(_) if tracked.broken => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// A writer that remembers whether its reader went away.
struct Tracked<W> {
    inner: W,
    broken: bool,
}

impl<W: Write> Tracked<W> {
    fn note<T>(&mut self, result: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &result
            && e.kind() == io::ErrorKind::BrokenPipe
        {
            self.broken = true;
        }
        result
    }
}

impl<W: Write> Write for Tracked<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let result = self.inner.write(buf);
        self.note(result)
    }

    fn flush(&mut self) -> io::Result<()> {
        let result = self.inner.flush();
        self.note(result)
    }
}

/// Tells the user on stderr that entries with errors were left out of a
/// listing, naming their files (the first ten).
pub fn note_skipped(global: &GlobalArgs, checked: &Checked) -> Result<u8> {
    if !checked.has_errors() {
        return Ok(EXIT_OK);
    }
    // Every entry file with an error is left out, whether or not it reached
    // the typed model; each counts once.
    let files: std::collections::BTreeSet<&str> = checked
        .files_with_errors
        .iter()
        .filter(|f| **f != *checked.taxonomy_file())
        .map(|f| &**f)
        .chain(
            checked
                .entries
                .iter()
                .filter(|e| e.has_errors)
                .map(|e| &*e.file),
        )
        .collect();
    let broken = files.len();
    if !global.quiet {
        const SHOWN: usize = 10;
        let mut names: Vec<String> = files
            .iter()
            .take(SHOWN)
            .map(|f| alliance_catalog::diag::render::terminal_safe(f))
            .collect();
        if broken > SHOWN {
            names.push(format!("and {} more", broken - SHOWN));
        }
        write_stderr(|w| {
            if broken == 0 {
                writeln!(
                    w,
                    "error: the catalog has errors. Run `alliance-catalog validate` to see them."
                )
            } else {
                writeln!(
                    w,
                    "error: the catalog has errors; {broken} entr{} with errors {} left out: {}. Run `alliance-catalog validate` to see them.",
                    if broken == 1 { "y" } else { "ies" },
                    if broken == 1 { "was" } else { "were" },
                    names.join(", "),
                )
            }
        })?;
    }
    Ok(EXIT_FINDINGS)
}
