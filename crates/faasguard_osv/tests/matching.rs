//! The OSV evaluation algorithm against hand-written fixture advisories:
//! boundaries (introduced, fixed, last_affected, limit), pre-releases,
//! PEP 440, withdrawn records, unknown ecosystems, broken events.

use faasguard_osv::{Advisory, Hit, affected, parse_advisory};

fn fixture(name: &str) -> Advisory {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    parse_advisory(&bytes).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The versions of `candidates` that `adv` says are affected.
fn affected_of(adv: &Advisory, ecosystem: &str, name: &str, candidates: &[&str]) -> Vec<String> {
    candidates
        .iter()
        .filter(|v| affected(adv, ecosystem, name, v).is_some())
        .map(|v| v.to_string())
        .collect()
}

#[test]
fn semver_boundaries_and_prereleases() {
    let adv = fixture("GHSA-npm-boundaries.json");
    let candidates = [
        "0.9.9",
        "1.0.0-rc.1", // below introduced 1.0.0
        "1.0.0",      // introduced is inclusive
        "1.2.2",
        "1.2.3-rc.1", // pre-release of the fix is still below it
        "1.2.3",      // fixed is exclusive
        "1.2.4",
        "2.0.0-alpha",  // below introduced 2.0.0-beta.1
        "2.0.0-beta.1", // introduced pre-release, inclusive
        "2.0.0-beta.11",
        "2.0.0",
        "2.1.0", // last_affected is inclusive
        "2.1.0+build.5",
        "2.1.1-0", // above last_affected 2.1.0
        "2.1.1",
        "v1.1.0", // leading v tolerated
        " 1.1.0 ",
        "1.1.0rc1", // npm loose pre-release: 1.1.0-rc1
        "latest",
        "",
    ];
    assert_eq!(
        affected_of(&adv, "npm", "fixture-merge", &candidates),
        [
            "1.0.0",
            "1.2.2",
            "1.2.3-rc.1",
            "2.0.0-beta.1",
            "2.0.0-beta.11",
            "2.0.0",
            "2.1.0",
            "2.1.0+build.5",
            "v1.1.0",
            " 1.1.0 ",
            "1.1.0rc1",
        ]
    );
}

#[test]
fn hit_reports_the_fix_of_the_matching_range() {
    let adv = fixture("GHSA-npm-boundaries.json");
    assert_eq!(
        affected(&adv, "npm", "fixture-merge", "1.1.0"),
        Some(Hit { fixed: vec!["1.2.3".to_string()], last_affected: vec![], listed: false })
    );
    assert_eq!(
        affected(&adv, "npm", "fixture-merge", "2.0.5"),
        Some(Hit { fixed: vec![], last_affected: vec!["2.1.0".to_string()], listed: false })
    );
}

#[test]
fn other_package_or_ecosystem_never_matches() {
    let adv = fixture("GHSA-npm-boundaries.json");
    assert!(affected(&adv, "npm", "fixture-merge-other", "1.1.0").is_none());
    assert!(affected(&adv, "npm", "Fixture-Merge", "1.1.0").is_none());
    assert!(affected(&adv, "PyPI", "fixture-merge", "1.1.0").is_none());
}

#[test]
fn introduced_zero_is_below_everything() {
    let adv = fixture("MAL-npm-zero.json");
    assert_eq!(
        affected_of(
            &adv,
            "npm",
            "fixture-typo",
            &["0.0.0-0", "0.0.0", "0.0.1-alpha", "1.0.0", "999.999.999"]
        ),
        ["0.0.0-0", "0.0.0", "0.0.1-alpha", "1.0.0", "999.999.999"]
    );
    let hit = affected(&adv, "npm", "fixture-typo", "1.0.0");
    assert_eq!(hit.map(|h| h.fixed), Some(vec![]));
}

#[test]
fn unsorted_events_are_sorted_before_the_walk() {
    let adv = fixture("GHSA-npm-multi-interval.json");
    assert_eq!(
        affected_of(
            &adv,
            "npm",
            "fixture-branches",
            &["0.1.0", "1.0.1", "1.0.2", "2.5.0", "3.0.0-rc.1", "3.0.0", "3.2.4", "3.2.5"]
        ),
        ["0.1.0", "1.0.1", "3.0.0", "3.2.4"]
    );
    // Both fixes of the range are above 1.0.1: both are reported, lowest first.
    assert_eq!(
        affected(&adv, "npm", "fixture-branches", "1.0.1").map(|h| h.fixed),
        Some(vec!["1.0.2".to_string(), "3.2.5".to_string()])
    );
    assert_eq!(
        affected(&adv, "npm", "fixture-branches", "3.1.0").map(|h| h.fixed),
        Some(vec!["3.2.5".to_string()])
    );
}

#[test]
fn pep440_ranges_and_versions_lists() {
    let adv = fixture("PYSEC-pep440.json");
    let candidates = [
        "0.1",
        "1.0.0", // listed as 1.0: PEP 440 equal
        "1.9.post1",
        "2.0b3",
        "2.0rc1.dev4", // dev release of the fix: below it
        "2.0rc1",      // fixed, exclusive
        "2.0RC1",      // same after normalisation
        "2.0",
        "2.9",
        "3.0.dev0", // introduced, inclusive
        "3.0a1",
        "3.1",
        "3.1.post2.dev1", // below the post release
        "3.1.post2",      // last_affected, inclusive
        "3.1.post3",
        "1!0.5",       // epoch 1 sorts after every epoch-0 version
        "7.0",         // only in the versions list
        "7.0.0",       // ... which compares as PEP 440 does
        "1.5+ubuntu1", // local version: in the 0..2.0rc1 range
        "not a version",
    ];
    assert_eq!(
        affected_of(&adv, "PyPI", "fixture-django-ext", &candidates),
        [
            "0.1",
            "1.0.0",
            "1.9.post1",
            "2.0b3",
            "2.0rc1.dev4",
            "3.0.dev0",
            "3.0a1",
            "3.1",
            "3.1.post2.dev1",
            "3.1.post2",
            "7.0",
            "7.0.0",
            "1.5+ubuntu1",
        ]
    );
    let listed = affected(&adv, "PyPI", "fixture-django-ext", "1.0.0");
    assert_eq!(
        listed,
        Some(Hit {
            // Also inside the first range: that range's fix, not the other's
            // last_affected.
            fixed: vec!["2.0rc1".to_string()],
            last_affected: vec![],
            listed: true,
        })
    );
    // Only the versions list matched: every range's bounds above 7.0 are
    // reported (none here; the GIT range's commit is never a version).
    assert_eq!(
        affected(&adv, "PyPI", "fixture-django-ext", "7.0"),
        Some(Hit { fixed: vec![], last_affected: vec![], listed: true })
    );
}

#[test]
fn pypi_names_compare_pep503_normalised() {
    let adv = fixture("PYSEC-pep440.json");
    for name in
        ["fixture-django-ext", "Fixture-Django-Ext", "fixture_django.ext", "FIXTURE__DJANGO--EXT"]
    {
        assert!(affected(&adv, "PyPI", name, "1.0").is_some(), "{name} should match");
    }
    assert!(affected(&adv, "PyPI", "fixture-djangoext", "1.0").is_none());
}

#[test]
fn epochs_and_limits() {
    let adv = fixture("PYSEC-epoch-limit.json");
    // [1!1.0, 1!1.4), [5.0, limit 5.5), [9.0, 1!0) with limit `*`: every
    // epoch-0 version sorts below every epoch-1 one.
    let candidates = [
        "1.0", "1.5", "1!0.9", "1!1.0", "1!1.3.9", "1!1.4", "4.9", "5.0", "5.4.99", "5.5", "6.0",
        "9.0", "100.0", "1!0",
    ];
    assert_eq!(
        affected_of(&adv, "PyPI", "fixture-epoch", &candidates),
        ["1!1.0", "1!1.3.9", "5.0", "5.4.99", "9.0", "100.0"]
    );
}

#[test]
fn withdrawn_never_matches() {
    let adv = fixture("GHSA-withdrawn.json");
    assert!(faasguard_osv::is_withdrawn(&adv));
    for v in ["0.0.1", "1.0.0", "2.1.0"] {
        assert!(affected(&adv, "npm", "fixture-merge", v).is_none());
    }
    // Without the withdrawn field the same record matches everything.
    let mut revived = adv.clone();
    revived.withdrawn = None;
    assert!(affected(&revived, "npm", "fixture-merge", "1.0.0").is_some());
}

#[test]
fn unknown_ecosystem_matches_only_the_versions_list() {
    let adv = fixture("unknown-ecosystem.json");
    // Hackage: no known ordering, so the ECOSYSTEM range is not evaluated.
    assert!(affected(&adv, "Hackage", "fixture-aeson", "1.5.6.0").is_some());
    assert!(affected(&adv, "Hackage", "fixture-aeson", "1.5.6.1").is_none());
    assert!(affected(&adv, "Hackage", "fixture-aeson", "0.1").is_none());
    // A SEMVER range means SemVer whatever the ecosystem.
    assert!(affected(&adv, "Pub", "fixture_dart", "1.3.9").is_some());
    assert!(affected(&adv, "Pub", "fixture_dart", "1.4.0").is_none());
}

#[test]
fn go_versions_carry_a_v_prefix() {
    let adv = fixture("unknown-ecosystem.json");
    let name = "example.test/fixture/mod";
    assert!(affected(&adv, "Go", name, "v1.2.2").is_some());
    assert!(affected(&adv, "Go", name, "v1.2.3").is_none());
    assert!(affected(&adv, "Go", name, "v1.2.3-0.20240101000000-abcdefabcdef").is_some());
    assert!(affected(&adv, "Go", name, "v1.2.4+incompatible").is_none());
    // The versions list says v0.9.0; the installed version may omit the v.
    assert!(affected(&adv, "Go", name, "0.9.0").is_some_and(|h| h.listed));
}

#[test]
fn maven_ranges_use_maven_ordering() {
    let adv = fixture("unknown-ecosystem.json");
    let name = "org.example:fixture-databind";
    assert_eq!(
        affected_of(
            &adv,
            "Maven",
            name,
            &[
                "1.9",
                "2.0.0-rc1",
                "2.0",
                "2.0.0",
                "2.13.4",
                "2.13.4.1-SNAPSHOT",
                "2.13.4.1",
                "2.13.4.2",
                "2.14.0-rc1",
                "2.9.10.8"
            ]
        ),
        ["2.0", "2.0.0", "2.13.4", "2.13.4.1-SNAPSHOT", "2.9.10.8"]
    );
}

#[test]
fn git_ranges_are_ignored() {
    let adv = fixture("PYSEC-pep440.json");
    // 0123456789abcdef... is the GIT range's fix; as a version it is junk.
    assert!(
        affected(&adv, "PyPI", "fixture-django-ext", "0123456789abcdef0123456789abcdef01234567")
            .is_none()
    );
}

#[test]
fn ranges_with_unparseable_events_are_skipped() {
    let adv = fixture("broken-events.json");
    // Neither range can be evaluated, so only the versions list matches.
    for v in ["0.0.1", "1.0.0", "8.9.9"] {
        assert!(affected(&adv, "npm", "fixture-broken", v).is_none(), "{v}");
    }
    let hit = affected(&adv, "npm", "fixture-broken", "weird-tag");
    assert_eq!(
        hit,
        Some(Hit {
            // The installed version cannot be compared: every fix is kept.
            fixed: vec!["9.0.0".to_string(), "not-a-version".to_string()],
            last_affected: vec![],
            listed: true,
        })
    );
}

#[test]
fn an_unparseable_installed_version_matches_only_by_list() {
    let adv = fixture("GHSA-npm-boundaries.json");
    for v in ["1.1", "1", "1.1.x", "^1.1.0", ">=1.0.0", "1.1.0.4", "1.1.0 junk"] {
        assert!(affected(&adv, "npm", "fixture-merge", v).is_none(), "{v}");
    }
}

/// SplitMix64, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const JUNK: &[&str] = &[
    "0",
    "1.0.0",
    "1.0",
    "2.0.0-rc.1",
    "1!2.0",
    "1.0.post1",
    "*",
    "",
    " ",
    "v1",
    "1-SNAPSHOT",
    "x",
    "\u{0}",
    "é",
    "99999999999999999999999.0.0",
    "1.2.3.4.5",
    "..",
    "--",
    "1.0.0+b",
    "0.0.0-0",
    "abc",
    "=1.0.0",
    "<2.0.0",
];

#[test]
fn junk_versions_and_events_never_panic() {
    use faasguard_osv::{Event, PackageRef, Range, vulnerabilities};
    let mut rng = Rng(42);
    let ecosystems = ["npm", "PyPI", "Maven", "Go", "crates.io", "Hackage", ""];
    let kinds = ["SEMVER", "ECOSYSTEM", "GIT", "???"];
    let mut index = faasguard_osv::MemoryIndex::new(faasguard_osv::SourceInfo {
        name: "junk".to_string(),
        date: String::new(),
        count: 0,
        embedded: false,
    });
    for i in 0..400 {
        let mut adv = fixture("MAL-npm-zero.json");
        adv.id = format!("JUNK-{i}");
        adv.aliases = vec![format!("JUNK-{}", i / 3)];
        let ecosystem = rng.pick(&ecosystems);
        let mut entry = adv.affected[0].clone();
        entry.package = Some(PackageRef {
            ecosystem: ecosystem.to_string(),
            name: "junk".to_string(),
            purl: None,
        });
        entry.versions = (0..rng.next() % 3).map(|_| rng.pick(JUNK).to_string()).collect();
        entry.ranges = (0..rng.next() % 3)
            .map(|_| Range {
                kind: rng.pick(&kinds).to_string(),
                repo: None,
                events: (0..rng.next() % 5)
                    .map(|_| {
                        let value = Some(rng.pick(JUNK).to_string());
                        match rng.next() % 5 {
                            0 => Event { introduced: value, ..Event::default() },
                            1 => Event { fixed: value, ..Event::default() },
                            2 => Event { last_affected: value, ..Event::default() },
                            3 => Event { limit: value, ..Event::default() },
                            _ => Event {
                                introduced: value.clone(),
                                fixed: value,
                                ..Event::default()
                            },
                        }
                    })
                    .collect(),
            })
            .collect();
        adv.affected = vec![entry];
        for version in JUNK {
            let _ = affected(&adv, ecosystem, "junk", version);
        }
        index.insert(adv);
    }
    for ecosystem in ecosystems {
        for version in JUNK {
            for v in vulnerabilities(&index, ecosystem, "junk", version) {
                assert!(!v.id.is_empty());
                assert!(!v.advisories.is_empty());
            }
        }
    }
}
