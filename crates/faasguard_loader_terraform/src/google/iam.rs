//! Invoker bindings on functions (gen1 function IAM, gen2 function and
//! Cloud Run service IAM) as [`LambdaPermission`]s with the member as the
//! principal, and project roles of function service accounts as
//! [`RoleAssignment`]s.

use faasguard_model::{LambdaPermission, RoleAssignment, Val};

use crate::build::{Blk, Ctx, refs};
use crate::google::cloudfunctions::{DEFAULT_SA, is_default_sa};
use crate::hcl::value::Value;

/// (resource type, attribute naming the function or service)
const INVOKER_TYPES: &[(&str, &str)] = &[
    ("google_cloudfunctions_function_iam_member", "cloud_function"),
    ("google_cloudfunctions_function_iam_binding", "cloud_function"),
    ("google_cloudfunctions2_function_iam_member", "cloud_function"),
    ("google_cloudfunctions2_function_iam_binding", "cloud_function"),
    ("google_cloud_run_service_iam_member", "service"),
    ("google_cloud_run_service_iam_binding", "service"),
    ("google_cloud_run_v2_service_iam_member", "name"),
    ("google_cloud_run_v2_service_iam_binding", "name"),
];

fn members<'a>(ctx: &mut Ctx<'a>, b: &Blk<'a>) -> Vec<Value> {
    match (ctx.attr(b, "member"), ctx.attr(b, "members")) {
        (Some(m), _) => vec![m],
        (None, Some(ms)) if ms.is_unknown() => vec![ms],
        (None, Some(ms)) => ms.as_list().into_iter().cloned().collect(),
        _ => Vec::new(),
    }
}

pub(crate) fn load(ctx: &mut Ctx<'_>) {
    for &(ty, target) in INVOKER_TYPES {
        for r in ctx.of_type(false, ty) {
            let b = r.blk.clone();
            let Some(fref) = ctx.attr(&b, target) else { continue };
            let function = ctx.function_of(&fref);
            let action = ctx.str(&b, "role").unwrap_or(Val::unresolved(String::new(), b.span));
            for m in members(ctx, &b) {
                let Some(principal) = m.to_val() else { continue };
                ctx.app.permissions.push(LambdaPermission {
                    logical_id: r.logical_id.clone(),
                    span: b.span,
                    function,
                    function_ref: fref
                        .to_val()
                        .unwrap_or(Val::unresolved(String::new(), fref.span)),
                    action: action.clone(),
                    principal,
                    source_arn: None,
                    source_account: None,
                    principal_org_id: None,
                    function_url_auth_type: None,
                });
            }
        }
    }
    for ty in ["google_project_iam_member", "google_project_iam_binding"] {
        for r in ctx.of_type(false, ty) {
            let b = r.blk.clone();
            let role_name = ctx.str(&b, "role").unwrap_or(Val::unresolved(String::new(), b.span));
            let scope = ctx.str(&b, "project");
            for m in members(ctx, &b) {
                let by_ref = refs(&m).into_iter().find_map(|(a, _)| ctx.roles.get(&a).copied());
                let by_text = m.as_text().and_then(|t| {
                    let email = t.strip_prefix("serviceAccount:")?.to_string();
                    if is_default_sa(&email) {
                        return ctx.roles.get(DEFAULT_SA).copied();
                    }
                    ctx.role_names.get(email.split('@').next()?).copied()
                });
                let Some(role) = by_ref.or(by_text) else { continue };
                ctx.app.roles[role.index()].assignments.push(RoleAssignment {
                    role: role_name.clone(),
                    scope: scope.clone(),
                    span: b.span,
                });
            }
        }
    }
}
