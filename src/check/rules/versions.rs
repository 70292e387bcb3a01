//! Releases: versions in the rules of the entry's package (PEP 440 for a
//! PyPI package in schema 2.x, semantic versions otherwise), each once, with requirements in the syntax
//! of each platform's ecosystem (schema 2.x: PEP 440 and PEP 508 for PyPI
//! packages and Python, node-semver for npm and Node.js, Cargo's semver for
//! crates and rustc), or in the `semver` crate's syntax (schema 1.x).

use std::fmt;

use super::{Context, Emit};
use crate::model::RawEntry;
use crate::model::raw::items;
use crate::schema::shown;

pub use crate::model::entry::parse_requirement;
use crate::model::entry::{first_package, target_of};
use crate::model::raw::RawRequirement;
use crate::version::release::InvalidReleaseVersion;
use crate::version::{ReleaseVersion, Requirement, Rules, VersionRules};

/// Not a version in the rules of the entry's package: PEP 440 for a PyPI
/// package in schema 2.x, semver otherwise.
struct InvalidVersion<'a> {
    text: &'a str,
    error: InvalidReleaseVersion,
}

impl fmt::Display for InvalidVersion<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.error.rules {
            VersionRules::Pep440 => write!(
                f,
                "`{}` is not a PEP 440 version ({}), which the releases of a PyPI package follow; write the version as PyPI lists it, such as `0.10.3.1`, `1.0.0.post1` or `2.4.0rc1`",
                shown(self.text),
                self.error.reason
            ),
            VersionRules::Semver => {
                write!(
                    f,
                    "`{}` is not a semantic version ({}); ",
                    shown(self.text),
                    self.error.reason
                )?;
                match completed_version(self.text) {
                    Some(fixed) => write!(f, "did you mean `{fixed}`?"),
                    None => f.write_str("write MAJOR.MINOR.PATCH such as `2.1.0` (in schema 2.0.0 the releases of a PyPI package follow PEP 440 instead)"),
                }
            }
        }
    }
}

/// A version with parts missing, completed (`3.3` is `3.3.0`, `v2` is
/// `2.0.0`); `None` when that does not make a semantic version.
pub fn completed_version(text: &str) -> Option<String> {
    let bare = text.trim().trim_start_matches(['v', 'V']);
    let parts: Vec<&str> = bare.split('.').collect();
    if parts.is_empty()
        || parts.len() > 3
        || !parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let mut parts = parts;
    while parts.len() < 3 {
        parts.push("0");
    }
    let fixed = parts.join(".");
    (fixed != text && semver::Version::parse(&fixed).is_ok()).then_some(fixed)
}

/// A version listed twice (in the ecosystem's normal form: `1.0` and
/// `1.0.0` are one PEP 440 version).
struct DuplicateVersion<'a> {
    text: &'a str,
    first: usize,
    first_text: &'a str,
}

impl fmt::Display for DuplicateVersion<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "version `{}` is listed twice (first as versions[{}]",
            shown(self.text),
            self.first
        )?;
        if self.first_text != self.text {
            write!(f, ", `{}`", shown(self.first_text))?;
        }
        f.write_str("); remove one")
    }
}

/// A requirement that does not parse.
struct InvalidRequirement<'a> {
    platform: &'a str,
    why: String,
    rules: Rules,
    /// Whether the text reads in the platform's own syntax (schema 2.0.0).
    native_ok: bool,
}

impl fmt::Display for InvalidRequirement<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rules = match self.rules {
            Rules::Legacy => "schema 1.x, semver syntax".to_string(),
            Rules::Native(e) => e.name().to_string(),
        };
        write!(
            f,
            "requirement on `{}` ({rules}): {}",
            shown(self.platform),
            self.why
        )?;
        if self.native_ok {
            f.write_str(
                "; this is valid in schema 2.0.0, where requirements are written in each ecosystem's own syntax: run `alliance-catalog migrate`",
            )?;
        }
        Ok(())
    }
}

crate::message_code!(
    InvalidVersion<'a> => InvalidVersion,
    DuplicateVersion<'a> => DuplicateVersion,
    InvalidRequirement<'a> => InvalidRequirement,
);

/// `invalid-version`, `duplicate-version` and `invalid-requirement`.
pub fn check(entry: &RawEntry, ctx: &Context<'_>, out: &mut Emit<'_>) {
    let major = entry
        .schema_version
        .as_deref()
        .and_then(|v| semver::Version::parse(v).ok())
        .map_or(crate::check::SCHEMA_MAJOR, |v| v.major);
    let rules = VersionRules::of_entry(major, first_package(&entry.packages));
    let mut seen: Vec<(String, usize, &str)> = Vec::new();
    for (i, release) in items(&entry.versions) {
        if let Some(text) = release.version.as_deref() {
            let normal = match ReleaseVersion::parse(text, rules) {
                Ok(v) => v.normalized(),
                Err(error) => {
                    out.value(
                        format!("/versions/{i}/version"),
                        &InvalidVersion { text, error },
                    );
                    text.to_string()
                }
            };
            if let Some((_, first, first_text)) = seen.iter().find(|(v, _, _)| *v == normal) {
                out.value(
                    format!("/versions/{i}/version"),
                    &DuplicateVersion {
                        text,
                        first: *first,
                        first_text,
                    },
                );
            } else {
                seen.push((normal, i, text));
            }
        }
        for (platform, requirement) in release.requires.iter().flatten() {
            let Some(requirement) = requirement else {
                continue;
            };
            let target = target_of(ctx.taxonomy, platform, major);
            let at = format!(
                "/versions/{i}/requires/{}",
                crate::load::yaml::escape_token(platform)
            );
            let error = match requirement {
                RawRequirement::One(text) => Requirement::parse(text, target)
                    .err()
                    .map(|why| (at.clone(), why, Some(text.as_str()))),
                RawRequirement::Many(items) => {
                    let texts: Vec<&str> = items.iter().flatten().map(String::as_str).collect();
                    if texts.len() < items.len() {
                        None
                    } else {
                        Requirement::parse_list(&texts, target)
                            .err()
                            .map(|(n, why)| {
                                if target.rules == Rules::Legacy {
                                    (at.clone(), why, None)
                                } else {
                                    (format!("{at}/{n}"), why, None)
                                }
                            })
                    }
                }
            };
            if let Some((pointer, why, text)) = error {
                let native_ok = target.rules == Rules::Legacy
                    && text.is_some_and(|t| {
                        Requirement::parse(t, target_of(ctx.taxonomy, platform, 2)).is_ok()
                    });
                out.value(
                    pointer,
                    &InvalidRequirement {
                        platform,
                        why,
                        rules: target.rules,
                        native_ok,
                    },
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn short_versions_are_completed() {
        assert_eq!(super::completed_version("3.3").as_deref(), Some("3.3.0"));
        assert_eq!(super::completed_version("v2").as_deref(), Some("2.0.0"));
        assert_eq!(super::completed_version("1.2.3"), None);
        assert_eq!(super::completed_version("1.x"), None);
    }

    use super::parse_requirement;

    #[test]
    fn requirements_refuse_bare_versions() {
        assert!(parse_requirement(">=3.9, <3.13").is_ok());
        assert!(parse_requirement("^2.1").is_ok());
        assert!(parse_requirement("2.*").is_ok());
        assert!(parse_requirement("*").is_ok());
        let err = parse_requirement("2.1").expect_err("bare");
        assert!(err.contains("^2.1"), "{err}");
        assert!(parse_requirement(">=3.9 <3.13").is_err());
        assert!(parse_requirement(">=banana").is_err());
    }
}

/// `advisories` in an entry written in a schema version before 2.2.0.
struct AdvisoriesNeedSchema22<'a> {
    version: &'a str,
}

impl fmt::Display for AdvisoriesNeedSchema22<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`advisories` came with schema version 2.2.0, but this entry says `schema_version: {}`; write `schema_version: 2.2.0`",
            shown(self.version)
        )
    }
}

crate::message_code!(AdvisoriesNeedSchema22<'a> => InvalidAdvisory);

/// `invalid-advisory`: release advisories need schema 2.2.0.
pub fn advisories(entry: &RawEntry, _ctx: &Context<'_>, out: &mut Emit<'_>) {
    let Some(version) = entry.schema_version.as_deref() else {
        return;
    };
    if !semver::Version::parse(version).is_ok_and(|v| v.major == 2 && v.minor < 2) {
        return;
    }
    for (i, release) in items(&entry.versions) {
        if release.advisories.is_some() {
            out.value(
                format!("/versions/{i}/advisories"),
                &AdvisoriesNeedSchema22 { version },
            );
        }
    }
}
