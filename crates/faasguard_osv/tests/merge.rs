//! One vulnerability per group of records sharing ids or aliases, with the
//! severity, fixes and references of all of them.

use faasguard_osv::{
    AdvisorySource, Level, MemoryIndex, SourceInfo, base_score, parse_advisory, rate,
    vulnerabilities,
};

fn info() -> SourceInfo {
    SourceInfo {
        name: "fixtures".to_string(),
        date: "2024-01-01".to_string(),
        count: 0,
        embedded: false,
    }
}

/// Every fixture under `tests/fixtures/<dir>`.
fn index_of(dir: &str) -> MemoryIndex {
    let root = format!("{}/tests/fixtures/{dir}", env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<_> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{root}: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    let mut index = MemoryIndex::new(info());
    for path in paths {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let adv = parse_advisory(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        index.insert(adv);
    }
    index
}

#[test]
fn records_sharing_aliases_merge_transitively() {
    let index = index_of("merge");
    assert_eq!(index.info().count, 6);
    let vulns = vulnerabilities(&index, "PyPI", "Fixture.Merge-Py", "1.1");
    let ids: Vec<&str> = vulns.iter().map(|v| v.id.as_str()).collect();
    // GHSA-...aaaa, PYSEC-2021-1 (same CVE) and OSV-2021-9 (aliases the
    // PYSEC) are one; GHSA-...bbbb alone; PYSEC-2021-5 alone (the withdrawn
    // GHSA-...cccc that would have tied it to the first group is dropped).
    assert_eq!(ids, ["GHSA-mmmm-1111-aaaa", "GHSA-mmmm-2222-bbbb", "PYSEC-2021-5"]);

    let first = &vulns[0];
    assert_eq!(first.advisories, ["GHSA-mmmm-1111-aaaa", "OSV-2021-9", "PYSEC-2021-1"]);
    assert_eq!(first.aliases, ["CVE-2021-0001", "OSV-2021-9", "PYSEC-2021-1"]);
    assert_eq!(first.summary, "Path traversal in fixture-merge-py");
    // The highest score of the group (OSV-2021-9's 9.8), not the GHSA's 7.5.
    assert_eq!(first.score, Some(9.8));
    assert_eq!(first.vector.as_deref(), Some("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));
    assert_eq!(first.level, Level::Critical);
    // 1.2 and 1.2.0 are one PEP 440 version; 1.3 is OSV-2021-9's fix.
    assert_eq!(first.fixed, ["1.2", "1.3"]);
    assert!(first.last_affected.is_empty());
    assert_eq!(
        first.references,
        [
            "https://example.test/GHSA-mmmm-1111-aaaa",
            "https://example.test/fixture-merge-py/commit/1",
        ]
    );

    let second = &vulns[1];
    assert_eq!(second.level, Level::Medium, "GHSA word MODERATE, no vector");
    assert_eq!(second.score, None);
    assert_eq!(second.last_affected, ["1.9"]);
    assert!(second.aliases.is_empty());

    let third = &vulns[2];
    assert_eq!(third.aliases, ["CVE-2021-0005"]);
    assert_eq!(third.score, None, "CVSS v2 vectors are not scored");
    assert_eq!(third.level, Level::Unknown);
    // No summary: the first non-empty line of the details.
    assert_eq!(third.summary, "Only a CVSS v2 vector, which is not scored.");
}

#[test]
fn merging_depends_on_which_records_match() {
    let index = index_of("merge");
    // 1.2.5: past the GHSA's and PYSEC's fix, before OSV-2021-9's; 1.1.0
    // is not listed by PYSEC-2021-5 any more (listed: 1.1.0 only).
    let vulns = vulnerabilities(&index, "PyPI", "fixture-merge-py", "1.2.5");
    let ids: Vec<(&str, &Vec<String>)> =
        vulns.iter().map(|v| (v.id.as_str(), &v.advisories)).collect();
    assert_eq!(
        ids,
        [
            ("GHSA-mmmm-2222-bbbb", &vec!["GHSA-mmmm-2222-bbbb".to_string()]),
            ("OSV-2021-9", &vec!["OSV-2021-9".to_string()]),
        ]
    );
    assert_eq!(vulns[1].fixed, ["1.3"]);
    // Above every range: nothing.
    assert!(vulnerabilities(&index, "PyPI", "fixture-merge-py", "2.0").is_empty());
    // The listed version 1.1.0 of PYSEC-2021-5 (PEP 440: 1.1 is the same).
    let listed = vulnerabilities(&index, "PyPI", "fixture-merge-py", "1.1.0");
    assert!(listed.iter().any(|v| v.id == "PYSEC-2021-5"));
}

#[test]
fn acceptance_style_npm_lookup_with_withdrawn_duplicate() {
    let index = index_of("");
    let vulns = vulnerabilities(&index, "npm", "fixture-merge", "1.1.0");
    assert_eq!(vulns.len(), 1);
    let v = &vulns[0];
    assert_eq!(v.id, "GHSA-1111-2222-3333");
    assert_eq!(v.aliases, ["CVE-2024-11111"]);
    // The withdrawn GHSA-7777 shares the CVE but never matches.
    assert_eq!(v.advisories, ["GHSA-1111-2222-3333"]);
    assert_eq!(v.score, Some(8.1));
    assert_eq!(v.level, Level::High);
    assert_eq!(v.fixed, ["1.2.3"]);
    assert!(vulnerabilities(&index, "npm", "fixture-merge", "1.2.3").is_empty());
    // Malicious package: every version, no fix.
    let mal = vulnerabilities(&index, "npm", "fixture-typo", "0.0.1");
    assert_eq!(mal.len(), 1);
    assert_eq!(mal[0].id, "MAL-2024-0001");
    assert!(mal[0].fixed.is_empty());
}

#[test]
fn cvss_scores_and_levels() {
    assert_eq!(base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), Some(9.8));
    assert_eq!(base_score("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N"), Some(6.5));
    // Temporal metrics are dropped before scoring.
    assert_eq!(base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:C"), Some(9.8));
    assert_eq!(
        base_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N"),
        Some(5.1)
    );
    // Incomplete, v2, junk: no score.
    for junk in [
        "CVSS:3.1/AV:N",
        "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "AV:N/AC:L/Au:N/C:P/I:P/A:P",
        "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "CVSS:4.0/AV:N",
        "",
        "CVSS:9.9/AV:N",
    ] {
        assert_eq!(base_score(junk), None, "{junk:?}");
    }
    assert_eq!(Level::from_score(9.0), Level::Critical);
    assert_eq!(Level::from_score(8.9), Level::High);
    assert_eq!(Level::from_score(7.0), Level::High);
    assert_eq!(Level::from_score(6.9), Level::Medium);
    assert_eq!(Level::from_score(4.0), Level::Medium);
    assert_eq!(Level::from_score(3.9), Level::Low);
    assert_eq!(Level::from_score(0.1), Level::Low);
    assert_eq!(Level::from_score(0.0), Level::Unknown);
    assert_eq!(Level::from_word("MODERATE"), Level::Medium);
    assert_eq!(Level::from_word("critical"), Level::Critical);
    assert_eq!(Level::from_word("whatever"), Level::Unknown);
    assert!(Level::Critical > Level::High && Level::Low > Level::Unknown);
    assert_eq!(Level::High.to_string(), "high");
}

#[test]
fn package_level_severity_counts_for_that_package_only() {
    let json = br#"{
        "id": "GHSA-pkg-level",
        "affected": [
            {"package": {"ecosystem": "npm", "name": "a"},
             "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]},
            {"package": {"ecosystem": "npm", "name": "b"},
             "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N"}]}
        ]
    }"#;
    let adv = parse_advisory(json).expect("fixture parses");
    assert_eq!(rate(&adv, "npm", "a").score, Some(9.8));
    assert_eq!(rate(&adv, "npm", "b").level, Level::Low);
    assert_eq!(rate(&adv, "npm", "c").score, None);
}
