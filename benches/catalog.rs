//! End-to-end benchmark: generates catalogs of realistic entries (1k, 10k,
//! 100k by default) from the shipped taxonomy, runs the real binary on them
//! as whole processes, and reports the median wall time, entries per second
//! and the peak resident memory of each command.
//!
//! Run: `cargo bench --bench catalog` (sizes: `BENCH_SIZES=1000,10000`,
//! runs per measurement: `BENCH_RUNS=5`).

#![allow(
    clippy::disallowed_macros,
    reason = "the benchmark reports its table on stdout"
)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use alliance_catalog::model::{Taxonomy, Vocabulary};

fn main() {
    // Re-executed as a child to measure the parse-only floor in a process of
    // its own (so its time and peak memory are not the harness's).
    if let Ok(dir) = std::env::var("BENCH_FLOOR_DIR") {
        floor(Path::new(&dir));
        return;
    }
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
    let me = std::env::current_exe().expect("own path");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let taxonomy = load_taxonomy(&root);
    let work = tempfile::tempdir().expect("temporary folder");
    let stack = root.join("examples/stacks/llm-service.toml");
    let peers = Peers::find(&root);

    println!("alliance-catalog end-to-end benchmark ({} cores)", cores());
    println!("binary: {}", bin.display());
    println!(
        "peers: check-jsonschema {}, ajv-cli {}",
        peers.cjs.is_some(),
        peers.ajv.is_some()
    );
    println!();
    println!("| entries | MB | what | median wall | entries/s | peak RSS |");
    println!("|---:|---:|---|---:|---:|---:|");
    let mut rows: Vec<(usize, String, Duration)> = Vec::new();
    let mut row = |n: usize, mb: f64, label: &str, wall: Duration, rss: u64| {
        println!(
            "| {n} | {mb:.1} | {label} | {:.3} s | {:.0} | {:.1} MiB |",
            wall.as_secs_f64(),
            n as f64 / wall.as_secs_f64(),
            rss as f64 / 1024.0
        );
        rows.push((n, label.to_string(), wall));
    };
    for &n in &sizes {
        let dir = work.path().join(format!("catalog-{n}"));
        let bytes = generate(&root, &taxonomy, &dir, n, false);
        let mb = bytes as f64 / 1e6;
        let runs_here = if n >= 100_000 { runs.min(3) } else { runs };
        let tools = dir.join("tools");
        let floor_cmd = || {
            let mut c = Command::new(&me);
            c.env("BENCH_FLOOR_DIR", &tools);
            c
        };
        let (wall, rss) = measure(floor_cmd, runs_here, &[0]);
        row(n, mb, "floor: read + parse + schema, 1 thread", wall, rss);
        let ours = |args: Vec<String>| {
            let dir = dir.clone();
            let bin = bin.clone();
            move || {
                let mut c = Command::new(&bin);
                c.arg("--catalog")
                    .arg(&dir)
                    .args(&args)
                    .env("ALLIANCE_CATALOG_TODAY", "2026-11-25");
                c
            }
        };
        let index_out = work.path().join(format!("index-{n}.md"));
        for (label, args) in [
            ("validate", vec!["validate".to_string()]),
            (
                "validate -j1",
                vec!["validate".into(), "--jobs".into(), "1".into()],
            ),
            (
                "list --format json",
                vec!["list".into(), "--format".into(), "json".into()],
            ),
            (
                "compat --stack llm-service",
                vec![
                    "compat".into(),
                    "--stack".into(),
                    stack.display().to_string(),
                ],
            ),
            (
                "index --out",
                vec![
                    "index".into(),
                    "--out".into(),
                    index_out.display().to_string(),
                ],
            ),
        ] {
            let (wall, rss) = measure(ours(args), runs_here, &[0]);
            row(n, mb, label, wall, rss);
        }
        if n <= 10_000 {
            if let Some(cjs) = &peers.cjs {
                let files = yaml_files(&tools);
                let schema = root.join("schemas/tool.schema.json");
                let (wall, rss) = measure(
                    || {
                        let mut c = Command::new(cjs);
                        c.arg("--schemafile").arg(&schema).args(&files);
                        c
                    },
                    1,
                    &[0, 1],
                );
                row(n, mb, "peer: check-jsonschema", wall, rss);
            }
            if let Some(ajv) = &peers.ajv {
                let schema = root.join("schemas/tool.schema.json");
                let pattern = format!("{}/*.yaml", tools.display());
                let (wall, rss) = measure(
                    || {
                        let mut c = Command::new(ajv);
                        c.args([
                            "validate",
                            "--spec=draft2020",
                            "--errors=line",
                            "-c",
                            "ajv-formats",
                            "-s",
                        ])
                        .arg(&schema)
                        .arg("-d")
                        .arg(&pattern);
                        c
                    },
                    runs_here.min(3),
                    &[0, 1],
                );
                row(n, mb, "peer: ajv-cli", wall, rss);
            }
        }
    }
    // Many findings: every entry of a 10k catalog has one error.
    if sizes.contains(&10_000) {
        let dir = work.path().join("invalid-10000");
        let bytes = generate(&root, &taxonomy, &dir, 10_000, true);
        let mb = bytes as f64 / 1e6;
        for format in ["human", "json"] {
            let (wall, rss) = measure(
                || {
                    let mut c = Command::new(&bin);
                    c.arg("--catalog")
                        .arg(&dir)
                        .args(["validate", "--format", format]);
                    c.env("ALLIANCE_CATALOG_TODAY", "2026-11-25");
                    c
                },
                runs.min(3),
                &[1],
            );
            row(
                10_000,
                mb,
                &format!("validate, 10k errors, {format}"),
                wall,
                rss,
            );
        }
    }
    // The embedded catalog: `list` against parsing the same files.
    let embedded_tools = root.join("catalog/tools");
    let n = yaml_files(&embedded_tools).len();
    let (floor_wall, rss) = measure(
        || {
            let mut c = Command::new(&me);
            c.env("BENCH_FLOOR_DIR", &embedded_tools);
            c
        },
        runs.max(5),
        &[0],
    );
    row(n, 0.0, "embedded: floor", floor_wall, rss);
    let empty = tempfile::tempdir().expect("tempdir");
    let (list_wall, rss) = measure(
        || {
            let mut c = Command::new(&bin);
            c.current_dir(empty.path())
                .arg("list")
                .env_remove("ALLIANCE_CATALOG");
            c
        },
        runs.max(5),
        &[0],
    );
    row(n, 0.0, "embedded: list", list_wall, rss);

    println!();
    println!("ratios (median wall):");
    let find = |n: usize, label: &str| {
        rows.iter()
            .find(|r| r.0 == n && r.1 == label)
            .map(|r| r.2.as_secs_f64())
    };
    for &n in &sizes {
        let floor = find(n, "floor: read + parse + schema, 1 thread");
        let ours = find(n, "validate");
        if let (Some(f), Some(o)) = (floor, ours) {
            println!("  {n}: validate / floor = {:.2}", o / f);
        }
        if let (Some(o), Some(p)) = (ours, find(n, "peer: check-jsonschema")) {
            println!("  {n}: check-jsonschema / validate = {:.1}x", p / o);
        }
        if let (Some(o), Some(p)) = (ours, find(n, "peer: ajv-cli")) {
            println!("  {n}: ajv-cli / validate = {:.1}x", p / o);
        }
    }
    if let (Some(a), Some(b)) = (find(10_000, "validate"), find(100_000, "validate")) {
        println!("  validate 100k / 10k = {:.1}", b / a);
    }
    println!(
        "  embedded list / floor = {:.2}",
        list_wall.as_secs_f64() / floor_wall.as_secs_f64()
    );
}

/// Single-threaded parse-only floor: read every file, parse the YAML with
/// positions, convert to JSON and check it against the compiled schema.
fn floor(dir: &Path) {
    use alliance_catalog::schema::{Kind, check};
    let mut findings = 0usize;
    for path in yaml_files(dir) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let parsed = alliance_catalog::load::yaml::parse(&text, &Default::default());
        if let Some(root) = parsed.root {
            findings += check(Kind::Tool, &root, &root.to_json()).findings.len();
        }
    }
    std::hint::black_box(findings);
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Peer validators, when installed (see bench/run.sh).
struct Peers {
    cjs: Option<PathBuf>,
    ajv: Option<PathBuf>,
}

impl Peers {
    fn find(root: &Path) -> Peers {
        let local = |rel: &str| Some(root.join(rel)).filter(|p| p.exists());
        let on_path = |name: &str| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|d| d.join(name))
                    .find(|p| p.exists())
            })
        };
        Peers {
            cjs: local("bench/.venv/bin/check-jsonschema").or_else(|| on_path("check-jsonschema")),
            ajv: local("bench/node_modules/.bin/ajv").or_else(|| on_path("ajv")),
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

/// Runs a command `runs` times; returns the median wall time and the largest
/// peak resident set (KiB) of the runs. Its output is discarded.
// Each child is reaped by `wait4` (which also reports its peak memory), not
// by `Child::wait`, which clippy cannot see.
#[allow(clippy::zombie_processes)]
fn measure(make: impl Fn() -> Command, runs: usize, ok: &[i32]) -> (Duration, u64) {
    let mut walls = Vec::new();
    let mut peak = 0;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let child = make()
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        let (status, rss) = wait_with_rusage(child.id());
        walls.push(start.elapsed());
        if !ok.contains(&status) {
            let out = make().output().expect("rerun");
            panic!(
                "{:?} exited with {status}: {}",
                make(),
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

/// Writes a catalog of `n` varied entries, valid unless `invalid`; returns
/// the bytes written.
fn generate(root: &Path, taxonomy: &Taxonomy, dir: &Path, n: usize, invalid: bool) -> usize {
    let tools = dir.join("tools");
    std::fs::create_dir_all(&tools).expect("mkdir");
    std::fs::copy(
        root.join("catalog/taxonomy.yaml"),
        dir.join("taxonomy.yaml"),
    )
    .expect("taxonomy");
    // The framework registries the taxonomy's mappings name: without them
    // the taxonomy has errors and the catalog is not a clean one.
    let frameworks = dir.join("frameworks");
    std::fs::create_dir_all(&frameworks).expect("mkdir frameworks");
    for file in std::fs::read_dir(root.join("catalog/frameworks")).expect("frameworks") {
        let path = file.expect("framework file").path();
        if path.extension().is_some_and(|x| x == "yaml") {
            std::fs::copy(&path, frameworks.join(path.file_name().expect("name")))
                .expect("framework");
        }
    }
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
        if invalid {
            // One error per entry, of a few kinds.
            y = match i % 4 {
                0 => y.replace("license: ", "license: Not "),
                1 => y.replace("categories: [", "categories: [nope, "),
                2 => y.replace("released: 2025-", "released: 2999-"),
                _ => y.replace("homepage: https:", "homepage: http:"),
            };
        }
        total += y.len();
        std::fs::write(tools.join(format!("{id}.yaml")), y).expect("write entry");
    }
    total
}
