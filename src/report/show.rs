//! `show`: one tool, as scripts read it (the entry with `latest_version`)
//! and as people read it (labelled lines, versions, notes).

use serde::Serialize;

use crate::check::{Checked, CheckedEntry};
use crate::model::{Entry, Maintainer, Release, Status, Vetting};
use crate::suggest;

/// The entry as JSON and YAML show it: every field, plus `latest_version`.
#[derive(Debug, Serialize)]
pub struct ToolView<'a> {
    /// Every field of the entry.
    #[serde(flatten)]
    pub entry: &'a Entry,
    /// The newest version (semver order).
    pub latest_version: Option<String>,
}

impl<'a> ToolView<'a> {
    /// The view of one entry.
    pub fn of(entry: &'a Entry) -> ToolView<'a> {
        ToolView {
            entry,
            latest_version: entry.latest_version().map(|v| v.to_string()),
        }
    }
}

/// The entry as the human format shows it: every value as text, in the
/// order it is shown; the renderer only lays it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolDetail {
    /// Display name.
    pub name: String,
    /// Id.
    pub id: String,
    /// One-line summary.
    pub summary: String,
    /// Labelled one-line values: status, license, latest, URLs, lists.
    pub fields: Vec<(&'static str, String)>,
    /// Every release, in file order.
    pub versions: Vec<VersionLine>,
    /// Labelled free text (description, notes, vetting notes), kept as written.
    pub texts: Vec<(&'static str, String)>,
    /// Evidence URLs of the vetting.
    pub evidence: Vec<String>,
}

/// One release as a line of the human format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionLine {
    /// The version.
    pub version: String,
    /// Its release date.
    pub released: String,
    /// Its requirements, `platform requirement` joined by `; `.
    pub requires: String,
    /// Its notes, on one line.
    pub notes: Option<String>,
    /// The security advisories recorded for it.
    pub advisories: Vec<String>,
}

impl ToolDetail {
    /// The detail of one entry.
    pub fn of(e: &Entry) -> ToolDetail {
        let mut fields: Vec<(&'static str, String)> = vec![
            ("status", status_line(&e.vetting)),
            ("license", license_line(e)),
        ];
        if let Some(latest) = e.latest() {
            fields.push(("latest", release_line(latest)));
        }
        fields.push(("repository", e.repository.clone()));
        if let Some(h) = &e.homepage {
            fields.push(("homepage", h.clone()));
        }
        if let Some(d) = &e.documentation {
            fields.push(("documentation", d.clone()));
        }
        fields.push(("maintainers", maintainers_line(&e.maintainers)));
        use crate::text::join;
        for (label, list) in [
            ("categories", join(&e.categories, ", ")),
            ("risks", join(&e.risks, ", ")),
            ("lifecycle", join(&e.lifecycle, ", ")),
            ("modalities", join(&e.modalities, ", ")),
            ("languages", join(&e.languages, ", ")),
            ("interfaces", join(&e.interfaces, ", ")),
            ("tags", join(&e.tags, ", ")),
            ("related", join(&e.related, ", ")),
        ] {
            if !list.is_empty() {
                fields.push((label, list));
            }
        }
        let texts = [
            ("description", &e.description),
            ("notes", &e.notes),
            ("vetting notes", &e.vetting.notes),
        ]
        .into_iter()
        .filter_map(|(label, text)| text.as_ref().map(|t| (label, t.clone())))
        .collect();
        ToolDetail {
            name: e.name.clone(),
            id: e.id.to_string(),
            summary: e.summary.clone(),
            fields,
            versions: e.versions.iter().map(VersionLine::of).collect(),
            texts,
            evidence: e.vetting.evidence.to_vec(),
        }
    }
}

impl VersionLine {
    /// The line of one release.
    pub fn of(r: &Release) -> VersionLine {
        let requires: Vec<String> = r
            .requires
            .iter()
            .map(|(p, req)| format!("{p} {req}"))
            .collect();
        VersionLine {
            version: r.version.to_string(),
            released: r.released.to_string(),
            requires: if r.requires_recorded {
                requires.join("; ")
            } else {
                "no requirements recorded".into()
            },
            notes: r.notes.as_ref().map(|n| n.replace('\n', " ")),
            advisories: r.advisories.clone(),
        }
    }
}

/// What the vetting dates of an entry of `status` record: `reviewed` and
/// `next review` for a vetted entry, else `facts checked` and `next check`
/// (only a vetted entry was reviewed).
pub fn date_labels(status: Status) -> (&'static str, &'static str) {
    match status {
        Status::Vetted => ("reviewed", "next review"),
        Status::Provisional | Status::Deprecated => ("facts checked", "next check"),
    }
}

/// `vetted (reviewed DATE by A, B; next review DATE)`. Only a vetted
/// entry was reviewed; for the others the date is when the facts were
/// last checked, and a provisional entry says that no independent review
/// has happened.
fn status_line(v: &Vetting) -> String {
    let (done, next) = date_labels(v.status);
    let mut status = format!(
        "{} ({done} {} by {}",
        v.status.as_str(),
        v.reviewed,
        v.reviewers.join(", ")
    );
    if v.status == Status::Provisional {
        status.push_str(", not yet independently reviewed");
    }
    if let Some(d) = &v.next_review {
        status.push_str(&format!("; {next} {d}"));
    }
    status.push(')');
    status
}

/// The licence expression, with a warning when it is not OSI-approved.
fn license_line(e: &Entry) -> String {
    if e.osi_approved_license() {
        e.license.to_string()
    } else {
        format!("{} (not OSI-approved: check its terms)", e.license)
    }
}

/// `VERSION (DATE)`.
fn release_line(r: &Release) -> String {
    format!("{} ({})", r.version, r.released)
}

/// `Name <url>; Other`.
fn maintainers_line(maintainers: &[Maintainer]) -> String {
    maintainers
        .iter()
        .map(|m| match &m.url {
            Some(u) => format!("{} <{u}>", m.name),
            None => m.name.clone(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// No entry has the id asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotFound {
    /// Up to three ids close to the one asked for, closest first.
    pub close: Vec<String>,
    /// The entry file named after the id, when it exists but has errors
    /// that kept the entry from being read.
    pub broken_file: Option<String>,
}

/// The file with errors whose name is `ID.yaml` (or `.yml`): the entry
/// `id` that could not be read.
pub fn broken_file_of(checked: &Checked, id: &str) -> Option<String> {
    checked
        .files_with_errors
        .iter()
        .filter(|f| **f != *checked.taxonomy_file())
        .find(|f| {
            let name = f.rsplit(['/', '\\']).next().unwrap_or(f);
            name.strip_suffix(".yaml")
                .or_else(|| name.strip_suffix(".yml"))
                == Some(id)
        })
        .map(|f| f.to_string())
}

/// The entry with `id`: the one without errors when several files claim it.
pub fn find<'a>(checked: &'a Checked, id: &str) -> Result<&'a CheckedEntry, NotFound> {
    checked
        .entries
        .iter()
        .filter(|e| e.entry.id == id)
        .min_by_key(|e| e.has_errors)
        .ok_or_else(|| {
            let ids = checked.entries.iter().map(|e| e.entry.id.as_str());
            NotFound {
                close: suggest::ranked(id, ids)
                    .into_iter()
                    .take(3)
                    .map(str::to_string)
                    .collect(),
                broken_file: broken_file_of(checked, id),
            }
        })
}
