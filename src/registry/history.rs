//! Release histories for `refresh`: every release of a package with its
//! first upload, yanked flag and declared requirements, read from the same
//! registry documents as `verify` (PyPI's project JSON, the npm packument,
//! the crates.io sparse index), plus the distribution files of each PyPI
//! release, whose metadata [`super::dist`] reads when the project JSON does
//! not carry it.

use jiff::Timestamp;
use serde_json::Value;
use url::Url;

/// A distribution file of a PyPI release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistFile {
    /// Its URL, resolved against the document's URL.
    pub url: Url,
    /// Its file name.
    pub filename: String,
    /// Wheel, sdist, or something else.
    pub kind: DistKind,
    /// Its size in bytes, when the registry says.
    pub size: Option<u64>,
    /// Yanked.
    pub yanked: bool,
}

/// The kind of a distribution file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DistKind {
    /// A `.whl` (a zip holding `*.dist-info/METADATA`).
    Wheel,
    /// A `.tar.gz` source distribution (holding `*/PKG-INFO`).
    SdistTarGz,
    /// A `.zip` source distribution (older releases).
    SdistZip,
    /// Anything else (eggs, exe installers): not read.
    Other,
}

/// One release of a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    /// The version as the registry spells it.
    pub version: String,
    /// First upload or publication.
    pub published: Option<Timestamp>,
    /// Yanked (PyPI, crates: every file yanked) or deprecated (npm).
    pub yanked: bool,
    /// PyPI `Requires-Python` as the files state it.
    pub requires_python: Option<String>,
    /// PyPI `Requires-Dist` lines, when the document carries them (the
    /// project JSON does for the newest release only).
    pub requires_dist: Option<Vec<String>>,
    /// npm `engines.node`.
    pub node: Option<String>,
    /// crates `rust_version`.
    pub rust_version: Option<String>,
    /// PyPI distribution files.
    pub files: Vec<DistFile>,
}

/// A package's releases, in the registry's order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct History {
    /// Every release.
    pub releases: Vec<Release>,
}

/// A registry timestamp (RFC 3339), when it is one.
pub(super) fn ts(v: &Value) -> Option<Timestamp> {
    v.as_str().and_then(|s| s.parse::<Timestamp>().ok())
}

/// A string value, trimmed, when it is not empty.
pub(super) fn nonempty(v: &Value) -> Option<String> {
    v.as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn kind_of(filename: &str, packagetype: &str) -> DistKind {
    let lower = filename.to_ascii_lowercase();
    if lower.ends_with(".whl") {
        DistKind::Wheel
    } else if lower.ends_with(".tar.gz") || lower.ends_with(".tgz") {
        DistKind::SdistTarGz
    } else if packagetype == "sdist" && lower.ends_with(".zip") {
        DistKind::SdistZip
    } else {
        DistKind::Other
    }
}

/// The PyPI project JSON, fetched from `at` (file URLs may be relative).
pub fn pypi(doc: &Value, at: &Url) -> Result<History, String> {
    let info = doc
        .get("info")
        .filter(|i| i.is_object())
        .ok_or("no `info`")?;
    let releases = doc
        .get("releases")
        .and_then(Value::as_object)
        .ok_or("no `releases`")?;
    let latest = info["version"].as_str().unwrap_or_default();
    let mut out = History::default();
    for (version, files) in releases {
        let files = files.as_array().map(Vec::as_slice).unwrap_or_default();
        let mut dist = Vec::new();
        for f in files {
            let (Some(name), Some(url)) = (f["filename"].as_str(), f["url"].as_str()) else {
                continue;
            };
            let Ok(url) = at.join(url) else { continue };
            dist.push(DistFile {
                url,
                filename: name.to_string(),
                kind: kind_of(name, f["packagetype"].as_str().unwrap_or_default()),
                size: f["size"].as_u64(),
                yanked: f["yanked"] == true,
            });
        }
        let requires_dist = (version == latest)
            .then(|| {
                info["requires_dist"].as_array().map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_string))
                        .collect()
                })
            })
            .flatten()
            // `null` for the newest release means "none declared" only when
            // the files themselves say nothing else; keep it as read.
            .or_else(|| {
                (version == latest && info["requires_dist"].is_null() && !files.is_empty())
                    .then(Vec::new)
            });
        out.releases.push(Release {
            version: version.clone(),
            published: files
                .iter()
                .filter_map(|f| ts(&f["upload_time_iso_8601"]))
                .min(),
            yanked: !files.is_empty() && files.iter().all(|f| f["yanked"] == true),
            requires_python: files.iter().find_map(|f| nonempty(&f["requires_python"])),
            requires_dist,
            node: None,
            rust_version: None,
            files: dist,
        });
    }
    Ok(out)
}

/// The npm packument.
pub fn npm(doc: &Value) -> Result<History, String> {
    let versions = doc
        .get("versions")
        .and_then(Value::as_object)
        .ok_or("no `versions`")?;
    let mut out = History::default();
    for (version, meta) in versions {
        out.releases.push(Release {
            version: version.clone(),
            published: ts(&doc["time"][version]),
            yanked: meta
                .get("deprecated")
                .is_some_and(|d| d.as_str() != Some("")),
            requires_python: None,
            requires_dist: None,
            node: nonempty(&meta["engines"]["node"]),
            rust_version: None,
            files: Vec::new(),
        });
    }
    Ok(out)
}

/// The crates.io sparse index file: one JSON object per line.
pub fn crates(body: &str) -> Result<History, String> {
    let mut out = History::default();
    for (n, line) in body.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line).map_err(|e| format!("line {}: {e}", n + 1))?;
        let version = v["vers"].as_str().ok_or("a line without `vers`")?;
        out.releases.push(Release {
            version: version.to_string(),
            published: ts(&v["pubtime"]),
            yanked: v["yanked"] == true,
            requires_python: None,
            requires_dist: None,
            node: None,
            rust_version: nonempty(&v["rust_version"]),
            files: Vec::new(),
        });
    }
    if out.releases.is_empty() {
        return Err("no versions".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pypi_files_resolve_against_the_document_and_only_the_newest_has_requires_dist() {
        let doc = serde_json::json!({
            "info": {"version": "1.1", "requires_dist": ["torch>=2.1"]},
            "releases": {
                "1.0": [{"filename": "x-1.0-py3-none-any.whl", "url": "../../packages/x-1.0-py3-none-any.whl",
                          "packagetype": "bdist_wheel", "size": 10, "yanked": false,
                          "upload_time_iso_8601": "2025-01-02T03:04:05.000000Z", "requires_python": ">=3.9"},
                         {"filename": "x-1.0.tar.gz", "url": "https://files.example/x-1.0.tar.gz",
                          "packagetype": "sdist", "yanked": false,
                          "upload_time_iso_8601": "2025-01-01T23:59:59.000000Z"}],
                "1.1": [{"filename": "x-1.1.tar.gz", "url": "x-1.1.tar.gz", "packagetype": "sdist",
                          "yanked": true, "upload_time_iso_8601": "2025-02-01T00:00:00Z"}]
            }
        });
        let at = Url::parse("https://pypi.example/pypi/x/json").expect("url");
        let h = pypi(&doc, &at).expect("pypi");
        let old = &h.releases[0];
        assert_eq!(
            old.files[0].url.as_str(),
            "https://pypi.example/packages/x-1.0-py3-none-any.whl"
        );
        assert_eq!(old.files[0].kind, DistKind::Wheel);
        assert_eq!(old.files[1].kind, DistKind::SdistTarGz);
        assert_eq!(old.requires_dist, None);
        assert_eq!(old.requires_python.as_deref(), Some(">=3.9"));
        assert_eq!(
            old.published.map(|t| t.to_string()).as_deref(),
            Some("2025-01-01T23:59:59Z")
        );
        let new = &h.releases[1];
        assert!(new.yanked);
        assert_eq!(new.requires_dist, Some(vec!["torch>=2.1".to_string()]));
    }

    #[test]
    fn npm_engines_and_crates_rust_version_are_read() {
        let doc = serde_json::json!({
            "time": {"1.0.0": "2025-03-01T10:00:00.000Z"},
            "versions": {"1.0.0": {"engines": {"node": ">=20.0.0"}}}
        });
        let h = npm(&doc).expect("npm");
        assert_eq!(h.releases[0].node.as_deref(), Some(">=20.0.0"));
        let h = crates(
            r#"{"vers":"0.1.0","yanked":false,"rust_version":"1.74","pubtime":"2025-01-01T00:00:00Z"}"#,
        )
        .expect("crates");
        assert_eq!(h.releases[0].rust_version.as_deref(), Some("1.74"));
        assert!(crates("").is_err());
        assert!(npm(&serde_json::json!([])).is_err());
        assert!(
            pypi(
                &serde_json::json!({}),
                &Url::parse("https://x.example").expect("url")
            )
            .is_err()
        );
    }
}
