//! The downloaded advisory database: OSV export zips fetched over HTTP (or
//! read from a `file://` mirror), verified, and stored in SQLite with the
//! date they were fetched; lookups for the scan through
//! [`faasguard_osv::AdvisorySource`].
//!
//! An IO edge, like the CLI: the only crate besides it that touches the
//! network and the disk. Everything it stores is read back through
//! `faasguard_osv::parse_advisory`, so the scan sees the same records
//! whether they come from here or from the embedded snapshot.
//!
//! Invariants: an update is all or nothing (the new file replaces the old
//! one by a rename only once every export has been verified and stored);
//! hostile input is bounded (download size, timeouts, entries, bytes per
//! entry and in total); nothing panics on what a server sends.

mod archive;
mod database;
mod date;
mod error;
mod fetch;
mod store;
mod update;

use std::ffi::OsString;
use std::path::PathBuf;

pub use database::{Database, SourceStatus};
pub use date::utc_now;
pub use error::DbError;
pub use store::FILE_NAME;
pub use update::{EcosystemReport, UpdateReport, update};

/// OSV's public exports: `{DEFAULT_SOURCE}/{ecosystem}/all.zip`.
pub const DEFAULT_SOURCE: &str = "https://osv-vulnerabilities.storage.googleapis.com";

/// Where the database lives: `$FAASGUARD_DB_DIR`, else
/// `$XDG_CACHE_HOME/faasguard/db`, else `$HOME/.cache/faasguard/db` (else,
/// on systems without `HOME`, `%LOCALAPPDATA%\faasguard\db`, and as a last
/// resort the temporary directory). It is a cache: `db update` rebuilds it.
pub fn default_dir() -> PathBuf {
    dir_from(&|key| std::env::var_os(key))
}

fn dir_from(var: &dyn Fn(&str) -> Option<OsString>) -> PathBuf {
    // Empty variables count as unset; XDG says relative ones are ignored.
    let set = |key: &str| var(key).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(dir) = set("FAASGUARD_DB_DIR") {
        return dir;
    }
    if let Some(cache) = set("XDG_CACHE_HOME").filter(|p| p.is_absolute()) {
        return cache.join("faasguard").join("db");
    }
    if let Some(home) = set("HOME") {
        return home.join(".cache").join("faasguard").join("db");
    }
    if let Some(local) = set("LOCALAPPDATA") {
        return local.join("faasguard").join("db");
    }
    std::env::temp_dir().join("faasguard").join("db")
}

#[cfg(test)]
mod tests {
    use super::dir_from;
    use std::ffi::OsString;
    use std::path::PathBuf;

    fn with(vars: &[(&str, &str)]) -> PathBuf {
        let vars: Vec<(String, OsString)> =
            vars.iter().map(|(k, v)| (k.to_string(), OsString::from(v))).collect();
        dir_from(&|key| vars.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()))
    }

    #[test]
    fn default_dir_precedence() {
        let all =
            [("FAASGUARD_DB_DIR", "/opt/db"), ("XDG_CACHE_HOME", "/xdg"), ("HOME", "/home/u")];
        assert_eq!(with(&all), PathBuf::from("/opt/db"));
        assert_eq!(with(&all[1..]), PathBuf::from("/xdg/faasguard/db"));
        assert_eq!(with(&all[2..]), PathBuf::from("/home/u/.cache/faasguard/db"));
        assert_eq!(
            with(&[("FAASGUARD_DB_DIR", ""), ("XDG_CACHE_HOME", "rel"), ("HOME", "/h")]),
            PathBuf::from("/h/.cache/faasguard/db")
        );
        assert!(with(&[]).ends_with("faasguard/db"));
    }
}
