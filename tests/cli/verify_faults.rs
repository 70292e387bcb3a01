//! `verify` when the registry misbehaves, against a scripted loopback
//! server: every fault ends in a clear answer within bounded time, never a
//! hang or a panic, and a fault is never a finding about the entry.

use crate::server::{Reply, serve_script};
use crate::{cmd, copy_dir, fixture};

/// The fixture catalog of one PyPI package (garak), with `settings` added.
fn catalog(settings: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = dir.path().join("catalog");
    copy_dir(&fixture("rules/known-vulnerability/pass"), &catalog);
    std::fs::remove_dir_all(catalog.join("registry")).expect("no recorded answers");
    let toml = catalog.join("alliance-catalog.toml");
    let old = std::fs::read_to_string(&toml).expect("settings");
    std::fs::write(&toml, format!("{old}\n[registries]\n{settings}\n")).expect("write");
    (dir, catalog)
}

/// The recorded PyPI answer for garak that the catalog agrees with.
fn garak() -> Vec<u8> {
    std::fs::read(fixture(
        "rules/known-vulnerability/pass/registry/pypi/pypi/garak/json",
    ))
    .expect("recorded answer")
}

/// Runs `verify --format json` with every registry at `base`; returns the
/// exit code and stderr.
fn verify(catalog: &std::path::Path, base: &str) -> (i32, String) {
    let cache = tempfile::tempdir().expect("cache");
    let mut c = cmd();
    c.arg("--catalog")
        .arg(catalog)
        .args(["verify", "--format", "json", "--cache"])
        .arg(cache.path());
    for reg in ["pypi", "npm", "crates"] {
        c.arg("--registry").arg(format!("{reg}={base}/{reg}"));
    }
    let out = c.output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn status(status: &'static str, headers: Vec<(&'static str, String)>, body: &[u8]) -> Reply {
    Reply::Answer {
        status,
        headers,
        body: body.to_vec(),
    }
}

#[test]
fn a_429_with_retry_after_is_waited_for_and_then_answered() {
    let (_d, catalog) = catalog("");
    let (server, _) = serve_script(vec![
        status(
            "429 Too Many Requests",
            vec![("Retry-After", "1".into())],
            b"{}",
        ),
        Reply::ok(garak()),
    ]);
    let started = std::time::Instant::now();
    let (code, err) = verify(&catalog, &server.base);
    assert_eq!(code, 0, "{err}");
    assert_eq!(server.requests.load(std::sync::atomic::Ordering::SeqCst), 2);
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(1),
        "Retry-After honoured"
    );
}

#[test]
fn three_500s_end_the_attempts_and_say_so_once() {
    let (_d, catalog) = catalog("");
    let (server, _) = serve_script(vec![status("500 Internal Server Error", vec![], b"oops")]);
    let (code, err) = verify(&catalog, &server.base);
    assert_eq!(code, 2, "nothing could be checked: {err}");
    assert_eq!(
        server.requests.load(std::sync::atomic::Ordering::SeqCst),
        3,
        "three attempts, then stop"
    );
    assert_eq!(err.matches("could not check").count(), 1, "{err}");
    assert!(err.contains("pypi"), "{err}");
}

#[test]
fn a_response_slower_than_the_timeout_is_given_up() {
    let (_d, catalog) = catalog("timeout_secs = 1");
    let (server, _) = serve_script(vec![Reply::Slow(
        std::time::Duration::from_secs(3),
        garak(),
    )]);
    let started = std::time::Instant::now();
    let (code, err) = verify(&catalog, &server.base);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("could not check"), "{err}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "bounded: {:?}",
        started.elapsed()
    );
}

#[test]
fn truncated_json_is_a_registry_error_not_a_finding() {
    let (_d, catalog) = catalog("");
    let (server, _) = serve_script(vec![Reply::Truncated(garak()[..200].to_vec())]);
    let (code, err) = verify(&catalog, &server.base);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("could not check"), "{err}");
}

#[test]
fn a_body_over_the_size_bound_is_refused() {
    let (_d, catalog) = catalog("max_response_bytes = 1024");
    let (server, _) = serve_script(vec![Reply::ok(vec![b' '; 4096])]);
    let (code, err) = verify(&catalog, &server.base);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("could not check"), "{err}");
}

#[test]
fn a_redirect_loop_ends() {
    let (_d, catalog) = catalog("");
    let (server, paths) = serve_script(vec![status(
        "302 Found",
        vec![("Location", "/pypi/pypi/garak/json".into())],
        b"",
    )]);
    let (code, err) = verify(&catalog, &server.base);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("could not check"), "{err}");
    let n = paths.lock().map(|p| p.len()).unwrap_or(0);
    assert!(
        (2..=20).contains(&n),
        "followed a bounded number of redirects: {n}"
    );
}

#[test]
fn html_instead_of_json_is_a_registry_error() {
    let (_d, catalog) = catalog("");
    let (server, _) = serve_script(vec![status(
        "200 OK",
        vec![("Content-Type", "text/html".into())],
        b"<html><body>Sign in to continue</body></html>",
    )]);
    let (code, err) = verify(&catalog, &server.base);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("could not check"), "{err}");
}
