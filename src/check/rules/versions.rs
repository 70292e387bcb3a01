//! Releases: semantic versions, each once, with requirements in the semver
//! requirement syntax.

use std::fmt;

use super::{Context, Emit};
use crate::model::RawEntry;
use crate::model::raw::items;
use crate::schema::shown;

pub use crate::model::entry::parse_requirement;

/// Not a semantic version.
struct InvalidVersion<'a> {
    text: &'a str,
    error: semver::Error,
}

impl fmt::Display for InvalidVersion<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a semantic version ({}); ",
            shown(self.text),
            self.error
        )?;
        match completed_version(self.text) {
            Some(fixed) => write!(f, "did you mean `{fixed}`?"),
            None => f.write_str("write MAJOR.MINOR.PATCH such as `2.1.0`"),
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

/// A version listed twice.
struct DuplicateVersion<'a> {
    text: &'a str,
    first: usize,
}

impl fmt::Display for DuplicateVersion<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "version `{}` is listed twice (first as versions[{}]); remove one",
            shown(self.text),
            self.first
        )
    }
}

/// A requirement that does not parse.
struct InvalidRequirement<'a> {
    platform: &'a str,
    why: String,
}

impl fmt::Display for InvalidRequirement<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "requirement on `{}`: {}", shown(self.platform), self.why)
    }
}

crate::message_code!(
    InvalidVersion<'a> => InvalidVersion,
    DuplicateVersion<'a> => DuplicateVersion,
    InvalidRequirement<'a> => InvalidRequirement,
);

/// `invalid-version`, `duplicate-version` and `invalid-requirement`.
pub fn check(entry: &RawEntry, _ctx: &Context<'_>, out: &mut Emit<'_>) {
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (i, release) in items(&entry.versions) {
        if let Some(text) = release.version.as_deref() {
            let normal = match semver::Version::parse(text) {
                Ok(v) => v.to_string(),
                Err(error) => {
                    out.value(
                        format!("/versions/{i}/version"),
                        &InvalidVersion { text, error },
                    );
                    text.to_string()
                }
            };
            if let Some((_, first)) = seen.iter().find(|(v, _)| *v == normal) {
                out.value(
                    format!("/versions/{i}/version"),
                    &DuplicateVersion {
                        text,
                        first: *first,
                    },
                );
            } else {
                seen.push((normal, i));
            }
        }
        for (platform, requirement) in release.requires.iter().flatten() {
            let Some(requirement) = requirement else {
                continue;
            };
            if let Err(why) = parse_requirement(requirement) {
                out.value(
                    format!(
                        "/versions/{i}/requires/{}",
                        crate::load::yaml::escape_token(platform)
                    ),
                    &InvalidRequirement { platform, why },
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
