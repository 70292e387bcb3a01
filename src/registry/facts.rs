//! Typed facts read from registry answers. Parsing never panics: anything
//! that is not the expected shape is an error about the answer.

use jiff::Timestamp;
use serde_json::Value;

use super::history::{self, nonempty, ts};

/// One release as the registry records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseFact {
    /// The version as the registry spells it.
    pub version: String,
    /// First upload (PyPI: earliest file; npm: `time`; crates: `pubtime`).
    pub published: Option<Timestamp>,
    /// Yanked (PyPI, crates) or deprecated (npm).
    pub yanked: bool,
    /// PyPI `Requires-Python` of the release's files, when they say.
    pub requires_python: Option<String>,
}

/// An advisory the registry reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advisory {
    /// Its id (`PYSEC-…`, `GHSA-…`) and aliases.
    pub ids: Vec<String>,
    /// Versions that fix it.
    pub fixed_in: Vec<String>,
    /// The version it was reported for.
    pub affects: String,
}

/// What a registry says about one package.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PackageFacts {
    /// Every release.
    pub releases: Vec<ReleaseFact>,
    /// The licence expression, when the registry gives one.
    pub license: Option<String>,
    /// Licence classifiers (PyPI), e.g. `License :: OSI Approved :: MIT License`.
    pub license_classifiers: Vec<String>,
    /// Advisories not withdrawn.
    pub advisories: Vec<Advisory>,
}

impl PackageFacts {
    /// The release equal to `version` (PEP 440-like equality of release numbers).
    pub fn release(&self, version: &str) -> Option<&ReleaseFact> {
        self.releases
            .iter()
            .find(|r| same_version(&r.version, version))
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

impl From<history::Release> for ReleaseFact {
    fn from(r: history::Release) -> ReleaseFact {
        ReleaseFact {
            version: r.version,
            published: r.published,
            yanked: r.yanked,
            requires_python: r.requires_python,
        }
    }
}

/// The facts of the releases `refresh`'s parser reads from the same answer.
fn release_facts(h: history::History) -> Vec<ReleaseFact> {
    h.releases.into_iter().map(ReleaseFact::from).collect()
}

/// The PyPI project JSON (`/pypi/NAME/json`).
pub fn pypi(doc: &Value) -> Result<PackageFacts, String> {
    let info = doc
        .get("info")
        .filter(|i| i.is_object())
        .ok_or("no `info`")?;
    let releases = doc
        .get("releases")
        .and_then(Value::as_object)
        .ok_or("no `releases`")?;
    let mut out = PackageFacts {
        license: nonempty(&info["license_expression"]),
        license_classifiers: strings(&info["classifiers"])
            .into_iter()
            .filter(|c| c.starts_with("License ::"))
            .collect(),
        ..PackageFacts::default()
    };
    if out.license.is_none() {
        // `license` holds free text on many projects: keep it only when it is
        // one short SPDX expression.
        out.license = nonempty(&info["license"])
            .filter(|l| l.len() <= 64 && spdx::Expression::parse(l).is_ok());
    }
    for (version, files) in releases {
        let files = files.as_array().map(Vec::as_slice).unwrap_or_default();
        let published = files
            .iter()
            .filter_map(|f| ts(&f["upload_time_iso_8601"]))
            .min();
        let yanked = !files.is_empty() && files.iter().all(|f| f["yanked"] == true);
        let requires_python = files.iter().find_map(|f| nonempty(&f["requires_python"]));
        out.releases.push(ReleaseFact {
            version: version.clone(),
            published,
            yanked,
            requires_python,
        });
    }
    let latest = info["version"].as_str().unwrap_or_default().to_string();
    for v in doc["vulnerabilities"].as_array().into_iter().flatten() {
        if v["withdrawn"].is_string() {
            continue;
        }
        let mut ids = Vec::new();
        ids.extend(nonempty(&v["id"]));
        ids.extend(strings(&v["aliases"]));
        out.advisories.push(Advisory {
            ids,
            fixed_in: strings(&v["fixed_in"]),
            affects: latest.clone(),
        });
    }
    Ok(out)
}

/// The npm packument (`/NAME`): the releases as `refresh` reads them, and
/// the licence of the newest.
pub fn npm(doc: &Value) -> Result<PackageFacts, String> {
    let releases = release_facts(history::npm(doc)?);
    let latest = doc["dist-tags"]["latest"].as_str();
    let license_of = |v: &Value| match v {
        Value::String(s) => nonempty(&Value::String(s.clone())),
        Value::Object(o) => o.get("type").and_then(nonempty),
        _ => None,
    };
    Ok(PackageFacts {
        releases,
        license: latest
            .and_then(|l| license_of(&doc["versions"][l]["license"]))
            .or_else(|| license_of(&doc["license"])),
        ..PackageFacts::default()
    })
}

/// The crates.io sparse index file: one JSON object per line.
pub fn crates(body: &str) -> Result<PackageFacts, String> {
    Ok(PackageFacts {
        releases: release_facts(history::crates(body)?),
        ..PackageFacts::default()
    })
}

/// The crates.io sparse index path of a crate name.
pub fn crates_path(name: &str) -> String {
    let n = name.to_ascii_lowercase();
    match n.len() {
        1 => format!("1/{n}"),
        2 => format!("2/{n}"),
        3 => format!("3/{}/{n}", &n[..1]),
        _ => format!("{}/{}/{n}", &n[..2], &n[2..4]),
    }
}

/// The numeric release parts of a version, when it is only numbers and dots
/// (after an optional `v`).
fn numeric(v: &str) -> Option<Vec<u64>> {
    let v = v.trim().trim_start_matches(['v', 'V']);
    let mut parts: Vec<u64> = v
        .split('.')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    while parts.len() > 1 && parts.last() == Some(&0) {
        parts.pop();
    }
    Some(parts)
}

/// A version in the rules that read both texts: semver when both are
/// semantic versions (npm, crates), else PEP 440 when both are (PyPI).
enum Pair {
    Semver(semver::Version, semver::Version),
    Pep440(pep440_rs::Version, pep440_rs::Version),
}

fn pair(a: &str, b: &str) -> Option<Pair> {
    if let (Ok(x), Ok(y)) = (
        semver::Version::parse(a.trim()),
        semver::Version::parse(b.trim()),
    ) {
        return Some(Pair::Semver(x, y));
    }
    let pep = |v: &str| v.trim().parse::<pep440_rs::Version>().ok();
    Some(Pair::Pep440(pep(a)?, pep(b)?))
}

/// Whether two spellings name the same version: `0.2` and `0.2.0` do
/// (PEP 440 pads release numbers with zeros), as do `1.0-RC1` and
/// `1.0rc1`; otherwise the text, ignoring case.
pub fn same_version(a: &str, b: &str) -> bool {
    match pair(a, b) {
        Some(Pair::Semver(x, y)) => x == y,
        Some(Pair::Pep440(x, y)) => x == y,
        None => match (numeric(a), numeric(b)) {
            (Some(x), Some(y)) => x == y,
            _ => a.trim().eq_ignore_ascii_case(b.trim()),
        },
    }
}

/// Whether a version is a pre-release: a semver pre-release, a PEP 440
/// pre- or development release (a post-release is final), or, for other
/// texts, letters other than a post-release.
pub fn is_prerelease(v: &str) -> bool {
    if let Ok(x) = semver::Version::parse(v.trim()) {
        return !x.pre.is_empty();
    }
    if let Ok(x) = v.trim().parse::<pep440_rs::Version>() {
        return x.any_prerelease();
    }
    let lower = v.to_ascii_lowercase();
    let rest = lower.trim_start_matches('v');
    rest.contains('-')
        || rest
            .replace("post", "")
            .bytes()
            .any(|b| b.is_ascii_alphabetic())
}

/// Orders versions: by semver when both are semantic versions, by PEP 440
/// when both are PEP 440 versions (`0.10.3` < `0.10.3.1`, `2.4.0rc1` <
/// `2.4.0` < `2.4.0.post1`); otherwise by their numeric parts
/// (pre-releases before releases of the same number); `None` when either
/// has no numeric start.
pub fn compare(a: &str, b: &str) -> Option<std::cmp::Ordering> {
    match pair(a, b) {
        Some(Pair::Semver(x, y)) => return Some(x.cmp_precedence(&y)),
        Some(Pair::Pep440(x, y)) => return Some(x.cmp(&y)),
        None => {}
    }
    let key = |v: &str| -> Option<(Vec<u64>, bool)> {
        let v = v.trim().trim_start_matches(['v', 'V']);
        let end = v
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(v.len());
        let mut parts: Vec<u64> = v[..end]
            .trim_end_matches('.')
            .split('.')
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        while parts.len() > 1 && parts.last() == Some(&0) {
            parts.pop();
        }
        Some((parts, !is_prerelease(v)))
    };
    Some(key(a)?.cmp(&key(b)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_versions_compare_like_pep440_release_numbers() {
        assert!(same_version("0.2", "0.2.0"));
        assert!(same_version("0.2.0.0", "0.2.0"));
        assert!(!same_version("0.12.0", "0.9"));
        assert!(is_prerelease("1.0.0rc1") && is_prerelease("0.10.3-alpha"));
        assert!(!is_prerelease("1.0.0.post1") && !is_prerelease("2.1.0"));
        assert_eq!(compare("0.10", "0.9"), Some(Greater));
        assert_eq!(compare("1.0rc1", "1.0"), Some(Less));
        use std::cmp::Ordering::{Equal, Greater, Less};
        assert_eq!(compare("0.10.3", "0.10.3.1"), Some(Less));
        assert_eq!(compare("0.10.3.1", "0.11.0"), Some(Less));
        assert_eq!(compare("1.0.post1", "1.0"), Some(Greater));
        assert_eq!(compare("2.0.0-rc.1", "2.0.0"), Some(Less));
        assert_eq!(compare("1.0.0+build.5", "1.0.0"), Some(Equal));
        assert!(same_version("1.0-RC1", "1.0rc1") && !same_version("1.0.post1", "1.0"));
        assert!(is_prerelease("2.0.0-rc.1") && is_prerelease("1.0.dev3"));
        assert_eq!(crates_path("c2patool"), "c2/pa/c2patool");
        assert_eq!(crates_path("syn"), "3/s/syn");
    }

    #[test]
    fn registry_answers_of_the_wrong_shape_are_errors_not_panics() {
        for doc in [
            serde_json::json!(null),
            serde_json::json!([]),
            serde_json::json!({"info": 1}),
        ] {
            assert!(pypi(&doc).is_err());
            assert!(npm(&doc).is_err());
        }
        assert!(crates("not json").is_err());
        assert!(crates("").is_err());
    }
}
