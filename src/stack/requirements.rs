//! `pip freeze` output and requirements files: PEP 508 lines with pins,
//! comments, `\` continuations, `-r` includes, `--hash` options, extras,
//! markers and editable installs.
//!
//! A line pinned with `==` or `===` is an installed version. A range, a
//! wildcard, a URL or path install or an editable install without a version
//! is noted with its line and not used: the version is not guessed. `pip
//! freeze` writes the version of an editable install in the comment above
//! its `-e` line (`# Editable install with no version control (x==1.0)`);
//! that version is used.

use std::sync::Arc;

use super::{Ecosystem, Included, Includes, MAX_INCLUDE_DEPTH, Origin, Package, Reading};
use crate::model::stack::StackError;

/// Options that apply to the whole install and say nothing about versions.
const GLOBAL_OPTIONS: &[&str] = &[
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "--no-index",
    "--pre",
    "--trusted-host",
    "--prefer-binary",
    "--require-hashes",
    "--only-binary",
    "--no-binary",
    "--use-feature",
    "--config-settings",
];

/// Reads a requirements file and, through `includes`, the files it includes.
pub fn read(
    reading: &mut Reading,
    text: &str,
    includes: &mut dyn Includes,
) -> Result<(), StackError> {
    let file = reading.file.clone();
    let mut chain = vec![(includes.key(&file), file.to_string())];
    read_file(reading, &file, text, includes, &mut chain)
}

/// One logical line: the text (continuations joined) and where it starts.
struct Line {
    text: String,
    line: usize,
}

fn logical_lines(text: &str) -> (Vec<Line>, Vec<(usize, String)>) {
    let mut out = Vec::new();
    let mut comments = Vec::new();
    let mut pending: Option<Line> = None;
    for (n, raw) in crate::source::split_lines(text).enumerate() {
        let raw = raw.trim_end_matches(['\r', '\n']);
        let (body, comment) = split_comment(raw);
        if let Some(c) = comment {
            comments.push((n + 1, c.to_string()));
        }
        let (body, continued) = match body.trim_end().strip_suffix('\\') {
            Some(b) => (b, true),
            None => (body, false),
        };
        let line = match pending.take() {
            Some(mut p) => {
                p.text.push(' ');
                p.text.push_str(body);
                p
            }
            None => Line {
                text: body.to_string(),
                line: n + 1,
            },
        };
        if continued {
            pending = Some(line);
        } else {
            out.push(line);
        }
    }
    out.extend(pending);
    (out, comments)
}

/// pip's rule: `#` starts a comment at the start of a line or after
/// whitespace (so `#sha256=` in a URL is not one).
fn split_comment(line: &str) -> (&str, Option<&str>) {
    let bytes = line.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()) {
            return (&line[..i], Some(&line[i..]));
        }
    }
    (line, None)
}

/// The `(name, version)` pip freeze writes above an editable install.
fn editable_comment(comment: &str) -> Option<(String, String)> {
    let c = comment.trim_start_matches('#').trim();
    if !(c.starts_with("Editable") && c.contains("install")) {
        return None;
    }
    let inner = c.rsplit_once('(')?.1.strip_suffix(')')?;
    let (name, version) = inner.split_once("==")?;
    Some((name.trim().to_string(), version.trim().to_string()))
}

fn read_file(
    reading: &mut Reading,
    file: &Arc<str>,
    text: &str,
    includes: &mut dyn Includes,
    chain: &mut Vec<(String, String)>,
) -> Result<(), StackError> {
    let (lines, comments) = logical_lines(text);
    let at = |line: usize, column: usize| Origin {
        file: file.clone(),
        line,
        column,
    };
    for Line { text: body, line } in lines {
        let indent = body.len() - body.trim_start().len();
        let body = body.trim();
        if body.is_empty() {
            continue;
        }
        let origin = at(line, indent + 1);
        if body.starts_with('-') {
            let (option, value) = split_option(body);
            match option {
                "-r" | "--requirement" | "-c" | "--constraint" => {
                    if value.is_empty() {
                        return Err(origin.error(format!(
                            "`{option}` needs a file name, e.g. `{option} base.txt`"
                        )));
                    }
                    if matches!(option, "-c" | "--constraint") {
                        reading.notes.push(origin.note(format!(
                            "constraints file `{value}` not read: constraints limit versions but install nothing"
                        )));
                        continue;
                    }
                    if chain.len() > MAX_INCLUDE_DEPTH {
                        return Err(origin.error(format!(
                            "`-r {value}`: includes nest deeper than {MAX_INCLUDE_DEPTH} files"
                        )));
                    }
                    let Included { name, key, text } = includes
                        .read(file, value)
                        .map_err(|m| origin.error(format!("`-r {value}`: {m}")))?;
                    if let Some(i) = chain.iter().position(|(k, _)| *k == key) {
                        let mut cycle: Vec<&str> =
                            chain[i..].iter().map(|(_, n)| n.as_str()).collect();
                        cycle.push(&name);
                        return Err(origin.error(format!(
                            "`-r {value}` includes a file that is already being read: {}",
                            cycle.join(" -> ")
                        )));
                    }
                    chain.push((key, name.to_string()));
                    read_file(reading, &name, &text, includes, chain)?;
                    chain.pop();
                }
                "-e" | "--editable" => {
                    let pinned = comments
                        .iter()
                        .rev()
                        .find(|(n, _)| *n < line)
                        .filter(|(n, _)| *n + 1 == line)
                        .and_then(|(_, c)| editable_comment(c));
                    match pinned {
                        Some((name, version)) => reading.packages.push(Package {
                            ecosystem: Ecosystem::Pypi,
                            name,
                            version,
                            origin: at(line - 1, 1),
                            marker: None,
                        }),
                        None => reading.notes.push(origin.note(format!(
                            "editable install `{}` states no version; not used",
                            crate::text::shown(value)
                        ))),
                    }
                }
                o if GLOBAL_OPTIONS.contains(&o) => {}
                o => {
                    return Err(origin.error(format!(
                        "`{}` is not an option of a requirements file; the options are -r, -c, -e, --hash and pip's index options",
                        crate::text::shown(o)
                    )));
                }
            }
            continue;
        }
        requirement(reading, body, &origin)?;
    }
    Ok(())
}

/// `-r file`, `-rfile`, `--requirement=file`, `--requirement file`.
fn split_option(body: &str) -> (&str, &str) {
    if let Some(rest) = body.strip_prefix("--") {
        let end = rest.find(['=', ' ', '\t']).map_or(body.len(), |i| i + 2);
        let value = body[end..].trim_start_matches('=').trim();
        return (&body[..end], value);
    }
    if body.len() > 2 && body.is_char_boundary(2) {
        (&body[..2], body[2..].trim())
    } else {
        (body, "")
    }
}

/// Reads one requirement line (`name[extras] ==version ; marker --hash=...`),
/// adding a package or a note to `reading`. `origin` is the line's first
/// character.
pub fn requirement(reading: &mut Reading, body: &str, origin: &Origin) -> Result<(), StackError> {
    let col = |i: usize| Origin {
        column: origin.column + body[..i].chars().count(),
        ..origin.clone()
    };
    // Per-requirement options (`--hash=...`) follow the requirement.
    let body = match body.find(" --").or_else(|| body.find("\t--")) {
        Some(i) => body[..i].trim_end(),
        None => body,
    };
    let name_end = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        .unwrap_or(body.len());
    let name = &body[..name_end];
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        if body.contains("://") || body.starts_with(['.', '/', '~']) {
            reading.notes.push(origin.note(format!(
                "`{}` is a path or URL without a name and version; not used",
                crate::text::shown(body)
            )));
            return Ok(());
        }
        return Err(col(0).error(format!(
            "`{}` is not a requirement: expected a package name, e.g. `numpy==1.26.4` (for another format, name it with --from-format)",
            crate::text::shown(body)
        )));
    }
    let mut rest_at = name_end;
    let mut rest = body[name_end..].trim_start();
    rest_at += body[name_end..].len() - rest.len();
    if let Some(extras) = rest.strip_prefix('[') {
        let Some(close) = extras.find(']') else {
            return Err(col(rest_at).error("the extras list has no closing `]`"));
        };
        let after = &extras[close + 1..];
        rest_at += 1 + close + 1 + (after.len() - after.trim_start().len());
        rest = after.trim_start();
    }
    let (spec, marker) = if rest.starts_with('@') {
        // A URL may hold `;`: the marker of a URL requirement follows ` ;`.
        match rest.find(" ;") {
            Some(i) => (&rest[..i], Some(rest[i + 2..].trim())),
            None => (rest, None),
        }
    } else {
        match rest.split_once(';') {
            Some((s, m)) => (s, Some(m.trim())),
            None => (rest, None),
        }
    };
    let marker = marker.filter(|m| !m.is_empty()).map(str::to_string);
    let spec = spec.trim();
    if let Some(url) = spec.strip_prefix('@') {
        reading.notes.push(origin.note(format!(
            "`{name}` is installed from {}, which states no version; not used",
            crate::text::shown(url.trim())
        )));
        return Ok(());
    }
    if spec.is_empty() {
        reading.notes.push(origin.note(format!(
            "`{name}` has no version; not used (pin it: {name}==VERSION)"
        )));
        return Ok(());
    }
    let spec = spec
        .strip_prefix('(')
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or(spec)
        .trim();
    let op_len = spec
        .find(|c: char| !matches!(c, '=' | '<' | '>' | '!' | '~'))
        .unwrap_or(spec.len());
    let (op, version) = spec.split_at(op_len);
    let version = version.trim();
    let spec_at = rest_at + (rest.len() - rest.trim_start().len());
    match op {
        "==" | "===" => {}
        "<" | "<=" | ">" | ">=" | "!=" | "~=" => {
            reading.notes.push(origin.note(format!(
                "`{name}{}` is a range, not an installed version; not used",
                crate::text::shown(spec)
            )));
            return Ok(());
        }
        "=" => {
            return Err(col(spec_at).error(format!(
                "`{name}={version}` is not a PEP 508 requirement; a pin is written `{name}=={version}`"
            )));
        }
        _ => {
            return Err(col(spec_at).error(format!(
                "`{}` is not a version specifier; write e.g. `{name}==1.2.3`",
                crate::text::shown(spec)
            )));
        }
    }
    if version.is_empty() {
        return Err(col(spec_at).error(format!("`{name}{op}` has no version after `{op}`")));
    }
    if version.contains(',') {
        reading.notes.push(origin.note(format!(
            "`{name}{}` is a range, not an installed version; not used",
            crate::text::shown(spec)
        )));
        return Ok(());
    }
    if version.ends_with(".*") {
        reading.notes.push(origin.note(format!(
            "`{name}{}` allows every version of a series; not used",
            crate::text::shown(spec)
        )));
        return Ok(());
    }
    if let Some(bad) = version
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '!' | '-' | '_')))
    {
        let i = spec_at + op.len() + body[spec_at + op.len()..].find(bad).unwrap_or(0);
        return Err(col(i).error(format!(
            "`{}` is not a version: `{}` cannot appear in one",
            crate::text::shown(version),
            crate::text::shown(&bad.to_string())
        )));
    }
    reading.packages.push(Package {
        ecosystem: Ecosystem::Pypi,
        name: name.to_string(),
        version: version.to_string(),
        origin: origin.clone(),
        marker,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::Format;
    use super::*;

    /// Files by name, for includes.
    struct Files(&'static [(&'static str, &'static str)]);

    impl Includes for Files {
        fn key(&mut self, file: &str) -> String {
            file.to_string()
        }
        fn read(&mut self, _from: &str, path: &str) -> Result<Included, String> {
            let (_, text) = self.0.iter().find(|(n, _)| *n == path).ok_or("not found")?;
            Ok(Included {
                name: Arc::from(path),
                key: path.to_string(),
                text: text.to_string(),
            })
        }
    }

    fn read_text(text: &str) -> Result<Reading, StackError> {
        let file: Arc<str> = Arc::from("req.txt");
        let mut r = Reading::new(&file, Format::Requirements);
        read(&mut r, text, &mut Files(&[]))?;
        Ok(r)
    }

    fn pins(r: &Reading) -> Vec<(String, String, usize)> {
        r.packages
            .iter()
            .map(|p| (p.name.clone(), p.version.clone(), p.origin.line))
            .collect()
    }

    #[test]
    fn pins_extras_markers_hashes_and_local_versions() {
        let r = read_text(
            "# a comment\n\
             torch==2.5.1+cu121 ; sys_platform == 'linux'  # the GPU build\n\
             transformers[torch] == 4.46.3\n\
             zope.interface==7.2\n\
             typing_extensions===4.12.2\n\
             numpy==2.4.6 \\\n    --hash=sha256:aaaa \\\n    --hash=sha256:bbbb\n\
             pandas==3.1.1\n",
        )
        .expect("reads");
        assert_eq!(
            pins(&r),
            [
                ("torch".into(), "2.5.1+cu121".into(), 2),
                ("transformers".into(), "4.46.3".into(), 3),
                ("zope.interface".into(), "7.2".into(), 4),
                ("typing_extensions".into(), "4.12.2".into(), 5),
                ("numpy".into(), "2.4.6".into(), 6),
                ("pandas".into(), "3.1.1".into(), 9),
            ]
        );
        assert_eq!(
            r.packages[0].marker.as_deref(),
            Some("sys_platform == 'linux'")
        );
        assert!(r.notes.is_empty(), "{:?}", r.notes);
    }

    #[test]
    fn ranges_urls_and_bare_names_are_noted_with_their_line_not_guessed() {
        let r = read_text(
            "numpy>=1.26\n\
             six @ file:///tmp/six-1.16.0-py2.py3-none-any.whl#sha256=8abb\n\
             pandas\n\
             torch==2.4.*\n\
             ./local/pkg\n\
             scipy>=1.10,<2\n\
             -e git+https://example.org/x.git#egg=x\n\
             -c constraints.txt\n",
        )
        .expect("reads");
        assert!(r.packages.is_empty(), "{:?}", r.packages);
        let lines: Vec<usize> = r.notes.iter().map(|n| n.origin.line).collect();
        assert_eq!(lines, [1, 2, 3, 4, 5, 6, 7, 8]);
        assert!(
            r.notes[0].message.contains("range"),
            "{}",
            r.notes[0].message
        );
        assert!(r.notes[1].message.contains("file:///tmp/six"));
        assert!(r.notes[6].message.contains("editable"));
    }

    #[test]
    fn the_version_pip_freeze_writes_above_an_editable_install_is_used() {
        let r = read_text(
            "# Editable install with no version control (My_Pkg.Tools==0.3.0)\n-e /tmp/stk/mypkg\nruamel.yaml==0.19.1\n",
        )
        .expect("reads");
        assert_eq!(
            pins(&r),
            [
                ("My_Pkg.Tools".into(), "0.3.0".into(), 1),
                ("ruamel.yaml".into(), "0.19.1".into(), 3)
            ]
        );
    }

    #[test]
    fn malformed_lines_are_located_with_a_hint() {
        let e = read_text("numpy==1.0\n  torch=2.5.1\n").expect_err("refused");
        assert_eq!(e.origin, "req.txt:2:8");
        assert!(e.message.contains("torch==2.5.1"), "{}", e.message);
        let e = read_text("numpy==\n").expect_err("refused");
        assert_eq!(e.origin, "req.txt:1:6");
        let e = read_text("--frobnicate\n").expect_err("refused");
        assert!(e.message.contains("not an option"));
        let e = read_text("numpy==1.0$\n").expect_err("refused");
        assert_eq!(e.origin, "req.txt:1:11");
        let e = read_text("[x]==1\n").expect_err("refused");
        assert_eq!(e.origin, "req.txt:1:1");
    }

    #[test]
    fn includes_resolve_nest_and_refuse_cycles() {
        let file: Arc<str> = Arc::from("a.txt");
        let mut files = Files(&[
            ("b.txt", "numpy==2.4.6\n-r c.txt\n"),
            ("c.txt", "pandas==3.1.1\n"),
            ("loop.txt", "-r a.txt\n"),
            ("a.txt", "-r loop.txt\n"),
        ]);
        let mut r = Reading::new(&file, Format::Requirements);
        read(&mut r, "-r b.txt\ntorch==2.5.1\n", &mut files).expect("reads");
        let got: Vec<String> = r.packages.iter().map(|p| p.origin.short()).collect();
        assert_eq!(got, ["b.txt:1", "c.txt:1", "a.txt:2"]);
        let mut r = Reading::new(&file, Format::Requirements);
        let e = read(&mut r, "-r loop.txt\n", &mut files).expect_err("cycle");
        assert_eq!(e.origin, "loop.txt:1:1");
        assert!(
            e.message.contains("a.txt -> loop.txt -> a.txt"),
            "{}",
            e.message
        );
        let mut r = Reading::new(&file, Format::Requirements);
        let e = read(&mut r, "\n-r missing.txt\n", &mut files).expect_err("missing");
        assert_eq!(e.origin, "a.txt:2:1");
    }
}
