//! PEP 508 environment markers (`python_version < "3.12"`,
//! `sys_platform == "linux" and platform_machine == "x86_64"`): parsed,
//! kept as written, and evaluated with three values against an environment
//! that may know only some of the marker variables. A comparison on a
//! variable the environment does not know is *unknown*, and unknown
//! propagates the way it must: `false and unknown` is false, `true or
//! unknown` is true, anything else with unknown is unknown.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// The marker variables of PEP 508, in the names PEP 508 gives them.
pub const VARIABLES: &[&str] = &[
    "python_version",
    "python_full_version",
    "os_name",
    "sys_platform",
    "platform_release",
    "platform_system",
    "platform_version",
    "platform_machine",
    "platform_python_implementation",
    "implementation_name",
    "implementation_version",
    "extra",
];

/// Variables whose values are compared as PEP 440 versions when both sides
/// parse as versions.
const VERSION_VARIABLES: &[&str] = &[
    "python_version",
    "python_full_version",
    "implementation_version",
    "platform_release",
];

/// A marker environment: variable name to value. Variables not in the map
/// are unknown.
pub type Environment = BTreeMap<String, String>;

/// A parsed marker expression, with its text as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    text: Box<str>,
    tree: Expr,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Compare(Operand, Op, Operand),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Operand {
    Variable(&'static str),
    Literal(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Lt,
    Le,
    Eq,
    Ne,
    Ge,
    Gt,
    Compatible,
    Arbitrary,
    In,
    NotIn,
}

impl Op {
    fn pep440(self) -> Option<&'static str> {
        Some(match self {
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::Ge => ">=",
            Op::Gt => ">",
            Op::Compatible => "~=",
            Op::Arbitrary | Op::In | Op::NotIn => return None,
        })
    }
}

impl Marker {
    /// Parses `text` as a PEP 508 marker expression.
    pub fn parse(text: &str) -> Result<Marker, String> {
        let mut p = Parser {
            text,
            at: 0,
            depth: 0,
        };
        let tree = p.or()?;
        p.space();
        if p.at < text.len() {
            return Err(format!(
                "unexpected `{}` at character {} of the marker",
                p.rest().chars().next().unwrap_or(' '),
                p.at + 1
            ));
        }
        Ok(Marker {
            text: text.trim().into(),
            tree,
        })
    }

    /// The marker as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The variables the marker reads, in order of first use, once each.
    pub fn variables(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        collect(&self.tree, &mut out);
        out
    }

    /// Evaluates the marker: `Some(true)` or `Some(false)` when the
    /// environment decides it, `None` when it depends on a variable the
    /// environment does not know.
    pub fn evaluate(&self, env: &Environment) -> Option<bool> {
        eval(&self.tree, env)
    }
}

impl fmt::Display for Marker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

fn collect(e: &Expr, out: &mut Vec<&'static str>) {
    match e {
        Expr::And(xs) | Expr::Or(xs) => xs.iter().for_each(|x| collect(x, out)),
        Expr::Compare(a, _, b) => {
            for o in [a, b] {
                if let Operand::Variable(v) = o
                    && !out.contains(v)
                {
                    out.push(v);
                }
            }
        }
    }
}

fn eval(e: &Expr, env: &Environment) -> Option<bool> {
    match e {
        Expr::And(xs) => {
            let mut unknown = false;
            for x in xs {
                match eval(x, env) {
                    Some(false) => return Some(false),
                    None => unknown = true,
                    Some(true) => {}
                }
            }
            (!unknown).then_some(true)
        }
        Expr::Or(xs) => {
            let mut unknown = false;
            for x in xs {
                match eval(x, env) {
                    Some(true) => return Some(true),
                    None => unknown = true,
                    Some(false) => {}
                }
            }
            (!unknown).then_some(false)
        }
        Expr::Compare(a, op, b) => {
            fn value<'e>(o: &'e Operand, env: &'e Environment) -> Option<&'e str> {
                match o {
                    Operand::Variable(v) => env.get(*v).map(String::as_str),
                    Operand::Literal(s) => Some(s.as_str()),
                }
            }
            let (l, r) = (value(a, env)?, value(b, env)?);
            let versions = [a, b]
                .iter()
                .any(|o| matches!(o, Operand::Variable(v) if VERSION_VARIABLES.contains(v)));
            Some(compare(l, *op, r, versions))
        }
    }
}

/// PEP 508: a comparison is a PEP 440 version comparison when the right
/// side parses as a specifier of the left (for the version variables),
/// else a comparison of strings.
fn compare(l: &str, op: Op, r: &str, versions: bool) -> bool {
    if versions
        && let Some(sym) = op.pep440()
        && let Ok(spec) = pep440_rs::VersionSpecifier::from_str(&format!("{sym}{r}"))
        && let Ok(v) = pep440_rs::Version::from_str(l)
    {
        return spec.contains(&v);
    }
    match op {
        Op::Lt => l < r,
        Op::Le => l <= r,
        Op::Eq | Op::Arbitrary => l == r,
        Op::Ne => l != r,
        Op::Ge => l >= r,
        Op::Gt => l > r,
        // `~=` on strings that are not versions has no meaning; PEP 508
        // leaves it to the version rules, so a non-version never matches.
        Op::Compatible => false,
        Op::In => r.contains(l),
        Op::NotIn => !r.contains(l),
    }
}

struct Parser<'a> {
    text: &'a str,
    at: usize,
    depth: usize,
}

/// Nesting deeper than this is refused rather than recursed into.
const MAX_DEPTH: usize = 32;

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.text[self.at..]
    }

    fn space(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start().len();
    }

    fn keyword(&mut self, word: &str) -> bool {
        self.space();
        let rest = self.rest();
        if rest.starts_with(word)
            && !rest[word.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        {
            self.at += word.len();
            true
        } else {
            false
        }
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut xs = vec![self.and()?];
        while self.keyword("or") {
            xs.push(self.and()?);
        }
        Ok(if xs.len() == 1 {
            xs.remove(0)
        } else {
            Expr::Or(xs)
        })
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut xs = vec![self.atom()?];
        while self.keyword("and") {
            xs.push(self.atom()?);
        }
        Ok(if xs.len() == 1 {
            xs.remove(0)
        } else {
            Expr::And(xs)
        })
    }

    fn atom(&mut self) -> Result<Expr, String> {
        self.space();
        if self.rest().starts_with('(') {
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return Err("the marker nests parentheses too deeply".into());
            }
            self.at += 1;
            let inner = self.or()?;
            self.space();
            if !self.rest().starts_with(')') {
                return Err("a `(` in the marker is not closed".into());
            }
            self.at += 1;
            self.depth -= 1;
            return Ok(inner);
        }
        let left = self.operand()?;
        let op = self.op()?;
        let right = self.operand()?;
        if matches!((&left, &right), (Operand::Literal(_), Operand::Literal(_))) {
            return Err("a marker comparison needs a marker variable on one side".into());
        }
        Ok(Expr::Compare(left, op, right))
    }

    fn operand(&mut self) -> Result<Operand, String> {
        self.space();
        let rest = self.rest();
        if let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
            let body = &rest[1..];
            let end = body
                .find(q)
                .ok_or_else(|| format!("a string in the marker is not closed with {q}"))?;
            let literal = body[..end].to_string();
            self.at += end + 2;
            return Ok(Operand::Literal(literal));
        }
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(rest.len());
        let word = rest[..len].to_string();
        let word = word.as_str();
        if word.is_empty() {
            return Err(format!(
                "expected a marker variable or a quoted string at character {}",
                self.at + 1
            ));
        }
        let Some(v) = VARIABLES.iter().find(|v| **v == word) else {
            return Err(format!(
                "`{}` is not a PEP 508 marker variable; the variables are {}",
                crate::text::shown(word),
                VARIABLES.join(", ")
            ));
        };
        self.at += len;
        Ok(Operand::Variable(v))
    }

    fn op(&mut self) -> Result<Op, String> {
        self.space();
        for (sym, op) in [
            ("===", Op::Arbitrary),
            ("<=", Op::Le),
            (">=", Op::Ge),
            ("==", Op::Eq),
            ("!=", Op::Ne),
            ("~=", Op::Compatible),
            ("<", Op::Lt),
            (">", Op::Gt),
        ] {
            if self.rest().starts_with(sym) {
                self.at += sym.len();
                return Ok(op);
            }
        }
        if self.keyword("in") {
            return Ok(Op::In);
        }
        let save = self.at;
        if self.keyword("not") && self.keyword("in") {
            return Ok(Op::NotIn);
        }
        self.at = save;
        Err(format!(
            "expected a comparison (<, <=, ==, !=, >=, >, ~=, in, not in) at character {}",
            self.at + 1
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Environment {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn eval(marker: &str, pairs: &[(&str, &str)]) -> Option<bool> {
        Marker::parse(marker).expect(marker).evaluate(&env(pairs))
    }

    #[test]
    fn version_variables_compare_as_versions() {
        assert_eq!(
            eval("python_version < '3.13'", &[("python_version", "3.12")]),
            Some(true)
        );
        assert_eq!(
            eval("python_version < \"3.13\"", &[("python_version", "3.13")]),
            Some(false)
        );
        // As strings "3.9" > "3.13"; as versions it is less.
        assert_eq!(
            eval("python_version < '3.13'", &[("python_version", "3.9")]),
            Some(true)
        );
        assert_eq!(
            eval(
                "python_full_version >= '3.12.1'",
                &[("python_full_version", "3.12.0")]
            ),
            Some(false)
        );
    }

    #[test]
    fn strings_compare_as_strings() {
        let linux = [("sys_platform", "linux")];
        assert_eq!(eval("sys_platform == 'linux'", &linux), Some(true));
        assert_eq!(eval("sys_platform != 'win32'", &linux), Some(true));
        assert_eq!(eval("'linux' in sys_platform", &linux), Some(true));
        assert_eq!(
            eval("sys_platform not in 'win32 cygwin'", &linux),
            Some(true)
        );
    }

    #[test]
    fn unknown_propagates_three_ways() {
        let py = [("python_version", "3.12")];
        assert_eq!(eval("sys_platform == 'linux'", &py), None);
        assert_eq!(
            eval("python_version >= '3.13' and sys_platform == 'linux'", &py),
            Some(false)
        );
        assert_eq!(
            eval("python_version < '3.13' or sys_platform == 'linux'", &py),
            Some(true)
        );
        assert_eq!(
            eval("python_version < '3.13' and sys_platform == 'linux'", &py),
            None
        );
        assert_eq!(
            eval(
                "(python_version < '3.10' or sys_platform == 'linux') and python_version > '3'",
                &py
            ),
            None
        );
    }

    #[test]
    fn bad_markers_say_what_is_wrong() {
        let err = |m: &str| Marker::parse(m).expect_err(m);
        assert!(err("python_ver < '3'").contains("not a PEP 508 marker variable"));
        assert!(err("python_version < '3").contains("not closed"));
        assert!(err("python_version ~ '3'").contains("expected a comparison"));
        assert!(err("'a' == 'b'").contains("variable"));
        assert!(err("(python_version < '3'").contains("not closed"));
        assert!(err(&"(".repeat(100)).contains("deeply"));
        assert!(err("python_version < '3' trailing").contains("unexpected"));
    }

    #[test]
    fn variables_are_listed_once() {
        let m =
            Marker::parse("python_version < '3' and (sys_platform == 'x' or python_version > '2')")
                .expect("m");
        assert_eq!(m.variables(), ["python_version", "sys_platform"]);
    }
}
