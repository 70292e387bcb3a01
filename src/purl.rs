//! Package URLs (purl, ECMA-427): a small checked parser and the canonical
//! form, for the types the catalog accepts (`pypi`, `npm`, `cargo`,
//! `huggingface`, `github`).
//!
//! Parsing follows the specification's "how to parse" steps; the type rules
//! follow its type definitions, except that `pypi` names are normalised as
//! PyPI itself does (PEP 503: lower case, and every run of `-`, `_` and `.`
//! becomes one `-`), where the specification names only the underscore.
//! Both agree on every test case of the purl-spec suite
//! (`tests/fixtures/purl/`), which the tests run.

use std::collections::BTreeMap;
use std::fmt;

/// The purl types the catalog accepts, sorted.
pub const TYPES: &[&str] = &["cargo", "github", "huggingface", "npm", "pypi"];

/// A parsed package URL, in canonical form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purl {
    /// The type, lower case (`pypi`).
    pub ty: String,
    /// Namespace segments joined by `/` (`@angular`, `meta-llama`), if any.
    pub namespace: Option<String>,
    /// The name, normalised by the type's rules.
    pub name: String,
    /// The version, if any.
    pub version: Option<String>,
    /// Qualifiers, keys lower case, sorted.
    pub qualifiers: BTreeMap<String, String>,
    /// The subpath, segments joined by `/`, if any.
    pub subpath: Option<String>,
}

/// Why a string is not a package URL the catalog accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PurlError {
    /// It does not start with `pkg:`.
    Scheme,
    /// No `/` after the type.
    NoType,
    /// The type has characters other than letters, digits, `.`, `+`, `-`,
    /// or starts with a digit.
    BadType(String),
    /// A type this catalog does not check.
    UnsupportedType(String),
    /// The name is empty.
    NoName,
    /// A namespace on a type that has none.
    NamespaceNotAllowed(String),
    /// A type that requires a namespace has none.
    NamespaceRequired(String),
    /// An npm namespace that is not a scope (`@scope`).
    BadScope(String),
    /// A name with characters its registry does not allow.
    BadName(String),
    /// A qualifier key that is not `[a-z0-9._-]+` starting with a letter.
    BadQualifier(String),
    /// A `%` escape that is not two hex digits or not UTF-8.
    BadEscape,
}

impl fmt::Display for PurlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PurlError::Scheme => f.write_str("a package URL starts with `pkg:`"),
            PurlError::NoType => {
                f.write_str("a package URL names its type and name, `pkg:TYPE/NAME`")
            }
            PurlError::BadType(t) => write!(
                f,
                "`{t}` is not a purl type (letters, digits, `.`, `+` and `-`, not starting with a digit)"
            ),
            PurlError::UnsupportedType(t) => write!(
                f,
                "the purl type `{t}` is not one this catalog checks; use one of {}",
                TYPES.join(", ")
            ),
            PurlError::NoName => f.write_str("the package URL has no name"),
            PurlError::NamespaceNotAllowed(t) => {
                write!(f, "a `{t}` package URL has no namespace")
            }
            PurlError::NamespaceRequired(t) => write!(
                f,
                "a `{t}` package URL needs a namespace (`pkg:{t}/OWNER/NAME`)"
            ),
            PurlError::BadScope(s) => write!(
                f,
                "the npm namespace `{s}` is not a scope; write it `%40scope` (one segment)"
            ),
            PurlError::BadName(n) => write!(
                f,
                "`{n}` is not a name this registry allows (letters, digits, `-`, `_`, `.`)"
            ),
            PurlError::BadQualifier(k) => write!(f, "`{k}` is not a qualifier key"),
            PurlError::BadEscape => {
                f.write_str("a `%` escape is not two hexadecimal digits of UTF-8")
            }
        }
    }
}

impl std::error::Error for PurlError {}

/// Decodes `%XX` escapes.
fn decode(text: &str) -> Result<String, PurlError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3).ok_or(PurlError::BadEscape)?;
            let hex = std::str::from_utf8(hex).map_err(|_| PurlError::BadEscape)?;
            let b = u8::from_str_radix(hex, 16).map_err(|_| PurlError::BadEscape)?;
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| PurlError::BadEscape)
}

/// Percent-encodes everything but unreserved characters and `:`.
fn encode(text: &str, out: &mut String) {
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'~' | b':') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

/// The PEP 503 normal form of a Python distribution name.
pub fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_run {
                out.push('-');
            }
            in_run = true;
        } else {
            out.extend(c.to_lowercase());
            in_run = false;
        }
    }
    out
}

fn segments(text: &str) -> impl Iterator<Item = &str> {
    text.split('/').filter(|s| !s.is_empty())
}

impl Purl {
    /// Parses `text`, applying the type's normalisation.
    pub fn parse(text: &str) -> Result<Purl, PurlError> {
        let (rest, subpath) = match text.rsplit_once('#') {
            Some((r, s)) => (r, Some(s)),
            None => (text, None),
        };
        let subpath = match subpath {
            None => None,
            Some(s) => {
                let parts: Vec<String> = segments(s)
                    .filter(|p| *p != "." && *p != "..")
                    .map(decode)
                    .collect::<Result<_, _>>()?;
                (!parts.is_empty()).then(|| parts.join("/"))
            }
        };
        let (rest, query) = match rest.rsplit_once('?') {
            Some((r, q)) => (r, Some(q)),
            None => (rest, None),
        };
        let mut qualifiers = BTreeMap::new();
        for pair in query.into_iter().flat_map(|q| q.split('&')) {
            if pair.is_empty() {
                continue;
            }
            let (key, value) = pair
                .split_once('=')
                .ok_or_else(|| PurlError::BadQualifier(pair.to_string()))?;
            let value = decode(value)?;
            if !value.is_empty() {
                qualifiers.insert(key.to_string(), value);
            }
        }
        let (scheme, rest) = rest.split_once(':').ok_or(PurlError::Scheme)?;
        if !scheme.eq_ignore_ascii_case("pkg") {
            return Err(PurlError::Scheme);
        }
        let rest = rest.trim_matches('/');
        let (ty, rest) = rest.split_once('/').ok_or(PurlError::NoType)?;
        // The version follows the last `@` after the last `/`: an npm scope
        // written with a bare `@` is part of the namespace.
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (path, version) = match rest[last_slash..].rfind('@') {
            Some(at) => (
                &rest[..last_slash + at],
                Some(decode(&rest[last_slash + at + 1..])?),
            ),
            None => (rest, None),
        };
        let path = path.trim_end_matches('/');
        let (namespace, name) = match path.rsplit_once('/') {
            Some((ns, n)) => (Some(ns), n),
            None => (None, path),
        };
        let namespace = match namespace {
            None => None,
            Some(ns) => {
                let parts: Vec<String> = segments(ns).map(decode).collect::<Result<_, _>>()?;
                (!parts.is_empty()).then(|| parts.join("/"))
            }
        };
        Purl::build(
            ty,
            namespace.as_deref(),
            &decode(name)?,
            version.as_deref().filter(|v| !v.is_empty()),
            qualifiers,
            subpath.as_deref(),
        )
    }

    /// A purl from its components (decoded), checked and normalised by the
    /// type's rules.
    pub fn build(
        ty: &str,
        namespace: Option<&str>,
        name: &str,
        version: Option<&str>,
        qualifiers: BTreeMap<String, String>,
        subpath: Option<&str>,
    ) -> Result<Purl, PurlError> {
        let type_ok = !ty.is_empty()
            && !ty.starts_with(|c: char| c.is_ascii_digit())
            && ty
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-'));
        if !type_ok {
            return Err(PurlError::BadType(ty.to_string()));
        }
        let ty = ty.to_ascii_lowercase();
        if !TYPES.contains(&ty.as_str()) {
            return Err(PurlError::UnsupportedType(ty));
        }
        if name.is_empty() {
            return Err(PurlError::NoName);
        }
        let mut checked = BTreeMap::new();
        for (key, value) in qualifiers {
            let key_ok = key.starts_with(|c: char| c.is_ascii_alphabetic())
                && key
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
            if !key_ok {
                return Err(PurlError::BadQualifier(key));
            }
            if !value.is_empty() {
                checked.insert(key.to_ascii_lowercase(), value);
            }
        }
        let namespace = namespace.filter(|n| !n.is_empty());
        let plain_name = |n: &str| {
            n.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        };
        let (namespace, name, version) = match ty.as_str() {
            "pypi" | "cargo" => {
                if namespace.is_some() {
                    return Err(PurlError::NamespaceNotAllowed(ty));
                }
                if !plain_name(name) {
                    return Err(PurlError::BadName(name.to_string()));
                }
                let name = if ty == "pypi" {
                    pep503(name)
                } else {
                    name.to_string()
                };
                (None, name, version.map(str::to_string))
            }
            "npm" => {
                if let Some(ns) = namespace
                    && (!ns.starts_with('@') || ns.len() < 2 || ns.contains('/'))
                {
                    return Err(PurlError::BadScope(ns.to_string()));
                }
                (
                    namespace.map(str::to_string),
                    name.to_string(),
                    version.map(str::to_string),
                )
            }
            "huggingface" => {
                let Some(ns) = namespace else {
                    return Err(PurlError::NamespaceRequired(ty));
                };
                (
                    Some(ns.to_string()),
                    name.to_string(),
                    version.map(str::to_ascii_lowercase),
                )
            }
            _ => {
                // github
                let Some(ns) = namespace else {
                    return Err(PurlError::NamespaceRequired(ty));
                };
                (
                    Some(ns.to_ascii_lowercase()),
                    name.to_ascii_lowercase(),
                    version.map(str::to_string),
                )
            }
        };
        Ok(Purl {
            ty,
            namespace,
            name,
            version,
            qualifiers: checked,
            subpath: subpath.filter(|s| !s.is_empty()).map(str::to_string),
        })
    }

    /// The same package without version, qualifiers and subpath: the form
    /// the catalog's `packages` field holds.
    pub fn package_only(&self) -> Purl {
        Purl {
            version: None,
            qualifiers: BTreeMap::new(),
            subpath: None,
            ..self.clone()
        }
    }

    /// The registry's name of the package: `name`, or `@scope/name` on npm,
    /// `owner/name` on github and huggingface.
    pub fn registry_name(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{ns}/{}", self.name),
            None => self.name.clone(),
        }
    }
}

impl fmt::Display for Purl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = format!("pkg:{}/", self.ty);
        if let Some(ns) = &self.namespace {
            for segment in segments(ns) {
                encode(segment, &mut out);
                out.push('/');
            }
        }
        encode(&self.name, &mut out);
        if let Some(v) = &self.version {
            out.push('@');
            encode(v, &mut out);
        }
        let mut sep = '?';
        for (k, v) in &self.qualifiers {
            out.push(sep);
            sep = '&';
            out.push_str(k);
            out.push('=');
            encode(v, &mut out);
        }
        if let Some(s) = &self.subpath {
            out.push('#');
            let mut first = true;
            for segment in segments(s) {
                if !first {
                    out.push('/');
                }
                first = false;
                encode(segment, &mut out);
            }
        }
        f.write_str(&out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purl_pep503_folds_runs_of_separators() {
        assert_eq!(
            pep503("Adversarial_Robustness.Toolbox"),
            "adversarial-robustness-toolbox"
        );
        assert_eq!(pep503("a-_.b"), "a-b");
        let p = Purl::parse("pkg:pypi/Adversarial_Robustness.Toolbox").expect("parses");
        assert_eq!(p.to_string(), "pkg:pypi/adversarial-robustness-toolbox");
    }

    #[test]
    fn purl_type_rules() {
        assert_eq!(
            Purl::parse("pkg:pypi/nvidia/garak"),
            Err(PurlError::NamespaceNotAllowed("pypi".into()))
        );
        assert_eq!(
            Purl::parse("pkg:huggingface/Llama-Guard-4-12B"),
            Err(PurlError::NamespaceRequired("huggingface".into()))
        );
        assert_eq!(
            Purl::parse("pkg:npm/scope/name"),
            Err(PurlError::BadScope("scope".into()))
        );
        assert!(matches!(
            Purl::parse("pkg:maven/org.x/y"),
            Err(PurlError::UnsupportedType(_))
        ));
        assert_eq!(Purl::parse("pypi/garak"), Err(PurlError::Scheme));
        let hf = Purl::parse("pkg:huggingface/meta-llama/Llama-Guard-4-12B").expect("hf");
        assert_eq!(hf.registry_name(), "meta-llama/Llama-Guard-4-12B");
        let gh = Purl::parse("pkg:github/NVIDIA/garak").expect("gh");
        assert_eq!(gh.to_string(), "pkg:github/nvidia/garak");
        let npm = Purl::parse("pkg:npm/@scope/tool@1.0.0").expect("npm");
        assert_eq!(npm.to_string(), "pkg:npm/%40scope/tool@1.0.0");
        assert_eq!(npm.package_only().to_string(), "pkg:npm/%40scope/tool");
        assert_eq!(npm.registry_name(), "@scope/tool");
    }

    #[test]
    fn purl_never_panics_on_odd_input() {
        for text in [
            "",
            "pkg:",
            "pkg:/",
            "pkg://",
            "pkg:pypi/",
            "pkg:pypi/@",
            "pkg:npm/%",
            "pkg:npm/%4",
            "pkg:npm/%ff",
            "pkg:pypi/a#",
            "pkg:pypi/a?",
            "pkg:pypi/a?=",
            "@@@",
            "pkg:pypi/é",
        ] {
            let _ = Purl::parse(text);
        }
    }
}

#[cfg(test)]
mod spec_suite {
    //! The purl-spec test suite, for the accepted types.
    use std::collections::BTreeMap;

    use serde_json::Value;

    use super::{Purl, TYPES};

    fn cases(file: &str) -> Vec<Value> {
        let path = format!("{}/tests/fixtures/purl/{file}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).expect("purl-spec fixture");
        let doc: Value = serde_json::from_str(&text).expect("json");
        doc["tests"].as_array().expect("tests").clone()
    }

    fn opt(v: &Value) -> Option<&str> {
        v.as_str()
    }

    /// Type, namespace, name, version, qualifiers, subpath.
    type Parts<'a> = (
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        BTreeMap<String, String>,
        Option<&'a str>,
    );

    fn components(v: &Value) -> Parts<'_> {
        let qualifiers = v["qualifiers"]
            .as_object()
            .map(|q| {
                q.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        (
            opt(&v["type"]),
            opt(&v["namespace"]),
            opt(&v["name"]),
            opt(&v["version"]),
            qualifiers,
            opt(&v["subpath"]),
        )
    }

    /// The type a case is about, when it names one.
    fn type_of(case: &Value) -> Option<String> {
        match &case["input"] {
            Value::String(s) => {
                let rest = s.split_once(':')?.1.trim_start_matches('/');
                let ty = rest.split('/').next()?;
                Some(ty.to_ascii_lowercase())
            }
            other => other["type"].as_str().map(str::to_ascii_lowercase),
        }
    }

    /// Runs one case; `Err` says how it went wrong.
    fn run(case: &Value) -> Result<(), String> {
        let fail = case["expected_failure"].as_bool().unwrap_or(false);
        let got: Result<Purl, _> = match &case["input"] {
            Value::String(s) => Purl::parse(s),
            c => {
                let (ty, ns, name, version, q, sub) = components(c);
                Purl::build(ty.unwrap_or(""), ns, name.unwrap_or(""), version, q, sub)
            }
        };
        match (fail, got, case["test_type"].as_str()) {
            (true, Err(_), _) => Ok(()),
            (true, Ok(p), _) => Err(format!("accepted as {p}")),
            (false, Err(e), _) => Err(format!("refused: {e}")),
            (false, Ok(p), Some("parse")) => {
                let (ty, ns, name, version, q, sub) = components(&case["expected_output"]);
                let same = Some(p.ty.as_str()) == ty
                    && p.namespace.as_deref() == ns
                    && Some(p.name.as_str()) == name
                    && p.version.as_deref() == version
                    && p.qualifiers == q
                    && p.subpath.as_deref() == sub;
                if same {
                    Ok(())
                } else {
                    Err(format!("parsed as {p:?}"))
                }
            }
            (false, Ok(p), _) => {
                let want = case["expected_output"].as_str().unwrap_or_default();
                if p.to_string() == want {
                    Ok(())
                } else {
                    Err(format!("gave {p}"))
                }
            }
        }
    }

    #[test]
    fn purl_spec_type_suites_pass() {
        let mut ran = 0;
        let mut problems = Vec::new();
        for ty in TYPES {
            for case in cases(&format!("{ty}-test.json")) {
                ran += 1;
                if let Err(why) = run(&case) {
                    problems.push(format!("{}: {why}", case["description"]));
                }
            }
        }
        assert!(ran >= 60, "only {ran} cases");
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn purl_spec_general_cases_pass_for_accepted_types() {
        let mut ran = 0;
        let mut problems = Vec::new();
        for case in cases("specification-test.json") {
            let fail = case["expected_failure"].as_bool().unwrap_or(false);
            let accepted = type_of(&case).is_none_or(|t| TYPES.contains(&t.as_str()));
            // A case about another type would fail here for the wrong reason.
            let syntactic_other = type_of(&case).is_some_and(|t| {
                !TYPES.contains(&t.as_str())
                    && t.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"+.-".contains(&b))
                    && !t.starts_with(|c: char| c.is_ascii_digit())
                    && !t.contains('@')
            });
            if !(accepted || (fail && !syntactic_other)) {
                continue;
            }
            ran += 1;
            if let Err(why) = run(&case) {
                problems.push(format!("{} {}: {why}", case["description"], case["input"]));
            }
        }
        assert!(ran >= 10, "only {ran} cases");
        assert!(problems.is_empty(), "{problems:#?}");
    }
}
