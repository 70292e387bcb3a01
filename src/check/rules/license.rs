//! The licence: an SPDX expression, and the catalog's licence policy.

use std::fmt;

use super::{Context, Emit};
use crate::model::RawEntry;
use crate::schema::shown;

/// `NOASSERTION` or `NONE`.
struct NoAssertion<'a> {
    text: &'a str,
}

impl fmt::Display for NoAssertion<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` says nothing about the licence; find the licence file and write its SPDX identifier",
            self.text
        )
    }
}

/// Not an SPDX expression.
struct InvalidExpression<'a> {
    text: &'a str,
    reason: String,
    suggestion: Option<String>,
}

impl fmt::Display for InvalidExpression<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a valid SPDX license expression ({})",
            shown(self.text),
            self.reason
        )?;
        match &self.suggestion {
            Some(fixed) => write!(f, "; did you mean `{fixed}`?"),
            None => f.write_str(
                "; write an SPDX expression such as `Apache-2.0`, `MIT OR Apache-2.0`, or `LicenseRef-<name>` for a custom licence",
            ),
        }
    }
}

/// A licence the policy flags.
struct Flagged {
    id: String,
}

impl fmt::Display for Flagged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the licence `{}` is flagged by the catalog's policy (`policy.flag_licenses`); readers should check its terms",
            self.id
        )
    }
}

crate::message_code!(
    NoAssertion<'a> => InvalidLicense,
    InvalidExpression<'a> => InvalidLicense,
    Flagged => LicensePolicy,
);

/// Whether an SPDX expression can be satisfied with OSI-approved licences
/// only (`MIT OR LicenseRef-X` can; `LicenseRef-X` cannot).
pub fn osi_check(expression: &spdx::Expression) -> bool {
    expression.evaluate(|req| req.license.id().is_some_and(|id| id.is_osi_approved()))
}

/// The SPDX id of a licence written by its name with the word "License"
/// (`MIT License` is `MIT`, `The Apache License 2.0` is `Apache-2.0`).
fn named_license(text: &str) -> Option<String> {
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|w| {
            !["license", "licence", "the", "version"].contains(&w.to_ascii_lowercase().as_str())
        })
        .collect();
    if words.is_empty() || words.len() == text.split_whitespace().count() {
        return None;
    }
    let rest = words.join(" ");
    if let Some(id) = spdx::license_id(&rest) {
        return Some(id.name.to_string());
    }
    match spdx::Expression::canonicalize(&rest) {
        Ok(Some(fixed)) => Some(fixed),
        Ok(None) if spdx::Expression::parse(&rest).is_ok() => Some(rest),
        _ => None,
    }
}

/// `invalid-license` and `license-policy`.
pub fn check(entry: &RawEntry, ctx: &Context<'_>, out: &mut Emit<'_>) {
    let Some(license) = entry.license.as_deref() else {
        return;
    };
    let text = license.trim();
    let upper = text.to_ascii_uppercase();
    if upper == "NOASSERTION" || upper == "NONE" {
        out.value("/license", &NoAssertion { text });
        return;
    }
    match spdx::Expression::parse(text) {
        Ok(expression) => {
            let flags = &ctx.settings.policy.flag_licenses;
            let flagged = expression.requirements().find_map(|req| {
                let id = req.req.to_string();
                flags
                    .iter()
                    .any(|f| {
                        if f.ends_with('-') {
                            id.starts_with(f.as_str())
                        } else {
                            id == *f
                        }
                    })
                    .then_some(id)
            });
            if let Some(id) = flagged {
                out.value("/license", &Flagged { id });
            }
        }
        Err(err) => {
            let suggestion = match spdx::Expression::canonicalize(text) {
                Ok(Some(fixed)) => Some(fixed),
                _ => named_license(text),
            };
            out.value(
                "/license",
                &InvalidExpression {
                    text,
                    reason: err.reason.to_string(),
                    suggestion,
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::named_license;

    #[test]
    fn licence_names_with_the_word_license_suggest_the_id() {
        assert_eq!(named_license("MIT License").as_deref(), Some("MIT"));
        assert_eq!(
            named_license("Apache License 2.0").as_deref(),
            Some("Apache-2.0")
        );
        assert_eq!(named_license("The MIT Licence").as_deref(), Some("MIT"));
        assert_eq!(named_license("Some Custom License"), None);
        assert_eq!(named_license("MIT"), None);
    }
}
