//! A release's own version, in the rules of the entry's package: PEP 440
//! for a PyPI package in schema 2.x (`0.10.3.1`, `1.0.0.post1`,
//! `2.4.0rc1`), semantic versioning otherwise (npm, crates, GitHub,
//! Hugging Face, no package, and every schema 1.x entry).
//!
//! The text is kept exactly as written, for display and output; releases of
//! one entry compare by the ecosystem's ordering.

use std::cmp::Ordering;
use std::fmt;

/// The rules a release version follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VersionRules {
    /// PEP 440 (a PyPI package, schema 2.x).
    Pep440,
    /// Semantic versioning 2.0.0.
    Semver,
}

impl VersionRules {
    /// The rules for the releases of an entry of schema major version
    /// `major` whose first package is `first_package` (a purl).
    pub fn of_entry(major: u64, first_package: Option<&str>) -> VersionRules {
        let pypi = first_package.is_some_and(|p| {
            p.trim()
                .get(..9)
                .is_some_and(|s| s.eq_ignore_ascii_case("pkg:pypi/"))
        });
        if major >= 2 && pypi {
            VersionRules::Pep440
        } else {
            VersionRules::Semver
        }
    }

    /// The name of the rules, for messages.
    pub fn name(self) -> &'static str {
        match self {
            VersionRules::Pep440 => "PEP 440",
            VersionRules::Semver => "semantic versioning",
        }
    }
}

/// The ordering key of a release version.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum VersionKey {
    /// A semantic version.
    Semver(semver::Version),
    /// A PEP 440 version (normalised: `1.0` equals `1.0.0`).
    Pep440(pep440_rs::Version),
}

impl VersionKey {
    fn rank(&self) -> u8 {
        match self {
            VersionKey::Semver(_) => 0,
            VersionKey::Pep440(_) => 1,
        }
    }
}

impl Ord for VersionKey {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (VersionKey::Semver(a), VersionKey::Semver(b)) => a.cmp(b),
            (VersionKey::Pep440(a), VersionKey::Pep440(b)) => a.cmp(b),
            // The releases of one entry share their rules; a total order
            // across rules only keeps sorting well defined.
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

impl PartialOrd for VersionKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// A release version as written, with its ordering key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReleaseVersion {
    text: Box<str>,
    key: VersionKey,
}

/// Why a text is not a version under its rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidReleaseVersion {
    /// The rules applied.
    pub rules: VersionRules,
    /// The parser's reason.
    pub reason: String,
}

impl ReleaseVersion {
    /// Reads `text` under `rules`, keeping the text as written.
    pub fn parse(text: &str, rules: VersionRules) -> Result<ReleaseVersion, InvalidReleaseVersion> {
        let key = match rules {
            VersionRules::Semver => semver::Version::parse(text)
                .map(VersionKey::Semver)
                .map_err(|e| e.to_string()),
            VersionRules::Pep440 => {
                // PEP 440 normalises surrounding spaces away; a catalog
                // version is written without them.
                if text.trim() != text || text.is_empty() {
                    Err("leading or trailing whitespace, or empty".to_string())
                } else {
                    text.parse::<pep440_rs::Version>()
                        .map(VersionKey::Pep440)
                        .map_err(|e| e.to_string())
                }
            }
        }
        .map_err(|reason| InvalidReleaseVersion { rules, reason })?;
        Ok(ReleaseVersion {
            text: text.into(),
            key,
        })
    }

    /// A semantic version, written in its canonical form.
    pub fn from_semver(v: semver::Version) -> ReleaseVersion {
        ReleaseVersion {
            text: v.to_string().into(),
            key: VersionKey::Semver(v),
        }
    }

    /// The version as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The ordering key.
    pub fn key(&self) -> &VersionKey {
        &self.key
    }

    /// The rules the version follows.
    pub fn rules(&self) -> VersionRules {
        match self.key {
            VersionKey::Semver(_) => VersionRules::Semver,
            VersionKey::Pep440(_) => VersionRules::Pep440,
        }
    }

    /// Whether the version is a pre-release: a semver pre-release
    /// (`2.0.0-rc.1`), or a PEP 440 pre- or development release
    /// (`2.4.0rc1`, `1.0.dev3`; a post-release `1.0.post1` is final).
    pub fn is_prerelease(&self) -> bool {
        match &self.key {
            VersionKey::Semver(v) => !v.pre.is_empty(),
            VersionKey::Pep440(v) => v.any_prerelease(),
        }
    }

    /// Whether `self` and `other` are the same version in their rules
    /// (`1.0` and `1.0.0` in PEP 440).
    pub fn same(&self, other: &ReleaseVersion) -> bool {
        self.key == other.key
    }

    /// The normalised form, for comparing spellings (`1.0` in PEP 440 is
    /// `1.0.0`'s equal).
    pub fn normalized(&self) -> String {
        match &self.key {
            VersionKey::Semver(v) => v.to_string(),
            VersionKey::Pep440(v) => {
                let mut v = v.clone();
                let mut release = v.release().to_vec();
                while release.len() > 1 && release.last() == Some(&0) {
                    release.pop();
                }
                v = v.with_release(release);
                v.to_string()
            }
        }
    }
}

impl Ord for ReleaseVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key
            .cmp(&other.key)
            .then_with(|| self.text.cmp(&other.text))
    }
}

impl PartialOrd for ReleaseVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for ReleaseVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pep(text: &str) -> ReleaseVersion {
        ReleaseVersion::parse(text, VersionRules::Pep440).expect(text)
    }

    #[test]
    fn pep440_release_versions_order_as_pep440() {
        assert!(pep("0.10.3") < pep("0.10.3.1"));
        assert!(pep("0.10.3.1") < pep("0.11.0"));
        assert!(pep("2.4.0rc1") < pep("2.4.0"));
        assert!(pep("1.0.post1") > pep("1.0"));
        assert!(pep("1.0.0.post1") > pep("1.0.0"));
        assert!(pep("0.9") < pep("0.10"));
        assert!(pep("2.4.0rc1").is_prerelease());
        assert!(pep("1.0.dev3").is_prerelease());
        assert!(!pep("1.0.post1").is_prerelease());
        assert!(!pep("0.10.3.1").is_prerelease());
    }

    #[test]
    fn pep440_spellings_of_one_version_are_the_same() {
        assert!(pep("1.0").same(&pep("1.0.0")));
        assert_eq!(pep("1.0").normalized(), pep("1.0.0").normalized());
        assert!(!pep("1.0").same(&pep("1.0.post1")));
        // The text stays as written.
        assert_eq!(pep("1.0.0.post1").to_string(), "1.0.0.post1");
        assert_eq!(pep("0.10.3.1").as_str(), "0.10.3.1");
    }

    #[test]
    fn semver_rules_refuse_pep440_only_versions() {
        assert!(ReleaseVersion::parse("0.10.3.1", VersionRules::Semver).is_err());
        assert!(ReleaseVersion::parse("1.0.0.post1", VersionRules::Semver).is_err());
        assert!(ReleaseVersion::parse("2.1.0", VersionRules::Semver).is_ok());
        assert!(ReleaseVersion::parse("banana", VersionRules::Pep440).is_err());
        assert!(ReleaseVersion::parse(" 1.0", VersionRules::Pep440).is_err());
        let s = |t| ReleaseVersion::parse(t, VersionRules::Semver).expect(t);
        assert!(s("2.0.0-rc.1") < s("2.0.0") && s("2.0.0-rc.1").is_prerelease());
    }

    #[test]
    fn rules_follow_the_first_package_in_schema_2() {
        let r = VersionRules::of_entry;
        assert_eq!(r(2, Some("pkg:pypi/garak")), VersionRules::Pep440);
        assert_eq!(r(2, Some("pkg:npm/promptfoo")), VersionRules::Semver);
        assert_eq!(r(2, Some("pkg:cargo/c2patool")), VersionRules::Semver);
        assert_eq!(r(2, None), VersionRules::Semver);
        assert_eq!(r(1, Some("pkg:pypi/garak")), VersionRules::Semver);
    }
}
