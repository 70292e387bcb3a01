//! Package identity: the `packages` of an entry (schema 1.1.0) and the
//! `package` of each taxonomy platform are Package URLs of a type the
//! catalog checks, written in canonical form and without version.

use std::fmt;

use super::{Context, Emit};
use crate::model::raw::items;
use crate::model::{RawEntry, Taxonomy};
use crate::purl::{Purl, PurlError, pep503};
use crate::schema::shown;

/// A package URL that does not parse or breaks its type's rules.
struct Unparsable<'a> {
    text: &'a str,
    error: PurlError,
    suggestion: Option<String>,
}

impl fmt::Display for Unparsable<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: {}", shown(self.text), self.error)?;
        match (&self.suggestion, &self.error) {
            (Some(s), _) => write!(f, "; write `{s}`"),
            (None, PurlError::Scheme | PurlError::NoType | PurlError::NoName) => write!(
                f,
                "; write a Package URL such as `pkg:pypi/NAME`, `pkg:npm/NAME` or `pkg:huggingface/OWNER/NAME`"
            ),
            (None, _) => Ok(()),
        }
    }
}

/// A package URL that parses but is not written as the catalog keeps it.
struct NotCanonical<'a> {
    text: &'a str,
    canonical: String,
    why: &'static str,
}

impl fmt::Display for NotCanonical<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` {}; write `{}`",
            shown(self.text),
            self.why,
            self.canonical
        )
    }
}

/// `packages` in an entry written in schema 1.0.0.
struct NeedsSchema11<'a> {
    version: &'a str,
}

impl fmt::Display for NeedsSchema11<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`packages` came with schema version 1.1.0, but this entry says `schema_version: {}`; write `schema_version: 1.1.0`",
            shown(self.version)
        )
    }
}

crate::message_code!(
    Unparsable<'a> => InvalidPackage,
    NotCanonical<'a> => InvalidPackage,
    NeedsSchema11<'a> => InvalidPackage,
);

/// What the catalog would accept in place of a package URL that fails.
fn suggestion(text: &str, error: &PurlError) -> Option<String> {
    let retry = |t: &str| Purl::parse(t).ok().map(|p| p.package_only().to_string());
    match error {
        PurlError::Scheme if !text.contains(':') => retry(&format!("pkg:{text}")),
        PurlError::NamespaceNotAllowed(ty) => {
            let base = text.split(['@', '?', '#']).next().unwrap_or(text);
            let name = base.rsplit('/').next().unwrap_or(base);
            let name = if ty == "pypi" {
                pep503(name)
            } else {
                name.to_string()
            };
            retry(&format!("pkg:{ty}/{name}"))
        }
        PurlError::BadScope(scope) => {
            let base = text.split(['@', '?', '#']).next().unwrap_or(text);
            let name = base.rsplit('/').next().unwrap_or(base);
            retry(&format!("pkg:npm/%40{scope}/{name}"))
        }
        _ => None,
    }
}

/// Checks one package URL, reporting at `pointer`.
fn check_one(text: &str, pointer: String, out: &mut Emit<'_>) {
    match Purl::parse(text) {
        Err(error) => {
            let suggestion = suggestion(text, &error);
            out.value(
                pointer,
                &Unparsable {
                    text,
                    error,
                    suggestion,
                },
            );
        }
        Ok(purl) => {
            let canonical = purl.package_only().to_string();
            if canonical != text {
                let why = if purl.version.is_some() {
                    "names a version, which does not belong here (versions are listed under `versions`)"
                } else if !purl.qualifiers.is_empty() || purl.subpath.is_some() {
                    "has qualifiers or a subpath, which do not belong here"
                } else if purl.ty == "pypi" {
                    "is not in normal form (PyPI names are lower case, with runs of `-`, `_` and `.` written as one `-`)"
                } else {
                    "is not in canonical form"
                };
                out.value(
                    pointer,
                    &NotCanonical {
                        text,
                        canonical,
                        why,
                    },
                );
            }
        }
    }
}

/// `invalid-package` on an entry's `packages`.
pub fn check(entry: &RawEntry, _ctx: &Context<'_>, out: &mut Emit<'_>) {
    let mut any = false;
    for (i, text) in items(&entry.packages) {
        any = true;
        check_one(text, format!("/packages/{i}"), out);
    }
    if any
        && let Some(version) = entry.schema_version.as_deref()
        && semver::Version::parse(version).is_ok_and(|v| v.major == 1 && v.minor < 1)
    {
        out.value("/schema_version", &NeedsSchema11 { version });
    }
}

/// `invalid-package` on the taxonomy's platforms.
pub fn taxonomy(taxonomy: &Taxonomy, out: &mut Emit<'_>) {
    for (i, term) in taxonomy.platforms.iter().enumerate() {
        if let Some(text) = term.package.as_deref() {
            check_one(text, format!("/platforms/{i}/package"), out);
        }
    }
}
