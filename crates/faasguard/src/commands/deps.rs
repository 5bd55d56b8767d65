//! The dependency phase shared by `scan` and `sbom`: reading the lockfiles
//! and manifests the walk found, following requirements includes, parsing
//! them (`faasguard_deps`, pure), and choosing the advisory source.
//!
//! Reading is this module's job because the core does no IO; so is opening
//! the downloaded database. What cannot be read becomes a problem of its
//! lockfile (reported by `lockfile-parse-error`), never an error of the run.

use std::path::{Path, PathBuf};

use anyhow::bail;
use faasguard_advisory_db::Database;
use faasguard_code::paths;
use faasguard_deps::{Lockfile, LockfileKind, Problem};
use faasguard_osv::AdvisorySource;
use faasguard_source::{FileId, SourceDb, SourceFile, Span};
use rayon::prelude::*;

use crate::commands::scan::read_limited;
use crate::discover::Candidate;

/// Largest lockfile read: an npm lockfile of 100,000 packages is about
/// 40 MB; a file past this is reported, not read.
const MAX_LOCKFILE_BYTES: usize = 128 * 1024 * 1024;

/// Most lockfiles and manifests read in one scan, and most bytes in all: a
/// tree of vendored projects must not make a scan read gigabytes.
const MAX_DEP_FILES: usize = 5_000;
const MAX_DEP_BYTES: u64 = 1024 * 1024 * 1024;

/// Requirements includes followed, in all: `-r` chains are short in
/// practice, and a cycle must end.
const MAX_INCLUDES: usize = 200;

/// Reads and parses `deps` into `db`, with the requirements files they
/// include (`-r`, `-c`). Returns the lockfiles in display order and
/// warnings for what the budget left out.
pub(crate) fn read_lockfiles(
    deps: &[Candidate],
    db: &mut SourceDb,
) -> (Vec<Lockfile>, Vec<String>) {
    let mut warnings = Vec::new();
    let mut chosen: Vec<&Candidate> = Vec::new();
    let mut total: u64 = 0;
    let mut skipped = 0usize;
    for c in deps {
        let size = std::fs::metadata(&c.path).map(|m| m.len()).unwrap_or(0);
        if chosen.len() >= MAX_DEP_FILES
            || total.saturating_add(size.min(MAX_LOCKFILE_BYTES as u64)) > MAX_DEP_BYTES
        {
            skipped += 1;
            continue;
        }
        total += size.min(MAX_LOCKFILE_BYTES as u64);
        chosen.push(c);
    }
    if skipped > 0 {
        warnings.push(format!(
            "read {} lockfiles and manifests, the most one scan reads ({MAX_DEP_FILES} files, \
             {} MB); {skipped} more were not read: scan the projects separately",
            chosen.len(),
            MAX_DEP_BYTES / (1024 * 1024)
        ));
    }
    let mut queue: Vec<(String, PathBuf)> =
        chosen.iter().map(|c| (c.display.clone(), c.path.clone())).collect();
    let mut lockfiles: Vec<Lockfile> = Vec::new();
    let mut includes = 0usize;
    while !queue.is_empty() {
        let batch = std::mem::take(&mut queue);
        let texts: Vec<(String, PathBuf, Result<String, String>)> = batch
            .into_par_iter()
            .map(|(display, path)| {
                let text =
                    read_limited(FileId(0), &path, MAX_LOCKFILE_BYTES).map_err(|e| e.message);
                (display, path, text)
            })
            .collect();
        let mut parsed: Vec<(PathBuf, Lockfile)> = Vec::new();
        for (display, path, text) in texts {
            if db.find(&display).is_some() {
                continue;
            }
            let kind = LockfileKind::of_path(&display).unwrap_or(LockfileKind::Requirements);
            match text {
                Ok(text) => {
                    let id = db.add(SourceFile::new(display.as_str(), text));
                    parsed.push((path, Lockfile::empty(id, &display, kind)));
                }
                Err(reason) => {
                    let id = db.add(SourceFile::new(display.as_str(), ""));
                    let mut lock = Lockfile::empty(id, &display, kind);
                    lock.problems.push(Problem {
                        span: Span::file_start(id),
                        message: format!("the file could not be read ({reason})"),
                    });
                    lockfiles.push(lock);
                }
            }
        }
        let done: Vec<(PathBuf, Lockfile)> = parsed
            .into_par_iter()
            .map(|(path, lock)| {
                let text = db.get(lock.file).map_or("", |f| &f.text);
                (path, faasguard_deps::parse(lock.kind, lock.file, &lock.path, text))
            })
            .collect();
        for (path, mut lock) in done {
            for (include, span) in lock.includes.clone() {
                let dir = paths::parent(&lock.path);
                let Some(display) = paths::join(dir, &include) else {
                    lock.problems.push(Problem {
                        span,
                        message: format!(
                            "`{include}` lies outside the scanned directory and was not read; \
                             scan the directory that holds both files"
                        ),
                    });
                    continue;
                };
                let on_disk = path.parent().unwrap_or(Path::new(".")).join(&include);
                let known = db.find(&display).is_some()
                    || queue.iter().any(|(d, _)| *d == display)
                    || deps.iter().any(|c| c.display == display);
                if known {
                    continue;
                }
                if !on_disk.is_file() {
                    lock.problems.push(Problem {
                        span,
                        message: format!(
                            "the included file `{include}` does not exist; fix the path or remove \
                             the line"
                        ),
                    });
                } else if includes < MAX_INCLUDES {
                    includes += 1;
                    queue.push((display, on_disk));
                }
            }
            lockfiles.push(lock);
        }
    }
    lockfiles.sort_by(|a, b| a.path.cmp(&b.path));
    (lockfiles, warnings)
}

/// A warning for each ecosystem the lockfiles pin packages of but the
/// advisory source holds nothing for: its packages cannot match anything.
fn uncovered(lockfiles: &[Lockfile], advisories: &Advisories) -> Vec<String> {
    let held: Vec<String> = match advisories {
        Advisories::Downloaded(db) => db.status().into_iter().map(|s| s.ecosystem).collect(),
        Advisories::Embedded => vec!["npm".to_string(), "PyPI".to_string()],
    };
    let mut missing: Vec<(&str, &str)> = Vec::new();
    for lock in lockfiles {
        let eco = lock.kind.ecosystem().osv_name();
        if !held.iter().any(|h| h == eco)
            && lock.packages.iter().any(|p| p.pinned() && !p.dev)
            && !missing.iter().any(|(e, _)| *e == eco)
        {
            missing.push((eco, &lock.path));
        }
    }
    missing
        .into_iter()
        .map(|(eco, path)| {
            format!(
                "warning: the advisories in use hold nothing for {eco}, so the {eco} packages of \
                 `{path}` (and any other {eco} lockfile) were not checked; run `faasguard db \
                 update --ecosystem {eco}`"
            )
        })
        .collect()
}

/// Where the advisories of a scan come from.
pub(crate) enum Advisories {
    Downloaded(Box<Database>),
    Embedded,
}

impl Advisories {
    pub(crate) fn source(&self) -> &dyn AdvisorySource {
        match self {
            Advisories::Downloaded(db) => db.as_ref(),
            Advisories::Embedded => faasguard_osv::embedded(),
        }
    }
}

/// The downloaded database in `dir` (or the default directory), else the
/// snapshot built into the binary, with the notes to print about it. A
/// directory given on the command line must hold a database.
pub(crate) fn open_advisories(
    dir: Option<&Path>,
    today: &str,
) -> anyhow::Result<(Advisories, Vec<String>)> {
    let chosen = dir.map(Path::to_path_buf).unwrap_or_else(faasguard_advisory_db::default_dir);
    let mut notes = Vec::new();
    match Database::open(&chosen) {
        Ok(Some(db)) => {
            if let Some(age) = db.age_days(today)
                && age > 30
            {
                notes.push(format!(
                    "warning: the advisory database in `{}` is {age} days old; run `faasguard db \
                     update` for current advisories",
                    chosen.display()
                ));
            }
            Ok((Advisories::Downloaded(Box::new(db)), notes))
        }
        Ok(None) if dir.is_some() => bail!(
            "no advisory database in `{}`; run `faasguard db update --db-dir {}` first, or leave \
             out --offline-db to use the embedded snapshot",
            chosen.display(),
            chosen.display()
        ),
        Ok(None) => {
            let info = faasguard_osv::embedded().info();
            notes.push(format!(
                "note: no downloaded advisory database (`{}`); using the embedded snapshot of {} \
                 ({} advisories); run `faasguard db update` for current advisories",
                chosen.display(),
                info.date,
                info.count
            ));
            Ok((Advisories::Embedded, notes))
        }
        Err(e) if dir.is_some() => Err(e.into()),
        Err(e) => {
            let info = faasguard_osv::embedded().info();
            notes.push(format!(
                "warning: {e}; using the embedded snapshot of {} ({} advisories) instead",
                info.date, info.count
            ));
            Ok((Advisories::Embedded, notes))
        }
    }
}

/// The dependency rules over a finished scan: reads the lockfiles into the
/// scan's database, matches their packages when a rule needs advisories,
/// and adds the findings the settings select. Returns the notes to print
/// (which advisories were used, how old they are).
pub(crate) fn check(
    scan: &mut crate::commands::scan::Scan,
    deps: &[Candidate],
    settings: &faasguard_linter::Settings,
    db_dir: Option<&Path>,
    today: &str,
) -> anyhow::Result<Vec<String>> {
    let (lockfiles, mut notes) = read_lockfiles(deps, &mut scan.db);
    notes.iter_mut().for_each(|w| *w = format!("warning: {w}"));
    let wants_advisories =
        faasguard_linter::find_rule("DEP001").is_some_and(|r| settings.enables(r));
    let vulnerabilities = if wants_advisories && lockfiles.iter().any(|l| !l.packages.is_empty()) {
        let (advisories, more) = open_advisories(db_dir, today)?;
        notes.extend(more);
        notes.extend(uncovered(&lockfiles, &advisories));
        let found =
            faasguard_linter::dependencies::match_vulnerabilities(&lockfiles, advisories.source());
        if let Advisories::Downloaded(db) = &advisories
            && let Some(e) = db.take_error()
        {
            bail!("the advisory database could not be read: {e}");
        }
        found
    } else {
        Default::default()
    };
    let input = faasguard_linter::DependencyInput {
        lockfiles: &lockfiles,
        vulnerabilities: &vulnerabilities,
    };
    let found = faasguard_linter::check_dependencies(&scan.apps, &input, settings, &scan.db);
    scan.add_findings(found, settings);
    scan.lockfiles = lockfiles;
    Ok(notes)
}
