//! The network edge: reads package registries (PyPI, npm, the crates.io
//! sparse index) through one HTTP client and an on-disk cache, and turns
//! their answers into typed [`facts`]. Nothing else in the crate speaks HTTP;
//! the registry rules of `check` read only the facts.

pub mod cache;
pub mod dist;
pub mod facts;
pub mod history;
pub mod http;
pub mod releases;

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use url::Url;

use crate::purl::Purl;
pub use facts::PackageFacts;

/// A registry this build reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Registry {
    /// PyPI's project JSON.
    Pypi,
    /// The npm registry's packuments.
    Npm,
    /// The crates.io sparse index.
    Crates,
}

impl Registry {
    /// Its name in settings and messages.
    pub fn name(self) -> &'static str {
        match self {
            Registry::Pypi => "pypi",
            Registry::Npm => "npm",
            Registry::Crates => "crates",
        }
    }
}

/// The registry of a purl type, or why none is read.
pub fn registry_of(purl: &Purl) -> Result<Registry, &'static str> {
    match purl.ty.as_str() {
        "pypi" => Ok(Registry::Pypi),
        "npm" => Ok(Registry::Npm),
        "cargo" => Ok(Registry::Crates),
        "huggingface" => Err("Hugging Face is not reachable from here"),
        "github" => Err("GitHub is not reachable from here"),
        _ => Err("no registry is read for this type"),
    }
}

/// Base URLs of the registries.
#[derive(Debug, Clone)]
pub struct Bases {
    /// Per registry.
    pub urls: BTreeMap<Registry, Url>,
}

impl Bases {
    /// The URL of `purl`'s document on `registry`.
    pub fn url(&self, registry: Registry, purl: &Purl) -> Option<Url> {
        let base = self.urls.get(&registry)?;
        let mut base = base.clone();
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        let path = match registry {
            Registry::Pypi => format!("pypi/{}/json", purl.name),
            Registry::Npm => purl.registry_name().replace('/', "%2F"),
            Registry::Crates => facts::crates_path(&purl.name),
        };
        base.join(&path).ok()
    }
}

/// What was learnt about one package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The registry knows it.
    Found(PackageFacts),
    /// The registry does not know it.
    NotFound,
    /// Its registry could not be read; why.
    Failed(Registry, String),
    /// No registry is read for its type; why.
    Unsupported(&'static str),
}

/// How lookups go.
#[derive(Debug, Clone)]
pub struct Options {
    /// Base URLs.
    pub bases: Bases,
    /// The cache folder, if any.
    pub cache: Option<std::path::PathBuf>,
    /// How long a cached answer is used without asking.
    pub ttl: Duration,
    /// Answer from the cache only.
    pub offline: bool,
    /// Client limits.
    pub limits: http::Limits,
    /// Requests in flight per host.
    pub per_host: usize,
}

/// Counts of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Requests sent (attempts and redirects included).
    pub requests: usize,
    /// Answers taken from the cache without a request.
    pub cached: usize,
}

fn accept(registry: Registry) -> &'static str {
    match registry {
        Registry::Npm => "application/json",
        Registry::Pypi => "application/json",
        Registry::Crates => "text/plain, application/json",
    }
}

fn to_facts(registry: Registry, body: &[u8]) -> Result<PackageFacts, String> {
    let text = std::str::from_utf8(body).map_err(|_| "the answer is not UTF-8".to_string())?;
    match registry {
        Registry::Crates => facts::crates(text),
        _ => {
            let doc: serde_json::Value =
                serde_json::from_str(text).map_err(|e| format!("the answer is not JSON ({e})"))?;
            match registry {
                Registry::Pypi => facts::pypi(&doc),
                _ => facts::npm(&doc),
            }
        }
    }
    .map_err(|e| format!("the answer is not a {} document: {e}", registry.name()))
}

/// Looks up one package.
fn lookup_one(client: &http::Client, opts: &Options, purl: &Purl, stats: &Mutex<Stats>) -> Lookup {
    let registry = match registry_of(purl) {
        Ok(r) => r,
        Err(why) => return Lookup::Unsupported(why),
    };
    let Some(url) = opts.bases.url(registry, purl) else {
        return Lookup::Failed(registry, "no base URL".into());
    };
    let cached = opts
        .cache
        .as_deref()
        .and_then(|dir| cache::load(dir, url.as_str(), opts.limits.max_bytes));
    let fresh = cached.as_ref().is_some_and(|c| c.age() <= opts.ttl);
    let from_cache = |c: &cache::Entry| match c.status {
        404 => Lookup::NotFound,
        _ => match to_facts(registry, &c.body) {
            Ok(f) => Lookup::Found(f),
            Err(e) => Lookup::Failed(registry, format!("{url}: {e}")),
        },
    };
    if let Some(c) = &cached
        && (fresh || opts.offline)
    {
        if let Ok(mut s) = stats.lock() {
            s.cached += 1;
        }
        return from_cache(c);
    }
    if opts.offline {
        return Lookup::Failed(registry, "not in the cache, and --offline".into());
    }
    let validators = cached.as_ref().map_or((None, None), |c| {
        (c.etag.as_deref(), c.last_modified.as_deref())
    });
    let store = |status: u16, body: &[u8], etag: Option<&str>, lm: Option<&str>| {
        if let Some(dir) = opts.cache.as_deref() {
            // A cache that cannot be written only costs requests next time.
            let _ = cache::store(dir, url.as_str(), status, body, etag, lm);
        }
    };
    match client.get(&url, accept(registry), validators) {
        Err(e) => Lookup::Failed(registry, e),
        Ok(http::Answer::NotFound) => {
            store(404, b"", None, None);
            Lookup::NotFound
        }
        Ok(http::Answer::NotModified) => match &cached {
            Some(c) => {
                store(
                    c.status,
                    &c.body,
                    c.etag.as_deref(),
                    c.last_modified.as_deref(),
                );
                from_cache(c)
            }
            None => Lookup::Failed(registry, format!("{url}: 304 to an unconditional request")),
        },
        Ok(http::Answer::Ok {
            body,
            etag,
            last_modified,
        }) => match to_facts(registry, &body) {
            Ok(f) => {
                store(200, &body, etag.as_deref(), last_modified.as_deref());
                Lookup::Found(f)
            }
            Err(e) => Lookup::Failed(registry, format!("{url}: {e}")),
        },
    }
}

/// Looks up every package of `purls` (canonical, without version), at most
/// `per_host` requests in flight per host; `tick` is called after each.
pub fn lookup_all(
    purls: &[Purl],
    opts: &Options,
    tick: &(dyn Fn() + Sync),
) -> (BTreeMap<String, Lookup>, Stats) {
    let client = http::Client::new(opts.limits);
    let stats = Mutex::new(Stats::default());
    let mut by_host: BTreeMap<String, Vec<&Purl>> = BTreeMap::new();
    for p in purls {
        let host = registry_of(p)
            .ok()
            .and_then(|r| opts.bases.url(r, p))
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default();
        by_host.entry(host).or_default().push(p);
    }
    let results: Mutex<BTreeMap<String, Lookup>> = Mutex::new(BTreeMap::new());
    std::thread::scope(|scope| {
        for queue in by_host.values() {
            let workers = opts.per_host.clamp(1, 4).min(queue.len());
            let (client, stats, results) = (&client, &stats, &results);
            scope.spawn(move || {
                let next = Mutex::new(0usize);
                let next = &next;
                std::thread::scope(|inner| {
                    for _ in 0..workers {
                        inner.spawn(|| {
                            loop {
                                let i = {
                                    let Ok(mut n) = next.lock() else { return };
                                    let i = *n;
                                    *n += 1;
                                    i
                                };
                                let Some(purl) = queue.get(i) else { return };
                                let found = lookup_one(client, opts, purl, stats);
                                if let Ok(mut r) = results.lock() {
                                    r.insert(purl.to_string(), found);
                                }
                                tick();
                            }
                        });
                    }
                });
            });
        }
    });
    let mut stats = stats.into_inner().unwrap_or_default();
    stats.requests = client.requests();
    (results.into_inner().unwrap_or_default(), stats)
}
