//! Fetching for `refresh`: each package's release history (one document
//! per package, through the cache), then the core metadata of the releases
//! whose requirements that document does not carry (a few range requests
//! per wheel, or one bounded sdist download). At most [`IN_FLIGHT`]
//! requests are in flight at once; every answer is bounded by the client's
//! size limit; the metadata read from a file is cached under the file's URL.

use std::collections::BTreeMap;
use std::sync::Mutex;

use url::Url;

use super::dist::{self, CoreMetadata, Ranges};
use super::history::{self, DistFile, DistKind, History};
use super::{Options, Registry, cache, http, registry_of};
use crate::purl::Purl;

/// Requests in flight at once.
pub const IN_FLIGHT: usize = 4;

/// Largest sdist stream inflated while looking for `PKG-INFO`.
pub const MAX_SDIST_INFLATED: u64 = 64 * 1024 * 1024;

/// What was learnt about one package's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryLookup {
    /// The registry knows it.
    Found(History),
    /// The registry does not know it.
    NotFound,
    /// Its registry could not be read; why.
    Failed(String),
    /// No registry is read for its type; why.
    Unsupported(&'static str),
}

/// Where a release's core metadata came from, or why it could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetadataRead {
    /// Read from the named file (a wheel's `METADATA` or an sdist's `PKG-INFO`).
    Read {
        /// The metadata.
        metadata: CoreMetadata,
        /// The file it came from.
        file: String,
    },
    /// Neither a wheel nor an sdist could be read; what was tried.
    Unreadable(String),
}

/// The client and options of one `refresh` run.
pub struct Fetcher<'a> {
    client: http::Client,
    opts: &'a Options,
    cached: Mutex<usize>,
}

/// Runs `work` on every item of `items` with at most [`IN_FLIGHT`] workers.
fn pool<T: Sync, R: Send>(items: &[T], work: &(dyn Fn(&T) -> R + Sync)) -> Vec<R> {
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    let next = Mutex::new(0usize);
    std::thread::scope(|scope| {
        for _ in 0..IN_FLIGHT.min(items.len()) {
            scope.spawn(|| {
                loop {
                    let i = {
                        let Ok(mut n) = next.lock() else { return };
                        let i = *n;
                        *n += 1;
                        i
                    };
                    let Some(item) = items.get(i) else { return };
                    let r = work(item);
                    if let Ok(mut all) = results.lock() {
                        all[i] = Some(r);
                    }
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect()
}

impl<'a> Fetcher<'a> {
    /// A fetcher with the client limits of `opts`.
    pub fn new(opts: &'a Options) -> Fetcher<'a> {
        Fetcher {
            client: http::Client::new(opts.limits),
            opts,
            cached: Mutex::new(0),
        }
    }

    /// Requests sent and answers taken from the cache, so far.
    pub fn stats(&self) -> super::Stats {
        super::Stats {
            requests: self.client.requests(),
            cached: self.cached.lock().map_or(0, |n| *n),
        }
    }

    /// A document through the cache: `Ok(None)` for a 404.
    fn document(&self, url: &Url, accept: &str) -> Result<Option<Vec<u8>>, String> {
        let opts = self.opts;
        let cached = opts
            .cache
            .as_deref()
            .and_then(|dir| cache::load(dir, url.as_str(), opts.limits.max_bytes));
        if let Some(c) = &cached
            && (opts.offline || c.age() <= opts.ttl)
        {
            if let Ok(mut n) = self.cached.lock() {
                *n += 1;
            }
            return Ok((c.status != 404).then(|| c.body.clone()));
        }
        if opts.offline {
            return Err(format!("{url}: not in the cache, and --offline"));
        }
        let store = |status: u16, body: &[u8]| {
            if let Some(dir) = opts.cache.as_deref() {
                // A cache that cannot be written only costs requests next time.
                let _ = cache::store(dir, url.as_str(), status, body, None, None);
            }
        };
        match self.client.get(url, accept, (None, None))? {
            http::Answer::Ok { body, .. } => {
                store(200, &body);
                Ok(Some(body))
            }
            http::Answer::NotFound => {
                store(404, b"");
                Ok(None)
            }
            http::Answer::NotModified => Err(format!("{url}: 304 to an unconditional request")),
        }
    }

    fn history(&self, purl: &Purl) -> HistoryLookup {
        let registry = match registry_of(purl) {
            Ok(r) => r,
            Err(why) => return HistoryLookup::Unsupported(why),
        };
        let Some(url) = self.opts.bases.url(registry, purl) else {
            return HistoryLookup::Failed(format!("no base URL for {}", registry.name()));
        };
        let accept = match registry {
            Registry::Crates => "text/plain, application/json",
            _ => "application/json",
        };
        let body = match self.document(&url, accept) {
            Ok(Some(b)) => b,
            Ok(None) => return HistoryLookup::NotFound,
            Err(e) => return HistoryLookup::Failed(e),
        };
        let Ok(text) = std::str::from_utf8(&body) else {
            return HistoryLookup::Failed(format!("{url}: the answer is not UTF-8"));
        };
        let parsed = match registry {
            Registry::Crates => history::crates(text),
            _ => match serde_json::from_str::<serde_json::Value>(text) {
                Err(e) => Err(format!("not JSON ({e})")),
                Ok(doc) if registry == Registry::Pypi => history::pypi(&doc, &url),
                Ok(doc) => history::npm(&doc),
            },
        };
        match parsed {
            Ok(h) => HistoryLookup::Found(h),
            Err(e) => HistoryLookup::Failed(format!(
                "{url}: the answer is not a {} document: {e}",
                registry.name()
            )),
        }
    }

    /// The history of every package of `purls`, keyed by purl.
    pub fn histories(&self, purls: &[Purl]) -> BTreeMap<String, HistoryLookup> {
        let found = pool(purls, &|p: &Purl| (p.to_string(), self.history(p)));
        found.into_iter().collect()
    }

    /// The core metadata of each release whose files are given, in order.
    pub fn metadata(&self, releases: &[Vec<DistFile>]) -> Vec<MetadataRead> {
        pool(releases, &|files: &Vec<DistFile>| self.metadata_of(files))
    }

    fn metadata_of(&self, files: &[DistFile]) -> MetadataRead {
        let mut candidates: Vec<&DistFile> =
            files.iter().filter(|f| f.kind != DistKind::Other).collect();
        // Wheels first, pure-Python ones first among them, then the smallest;
        // files that are not yanked before those that are.
        candidates.sort_by_key(|f| {
            (
                f.yanked,
                f.kind,
                !f.filename.ends_with("-none-any.whl"),
                f.size.unwrap_or(u64::MAX),
            )
        });
        let mut tried = Vec::new();
        for f in candidates.into_iter().take(2) {
            match self.file_metadata(f) {
                Ok(text) => {
                    return MetadataRead::Read {
                        metadata: dist::core_metadata(&text),
                        file: f.filename.clone(),
                    };
                }
                Err(e) => tried.push(format!("{}: {e}", f.filename)),
            }
        }
        if tried.is_empty() {
            tried.push("no wheel or sdist".into());
        }
        MetadataRead::Unreadable(tried.join("; "))
    }

    fn file_metadata(&self, f: &DistFile) -> Result<String, String> {
        let key = format!("{}#core-metadata", f.url);
        let opts = self.opts;
        if let Some(c) = opts
            .cache
            .as_deref()
            .and_then(|dir| cache::load(dir, &key, dist::MAX_METADATA_BYTES))
            && c.status == 200
        {
            // A published file never changes: its metadata is cached for good.
            if let Ok(mut n) = self.cached.lock() {
                *n += 1;
            }
            return String::from_utf8(c.body).map_err(|_| "a damaged cache entry".to_string());
        }
        if opts.offline {
            return Err("not in the cache, and --offline".into());
        }
        let text = match f.kind {
            DistKind::Wheel | DistKind::SdistZip => {
                let src = HttpRanges {
                    client: &self.client,
                    url: &f.url,
                    len: f.size,
                };
                let wanted: &dyn Fn(&str) -> bool = if f.kind == DistKind::Wheel {
                    &dist::is_wheel_metadata
                } else {
                    &dist::is_sdist_pkg_info
                };
                dist::zip_member(&src, wanted)?
            }
            DistKind::SdistTarGz => match self.client.get(&f.url, "*/*", (None, None))? {
                http::Answer::Ok { body, .. } => dist::sdist_pkg_info(&body, MAX_SDIST_INFLATED)?,
                _ => return Err("not found".into()),
            },
            DistKind::Other => return Err("not a wheel or sdist".into()),
        };
        if let Some(dir) = opts.cache.as_deref() {
            let _ = cache::store(dir, &key, 200, text.as_bytes(), None, None);
        }
        Ok(text)
    }
}

/// A remote file read through range requests.
struct HttpRanges<'c> {
    client: &'c http::Client,
    url: &'c Url,
    len: Option<u64>,
}

impl HttpRanges<'_> {
    /// Asks for `range`; returns the body and the offset of its first byte
    /// (0 when the server sent the whole file).
    fn ask(&self, range: &str) -> Result<(u64, Vec<u8>), String> {
        match self.client.get_range(self.url, range)? {
            (http::Answer::Ok { body, .. }, Some(r)) => Ok((r.start, body)),
            (http::Answer::Ok { body, .. }, None) => Ok((0, body)),
            _ => Err("not found".into()),
        }
    }
}

impl Ranges for HttpRanges<'_> {
    fn read(&self, start: u64, end: u64) -> Result<Vec<u8>, String> {
        if end <= start {
            return Ok(Vec::new());
        }
        let (at, body) = self.ask(&format!("{start}-{}", end - 1))?;
        // A server that ignores the range sends the whole file from 0.
        let s = usize::try_from(start.saturating_sub(at)).map_err(|e| e.to_string())?;
        if at > start || s > body.len() {
            return Err(format!("{}: the server sent another range", self.url));
        }
        let e = usize::try_from(end - at)
            .map_err(|e| e.to_string())?
            .min(body.len());
        Ok(body[s..e].to_vec())
    }

    fn tail(&self, n: u64) -> Result<(u64, Vec<u8>), String> {
        match self.len {
            Some(len) => {
                let start = len.saturating_sub(n);
                Ok((start, self.read(start, len)?))
            }
            None => {
                let (at, body) = self.ask(&format!("-{n}"))?;
                if at == 0 && body.len() as u64 > n {
                    let start = body.len() - usize::try_from(n).map_err(|e| e.to_string())?;
                    return Ok((start as u64, body[start..].to_vec()));
                }
                Ok((at, body))
            }
        }
    }
}
