//! Everything that can go wrong with the advisory database, each message
//! naming the file or URL involved and what to do about it.

use std::fmt;
use std::path::PathBuf;

/// An error of `update` or `Database::open`/`lookup`. A failed update never
/// replaces the database: every message about an update can say so.
#[derive(Debug)]
#[non_exhaustive]
pub enum DbError {
    /// `update` was given no ecosystem.
    NoEcosystems,
    /// An ecosystem name that cannot be a path segment of the export URL.
    BadEcosystem { name: String },
    /// The source is neither `http(s)://` nor `file://`.
    BadSource { source: String, reason: String },
    /// Reading or writing a local file failed.
    Io { path: PathBuf, action: &'static str, error: std::io::Error },
    /// The export of a `file://` source could not be read.
    Mirror { url: String, path: PathBuf, error: std::io::Error },
    /// The request failed before an answer came (DNS, connection, TLS,
    /// timeout, a broken transfer).
    Download { url: String, reason: String },
    /// The server answered with a status other than 2xx.
    HttpStatus { url: String, status: u16 },
    /// The export is larger than the download cap.
    TooLarge { url: String, limit: u64 },
    /// The export is not a readable zip, fails its CRCs, or expands beyond
    /// the caps (a zip bomb).
    BadArchive { url: String, reason: String },
    /// The export held no usable OSV record for the ecosystem.
    NoRecords { url: String, ecosystem: String, skipped: usize, reasons: Vec<String> },
    /// SQLite failed on the database file.
    Sqlite { path: PathBuf, reason: String },
    /// Building the new database failed (disk full, permissions); the
    /// old one is untouched.
    Write { path: PathBuf, reason: String },
    /// The database was written by another schema version.
    Incompatible { path: PathBuf, version: i64 },
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const KEPT: &str = "the existing database was left unchanged";
        match self {
            DbError::NoEcosystems => write!(
                f,
                "no ecosystem to update; name at least one OSV ecosystem, e.g. `PyPI` or `npm`"
            ),
            DbError::BadEcosystem { name } => write!(
                f,
                "`{}` is not an OSV ecosystem name (it must be non-empty, not start with `.`, and \
                 hold no `/`, `\\`, surrounding spaces or control characters); use the spelling \
                 of OSV, e.g. `PyPI`, `npm`, `crates.io`",
                name.escape_debug()
            ),
            DbError::BadSource { source, reason } => write!(
                f,
                "cannot use `{source}` as an advisory source: {reason}; give an `https://` URL \
                 (default {}) or a `file:///absolute/path` mirror holding `<ecosystem>/all.zip`",
                crate::DEFAULT_SOURCE
            ),
            DbError::Io { path, action, error } => write!(
                f,
                "could not {action} {}: {error}; check that the path exists and is writable \
                 (set FAASGUARD_DB_DIR to use another directory)",
                path.display()
            ),
            DbError::Mirror { url, path, error } => write!(
                f,
                "could not read {} (for {url}): {error}; {KEPT}. A `file://` source must hold \
                 `<ecosystem>/all.zip` files, as OSV's exports are laid out",
                path.display()
            ),
            DbError::Download { url, reason } => write!(
                f,
                "could not download {url}: {reason}; {KEPT}. Check the network (and any proxy \
                 settings), then run `faasguard db update` again, or use a `file://` mirror"
            ),
            DbError::HttpStatus { url, status } => write!(
                f,
                "{url} answered HTTP {status}{}; {KEPT}. Check the source URL and the ecosystem \
                 name (OSV spelling, e.g. `PyPI`, `npm`)",
                if *status == 404 { " (not found)" } else { "" }
            ),
            DbError::TooLarge { url, limit } => write!(
                f,
                "{url} is larger than the {} MB download limit; {KEPT}. Check that the source \
                 serves OSV export zips",
                limit / 1_000_000
            ),
            DbError::BadArchive { url, reason } => write!(
                f,
                "{url} is not a usable OSV export zip: {reason}; {KEPT}. Run `faasguard db \
                 update` again (the download may have been damaged) or check the source"
            ),
            DbError::NoRecords { url, ecosystem, skipped, reasons } => {
                write!(
                    f,
                    "{url} holds no OSV record for a `{ecosystem}` package ({skipped} entries \
                     skipped"
                )?;
                if let Some(first) = reasons.first() {
                    write!(f, ", e.g. {first}")?;
                }
                write!(
                    f,
                    "); {KEPT}. Check that the source and the ecosystem name match (OSV spelling)"
                )
            }
            DbError::Sqlite { path, reason } => write!(
                f,
                "the advisory database {} could not be used: {reason}; run `faasguard db update` \
                 to rebuild it (or delete the file)",
                path.display()
            ),
            DbError::Write { path, reason } => write!(
                f,
                "could not write the new advisory database {}: {reason}; {KEPT}. Check free disk \
                 space and permissions there (or set FAASGUARD_DB_DIR), then run `faasguard db \
                 update` again",
                path.display()
            ),
            DbError::Incompatible { path, version } => write!(
                f,
                "the advisory database {} has schema version {version}, this faasguard reads \
                 version {}; run `faasguard db update` to rebuild it",
                path.display(),
                crate::store::SCHEMA_VERSION
            ),
        }
    }
}

impl std::error::Error for DbError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DbError::Io { error, .. } | DbError::Mirror { error, .. } => Some(error),
            _ => None,
        }
    }
}
