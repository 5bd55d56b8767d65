//! `AWS::Serverless::Function`: the function, its role (the one named in
//! `Role`, or the `<Function>Role` SAM generates from `Policies`), its URL,
//! dead-letter queue and destinations, and then its `Events`.

use faasguard_model::{
    AttachedPolicy, Code, Effect, Function, PolicyDocument, PolicySource, Principal, PrincipalKind,
    Provider, Resource, ResourceId, ResourceKind, Role, RoleId, Statement, Val,
};
use faasguard_source::Span;

use super::super::context::Loader;
use super::super::functions::{fill_common, push_function, s3_location, url_config};
use super::super::policies::document;
use super::super::roles::{aws_managed, managed_attachment, push_role};
use super::super::template::{RawResource, structure};
use super::super::value::{V, VKind};
use super::policy_templates;

const BASIC_EXECUTION: &str = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
const VPC_EXECUTION: &str = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole";
const XRAY_WRITE: &str = "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess";

pub(crate) fn declare(l: &mut Loader<'_, '_>, i: usize, r: &RawResource<'_>) {
    let Some(props) = l.take_props(i) else { return };
    let mut f = Function::new(r.id, r.node.span, Provider::Aws);
    fill_common(l, &mut f, &props);
    f.code = if let Some(inline) = props.get("InlineCode") {
        inline.to_val().map(Code::Inline)
    } else if let Some(image) = props.get("ImageUri") {
        image.to_val().map(Code::Image)
    } else if let Some(code) = props.get("CodeUri") {
        if code.is_map() {
            Some(Code::Location(s3_location(code, "Bucket", "Key")))
        } else {
            code.to_val().map(Code::Location)
        }
    } else {
        None
    };
    f.tracing = props.get("Tracing").and_then(V::to_val);
    f.dead_letter =
        props.get("DeadLetterQueue").and_then(|d| d.get("TargetArn")).and_then(V::to_val);
    let destinations = destinations(l, r.id, &props);
    f.on_failure = destinations
        .iter()
        .find(|d| d.config == "OnFailure")
        .map(|d| d.target.clone())
        // A `Type` SAM cannot deliver to still says a destination is set.
        .or_else(|| {
            event_invoke(&props, "OnFailure").and_then(|o| o.get("Type")).and_then(V::to_val)
        });
    if let Some(url) = props.get("FunctionUrlConfig")
        && url.is_map()
    {
        f.url = Some(url_config(url, Some(format!("{}Url", r.id))));
    }
    if props.get("Role").is_none() {
        let role = generated_role(l, r, &props, &f, &destinations);
        f.role = Some(role);
        f.role_ref = Some(Val::default_at(format!("{}Role", r.id), r.node.span));
    }
    l.put_props(i, props);
    push_function(l, f);
}

/// One `EventInvokeConfig.DestinationConfig` entry SAM delivers to.
struct Destination {
    /// `OnSuccess` or `OnFailure`.
    config: &'static str,
    /// The `Type`, as SAM names its policy (`SQS`, `SNS`, `EventBridge`, `Lambda`).
    kind: &'static str,
    action: &'static str,
    /// The `Destination` as written, or the queue or topic SAM creates.
    target: Val<String>,
    span: Span,
}

/// `EventInvokeConfig.DestinationConfig.<config>`.
fn event_invoke<'v>(props: &'v V, config: &str) -> Option<&'v V> {
    props.get("EventInvokeConfig")?.get("DestinationConfig")?.get(config)
}

/// The destinations SAM grants the generated role, with the queue or topic
/// it creates when an `SQS` or `SNS` destination names none
/// (`<Function>EventInvokeConfig<OnSuccess|OnFailure><Queue|Topic>`), added
/// to the app like a resource of the template.
fn destinations(l: &mut Loader<'_, '_>, function: &str, props: &V) -> Vec<Destination> {
    let mut out = Vec::new();
    for config in ["OnSuccess", "OnFailure"] {
        let Some(o) = event_invoke(props, config) else { continue };
        // SAM rejects any other type; an unresolved one grants nothing known.
        let (kind, action, created) = match o.get("Type").and_then(V::known_str) {
            Some("SQS") => ("SQS", "sqs:SendMessage", Some(("Queue", "AWS::SQS::Queue"))),
            // SAM writes `sns:publish`; IAM actions ignore case, the catalog does not.
            Some("SNS") => ("SNS", "sns:Publish", Some(("Topic", "AWS::SNS::Topic"))),
            Some("EventBridge") => ("EventBridge", "events:PutEvents", None),
            Some("Lambda") => ("Lambda", "lambda:InvokeFunction", None),
            _ => continue,
        };
        let target = match (o.get("Destination").and_then(V::to_val), created) {
            (Some(t), _) => t,
            (None, Some((suffix, type_name))) => {
                let id = format!("{function}EventInvokeConfig{config}{suffix}");
                let kind =
                    if suffix == "Queue" { ResourceKind::Queue } else { ResourceKind::Topic };
                let rid = ResourceId(l.app.resources.len() as u32);
                l.resource_ids.insert(id.clone(), rid);
                l.app.resources.push(Resource {
                    logical_id: id.clone(),
                    type_name: type_name.to_owned(),
                    kind,
                    span: o.span,
                    name: None,
                    policy: None,
                    kms_key: None,
                });
                // What SAM passes on: the queue's `Arn` attribute, the topic's `Ref`.
                let reference = if suffix == "Queue" { format!("{id}.Arn") } else { id };
                Val::unresolved(reference, o.span)
            }
            // SAM rejects a Lambda or EventBridge destination without an ARN.
            (None, None) => continue,
        };
        out.push(Destination { config, kind, action, target, span: o.span });
    }
    out
}

/// The role SAM generates when `Role` is absent: trusted by Lambda, with the
/// basic execution policy, the policies SAM adds for VPC access, tracing,
/// the dead-letter queue and the invoke destinations, and the function's
/// `Policies`.
fn generated_role(
    l: &mut Loader<'_, '_>,
    r: &RawResource<'_>,
    props: &V,
    f: &Function,
    destinations: &[Destination],
) -> RoleId {
    let span = r.node.span;
    let mut policies = Vec::new();
    let mut add_managed = |l: &mut Loader<'_, '_>, arn: &str| {
        if let Some(mut p) = aws_managed(l, arn, span) {
            p.name = arn.to_owned();
            policies.push(p);
        }
    };
    add_managed(l, BASIC_EXECUTION);
    if f.vpc.is_some() {
        add_managed(l, VPC_EXECUTION);
    }
    if f.tracing.as_ref().and_then(|t| t.known()) == Some("Active") {
        add_managed(l, XRAY_WRITE);
    }
    if let Some(dlq) = props.get("DeadLetterQueue") {
        policies.extend(dead_letter_policy(dlq));
    }
    for d in destinations {
        let name = format!("{}EventInvokeConfig{}{}Policy", r.id, d.config, d.kind);
        policies.push(single_statement_policy(name, d.action, d.target.clone(), d.span));
    }
    if let Some(list) = props.get("Policies") {
        policies.extend(function_policies(l, r.id, list));
    }
    let trust_policy = match props.get("AssumeRolePolicyDocument") {
        Some(d) => document(d, &mut l.ev.errors),
        None => Some(lambda_trust(span)),
    };
    let role = Role {
        logical_id: format!("{}Role", r.id),
        span: props.get("Policies").map_or(span, |p| p.span),
        generated: true,
        trust_policy,
        policies,
        permissions_boundary: props.get("PermissionsBoundary").and_then(V::to_val),
        boundary_document: None,
        assignments: Vec::new(),
        default_identity: false,
    };
    push_role(l, role)
}

/// The trust policy of a generated role: Lambda may assume it.
fn lambda_trust(span: Span) -> PolicyDocument {
    PolicyDocument {
        statements: vec![Statement {
            sid: None,
            effect: Val::default_at(Effect::Allow, span),
            actions: vec![Val::default_at("sts:AssumeRole".to_owned(), span)],
            not_actions: None,
            resources: Vec::new(),
            not_resources: None,
            principal: Some(Principal::Listed(vec![(
                PrincipalKind::Service,
                vec![Val::default_at("lambda.amazonaws.com".to_owned(), span)],
            )])),
            not_principal: None,
            conditions: Vec::new(),
            span,
        }],
        span,
    }
}

/// SAM grants the generated role the right to send to its dead-letter target.
fn dead_letter_policy(dlq: &V) -> Option<AttachedPolicy> {
    let target = dlq.get("TargetArn")?.to_val()?;
    let action = match dlq.get("Type").and_then(V::known_str) {
        Some("SQS") => "sqs:SendMessage",
        Some("SNS") => "sns:Publish",
        _ => return None,
    };
    Some(single_statement_policy("DeadLetterQueuePolicy".to_owned(), action, target, dlq.span))
}

/// An inline policy SAM writes on its own: one action on one resource. The
/// action is a default, so the policy reads as SAM's, not the author's.
fn single_statement_policy(
    name: String,
    action: &str,
    target: Val<String>,
    span: Span,
) -> AttachedPolicy {
    AttachedPolicy {
        name,
        span,
        source: PolicySource::Inline,
        document: Some(PolicyDocument {
            statements: vec![Statement {
                sid: None,
                effect: Val::default_at(Effect::Allow, span),
                actions: vec![Val::default_at(action.to_owned(), span)],
                not_actions: None,
                resources: vec![target],
                not_resources: None,
                principal: None,
                not_principal: None,
                conditions: Vec::new(),
                span,
            }],
            span,
        }),
    }
}

/// The function's `Policies`: a managed policy name or ARN, an inline
/// document, a policy template, or a list mixing them.
fn function_policies(l: &mut Loader<'_, '_>, function: &str, list: &V) -> Vec<AttachedPolicy> {
    let mut out = Vec::new();
    let items: Vec<&V> = match &list.kind {
        VKind::Map(_) if list.get("Statement").is_some() => vec![list],
        _ => list.one_or_many(),
    };
    for (n, item) in items.into_iter().enumerate() {
        match &item.kind {
            VKind::Str(s) if !item.unresolved && !s.contains(':') => {
                // A bare name: SAM looks it up among AWS managed policies.
                match aws_managed(l, s, item.span) {
                    Some(p) => out.push(p),
                    None => out.push(AttachedPolicy {
                        name: s.clone(),
                        span: item.span,
                        source: PolicySource::Unresolved,
                        document: None,
                    }),
                }
            }
            VKind::Str(_) => out.push(managed_attachment(l, item)),
            VKind::Map(_) if item.get("Statement").is_some() => {
                out.push(AttachedPolicy {
                    name: format!("{function}RolePolicy{n}"),
                    span: item.span,
                    source: PolicySource::Inline,
                    document: document(item, &mut l.ev.errors),
                });
            }
            VKind::Map(entries) => match entries.as_slice() {
                [e] if policy_templates::is_template(&e.key) => {
                    let span = item.span;
                    if let Some(p) = policy_templates::expand(l, &e.key, &e.value, span) {
                        out.push(p);
                    }
                }
                [e] => l.ev.errors.push(structure(
                    e.key_span,
                    format!(
                        "`{}` is not a SAM policy template; use a template name such as `S3ReadPolicy`, a managed policy, or `{{Statement: [...]}}`",
                        e.key
                    ),
                )),
                _ => l.ev.errors.push(structure(
                    item.span,
                    "a SAM policy entry must be a managed policy, `{Statement: [...]}`, or one policy template",
                )),
            },
            _ => {}
        }
    }
    out
}

/// Events and settings that relate the function to other resources.
pub(crate) fn relations(l: &mut Loader<'_, '_>, i: usize, r: &RawResource<'_>) {
    let Some(props) = l.take_props(i) else { return };
    if let Some(&fid) = l.function_ids.get(r.id)
        && let Some(events) = props.get("Events")
    {
        for e in events.entries() {
            super::events::load(l, fid, &e.key, e.key_span, &e.value);
        }
    }
    l.put_props(i, props);
}
