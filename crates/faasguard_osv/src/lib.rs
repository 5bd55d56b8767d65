//! Vulnerability advisories in the OSV format: records, exact version
//! semantics per ecosystem, matching and alias merging, and the embedded
//! starter snapshot.
//!
//! Pure: a source of advisories is anything that answers
//! [`AdvisorySource::lookup`]; the downloaded database (SQLite, in
//! `faasguard_advisory_db`) and the in-memory index both do.
//!
//! - [`Advisory`]: the OSV record, read by [`parse_advisory`];
//! - [`versions`]: version ordering per ecosystem (SemVer, PEP 440, Maven);
//! - [`affected`]: the OSV evaluation of one record for one version;
//! - [`vulnerabilities`]: lookup, match and alias merging for one package;
//! - [`severity`]: CVSS base scores and levels;
//! - [`MemoryIndex`]: advisories in memory, from records or export zips;
//! - [`embedded`]: the snapshot built into the binary.

mod index;
mod matching;
mod merge;
mod record;
pub mod severity;
mod snapshot;
pub mod versions;

use std::sync::Arc;

pub use index::{MAX_ENTRY_BYTES, MemoryIndex, ZipLoad, normalize_name};
pub use matching::{Hit, affected, is_withdrawn};
pub use merge::{Vulnerability, vulnerabilities};
pub use record::{
    Advisory, Affected, Event, PackageRef, Range, Reference, Severity, parse_advisory,
};
pub use severity::{Level, Rating, base_score, rate};
pub use snapshot::{SNAPSHOT_NAME, embedded};

/// Where advisories come from, for reports and `db status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceInfo {
    /// `embedded snapshot` or the URL the database was downloaded from.
    pub name: String,
    /// The date of the data, `YYYY-MM-DD` (the download date, or the
    /// snapshot's build date).
    pub date: String,
    /// Advisories held.
    pub count: usize,
    /// Whether this is the snapshot built into the binary.
    pub embedded: bool,
}

/// Anything that can list the advisories of one package.
pub trait AdvisorySource {
    /// Every advisory that names `name` in `ecosystem` (OSV spelling:
    /// `npm`, `PyPI`), withdrawn ones included; names are compared the way
    /// the ecosystem compares them (PyPI: PEP 503).
    fn lookup(&self, ecosystem: &str, name: &str) -> Vec<Arc<Advisory>>;
    /// What this source is.
    fn info(&self) -> SourceInfo;
}
