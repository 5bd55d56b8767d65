//! The in-memory index: export zips read from bytes (bad entries reported,
//! not fatal), lookups by normalised name, duplicate ids.

use std::io::Write;

use faasguard_osv::{
    AdvisorySource, MAX_ENTRY_BYTES, MemoryIndex, SourceInfo, normalize_name, parse_advisory,
};
use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

fn info() -> SourceInfo {
    SourceInfo {
        name: "test export".to_string(),
        date: "2024-01-01".to_string(),
        count: 0,
        embedded: false,
    }
}

fn record(id: &str, modified: &str, package: &str) -> String {
    format!(
        r#"{{"id": "{id}", "modified": "{modified}", "affected": [
            {{"package": {{"ecosystem": "PyPI", "name": "{package}"}},
              "ranges": [{{"type": "ECOSYSTEM", "events": [{{"introduced": "0"}}, {{"fixed": "2.0"}}]}}]}}
        ]}}"#
    )
}

fn zip_of(entries: &[(&str, &[u8])], method: CompressionMethod) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(method);
    for (name, bytes) in entries {
        if name.ends_with('/') {
            writer.add_directory(*name, options).expect("directory");
        } else {
            writer.start_file(*name, options).expect("entry");
            writer.write_all(bytes).expect("write");
        }
    }
    writer.finish().expect("finish").into_inner()
}

#[test]
fn bad_entries_are_reported_and_the_rest_is_read() {
    let good_a = record("PYSEC-1", "2024-01-01T00:00:00Z", "Good_Pkg");
    let good_b = record("PYSEC-2", "2024-01-01T00:00:00Z", "other");
    let bytes = zip_of(
        &[
            ("PYSEC-1.json", good_a.as_bytes()),
            ("vulns/", b""),
            ("broken.json", b"{\"id\": \"X\", "),
            ("no-id.json", b"{\"affected\": []}"),
            ("empty-id.json", b"{\"id\": \"\"}"),
            ("PYSEC-2.json", good_b.as_bytes()),
        ],
        CompressionMethod::Deflated,
    );
    let (index, load) = MemoryIndex::from_zip(&bytes, "PyPI.zip", info()).expect("readable zip");
    assert_eq!(load.records, 2);
    assert_eq!(load.errors.len(), 3, "{:?}", load.errors);
    for (error, entry) in load.errors.iter().zip(["broken.json", "no-id.json", "empty-id.json"]) {
        assert!(error.starts_with("PyPI.zip: entry `"), "{error}");
        assert!(error.contains(entry), "{error} should name {entry}");
    }
    assert_eq!(index.len(), 2);
    assert_eq!(index.info().count, 2);
    assert_eq!(index.info().name, "test export");
    assert_eq!(index.lookup("PyPI", "good-pkg").len(), 1);
    assert_eq!(index.lookup("PyPI", "GOOD.PKG").len(), 1);
    assert!(index.lookup("npm", "good-pkg").is_empty());
    assert!(index.lookup("PyPI", "goodpkg").is_empty());
}

#[test]
fn an_unreadable_archive_is_an_error_naming_it() {
    let err =
        MemoryIndex::from_zip(b"not a zip at all", "https://example.test/npm/all.zip", info())
            .expect_err("not a zip");
    assert!(err.contains("https://example.test/npm/all.zip"), "{err}");
    assert!(err.contains("download it again"), "{err}");
}

#[test]
fn a_corrupted_entry_fails_its_checksum() {
    let good = record("PYSEC-1", "2024-01-01T00:00:00Z", "pkg");
    let mut bytes = zip_of(&[("PYSEC-1.json", good.as_bytes())], CompressionMethod::Stored);
    // Flip a byte inside the stored JSON (after the 30-byte local header
    // and the 12-byte name): the CRC no longer matches.
    let at = 30 + "PYSEC-1.json".len() + 10;
    bytes[at] ^= 0x20;
    let (index, load) = MemoryIndex::from_zip(&bytes, "x.zip", info()).expect("directory intact");
    assert_eq!(load.records, 0);
    assert_eq!(load.errors.len(), 1, "{:?}", load.errors);
    assert!(index.is_empty());
}

#[test]
fn truncated_archives_never_panic() {
    let entries: Vec<String> = (0..20)
        .map(|i| record(&format!("PYSEC-{i}"), "2024-01-01T00:00:00Z", &format!("pkg{i}")))
        .collect();
    let named: Vec<(String, &[u8])> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (format!("PYSEC-{i}.json"), e.as_bytes()))
        .collect();
    let refs: Vec<(&str, &[u8])> = named.iter().map(|(n, b)| (n.as_str(), *b)).collect();
    let bytes = zip_of(&refs, CompressionMethod::Deflated);
    for cut in (0..bytes.len()).step_by(37) {
        let _ = MemoryIndex::from_zip(&bytes[..cut], "cut.zip", info());
    }
    let mut damaged = bytes.clone();
    for i in (0..damaged.len()).step_by(53) {
        damaged[i] = damaged[i].wrapping_add(1);
        let _ = MemoryIndex::from_zip(&damaged, "damaged.zip", info());
    }
}

#[test]
fn an_entry_over_the_size_limit_is_skipped() {
    let len = usize::try_from(MAX_ENTRY_BYTES).expect("fits") + 1024;
    let mut huge = Vec::with_capacity(len);
    huge.extend_from_slice(b"{\"id\": \"BIG\", \"details\": \"");
    huge.resize(len - 2, b'a');
    huge.extend_from_slice(b"\"}");
    let good = record("PYSEC-1", "2024-01-01T00:00:00Z", "pkg");
    let bytes = zip_of(
        &[("BIG.json", &huge), ("PYSEC-1.json", good.as_bytes())],
        CompressionMethod::Deflated,
    );
    let (index, load) = MemoryIndex::from_zip(&bytes, "big.zip", info()).expect("readable");
    assert_eq!(load.records, 1);
    assert_eq!(load.errors.len(), 1);
    assert!(load.errors[0].contains("BIG.json"), "{}", load.errors[0]);
    assert!(index.get("BIG").is_none());
}

#[test]
fn a_newer_record_with_the_same_id_replaces_the_older() {
    let mut index = MemoryIndex::new(info());
    let old = parse_advisory(record("PYSEC-1", "2024-01-01T00:00:00Z", "old-name").as_bytes())
        .expect("old");
    let new = parse_advisory(record("PYSEC-1", "2024-06-01T00:00:00Z", "new-name").as_bytes())
        .expect("new");
    index.insert(old.clone());
    index.insert(new.clone());
    assert_eq!(index.len(), 1);
    assert!(index.lookup("PyPI", "old-name").is_empty());
    assert_eq!(index.lookup("PyPI", "new-name").len(), 1);
    // An older copy arriving later does not win.
    index.insert(old);
    assert!(index.lookup("PyPI", "old-name").is_empty());
    assert_eq!(index.get("PYSEC-1").map(|a| a.modified.clone()), Some(new.modified));
}

#[test]
fn a_record_naming_a_package_twice_is_listed_once() {
    let json = br#"{"id": "GHSA-twice", "affected": [
        {"package": {"ecosystem": "PyPI", "name": "Twice"}, "versions": ["1.0"]},
        {"package": {"ecosystem": "PyPI", "name": "twice"}, "versions": ["2.0"]},
        {"package": {"ecosystem": "npm", "name": "twice"}, "versions": ["2.0.0"]},
        {"versions": ["3.0"]}
    ]}"#;
    let mut index = MemoryIndex::new(info());
    index.insert(parse_advisory(json).expect("parses"));
    assert_eq!(index.lookup("PyPI", "twice").len(), 1);
    assert_eq!(index.lookup("npm", "twice").len(), 1);
    assert!(index.lookup("npm", "Twice").is_empty(), "npm names are exact");
}

#[test]
fn pep503_normalisation() {
    for (raw, want) in [
        ("PyYAML", "pyyaml"),
        ("Django_REST.framework", "django-rest-framework"),
        ("a--_..b", "a-b"),
        ("already-normal", "already-normal"),
        ("Ünïcode_Name", "ünïcode-name"),
    ] {
        assert_eq!(normalize_name("PyPI", raw), want, "{raw}");
    }
    assert_eq!(normalize_name("npm", "JSONStream"), "JSONStream");
}

#[test]
fn records_that_are_not_osv_are_refused() {
    for (bytes, why) in [
        (&b""[..], "empty"),
        (b"[]", "array"),
        (b"{\"id\": 5}", "numeric id"),
        (b"{\"id\": \"X\", \"affected\": {}}", "affected not a list"),
        (
            b"{\"id\": \"X\", \"affected\": [{\"ranges\": [{\"events\": []}]}]}",
            "range without type",
        ),
        (b"{\"id\": \"\"}", "empty id"),
    ] {
        assert!(parse_advisory(bytes).is_err(), "{why} should be refused");
    }
    // Unknown fields and ecosystems are fine.
    let ok = br#"{"id": "X", "new_field": 1, "affected": [
        {"package": {"ecosystem": "Brand-New:1", "name": "p"}, "ranges": [{"type": "NEW", "events": [{"introduced": "0"}]}]}
    ]}"#;
    assert!(parse_advisory(ok).is_ok());
}
