//! The only code that speaks HTTP: one client with a User-Agent naming the
//! tool, timeouts, bounded retries with backoff on 429 and 5xx (honouring
//! `Retry-After`), bounded redirects (each checked: https, or plain http to
//! a loopback address) and a bounded response size.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use url::Url;

/// The User-Agent of every request: the tool, its version and its
/// repository (`repository` of Cargo.toml), so that a registry's operators
/// know whom to ask.
pub fn user_agent() -> String {
    format!(
        "alliance-catalog/{} (catalog verifier; {})",
        env!("CARGO_PKG_VERSION"),
        env!("CARGO_PKG_REPOSITORY")
    )
}

pub use crate::model::settings::registry_url_allowed as allowed;

/// Limits of the client.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Whole-request timeout.
    pub timeout: Duration,
    /// Largest body read.
    pub max_bytes: u64,
    /// Attempts per request (first try included).
    pub attempts: u32,
    /// Redirects followed.
    pub max_redirects: u32,
    /// First backoff; doubled each retry.
    pub backoff: Duration,
    /// Longest `Retry-After` honoured.
    pub max_retry_after: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(30),
            max_bytes: 32 * 1024 * 1024,
            attempts: 3,
            max_redirects: 5,
            backoff: Duration::from_millis(500),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

/// A successful answer (2xx or 304), or a 404.
#[derive(Debug)]
pub enum Answer {
    /// 2xx, with body and validators.
    Ok {
        /// The body.
        body: Vec<u8>,
        /// `ETag`.
        etag: Option<String>,
        /// `Last-Modified`.
        last_modified: Option<String>,
    },
    /// 304 Not Modified.
    NotModified,
    /// 404 or 410.
    NotFound,
}

/// The client.
pub struct Client {
    agent: ureq::Agent,
    limits: Limits,
    requests: AtomicUsize,
}

impl Client {
    /// A client with `limits`.
    pub fn new(limits: Limits) -> Client {
        let config = ureq::Agent::config_builder()
            .user_agent(user_agent())
            .timeout_global(Some(limits.timeout))
            .timeout_connect(Some(limits.timeout.min(Duration::from_secs(10))))
            .max_redirects(0)
            .http_status_as_error(false)
            .tls_config(
                ureq::tls::TlsConfig::builder()
                    .root_certs(ureq::tls::RootCerts::PlatformVerifier)
                    .build(),
            )
            .build();
        Client {
            agent: config.into(),
            limits,
            requests: AtomicUsize::new(0),
        }
    }

    /// Requests sent so far (every attempt and redirect counts).
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }

    /// GETs `url`, following redirects and retrying within the limits.
    /// `validators` are sent as `If-None-Match` / `If-Modified-Since`.
    pub fn get(
        &self,
        url: &Url,
        accept: &str,
        validators: (Option<&str>, Option<&str>),
    ) -> Result<Answer, String> {
        self.fetch(url, accept, validators, None)
            .map(|(answer, _)| answer)
    }

    /// GETs the bytes `range` (`start-end` or `-suffix`, as in a `Range`
    /// header) of `url`, within the same limits as [`Client::get`]. The
    /// answer says whether the server sent only the range (206, with the
    /// range's first byte and the file's length from `Content-Range`) or the
    /// whole file (200).
    pub fn get_range(&self, url: &Url, range: &str) -> Result<(Answer, Option<Ranged>), String> {
        self.fetch(url, "*/*", (None, None), Some(range))
    }

    fn fetch(
        &self,
        url: &Url,
        accept: &str,
        validators: (Option<&str>, Option<&str>),
        range: Option<&str>,
    ) -> Result<(Answer, Option<Ranged>), String> {
        let mut url = url.clone();
        let mut redirects = 0;
        let mut attempt = 0;
        loop {
            if !allowed(&url) {
                return Err(format!(
                    "refused to fetch {url}: https only (or http to a loopback address)"
                ));
            }
            attempt += 1;
            self.requests.fetch_add(1, Ordering::Relaxed);
            let mut req = self.agent.get(url.as_str()).header("Accept", accept);
            if let Some(etag) = validators.0 {
                req = req.header("If-None-Match", etag);
            }
            if let Some(lm) = validators.1 {
                req = req.header("If-Modified-Since", lm);
            }
            if let Some(range) = range {
                req = req.header("Range", format!("bytes={range}"));
            }
            let retry = |why: String, wait: Option<Duration>| -> Result<Duration, String> {
                if attempt >= self.limits.attempts {
                    return Err(format!("{why} (after {attempt} attempts)"));
                }
                let backoff = self.limits.backoff * 2u32.saturating_pow(attempt - 1);
                Ok(wait.unwrap_or(backoff).min(self.limits.max_retry_after))
            };
            let mut response = match req.call() {
                Ok(r) => r,
                Err(e) => {
                    let wait = retry(format!("{url}: {e}"), None)?;
                    std::thread::sleep(wait);
                    continue;
                }
            };
            let status = response.status().as_u16();
            let header = |name: &str| {
                response
                    .headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string)
            };
            match status {
                200..=299 => {
                    let etag = header("etag");
                    let last_modified = header("last-modified");
                    let range = header("content-range");
                    let body = response
                        .body_mut()
                        .with_config()
                        .limit(self.limits.max_bytes)
                        .read_to_vec()
                        .map_err(|e| match e {
                            ureq::Error::BodyExceedsLimit(n) => {
                                format!("{url}: the answer is larger than {n} bytes, the limit")
                            }
                            e => format!("{url}: reading the answer: {e}"),
                        })?;
                    let ranged = (status == 206)
                        .then(|| content_range(range.as_deref()))
                        .flatten();
                    if status == 206 && ranged.is_none() {
                        return Err(format!(
                            "{url}: a partial answer without a usable Content-Range"
                        ));
                    }
                    let answer = Answer::Ok {
                        body,
                        etag,
                        last_modified,
                    };
                    return Ok((answer, ranged));
                }
                304 => return Ok((Answer::NotModified, None)),
                404 | 410 => return Ok((Answer::NotFound, None)),
                301 | 302 | 303 | 307 | 308 => {
                    redirects += 1;
                    if redirects > self.limits.max_redirects {
                        return Err(format!(
                            "{url}: more than {} redirects",
                            self.limits.max_redirects
                        ));
                    }
                    let location = header("location")
                        .ok_or_else(|| format!("{url}: a redirect without Location"))?;
                    url = url
                        .join(&location)
                        .map_err(|e| format!("{url}: bad redirect `{location}`: {e}"))?;
                    attempt = 0;
                }
                429 | 500..=599 => {
                    let wait = header("retry-after")
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(Duration::from_secs);
                    let wait = retry(format!("{url}: HTTP {status}"), wait)?;
                    std::thread::sleep(wait);
                }
                _ => return Err(format!("{url}: HTTP {status}")),
            }
        }
    }
}

/// What a 206 answer covers: its first byte and the whole file's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ranged {
    /// Offset of the body's first byte in the file.
    pub start: u64,
    /// The file's length, when the server says.
    pub total: Option<u64>,
}

/// Reads `Content-Range: bytes START-END/TOTAL` (TOTAL may be `*`).
fn content_range(value: Option<&str>) -> Option<Ranged> {
    let rest = value?.trim().strip_prefix("bytes ")?;
    let (range, total) = rest.split_once('/')?;
    let (start, _) = range.split_once('-')?;
    Some(Ranged {
        start: start.trim().parse().ok()?,
        total: total.trim().parse().ok(),
    })
}
