//! Property: for generated entries whose `versions` list is formatted in
//! many ways (block or flow list, block or flow items, dash and key
//! indentation, quoting, comments, blank lines, `requires` block or flow,
//! newest or oldest first, `versions` last in the file or not), adding
//! releases through `refresh`'s edits gives an entry that validates clean,
//! records every version once in the list's order, and leaves every byte
//! outside the list as it was.

use std::sync::Arc;

use alliance_catalog::edit;
use alliance_catalog::load::{self, Input, Location, ToolFile, yaml};
use alliance_catalog::refresh::{NewRelease, insert};
use proptest::prelude::*;

#[derive(Debug, Clone)]
struct Style {
    list_flow: bool,
    item_flow: bool,
    dash_indent: usize,
    after_dash: usize,
    quote: u8,
    req_flow: bool,
    comments: bool,
    blank_after: bool,
    ascending: bool,
    versions_last: bool,
}

fn style() -> impl Strategy<Value = Style> {
    (
        any::<bool>(),
        any::<bool>(),
        0usize..5,
        1usize..4,
        0u8..3,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(
                list_flow,
                item_flow,
                dash_indent,
                after_dash,
                quote,
                req_flow,
                comments,
                blank_after,
                ascending,
                versions_last,
            )| Style {
                list_flow,
                item_flow,
                dash_indent,
                after_dash,
                quote,
                req_flow,
                comments,
                blank_after,
                ascending,
                versions_last,
            },
        )
}

const REQS: &[(&str, &str)] = &[
    ("python", ">=3.9"),
    ("pytorch", ">=2.1"),
    ("numpy", ">=1.26, <3"),
];

fn q(style: &Style, text: &str) -> String {
    match style.quote {
        0 => format!("\"{text}\""),
        1 => format!("'{text}'"),
        // Plain versions are fine when they have three parts.
        _ => text.to_string(),
    }
}

fn req_q(style: &Style, text: &str) -> String {
    if style.quote == 1 {
        format!("'{text}'")
    } else {
        format!("\"{text}\"")
    }
}

/// An entry recording `versions` (days are derived from the version).
fn entry(style: &Style, versions: &[(u64, u64)]) -> String {
    let mut vs: Vec<(u64, u64)> = versions.to_vec();
    vs.sort();
    if !style.ascending {
        vs.reverse();
    }
    let day = |(a, b): (u64, u64)| format!("20{:02}-{:02}-15", 10 + a, 1 + b % 12);
    let version = |(a, b): (u64, u64)| format!("{a}.{b}.0");
    let reqs = |i: usize| &REQS[..(i % 3) + 1];
    let mut list = String::new();
    if style.list_flow {
        let items: Vec<String> = vs
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let r: Vec<String> = reqs(i)
                    .iter()
                    .map(|(p, t)| format!("{p}: {}", req_q(style, t)))
                    .collect();
                format!(
                    "{{version: {}, released: {}, requires: {{{}}}}}",
                    q(style, &version(*v)),
                    day(*v),
                    r.join(", ")
                )
            })
            .collect();
        list.push_str(&format!("versions: [{}]\n", items.join(", ")));
    } else {
        list.push_str("versions:\n");
        if style.comments {
            list.push_str("  # releases\n");
        }
        let dash = format!(
            "{}-{}",
            " ".repeat(style.dash_indent),
            " ".repeat(style.after_dash)
        );
        let keys = " ".repeat(dash.len());
        for (i, v) in vs.iter().enumerate() {
            let r: Vec<String> = reqs(i)
                .iter()
                .map(|(p, t)| format!("{p}: {}", req_q(style, t)))
                .collect();
            if style.item_flow {
                list.push_str(&format!(
                    "{dash}{{version: {}, released: {}, requires: {{{}}}}}\n",
                    q(style, &version(*v)),
                    day(*v),
                    r.join(", ")
                ));
                continue;
            }
            list.push_str(&format!("{dash}version: {}\n", q(style, &version(*v))));
            list.push_str(&format!(
                "{keys}released: {}{}\n",
                day(*v),
                if style.comments {
                    "  # first upload"
                } else {
                    ""
                }
            ));
            if style.req_flow {
                list.push_str(&format!("{keys}requires: {{{}}}\n", r.join(", ")));
            } else {
                list.push_str(&format!("{keys}requires:\n"));
                for line in r {
                    list.push_str(&format!("{keys}  {line}\n"));
                }
            }
            if style.blank_after {
                list.push('\n');
            }
        }
    }
    let head = "# yaml-language-server: $schema=../../../../../schemas/tool.schema.json\nschema_version: 1.1.0\nid: demo-tool\nname: Demo Tool\nsummary: A generated entry whose list layout varies.\nrepository: https://github.com/example/demo-tool\nlicense: MIT\npackages: [pkg:pypi/demo-tool]\nmaintainers:\n  - name: Example Lab\ncategories: [guardrail]\nrisks: [prompt-injection]\nmodalities: [text]\ninterfaces: [python-library]\n";
    let vetting = "vetting:\n  status: provisional\n  reviewed: 2026-11-01\n  reviewers: [catalog-maintainers]\n  next_review: 2027-11-01\n";
    if style.versions_last {
        format!("{head}{vetting}{list}")
    } else {
        format!("{head}{list}\n# reviewed by hand\n{vetting}")
    }
}

fn validate(text: &str) -> (usize, usize, String) {
    let files =
        load::read_catalog(&Location::Dir(crate::fixture("refresh/catalog"))).expect("catalog");
    let input = Input {
        name: Arc::from("tools/demo-tool.yaml"),
        path: None,
        stem: "demo-tool".into(),
        text: Ok(text.to_string()),
        warning: None,
    };
    let today: jiff::civil::Date = "2026-11-25".parse().expect("day");
    let checked = alliance_catalog::check::check_catalog(
        files.settings,
        &files.taxonomy,
        &files.frameworks,
        vec![ToolFile::Read(Box::new(input))],
        Vec::new(),
        today,
    );
    let messages: Vec<String> = checked
        .diagnostics
        .iter()
        .map(|d| format!("{d:?}"))
        .collect();
    (
        checked.summary.errors,
        checked.summary.warnings,
        messages.join("\n"),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn refresh_then_validate_is_clean_whatever_the_formatting(
        style in style(),
        all in proptest::collection::btree_set((0u64..9, 0u64..12), 2..7),
    ) {
        let all: Vec<(u64, u64)> = all.into_iter().collect();
        // Record every other version; add the rest.
        let recorded: Vec<(u64, u64)> = all.iter().step_by(2).copied().collect();
        let added: Vec<(u64, u64)> = all.iter().skip(1).step_by(2).copied().collect();
        let text = entry(&style, &recorded);
        let (e0, w0, m0) = validate(&text);
        prop_assert_eq!((e0, w0), (0, 0), "the generated entry is valid: {}\n{}", m0, text);

        let root = yaml::parse(&text, &Default::default()).root.expect("parses");
        let new: Vec<NewRelease> = added
            .iter()
            .enumerate()
            .map(|(i, (a, b))| NewRelease {
                version: format!("{a}.{b}.0"),
                released: format!("20{:02}-{:02}-15", 10 + a, 1 + b % 12).parse().expect("day"),
                requires: REQS[..i % 4].iter().map(|(p, t)| (p.to_string(), vec![t.to_string()])).collect(),
            })
            .collect();
        let edits = insert::add_releases(&text, &root, &new).expect("edits");
        let out = edit::apply(&text, &edits).expect("applies");
        let (e, w, m) = validate(&out);
        prop_assert_eq!((e, w), (0, 0), "{}\n{}", m, out);

        // Every version once, in the list's direction.
        let root2 = yaml::parse(&out, &Default::default()).root.expect("parses");
        let listed = insert::recorded(&root2);
        let mut expected: Vec<(u64, u64)> = all.clone();
        // One recorded item shows no direction: newest first, as by convention.
        if !(style.ascending && recorded.len() >= 2) {
            expected.reverse();
        }
        let expected: Vec<String> = expected.iter().map(|(a, b)| format!("{a}.{b}.0")).collect();
        prop_assert_eq!(listed, expected, "{}", out);

        // Nothing outside the list changed.
        let (os, oe) = insert::versions_range(&text, &root).expect("range");
        let (ns, ne) = insert::versions_range(&out, &root2).expect("range");
        prop_assert_eq!(&text[..os], &out[..ns]);
        prop_assert_eq!(&text[oe..], &out[ne..]);
    }
}
