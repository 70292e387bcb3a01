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

use pep440_rs::{Operator, Version, VersionSpecifier, VersionSpecifiers};

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
    if !specs.iter().all(|s| admits(s, version)) {
        return false;
    }
    !version.any_prerelease() || pre == PreReleases::Allow || names_prerelease(specs)
}

/// Whether one specifier admits `version`, pre-releases aside, by
/// `pep440_rs` but for two operators it reads otherwise than PEP 440.
/// `pep440_rs` 0.7.3 compares `==V.*` and `!=V.*` on the shorter of the two
/// releases, so that `0` matches `==0.1.*`; PEP 440 pads the candidate with
/// zeros ("0" is "0.0"), which is done here.
fn admits(spec: &VersionSpecifier, version: &Version) -> bool {
    let star = match spec.operator() {
        Operator::EqualStar => true,
        Operator::NotEqualStar => false,
        Operator::LessThan => return less_than(spec.version(), version),
        _ => return spec.contains(version),
    };
    let prefix = spec.version().release();
    let release = version.release();
    let matches = spec.version().epoch() == version.epoch()
        && prefix
            .iter()
            .enumerate()
            .all(|(i, p)| release.get(i).copied().unwrap_or(0) == *p);
    matches == star
}

/// `<V`: PEP 440's "MUST NOT allow a pre-release of the specified version
/// unless the specified version is itself a pre-release". `pep440_rs`
/// 0.7.3 refuses every pre-release of V's release even when V is one
/// (`<1.0a1` refusing `1.0.dev0`); this follows the PEP (and `packaging`).
fn less_than(spec: &Version, version: &Version) -> bool {
    let candidate = version.clone().without_local();
    let same_release = {
        let (a, b) = (spec.release(), candidate.release());
        (0..a.len().max(b.len())).all(|i| a.get(i).unwrap_or(&0) == b.get(i).unwrap_or(&0))
    };
    candidate < *spec
        && !(!spec.any_prerelease()
            && candidate.any_prerelease()
            && same_release
            && spec.epoch() == candidate.epoch())
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
    candidates
        .iter()
        .filter(|v| contains(specs, v, PreReleases::Allow))
        .collect()
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

#[cfg(test)]
mod properties {
    //! The PEP 440 check agrees with a reference model written from the
    //! PEP's text alone, on generated versions and specifiers, pre-release
    //! rules included.

    use std::cmp::Ordering;

    use proptest::prelude::*;

    use super::*;

    /// A version as the model sees it: release, pre (phase 0 a, 1 b, 2 rc),
    /// post and dev.
    #[derive(Debug, Clone)]
    struct V {
        release: Vec<u64>,
        pre: Option<(u8, u64)>,
        post: Option<u64>,
        dev: Option<u64>,
    }

    impl V {
        fn text(&self) -> String {
            let mut s = self
                .release
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(".");
            if let Some((phase, n)) = self.pre {
                s.push_str(["a", "b", "rc"][phase as usize]);
                s.push_str(&n.to_string());
            }
            if let Some(n) = self.post {
                s.push_str(&format!(".post{n}"));
            }
            if let Some(n) = self.dev {
                s.push_str(&format!(".dev{n}"));
            }
            s
        }

        fn is_prerelease(&self) -> bool {
            self.pre.is_some() || self.dev.is_some()
        }

        /// PEP 440's ordering key: release padded with zeros; a dev release
        /// of a final (no pre, no post) sorts before its pre-releases; no
        /// post sorts before any post; no dev sorts after any dev.
        fn key(&self) -> (Vec<u64>, (i64, u64), i64, u64) {
            let mut release = self.release.clone();
            release.resize(4, 0);
            let pre = match (self.pre, self.post, self.dev) {
                (None, None, Some(_)) => (-1, 0),
                (Some((p, n)), _, _) => (p as i64, n),
                _ => (3, 0),
            };
            let post = self.post.map_or(-1, |n| n as i64);
            let dev = self.dev.unwrap_or(u64::MAX);
            (release, pre, post, dev)
        }

        fn same_release(&self, other: &V) -> bool {
            let mut a = self.release.clone();
            let mut b = other.release.clone();
            a.resize(4, 0);
            b.resize(4, 0);
            a == b
        }
    }

    fn cmp(a: &V, b: &V) -> Ordering {
        a.key().cmp(&b.key())
    }

    fn version() -> impl Strategy<Value = V> {
        (
            proptest::collection::vec(0u64..3, 1..4),
            proptest::option::weighted(0.3, (0u8..3, 0u64..3)),
            proptest::option::weighted(0.2, 0u64..2),
            proptest::option::weighted(0.2, 0u64..2),
        )
            .prop_map(|(release, pre, post, dev)| V {
                release,
                pre,
                post,
                dev,
            })
    }

    /// Specifier operators: `==`, `!=`, `<`, `<=`, `>`, `>=`, `~=`, and
    /// the prefix forms `==V.*`, `!=V.*` (release-only versions).
    #[derive(Debug, Clone, Copy)]
    enum Op {
        Eq,
        Ne,
        Lt,
        Le,
        Gt,
        Ge,
        Compatible,
        EqStar,
        NeStar,
    }

    #[derive(Debug, Clone)]
    struct S {
        op: Op,
        v: V,
    }

    impl S {
        fn text(&self) -> String {
            let sym = match self.op {
                Op::Eq | Op::EqStar => "==",
                Op::Ne | Op::NeStar => "!=",
                Op::Lt => "<",
                Op::Le => "<=",
                Op::Gt => ">",
                Op::Ge => ">=",
                Op::Compatible => "~=",
            };
            let star = if matches!(self.op, Op::EqStar | Op::NeStar) {
                ".*"
            } else {
                ""
            };
            format!("{sym}{}{star}", self.v.text())
        }

        /// The PEP's words for each operator, without the pre-release
        /// exclusion (applied to the set below).
        fn admits(&self, c: &V) -> bool {
            let s = &self.v;
            let prefix = |c: &V| {
                let mut r = c.release.clone();
                r.resize(s.release.len().max(r.len()), 0);
                r[..s.release.len()] == s.release[..]
            };
            match self.op {
                Op::Eq => cmp(c, s) == Ordering::Equal,
                Op::Ne => cmp(c, s) != Ordering::Equal,
                Op::Le => cmp(c, s) != Ordering::Greater,
                Op::Ge => cmp(c, s) != Ordering::Less,
                // "The exclusive ordered comparison <V MUST NOT allow a
                // pre-release of the specified version unless the specified
                // version is itself a pre-release."
                Op::Lt => {
                    cmp(c, s) == Ordering::Less
                        && !(c.is_prerelease() && !s.is_prerelease() && c.same_release(s))
                }
                // ">V MUST NOT allow a post-release of the given version
                // unless V itself is a post release."
                Op::Gt => {
                    cmp(c, s) == Ordering::Greater
                        && !(c.post.is_some() && s.post.is_none() && c.same_release(s))
                }
                // "~=V.N" is ">=V.N, ==V.*".
                Op::Compatible => {
                    let head = &s.release[..s.release.len() - 1];
                    let mut r = c.release.clone();
                    r.resize(head.len().max(r.len()), 0);
                    cmp(c, s) != Ordering::Less && r[..head.len()] == head[..]
                }
                Op::EqStar => prefix(c),
                Op::NeStar => !prefix(c),
            }
        }
    }

    fn specifier() -> impl Strategy<Value = S> {
        (0usize..9, version()).prop_filter_map("valid specifier", |(op, v)| {
            let op = [
                Op::Eq,
                Op::Ne,
                Op::Lt,
                Op::Le,
                Op::Gt,
                Op::Ge,
                Op::Compatible,
                Op::EqStar,
                Op::NeStar,
            ][op];
            let release_only = V {
                pre: None,
                post: None,
                dev: None,
                ..v.clone()
            };
            match op {
                Op::Compatible if v.release.len() < 2 => None,
                Op::EqStar | Op::NeStar => Some(S {
                    op,
                    v: release_only,
                }),
                _ => Some(S { op, v }),
            }
        })
    }

    /// The model: every specifier admits the version; a pre-release only
    /// when pre-releases are allowed or a specifier names one.
    fn model(specs: &[S], c: &V, pre: PreReleases) -> bool {
        specs.iter().all(|s| s.admits(c))
            && (!c.is_prerelease()
                || pre == PreReleases::Allow
                || specs.iter().any(|s| s.v.is_prerelease()))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn the_check_agrees_with_the_reference_model(
            specs in proptest::collection::vec(specifier(), 1..4),
            c in version(),
            allow in any::<bool>(),
        ) {
            let pre = if allow { PreReleases::Allow } else { PreReleases::IfNamed };
            let text = specs.iter().map(S::text).collect::<Vec<_>>().join(",");
            let parsed = VersionSpecifiers::from_str(&text).expect("generated specifiers parse");
            let version = parse_version(&c.text()).expect("generated versions parse");
            prop_assert_eq!(
                contains(&parsed, &version, pre),
                model(&specs, &c, pre),
                "{} against {} ({:?})", c.text(), text, pre
            );
        }

        #[test]
        fn selection_prefers_what_the_default_admits(
            specs in proptest::collection::vec(specifier(), 1..3),
            candidates in proptest::collection::vec(version(), 0..6),
        ) {
            let text = specs.iter().map(S::text).collect::<Vec<_>>().join(",");
            let parsed = VersionSpecifiers::from_str(&text).expect("parse");
            let versions: Vec<Version> = candidates.iter().map(|c| parse_version(&c.text()).expect("v")).collect();
            let chosen: Vec<String> = select(&parsed, &versions).iter().map(|v| v.to_string()).collect();
            let by_default: Vec<String> = candidates.iter().zip(&versions)
                .filter(|(c, _)| model(&specs, c, PreReleases::IfNamed))
                .map(|(_, v)| v.to_string()).collect();
            let expected = if by_default.is_empty() {
                candidates.iter().zip(&versions)
                    .filter(|(c, _)| model(&specs, c, PreReleases::Allow))
                    .map(|(_, v)| v.to_string()).collect()
            } else {
                by_default
            };
            prop_assert_eq!(chosen, expected);
        }
    }
}
