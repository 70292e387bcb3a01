//! Reading the stack a user has: `pip freeze` and requirements files, `pip
//! inspect` and `pip list` JSON, `uv.lock`, `pylock.toml` (PEP 751),
//! `poetry.lock`, conda `environment.yml` and `conda list --export`, npm
//! `package-lock.json`, CycloneDX JSON SBOMs, the stack's own TOML, and
//! installed virtual environments.
//!
//! Each format is one pure reader over text ([`requirements`], [`json`],
//! [`locks`], [`conda`]) that lists the installed [`Package`]s where they are
//! written, with the notes a user must see (a range instead of a pin, a URL
//! install without a version); [`detect`] picks the reader from the content;
//! [`resolve`](mod@resolve) maps packages to the taxonomy's platforms through their
//! packages and builds one [`Stack`]. Only [`disk`] touches files: `-r`
//! includes and `--venv` directories, within bounds.

pub mod conda;
pub mod disk;
pub mod json;
pub mod locks;
pub mod requirements;
pub mod resolve;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use crate::model::stack::{Environment, StackError, StackVersion};
use crate::model::{Stack, Taxonomy};

pub use resolve::{Summary, resolve};

/// The formats a stack is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// `pip freeze` output or a requirements file (PEP 508 lines).
    Requirements,
    /// `pip inspect` JSON (format version 1).
    PipInspect,
    /// `pip list --format json`.
    PipList,
    /// `uv.lock`.
    UvLock,
    /// `pylock.toml` (PEP 751).
    Pylock,
    /// `poetry.lock`.
    PoetryLock,
    /// A conda `environment.yml`.
    CondaEnv,
    /// `conda list --export`.
    CondaExport,
    /// npm `package-lock.json` (lockfile version 2 or 3).
    NpmLock,
    /// A CycloneDX JSON SBOM.
    CycloneDx,
    /// This tool's stack TOML (`name`, `[platforms]`).
    Toml,
    /// An installed virtual environment (`--venv`).
    Venv,
}

impl Format {
    /// How messages name the format.
    pub fn describe(self) -> &'static str {
        match self {
            Format::Requirements => "pip freeze / requirements",
            Format::PipInspect => "pip inspect",
            Format::PipList => "pip list",
            Format::UvLock => "uv.lock",
            Format::Pylock => "pylock.toml",
            Format::PoetryLock => "poetry.lock",
            Format::CondaEnv => "conda environment",
            Format::CondaExport => "conda list --export",
            Format::NpmLock => "package-lock.json",
            Format::CycloneDx => "CycloneDX SBOM",
            Format::Toml => "stack TOML",
            Format::Venv => "virtual environment",
        }
    }
}

/// Which registry's names a package uses.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ecosystem {
    /// PyPI (names compared in PEP 503 form).
    Pypi,
    /// npm.
    Npm,
    /// crates.io.
    Cargo,
    /// A conda channel (conda-forge names are mostly PyPI's).
    Conda,
    /// A runtime rather than a package: `cpython`, `cuda`, `nodejs`, `rustc`.
    Runtime,
    /// Another purl type, or a component without one.
    Other(String),
}

/// Where something was read: file, 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Origin {
    /// The file as named on the command line (`-` for standard input).
    pub file: Arc<str>,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl Origin {
    /// The position of byte `offset` of `text`, read from `file`.
    pub fn at(file: &Arc<str>, text: &str, offset: usize) -> Origin {
        let (line, column) = crate::source::line_column(text, offset);
        Origin {
            file: file.clone(),
            line,
            column,
        }
    }

    /// `file:line`, as a [`StackVersion`] records it.
    pub fn short(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }

    /// An error at this position.
    pub fn error(&self, message: impl Into<String>) -> StackError {
        StackError {
            origin: self.to_string(),
            message: message.into(),
        }
    }

    /// A note at this position.
    pub fn note(&self, message: impl Into<String>) -> Note {
        Note {
            origin: self.clone(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// A position a parser reported, moved inside `text`: a parser may point
/// just past the last line (the end of the input), which messages show as
/// the end of the last line.
pub fn clamp_position(text: &str, line: usize, column: usize) -> (usize, usize) {
    let lines: Vec<&str> = crate::source::split_lines(text).collect();
    let count = lines.len().max(1);
    if line > count {
        let last = lines.last().map_or(0, |l| l.chars().count());
        return (count, last + 1);
    }
    let width = lines.get(line.max(1) - 1).map_or(0, |l| l.chars().count());
    (line.max(1), column.clamp(1, width + 1))
}

/// One installed package as a source lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// Whose names it uses.
    pub ecosystem: Ecosystem,
    /// The name as written.
    pub name: String,
    /// The version exactly as written.
    pub version: String,
    /// Where the version (or, failing that, the name) is written.
    pub origin: Origin,
    /// The PEP 508 marker under which the source installs it, as written
    /// (kept, not evaluated here).
    pub marker: Option<String>,
}

/// Something the user must see about a source that does not stop reading
/// it: a range instead of a pin, an install without a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Where.
    pub origin: Origin,
    /// What, and what to do.
    pub message: String,
}

/// What one source says about a stack, before it is mapped to platforms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// The source as named on the command line.
    pub file: Arc<str>,
    /// Its format.
    pub format: Format,
    /// The stack's name, where the source has one.
    pub name: Option<String>,
    /// Installed packages, in source order.
    pub packages: Vec<Package>,
    /// Platforms the source names directly (the stack TOML).
    pub platforms: BTreeMap<String, StackVersion>,
    /// The marker environment, where the source states it.
    pub environment: Environment,
    /// Notes for the user.
    pub notes: Vec<Note>,
}

impl Reading {
    /// An empty reading of `file` in `format`.
    pub fn new(file: &Arc<str>, format: Format) -> Reading {
        Reading {
            file: file.clone(),
            format,
            name: None,
            packages: Vec::new(),
            platforms: BTreeMap::new(),
            environment: Environment::new(),
            notes: Vec::new(),
        }
    }

    /// Records the Python version of an environment: the `python` runtime
    /// and the `python_version` marker, and `python_full_version` when the
    /// version has all three parts.
    pub fn python(&mut self, version: &str, origin: Origin) {
        let parts: Vec<&str> = version.split('.').collect();
        if parts.len() >= 3 {
            self.environment
                .insert("python_full_version".into(), version.to_string());
        }
        if parts.len() >= 2 {
            self.environment
                .insert("python_version".into(), parts[..2].join("."));
        }
        self.packages.push(Package {
            ecosystem: Ecosystem::Runtime,
            name: "cpython".into(),
            version: version.to_string(),
            origin,
            marker: None,
        });
    }
}

/// A file that a requirements file includes (`-r`), as the reader's caller
/// supplies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Included {
    /// The name messages use.
    pub name: Arc<str>,
    /// An identity of the file (its canonical path), to find cycles.
    pub key: String,
    /// Its text.
    pub text: String,
}

/// Reads `-r` includes for the requirements reader.
pub trait Includes {
    /// The identity of the file named `file` (its canonical path), so that
    /// a file including the one that started the reading is seen as a cycle.
    fn key(&mut self, file: &str) -> String;
    /// Given the including file's name and the path as written, the
    /// included file, or why it cannot be read.
    fn read(&mut self, from: &str, path: &str) -> Result<Included, String>;
}

/// The most bytes one stack source (a `--from` file, standard input, an
/// included file, one `METADATA`) may hold: 32 MiB, larger than a catalog
/// file's limit because a `pip inspect` of a few hundred packages is several
/// megabytes.
pub const MAX_INPUT_BYTES: u64 = 32 * 1024 * 1024;

/// How deep `-r` includes may nest.
pub const MAX_INCLUDE_DEPTH: usize = 8;

/// The format of `text`, from its content.
pub fn detect(file: &Arc<str>, text: &str) -> Result<Format, StackError> {
    let body = text.trim_start_matches('\u{feff}').trim_start();
    let json_array = body.strip_prefix('[').is_some_and(|rest| {
        let rest = rest.trim_start();
        rest.is_empty() || rest.starts_with(['{', ']', '"'])
    });
    if body.starts_with('{') || json_array {
        return json::detect(file, text);
    }
    if let Ok(table) = text.parse::<toml::Table>() {
        if let Some(format) = locks::detect(&table) {
            return Ok(format);
        }
        if table.contains_key("platforms") || table.contains_key("name") {
            return Ok(Format::Toml);
        }
    } else if body.starts_with('[') {
        // A TOML file that does not parse: let the TOML reader say where.
        return Ok(Format::Toml);
    }
    if conda::looks_like_environment(text) {
        return Ok(Format::CondaEnv);
    }
    if conda::looks_like_export(text) {
        return Ok(Format::CondaExport);
    }
    Ok(Format::Requirements)
}

/// Reads one source: `format` as given, else detected. `includes` reads the
/// files a requirements file includes.
pub fn read(
    file: &Arc<str>,
    text: &str,
    format: Option<Format>,
    taxonomy: &Taxonomy,
    includes: &mut dyn Includes,
) -> Result<Reading, StackError> {
    let format = match format {
        Some(f) => f,
        None => detect(file, text)?,
    };
    let mut reading = Reading::new(file, format);
    match format {
        Format::Requirements => requirements::read(&mut reading, text, includes)?,
        Format::PipInspect => json::pip_inspect(&mut reading, text)?,
        Format::PipList => json::pip_list(&mut reading, text)?,
        Format::NpmLock => json::npm_lock(&mut reading, text)?,
        Format::CycloneDx => json::cyclonedx(&mut reading, text)?,
        Format::UvLock => locks::uv_lock(&mut reading, text)?,
        Format::Pylock => locks::pylock(&mut reading, text)?,
        Format::PoetryLock => locks::poetry_lock(&mut reading, text)?,
        Format::CondaEnv => conda::environment(&mut reading, text)?,
        Format::CondaExport => conda::export(&mut reading, text)?,
        Format::Toml => {
            let stack = Stack::from_toml(file, text, taxonomy)?;
            reading.name = stack.name;
            reading.platforms = stack.platforms;
        }
        Format::Venv => {
            return Err(StackError {
                origin: file.to_string(),
                message: "an environment is a folder: read it with --venv DIR".into(),
            });
        }
    }
    Ok(reading)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// No includes: every `-r` is "not found".
    struct NoFiles;

    impl Includes for NoFiles {
        fn key(&mut self, file: &str) -> String {
            file.to_string()
        }
        fn read(&mut self, _from: &str, _path: &str) -> Result<Included, String> {
            Err("not found".into())
        }
    }

    fn taxonomy() -> &'static Taxonomy {
        static TAXONOMY: std::sync::LazyLock<Taxonomy> = std::sync::LazyLock::new(|| {
            let text = include_str!("../../catalog/taxonomy.yaml");
            let parsed = crate::load::yaml::parse(text, &Default::default());
            serde_json::from_value(parsed.root.expect("root").to_json()).expect("taxonomy")
        });
        &TAXONOMY
    }

    const FORMATS: [Format; 11] = [
        Format::Requirements,
        Format::PipInspect,
        Format::PipList,
        Format::UvLock,
        Format::Pylock,
        Format::PoetryLock,
        Format::CondaEnv,
        Format::CondaExport,
        Format::NpmLock,
        Format::CycloneDx,
        Format::Toml,
    ];

    /// Real files, cut anywhere.
    const FIXTURES: [&str; 6] = [
        include_str!("../../tests/fixtures/stacks/installed/freeze.txt"),
        include_str!("../../tests/fixtures/stacks/installed/pip-list.json"),
        include_str!("../../tests/fixtures/stacks/installed/conda-export.txt"),
        include_str!("../../tests/fixtures/stacks/formats/universal/pylock.toml"),
        include_str!("../../tests/fixtures/stacks/formats/environment.yml"),
        include_str!("../../tests/fixtures/stacks/formats/sbom.cdx.json"),
    ];

    /// An error's `file:line:col` lies inside the text (or just past its end).
    fn located_inside(e: &StackError, text: &str) -> bool {
        let mut parts = e.origin.rsplitn(3, ':');
        let (Some(col), Some(line)) = (parts.next(), parts.next()) else {
            return false;
        };
        let (Ok(col), Ok(line)) = (col.parse::<usize>(), line.parse::<usize>()) else {
            return false;
        };
        let lines: Vec<&str> = crate::source::split_lines(text).collect();
        line >= 1
            && col >= 1
            && line <= lines.len().max(1)
            && col <= lines.get(line - 1).map_or(0, |l| l.chars().count()) + 1
    }

    proptest! {
        #[test]
        fn no_input_makes_a_reader_panic_and_errors_point_inside_it(
            text in "[a-z0-9=<>!~@;:,.\\[\\]{}\"#+* \n\t_-]{0,200}",
            format in proptest::sample::select(&FORMATS[..]),
        ) {
            let taxonomy = taxonomy();
            let file: Arc<str> = Arc::from("in");
            for f in [None, Some(format)] {
                if let Err(e) = read(&file, &text, f, taxonomy, &mut NoFiles) {
                    prop_assert!(located_inside(&e, &text), "{} for {:?}", e, text);
                }
            }
        }

        #[test]
        fn real_files_cut_anywhere_are_read_or_refused_at_a_place_inside_them(
            which in 0usize..FIXTURES.len(),
            cut in 0usize..4000,
        ) {
            let full = FIXTURES[which];
            let mut end = cut.min(full.len());
            while !full.is_char_boundary(end) {
                end -= 1;
            }
            let text = &full[..end];
            let taxonomy = taxonomy();
            let file: Arc<str> = Arc::from("in");
            if let Err(e) = read(&file, text, None, taxonomy, &mut NoFiles) {
                prop_assert!(located_inside(&e, text), "{} at {}", e, end);
            }
        }
    }

    fn f(text: &str) -> Format {
        detect(&Arc::from("t"), text).expect("detects")
    }

    #[test]
    fn formats_are_told_apart_by_content() {
        assert_eq!(f("numpy==1.26.4\n"), Format::Requirements);
        assert_eq!(f("# comment\n-r base.txt\n"), Format::Requirements);
        assert_eq!(f(""), Format::Requirements);
        assert_eq!(
            f("{\"version\": \"1\", \"installed\": [], \"environment\": {}}"),
            Format::PipInspect
        );
        assert_eq!(
            f("[{\"name\": \"a\", \"version\": \"1\"}]"),
            Format::PipList
        );
        assert_eq!(f("[]"), Format::PipList);
        assert_eq!(
            f("{\"lockfileVersion\": 3, \"packages\": {}}"),
            Format::NpmLock
        );
        assert_eq!(
            f("{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\"}"),
            Format::CycloneDx
        );
        assert_eq!(
            f(
                "version = 1\nrevision = 3\nrequires-python = \">=3.11\"\n[[package]]\nname = \"a\"\nversion = \"1\"\n"
            ),
            Format::UvLock
        );
        assert_eq!(
            f("lock-version = \"1.0\"\n[[packages]]\nname = \"a\"\n"),
            Format::Pylock
        );
        assert_eq!(
            f(
                "[[package]]\nname = \"a\"\nversion = \"1\"\n[metadata]\nlock-version = \"2.1\"\ncontent-hash = \"x\"\n"
            ),
            Format::PoetryLock
        );
        assert_eq!(f("[platforms]\npython = \"3.12\"\n"), Format::Toml);
        assert_eq!(f("[platforms\n"), Format::Toml);
        assert_eq!(
            f("name: x\ndependencies:\n  - python=3.11\n"),
            Format::CondaEnv
        );
        assert_eq!(
            f("# platform: linux-64\npython=3.11.7=h1_0\n"),
            Format::CondaExport
        );
    }
}
