//! IAM roles and the policies attached to them: inline (`inline_policy`,
//! `aws_iam_role_policy`), customer managed (`aws_iam_policy` attached by
//! `aws_iam_role_policy_attachment` / `aws_iam_policy_attachment`,
//! `managed_policy_arns`) and AWS managed (by ARN, without a document:
//! the vendored managed-policy catalog is not exposed to this crate).

use faasguard_model::{AttachedPolicy, PolicySource, Role, RoleId};

use crate::aws::policy::document;
use crate::build::{Ctx, refs};
use crate::hcl::value::Value;

pub(crate) fn load(ctx: &mut Ctx<'_>) {
    for r in ctx.of_type(false, "aws_iam_policy") {
        let b = r.blk.clone();
        let name =
            ctx.attr(&b, "name").and_then(|v| v.as_text()).unwrap_or_else(|| r.logical_id.clone());
        let doc = ctx.attr(&b, "policy").and_then(|v| document(ctx, &v));
        ctx.managed.insert(r.addr.clone(), (name, doc));
    }
    for r in ctx.of_type(false, "aws_iam_role") {
        let b = r.blk.clone();
        let trust = ctx.attr(&b, "assume_role_policy").and_then(|v| document(ctx, &v));
        let mut policies = Vec::new();
        for ip in ctx.blocks(&b, "inline_policy") {
            let name = ctx.attr(&ip, "name").map(|v| v.rendering()).unwrap_or_default();
            let doc = ctx.attr(&ip, "policy").and_then(|v| document(ctx, &v));
            if name.is_empty() && doc.is_none() {
                continue;
            }
            policies.push(AttachedPolicy {
                name,
                span: ip.span,
                source: PolicySource::Inline,
                document: doc,
            });
        }
        if let Some(list) = ctx.attr(&b, "managed_policy_arns") {
            for arn in list.as_list() {
                policies.push(attachment(ctx, arn));
            }
        }
        let role = Role {
            logical_id: r.logical_id.clone(),
            span: b.span,
            generated: false,
            trust_policy: trust,
            policies,
            permissions_boundary: ctx.str(&b, "permissions_boundary"),
            boundary_document: None,
            assignments: Vec::new(),
            default_identity: false,
        };
        let id = RoleId(ctx.app.roles.len() as u32);
        ctx.app.roles.push(role);
        ctx.roles.insert(r.addr.clone(), id);
        if let Some(n) = ctx.attr(&b, "name").and_then(|v| v.as_text()) {
            ctx.role_names.insert(n, id);
        }
    }
    for r in ctx.of_type(false, "aws_iam_role_policy") {
        let b = r.blk.clone();
        let Some(role) = ctx.attr(&b, "role").and_then(|v| ctx.role_of(&v)) else { continue };
        let name =
            ctx.attr(&b, "name").map(|v| v.rendering()).unwrap_or_else(|| r.logical_id.clone());
        let doc = ctx.attr(&b, "policy").and_then(|v| document(ctx, &v));
        ctx.app.roles[role.index()].policies.push(AttachedPolicy {
            name,
            span: b.span,
            source: PolicySource::Inline,
            document: doc,
        });
    }
    for r in ctx.of_type(false, "aws_iam_role_policy_attachment") {
        let b = r.blk.clone();
        let Some(role) = ctx.attr(&b, "role").and_then(|v| ctx.role_of(&v)) else { continue };
        let Some(arn) = ctx.attr(&b, "policy_arn") else { continue };
        let mut p = attachment(ctx, &arn);
        p.span = b.span;
        ctx.app.roles[role.index()].policies.push(p);
    }
    for r in ctx.of_type(false, "aws_iam_policy_attachment") {
        let b = r.blk.clone();
        let Some(arn) = ctx.attr(&b, "policy_arn") else { continue };
        let roles = ctx
            .attr(&b, "roles")
            .map(|v| v.as_list().into_iter().cloned().collect::<Vec<_>>())
            .unwrap_or_default();
        for role in roles {
            let Some(role) = ctx.role_of(&role) else { continue };
            let mut p = attachment(ctx, &arn);
            p.span = b.span;
            ctx.app.roles[role.index()].policies.push(p);
        }
    }
}

/// A policy attached by ARN: one of the module's `aws_iam_policy`
/// resources, an AWS managed policy, or an unresolved ARN.
pub(crate) fn attachment(ctx: &mut Ctx<'_>, arn: &Value) -> AttachedPolicy {
    for (addr, _) in refs(arn) {
        if let Some((name, doc)) = ctx.managed.get(&addr) {
            return AttachedPolicy {
                name: name.clone(),
                span: arn.span,
                source: PolicySource::CustomerManaged,
                document: doc.clone(),
            };
        }
    }
    let text = arn.rendering();
    let source = if !arn.is_unknown() && text.contains(":iam::aws:policy/") {
        PolicySource::AwsManaged
    } else {
        PolicySource::Unresolved
    };
    let document = (source == PolicySource::AwsManaged)
        .then(|| faasguard_loaders::aws_managed_policy_document(&text, arn.span))
        .flatten();
    AttachedPolicy { name: text, span: arn.span, source, document }
}
