//! Advisory matching at the scale of today's OSV exports.
//!
//! Generates 300,000 OSV records shaped like the npm and PyPI exports
//! (`bench/advisories.rs`, shared with the SQLite database's bench in
//! `crates/faasguard_advisory_db/benches/match.rs`). Each record is JSON
//! text parsed with `parse_advisory` and inserted into a `MemoryIndex`, as
//! reading an export does.
//!
//! Then 10,000 generated lockfile packages go through
//! `vulnerabilities`: lookup, OSV range evaluation, alias merging, CVSS
//! scoring, exactly what a scan does per package.
//!
//! Prints the load time (JSON parsing and inserting, apart), the peak
//! resident memory after loading (`VmHWM`) and the median matching time of
//! all 10,000 packages over several runs (the bar: under 1 s), plus the
//! embedded snapshot's first-use load. Knobs: `FG_BENCH_ADVISORIES`
//! (total, default 300000), `FG_BENCH_PACKAGES` (10000),
//! `FG_BENCH_ITERATIONS` (5).
//!
//! `cargo bench -p faasguard_osv --bench match`

#[path = "../../../bench/support.rs"]
#[allow(dead_code)]
mod support;

#[path = "../../../bench/advisories.rs"]
#[allow(dead_code)]
mod advisories;

use std::time::{Duration, Instant};

use advisories::{Shape, packages};
use faasguard_osv::{AdvisorySource, MemoryIndex, SourceInfo, parse_advisory, vulnerabilities};
use support::{env_usize, median, peak_rss_mb};

/// The allocator the `faasguard` binary uses, so the numbers are the tool's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Generates every record and loads it; the time spent parsing JSON and
/// inserting, apart (generation is not timed).
fn load(shape: &Shape) -> (MemoryIndex, Duration, Duration, usize) {
    let mut index = MemoryIndex::new(SourceInfo {
        name: "generated".to_string(),
        date: "2024-06-01".to_string(),
        count: 0,
        embedded: false,
    });
    let mut parse_time = Duration::ZERO;
    let mut insert_time = Duration::ZERO;
    let mut bytes = 0usize;
    advisories::records(shape, &mut |_ecosystem, _name, _id, json| {
        bytes += json.len();
        let started = Instant::now();
        let adv = parse_advisory(json.as_bytes()).expect("generated records are valid OSV");
        let parsed = Instant::now();
        index.insert(adv);
        insert_time += parsed.elapsed();
        parse_time += parsed - started;
    });
    (index, parse_time, insert_time, bytes)
}

fn main() {
    let total = env_usize("FG_BENCH_ADVISORIES", 300_000) as u64;
    let count = env_usize("FG_BENCH_PACKAGES", 10_000);
    let iterations = env_usize("FG_BENCH_ITERATIONS", 5).max(1);
    let shape = Shape::scaled(total);

    let before = peak_rss_mb().unwrap_or(0.0);
    let started = Instant::now();
    let (index, parse_time, insert_time, bytes) = load(&shape);
    let wall = started.elapsed();
    let after_load = peak_rss_mb().unwrap_or(0.0);
    assert_eq!(index.len() as u64, shape.total(), "every generated record is held");

    let lockfile = packages(&shape, count);
    let mut times = Vec::new();
    let mut found = (0usize, 0usize, 0usize, 0usize);
    for _ in 0..iterations {
        let started = Instant::now();
        let mut vulns = 0;
        let mut records = 0;
        let mut affected = 0;
        let mut looked_up = 0;
        for (ecosystem, name, version) in &lockfile {
            let v = vulnerabilities(&index, ecosystem, name, version);
            if !v.is_empty() {
                affected += 1;
            }
            vulns += v.len();
            records += v.iter().map(|x| x.advisories.len()).sum::<usize>();
            looked_up += usize::from(!index.lookup(ecosystem, name).is_empty());
        }
        times.push(started.elapsed());
        found = (vulns, records, affected, looked_up);
    }
    let matching = median(times.clone());
    let after_match = peak_rss_mb().unwrap_or(0.0);

    let started = Instant::now();
    let snapshot = faasguard_osv::embedded();
    let snapshot_load = started.elapsed();

    println!("faasguard_osv match benchmark (release build, mimalloc)");
    println!(
        "advisories: {} (npm {} MAL + {} GHSA over {} packages; PyPI {} MAL + {} PYSEC/GHSA over {} packages), {:.0} MB of JSON",
        index.len(),
        shape.npm_mal,
        shape.npm_vuln,
        shape.npm_packages,
        shape.pypi_mal,
        shape.pypi_vuln,
        shape.pypi_packages,
        bytes as f64 / 1e6
    );
    println!(
        "load: {:.2} s wall ({:.2} s parsing JSON with parse_advisory, {:.2} s inserting), {:.0} records/s",
        wall.as_secs_f64(),
        parse_time.as_secs_f64(),
        insert_time.as_secs_f64(),
        index.len() as f64 / (parse_time + insert_time).as_secs_f64().max(1e-9)
    );
    println!(
        "memory: peak RSS {:.0} MB after load ({:.0} MB before), {:.0} MB after matching",
        after_load, before, after_match
    );
    println!(
        "matching: {} packages ({} npm, {} PyPI), {} with advisories in the index, {} affected: {} vulnerabilities from {} records",
        lockfile.len(),
        lockfile.iter().filter(|p| p.0 == "npm").count(),
        lockfile.iter().filter(|p| p.0 == "PyPI").count(),
        found.3,
        found.2,
        found.0,
        found.1
    );
    let runs: Vec<String> = times.iter().map(|t| format!("{:.1}", t.as_secs_f64() * 1e3)).collect();
    println!(
        "matching time: median {:.1} ms over {} runs [{} ms], {:.1} us per package (bar: < 1000 ms)",
        matching.as_secs_f64() * 1e3,
        iterations,
        runs.join(", "),
        matching.as_secs_f64() * 1e6 / lockfile.len().max(1) as f64
    );
    println!(
        "embedded snapshot: {} records loaded on first use in {:.0} ms",
        snapshot.len(),
        snapshot_load.as_secs_f64() * 1e3
    );
    if matching >= Duration::from_secs(1) {
        println!("BAR MISSED: matching took {:.2} s", matching.as_secs_f64());
    }
}
