//! Stacks for compatibility reports: the platforms (and versions) a team
//! runs, with where each version was read and the marker environment where
//! it is known. This module reads the stack's own TOML file and
//! `NAME=VERSION` pairs; `crate::stack` reads what practitioners have
//! (`pip freeze`, lock files, conda, SBOMs, installed environments).

use std::collections::BTreeMap;

use serde::Deserialize;
use thiserror::Error;

use crate::model::{Taxonomy, Vocabulary};
use crate::suggest::closest;

/// A version as the source wrote it, with the semver version it reads as
/// and where it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackVersion {
    /// Exactly as the source wrote it (`2.5.1+cu121`, `2.4.0rc1`, `3.11`).
    pub text: String,
    /// As compared today: the lenient reading of [`parse_version`].
    pub version: semver::Version,
    /// Where it was read: `file:line` (`-:3` for standard input), or the
    /// `--with` argument; `None` when built in code.
    pub origin: Option<String>,
}

impl Default for StackVersion {
    /// `0.0.0`, read from nowhere: only for filling in the other fields.
    fn default() -> Self {
        StackVersion {
            text: "0.0.0".into(),
            version: semver::Version::new(0, 0, 0),
            origin: None,
        }
    }
}

impl StackVersion {
    /// The version `text` read leniently, from `origin`.
    pub fn read(text: &str, origin: Option<String>) -> Result<StackVersion, String> {
        Ok(StackVersion {
            version: parse_version(text)?,
            text: text.to_string(),
            origin,
        })
    }
}

/// The PEP 508 marker environment of a stack: marker variable name
/// (`python_version`, `python_full_version`, `sys_platform`,
/// `platform_machine`, `platform_system`, `os_name`, `implementation_name`,
/// `platform_release`, ...) -> its value, as the source gave it. Only the
/// variables a source states are present.
pub type Environment = BTreeMap<String, String>;

/// A stack: a name, platform id -> version, and the marker environment.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Stack {
    /// The stack's name, if it has one.
    pub name: Option<String>,
    /// Platform id -> version.
    pub platforms: BTreeMap<String, StackVersion>,
    /// PEP 508 marker variables the stack is known to have (name -> value,
    /// e.g. `sys_platform` -> `linux`), where a source states them (`pip
    /// inspect`, `pyvenv.cfg`, a conda export's platform); `python_version`
    /// and `python_full_version` follow from the `python` platform when
    /// absent. Empty when unknown.
    pub environment: Environment,
}

/// Why a stack could not be read (exit code 2).
#[derive(Debug, Error, PartialEq, Eq)]
#[error("{origin}: {message}")]
pub struct StackError {
    /// `file:line:col`, or the `--with` argument.
    pub origin: String,
    /// What is wrong and what to do.
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStack {
    name: Option<String>,
    #[serde(default)]
    platforms: BTreeMap<toml::Spanned<String>, toml::Spanned<toml::Value>>,
}

pub use crate::version::legacy::{comparable, parse_version};

/// The platform whose package is the PyPI (or npm, or crates.io) package
/// `name` (compared in PEP 503 form): `torch` is the package of `pytorch`.
pub fn platform_of_package<'a>(taxonomy: &'a Taxonomy, name: &str) -> Option<&'a str> {
    let wanted = crate::purl::pep503(name);
    taxonomy.platforms.iter().find_map(|t| {
        let purl = crate::purl::Purl::parse(t.package.as_deref()?).ok()?;
        (crate::purl::pep503(&purl.registry_name()) == wanted).then_some(t.id.as_str())
    })
}

fn check_platform(taxonomy: &Taxonomy, id: &str) -> Result<(), String> {
    if taxonomy.contains(Vocabulary::Platforms, id) {
        return Ok(());
    }
    if let Some(platform) = platform_of_package(taxonomy, id) {
        return Err(format!(
            "`{}` is the package of the platform `{platform}`; did you mean `{platform}`?",
            crate::text::shown(id)
        ));
    }
    let ids = taxonomy.platforms.iter().map(|t| t.id.as_str());
    let hint = match closest(id, ids.clone()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("the platforms are: {}", ids.collect::<Vec<_>>().join(", ")),
    };
    Err(format!(
        "`{}` is not a platform of the taxonomy; {hint}",
        crate::text::shown(id)
    ))
}

impl Stack {
    /// The marker environment requirements are evaluated in: the known
    /// variables, with `python_version` (`3.12`) and `python_full_version`
    /// (`3.12.4`) taken from the `python` platform when the stack has it
    /// and they are not given.
    pub fn marker_environment(&self) -> BTreeMap<String, String> {
        let mut env = self.environment.clone();
        if let Some(py) = self.platforms.get("python") {
            let text = py.text.trim().trim_start_matches(['v', 'V']);
            if let Ok(v) = text.parse::<pep440_rs::Version>() {
                let r = v.release();
                let minor = r.get(1).copied().unwrap_or(0);
                env.entry("python_version".into())
                    .or_insert_with(|| format!("{}.{minor}", r.first().copied().unwrap_or(0)));
                env.entry("python_full_version".into())
                    .or_insert_with(|| text.to_string());
            }
        }
        env
    }

    /// Reads a stack file; `file` names it in errors.
    pub fn from_toml(file: &str, text: &str, taxonomy: &Taxonomy) -> Result<Stack, StackError> {
        let at = |offset: usize| {
            let (l, c) = crate::source::line_column(text, offset);
            format!("{file}:{l}:{c}")
        };
        let raw: RawStack = toml::from_str(text).map_err(|e| StackError {
            origin: at(e.span().map_or(0, |s| s.start)),
            message: e.message().trim().to_string(),
        })?;
        let mut stack = Stack {
            name: raw.name,
            ..Stack::default()
        };
        for (key, value) in raw.platforms {
            let id = key.get_ref();
            check_platform(taxonomy, id).map_err(|message| StackError {
                origin: at(key.span().start),
                message,
            })?;
            let text_value = match value.get_ref() {
                toml::Value::String(s) => s.clone(),
                _ => {
                    let written = text.get(value.span()).unwrap_or("").trim();
                    return Err(StackError {
                        origin: at(value.span().start),
                        message: format!(
                            "write the version of `{id}` as a string in quotes: {id} = \"{written}\" (TOML reads an unquoted {written} as a number, where 3.10 is 3.1)"
                        ),
                    });
                }
            };
            let version = parse_version(&text_value).map_err(|message| StackError {
                origin: at(value.span().start),
                message,
            })?;
            let line = crate::source::line_column(text, value.span().start).0;
            stack.platforms.insert(
                id.clone(),
                StackVersion {
                    text: text_value,
                    version,
                    origin: Some(format!("{file}:{line}")),
                },
            );
        }
        Ok(stack)
    }

    /// Adds or replaces a platform from one `NAME=VERSION` argument (the
    /// command line splits comma-separated pairs before).
    pub fn set(&mut self, argument: &str, taxonomy: &Taxonomy) -> Result<(), StackError> {
        let err = |message: String| StackError {
            origin: format!("--with {argument}"),
            message,
        };
        let (id, version) = argument
            .split_once('=')
            .ok_or_else(|| err("write NAME=VERSION, e.g. --with python=3.12".into()))?;
        let id = id.trim();
        if let Some(rest) = version.strip_prefix(['=', '~', '>', '<', '!']) {
            let pin = rest.trim_start_matches(['=', '~', '>', '<', '!']).trim();
            let ours = platform_of_package(taxonomy, id)
                .filter(|_| !taxonomy.contains(Vocabulary::Platforms, id))
                .unwrap_or(id);
            return Err(err(format!(
                "--with takes one exact version after a single `=`, not a requirement; did you mean `{}={}`?",
                crate::text::shown(ours),
                crate::text::shown(pin)
            )));
        }
        check_platform(taxonomy, id).map_err(err)?;
        let parsed = parse_version(version).map_err(err)?;
        self.platforms.insert(
            id.to_string(),
            StackVersion {
                text: version.trim().to_string(),
                version: parsed,
                origin: Some(format!("--with {argument}")),
            },
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> String {
        parse_version(text)
            .map(|v| v.to_string())
            .unwrap_or_else(|e| format!("error: {e}"))
    }

    #[test]
    fn lenient_versions() {
        assert_eq!(v("3.12"), "3.12.0");
        assert_eq!(v("3"), "3.0.0");
        assert_eq!(v("v1.2.3"), "1.2.3");
        assert_eq!(v("2.3.1+cu121"), "2.3.1+cu121");
        assert_eq!(v("2.4.0rc1"), "2.4.0-rc.1");
        assert_eq!(v("2.4.0a2"), "2.4.0-alpha.2");
        assert_eq!(v("2.4.0b1"), "2.4.0-beta.1");
        assert_eq!(v("2.4.0.dev0"), "2.4.0-dev.0");
        assert_eq!(v("2.4.0.post1"), "2.4.0+post1");
        assert_eq!(v("1.2.3.4"), "1.2.3+4");
        assert_eq!(v("12.4"), "12.4.0");
        assert!(v("banana").starts_with("error"));
        assert!(v("3.x").starts_with("error"));
        assert!(v("").starts_with("error"));
    }

    #[test]
    fn comparisons_ignore_build_and_check_prereleases_as_releases() {
        let req = semver::VersionReq::parse(">=2.3").expect("req");
        let local = parse_version("2.3.1+cu121").expect("version");
        assert!(req.matches(&comparable(&local)));
        let rc = parse_version("2.5.0rc1").expect("version");
        assert!(!req.matches(&rc), "semver alone refuses pre-releases");
        assert!(req.matches(&comparable(&rc)));
    }
}
