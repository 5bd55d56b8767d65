//! Every lockfile format against hand-written OSV advisories, end to end.
//!
//! `tests/fixtures/dependency-formats/advisories/<ecosystem>/*.json` are OSV
//! records built around the boundaries of the OSV evaluation: `introduced`
//! (affected), `fixed` (not), `last_affected` (inclusive), `introduced: "0"`,
//! pre-releases on both sides of a bound, `versions` lists, a withdrawn
//! record, two records merged through a shared alias, and PyPI names spelled
//! differently. They are zipped into an OSV mirror, imported with `faasguard
//! db update --source file://...`, and each project directory beside them
//! (one lockfile each) is scanned offline; the `DEP001` findings must be
//! exactly the project's `expected.txt`, whose lines were written from the
//! OSV semantics and the format, not copied from the tool.
//!
//! `expected.txt` holds `path:line name version ID` lines, sorted by path
//! then line number; lines starting with `#` say why the others are absent.

mod common;

use std::path::{Path, PathBuf};

use common::{faasguard, findings};
use faasguard_deps::LockfileKind;
use faasguard_testkit::zip_of;

/// The ecosystems of the fixture advisories, as OSV spells them (and as the
/// mirror's directories are named).
const ECOSYSTEMS: [&str; 5] = ["npm", "PyPI", "Go", "crates.io", "Maven"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dependency-formats")
}

/// The project directories: every directory of the fixture root except the
/// advisories, sorted so failures are reported in a stable order.
fn projects() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root())
        .expect("fixture root")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_dir() && p.file_name().is_some_and(|n| n != "advisories"))
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no project under {}", root().display());
    dirs
}

fn name_of(dir: &Path) -> String {
    dir.file_name().and_then(|n| n.to_str()).expect("UTF-8 name").to_string()
}

/// The files of a project other than `expected.txt`, by name.
fn project_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("project dir")
        .map(|e| e.expect("dir entry").file_name().into_string().expect("UTF-8 name"))
        .filter(|n| n != "expected.txt")
        .collect();
    names.sort();
    names
}

/// The one lockfile of a project and its kind. A project with several would
/// test their interplay rather than its format, so that is refused.
fn lockfile_of(dir: &Path) -> (String, LockfileKind) {
    let files = project_files(dir);
    let kinds: Vec<(String, LockfileKind)> = files
        .iter()
        .filter_map(|f| {
            LockfileKind::of_path(&format!("{}/{f}", name_of(dir))).map(|k| (f.clone(), k))
        })
        .collect();
    match kinds.as_slice() {
        [one] if files.len() == 1 => one.clone(),
        _ => panic!(
            "project `{}` must hold exactly one lockfile and expected.txt; it holds {files:?}",
            name_of(dir)
        ),
    }
}

/// Writes `<mirror>/<ecosystem>/all.zip` from the fixture records, as an
/// OSV export is laid out; returns how many records each zip holds.
fn build_mirror(mirror: &Path) -> Vec<(&'static str, usize)> {
    let mut counts = Vec::new();
    for eco in ECOSYSTEMS {
        let dir = root().join("advisories").join(eco);
        let mut records: Vec<(String, String)> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.expect("dir entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .map(|p| {
                let name = p.file_name().and_then(|n| n.to_str()).expect("UTF-8 name").to_string();
                (name, std::fs::read_to_string(&p).expect("read record"))
            })
            .collect();
        records.sort();
        assert!(!records.is_empty(), "no advisory under {}", dir.display());
        let entries: Vec<(&str, &str)> =
            records.iter().map(|(n, body)| (n.as_str(), body.as_str())).collect();
        let out = mirror.join(eco);
        std::fs::create_dir_all(&out).expect("mkdir mirror");
        std::fs::write(out.join("all.zip"), zip_of(&entries)).expect("write zip");
        counts.push((eco, records.len()));
    }
    counts
}

/// `file:///...` for a local directory.
fn file_url(dir: &Path) -> String {
    let path = dir.to_str().expect("UTF-8 temp path").replace('\\', "/");
    if path.starts_with('/') { format!("file://{path}") } else { format!("file:///{path}") }
}

/// Imports the mirror into `db` and checks every record was read: a
/// record the importer skips (a fixture typo) would otherwise show up only
/// as a missing finding, far from its cause.
fn update_db(mirror: &Path, db: &Path, counts: &[(&str, usize)]) {
    let out = faasguard()
        .args(["db", "update", "--source", &file_url(mirror), "--ecosystem"])
        .arg(ECOSYSTEMS.join(","))
        .arg("--db-dir")
        .arg(db)
        .output()
        .expect("faasguard runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "db update failed\nstdout: {stdout}\nstderr: {stderr}");
    assert!(!stdout.contains("skipped"), "db update skipped records:\n{stdout}");
    for (eco, n) in counts {
        let line = stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(eco))
            .unwrap_or_else(|| panic!("db update does not report {eco}:\n{stdout}"));
        let words: Vec<&str> = line.split_whitespace().collect();
        let count = n.to_string();
        assert_eq!(words.get(1..3), Some(&[count.as_str(), "advisories"][..]), "{eco}: {line}");
    }
}

/// A fresh directory holding only the project's lockfile, to scan. Scanned
/// in place, `expected.txt` would be read too wherever the directory's name
/// makes it a dependency file: `requirements/*.txt` is pip's convention for
/// requirements files, and the `requirements` project is such a directory.
fn staged(dir: &Path) -> tempfile::TempDir {
    let (file, _) = lockfile_of(dir);
    let stage = tempfile::tempdir().expect("temp dir");
    std::fs::copy(dir.join(&file), stage.path().join(&file)).expect("copy lockfile");
    stage
}

/// Sorts `path:line ...` lines by path, then line number, then the rest.
fn sort_key(line: &str) -> (String, u64, String) {
    let (location, rest) = line.split_once(' ').unwrap_or((line, ""));
    let (path, number) = location.rsplit_once(':').unwrap_or((location, ""));
    (path.to_string(), number.parse().unwrap_or(u64::MAX), rest.to_string())
}

/// The `DEP001` findings of a scan of `dir` as `path:line name version ID`,
/// sorted, and every other finding as text. `INP004` (a lockfile that could
/// not be read in full) is selected too: a parse problem would otherwise
/// show only as missing matches, with no hint of its cause.
fn scan(dir: &Path, db: &Path) -> Result<(Vec<String>, Vec<String>), String> {
    let out = faasguard()
        .args(["scan", "--format", "json", "--fail-on", "none", "--select", "DEP001,INP004"])
        .arg("--offline-db")
        .arg(db)
        .arg(dir)
        .output()
        .expect("faasguard runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() != Some(0) {
        return Err(format!("scan exited with {:?}; stderr: {stderr}", out.status.code()));
    }
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("stdout is not JSON: {e}"))?;
    let mut lines = Vec::new();
    let mut others = Vec::new();
    for f in findings(&report) {
        let path = f["location"]["path"].as_str().unwrap_or("?");
        let line = f["location"]["start_line"].as_u64().unwrap_or(0);
        let message = f["message"].as_str().unwrap_or("");
        if f["code"] != "DEP001" {
            others.push(format!("{} {path}:{line}: {message}", f["code"]));
            continue;
        }
        // "<name> <version> is affected by <ID> (<aliases>)..." or "<ID>, CVSS ..."
        // or "<ID>: summary" when there are no aliases.
        let parsed = message.split_once(" is affected by ").and_then(|(subject, rest)| {
            let (name, version) = subject.rsplit_once(' ')?;
            let id = rest.split([' ', ',', ':']).next().filter(|id| !id.is_empty())?;
            Some(format!("{path}:{line} {name} {version} {id}"))
        });
        match parsed {
            Some(l) => lines.push(l),
            None => others.push(format!("unreadable DEP001 message at {path}:{line}: {message}")),
        }
    }
    lines.sort_by_key(|l| sort_key(l));
    Ok((lines, others))
}

/// The lines of `expected.txt`, comments and blank lines left out.
fn expected(dir: &Path) -> Vec<String> {
    let path = dir.join("expected.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// What differs, one line each: `-` expected but not reported, `+`
/// reported but not expected.
fn diff(expected: &[String], actual: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for line in expected {
        if !actual.contains(line) {
            out.push(format!("  - {line}    (expected, not reported)"));
        }
    }
    for line in actual {
        if !expected.contains(line) {
            out.push(format!("  + {line}    (reported, not expected)"));
        }
    }
    // Called only when the lists differ: with no line missing on either
    // side, one is listed more often than the other (a duplicated finding).
    if out.is_empty() {
        out.push(format!(
            "  expected {} lines, reported {}: a line is repeated\n  expected: {expected:#?}\n  \
             reported: {actual:#?}",
            expected.len(),
            actual.len()
        ));
    }
    out
}

#[test]
fn every_project_has_an_expected_file_and_one_lockfile() {
    for dir in projects() {
        assert!(
            dir.join("expected.txt").is_file(),
            "project `{}` has no expected.txt",
            name_of(&dir)
        );
        lockfile_of(&dir);
    }
}

#[test]
fn every_lockfile_kind_has_a_project() {
    let covered: Vec<LockfileKind> = projects().iter().map(|d| lockfile_of(d).1).collect();
    let missing: Vec<LockfileKind> =
        LockfileKind::ALL.into_iter().filter(|k| !covered.contains(k)).collect();
    assert!(missing.is_empty(), "no fixture project for {missing:?}");
}

#[test]
fn expected_files_are_sorted() {
    // Sorted files keep diffs of future edits small and make a line that is
    // listed twice easy to spot.
    for dir in projects() {
        let lines = expected(&dir);
        let mut sorted = lines.clone();
        sorted.sort_by_key(|l| sort_key(l));
        assert_eq!(lines, sorted, "{}/expected.txt is not sorted by path and line", name_of(&dir));
    }
}

#[test]
fn each_format_reports_exactly_the_expected_matches() {
    let mirror = tempfile::tempdir().expect("temp dir");
    let db = tempfile::tempdir().expect("temp dir");
    let counts = build_mirror(mirror.path());
    update_db(mirror.path(), db.path(), &counts);

    // Every project is scanned before failing, so one run shows every
    // format that disagrees.
    let mut failures = Vec::new();
    let mut checked = 0;
    for dir in projects() {
        let name = name_of(&dir);
        let mut want = expected(&dir);
        want.sort_by_key(|l| sort_key(l));
        let stage = staged(&dir);
        match scan(stage.path(), db.path()) {
            Err(e) => failures.push(format!("{name}: {e}")),
            Ok((got, others)) => {
                let mut problems = if want == got { Vec::new() } else { diff(&want, &got) };
                problems.extend(others.iter().map(|o| format!("  ! {o}")));
                if !problems.is_empty() {
                    failures.push(format!("{name}:\n{}", problems.join("\n")));
                }
            }
        }
        checked += 1;
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} fixture projects differ from their expected.txt \
         (tests/fixtures/dependency-formats/<project>/expected.txt):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
