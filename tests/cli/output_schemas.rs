//! Every command's `--format json` output against its published schema
//! under `schemas/`, on the fixture catalog and on the shipped one.

use assert_cmd::Command;
use serde_json::Value;

use crate::{cmd, fixture, fixture_cmd};

/// The schema `schemas/NAME.schema.json`, compiled (formats checked).
fn validator(name: &str) -> jsonschema::Validator {
    let path = crate::root().join(format!("schemas/{name}.schema.json"));
    let text = std::fs::read_to_string(&path).expect("schema file");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{name} schema does not compile: {e}"))
}

/// Runs `c` (whatever its exit code: `validate` and `show` exit 1 on
/// findings) and parses its stdout as JSON.
fn json_of(mut c: Command, args: &[&str]) -> Value {
    let out = c.args(args).output().expect("runs");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{args:?}: stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// Asserts that `doc` meets the schema `name`.
fn assert_valid(name: &str, doc: &Value, what: &str) {
    let errors: Vec<String> = validator(name)
        .iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what} against {name}: {errors:#?}");
}

/// A way to start the binary on one catalog.
type Start = fn() -> Command;

/// The two catalogs every case runs on: the fixture and the shipped one.
fn catalogs() -> [(&'static str, Start); 2] {
    [("fixture", fixture_cmd), ("shipped", cmd)]
}

#[test]
fn list_json_meets_its_schema() {
    for (label, c) in catalogs() {
        let doc = json_of(c(), &["list", "--format", "json"]);
        assert!(!doc.as_array().expect("array").is_empty(), "{label}");
        assert_valid("list", &doc, label);
    }
}

#[test]
fn show_json_meets_its_schema_for_every_tool() {
    for (label, c) in catalogs() {
        for id in crate::ids_of(&json_of(c(), &["list", "--format", "json"])) {
            let doc = json_of(c(), &["show", &id, "--format", "json"]);
            assert_valid("show", &doc, &format!("{label} {id}"));
        }
    }
}

#[test]
fn compat_json_meets_its_schema() {
    for (label, c) in catalogs() {
        for args in [
            &["--stack", "tests/fixtures/stacks/team.toml"][..],
            &[
                "--stack",
                "tests/fixtures/stacks/team.toml",
                "--with",
                "python=3.8",
            ],
            &["--with", "python=3.12", "--with", "pytorch=2.3.1+cu121"],
        ] {
            let mut all = vec!["compat", "--format", "json"];
            all.extend_from_slice(args);
            let doc = json_of(c(), &all);
            assert!(!doc["tools"].as_array().expect("tools").is_empty());
            assert_valid("compat", &doc, &format!("{label} {args:?}"));
        }
    }
}

#[test]
fn matrix_json_meets_its_schema() {
    for (label, c) in catalogs() {
        let doc = json_of(c(), &["compat", "--matrix", "--format", "json"]);
        assert_valid("matrix", &doc, label);
    }
}

#[test]
fn review_json_meets_its_schema() {
    for (label, c) in catalogs() {
        for within in [None, Some("400")] {
            let mut args = vec!["review", "--format", "json"];
            if let Some(days) = within {
                args.extend(["--within", days]);
            }
            let doc = json_of(c(), &args);
            assert_valid("review", &doc, &format!("{label} {within:?}"));
        }
    }
}

#[test]
fn coverage_json_meets_its_schema() {
    for (label, c) in catalogs() {
        let doc = json_of(c(), &["coverage", "--format", "json"]);
        assert_valid("coverage", &doc, label);
    }
}

#[test]
fn diff_json_meets_its_schema() {
    let old = fixture("catalog");
    let new = fixture("catalog-v2");
    let shipped = crate::root().join("catalog");
    for (a, b) in [(&old, &new), (&new, &old), (&shipped, &old)] {
        let doc = json_of(
            cmd(),
            &[
                "diff",
                a.to_str().expect("utf-8"),
                b.to_str().expect("utf-8"),
                "--format",
                "json",
            ],
        );
        assert_valid("diff", &doc, &format!("{} {}", a.display(), b.display()));
    }
}

#[test]
fn validate_json_meets_its_schema_with_and_without_findings() {
    for (label, c) in catalogs() {
        let doc = json_of(c(), &["validate", "--format", "json"]);
        assert_valid("validate", &doc, label);
    }
    let bad = fixture("bad");
    let doc = json_of(
        fixture_cmd(),
        &["validate", "--format", "json", bad.to_str().expect("utf-8")],
    );
    assert!(!doc["diagnostics"].as_array().expect("array").is_empty());
    assert_valid("validate", &doc, "tests/fixtures/bad");
}

/// The schemas are strict: a key the output does not have is refused, so a
/// field added to a view model without its schema fails the tests above.
#[test]
fn output_schemas_refuse_unknown_keys() {
    let cases: [(&str, &[&str]); 8] = [
        ("list", &["list", "--format", "json"]),
        ("show", &["show", "alpha-guard", "--format", "json"]),
        (
            "compat",
            &["compat", "--with", "python=3.12", "--format", "json"],
        ),
        ("matrix", &["compat", "--matrix", "--format", "json"]),
        ("review", &["review", "--format", "json"]),
        ("coverage", &["coverage", "--format", "json"]),
        ("validate", &["validate", "--format", "json"]),
        ("diff", &[]),
    ];
    for (name, args) in cases {
        let mut doc = if name == "diff" {
            serde_json::json!({"added": [], "removed": [], "changed": []})
        } else {
            json_of(fixture_cmd(), args)
        };
        assert!(validator(name).is_valid(&doc), "{name} as written");
        match &mut doc {
            Value::Array(items) => {
                items[0]["unexpected"] = Value::Bool(true);
            }
            Value::Object(map) => {
                map.insert("unexpected".into(), Value::Bool(true));
            }
            _ => panic!("{name}: not an object or array"),
        }
        assert!(!validator(name).is_valid(&doc), "{name} accepts any key");
    }
}

#[test]
fn schema_command_prints_the_output_schemas() {
    for name in [
        "list", "show", "compat", "matrix", "review", "coverage", "diff", "validate",
    ] {
        let out = cmd().args(["schema", name]).output().expect("runs");
        assert_eq!(out.status.code(), Some(0), "{name}");
        let expected =
            std::fs::read(crate::root().join(format!("schemas/{name}.schema.json"))).expect("file");
        assert_eq!(out.stdout, expected, "{name}");
    }
}
