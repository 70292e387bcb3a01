//! Compatibility of tools with a stack: which version of each tool fits.
//!
//! Per version: *ok* when every requirement names a platform in the stack and
//! is met; *fails* when a requirement on a platform in the stack is not met;
//! *unknown* when nothing fails but a required platform is absent. A version
//! without requirements is ok. A tool is `compatible` (its newest ok version),
//! else `unknown` (its newest unknown version and the missing platforms), else
//! `incompatible` (its newest version and every requirement that fails).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::stack::{Stack, comparable};
use crate::model::{Entry, Release};

/// The status of a tool against a stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// A version of the tool meets every requirement.
    Compatible,
    /// No version fails, but the stack does not name every required platform.
    Unknown,
    /// Every version fails a requirement.
    Incompatible,
}

impl Status {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Compatible => "compatible",
            Status::Unknown => "unknown",
            Status::Incompatible => "incompatible",
        }
    }
}

/// A requirement the stack does not meet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// The platform.
    pub platform: String,
    /// The requirement, as written in the entry.
    pub requirement: String,
    /// The stack's version of the platform, as written.
    pub version: String,
}

/// One row of a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ToolCompat {
    /// The tool's id.
    pub id: String,
    /// Its status.
    pub status: Status,
    /// The version the status is about (`None` only when the tool lists no version).
    pub version: Option<String>,
    /// For `incompatible`: every requirement of `version` that fails.
    pub reasons: Vec<Reason>,
    /// For `unknown`: the platforms `version` requires that the stack does not name.
    pub missing: Vec<String>,
}

impl ToolCompat {
    /// One line saying why, for tables.
    pub fn why(&self, entry: &Entry, stack: &Stack) -> String {
        match self.status {
            Status::Compatible => {
                let release = entry
                    .versions
                    .iter()
                    .find(|r| Some(r.version.to_string()) == self.version);
                match release {
                    Some(r) if r.requires.is_empty() => "declares no requirements".into(),
                    Some(r) => r
                        .requires
                        .iter()
                        .map(|(p, req)| {
                            let have = stack
                                .platforms
                                .get(p.as_str())
                                .map_or("", |v| v.text.as_str());
                            format!("{p} {have} meets {req}")
                        })
                        .collect::<Vec<_>>()
                        .join("; "),
                    None => String::new(),
                }
            }
            Status::Unknown => format!("stack does not name {}", self.missing.join(", ")),
            Status::Incompatible => self
                .reasons
                .iter()
                .map(|r| format!("{} {} fails {}", r.platform, r.version, r.requirement))
                .collect::<Vec<_>>()
                .join("; "),
        }
    }
}

/// The outcome for one version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionOutcome {
    /// Every requirement is named by the stack and met.
    Ok,
    /// Nothing fails; these required platforms are absent from the stack.
    Unknown(Vec<String>),
    /// These requirements fail.
    Fails(Vec<Reason>),
}

/// Evaluates one release against the stack. A requirement that does not
/// parse (the validator reports it) counts as failing.
pub fn evaluate(release: &Release, stack: &Stack) -> VersionOutcome {
    let mut missing = Vec::new();
    let mut fails = Vec::new();
    for (platform, requirement) in &release.requires {
        match stack.platforms.get(platform.as_str()) {
            None => missing.push(platform.to_string()),
            Some(have) => {
                let met = requirement.req().matches(&comparable(&have.version));
                if !met {
                    fails.push(Reason {
                        platform: platform.to_string(),
                        requirement: requirement.to_string(),
                        version: have.text.clone(),
                    });
                }
            }
        }
    }
    if !fails.is_empty() {
        VersionOutcome::Fails(fails)
    } else if !missing.is_empty() {
        VersionOutcome::Unknown(missing)
    } else {
        VersionOutcome::Ok
    }
}

/// Releases newest first (version order; equal versions in file order).
pub fn newest_first(entry: &Entry) -> Vec<&Release> {
    let mut releases: Vec<&Release> = entry.versions.iter().collect();
    releases.sort_by(|a, b| b.version.cmp(&a.version));
    releases
}

/// The compatibility of one tool with a stack.
pub fn tool(entry: &Entry, stack: &Stack) -> ToolCompat {
    let releases = newest_first(entry);
    let outcomes: Vec<(&Release, VersionOutcome)> =
        releases.iter().map(|r| (*r, evaluate(r, stack))).collect();
    let row = |status, release: Option<&Release>, reasons, missing| ToolCompat {
        id: entry.id.to_string(),
        status,
        version: release.map(|r| r.version.to_string()),
        reasons,
        missing,
    };
    if let Some((r, _)) = outcomes.iter().find(|(_, o)| *o == VersionOutcome::Ok) {
        return row(Status::Compatible, Some(r), Vec::new(), Vec::new());
    }
    if let Some((r, VersionOutcome::Unknown(missing))) = outcomes
        .iter()
        .find(|(_, o)| matches!(o, VersionOutcome::Unknown(_)))
    {
        return row(Status::Unknown, Some(r), Vec::new(), missing.clone());
    }
    match outcomes.first() {
        Some((r, VersionOutcome::Fails(reasons))) => {
            row(Status::Incompatible, Some(r), reasons.clone(), Vec::new())
        }
        // A tool with no versions (the schema forbids it) has nothing to fail.
        _ => row(Status::Unknown, None, Vec::new(), Vec::new()),
    }
}

/// The report for many tools.
pub fn report<'a>(entries: impl IntoIterator<Item = &'a Entry>, stack: &Stack) -> Vec<ToolCompat> {
    entries.into_iter().map(|e| tool(e, stack)).collect()
}

/// The stack a report is about, as JSON shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StackView {
    /// The stack's name, if it has one.
    pub name: Option<String>,
    /// Platform id -> version, as written.
    pub platforms: BTreeMap<String, String>,
}

impl StackView {
    /// The view of a stack.
    pub fn of(stack: &Stack) -> StackView {
        StackView {
            name: stack.name.clone(),
            platforms: stack
                .platforms
                .iter()
                .map(|(k, v)| (k.clone(), v.text.clone()))
                .collect(),
        }
    }

    /// One line: `name: platform version, platform version`.
    pub fn line(&self) -> String {
        let platforms: Vec<String> = self
            .platforms
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        match &self.name {
            Some(n) => format!("{n}: {}", platforms.join(", ")),
            None => platforms.join(", "),
        }
    }
}

/// One tool of a report: the result scripts read, and the text people read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct CompatRow {
    /// The result.
    pub result: ToolCompat,
    /// The tool's display name.
    #[serde(skip)]
    pub name: String,
    /// The tool's page: its homepage, else its repository.
    #[serde(skip)]
    pub link: String,
    /// One line saying why ([`ToolCompat::why`]).
    #[serde(skip)]
    pub why: String,
}

/// The report of `compat`: the stack and one row per tool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompatReport {
    /// The stack.
    pub stack: StackView,
    /// One row per tool, in the order given.
    pub tools: Vec<CompatRow>,
}

impl CompatReport {
    /// The report of `entries` against `stack`, keeping only tools whose
    /// status is in `only` (every tool when `only` is empty).
    pub fn build(entries: &[&Entry], stack: &Stack, only: &[Status]) -> CompatReport {
        let tools = entries
            .iter()
            .map(|e| (*e, tool(e, stack)))
            .filter(|(_, r)| only.is_empty() || only.contains(&r.status))
            .map(|(e, result)| CompatRow {
                name: e.name.clone(),
                link: e.homepage.as_deref().unwrap_or(&e.repository).to_string(),
                why: result.why(e, stack),
                result,
            })
            .collect();
        CompatReport {
            stack: StackView::of(stack),
            tools,
        }
    }

    /// `N compatible, N unknown, N incompatible`.
    pub fn counts_line(&self) -> String {
        let n = |s: Status| self.tools.iter().filter(|r| r.result.status == s).count();
        format!(
            "{} compatible, {} unknown, {} incompatible",
            n(Status::Compatible),
            n(Status::Unknown),
            n(Status::Incompatible)
        )
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::model::stack::{StackVersion, parse_version};

    fn release(version: &str, requires: &[(&str, &str)]) -> Release {
        Release {
            version: semver::Version::parse(version).expect("version"),
            released: jiff::civil::date(2025, 1, 1),
            requires: requires
                .iter()
                .map(|(p, r)| {
                    (
                        crate::model::PlatformId::from(*p),
                        crate::model::Requirement::parse(r).expect("requirement"),
                    )
                })
                .collect(),
            notes: None,
        }
    }

    /// An entry with `releases` and nothing else of note.
    pub(super) fn entry(releases: Vec<Release>) -> Entry {
        let mut e = Entry::from_raw(
            serde_json::from_value(serde_json::json!({
                "schema_version": "1.0.0", "id": "t", "name": "T", "summary": "a tool for tests",
                "repository": "https://example.org", "license": "MIT", "maintainers": [],
                "categories": [], "risks": [], "modalities": [], "interfaces": [],
                "versions": [],
                "vetting": {"status": "provisional", "reviewed": "2025-01-01", "reviewers": ["x"]}
            }))
            .expect("raw entry"),
            &crate::model::Interner::default(),
        )
        .expect("entry");
        e.versions = releases;
        e
    }

    fn stack(pairs: &[(&str, &str)]) -> Stack {
        Stack {
            name: None,
            platforms: pairs
                .iter()
                .map(|(p, v)| {
                    (
                        p.to_string(),
                        StackVersion {
                            text: v.to_string(),
                            version: parse_version(v).expect("version"),
                            ..Default::default()
                        },
                    )
                })
                .collect::<BTreeMap<_, _>>(),
            ..Default::default()
        }
    }

    #[test]
    fn a_version_without_requirements_is_ok() {
        let e = entry(vec![release("1.0.0", &[])]);
        let r = tool(&e, &stack(&[]));
        assert_eq!(
            (r.status, r.version.as_deref()),
            (Status::Compatible, Some("1.0.0"))
        );
    }

    #[test]
    fn compatible_reports_the_newest_ok_version() {
        let e = entry(vec![
            release("1.0.0", &[("python", ">=3.8")]),
            release("2.0.0", &[("python", ">=3.13")]),
            release("1.5.0", &[("python", ">=3.9")]),
        ]);
        let r = tool(&e, &stack(&[("python", "3.12")]));
        assert_eq!(
            (r.status, r.version.as_deref()),
            (Status::Compatible, Some("1.5.0"))
        );
        assert!(r.reasons.is_empty() && r.missing.is_empty());
    }

    #[test]
    fn unknown_when_nothing_fails_but_a_platform_is_missing() {
        let e = entry(vec![release(
            "1.0.0",
            &[("python", ">=3.9"), ("pytorch", ">=2.0")],
        )]);
        let r = tool(&e, &stack(&[("python", "3.12")]));
        assert_eq!(r.status, Status::Unknown);
        assert_eq!(r.missing, vec!["pytorch"]);
    }

    #[test]
    fn a_failure_beats_a_missing_platform_in_one_version() {
        let e = entry(vec![release(
            "1.0.0",
            &[("python", ">=3.13"), ("pytorch", ">=2.0")],
        )]);
        let r = tool(&e, &stack(&[("python", "3.12")]));
        assert_eq!(r.status, Status::Incompatible);
        assert_eq!(r.reasons.len(), 1);
        assert_eq!(r.reasons[0].platform, "python");
        assert_eq!(r.reasons[0].version, "3.12");
    }

    #[test]
    fn unknown_beats_incompatible_across_versions() {
        let e = entry(vec![
            release("2.0.0", &[("python", ">=3.13")]),
            release("1.0.0", &[("pytorch", ">=2.0")]),
        ]);
        let r = tool(&e, &stack(&[("python", "3.12")]));
        assert_eq!(
            (r.status, r.version.as_deref()),
            (Status::Unknown, Some("1.0.0"))
        );
    }

    #[test]
    fn incompatible_reports_the_newest_version_and_every_failure() {
        let e = entry(vec![
            release("1.0.0", &[("python", ">=3.13")]),
            release(
                "2.0.0",
                &[("python", ">=3.14"), ("numpy", ">=2"), ("pandas", "*")],
            ),
        ]);
        let r = tool(
            &e,
            &stack(&[("python", "3.12"), ("numpy", "1.26"), ("pandas", "2.2")]),
        );
        assert_eq!(
            (r.status, r.version.as_deref()),
            (Status::Incompatible, Some("2.0.0"))
        );
        let platforms: Vec<&str> = r.reasons.iter().map(|x| x.platform.as_str()).collect();
        assert_eq!(platforms, ["numpy", "python"]);
    }

    #[test]
    fn build_metadata_and_prereleases_in_the_stack() {
        let e = entry(vec![release("1.0.0", &[("pytorch", ">=2.3, <2.6")])]);
        assert_eq!(
            tool(&e, &stack(&[("pytorch", "2.3.1+cu121")])).status,
            Status::Compatible
        );
        assert_eq!(
            tool(&e, &stack(&[("pytorch", "2.5.0rc1")])).status,
            Status::Compatible
        );
        assert_eq!(
            tool(&e, &stack(&[("pytorch", "2.6.0rc1")])).status,
            Status::Incompatible
        );
    }
}

#[cfg(test)]
mod properties {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::tests::entry;
    use super::*;
    use crate::model::stack::StackVersion;

    const PLATFORMS: [&str; 3] = ["python", "pytorch", "numpy"];

    fn requirement() -> impl Strategy<Value = String> {
        (0u64..4, 0u64..6, 0usize..4).prop_map(|(major, minor, op)| match op {
            0 => format!(">={major}.{minor}"),
            1 => format!("<{major}.{minor}"),
            2 => format!("^{major}.{minor}"),
            _ => format!(">={major}.0, <{major}.{minor}"),
        })
    }

    fn releases() -> impl Strategy<Value = Vec<Release>> {
        proptest::collection::vec(
            proptest::collection::btree_map(
                proptest::sample::select(&PLATFORMS[..]).prop_map(str::to_string),
                requirement(),
                0..3,
            ),
            1..5,
        )
        .prop_map(|reqs| {
            reqs.into_iter()
                .enumerate()
                .map(|(i, requires)| Release {
                    version: semver::Version::new(i as u64, 0, 0),
                    released: jiff::civil::date(2025, 1, 1),
                    requires: requires
                        .into_iter()
                        .map(|(p, r): (String, String)| {
                            (
                                crate::model::PlatformId::from(p.as_str()),
                                crate::model::Requirement::parse(&r).expect("requirement"),
                            )
                        })
                        .collect(),
                    notes: None,
                })
                .collect()
        })
    }

    fn stack() -> impl Strategy<Value = Stack> {
        proptest::collection::btree_map(
            proptest::sample::select(&PLATFORMS[..]).prop_map(str::to_string),
            (0u64..4, 0u64..6),
            0..4,
        )
        .prop_map(|m| Stack {
            name: None,
            platforms: m
                .into_iter()
                .map(|(p, (a, b))| {
                    let text = format!("{a}.{b}");
                    let version = semver::Version::new(a, b, 0);
                    (
                        p,
                        StackVersion {
                            text,
                            version,
                            ..Default::default()
                        },
                    )
                })
                .collect::<BTreeMap<_, _>>(),
            ..Default::default()
        })
    }

    /// The reference model: the contract's words, written as plainly as possible.
    fn reference(e: &Entry, s: &Stack) -> (Status, Option<String>) {
        let mut versions: Vec<&Release> = e.versions.iter().collect();
        versions.sort_by_key(|r| std::cmp::Reverse(r.version.clone()));
        let judge = |r: &Release| {
            let mut fails = false;
            let mut missing = false;
            for (p, req) in &r.requires {
                match s.platforms.get(p.as_str()) {
                    None => missing = true,
                    Some(v) => {
                        if !req.req().matches(&v.version) {
                            fails = true;
                        }
                    }
                }
            }
            if fails {
                2
            } else if missing {
                1
            } else {
                0
            }
        };
        for (status, code) in [(Status::Compatible, 0), (Status::Unknown, 1)] {
            if let Some(r) = versions.iter().find(|r| judge(r) == code) {
                return (status, Some(r.version.to_string()));
            }
        }
        (
            Status::Incompatible,
            versions.first().map(|r| r.version.to_string()),
        )
    }

    proptest! {
        #[test]
        fn agrees_with_the_reference_model(versions in releases(), s in stack()) {
            let e = entry(versions);
            let got = tool(&e, &s);
            prop_assert_eq!((got.status, got.version), reference(&e, &s));
        }

        #[test]
        fn adding_a_platform_never_loses_compatibility(
            versions in releases(),
            s in stack(),
            extra in proptest::sample::select(&PLATFORMS[..]),
            a in 0u64..4,
            b in 0u64..6,
        ) {
            prop_assume!(!s.platforms.contains_key(extra));
            let e = entry(versions);
            let before = tool(&e, &s);
            let mut bigger = s.clone();
            bigger.platforms.insert(extra.to_string(), StackVersion {
                text: format!("{a}.{b}"),
                version: semver::Version::new(a, b, 0),
                ..Default::default()
            });
            let after = tool(&e, &bigger);
            if before.status == Status::Compatible {
                prop_assert_eq!(after.status, Status::Compatible);
                // The version that was ok stays ok; a newer one may now qualify too.
                let v = |r: &ToolCompat| semver::Version::parse(r.version.as_deref().unwrap_or("0.0.0")).expect("v");
                prop_assert!(v(&after) >= v(&before));
            }
        }

        #[test]
        fn a_met_requirement_is_never_a_reason(versions in releases(), s in stack()) {
            let e = entry(versions);
            let got = tool(&e, &s);
            for reason in &got.reasons {
                let have = &s.platforms[&reason.platform].version;
                let req = semver::VersionReq::parse(&reason.requirement).expect("req");
                prop_assert!(!req.matches(have), "{reason:?} is met");
            }
        }

        #[test]
        fn the_chosen_version_is_the_newest_that_qualifies(versions in releases(), s in stack()) {
            let e = entry(versions);
            let got = tool(&e, &s);
            let chosen = semver::Version::parse(got.version.as_deref().unwrap_or("0.0.0")).expect("v");
            for r in &e.versions {
                let v = r.version.clone();
                let outcome = evaluate(r, &s);
                let qualifies = match got.status {
                    Status::Compatible => outcome == VersionOutcome::Ok,
                    Status::Unknown => matches!(outcome, VersionOutcome::Unknown(_)),
                    Status::Incompatible => true,
                };
                if qualifies {
                    prop_assert!(v <= chosen, "{v} qualifies and is newer than {chosen}");
                }
            }
        }
    }
}
