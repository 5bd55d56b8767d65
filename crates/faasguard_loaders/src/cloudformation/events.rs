//! Event sources written as raw resources: `AWS::Lambda::EventSourceMapping`
//! (SQS, Kinesis, DynamoDB streams), S3 bucket notifications, SNS
//! subscriptions, EventBridge rules and schedules, Cognito user pool triggers.

use faasguard_model::{FunctionId, Trigger, TriggerKind, Val};
use faasguard_source::Span;

use super::context::Loader;
use super::template::RawResource;
use super::value::V;

pub(crate) fn push_trigger(
    l: &mut Loader<'_, '_>,
    logical_id: impl Into<String>,
    function: FunctionId,
    span: Span,
    kind: TriggerKind,
) {
    l.app.triggers.push(Trigger { logical_id: logical_id.into(), function, span, kind });
}

fn val(v: &V) -> Val<String> {
    v.to_val().unwrap_or_else(|| Val::unresolved("${...}".to_owned(), v.span))
}

/// The kind of a polled source from the resource its ARN points at, or the
/// service named in a literal ARN.
pub(crate) fn polled_kind(l: &Loader<'_, '_>, arn: &V) -> TriggerKind {
    let linked = arn.links().into_iter().find_map(|link| l.type_of(link));
    let text = arn.text().unwrap_or_default();
    let by_type = |t: &str| match t {
        "AWS::SQS::Queue" => Some("sqs"),
        "AWS::Kinesis::Stream" => Some("kinesis"),
        "AWS::DynamoDB::Table" | "AWS::DynamoDB::GlobalTable" | "AWS::Serverless::SimpleTable" => {
            Some("dynamodb")
        }
        _ => None,
    };
    let service = linked.and_then(by_type).or_else(|| {
        ["sqs", "kinesis", "dynamodb"].into_iter().find(|s| text.contains(&format!(":{s}:")))
    });
    match service {
        Some("sqs") => TriggerKind::Sqs { queue: val(arn) },
        Some("kinesis") => TriggerKind::Kinesis { stream: val(arn) },
        Some("dynamodb") => TriggerKind::DynamoDbStream { stream: val(arn) },
        _ => TriggerKind::Other { kind: "EventSourceMapping".to_owned() },
    }
}

pub(crate) fn source_mapping(l: &mut Loader<'_, '_>, i: usize, r: &RawResource<'_>) {
    let Some(props) = l.props(i) else { return };
    let Some(fid) = props.get("FunctionName").and_then(|f| l.function_of(f)) else { return };
    let kind = match props.get("EventSourceArn") {
        Some(arn) => polled_kind(l, arn),
        None if props.get("SelfManagedEventSource").is_some() => {
            TriggerKind::Other { kind: "SelfManagedKafka".to_owned() }
        }
        None => TriggerKind::Other { kind: "EventSourceMapping".to_owned() },
    };
    push_trigger(l, r.id, fid, r.node.span, kind);
}

pub(crate) fn bucket_notifications(l: &mut Loader<'_, '_>, i: usize, r: &RawResource<'_>) {
    let Some(props) = l.props(i) else { return };
    let Some(configs) =
        props.get("NotificationConfiguration").and_then(|n| n.get("LambdaConfigurations"))
    else {
        return;
    };
    let bucket = props
        .get("BucketName")
        .and_then(V::to_val)
        .unwrap_or_else(|| Val::unresolved(r.id.to_owned(), r.node.span));
    let found: Vec<(FunctionId, Span)> = configs
        .one_or_many()
        .into_iter()
        .filter_map(|c| c.get("Function").and_then(|f| l.function_of(f)).map(|f| (f, c.span)))
        .collect();
    for (fid, span) in found {
        push_trigger(l, r.id, fid, span, TriggerKind::S3 { bucket: bucket.clone() });
    }
}

fn is_lambda_protocol(v: Option<&V>) -> bool {
    v.and_then(V::known_str).is_some_and(|p| p.eq_ignore_ascii_case("lambda"))
}

pub(crate) fn sns_subscription(l: &mut Loader<'_, '_>, i: usize, r: &RawResource<'_>) {
    let Some(props) = l.props(i) else { return };
    if !is_lambda_protocol(props.get("Protocol")) {
        return;
    }
    let Some(fid) = props.get("Endpoint").and_then(|e| l.function_of(e)) else { return };
    let topic = props
        .get("TopicArn")
        .map(val)
        .unwrap_or_else(|| Val::unresolved("${TopicArn}".to_owned(), r.node.span));
    push_trigger(l, r.id, fid, r.node.span, TriggerKind::Sns { topic });
}

/// Subscriptions written inside an `AWS::SNS::Topic`.
pub(crate) fn topic_subscriptions(l: &mut Loader<'_, '_>, i: usize, r: &RawResource<'_>) {
    let Some(props) = l.props(i) else { return };
    let Some(subs) = props.get("Subscription") else { return };
    let found: Vec<(FunctionId, Span)> = subs
        .one_or_many()
        .into_iter()
        .filter(|s| is_lambda_protocol(s.get("Protocol")))
        .filter_map(|s| s.get("Endpoint").and_then(|e| l.function_of(e)).map(|f| (f, s.span)))
        .collect();
    for (fid, span) in found {
        let topic = Val::unresolved(r.id.to_owned(), r.node.span);
        push_trigger(l, r.id, fid, span, TriggerKind::Sns { topic });
    }
}

/// `AWS::Events::Rule`: a schedule or an event pattern, per Lambda target.
pub(crate) fn rule(l: &mut Loader<'_, '_>, i: usize, r: &RawResource<'_>) {
    let Some(props) = l.props(i) else { return };
    let Some(targets) = props.get("Targets") else { return };
    let kind = match props.get("ScheduleExpression") {
        Some(expr) => TriggerKind::Schedule { expression: val(expr) },
        None => TriggerKind::EventBridge { bus: props.get("EventBusName").and_then(V::to_val) },
    };
    let found: Vec<(FunctionId, Span)> = targets
        .one_or_many()
        .into_iter()
        .filter_map(|t| t.get("Arn").and_then(|a| l.function_of(a)).map(|f| (f, t.span)))
        .collect();
    for (fid, span) in found {
        push_trigger(l, r.id, fid, span, kind.clone());
    }
}

/// `AWS::Scheduler::Schedule` with a function target.
pub(crate) fn schedule(l: &mut Loader<'_, '_>, i: usize, r: &RawResource<'_>) {
    let Some(props) = l.props(i) else { return };
    let Some(fid) = props.get("Target").and_then(|t| t.get("Arn")).and_then(|a| l.function_of(a))
    else {
        return;
    };
    let expression = props
        .get("ScheduleExpression")
        .map(val)
        .unwrap_or_else(|| Val::unresolved("${ScheduleExpression}".to_owned(), r.node.span));
    push_trigger(l, r.id, fid, r.node.span, TriggerKind::Schedule { expression });
}

/// `AWS::Cognito::UserPool` `LambdaConfig`: each trigger that names a function.
pub(crate) fn user_pool(l: &mut Loader<'_, '_>, i: usize, r: &RawResource<'_>) {
    let Some(props) = l.props(i) else { return };
    let Some(config) = props.get("LambdaConfig") else { return };
    let found: Vec<(String, FunctionId, Span)> = config
        .entries()
        .iter()
        .filter_map(|e| l.function_of(&e.value).map(|f| (e.key.clone(), f, e.key_span)))
        .collect();
    for (name, fid, span) in found {
        let pool = Val::unresolved(r.id.to_owned(), r.node.span);
        push_trigger(l, format!("{}.{name}", r.id), fid, span, TriggerKind::Cognito { pool });
    }
}
