//! The generated advisory database and lockfile shared by the matching
//! benchmarks (`crates/faasguard_osv/benches/match.rs` over a `MemoryIndex`,
//! `crates/faasguard_advisory_db/benches/match.rs` over the SQLite
//! database), included with `#[path]`: a bench target cannot depend on
//! another crate's bench files, and both must measure the same data so
//! their counts can be compared.
//!
//! 300,000 OSV records shaped like the npm and PyPI exports (npm 200,000:
//! 130,000 malicious-package `MAL-` records, each its own package, with
//! `introduced: "0"` or a short `versions` list, and 70,000 GHSA-style
//! records over 12,000 packages, popular ones with many; PyPI 100,000:
//! 40,000 `MAL-` and 60,000 PYSEC/GHSA-style records over 8,000 packages,
//! with long `versions` lists, PEP 440 pre/post/dev bounds and PYSEC/GHSA
//! pairs sharing a CVE, which merge), in the range shapes advisories use:
//! `[0, fix)`, `[a, fix)`, several branches in one range, `last_affected`,
//! pre-release bounds.
//!
//! 10,000 lockfile packages (7,000 npm, 3,000 PyPI; a quarter of them,
//! popular ones first, with advisories, a few malicious, the rest clean).
//!
//! Deterministic (fixed seeds), so every run and both benches see the
//! same records in the same order.

use std::fmt::Write as _;

/// SplitMix64: deterministic, so every run measures the same data.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    pub(crate) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// An index in `0..n`, skewed towards 0 (popular packages have many
    /// advisories and appear in many lockfiles): with 70,000 records over
    /// 12,000 packages the first gets about 130, the first ten about 60
    /// each, as the most-advised real packages (tensorflow, electron) do.
    pub(crate) fn skewed(&mut self, n: u64) -> u64 {
        (((n as f64) * self.unit().powf(1.5)) as u64).min(n.saturating_sub(1))
    }

    pub(crate) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const VECTORS: &[&str] = &[
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
    "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N",
    "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:N",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N",
    "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N",
    "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N",
];
const WORDS: &[&str] = &["LOW", "MODERATE", "HIGH", "CRITICAL"];
const PRE: &[&str] = &["alpha.1", "beta.2", "rc.1", "next.3"];
const PEP_SUFFIX: &[&str] = &["", "", "", "rc1", "b2", ".post1", ".dev0", "a1"];

fn semver(rng: &mut Rng) -> (u64, u64, u64) {
    (rng.below(12), rng.below(30), rng.below(40))
}

/// `[{"type": ..., "events": [...]}]` in one of the shapes advisories use.
fn npm_ranges(rng: &mut Rng, out: &mut String) {
    let (a, b, c) = semver(rng);
    let shape = rng.below(100);
    out.push_str(r#"[{"type":"SEMVER","events":["#);
    if shape < 45 {
        let _ = write!(out, r#"{{"introduced":"0"}},{{"fixed":"{a}.{b}.{c}"}}"#);
    } else if shape < 70 {
        let _ = write!(out, r#"{{"introduced":"{a}.{b}.0"}},{{"fixed":"{a}.{b}.{}"}}"#, c + 1);
    } else if shape < 85 {
        // Several maintained branches, each with its own fix.
        let branches = 2 + rng.below(3);
        for k in 0..branches {
            let major = a + k;
            let _ = write!(
                out,
                r#"{}{{"introduced":"{major}.0.0"}},{{"fixed":"{major}.{b}.{c}"}}"#,
                if k == 0 { "" } else { "," }
            );
        }
    } else if shape < 95 {
        let _ = write!(out, r#"{{"introduced":"0"}},{{"last_affected":"{a}.{b}.{c}"}}"#);
    } else {
        let pre = rng.pick(PRE);
        let _ = write!(out, r#"{{"introduced":"{a}.0.0-{pre}"}},{{"fixed":"{a}.{b}.{c}-{pre}"}}"#);
    }
    out.push_str("]}]");
}

fn pep440(rng: &mut Rng) -> String {
    let (a, b, c) = (rng.below(6), rng.below(25), rng.below(15));
    let suffix = rng.pick(PEP_SUFFIX);
    if rng.below(3) == 0 { format!("{a}.{b}{suffix}") } else { format!("{a}.{b}.{c}{suffix}") }
}

fn pypi_ranges(rng: &mut Rng, out: &mut String) {
    let (a, b) = (rng.below(6), rng.below(25));
    let fixed = format!("{a}.{b}.{}", 1 + rng.below(14));
    let shape = rng.below(100);
    out.push_str(r#"[{"type":"ECOSYSTEM","events":["#);
    if shape < 60 {
        let _ = write!(out, r#"{{"introduced":"0"}},{{"fixed":"{fixed}"}}"#);
    } else if shape < 80 {
        let _ = write!(out, r#"{{"introduced":"{a}.0"}},{{"fixed":"{fixed}"}}"#);
    } else if shape < 90 {
        let _ = write!(out, r#"{{"introduced":"{a}.0.dev0"}},{{"fixed":"{a}.{b}rc1"}}"#);
    } else {
        let _ = write!(out, r#"{{"introduced":"0"}},{{"last_affected":"{a}.{b}.post2"}}"#);
    }
    out.push_str("]}]");
    // PyPA and GHSA records list every affected release too.
    let listed = 10 + rng.below(70);
    out.push_str(r#","versions":["#);
    for k in 0..listed {
        let _ = write!(
            out,
            r#"{}"{}.{}.{}""#,
            if k == 0 { "" } else { "," },
            a.saturating_sub(k / 25),
            k % 25,
            k % 4
        );
    }
    out.push(']');
}

fn references(rng: &mut Rng, id: &str, out: &mut String) {
    out.push_str(r#","references":["#);
    let n = 2 + rng.below(5);
    for k in 0..n {
        let _ = write!(
            out,
            r#"{}{{"type":"WEB","url":"https://example.test/advisories/{id}/ref-{k}"}}"#,
            if k == 0 { "" } else { "," }
        );
    }
    out.push(']');
}

fn details(rng: &mut Rng, name: &str, out: &mut String) {
    let _ = write!(
        out,
        r#","details":"{name} mishandles crafted input in its parser: an attacker who controls the input can trigger the flaw remotely. Upgrade to a fixed release; {} users are affected.""#,
        rng.below(100_000)
    );
}

/// One GHSA/PYSEC-style record for `ecosystem`'s package `name`.
fn vuln_record(rng: &mut Rng, ecosystem: &str, id: &str, name: &str, cve: u64, out: &mut String) {
    let _ = write!(
        out,
        r#"{{"schema_version":"1.6.0","id":"{id}","modified":"2024-0{}-1{}T00:00:00Z","published":"2023-01-01T00:00:00Z","aliases":["CVE-2023-{cve}"],"summary":"Flaw {cve} in {name}""#,
        1 + rng.below(9),
        rng.below(10)
    );
    details(rng, name, out);
    if rng.below(10) < 8 {
        let vector = rng.pick(VECTORS);
        let kind = if vector.starts_with("CVSS:4") { "CVSS_V4" } else { "CVSS_V3" };
        let _ = write!(out, r#","severity":[{{"type":"{kind}","score":"{vector}"}}]"#);
    }
    let _ = write!(
        out,
        r#","affected":[{{"package":{{"ecosystem":"{ecosystem}","name":"{name}","purl":"pkg:{}/{name}"}},"ranges":"#,
        if ecosystem == "npm" { "npm" } else { "pypi" }
    );
    if ecosystem == "npm" {
        npm_ranges(rng, out);
    } else {
        pypi_ranges(rng, out);
    }
    out.push_str("}]");
    references(rng, id, out);
    let _ = write!(
        out,
        r#","database_specific":{{"severity":"{}","cwe_ids":["CWE-{}"],"github_reviewed":true}}}}"#,
        rng.pick(WORDS),
        20 + rng.below(900)
    );
}

/// One malicious-package record (OSSF malicious-packages style).
fn mal_record(rng: &mut Rng, ecosystem: &str, id: &str, name: &str, out: &mut String) {
    let _ = write!(
        out,
        r#"{{"schema_version":"1.6.0","id":"{id}","modified":"2024-05-01T00:00:00Z","summary":"Malicious code in {name} ({ecosystem})","details":"\n---\n_-= Per source details. Do not edit below this line.=-_\n\n## Source: ossf-package-analysis\nThe package exfiltrates environment variables on install.\n","affected":[{{"package":{{"ecosystem":"{ecosystem}","name":"{name}"}},"#
    );
    if rng.below(10) < 8 {
        out.push_str(r#""ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]"#);
    } else {
        let _ = write!(out, r#""versions":["1.0.{}","1.0.{}"]"#, rng.below(5), 5 + rng.below(5));
    }
    let _ = write!(
        out,
        r#",
        "database_specific":{{"malicious-packages-origins":[{{"source":"ossf-package-analysis","sha256":"{:016x}{:016x}"}}]}}}}],"references":[{{"type":"PACKAGE","url":"https://example.test/package/{name}"}}]}}"#,
        rng.next(),
        rng.next()
    );
}

/// How many records of each kind, and over how many packages.
pub(crate) struct Shape {
    pub(crate) npm_mal: u64,
    pub(crate) npm_vuln: u64,
    pub(crate) npm_packages: u64,
    pub(crate) pypi_mal: u64,
    pub(crate) pypi_vuln: u64,
    pub(crate) pypi_packages: u64,
}

impl Shape {
    pub(crate) fn scaled(total: u64) -> Shape {
        // The default 300,000 splits 130k/70k npm, 40k/60k PyPI.
        let part = |n: u64| n * total / 300_000;
        Shape {
            npm_mal: part(130_000),
            npm_vuln: part(70_000),
            npm_packages: part(12_000).max(1),
            pypi_mal: part(40_000),
            pypi_vuln: part(60_000),
            pypi_packages: part(8_000).max(1),
        }
    }

    pub(crate) fn total(&self) -> u64 {
        self.npm_mal + self.npm_vuln + self.pypi_mal + self.pypi_vuln
    }
}

/// Generates every record of `shape`, in a fixed order, and hands each to
/// `each` as (ecosystem, affected package name as written, id, JSON text).
/// Nothing is kept: 300,000 records are 270 MB of JSON.
pub(crate) fn records(shape: &Shape, each: &mut dyn FnMut(&'static str, &str, &str, &str)) {
    let mut rng = Rng(0x0000_05EE_D00F_00D5);
    let mut json = String::with_capacity(8192);
    for i in 0..shape.npm_mal {
        json.clear();
        let (id, name) = (format!("MAL-2024-{i}"), format!("mal-npm-{i}"));
        mal_record(&mut rng, "npm", &id, &name, &mut json);
        each("npm", &name, &id, &json);
    }
    for i in 0..shape.npm_vuln {
        json.clear();
        let name = format!("pkg-{}", rng.skewed(shape.npm_packages));
        let id = format!("GHSA-npm{i:06}-gen");
        vuln_record(&mut rng, "npm", &id, &name, 100_000 + i, &mut json);
        each("npm", &name, &id, &json);
    }
    for i in 0..shape.pypi_mal {
        json.clear();
        let (id, name) = (format!("MAL-2024-py{i}"), format!("mal-py-{i}"));
        mal_record(&mut rng, "PyPI", &id, &name, &mut json);
        each("PyPI", &name, &id, &json);
    }
    let mut i = 0;
    while i < shape.pypi_vuln {
        let package = rng.skewed(shape.pypi_packages);
        let cve = 500_000 + i;
        // PyPA and GitHub both publish most PyPI vulnerabilities: a PYSEC
        // record and a GHSA sharing the CVE, which the matcher merges.
        let twins = if rng.below(3) == 0 || i + 1 == shape.pypi_vuln { 1 } else { 2 };
        for twin in 0..twins {
            json.clear();
            let (id, name) = if twin == 0 {
                (format!("PYSEC-2024-{i}"), format!("py-pkg-{package}"))
            } else {
                // Spelled differently: only PEP 503 normalization matches it.
                (format!("GHSA-py{i:06}-gen"), format!("Py_Pkg.{package}"))
            };
            vuln_record(&mut rng, "PyPI", &id, &name, cve, &mut json);
            each("PyPI", &name, &id, &json);
            i += 1;
        }
    }
}

/// The lockfile side: (ecosystem, name, version).
pub(crate) fn packages(shape: &Shape, count: usize) -> Vec<(&'static str, String, String)> {
    let mut rng = Rng(0x10C_CF11E);
    (0..count)
        .map(|i| {
            let npm = i % 10 < 7;
            let ecosystem = if npm { "npm" } else { "PyPI" };
            let kind = rng.below(1000);
            let name = if kind < 250 {
                if npm {
                    format!("pkg-{}", rng.skewed(shape.npm_packages))
                } else {
                    format!("py-pkg-{}", rng.skewed(shape.pypi_packages))
                }
            } else if kind < 255 {
                if npm {
                    format!("mal-npm-{}", rng.below(shape.npm_mal.max(1)))
                } else {
                    format!("mal-py-{}", rng.below(shape.pypi_mal.max(1)))
                }
            } else {
                format!("clean-{i}")
            };
            let version = if npm {
                let (a, b, c) = semver(&mut rng);
                format!("{a}.{b}.{c}")
            } else {
                pep440(&mut rng)
            };
            (ecosystem, name, version)
        })
        .collect()
}
