//! Getting one ecosystem's export onto disk: `{source}/{ecosystem}/all.zip`
//! over HTTP(S) with ureq (streamed to a temporary file next to the
//! database, capped, hashed on the way), or read in place from a
//! `file://` mirror.

use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Read, Seek, SeekFrom, Write};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::DbError;
use sha2::{Digest, Sha256};

/// Largest export accepted. Today's biggest OSV exports are a few hundred
/// MB; this leaves room for growth while refusing a runaway response.
pub(crate) const MAX_DOWNLOAD: u64 = 2_000_000_000;
/// How often the download reports progress.
const PROGRESS_EVERY: u64 = 32 * 1024 * 1024;

/// Where one export lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Location {
    Http(String),
    File(PathBuf),
}

/// The export of `ecosystem` in `source`: the URL shown to the user and
/// stored in `sources.url`, and where to read it.
pub(crate) fn export_location(
    source: &str,
    ecosystem: &str,
) -> Result<(String, Location), DbError> {
    let base = source.trim().trim_end_matches('/');
    let bad = |reason: &str| DbError::BadSource {
        source: source.to_string(),
        reason: reason.to_string(),
    };
    let lower = base.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        let host_start = base.find("://").map_or(0, |i| i + 3);
        if base.len() <= host_start {
            return Err(bad("the URL has no host"));
        }
        let url = format!("{base}/{}/all.zip", encode_segment(ecosystem));
        return Ok((url.clone(), Location::Http(url)));
    }
    if lower.starts_with("file://") {
        let rest = &base["file://".len()..];
        // `file:///path` (empty host) or `file://localhost/path`.
        let path = if let Some(p) = rest.strip_prefix("localhost") { p } else { rest };
        if !path.starts_with('/') {
            return Err(bad("a `file://` URL needs an absolute path (`file:///srv/osv`)"));
        }
        let decoded =
            decode_percent(path).ok_or_else(|| bad("bad percent-encoding in the path"))?;
        let root = local_path(&decoded);
        let file = root.join(ecosystem).join("all.zip");
        let url = format!("{base}/{}/all.zip", encode_segment(ecosystem));
        return Ok((url, Location::File(file)));
    }
    Err(bad("only `http://`, `https://` and `file://` sources are supported"))
}

/// `file:///C:/x` names `C:/x` on Windows; elsewhere the path is as written.
fn local_path(decoded: &str) -> PathBuf {
    if cfg!(windows) {
        let b = decoded.as_bytes();
        if b.len() >= 3 && b[0] == b'/' && b[1].is_ascii_alphabetic() && b[2] == b':' {
            return PathBuf::from(&decoded[1..]);
        }
    }
    PathBuf::from(decoded)
}

/// Percent-encodes one path segment (OSV has `GitHub Actions`; `:` is
/// legal in a segment and appears in `Debian:11`).
pub(crate) fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':' | b'@' | b'+')
        {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn decode_percent(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// A file deleted when dropped unless kept: the partial download and the
/// database being built never outlive a failed update.
#[derive(Debug)]
pub(crate) struct TempPath {
    path: PathBuf,
    keep: bool,
}

impl TempPath {
    pub(crate) fn new(path: PathBuf) -> Self {
        TempPath { path, keep: false }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The file was renamed into place: nothing to delete.
    pub(crate) fn keep(mut self) {
        self.keep = true;
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// An export on disk, positioned at its start.
#[derive(Debug)]
pub(crate) struct Fetched {
    // Declared before `_temp`: the handle closes before the file is
    // deleted (Windows refuses to delete an open file).
    pub(crate) file: File,
    pub(crate) bytes: u64,
    pub(crate) sha256: String,
    _temp: Option<TempPath>,
}

/// Fetches one export. `scratch` is the temporary file for a download
/// (in the database directory, so no cross-device space is assumed).
pub(crate) fn fetch(
    location: &Location,
    url: &str,
    scratch: PathBuf,
    progress: &mut dyn FnMut(&str),
) -> Result<Fetched, DbError> {
    match location {
        Location::File(path) => read_local(path, url),
        Location::Http(http) => download(http, scratch, progress),
    }
}

fn read_local(path: &Path, url: &str) -> Result<Fetched, DbError> {
    let io = |error| DbError::Mirror { url: url.to_string(), path: path.to_path_buf(), error };
    let mut file = File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(io(std::io::Error::new(ErrorKind::InvalidInput, "not a regular file")));
    }
    if meta.len() > MAX_DOWNLOAD {
        return Err(DbError::TooLarge { url: url.to_string(), limit: MAX_DOWNLOAD });
    }
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut bytes = 0u64;
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(io(e)),
        };
        bytes += n as u64;
        if bytes > MAX_DOWNLOAD {
            return Err(DbError::TooLarge { url: url.to_string(), limit: MAX_DOWNLOAD });
        }
        hasher.update(&buf[..n]);
    }
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    Ok(Fetched { file, bytes, sha256: hex(&hasher.finalize()), _temp: None })
}

fn agent_for(url: &str) -> ureq::Agent {
    // A mirror on this machine is reached directly even when a proxy is
    // configured for the outside world (a proxy cannot reach our loopback).
    let proxy = if is_loopback(url) { None } else { ureq::Proxy::try_from_env() };
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(proxy)
        .timeout_connect(Some(Duration::from_secs(30)))
        .timeout_recv_response(Some(Duration::from_secs(60)))
        // A stalled transfer fails; a slow but moving one may take as long
        // as it needs (no global timeout on a download of hundreds of MB).
        .timeout_per_read(Some(Duration::from_secs(60)))
        .user_agent(concat!("faasguard/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

fn is_loopback(url: &str) -> bool {
    let Some(rest) = url.split_once("://").map(|(_, r)| r) else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn download(
    url: &str,
    scratch: PathBuf,
    progress: &mut dyn FnMut(&str),
) -> Result<Fetched, DbError> {
    let failed = |reason: String| DbError::Download { url: url.to_string(), reason };
    progress(&format!("downloading {url}"));
    let response = agent_for(url).get(url).call().map_err(|e| failed(e.to_string()))?;
    let status = response.status().as_u16();
    if !(200..300).contains(&status) {
        return Err(DbError::HttpStatus { url: url.to_string(), status });
    }
    if response.body().content_length().is_some_and(|n| n > MAX_DOWNLOAD) {
        return Err(DbError::TooLarge { url: url.to_string(), limit: MAX_DOWNLOAD });
    }
    let temp = TempPath::new(scratch);
    let io = |action: &'static str| {
        let path = temp.path().to_path_buf();
        move |error| DbError::Io { path, action, error }
    };
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(temp.path())
        .map_err(io("create the download file"))?;
    let mut reader = response.into_body().into_reader();
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut bytes = 0u64;
    let mut next_report = PROGRESS_EVERY;
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(failed(e.to_string())),
        };
        bytes += n as u64;
        if bytes > MAX_DOWNLOAD {
            return Err(DbError::TooLarge { url: url.to_string(), limit: MAX_DOWNLOAD });
        }
        hasher.update(&buf[..n]);
        file.write_all(&buf[..n]).map_err(io("write the download file"))?;
        if bytes >= next_report {
            progress(&format!("  {} MB", bytes / 1_000_000));
            next_report += PROGRESS_EVERY;
        }
    }
    file.flush().map_err(io("write the download file"))?;
    file.seek(SeekFrom::Start(0)).map_err(io("read the download file"))?;
    progress(&format!("downloaded {url} ({bytes} bytes)"));
    Ok(Fetched { file, bytes, sha256: hex(&hasher.finalize()), _temp: Some(temp) })
}

/// A digest as lowercase hex.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(source: &str, ecosystem: &str) -> (String, Location) {
        export_location(source, ecosystem).expect("a valid source")
    }

    #[test]
    fn export_urls() {
        let (url, location) = loc("https://osv.example/", "PyPI");
        assert_eq!(url, "https://osv.example/PyPI/all.zip");
        assert_eq!(location, Location::Http(url.clone()));
        let (url, _) = loc("https://osv.example", "GitHub Actions");
        assert_eq!(url, "https://osv.example/GitHub%20Actions/all.zip");
        let (_, location) = loc("file:///srv/my%20osv/", "npm");
        assert_eq!(location, Location::File(PathBuf::from("/srv/my osv/npm/all.zip")));
        let (_, location) = loc("file://localhost/srv/osv", "npm");
        assert_eq!(location, Location::File(PathBuf::from("/srv/osv/npm/all.zip")));
        for bad in ["ftp://x", "file://relative/x", "osv.dev", "https://", "file:///a%zz"] {
            assert!(export_location(bad, "npm").is_err(), "{bad}");
        }
    }

    #[test]
    fn loopback_hosts() {
        assert!(is_loopback("http://127.0.0.1:8080/x"));
        assert!(is_loopback("http://localhost/x"));
        assert!(is_loopback("http://[::1]:99/x"));
        assert!(is_loopback("http://user@127.0.0.2/x"));
        assert!(!is_loopback("https://osv-vulnerabilities.storage.googleapis.com/x"));
        assert!(!is_loopback("http://10.0.0.1/x"));
    }
}
