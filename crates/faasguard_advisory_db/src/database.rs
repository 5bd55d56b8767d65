//! Reading the downloaded database: lookups for the scan (it is an
//! `AdvisorySource` like the embedded snapshot), and what `db status`
//! shows.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use faasguard_osv::{Advisory, AdvisorySource, SourceInfo, normalize_name};
use rusqlite::{Connection, OpenFlags};

use crate::error::DbError;
use crate::fetch::encode_segment;
use crate::store::{FILE_NAME, SCHEMA_VERSION};

/// One ecosystem export held by the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceStatus {
    /// OSV spelling: `PyPI`, `npm`.
    pub ecosystem: String,
    /// The export it came from (`{source}/{ecosystem}/all.zip`).
    pub url: String,
    /// When it was fetched, `YYYY-MM-DDTHH:MM:SSZ` (UTC).
    pub fetched_at: String,
    /// Records stored for it.
    pub count: usize,
    /// The latest `modified` among its records (how fresh the data itself
    /// is, whatever the fetch date); empty when none had one.
    pub newest_modified: String,
    /// SHA-256 of the export as fetched, lowercase hex.
    pub sha256: String,
}

/// The downloaded advisory database, opened read-only.
///
/// Shareable across threads: the SQLite connection is behind a mutex.
#[derive(Debug)]
pub struct Database {
    path: PathBuf,
    conn: Mutex<Connection>,
    sources: Vec<SourceStatus>,
    /// The first lookup failure: [`AdvisorySource::lookup`] cannot return
    /// one, so it is kept for [`Database::take_error`].
    error: Mutex<Option<DbError>>,
}

impl Database {
    /// Opens `dir/advisories.sqlite`; `Ok(None)` when there is none (no
    /// update has run: the scan uses the embedded snapshot).
    pub fn open(dir: &Path) -> Result<Option<Database>, DbError> {
        let path = dir.join(FILE_NAME);
        match std::fs::metadata(&path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => {
                return Err(DbError::Io { path, action: "read", error });
            }
            Ok(meta) if !meta.is_file() => {
                return Err(DbError::Sqlite { path, reason: "it is not a file".to_string() });
            }
            Ok(_) => {}
        }
        let sqlite =
            |e: rusqlite::Error| DbError::Sqlite { path: path.clone(), reason: e.to_string() };
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(sqlite)?;
        tune_for_lookups(&conn).map_err(sqlite)?;
        let version: i64 =
            conn.query_row("PRAGMA user_version", [], |row| row.get(0)).map_err(sqlite)?;
        if version != SCHEMA_VERSION {
            return Err(DbError::Incompatible { path, version });
        }
        let sources = {
            let mut stmt = conn
                .prepare(
                    "SELECT ecosystem, url, fetched_at, record_count, newest_modified, sha256 \
                     FROM sources ORDER BY ecosystem",
                )
                .map_err(sqlite)?;
            let rows = stmt
                .query_map([], |row| {
                    Ok(SourceStatus {
                        ecosystem: row.get(0)?,
                        url: row.get(1)?,
                        fetched_at: row.get(2)?,
                        count: usize::try_from(row.get::<_, i64>(3)?).unwrap_or(0),
                        newest_modified: row.get(4)?,
                        sha256: row.get(5)?,
                    })
                })
                .map_err(sqlite)?;
            rows.collect::<Result<Vec<_>, _>>().map_err(sqlite)?
        };
        // Fails now, not at the first lookup, if the table is missing.
        conn.prepare_cached(LOOKUP).map_err(sqlite)?;
        Ok(Some(Database { path, conn: Mutex::new(conn), sources, error: Mutex::new(None) }))
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The ecosystems held, by name.
    pub fn status(&self) -> Vec<SourceStatus> {
        self.sources.clone()
    }

    /// Days from the oldest fetch of the database to `today` (`YYYY-MM-DD`,
    /// or a timestamp starting with one; see [`crate::utc_now`]), for the
    /// warning about a stale database. `None` when either date is unknown.
    pub fn age_days(&self, today: &str) -> Option<i64> {
        let today = crate::date::days(today)?;
        let oldest = self.sources.iter().filter_map(|s| crate::date::days(&s.fetched_at)).min()?;
        Some(today - oldest)
    }

    /// The advisories of one package, or why they could not be read.
    pub fn try_lookup(&self, ecosystem: &str, name: &str) -> Result<Vec<Arc<Advisory>>, DbError> {
        let key = normalize_name(ecosystem, name);
        let sqlite =
            |e: rusqlite::Error| DbError::Sqlite { path: self.path.clone(), reason: e.to_string() };
        let conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        let mut stmt = conn.prepare_cached(LOOKUP).map_err(sqlite)?;
        let rows = stmt
            .query_map([ecosystem, &*key], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
            })
            .map_err(sqlite)?;
        let mut out = Vec::new();
        for row in rows {
            let (id, json) = row.map_err(sqlite)?;
            let advisory =
                faasguard_osv::parse_advisory(json.as_bytes()).map_err(|e| DbError::Sqlite {
                    path: self.path.clone(),
                    reason: format!("the stored record `{id}` is not valid OSV ({e})"),
                })?;
            out.push(Arc::new(advisory));
        }
        Ok(out)
    }

    /// The first error a lookup through [`AdvisorySource::lookup`] met
    /// (that lookup then answered nothing), taken so it is reported once.
    /// A scan should report it: its results are incomplete.
    pub fn take_error(&self) -> Option<DbError> {
        self.error.lock().unwrap_or_else(PoisonError::into_inner).take()
    }

    /// Where the data came from: the source (the URLs without their
    /// `/{ecosystem}/all.zip`), one per distinct source.
    fn source_names(&self) -> String {
        let mut names: Vec<String> = Vec::new();
        for s in &self.sources {
            let base = [encode_segment(&s.ecosystem), s.ecosystem.clone()]
                .iter()
                .find_map(|e| s.url.strip_suffix(&format!("/{e}/all.zip")))
                .unwrap_or(&s.url)
                .to_string();
            if !names.contains(&base) {
                names.push(base);
            }
        }
        names.join(", ")
    }
}

/// Settings for the read-only connection, which runs one small query per
/// package of every lockfile.
fn tune_for_lookups(conn: &Connection) -> rusqlite::Result<()> {
    // The bundled SQLite is built with STAT4, which marks `?` parameters
    // compared with an indexed column as "rebinding may change the plan";
    // rusqlite clears the bindings of every cached statement it takes
    // back, so without this each lookup re-parsed and re-planned the query
    // (a sixth of matching time). The plan cannot change here anyway: the
    // database has no `sqlite_stat4` table.
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    // Otherwise every lookup takes and drops a shared lock (two `fcntl`s),
    // checks for a hot journal (a `stat`) and rereads the file header: a
    // quarter of matching time. Holding the shared lock for the life of the
    // connection is safe because nothing writes this file in place: an
    // update builds a new file and renames it over this one, and other
    // readers still get their shared locks.
    conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
    Ok(())
}

const LOOKUP: &str =
    "SELECT id, json FROM advisories WHERE ecosystem = ?1 AND name = ?2 ORDER BY id";

impl AdvisorySource for Database {
    fn lookup(&self, ecosystem: &str, name: &str) -> Vec<Arc<Advisory>> {
        match self.try_lookup(ecosystem, name) {
            Ok(found) => found,
            Err(e) => {
                let mut slot = self.error.lock().unwrap_or_else(PoisonError::into_inner);
                if slot.is_none() {
                    *slot = Some(e);
                }
                Vec::new()
            }
        }
    }

    fn info(&self) -> SourceInfo {
        let date = self
            .sources
            .iter()
            .map(|s| s.fetched_at.get(..10).unwrap_or(&s.fetched_at))
            .min()
            .unwrap_or("")
            .to_string();
        SourceInfo {
            name: self.source_names(),
            date,
            count: self.sources.iter().map(|s| s.count).sum(),
            embedded: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Database, LOOKUP};
    use rusqlite::StatementStatus;

    #[test]
    fn lookups_reuse_the_prepared_query() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let export = tmp.path().join("mirror").join("npm");
        std::fs::create_dir_all(&export).expect("mirror dir");
        let record = r#"{"id":"GHSA-1","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"left-pad"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.3.0"}]}]}]}"#;
        std::fs::write(
            export.join("all.zip"),
            faasguard_testkit::zip_of(&[("GHSA-1.json", record)]),
        )
        .expect("export");
        let dir = tmp.path().join("db");
        let source = format!("file://{}", tmp.path().join("mirror").display());
        crate::update(&dir, &source, &["npm"], &mut |_| {}).expect("update");
        let db = Database::open(&dir).expect("open").expect("a database");
        for name in ["left-pad", "right-pad", "left-pad"] {
            db.try_lookup("npm", name).expect("lookup");
        }
        assert_eq!(db.try_lookup("npm", "left-pad").expect("lookup").len(), 1);
        // A re-prepare per lookup (parsing and planning the query again)
        // was a sixth of the matching time of a large lockfile.
        let conn = db.conn.lock().expect("connection");
        let stmt = conn.prepare_cached(LOOKUP).expect("cached");
        assert_eq!(stmt.get_status(StatementStatus::RePrepare), 0);
        let mode: String =
            conn.query_row("PRAGMA locking_mode", [], |row| row.get(0)).expect("locking mode");
        assert_eq!(mode, "exclusive");
    }
}
