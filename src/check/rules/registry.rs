//! Registry rules (`verify`): an entry's facts against what the registries
//! of its packages say. They read only typed facts; the network is the
//! `registry` module's business.

use std::collections::BTreeMap;
use std::fmt;

use jiff::civil::Date;

use super::Emit;
use crate::model::RawEntry;
use crate::model::raw::items;
use crate::purl::Purl;
use crate::registry::Lookup;
use crate::registry::facts::{self, PackageFacts, ReleaseFact};
use crate::schema::shown;

/// What registry rules are fed.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    /// Per canonical purl, what its registry said.
    pub lookups: &'a BTreeMap<String, Lookup>,
    /// Today (UTC).
    pub today: Date,
    /// Releases younger than this many days are not proposed.
    pub min_release_age_days: u32,
}

impl Facts<'_> {
    /// The entry's packages that were found, with their facts.
    fn found<'b>(&'b self, entry: &'b RawEntry) -> Vec<(String, &'b PackageFacts)> {
        items(&entry.packages)
            .filter_map(|(_, text)| {
                let purl = Purl::parse(text).ok()?.package_only().to_string();
                match self.lookups.get(&purl) {
                    Some(Lookup::Found(f)) => Some((purl, f)),
                    _ => None,
                }
            })
            .collect()
    }
}

struct NotFound<'a> {
    purl: &'a str,
}
impl fmt::Display for NotFound<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the registry does not know `{}`; correct the name or remove it",
            shown(self.purl)
        )
    }
}

struct Unpublished<'a> {
    version: &'a str,
    packages: String,
    newest: Option<String>,
}
impl fmt::Display for Unpublished<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "version `{}` was never published as {}",
            shown(self.version),
            self.packages
        )?;
        if let Some(n) = &self.newest {
            write!(f, " (its newest release is {n})")?;
        }
        f.write_str("; correct the version or remove the release")
    }
}

struct Yanked<'a> {
    version: &'a str,
    purl: &'a str,
}
impl fmt::Display for Yanked<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "version `{}` of `{}` is yanked (or deprecated) on its registry",
            shown(self.version),
            self.purl
        )
    }
}

struct DateMismatch<'a> {
    version: &'a str,
    listed: &'a str,
    registry: Date,
}
impl fmt::Display for DateMismatch<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "version `{}` was first published on {} (UTC), not {}; write `released: {}`",
            shown(self.version),
            self.registry,
            shown(self.listed),
            self.registry
        )
    }
}

struct PythonDrift<'a> {
    version: &'a str,
    listed: Option<&'a str>,
    registry: &'a str,
}
impl fmt::Display for PythonDrift<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.listed {
            Some(l) => write!(
                f,
                "version `{}` requires Python `{}` on PyPI, but the entry says `{}`",
                shown(self.version),
                self.registry,
                shown(l)
            ),
            None => write!(
                f,
                "version `{}` requires Python `{}` on PyPI, which the entry leaves out; add `python: \"{}\"` under `requires`",
                shown(self.version),
                self.registry,
                self.registry.replace(',', ", ")
            ),
        }
    }
}

struct LicenseDrift<'a> {
    listed: &'a str,
    purl: &'a str,
    registry: String,
}
impl fmt::Display for LicenseDrift<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the licence `{}` disagrees with the registry's licence metadata for `{}`: {}; check the release's licence file",
            shown(self.listed),
            self.purl,
            self.registry
        )
    }
}

struct Vulnerable<'a> {
    version: &'a str,
    purl: &'a str,
    ids: String,
    fixed: String,
}
impl fmt::Display for Vulnerable<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "version `{}` of `{}` has a published advisory: {} ({})",
            shown(self.version),
            self.purl,
            self.ids,
            self.fixed
        )
    }
}

struct Newer<'a> {
    listed: &'a str,
    purl: &'a str,
    newer: &'a str,
    date: Option<Date>,
}
impl fmt::Display for Newer<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` has a newer release, {}", self.purl, self.newer)?;
        if let Some(d) = self.date {
            write!(f, " (published {d})")?;
        }
        write!(
            f,
            ", than the newest listed, {}; review it and add it to `versions`",
            shown(self.listed)
        )
    }
}

crate::message_code!(
    NotFound<'a> => PackageNotFound,
    Unpublished<'a> => UnpublishedVersion,
    Yanked<'a> => YankedVersion,
    DateMismatch<'a> => ReleaseDateMismatch,
    PythonDrift<'a> => RequiresPythonDrift,
    LicenseDrift<'a> => LicenseDrift,
    Vulnerable<'a> => KnownVulnerability,
    Newer<'a> => NewerRelease,
);

fn utc_day(r: &ReleaseFact) -> Option<Date> {
    r.published
        .map(|t| t.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
}

/// The first found package that has `version`, with its release.
fn release_of<'b>(
    found: &'b [(String, &'b PackageFacts)],
    version: &str,
) -> Option<(&'b str, &'b ReleaseFact)> {
    found
        .iter()
        .find_map(|(p, f)| f.release(version).map(|r| (p.as_str(), r)))
}

/// `package-not-found`.
pub fn not_found(entry: &RawEntry, facts: &Facts<'_>, out: &mut Emit<'_>) {
    for (i, text) in items(&entry.packages) {
        let Ok(purl) = Purl::parse(text) else {
            continue;
        };
        let purl = purl.package_only().to_string();
        if facts.lookups.get(&purl) == Some(&Lookup::NotFound) {
            out.value(format!("/packages/{i}"), &NotFound { purl: &purl });
        }
    }
}

/// `unpublished-version`, `yanked-version` and `release-date-mismatch`.
pub fn versions(entry: &RawEntry, facts: &Facts<'_>, out: &mut Emit<'_>) {
    let found = facts.found(entry);
    if found.is_empty() {
        return;
    }
    for (i, release) in items(&entry.versions) {
        let Some(version) = release.version.as_deref() else {
            continue;
        };
        match release_of(&found, version) {
            None => {
                let packages = found
                    .iter()
                    .map(|(p, _)| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(" or ");
                let newest = found
                    .first()
                    .and_then(|(_, f)| newest(f, None))
                    .map(|r| r.version.clone());
                out.value(
                    format!("/versions/{i}/version"),
                    &Unpublished {
                        version,
                        packages,
                        newest,
                    },
                );
            }
            Some((purl, r)) => {
                if r.yanked {
                    out.value(format!("/versions/{i}/version"), &Yanked { version, purl });
                }
                if let (Some(listed), Some(day)) = (release.released.as_deref(), utc_day(r))
                    && listed != day.to_string()
                {
                    out.value(
                        format!("/versions/{i}/released"),
                        &DateMismatch {
                            version,
                            listed,
                            registry: day,
                        },
                    );
                }
            }
        }
    }
}

/// `requires-python-drift`.
pub fn requires_python(entry: &RawEntry, facts: &Facts<'_>, out: &mut Emit<'_>) {
    let found: Vec<_> = facts
        .found(entry)
        .into_iter()
        .filter(|(p, _)| p.starts_with("pkg:pypi/"))
        .collect();
    for (i, release) in items(&entry.versions) {
        let Some(version) = release.version.as_deref() else {
            continue;
        };
        let Some((_, r)) = release_of(&found, version) else {
            continue;
        };
        let Some(registry) = r.requires_python.as_deref() else {
            continue;
        };
        let listed = release
            .requires
            .as_ref()
            .and_then(|m| m.get("python"))
            .and_then(|v| v.as_ref())
            .and_then(|v| v.as_one());
        match listed {
            Some(l) if crate::refresh::comparators(l) == crate::refresh::comparators(registry) => {}
            Some(l) => out.value(
                format!("/versions/{i}/requires/python"),
                &PythonDrift {
                    version,
                    listed: Some(l),
                    registry,
                },
            ),
            None => out.value(
                format!("/versions/{i}"),
                &PythonDrift {
                    version,
                    listed: None,
                    registry,
                },
            ),
        }
    }
}

/// The SPDX id prefixes a licence classifier stands for.
fn classifier_ids(classifier: &str) -> Option<&'static [&'static str]> {
    let name = classifier.rsplit("::").next()?.trim();
    Some(match name {
        "MIT License" => &["MIT"],
        "Apache Software License" => &["Apache-"],
        "BSD License" => &["BSD-", "0BSD"],
        "ISC License (ISCL)" => &["ISC"],
        "Mozilla Public License 2.0 (MPL 2.0)" => &["MPL-2.0"],
        "GNU General Public License v3 (GPLv3)" => &["GPL-3.0"],
        "GNU General Public License v2 (GPLv2)" => &["GPL-2.0"],
        "GNU Affero General Public License v3" => &["AGPL-3.0"],
        "GNU Lesser General Public License v3 (LGPLv3)" => &["LGPL-3.0"],
        "The Unlicense (Unlicense)" => &["Unlicense"],
        _ => return None,
    })
}

fn ids_of(expression: &str) -> Option<Vec<String>> {
    let e = spdx::Expression::parse_mode(expression, spdx::ParseMode::LAX).ok()?;
    Some(
        e.requirements()
            .map(|r| r.req.license.to_string())
            .collect(),
    )
}

/// `license-drift`.
pub fn license(entry: &RawEntry, facts: &Facts<'_>, out: &mut Emit<'_>) {
    let Some(listed) = entry.license.as_deref() else {
        return;
    };
    let Some(mine) = ids_of(listed) else { return };
    let mut mine_sorted = mine.clone();
    mine_sorted.sort();
    for (purl, f) in facts.found(entry) {
        if let Some(theirs) = f.license.as_deref() {
            let Some(mut theirs_ids) = ids_of(theirs) else {
                continue;
            };
            theirs_ids.sort();
            if theirs_ids != mine_sorted {
                out.value(
                    "/license",
                    &LicenseDrift {
                        listed,
                        purl: &purl,
                        registry: format!("`{theirs}`"),
                    },
                );
                return;
            }
            continue;
        }
        let known: Vec<(&str, &[&str])> = f
            .license_classifiers
            .iter()
            .filter_map(|c| classifier_ids(c).map(|ids| (c.as_str(), ids)))
            .collect();
        if known.is_empty() {
            continue;
        }
        let agrees = known
            .iter()
            .any(|(_, ids)| mine.iter().any(|m| ids.iter().any(|p| m.starts_with(p))));
        if !agrees {
            let registry = known
                .iter()
                .map(|(c, _)| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ");
            out.value(
                "/license",
                &LicenseDrift {
                    listed,
                    purl: &purl,
                    registry,
                },
            );
            return;
        }
    }
}

/// `known-vulnerability`: advisories the registry lists for a listed
/// version that the release's `advisories` do not record.
pub fn advisories(entry: &RawEntry, facts: &Facts<'_>, out: &mut Emit<'_>) {
    let found = facts.found(entry);
    for (i, release) in items(&entry.versions) {
        let Some(version) = release.version.as_deref() else {
            continue;
        };
        // Advisories the entry records for the release (by any of their
        // ids) are known to the catalog and not reported again.
        let recorded: Vec<&str> = release
            .advisories
            .iter()
            .flatten()
            .flatten()
            .map(String::as_str)
            .collect();
        for (purl, f) in &found {
            let hits: Vec<_> = f
                .advisories
                .iter()
                .filter(|a| facts::same_version(&a.affects, version))
                .filter(|a| !a.ids.iter().any(|id| recorded.contains(&id.as_str())))
                .collect();
            if hits.is_empty() {
                continue;
            }
            let mut all: Vec<&str> = Vec::new();
            for id in hits.iter().flat_map(|a| a.ids.iter()) {
                if !all.contains(&id.as_str()) {
                    all.push(id);
                }
            }
            let ids = all.join(" / ");
            let mut fixed: Vec<String> = hits.iter().flat_map(|a| a.fixed_in.clone()).collect();
            fixed.sort();
            fixed.dedup();
            let fixed = if fixed.is_empty() {
                "no fixed version published".to_string()
            } else {
                format!("fixed in {}", fixed.join(", "))
            };
            out.value(
                format!("/versions/{i}/version"),
                &Vulnerable {
                    version,
                    purl,
                    ids,
                    fixed,
                },
            );
        }
    }
}

/// The newest release that is not a pre-release, not yanked, and (with a
/// cut-off day) published on or before it.
fn newest(f: &PackageFacts, cutoff: Option<Date>) -> Option<&ReleaseFact> {
    f.releases
        .iter()
        .filter(|r| !r.yanked && !facts::is_prerelease(&r.version))
        .filter(|r| cutoff.is_none_or(|c| utc_day(r).is_some_and(|d| d <= c)))
        .filter(|r| facts::compare(&r.version, &r.version).is_some())
        .max_by(|a, b| facts::compare(&a.version, &b.version).unwrap_or(std::cmp::Ordering::Equal))
}

/// `newer-release`.
pub fn newer(entry: &RawEntry, facts: &Facts<'_>, out: &mut Emit<'_>) {
    let listed: Vec<(usize, &str)> = items(&entry.versions)
        .filter_map(|(i, r)| r.version.as_deref().map(|v| (i, v)))
        .collect();
    let Some(&(at, top)) = listed
        .iter()
        .filter(|(_, v)| facts::compare(v, v).is_some())
        .max_by(|a, b| facts::compare(a.1, b.1).unwrap_or(std::cmp::Ordering::Equal))
    else {
        return;
    };
    let cutoff = facts
        .today
        .checked_sub(jiff::Span::new().days(i64::from(facts.min_release_age_days)))
        .ok();
    for (purl, f) in facts.found(entry) {
        let Some(r) = newest(f, cutoff) else { continue };
        if facts::compare(&r.version, top) == Some(std::cmp::Ordering::Greater) {
            out.value(
                format!("/versions/{at}/version"),
                &Newer {
                    listed: top,
                    purl: &purl,
                    newer: &r.version,
                    date: utc_day(r),
                },
            );
            return;
        }
    }
}
