//! `verify` against recorded answers on a loopback server: one request per
//! package cold, none warm, `--offline` from the cache, and a run that
//! could check nothing exits 2. No test touches the network.

use std::sync::atomic::Ordering;

use crate::{cmd, fixture};

fn verify(
    catalog: &std::path::Path,
    base: &str,
    cache: &std::path::Path,
    extra: &[&str],
) -> (i32, String, serde_json::Value) {
    let mut c = cmd();
    c.arg("--catalog")
        .arg(catalog)
        .args(["verify", "--format", "json", "--cache"])
        .arg(cache);
    for reg in ["pypi", "npm", "crates"] {
        c.arg("--registry").arg(format!("{reg}={base}/{reg}"));
    }
    c.args(extra);
    let out = c.output().expect("runs");
    let doc = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        doc,
    )
}

#[test]
fn verify_asks_once_cold_and_not_at_all_warm() {
    let dir = fixture("rules/package-not-found/fail");
    let server = crate::server::serve(dir.join("registry"));
    let cache = tempfile::tempdir().expect("cache");
    let (code, err, doc) = verify(&dir, &server.base, cache.path(), &[]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(doc["summary"]["errors"], 1, "{doc}");
    assert_eq!(
        server.requests.load(Ordering::SeqCst),
        2,
        "two packages, one request each"
    );
    let (code, err, doc2) = verify(&dir, &server.base, cache.path(), &[]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(doc2, doc, "the cache answers as the registry did");
    assert_eq!(
        server.requests.load(Ordering::SeqCst),
        2,
        "warm: no request"
    );
    assert!(
        err.contains("0 requests, 2 answers from the cache"),
        "{err}"
    );
    let base = server.base.clone();
    drop(server);
    let (code, err, _) = verify(&dir, &base, cache.path(), &["--offline"]);
    assert_eq!(code, 1, "offline answers from the cache: {err}");
}

/// A loopback server that answers every request 404 and records the
/// `User-Agent` of each.
fn agent_recorder() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let agents = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = agents.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut agent = String::new();
            for _ in 0..100 {
                let mut line = String::new();
                if reader.read_line(&mut line).map_or(true, |n| n == 0) || line == "\r\n" {
                    break;
                }
                if let Some((name, value)) = line.split_once(':')
                    && name.eq_ignore_ascii_case("user-agent")
                {
                    agent = value.trim().to_string();
                }
            }
            seen.lock().expect("agents").push(agent);
            let body = b"{\"message\":\"Not Found\"}";
            let head = format!(
                "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body);
        }
    });
    (base, agents)
}

#[test]
fn every_request_names_the_tool_its_version_and_its_repository() {
    let dir = fixture("rules/package-not-found/fail");
    let (base, agents) = agent_recorder();
    let cache = tempfile::tempdir().expect("cache");
    let (code, err, _) = verify(&dir, &base, cache.path(), &[]);
    assert_eq!(code, 1, "{err}");
    let agents = agents.lock().expect("agents").clone();
    assert_eq!(agents.len(), 2, "{agents:?}");
    let expected = format!(
        "alliance-catalog/{} (catalog verifier; https://github.com/alliance-catalog/alliance-catalog)",
        env!("CARGO_PKG_VERSION")
    );
    for agent in agents {
        assert_eq!(agent, expected);
    }
}

#[test]
fn verify_that_checks_nothing_exits_2_and_says_so_once_per_registry() {
    let dir = fixture("rules/package-not-found/fail");
    let cache = tempfile::tempdir().expect("cache");
    // Nothing listens on the discard port of the loopback address.
    let (code, err, _) = verify(&dir, "http://127.0.0.1:9", cache.path(), &[]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        err.matches("could not check 2 packages on pypi").count(),
        1,
        "{err}"
    );
    let (code, err, _) = verify(&dir, "http://127.0.0.1:9", cache.path(), &["--offline"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not in the cache"), "{err}");
}

#[test]
fn verify_refuses_plain_http_to_other_hosts() {
    let dir = fixture("rules/package-not-found/fail");
    let out = cmd()
        .arg("--catalog")
        .arg(&dir)
        .args(["verify", "--registry", "pypi=http://example.org"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("https only"));
}

/// `verify --format sarif` writes the SARIF 2.1.0 log `validate` writes,
/// with the finding at the entry's field.
#[test]
fn verify_sarif_is_sarif_2_1_0_located_at_the_field() {
    let dir = fixture("rules/known-vulnerability/fail");
    let server = crate::server::serve(dir.join("registry"));
    let cache = tempfile::tempdir().expect("cache");
    let mut c = cmd();
    c.arg("--catalog")
        .arg(&dir)
        .args(["verify", "--format", "sarif", "--cache"])
        .arg(cache.path());
    for reg in ["pypi", "npm", "crates"] {
        c.arg("--registry")
            .arg(format!("{reg}={}/{reg}", server.base));
    }
    let out = c.output().expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("sarif is json");
    assert_eq!(doc["version"], "2.1.0");
    assert!(
        doc["$schema"].as_str().is_some_and(|s| s.contains("sarif")),
        "{doc}"
    );
    let run = &doc["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "alliance-catalog");
    let results = run["results"].as_array().expect("results");
    let found = results
        .iter()
        .find(|r| r["ruleId"] == "known-vulnerability")
        .expect("the advisory is reported");
    let location = &found["locations"][0]["physicalLocation"];
    assert!(
        location["artifactLocation"]["uri"]
            .as_str()
            .is_some_and(|u| u.ends_with("tools/known-vulnerability.yaml")),
        "{location}"
    );
    let region = &location["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(15), Some(14)),
        "at `version: 0.17.1`"
    );
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert!(rules.iter().any(|r| r["id"] == "known-vulnerability"));
}

/// The shipped promptfoo (npm) and c2pa-tools (crates.io) entries against
/// their registries' recorded answers (`tests/fixtures/registry/`): both are
/// found, their listed versions exist, and what differs is reported at the
/// field.
#[test]
fn shipped_npm_and_crates_entries_against_recorded_answers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = dir.path().join("catalog");
    let shipped = crate::root().join("catalog");
    std::fs::create_dir_all(catalog.join("tools")).expect("mkdir");
    for f in ["alliance-catalog.toml", "taxonomy.yaml"] {
        std::fs::copy(shipped.join(f), catalog.join(f)).expect("copy");
    }
    // The frameworks the taxonomy's and promptfoo's mappings name.
    std::fs::create_dir_all(catalog.join("frameworks")).expect("mkdir");
    for f in std::fs::read_dir(shipped.join("frameworks")).expect("frameworks") {
        let f = f.expect("entry").path();
        std::fs::copy(
            &f,
            catalog
                .join("frameworks")
                .join(f.file_name().expect("name")),
        )
        .expect("copy");
    }
    for f in ["promptfoo.yaml", "c2pa-tools.yaml"] {
        // Alone, their `related` ids would not resolve: leave that line out.
        let text = std::fs::read_to_string(shipped.join("tools").join(f)).expect("read");
        let kept: String = text
            .lines()
            .filter(|l| !l.starts_with("related:"))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(catalog.join("tools").join(f), kept).expect("write");
    }
    let answers = dir.path().join("registry");
    std::fs::create_dir_all(answers.join("npm")).expect("mkdir");
    std::fs::create_dir_all(answers.join("crates/c2/pa")).expect("mkdir");
    std::fs::copy(
        fixture("registry/npm-promptfoo-trimmed.json"),
        answers.join("npm/promptfoo"),
    )
    .expect("copy");
    std::fs::copy(
        fixture("registry/crates-c2patool-trimmed.txt"),
        answers.join("crates/c2/pa/c2patool"),
    )
    .expect("copy");
    let server = crate::server::serve(answers);
    let cache = tempfile::tempdir().expect("cache");
    let (code, err, doc) = verify(&catalog, &server.base, cache.path(), &[]);
    let found: Vec<(String, String, u64)> = doc["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["file"]
                    .as_str()
                    .unwrap_or_default()
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .to_string(),
                d["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(server.requests.load(Ordering::SeqCst), 2, "{err}");
    assert!(
        !found
            .iter()
            .any(|(c, _, _)| c == "package-not-found" || c == "unpublished-version"),
        "{found:?}\n{err}"
    );
    insta::assert_debug_snapshot!((code, found));

    // The recorded answers are really read: a release day one off and a
    // version that crates.io never had are both caught, at their lines.
    let edit = |file: &str, from: &str, to: &str| {
        let path = catalog.join("tools").join(file);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains(from), "{file} has {from}");
        std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    };
    edit(
        "c2pa-tools.yaml",
        "version: \"0.28.4\"",
        "version: \"0.28.99\"",
    );
    let promptfoo = std::fs::read_to_string(catalog.join("tools/promptfoo.yaml")).expect("read");
    let released = promptfoo
        .lines()
        .find(|l| l.trim_start().starts_with("released:"))
        .expect("a release date")
        .to_string();
    let day: jiff::civil::Date = released
        .trim()
        .trim_start_matches("released:")
        .trim()
        .parse()
        .expect("date");
    let next = day.tomorrow().expect("a next day");
    edit(
        "promptfoo.yaml",
        &released,
        &released.replace(&day.to_string(), &next.to_string()),
    );
    let (code, err, doc) = verify(
        &catalog,
        &server.base,
        tempfile::tempdir().expect("cache").path(),
        &[],
    );
    assert_eq!(code, 1, "{err}");
    let codes = crate::codes_of(&doc);
    assert!(codes.contains(&"unpublished-version"), "{codes:?}");
    assert!(codes.contains(&"release-date-mismatch"), "{codes:?}");
}
