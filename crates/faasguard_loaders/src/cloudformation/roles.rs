//! IAM roles and the policies attached to them: `AWS::IAM::Role` (inline
//! `Policies`, `ManagedPolicyArns`, `PermissionsBoundary`),
//! `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy` (attached through their
//! `Roles`), and AWS managed policy ARNs resolved to their documents.

use faasguard_model::{AttachedPolicy, PolicySource, Role, RoleId};
use faasguard_source::Span;

use super::context::Loader;
use super::managed_policies;
use super::policies::document;
use super::template::RawResource;
use super::value::V;

pub(crate) fn declare(l: &mut Loader<'_, '_>, i: usize, r: &RawResource<'_>) {
    let Some(props) = l.take_props(i) else { return };
    let trust_policy =
        props.get("AssumeRolePolicyDocument").and_then(|d| document(d, &mut l.ev.errors));
    let mut policies = Vec::new();
    if let Some(list) = props.get("Policies") {
        for p in list.one_or_many() {
            if let Some(a) = inline_policy(l, p) {
                policies.push(a);
            }
        }
    }
    if let Some(list) = props.get("ManagedPolicyArns") {
        for arn in list.one_or_many() {
            policies.push(managed_attachment(l, arn));
        }
    }
    let role = Role {
        logical_id: r.id.to_owned(),
        span: r.node.span,
        generated: false,
        trust_policy,
        policies,
        permissions_boundary: props.get("PermissionsBoundary").and_then(V::to_val),
        boundary_document: None,
        assignments: Vec::new(),
        default_identity: false,
    };
    l.put_props(i, props);
    push_role(l, role);
}

pub(crate) fn push_role(l: &mut Loader<'_, '_>, role: Role) -> RoleId {
    let id = RoleId(l.app.roles.len() as u32);
    l.role_ids.insert(role.logical_id.clone(), id);
    l.app.roles.push(role);
    id
}

/// An entry of a role's `Policies`: `{PolicyName, PolicyDocument}`.
fn inline_policy(l: &mut Loader<'_, '_>, p: &V) -> Option<AttachedPolicy> {
    if !p.is_map() {
        if !p.unresolved {
            l.ev.errors.push(super::template::structure(
                p.span,
                "an entry of `Policies` must be a mapping with `PolicyName` and `PolicyDocument`",
            ));
        }
        return None;
    }
    Some(AttachedPolicy {
        name: p.get("PolicyName").and_then(V::text).unwrap_or_default(),
        span: p.span,
        source: PolicySource::Inline,
        document: p.get("PolicyDocument").and_then(|d| document(d, &mut l.ev.errors)),
    })
}

/// A managed policy attachment by ARN: one defined in the template, an AWS
/// managed one (resolved from the vendored data), or an unknown ARN.
pub(crate) fn managed_attachment(l: &mut Loader<'_, '_>, arn: &V) -> AttachedPolicy {
    let name = arn.text().unwrap_or_else(|| "${...}".to_owned());
    for link in arn.links() {
        if l.type_of(link) == Some("AWS::IAM::ManagedPolicy") {
            let doc = l
                .tpl
                .by_id
                .get(link)
                .and_then(|i| l.props.get(*i))
                .and_then(Option::as_ref)
                .and_then(|p| p.get("PolicyDocument"))
                .cloned();
            return AttachedPolicy {
                name: link.to_owned(),
                span: arn.span,
                source: PolicySource::CustomerManaged,
                document: doc.and_then(|d| document(&d, &mut l.ev.errors)),
            };
        }
    }
    aws_managed(l, &name, arn.span).unwrap_or(AttachedPolicy {
        name,
        span: arn.span,
        source: PolicySource::Unresolved,
        document: None,
    })
}

/// An AWS managed policy by ARN, or by bare name as SAM accepts.
pub(crate) fn aws_managed(
    l: &mut Loader<'_, '_>,
    arn_or_name: &str,
    span: Span,
) -> Option<AttachedPolicy> {
    let name = match managed_policies::name_from_arn(arn_or_name) {
        Some(n) => n,
        None if !arn_or_name.contains(':') && managed_policies::is_known(arn_or_name) => {
            arn_or_name
        }
        None => return None,
    };
    let document =
        managed_policies::document(name, span).and_then(|d| document(&d, &mut l.ev.errors));
    Some(AttachedPolicy {
        name: arn_or_name.to_owned(),
        span,
        source: PolicySource::AwsManaged,
        document,
    })
}

/// `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy`: attached to each role
/// of the template listed in `Roles`.
pub(crate) fn attach(l: &mut Loader<'_, '_>, i: usize, r: &RawResource<'_>) {
    let Some(props) = l.take_props(i) else { return };
    let managed = r.type_name == "AWS::IAM::ManagedPolicy";
    let doc = props.get("PolicyDocument").and_then(|d| document(d, &mut l.ev.errors));
    if let Some(roles) = props.get("Roles") {
        for role in roles.one_or_many() {
            let Some(id) = l.role_of(role) else { continue };
            let name = if managed {
                r.id.to_owned()
            } else {
                props.get("PolicyName").and_then(V::text).unwrap_or_else(|| r.id.to_owned())
            };
            if let Some(target) = l.app.roles.get_mut(id.index()) {
                target.policies.push(AttachedPolicy {
                    name,
                    span: r.node.span,
                    source: if managed {
                        PolicySource::CustomerManaged
                    } else {
                        PolicySource::Inline
                    },
                    document: doc.clone(),
                });
            }
        }
    }
    l.put_props(i, props);
}
