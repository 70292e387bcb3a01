//! Core metadata (`METADATA`, `PKG-INFO`) read out of distribution files,
//! within size bounds:
//!
//! - a wheel's `*.dist-info/METADATA` from the zip's end-of-central-directory
//!   record, its central directory and the one member, each fetched as a
//!   byte range ([`Ranges`]), so a 50 MB wheel costs two or three small
//!   requests (as uv does when PEP 658 metadata is missing);
//! - an sdist's `*/PKG-INFO` from the `.tar.gz` stream (read until the
//!   member is found, never past a bound), or from a `.zip` sdist as from a
//!   wheel.
//!
//! Only the two zip structures needed are read (no ZIP64, no encryption;
//! stored or deflated members), every length is checked against what was
//! fetched, and the member's CRC-32 is verified.

use crate::purl::pep503;
use std::io::Read;

/// Random access to a file's bytes, as HTTP range requests give it.
pub trait Ranges {
    /// The bytes `start..end`; may return fewer at the end of the file.
    fn read(&self, start: u64, end: u64) -> Result<Vec<u8>, String>;
    /// The last `n` bytes and the offset of the first of them.
    fn tail(&self, n: u64) -> Result<(u64, Vec<u8>), String>;
}

/// A file held in memory.
pub struct InMemory<'a>(pub &'a [u8]);

impl Ranges for InMemory<'_> {
    fn read(&self, start: u64, end: u64) -> Result<Vec<u8>, String> {
        let n = self.0.len();
        let s = usize::try_from(start).unwrap_or(n).min(n);
        let e = usize::try_from(end).unwrap_or(n).min(n);
        Ok(self.0[s..e.max(s)].to_vec())
    }

    fn tail(&self, n: u64) -> Result<(u64, Vec<u8>), String> {
        let len = self.0.len();
        let start = len.saturating_sub(usize::try_from(n).unwrap_or(len));
        Ok((start as u64, self.0[start..].to_vec()))
    }
}

/// Largest metadata member read (compressed or not).
pub const MAX_METADATA_BYTES: u64 = 4 * 1024 * 1024;
/// Largest central directory read.
pub const MAX_CENTRAL_DIRECTORY: u64 = 16 * 1024 * 1024;
/// Bytes fetched from a zip's end to find its last record: the record (22)
/// plus the longest comment (65,535).
const TAIL: u64 = 22 + 65_535;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// One member of a central directory.
struct Member {
    name: String,
    method: u16,
    crc: u32,
    compressed: u64,
    size: u64,
    offset: u64,
}

/// Reads the member of a zip whose name `wanted` accepts, as text.
pub fn zip_member(src: &dyn Ranges, wanted: &dyn Fn(&str) -> bool) -> Result<String, String> {
    let (tail_start, tail) = src.tail(TAIL)?;
    let at = (0..tail.len().saturating_sub(21))
        .rev()
        .find(|&i| u32_at(&tail, i) == Some(0x0605_4b50))
        .ok_or("not a zip file (no end-of-central-directory record)")?;
    let eocd = &tail[at..];
    let short = "a truncated end-of-central-directory record";
    let entries = u16_at(eocd, 10).ok_or(short)?;
    let cd_size = u64::from(u32_at(eocd, 12).ok_or(short)?);
    let cd_offset = u64::from(u32_at(eocd, 16).ok_or(short)?);
    if entries == 0xFFFF || cd_size == 0xFFFF_FFFF || cd_offset == 0xFFFF_FFFF {
        return Err("a ZIP64 archive (not read)".into());
    }
    if cd_size > MAX_CENTRAL_DIRECTORY {
        return Err(format!(
            "a central directory of {cd_size} bytes, over the {MAX_CENTRAL_DIRECTORY}-byte bound"
        ));
    }
    let eocd_offset = tail_start + at as u64;
    if cd_offset.saturating_add(cd_size) > eocd_offset {
        return Err("a central directory that overlaps its end record".into());
    }
    let cd = if cd_offset >= tail_start {
        let s = usize::try_from(cd_offset - tail_start).map_err(|_| short)?;
        let e = s + usize::try_from(cd_size).map_err(|_| short)?;
        tail.get(s..e).ok_or(short)?.to_vec()
    } else {
        src.read(cd_offset, cd_offset + cd_size)?
    };
    if cd.len() as u64 != cd_size {
        return Err("a central directory shorter than its record says".into());
    }
    let member = central_directory(&cd, entries)?
        .into_iter()
        .find(|m| wanted(&m.name))
        .ok_or("no metadata member")?;
    if member.compressed > MAX_METADATA_BYTES || member.size > MAX_METADATA_BYTES {
        return Err(format!(
            "`{}` is larger than the {MAX_METADATA_BYTES}-byte bound",
            member.name
        ));
    }
    // The local header's name and extra field may differ in length from the
    // central directory's; fetch a margin and re-fetch when it is short.
    let margin = 30 + member.name.len() as u64 + 1024;
    let mut local = src.read(member.offset, member.offset + margin + member.compressed)?;
    if u32_at(&local, 0) != Some(0x0403_4b50) {
        return Err(format!("no local header for `{}`", member.name));
    }
    let data_start = 30
        + u64::from(u16_at(&local, 26).ok_or(short)?)
        + u64::from(u16_at(&local, 28).ok_or(short)?);
    let data_end = data_start + member.compressed;
    if (local.len() as u64) < data_end {
        local = src.read(member.offset, member.offset + data_end)?;
    }
    let s = usize::try_from(data_start).map_err(|_| short)?;
    let e = usize::try_from(data_end).map_err(|_| short)?;
    let data = local
        .get(s..e)
        .ok_or_else(|| format!("`{}` is cut short", member.name))?;
    let bytes = match member.method {
        0 => data.to_vec(),
        8 => {
            let mut out = Vec::new();
            flate2::read::DeflateDecoder::new(data)
                .take(member.size + 1)
                .read_to_end(&mut out)
                .map_err(|e| format!("`{}` does not inflate: {e}", member.name))?;
            out
        }
        m => {
            return Err(format!(
                "`{}` uses compression method {m} (not read)",
                member.name
            ));
        }
    };
    if bytes.len() as u64 != member.size {
        return Err(format!("`{}` is not the size its header says", member.name));
    }
    let mut crc = flate2::Crc::new();
    crc.update(&bytes);
    if crc.sum() != member.crc {
        return Err(format!("`{}` fails its CRC-32 check", member.name));
    }
    String::from_utf8(bytes).map_err(|_| format!("`{}` is not UTF-8", member.name))
}

fn central_directory(cd: &[u8], entries: u16) -> Result<Vec<Member>, String> {
    let mut out = Vec::new();
    let mut at = 0usize;
    let short = "a truncated central directory";
    for _ in 0..entries {
        if u32_at(cd, at) != Some(0x0201_4b50) {
            return Err("a damaged central directory".into());
        }
        let name_len = usize::from(u16_at(cd, at + 28).ok_or(short)?);
        let extra = usize::from(u16_at(cd, at + 30).ok_or(short)?);
        let comment = usize::from(u16_at(cd, at + 32).ok_or(short)?);
        let name = cd.get(at + 46..at + 46 + name_len).ok_or(short)?;
        out.push(Member {
            name: String::from_utf8_lossy(name).into_owned(),
            method: u16_at(cd, at + 10).ok_or(short)?,
            crc: u32_at(cd, at + 16).ok_or(short)?,
            compressed: u64::from(u32_at(cd, at + 20).ok_or(short)?),
            size: u64::from(u32_at(cd, at + 24).ok_or(short)?),
            offset: u64::from(u32_at(cd, at + 42).ok_or(short)?),
        });
        at += 46 + name_len + extra + comment;
    }
    Ok(out)
}

/// Whether `name` is a wheel's `NAME-VERSION.dist-info/METADATA`.
pub fn is_wheel_metadata(name: &str) -> bool {
    name.strip_suffix(".dist-info/METADATA")
        .is_some_and(|dir| !dir.is_empty() && !dir.contains('/'))
}

/// Whether `name` is an sdist's top-level `NAME-VERSION/PKG-INFO`.
pub fn is_sdist_pkg_info(name: &str) -> bool {
    name.trim_start_matches("./")
        .strip_suffix("/PKG-INFO")
        .is_some_and(|dir| !dir.is_empty() && !dir.contains('/'))
}

/// The `PKG-INFO` of a `.tar.gz` sdist: the stream is inflated and read
/// header by header until the member is found, at most `max_bytes` of it.
pub fn sdist_pkg_info(gz: &[u8], max_bytes: u64) -> Result<String, String> {
    let mut tar = flate2::read::GzDecoder::new(gz).take(max_bytes);
    let mut header = [0u8; 512];
    let mut long_name: Option<String> = None;
    loop {
        if tar.read_exact(&mut header).is_err() {
            return Err("no PKG-INFO in the sdist (or it lies past the size bound)".into());
        }
        if header.iter().all(|&b| b == 0) {
            return Err("no PKG-INFO in the sdist".into());
        }
        let field = |s: usize, e: usize| {
            let f = &header[s..e];
            let end = f.iter().position(|&b| b == 0).unwrap_or(f.len());
            String::from_utf8_lossy(&f[..end]).into_owned()
        };
        let size_text = field(124, 136);
        let size = u64::from_str_radix(size_text.trim(), 8)
            .map_err(|_| format!("a tar header with size {size_text:?}"))?;
        let padded = size.div_ceil(512) * 512;
        let kind = header[156];
        let mut name = field(0, 100);
        if &header[257..262] == b"ustar" {
            let prefix = field(345, 500);
            if !prefix.is_empty() {
                name = format!("{prefix}/{name}");
            }
        }
        if let Some(long) = long_name.take() {
            name = long;
        }
        if kind == b'L' && size <= 4096 {
            let mut buf = vec![0u8; usize::try_from(padded).map_err(|e| e.to_string())?];
            tar.read_exact(&mut buf).map_err(|e| e.to_string())?;
            buf.truncate(usize::try_from(size).unwrap_or(0));
            let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
            long_name = Some(String::from_utf8_lossy(&buf[..end]).into_owned());
            continue;
        }
        if matches!(kind, b'0' | 0) && is_sdist_pkg_info(&name) {
            if size > MAX_METADATA_BYTES {
                return Err(format!(
                    "`{name}` is larger than the {MAX_METADATA_BYTES}-byte bound"
                ));
            }
            let mut buf = vec![0u8; usize::try_from(size).map_err(|e| e.to_string())?];
            tar.read_exact(&mut buf)
                .map_err(|_| format!("`{name}` is cut short"))?;
            return String::from_utf8(buf).map_err(|_| format!("`{name}` is not UTF-8"));
        }
        let skipped = std::io::copy(&mut (&mut tar).take(padded), &mut std::io::sink())
            .map_err(|e| format!("the sdist does not inflate: {e}"))?;
        if skipped < padded {
            return Err("no PKG-INFO in the sdist (or it lies past the size bound)".into());
        }
    }
}

/// The fields of core metadata that `refresh` reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CoreMetadata {
    /// `Requires-Python`.
    pub requires_python: Option<String>,
    /// Every `Requires-Dist` line.
    pub requires_dist: Vec<String>,
}

/// Parses the header part of core metadata (an e-mail style header block,
/// continuation lines folded; the description after the blank line is not read).
pub fn core_metadata(text: &str) -> CoreMetadata {
    let mut out = CoreMetadata::default();
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, v)) = fields.last_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            fields.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    for (k, v) in fields {
        match k.as_str() {
            "requires-python" if !v.is_empty() => out.requires_python = Some(v),
            "requires-dist" if !v.is_empty() => out.requires_dist.push(v),
            _ => {}
        }
    }
    out
}

/// One `Requires-Dist` line (PEP 508), as far as `refresh` needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// The distribution's name in PEP 503 form.
    pub name: String,
    /// The version specifier as written, without surrounding parentheses
    /// (empty when none).
    pub specifier: String,
    /// The environment marker after `;`, if any.
    pub marker: Option<String>,
    /// Whether it is a direct reference (`name @ URL`).
    pub url: bool,
}

impl Requirement {
    /// Whether the marker makes it part of an extra (`extra == "…"`).
    pub fn in_extra(&self) -> bool {
        self.marker
            .as_deref()
            .is_some_and(|m| m.split_whitespace().collect::<String>().contains("extra=="))
    }
}

/// Parses one `Requires-Dist` value; `None` when it has no name.
pub fn requirement(line: &str) -> Option<Requirement> {
    let (head, marker) = match line.split_once(';') {
        Some((h, m)) => (h, Some(m.trim().to_string()).filter(|m| !m.is_empty())),
        None => (line, None),
    };
    let head = head.trim();
    let end = head
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(head.len());
    if end == 0 {
        return None;
    }
    let mut rest = head[end..].trim_start();
    if let Some(after) = rest.strip_prefix('[') {
        rest = after.split_once(']').map_or("", |(_, r)| r).trim_start();
    }
    let url = rest.starts_with('@');
    let mut spec = if url { "" } else { rest.trim() };
    if let Some(inner) = spec.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
        spec = inner.trim();
    }
    Some(Requirement {
        name: pep503(&head[..end]),
        specifier: spec.to_string(),
        marker,
        url,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirements_keep_the_specifier_as_written() {
        let r = requirement("torch (>=2.1,<3)").expect("parsed");
        assert_eq!(
            (r.name.as_str(), r.specifier.as_str()),
            ("torch", ">=2.1,<3")
        );
        let r =
            requirement("Transformers[torch]>=4.40 ; python_version >= \"3.9\"").expect("parsed");
        assert_eq!(r.name, "transformers");
        assert_eq!(r.specifier, ">=4.40");
        assert_eq!(r.marker.as_deref(), Some("python_version >= \"3.9\""));
        assert!(!r.in_extra());
        assert!(
            requirement("numpy; extra == 'dev'")
                .expect("parsed")
                .in_extra()
        );
        assert!(
            requirement("x @ https://example.org/x.whl")
                .expect("parsed")
                .url
        );
        assert_eq!(requirement(">=1"), None);
        assert_eq!(pep503("Scikit_Learn"), "scikit-learn");
        assert_eq!(pep503("a.-_b"), "a-b");
    }

    #[test]
    fn core_metadata_stops_at_the_description() {
        let m = core_metadata(
            "Metadata-Version: 2.1\nName: x\nRequires-Python: >=3.9\nRequires-Dist: torch>=2.1\n\nRequires-Dist: not-a-header\n",
        );
        assert_eq!(m.requires_python.as_deref(), Some(">=3.9"));
        assert_eq!(m.requires_dist, vec!["torch>=2.1".to_string()]);
    }

    #[test]
    fn names_of_metadata_members() {
        assert!(is_wheel_metadata("x-1.0.dist-info/METADATA"));
        assert!(!is_wheel_metadata("x/y-1.0.dist-info/METADATA"));
        assert!(is_sdist_pkg_info("x-1.0/PKG-INFO"));
        assert!(!is_sdist_pkg_info("x-1.0/src/x.egg-info/PKG-INFO"));
    }

    fn fixture(name: &str) -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/refresh/registry/pypi/packages")
            .join(name);
        std::fs::read(path).expect("fixture")
    }

    #[test]
    fn a_real_wheels_metadata_is_read_and_checked_against_its_crc() {
        let wheel = fixture("demo_tool-1.1.0-py3-none-any.whl");
        let text = zip_member(&InMemory(&wheel), &is_wheel_metadata).expect("METADATA");
        let m = core_metadata(&text);
        assert_eq!(m.requires_python.as_deref(), Some(">=3.9"));
        assert_eq!(m.requires_dist[0], "torch>=2.1");
        // Flip one byte of the member's compressed data: the CRC-32 or the
        // inflater catches it.
        let at = wheel
            .windows(18)
            .position(|w| w == b"dist-info/METADATA")
            .expect("local header name");
        let local = wheel[..at]
            .windows(4)
            .rposition(|w| w == b"PK\x03\x04")
            .expect("local header");
        let name_len = usize::from(u16::from_le_bytes([wheel[local + 26], wheel[local + 27]]));
        let extra = usize::from(u16::from_le_bytes([wheel[local + 28], wheel[local + 29]]));
        let mut damaged = wheel.clone();
        damaged[local + 30 + name_len + extra + 5] ^= 0x55;
        assert!(zip_member(&InMemory(&damaged), &is_wheel_metadata).is_err());
        // Cut short, the end record is gone.
        assert!(zip_member(&InMemory(&wheel[..wheel.len() - 30]), &is_wheel_metadata).is_err());
    }

    #[test]
    fn a_real_sdists_pkg_info_is_read_within_its_bound() {
        let sdist = fixture("demo_tool-1.2.0.tar.gz");
        let text = sdist_pkg_info(&sdist, 1 << 20).expect("PKG-INFO");
        assert_eq!(
            core_metadata(&text).requires_dist,
            vec!["torch<3,>=2.2".to_string()]
        );
        // A bound smaller than the stream before PKG-INFO's end stops the read.
        assert!(sdist_pkg_info(&sdist, 600).is_err());
    }

    #[test]
    fn damaged_zips_are_errors_not_panics() {
        let bytes: &[u8] = b"PK\x05\x06garbage";
        assert!(zip_member(&InMemory(bytes), &is_wheel_metadata).is_err());
        let empty: &[u8] = b"";
        assert!(zip_member(&InMemory(empty), &is_wheel_metadata).is_err());
        let mut eocd = vec![0u8; 22];
        eocd[..4].copy_from_slice(&0x0605_4b50u32.to_le_bytes());
        eocd[10] = 1;
        eocd[12] = 200; // a directory larger than the file
        assert!(zip_member(&InMemory(&eocd), &is_wheel_metadata).is_err());
        assert!(sdist_pkg_info(b"not gzip", 1024).is_err());
    }
}
