//! End-to-end benchmark: generates catalogs of realistic entries (1k, 10k,
//! 100k by default) from the shipped taxonomy, runs the real binary on them
//! as whole processes, and reports the median wall time, entries per second
//! and the peak resident memory of each command.
//!
//! Run: `cargo bench --bench catalog` (sizes: `BENCH_SIZES=1000,10000`,
//! runs per measurement: `BENCH_RUNS=5`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use alliance_catalog::model::{Taxonomy, Vocabulary};

fn main() {
    let sizes: Vec<usize> = std::env::var("BENCH_SIZES")
        .unwrap_or_else(|_| "1000,10000,100000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_alliance-catalog"));
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let taxonomy = load_taxonomy(&root);
    let work = tempfile::tempdir().expect("temporary folder");

    println!("alliance-catalog end-to-end benchmark ({} cores)", cores());
    println!("binary: {}", bin.display());
    println!();
    println!("| entries | MB | command | median wall | entries/s | peak RSS |");
    println!("|---:|---:|---|---:|---:|---:|");
    for &n in &sizes {
        let dir = work.path().join(format!("catalog-{n}"));
        let bytes = generate(&root, &taxonomy, &dir, n);
        let mb = bytes as f64 / 1e6;
        let runs_here = if n >= 100_000 { runs.min(3) } else { runs };
        for (label, args) in [
            ("validate", vec!["validate"]),
            ("list", vec!["list", "--format", "json"]),
        ] {
            let (wall, rss) = measure(&bin, &dir, &args, runs_here);
            println!(
                "| {n} | {mb:.1} | {label} | {:.3} s | {:.0} | {:.1} MiB |",
                wall.as_secs_f64(),
                n as f64 / wall.as_secs_f64(),
                rss as f64 / 1024.0
            );
        }
    }
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

fn load_taxonomy(root: &Path) -> Taxonomy {
    let text = std::fs::read_to_string(root.join("catalog/taxonomy.yaml")).expect("taxonomy");
    let parsed = alliance_catalog::load::yaml::parse(&text, &Default::default());
    let json = parsed.root.expect("taxonomy parses").to_json();
    serde_json::from_value(json).expect("taxonomy decodes")
}

/// Runs the binary `runs` times; returns the median wall time and the largest
/// peak resident set (KiB) of the runs.
// Each child is reaped by `wait4` (which also reports its peak memory), not
// by `Child::wait`, which clippy cannot see.
#[allow(clippy::zombie_processes)]
fn measure(bin: &Path, catalog: &Path, args: &[&str], runs: usize) -> (Duration, u64) {
    let mut walls = Vec::new();
    let mut peak = 0;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let child = Command::new(bin)
            .arg("--catalog")
            .arg(catalog)
            .args(args)
            .env("ALLIANCE_CATALOG_TODAY", "2026-11-25")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        let (status, rss) = wait_with_rusage(child.id());
        walls.push(start.elapsed());
        if status != 0 {
            let out = Command::new(bin)
                .arg("--catalog")
                .arg(catalog)
                .args(args)
                .env("ALLIANCE_CATALOG_TODAY", "2026-11-25")
                .output()
                .expect("rerun");
            panic!(
                "{args:?} exited with {status}: {}",
                String::from_utf8_lossy(&out.stderr)
                    .lines()
                    .take(20)
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
        peak = peak.max(rss);
    }
    walls.sort();
    (walls[walls.len() / 2], peak)
}

/// Waits for a child and returns its exit status and peak RSS in KiB.
fn wait_with_rusage(pid: u32) -> (i32, u64) {
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value of this plain C struct, and
    // wait4 only writes into the two pointers we pass for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = libc::pid_t::try_from(pid).expect("pid fits");
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(r, pid, "wait4 failed");
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    (code, u64::try_from(usage.ru_maxrss).unwrap_or(0))
}

/// Writes a catalog of `n` valid, varied entries; returns the bytes written.
fn generate(root: &Path, taxonomy: &Taxonomy, dir: &Path, n: usize) -> usize {
    let tools = dir.join("tools");
    std::fs::create_dir_all(&tools).expect("mkdir");
    std::fs::copy(
        root.join("catalog/taxonomy.yaml"),
        dir.join("taxonomy.yaml"),
    )
    .expect("taxonomy");
    std::fs::write(
        dir.join("alliance-catalog.toml"),
        "name = \"Benchmark catalog\"\n[limits]\nmax_entries = 1000000\n",
    )
    .expect("settings");
    let ids =
        |v: Vocabulary| -> Vec<&str> { taxonomy.terms(v).iter().map(|t| t.id.as_str()).collect() };
    let (cats, risks, life, mods, ifaces) = (
        ids(Vocabulary::Categories),
        ids(Vocabulary::Risks),
        ids(Vocabulary::Lifecycle),
        ids(Vocabulary::Modalities),
        ids(Vocabulary::Interfaces),
    );
    let pick = |list: &[&str], i: usize, k: usize| -> String {
        (0..k)
            .map(|j| list[(i * 7 + j * 3) % list.len()])
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut total = 0;
    for i in 0..n {
        let id = format!("tool-{i:06}");
        let mut y = String::with_capacity(1600);
        let _ = write!(
            y,
            "# yaml-language-server: $schema=../../schemas/tool.schema.json\n\
schema_version: 1.0.0\n\
id: {id}\n\
name: Generated Tool {i}\n\
summary: A generated entry number {i} that classifies prompts and responses for safety benchmarks.\n\
description: |\n  Generated for the benchmark. It stands for a real tool with a description of a few\n  sentences, a couple of releases with requirements, and a dated review.\n\
homepage: https://example.org/tools/{id}\n\
repository: https://github.com/example/{id}\n\
license: {license}\n\
maintainers:\n  - name: Example Lab {m}\n    url: https://example.org/lab/{m}\n\
categories: [{c}]\n\
risks: [{r}]\n\
lifecycle: [{l}]\n\
modalities: [{mo}]\n\
languages: [en, ja, \"no\"]\n\
interfaces: [{it}]\n\
tags: [generated, benchmark]\n\
versions:\n  - version: \"{a}.{b}.0\"\n    released: 2025-{mm:02}-{dd:02}\n    requires:\n      python: \">=3.9, <3.14\"\n      pytorch: \">=2.{b}\"\n  - version: \"{a}.0.{c2}\"\n    released: 2024-{mm:02}-{dd:02}\n    requires:\n      python: \">=3.8\"\n\
vetting:\n  status: provisional\n  reviewed: 2026-06-01\n  reviewers: [catalog-maintainers]\n  evidence:\n    - https://github.com/example/{id}/blob/main/LICENSE\n  next_review: 2027-06-01\n",
            license = ["Apache-2.0", "MIT", "BSD-3-Clause", "MIT OR Apache-2.0"][i % 4],
            m = i % 97,
            c = pick(&cats, i, 2),
            r = pick(&risks, i, 3),
            l = pick(&life, i, 2),
            mo = pick(&mods, i, 1),
            it = pick(&ifaces, i, 2),
            a = 1 + i % 5,
            b = i % 9,
            c2 = 1 + i % 9,
            mm = 1 + i % 12,
            dd = 1 + i % 28,
        );
        total += y.len();
        std::fs::write(tools.join(format!("{id}.yaml")), y).expect("write entry");
    }
    total
}
