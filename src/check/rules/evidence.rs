//! Evidence: the sources a vetting cites are the tool's own, a package
//! registry's, or hosts the catalog accepts as primary (papers, standards).

use std::fmt;

use super::{Context, Emit};
use crate::diag::{Code, Message};
use crate::model::RawEntry;
use crate::model::raw::items;
use crate::purl::Purl;
use crate::text::shown;

/// Package registries: their pages state a package's own metadata.
const REGISTRIES: &[&str] = &[
    "pypi.org",
    "files.pythonhosted.org",
    "npmjs.com",
    "registry.npmjs.org",
    "crates.io",
    "docs.rs",
];

/// Forges, where a path's first segment is the owner.
const FORGES: &[&str] = &["github.com", "gitlab.com", "huggingface.co", "codeberg.org"];

/// `secondary-evidence`: an evidence link that is not a primary source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecondaryEvidence {
    /// The link.
    pub url: String,
    /// Its host.
    pub host: String,
}

impl fmt::Display for SecondaryEvidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "evidence `{}` is on `{}`, which is not one of the tool's own sites, a package registry or a host in `policy.evidence_hosts`; cite the fact at its source",
            shown(&self.url),
            shown(&self.host)
        )
    }
}

impl Message for SecondaryEvidence {
    fn code(&self) -> Code {
        Code::SecondaryEvidence
    }
}

/// What counts as the tool's own: sites (a host and its subdomains) and
/// owners on forges.
#[derive(Debug, Default)]
struct Own {
    sites: Vec<String>,
    owners: Vec<(String, String)>,
    names: Vec<String>,
}

impl Own {
    fn of(entry: &RawEntry) -> Own {
        let mut own = Own::default();
        let add_url = |own: &mut Own, text: &str| {
            let Ok(url) = url::Url::parse(text) else {
                return;
            };
            let Some(host) = url.host_str().map(str::to_ascii_lowercase) else {
                return;
            };
            let first = url
                .path_segments()
                .and_then(|mut s| s.next())
                .filter(|s| !s.is_empty())
                .map(str::to_ascii_lowercase);
            if FORGES.contains(&host.as_str()) {
                if let Some(owner) = first {
                    if let Some(name) = url.path_segments().and_then(|mut s| s.nth(1)) {
                        own.names.push(name.to_ascii_lowercase());
                    }
                    own.owners.push((host, owner));
                }
            } else {
                own.sites
                    .push(host.strip_prefix("www.").unwrap_or(&host).to_string());
            }
        };
        for text in [&entry.homepage, &entry.documentation, &entry.repository]
            .into_iter()
            .flatten()
        {
            add_url(&mut own, text);
        }
        for (_, m) in items(&entry.maintainers) {
            if let Some(u) = &m.url {
                add_url(&mut own, u);
            }
        }
        for (_, text) in items(&entry.packages) {
            let Ok(purl) = Purl::parse(text) else {
                continue;
            };
            own.names.push(purl.name.to_ascii_lowercase());
            let forge = match purl.ty.as_str() {
                "github" => "github.com",
                "gitlab" => "gitlab.com",
                "huggingface" => "huggingface.co",
                _ => continue,
            };
            if let Some(ns) = &purl.namespace {
                own.owners
                    .push((forge.to_string(), ns.to_ascii_lowercase()));
            }
        }
        own
    }

    /// Whether `url` is on one of the tool's own sites or owners.
    fn covers(&self, host: &str, first: Option<&str>) -> bool {
        if self.sites.iter().any(|s| within(host, s)) {
            return true;
        }
        let github_owners = self
            .owners
            .iter()
            .filter(|(forge, _)| forge == "github.com")
            .map(|(_, o)| o.as_str());
        for owner in github_owners {
            if host == format!("{owner}.github.io")
                || (host == "raw.githubusercontent.com" && first == Some(owner))
            {
                return true;
            }
        }
        if let Some(project) = host.strip_suffix(".readthedocs.io")
            && self.names.iter().any(|n| n == project)
        {
            return true;
        }
        FORGES.contains(&host)
            && first.is_some_and(|f| self.owners.iter().any(|(h, o)| h == host && o == f))
    }
}

/// Whether `host` is `site` or one of its subdomains.
fn within(host: &str, site: &str) -> bool {
    host == site
        || host
            .strip_suffix(site)
            .is_some_and(|prefix| prefix.ends_with('.'))
}

/// `secondary-evidence` on each evidence link that is not a primary source.
pub fn check(entry: &RawEntry, ctx: &Context<'_>, out: &mut Emit<'_>) {
    let Some(vetting) = &entry.vetting else {
        return;
    };
    let own = Own::of(entry);
    let allowed = &ctx.settings.policy.evidence_hosts;
    for (i, text) in items(&vetting.evidence) {
        // Malformed links are `links`' findings, not this rule's.
        let Ok(url) = url::Url::parse(text) else {
            continue;
        };
        let Some(host) = url.host_str().map(str::to_ascii_lowercase) else {
            continue;
        };
        let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
        let first = url
            .path_segments()
            .and_then(|mut s| s.next())
            .map(str::to_ascii_lowercase);
        let primary = REGISTRIES.iter().any(|r| within(&host, r))
            || allowed.iter().any(|a| within(&host, a))
            || own.covers(&host, first.as_deref());
        if !primary {
            out.value(
                format!("/vetting/evidence/{i}"),
                &SecondaryEvidence {
                    url: text.clone(),
                    host,
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own(entry: serde_json::Value) -> Own {
        Own::of(&serde_json::from_value::<RawEntry>(entry).expect("raw entry"))
    }

    #[test]
    fn the_tools_own_hosts_and_owners_count_as_primary() {
        let own = own(serde_json::json!({
            "homepage": "https://www.promptfoo.dev/",
            "repository": "https://github.com/promptfoo/promptfoo",
            "packages": ["pkg:huggingface/meta-llama/Llama-Guard-4-12B", "pkg:pypi/nannyml"],
            "maintainers": [{"name": "Meta", "url": "https://ai.meta.com/"}],
        }));
        assert!(own.covers("promptfoo.dev", Some("docs")));
        assert!(own.covers("docs.promptfoo.dev", None), "a subdomain");
        assert!(own.covers("github.com", Some("promptfoo")));
        assert!(own.covers("promptfoo.github.io", None));
        assert!(own.covers("raw.githubusercontent.com", Some("promptfoo")));
        assert!(own.covers("huggingface.co", Some("meta-llama")));
        assert!(own.covers("nannyml.readthedocs.io", None));
        assert!(own.covers("ai.meta.com", None), "a maintainer's site");
        assert!(!own.covers("github.com", Some("someone-else")), "a fork");
        assert!(!own.covers("huggingface.co", Some("blog")));
        assert!(!own.covers("notpromptfoo.dev", None), "not a subdomain");
        assert!(!own.covers("hf-mirror.example", Some("meta-llama")));
    }

    #[test]
    fn subdomains_need_a_dot_boundary() {
        assert!(within("docs.rs", "docs.rs"));
        assert!(within("a.b.nist.gov", "nist.gov"));
        assert!(!within("evilnist.gov", "nist.gov"));
    }
}
