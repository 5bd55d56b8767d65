//! Version orderings per ecosystem, and no panic on junk.

use std::cmp::Ordering;

use faasguard_osv::versions::{MAX_VERSION_LEN, Scheme, compare, same_version};

/// Asserts `versions` is strictly increasing in `ecosystem`'s ordering
/// (every pair, not only neighbours, so the order is also transitive).
fn assert_increasing(ecosystem: &str, versions: &[&str]) {
    for (i, a) in versions.iter().enumerate() {
        for b in &versions[i + 1..] {
            assert_eq!(
                compare(ecosystem, a, b),
                Some(Ordering::Less),
                "{ecosystem}: expected {a} < {b}"
            );
            assert_eq!(
                compare(ecosystem, b, a),
                Some(Ordering::Greater),
                "{ecosystem}: expected {b} > {a}"
            );
        }
    }
}

fn assert_equal(ecosystem: &str, a: &str, b: &str) {
    assert_eq!(compare(ecosystem, a, b), Some(Ordering::Equal), "{ecosystem}: expected {a} == {b}");
}

#[test]
fn semver_precedence_follows_the_spec() {
    // SemVer 2.0 section 11's own example, then core numbers.
    assert_increasing(
        "npm",
        &[
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.1-0",
            "1.0.1",
            "1.2.0",
            "1.10.0",
            "2.0.0",
            "18446744073709551615.0.0",
        ],
    );
    // Build metadata does not take part in precedence.
    assert_equal("npm", "1.0.0+20130313144700", "1.0.0");
    assert_equal("crates.io", "1.0.0-rc.1+a", "1.0.0-rc.1+b");
    assert_equal("Go", "v1.2.3", "1.2.3");
    assert_equal("npm", "=1.2.3", "1.2.3");
}

#[test]
fn semver_rejects_what_is_not_a_version() {
    for junk in ["1.2", "1", "", "x", "1.2.3.4", "1.2.3 junk", "^1.2.3", ">=1.0.0", "*"] {
        assert_eq!(Scheme::SemVer.parse(junk), None, "{junk:?}");
    }
    // npm's loose spellings are read as npm reads them.
    assert_equal("npm", "1.2.3rc1", "1.2.3-rc1");
    assert_equal("npm", "01.02.03", "1.2.3");
}

#[test]
fn pep440_ordering_follows_the_pep() {
    // PEP 440's ordering example (summary), with epochs and locals.
    assert_increasing(
        "PyPI",
        &[
            "1.0.dev456",
            "1.0a1",
            "1.0a2.dev456",
            "1.0a12.dev456",
            "1.0a12",
            "1.0b1.dev456",
            "1.0b2",
            "1.0b2.post345.dev456",
            "1.0b2.post345",
            "1.0rc1.dev456",
            "1.0rc1",
            "1.0",
            "1.0+abc.5",
            "1.0+abc.7",
            "1.0+5",
            "1.0.post456.dev34",
            "1.0.post456",
            "1.0.15",
            "1.1.dev1",
            "2013.10",
            "1!0.1",
        ],
    );
    assert_equal("PyPI", "1.0", "1.0.0");
    assert_equal("PyPI", "1.0RC1", "1.0rc1");
    assert_equal("PyPI", "1.0c1", "1.0rc1");
    assert_equal("PyPI", "1.0-1", "1.0.post1");
    assert_equal("PyPI", "v1.0", "1.0");
}

#[test]
fn versions_lists_compare_per_ecosystem() {
    assert!(same_version("PyPI", "1.0", "1.0.0"));
    assert!(same_version("PyPI", "3.13b1", "3.13.0b1"));
    assert!(!same_version("PyPI", "1.0", "1.0+local"));
    assert!(same_version("PyPI", "weird", "weird"));
    assert!(!same_version("npm", "1.0.0", "1.0"));
    assert!(!same_version("npm", "1.0.0", "v1.0.0"));
    assert!(same_version("Go", "v1.0.0", "1.0.0"));
    assert!(!same_version("Hackage", "1.0", "1.0.0"));
}

#[test]
fn maven_ordering_follows_comparable_version() {
    // Each sequence and equality as maven-artifact 3.8.7's
    // ComparableVersion orders them. Qualifiers in Maven's order, then
    // numbers after any qualifier.
    assert_increasing(
        "Maven",
        &[
            "1-alpha-1",
            "1-alpha-2",
            "1-beta-1",
            "1-milestone-1",
            "1-rc-1",
            "1-SNAPSHOT",
            "1",
            "1-sp-1",
            "1-abc",
            "1-def",
            "1-1",
            "1-2",
            "1.1",
            "1.1.1",
            "1.2",
            "1.10",
        ],
    );
    assert_increasing(
        "Maven",
        &[
            "2.0", "2.0.a", "2-1", "2.0.2", "2.0.123", "2.1.0", "2.1-a", "2.1b", "2.1-c", "2.1-1",
            "2.1.0.1", "2.2", "2.123", "11.a2", "11.a11", "11.b2", "11.b11", "11.m2", "11.m11",
            "11", "11.a", "11b", "11c", "11m",
        ],
    );
    assert_increasing(
        "Maven",
        &[
            "2.9.10.8",
            "2.13.4",
            "2.13.4.1-SNAPSHOT",
            "2.13.4.1",
            "2.13.4.2",
            "2.14.0-rc1",
            "2.14.0",
            "2.123456789012345678900",
        ],
    );
    for (a, b) in [
        ("1", "1.0"),
        ("1", "1.0.0"),
        ("1-ga", "1"),
        ("1-final", "1"),
        ("1.0-GA", "1"),
        ("1-cr1", "1-rc1"),
        ("1a1", "1-alpha-1"),
        ("1b2", "1-beta-2"),
        ("1m3", "1-milestone-3"),
        ("1X", "1x"),
        ("1.0-alpha", "1-alpha"),
        // Maven 3.8: a word after a dot is read as after a dash.
        ("2.0.a", "2.0.0.a"),
        ("2.0.a", "2-a"),
        ("1.0.RELEASE", "1"),
        ("007", "7"),
    ] {
        assert_equal("Maven", a, b);
    }
    assert_eq!(
        compare("Maven", "1.123456789012345678901", "1.123456789012345678900"),
        Some(Ordering::Greater)
    );
}

#[test]
fn unknown_ecosystems_have_no_ordering() {
    assert_eq!(Scheme::of_ecosystem("Hackage"), None);
    assert_eq!(compare("Hackage", "1.0", "2.0"), None);
    assert_eq!(Scheme::of_ecosystem("Maven:https://maven.google.com"), Some(Scheme::Maven));
    assert_eq!(Scheme::of_range("GIT", "npm"), None);
    assert_eq!(Scheme::of_range("SEMVER", "Hackage"), Some(Scheme::SemVer));
}

/// A small deterministic generator (SplitMix64), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "0",
    "1",
    "2",
    "9",
    "10",
    "007",
    "18446744073709551616",
    ".",
    ".",
    "-",
    "-",
    "+",
    "_",
    "!",
    "a",
    "b",
    "c",
    "rc",
    "alpha",
    "beta",
    "dev",
    "post",
    "pre",
    "SNAPSHOT",
    "sp",
    "ga",
    "v",
    "V",
    "x",
    "*",
    " ",
    "é",
    "=",
    "^",
    "~",
    ">=",
    "..",
    "--",
    "\u{0}",
    "٣",
];

fn junk(rng: &mut Rng) -> String {
    let parts = rng.below(12);
    (0..parts).map(|_| PIECES[rng.below(PIECES.len())]).collect()
}

#[test]
fn junk_never_panics_and_orderings_stay_consistent() {
    let mut rng = Rng(0x5EED);
    let schemes = [Scheme::SemVer, Scheme::Pep440, Scheme::Maven];
    for _ in 0..3000 {
        let a = junk(&mut rng);
        let b = junk(&mut rng);
        let c = junk(&mut rng);
        for scheme in schemes {
            let (pa, pb, pc) = (scheme.parse(&a), scheme.parse(&b), scheme.parse(&c));
            if let (Some(pa), Some(pb)) = (&pa, &pb) {
                let ab = pa.compare(pb);
                let ba = pb.compare(pa);
                assert_eq!(ab.map(Ordering::reverse), ba, "{scheme:?}: {a:?} vs {b:?}");
                assert_eq!(pa.compare(pa), Some(Ordering::Equal), "{scheme:?}: {a:?}");
                if let Some(pc) = &pc {
                    // Transitivity: a <= b <= c implies a <= c.
                    let bc = pb.compare(pc);
                    if ab != Some(Ordering::Greater) && bc != Some(Ordering::Greater) {
                        assert_ne!(
                            pa.compare(pc),
                            Some(Ordering::Greater),
                            "{scheme:?}: {a:?} <= {b:?} <= {c:?}"
                        );
                    }
                }
            }
        }
        for ecosystem in ["npm", "PyPI", "Maven", "Go", "crates.io", "Hackage", ""] {
            let _ = compare(ecosystem, &a, &b);
            let _ = same_version(ecosystem, &a, &b);
        }
    }
}

#[test]
fn over_long_versions_are_not_versions() {
    let long = format!("1.{}", "0.".repeat(MAX_VERSION_LEN));
    for scheme in [Scheme::SemVer, Scheme::Pep440, Scheme::Maven] {
        assert_eq!(scheme.parse(&long), None);
    }
    // The Maven nesting is bounded by the length limit, however many `-`.
    let dashes = "1-".repeat(MAX_VERSION_LEN / 2 - 1);
    assert!(Scheme::Maven.parse(&dashes).is_some());
    assert_eq!(compare("Maven", &dashes, &dashes), Some(Ordering::Equal));
}
