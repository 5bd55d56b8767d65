//! LP: a function's role against what its code needs.
//!
//! These rules read the function code the caller put in the `SourceDb`
//! (`check_app_with_sources`): `faasguard_privilege` infers what each
//! function needs (its SDK calls, and what the platform needs for its
//! configuration) and compares it with the role's effective permissions,
//! once per role ([`Checker::comparison`]). Without sources they find
//! nothing. Only AWS functions are compared: Azure and Google identities
//! are not IAM roles.

pub(crate) mod missing_permission;
pub(crate) mod over_broad_permission;
pub(crate) mod unused_permission;

use faasguard_model::{App, Function, Provider, RoleId};
use faasguard_privilege::{Evidence, IacRef, NeedSource, Piece, RefAttr, ResourceArn};
use faasguard_source::{SourceDb, Span};

use crate::checker::Checker;
use crate::registry::{Kind, Rule, Scope};

pub(crate) static RULES: &[Rule] = &[
    Rule {
        meta: &missing_permission::META,
        scope: Scope(&[Kind::Roles]),
        check: missing_permission::check,
    },
    Rule {
        meta: &unused_permission::META,
        scope: Scope(&[Kind::Roles]),
        check: unused_permission::check,
    },
    Rule {
        meta: &over_broad_permission::META,
        scope: Scope(&[Kind::Roles]),
        check: over_broad_permission::check,
    },
];

/// Resources, evidence entries or labels shown per finding before the
/// rest are counted: a finding is read, not scrolled.
pub(crate) const SHOWN: usize = 3;

/// Labels per finding.
pub(crate) const MAX_LABELS: usize = 8;

/// AWS roles of the app with the functions using them, in the app's order;
/// none without sources.
pub(crate) fn compared_roles<'a>(c: &Checker<'a>) -> Vec<(RoleId, Vec<&'a Function>)> {
    if c.db.is_none() {
        return Vec::new();
    }
    let app: &'a App = c.app;
    app.roles()
        .filter_map(|(id, _)| {
            let users: Vec<&'a Function> = app.functions_with_role(id).map(|(_, f)| f).collect();
            let aws = !users.is_empty() && users.iter().all(|f| f.provider == Provider::Aws);
            aws.then_some((id, users))
        })
        .collect()
}

/// `path:line` of a span.
pub(crate) fn at(db: Option<&SourceDb>, span: Span) -> String {
    match db.and_then(|db| db.get(span.file)) {
        Some(file) => format!("{}:{}", file.path, file.line_col(span.start).line),
        None => "?".to_string(),
    }
}

/// A resource for a message: the ARN with the deployment's parts as
/// CloudFormation pseudo parameters and references as `${Name}`.
pub(crate) fn show_arn(arn: &ResourceArn) -> String {
    if arn.is_any() {
        return "`*`".to_string();
    }
    format!("`{}`", template(&arn.pieces))
}

fn template(pieces: &[Piece]) -> String {
    let arn = ResourceArn { pieces: pieces.to_vec(), resource_type: None, unresolved: false };
    arn.to_template(|r: &IacRef| match r.attr {
        RefAttr::Arn => format!("${{{}.Arn}}", r.resource),
        RefAttr::Name | RefAttr::Id => format!("${{{}}}", r.resource),
    })
}

/// Resources for a message, in full: the first few, then a count.
pub(crate) fn show_arns(arns: &[ResourceArn]) -> String {
    shown(arns.iter().map(show_arn).collect())
}

/// A resource for a message, short: an ARN in the deployment's own
/// partition, region and account without them (`table/orders`,
/// `${Queue}`, `uploads/*`); the action names the service. Any other ARN
/// in full.
pub(crate) fn show_short(arn: &ResourceArn) -> String {
    match own_resource_part(&arn.pieces) {
        Some(rest) if !rest.is_empty() => format!("`{}`", template(&rest)),
        _ => show_arn(arn),
    }
}

/// Short resources for a message: the first few, then a count.
pub(crate) fn show_shorts(arns: &[ResourceArn]) -> String {
    shown(arns.iter().map(show_short).collect())
}

/// The pieces after `arn:` Partition `:service:` Region `:` Account `:`
/// (region and account each present or empty), when the ARN starts so.
fn own_resource_part(pieces: &[Piece]) -> Option<Vec<Piece>> {
    let [Piece::Text(arn), Piece::Partition, Piece::Text(service), rest @ ..] = pieces else {
        return None;
    };
    if arn != "arn:" {
        return None;
    }
    // `:s3:::bucket` (no region, no account) or `:sqs:` Region `:` Account `:name`.
    let service = service.strip_prefix(':')?;
    let (name, after) = service.split_once(':')?;
    if name.is_empty() || name.contains(['*', '?']) {
        return None;
    }
    let mut out: Vec<Piece> = Vec::new();
    if let Some(tail) = after.strip_prefix("::") {
        if !tail.is_empty() {
            out.push(Piece::Text(tail.to_string()));
        }
        out.extend(rest.iter().cloned());
        return Some(out);
    }
    if !after.is_empty() {
        return None;
    }
    match rest {
        [Piece::Region, Piece::Text(sep), Piece::Account, Piece::Text(tail), more @ ..]
            if sep == ":" =>
        {
            let tail = tail.strip_prefix(':')?;
            if !tail.is_empty() {
                out.push(Piece::Text(tail.to_string()));
            }
            out.extend(more.iter().cloned());
            Some(out)
        }
        _ => None,
    }
}

/// A call for a message: what the inference says it is, without the
/// `(client Operation)` it ends with (the action says it).
pub(crate) fn call_text(what: &str) -> &str {
    match what.rsplit_once(" (") {
        Some((call, tail))
            if tail.ends_with(')')
                && tail.matches(' ').count() == 1
                && !tail.contains('(')
                && !call.is_empty() =>
        {
            call
        }
        _ => what,
    }
}

/// Evidence for a message: `` `s3.get_object(...)` at src/app.py:12 ``,
/// places of the same call together, the first few.
pub(crate) fn show_evidence(db: Option<&SourceDb>, evidence: &[Evidence]) -> String {
    let mut seen: Vec<Span> = Vec::new();
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for e in evidence {
        if seen.contains(&e.span) {
            continue;
        }
        seen.push(e.span);
        let what = match e.source {
            NeedSource::Code if !e.what.contains('`') => format!("`{}`", call_text(&e.what)),
            _ => e.what.clone(),
        };
        let place = at(db, e.span);
        match groups.iter_mut().find(|(w, _)| *w == what) {
            Some((_, places)) => places.push(place),
            None => groups.push((what, vec![place])),
        }
    }
    shown(groups.into_iter().map(|(what, places)| format!("{what} at {}", shown(places))).collect())
}

/// The first few items, then a count: `a`, `a and b`, `a, b and c`,
/// `a, b, c and 2 more`.
pub(crate) fn shown(items: Vec<String>) -> String {
    let total = items.len();
    let mut out: Vec<String> = items.into_iter().take(SHOWN).collect();
    if total > SHOWN {
        return format!("{} and {} more", out.join(", "), total - SHOWN);
    }
    match out.pop() {
        Some(last) if !out.is_empty() => format!("{} and {last}", out.join(", ")),
        Some(last) => last,
        None => String::new(),
    }
}

/// The evidence spans worth a label, deduplicated, at most [`MAX_LABELS`].
pub(crate) fn evidence_spans(evidence: &[Evidence]) -> Vec<(Span, String)> {
    let mut out: Vec<(Span, String)> = Vec::new();
    for e in evidence {
        if out.len() >= MAX_LABELS {
            break;
        }
        if !out.iter().any(|(s, _)| *s == e.span) {
            let what = match e.source {
                NeedSource::Code => call_text(&e.what).to_string(),
                NeedSource::Platform => e.what.clone(),
            };
            out.push((e.span, what));
        }
    }
    out
}
