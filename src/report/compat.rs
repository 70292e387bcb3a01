//! Compatibility of tools with a stack: which version of each tool fits.
//!
//! Each requirement is checked in its platform's own rules (PEP 440 and
//! PEP 508 markers, node-semver, Cargo semver; schema 1.x entries in the
//! `semver` crate's). Per version: *ok* when the release records its
//! requirements and every one is met (or its marker does not apply);
//! *fails* when a requirement that applies is not met; *unknown* when
//! nothing fails but a required platform is absent from the stack, a
//! marker depends on a variable the stack does not give, or the release
//! records no requirements at all (`requires` not written; `requires: {}`
//! states that there are none). A tool is `compatible` (its newest ok
//! version, a final release before any pre-release), else `unknown` (its
//! newest unknown version and why), else `incompatible` (its newest
//! version and every requirement it fails).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::stack::Stack;
use crate::model::{Entry, Release};
use crate::version::Verdict;

/// The status of a tool against a stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// A version of the tool meets every requirement.
    Compatible,
    /// No version fails, but the fit of every version that does not fail
    /// is unknown (a platform, a marker variable or the requirements
    /// themselves are missing).
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

/// What checking one requirement against the stack gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The stack's version meets it.
    Met,
    /// The stack's version does not meet it.
    Fails,
    /// The stack does not name the platform.
    Missing,
    /// Not met, and whether it applies depends on marker variables the
    /// stack does not give.
    UnknownMarker,
    /// Its markers do not hold in the stack's environment.
    NotApplicable,
    /// The stack's version is not a version of the platform's ecosystem.
    UnreadableVersion,
}

/// One requirement of a release, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Checked {
    /// The platform.
    pub platform: String,
    /// The requirement, as written in the entry: of several clauses, those
    /// whose markers may hold in the stack's environment, joined by ` | `.
    pub requirement: String,
    /// The stack's version of the platform, as written, if it has one.
    pub version: Option<String>,
    /// What the check gave.
    pub outcome: Outcome,
    /// For `unknown-marker`: the marker variables the stack does not give;
    /// for `unreadable-version`: why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub detail: Vec<String>,
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
    /// Whether `version` records its requirements (`false`: nothing is
    /// known of them, so it cannot be called compatible).
    pub requirements_recorded: bool,
    /// Every requirement of `version`, checked: those met as well as those
    /// that fail or are unknown.
    pub requirements: Vec<Checked>,
    /// For `incompatible`: every requirement of `version` that fails.
    pub reasons: Vec<Reason>,
    /// For `unknown`: the platforms `version` requires that the stack does not name.
    pub missing: Vec<String>,
}

impl ToolCompat {
    /// The reasons, each a short phrase, for tables (which wrap them) and
    /// markdown.
    pub fn why_parts(&self) -> Vec<String> {
        let phrase = |c: &Checked| {
            let have = c.version.as_deref().unwrap_or("");
            match c.outcome {
                Outcome::Met => format!("{} {have} meets {}", c.platform, c.requirement),
                Outcome::Fails => format!("{} {have} fails {}", c.platform, c.requirement),
                Outcome::Missing => format!("stack does not name {}", c.platform),
                Outcome::UnknownMarker => format!(
                    "{} {have} fails {} where it applies; the stack does not give {}",
                    c.platform,
                    c.requirement,
                    c.detail.join(", ")
                ),
                Outcome::NotApplicable => format!(
                    "{} {} does not apply to this environment",
                    c.platform, c.requirement
                ),
                Outcome::UnreadableVersion => {
                    format!("{} {have}: {}", c.platform, c.detail.join("; "))
                }
            }
        };
        if !self.requirements_recorded {
            return vec!["no requirements recorded".into()];
        }
        if self.version.is_some() && self.requirements.is_empty() {
            return vec!["records that it has no requirements".into()];
        }
        let wanted: &[Outcome] = match self.status {
            Status::Compatible => &[Outcome::Met, Outcome::NotApplicable],
            Status::Unknown => &[Outcome::UnknownMarker, Outcome::UnreadableVersion],
            Status::Incompatible => &[Outcome::Fails],
        };
        let mut parts: Vec<String> = Vec::new();
        if self.status == Status::Unknown && !self.missing.is_empty() {
            parts.push(format!("stack does not name {}", self.missing.join(", ")));
        }
        parts.extend(
            self.requirements
                .iter()
                .filter(|c| wanted.contains(&c.outcome))
                .map(phrase),
        );
        parts
    }

    /// One line saying why.
    pub fn why(&self) -> String {
        self.why_parts().join("; ")
    }
}

/// The outcome for one version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// Whether the release records its requirements.
    pub recorded: bool,
    /// Each requirement, checked.
    pub checks: Vec<Checked>,
}

/// The class of an evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionOutcome {
    /// Recorded, and every requirement is met or does not apply.
    Ok,
    /// Nothing fails, but something is unknown.
    Unknown,
    /// A requirement fails.
    Fails,
}

impl Evaluation {
    /// Its class.
    pub fn outcome(&self) -> VersionOutcome {
        if self.checks.iter().any(|c| c.outcome == Outcome::Fails) {
            VersionOutcome::Fails
        } else if !self.recorded
            || self.checks.iter().any(|c| {
                matches!(
                    c.outcome,
                    Outcome::Missing | Outcome::UnknownMarker | Outcome::UnreadableVersion
                )
            })
        {
            VersionOutcome::Unknown
        } else {
            VersionOutcome::Ok
        }
    }
}

/// Evaluates one release against the stack.
pub fn evaluate(release: &Release, stack: &Stack) -> Evaluation {
    let env = stack.marker_environment();
    let checks = release
        .requires
        .iter()
        .map(|(platform, requirement)| {
            let have = stack
                .platforms
                .get(platform.as_str())
                .map(|v| v.text.clone());
            let (outcome, detail) = match &have {
                None => (Outcome::Missing, Vec::new()),
                Some(text) => match requirement.check(text, &env) {
                    Verdict::Met => (Outcome::Met, Vec::new()),
                    Verdict::Fails => (Outcome::Fails, Vec::new()),
                    Verdict::NotApplicable => (Outcome::NotApplicable, Vec::new()),
                    Verdict::Unknown(vars) => (
                        Outcome::UnknownMarker,
                        vars.iter().map(|v| v.to_string()).collect(),
                    ),
                    Verdict::BadVersion(why) => (Outcome::UnreadableVersion, vec![why]),
                },
            };
            // A platform the stack lacks is not needed where every marker
            // of the requirement is false without it.
            let outcome = if outcome == Outcome::Missing
                && requirement
                    .clauses()
                    .iter()
                    .all(|c| c.marker().is_some_and(|m| m.evaluate(&env) == Some(false)))
            {
                Outcome::NotApplicable
            } else {
                outcome
            };
            Checked {
                platform: platform.to_string(),
                requirement: requirement.applicable_text(&env),
                version: have,
                outcome,
                detail,
            }
        })
        .collect();
    Evaluation {
        recorded: release.requires_recorded,
        checks,
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
    let outcomes: Vec<(&Release, Evaluation)> =
        releases.iter().map(|r| (*r, evaluate(r, stack))).collect();
    let row = |status, found: Option<&(&Release, Evaluation)>| {
        let (release, eval) = match found {
            Some((r, e)) => (Some(*r), Some(e)),
            None => (None, None),
        };
        let checks = eval.map(|e| e.checks.clone()).unwrap_or_default();
        ToolCompat {
            id: entry.id.to_string(),
            status,
            version: release.map(|r| r.version.to_string()),
            requirements_recorded: eval.is_none_or(|e| e.recorded),
            reasons: checks
                .iter()
                .filter(|c| c.outcome == Outcome::Fails)
                .map(|c| Reason {
                    platform: c.platform.clone(),
                    requirement: c.requirement.clone(),
                    version: c.version.clone().unwrap_or_default(),
                })
                .collect(),
            missing: if status == Status::Unknown {
                checks
                    .iter()
                    .filter(|c| c.outcome == Outcome::Missing)
                    .map(|c| c.platform.clone())
                    .collect()
            } else {
                Vec::new()
            },
            requirements: checks,
        }
    };
    // PEP 440's rule for candidates: a pre-release only when no final
    // release qualifies.
    let ok = |o: &&(&Release, Evaluation)| o.1.outcome() == VersionOutcome::Ok;
    if let Some(found) = outcomes
        .iter()
        .filter(ok)
        .find(|(r, _)| !r.version.is_prerelease())
        .or_else(|| outcomes.iter().find(ok))
    {
        return row(Status::Compatible, Some(found));
    }
    if let Some(found) = outcomes
        .iter()
        .find(|(_, e)| e.outcome() == VersionOutcome::Unknown)
    {
        return row(Status::Unknown, Some(found));
    }
    match outcomes.first() {
        Some(found) => row(Status::Incompatible, Some(found)),
        // A tool with no versions (the schema forbids it) has nothing to fail.
        None => row(Status::Unknown, None),
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
    /// The reasons, each a phrase ([`ToolCompat::why_parts`]).
    #[serde(skip)]
    pub why: Vec<String>,
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
                why: result.why_parts(),
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

    /// A release of schema 2.0.0 requirements (PEP 440 for every platform
    /// of these tests).
    pub(super) fn release(version: &str, requires: &[(&str, &str)]) -> Release {
        Release {
            version: crate::version::ReleaseVersion::parse(
                version,
                crate::version::VersionRules::Semver,
            )
            .expect("version"),
            released: jiff::civil::date(2025, 1, 1),
            requires: requires
                .iter()
                .map(|(p, r)| {
                    let target = crate::model::entry::target_of(None, p, 2);
                    (
                        crate::model::PlatformId::from(*p),
                        crate::model::Requirement::parse(r, target).expect("requirement"),
                    )
                })
                .collect(),
            requires_recorded: true,
            notes: None,
            advisories: Vec::new(),
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
            None,
        )
        .expect("entry");
        e.versions = releases.into();
        e
    }

    pub(super) fn stack(pairs: &[(&str, &str)]) -> Stack {
        Stack {
            name: None,
            environment: BTreeMap::new(),
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
        }
    }

    #[test]
    fn a_version_that_states_it_has_no_requirements_is_ok() {
        let e = entry(vec![release("1.0.0", &[])]);
        let r = tool(&e, &stack(&[]));
        assert_eq!(
            (r.status, r.version.as_deref()),
            (Status::Compatible, Some("1.0.0"))
        );
        assert_eq!(r.why(), "records that it has no requirements");
    }

    #[test]
    fn a_version_that_records_no_requirements_is_not_compatible() {
        let mut unrecorded = release("2.0.0", &[]);
        unrecorded.requires_recorded = false;
        let e = entry(vec![unrecorded.clone()]);
        let r = tool(&e, &stack(&[("transformers", "4.46.0")]));
        assert_eq!(
            (r.status, r.version.as_deref(), r.requirements_recorded),
            (Status::Unknown, Some("2.0.0"), false)
        );
        assert_eq!(r.why(), "no requirements recorded");
        // An older release that records and meets its requirements wins.
        let e = entry(vec![
            unrecorded,
            release("1.0.0", &[("transformers", ">=4.40")]),
        ]);
        let r = tool(&e, &stack(&[("transformers", "4.46.0")]));
        assert_eq!(
            (r.status, r.version.as_deref()),
            (Status::Compatible, Some("1.0.0"))
        );
    }

    #[test]
    fn compatible_rows_list_the_requirements_they_meet() {
        let e = entry(vec![release(
            "1.0.0",
            &[("python", ">=3.9"), ("numpy", "numpy")],
        )]);
        let r = tool(&e, &stack(&[("python", "3.12"), ("numpy", "2.1.0")]));
        assert_eq!(r.status, Status::Compatible);
        let met: Vec<(&str, Outcome)> = r
            .requirements
            .iter()
            .map(|c| (c.platform.as_str(), c.outcome))
            .collect();
        assert_eq!(met, [("numpy", Outcome::Met), ("python", Outcome::Met)]);
        assert_eq!(r.why(), "numpy 2.1.0 meets numpy; python 3.12 meets >=3.9");
    }

    #[test]
    fn pep440_specifiers_and_markers() {
        let e = entry(vec![release(
            "1.0.0",
            &[("pytorch", "!=1.8,>=1.7.0"), ("python", "~=3.10")],
        )]);
        let s = |torch: &str| tool(&e, &stack(&[("pytorch", torch), ("python", "3.12")])).status;
        assert_eq!(s("1.8"), Status::Incompatible);
        assert_eq!(s("1.8.0"), Status::Incompatible, "1.8.0 is 1.8 in PEP 440");
        assert_eq!(s("1.8.1"), Status::Compatible);
        assert_eq!(s("2.5.1+cu121"), Status::Compatible);

        let target = crate::model::entry::target_of(None, "numpy", 2);
        let req = crate::model::Requirement::parse_list(
            &[
                "numpy<2.0.0,>=1.23.5; python_version < \"3.13\"",
                "numpy>=2.1.0; python_version >= \"3.13\"",
            ],
            target,
        )
        .expect("list");
        let mut r = release("0.52.0", &[]);
        r.requires = crate::model::Requires::new([(crate::model::PlatformId::from("numpy"), req)]);
        let e = entry(vec![r]);
        let s = |py: Option<&str>, np: &str| {
            let mut pairs = vec![("numpy", np)];
            pairs.extend(py.map(|p| ("python", p)));
            tool(&e, &stack(&pairs)).status
        };
        assert_eq!(s(Some("3.12"), "1.26.4"), Status::Compatible);
        assert_eq!(s(Some("3.12"), "2.1.0"), Status::Incompatible);
        assert_eq!(s(Some("3.13"), "2.1.0"), Status::Compatible);
        assert_eq!(s(Some("3.13"), "1.26.4"), Status::Incompatible);
        // Without Python the marker is unknown: 1.26.4 fails the clause for
        // 3.13 and later, which may or may not apply.
        let r = tool(&e, &stack(&[("numpy", "1.26.4")]));
        assert_eq!(r.status, Status::Unknown);
        assert_eq!(r.requirements[0].detail, ["python_version"]);
        assert!(
            r.why().contains("the stack does not give python_version"),
            "{}",
            r.why()
        );
    }

    /// `release`, with the version read as PEP 440 (a PyPI tool).
    fn pypi_release(version: &str, requires: &[(&str, &str)]) -> Release {
        let mut r = release("0.0.0", requires);
        r.version =
            crate::version::ReleaseVersion::parse(version, crate::version::VersionRules::Pep440)
                .expect("version");
        r
    }

    #[test]
    fn pypi_releases_are_chosen_in_pep440_order() {
        // Listed oldest first on purpose: the order is the versions', not the file's.
        let e = entry(vec![
            pypi_release("0.10.3", &[("python", ">=3.10")]),
            pypi_release("0.10.3.1", &[("python", ">=3.10")]),
            pypi_release("0.9.0.9", &[("python", ">=3.9")]),
        ]);
        let r = tool(&e, &stack(&[("python", "3.11.9")]));
        assert_eq!(
            (r.status, r.version.as_deref()),
            (Status::Compatible, Some("0.10.3.1"))
        );
        // A post-release is final and newer; a PEP 440 pre-release only
        // when nothing final fits.
        let e = entry(vec![
            pypi_release("2.4.0rc1", &[("python", ">=3.9")]),
            pypi_release("1.0.0.post1", &[("python", ">=3.9")]),
            pypi_release("1.0.0", &[("python", ">=3.9")]),
        ]);
        let r = tool(&e, &stack(&[("python", "3.12")]));
        assert_eq!(r.version.as_deref(), Some("1.0.0.post1"));
        let e = entry(vec![
            pypi_release("2.4.0rc1", &[("python", ">=3.9")]),
            pypi_release("1.0.0.post1", &[("python", ">=3.13")]),
        ]);
        let r = tool(&e, &stack(&[("python", "3.12")]));
        assert_eq!(
            r.version.as_deref(),
            Some("2.4.0rc1"),
            "the only release that fits"
        );
    }

    #[test]
    fn a_final_release_is_chosen_before_a_newer_prerelease() {
        let e = entry(vec![
            release("2.0.0-rc.1", &[("python", ">=3.9")]),
            release("1.9.0", &[("python", ">=3.9")]),
        ]);
        let r = tool(&e, &stack(&[("python", "3.12")]));
        assert_eq!(r.version.as_deref(), Some("1.9.0"));
        let e = entry(vec![
            release("2.0.0-rc.1", &[("python", ">=3.9")]),
            release("1.9.0", &[("python", ">=3.13")]),
        ]);
        let r = tool(&e, &stack(&[("python", "3.12")]));
        assert_eq!(
            r.version.as_deref(),
            Some("2.0.0-rc.1"),
            "the only release that fits"
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
                &[("python", ">=3.14"), ("numpy", ">=2"), ("pandas", "pandas")],
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
        // An installed pre-release is admitted where it falls in range ...
        assert_eq!(
            tool(&e, &stack(&[("pytorch", "2.5.0rc1")])).status,
            Status::Compatible
        );
        // ... and PEP 440 orders it before its release: `<2.6` excludes 2.6.0rc1,
        // `>=2.3` excludes 2.3.0rc1.
        assert_eq!(
            tool(&e, &stack(&[("pytorch", "2.6.0rc1")])).status,
            Status::Incompatible
        );
        assert_eq!(
            tool(&e, &stack(&[("pytorch", "2.3.0rc1")])).status,
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
                    version: crate::version::ReleaseVersion::from_semver(semver::Version::new(
                        i as u64, 0, 0,
                    )),
                    released: jiff::civil::date(2025, 1, 1),
                    requires: requires
                        .into_iter()
                        .map(|(p, r): (String, String)| {
                            // Schema 1.x requirements: the semver crate's rules.
                            let target = crate::model::entry::target_of(None, &p, 1);
                            (
                                crate::model::PlatformId::from(p.as_str()),
                                crate::model::Requirement::parse(&r, target).expect("requirement"),
                            )
                        })
                        .collect(),
                    requires_recorded: true,
                    notes: None,
                    advisories: Vec::new(),
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
            environment: BTreeMap::new(),
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
                        let req = semver::VersionReq::parse(&req.to_string()).expect("req");
                        if !req.matches(&v.version) {
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
                let v = semver::Version::parse(r.version.as_str()).expect("v");
                let outcome = evaluate(r, &s).outcome();
                let qualifies = match got.status {
                    Status::Compatible => outcome == VersionOutcome::Ok,
                    Status::Unknown => outcome == VersionOutcome::Unknown,
                    Status::Incompatible => true,
                };
                if qualifies {
                    prop_assert!(v <= chosen, "{v} qualifies and is newer than {chosen}");
                }
            }
        }
    }
}
