//! The only part of the library that reads the filesystem: finds the catalog,
//! reads its files within limits, and hands text on to the pure stages.

pub mod paths;
pub mod yaml;

use std::ffi::OsString;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use thiserror::Error;

use crate::diag::{Code, Pos, Span};
use crate::model::{Settings, SettingsError};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_catalog.rs"));
}

pub use crate::model::settings::{SETTINGS_FILE, is_entry_file};
/// The environment variable naming the catalog folder.
pub const CATALOG_ENV: &str = "ALLIANCE_CATALOG";
/// How the embedded catalog's files are shown in messages.
pub const EMBEDDED_PREFIX: &str = "<embedded>";

/// Where a catalog comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A folder holding `alliance-catalog.toml`.
    Dir(PathBuf),
    /// The default catalog compiled into the binary.
    Embedded,
}

/// Why a command could not get at its catalog (exit code 2).
#[derive(Debug, Error)]
pub enum LoadError {
    /// `--catalog` or `ALLIANCE_CATALOG` names a folder without settings.
    #[error(
        "{0}: no {SETTINGS_FILE} there (nor in its catalog/ folder); point --catalog at a catalog folder"
    )]
    NotACatalog(String),
    /// The settings file could not be read.
    #[error("{path}: cannot read the settings: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The settings file is invalid.
    #[error(transparent)]
    Settings(#[from] SettingsError),
    /// The settings file is not UTF-8 or too large.
    #[error("{0}")]
    Unusable(String),
}

/// Finds the catalog: `--catalog`, else `ALLIANCE_CATALOG`, else the first
/// folder up from `cwd` holding the settings (directly or in `catalog/`),
/// else the embedded default.
pub fn locate(
    flag: Option<&Path>,
    env: Option<OsString>,
    cwd: &Path,
) -> Result<Location, LoadError> {
    let explicit = flag
        .map(Path::to_path_buf)
        .or_else(|| env.filter(|v| !v.is_empty()).map(PathBuf::from));
    if let Some(dir) = explicit {
        return catalog_in(&dir)
            .map(Location::Dir)
            .ok_or_else(|| LoadError::NotACatalog(dir.display().to_string()));
    }
    for dir in cwd.ancestors() {
        if let Some(found) = catalog_in(dir) {
            return Ok(Location::Dir(relative_to(&found, cwd)));
        }
    }
    Ok(Location::Embedded)
}

fn catalog_in(dir: &Path) -> Option<PathBuf> {
    if dir.join(SETTINGS_FILE).is_file() {
        Some(dir.to_path_buf())
    } else if dir.join("catalog").join(SETTINGS_FILE).is_file() {
        Some(dir.join("catalog"))
    } else {
        None
    }
}

/// `path` relative to `base` when it lies below it, for shorter messages.
pub fn relative_to(path: &Path, base: &Path) -> PathBuf {
    match path.strip_prefix(base) {
        Ok(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
        Ok(rel) => rel.to_path_buf(),
        Err(_) => path.to_path_buf(),
    }
}

/// A problem with a file found before its text could be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadProblem {
    /// The code.
    pub code: Code,
    /// Where (the start of the file unless the problem has a position).
    pub span: Span,
    /// What is wrong.
    pub message: String,
}

/// One file to check, as read.
#[derive(Debug, Clone)]
pub struct Input {
    /// The path shown in messages.
    pub name: Arc<str>,
    /// The file on disk (`None` for the embedded catalog).
    pub path: Option<PathBuf>,
    /// The file stem, which must equal the entry's id.
    pub stem: String,
    /// The text, or why there is none.
    pub text: Result<String, ReadProblem>,
    /// A warning found while reading that did not stop it (a byte order mark).
    pub warning: Option<ReadProblem>,
}

/// An entry file to check: already read, or still on disk, to be read by
/// the worker that checks it (so reading and checking overlap, and a file's
/// text lives only while it is checked).
#[derive(Debug, Clone)]
pub enum ToolFile {
    /// Read already (the embedded catalog, submissions, tests). Boxed, so
    /// that the list of a large catalog on disk stays small.
    Read(Box<Input>),
    /// To be read, within the size limit.
    OnDisk {
        /// The path shown in messages.
        name: Arc<str>,
        /// The file (boxed: no spare capacity in the list of a large catalog).
        path: Box<Path>,
        /// The size limit.
        max_bytes: u64,
    },
}

impl ToolFile {
    /// A file on disk, read later.
    pub fn on_disk(path: &Path, max_bytes: u64) -> ToolFile {
        ToolFile::OnDisk {
            name: Arc::from(path.display().to_string()),
            path: path.into(),
            max_bytes,
        }
    }

    /// The path shown in messages.
    pub fn name(&self) -> &Arc<str> {
        match self {
            ToolFile::Read(input) => &input.name,
            ToolFile::OnDisk { name, .. } => name,
        }
    }

    /// The file on disk, if there is one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            ToolFile::Read(input) => input.path.as_deref(),
            ToolFile::OnDisk { path, .. } => Some(path),
        }
    }

    /// The file stem, which must equal the entry's id.
    pub fn stem(&self) -> String {
        match self {
            ToolFile::Read(input) => input.stem.clone(),
            ToolFile::OnDisk { path, .. } => stem_of(path),
        }
    }

    /// The file, read.
    pub fn read(self) -> Input {
        match self {
            ToolFile::Read(input) => *input,
            // The name made when the catalog was listed is the one the
            // input keeps: no second copy per file.
            ToolFile::OnDisk {
                name,
                path,
                max_bytes,
            } => {
                let read = read_bounded(&path, max_bytes);
                input_named(name, path.into_path_buf(), read)
            }
        }
    }
}

fn stem_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The files of a catalog, read.
#[derive(Debug)]
pub struct CatalogFiles {
    /// Where the catalog is.
    pub location: Location,
    /// The settings, checked.
    pub settings: Settings,
    /// The settings file as shown in messages.
    pub settings_name: String,
    /// The taxonomy file.
    pub taxonomy: Input,
    /// The framework files (`paths.frameworks`, `*.yaml`), sorted by path;
    /// none when the folder does not exist.
    pub frameworks: Vec<Input>,
    /// The entry files, sorted by path.
    pub tools: Vec<ToolFile>,
    /// Problems with the folder itself (symbolic links out, too many files).
    pub problems: Vec<(Arc<str>, ReadProblem)>,
}

/// Reads the catalog at `location`.
pub fn read_catalog(location: &Location) -> Result<CatalogFiles, LoadError> {
    match location {
        Location::Dir(dir) => read_dir_catalog(dir),
        Location::Embedded => read_embedded(),
    }
}

fn read_dir_catalog(dir: &Path) -> Result<CatalogFiles, LoadError> {
    let root = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let settings_path = dir.join(SETTINGS_FILE);
    let settings_name = settings_path.display().to_string();
    // Read within the ceiling before the limits are known: the settings
    // cannot raise it.
    let bytes = read_in_catalog(
        &root,
        &settings_path,
        crate::model::settings::CEILING_FILE_BYTES,
    )
    .map_err(|p| {
        LoadError::Unusable(format!(
            "{settings_name}: [{}] {}",
            p.code.name(),
            p.message
        ))
    })?;
    let text = settings_text(&settings_name, bytes)?;
    let settings = Settings::from_toml(&settings_name, &text)?;
    let max = settings.limits.max_file_bytes;

    let taxonomy_path = dir.join(&settings.paths.taxonomy);
    let taxonomy = input_from(&taxonomy_path, read_in_catalog(&root, &taxonomy_path, max));
    let frameworks = read_frameworks(&root, &dir.join(&settings.paths.frameworks), max);

    let tools_dir = dir.join(&settings.paths.tools);
    let mut problems = Vec::new();
    let mut tools = Vec::new();
    // The tools folder itself goes through the same gate as every file: a
    // folder (or a parent of it) that leads out of the catalog is reported
    // and not walked at all.
    if let Err(p) = inside_catalog(&root, &tools_dir) {
        problems.push((Arc::from(tools_dir.display().to_string()), p));
        return Ok(CatalogFiles {
            location: Location::Dir(dir.to_path_buf()),
            settings,
            settings_name,
            taxonomy,
            frameworks,
            tools: Vec::new(),
            problems,
        });
    }
    // No depth limit: every entry file is walked, however deep, so that none
    // is skipped unseen (and `new` sees every id); `limits.max_entries`
    // bounds the work.
    let walker = walkdir::WalkDir::new(&tools_dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for item in walker {
        let item = match item {
            Ok(item) => item,
            Err(e) => {
                let name: Arc<str> = Arc::from(e.path().map_or_else(
                    || tools_dir.display().to_string(),
                    |p| p.display().to_string(),
                ));
                problems.push((name, problem(Code::Unreadable, format!("cannot read: {e}"))));
                continue;
            }
        };
        let path = item.path();
        if item.path_is_symlink() {
            let name: Arc<str> = Arc::from(path.display().to_string());
            match fs::canonicalize(path) {
                Ok(target) if !target.starts_with(&root) => {
                    problems.push((name, outside_problem()));
                    continue;
                }
                Ok(target) if target.is_dir() => continue,
                Ok(_) => {}
                Err(e) => {
                    if is_entry_file(path) {
                        problems.push((
                            name,
                            problem(Code::Unreadable, format!("broken symbolic link: {e}")),
                        ));
                    }
                    continue;
                }
            }
        } else if !item.file_type().is_file() {
            continue;
        }
        if !is_entry_file(path) {
            continue;
        }
        if tools.len() >= settings.limits.max_entries {
            problems.push((
                Arc::from(tools_dir.display().to_string()),
                problem(
                    Code::TooManyFiles,
                    format!(
                        "the catalog holds more than {} entry files (`limits.max_entries`); the rest were not read",
                        settings.limits.max_entries
                    ),
                ),
            ));
            break;
        }
        tools.push(ToolFile::on_disk(path, max));
    }
    // The list lives while the catalog is checked: no spare capacity.
    tools.shrink_to_fit();
    Ok(CatalogFiles {
        location: Location::Dir(dir.to_path_buf()),
        settings,
        settings_name,
        taxonomy,
        frameworks,
        tools,
        problems,
    })
}

/// The framework files of the folder `dir` (its `*.yaml` files, not its
/// sub-folders), sorted, each read through [`read_in_catalog`]. A folder
/// that does not exist holds none; one that cannot be listed is reported
/// as an unreadable file of that name.
fn read_frameworks(root: &Path, dir: &Path, max: u64) -> Vec<Input> {
    if !dir.exists() {
        return Vec::new();
    }
    let listing = match inside_catalog(root, dir).and_then(|_| {
        fs::read_dir(dir).map_err(|e| problem(Code::Unreadable, format!("cannot read: {e}")))
    }) {
        Ok(listing) => listing,
        Err(p) => return vec![input_from(dir, Err(p))],
    };
    let mut paths: Vec<PathBuf> = listing
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml") && !p.is_dir())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| input_from(p, read_in_catalog(root, p, max)))
        .collect()
}

fn outside_problem() -> ReadProblem {
    problem(
        Code::UnsafePath,
        "this symbolic link leads outside the catalog folder and was not followed; replace it by the file itself",
    )
}

/// Checks that `path`, with every symbolic link in it resolved, lies inside
/// `root` (the catalog folder, resolved): `unsafe-path` otherwise.
fn inside_catalog(root: &Path, path: &Path) -> Result<PathBuf, ReadProblem> {
    match fs::canonicalize(path) {
        Ok(target) if target.starts_with(root) => Ok(target),
        Ok(_) => Err(outside_problem()),
        Err(e) => Err(problem(Code::Unreadable, format!("cannot read: {e}"))),
    }
}

/// Reads a file of the catalog in `root` (a resolved folder): the one gate
/// for settings, taxonomy, index and entries. The file must resolve inside
/// the catalog (`unsafe-path` otherwise: a link to `/proc/self/environ` is
/// never opened), be a regular file (a FIFO or a device is `unreadable`,
/// never opened, so it cannot block) and hold at most `max_bytes` (the read
/// itself is capped, so `/dev/zero` swapped in cannot fill memory).
pub fn read_in_catalog(root: &Path, path: &Path, max_bytes: u64) -> Result<Vec<u8>, ReadProblem> {
    let target = inside_catalog(root, path)?;
    read_bounded(&target, max_bytes)
}

/// Reads a file outside any catalog (a path given on the command line) with
/// the same bounds: regular files only, at most `max_bytes`.
pub fn read_file_bounded(path: &Path, max_bytes: u64) -> Result<Vec<u8>, ReadProblem> {
    read_bounded(path, max_bytes)
}

/// The folder a [`Location::Dir`] catalog resolves to, for [`read_in_catalog`].
pub fn catalog_root(dir: &Path) -> PathBuf {
    fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf())
}

fn settings_text(name: &str, bytes: Vec<u8>) -> Result<String, LoadError> {
    if bytes.len() as u64 > crate::model::settings::CEILING_FILE_BYTES {
        return Err(LoadError::Unusable(format!(
            "{name}: the settings file is too large"
        )));
    }
    decode(bytes).map(|(text, _)| text).map_err(|p| {
        LoadError::Unusable(format!(
            "{name}:{}:{}: {}",
            p.span.start.line, p.span.start.column, p.message
        ))
    })
}

fn problem(code: Code, message: impl Into<String>) -> ReadProblem {
    ReadProblem {
        code,
        span: Span::point(Pos::START),
        message: message.into(),
    }
}

/// Reads one file, refusing it unread when it is larger than `max_bytes`.
pub fn read_input(path: &Path, max_bytes: u64) -> Input {
    input_from(path, read_bounded(path, max_bytes))
}

/// The [`Input`] for `path` from the outcome of reading it.
fn input_from(path: &Path, read: Result<Vec<u8>, ReadProblem>) -> Input {
    input_named(
        Arc::from(path.display().to_string()),
        path.to_path_buf(),
        read,
    )
}

/// The [`Input`] shown as `name` for `path`, from the outcome of reading it.
fn input_named(name: Arc<str>, path: PathBuf, read: Result<Vec<u8>, ReadProblem>) -> Input {
    let stem = stem_of(&path);
    let (text, warning) = match read {
        Ok(bytes) => match decode(bytes) {
            Ok((text, warning)) => (Ok(text), warning),
            Err(p) => (Err(p), None),
        },
        Err(p) => (Err(p), None),
    };
    Input {
        name,
        path: Some(path),
        stem,
        text,
        warning,
    }
}

fn read_bounded(path: &Path, max_bytes: u64) -> Result<Vec<u8>, ReadProblem> {
    let too_large = |size: String| {
        problem(
            Code::FileTooLarge,
            format!(
                "the file is {size} bytes, more than the limit of {max_bytes} (`limits.max_file_bytes`); it was not read"
            ),
        )
    };
    // Look before opening: opening a FIFO or a device could block forever.
    let before = fs::metadata(path)
        .map_err(|e| problem(Code::Unreadable, format!("cannot read the file: {e}")))?;
    if !before.is_file() {
        return Err(problem(Code::Unreadable, "not a regular file"));
    }
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // A file swapped for a FIFO after the check still cannot block.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options
        .open(path)
        .map_err(|e| problem(Code::Unreadable, format!("cannot read the file: {e}")))?;
    let meta = file
        .metadata()
        .map_err(|e| problem(Code::Unreadable, format!("cannot read the file: {e}")))?;
    if !meta.is_file() {
        return Err(problem(Code::Unreadable, "not a regular file"));
    }
    if meta.len() > max_bytes {
        return Err(too_large(meta.len().to_string()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| problem(Code::Unreadable, format!("cannot read the file: {e}")))?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_large(format!("more than {max_bytes}")));
    }
    Ok(bytes)
}

/// Turns bytes into text: UTF-8 only; a leading byte order mark is removed
/// with a warning.
pub fn decode(mut bytes: Vec<u8>) -> Result<(String, Option<ReadProblem>), ReadProblem> {
    let mut warning = None;
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
        warning = Some(problem(
            Code::Encoding,
            "the file starts with a UTF-8 byte order mark; save it without one",
        ));
    } else if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(problem(
            Code::Encoding,
            "the file is UTF-16 encoded; save it as UTF-8",
        ));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, warning)),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
            let (line, column) = crate::source::line_column(prefix, prefix.len());
            let bad = bytes.get(valid).copied().unwrap_or(0);
            let pos = Pos {
                line: u32::try_from(line).unwrap_or(u32::MAX),
                column: u32::try_from(column).unwrap_or(u32::MAX),
            };
            Err(ReadProblem {
                code: Code::Encoding,
                span: Span::point(pos),
                message: format!(
                    "the file is not valid UTF-8 (byte 0x{bad:02X}); save it as UTF-8"
                ),
            })
        }
    }
}

fn read_embedded() -> Result<CatalogFiles, LoadError> {
    let find = |rel: &str| {
        embedded::FILES
            .iter()
            .find(|(p, _)| *p == rel)
            .map(|(_, bytes)| *bytes)
    };
    let settings_name = format!("{EMBEDDED_PREFIX}/{SETTINGS_FILE}");
    let bytes =
        find(SETTINGS_FILE).ok_or_else(|| LoadError::NotACatalog(EMBEDDED_PREFIX.to_string()))?;
    let text = settings_text(&settings_name, bytes.to_vec())?;
    let settings = Settings::from_toml(&settings_name, &text)?;
    let embedded_input = |rel: &str, bytes: &[u8]| {
        let stem = Path::new(rel)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (text, warning) = match decode(bytes.to_vec()) {
            Ok((t, w)) => (Ok(t), w),
            Err(p) => (Err(p), None),
        };
        Input {
            name: Arc::from(format!("{EMBEDDED_PREFIX}/{rel}")),
            path: None,
            stem,
            text,
            warning,
        }
    };
    let taxonomy_rel = settings.paths.taxonomy.clone();
    let taxonomy = match find(&taxonomy_rel) {
        Some(bytes) => embedded_input(&taxonomy_rel, bytes),
        None => Input {
            name: Arc::from(format!("{EMBEDDED_PREFIX}/{taxonomy_rel}")),
            path: None,
            stem: String::new(),
            text: Err(problem(
                Code::Unreadable,
                "the embedded catalog has no taxonomy",
            )),
            warning: None,
        },
    };
    let fw_prefix = format!("{}/", settings.paths.frameworks.trim_end_matches('/'));
    let frameworks = embedded::FILES
        .iter()
        .filter(|(p, _)| {
            p.strip_prefix(&fw_prefix)
                .is_some_and(|rest| !rest.contains('/') && rest.ends_with(".yaml"))
        })
        .map(|(p, bytes)| embedded_input(p, bytes))
        .collect();
    let prefix = format!("{}/", settings.paths.tools.trim_end_matches('/'));
    let tools = embedded::FILES
        .iter()
        .filter(|(p, _)| p.starts_with(&prefix) && is_entry_file(Path::new(p)))
        .map(|(p, bytes)| ToolFile::Read(Box::new(embedded_input(p, bytes))))
        .collect();
    Ok(CatalogFiles {
        location: Location::Embedded,
        settings,
        settings_name,
        taxonomy,
        frameworks,
        tools,
        problems: Vec::new(),
    })
}

/// Collects the entry files named on the command line: files as given,
/// folders walked for `.yaml`/`.yml` files. A missing path is an error.
pub fn expand_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for path in paths {
        let meta = fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
        if meta.is_dir() {
            for item in walkdir::WalkDir::new(path)
                .follow_links(false)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
            {
                if item.file_type().is_file() && is_entry_file(item.path()) {
                    out.push(item.path().to_path_buf());
                }
            }
        } else {
            out.push(path.clone());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_reports_bad_bytes_with_position() {
        let err = decode(b"a: 1\nb: caf\xE9\n".to_vec()).expect_err("invalid");
        assert_eq!(err.code, Code::Encoding);
        assert_eq!(err.span.start, Pos { line: 2, column: 7 });
        let (text, warning) = decode(b"\xEF\xBB\xBFa: 1".to_vec()).expect("bom is fine");
        assert_eq!(text, "a: 1");
        assert_eq!(warning.map(|w| w.code), Some(Code::Encoding));
    }

    #[test]
    fn embedded_catalog_has_settings_taxonomy_and_tools() {
        let files = read_catalog(&Location::Embedded).expect("embedded catalog");
        assert!(files.taxonomy.text.is_ok());
        assert!(!files.tools.is_empty());
        assert!(
            files
                .tools
                .iter()
                .all(|t| t.name().starts_with(EMBEDDED_PREFIX))
        );
    }
}
