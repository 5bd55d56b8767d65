//! `faasguard iam`: what each function's execution role may really do.
//!
//! Loads and checks the apps exactly as `scan` does (so the risks shown are
//! the scan's own IAM and attack-path findings), then asks the IAM engine
//! for each role's effective permissions and renders them per function.
//! It is a report, not a gate: it exits 0 unless it cannot run; use
//! `faasguard scan --fail-on` in CI.

use std::collections::HashMap;
use std::process::ExitCode;

use anyhow::bail;
use faasguard_iam::catalog::{AccessLevel, catalog};
use faasguard_iam::effective::{Effective, ProblemKind, effective_with_boundary};
use faasguard_linter::Settings;
use faasguard_model::{App, FunctionId, PolicySource, Role, RoleId};
use faasguard_report::{
    ActionPermission, IamFunction, IamProblem, IamReport, IamRole, ServicePermissions,
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
    let discovery = discover::discover(&roots);
    for warning in &discovery.warnings {
        eprintln!("faasguard: warning: {warning}");
    }
    let scan = scan::analyse(&discovery, &settings);
    let catalog = catalog();

    let mut functions = Vec::new();
    for app in &scan.apps {
        // A role shared by several functions is expanded once: an admin
        // role is 20,000 grants.
        let mut by_role: HashMap<RoleId, RolePermissions> = HashMap::new();
        for (id, f) in app.functions() {
            if args.function.as_ref().is_some_and(|name| *name != f.logical_id) {
                continue;
            }
            functions.push(function_report(&scan, app, id, &mut by_role));
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
    if !scan.internal_errors.is_empty() {
        bail!(
            "internal error while analysing {}; the report above is incomplete",
            scan.internal_errors.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
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
