//! The catalog's settings file, `alliance-catalog.toml`: name, paths, policy
//! and limits.

use std::collections::BTreeMap;
use std::path::{Component, Path};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::diag::{Code, Severity, SeverityPolicy};

/// The settings file as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The catalog's name.
    pub name: String,
    /// What the catalog is.
    #[serde(default)]
    pub description: String,
    /// Where the parts of the catalog are, relative to the settings file.
    #[serde(default)]
    pub paths: Paths,
    /// Review and licence policy.
    #[serde(default)]
    pub policy: Policy,
    /// Resource limits applied to every file.
    #[serde(default)]
    pub limits: Limits,
    /// Package registries read by `verify`.
    #[serde(default)]
    pub registries: Registries,
    /// Severity of codes: `"error"`, `"warning"` or `"allow"` (off), as written.
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
    /// The same, parsed once when the settings are validated.
    #[serde(skip)]
    severity_policy: SeverityPolicy,
}

/// Paths inside the catalog folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Paths {
    /// Folder of tool entries.
    pub tools: String,
    /// The taxonomy file.
    pub taxonomy: String,
    /// The generated markdown index.
    pub index: String,
    /// Folder of framework id registries (`ID.yaml` each); optional.
    pub frameworks: String,
}

impl Default for Paths {
    fn default() -> Self {
        Paths {
            tools: "tools".into(),
            taxonomy: "taxonomy.yaml".into(),
            index: "INDEX.md".into(),
            frameworks: "frameworks".into(),
        }
    }
}

/// Review and licence policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    /// Reviewers a `vetted` entry must name.
    pub vetted_min_reviewers: usize,
    /// Days after which a review is overdue, 1 to [`CEILING_REVIEW_DAYS`];
    /// checked while reading, so the error points at the value.
    #[serde(deserialize_with = "review_days")]
    pub review_max_age_days: u32,
    /// Licences to flag with `license-policy`: SPDX ids, or prefixes ending
    /// in `-` such as `LicenseRef-`.
    pub flag_licenses: Vec<String>,
    /// Hosts accepted as primary evidence besides each tool's own sites and
    /// the package registries (`secondary-evidence`): papers, standards
    /// bodies, publishers. Each also allows its subdomains.
    pub evidence_hosts: Vec<String>,
    /// `refresh` records no release younger than this many days (0 to
    /// 3650), as Dependabot's cooldown: releases yanked within days never
    /// reach the catalog.
    pub min_release_age_days: u32,
    /// `refresh` records the releases of this many months back (1 to
    /// 1200), and always the newest one.
    pub history_months: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            vetted_min_reviewers: 2,
            review_max_age_days: 365,
            flag_licenses: Vec::new(),
            evidence_hosts: Vec::new(),
            min_release_age_days: 7,
            history_months: 24,
        }
    }
}

/// Package registries read by `verify`: base URLs (mirrors work; https
/// only, except loopback addresses), the cache's time-to-live and the
/// client's bounds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Registries {
    /// PyPI (`{pypi}/pypi/NAME/json`).
    pub pypi: String,
    /// The npm registry (`{npm}/NAME`).
    pub npm: String,
    /// The crates.io sparse index (`{crates}/ab/cd/abcd…`).
    pub crates: String,
    /// Hours a cached answer is used without asking again.
    pub cache_ttl_hours: u32,
    /// Seconds a request may take.
    pub timeout_secs: u32,
    /// Largest answer read, in bytes.
    pub max_response_bytes: u64,
    /// Releases younger than this many days are not proposed by `newer-release`.
    pub min_release_age_days: u32,
}

impl Default for Registries {
    fn default() -> Self {
        Registries {
            pypi: "https://pypi.org".into(),
            npm: "https://registry.npmjs.org".into(),
            crates: "https://index.crates.io".into(),
            cache_ttl_hours: 24,
            timeout_secs: 30,
            max_response_bytes: 32 * 1024 * 1024,
            min_release_age_days: 7,
        }
    }
}

/// Resource limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest file read, in bytes.
    pub max_file_bytes: u64,
    /// Deepest YAML nesting.
    pub max_depth: usize,
    /// Most nodes aliases may expand to in one file.
    pub max_alias_nodes: usize,
    /// Most bytes the copies made for anchors and aliases may take in one file.
    pub max_alias_bytes: usize,
    /// Most entry files in one catalog.
    pub max_entries: usize,
    /// Most diagnostics shown for one file; the rest are counted.
    pub max_findings_per_file: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 1024 * 1024,
            max_depth: 64,
            max_alias_nodes: 10_000,
            max_alias_bytes: 4 * 1024 * 1024,
            max_entries: 200_000,
            max_findings_per_file: 200,
        }
    }
}

/// Hard ceilings that settings cannot exceed, so that a settings file cannot
/// switch the protections off.
pub const CEILING_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// Ceiling of [`Limits::max_depth`]: deeper trees could exhaust the stack.
pub const CEILING_DEPTH: usize = 256;
/// Ceiling of [`Limits::max_alias_nodes`].
pub const CEILING_ALIAS_NODES: usize = 1_000_000;
/// Ceiling of [`Limits::max_findings_per_file`]: past it, output of one
/// file would dwarf every other.
pub const CEILING_FINDINGS_PER_FILE: usize = 100_000;
/// Ceiling of [`Limits::max_alias_bytes`].
pub const CEILING_ALIAS_BYTES: usize = 64 * 1024 * 1024;
/// Ceiling of [`Policy::review_max_age_days`] (and of `review --within`):
/// a hundred years, far inside the calendar's range, so that date arithmetic
/// on any valid date cannot overflow.
pub const CEILING_REVIEW_DAYS: u32 = 36_525;

fn review_days<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let days = u64::deserialize(d)?;
    match u32::try_from(days) {
        Ok(days) if (1..=CEILING_REVIEW_DAYS).contains(&days) => Ok(days),
        _ => Err(serde::de::Error::custom(format!(
            "`policy.review_max_age_days = {days}`: write a number of days from 1 to {CEILING_REVIEW_DAYS}"
        ))),
    }
}

/// Why settings could not be used.
#[derive(Debug, Error)]
pub enum SettingsError {
    /// TOML syntax or type error.
    #[error("{file}:{line}:{column}: {message}")]
    Parse {
        /// The settings file.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The TOML reader's message.
        message: String,
    },
    /// A value the TOML reader accepted but the catalog cannot use.
    #[error("{file}:{line}:{column}: {message}")]
    Invalid {
        /// The settings file.
        file: String,
        /// 1-based line of the value (1 when it is not written).
        line: usize,
        /// 1-based column of the value.
        column: usize,
        /// What is wrong.
        message: String,
    },
}

impl Settings {
    /// Reads settings from TOML text; `file` names the file in errors.
    pub fn from_toml(file: &str, text: &str) -> Result<Settings, SettingsError> {
        let mut settings: Settings = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map_or((1, 1), |s| crate::source::line_column(text, s.start));
            SettingsError::Parse {
                file: file.to_string(),
                line,
                column,
                message: e.message().trim().to_string(),
            }
        })?;
        settings.severity_policy = settings.check().map_err(|(key, message)| {
            let (line, column) = key_position(text, &key).unwrap_or((1, 1));
            SettingsError::Invalid {
                file: file.to_string(),
                line,
                column,
                message,
            }
        })?;
        Ok(settings)
    }

    /// Checks what the types cannot say, and parses `[severity]`; an error
    /// names the key (`limits.max_depth`) so that it can be located.
    fn check(&self) -> Result<SeverityPolicy, (String, String)> {
        let invalid = |key: &str, message: String| Err((key.to_string(), message));
        for (key, value) in [
            ("paths.tools", &self.paths.tools),
            ("paths.taxonomy", &self.paths.taxonomy),
            ("paths.index", &self.paths.index),
            ("paths.frameworks", &self.paths.frameworks),
        ] {
            if !is_inside(value) {
                return invalid(
                    key,
                    format!(
                        "`{key} = {value:?}` must be a relative path that stays inside the catalog folder"
                    ),
                );
            }
        }
        if let Some(what) = self.index_clash() {
            let index = &self.paths.index;
            return invalid(
                "paths.index",
                format!(
                    "`paths.index = {index:?}` names {what}; `index` would overwrite it. Name a markdown file such as \"INDEX.md\""
                ),
            );
        }
        let l = &self.limits;
        if l.max_file_bytes == 0 || l.max_file_bytes > CEILING_FILE_BYTES {
            return invalid(
                "limits.max_file_bytes",
                format!("`limits.max_file_bytes` must be between 1 and {CEILING_FILE_BYTES}"),
            );
        }
        if l.max_depth < 4 || l.max_depth > CEILING_DEPTH {
            return invalid(
                "limits.max_depth",
                format!("`limits.max_depth` must be between 4 and {CEILING_DEPTH}"),
            );
        }
        if l.max_alias_nodes > CEILING_ALIAS_NODES {
            return invalid(
                "limits.max_alias_nodes",
                format!("`limits.max_alias_nodes` must be at most {CEILING_ALIAS_NODES}"),
            );
        }
        if l.max_alias_bytes > CEILING_ALIAS_BYTES {
            return invalid(
                "limits.max_alias_bytes",
                format!("`limits.max_alias_bytes` must be at most {CEILING_ALIAS_BYTES}"),
            );
        }
        if l.max_findings_per_file == 0 || l.max_findings_per_file > CEILING_FINDINGS_PER_FILE {
            return invalid(
                "limits.max_findings_per_file",
                format!(
                    "`limits.max_findings_per_file` must be between 1 and {CEILING_FINDINGS_PER_FILE}"
                ),
            );
        }
        for (key, value) in [
            ("registries.pypi", &self.registries.pypi),
            ("registries.npm", &self.registries.npm),
            ("registries.crates", &self.registries.crates),
        ] {
            let ok = url::Url::parse(value).is_ok_and(|u| registry_url_allowed(&u));
            if !ok {
                return invalid(
                    key,
                    format!(
                        "`{key} = {value:?}` must be an https:// URL (or http:// to a loopback address)"
                    ),
                );
            }
        }
        let r = &self.registries;
        if r.timeout_secs == 0 || r.timeout_secs > 600 {
            return invalid(
                "registries.timeout_secs",
                "`registries.timeout_secs` must be between 1 and 600".into(),
            );
        }
        if r.max_response_bytes < 1024 || r.max_response_bytes > 256 * 1024 * 1024 {
            return invalid(
                "registries.max_response_bytes",
                "`registries.max_response_bytes` must be between 1024 and 268435456".into(),
            );
        }
        if r.min_release_age_days > 3650 || r.cache_ttl_hours > 24 * 365 {
            return invalid(
                "registries",
                "`registries.min_release_age_days` must be at most 3650 and `cache_ttl_hours` at most 8760".into(),
            );
        }
        if self.policy.min_release_age_days > 3650 {
            return invalid(
                "policy.min_release_age_days",
                format!(
                    "`policy.min_release_age_days = {}`: write a number of days from 0 to 3650",
                    self.policy.min_release_age_days
                ),
            );
        }
        if !(1..=1200).contains(&self.policy.history_months) {
            return invalid(
                "policy.history_months",
                format!(
                    "`policy.history_months = {}`: write a number of months from 1 to 1200",
                    self.policy.history_months
                ),
            );
        }
        if self.policy.vetted_min_reviewers == 0 {
            return invalid(
                "policy.vetted_min_reviewers",
                "`policy.vetted_min_reviewers` must be at least 1".into(),
            );
        }
        if let Some(bad) = self.policy.evidence_hosts.iter().find(|h| !is_host_name(h)) {
            return invalid(
                "policy.evidence_hosts",
                format!(
                    "`policy.evidence_hosts` holds `{}`, which is not a host name; write hosts only, in lower case, such as \"arxiv.org\" (no scheme, no path)",
                    crate::text::shown(bad)
                ),
            );
        }
        self.parse_severity()
            .map_err(|message| ("severity".to_string(), message))
    }

    /// What `paths.index` would overwrite, if it names a file the catalog
    /// reads: the settings, the taxonomy, an entry, or a data file such as a
    /// schema (the index is markdown, never YAML, TOML or JSON).
    fn index_clash(&self) -> Option<&'static str> {
        let index = normalized(&self.paths.index);
        let tools = normalized(&self.paths.tools);
        if index == normalized(SETTINGS_FILE) {
            Some("the settings file")
        } else if index == normalized(&self.paths.taxonomy) {
            Some("the taxonomy")
        } else if index.starts_with(&tools) && is_entry_file(Path::new(&self.paths.index)) {
            Some("an entry file in the tools folder")
        } else if tools.starts_with(&index) {
            Some("the tools folder")
        } else if Path::new(&self.paths.index)
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| DATA_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            Some("a data file (an entry, the settings, the taxonomy or a schema)")
        } else {
            None
        }
    }

    /// The severity overrides, checked.
    pub fn severity_policy(&self) -> &SeverityPolicy {
        &self.severity_policy
    }

    /// The severity overrides, to change for one run (`validate
    /// --skip-time-based` switches codes off).
    pub fn severity_policy_mut(&mut self) -> &mut SeverityPolicy {
        &mut self.severity_policy
    }

    /// Parses the `[severity]` table.
    fn parse_severity(&self) -> Result<SeverityPolicy, String> {
        let mut policy = SeverityPolicy::default();
        for (name, level) in &self.severity {
            let code = Code::from_name(name)
                .ok_or_else(|| format!("`severity.{name}`: no diagnostic code has this name"))?;
            let level = match level.as_str() {
                "error" => Some(Severity::Error),
                "warning" => Some(Severity::Warning),
                "allow" => None,
                other => {
                    return Err(format!(
                        "`severity.{name} = {other:?}`: write \"error\", \"warning\" or \"allow\""
                    ));
                }
            };
            policy.set(code, level);
        }
        Ok(policy)
    }
}

/// Whether `url` may be fetched: https, or http to a loopback address.
pub fn registry_url_allowed(url: &url::Url) -> bool {
    match url.scheme() {
        "https" => url.host_str().is_some(),
        "http" => match url.host() {
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            Some(url::Host::Domain(d)) => d == "localhost",
            None => false,
        },
        _ => false,
    }
}

/// The name of the settings file that marks a catalog folder.
pub const SETTINGS_FILE: &str = "alliance-catalog.toml";

/// Whether a path names an entry file (`.yaml` or `.yml`).
pub fn is_entry_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

/// Extensions of the files a catalog reads: entries, taxonomy, settings, schemas.
const DATA_EXTENSIONS: &[&str] = &["yaml", "yml", "toml", "json"];

/// The normal components of a relative path (`./a//b` and `a/b` are equal).
fn normalized(path: &str) -> Vec<&std::ffi::OsStr> {
    Path::new(path)
        .components()
        .filter_map(|c| match c {
            Component::Normal(n) => Some(n),
            _ => None,
        })
        .collect()
}

/// The 1-based line and column of the value of `key` (dotted:
/// `limits.max_depth`) in the settings text, or of its table when the key
/// itself is not written.
fn key_position(text: &str, key: &str) -> Option<(usize, usize)> {
    let doc = toml::de::DeTable::parse(text).ok()?;
    let mut table = doc.get_ref();
    let mut span = None;
    for part in key.split('.') {
        let Some((k, v)) = table.iter().find(|(k, _)| k.get_ref().as_ref() == part) else {
            break;
        };
        span = Some(if v.get_ref().as_table().is_some() {
            k.span()
        } else {
            v.span()
        });
        match v.get_ref().as_table() {
            Some(inner) => table = inner,
            None => break,
        }
    }
    span.map(|s| crate::source::line_column(text, s.start))
}

/// Whether a relative path stays inside its base folder.
pub fn is_inside(path: &str) -> bool {
    let p = Path::new(path);
    !path.is_empty()
        && p.components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

/// Whether `text` is a DNS host name in lower case: labels of letters,
/// digits and inner hyphens, joined by dots, with at least one dot.
fn is_host_name(text: &str) -> bool {
    text.len() <= 253
        && text.contains('.')
        && text.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply() {
        let s = Settings::from_toml("s.toml", "name = \"X\"\n").expect("valid");
        assert_eq!(s.policy.vetted_min_reviewers, 2);
        assert_eq!(s.policy.review_max_age_days, 365);
        assert_eq!(s.paths.tools, "tools");
        assert_eq!(s.limits.max_file_bytes, 1024 * 1024);
    }

    #[test]
    fn evidence_hosts_must_be_host_names() {
        let ok = Settings::from_toml(
            "s.toml",
            "name = \"X\"\n[policy]\nevidence_hosts = [\"arxiv.org\", \"csrc.nist.gov\"]\n",
        )
        .expect("valid hosts");
        assert_eq!(ok.policy.evidence_hosts, ["arxiv.org", "csrc.nist.gov"]);
        for bad in [
            "https://arxiv.org",
            "arxiv.org/abs",
            "ArXiv.org",
            "localhost",
            "-a.org",
        ] {
            let text = format!("name = \"X\"\n[policy]\nevidence_hosts = [\"{bad}\"]\n");
            let err = Settings::from_toml("s.toml", &text)
                .expect_err(bad)
                .to_string();
            assert!(
                err.contains("evidence_hosts") && err.contains("not a host name"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn unknown_keys_are_located() {
        let err = Settings::from_toml("s.toml", "name = \"X\"\n[policy]\nreviewrs = 2\n")
            .expect_err("unknown key");
        let text = err.to_string();
        assert!(text.starts_with("s.toml:3:1:"), "{text}");
        assert!(text.contains("reviewrs"), "{text}");
    }

    #[test]
    fn paths_must_stay_inside() {
        for bad in ["../x", "/etc", "a/../../b", ""] {
            let toml = format!("name = \"X\"\n[paths]\ntools = {bad:?}\n");
            assert!(Settings::from_toml("s.toml", &toml).is_err(), "{bad}");
        }
        assert!(is_inside("tools/sub"));
    }

    #[test]
    fn refresh_policy_has_defaults_and_located_bounds() {
        let s = Settings::from_toml("s.toml", "name = \"X\"\n").expect("valid");
        assert_eq!(
            (s.policy.min_release_age_days, s.policy.history_months),
            (7, 24)
        );
        let s = Settings::from_toml(
            "s.toml",
            "name = \"X\"\n[policy]\nmin_release_age_days = 0\nhistory_months = 120\n",
        )
        .expect("valid");
        assert_eq!(
            (s.policy.min_release_age_days, s.policy.history_months),
            (0, 120)
        );
        let err = Settings::from_toml("s.toml", "name = \"X\"\n[policy]\nhistory_months = 0\n")
            .expect_err("zero months");
        assert!(err.to_string().starts_with("s.toml:3:18:"), "{err}");
        let err = Settings::from_toml(
            "s.toml",
            "name = \"X\"\n[policy]\n\nmin_release_age_days = 9999\n",
        )
        .expect_err("too many days");
        assert!(err.to_string().starts_with("s.toml:4:24:"), "{err}");
        assert!(
            Settings::from_toml("s.toml", "name = \"X\"\n[policy]\nhistory_months = -1\n").is_err()
        );
    }

    #[test]
    fn limits_have_ceilings() {
        let toml = "name = \"X\"\n[limits]\nmax_depth = 100000\n";
        assert!(Settings::from_toml("s.toml", toml).is_err());
    }

    #[test]
    fn severity_names_are_checked() {
        let ok = "name = \"X\"\n[severity]\nreview-overdue = \"error\"\n";
        assert!(Settings::from_toml("s.toml", ok).is_ok());
        let bad = "name = \"X\"\n[severity]\nno-such-code = \"error\"\n";
        assert!(Settings::from_toml("s.toml", bad).is_err());
        let level = "name = \"X\"\n[severity]\nschema = \"fatal\"\n";
        assert!(Settings::from_toml("s.toml", level).is_err());
    }
}
