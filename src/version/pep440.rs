//! PEP 440 on top of `pep440_rs`, with the part of PEP 440 that
//! `pep440_rs` leaves to its callers: which pre-releases a specifier admits.
//!
//! PEP 440: "Pre-releases of any kind, including developmental releases,
//! are implicitly excluded from all version specifiers, unless they are
//! already present on the system, explicitly requested by the user, or if
//! the only available version that satisfies the version specifier is a
//! pre-release." `pep440_rs::VersionSpecifiers::contains` applies the
//! ordering rules (`<2.6` excludes `2.6.0rc1`, `>2.0` excludes
//! `2.0.post1`) but admits every pre-release in range; [`contains`] adds the
//! exclusion, and [`select`] the "only available version" rule.

use std::str::FromStr;

use pep440_rs::{Version, VersionSpecifiers};

/// Whether pre-releases count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreReleases {
    /// Admit pre-releases in range: the version is installed already, or
    /// the user asked for it.
    Allow,
    /// PEP 440's default: a pre-release is admitted only when a specifier
    /// of the set names a pre-release itself (`>=2.4.0rc1`).
    IfNamed,
}

/// Parses a version as PEP 440 reads it (normalising `v1.0`, `1.0-RC1`,
/// `1.0.post-1` and the like).
pub fn parse_version(text: &str) -> Result<Version, String> {
    Version::from_str(text.trim()).map_err(|e| {
        format!(
            "`{}` is not a PEP 440 version ({e}); write e.g. `3.12`, `2.5.1+cu121` or `2.4.0rc1`",
            crate::text::shown(text)
        )
    })
}

/// Whether the set names a pre-release (or development release) in one of
/// its specifiers.
pub fn names_prerelease(specs: &VersionSpecifiers) -> bool {
    specs.iter().any(|s| s.version().any_prerelease())
}

/// Whether `version` satisfies `specs` under the pre-release policy `pre`.
pub fn contains(specs: &VersionSpecifiers, version: &Version, pre: PreReleases) -> bool {
    if !specs.contains(version) {
        return false;
    }
    !version.any_prerelease() || pre == PreReleases::Allow || names_prerelease(specs)
}

/// The candidates `specs` selects, as an installer would choose among
/// available versions: those admitted by PEP 440's default; when none is,
/// the pre-releases in range ("the only available version that satisfies
/// the version specifier is a pre-release").
pub fn select<'a>(specs: &VersionSpecifiers, candidates: &'a [Version]) -> Vec<&'a Version> {
    let chosen: Vec<&Version> = candidates
        .iter()
        .filter(|v| contains(specs, v, PreReleases::IfNamed))
        .collect();
    if !chosen.is_empty() {
        return chosen;
    }
    candidates.iter().filter(|v| specs.contains(v)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn specs(text: &str) -> VersionSpecifiers {
        VersionSpecifiers::from_str(text).expect(text)
    }

    fn v(text: &str) -> Version {
        parse_version(text).expect(text)
    }

    #[test]
    fn prereleases_are_excluded_unless_named_or_allowed() {
        let s = specs(">=2.4");
        assert!(!contains(&s, &v("2.5.0rc1"), PreReleases::IfNamed));
        assert!(contains(&s, &v("2.5.0rc1"), PreReleases::Allow));
        assert!(contains(
            &specs(">=2.4.0rc1"),
            &v("2.5.0rc1"),
            PreReleases::IfNamed
        ));
        assert!(!contains(&s, &v("2.5.0.dev3"), PreReleases::IfNamed));
        assert!(contains(&s, &v("2.5.0.post1"), PreReleases::IfNamed));
    }

    #[test]
    fn ordering_rules_hold_even_when_prereleases_are_allowed() {
        assert!(!contains(
            &specs("<2.6"),
            &v("2.6.0rc1"),
            PreReleases::Allow
        ));
        assert!(!contains(
            &specs(">=2.6"),
            &v("2.6.0rc1"),
            PreReleases::Allow
        ));
        assert!(!contains(
            &specs(">2.0"),
            &v("2.0.post1"),
            PreReleases::Allow
        ));
        assert!(contains(
            &specs("~=1.4.2"),
            &v("1.4.9"),
            PreReleases::IfNamed
        ));
        assert!(!contains(
            &specs("~=1.4.2"),
            &v("1.5"),
            PreReleases::IfNamed
        ));
        assert!(contains(
            &specs("!=2.0.*,>=1.8"),
            &v("2.1"),
            PreReleases::IfNamed
        ));
        assert!(!contains(
            &specs("!=2.0.*,>=1.8"),
            &v("2.0.3"),
            PreReleases::IfNamed
        ));
        assert!(contains(
            &specs(">=2.3"),
            &v("2.5.1+cu121"),
            PreReleases::IfNamed
        ));
        assert!(contains(
            &specs("==1.2.3.4"),
            &v("1.2.3.4"),
            PreReleases::IfNamed
        ));
    }

    #[test]
    fn selection_falls_back_to_prereleases_only_when_nothing_else_fits() {
        let candidates = [v("1.0"), v("2.0rc1"), v("2.0")];
        let pick = |s: &str| -> Vec<String> {
            select(&specs(s), &candidates)
                .iter()
                .map(|v| v.to_string())
                .collect()
        };
        assert_eq!(pick(">=1.0"), ["1.0", "2.0"]);
        assert_eq!(
            pick(">1.0,<2.0"),
            Vec::<String>::new(),
            "<2.0 excludes 2.0rc1"
        );
        let only_pre = [v("1.0"), v("2.0rc1")];
        let picked: Vec<String> = select(&specs(">1.5"), &only_pre)
            .iter()
            .map(|v| v.to_string())
            .collect();
        assert_eq!(picked, ["2.0rc1"]);
    }
}
