//! `update` against a local HTTP/1.1 server (`faasguard_testkit`) serving export zips built here with the `zip`
//! writer, then lookups through the database with the server gone.

use std::net::TcpListener;
use std::path::Path;

use faasguard_advisory_db::{Database, DbError, FILE_NAME, UpdateReport, update};
use faasguard_osv::AdvisorySource;
use faasguard_testkit::{Server, zip_of, zip_with};

// -------------------------------------------------------------- fixtures

fn record(id: &str, modified: &str, packages: &[(&str, &str)]) -> String {
    let affected: Vec<serde_json::Value> = packages
        .iter()
        .map(|(ecosystem, name)| {
            serde_json::json!({
                "package": {"ecosystem": ecosystem, "name": name},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "9.9"}]}]
            })
        })
        .collect();
    serde_json::json!({
        "schema_version": "1.6.0",
        "id": id,
        "modified": modified,
        "aliases": [format!("CVE-2024-{}", id.len())],
        "summary": format!("summary of {id}"),
        "affected": affected,
    })
    .to_string()
}

/// A PyPI export: two good records (one withdrawn), a spelling of the
/// package name that only PEP 503 normalization matches, and three bad
/// entries.
fn pypi_export() -> Vec<u8> {
    let withdrawn = {
        let mut v: serde_json::Value = serde_json::from_str(&record(
            "PYSEC-2020-2",
            "2021-01-01T00:00:00Z",
            &[("PyPI", "Some_Lib")],
        ))
        .expect("json");
        v["withdrawn"] = serde_json::json!("2021-02-02T00:00:00Z");
        v.to_string()
    };
    zip_of(&[
        (
            "PYSEC-2018-49.json",
            &record("PYSEC-2018-49", "2023-05-01T10:00:00Z", &[("PyPI", "PyYAML")]),
        ),
        ("PYSEC-2020-2.json", &withdrawn),
        ("broken.json", "{\"id\": \"X\", \"affected\": [ oops"),
        ("no-id.json", "{\"id\": \"\"}"),
        ("GHSA-maven.json", &record("GHSA-mmmm", "2024-01-01T00:00:00Z", &[("Maven", "org.x:y")])),
    ])
}

fn npm_export() -> Vec<u8> {
    zip_of(&[
        (
            "GHSA-two.json",
            // Two packages of npm (found under both) and one of PyPI (not
            // stored from the npm export), and left-pad listed twice.
            &record(
                "GHSA-two",
                "2024-03-03T00:00:00Z",
                &[("npm", "left-pad"), ("npm", "right-pad"), ("npm", "left-pad"), ("PyPI", "pad")],
            ),
        ),
        ("MAL-2024-1.json", &record("MAL-2024-1", "2024-02-02T00:00:00Z", &[("npm", "@evil/Pkg")])),
    ])
}

fn run(
    dir: &Path,
    source: &str,
    ecosystems: &[&str],
) -> (Result<UpdateReport, DbError>, Vec<String>) {
    let mut lines = Vec::new();
    let result = update(dir, source, ecosystems, &mut |line| lines.push(line.to_string()));
    (result, lines)
}

fn open(dir: &Path) -> Database {
    Database::open(dir).expect("database opens").expect("database exists")
}

fn ids(db: &Database, ecosystem: &str, name: &str) -> Vec<String> {
    db.lookup(ecosystem, name).iter().map(|a| a.id.clone()).collect()
}

/// The files in `dir`: no temporary file may outlive an update.
fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

// ----------------------------------------------------------------- tests

#[test]
fn update_then_offline_lookup() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("db");
    let export = pypi_export();
    let before = faasguard_advisory_db::utc_now();
    let report = {
        let server = Server::start();
        server.serve("/PyPI/all.zip", 200, export.clone());
        let (result, lines) = run(&dir, &server.url(), &["PyPI"]);
        let report = result.expect("update succeeds");
        assert_eq!(server.requests(), 1);
        assert!(lines.iter().any(|l| l.contains("downloading")), "{lines:?}");
        assert_eq!(report.ecosystems[0].url, format!("{}/PyPI/all.zip", server.url()));
        report
        // The server stops here: everything below is offline.
    };
    let after = faasguard_advisory_db::utc_now();
    assert_eq!(report.path, dir.join(FILE_NAME));
    let eco = &report.ecosystems[0];
    assert_eq!(eco.ecosystem, "PyPI");
    assert_eq!(eco.records, 2);
    assert_eq!(eco.rows, 2);
    assert_eq!(eco.bytes, export.len() as u64);
    assert_eq!(eco.sha256.len(), 64);
    assert_eq!(eco.newest_modified, "2023-05-01T10:00:00Z");
    assert_eq!(eco.skipped, 3, "{:?}", eco.skipped_reasons);
    let reasons = eco.skipped_reasons.join("\n");
    assert!(reasons.contains("`broken.json`: not an OSV record"), "{reasons}");
    assert!(reasons.contains("`no-id.json`"), "{reasons}");
    assert!(reasons.contains("`GHSA-mmmm` names no `PyPI` package"), "{reasons}");
    assert_eq!(files(&dir), vec![FILE_NAME.to_string()]);

    let db = open(&dir);
    // PEP 503: every spelling finds the record stored under `pyyaml`.
    for spelling in ["PyYAML", "pyyaml", "PYYAML", "py_yaml", "Py.YAML"] {
        let expected: &[&str] =
            if spelling.contains(['_', '.']) { &[] } else { &["PYSEC-2018-49"] };
        assert_eq!(ids(&db, "PyPI", spelling), expected, "{spelling}");
    }
    assert_eq!(ids(&db, "PyPI", "some-lib"), ["PYSEC-2020-2"]);
    assert_eq!(ids(&db, "PyPI", "SOME.lib"), ["PYSEC-2020-2"]);
    // The name is only normalized for PyPI; other ecosystems hold nothing.
    assert!(ids(&db, "npm", "PyYAML").is_empty());
    assert!(ids(&db, "PyPI", "requests").is_empty());
    let found = db.lookup("PyPI", "pyyaml");
    assert_eq!(found[0].summary.as_deref(), Some("summary of PYSEC-2018-49"));
    assert_eq!(found[0].affected[0].ranges[0].events.len(), 2);
    assert!(db.take_error().is_none());

    let status = db.status();
    assert_eq!(status.len(), 1);
    assert_eq!(status[0].ecosystem, "PyPI");
    assert_eq!(status[0].url, eco.url);
    assert_eq!(status[0].count, 2);
    assert_eq!(status[0].sha256, eco.sha256);
    assert_eq!(status[0].fetched_at, eco.fetched_at);
    assert_eq!(status[0].newest_modified, "2023-05-01T10:00:00Z");
    let fetched = &status[0].fetched_at;
    assert_eq!(fetched.len(), 20, "{fetched}");
    assert!(fetched.ends_with('Z') && fetched.as_bytes()[10] == b'T', "{fetched}");
    assert!(before.as_str() <= fetched.as_str() && fetched.as_str() <= after.as_str());
    assert_eq!(db.age_days(fetched), Some(0));
    assert_eq!(db.age_days("not a date"), None);

    let info = db.info();
    assert!(!info.embedded);
    assert!(info.name.starts_with("http://127.0.0.1:"), "{}", info.name);
    assert!(!info.name.contains("all.zip"), "{}", info.name);
    assert_eq!(info.date, fetched[..10]);
    assert_eq!(info.count, 2);
}

#[test]
fn withdrawn_records_are_stored() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = Server::start();
    server.serve("/PyPI/all.zip", 200, pypi_export());
    run(tmp.path(), &server.url(), &["PyPI"]).0.expect("update");
    let db = open(tmp.path());
    let found = db.lookup("PyPI", "some_lib");
    assert_eq!(found.len(), 1);
    // Filtering withdrawn records is the matcher's job, not storage's.
    assert_eq!(found[0].withdrawn.as_deref(), Some("2021-02-02T00:00:00Z"));
}

#[test]
fn a_record_is_found_under_each_package_it_affects() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = Server::start();
    server.serve("/npm/all.zip", 200, npm_export());
    let report = run(tmp.path(), &server.url(), &["npm"]).0.expect("update");
    assert_eq!(report.ecosystems[0].records, 2);
    // left-pad (once, though listed twice), right-pad, @evil/Pkg.
    assert_eq!(report.ecosystems[0].rows, 3);
    let db = open(tmp.path());
    assert_eq!(ids(&db, "npm", "left-pad"), ["GHSA-two"]);
    assert_eq!(ids(&db, "npm", "right-pad"), ["GHSA-two"]);
    // npm names are compared as written.
    assert_eq!(ids(&db, "npm", "@evil/Pkg"), ["MAL-2024-1"]);
    assert!(ids(&db, "npm", "@evil/pkg").is_empty());
    // The PyPI package of that record comes from the PyPI export only.
    assert!(ids(&db, "PyPI", "pad").is_empty());
}

#[test]
fn updating_one_ecosystem_keeps_the_others() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = Server::start();
    server.serve("/PyPI/all.zip", 200, pypi_export());
    server.serve("/npm/all.zip", 200, npm_export());
    run(tmp.path(), &server.url(), &["PyPI"]).0.expect("PyPI update");
    let (result, _) = run(tmp.path(), &server.url(), &["npm"]);
    let report = result.expect("npm update");
    assert_eq!(report.ecosystems.len(), 1);

    let db = open(tmp.path());
    assert_eq!(ids(&db, "PyPI", "pyyaml"), ["PYSEC-2018-49"]);
    assert_eq!(ids(&db, "npm", "left-pad"), ["GHSA-two"]);
    let ecosystems: Vec<String> = db.status().into_iter().map(|s| s.ecosystem).collect();
    assert_eq!(ecosystems, ["PyPI", "npm"]);
    assert_eq!(db.info().count, 4);
    drop(db);

    // A new PyPI export replaces PyPI's rows (PYSEC-2018-49 is gone from
    // it) and leaves npm's alone.
    server.serve(
        "/PyPI/all.zip",
        200,
        zip_of(&[(
            "PYSEC-2024-9.json",
            &record("PYSEC-2024-9", "2024-09-09T00:00:00Z", &[("PyPI", "jinja2")]),
        )]),
    );
    run(tmp.path(), &server.url(), &["PyPI"]).0.expect("second PyPI update");
    let db = open(tmp.path());
    assert!(ids(&db, "PyPI", "pyyaml").is_empty());
    assert_eq!(ids(&db, "PyPI", "Jinja2"), ["PYSEC-2024-9"]);
    assert_eq!(ids(&db, "npm", "right-pad"), ["GHSA-two"]);
    let status = db.status();
    assert_eq!(status[0].count, 1);
    assert_eq!(status[0].newest_modified, "2024-09-09T00:00:00Z");
    assert_eq!(files(tmp.path()), vec![FILE_NAME.to_string()]);
}

#[test]
fn several_ecosystems_in_one_update() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = Server::start();
    server.serve("/PyPI/all.zip", 200, pypi_export());
    server.serve("/npm/all.zip", 200, npm_export());
    let source = format!("{}/", server.url());
    let report = run(tmp.path(), &source, &["npm", "PyPI", "npm"]).0.expect("update");
    let names: Vec<&str> = report.ecosystems.iter().map(|e| e.ecosystem.as_str()).collect();
    assert_eq!(names, ["npm", "PyPI"]);
    assert_eq!(server.requests(), 2);
    let db = open(tmp.path());
    assert_eq!(db.info().name, server.url());
}

/// Bytes of the database file, and a lookup, before and after a failed
/// update must be the same.
fn assert_untouched(dir: &Path, bytes: &[u8]) {
    assert_eq!(std::fs::read(dir.join(FILE_NAME)).expect("db file"), bytes);
    assert_eq!(files(dir), vec![FILE_NAME.to_string()]);
    let db = open(dir);
    assert_eq!(ids(&db, "PyPI", "pyyaml"), ["PYSEC-2018-49"]);
}

#[test]
fn a_corrupt_export_fails_and_keeps_the_old_database() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = Server::start();
    server.serve("/PyPI/all.zip", 200, pypi_export());
    run(tmp.path(), &server.url(), &["PyPI"]).0.expect("first update");
    let good = std::fs::read(tmp.path().join(FILE_NAME)).expect("db file");

    // A stored entry with one byte changed: the archive reads, the CRC fails.
    let text = record("PYSEC-2099-1", "2024-01-01T00:00:00Z", &[("PyPI", "PyYAML")]);
    let mut damaged = zip_with(&[("PYSEC-2099-1.json", &text)], zip::CompressionMethod::Stored);
    let at =
        damaged.windows(10).position(|w| w == b"summary of").expect("entry data is stored as is");
    damaged[at] = b'S';
    // Not a zip at all; and a zip cut in half (no central directory).
    let whole = pypi_export();
    let truncated = whole[..whole.len() / 2].to_vec();
    let url = format!("{}/PyPI/all.zip", server.url());
    for (what, body, expect) in [
        ("bad CRC", damaged, "checksum"),
        ("garbage", b"<html>maintenance</html>".to_vec(), "not a readable zip"),
        ("truncated", truncated, "not a readable zip"),
    ] {
        server.serve("/PyPI/all.zip", 200, body);
        let (result, _) = run(tmp.path(), &server.url(), &["PyPI"]);
        let error = result.expect_err(what);
        assert!(matches!(error, DbError::BadArchive { .. }), "{what}: {error:?}");
        let message = error.to_string();
        assert!(message.contains(&url), "{what}: {message}");
        assert!(message.contains(expect), "{what}: {message}");
        assert!(message.contains("left unchanged"), "{what}: {message}");
        assert_untouched(tmp.path(), &good);
    }
}

#[test]
fn an_export_without_records_fails_and_keeps_the_old_database() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = Server::start();
    server.serve("/PyPI/all.zip", 200, pypi_export());
    server.serve("/npm/all.zip", 200, zip_of(&[("junk.json", "[1, 2]")]));
    run(tmp.path(), &server.url(), &["PyPI"]).0.expect("first update");
    let good = std::fs::read(tmp.path().join(FILE_NAME)).expect("db file");
    let error = run(tmp.path(), &server.url(), &["npm"]).0.expect_err("no records");
    let message = error.to_string();
    assert!(matches!(error, DbError::NoRecords { skipped: 1, .. }), "{error:?}");
    assert!(message.contains("/npm/all.zip") && message.contains("`junk.json`"), "{message}");
    assert_untouched(tmp.path(), &good);

    // All or nothing: PyPI succeeding does not keep npm's failure from
    // leaving the database as it was.
    server.serve(
        "/PyPI/all.zip",
        200,
        zip_of(&[(
            "PYSEC-1.json",
            &record("PYSEC-1", "2024-01-01T00:00:00Z", &[("PyPI", "other")]),
        )]),
    );
    run(tmp.path(), &server.url(), &["PyPI", "npm"]).0.expect_err("npm fails");
    assert_untouched(tmp.path(), &good);
}

#[test]
fn not_found_names_the_url() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("db");
    let server = Server::start();
    let (result, _) = run(&dir, &server.url(), &["NoSuchEcosystem"]);
    let error = result.expect_err("404");
    assert!(matches!(error, DbError::HttpStatus { status: 404, .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains(&format!("{}/NoSuchEcosystem/all.zip", server.url())), "{message}");
    assert!(message.contains("404"), "{message}");
    assert!(Database::open(&dir).expect("open").is_none());
    assert!(files(&dir).is_empty(), "{:?}", files(&dir));
}

#[test]
fn server_errors_and_unreachable_hosts_are_reported() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = Server::start();
    server.serve("/PyPI/all.zip", 500, b"oops".to_vec());
    let error = run(tmp.path(), &server.url(), &["PyPI"]).0.expect_err("500");
    assert!(matches!(error, DbError::HttpStatus { status: 500, .. }), "{error:?}");

    // A port nothing listens on (bound, then closed).
    let port =
        TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port();
    let source = format!("http://127.0.0.1:{port}");
    let error = run(tmp.path(), &source, &["PyPI"]).0.expect_err("refused");
    assert!(matches!(error, DbError::Download { .. }), "{error:?}");
    assert!(error.to_string().contains(&source), "{error}");
}

#[test]
fn file_sources_are_read_from_disk() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mirror = tmp.path().join("osv mirror");
    std::fs::create_dir_all(mirror.join("npm")).expect("mkdir");
    let export = npm_export();
    std::fs::write(mirror.join("npm").join("all.zip"), &export).expect("write export");
    let dir = tmp.path().join("db");
    let source = format!("file://{}", mirror.display()).replace(' ', "%20");
    let report = run(&dir, &source, &["npm"]).0.expect("update from file://");
    assert_eq!(report.ecosystems[0].bytes, export.len() as u64);
    assert_eq!(report.ecosystems[0].url, format!("{source}/npm/all.zip"));
    let db = open(&dir);
    assert_eq!(ids(&db, "npm", "left-pad"), ["GHSA-two"]);
    assert_eq!(db.info().name, source);
    // The mirror is read in place, never modified.
    assert_eq!(std::fs::read(mirror.join("npm").join("all.zip")).expect("read"), export);

    let error = run(&dir, &source, &["PyPI"]).0.expect_err("missing file");
    assert!(matches!(error, DbError::Mirror { .. }), "{error:?}");
    assert!(error.to_string().contains("PyPI/all.zip"), "{error}");
}

#[test]
fn oversized_entries_are_skipped() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // Valid JSON (whitespace is), 51 MiB uncompressed, a few KB compressed:
    // refused for its size, not for its content.
    let huge = format!(
        "{}{}",
        record("PYSEC-HUGE", "2024-01-01T00:00:00Z", &[("PyPI", "huge")]),
        " ".repeat(51 * 1024 * 1024)
    );
    let export = zip_of(&[
        ("PYSEC-HUGE.json", &huge),
        (
            "PYSEC-2018-49.json",
            &record("PYSEC-2018-49", "2023-05-01T10:00:00Z", &[("PyPI", "PyYAML")]),
        ),
    ]);
    assert!(export.len() < 1024 * 1024);
    let server = Server::start();
    server.serve("/PyPI/all.zip", 200, export);
    let report = run(tmp.path(), &server.url(), &["PyPI"]).0.expect("update");
    let eco = &report.ecosystems[0];
    assert_eq!((eco.records, eco.skipped), (1, 1));
    assert!(eco.skipped_reasons[0].contains("`PYSEC-HUGE.json`"), "{:?}", eco.skipped_reasons);
    assert!(eco.skipped_reasons[0].contains("accepted per record"), "{:?}", eco.skipped_reasons);
    let db = open(tmp.path());
    assert!(ids(&db, "PyPI", "huge").is_empty());
    assert_eq!(ids(&db, "PyPI", "pyyaml"), ["PYSEC-2018-49"]);
}

#[test]
fn a_damaged_database_is_reported_and_rebuilt() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join(FILE_NAME);
    std::fs::write(&path, b"this is not SQLite, it is a text file of some length").expect("write");
    let error = Database::open(tmp.path()).expect_err("not a database");
    let message = error.to_string();
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains("faasguard db update"), "{message}");

    let server = Server::start();
    server.serve("/PyPI/all.zip", 200, pypi_export());
    let (result, lines) = run(tmp.path(), &server.url(), &["PyPI"]);
    result.expect("update over a damaged file");
    assert!(lines.iter().any(|l| l.contains("cannot be reused")), "{lines:?}");
    assert_eq!(ids(&open(tmp.path()), "PyPI", "pyyaml"), ["PYSEC-2018-49"]);
}

#[test]
fn age_and_date_come_from_the_oldest_fetch() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = Server::start();
    server.serve("/PyPI/all.zip", 200, pypi_export());
    server.serve("/npm/all.zip", 200, npm_export());
    run(tmp.path(), &server.url(), &["PyPI", "npm"]).0.expect("update");
    // Dates set by hand to know the answer.
    let conn = rusqlite::Connection::open(tmp.path().join(FILE_NAME)).expect("sqlite");
    conn.execute_batch(
        "UPDATE sources SET fetched_at = '2024-01-01T08:00:00Z' WHERE ecosystem = 'PyPI';
         UPDATE sources SET fetched_at = '2024-02-20T08:00:00Z' WHERE ecosystem = 'npm';",
    )
    .expect("set dates");
    drop(conn);
    let db = open(tmp.path());
    assert_eq!(db.info().date, "2024-01-01");
    assert_eq!(db.age_days("2024-02-10"), Some(40));
    assert_eq!(db.age_days("2024-03-01T00:00:00Z"), Some(60));
    assert_eq!(db.age_days("2024-02-30"), None);
}

#[test]
fn bad_arguments_are_refused_before_anything_is_written() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("db");
    for (source, ecosystems) in [
        ("ftp://mirror.example", &["PyPI"][..]),
        ("osv.example", &["PyPI"][..]),
        ("file://relative/path", &["PyPI"][..]),
        (faasguard_advisory_db::DEFAULT_SOURCE, &["../etc"][..]),
        (faasguard_advisory_db::DEFAULT_SOURCE, &[][..]),
    ] {
        let error = run(&dir, source, ecosystems).0.expect_err(source);
        assert!(
            matches!(
                error,
                DbError::BadSource { .. } | DbError::BadEcosystem { .. } | DbError::NoEcosystems
            ),
            "{source}: {error:?}"
        );
        assert!(!dir.exists(), "{source}");
    }
}

#[test]
fn missing_database_is_none() {
    let tmp = tempfile::tempdir().expect("tempdir");
    assert!(Database::open(tmp.path()).expect("open").is_none());
    assert!(Database::open(&tmp.path().join("absent")).expect("open").is_none());
}
