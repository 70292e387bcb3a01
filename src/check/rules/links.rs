//! Links: absolute https:// URLs with a host.

use std::fmt;

use super::{Context, Emit};
use crate::diag::{Code, Message};
use crate::model::RawEntry;
use crate::model::raw::items;
use crate::schema::shown;

/// Why a link is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadUrl {
    /// Not a URL at all.
    Invalid {
        /// The text.
        text: String,
        /// The URL parser's reason.
        reason: String,
    },
    /// A scheme other than https.
    Scheme {
        /// The text.
        text: String,
        /// Its scheme.
        scheme: String,
    },
    /// No host.
    NoHost {
        /// The text.
        text: String,
    },
}

impl fmt::Display for BadUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadUrl::Invalid { text, reason } => write!(
                f,
                "`{}` is not a valid URL ({reason}); write the full address, starting with https://",
                shown(text)
            ),
            BadUrl::Scheme { text, scheme } => write!(
                f,
                "`{}` uses `{scheme}:`; only https:// links are accepted",
                shown(text)
            ),
            BadUrl::NoHost { text } => {
                write!(
                    f,
                    "`{}` has no host; write the full https:// address",
                    shown(text)
                )
            }
        }
    }
}

impl Message for BadUrl {
    fn code(&self) -> Code {
        match self {
            BadUrl::Invalid { .. } => Code::InvalidUrl,
            BadUrl::Scheme { .. } | BadUrl::NoHost { .. } => Code::InsecureUrl,
        }
    }
}

/// Checks one URL: absolute, https, with a host.
pub fn check_url(text: &str) -> Result<url::Url, BadUrl> {
    match url::Url::parse(text) {
        Err(e) => Err(BadUrl::Invalid {
            text: text.to_string(),
            reason: e.to_string(),
        }),
        Ok(url) if url.scheme() != "https" => Err(BadUrl::Scheme {
            text: text.to_string(),
            scheme: url.scheme().to_string(),
        }),
        Ok(url) if url.host_str().is_none_or(str::is_empty) => Err(BadUrl::NoHost {
            text: text.to_string(),
        }),
        Ok(url) => Ok(url),
    }
}

/// `insecure-url` and `invalid-url` on every link of an entry.
pub fn check(entry: &RawEntry, _ctx: &Context<'_>, out: &mut Emit<'_>) {
    let mut links: Vec<(String, &str)> = Vec::new();
    if let Some(h) = &entry.homepage {
        links.push(("/homepage".into(), h));
    }
    if let Some(d) = &entry.documentation {
        links.push(("/documentation".into(), d));
    }
    if let Some(r) = &entry.repository {
        links.push(("/repository".into(), r));
    }
    for (i, m) in items(&entry.maintainers) {
        if let Some(u) = &m.url {
            links.push((format!("/maintainers/{i}/url"), u));
        }
    }
    if let Some(v) = &entry.vetting {
        for (i, e) in items(&v.evidence) {
            links.push((format!("/vetting/evidence/{i}"), e));
        }
    }
    for (pointer, link) in links {
        if let Err(bad) = check_url(link) {
            out.value(pointer, &bad);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_must_be_https_with_host() {
        assert!(check_url("https://example.org/x").is_ok());
        assert_eq!(
            check_url("http://example.org").map_err(|e| e.code()),
            Err(Code::InsecureUrl)
        );
        assert_eq!(
            check_url("javascript:alert(1)").map_err(|e| e.code()),
            Err(Code::InsecureUrl)
        );
        assert_eq!(
            check_url("example.org").map_err(|e| e.code()),
            Err(Code::InvalidUrl)
        );
    }
}
