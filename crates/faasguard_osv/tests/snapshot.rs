//! The embedded snapshot: loads without a bad entry, and the issue's
//! acceptance matches hold against it.

use faasguard_osv::{
    AdvisorySource, Level, MemoryIndex, SNAPSHOT_NAME, SourceInfo, embedded, vulnerabilities,
};

fn info() -> SourceInfo {
    SourceInfo { name: "check".to_string(), date: String::new(), count: 0, embedded: false }
}

#[test]
fn snapshot_zips_load_without_errors() {
    for (bytes, name, at_least) in [
        (&include_bytes!("../data/snapshot/PyPI.zip")[..], "PyPI.zip", 2000),
        (&include_bytes!("../data/snapshot/npm.zip")[..], "npm.zip", 400),
    ] {
        let (index, load) = MemoryIndex::from_zip(bytes, name, info()).expect("snapshot zip reads");
        assert!(load.errors.is_empty(), "{name}: {:?}", load.errors);
        assert!(load.records >= at_least, "{name}: only {} records", load.records);
        assert_eq!(index.len(), load.records, "{name}: duplicate ids");
    }
}

#[test]
fn snapshot_describes_itself() {
    let info = embedded().info();
    assert_eq!(info.name, SNAPSHOT_NAME);
    assert!(info.embedded);
    assert!(info.count > 2400, "{}", info.count);
    let manifest: serde_json::Value =
        serde_json::from_str(include_str!("../data/snapshot/manifest.json")).expect("manifest");
    // The data's date: the oldest source commit, not the build day.
    let oldest = manifest["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .map(|s| s["commit_date"].as_str().expect("commit_date"))
        .min()
        .expect("a source");
    assert_eq!(info.date, oldest);
    let date = info.date.as_bytes();
    assert!(date.len() == 10 && date[4] == b'-' && date[7] == b'-', "{}", info.date);
}

#[test]
fn pyyaml_3_13_has_cve_2017_18342() {
    for name in ["PyYAML", "pyyaml"] {
        let vulns = vulnerabilities(embedded(), "PyPI", name, "3.13");
        let hit = vulns
            .iter()
            .find(|v| v.id == "PYSEC-2018-49")
            .unwrap_or_else(|| panic!("{name} 3.13: PYSEC-2018-49 missing from {vulns:?}"));
        assert!(hit.aliases.iter().any(|a| a == "CVE-2017-18342"), "{hit:?}");
        assert_eq!(hit.fixed, ["5.1"]);
    }
    // 5.4 is past this fix (and the later ones).
    let later = vulnerabilities(embedded(), "PyPI", "PyYAML", "5.4");
    assert!(
        later
            .iter()
            .all(|v| v.id != "PYSEC-2018-49" && !v.aliases.iter().any(|a| a == "CVE-2017-18342")),
        "{later:?}"
    );
}

#[test]
fn node_serialize_0_0_4_has_cve_2017_5941() {
    let vulns = vulnerabilities(embedded(), "npm", "node-serialize", "0.0.4");
    let hit = vulns
        .iter()
        .find(|v| v.id == "NSWG-ECO-311")
        .unwrap_or_else(|| panic!("NSWG-ECO-311 missing from {vulns:?}"));
    assert!(hit.aliases.iter().any(|a| a == "CVE-2017-5941"), "{hit:?}");
    assert_eq!(hit.score, Some(9.8));
    assert_eq!(hit.level, Level::Critical);
    assert!(hit.fixed.is_empty(), "no fixed version was ever published");
    assert_eq!(hit.summary, "Code Execution through IIFE");
}

#[test]
fn converted_npm_ranges_keep_their_bounds() {
    // NSWG-ECO-1: bassmaster `<=1.5.1`, patched `>=1.5.2`.
    let affected = |v: &str| {
        vulnerabilities(embedded(), "npm", "bassmaster", v).iter().any(|x| x.id == "NSWG-ECO-1")
    };
    assert!(affected("1.5.1"));
    assert!(affected("0.0.1"));
    assert!(!affected("1.5.2"));
    let hit = vulnerabilities(embedded(), "npm", "bassmaster", "1.0.0");
    let hit = hit.iter().find(|x| x.id == "NSWG-ECO-1").expect("matched");
    assert_eq!(hit.last_affected, ["1.5.1"]);
    assert_eq!(hit.aliases, ["CVE-2014-7205"]);
}

#[test]
fn unknown_packages_have_nothing() {
    assert!(vulnerabilities(embedded(), "npm", "no-such-package-faasguard", "1.0.0").is_empty());
    assert!(vulnerabilities(embedded(), "Hackage", "pyyaml", "3.13").is_empty());
}
