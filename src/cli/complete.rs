//! Shell completion from the binary itself (clap_complete's dynamic
//! completion): the shell asks `alliance-catalog` for candidates at every
//! Tab, so values come from the catalog in use — taxonomy ids after
//! `--category`, `--risk` and the other filters, tool ids after `show`,
//! platforms after `--with` — and stay current as the catalog changes.
//!
//! `alliance-catalog completions SHELL` prints the small script that
//! registers this with the shell; the script calls the binary back with
//! [`COMPLETE_ENV`] set.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{Context as _, Result};
use clap::CommandFactory as _;
use clap_complete::engine::CompletionCandidate;
use clap_complete::env::{CompleteEnv, Shells};

use alliance_catalog::check::Checked;
use alliance_catalog::load;
use alliance_catalog::model::Vocabulary;

use super::Cli;

/// The environment variable through which the registered script asks for
/// candidates (set to the shell's name). Namespaced, so that a `COMPLETE`
/// set for another program never changes what this one does.
pub const COMPLETE_ENV: &str = "ALLIANCE_CATALOG_COMPLETE";

/// The `--catalog` of the command line being completed, if it has one.
static CATALOG_FLAG: OnceLock<Option<PathBuf>> = OnceLock::new();

/// Answers a completion request when [`COMPLETE_ENV`] is set: `Some(())`
/// once the candidates (or the registration script) are written.
pub fn from_env() -> Result<Option<()>> {
    if std::env::var_os(COMPLETE_ENV).is_none_or(|v| v.is_empty() || v == "0") {
        return Ok(None);
    }
    let args: Vec<OsString> = std::env::args_os().collect();
    let _ = CATALOG_FLAG.set(catalog_flag(&args));
    let cwd = std::env::current_dir().ok();
    let done = CompleteEnv::with_factory(command)
        .var(COMPLETE_ENV)
        .try_complete(args, cwd.as_deref())
        .map_err(|e| anyhow::anyhow!(e.to_string()))?;
    Ok(done.then_some(()))
}

/// The command line with the completers of arguments defined in files
/// this module does not own (`compat --with` offers `PLATFORM=`).
fn command() -> clap::Command {
    Cli::command().mut_subcommand("compat", |c| {
        c.mut_arg("with", |a| {
            a.add(clap_complete::engine::ArgValueCandidates::new(platforms))
        })
    })
}

/// The registration script for `shell` (what `completions SHELL` prints).
pub fn registration(shell: &str) -> Result<Vec<u8>> {
    let shells = Shells::builtins();
    let completer = shells
        .completer(shell)
        .with_context(|| format!("no completion support for `{shell}`"))?;
    let mut buf = Vec::new();
    completer
        .write_registration(
            COMPLETE_ENV,
            "alliance-catalog",
            "alliance-catalog",
            &completer_path(),
            &mut buf,
        )
        .context("cannot write the completion script")?;
    Ok(buf)
}

/// How the script calls the binary back: by name when it was run from
/// PATH, else by its absolute path (as clap_complete does).
fn completer_path() -> String {
    let arg0 = std::env::args_os()
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("alliance-catalog"));
    if arg0.components().count() > 1 {
        let absolute = std::env::current_dir()
            .map(|cwd| cwd.join(&arg0))
            .unwrap_or(arg0);
        absolute.to_string_lossy().into_owned()
    } else {
        arg0.to_string_lossy().into_owned()
    }
}

/// The value of `--catalog DIR` or `--catalog=DIR` among the words being
/// completed (after the `--` that separates them).
fn catalog_flag(args: &[OsString]) -> Option<PathBuf> {
    let words = args
        .iter()
        .position(|a| a == "--")
        .map_or(&args[..0], |i| &args[i + 1..]);
    let mut found = None;
    let mut it = words.iter();
    while let Some(word) = it.next() {
        let text = word.to_string_lossy();
        if text == "--catalog" {
            found = it.next().map(PathBuf::from);
        } else if let Some(dir) = text.strip_prefix("--catalog=") {
            found = Some(PathBuf::from(dir));
        }
    }
    found
}

/// The catalog the command being completed would use, read and checked
/// once per request; `None` when it cannot be read (no candidates then).
fn catalog() -> Option<&'static Checked> {
    static CHECKED: OnceLock<Option<Checked>> = OnceLock::new();
    CHECKED
        .get_or_init(|| {
            let flag = CATALOG_FLAG.get().cloned().flatten();
            let cwd = std::env::current_dir().ok()?;
            let location = load::locate(
                flag.as_deref(),
                std::env::var_os(load::CATALOG_ENV),
                Path::new(&cwd),
            )
            .ok()?;
            let files = load::read_catalog(&location).ok()?;
            let today = super::today().ok()?;
            Some(super::check_files(files, today))
        })
        .as_ref()
}

fn terms(vocabulary: Vocabulary) -> Vec<CompletionCandidate> {
    let Some(taxonomy) = catalog().and_then(|c| c.taxonomy.as_ref()) else {
        return Vec::new();
    };
    taxonomy
        .terms(vocabulary)
        .iter()
        .map(|t| CompletionCandidate::new(&t.id).help(Some(t.title.clone().into())))
        .collect()
}

/// Category ids, with their titles.
pub fn categories() -> Vec<CompletionCandidate> {
    terms(Vocabulary::Categories)
}

/// Risk ids, with their titles.
pub fn risks() -> Vec<CompletionCandidate> {
    terms(Vocabulary::Risks)
}

/// Lifecycle stage ids, with their titles.
pub fn lifecycle() -> Vec<CompletionCandidate> {
    terms(Vocabulary::Lifecycle)
}

/// Modality ids, with their titles.
pub fn modalities() -> Vec<CompletionCandidate> {
    terms(Vocabulary::Modalities)
}

/// Interface ids, with their titles.
pub fn interfaces() -> Vec<CompletionCandidate> {
    terms(Vocabulary::Interfaces)
}

/// `PLATFORM=` for each platform of the taxonomy (the version is typed).
pub fn platforms() -> Vec<CompletionCandidate> {
    let Some(taxonomy) = catalog().and_then(|c| c.taxonomy.as_ref()) else {
        return Vec::new();
    };
    taxonomy
        .terms(Vocabulary::Platforms)
        .iter()
        .map(|t| CompletionCandidate::new(format!("{}=", t.id)).help(Some(t.title.clone().into())))
        .collect()
}

/// Tool ids of the usable entries, with their names.
pub fn tools() -> Vec<CompletionCandidate> {
    let Some(checked) = catalog() else {
        return Vec::new();
    };
    checked
        .valid_entries()
        .map(|e| CompletionCandidate::new(e.id.as_str()).help(Some(e.name.clone().into())))
        .collect()
}

/// The language tags entries declare.
pub fn languages() -> Vec<CompletionCandidate> {
    distinct(|e| e.languages.to_vec())
}

/// The tags entries carry.
pub fn tags() -> Vec<CompletionCandidate> {
    distinct(|e| e.tags.to_vec())
}

fn distinct(
    values: impl Fn(&alliance_catalog::model::Entry) -> Vec<String>,
) -> Vec<CompletionCandidate> {
    let Some(checked) = catalog() else {
        return Vec::new();
    };
    let all: std::collections::BTreeSet<String> =
        checked.valid_entries().flat_map(values).collect();
    all.into_iter().map(CompletionCandidate::new).collect()
}

/// Writes `bytes` (a registration script) to stdout under the output policy.
pub fn write_script(bytes: &[u8]) -> Result<()> {
    super::write_stdout(|w| w.write_all(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_flag_is_read_from_the_completed_words() {
        let args = |words: &[&str]| -> Vec<OsString> { words.iter().map(OsString::from).collect() };
        assert_eq!(
            catalog_flag(&args(&[
                "bin",
                "--",
                "alliance-catalog",
                "--catalog",
                "x",
                "list"
            ])),
            Some(PathBuf::from("x"))
        );
        assert_eq!(
            catalog_flag(&args(&[
                "bin",
                "--",
                "alliance-catalog",
                "list",
                "--catalog=y/z"
            ])),
            Some(PathBuf::from("y/z"))
        );
        assert_eq!(
            catalog_flag(&args(&["bin", "--catalog", "x"])),
            None,
            "only the words after `--` are the command line"
        );
    }
}
