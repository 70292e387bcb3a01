//! Commands about the tool itself: `schema`, `completions`, `man`.

use anyhow::{Result, bail};
use clap::CommandFactory;

use super::{Cli, EXIT_OK, write_stdout};

const SCHEMA_EXAMPLES: &str = "\
Examples:
  alliance-catalog schema tool > tool.schema.json
  alliance-catalog schema export
  alliance-catalog schema list        # the shape of `list --format json`";

/// Options of `schema`.
#[derive(Debug, clap::Args)]
#[command(after_help = SCHEMA_EXAMPLES)]
pub struct SchemaArgs {
    /// Which schema: tool, taxonomy, export, or the JSON output of list,
    /// show, compat, matrix, review, coverage, diff or validate.
    pub name: String,
}

pub fn schema(args: &SchemaArgs) -> Result<u8> {
    let Some((_, text)) = alliance_catalog::schema::SCHEMAS
        .iter()
        .find(|(n, _)| *n == args.name)
    else {
        let names: Vec<&str> = alliance_catalog::schema::SCHEMAS
            .iter()
            .map(|(n, _)| *n)
            .collect();
        bail!(
            "no schema named `{}`; the embedded schemas are: {}",
            alliance_catalog::diag::render::terminal_safe(&args.name),
            names.join(", ")
        );
    };
    write_stdout(|w| w.write_all(text.as_bytes()))?;
    Ok(EXIT_OK)
}

const COMPLETIONS_ABOUT: &str = "\
Print shell completions (bash, zsh, fish, powershell, elvish).

The script registers this binary as the completer: at each Tab the shell asks
it for candidates, so values come from the catalog the command would use
(taxonomy ids after --category, --risk and the other filters, tool ids after
show, platforms after compat --with). Print the script again after an upgrade.";

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  alliance-catalog completions bash > ~/.local/share/bash-completion/completions/alliance-catalog
  source <(alliance-catalog completions bash)     # in ~/.bashrc: always matches the binary
  alliance-catalog completions zsh > ~/.zfunc/_alliance-catalog
  alliance-catalog completions fish > ~/.config/fish/completions/alliance-catalog.fish";

/// Options of `completions`.
#[derive(Debug, clap::Args)]
#[command(after_help = COMPLETIONS_EXAMPLES, long_about = COMPLETIONS_ABOUT)]
pub struct CompletionsArgs {
    /// The shell.
    pub shell: clap_complete::Shell,
}

pub fn completions(args: &CompletionsArgs) -> Result<u8> {
    // The script registers the binary itself as the completer: every Tab
    // asks it for candidates, drawn from the catalog in use.
    let bytes = super::complete::registration(&args.shell.to_string())?;
    super::complete::write_script(&bytes)?;
    Ok(EXIT_OK)
}

const MAN_EXAMPLES: &str = "\
Examples:
  alliance-catalog man > alliance-catalog.1 && man ./alliance-catalog.1";

/// Options of `man`.
#[derive(Debug, clap::Args)]
#[command(after_help = MAN_EXAMPLES)]
pub struct ManArgs {}

pub fn man(_args: &ManArgs) -> Result<u8> {
    let page = clap_mangen::Man::new(Cli::command());
    let mut bytes = Vec::new();
    page.render(&mut bytes)?;
    write_stdout(|w| w.write_all(&bytes))?;
    Ok(EXIT_OK)
}
