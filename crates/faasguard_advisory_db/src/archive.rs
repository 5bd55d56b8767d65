//! Reading and verifying one OSV export zip: every entry is decompressed
//! (so every CRC is checked), parsed with `faasguard_osv::parse_advisory`,
//! and checked to name a package of the ecosystem asked for.
//!
//! A damaged archive (unreadable directory, bad CRC, broken deflate
//! stream) fails the whole update: it was corrupted on the way, and half
//! of it is not a database. A single entry that is not a usable record is
//! skipped and counted, with the first few reasons kept for the report,
//! because OSV exports do occasionally carry an odd record.
//!
//! Bounded against zip bombs: entries per archive, bytes per entry and
//! bytes in total are capped, measured on the decompressed data actually
//! read, not only on the sizes the archive declares.

use std::io::{Read, Seek};

use faasguard_osv::{Advisory, normalize_name};

use crate::error::DbError;

/// The zip-bomb caps of one export.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Largest single record.
    pub(crate) entry: u64,
    /// Largest total of decompressed data.
    pub(crate) total: u64,
    /// Most entries.
    pub(crate) entries: usize,
}

impl Limits {
    /// Real OSV records are kilobytes (kernel advisories with long version
    /// lists stay under a few MB); today's npm export, malicious-package
    /// entries included, is a few hundred thousand entries and around a
    /// gigabyte decompressed.
    pub(crate) const DEFAULT: Limits =
        Limits { entry: 50 * 1024 * 1024, total: 8 * 1024 * 1024 * 1024, entries: 4_000_000 };
}
/// Reasons kept for the report; the rest are only counted.
pub(crate) const KEPT_REASONS: usize = 10;

/// One verified record.
pub(crate) struct Record<'a> {
    pub(crate) id: &'a str,
    /// The entry as downloaded (stored as is, parsed again on lookup).
    pub(crate) json: &'a str,
    /// `(ecosystem, normalized name)` of each distinct package of the
    /// requested ecosystem it affects.
    pub(crate) packages: &'a [(String, String)],
}

/// What reading an export found besides the records.
#[derive(Debug, Default)]
pub(crate) struct Summary {
    /// Good records (entries), duplicates of an id counted once.
    pub(crate) records: usize,
    pub(crate) skipped: usize,
    /// `` `entry name`: reason `` for the first [`KEPT_REASONS`] skips.
    pub(crate) reasons: Vec<String>,
    /// The latest `modified` of the good records (RFC 3339 strings order
    /// by time when written the same way, as OSV writes them).
    pub(crate) newest_modified: String,
}

impl Summary {
    fn skip(&mut self, entry: &str, reason: &str) {
        self.skipped += 1;
        if self.reasons.len() < KEPT_REASONS {
            self.reasons.push(format!("`{}`: {reason}", shown(entry)));
        }
    }
}

/// An entry name fit for a message: bounded, no control characters.
fn shown(name: &str) -> String {
    let mut out: String =
        name.chars().take(120).map(|c| if c.is_control() { '?' } else { c }).collect();
    if name.chars().count() > 120 {
        out.push('…');
    }
    out
}

/// Whether a package's ecosystem belongs to the export of `wanted`: the
/// same name, or a variant of it (`Debian:11` in the `Debian` export).
pub(crate) fn in_ecosystem(ecosystem: &str, wanted: &str) -> bool {
    ecosystem == wanted || ecosystem.strip_prefix(wanted).is_some_and(|rest| rest.starts_with(':'))
}

/// Reads every entry of the export at `reader` and hands each good record
/// of `ecosystem` to `sink`.
pub(crate) fn read_export<R: Read + Seek>(
    reader: R,
    url: &str,
    ecosystem: &str,
    limits: Limits,
    sink: &mut dyn FnMut(Record<'_>) -> Result<(), DbError>,
) -> Result<Summary, DbError> {
    let corrupt = |reason: String| DbError::BadArchive { url: url.to_string(), reason };
    let mut archive = zip::ZipArchive::new(reader)
        .map_err(|e| corrupt(format!("not a readable zip archive ({e})")))?;
    if archive.len() > limits.entries {
        return Err(corrupt(format!(
            "{} entries, more than the {} accepted",
            archive.len(),
            limits.entries
        )));
    }
    let mut summary = Summary::default();
    let mut ids = std::collections::HashSet::new();
    let mut total: u64 = 0;
    let mut buf: Vec<u8> = Vec::new();
    let mut packages: Vec<(String, String)> = Vec::new();
    for index in 0..archive.len() {
        // Taken before `by_index` borrows the archive, for its errors.
        let listed = archive
            .name_for_index(index)
            .and_then(Result::ok)
            .map(|n| n.into_owned())
            .unwrap_or_else(|| format!("entry #{index}"));
        let mut entry = match archive.by_index(index) {
            Ok(entry) => entry,
            Err(
                e @ (zip::result::ZipError::UnsupportedArchive(_)
                | zip::result::ZipError::CompressionMethodNotSupported(_)
                | zip::result::ZipError::InvalidPassword),
            ) => {
                summary.skip(&listed, &format!("cannot be decompressed ({e})"));
                continue;
            }
            Err(e) => return Err(corrupt(format!("entry `{}`: {e}", shown(&listed)))),
        };
        if entry.is_dir() {
            continue;
        }
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        if entry.size() > limits.entry {
            summary.skip(
                &name,
                &format!(
                    "{} bytes uncompressed, more than the {} accepted per record",
                    entry.size(),
                    limits.entry
                ),
            );
            continue;
        }
        buf.clear();
        (&mut entry)
            .take(limits.entry.saturating_add(1))
            .read_to_end(&mut buf)
            .map_err(|e| corrupt(format!("entry `{}`: {e}", shown(&name))))?;
        total = total.saturating_add(buf.len() as u64);
        if total > limits.total {
            return Err(corrupt(format!(
                "it expands to more than {} bytes (a zip bomb?)",
                limits.total
            )));
        }
        if buf.len() as u64 > limits.entry {
            summary
                .skip(&name, &format!("more than the {} bytes accepted per record", limits.entry));
            continue;
        }
        let Ok(json) = std::str::from_utf8(&buf) else {
            summary.skip(&name, "not UTF-8 text");
            continue;
        };
        let advisory = match faasguard_osv::parse_advisory(json.as_bytes()) {
            Ok(advisory) => advisory,
            Err(e) => {
                summary.skip(&name, &format!("not an OSV record ({e})"));
                continue;
            }
        };
        packages_of(&advisory, ecosystem, &mut packages);
        if packages.is_empty() {
            summary
                .skip(&name, &format!("`{}` names no `{ecosystem}` package", shown(&advisory.id)));
            continue;
        }
        if ids.insert(advisory.id.clone()) {
            summary.records += 1;
        }
        if advisory.modified > summary.newest_modified {
            summary.newest_modified.clone_from(&advisory.modified);
        }
        sink(Record { id: &advisory.id, json, packages: &packages })?;
    }
    Ok(summary)
}

/// The distinct `(ecosystem, normalized name)` pairs of `advisory` in the
/// export of `wanted`.
fn packages_of(advisory: &Advisory, wanted: &str, out: &mut Vec<(String, String)>) {
    out.clear();
    for affected in &advisory.affected {
        let Some(package) = &affected.package else {
            continue;
        };
        if !in_ecosystem(&package.ecosystem, wanted) {
            continue;
        }
        // The rule `MemoryIndex` keys the embedded snapshot by, so a package
        // is found under the same name in either advisory source.
        let name = normalize_name(&package.ecosystem, &package.name).into_owned();
        if name.trim().is_empty() {
            continue;
        }
        if !out.iter().any(|(e, n)| *e == package.ecosystem && *n == name) {
            out.push((package.ecosystem.clone(), name));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    fn export(entries: &[(&str, String)]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, body) in entries {
            writer.start_file(*name, options).expect("entry");
            writer.write_all(body.as_bytes()).expect("write");
        }
        writer.finish().expect("zip").into_inner()
    }

    fn record(id: &str, padding: usize) -> String {
        format!(
            r#"{{"id":"{id}","affected":[{{"package":{{"ecosystem":"npm","name":"p"}}}}]}}{}"#,
            " ".repeat(padding)
        )
    }

    fn read(bytes: Vec<u8>, limits: Limits) -> Result<(Summary, Vec<String>), DbError> {
        let mut ids = Vec::new();
        let summary = read_export(Cursor::new(bytes), "u", "npm", limits, &mut |r| {
            ids.push(r.id.to_string());
            Ok(())
        })?;
        Ok((summary, ids))
    }

    const SMALL: Limits = Limits { entry: 1000, total: 5000, entries: 10 };

    #[test]
    fn caps_per_entry_are_skips() {
        let bytes = export(&[("a.json", record("A", 0)), ("b.json", record("B", 2000))]);
        let (summary, ids) = read(bytes, SMALL).expect("read");
        assert_eq!(ids, ["A"]);
        assert_eq!(summary.skipped, 1);
        assert!(summary.reasons[0].starts_with("`b.json`: "), "{:?}", summary.reasons);
    }

    #[test]
    fn caps_per_archive_are_errors() {
        let many: Vec<(String, String)> =
            (0..8).map(|i| (format!("{i}.json"), record(&i.to_string(), 900))).collect();
        let many: Vec<(&str, String)> = many.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
        let error = read(export(&many), SMALL).err().map(|e| e.to_string());
        assert!(error.as_deref().is_some_and(|e| e.contains("zip bomb")), "{error:?}");

        let tiny: Vec<(String, String)> =
            (0..11).map(|i| (format!("{i}.json"), record(&i.to_string(), 0))).collect();
        let tiny: Vec<(&str, String)> = tiny.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
        let error = read(export(&tiny), SMALL).err().map(|e| e.to_string());
        assert!(error.as_deref().is_some_and(|e| e.contains("11 entries")), "{error:?}");
    }

    #[test]
    fn reasons_are_bounded() {
        let bad: Vec<(String, String)> =
            (0..30).map(|i| (format!("bad{i}\n.json"), "nope".to_string())).collect();
        let mut entries: Vec<(&str, String)> =
            bad.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
        entries.push(("ok.json", record("OK", 0)));
        let (summary, ids) = read(export(&entries), Limits::DEFAULT).expect("read");
        assert_eq!(ids, ["OK"]);
        assert_eq!(summary.skipped, 30);
        assert_eq!(summary.reasons.len(), KEPT_REASONS);
    }

    #[test]
    fn ecosystem_variants() {
        assert!(in_ecosystem("PyPI", "PyPI"));
        assert!(in_ecosystem("Debian:11", "Debian"));
        assert!(!in_ecosystem("DebianX", "Debian"));
        assert!(!in_ecosystem("pypi", "PyPI"));
        assert!(!in_ecosystem("npm", "PyPI"));
    }
}
