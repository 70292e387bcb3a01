//! Renderers of the view models of [`crate::report`], one module per format
//! (table, markdown, human text; CSV, JSON and YAML here), each writing into
//! a `&mut dyn Write`.

pub mod human;
pub mod index;
pub mod markdown;
pub mod sssom;
pub mod table;

use std::borrow::Cow;
use std::io::{self, Write};

use saphyr::{Mapping, Scalar, Yaml, YamlEmitter};
use serde::Serialize;
use serde_json::Value as Json;

use crate::report::ToolSummary;

/// Writes any serialisable value as pretty JSON with a final newline.
pub fn json<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

/// Writes any serialisable value as YAML. Strings that YAML would misread
/// (`no`, `2.10`, `null`) are quoted; multi-line strings become blocks.
pub fn yaml<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    let json = serde_json::to_value(value).map_err(io::Error::other)?;
    let doc = to_yaml(&json);
    let mut text = String::new();
    let mut emitter = YamlEmitter::new(&mut text);
    emitter.multiline(true);
    emitter
        .dump(&doc)
        .map_err(|e| io::Error::other(format!("{e:?}")))?;
    writeln!(out, "{text}")
}

fn to_yaml(value: &Json) -> Yaml<'_> {
    match value {
        Json::Null => Yaml::Value(Scalar::Null),
        Json::Bool(b) => Yaml::Value(Scalar::Boolean(*b)),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Yaml::Value(Scalar::Integer(i)),
            None => Yaml::Value(Scalar::FloatingPoint(n.as_f64().unwrap_or(0.0).into())),
        },
        Json::String(s) => Yaml::Value(Scalar::String(Cow::Borrowed(s.as_str()))),
        Json::Array(items) => Yaml::Sequence(items.iter().map(to_yaml).collect()),
        Json::Object(map) => {
            let mut m = Mapping::new();
            for (k, v) in map {
                m.insert(
                    Yaml::Value(Scalar::String(Cow::Borrowed(k.as_str()))),
                    to_yaml(v),
                );
            }
            Yaml::Mapping(m)
        }
    }
}

/// Writes tool summaries as CSV with a header row (lists joined by `;`).
pub fn csv(out: &mut dyn Write, rows: &[ToolSummary]) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record([
        "id",
        "name",
        "summary",
        "categories",
        "risks",
        "modalities",
        "interfaces",
        "languages",
        "license",
        "status",
        "latest_version",
        "released",
        "reviewed",
        "repository",
        "homepage",
    ])
    .map_err(io::Error::other)?;
    for r in rows {
        let record = [
            csv_safe(r.id),
            csv_safe(r.name),
            csv_safe(r.summary),
            csv_safe(&crate::text::join(r.categories, ";")),
            csv_safe(&crate::text::join(r.risks, ";")),
            csv_safe(&crate::text::join(r.modalities, ";")),
            csv_safe(&crate::text::join(r.interfaces, ";")),
            csv_safe(&crate::text::join(r.languages, ";")),
            csv_safe(r.license.as_str()),
            r.status.as_str().to_string(),
            csv_safe(&r.latest_version.map(|v| v.to_string()).unwrap_or_default()),
            csv_safe(&r.released.map(|d| d.to_string()).unwrap_or_default()),
            csv_safe(&r.reviewed.to_string()),
            csv_safe(r.repository),
            csv_safe(r.homepage.unwrap_or("")),
        ];
        w.write_record(&record).map_err(io::Error::other)?;
    }
    w.flush()
}

/// Writes the terms of vocabularies as CSV: `vocabulary,id,tools,title`.
pub fn vocabulary_csv(
    out: &mut dyn Write,
    rows: &[(&str, Vec<crate::report::vocabulary::TermCount>)],
) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(["vocabulary", "id", "tools", "title"])
        .map_err(io::Error::other)?;
    for (name, terms) in rows {
        for t in terms {
            w.write_record([
                csv_safe(name),
                csv_safe(&t.id),
                t.tools.to_string(),
                csv_safe(&t.title),
            ])
            .map_err(io::Error::other)?;
        }
    }
    w.flush()
}

/// Defuses spreadsheet formulas: a cell starting with `=`, `+`, `-`, `@`,
/// tab or carriage return gets a leading apostrophe.
pub fn csv_safe(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_quotes_what_yaml_would_misread() {
        let mut out = Vec::new();
        yaml(
            &mut out,
            &serde_json::json!({"a": "no", "b": "2.10", "c": "plain", "d": ["x"]}),
        )
        .expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        let parsed = crate::load::yaml::parse(&text, &Default::default());
        let root = parsed.root.expect("parses back");
        assert_eq!(
            root.to_json(),
            serde_json::json!({"a": "no", "b": "2.10", "c": "plain", "d": ["x"]})
        );
    }

    #[test]
    fn csv_defuses_formulas() {
        assert_eq!(csv_safe("=cmd()"), "'=cmd()");
        assert_eq!(csv_safe("fine"), "fine");
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    proptest! {
        /// Whatever strings an entry holds, the YAML written for it reads
        /// back as the same strings (no `no` turning into false, no `2.10`
        /// into 2.1).
        #[test]
        fn yaml_output_round_trips(values in proptest::collection::vec("[ -~]{0,20}", 1..8)) {
            let doc: serde_json::Map<String, serde_json::Value> = values
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("k{i}"), serde_json::Value::String(v.clone())))
                .collect();
            let value = serde_json::Value::Object(doc);
            let mut out = Vec::new();
            super::yaml(&mut out, &value).expect("write");
            let text = String::from_utf8(out).expect("utf-8");
            let parsed = crate::load::yaml::parse(&text, &Default::default());
            prop_assert!(parsed.findings.is_empty(), "{text}: {:?}", parsed.findings);
            prop_assert_eq!(parsed.root.expect("root").to_json(), value);
        }
    }
}
