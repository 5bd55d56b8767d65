//! Advisory matching through the downloaded SQLite database, the path a
//! scan takes once `faasguard db update` has run.
//!
//! Writes the 300,000 generated OSV records of `bench/advisories.rs` (the
//! same data as `crates/faasguard_osv/benches/match.rs` holds in memory)
//! as `npm/all.zip` and `PyPI/all.zip` of a `file://` mirror in a
//! temporary directory, then:
//!
//! - import: `update` from that mirror (copy, hash, decompress and verify
//!   every entry, parse it, store it), timed, with the database file size;
//! - load: `Database::open`, timed, in a fresh process (this bench started
//!   again) so its peak resident memory is not that of the import;
//! - matching: the 10,000 generated lockfile packages through
//!   `vulnerabilities(&db, ...)` (query, JSON parsing of the stored records,
//!   OSV range evaluation, alias merging, CVSS scoring), median over
//!   several runs (the bar: under 1 s), with the peak memory after it.
//!
//! The counts of affected packages, vulnerabilities and records must equal
//! the in-memory bench's: writing the exports also fills a `MemoryIndex`
//! with the records of the lockfile's packages only (cheap), whose counts
//! the matching process checks its own against.
//!
//! The database file was just written, so it is in the OS page cache;
//! before the matching process starts, that file alone is evicted from it
//! (GNU `dd iflag=nocache`, no root needed; skipped where it fails), so the
//! first run is a cold one, as a scan after a reboot reads from the disk,
//! and the later ones warm. Knobs: `FG_BENCH_ADVISORIES` (total, default
//! 300000), `FG_BENCH_PACKAGES` (10000), `FG_BENCH_ITERATIONS` (5).
//!
//! `cargo bench -p faasguard_advisory_db --bench match`

#[path = "../../../bench/support.rs"]
#[allow(dead_code)]
mod support;

#[path = "../../../bench/advisories.rs"]
#[allow(dead_code)]
mod advisories;

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use advisories::{Shape, packages};
use faasguard_advisory_db::{Database, FILE_NAME, update};
use faasguard_osv::{
    AdvisorySource, MemoryIndex, SourceInfo, normalize_name, parse_advisory, vulnerabilities,
};
use support::{env_usize, median, peak_rss_mb};

/// The allocator the `faasguard` binary uses, so the numbers are the tool's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Set (to the database directory) for the process that opens and matches.
const MATCH_DIR: &str = "FG_BENCH_MATCH_DIR";
/// The in-memory index's counts, handed to that process to check against.
const EXPECTED: &str = "FG_BENCH_EXPECTED";
/// `1` when the database file was evicted from the OS page cache.
const COLD: &str = "FG_BENCH_COLD";

/// What matching the lockfile found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Found {
    vulnerabilities: usize,
    records: usize,
    affected: usize,
}

impl Found {
    fn encode(self) -> String {
        format!("{},{},{}", self.vulnerabilities, self.records, self.affected)
    }

    fn decode(text: &str) -> Option<Found> {
        let mut parts = text.split(',').map(|p| p.parse().ok());
        let found = Found {
            vulnerabilities: parts.next()??,
            records: parts.next()??,
            affected: parts.next()??,
        };
        parts.next().is_none().then_some(found)
    }
}

type Lockfile = Vec<(&'static str, String, String)>;

/// Every package of the lockfile through `vulnerabilities`.
fn match_all(source: &dyn AdvisorySource, lockfile: &Lockfile) -> Found {
    let mut found = Found { vulnerabilities: 0, records: 0, affected: 0 };
    for (ecosystem, name, version) in lockfile {
        let v = vulnerabilities(source, ecosystem, name, version);
        found.affected += usize::from(!v.is_empty());
        found.vulnerabilities += v.len();
        found.records += v.iter().map(|x| x.advisories.len()).sum::<usize>();
    }
    found
}

/// Streams the generated records into `{mirror}/npm/all.zip` and
/// `{mirror}/PyPI/all.zip` (deflated, one `{id}.json` entry per record, as
/// OSV's exports are), and into `index` those naming a lockfile package.
/// Returns the bytes of JSON written.
fn write_exports(
    mirror: &Path,
    shape: &Shape,
    lockfile: &Lockfile,
    index: &mut MemoryIndex,
) -> usize {
    let wanted: HashSet<(&str, String)> = lockfile
        .iter()
        .map(|(ecosystem, name, _)| (*ecosystem, normalize_name(ecosystem, name).into_owned()))
        .collect();
    let open = |ecosystem: &str| {
        let dir = mirror.join(ecosystem);
        std::fs::create_dir_all(&dir).expect("create the mirror directory");
        let file = File::create(dir.join("all.zip")).expect("create the export");
        zip::ZipWriter::new(BufWriter::new(file))
    };
    let mut npm = open("npm");
    let mut pypi = open("PyPI");
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut bytes = 0usize;
    advisories::records(shape, &mut |ecosystem, name, id, json| {
        bytes += json.len();
        let writer = if ecosystem == "npm" { &mut npm } else { &mut pypi };
        writer.start_file(format!("{id}.json"), options).expect("start an entry");
        writer.write_all(json.as_bytes()).expect("write an entry");
        if wanted.contains(&(ecosystem, normalize_name(ecosystem, name).into_owned())) {
            index.insert(parse_advisory(json.as_bytes()).expect("generated records are valid OSV"));
        }
    });
    for writer in [npm, pypi] {
        writer.finish().expect("finish the export").flush().expect("flush the export");
    }
    bytes
}

/// The current resident memory of this process in MB: (anonymous, file
/// backed). The database file is memory-mapped, so its pages read count in
/// the resident size; they are the OS page cache, not the heap.
fn rss_split_mb() -> Option<(f64, f64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<f64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb / 1024.0)
    };
    Some((field("RssAnon:")?, field("RssFile:")?))
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

fn main() {
    let total = env_usize("FG_BENCH_ADVISORIES", 300_000) as u64;
    let count = env_usize("FG_BENCH_PACKAGES", 10_000);
    let iterations = env_usize("FG_BENCH_ITERATIONS", 5).max(1);
    let shape = Shape::scaled(total);
    let lockfile = packages(&shape, count);
    if let Some(dir) = std::env::var_os(MATCH_DIR) {
        let expected = std::env::var(EXPECTED).ok().as_deref().and_then(Found::decode);
        let cold = std::env::var(COLD).is_ok_and(|v| v == "1");
        open_and_match(Path::new(&dir), &lockfile, iterations, expected, cold);
        return;
    }

    let tmp = tempfile::tempdir().expect("a temporary directory");
    let mirror = tmp.path().join("mirror");
    let db_dir = tmp.path().join("db");

    let started = Instant::now();
    let mut index = MemoryIndex::new(SourceInfo {
        name: "generated".to_string(),
        date: "2024-06-01".to_string(),
        count: 0,
        embedded: false,
    });
    let json_bytes = write_exports(&mirror, &shape, &lockfile, &mut index);
    let generated = started.elapsed();
    let zips = ["npm", "PyPI"].map(|e| file_size(&mirror.join(e).join("all.zip")));

    let source = format!("file://{}", mirror.display());
    let started = Instant::now();
    let report =
        update(&db_dir, &source, &["npm", "PyPI"], &mut |_| {}).expect("the import succeeds");
    let imported = started.elapsed();
    let import_rss = peak_rss_mb().unwrap_or(0.0);
    let stored: usize = report.ecosystems.iter().map(|e| e.records).sum();
    let rows: usize = report.ecosystems.iter().map(|e| e.rows).sum();
    let skipped: usize = report.ecosystems.iter().map(|e| e.skipped).sum();
    assert_eq!(stored as u64, shape.total(), "every generated record is stored");
    assert_eq!(skipped, 0, "no generated record is skipped");
    let db_size = file_size(&db_dir.join(FILE_NAME));

    let expected = match_all(&index, &lockfile);

    println!("faasguard_advisory_db match benchmark (release build, mimalloc, SQLite)");
    println!(
        "advisories: {} (npm {} MAL + {} GHSA over {} packages; PyPI {} MAL + {} PYSEC/GHSA over {} packages), {:.0} MB of JSON, exports {:.0} MB (npm) + {:.0} MB (PyPI) deflated, generated in {:.2} s",
        shape.total(),
        shape.npm_mal,
        shape.npm_vuln,
        shape.npm_packages,
        shape.pypi_mal,
        shape.pypi_vuln,
        shape.pypi_packages,
        mb(json_bytes as u64),
        mb(zips[0]),
        mb(zips[1]),
        generated.as_secs_f64()
    );
    println!(
        "import (db update from file://): {:.2} s, {} records in {} rows, {:.0} records/s; database {:.0} MB; peak RSS {:.0} MB (generation included)",
        imported.as_secs_f64(),
        stored,
        rows,
        stored as f64 / imported.as_secs_f64().max(1e-9),
        mb(db_size),
        import_rss
    );

    let cold = evict(&db_dir.join(FILE_NAME));
    // A fresh process: its peak memory is that of opening and matching.
    let exe = std::env::current_exe().expect("this bench's path");
    let status = Command::new(exe)
        .env(MATCH_DIR, &db_dir)
        .env(EXPECTED, expected.encode())
        .env(COLD, if cold { "1" } else { "0" })
        .status()
        .expect("start the matching process");
    assert!(status.success(), "the matching process failed: {status}");
}

/// Drops `file` from the OS page cache (GNU dd: `count=0` with `nocache`
/// advises the kernel to drop the whole file); whether that worked.
fn evict(file: &Path) -> bool {
    let mut input = std::ffi::OsString::from("if=");
    input.push(file);
    Command::new("dd")
        .arg(input)
        .args(["iflag=nocache", "count=0", "status=none"])
        .status()
        .is_ok_and(|s| s.success())
}

/// Opens the database in `dir` and matches the lockfile against it; the
/// first run is a cold-cache one when `cold`.
fn open_and_match(
    dir: &Path,
    lockfile: &Lockfile,
    iterations: usize,
    expected: Option<Found>,
    cold: bool,
) {
    let before = peak_rss_mb().unwrap_or(0.0);
    let started = Instant::now();
    let db = Database::open(dir).expect("the database opens").expect("there is a database");
    let opened = started.elapsed();
    let after_open = peak_rss_mb().unwrap_or(0.0);

    let mut times = Vec::new();
    let mut found = None;
    for _ in 0..iterations {
        let started = Instant::now();
        let run = match_all(&db, lockfile);
        times.push(started.elapsed());
        assert!(found.is_none_or(|f| f == run), "every run finds the same");
        found = Some(run);
    }
    let matching = median(times.clone());
    let after_match = peak_rss_mb().unwrap_or(0.0);
    let (anon, file) = rss_split_mb().unwrap_or_default();
    if let Some(e) = db.take_error() {
        panic!("a lookup failed: {e}");
    }
    let found = found.expect("at least one run");
    // Outside the timed runs: a lookup parses the stored records again.
    let looked_up = lockfile.iter().filter(|(e, n, _)| !db.lookup(e, n).is_empty()).count();

    println!(
        "load (Database::open): {:.1} ms; peak RSS {:.0} MB after open ({:.0} MB before), {:.0} MB after matching (then {:.0} MB heap and {:.0} MB of mapped files: the database pages read, which are the OS page cache)",
        opened.as_secs_f64() * 1e3,
        after_open,
        before,
        after_match,
        anon,
        file
    );
    println!(
        "matching: {} packages ({} npm, {} PyPI), {} with advisories in the database, {} affected: {} vulnerabilities from {} records",
        lockfile.len(),
        lockfile.iter().filter(|p| p.0 == "npm").count(),
        lockfile.iter().filter(|p| p.0 == "PyPI").count(),
        looked_up,
        found.affected,
        found.vulnerabilities,
        found.records
    );
    let runs: Vec<String> = times.iter().map(|t| format!("{:.1}", t.as_secs_f64() * 1e3)).collect();
    println!(
        "matching time: median {:.1} ms over {} runs [{} ms], {:.1} us per package (bar: < 1000 ms); first run {:.1} ms ({})",
        matching.as_secs_f64() * 1e3,
        iterations,
        runs.join(", "),
        matching.as_secs_f64() * 1e6 / lockfile.len().max(1) as f64,
        times[0].as_secs_f64() * 1e3,
        if cold {
            "cold: the database file not in the OS page cache, as a scan after a reboot"
        } else {
            "the OS page cache could not be dropped: warm"
        }
    );
    match expected {
        Some(expected) => {
            assert_eq!(found, expected, "the database finds what the in-memory index finds");
            println!("same counts as the in-memory index over the same records: yes");
        }
        None => println!("same counts as the in-memory index: not checked (run through main)"),
    }
    if matching.as_secs_f64() >= 1.0 {
        println!("BAR MISSED: matching took {:.2} s", matching.as_secs_f64());
    }
    if cold && times[0].as_secs_f64() >= 1.0 {
        println!("BAR MISSED on a cold cache: the first run took {:.2} s", times[0].as_secs_f64());
    }
}
