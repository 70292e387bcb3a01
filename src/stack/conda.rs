//! conda: `environment.yml` (MatchSpecs, with a `pip:` list of
//! requirements) and `conda list --export` (`name=version=build` lines).
//!
//! `name=1.2=build` and `name==1.2` are exact. conda reads `name=1.2` as
//! the series `1.2.*`: the version is taken as written (as the stack TOML
//! reads `3.12`), with a note when it names fewer than three parts. Ranges
//! (`>=`, `<`, `*`, `|`) are noted and not used. A package whose build is
//! `pypi_0` was installed by pip and has its PyPI name. The virtual package
//! `__cuda` carries the CUDA version.

use super::{Ecosystem, Origin, Package, Reading};
use crate::load::yaml::{self, Node, Value, YamlLimits};
use crate::model::stack::StackError;

/// Whether `text` looks like an `environment.yml`: a top-level
/// `dependencies:` key.
pub fn looks_like_environment(text: &str) -> bool {
    crate::source::split_lines(text).any(|l| l.starts_with("dependencies:"))
}

/// Whether `text` looks like a `conda list --export` (or `--explicit`).
pub fn looks_like_export(text: &str) -> bool {
    crate::source::split_lines(text).any(|l| {
        let l = l.trim();
        l.starts_with("# platform:")
            || l == "@EXPLICIT"
            || (!l.starts_with('#') && is_export_line(l))
    })
}

/// `name=version=build`, with no operator of a requirement around.
fn is_export_line(l: &str) -> bool {
    let parts: Vec<&str> = l.split('=').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && !p.contains([' ', '<', '>', '!', '~']))
}

/// Names conda channels give packages that PyPI names otherwise.
const CONDA_NAMES: &[(&str, &str)] = &[
    ("pytorch", "torch"),
    ("pytorch-cpu", "torch"),
    ("pytorch-gpu", "torch"),
];

/// conda names of runtimes: (conda name, runtime).
const CONDA_RUNTIMES: &[(&str, &str)] = &[
    ("python", "cpython"),
    ("nodejs", "nodejs"),
    ("rust", "rustc"),
    ("__cuda", "cuda"),
    ("cuda-version", "cuda"),
];

/// The ecosystem and name under which a conda package is looked up.
pub fn package_name(conda: &str) -> (Ecosystem, String) {
    let lower = conda.to_ascii_lowercase();
    if let Some((_, r)) = CONDA_RUNTIMES.iter().find(|(c, _)| *c == lower) {
        return (Ecosystem::Runtime, (*r).to_string());
    }
    if let Some((_, p)) = CONDA_NAMES.iter().find(|(c, _)| *c == lower) {
        return (Ecosystem::Pypi, (*p).to_string());
    }
    (Ecosystem::Conda, conda.to_string())
}

/// The marker environment a conda platform (`linux-64`) implies.
fn platform_environment(reading: &mut Reading, platform: &str) {
    let (os, arch) = platform.split_once('-').unwrap_or((platform, ""));
    let (sys_platform, system, os_name) = match os {
        "linux" => ("linux", "Linux", "posix"),
        "osx" => ("darwin", "Darwin", "posix"),
        "win" => ("win32", "Windows", "nt"),
        _ => return,
    };
    let machine = match (os, arch) {
        ("win", "64") => "AMD64",
        (_, "64") => "x86_64",
        ("osx", "arm64") => "arm64",
        (_, "aarch64" | "arm64") => "aarch64",
        (_, "ppc64le") => "ppc64le",
        _ => "",
    };
    let env = &mut reading.environment;
    env.insert("sys_platform".into(), sys_platform.into());
    env.insert("platform_system".into(), system.into());
    env.insert("os_name".into(), os_name.into());
    if !machine.is_empty() {
        env.insert("platform_machine".into(), machine.into());
    }
}

fn add(reading: &mut Reading, name: &str, version: &str, build: Option<&str>, origin: Origin) {
    let (ecosystem, looked_up) = if build == Some("pypi_0") {
        (Ecosystem::Pypi, name.to_string())
    } else {
        package_name(name)
    };
    if ecosystem == Ecosystem::Runtime && looked_up == "cpython" {
        reading.python(version, origin);
        return;
    }
    reading.packages.push(Package {
        ecosystem,
        name: looked_up,
        version: version.to_string(),
        origin,
        marker: None,
    });
}

/// `conda list --export`: comments (`# platform: linux-64`) and
/// `name=version=build` lines.
pub fn export(reading: &mut Reading, text: &str) -> Result<(), StackError> {
    let file = reading.file.clone();
    for (n, raw) in crate::source::split_lines(text).enumerate() {
        let indent = raw.len() - raw.trim_start().len();
        let line = raw.trim();
        let origin = Origin {
            file: file.clone(),
            line: n + 1,
            column: indent + 1,
        };
        if line.is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            if let Some(platform) = comment.trim().strip_prefix("platform:") {
                platform_environment(reading, platform.trim());
            }
            continue;
        }
        if line == "@EXPLICIT" {
            return Err(origin.error(
                "an explicit conda list (package URLs, from `conda list --explicit`); export the environment with `conda list --export`",
            ));
        }
        let parts: Vec<&str> = line.split('=').collect();
        match parts.as_slice() {
            [name, version, build] if !name.is_empty() && !version.is_empty() => {
                let at = Origin {
                    column: origin.column + name.chars().count() + 1,
                    ..origin
                };
                add(reading, name, version, Some(build), at);
            }
            _ => {
                return Err(origin.error(format!(
                    "`{}` is not a line of `conda list --export`, which writes name=version=build (e.g. numpy=2.4.6=py311h1234567_0)",
                    crate::text::shown(line)
                )));
            }
        }
    }
    Ok(())
}

/// A conda `environment.yml`: `name`, `dependencies` (MatchSpecs and a
/// `pip:` list).
pub fn environment(reading: &mut Reading, text: &str) -> Result<(), StackError> {
    let file = reading.file.clone();
    let parsed = yaml::parse(text, &YamlLimits::default());
    let at = |node: &Node| Origin {
        file: file.clone(),
        line: node.span.start.line as usize,
        column: node.span.start.column as usize,
    };
    let Some(root) = parsed.root else {
        let f = parsed.findings.first();
        return Err(StackError {
            origin: f.map_or_else(
                || format!("{file}:1:1"),
                |f| {
                    let (line, column) = super::clamp_position(
                        text,
                        f.span.start.line as usize,
                        f.span.start.column as usize,
                    );
                    format!("{file}:{line}:{column}")
                },
            ),
            message: f.map_or_else(|| "cannot be read".into(), |f| f.message.clone()),
        });
    };
    if let Some(Value::Scalar(s)) = root.get("name").map(|n| &n.value) {
        reading.name = Some(s.text.clone());
    }
    let Some(deps) = root.get("dependencies") else {
        return Err(at(&root).error("a conda environment file has a `dependencies` list"));
    };
    let Value::Seq(items) = &deps.value else {
        return Err(
            at(deps).error("`dependencies` must be a list of package specs, e.g. - numpy=2.4.6")
        );
    };
    for item in items {
        match &item.value {
            Value::Scalar(s) => spec(reading, &s.text, at(item))?,
            Value::Map(entries) => {
                for (k, v) in entries {
                    let key = yaml::key_text(k);
                    if key != "pip" {
                        return Err(at(k).error(format!(
                            "`{}:` in dependencies: only a `pip:` list may appear there",
                            crate::text::shown(&key)
                        )));
                    }
                    let Value::Seq(reqs) = &v.value else {
                        return Err(at(v).error(
                            "`pip:` must be a list of requirements, e.g. - transformers==4.46.3",
                        ));
                    };
                    for r in reqs {
                        match &r.value {
                            Value::Scalar(s) if s.text.trim_start().starts_with('-') => {
                                reading.notes.push(at(r).note(format!(
                                    "pip option `{}` not read here; give the file with --from",
                                    crate::text::shown(&s.text)
                                )));
                            }
                            Value::Scalar(s) => {
                                super::requirements::requirement(reading, s.text.trim(), &at(r))?
                            }
                            _ => return Err(at(r).error("a pip requirement must be a string")),
                        }
                    }
                }
            }
            Value::Seq(_) => {
                return Err(
                    at(item).error("a dependency must be a package spec, e.g. - numpy=2.4.6")
                );
            }
        }
    }
    Ok(())
}

/// One MatchSpec: `[channel::]name[ =version[=build]| ==version| version build| >=range ...]`.
fn spec(reading: &mut Reading, text: &str, origin: Origin) -> Result<(), StackError> {
    let body = text.trim();
    let body = body.rsplit_once("::").map_or(body, |(_, b)| b);
    let name_end = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        .unwrap_or(body.len());
    let name = &body[..name_end];
    if name.is_empty() {
        return Err(origin.error(format!(
            "`{}` is not a conda package spec; write e.g. numpy=2.4.6",
            crate::text::shown(text)
        )));
    }
    let rest = body[name_end..].trim();
    if rest.is_empty() {
        reading
            .notes
            .push(origin.note(format!("`{name}` has no version; not used")));
        return Ok(());
    }
    // `name 1.2.3 build` is the spaced form of `name=1.2.3=build`.
    let (version, build) = if let Some(v) = rest.strip_prefix("==") {
        (v.trim(), None)
    } else if let Some(v) = rest.strip_prefix('=') {
        match v.split_once('=') {
            Some((v, b)) => (v, Some(b)),
            None => (v, None),
        }
    } else if rest.starts_with(|c: char| c.is_ascii_digit()) {
        match rest.split_once(' ') {
            Some((v, b)) => (v, Some(b.trim())),
            None => (rest, None),
        }
    } else {
        (rest, None)
    };
    let range = version.is_empty()
        || version.contains(['*', '|', ',', '<', '>', '!', '~', '[', ' '])
        || version.starts_with('=');
    if range {
        reading.notes.push(origin.note(format!(
            "`{}` is a range, not an installed version; not used",
            crate::text::shown(body)
        )));
        return Ok(());
    }
    let exact = rest.starts_with("==") || build.is_some();
    if !exact && version.split('.').count() < 3 {
        reading.notes.push(origin.note(format!(
            "conda reads `{name}={version}` as any {version}.*; checked as {version}, as written"
        )));
    }
    add(reading, name, version, build, origin);
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::super::Format;
    use super::*;

    #[test]
    fn export_lines_platform_and_pip_installs() {
        let mut r = Reading::new(&Arc::from("c.txt"), Format::CondaExport);
        export(
            &mut r,
            "# platform: linux-64\npython=3.11.7=hab00c5b_0_cpython\npytorch=2.5.1=py3.11_cuda12.1_cudnn9.1.0_0\ntransformers=5.24.0=pypi_0\n__cuda=12.4=0\n",
        )
        .expect("reads");
        let got: Vec<(Ecosystem, &str, &str)> = r
            .packages
            .iter()
            .map(|p| (p.ecosystem.clone(), p.name.as_str(), p.version.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (Ecosystem::Runtime, "cpython", "3.11.7"),
                (Ecosystem::Pypi, "torch", "2.5.1"),
                (Ecosystem::Pypi, "transformers", "5.24.0"),
                (Ecosystem::Runtime, "cuda", "12.4"),
            ]
        );
        assert_eq!(r.packages[0].origin.to_string(), "c.txt:2:8");
        assert_eq!(r.environment["sys_platform"], "linux");
        assert_eq!(r.environment["platform_machine"], "x86_64");
        assert_eq!(r.environment["python_version"], "3.11");
        let e = export(&mut r, "numpy>=1.0\n").expect_err("bad line");
        assert_eq!(e.origin, "c.txt:1:1");
        let e = export(&mut r, "@EXPLICIT\n").expect_err("explicit");
        assert!(e.message.contains("--export"));
    }

    #[test]
    fn environment_specs_and_pip_list() {
        let mut r = Reading::new(&Arc::from("environment.yml"), Format::CondaEnv);
        environment(
            &mut r,
            "name: team\nchannels: [pytorch, conda-forge]\ndependencies:\n  - python=3.11\n  - pytorch::pytorch=2.5.1\n  - numpy>=1.26\n  - pip\n  - pip:\n    - transformers==5.24.0\n",
        )
        .expect("reads");
        assert_eq!(r.name.as_deref(), Some("team"));
        let got: Vec<(&str, &str, usize)> = r
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.origin.line))
            .collect();
        assert_eq!(
            got,
            [
                ("cpython", "3.11", 4),
                ("torch", "2.5.1", 5),
                ("transformers", "5.24.0", 9)
            ]
        );
        let noted: Vec<usize> = r.notes.iter().map(|n| n.origin.line).collect();
        assert_eq!(noted, [4, 6, 7]);
        let e = environment(&mut r, "dependencies:\n  - other: [x]\n").expect_err("bad");
        assert_eq!(e.origin, "environment.yml:2:5");
    }
}
