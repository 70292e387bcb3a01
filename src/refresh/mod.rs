//! `refresh`: which registry releases an entry is missing, what each
//! requires, and the edits that record them. Pure: the histories come from
//! [`crate::registry::releases`], the text and tree from [`crate::load`],
//! and [`insert`] turns the plan into edits at the positions the YAML
//! parser recorded (applied by [`crate::edit`]).

pub mod insert;

use jiff::ToSpan;
use jiff::civil::Date;

use crate::model::Taxonomy;
use crate::registry::dist::{self, CoreMetadata};
use crate::registry::facts::{compare, is_prerelease, same_version};
use crate::registry::history::Release;

/// The policy `refresh` applies (`[policy]` in the settings, `--pre`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Releases younger than this many days are left for a later run.
    pub min_age_days: u32,
    /// Releases older than this many months are not added (the newest
    /// eligible release always is).
    pub window_months: u32,
    /// Whether pre-releases are added.
    pub pre: bool,
}

/// The day a release was first published (UTC).
pub fn utc_day(r: &Release) -> Option<Date> {
    r.published
        .map(|t| t.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
}

/// Whether `r` may be recorded at all under `policy` on `today`: dated,
/// not yanked, final (unless `pre`), at least the minimum age.
fn eligible(r: &Release, policy: &Policy, today: Date) -> bool {
    let Some(day) = utc_day(r) else { return false };
    let old_enough = today
        .checked_sub(i64::from(policy.min_age_days).days())
        .is_ok_and(|cutoff| day <= cutoff);
    !r.yanked && (policy.pre || !is_prerelease(&r.version)) && old_enough
}

/// The first day of the history window.
pub fn window_start(policy: &Policy, today: Date) -> Date {
    today
        .checked_sub(i64::from(policy.window_months).months())
        .unwrap_or(Date::MIN)
}

/// Orders versions newest first; versions that do not compare keep their order.
fn newest_first(a: &str, b: &str) -> std::cmp::Ordering {
    compare(b, a).unwrap_or(std::cmp::Ordering::Equal)
}

/// The releases of `history` to add to an entry that records `recorded`:
/// eligible, within the window or the newest eligible one, not recorded
/// yet; newest first.
pub fn missing<'h>(
    history: &'h [Release],
    recorded: &[String],
    policy: &Policy,
    today: Date,
) -> Vec<&'h Release> {
    let start = window_start(policy, today);
    let mut eligible: Vec<&Release> = history
        .iter()
        .filter(|r| eligible(r, policy, today))
        .collect();
    eligible.sort_by(|a, b| newest_first(&a.version, &b.version));
    let newest = eligible.first().map(|r| r.version.clone());
    eligible
        .into_iter()
        .filter(|r| {
            newest.as_deref() == Some(r.version.as_str()) || utc_day(r).is_some_and(|d| d >= start)
        })
        .filter(|r| !recorded.iter().any(|v| same_version(v, &r.version)))
        .collect()
}

/// How much of a registry's recent history an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Coverage {
    /// Final, not yanked releases published within the window.
    pub registry: usize,
    /// Of those, how many the entry records.
    pub recorded: usize,
}

/// The coverage of the window by `recorded` versions.
pub fn coverage(
    history: &[Release],
    recorded: &[String],
    policy: &Policy,
    today: Date,
) -> Coverage {
    let start = window_start(policy, today);
    let mut out = Coverage::default();
    for r in history {
        let recent = utc_day(r).is_some_and(|d| d >= start && d <= today);
        if !recent || r.yanked || is_prerelease(&r.version) {
            continue;
        }
        out.registry += 1;
        if recorded.iter().any(|v| same_version(v, &r.version)) {
            out.recorded += 1;
        }
    }
    out
}

/// Which registry field feeds a platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Feed {
    /// `Requires-Python` (the `cpython` runtime).
    Python,
    /// npm `engines.node` (the `nodejs` runtime).
    Node,
    /// crates `rust_version` (the `rustc` runtime).
    Rust,
    /// A PyPI package named in `Requires-Dist` (PEP 503 name).
    Pypi(String),
}

/// The taxonomy's platforms that `refresh` can fill, in taxonomy order.
pub fn platform_feeds(taxonomy: &Taxonomy) -> Vec<(String, Feed)> {
    let mut out = Vec::new();
    for p in &taxonomy.platforms {
        let feed = match (p.runtime.as_deref(), p.package.as_deref()) {
            (Some("cpython"), _) => Feed::Python,
            (Some("nodejs"), _) => Feed::Node,
            (Some("rustc"), _) => Feed::Rust,
            (_, Some(purl)) => match purl.strip_prefix("pkg:pypi/") {
                Some(name) => Feed::Pypi(crate::purl::pep503(name)),
                None => continue,
            },
            _ => continue,
        };
        out.push((p.id.clone(), feed));
    }
    // Runtimes first, as entries write them.
    out.sort_by_key(|(_, f)| !matches!(f, Feed::Python | Feed::Node | Feed::Rust));
    out
}

/// Whether a requirement from a registry is safe to write as a YAML
/// quoted scalar and plausible as a version specifier.
fn plain_specifier(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 200
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " .,*+!=<>~^-_|".contains(c))
}

/// Whether a registry's version string can be written as it is: short,
/// and only the characters versions use (PEP 440, semver, npm), so that a
/// hostile answer cannot smuggle text into an entry.
pub fn writable_version(v: &str) -> bool {
    !v.is_empty()
        && v.len() <= 64
        && v.starts_with(|c: char| c.is_ascii_alphanumeric())
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || ".+!-_".contains(c))
}

/// One release to add, with what it requires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRelease {
    /// The version as the registry spells it.
    pub version: String,
    /// The UTC day of its first upload.
    pub released: Date,
    /// Platform id and requirement texts, in the order to write: one text
    /// (written as a string), or one per `Requires-Dist` line where the
    /// lines carry environment markers (written as a list).
    pub requires: Vec<(String, Vec<String>)>,
}

/// The requirements of `release` for `feeds`, from the registry's document
/// and, when given, the core metadata read from one of its files.
/// `whole_lines` is for entries of schema 2.x, whose requirements may be
/// `Requires-Dist` lines with markers, or a bare name; schema 1.x records
/// only version specifiers.
pub fn requirements(
    release: &Release,
    metadata: Option<&CoreMetadata>,
    feeds: &[(String, Feed)],
    whole_lines: bool,
) -> (Vec<(String, Vec<String>)>, Vec<String>) {
    let mut out = Vec::new();
    let mut notes = Vec::new();
    let dist: Option<&[String]> = release
        .requires_dist
        .as_deref()
        .or(metadata.map(|m| m.requires_dist.as_slice()));
    let parsed: Vec<dist::Requirement> = dist
        .unwrap_or_default()
        .iter()
        .filter_map(|l| dist::requirement(l))
        .collect();
    for (platform, feed) in feeds {
        let text = match feed {
            Feed::Python => release
                .requires_python
                .clone()
                .or_else(|| metadata.and_then(|m| m.requires_python.clone())),
            Feed::Node => release.node.clone(),
            Feed::Rust => release.rust_version.as_deref().map(|v| {
                // `rust-version` is a minimum.
                if v.starts_with(|c: char| c.is_ascii_digit()) {
                    format!(">={v}")
                } else {
                    v.to_string()
                }
            }),
            Feed::Pypi(name) => {
                let mine: Vec<&dist::Requirement> = parsed
                    .iter()
                    .filter(|r| &r.name == name && !r.in_extra())
                    .collect();
                if mine.is_empty() {
                    if parsed.iter().any(|r| &r.name == name) {
                        notes.push(format!(
                            "{platform}: `{name}` is required only by extras; not recorded"
                        ));
                    }
                    continue;
                }
                if !whole_lines {
                    let mut specs = Vec::new();
                    for r in &mine {
                        if let Some(m) = &r.marker {
                            notes.push(format!(
                                "{platform}: `{name}{}; {m}` has an environment marker, which schema 1.x cannot record; not recorded",
                                r.specifier
                            ));
                        } else if r.url {
                            notes.push(format!(
                                "{platform}: `{name}` is a direct URL reference; not recorded"
                            ));
                        } else if r.specifier.is_empty() {
                            notes.push(format!(
                                "{platform}: `{name}` is required without a version; not recorded"
                            ));
                        } else if plain_specifier(&r.specifier) {
                            specs.push(r.specifier.clone());
                        } else {
                            notes.push(format!(
                                "{platform}: `{}` is not a version specifier this catalog writes; not recorded",
                                r.specifier.escape_debug()
                            ));
                        }
                    }
                    if !specs.is_empty() {
                        out.push((platform.clone(), vec![specs.join(", ")]));
                    }
                    continue;
                }
                match pypi_requirement(name, &mine) {
                    Ok(texts) => out.push((platform.clone(), texts)),
                    Err(why) => notes.push(format!("{platform}: {why}; not recorded")),
                }
                continue;
            }
        };
        if let Some(t) = text {
            let t = t.trim().to_string();
            if plain_specifier(&t) {
                out.push((platform.clone(), vec![t]));
            } else {
                notes.push(format!(
                    "{platform}: `{}` is not a version specifier this catalog writes; not recorded",
                    t.escape_debug()
                ));
            }
        }
    }
    (out, notes)
}

/// Whether a marker from a registry can be written as it is: short, made
/// of the characters PEP 508 markers use, and parsed by the catalog's
/// marker parser.
fn writable_marker(m: &str) -> bool {
    m.len() <= 200
        && m.chars()
            .all(|c| c.is_ascii_alphanumeric() || " ._-<>=!~'\"(),*+".contains(c))
        && crate::version::marker::Marker::parse(m).is_ok()
}

/// The texts that record the non-extra `Requires-Dist` lines `lines` of
/// distribution `name` on one platform: the specifiers joined when no line
/// has a marker (the bare name when none names a version: any version),
/// else one text per line, `SPECIFIER; MARKER` or `NAME; MARKER`.
fn pypi_requirement(name: &str, lines: &[&dist::Requirement]) -> Result<Vec<String>, String> {
    if lines.iter().any(|r| r.url) {
        return Err(format!("`{name}` is a direct URL reference"));
    }
    for r in lines {
        if !r.specifier.is_empty() && !plain_specifier(&r.specifier) {
            return Err(format!(
                "`{}` is not a version specifier this catalog writes",
                r.specifier.escape_debug()
            ));
        }
        if let Some(m) = &r.marker
            && !writable_marker(m)
        {
            return Err(format!(
                "the marker `{}` is not one this catalog writes",
                m.escape_debug()
            ));
        }
    }
    if lines.iter().all(|r| r.marker.is_none()) {
        let specs: Vec<&str> = lines
            .iter()
            .map(|r| r.specifier.as_str())
            .filter(|s| !s.is_empty())
            .collect();
        return Ok(vec![if specs.is_empty() {
            name.to_string()
        } else {
            specs.join(", ")
        }]);
    }
    Ok(lines
        .iter()
        .map(|r| {
            let head = if r.specifier.is_empty() {
                name
            } else {
                r.specifier.as_str()
            };
            match &r.marker {
                Some(m) => format!("{head}; {m}"),
                None => head.to_string(),
            }
        })
        .collect())
}

/// A requirement as a sorted set of comparators, `3.10.0` written `3.10`:
/// the comparison of `verify`'s `requires-python-drift` and of `refresh
/// --fix`.
pub fn comparators(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .split(',')
        .map(|c| {
            let c: String = c.chars().filter(|ch| !ch.is_whitespace()).collect();
            let op_end = c.find(|ch: char| ch.is_ascii_digit()).unwrap_or(c.len());
            let (op, v) = c.split_at(op_end);
            let mut v = v.to_string();
            while v.ends_with(".0") && v.matches('.').count() > 1 {
                v.truncate(v.len() - 2);
            }
            format!("{op}{v}")
        })
        .filter(|c| !c.is_empty())
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release(v: &str, day: &str, yanked: bool) -> Release {
        Release {
            version: v.into(),
            published: format!("{day}T12:00:00Z").parse().ok(),
            yanked,
            requires_python: None,
            requires_dist: None,
            node: None,
            rust_version: None,
            files: Vec::new(),
        }
    }

    fn versions(rs: &[&Release]) -> Vec<String> {
        rs.iter().map(|r| r.version.clone()).collect()
    }

    #[test]
    fn selection_applies_age_window_pre_and_yanked() {
        let today: Date = "2026-12-01".parse().expect("date");
        let h = vec![
            release("0.1.0", "2020-01-01", false),
            release("1.0.0", "2025-06-01", false),
            release("1.1.0", "2025-07-01", true),
            release("1.2.0rc1", "2026-01-01", false),
            release("1.2.0", "2026-02-01", false),
            release("1.3.0", "2026-11-28", false),
        ];
        let p = Policy {
            min_age_days: 7,
            window_months: 24,
            pre: false,
        };
        let recorded = vec!["1.0".to_string()];
        assert_eq!(versions(&missing(&h, &recorded, &p, today)), ["1.2.0"]);
        let pre = Policy { pre: true, ..p };
        assert_eq!(
            versions(&missing(&h, &recorded, &pre, today)),
            ["1.2.0", "1.2.0rc1"]
        );
        let young = Policy {
            min_age_days: 0,
            ..p
        };
        assert_eq!(
            versions(&missing(&h, &recorded, &young, today)),
            ["1.3.0", "1.2.0"]
        );
        let narrow = Policy {
            window_months: 1,
            ..p
        };
        assert_eq!(
            versions(&missing(&h, &[], &narrow, today)),
            ["1.2.0"],
            "the newest eligible release is always added"
        );
        let wide = Policy {
            window_months: 120,
            ..p
        };
        assert_eq!(
            versions(&missing(&h, &[], &wide, today)),
            ["1.2.0", "1.0.0", "0.1.0"]
        );
        let c = coverage(&h, &recorded, &p, today);
        assert_eq!((c.recorded, c.registry), (1, 3));
    }

    #[test]
    fn requirements_come_from_requires_dist_with_markers_noted() {
        let feeds = vec![
            ("python".to_string(), Feed::Python),
            ("pytorch".to_string(), Feed::Pypi("torch".into())),
            ("numpy".to_string(), Feed::Pypi("numpy".into())),
            ("pandas".to_string(), Feed::Pypi("pandas".into())),
        ];
        let mut r = release("1.0", "2025-01-01", false);
        r.requires_python = Some(">=3.9".into());
        let meta = CoreMetadata {
            requires_python: Some(">=3.8".into()),
            requires_dist: vec![
                "torch>=2.1".into(),
                "numpy>=1.26; python_version >= \"3.12\"".into(),
                "pandas; extra == \"data\"".into(),
            ],
        };
        let (reqs, notes) = requirements(&r, Some(&meta), &feeds, true);
        let one = |p: &str, t: &str| (p.to_string(), vec![t.to_string()]);
        assert_eq!(
            reqs,
            vec![
                one("python", ">=3.9"),
                one("pytorch", ">=2.1"),
                one("numpy", ">=1.26; python_version >= \"3.12\""),
            ]
        );
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("only by extras"), "{notes:?}");
    }

    #[test]
    fn lines_with_markers_are_kept_one_each_and_a_bare_name_means_any_version() {
        let feeds = vec![
            ("numpy".to_string(), Feed::Pypi("numpy".into())),
            ("pandas".to_string(), Feed::Pypi("pandas".into())),
            (
                "scikit-learn".to_string(),
                Feed::Pypi("scikit-learn".into()),
            ),
            ("pytorch".to_string(), Feed::Pypi("torch".into())),
        ];
        let r = release("1.0", "2025-01-01", false);
        let meta = CoreMetadata {
            requires_python: None,
            requires_dist: vec![
                "numpy<2.0.0,>=1.23.5; python_version < \"3.13\"".into(),
                "numpy>=2.1.0; python_version >= \"3.13\"".into(),
                "pandas".into(),
                "scikit-learn>=1.2".into(),
                "scikit-learn!=1.3.0".into(),
                "torch; sys_platform == \"linux\"\" or \"x".into(),
            ],
        };
        let (reqs, notes) = requirements(&r, Some(&meta), &feeds, true);
        assert_eq!(
            reqs,
            vec![
                (
                    "numpy".to_string(),
                    vec![
                        "<2.0.0,>=1.23.5; python_version < \"3.13\"".to_string(),
                        ">=2.1.0; python_version >= \"3.13\"".to_string(),
                    ]
                ),
                ("pandas".to_string(), vec!["pandas".to_string()]),
                (
                    "scikit-learn".to_string(),
                    vec![">=1.2, !=1.3.0".to_string()]
                ),
            ]
        );
        // A marker that does not parse is not written.
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].starts_with("pytorch: the marker"), "{notes:?}");
    }

    #[test]
    fn only_plain_version_strings_are_written() {
        for ok in ["1.2.0", "0.10.3.1", "2.0.0-beta.1", "1!2.0", "1.0+local_1"] {
            assert!(writable_version(ok), "{ok}");
        }
        for bad in ["", "1.0\nid: x", "\"1.0", "-1", "1.0 # c", &"9".repeat(65)] {
            assert!(!writable_version(bad), "{bad:?}");
        }
    }

    #[test]
    fn rust_version_is_a_minimum_and_odd_text_is_refused() {
        let feeds = vec![
            ("rust".to_string(), Feed::Rust),
            ("nodejs".to_string(), Feed::Node),
        ];
        let mut r = release("1.0", "2025-01-01", false);
        r.rust_version = Some("1.74".into());
        r.node = Some(">=20\n\"x".into());
        let (reqs, notes) = requirements(&r, None, &feeds, true);
        assert_eq!(reqs, vec![("rust".to_string(), vec![">=1.74".to_string()])]);
        assert_eq!(notes.len(), 1, "{notes:?}");
        // npm's own range syntax is written as it is.
        r.node = Some("^20.20.0 || >=22.22.0".into());
        let (reqs, _) = requirements(&r, None, &feeds, true);
        assert_eq!(
            reqs[1],
            (
                "nodejs".to_string(),
                vec!["^20.20.0 || >=22.22.0".to_string()]
            )
        );
    }
}
