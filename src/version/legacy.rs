//! Schema 1.x requirements: the `semver` crate's syntax, with bare
//! versions refused, and stack versions read leniently into semver; and
//! their translation into each ecosystem's own syntax, for `migrate`.

use semver::{Comparator, Op, Prerelease};

use super::Ecosystem;

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

/// Reads a version leniently:
///
/// - a leading `v` is dropped, and missing parts are zero: `3.12` is `3.12.0`, `2` is `2.0.0`;
/// - build metadata (`2.3.1+cu121`) is kept but never affects comparisons;
/// - a fourth and further numeric part (`1.2.3.4`) becomes build metadata (`1.2.3+4`),
///   so it is ignored in comparisons;
/// - Python pre-releases become semver pre-releases: `2.4.0rc1` is `2.4.0-rc.1`,
///   `a1`/`b1` are `-alpha.1`/`-beta.1`, `.dev0` is `-dev.0`; a post-release
///   `2.4.0.post1` is `2.4.0+post1`.
pub fn parse_version(text: &str) -> Result<semver::Version, String> {
    let trimmed = text.trim();
    let body = trimmed.strip_prefix(['v', 'V']).unwrap_or(trimmed);
    if let Ok(v) = semver::Version::parse(body) {
        return Ok(v);
    }
    let (main, build) = match body.split_once('+') {
        Some((m, b)) => (m, Some(b)),
        None => (body, None),
    };
    let numeric_end = main
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(main.len());
    let (numbers, rest) = main.split_at(numeric_end);
    let numbers = numbers.trim_end_matches('.');
    let parts: Vec<&str> = numbers.split('.').collect();
    if numbers.is_empty()
        || parts
            .iter()
            .any(|p| p.is_empty() || p.parse::<u64>().is_err())
    {
        return Err(format!(
            "`{text}` is not a version; write e.g. \"3.12\", \"2.3.1\" or \"2.4.0rc1\""
        ));
    }
    let num = |i: usize| parts.get(i).map_or(Ok(0), |p| p.parse::<u64>());
    let (major, minor, patch) = match (num(0), num(1), num(2)) {
        (Ok(a), Ok(b), Ok(c)) => (a, b, c),
        _ => return Err(format!("`{text}` has a number too large to be a version")),
    };
    let mut build_parts: Vec<String> = parts.iter().skip(3).map(|s| s.to_string()).collect();
    let rest = rest
        .trim_start_matches(['.', '-', '_'])
        .to_ascii_lowercase();
    let pre = if rest.is_empty() {
        String::new()
    } else if let Some(post) = rest.strip_prefix("post") {
        build_parts.push(format!("post{}", post.trim_start_matches(['.', '-'])));
        String::new()
    } else {
        let (label, n) = rest.split_at(
            rest.find(|c: char| c.is_ascii_digit())
                .unwrap_or(rest.len()),
        );
        let label = match label.trim_end_matches(['.', '-']) {
            "a" | "alpha" => "alpha",
            "b" | "beta" => "beta",
            "rc" | "c" | "pre" | "preview" => "rc",
            "dev" => "dev",
            _ => {
                return Err(format!(
                    "`{text}` has a suffix `{rest}` that is not a pre-release (a, b, rc, dev) or post-release"
                ));
            }
        };
        if n.is_empty() {
            label.to_string()
        } else {
            format!(
                "{label}.{}",
                n.trim_start_matches('0').parse::<u64>().unwrap_or(0)
            )
        }
    };
    if let Some(b) = build {
        build_parts.push(b.to_string());
    }
    let mut out = format!("{major}.{minor}.{patch}");
    if !pre.is_empty() {
        out.push('-');
        out.push_str(&pre);
    }
    if !build_parts.is_empty() {
        out.push('+');
        out.push_str(&build_parts.join("."));
    }
    semver::Version::parse(&out).map_err(|e| format!("`{text}` is not a version ({e})"))
}

/// The version requirements are checked against: pre-releases are checked
/// as the release they precede (semver requirements would otherwise never
/// match them), build metadata is ignored.
pub fn comparable(version: &semver::Version) -> semver::Version {
    semver::Version::new(version.major, version.minor, version.patch)
}

/// What `migrate` makes of one schema 1.x requirement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    /// The requirement in the platform's own syntax.
    pub text: String,
    /// Whether it differs from the text as written.
    pub changed: bool,
}

/// Translates a schema 1.x requirement (the `semver` crate's syntax) into
/// `ecosystem`'s syntax with the same meaning on final releases; `package`
/// is the platform's package name, written for "any version" in PEP 508.
/// `Err` says why it cannot be translated.
pub fn translate(
    text: &str,
    ecosystem: Ecosystem,
    package: Option<&str>,
) -> Result<Translation, String> {
    let req = parse_requirement(text)?;
    let out = match ecosystem {
        Ecosystem::Cargo => text.to_string(),
        Ecosystem::Node => {
            if req.comparators.is_empty() {
                "*".to_string()
            } else {
                req.comparators
                    .iter()
                    .map(|c| comparator_text(c, &node_pre))
                    .collect::<Result<Vec<_>, _>>()?
                    .join(" ")
            }
        }
        Ecosystem::Pep440 => {
            if req.comparators.is_empty() {
                match package {
                    Some(p) => p.to_string(),
                    None => {
                        return Err(format!(
                            "`{}` (any version) has no PEP 440 form for a runtime; remove the requirement, or write the lowest version known to work, e.g. `>=3.9`",
                            text.trim()
                        ));
                    }
                }
            } else {
                let parts = req
                    .comparators
                    .iter()
                    .map(pep440_of)
                    .collect::<Result<Vec<_>, _>>()?;
                parts.concat().join(", ")
            }
        }
    };
    Ok(Translation {
        changed: out != text,
        text: out,
    })
}

/// The comparator as the `semver` crate writes it, its pre-release written by `pre`.
fn comparator_text(
    c: &Comparator,
    pre: &dyn Fn(&Prerelease) -> Result<String, String>,
) -> Result<String, String> {
    let op = match c.op {
        Op::Exact => "=",
        Op::Greater => ">",
        Op::GreaterEq => ">=",
        Op::Less => "<",
        Op::LessEq => "<=",
        Op::Tilde => "~",
        Op::Caret => "^",
        Op::Wildcard => "",
        _ => return Err(format!("the comparator `{c}` has no known meaning")),
    };
    let mut v = c.major.to_string();
    match (c.minor, c.patch) {
        (Some(mi), Some(pa)) => v.push_str(&format!(".{mi}.{pa}")),
        (Some(mi), None) => v.push_str(&format!(".{mi}")),
        _ => {}
    }
    if c.op == Op::Wildcard {
        v.push_str(".*");
    }
    if !c.pre.is_empty() {
        v.push_str(&pre(&c.pre)?);
    }
    Ok(format!("{op}{v}"))
}

fn node_pre(p: &Prerelease) -> Result<String, String> {
    Ok(format!("-{p}"))
}

/// A semver pre-release as PEP 440 writes it: `rc.3` is `rc3`, `alpha.1`
/// is `a1`, `beta.2` is `b2`, `dev.0` is `.dev0`.
fn pep440_pre(p: &Prerelease) -> Result<String, String> {
    let (label, n) = p.as_str().split_once('.').unwrap_or((p.as_str(), "0"));
    if !n.chars().all(|c| c.is_ascii_digit()) || n.is_empty() {
        return Err(format!("the pre-release `-{p}` has no PEP 440 form"));
    }
    let n: u64 = n
        .parse()
        .map_err(|_| format!("the pre-release `-{p}` is too large"))?;
    Ok(match label {
        "alpha" | "a" => format!("a{n}"),
        "beta" | "b" => format!("b{n}"),
        "rc" | "c" | "pre" | "preview" => format!("rc{n}"),
        "dev" => format!(".dev{n}"),
        _ => {
            return Err(format!(
                "the pre-release `-{p}` has no PEP 440 form (PEP 440 knows a, b, rc and dev)"
            ));
        }
    })
}

/// One semver comparator as PEP 440 specifiers with the same meaning on
/// final releases: the `semver` crate fills a partial version's missing
/// parts by the operator (`<=3.12` is `<3.13.0`, `>3.12` is `>=3.13.0`,
/// `=3.12` is `3.12.*`), which PEP 440 does not, so those are written out.
fn pep440_of(c: &Comparator) -> Result<Vec<String>, String> {
    let pre = if c.pre.is_empty() {
        String::new()
    } else {
        pep440_pre(&c.pre)?
    };
    let (ma, mi, pa) = (c.major, c.minor, c.patch);
    let full = |m: u64, n: Option<u64>, p: Option<u64>| -> String {
        match (n, p) {
            (Some(n), Some(p)) => format!("{m}.{n}.{p}"),
            (Some(n), None) => format!("{m}.{n}"),
            _ => m.to_string(),
        }
    };
    let v = format!("{}{pre}", full(ma, mi, pa));
    let next_minor = |n: u64| format!("{ma}.{}", n + 1);
    let next_major = || (ma + 1).to_string();
    Ok(match c.op {
        Op::Exact => match (mi, pa) {
            (Some(_), Some(_)) => vec![format!("=={v}")],
            _ => vec![format!("=={}.*", full(ma, mi, None))],
        },
        Op::GreaterEq => vec![format!(">={v}")],
        Op::Less => vec![format!("<{v}")],
        Op::Greater => match (mi, pa) {
            (Some(_), Some(_)) => vec![format!(">{v}")],
            (Some(n), None) => vec![format!(">={}", next_minor(n))],
            _ => vec![format!(">={}", next_major())],
        },
        Op::LessEq => match (mi, pa) {
            (Some(_), Some(_)) => vec![format!("<={v}")],
            (Some(n), None) => vec![format!("<{}", next_minor(n))],
            _ => vec![format!("<{}", next_major())],
        },
        Op::Tilde => match mi {
            Some(n) => vec![format!(">={v}"), format!("<{}", next_minor(n))],
            None => vec![format!(">={v}"), format!("<{}", next_major())],
        },
        Op::Caret => {
            let upper = match (ma, mi, pa) {
                (0, Some(0), Some(p)) => format!("0.0.{}", p + 1),
                (0, Some(n), _) => format!("0.{}", n + 1),
                (0, None, _) => "1".to_string(),
                _ => next_major(),
            };
            vec![format!(">={v}"), format!("<{upper}")]
        }
        Op::Wildcard => vec![format!("=={}.*", full(ma, mi, None))],
        _ => return Err(format!("the comparator `{c}` has no known meaning")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pep(text: &str) -> String {
        translate(text, Ecosystem::Pep440, Some("numpy"))
            .map(|t| t.text)
            .unwrap_or_else(|e| format!("error: {e}"))
    }

    #[test]
    fn semver_requirements_become_pep440() {
        assert_eq!(pep(">=3.9, <3.13"), ">=3.9, <3.13");
        assert_eq!(pep("=1.26.4"), "==1.26.4");
        assert_eq!(pep("=1.26"), "==1.26.*");
        assert_eq!(pep("2.*"), "==2.*");
        assert_eq!(pep("*"), "numpy");
        assert_eq!(pep("<=3.12"), "<3.13");
        assert_eq!(pep("<=1.5.1"), "<=1.5.1");
        assert_eq!(pep(">3.12"), ">=3.13");
        assert_eq!(pep("^2.1"), ">=2.1, <3");
        assert_eq!(pep("^0.2.3"), ">=0.2.3, <0.3");
        assert_eq!(pep("^0.0.3"), ">=0.0.3, <0.0.4");
        assert_eq!(pep("~4.40"), ">=4.40, <4.41");
        assert_eq!(pep(">=5.0.0-rc.3"), ">=5.0.0rc3");
        assert!(pep(">=1.0.0-foo.1").starts_with("error"));
        assert!(translate("*", Ecosystem::Pep440, None).is_err());
    }

    #[test]
    fn unchanged_translations_say_so() {
        let t = translate(">=3.10", Ecosystem::Pep440, None).expect("t");
        assert!(!t.changed);
        let t = translate(">=1.96.0", Ecosystem::Cargo, None).expect("t");
        assert!(!t.changed);
        let t = translate(">=20.0.0, <23", Ecosystem::Node, None).expect("t");
        assert_eq!(t.text, ">=20.0.0 <23");
    }
}
