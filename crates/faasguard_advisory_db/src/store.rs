//! Writing the database: a copy of the current file (or a new one) is
//! updated in a temporary file next to it and renamed over it at the end,
//! so readers see the old database or the new one, never half of one, and
//! a failed update leaves the old database as it was.
//!
//! Schema (version in `PRAGMA user_version`):
//! - `sources(ecosystem, url, fetched_at, record_count, sha256, newest_modified)`,
//!   one row per ecosystem export stored;
//! - `advisories(ecosystem, name, id, json)`, one row per (package, record):
//!   a record that affects several packages is stored once for each, under
//!   the package's normalized name, with the record's JSON as downloaded.
//!   Keyed by `(ecosystem, name, id)` in a `WITHOUT ROWID` table, so the
//!   rows are stored in key order: the records of one package sit together
//!   in the file, and a lockfile's lookups read few pages even when the
//!   file is not in the OS cache.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rusqlite::{Connection, params};

use crate::archive::{Limits, Summary, read_export};
use crate::error::DbError;
use crate::fetch::{Fetched, TempPath};

/// The database file inside the database directory.
pub const FILE_NAME: &str = "advisories.sqlite";
/// Bumped when the tables change; an older file is rebuilt by an update.
pub(crate) const SCHEMA_VERSION: i64 = 2;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS sources (
    ecosystem TEXT PRIMARY KEY NOT NULL,
    url TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    record_count INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    newest_modified TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS advisories (
    ecosystem TEXT NOT NULL,
    name TEXT NOT NULL,
    id TEXT NOT NULL,
    json TEXT NOT NULL,
    PRIMARY KEY (ecosystem, name, id)
) WITHOUT ROWID;
";

/// Unique names for temporary files of concurrent updates in one process.
static SEQUENCE: AtomicU64 = AtomicU64::new(0);

/// A name for a temporary file in the database directory that no other
/// update (this process or another) uses.
pub(crate) fn scratch_name(dir: &Path, tag: &str) -> PathBuf {
    let tag: String = tag.chars().filter(char::is_ascii_alphanumeric).take(40).collect();
    let n = SEQUENCE.fetch_add(1, Ordering::Relaxed);
    dir.join(format!(".{FILE_NAME}.{tag}.{}.{n}.tmp", std::process::id()))
}

/// The new database being built.
pub(crate) struct Staging {
    // Declared first: the connection closes before the file is deleted.
    conn: Connection,
    temp: TempPath,
    target: PathBuf,
}

/// What storing one export did.
pub(crate) struct Stored {
    pub(crate) summary: Summary,
    /// Rows written (one per record and package).
    pub(crate) rows: usize,
}

/// The metadata of one export, stored in `sources`.
pub(crate) struct ExportInfo<'a> {
    pub(crate) ecosystem: &'a str,
    pub(crate) url: &'a str,
    pub(crate) fetched_at: &'a str,
}

impl Staging {
    /// Starts from a copy of the database in `dir`, or from an empty one
    /// when there is none or it cannot be used (said through `progress`).
    pub(crate) fn begin(dir: &Path, progress: &mut dyn FnMut(&str)) -> Result<Staging, DbError> {
        std::fs::create_dir_all(dir).map_err(|error| DbError::Io {
            path: dir.to_path_buf(),
            action: "create the database directory",
            error,
        })?;
        let target = dir.join(FILE_NAME);
        let temp = TempPath::new(scratch_name(dir, "new"));
        let write_err = |e: &dyn std::fmt::Display| DbError::Write {
            path: target.clone(),
            reason: e.to_string(),
        };
        if target.is_file() {
            match std::fs::copy(&target, temp.path())
                .map_err(|e| e.to_string())
                .and_then(|_| open_existing(temp.path()))
            {
                Ok(conn) => {
                    return Ok(Staging { conn, temp, target });
                }
                Err(reason) => {
                    progress(&format!(
                        "the existing database {} cannot be reused ({reason}); building a new one",
                        target.display()
                    ));
                    std::fs::remove_file(temp.path())
                        .or_else(|e| {
                            if e.kind() == std::io::ErrorKind::NotFound { Ok(()) } else { Err(e) }
                        })
                        .map_err(|e| write_err(&e))?;
                }
            }
        }
        let conn = Connection::open(temp.path()).map_err(|e| write_err(&e))?;
        tune(&conn).map_err(|e| write_err(&e))?;
        conn.execute_batch(SCHEMA).map_err(|e| write_err(&e))?;
        conn.pragma_update(None, "user_version", SCHEMA_VERSION).map_err(|e| write_err(&e))?;
        Ok(Staging { conn, temp, target })
    }

    /// Replaces the rows of one ecosystem with the records of its export,
    /// in one transaction.
    pub(crate) fn replace(
        &mut self,
        export: &ExportInfo<'_>,
        fetched: &mut Fetched,
    ) -> Result<Stored, DbError> {
        let target = self.target.clone();
        let write_err = move |e: rusqlite::Error| DbError::Write {
            path: target.clone(),
            reason: e.to_string(),
        };
        let tx = self.conn.transaction().map_err(&write_err)?;
        // The export of `Debian` also holds `Debian:11`, ... (see
        // `archive::in_ecosystem`): those rows are replaced too.
        tx.execute(
            "DELETE FROM advisories WHERE ecosystem = ?1 \
             OR substr(ecosystem, 1, length(?1) + 1) = ?1 || ':'",
            [export.ecosystem],
        )
        .map_err(&write_err)?;
        let mut rows = 0usize;
        let summary = {
            let mut insert = tx
                .prepare(
                    "INSERT OR REPLACE INTO advisories (ecosystem, name, id, json) \
                     VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(&write_err)?;
            read_export(
                &mut fetched.file,
                export.url,
                export.ecosystem,
                Limits::DEFAULT,
                &mut |record| {
                    for (ecosystem, name) in record.packages {
                        insert
                            .execute(params![ecosystem, name, record.id, record.json])
                            .map_err(&write_err)?;
                        rows += 1;
                    }
                    Ok(())
                },
            )?
        };
        if summary.records == 0 {
            return Err(DbError::NoRecords {
                url: export.url.to_string(),
                ecosystem: export.ecosystem.to_string(),
                skipped: summary.skipped,
                reasons: summary.reasons,
            });
        }
        tx.execute(
            "INSERT OR REPLACE INTO sources \
             (ecosystem, url, fetched_at, record_count, sha256, newest_modified) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                export.ecosystem,
                export.url,
                export.fetched_at,
                i64::try_from(summary.records).unwrap_or(i64::MAX),
                fetched.sha256,
                summary.newest_modified,
            ],
        )
        .map_err(&write_err)?;
        tx.commit().map_err(&write_err)?;
        Ok(Stored { summary, rows })
    }

    /// Puts the new database in place of the old one.
    pub(crate) fn finish(self) -> Result<PathBuf, DbError> {
        let Staging { conn, temp, target } = self;
        let write_err = |reason: String| DbError::Write { path: target.clone(), reason };
        conn.close().map_err(|(_, e)| write_err(e.to_string()))?;
        // Durable before it becomes the database (the connection ran
        // without syncs: a crash before here leaves only a stray temp file).
        File::open(temp.path()).and_then(|f| f.sync_all()).map_err(|e| write_err(e.to_string()))?;
        std::fs::rename(temp.path(), &target).map_err(|e| {
            write_err(format!("renaming {} over it failed: {e}", temp.path().display()))
        })?;
        temp.keep();
        if let Some(dir) = target.parent() {
            // Best effort: makes the rename itself durable where directories
            // can be synced (not on Windows).
            let _ = File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(target)
    }
}

/// Settings for the file being built: it is thrown away on any failure
/// and synced once at the end, so no journal on disk and no syncs.
fn tune(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "journal_mode", "MEMORY")?;
    conn.pragma_update(None, "synchronous", "OFF")?;
    Ok(())
}

/// Opens the copy of an existing database for writing, if it is ours and
/// of this schema version.
fn open_existing(path: &Path) -> Result<Connection, String> {
    let conn = Connection::open(path).map_err(|e| e.to_string())?;
    let version: i64 =
        conn.query_row("PRAGMA user_version", [], |row| row.get(0)).map_err(|e| e.to_string())?;
    if version != SCHEMA_VERSION {
        return Err(format!("schema version {version}, this faasguard writes {SCHEMA_VERSION}"));
    }
    conn.query_row("SELECT count(*) FROM sources", [], |row| row.get::<_, i64>(0))
        .map_err(|e| e.to_string())?;
    conn.query_row("SELECT count(*) FROM advisories WHERE 0", [], |row| row.get::<_, i64>(0))
        .map_err(|e| e.to_string())?;
    tune(&conn).map_err(|e| e.to_string())?;
    conn.execute_batch(SCHEMA).map_err(|e| e.to_string())?;
    Ok(conn)
}
