//! The `Events` of a SAM function, each becoming a trigger: HTTP routes on
//! REST and HTTP APIs (with their authentication), queues, streams, topics,
//! buckets, schedules, EventBridge rules, Cognito and ALB.

use faasguard_model::{ApiKind, FunctionId, HttpRoute, TriggerKind, Val};
use faasguard_source::Span;

use super::super::context::Loader;
use super::super::events::{polled_kind, push_trigger};
use super::super::roles::aws_managed;
use super::super::template::structure;
use super::super::value::V;
use super::api::{implicit_api, route_auth};

fn val_or(v: Option<&V>, fallback: &str, span: Span) -> Val<String> {
    v.and_then(V::to_val).unwrap_or_else(|| Val::unresolved(fallback.to_owned(), span))
}

pub(crate) fn load(l: &mut Loader<'_, '_>, fid: FunctionId, name: &str, key_span: Span, event: &V) {
    let span = key_span.cover(event.span);
    let Some(ty) = event.get("Type").and_then(V::known_str) else {
        if !event.unresolved {
            l.ev.errors.push(structure(
                key_span,
                format!("event `{name}` has no `Type`; add one such as `Type: Api` or `Type: SQS`"),
            ));
        }
        return;
    };
    let ty = ty.to_owned();
    let empty = V::new(super::super::value::VKind::Map(Vec::new()), event.span);
    let p = event.get("Properties").unwrap_or(&empty);
    let kind = match ty.as_str() {
        "Api" => Some(http_route(l, ApiKind::Rest, p, span)),
        "HttpApi" => Some(http_route(l, ApiKind::Http, p, span)),
        "SQS" => {
            add_source_policy(l, fid, "AWSLambdaSQSQueueExecutionRole");
            Some(TriggerKind::Sqs { queue: val_or(p.get("Queue"), "${Queue}", span) })
        }
        "Kinesis" | "DynamoDB" => {
            let stream = p.get("Stream");
            let policy = if ty == "Kinesis" {
                "AWSLambdaKinesisExecutionRole"
            } else {
                "AWSLambdaDynamoDBExecutionRole"
            };
            add_source_policy(l, fid, policy);
            Some(match stream {
                Some(s) if ty == "DynamoDB" => {
                    TriggerKind::DynamoDbStream { stream: val_or(Some(s), "", span) }
                }
                Some(s) => match polled_kind(l, s) {
                    k @ TriggerKind::Kinesis { .. } => k,
                    _ => TriggerKind::Kinesis { stream: val_or(Some(s), "", span) },
                },
                None => TriggerKind::Other { kind: ty.clone() },
            })
        }
        "SNS" => Some(TriggerKind::Sns { topic: val_or(p.get("Topic"), "${Topic}", span) }),
        "S3" => Some(TriggerKind::S3 { bucket: val_or(p.get("Bucket"), "${Bucket}", span) }),
        "Schedule" | "ScheduleV2" => Some(TriggerKind::Schedule {
            expression: val_or(
                p.get("Schedule").or_else(|| p.get("ScheduleExpression")),
                "${Schedule}",
                span,
            ),
        }),
        "EventBridgeRule" | "CloudWatchEvent" => {
            Some(TriggerKind::EventBridge { bus: p.get("EventBusName").and_then(V::to_val) })
        }
        "CognitoIdentityProvider" | "Cognito" => {
            Some(TriggerKind::Cognito { pool: val_or(p.get("UserPool"), "${UserPool}", span) })
        }
        "ALB" => Some(TriggerKind::Alb {
            target: p.get("TargetGroupArn").or_else(|| p.get("ListenerArn")).and_then(V::to_val),
        }),
        other => Some(TriggerKind::Other { kind: other.to_owned() }),
    };
    if let Some(kind) = kind {
        push_trigger(l, name, fid, span, kind);
    }
}

/// SAM gives a generated role the managed policy each polled source needs.
fn add_source_policy(l: &mut Loader<'_, '_>, fid: FunctionId, name: &str) {
    let Some(role) = l.app.functions.get(fid.index()).and_then(|f| f.role) else { return };
    if !l.app.roles.get(role.index()).is_some_and(|r| r.generated) {
        return;
    }
    let span = l.app.roles.get(role.index()).map(|r| r.span).unwrap_or_default();
    let arn = format!("arn:aws:iam::aws:policy/service-role/{name}");
    if let Some(p) = aws_managed(l, &arn, span)
        && let Some(r) = l.app.roles.get_mut(role.index())
        && !r.policies.iter().any(|q| q.name == arn)
    {
        r.policies.push(p);
    }
}

/// An `Api` or `HttpApi` event: its API (explicit or implicit), route and
/// authentication.
fn http_route(l: &mut Loader<'_, '_>, kind: ApiKind, p: &V, span: Span) -> TriggerKind {
    let api_ref = match kind {
        ApiKind::Rest => p.get("RestApiId"),
        _ => p.get("ApiId"),
    };
    let api = match api_ref {
        Some(r) => l.api_of(r),
        None => Some(implicit_api(l, kind, span)),
    };
    let method = p.get("Method").and_then(V::text).map(|m| {
        if m.eq_ignore_ascii_case("any") { "ANY".to_owned() } else { m.to_ascii_uppercase() }
    });
    let path = p.get("Path").and_then(V::text);
    let (method, path) = match (method, path) {
        (Some(m), Some(p)) => (m, p),
        (m, p) if kind == ApiKind::Http => {
            (m.unwrap_or_else(|| "ANY".to_owned()), p.unwrap_or_else(|| "$default".to_owned()))
        }
        (m, p) => (m.unwrap_or_else(|| "ANY".to_owned()), p.unwrap_or_else(|| "/".to_owned())),
    };
    let (auth, api_key_required) = route_auth(l, api, p.get("Auth"), span);
    TriggerKind::HttpRoute(HttpRoute { api_kind: kind, api, method, path, auth, api_key_required })
}
