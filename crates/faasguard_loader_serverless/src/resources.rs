//! `resources:`: raw CloudFormation (`Resources`, `Outputs`, ...), given as
//! one mapping or as a list of mappings (usually one `${file()}` each).
//!
//! CloudFormation belongs to the CloudFormation loader. Until it exposes a
//! call that loads a `Resources` node into an existing [`App`], this module
//! is the thin call site: it models what the Serverless model needs from
//! those resources (roles and their policies, so `role:` can link to them;
//! Lambda permissions, which point at functions; and every resource's kind
//! and name), and notes the rest as left to that loader.
//!
//! [`App`]: faasguard_model::App

use faasguard_model::{
    AttachedPolicy, LambdaPermission, PolicySource, Resource, ResourceKind, Role, Val,
};
use faasguard_syntax::{Entry, Node, NodeKind};

use crate::Ctx;
use crate::iam;
use crate::values::{referenced_logical_id, text};

const RESOURCES_KEYS: &[&str] = &[
    "Resources",
    "Outputs",
    "Conditions",
    "Description",
    "Mappings",
    "Parameters",
    "Metadata",
    "Rules",
    "Transform",
    "AWSTemplateFormatVersion",
    "extensions",
];

/// The `Resources` entries of every `resources:` part.
fn resource_entries<'n>(ctx: &mut Ctx, node: Option<&'n Node>, report: bool) -> Vec<&'n Entry> {
    let Some(node) = node else { return Vec::new() };
    let parts: Vec<&Node> = match &node.kind {
        NodeKind::Map(_) => vec![node],
        NodeKind::Seq(items) => items.iter().collect(),
        NodeKind::Null => Vec::new(),
        _ => {
            if report {
                ctx.structure(
                    node.span,
                    "`resources` must be a mapping (`Resources:`, `Outputs:`) or a list of them",
                );
            }
            Vec::new()
        }
    };
    let mut out = Vec::new();
    for part in parts {
        match &part.kind {
            NodeKind::Map(_) => {}
            // The variable's own problem is already reported.
            NodeKind::String(s) if crate::variables::contains_variable(s) => continue,
            NodeKind::Null => continue,
            _ => {
                if report {
                    ctx.structure(part.span, "each `resources` part must be a mapping");
                }
                continue;
            }
        }
        if report {
            ctx.check_keys(part, RESOURCES_KEYS, "resources");
            if let Some(e) = part.entry("extensions") {
                ctx.note(
                    e.key_span,
                    "`resources.extensions` (changes to generated resources) is not modelled",
                );
            }
        }
        match part.get("Resources") {
            Some(r) if r.is_map() => out.extend(r.entries()),
            Some(r) if !matches!(r.kind, NodeKind::Null) && report => {
                ctx.structure(r.span, "`resources.Resources` must be a mapping of logical ids");
            }
            _ => {}
        }
    }
    out
}

/// First pass, before functions: roles, policies and plain resources.
pub(crate) fn load_resources(ctx: &mut Ctx, node: Option<&Node>) {
    let entries = resource_entries(ctx, node, true);
    let mut policies = Vec::new();
    for e in &entries {
        let Some(type_name) = e.value.get("Type").and_then(Node::as_str) else {
            ctx.structure(e.value.span, format!("resource `{}` has no `Type`", e.key));
            continue;
        };
        let props = e.value.get("Properties");
        match type_name {
            "AWS::IAM::Role" => {
                let role = role(ctx, &e.key, &e.value, props);
                ctx.app.roles.push(role);
            }
            "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" => policies.push(*e),
            "AWS::Lambda::Permission" => {}
            _ => {
                if type_name == "AWS::Lambda::LayerVersion" {
                    crate::layers::cloudformation_layer(ctx, &e.key, &e.value);
                }
                let resource = resource(&e.key, type_name, &e.value, props);
                ctx.app.resources.push(resource);
            }
        }
    }
    for e in policies {
        attach_policy(ctx, e);
    }
}

/// Second pass, after functions: resources that refer to functions.
pub(crate) fn load_references(ctx: &mut Ctx, node: Option<&Node>) {
    for e in resource_entries(ctx, node, false) {
        if e.value.get("Type").and_then(Node::as_str) != Some("AWS::Lambda::Permission") {
            continue;
        }
        let props = e.value.get("Properties");
        let get = |k: &str| props.and_then(|p| p.get(k));
        let Some(function_node) = get("FunctionName") else {
            ctx.structure(e.value.span, format!("permission `{}` has no `FunctionName`", e.key));
            continue;
        };
        let function_ref = text(function_node)
            .unwrap_or_else(|| Val::unresolved(String::new(), function_node.span));
        let function = referenced_logical_id(function_node)
            .or_else(|| function_ref.known().map(str::to_string))
            .and_then(|l| ctx.function_ids.get(&l).copied());
        // A missing required property is unknown, not empty.
        let at = props.map_or(e.value.span, |p| p.span);
        let missing = |k: &str| Val::unresolved(format!("<no {k}>"), at);
        ctx.app.permissions.push(LambdaPermission {
            logical_id: e.key.clone(),
            span: e.key_span.cover(e.value.span),
            function,
            function_ref,
            action: get("Action").and_then(text).unwrap_or_else(|| missing("Action")),
            principal: get("Principal").and_then(text).unwrap_or_else(|| missing("Principal")),
            source_arn: get("SourceArn").and_then(text),
            source_account: get("SourceAccount").and_then(text),
            principal_org_id: get("PrincipalOrgID").and_then(text),
            function_url_auth_type: get("FunctionUrlAuthType").and_then(text),
        });
    }
}

fn role(ctx: &mut Ctx, logical_id: &str, node: &Node, props: Option<&Node>) -> Role {
    let get = |k: &str| props.and_then(|p| p.get(k));
    let mut policies = Vec::new();
    for p in get("Policies").map(Node::items).unwrap_or_default() {
        let name = p.get("PolicyName").and_then(text).map_or_else(String::new, |v| v.value);
        policies.push(AttachedPolicy {
            name,
            span: p.span,
            source: PolicySource::Inline,
            document: p.get("PolicyDocument").and_then(|d| iam::document(ctx, d)),
        });
    }
    for m in get("ManagedPolicyArns").map(Node::items).unwrap_or_default() {
        policies.extend(iam::managed_policy(m));
    }
    Role {
        logical_id: logical_id.into(),
        span: node.span,
        generated: false,
        trust_policy: get("AssumeRolePolicyDocument").and_then(|d| iam::document(ctx, d)),
        policies,
        permissions_boundary: get("PermissionsBoundary").and_then(text),
        boundary_document: None,
        assignments: Vec::new(),
        default_identity: false,
    }
}

/// `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy` attached through `Roles`.
fn attach_policy(ctx: &mut Ctx, e: &Entry) {
    let props = e.value.get("Properties");
    let managed = e.value.get("Type").and_then(Node::as_str) == Some("AWS::IAM::ManagedPolicy");
    let document = props.and_then(|p| p.get("PolicyDocument")).and_then(|d| iam::document(ctx, d));
    let name = props
        .and_then(|p| p.get(if managed { "ManagedPolicyName" } else { "PolicyName" }))
        .and_then(text)
        .map_or_else(|| e.key.clone(), |v| v.value);
    for r in props.and_then(|p| p.get("Roles")).map(Node::items).unwrap_or_default() {
        let target = referenced_logical_id(r).or_else(|| r.as_str().map(str::to_string));
        let Some(role) = ctx.app.roles.iter_mut().find(|x| Some(&x.logical_id) == target.as_ref())
        else {
            continue;
        };
        role.policies.push(AttachedPolicy {
            name: name.clone(),
            span: e.value.span,
            source: if managed { PolicySource::CustomerManaged } else { PolicySource::Inline },
            document: document.clone(),
        });
    }
}

fn resource(logical_id: &str, type_name: &str, node: &Node, props: Option<&Node>) -> Resource {
    let (kind, name_key) = match type_name {
        "AWS::S3::Bucket" => (ResourceKind::Bucket, "BucketName"),
        "AWS::SQS::Queue" => (ResourceKind::Queue, "QueueName"),
        "AWS::SNS::Topic" => (ResourceKind::Topic, "TopicName"),
        "AWS::DynamoDB::Table" | "AWS::DynamoDB::GlobalTable" => (ResourceKind::Table, "TableName"),
        "AWS::KMS::Key" => (ResourceKind::KmsKey, ""),
        "AWS::SecretsManager::Secret" => (ResourceKind::Secret, "Name"),
        "AWS::Logs::LogGroup" => (ResourceKind::LogGroup, "LogGroupName"),
        "AWS::Lambda::LayerVersion" => (ResourceKind::Layer, "LayerName"),
        other => (ResourceKind::Other(other.to_string()), "Name"),
    };
    let get = |k: &str| props.and_then(|p| p.get(k));
    let kms_key = get("KmsMasterKeyId")
        .or_else(|| get("KmsKeyId"))
        .and_then(text)
        .or_else(|| get("SSESpecification").and_then(|s| s.get("KMSMasterKeyId")).and_then(text));
    Resource {
        logical_id: logical_id.into(),
        type_name: type_name.into(),
        kind,
        span: node.span,
        name: (!name_key.is_empty()).then(|| get(name_key).and_then(text)).flatten(),
        policy: None,
        kms_key: kms_key.or_else(|| {
            get("BucketEncryption")
                .and_then(|b| b.get("ServerSideEncryptionConfiguration"))
                .and_then(|c| c.items().first())
                .and_then(|r| r.at(&["ServerSideEncryptionByDefault", "KMSMasterKeyID"]))
                .and_then(text)
        }),
    }
}
