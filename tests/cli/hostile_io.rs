//! Hostile cases made at run time around what the tool reads and writes:
//! links out of the catalog, FIFOs and devices in place of catalog files,
//! settings that name catalog files as outputs or overflow dates, deep
//! folders, output that cannot be written, and the memory a file may cost.

use std::path::Path;
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use crate::{catalog_cmd, cmd, fixture, scratch_catalog, validate_json};

/// The environment variable that turns [`rss_probe`] on.
const PROBE_ENV: &str = "ALLIANCE_CATALOG_RSS_PROBE";

/// Runs the binary with `args` to completion and returns its exit code and
/// peak resident memory in MiB. The binary is started by a fresh, small
/// copy of this test program ([`rss_probe`]): a child started from this
/// large, multi-threaded process would be charged this process's own peak.
#[cfg(target_os = "linux")]
pub fn exit_and_peak_mib(args: &[&std::ffi::OsStr]) -> (i32, i64) {
    let args: Vec<String> = args
        .iter()
        .map(|a| a.to_str().expect("utf-8 argument").to_string())
        .collect();
    let out = StdCommand::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "hostile_io::rss_probe",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(PROBE_ENV, serde_json::to_string(&args).expect("json"))
        .output()
        .expect("probe runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find_map(|l| l.split_once("RSS_PROBE ").map(|(_, rest)| rest.trim()))
        .unwrap_or_else(|| panic!("no probe result: {text}"));
    let mut parts = line.split(' ').map(|n| n.parse::<i64>().expect("number"));
    let code = parts.next().expect("code");
    let peak = parts.next().expect("peak");
    (i32::try_from(code).expect("code"), peak)
}

/// The probe: when [`PROBE_ENV`] is set (in the fresh process that
/// [`exit_and_peak_mib`] starts), runs the binary with the arguments it
/// holds, reaps it with `wait4` and prints its exit code and peak memory.
/// Run as a test of its own, it checks the probe: `--version` exits 0 and
/// is measured as the small process it is, not as this test program.
#[cfg(target_os = "linux")]
#[test]
// The child is reaped by `wait4`, which also reports its peak memory.
#[allow(clippy::zombie_processes)]
#[allow(
    clippy::disallowed_macros,
    reason = "the probe reports to its parent on stdout"
)]
fn rss_probe() {
    let Ok(args) = std::env::var(PROBE_ENV) else {
        let (code, peak) = exit_and_peak_mib(&["--version".as_ref()]);
        assert_eq!(code, 0);
        assert!(
            (1..30).contains(&peak),
            "`--version` measured at {peak} MiB"
        );
        return;
    };
    let args: Vec<String> = serde_json::from_str(&args).expect("probe arguments");
    let child = StdCommand::new(env!("CARGO_BIN_EXE_alliance-catalog"))
        .args(&args)
        .env("ALLIANCE_CATALOG_TODAY", "2026-11-25")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut status = 0;
    // SAFETY: zeroed rusage is valid; wait4 writes only into our two values.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = libc::pid_t::try_from(child.id()).expect("pid");
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid);
    println!(
        "RSS_PROBE {} {}",
        libc::WEXITSTATUS(status),
        usage.ru_maxrss / 1024
    );
}

fn append_settings(catalog: &Path, text: &str) {
    let settings = catalog.join("alliance-catalog.toml");
    let old = std::fs::read_to_string(&settings).expect("read");
    std::fs::write(&settings, format!("{old}\n{text}\n")).expect("write");
}

/// Runs `c` and returns (exit code, stdout, stderr) as text.
fn run(mut c: assert_cmd::Command) -> (i32, String, String) {
    let out = c.timeout(Duration::from_secs(20)).output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[cfg(target_os = "linux")]
#[test]
fn aliases_to_long_strings_cost_a_bounded_amount_of_memory() {
    // Under the default 1 MiB file limit: one 900 KB string and 9,000
    // aliases to it. Copied whole, that is 8 GB; the byte budget stops it.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("alias-bomb.yaml");
    let template = std::fs::read_to_string(fixture("catalog/tools/beta-eval.yaml")).expect("read");
    let text = format!(
        "{template}\nx-long: &a \"{}\"\nx-copies: [{}]\n",
        "x".repeat(900_000),
        vec!["*a"; 9_000].join(", ")
    );
    assert!(text.len() < 1 << 20);
    std::fs::write(&path, &text).expect("write");
    let (code, peak) = exit_and_peak_mib(&[
        "--catalog".as_ref(),
        fixture("catalog").as_os_str(),
        "validate".as_ref(),
        path.as_os_str(),
    ]);
    assert_eq!(code, 1);
    assert!(
        peak < 64,
        "peak RSS {peak} MiB on a {} byte file",
        text.len()
    );
    let (_, found, _) = validate_json(
        {
            let mut c = cmd();
            c.arg("--catalog").arg(fixture("catalog"));
            c
        },
        &[path.to_str().expect("utf-8")],
    );
    assert!(
        found
            .iter()
            .any(|f| f.code == "yaml-limit" && f.message.contains("max_alias_bytes")),
        "{found:?}"
    );
}

#[cfg(unix)]
#[test]
fn index_check_never_reads_an_index_linked_out_of_the_catalog() {
    let (dir, catalog) = scratch_catalog();
    let secret = dir.path().join("environ");
    std::fs::write(&secret, "GITHUB_TOKEN=ghs_secretvalue\n").expect("write");
    std::os::unix::fs::symlink(&secret, catalog.join("INDEX.md")).expect("symlink");
    let mut c = catalog_cmd(&catalog);
    c.args(["index", "--check"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unsafe-path"), "{err}");
    assert!(!out.contains("ghs_secretvalue") && !err.contains("ghs_secretvalue"));
    // The same through a link to /proc/self/environ and to /dev/zero.
    for target in ["/proc/self/environ", "/dev/zero"] {
        std::fs::remove_file(catalog.join("INDEX.md")).expect("rm");
        std::os::unix::fs::symlink(target, catalog.join("INDEX.md")).expect("symlink");
        let mut c = catalog_cmd(&catalog);
        c.env("HOSTILE_MARKER", "marker_value_42")
            .args(["index", "--check"]);
        let (code, out, err) = run(c);
        assert_eq!(code, 2, "{target}: {err}");
        assert!(err.contains("unsafe-path"), "{target}: {err}");
        assert!(!out.contains("marker_value_42") && !err.contains("marker_value_42"));
    }
}

#[cfg(unix)]
#[test]
fn index_check_on_a_fifo_or_a_device_does_not_block_or_fill_memory() {
    let (_dir, catalog) = scratch_catalog();
    let index = catalog.join("INDEX.md");
    let c_path = std::ffi::CString::new(index.to_str().expect("utf-8")).expect("cstring");
    // SAFETY: mkfifo reads a NUL-terminated path we own.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o644) }, 0);
    let started = Instant::now();
    let mut c = catalog_cmd(&catalog);
    c.args(["index", "--check"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a regular file"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(10));
    // A link inside the catalog to a device is refused the same way.
    std::fs::remove_file(&index).expect("rm");
    let sub = catalog.join("dev");
    std::os::unix::fs::symlink("/dev", &sub).expect("symlink");
    std::os::unix::fs::symlink("dev/zero", &index).expect("symlink");
    let mut c = catalog_cmd(&catalog);
    c.args(["index", "--check"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2, "{err}");
}

#[cfg(unix)]
#[test]
fn a_taxonomy_linked_out_of_the_catalog_is_reported_and_not_used() {
    let (dir, catalog) = scratch_catalog();
    let outside = dir.path().join("taxonomy.yaml");
    std::fs::rename(catalog.join("taxonomy.yaml"), &outside).expect("move");
    std::os::unix::fs::symlink(&outside, catalog.join("taxonomy.yaml")).expect("symlink");
    let (code, found, _) = validate_json(catalog_cmd(&catalog), &[]);
    assert_eq!(code, 1);
    assert!(
        found
            .iter()
            .any(|f| f.code == "unsafe-path" && f.file.ends_with("taxonomy.yaml")),
        "{found:?}"
    );
    // Not used: the catalog has an error, so nothing is published from it.
    let mut c = catalog_cmd(&catalog);
    c.arg("index");
    let (code, _, err) = run(c);
    assert_eq!(code, 1, "{err}");
    assert!(!catalog.join("INDEX.md").exists());
}

#[cfg(unix)]
#[test]
fn a_settings_file_linked_out_of_the_catalog_is_refused() {
    let (dir, catalog) = scratch_catalog();
    let outside = dir.path().join("elsewhere.toml");
    std::fs::rename(catalog.join("alliance-catalog.toml"), &outside).expect("move");
    std::os::unix::fs::symlink(&outside, catalog.join("alliance-catalog.toml")).expect("symlink");
    let mut c = catalog_cmd(&catalog);
    c.arg("validate");
    let (code, _, err) = run(c);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("unsafe-path"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_tools_folder_linked_out_of_the_catalog_is_reported_and_not_read() {
    let (dir, catalog) = scratch_catalog();
    let outside = dir.path().join("outside-tools");
    std::fs::rename(catalog.join("tools"), &outside).expect("move");
    std::os::unix::fs::symlink(&outside, catalog.join("tools")).expect("symlink");
    let (code, found, summary) = validate_json(catalog_cmd(&catalog), &[]);
    assert_eq!(code, 1);
    assert!(
        found
            .iter()
            .any(|f| f.code == "unsafe-path" && f.file.ends_with("tools")),
        "{found:?}"
    );
    assert!(
        found.iter().all(|f| !f.file.contains("outside-tools")),
        "{found:?}"
    );
    // Only the taxonomy was checked: no entry was read from the folder.
    assert_eq!(summary["files"], 1, "{summary}");
    let mut c = catalog_cmd(&catalog);
    c.args(["list", "--format", "json"]);
    let (_, out, _) = run(c);
    assert!(!out.contains("beta-eval"), "{out}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_huge_settings_file_is_refused_before_it_is_read() {
    let (_dir, catalog) = scratch_catalog();
    let settings = catalog.join("alliance-catalog.toml");
    let mut file = std::io::BufWriter::new(
        std::fs::OpenOptions::new()
            .append(true)
            .open(&settings)
            .expect("open"),
    );
    let line = format!("# {}\n", "x".repeat(1000));
    for _ in 0..(40 << 10) {
        std::io::Write::write_all(&mut file, line.as_bytes()).expect("write");
    }
    drop(file);
    let (code, peak) = exit_and_peak_mib(&[
        "--catalog".as_ref(),
        catalog.as_os_str(),
        "validate".as_ref(),
    ]);
    assert_eq!(code, 2);
    assert!(peak < 30, "peak RSS {peak} MiB on a 40 MB settings file");
    let mut c = catalog_cmd(&catalog);
    c.arg("validate");
    let (_, _, err) = run(c);
    assert!(err.contains("file-too-large"), "{err}");
}

#[test]
fn day_counts_beyond_the_ceiling_are_located_errors_not_panics() {
    let (_dir, catalog) = scratch_catalog();
    let settings = catalog.join("alliance-catalog.toml");
    let text = std::fs::read_to_string(&settings).expect("read");
    let line = text
        .lines()
        .position(|l| l.starts_with("review_max_age_days"))
        .expect("the fixture sets review_max_age_days")
        + 1;
    std::fs::write(
        &settings,
        text.replace("review_max_age_days = 365", "review_max_age_days = 7304485"),
    )
    .expect("write");
    let mut c = catalog_cmd(&catalog);
    c.arg("validate");
    let (code, _, err) = run(c);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!("alliance-catalog.toml:{line}:23:")),
        "{err}"
    );
    assert!(err.contains("36525"), "{err}");

    for within in ["7304485", "3000000", "36526"] {
        let mut c = crate::fixture_cmd();
        c.args(["review", "--within", within]);
        let (code, _, err) = run(c);
        assert_eq!(code, 2, "--within {within}: {err}");
        assert!(err.contains("--within"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    // At the ceiling every vetting is due, and listed.
    let mut c = crate::fixture_cmd();
    c.args(["review", "--within", "36525", "--format", "json"]);
    let (code, out, err) = run(c);
    assert_eq!(code, 0, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert!(
        doc["tools"].as_array().is_some_and(|t| t.len() >= 2),
        "{doc}"
    );
}

#[test]
fn the_index_path_may_not_name_a_catalog_file() {
    for (value, what) in [
        ("tools/beta-eval.yaml", "entry"),
        ("./alliance-catalog.toml", "settings"),
        ("taxonomy.yaml", "taxonomy"),
        ("tool.schema.json", "data file"),
        ("tools", "tools folder"),
    ] {
        let (_dir, catalog) = scratch_catalog();
        let before = std::fs::read_to_string(catalog.join("tools/beta-eval.yaml")).expect("read");
        let settings = std::fs::read_to_string(catalog.join("alliance-catalog.toml")).expect("r");
        let line = settings.lines().count() + 3;
        append_settings(&catalog, &format!("[paths]\nindex = {value:?}"));
        let mut c = catalog_cmd(&catalog);
        c.arg("index");
        let (code, _, err) = run(c);
        assert_eq!(code, 2, "{value}: {err}");
        assert!(
            err.contains(&format!("alliance-catalog.toml:{line}:9:")),
            "{value}: {err}"
        );
        assert!(err.contains(what), "{value}: {err}");
        let after = std::fs::read_to_string(catalog.join("tools/beta-eval.yaml")).expect("read");
        assert_eq!(before, after);
    }
}

#[cfg(unix)]
#[test]
fn written_files_honour_the_umask_and_replaced_files_keep_their_mode() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, catalog) = scratch_catalog();
    let mode = |p: &Path| std::fs::metadata(p).expect("written").permissions().mode() & 0o777;
    let under_umask = |args: &[&str]| {
        let status = StdCommand::new("sh")
            .arg("-c")
            .arg("umask 022 && exec \"$@\"")
            .arg("sh")
            .arg(env!("CARGO_BIN_EXE_alliance-catalog"))
            .arg("--catalog")
            .arg(&catalog)
            .args(args)
            .env("ALLIANCE_CATALOG_TODAY", "2026-11-25")
            .stderr(Stdio::null())
            .status()
            .expect("runs");
        assert!(status.success(), "{args:?}");
    };
    under_umask(&["-q", "index"]);
    assert_eq!(mode(&catalog.join("INDEX.md")), 0o644);
    let export = catalog.join("export.json");
    under_umask(&["export", "--out", export.to_str().expect("utf-8")]);
    assert_eq!(mode(&export), 0o644);
    under_umask(&["-q", "new", "fresh-tool"]);
    assert_eq!(mode(&catalog.join("tools/fresh-tool.yaml")), 0o644);
    std::fs::remove_file(catalog.join("tools/fresh-tool.yaml")).expect("rm");
    std::fs::set_permissions(
        catalog.join("INDEX.md"),
        std::fs::Permissions::from_mode(0o664),
    )
    .expect("chmod");
    std::fs::write(catalog.join("INDEX.md"), "stale").expect("tamper");
    under_umask(&["-q", "index"]);
    assert_eq!(mode(&catalog.join("INDEX.md")), 0o664);
}

#[test]
fn entries_deep_below_the_tools_folder_are_checked_and_their_ids_taken() {
    let (_dir, catalog) = scratch_catalog();
    let mut deep = catalog.join("tools");
    for i in 0..20 {
        deep = deep.join(format!("d{i}"));
    }
    std::fs::create_dir_all(&deep).expect("mkdir");
    let template = std::fs::read_to_string(fixture("catalog/tools/beta-eval.yaml")).expect("read");
    std::fs::write(
        deep.join("deep-tool.yaml"),
        template
            .replace("id: beta-eval", "id: deep-tool")
            .replace("risks: [toxicity]", "risks: [toxcity]"),
    )
    .expect("write");
    let (code, found, _) = validate_json(catalog_cmd(&catalog), &[]);
    assert_eq!(code, 1);
    assert!(
        found
            .iter()
            .any(|f| f.code == "unknown-risk" && f.file.ends_with("d19/deep-tool.yaml")),
        "{found:?}"
    );
    let mut c = catalog_cmd(&catalog);
    c.args(["new", "deep-tool"]);
    let (code, _, err) = run(c);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("already exists"), "{err}");
    assert!(!catalog.join("tools/deep-tool.yaml").exists());
}

/// A stdout whose reader has gone: the read end of a pipe, closed.
#[cfg(unix)]
fn closed_pipe() -> Stdio {
    use std::os::fd::FromRawFd;
    let mut fds = [0; 2];
    // SAFETY: pipe fills two descriptors we then own; we close the read end.
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    unsafe { libc::close(fds[0]) };
    // SAFETY: fds[1] is an open descriptor owned by nothing else.
    Stdio::from(unsafe { std::os::fd::OwnedFd::from_raw_fd(fds[1]) })
}

fn full_disk() -> Stdio {
    Stdio::from(
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full"),
    )
}

#[cfg(target_os = "linux")]
#[test]
fn one_output_policy_for_every_command_and_format() {
    let catalog = fixture("catalog");
    let commands: &[&[&str]] = &[
        &["completions", "bash"],
        &["--help"],
        &["--version"],
        &["list", "--format", "csv"],
        &["list", "--format", "json"],
        &["list"],
        &["man"],
        &["schema", "tool"],
        &["export"],
        &["review", "--within", "36525"],
    ];
    for args in commands {
        let output = |stdout: Stdio| {
            StdCommand::new(env!("CARGO_BIN_EXE_alliance-catalog"))
                .arg("--catalog")
                .arg(&catalog)
                .args(*args)
                .env("ALLIANCE_CATALOG_TODAY", "2026-11-25")
                .stdout(stdout)
                .output()
                .expect("runs")
        };
        // The reader went away: quiet success.
        let out = output(closed_pipe());
        assert_eq!(out.status.code(), Some(0), "{args:?} on a closed pipe");
        assert!(
            out.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // A full disk: exit 2 with a message, never a panic.
        let out = output(full_disk());
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?} on a full disk: {err}");
        assert!(
            err.contains("cannot write to standard output"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn paths_in_messages_are_escaped() {
    let (_dir, catalog) = scratch_catalog();
    append_settings(&catalog, "[paths]\nindex = \"IN\\u001b[31mDEX.md\"");
    for args in [&["index"][..], &["index", "--check"]] {
        let mut c = catalog_cmd(&catalog);
        c.args(args);
        let (code, _, err) = run(c);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(!err.contains('\u{1b}'), "{args:?}: {err:?}");
        assert!(err.contains("IN\\u{1b}[31mDEX.md"), "{args:?}: {err:?}");
    }
}
