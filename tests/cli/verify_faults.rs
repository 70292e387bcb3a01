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

/// A loopback registry that answers every request after `delay`, from a
/// thread per connection, and records the most requests it held at once.
fn concurrent_server(
    delay: std::time::Duration,
) -> (
    String,
    std::sync::Arc<std::sync::atomic::AtomicUsize>,
    std::sync::Arc<std::sync::atomic::AtomicUsize>,
) {
    use std::io::{BufRead, BufReader, Write};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let (now, most, total) = (
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
        Arc::new(AtomicUsize::new(0)),
    );
    let (n, m, t) = (now.clone(), most.clone(), total.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let (n, m, t) = (n.clone(), m.clone(), t.clone());
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|k| k > 2) {
                    line.clear();
                }
                let held = n.fetch_add(1, Ordering::SeqCst) + 1;
                m.fetch_max(held, Ordering::SeqCst);
                t.fetch_add(1, Ordering::SeqCst);
                std::thread::sleep(delay);
                n.fetch_sub(1, Ordering::SeqCst);
                let body = b"{\"message\": \"Not Found\"}";
                let _ = write!(
                    stream,
                    "HTTP/1.1 404 Not Found\r\nContent-Length: {}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(body);
            });
        }
    });
    (base, most, total)
}

#[test]
fn at_most_four_requests_are_in_flight_to_one_registry() {
    let (_d, catalog) = catalog("");
    let entry = catalog.join("tools/known-vulnerability.yaml");
    let text = std::fs::read_to_string(&entry).expect("entry");
    let many: Vec<String> = (0..12).map(|i| format!("pkg:pypi/package-{i}")).collect();
    std::fs::write(
        &entry,
        text.replace(
            "packages: [pkg:pypi/garak]",
            &format!("packages: [{}]", many.join(", ")),
        ),
    )
    .expect("write");
    let (base, most, total) = concurrent_server(std::time::Duration::from_millis(300));
    let (code, err) = verify(&catalog, &base);
    assert_eq!(code, 1, "12 unknown packages are findings: {err}");
    let (most, total) = (
        most.load(std::sync::atomic::Ordering::SeqCst),
        total.load(std::sync::atomic::Ordering::SeqCst),
    );
    assert_eq!(total, 12, "one request per package");
    assert!(most <= 4, "{most} requests were in flight at once");
    assert!(
        most >= 2,
        "requests run in parallel (at most {most} at once)"
    );
}

#[test]
fn no_progress_bar_is_drawn_when_stderr_is_not_a_terminal() {
    let (_d, catalog) = catalog("");
    let (server, _) = serve_script(vec![Reply::ok(garak())]);
    let (code, err) = verify(&catalog, &server.base);
    assert_eq!(code, 0, "{err}");
    assert!(
        !err.contains("1/1 packages") && !err.contains('\u{1b}') && !err.contains('\r'),
        "no bar or terminal control on a pipe: {err:?}"
    );
}

#[test]
fn a_progress_bar_is_drawn_and_cleared_when_stderr_is_a_terminal() {
    // `script` (util-linux, in every Debian base system) gives the command a
    // terminal and copies what it draws to its own standard output.
    let (_d, catalog) = catalog("");
    let (server, _) = serve_script(vec![Reply::ok(garak())]);
    let cache = tempfile::tempdir().expect("cache");
    let line = format!(
        "{} --catalog {} verify --cache {} --registry pypi={base}/pypi --registry npm={base}/npm --registry crates={base}/crates",
        env!("CARGO_BIN_EXE_alliance-catalog"),
        catalog.display(),
        cache.path().display(),
        base = server.base,
    );
    let out = std::process::Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env("TERM", "xterm")
        .env("ALLIANCE_CATALOG_TODAY", "2026-12-02")
        .output()
        .expect("script (util-linux) runs");
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{shown}");
    assert!(
        shown.contains("1/1 packages"),
        "a bar on the terminal: {shown:?}"
    );
    assert!(
        shown.contains("\u{1b}[2K"),
        "the bar is cleared at the end: {shown:?}"
    );
    assert!(shown.contains("verified 1 of 1 package"), "{shown:?}");
}
