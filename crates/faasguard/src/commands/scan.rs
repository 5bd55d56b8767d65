//! `faasguard scan`: walk, read, load, check, report, and decide the exit code.
//!
//! The pipeline has four phases, each parallel inside and ordered between:
//! discovery (sorted), reading every candidate into one [`SourceDb`]
//! (file ids follow the sorted order, so output is deterministic; formats
//! spanning several files will look their neighbours up there), loading each
//! file, and checking each app. Problems with the user's files are
//! findings; only problems of the tool itself (an unwritable output file)
//! are errors.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use faasguard_diagnostics::{Finding, RuleMeta};
use faasguard_linter::Settings;
use faasguard_loaders::LoadOutcome;
use faasguard_model::App;
use faasguard_report::{EmitOptions, OutputFormat, Report, ScanStats};
use faasguard_source::{FileId, LineCol, SourceDb, SourceFile, Span};
use faasguard_syntax::{MAX_FILE_BYTES, ParseError, ParseErrorKind};
use rayon::prelude::*;

use crate::args::{ColorArg, ScanArgs};
use crate::commands::explain::unknown_rule_message;
use crate::discover::{self, Root, display_path};

pub(crate) fn run(args: &ScanArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    // Built from the default rather than a literal: the linter may add
    // fields, and their defaults are what the CLI wants.
    let mut settings = Settings::default();
    settings.select.extend(validated_rules(&args.select)?);
    settings.ignore.extend(validated_rules(&args.ignore)?);
    let roots = roots(&args.paths)?;
    let root_display = match roots.as_slice() {
        [only] => Some(display_path(&only.path)).filter(|p| !p.is_empty()),
        _ => None,
    }
    .unwrap_or_else(|| ".".to_string());

    let discovery = discover::discover(&roots);
    for warning in &discovery.warnings {
        eprintln!("faasguard: warning: {warning}");
    }

    let scan = analyse(&discovery, &settings);
    let stats = ScanStats {
        files_seen: discovery.files_seen,
        iac_files: scan.iac_files,
        apps: scan.apps.len(),
        functions: scan.apps.iter().map(|a| a.functions.len()).sum(),
        parse_errors: scan.parse_errors,
        duration: started.elapsed(),
    };
    let report = Report {
        findings: &scan.findings,
        sources: &scan.db,
        rules: faasguard_linter::registry(),
        root: &root_display,
        stats,
        tool_version: env!("CARGO_PKG_VERSION"),
    };
    write_report(args, &report)?;

    if !scan.internal_errors.is_empty() {
        bail!(
            "internal error while analysing {}; the report above is incomplete. \
             Please report this with the file if you can share it",
            scan.internal_errors.join(", ")
        );
    }
    let failed =
        args.fail_on.threshold().is_some_and(|t| scan.findings.iter().any(|f| f.severity >= t));
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// Checks every `--select`/`--ignore` entry names a rule (code, name or
/// code prefix), so a typo is a usage error instead of a silent no-op.
fn validated_rules(entries: &[String]) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    for entry in entries.iter().map(|e| e.trim()).filter(|e| !e.is_empty()) {
        if find_rules(entry).is_empty() {
            bail!("{}", unknown_rule_message(entry));
        }
        out.push(entry.to_string());
    }
    Ok(out)
}

/// The rules an entry of `--select`/`--ignore` stands for.
fn find_rules(entry: &str) -> Vec<&'static RuleMeta> {
    let registry = faasguard_linter::registry();
    if let Some(rule) = faasguard_linter::find_rule(entry) {
        return vec![rule];
    }
    let upper = entry.to_ascii_uppercase();
    registry.iter().filter(|r| r.code.starts_with(&upper)).collect()
}

/// Whether a finding survives `--select`/`--ignore`. The linter applies the
/// same selection to its rules; this also covers findings made here
/// (`parse-error` for unreadable files and symlink loops).
fn selected(settings: &Settings, finding: &Finding) -> bool {
    let matches = |entry: &String| find_rules(entry).iter().any(|r| r.code == finding.code);
    (settings.select.is_empty() || settings.select.iter().any(matches))
        && !settings.ignore.iter().any(matches)
}

fn roots(paths: &[PathBuf]) -> anyhow::Result<Vec<Root>> {
    let many = paths.len() > 1;
    paths
        .iter()
        .map(|path| {
            std::fs::metadata(path).with_context(|| {
                format!(
                    "cannot scan `{}`: check that the path exists and is readable",
                    path.display()
                )
            })?;
            let prefix = if many { display_path(path) } else { String::new() };
            Ok(Root { path: path.clone(), prefix })
        })
        .collect()
}

struct Scan {
    db: SourceDb,
    apps: Vec<App>,
    findings: Vec<Finding>,
    iac_files: usize,
    parse_errors: usize,
    /// Display paths of files whose loading or checking panicked.
    internal_errors: Vec<String>,
}

fn analyse(discovery: &discover::Discovery, settings: &Settings) -> Scan {
    let candidates = &discovery.candidates;
    let texts: Vec<Result<String, ParseError>> = candidates
        .par_iter()
        .enumerate()
        .map(|(i, c)| read_candidate(file_id(i), &c.path))
        .collect();

    let mut db = SourceDb::new();
    for (c, text) in candidates.iter().zip(&texts) {
        let text = text.as_deref().unwrap_or("");
        db.add(SourceFile::new(c.display.as_str(), text));
    }
    let mut findings: Vec<Finding> = Vec::new();
    let mut parse_errors = 0;
    for (i, (c, text)) in candidates.iter().zip(&texts).enumerate() {
        if let Err(err) = text {
            debug_assert_eq!(err.span.file, file_id(i));
            parse_errors += 1;
            findings.push(faasguard_linter::parse_error_finding(&c.display, err));
        }
    }
    for l in &discovery.loops {
        let id = db.add(SourceFile::new(l.display.as_str(), ""));
        let error = ParseError {
            kind: ParseErrorKind::Structure,
            span: Span::file_start(id),
            message: format!(
                "symbolic link loop: `{}` points back to its ancestor `{}` and was not followed; \
                 remove the link or list it in .gitignore",
                l.display,
                if l.ancestor.is_empty() { "." } else { &l.ancestor }
            ),
        };
        parse_errors += 1;
        findings.push(faasguard_linter::parse_error_finding(&l.display, &error));
    }

    let loaded: Vec<(usize, std::thread::Result<Option<LoadOutcome>>)> = texts
        .par_iter()
        .enumerate()
        .filter_map(|(i, t)| t.as_ref().ok().map(|text| (i, text)))
        .map(|(i, text)| {
            let path = candidates[i].display.as_str();
            (
                i,
                catch_unwind(AssertUnwindSafe(|| {
                    faasguard_loaders::load_file(file_id(i), path, text)
                })),
            )
        })
        .collect();

    let mut apps = Vec::new();
    let mut iac_files = 0;
    let mut internal_errors = Vec::new();
    for (i, outcome) in loaded {
        let path = &candidates[i].display;
        match outcome {
            Ok(None) => {}
            Ok(Some(outcome)) => {
                iac_files += 1;
                parse_errors += outcome.errors.len();
                findings.extend(
                    outcome.errors.iter().map(|e| faasguard_linter::parse_error_finding(path, e)),
                );
                apps.extend(outcome.apps);
            }
            Err(_) => internal_errors.push(format!("`{path}` (loading)")),
        }
    }

    let checked: Vec<(usize, std::thread::Result<Vec<Finding>>)> = apps
        .par_iter()
        .enumerate()
        .map(|(i, app)| {
            (i, catch_unwind(AssertUnwindSafe(|| faasguard_linter::check_app(app, settings))))
        })
        .collect();
    for (i, result) in checked {
        match result {
            Ok(found) => findings.extend(found),
            Err(_) => internal_errors.push(format!("`{}` (checking)", apps[i].name)),
        }
    }

    findings.retain(|f| selected(settings, f));
    sort_findings(&db, &mut findings);
    Scan { db, apps, findings, iac_files, parse_errors, internal_errors }
}

fn file_id(index: usize) -> FileId {
    FileId(u32::try_from(index).unwrap_or(u32::MAX))
}

/// Reads one candidate, refusing what the parsers must never see: files
/// over the size limit (judged from metadata, before reading), binary and
/// non-UTF-8 files. Each refusal is a `parse-error` finding, not an error.
fn read_candidate(file: FileId, path: &Path) -> Result<String, ParseError> {
    let io_error = |what: &str, e: io::Error| ParseError {
        kind: ParseErrorKind::Syntax,
        span: Span::file_start(file),
        message: format!("cannot {what} the file: {e}; check its permissions or exclude it"),
    };
    let meta = std::fs::metadata(path).map_err(|e| io_error("inspect", e))?;
    let too_large = |len: u64| ParseError {
        kind: ParseErrorKind::TooLarge,
        span: Span::file_start(file),
        message: format!(
            "file is {len} bytes, over the {MAX_FILE_BYTES} byte limit; split it or exclude it from the scan"
        ),
    };
    if meta.len() > MAX_FILE_BYTES as u64 {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // Read one byte past the limit: a file that grew since `metadata` is
    // still caught without reading it whole.
    File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES as u64 + 1).read_to_end(&mut bytes))
        .map_err(|e| io_error("read", e))?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    faasguard_syntax::check_text(file, &bytes).map(str::to_string)
}

/// Path, then position, then rule code: stable whatever order threads finished in.
fn sort_findings(db: &SourceDb, findings: &mut [Finding]) {
    findings.sort_by_cached_key(|f| {
        let (path, pos) = match db.get(f.primary.file) {
            Some(file) => (file.path.to_string(), file.line_col(f.primary.start)),
            None => (String::new(), LineCol { line: 0, column: 0 }),
        };
        (path, pos, f.code, f.message.clone(), f.fingerprint())
    });
}

fn write_report(args: &ScanArgs, report: &Report<'_>) -> anyhow::Result<()> {
    let format = OutputFormat::from(args.format);
    match &args.output {
        Some(path) => {
            let context = || {
                format!(
                    "cannot write the report to `{}`: check that its directory exists and is writable",
                    path.display()
                )
            };
            let file = File::create(path).with_context(context)?;
            let mut out = BufWriter::new(file);
            faasguard_report::emit(format, report, EmitOptions { color: false }, &mut out)
                .with_context(context)?;
            out.flush().with_context(context)
        }
        None => {
            let color = match args.color {
                ColorArg::Always => true,
                ColorArg::Never => false,
                ColorArg::Auto => {
                    anstream::AutoStream::choice(&io::stdout()) != anstream::ColorChoice::Never
                }
            };
            crate::commands::write_stdout(|out| {
                faasguard_report::emit(format, report, EmitOptions { color }, out)
            })
        }
    }
}
