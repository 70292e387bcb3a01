//! The filters shared by every command that selects tools (`list`, `compat`).

use clap::ValueEnum;

use alliance_catalog::model::Status;
use alliance_catalog::report::list::Filter;

/// Filters shared by the listing commands.
#[derive(Debug, Clone, clap::Args)]
pub struct FilterArgs {
    /// Category ids (taxonomy `categories`).
    #[arg(long = "category", value_name = "ID", value_delimiter = ',', add = clap_complete::engine::ArgValueCandidates::new(super::complete::categories))]
    pub categories: Vec<String>,
    /// Risk ids (taxonomy `risks`).
    #[arg(long = "risk", value_name = "ID", value_delimiter = ',', add = clap_complete::engine::ArgValueCandidates::new(super::complete::risks))]
    pub risks: Vec<String>,
    /// Lifecycle stage ids (taxonomy `lifecycle`).
    #[arg(long = "lifecycle", value_name = "ID", value_delimiter = ',', add = clap_complete::engine::ArgValueCandidates::new(super::complete::lifecycle))]
    pub lifecycle: Vec<String>,
    /// Modality ids (taxonomy `modalities`).
    #[arg(long = "modality", value_name = "ID", value_delimiter = ',', add = clap_complete::engine::ArgValueCandidates::new(super::complete::modalities))]
    pub modalities: Vec<String>,
    /// Interface ids (taxonomy `interfaces`).
    #[arg(long = "interface", value_name = "ID", value_delimiter = ',', add = clap_complete::engine::ArgValueCandidates::new(super::complete::interfaces))]
    pub interfaces: Vec<String>,
    /// Natural languages as BCP 47 tags; `pt` also matches `pt-BR`.
    #[arg(long = "language", value_name = "TAG", value_delimiter = ',', add = clap_complete::engine::ArgValueCandidates::new(super::complete::languages))]
    pub languages: Vec<String>,
    /// Vetting statuses.
    #[arg(
        long = "status",
        value_enum,
        value_name = "STATUS",
        value_delimiter = ','
    )]
    pub statuses: Vec<StatusArg>,
    /// SPDX licence identifiers appearing in the licence expression
    /// (`LicenseRef-` matches every custom licence).
    #[arg(long = "license", value_name = "SPDX", value_delimiter = ',')]
    pub licenses: Vec<String>,
    /// Tags.
    #[arg(long = "tag", value_name = "TAG", value_delimiter = ',', add = clap_complete::engine::ArgValueCandidates::new(super::complete::tags))]
    pub tags: Vec<String>,
    /// Text searched (case-insensitive) in id, name, summary, description and tags.
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Also list tools that declare no value for a filtered attribute (no
    /// languages, say), which the filter otherwise leaves out.
    #[arg(long)]
    pub include_unknown: bool,
}

/// A vetting status on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusArg {
    /// Independently reviewed.
    Vetted,
    /// Facts checked, review pending.
    Provisional,
    /// Archived or superseded.
    Deprecated,
}

impl FilterArgs {
    /// The library's filter.
    pub fn to_filter(&self) -> Filter {
        Filter {
            categories: self.categories.clone(),
            risks: self.risks.clone(),
            lifecycle: self.lifecycle.clone(),
            modalities: self.modalities.clone(),
            interfaces: self.interfaces.clone(),
            languages: self.languages.clone(),
            statuses: self
                .statuses
                .iter()
                .map(|s| match s {
                    StatusArg::Vetted => Status::Vetted,
                    StatusArg::Provisional => Status::Provisional,
                    StatusArg::Deprecated => Status::Deprecated,
                })
                .collect(),
            licenses: self.licenses.clone(),
            tags: self.tags.clone(),
            search: self.search.clone(),
            include_unknown: self.include_unknown,
        }
    }
}

/// `--framework-item FRAMEWORK:ITEM` (of `list`): keeps the tools that reach
/// one of the items, through their own mappings, their risks or categories,
/// or (ATLAS) a mitigation that addresses the technique. Each value is
/// checked against the catalog's frameworks; a wrong one is a usage error
/// naming the closest framework or item.
pub fn framework_items<'a>(
    frameworks: &'a alliance_catalog::model::Frameworks,
    values: &[String],
) -> Result<Vec<(&'a alliance_catalog::model::Framework, String)>, String> {
    use alliance_catalog::suggest::closest;
    let mut out = Vec::new();
    for value in values {
        let Some(wanted) = alliance_catalog::model::ItemRef::parse(value) else {
            return Err(format!(
                "--framework-item {value:?}: write FRAMEWORK:ITEM, e.g. owasp-llm-2025:LLM01"
            ));
        };
        let framework = super::maintain::find_framework(frameworks, &wanted.framework)
            .map_err(|e| format!("--framework-item {value:?}: {e}"))?;
        if framework.item(&wanted.item).is_none() {
            let hint = closest(&wanted.item, framework.items.iter().map(|i| i.id.as_str()))
                .map(|s| format!("; did you mean `{}:{s}`?", framework.id))
                .unwrap_or_default();
            return Err(format!(
                "--framework-item {value:?}: `{}` is not an item of {} (`{}`){hint}",
                wanted.item,
                framework.display_name(),
                framework.id
            ));
        }
        out.push((framework, wanted.item));
    }
    Ok(out)
}
