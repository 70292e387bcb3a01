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
            "`{}` is not a semantic version ({}); write MAJOR.MINOR.PATCH such as `2.1.0`",
            shown(self.text),
            self.error
        )
    }
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
