//! The on-disk cache of registry answers: one file per URL, written
//! atomically, read within a size bound.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// One cached answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    /// The URL asked.
    pub url: String,
    /// When it was fetched or last confirmed, seconds since 1970.
    pub fetched: u64,
    /// 200 or 404.
    pub status: u16,
    /// `ETag`, if sent.
    pub etag: Option<String>,
    /// `Last-Modified`, if sent.
    pub last_modified: Option<String>,
    /// The body, as text (registry answers are UTF-8 JSON or text).
    #[serde(with = "text")]
    pub body: Vec<u8>,
}

mod text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&String::from_utf8_lossy(b))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        Ok(String::deserialize(d)?.into_bytes())
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Entry {
    /// How old the answer is.
    pub fn age(&self) -> Duration {
        Duration::from_secs(now().saturating_sub(self.fetched))
    }
}

/// The file of `url` in `dir` (FNV-1a of the URL: names need no secrecy).
fn file_of(dir: &Path, url: &str) -> PathBuf {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in url.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    dir.join(format!("{h:016x}.json"))
}

/// The cached answer for `url`, if there is a sound one no larger than
/// about `max_bytes`.
pub fn load(dir: &Path, url: &str, max_bytes: u64) -> Option<Entry> {
    let file = std::fs::File::open(file_of(dir, url)).ok()?;
    let mut text = String::new();
    // JSON escaping can double a body; anything larger is not ours.
    file.take(max_bytes.saturating_mul(2).saturating_add(4096))
        .read_to_string(&mut text)
        .ok()?;
    let entry: Entry = serde_json::from_str(&text).ok()?;
    (entry.url == url).then_some(entry)
}

/// Stores an answer, atomically.
pub fn store(
    dir: &Path,
    url: &str,
    status: u16,
    body: &[u8],
    etag: Option<&str>,
    last_modified: Option<&str>,
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let entry = Entry {
        url: url.to_string(),
        fetched: now(),
        status,
        etag: etag.map(str::to_string),
        last_modified: last_modified.map(str::to_string),
        body: body.to_vec(),
    };
    let json = serde_json::to_vec(&entry).map_err(std::io::Error::other)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, &json)?;
    tmp.persist(file_of(dir, url)).map_err(|e| e.error)?;
    Ok(())
}

/// The user's cache folder for registry answers.
pub fn default_dir() -> Option<PathBuf> {
    use etcetera::BaseStrategy;
    etcetera::choose_base_strategy()
        .ok()
        .map(|s| s.cache_dir().join("alliance-catalog").join("registry"))
}
