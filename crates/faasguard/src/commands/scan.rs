//! `faasguard scan`: walk, read, load, check, report, and decide the exit code.
//!
//! The pipeline has five phases, each parallel inside and ordered between:
//! discovery (sorted), reading every candidate into one [`SourceDb`]
//! (file ids follow the sorted order, so output is deterministic; formats
//! spanning several files will look their neighbours up there), loading each
//! file, reading the function code the apps point at into the same
//! database (after the IaC, so IaC file ids do not move), and checking each
//! app with that code. Problems with the user's files are findings; only
//! problems of the tool itself (an unwritable output file) are errors. Code
//! files are never IaC: one that cannot be read is a warning, and the
//! function whose handler it holds gets a note from the inference.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use faasguard_code::{handler, paths};
use faasguard_diagnostics::{Finding, RuleMeta};
use faasguard_linter::Settings;
use faasguard_linter::config::Exclusions;
use faasguard_loaders::LoadOutcome;
use faasguard_model::App;
use faasguard_report::{EmitOptions, FormatCount, OutputFormat, Report, ScanStats};
use faasguard_source::{FileId, LineCol, SourceDb, SourceFile, Span};
use faasguard_syntax::{MAX_FILE_BYTES, ParseError, ParseErrorKind};
use rayon::prelude::*;
use time::macros::format_description;
use time::{Date, OffsetDateTime};

use crate::args::{ColorArg, ScanArgs};
use crate::commands::deps;
use crate::commands::explain::unknown_rule_message;
use crate::discover::{self, Root, display_path};

pub(crate) fn run(args: &ScanArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    // Built from the default rather than a literal: the linter may add
    // fields, and their defaults are what the CLI wants.
    let mut settings = Settings { today: Some(today_utc()), ..Settings::default() };
    settings.select.extend(validated_rules(&args.select)?);
    settings.ignore.extend(validated_rules(&args.ignore)?);
    let exclusions = match &args.exclusions {
        Some(path) => read_exclusions(path)?,
        None => Exclusions::default(),
    };
    settings.iam_exclusions = exclusions.iam.clone();
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

    let mut scan = analyse(&discovery, &settings);
    for warning in &scan.warnings {
        eprintln!("faasguard: warning: {warning}");
    }
    let notes = deps::check(
        &mut scan,
        &discovery.deps,
        &settings,
        args.offline_db.as_deref(),
        settings.today.as_deref().unwrap_or_default(),
    )?;
    for note in &notes {
        eprintln!("faasguard: {note}");
    }
    let before = scan.findings.len();
    scan.findings.retain(|f| !exclusions.suppressions.iter().any(|s| s.matches(f)));
    let suppressed = before - scan.findings.len();
    let stats = ScanStats {
        files_seen: discovery.files_seen,
        iac_files: scan.iac_files,
        apps: scan.apps.len(),
        functions: scan.apps.iter().map(|a| a.functions.len()).sum(),
        parse_errors: scan.parse_errors,
        by_format: by_format(&scan.apps),
        suppressed,
        duration: started.elapsed(),
    };
    let report = Report {
        findings: &scan.findings,
        sources: &scan.db,
        rules: faasguard_linter::registry(),
        root: &root_display,
        stats,
        tool_version: env!("CARGO_PKG_VERSION"),
        secrets: &scan.secrets,
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

fn by_format(apps: &[App]) -> [FormatCount; 8] {
    let mut counts = [FormatCount::default(); 8];
    for app in apps {
        let name = app.format.as_str();
        let slot = counts.iter().position(|c| c.format == name || c.format.is_empty());
        if let Some(c) = slot.map(|i| &mut counts[i]) {
            c.format = name;
            c.apps += 1;
            c.functions += app.functions.len();
        }
    }
    counts
}

/// Today's date (UTC) as `YYYY-MM-DD`, for date-dependent rules. Computed
/// here because the core never reads the clock.
pub(crate) fn today_utc() -> String {
    iso_date(OffsetDateTime::now_utc().date())
}

fn iso_date(date: Date) -> String {
    // Cannot fail: a `Date` has every component the description names.
    date.format(format_description!("[year]-[month]-[day]")).unwrap_or_default()
}

/// Reads and parses the exclusions file. Any problem in it is a usage
/// error naming the place: a half-read file would hide or report the
/// wrong findings.
pub(crate) fn read_exclusions(path: &Path) -> anyhow::Result<Exclusions> {
    let text = std::fs::read_to_string(path).with_context(|| {
        format!(
            "cannot read the exclusions file `{}`: check that it exists and is UTF-8 text",
            path.display()
        )
    })?;
    let file = SourceFile::new(path.display().to_string().as_str(), text.as_str());
    let (exclusions, errors) = faasguard_linter::config::parse_exclusions(FileId(0), &text);
    if let Some(e) = errors.first() {
        let at = file.line_col(e.span.start);
        bail!(
            "{}:{}:{}: {} (the exclusions file is not used until this is fixed)",
            path.display(),
            at.line,
            at.column,
            e.message
        );
    }
    for s in &exclusions.suppressions {
        if find_rules(&s.rule).is_empty() {
            let at = file.line_col(s.span.start);
            bail!(
                "{}:{}:{}: {}",
                path.display(),
                at.line,
                at.column,
                unknown_rule_message(&s.rule)
            );
        }
    }
    Ok(exclusions)
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

pub(crate) fn roots(paths: &[PathBuf]) -> anyhow::Result<Vec<Root>> {
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

pub(crate) struct Scan {
    pub(crate) db: SourceDb,
    pub(crate) apps: Vec<App>,
    pub(crate) findings: Vec<Finding>,
    /// Spans of secret values, from every finding before `--select`/`--ignore`.
    secrets: Vec<Span>,
    iac_files: usize,
    parse_errors: usize,
    /// Display paths of files whose loading or checking panicked.
    pub(crate) internal_errors: Vec<String>,
    /// Code files left unread (limits, unreadable), for stderr.
    pub(crate) warnings: Vec<String>,
    /// The lockfiles and manifests read by the dependency phase.
    pub(crate) lockfiles: Vec<faasguard_deps::Lockfile>,
}

impl Scan {
    /// Findings of a later phase: filtered by the settings like the rest,
    /// and the whole list sorted again.
    pub(crate) fn add_findings(&mut self, found: Vec<Finding>, settings: &Settings) {
        self.secrets.extend(found.iter().flat_map(|f| f.secrets.iter().copied()));
        self.findings.extend(found.into_iter().filter(|f| selected(settings, f)));
        sort_findings(&self.db, &mut self.findings);
    }
}

pub(crate) fn analyse(discovery: &discover::Discovery, settings: &Settings) -> Scan {
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

    let units = load_units(candidates, &texts, &db);
    let loaded: Vec<(String, std::thread::Result<Option<LoadOutcome>>)> = units
        .par_iter()
        .map(|unit| {
            let display = unit.display(candidates);
            (display, catch_unwind(AssertUnwindSafe(|| unit.load(candidates, &texts, &db))))
        })
        .collect();

    let mut apps = Vec::new();
    let mut iac_files = 0;
    let mut internal_errors = Vec::new();
    for (path, outcome) in loaded {
        match outcome {
            Ok(None) => {}
            Ok(Some(outcome)) => {
                iac_files += 1;
                parse_errors += outcome.errors.len();
                findings.extend(outcome.errors.iter().map(|e| {
                    let file = db.get(e.span.file).map_or(path.as_str(), |f| &*f.path);
                    faasguard_linter::parse_error_finding(file, e)
                }));
                apps.extend(outcome.apps);
            }
            Err(_) => internal_errors.push(format!("`{path}` (loading)")),
        }
    }

    let (warnings, unreadable) = read_code(&discovery.code, &code_dirs(&apps, &db), &mut db);
    let checked: Vec<(usize, std::thread::Result<Vec<Finding>>)> = apps
        .par_iter()
        .enumerate()
        .map(|(i, app)| {
            let check = || faasguard_linter::check_app_with_sources(app, settings, &db);
            (i, catch_unwind(AssertUnwindSafe(check)))
        })
        .collect();
    for (i, result) in checked {
        match result {
            Ok(found) => findings.extend(found),
            Err(_) => internal_errors.push(format!("`{}` (checking)", apps[i].name)),
        }
    }

    // Unreadable code files join the database only now, empty, so that the
    // finding has a place to point at while no analysis read them as code.
    for (path, reason) in unreadable {
        let id = db.add(SourceFile::new(path.as_str(), ""));
        findings.push(faasguard_linter::unreadable_code_finding(
            &path,
            Span::file_start(id),
            &reason,
        ));
    }

    // Collected before filtering: a secret found by a rule the user did not
    // select must still be masked in other findings' code frames.
    let secrets: Vec<Span> = findings.iter().flat_map(|f| f.secrets.iter().copied()).collect();
    findings.retain(|f| selected(settings, f));
    sort_findings(&db, &mut findings);
    Scan {
        db,
        apps,
        findings,
        secrets,
        iac_files,
        parse_errors,
        internal_errors,
        warnings,
        lockfiles: Vec::new(),
    }
}

/// Most code files one scan reads, and most bytes: a directory that holds
/// a vendored SDK or build output next to a template must not make the
/// scan read gigabytes. Past either, the rest is named in a warning.
const MAX_CODE_FILES: usize = 20_000;
const MAX_CODE_BYTES: u64 = 200 * 1024 * 1024;

/// Code files named in a warning; the rest are counted.
const MAX_NAMED: usize = 5;

/// The directories the apps' code may lie in, as display paths (`""` is
/// the scan root), without one inside another: the directory of each app
/// (`faasguard_code::handler::app_dir`) and each function's code location
/// (`code_locations`); a location naming the code file itself (`source_file`,
/// `scriptFile`) stands for its directory, whose files are its neighbours.
fn code_dirs(apps: &[App], db: &SourceDb) -> Vec<String> {
    let mut dirs: Vec<String> = Vec::new();
    for app in apps {
        for f in &app.functions {
            for loc in handler::code_locations(app, f, db) {
                let is_file = discover::is_code_name(Path::new(loc.as_str()));
                dirs.push(if is_file { paths::parent(&loc).to_string() } else { loc });
            }
        }
        dirs.push(handler::app_dir(app, db));
    }
    dirs.sort();
    dirs.dedup();
    let mut minimal: Vec<String> = Vec::new();
    for dir in dirs {
        if !minimal.iter().any(|outer| paths::under(&dir, outer)) {
            minimal.push(dir);
        }
    }
    minimal
}

/// Reads the code files under `dirs` into `db`, in display order, within
/// the same per-file limits as IaC and the scan's code budget. Returns the
/// warnings for what was left out: a function whose handler is among them
/// gets a "not found" note from the inference, never a `parse-error`.
fn read_code(
    code: &[discover::Candidate],
    dirs: &[String],
    db: &mut SourceDb,
) -> (Vec<String>, Vec<(String, String)>) {
    let wanted: Vec<&discover::Candidate> = code
        .iter()
        .filter(|c| db.find(&c.display).is_none())
        .filter(|c| dirs.iter().any(|d| paths::under(&c.display, d)))
        .collect();
    if wanted.is_empty() {
        return (Vec::new(), Vec::new());
    }
    // Sizes first, so the budget is spent in display order whatever order
    // the threads finish in, and nothing past it is read.
    let sizes: Vec<Option<u64>> =
        wanted.par_iter().map(|c| std::fs::metadata(&c.path).ok().map(|m| m.len())).collect();
    let (mut chosen, mut over_budget) = (Vec::new(), Vec::new());
    let mut total: u64 = 0;
    for (c, size) in wanted.iter().zip(&sizes) {
        let size = size.unwrap_or(0).min(MAX_FILE_BYTES as u64 + 1);
        if chosen.len() >= MAX_CODE_FILES || total.saturating_add(size) > MAX_CODE_BYTES {
            over_budget.push(format!("`{}`", c.display));
        } else {
            total += size;
            chosen.push(*c);
        }
    }
    let texts: Vec<Result<String, ParseError>> =
        chosen.par_iter().map(|c| read_candidate(FileId(0), &c.path)).collect();
    let mut unreadable = Vec::new();
    for (c, text) in chosen.iter().zip(texts) {
        match text {
            Ok(text) => {
                db.add(SourceFile::new(c.display.as_str(), text));
            }
            Err(e) => unreadable.push((c.display.clone(), e.message)),
        }
    }
    let mut warnings = Vec::new();
    if !over_budget.is_empty() {
        warnings.push(format!(
            "read {} function code files ({} MB), the most one scan reads ({MAX_CODE_FILES} \
             files, {} MB); {} more under the apps' directories were not read: {}; scan the \
             function directories separately to analyse their code",
            chosen.len(),
            total / (1024 * 1024),
            MAX_CODE_BYTES / (1024 * 1024),
            over_budget.len(),
            named(&over_budget)
        ));
    }
    (warnings, unreadable)
}

/// The first few entries of a list, then a count of the rest.
fn named(items: &[String]) -> String {
    let mut out: Vec<String> = items.iter().take(MAX_NAMED).cloned().collect();
    if items.len() > MAX_NAMED {
        out.push(format!("and {} more", items.len() - MAX_NAMED));
    }
    out.join(", ")
}

/// What one loader call reads: a single file (CloudFormation, Serverless
/// Framework), or a Terraform module (every `.tf` file of a directory).
enum Unit {
    File(usize),
    TerraformModule { dir: String, files: Vec<FileId> },
    AzureProject { dir: String, files: Vec<FileId> },
}

impl Unit {
    fn display(&self, candidates: &[discover::Candidate]) -> String {
        match self {
            Unit::File(i) => candidates[*i].display.clone(),
            Unit::TerraformModule { dir, .. } | Unit::AzureProject { dir, .. }
                if dir.is_empty() =>
            {
                ".".to_string()
            }
            Unit::TerraformModule { dir, .. } | Unit::AzureProject { dir, .. } => dir.clone(),
        }
    }

    fn load(
        &self,
        candidates: &[discover::Candidate],
        texts: &[Result<String, ParseError>],
        db: &SourceDb,
    ) -> Option<LoadOutcome> {
        match self {
            Unit::File(i) => {
                let (path, text) = (candidates[*i].display.as_str(), texts[*i].as_deref().ok()?);
                let id = file_id(*i);
                // Serverless first: its `resources:` section holds
                // CloudFormation, which would otherwise pass for a template.
                if faasguard_loader_serverless::is_serverless_config(path, text) {
                    return Some(faasguard_loader_serverless::load(db, id));
                }
                faasguard_loaders::load_file(id, path, text)
            }
            Unit::TerraformModule { dir, files } => {
                Some(faasguard_loader_terraform::load_module(db, dir, files))
            }
            Unit::AzureProject { dir, files } => {
                Some(faasguard_loader_azure::load_project(db, dir, files))
            }
        }
    }
}

/// Splits the readable candidates into loader calls. Terraform files are
/// grouped by directory, and a directory that another module calls with
/// `source = "./..."` is loaded only through its caller (with the caller's
/// inputs), so its resources are not reported twice. Azure Functions files
/// are grouped by function app: the directory of `host.json`,
/// `local.settings.json` and `function_app.py`, and the parent of each
/// `<Function>/function.json`, as the Functions host lays them out.
fn load_units(
    candidates: &[discover::Candidate],
    texts: &[Result<String, ParseError>],
    db: &SourceDb,
) -> Vec<Unit> {
    let mut units = Vec::new();
    let mut modules: std::collections::BTreeMap<String, Vec<FileId>> = Default::default();
    let mut azure: std::collections::BTreeMap<String, Vec<FileId>> = Default::default();
    let parent = |path: &str| path.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    for (i, c) in candidates.iter().enumerate() {
        if texts[i].is_err() {
            continue;
        }
        if faasguard_loader_terraform::is_terraform_file(&c.display) {
            modules.entry(parent(&c.display)).or_default().push(file_id(i));
        } else if faasguard_loader_azure::is_azure_file(&c.display) {
            let dir = parent(&c.display);
            let is_function = c
                .display
                .rsplit('/')
                .next()
                .is_some_and(|n| n.eq_ignore_ascii_case("function.json"));
            let app_dir = if is_function { parent(&dir) } else { dir };
            azure.entry(app_dir).or_default().push(file_id(i));
        } else {
            units.push(Unit::File(i));
        }
    }
    let called: std::collections::BTreeSet<String> = modules
        .par_iter()
        .flat_map_iter(|(dir, files)| {
            faasguard_loader_terraform::local_module_calls(db, dir, files)
                .into_iter()
                .filter(move |child| child != dir)
        })
        .collect();
    units.extend(
        modules
            .into_iter()
            .filter(|(dir, _)| !called.contains(dir))
            .map(|(dir, files)| Unit::TerraformModule { dir, files }),
    );
    units.extend(azure.into_iter().map(|(dir, files)| Unit::AzureProject { dir, files }));
    units
}

fn file_id(index: usize) -> FileId {
    FileId(u32::try_from(index).unwrap_or(u32::MAX))
}

/// Reads one candidate, refusing what the parsers must never see: files
/// over the size limit (judged from metadata, before reading), binary and
/// non-UTF-8 files. Each refusal is a `parse-error` finding, not an error.
fn read_candidate(file: FileId, path: &Path) -> Result<String, ParseError> {
    read_limited(file, path, MAX_FILE_BYTES)
}

/// [`read_candidate`] with another size limit (lockfiles are larger than
/// any template).
pub(crate) fn read_limited(file: FileId, path: &Path, limit: usize) -> Result<String, ParseError> {
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
            "file is {len} bytes, over the {limit} byte limit; split it or exclude it from the scan"
        ),
    };
    if meta.len() > limit as u64 {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // Read one byte past the limit: a file that grew since `metadata` is
    // still caught without reading it whole.
    File::open(path)
        .and_then(|f| f.take(limit as u64 + 1).read_to_end(&mut bytes))
        .map_err(|e| io_error("read", e))?;
    if bytes.len() > limit {
        return Err(too_large(bytes.len() as u64));
    }
    faasguard_syntax::check_text_within(file, &bytes, limit).map(str::to_string)
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

#[cfg(test)]
mod tests {
    use faasguard_model::{Code, Format, Function, Provider, Val};

    use super::*;

    fn app_with(format: Format, file: &str, name: &str, locations: &[&str]) -> (App, SourceDb) {
        let mut db = SourceDb::new();
        let id = db.add(SourceFile::new(file, ""));
        let mut app = App::new(name, format, id);
        for loc in locations {
            let mut f = Function::new("F", Span::file_start(id), Provider::Aws);
            f.code = Some(Code::Location(Val::explicit(loc.to_string(), Span::file_start(id))));
            app.functions.push(f);
        }
        (app, db)
    }

    #[test]
    fn code_lies_under_the_app_and_its_code_locations() {
        let (app, db) =
            app_with(Format::Sam, "infra/template.yaml", "infra/template.yaml", &["../src/"]);
        assert_eq!(code_dirs(&[app], &db), ["infra", "src"]);
        // Archives and remote code add nothing; a template at the root covers all.
        let (app, db) = app_with(
            Format::Sam,
            "template.yaml",
            "template.yaml",
            &["s3://b/k.zip", "dist/f.zip", "src"],
        );
        assert_eq!(code_dirs(&[app], &db), [""]);
        // Terraform: relative to the module and to the scan root; a file's directory.
        let (app, db) = app_with(Format::Terraform, "infra/main.tf", "infra", &["lambda/app.py"]);
        assert_eq!(code_dirs(&[app], &db), ["infra", "lambda"]);
    }

    #[test]
    fn civil_dates_from_unix_days() {
        let day = |n| iso_date(OffsetDateTime::UNIX_EPOCH.date() + time::Duration::days(n));
        assert_eq!(day(0), "1970-01-01");
        assert_eq!(day(19_782), "2024-02-29");
        assert_eq!(day(20_780), "2026-11-23");
    }
}
