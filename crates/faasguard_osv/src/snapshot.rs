//! The advisory snapshot built into the binary, used when no database has
//! been downloaded.
//!
//! `data/snapshot/{PyPI,npm}.zip` are OSV export zips made by
//! `scripts/build-advisory-snapshot.py` from the PyPA advisory database
//! (CC-BY-4.0) and the Node.js Security WG's npm advisories (MIT, converted
//! to OSV); `data/snapshot/NOTICE.md` has the sources, commits, licenses
//! and attribution, `manifest.json` the build date and each source's commit
//! date (the oldest is the snapshot's date). They are read with the
//! same zip reader as a downloaded export, once, on first use.

use std::sync::LazyLock;

use crate::{MemoryIndex, SourceInfo};

static PYPI_ZIP: &[u8] = include_bytes!("../data/snapshot/PyPI.zip");
static NPM_ZIP: &[u8] = include_bytes!("../data/snapshot/npm.zip");
static MANIFEST: &str = include_str!("../data/snapshot/manifest.json");

/// What `SourceInfo::name` says for the snapshot.
pub const SNAPSHOT_NAME: &str = "embedded snapshot";

static EMBEDDED: LazyLock<MemoryIndex> = LazyLock::new(|| {
    let info = SourceInfo {
        name: SNAPSHOT_NAME.to_string(),
        date: snapshot_date(),
        count: 0,
        embedded: true,
    };
    let mut index = MemoryIndex::new(info);
    // The zips are ours and tested to load without an error
    // (tests/snapshot.rs); were one damaged, the index would hold what
    // could be read rather than fail the scan.
    for (bytes, name) in [(PYPI_ZIP, "PyPI.zip"), (NPM_ZIP, "npm.zip")] {
        let _ = index.add_zip(bytes, name);
    }
    index
});

/// The embedded snapshot's advisories (PyPI and npm), loaded on first use.
pub fn embedded() -> &'static MemoryIndex {
    &EMBEDDED
}

/// The date of the snapshot's data: the oldest commit date of its sources
/// (`YYYY-MM-DD`), since that is how current its advisories are, whatever
/// day it was built; the build date when the manifest has no source dates,
/// else `unknown`.
fn snapshot_date() -> String {
    let Ok(manifest) = serde_json::from_str::<serde_json::Value>(MANIFEST) else {
        return "unknown".to_string();
    };
    let oldest = manifest
        .get("sources")
        .and_then(|s| s.as_array())
        .into_iter()
        .flatten()
        .filter_map(|s| s.get("commit_date")?.as_str())
        .filter(|d| d.len() == 10)
        .min()
        .map(str::to_string);
    oldest
        .or_else(|| manifest.get("date")?.as_str().map(str::to_string))
        .unwrap_or_else(|| "unknown".to_string())
}
