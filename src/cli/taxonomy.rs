//! `alliance-catalog taxonomy [VOCABULARY]`: the ids filters take, with
//! titles and how many tools use each.

use anyhow::Result;
use clap::ValueEnum;

use alliance_catalog::model::Vocabulary;
use alliance_catalog::render::{self, table};
use alliance_catalog::report::vocabulary;

use super::{GlobalArgs, write_stdout};

const EXAMPLES: &str = "\
Examples:
  alliance-catalog taxonomy                 # every vocabulary
  alliance-catalog taxonomy risks           # the ids --risk takes
  alliance-catalog taxonomy platforms --format csv";

/// Options of `taxonomy`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(flatten)]
    pub jobs: super::Jobs,
    /// Which vocabulary (default: all of them).
    #[arg(value_enum)]
    pub vocabulary: Option<VocabularyArg>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// The vocabularies on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VocabularyArg {
    /// Tool categories (--category).
    Categories,
    /// Risks tools address (--risk).
    Risks,
    /// Lifecycle stages (--lifecycle).
    Lifecycle,
    /// Data modalities (--modality).
    Modalities,
    /// How tools are used (--interface).
    Interfaces,
    /// Platforms requirements name (compat --with).
    Platforms,
}

impl From<VocabularyArg> for Vocabulary {
    fn from(v: VocabularyArg) -> Vocabulary {
        match v {
            VocabularyArg::Categories => Vocabulary::Categories,
            VocabularyArg::Risks => Vocabulary::Risks,
            VocabularyArg::Lifecycle => Vocabulary::Lifecycle,
            VocabularyArg::Modalities => Vocabulary::Modalities,
            VocabularyArg::Interfaces => Vocabulary::Interfaces,
            VocabularyArg::Platforms => Vocabulary::Platforms,
        }
    }
}

/// Output formats of `taxonomy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table per vocabulary.
    Table,
    /// CSV: vocabulary, id, tools, title.
    Csv,
}

pub fn run(global: &GlobalArgs, args: &Args) -> Result<u8> {
    let checked = super::load_checked(global)?;
    let taxonomy = checked.taxonomy.as_ref().ok_or_else(|| {
        anyhow::anyhow!("the catalog has no usable taxonomy; run `alliance-catalog validate`")
    })?;
    let chosen: Vec<Vocabulary> = match args.vocabulary {
        Some(v) => vec![v.into()],
        None => Vocabulary::ALL.to_vec(),
    };
    let options = super::table_options(global);
    let entries: Vec<_> = checked.valid_entries().collect();
    let rows: Vec<(&str, Vec<vocabulary::TermCount>)> = chosen
        .iter()
        .map(|&v| {
            (
                v.key(),
                vocabulary::terms(taxonomy, v, entries.iter().copied()),
            )
        })
        .collect();
    write_stdout(|w| match args.format {
        Format::Csv => render::vocabulary_csv(w, &rows),
        Format::Table => table::vocabularies(w, &rows, options),
    })?;
    super::note_skipped(global, &checked)
}
