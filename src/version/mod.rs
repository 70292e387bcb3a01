//! Versions and requirements in each ecosystem's own rules.
//!
//! A platform's ecosystem follows from its package or runtime in the
//! taxonomy ([`Ecosystem::of_platform`]): PyPI packages and CPython use
//! PEP 440 versions and specifiers (with PEP 508 markers), npm packages and
//! Node.js node-semver ranges, crates and rustc Cargo's semver. Entries in
//! schema 1.x wrote every requirement in the `semver` crate's syntax; those
//! keep their old meaning ([`Rules::Legacy`]) until `migrate` rewrites them
//! ([`translate`]).
//!
//! A requirement is one or more clauses, each a text as written upstream
//! (`<2.0.0,>=1.23.5; python_version < "3.13"`), and it is checked against
//! a stack's version text and marker environment with three outcomes and a
//! fourth for a clause whose marker does not apply ([`Verdict`]).

pub mod marker;
pub mod pep440;
pub mod release;

use crate::purl::pep503;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

pub use marker::{Environment, Marker};
pub use pep440::PreReleases;
pub use release::{ReleaseVersion, VersionRules};

/// The version rules of a platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ecosystem {
    /// PEP 440 versions and specifiers, PEP 508 markers (PyPI, CPython).
    Pep440,
    /// node-semver ranges (npm, Node.js).
    Node,
    /// Cargo's semver requirements (crates, rustc, and any platform whose
    /// taxonomy term names no package or runtime of a known kind).
    Cargo,
}

impl Ecosystem {
    /// The ecosystem of a taxonomy platform with this `package` purl or
    /// `runtime` name.
    pub fn of_platform(package: Option<&str>, runtime: Option<&str>) -> Ecosystem {
        if let Some(p) = package {
            let p = p.to_ascii_lowercase();
            if p.starts_with("pkg:pypi/") {
                return Ecosystem::Pep440;
            }
            if p.starts_with("pkg:npm/") {
                return Ecosystem::Node;
            }
            return Ecosystem::Cargo;
        }
        match runtime.map(str::to_ascii_lowercase).as_deref() {
            Some("cpython" | "python" | "pypy") => Ecosystem::Pep440,
            Some("nodejs" | "node") => Ecosystem::Node,
            _ => Ecosystem::Cargo,
        }
    }

    /// The name of the rules, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Ecosystem::Pep440 => "PEP 440",
            Ecosystem::Node => "node-semver",
            Ecosystem::Cargo => "Cargo semver",
        }
    }

    /// An example requirement, for messages.
    pub fn example(self) -> &'static str {
        match self {
            Ecosystem::Pep440 => "`>=3.9,<3.13`, `~=1.4.2`, `!=2.0.*,>=1.8` or `==2.4.*`",
            Ecosystem::Node => "`>=20.0.0`, `^20.19.0 || >=22.12.0` or `18.x`",
            Ecosystem::Cargo => "`>=1.88`, `^2.1` or `~4.40`",
        }
    }
}

/// How an entry's requirement texts are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rules {
    /// Schema 1.x: the `semver` crate's syntax, bare versions refused,
    /// whatever the platform.
    Legacy,
    /// Schema 2.x: the platform's own ecosystem.
    Native(Ecosystem),
}

/// What a platform is, as requirements need it: its rules and whether it
/// is a package (whose name a PEP 508 requirement may repeat) or a runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target<'a> {
    /// How the text is read.
    pub rules: Rules,
    /// What the platform is.
    pub kind: PlatformKind<'a>,
}

/// A platform as the taxonomy describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlatformKind<'a> {
    /// A package, by its name on its registry.
    Package(&'a str),
    /// A runtime or toolchain (CPython, Node.js, rustc, CUDA).
    Runtime,
    /// Not known (no taxonomy at hand): names are not checked.
    Unknown,
}

impl<'a> Target<'a> {
    /// The target of a taxonomy platform with this `package` purl and
    /// `runtime`, for an entry of schema major version `major`.
    pub fn of_platform(package: Option<&'a str>, runtime: Option<&str>, major: u64) -> Target<'a> {
        let rules = if major < 2 {
            Rules::Legacy
        } else {
            Rules::Native(Ecosystem::of_platform(package, runtime))
        };
        let kind = match package {
            Some(p) => PlatformKind::Package(purl_name(p)),
            None if runtime.is_some() => PlatformKind::Runtime,
            None => PlatformKind::Unknown,
        };
        Target { rules, kind }
    }

    /// The package name, when the platform is a package.
    pub fn package(&self) -> Option<&'a str> {
        match self.kind {
            PlatformKind::Package(p) => Some(p),
            _ => None,
        }
    }
}

/// The name part of a purl without version: `pkg:pypi/torch` is `torch`.
fn purl_name(purl: &str) -> &str {
    let body = purl.split(['@', '?', '#']).next().unwrap_or(purl);
    body.rsplit('/').next().unwrap_or(body)
}

/// One clause of a requirement.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    text: Box<str>,
    spec: Spec,
    /// Boxed: most clauses have none, and a catalog keeps many clauses.
    marker: Option<Box<Marker>>,
}

#[derive(Debug, Clone, PartialEq)]
enum Spec {
    Legacy(semver::VersionReq),
    Pep440(pep440_rs::VersionSpecifiers),
    Node(nodejs_semver::Range),
    Cargo(semver::VersionReq),
}

impl Clause {
    /// The clause as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Its marker, if it has one.
    pub fn marker(&self) -> Option<&Marker> {
        self.marker.as_deref()
    }

    /// Whether the version (as the stack writes it) meets the clause's
    /// version part, markers aside; `Err` says why the version is not one
    /// of the ecosystem's.
    pub fn contains(&self, version: &str, pre: PreReleases) -> Result<bool, String> {
        let version = version.trim();
        match &self.spec {
            Spec::Legacy(req) => {
                let v = legacy::parse_version(version)?;
                Ok(req.matches(&legacy::comparable(&v)))
            }
            Spec::Pep440(specs) => {
                let v = pep440::parse_version(version)?;
                Ok(pep440::contains(specs, &v, pre))
            }
            Spec::Node(range) => {
                let v = node_version(version)?;
                Ok(range.satisfies_with_prerelease(&v, pre == PreReleases::Allow))
            }
            Spec::Cargo(req) => {
                let v = legacy::parse_version(version)?;
                Ok(req.matches(&v))
            }
        }
    }
}

fn node_version(text: &str) -> Result<nodejs_semver::Version, String> {
    let body = text.strip_prefix(['v', 'V']).unwrap_or(text);
    if let Ok(v) = nodejs_semver::Version::parse(body) {
        return Ok(v);
    }
    let padded = match body.matches('.').count() {
        0 => format!("{body}.0.0"),
        1 => format!("{body}.0"),
        _ => body.to_string(),
    };
    nodejs_semver::Version::parse(&padded).map_err(|_| {
        format!(
            "`{}` is not a node-semver version",
            crate::text::shown(text)
        )
    })
}

/// A requirement on one platform: one clause, or several (one per
/// `Requires-Dist` line, usually with different markers), all of which
/// apply where their markers hold. The clauses are shared: a clone costs a
/// reference count, so that the entries of a catalog that state the same
/// requirement can hold one copy of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    clauses: Arc<[Clause]>,
    listed: bool,
}

/// The outcome of checking a requirement against a stack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The stack's version meets every clause that applies.
    Met,
    /// A clause that applies is not met.
    Fails,
    /// No clause applies: every marker is false in the stack's environment.
    NotApplicable,
    /// A clause is not met, but whether it applies depends on these marker
    /// variables, which the stack's environment does not give.
    Unknown(Vec<&'static str>),
    /// The stack's version is not a version of the platform's ecosystem.
    BadVersion(String),
}

impl Requirement {
    /// Parses one requirement text for `target`.
    pub fn parse(text: &str, target: Target<'_>) -> Result<Requirement, String> {
        Ok(Requirement {
            clauses: vec![parse_clause(text, target)?].into(),
            listed: false,
        })
    }

    /// Parses a list of requirement texts for `target` (schema 2.x only);
    /// the error names the item.
    pub fn parse_list(texts: &[&str], target: Target<'_>) -> Result<Requirement, (usize, String)> {
        if target.rules == Rules::Legacy {
            return Err((
                0,
                "a list of requirements needs schema 2.0.0; write one requirement, or run `alliance-catalog migrate`".into(),
            ));
        }
        if texts.is_empty() {
            return Err((0, "the list of requirements is empty".into()));
        }
        let clauses = texts
            .iter()
            .enumerate()
            .map(|(i, t)| parse_clause(t, target).map_err(|e| (i, e)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Requirement {
            clauses: clauses.into(),
            listed: true,
        })
    }

    /// The clauses, in the order written.
    pub fn clauses(&self) -> &[Clause] {
        &self.clauses
    }

    /// Whether the entry wrote a list (even of one).
    pub fn is_list(&self) -> bool {
        self.listed
    }

    /// Checks the stack's `version` of the platform in environment `env`.
    /// A version present in a stack is installed (or chosen) already, so
    /// PEP 440 admits it even when it is a pre-release; the ordering rules
    /// (`<2.6` excludes `2.6.0rc1`) still apply.
    pub fn check(&self, version: &str, env: &Environment) -> Verdict {
        let mut unknown: Vec<&'static str> = Vec::new();
        let mut considered = false;
        let mut fails = false;
        for clause in self.clauses.iter() {
            let applies = clause
                .marker
                .as_ref()
                .map_or(Some(true), |m| m.evaluate(env));
            if applies == Some(false) {
                continue;
            }
            considered = true;
            match clause.contains(version, PreReleases::Allow) {
                Err(why) => return Verdict::BadVersion(why),
                Ok(true) => {}
                Ok(false) if applies.is_some() => fails = true,
                Ok(false) => {
                    let vars = clause.marker.as_deref().map(Marker::variables);
                    for v in vars.unwrap_or_default() {
                        if !env.contains_key(v) && !unknown.contains(&v) {
                            unknown.push(v);
                        }
                    }
                }
            }
        }
        if fails {
            Verdict::Fails
        } else if !unknown.is_empty() {
            Verdict::Unknown(unknown)
        } else if considered {
            Verdict::Met
        } else {
            Verdict::NotApplicable
        }
    }
}

impl Requirement {
    /// The clauses that may apply in `env` (those whose marker is not
    /// false there), joined with ` | `; every clause when none may.
    pub fn applicable_text(&self, env: &Environment) -> String {
        let texts: Vec<&str> = self
            .clauses
            .iter()
            .filter(|c| {
                c.marker
                    .as_ref()
                    .is_none_or(|m| m.evaluate(env) != Some(false))
            })
            .map(|c| c.as_str())
            .collect();
        if texts.is_empty() {
            self.to_string()
        } else {
            texts.join(" | ")
        }
    }
}

impl fmt::Display for Requirement {
    /// The clauses as written, joined with ` | ` when there are several.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, c) in self.clauses.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            f.write_str(&c.text)?;
        }
        Ok(())
    }
}

fn parse_clause(text: &str, target: Target<'_>) -> Result<Clause, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err("the requirement is empty".into());
    }
    match target.rules {
        Rules::Legacy => Ok(Clause {
            text: text.into(),
            spec: Spec::Legacy(legacy::parse_requirement(text)?),
            marker: None,
        }),
        Rules::Native(Ecosystem::Pep440) => parse_pep508(text, target.kind),
        Rules::Native(eco) => {
            if trimmed.contains(';') {
                return Err(format!(
                    "environment markers (`; …`) belong to PEP 508 requirements; {} requirements have none",
                    eco.name()
                ));
            }
            let spec = match eco {
                Ecosystem::Node => {
                    Spec::Node(nodejs_semver::Range::parse(trimmed).map_err(|_| {
                        format!(
                            "`{}` is not a node-semver range; write e.g. {}",
                            crate::text::shown(trimmed),
                            eco.example()
                        )
                    })?)
                }
                _ => Spec::Cargo(semver::VersionReq::parse(trimmed).map_err(|e| {
                    format!("{e}; write a Cargo requirement such as {}", eco.example())
                })?),
            };
            Ok(Clause {
                text: text.into(),
                spec,
                marker: None,
            })
        }
    }
}

/// `[NAME[EXTRAS]] [SPECIFIERS] [; MARKER]`, as PyPI's `Requires-Python`
/// (specifiers only) and `Requires-Dist` (with the name) write them.
fn parse_pep508(text: &str, kind: PlatformKind<'_>) -> Result<Clause, String> {
    let package = match kind {
        PlatformKind::Package(p) => Some(p),
        _ => None,
    };
    let (body, marker) = match text.split_once(';') {
        Some((b, m)) => (b, Some(m)),
        None => (text, None),
    };
    let body = body.trim();
    let mut rest = body;
    let starts_name = rest.starts_with(|c: char| c.is_ascii_alphabetic());
    if rest.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(format!(
            "`{}` is a bare version, which PEP 440 does not accept as a specifier; write `=={0}` (exactly) or `>={0}` (at least)",
            crate::text::shown(rest)
        ));
    }
    if starts_name {
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
            .unwrap_or(rest.len());
        let name = &rest[..len];
        match kind {
            PlatformKind::Unknown => {}
            PlatformKind::Runtime => {
                return Err(format!(
                    "`{}` names a package, but this platform is a runtime: write its version specifiers alone, e.g. `>=3.9`",
                    crate::text::shown(name)
                ));
            }
            PlatformKind::Package(p) if pep503(name) != pep503(p) => {
                return Err(format!(
                    "the requirement names the package `{}`, but this platform's package is `{p}`",
                    crate::text::shown(name)
                ));
            }
            PlatformKind::Package(_) => {}
        }
        rest = rest[len..].trim_start();
        if let Some(extras) = rest.strip_prefix('[') {
            let end = extras
                .find(']')
                .ok_or("the extras `[…]` of the requirement are not closed")?;
            let names = &extras[..end];
            if names.split(',').any(|e| {
                e.trim().is_empty()
                    || !e
                        .trim()
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            }) {
                return Err(format!(
                    "`[{}]` is not a list of extras",
                    crate::text::shown(names)
                ));
            }
            rest = extras[end + 1..].trim_start();
        }
        if rest.starts_with('@') {
            return Err("a direct reference (`name @ URL`) is not a version requirement; write version specifiers".into());
        }
        if let Some(inner) = rest.strip_prefix('(') {
            rest = inner
                .strip_suffix(')')
                .ok_or("the `(` around the specifiers is not closed")?
                .trim();
        }
    } else if body.is_empty() && marker.is_none() {
        return Err("the requirement is empty".into());
    }
    if !starts_name && body.is_empty() {
        return Err(match package {
            Some(p) => format!(
                "a marker needs a requirement before it; for any version write the package name, e.g. `{p}; …`"
            ),
            None => "a marker needs version specifiers before it, e.g. `>=3.9; …`".into(),
        });
    }
    let specs = pep440_rs::VersionSpecifiers::from_str(rest).map_err(|e| {
        let why = semver_hint(rest).unwrap_or_else(|| {
            e.to_string()
                .lines()
                .next()
                .unwrap_or("not a PEP 440 specifier")
                .trim_end_matches(':')
                .to_string()
        });
        format!(
            "{why}; write PEP 440 specifiers separated by commas, such as {}",
            Ecosystem::Pep440.example()
        )
    })?;
    let marker = match marker {
        None => None,
        Some(m) if m.trim().is_empty() => return Err("the marker after `;` is empty".into()),
        Some(m) => {
            let m = Marker::parse(m)?;
            if m.variables().contains(&"extra") {
                return Err("a requirement of an optional extra (`extra == …`) is not a requirement of the tool; name the extra in the release's notes".into());
            }
            Some(Box::new(m))
        }
    };
    Ok(Clause {
        text: text.into(),
        spec: Spec::Pep440(specs),
        marker,
    })
}

/// What to say of a specifier written in another ecosystem's syntax.
fn semver_hint(text: &str) -> Option<String> {
    let t = text.trim();
    let shown = crate::text::shown(t);
    if t.starts_with('^') {
        return Some(format!(
            "`{shown}` is semver's caret, which PEP 440 does not have (`^2.4` is `>=2.4,<3`)"
        ));
    }
    if t.starts_with('~') && !t.starts_with("~=") {
        return Some(format!(
            "`{shown}` is semver's tilde; PEP 440's compatible release is `~=` (`~=2.4.0` is `>=2.4.0,<2.5`)"
        ));
    }
    if t == "*" || t.ends_with(".x") || (t.contains('*') && !t.contains("==") && !t.contains("!="))
    {
        return Some(format!(
            "`{shown}` is a semver wildcard; PEP 440 writes `==2.*`, and any version as the package name alone"
        ));
    }
    if t.contains("||") {
        return Some(format!(
            "`{shown}` has `||`, which PEP 440 does not have; a requirement is one range"
        ));
    }
    let comparators = t
        .split_whitespace()
        .filter(|w| w.starts_with(['<', '>', '=', '!']))
        .count();
    if !t.contains(',') && comparators > 1 {
        return Some(format!(
            "`{shown}` separates its specifiers with spaces; PEP 440 separates them with commas"
        ));
    }
    None
}

pub mod legacy;

pub use legacy::{Translation, translate};
