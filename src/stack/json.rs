//! JSON sources: `pip inspect`, `pip list --format json`, npm
//! `package-lock.json` and CycloneDX SBOMs.
//!
//! The text is checked as JSON first (so errors speak JSON, at their line
//! and column), then read with the YAML 1.2 loader, of which JSON is a
//! subset, for a position on every value.

use std::sync::Arc;

use super::{Ecosystem, Format, Origin, Package, Reading};
use crate::load::yaml::{self, Node, Value, YamlLimits};
use crate::model::stack::StackError;
use crate::purl::Purl;

/// Which JSON format `text` is.
pub fn detect(file: &Arc<str>, text: &str) -> Result<Format, StackError> {
    let doc: serde_json::Value = parse_json(file, text)?;
    match &doc {
        serde_json::Value::Array(_) => Ok(Format::PipList),
        serde_json::Value::Object(map) if map.contains_key("installed") => Ok(Format::PipInspect),
        serde_json::Value::Object(map) if map.contains_key("lockfileVersion") => Ok(Format::NpmLock),
        serde_json::Value::Object(map) if map.contains_key("bomFormat") => Ok(Format::CycloneDx),
        _ => Err(StackError {
            origin: format!("{file}:1:1"),
            message: "a JSON document this does not read; the JSON formats are pip inspect, pip list --format json, package-lock.json and CycloneDX (name one with --from-format)".into(),
        }),
    }
}

fn parse_json(file: &Arc<str>, text: &str) -> Result<serde_json::Value, StackError> {
    serde_json::from_str(text).map_err(|e| json_error(file, text, &e))
}

/// A JSON syntax error at its line and column (serde_json counts bytes;
/// messages count characters), with what was expected.
fn json_error(file: &Arc<str>, text: &str, e: &serde_json::Error) -> StackError {
    let full = e.to_string();
    let what = full
        .rsplit_once(" at line ")
        .map_or(full.as_str(), |(w, _)| w);
    let line = e.line().max(1);
    let column = crate::source::split_lines(text)
        .nth(line - 1)
        .map_or(1, |l| {
            let mut end = e.column().min(l.len());
            while !l.is_char_boundary(end) {
                end -= 1;
            }
            l[..end].chars().count().max(1)
        });
    StackError {
        origin: format!("{file}:{line}:{column}"),
        message: format!(
            "not valid JSON: {what}; a file cut short or edited by hand? Write it again with the tool that made it"
        ),
    }
}

/// The document with positions.
fn tree(file: &Arc<str>, text: &str) -> Result<Node, StackError> {
    let _: serde::de::IgnoredAny =
        serde_json::from_str(text).map_err(|e| json_error(file, text, &e))?;
    let limits = YamlLimits {
        max_depth: 128,
        ..YamlLimits::default()
    };
    let parsed = yaml::parse(text, &limits);
    parsed.root.ok_or_else(|| {
        let f = parsed.findings.first();
        let (line, column) = f.map_or((1, 1), |f| {
            super::clamp_position(
                text,
                f.span.start.line as usize,
                f.span.start.column as usize,
            )
        });
        StackError {
            origin: format!("{file}:{line}:{column}"),
            message: f.map_or_else(|| "cannot be read".into(), |f| f.message.clone()),
        }
    })
}

fn origin(file: &Arc<str>, node: &Node) -> Origin {
    Origin {
        file: file.clone(),
        line: node.span.start.line as usize,
        column: node.span.start.column as usize,
    }
}

fn text(node: &Node) -> Option<&str> {
    match &node.value {
        Value::Scalar(s) => Some(s.text.as_str()),
        _ => None,
    }
}

fn items(node: Option<&Node>) -> &[Node] {
    match node.map(|n| &n.value) {
        Some(Value::Seq(items)) => items,
        _ => &[],
    }
}

/// The string member `key` of `node`, or an error at `node` saying it is missing.
fn required<'a>(
    file: &Arc<str>,
    node: &'a Node,
    key: &str,
    what: &str,
) -> Result<&'a Node, StackError> {
    node.get(key)
        .filter(|n| text(n).is_some())
        .ok_or_else(|| origin(file, node).error(format!("{what} has no `{key}` string")))
}

/// `pip inspect` (format version 1): `installed[].metadata.{name,version}`
/// and the marker `environment`.
pub fn pip_inspect(reading: &mut Reading, source: &str) -> Result<(), StackError> {
    let file = reading.file.clone();
    let root = tree(&file, source)?;
    match root.get("version").and_then(text) {
        Some("1") => {}
        Some(v) => {
            return Err(
                origin(&file, root.get("version").unwrap_or(&root)).error(format!(
                    "pip inspect format version {v} is not known; this reads version 1"
                )),
            );
        }
        None => return Err(origin(&file, &root).error("pip inspect output has no `version`")),
    }
    let Some(installed) = root
        .get("installed")
        .filter(|n| matches!(n.value, Value::Seq(_)))
    else {
        return Err(origin(&file, &root).error("pip inspect output has no `installed` list"));
    };
    for item in items(Some(installed)) {
        let Some(metadata) = item.get("metadata") else {
            return Err(origin(&file, item).error("an installed package has no `metadata`"));
        };
        let name = required(&file, metadata, "name", "the metadata")?;
        let version = required(&file, metadata, "version", "the metadata")?;
        reading.packages.push(Package {
            ecosystem: Ecosystem::Pypi,
            name: text(name).unwrap_or_default().to_string(),
            version: text(version).unwrap_or_default().to_string(),
            origin: origin(&file, version),
            marker: None,
        });
    }
    if let Some(Value::Map(entries)) = root.get("environment").map(|n| &n.value) {
        for (k, v) in entries {
            if let (Some(k), Some(v)) = (text(k), text(v)) {
                reading.environment.insert(k.to_string(), v.to_string());
            }
        }
        let cpython = reading
            .environment
            .get("implementation_name")
            .is_none_or(|i| i == "cpython");
        if let (Some(v), true) = (
            root.get("environment")
                .and_then(|e| e.get("python_full_version")),
            cpython,
        ) {
            reading.packages.push(Package {
                ecosystem: Ecosystem::Runtime,
                name: "cpython".into(),
                version: text(v).unwrap_or_default().to_string(),
                origin: origin(&file, v),
                marker: None,
            });
        }
    }
    Ok(())
}

/// `pip list --format json`: `[{name, version}]`.
pub fn pip_list(reading: &mut Reading, source: &str) -> Result<(), StackError> {
    let file = reading.file.clone();
    let root = tree(&file, source)?;
    if !matches!(root.value, Value::Seq(_)) {
        return Err(origin(&file, &root).error("pip list --format json writes a list"));
    }
    for item in items(Some(&root)) {
        let name = required(&file, item, "name", "a package")?;
        let version = required(&file, item, "version", "a package")?;
        reading.packages.push(Package {
            ecosystem: Ecosystem::Pypi,
            name: text(name).unwrap_or_default().to_string(),
            version: text(version).unwrap_or_default().to_string(),
            origin: origin(&file, version),
            marker: None,
        });
    }
    Ok(())
}

/// npm `package-lock.json`, lockfile version 2 or 3: the `packages` map,
/// `node_modules/NAME` (nested copies included) -> `version`.
pub fn npm_lock(reading: &mut Reading, source: &str) -> Result<(), StackError> {
    let file = reading.file.clone();
    let root = tree(&file, source)?;
    let version_node = root.get("lockfileVersion");
    let lock_version = version_node.and_then(text).unwrap_or_default();
    if lock_version == "1" {
        return Err(origin(&file, version_node.unwrap_or(&root)).error(
            "lockfile version 1 (npm 6) lists no `packages`; regenerate it with npm 7 or later (`npm install --package-lock-only`)",
        ));
    }
    let Some(Value::Map(packages)) = root.get("packages").map(|n| &n.value) else {
        return Err(origin(&file, &root).error("package-lock.json has no `packages` map"));
    };
    for (key, entry) in packages {
        let path = text(key).unwrap_or_default();
        if path.is_empty() {
            continue; // the project itself
        }
        let Some(name) = path.rsplit_once("node_modules/").map(|(_, n)| n) else {
            // A workspace folder: its package appears under node_modules too.
            continue;
        };
        if entry.get("link").and_then(text) == Some("true") {
            continue; // a link to a workspace folder, listed there
        }
        match entry.get("version").and_then(|v| text(v).map(|t| (v, t))) {
            Some((v, t)) => reading.packages.push(Package {
                ecosystem: Ecosystem::Npm,
                name: name.to_string(),
                version: t.to_string(),
                origin: origin(&file, v),
                marker: None,
            }),
            None => reading.notes.push(origin(&file, key).note(format!(
                "`{}` has no version; not used",
                crate::text::shown(path)
            ))),
        }
    }
    Ok(())
}

/// A CycloneDX JSON SBOM: every component (nested ones too) by its purl;
/// the version from the purl, else the component's `version`.
pub fn cyclonedx(reading: &mut Reading, source: &str) -> Result<(), StackError> {
    let file = reading.file.clone();
    let root = tree(&file, source)?;
    let format = root.get("bomFormat");
    if format.and_then(text) != Some("CycloneDX") {
        return Err(
            origin(&file, format.unwrap_or(&root)).error("`bomFormat` must be \"CycloneDX\"")
        );
    }
    if let Some(name) = root.pointer("/metadata/component/name").and_then(text) {
        reading.name = Some(name.to_string());
    }
    let mut pending: Vec<&Node> = items(root.get("components")).iter().collect();
    pending.reverse();
    while let Some(component) = pending.pop() {
        let nested = items(component.get("components"));
        pending.extend(nested.iter().rev());
        let written_version = component
            .get("version")
            .and_then(|v| text(v).map(|t| (v, t)));
        let name_node = component.get("name");
        let (ecosystem, name, version, at) = match component.get("purl") {
            Some(p) => {
                let purl_text = text(p).unwrap_or_default();
                let purl = Purl::parse(purl_text).map_err(|e| {
                    origin(&file, p).error(format!(
                        "`{}` is not a Package URL ({e}); write e.g. pkg:pypi/torch@2.5.1",
                        crate::text::shown(purl_text)
                    ))
                })?;
                let ecosystem = match purl.ty.as_str() {
                    "pypi" => Ecosystem::Pypi,
                    "npm" => Ecosystem::Npm,
                    "cargo" => Ecosystem::Cargo,
                    "conda" => Ecosystem::Conda,
                    other => Ecosystem::Other(other.to_string()),
                };
                let version = purl
                    .version
                    .clone()
                    .or_else(|| written_version.map(|(_, t)| t.to_string()));
                (ecosystem, purl.registry_name(), version, p)
            }
            None => (
                Ecosystem::Other("no purl".into()),
                name_node.and_then(text).unwrap_or("(no name)").to_string(),
                written_version.map(|(_, t)| t.to_string()),
                name_node.unwrap_or(component),
            ),
        };
        match version {
            Some(version) => reading.packages.push(Package {
                ecosystem,
                name,
                version,
                origin: origin(&file, written_version.map_or(at, |(v, _)| v)),
                marker: None,
            }),
            None => reading.notes.push(origin(&file, at).note(format!(
                "component `{}` has no version; not used",
                crate::text::shown(&name)
            ))),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(format: Format) -> Reading {
        Reading::new(&Arc::from("x.json"), format)
    }

    #[test]
    fn pip_inspect_gives_packages_python_and_the_marker_environment() {
        let mut r = reading(Format::PipInspect);
        pip_inspect(
            &mut r,
            r#"{
  "version": "1",
  "installed": [
    {"metadata": {"name": "torch", "version": "2.5.1+cu121"}}
  ],
  "environment": {"implementation_name": "cpython", "python_full_version": "3.11.7", "sys_platform": "linux"}
}"#,
        )
        .expect("reads");
        assert_eq!(r.packages.len(), 2);
        assert_eq!(r.packages[0].version, "2.5.1+cu121");
        assert_eq!(r.packages[0].origin.to_string(), "x.json:4:47");
        assert_eq!(r.packages[1].name, "cpython");
        assert_eq!(r.environment["sys_platform"], "linux");
    }

    #[test]
    fn invalid_json_is_located() {
        let mut r = reading(Format::PipList);
        let e = pip_list(&mut r, "[{\"name\": \"a\",\n \"version\": }]").expect_err("bad");
        assert_eq!(e.origin, "x.json:2:13");
        let e = pip_list(&mut r, "[{\"name\": \"a\"}]").expect_err("no version");
        assert!(e.message.contains("`version`"), "{}", e.message);
    }

    #[test]
    fn npm_lock_lists_nested_copies_and_skips_the_project() {
        let mut r = reading(Format::NpmLock);
        npm_lock(
            &mut r,
            r#"{"lockfileVersion": 3, "packages": {
  "": {"name": "app", "version": "1.0.0"},
  "node_modules/@scope/a": {"version": "1.2.0"},
  "node_modules/b/node_modules/@scope/a": {"version": "0.9.0"}
}}"#,
        )
        .expect("reads");
        let names: Vec<(&str, &str)> = r
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str()))
            .collect();
        assert_eq!(names, [("@scope/a", "1.2.0"), ("@scope/a", "0.9.0")]);
        let e = npm_lock(&mut r, "{\"lockfileVersion\": 1, \"dependencies\": {}}").expect_err("v1");
        assert!(e.message.contains("npm 7"));
    }

    #[test]
    fn cyclonedx_reads_purls_of_nested_components() {
        let mut r = reading(Format::CycloneDx);
        cyclonedx(
            &mut r,
            r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
  {"type": "library", "name": "torch", "purl": "pkg:pypi/torch@2.5.1%2Bcu121",
   "components": [{"type": "library", "name": "x", "version": "1"}]},
  {"type": "library", "name": "nover", "purl": "pkg:npm/nover"}
]}"#,
        )
        .expect("reads");
        assert_eq!(r.packages[0].version, "2.5.1+cu121");
        assert_eq!(r.packages[0].ecosystem, Ecosystem::Pypi);
        assert_eq!(r.packages[1].ecosystem, Ecosystem::Other("no purl".into()));
        assert_eq!(r.notes.len(), 1);
        let e = cyclonedx(
            &mut r,
            r#"{"bomFormat": "CycloneDX", "components": [{"purl": "pkg:"}]}"#,
        )
        .expect_err("bad purl");
        assert_eq!(e.origin, "x.json:1:52");
    }
}
