//! `faasguard db update`: fetch each ecosystem's export, verify it, and
//! store it, all or nothing.

use std::path::{Path, PathBuf};

use crate::error::DbError;
use crate::fetch::{export_location, fetch};
use crate::store::{ExportInfo, Staging, scratch_name};

/// What an update did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateReport {
    /// The database file written.
    pub path: PathBuf,
    /// One per ecosystem updated, in the order asked.
    pub ecosystems: Vec<EcosystemReport>,
}

/// What the update did with one ecosystem's export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EcosystemReport {
    pub ecosystem: String,
    /// The export fetched.
    pub url: String,
    /// Records stored.
    pub records: usize,
    /// Rows stored: one per record and affected package.
    pub rows: usize,
    /// Entries of the export that were not a usable record.
    pub skipped: usize,
    /// Why, for the first few: `` `entry.json`: reason ``.
    pub skipped_reasons: Vec<String>,
    /// Size of the export.
    pub bytes: u64,
    /// SHA-256 of the export, lowercase hex.
    pub sha256: String,
    /// When it was fetched, `YYYY-MM-DDTHH:MM:SSZ`.
    pub fetched_at: String,
    /// The latest `modified` among its records.
    pub newest_modified: String,
}

/// Downloads `{source}/{ecosystem}/all.zip` for each ecosystem (OSV
/// spelling: `PyPI`, `npm`), verifies it and stores it in
/// `dir/advisories.sqlite`. Ecosystems not named keep what an earlier
/// update stored. All or nothing: on any error the database is left as it
/// was. `progress` receives one line per step.
pub fn update(
    dir: &Path,
    source: &str,
    ecosystems: &[&str],
    progress: &mut dyn FnMut(&str),
) -> Result<UpdateReport, DbError> {
    let mut wanted: Vec<&str> = Vec::new();
    for &ecosystem in ecosystems {
        check_ecosystem(ecosystem)?;
        if !wanted.contains(&ecosystem) {
            wanted.push(ecosystem);
        }
    }
    if wanted.is_empty() {
        return Err(DbError::NoEcosystems);
    }
    // Every URL is checked before anything is fetched or written.
    let exports = wanted
        .iter()
        .map(|&e| export_location(source, e).map(|(url, location)| (e, url, location)))
        .collect::<Result<Vec<_>, _>>()?;
    let mut staging = Staging::begin(dir, progress)?;
    let mut reports = Vec::with_capacity(exports.len());
    for (ecosystem, url, location) in exports {
        let fetched_at = crate::date::utc_now();
        let mut fetched = fetch(&location, &url, scratch_name(dir, ecosystem), progress)?;
        progress(&format!("verifying and storing {ecosystem}"));
        let stored = staging
            .replace(&ExportInfo { ecosystem, url: &url, fetched_at: &fetched_at }, &mut fetched)?;
        let summary = stored.summary;
        progress(&format!(
            "{ecosystem}: {} advisories stored, {} entries skipped",
            summary.records, summary.skipped
        ));
        reports.push(EcosystemReport {
            ecosystem: ecosystem.to_string(),
            url,
            records: summary.records,
            rows: stored.rows,
            skipped: summary.skipped,
            skipped_reasons: summary.reasons,
            bytes: fetched.bytes,
            sha256: fetched.sha256.clone(),
            fetched_at,
            newest_modified: summary.newest_modified,
        });
    }
    let path = staging.finish()?;
    progress(&format!("wrote {}", path.display()));
    Ok(UpdateReport { path, ecosystems: reports })
}

/// An ecosystem becomes a URL path segment and a directory name of a
/// `file://` mirror: nothing that could leave that segment.
fn check_ecosystem(name: &str) -> Result<(), DbError> {
    let ok = !name.is_empty()
        && name.len() <= 100
        && name.trim() == name
        && !name.starts_with('.')
        && !name.contains(['/', '\\'])
        && !name.chars().any(char::is_control);
    if ok { Ok(()) } else { Err(DbError::BadEcosystem { name: name.to_string() }) }
}

#[cfg(test)]
mod tests {
    use super::check_ecosystem;

    #[test]
    fn ecosystem_names() {
        for good in ["PyPI", "npm", "crates.io", "Debian:11", "GitHub Actions"] {
            assert!(check_ecosystem(good).is_ok(), "{good}");
        }
        for bad in ["", "..", "../etc", "a/b", "a\\b", ".hidden", " npm", "n\npm"] {
            assert!(check_ecosystem(bad).is_err(), "{bad:?}");
        }
    }
}
