//! `faasguard iam`: what each function's execution role may really do.
//!
//! Loads and checks the apps exactly as `scan` does (so the risks shown are
//! the scan's own IAM and attack-path findings), then asks the IAM engine
//! for each role's effective permissions and renders them per function.
//! It is a report, not a gate: it exits 0 unless it cannot run; use
//! `faasguard scan --fail-on` in CI.
//!
//! Each AWS function's code is also analysed (`faasguard_privilege::infer`)
//! for what it uses, shown in the report; `--emit-policy DIR` writes the
//! least-privilege policy generated from that, as IAM JSON and as a
//! snippet in the app's own format.

use std::collections::{HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use faasguard_iam::catalog::{AccessLevel, catalog};
use faasguard_iam::effective::{Effective, ProblemKind, effective_with_boundary};
use faasguard_linter::Settings;
use faasguard_model::{App, FunctionId, PolicySource, Provider, Role, RoleId};
use faasguard_privilege::{Confidence, Inference, NeedSource, RefAttr};
use faasguard_report::{
    ActionPermission, CodeEvidence, CodeNeed, CodeNote, IamCode, IamFunction, IamProblem,
    IamReport, IamRole, ServicePermissions,
};

use crate::args::{IamArgs, IamFormat};
use crate::commands::scan::{self, Scan};
use crate::discover;

pub(crate) fn run(args: &IamArgs) -> anyhow::Result<ExitCode> {
    let mut settings = Settings { today: Some(scan::today_utc()), ..Settings::default() };
    if let Some(path) = &args.exclusions {
        settings.iam_exclusions = scan::read_exclusions(path)?.iam;
    }
    let roots = scan::roots(&args.paths)?;
    // Fail before the analysis, not after it.
    if let Some(dir) = &args.emit_policy {
        prepare_dir(dir)?;
    }
    let discovery = discover::discover(&roots);
    for warning in &discovery.warnings {
        eprintln!("faasguard: warning: {warning}");
    }
    let scan = scan::analyse(&discovery, &settings);
    for warning in &scan.warnings {
        eprintln!("faasguard: warning: {warning}");
    }
    let catalog = catalog();

    let mut functions = Vec::new();
    let mut internal_errors = scan.internal_errors.clone();
    let mut emitter = args.emit_policy.as_deref().map(Emitter::new);
    for app in &scan.apps {
        // A role shared by several functions is expanded once: an admin
        // role is 20,000 grants.
        let mut by_role: HashMap<RoleId, RolePermissions> = HashMap::new();
        for (id, f) in app.functions() {
            if args.function.as_ref().is_some_and(|name| *name != f.logical_id) {
                continue;
            }
            let inference = if f.provider == Provider::Aws {
                match catch_unwind(AssertUnwindSafe(|| {
                    faasguard_privilege::infer(app, id, &scan.db)
                })) {
                    Ok(inference) => Some(inference),
                    Err(_) => {
                        internal_errors
                            .push(format!("`{}` in `{}` (code analysis)", f.logical_id, app.name));
                        None
                    }
                }
            } else {
                None
            };
            if let Some(emitter) = &mut emitter {
                emitter.emit(app, id, inference.as_ref())?;
            }
            let mut report = function_report(&scan, app, id, &mut by_role);
            report.code = inference.as_ref().map(code_report);
            functions.push(report);
        }
    }
    if let Some(name) = &args.function
        && functions.is_empty()
    {
        let known: Vec<&str> = scan
            .apps
            .iter()
            .flat_map(|a| a.functions.iter().map(|f| f.logical_id.as_str()))
            .collect();
        let hint = match crate::commands::closest(name, known.iter().copied()).as_slice() {
            [] if known.is_empty() => "no functions were found in the scanned paths".to_string(),
            [] => format!("the functions are: {}", known.join(", ")),
            close => format!("did you mean {}?", close.join(", ")),
        };
        bail!("no function named `{name}`: {hint}");
    }
    let report = IamReport {
        functions,
        sources: &scan.db,
        catalog_sources: catalog.meta.sources.clone(),
        catalog_date: catalog.meta.generated.clone(),
    };
    crate::commands::write_stdout(|out| match args.format {
        IamFormat::Text => faasguard_report::emit_iam_text(&report, out),
        IamFormat::Json => faasguard_report::emit_iam_json(&report, out),
    })?;
    if !internal_errors.is_empty() {
        bail!(
            "internal error while analysing {}; the report above is incomplete",
            internal_errors.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Creates the `--emit-policy` directory (not its parents: a missing parent
/// is more likely a typo than a wish).
fn prepare_dir(dir: &Path) -> anyhow::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    if dir.exists() {
        bail!(
            "cannot write policies to `{}`: it is a file, not a directory; choose a directory with --emit-policy",
            dir.display()
        );
    }
    std::fs::create_dir(dir).with_context(|| {
        format!(
            "cannot create the policy directory `{}`; create its parent directory or choose another with --emit-policy",
            dir.display()
        )
    })
}

/// Writes generated policies under the `--emit-policy` directory.
struct Emitter<'a> {
    dir: &'a Path,
    /// Slug of each app seen, so two apps never share a directory.
    slugs: HashMap<String, String>,
    taken: HashSet<String>,
}

impl<'a> Emitter<'a> {
    fn new(dir: &'a Path) -> Self {
        Emitter { dir, slugs: HashMap::new(), taken: HashSet::new() }
    }

    fn app_dir(&mut self, app: &App) -> PathBuf {
        if let Some(slug) = self.slugs.get(&app.name) {
            return self.dir.join(slug);
        }
        let base = slug(&app.name);
        let mut slug = base.clone();
        let mut n = 2;
        while self.taken.contains(&slug) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        self.taken.insert(slug.clone());
        self.slugs.insert(app.name.clone(), slug.clone());
        self.dir.join(slug)
    }

    fn emit(
        &mut self,
        app: &App,
        id: FunctionId,
        inference: Option<&Inference>,
    ) -> anyhow::Result<()> {
        let f = app.function(id);
        let who = format!("{} ({})", f.logical_id, app.name);
        let Some(inference) = inference else {
            eprintln!(
                "faasguard: {who}: not an AWS Lambda function (or not analysable): no policy written"
            );
            return Ok(());
        };
        let policy = faasguard_privilege::policy::generate(app, inference);
        let docs = policy.iam_documents();
        if docs.is_empty() {
            let why = policy.notes.first().map_or(String::new(), |n| format!(" ({n})"));
            eprintln!("faasguard: {who}: no permission inferred, no policy written{why}");
            return Ok(());
        }
        let dir = self.app_dir(app);
        if !dir.is_dir() {
            std::fs::create_dir(&dir).with_context(|| {
                format!(
                    "cannot create `{}`; check that the --emit-policy directory is writable",
                    dir.display()
                )
            })?;
        }
        let name = file_name(&f.logical_id);
        let mut written = Vec::new();
        for (i, doc) in docs.iter().enumerate() {
            let file = if i == 0 {
                format!("{name}.policy.json")
            } else {
                format!("{name}-{}.policy.json", i + 1)
            };
            // `{:#}` of a JSON value is its pretty form.
            let text = format!("{doc:#}\n");
            write(&dir.join(&file), &text)?;
            written.push(file);
        }
        // Split files of an earlier, larger run would read as part of this policy.
        for n in docs.len() + 1.. {
            let stale = dir.join(format!("{name}-{n}.policy.json"));
            if !stale.is_file() || std::fs::remove_file(&stale).is_err() {
                break;
            }
        }
        if let Some(snippet) = policy.snippet(app) {
            let file = format!("{name}{}", snippet.file_name_suffix);
            let mut text = snippet.text;
            if !text.ends_with('\n') {
                text.push('\n');
            }
            write(&dir.join(&file), &text)?;
            written.push(file);
        }
        let actions: HashSet<&str> =
            policy.statements.iter().flat_map(|s| s.actions.iter().map(String::as_str)).collect();
        let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        let mut extra = Vec::new();
        if !inference.complete {
            extra.push("analysis incomplete".to_string());
        }
        if !policy.notes.is_empty() {
            extra.push(count(policy.notes.len(), "note"));
        }
        if !policy.warnings.is_empty() {
            extra.push(count(policy.warnings.len(), "warning"));
        }
        let extra = if extra.is_empty() {
            String::new()
        } else {
            format!("; {} (see the snippet's comments)", extra.join(", "))
        };
        eprintln!(
            "faasguard: {who}: {} in {} -> {} ({}){extra}",
            count(actions.len(), "action"),
            count(policy.statements.len(), "statement"),
            dir.display(),
            written.join(", ")
        );
        Ok(())
    }
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| {
        format!(
            "cannot write `{}`; check that the --emit-policy directory is writable",
            path.display()
        )
    })
}

/// A directory name for an app: its path without the file extension
/// (`services/orders/template.yaml` is `services-orders-template`), with
/// separators as `-`, and nothing that could climb out of the output
/// directory.
fn slug(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let stem = [".yaml", ".yml", ".json", ".template", ".tf"]
        .iter()
        .find_map(|ext| lower.ends_with(ext).then(|| &name[..name.len() - ext.len()]))
        .unwrap_or(name);
    let s: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '-' })
        .collect();
    let s = s.trim_matches(|c| c == '.' || c == '-').to_string();
    if s.is_empty() { "app".to_string() } else { s }
}

/// A file name for a function: its logical id (a Terraform address keeps
/// its dots), with nothing a file system could misread.
fn file_name(id: &str) -> String {
    let s: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '_' })
        .collect();
    let s = s.trim_start_matches('.').to_string();
    if s.is_empty() { "function".to_string() } else { s }
}

fn code_report(inference: &Inference) -> IamCode {
    let level = |c: Confidence| match c {
        Confidence::High => "high",
        Confidence::Low => "low",
    };
    IamCode {
        complete: inference.complete,
        code_lines: inference.code_lines,
        needs: inference
            .needs
            .iter()
            .map(|n| CodeNeed {
                action: n.action.clone(),
                resources: n.resources.iter().map(|r| r.to_iam_string()).collect(),
                templates: n
                    .resources
                    .iter()
                    .map(|r| {
                        if r.is_any() {
                            return "*".to_string();
                        }
                        r.to_template(|r| match r.attr {
                            RefAttr::Name => format!("${{{}}}", r.resource),
                            RefAttr::Arn => format!("${{{}.Arn}}", r.resource),
                            RefAttr::Id => format!("${{{}.Id}}", r.resource),
                        })
                    })
                    .collect(),
                evidence: n
                    .evidence
                    .iter()
                    .map(|e| CodeEvidence {
                        span: e.span,
                        what: e.what.clone(),
                        source: match e.source {
                            NeedSource::Code => "code",
                            NeedSource::Platform => "platform",
                        },
                        confidence: level(e.confidence),
                    })
                    .collect(),
                confidence: level(n.confidence),
            })
            .collect(),
        notes: inference
            .notes
            .iter()
            .map(|n| CodeNote {
                span: n.span,
                message: n.message.clone(),
                incomplete: n.incomplete,
            })
            .collect(),
    }
}

/// A role's permissions as the report shows them.
type RolePermissions = (Vec<ServicePermissions>, Vec<IamProblem>);

fn function_report<'s>(
    scan: &'s Scan,
    app: &App,
    id: FunctionId,
    by_role: &mut HashMap<RoleId, RolePermissions>,
) -> IamFunction<'s> {
    let f = app.function(id);
    let role = app.role_of(id);
    let (services, problems) = match f.role {
        Some(role_id) if role.is_some() => by_role
            .entry(role_id)
            .or_insert_with(|| {
                let r = app.role(role_id);
                let eff = effective_with_boundary(r, r.boundary_document.as_ref(), catalog());
                (services(&eff), problems(&eff))
            })
            .clone(),
        _ => (Vec::new(), Vec::new()),
    };
    let risks = scan
        .findings
        .iter()
        .filter(|x| x.subject.app == app.name)
        .filter(|x| x.subject.function.as_deref() == Some(f.logical_id.as_str()))
        .filter(|x| x.code.starts_with("IAM") || x.code.starts_with("PATH"))
        .collect();
    IamFunction {
        app: app.name.clone(),
        function: f.logical_id.clone(),
        span: f.span,
        role: role.map(role_report).or_else(|| {
            f.role_ref.as_ref().map(|written| IamRole {
                name: written.value.clone(),
                generated: false,
                policies: Vec::new(),
                boundary: None,
                gaps: vec![
                    "the role is not defined in this app, so its policies are unknown".to_string(),
                ],
            })
        }),
        services,
        problems,
        risks,
        code: None,
    }
}

fn role_report(role: &Role) -> IamRole {
    let kind = |s: &PolicySource| match s {
        PolicySource::Inline => "inline",
        PolicySource::CustomerManaged => "customer-managed",
        PolicySource::AwsManaged => "aws-managed",
        PolicySource::SamTemplate => "sam-policy-template",
        PolicySource::Unresolved => "unresolved",
    };
    IamRole {
        name: role.logical_id.clone(),
        generated: role.generated,
        policies: role.policies.iter().map(|p| (p.name.clone(), kind(&p.source))).collect(),
        boundary: role.permissions_boundary.as_ref().map(|b| b.value.clone()),
        gaps: role
            .policies
            .iter()
            .filter(|p| p.document.is_none())
            .map(|p| format!("policy `{}`: its document is unknown", p.name))
            .collect(),
    }
}

const LEVELS: [AccessLevel; 5] = [
    AccessLevel::List,
    AccessLevel::Read,
    AccessLevel::Write,
    AccessLevel::PermissionsManagement,
    AccessLevel::Tagging,
];

fn services(eff: &Effective<'_>) -> Vec<ServicePermissions> {
    let mut out: Vec<ServicePermissions> = Vec::new();
    for g in &eff.grants {
        let svc = g.action.service;
        if out.last().is_none_or(|s| s.prefix != svc.prefix) {
            out.push(ServicePermissions {
                prefix: svc.prefix.clone(),
                name: svc.name.clone(),
                levels: Vec::new(),
            });
        }
        let Some(s) = out.last_mut() else { continue };
        let level = g.action.action.access.as_str();
        let action = ActionPermission {
            action: g.action.full_name(),
            resources: g.resources.iter().map(|r| r.value.clone()).collect(),
            unrestricted: g.unrestricted,
            conditional: g.conditional,
        };
        match s.levels.iter_mut().find(|(l, _)| *l == level) {
            Some((_, list)) => list.push(action),
            None => s.levels.push((level, vec![action])),
        }
    }
    // Grants come in catalog order; services may repeat if the engine ever
    // interleaves them, so merge, then order levels as the reference does.
    out.sort_by(|a, b| a.prefix.cmp(&b.prefix));
    out.dedup_by(|b, a| {
        if a.prefix == b.prefix {
            a.levels.append(&mut b.levels);
            true
        } else {
            false
        }
    });
    for s in &mut out {
        s.levels.sort_by_key(|(l, _)| LEVELS.iter().position(|x| x.as_str() == *l));
    }
    out
}

fn problems(eff: &Effective<'_>) -> Vec<IamProblem> {
    eff.problems
        .iter()
        .map(|p| IamProblem {
            kind: match p.kind {
                ProblemKind::UnknownService => "unknown-service",
                ProblemKind::UnknownAction => "unknown-action",
                ProblemKind::MalformedArn => "malformed-arn",
                ProblemKind::ResourceMismatch => "resource-mismatch",
            },
            message: p.message.clone(),
            span: p.span,
        })
        .collect()
}
