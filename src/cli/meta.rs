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
    let bytes = man_page()?;
    write_stdout(|w| w.write_all(&bytes))?;
    Ok(EXIT_OK)
}

/// The whole manual in one page: the command, then a section per
/// subcommand with its synopsis and options, then EXIT STATUS and
/// ENVIRONMENT, then the examples.
fn man_page() -> Result<Vec<u8>> {
    let mut command = Cli::command();
    command.build();
    let page = clap_mangen::Man::new(command.clone());
    let mut out = Vec::new();
    page.render_title(&mut out)?;
    page.render_name_section(&mut out)?;
    page.render_synopsis_section(&mut out)?;
    page.render_description_section(&mut out)?;
    page.render_options_section(&mut out)?;
    page.render_subcommands_section(&mut out)?;
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        if sub.get_name() == "help" {
            continue;
        }
        let name = format!("alliance-catalog {}", sub.get_name());
        out.extend_from_slice(format!(".SH \"{}\"\n", name.to_uppercase()).as_bytes());
        let sub_page = clap_mangen::Man::new(sub.clone().bin_name(&name));
        let mut part = Vec::new();
        sub_page.render_description_section(&mut part)?;
        sub_page.render_synopsis_section(&mut part)?;
        sub_page.render_options_section(&mut part)?;
        if sub.get_after_help().is_some() {
            sub_page.render_extra_section(&mut part)?;
        }
        // Sections of a subcommand become subsections of its section.
        let text = String::from_utf8_lossy(&part).into_owned();
        for line in text.lines() {
            let line = match line.strip_prefix(".SH ") {
                Some("DESCRIPTION") => None,
                Some("EXTRA") => Some(".SS Examples".to_string()),
                Some(heading) => Some(format!(".SS {}", title_case(heading.trim_matches('"')))),
                None => Some(line.to_string()),
            };
            if let Some(line) = line {
                out.extend_from_slice(line.as_bytes());
                out.push(b'\n');
            }
        }
    }
    out.extend_from_slice(EXIT_AND_ENVIRONMENT.as_bytes());
    page.render_extra_section(&mut out)?;
    page.render_version_section(&mut out)?;
    Ok(out)
}

/// `OPTIONS` as `Options`, `GLOBAL OPTIONS` as `Global options`.
fn title_case(heading: &str) -> String {
    let lower = heading.to_lowercase();
    let mut chars = lower.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

/// The EXIT STATUS and ENVIRONMENT sections of the man page (roff).
const EXIT_AND_ENVIRONMENT: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
The command ran and found nothing wrong (warnings allowed unless \fB\-\-deny\-warnings\fR; \fBdiff\fR found no change under \fB\-\-exit\-code\fR).
.TP
\fB1\fR
Findings: the catalog or a submission has errors (or warnings under \fB\-\-deny\-warnings\fR), an index is stale, a listing left out entries with errors, a review is overdue under \fB\-\-fail\-overdue\fR, or \fBdiff \-\-exit\-code\fR found changes.
.TP
\fB2\fR
The command could not run: a usage error, a catalog or file that cannot be read, or no package that \fBverify\fR could check.
.SH ENVIRONMENT
.TP
\fBALLIANCE_CATALOG\fR
The catalog folder when \fB\-\-catalog\fR is not given (a folder holding alliance\-catalog.toml, or one whose catalog/ holds it).
.TP
\fBALLIANCE_CATALOG_TODAY\fR
Today's date (YYYY\-MM\-DD) for every date rule, for reproducible runs; default: the current UTC date.
.TP
\fBALLIANCE_CATALOG_COMPLETE\fR
Set by the completion script to a shell's name to ask for completion candidates; leave it unset.
.TP
\fBNO_COLOR\fR, \fBCLICOLOR_FORCE\fR
No colour, or colour even when the output is not a terminal, under \fB\-\-color auto\fR.
.TP
\fBCOLUMNS\fR
The width tables are fitted to when the output is not a terminal (default 80).
.TP
\fBXDG_CACHE_HOME\fR
Where \fBverify\fR keeps registry answers on Linux (default ~/.cache; \fB\-\-cache\fR overrides).
"#;
