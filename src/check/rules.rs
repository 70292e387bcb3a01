//! Rules on one entry that passed the schema: each returns findings located
//! by JSON pointer, resolved to positions by the caller.

use jiff::civil::Date;

use crate::diag::Code;
use crate::model::{Entry, Settings, Status, Taxonomy, Vocabulary};
use crate::suggest::closest;

/// Where a rule finding points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loc {
    /// The value at a JSON pointer.
    Value(String),
    /// The key `key` of the mapping at a JSON pointer.
    Key(String, String),
}

/// A finding of a rule, before it is located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFinding {
    /// The code.
    pub code: Code,
    /// Where.
    pub at: Loc,
    /// What is wrong and what to do.
    pub message: String,
}

/// What the rules need besides the entry.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The taxonomy, when it loaded.
    pub taxonomy: Option<&'a Taxonomy>,
    /// The settings.
    pub settings: &'a Settings,
    /// Today's date.
    pub today: Date,
}

fn at(pointer: impl Into<String>) -> Loc {
    Loc::Value(pointer.into())
}

fn finding(code: Code, loc: Loc, message: String) -> RuleFinding {
    RuleFinding {
        code,
        at: loc,
        message,
    }
}

/// Runs every per-entry rule on `entry`, read from a file with stem `stem`.
pub fn check_entry(entry: &Entry, stem: &str, ctx: &Context<'_>) -> Vec<RuleFinding> {
    let mut out = Vec::new();
    if entry.id != stem {
        out.push(finding(
            Code::IdMismatch,
            at("/id"),
            format!(
                "the id `{}` differs from the file name `{}`; rename the file to `{}.yaml` or change the id",
                entry.id,
                crate::schema::shown(stem),
                entry.id
            ),
        ));
    }
    if let Some(taxonomy) = ctx.taxonomy {
        taxonomy_refs(entry, taxonomy, &mut out);
    }
    languages(entry, &mut out);
    license(entry, ctx.settings, &mut out);
    versions(entry, ctx.today, &mut out);
    vetting(entry, ctx, &mut out);
    urls(entry, &mut out);
    out
}

fn unknown_code(vocabulary: Vocabulary) -> Code {
    match vocabulary {
        Vocabulary::Categories => Code::UnknownCategory,
        Vocabulary::Risks => Code::UnknownRisk,
        Vocabulary::Lifecycle => Code::UnknownLifecycle,
        Vocabulary::Modalities => Code::UnknownModality,
        Vocabulary::Interfaces => Code::UnknownInterface,
        Vocabulary::Platforms => Code::UnknownPlatform,
    }
}

/// The message for an id that is not in a vocabulary, with a suggestion.
pub fn unknown_term_message(taxonomy: &Taxonomy, vocabulary: Vocabulary, id: &str) -> String {
    let ids = taxonomy.terms(vocabulary).iter().map(|t| t.id.as_str());
    let hint = match closest(id, ids) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!(
            "the taxonomy's {} are: {}",
            vocabulary.key(),
            taxonomy
                .terms(vocabulary)
                .iter()
                .map(|t| t.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    format!(
        "`{}` is not {} of the taxonomy; {hint}",
        crate::schema::shown(id),
        vocabulary.a_noun()
    )
}

fn taxonomy_refs(entry: &Entry, taxonomy: &Taxonomy, out: &mut Vec<RuleFinding>) {
    let lists = [
        (Vocabulary::Categories, &entry.categories),
        (Vocabulary::Risks, &entry.risks),
        (Vocabulary::Lifecycle, &entry.lifecycle),
        (Vocabulary::Modalities, &entry.modalities),
        (Vocabulary::Interfaces, &entry.interfaces),
    ];
    for (vocabulary, ids) in lists {
        for (i, id) in ids.iter().enumerate() {
            if !taxonomy.contains(vocabulary, id) {
                out.push(finding(
                    unknown_code(vocabulary),
                    at(format!("/{}/{i}", vocabulary.key())),
                    unknown_term_message(taxonomy, vocabulary, id),
                ));
            }
        }
    }
    for (v, release) in entry.versions.iter().enumerate() {
        for platform in release.requires.keys() {
            if !taxonomy.contains(Vocabulary::Platforms, platform) {
                out.push(finding(
                    Code::UnknownPlatform,
                    Loc::Key(format!("/versions/{v}/requires"), platform.clone()),
                    unknown_term_message(taxonomy, Vocabulary::Platforms, platform),
                ));
            }
        }
    }
}

/// Whether `tag` is `any` or a well-formed BCP 47 language tag.
pub fn is_language_tag(tag: &str) -> bool {
    if tag == "any" {
        return true;
    }
    // BCP 47 allows 5-8 letter primary subtags, but none is registered:
    // natural languages use ISO 639 codes of 2 or 3 letters.
    let primary = tag.split('-').next().unwrap_or_default();
    (2..=3).contains(&primary.len())
        && tag.len() <= 35
        && icu_locale_core::LanguageIdentifier::try_from_str(tag).is_ok()
}

fn languages(entry: &Entry, out: &mut Vec<RuleFinding>) {
    for (i, tag) in entry.languages.iter().enumerate() {
        if !is_language_tag(tag) {
            out.push(finding(
                Code::InvalidLanguage,
                at(format!("/languages/{i}")),
                format!(
                    "`{}` is not a BCP 47 language tag; write e.g. `en`, `ja`, `no` or `pt-BR`, or `any`",
                    crate::schema::shown(tag)
                ),
            ));
        }
    }
}

fn license(entry: &Entry, settings: &Settings, out: &mut Vec<RuleFinding>) {
    let text = entry.license.trim();
    let upper = text.to_ascii_uppercase();
    if upper == "NOASSERTION" || upper == "NONE" {
        out.push(finding(
            Code::InvalidLicense,
            at("/license"),
            format!("`{text}` says nothing about the licence; find the licence file and write its SPDX identifier"),
        ));
        return;
    }
    match spdx::Expression::parse(text) {
        Ok(expression) => {
            for req in expression.requirements() {
                let id = req.req.to_string();
                let flagged = settings.policy.flag_licenses.iter().any(|f| {
                    if f.ends_with('-') {
                        id.starts_with(f.as_str())
                    } else {
                        id == *f
                    }
                });
                if flagged {
                    out.push(finding(
                        Code::LicensePolicy,
                        at("/license"),
                        format!(
                            "the licence `{id}` is flagged by the catalog's policy (`policy.flag_licenses`); readers should check its terms"
                        ),
                    ));
                    break;
                }
            }
        }
        Err(err) => {
            let hint = match spdx::Expression::canonicalize(text) {
                Ok(Some(fixed)) => format!("; did you mean `{fixed}`?"),
                _ => "; write an SPDX expression such as `Apache-2.0`, `MIT OR Apache-2.0`, or `LicenseRef-<name>` for a custom licence".into(),
            };
            out.push(finding(
                Code::InvalidLicense,
                at("/license"),
                format!(
                    "`{}` is not a valid SPDX license expression ({}){hint}",
                    crate::schema::shown(text),
                    err.reason
                ),
            ));
        }
    }
}

/// Parses a requirement in the `semver` crate's syntax, refusing bare versions
/// such as `2.1` that read as ambiguous.
pub fn parse_requirement(text: &str) -> Result<semver::VersionReq, String> {
    for part in text.split(',') {
        let part = part.trim();
        let starts_with_op = part.starts_with(['>', '<', '=', '^', '~']);
        if !starts_with_op && !part.contains('*') {
            return Err(format!(
                "`{part}` is a bare version, which is ambiguous; write `^{part}` (compatible) or `>={part}` (at least)"
            ));
        }
    }
    semver::VersionReq::parse(text).map_err(|e| {
        format!("{e}; write comparators separated by commas, e.g. `>=3.9, <3.13`, `^2.1`, `~4.40` or `2.*`")
    })
}

fn parse_date(text: &str) -> Option<Date> {
    text.parse::<Date>().ok()
}

fn versions(entry: &Entry, today: Date, out: &mut Vec<RuleFinding>) {
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (i, release) in entry.versions.iter().enumerate() {
        let normal = match semver::Version::parse(&release.version) {
            Ok(v) => v.to_string(),
            Err(e) => {
                out.push(finding(
                    Code::InvalidVersion,
                    at(format!("/versions/{i}/version")),
                    format!(
                        "`{}` is not a semantic version ({e}); write MAJOR.MINOR.PATCH such as `2.1.0`",
                        crate::schema::shown(&release.version)
                    ),
                ));
                release.version.clone()
            }
        };
        if let Some((_, first)) = seen.iter().find(|(v, _)| *v == normal) {
            out.push(finding(
                Code::DuplicateVersion,
                at(format!("/versions/{i}/version")),
                format!(
                    "version `{}` is listed twice (first as versions[{first}]); remove one",
                    crate::schema::shown(&release.version)
                ),
            ));
        } else {
            seen.push((normal, i));
        }
        if let Some(date) = parse_date(&release.released)
            && date > today
        {
            out.push(finding(
                    Code::FutureDate,
                    at(format!("/versions/{i}/released")),
                    format!("the release date {date} is after today ({today}); record only releases that happened"),
                ));
        }
        for (platform, requirement) in &release.requires {
            if let Err(message) = parse_requirement(requirement) {
                out.push(finding(
                    Code::InvalidRequirement,
                    at(format!(
                        "/versions/{i}/requires/{}",
                        crate::load::yaml::escape_token(platform)
                    )),
                    format!(
                        "requirement on `{}`: {message}",
                        crate::schema::shown(platform)
                    ),
                ));
            }
        }
    }
}

fn vetting(entry: &Entry, ctx: &Context<'_>, out: &mut Vec<RuleFinding>) {
    let v = &entry.vetting;
    let reviewed = parse_date(&v.reviewed);
    if let Some(date) = reviewed
        && date > ctx.today
    {
        out.push(finding(
            Code::FutureDate,
            at("/vetting/reviewed"),
            format!(
                "the review date {date} is after today ({}); record the day the review was done",
                ctx.today
            ),
        ));
    }
    let max_age = ctx.settings.policy.review_max_age_days;
    let next = v.next_review.as_deref().and_then(parse_date);
    let overdue = match crate::report::review::due_date(v, max_age) {
        Some(due) if due < ctx.today && next == Some(due) => Some((
            at("/vetting/next_review"),
            format!(
                "the next review was due on {due}; review the entry again and update `vetting.reviewed` and `vetting.next_review`"
            ),
        )),
        Some(due) if due < ctx.today => Some((
            at("/vetting/reviewed"),
            format!(
                "the last review ({}) is more than the policy's {max_age} days old (due {due}); review the entry again",
                v.reviewed
            ),
        )),
        _ => None,
    };
    if let Some((loc, message)) = overdue {
        out.push(finding(Code::ReviewOverdue, loc, message));
    }
    let min = ctx.settings.policy.vetted_min_reviewers;
    if v.status == Status::Vetted && v.reviewers.len() < min {
        out.push(finding(
            Code::TooFewReviewers,
            at("/vetting/reviewers"),
            format!(
                "a vetted entry needs at least {min} reviewers, this one names {}; add reviewers or set `status: provisional`",
                v.reviewers.len()
            ),
        ));
    }
}

/// Checks one URL: absolute, https, with a host.
pub fn check_url(text: &str) -> Result<(), (Code, String)> {
    let shown = || crate::schema::shown(text);
    match url::Url::parse(text) {
        Err(e) => Err((
            Code::InvalidUrl,
            format!(
                "`{}` is not a valid URL ({e}); write the full address, starting with https://",
                shown()
            ),
        )),
        Ok(url) if url.scheme() != "https" => Err((
            Code::InsecureUrl,
            format!(
                "`{}` uses `{}:`; only https:// links are accepted",
                shown(),
                url.scheme()
            ),
        )),
        Ok(url) if url.host_str().is_none_or(str::is_empty) => Err((
            Code::InsecureUrl,
            format!("`{}` has no host; write the full https:// address", shown()),
        )),
        Ok(_) => Ok(()),
    }
}

fn urls(entry: &Entry, out: &mut Vec<RuleFinding>) {
    let mut links: Vec<(String, &str)> = Vec::new();
    if let Some(h) = &entry.homepage {
        links.push(("/homepage".into(), h));
    }
    if let Some(d) = &entry.documentation {
        links.push(("/documentation".into(), d));
    }
    links.push(("/repository".into(), &entry.repository));
    for (i, m) in entry.maintainers.iter().enumerate() {
        if let Some(u) = &m.url {
            links.push((format!("/maintainers/{i}/url"), u));
        }
    }
    for (i, e) in entry.vetting.evidence.iter().enumerate() {
        links.push((format!("/vetting/evidence/{i}"), e));
    }
    for (pointer, link) in links {
        if let Err((code, message)) = check_url(link) {
            out.push(finding(code, at(pointer), message));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirements_refuse_bare_versions() {
        assert!(parse_requirement(">=3.9, <3.13").is_ok());
        assert!(parse_requirement("^2.1").is_ok());
        assert!(parse_requirement("2.*").is_ok());
        assert!(parse_requirement("*").is_ok());
        let err = parse_requirement("2.1").expect_err("bare");
        assert!(err.contains("^2.1"), "{err}");
        assert!(parse_requirement(">=3.9 <3.13").is_err());
        assert!(parse_requirement(">=banana").is_err());
    }

    #[test]
    fn urls_must_be_https_with_host() {
        assert!(check_url("https://example.org/x").is_ok());
        assert_eq!(
            check_url("http://example.org").map_err(|e| e.0),
            Err(Code::InsecureUrl)
        );
        assert_eq!(
            check_url("javascript:alert(1)").map_err(|e| e.0),
            Err(Code::InsecureUrl)
        );
        assert_eq!(
            check_url("example.org").map_err(|e| e.0),
            Err(Code::InvalidUrl)
        );
    }

    #[test]
    fn language_tags() {
        for ok in ["en", "ja", "no", "pt-BR", "zh-Hant", "any"] {
            assert!(is_language_tag(ok), "{ok}");
        }
        for bad in ["english", "en_US!", "", "e"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }
}
