//! The whole catalog as one JSON document, for sites and other tools.
//! Its shape is `schemas/export.schema.json`.

use serde::Serialize;

use crate::model::{Entry, Settings, Taxonomy};

/// Version of the export format.
pub const EXPORT_VERSION: &str = "1.0.0";

/// The export document.
#[derive(Debug, Serialize)]
pub struct Export<'a> {
    /// Version of this document's format.
    pub export_version: &'static str,
    /// The catalog's name and description.
    pub catalog: CatalogInfo<'a>,
    /// The taxonomy, whole.
    pub taxonomy: &'a Taxonomy,
    /// Every entry, sorted by id, with derived fields.
    pub tools: Vec<ToolExport<'a>>,
}

/// Name and description of the catalog.
#[derive(Debug, Serialize)]
pub struct CatalogInfo<'a> {
    /// Name.
    pub name: &'a str,
    /// Description.
    pub description: &'a str,
}

/// One entry with every field, plus the values derived from it.
#[derive(Debug, Serialize)]
pub struct ToolExport<'a> {
    /// Every field of the entry.
    #[serde(flatten)]
    pub entry: &'a Entry,
    /// The newest version (semver order).
    pub latest_version: Option<&'a str>,
    /// Whether the licence can be met with OSI-approved licences only.
    pub license_osi_approved: bool,
}

/// Builds the export of `entries`.
pub fn export<'a>(
    settings: &'a Settings,
    taxonomy: &'a Taxonomy,
    entries: &[&'a Entry],
) -> Export<'a> {
    let mut tools: Vec<ToolExport<'a>> = entries
        .iter()
        .map(|e| ToolExport {
            entry: e,
            latest_version: e.latest_version(),
            license_osi_approved: e.osi_approved_license(),
        })
        .collect();
    tools.sort_by(|a, b| a.entry.id.cmp(&b.entry.id));
    Export {
        export_version: EXPORT_VERSION,
        catalog: CatalogInfo {
            name: &settings.name,
            description: &settings.description,
        },
        taxonomy,
        tools,
    }
}
