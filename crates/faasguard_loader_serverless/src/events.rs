//! `events:` of a function: HTTP routes with their authentication, queue,
//! stream, storage and schedule sources.
//!
//! All `http` events of a service share one generated REST API
//! (`ApiGatewayRestApi`), all `httpApi` events one HTTP API (`HttpApi`) and
//! all `websocket` events one WebSocket API (`WebsocketsApi`), as the
//! Framework deploys them. Without an `authorizer` (or `private: true`) a
//! route is open: the Framework has no default authorizer.

use faasguard_model::{
    Api, ApiId, ApiKind, FunctionId, HttpRoute, ResourceId, ResourceKind, RouteAuth, Stage,
    Statement, Trigger, TriggerId, TriggerKind, Val,
};
use faasguard_source::Span;
use faasguard_syntax::{Node, NodeKind};

use crate::iam;
use crate::provider::Defaults;
use crate::values::{boolean, intrinsic, text};
use crate::{Ctx, normalized_name};

/// The implicit APIs, created on first use.
#[derive(Default)]
pub(crate) struct Apis {
    rest: Option<ApiId>,
    http: Option<ApiId>,
    websocket: Option<ApiId>,
    /// WebSocket routes other than `$connect`: callers reach them only
    /// through a connection, so they take the `$connect` route's auth.
    websocket_routes: Vec<TriggerId>,
    connect_auth: Option<Val<RouteAuth>>,
    external_noted: bool,
}

const SQS_POLL: &[&str] = &["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"];
const DYNAMODB_STREAM_POLL: &[&str] = &[
    "dynamodb:GetRecords",
    "dynamodb:GetShardIterator",
    "dynamodb:DescribeStream",
    "dynamodb:ListStreams",
];
const KINESIS_POLL: &[&str] = &[
    "kinesis:GetRecords",
    "kinesis:GetShardIterator",
    "kinesis:DescribeStream",
    "kinesis:DescribeStreamSummary",
    "kinesis:ListShards",
    "kinesis:ListStreams",
];

/// Models a function's events; returns the statements the Framework adds
/// to its role so it can poll its queues and streams.
pub(crate) fn load_events(
    ctx: &mut Ctx,
    d: &Defaults<'_>,
    apis: &mut Apis,
    function: FunctionId,
    key: &str,
    node: &Node,
) -> Vec<Statement> {
    let mut extra = Vec::new();
    let Some(events) = node.get("events") else { return extra };
    let items = match &events.kind {
        NodeKind::Seq(items) => items.as_slice(),
        NodeKind::Null => return extra,
        _ => {
            ctx.structure(events.span, format!("`events` of function `{key}` must be a list"));
            return extra;
        }
    };
    let base = normalized_name(key);
    for (i, item) in items.iter().enumerate() {
        let [entry] = item.entries() else {
            ctx.structure(
                item.span,
                "each event must be a mapping with one key, its type (`http:`, `sqs:` ...)",
            );
            continue;
        };
        let kind_name = entry.key.as_str();
        let ev = &entry.value;
        let logical_id = format!("{base}{}Event{}", upper_first(kind_name), i + 1);
        let span = item.span;
        let push = |ctx: &mut Ctx, kind: TriggerKind| -> TriggerId {
            let id = TriggerId(ctx.app.triggers.len() as u32);
            ctx.app.triggers.push(Trigger { logical_id: logical_id.clone(), function, span, kind });
            id
        };
        match kind_name {
            "http" => {
                for route in rest_routes(ctx, d, apis, ev) {
                    push(ctx, TriggerKind::HttpRoute(route));
                }
            }
            "httpApi" => {
                if let Some(route) = http_api_route(ctx, d, apis, ev) {
                    push(ctx, TriggerKind::HttpRoute(route));
                }
            }
            "websocket" => {
                if let Some((route, connect)) = websocket_route(ctx, d, apis, ev) {
                    let auth = route.auth.clone();
                    let id = push(ctx, TriggerKind::HttpRoute(route));
                    if connect {
                        apis.connect_auth = Some(auth);
                    } else {
                        apis.websocket_routes.push(id);
                    }
                }
            }
            "s3" => {
                if let Some(bucket) = s3_bucket(ctx, ev) {
                    push(ctx, TriggerKind::S3 { bucket });
                }
            }
            "sqs" => {
                if let Some(queue) = arn_field(ctx, ev, "arn", "sqs") {
                    extra.push(iam::generated_statement(SQS_POLL, vec![queue.clone()], ev.span));
                    push(ctx, TriggerKind::Sqs { queue });
                }
            }
            "sns" => {
                if let Some(topic) = sns_topic(ctx, ev) {
                    push(ctx, TriggerKind::Sns { topic });
                }
            }
            "stream" => {
                if let Some((kind, statement)) = stream(ctx, ev) {
                    extra.extend(statement);
                    push(ctx, kind);
                }
            }
            "schedule" => {
                for expression in schedules(ctx, ev) {
                    push(ctx, TriggerKind::Schedule { expression });
                }
            }
            "eventBridge" => {
                let bus = ev.get("eventBus").and_then(text);
                push(ctx, TriggerKind::EventBridge { bus });
            }
            "cloudwatchEvent" => {
                push(ctx, TriggerKind::EventBridge { bus: None });
            }
            "alb" => {
                let target = ev.get("listenerArn").and_then(text);
                push(ctx, TriggerKind::Alb { target });
            }
            "cognitoUserPool" => match ev.get("pool").and_then(text) {
                Some(pool) => {
                    push(ctx, TriggerKind::Cognito { pool });
                }
                None => ctx.structure(ev.span, "a `cognitoUserPool` event needs `pool`"),
            },
            other => {
                push(ctx, TriggerKind::Other { kind: other.to_string() });
            }
        }
    }
    extra
}

/// Gives non-`$connect` WebSocket routes the `$connect` auth, once all
/// functions are read.
pub(crate) fn finish(ctx: &mut Ctx, apis: &mut Apis) {
    let Some(auth) = apis.connect_auth.clone() else { return };
    for id in apis.websocket_routes.drain(..) {
        if let TriggerKind::HttpRoute(route) = &mut ctx.app.triggers[id.index()].kind {
            route.auth = auth.clone();
        }
    }
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// The shared API of a kind, created with its stage on first use.
fn api(ctx: &mut Ctx, d: &Defaults<'_>, apis: &mut Apis, kind: ApiKind, at: Span) -> Option<ApiId> {
    let (slot, external) = match kind {
        ApiKind::Rest => (&mut apis.rest, d.external_rest_api),
        ApiKind::Http => (&mut apis.http, d.external_http_api),
        ApiKind::WebSocket => (&mut apis.websocket, None),
    };
    if let Some(id) = *slot {
        return Some(id);
    }
    if let Some(ext) = external {
        // Routes attach to an API another stack defines; its stages,
        // authorizers and policy are not in this file.
        if !apis.external_noted {
            apis.external_noted = true;
            ctx.note(
                ext.span,
                "routes attach to an API defined outside this service; it is not modelled",
            );
        }
        return None;
    }
    let (logical_id, stage_name, logs, tracing) = match kind {
        ApiKind::Rest => ("ApiGatewayRestApi", ctx.stage.clone(), d.logs_rest, d.tracing_api),
        ApiKind::Http => ("HttpApi", Val::default_at("$default".into(), at), d.logs_http, None),
        ApiKind::WebSocket => ("WebsocketsApi", ctx.stage.clone(), d.logs_websocket, None),
    };
    let stage = Stage {
        name: stage_name,
        span: at,
        access_log: logs.and_then(|l| access_log(ctx, l, kind)),
        tracing: tracing.and_then(boolean),
    };
    let resource_policy = match kind {
        ApiKind::Rest => d.resource_policy.and_then(|p| iam::document(ctx, p)),
        _ => None,
    };
    let id = ApiId(ctx.app.apis.len() as u32);
    ctx.app.apis.push(Api {
        logical_id: logical_id.into(),
        span: at,
        kind,
        generated: true,
        default_auth: None,
        stages: vec![stage],
        resource_policy,
    });
    *slot = Some(id);
    Some(id)
}

/// `provider.logs.<api>`: `true`, or a mapping where `accessLogging: false`
/// turns access logs off. The Framework writes them to its own log group.
fn access_log(ctx: &Ctx, node: &Node, kind: ApiKind) -> Option<Val<String>> {
    // A switch drawn from an unresolved variable may be on: keep it as an
    // unresolved destination rather than guess that logging is off.
    let switch = match &node.kind {
        NodeKind::Map(_) => node.get("accessLogging"),
        _ => Some(node),
    };
    if let Some(t) = switch.and_then(text).filter(|t| !t.is_known()) {
        return Some(t);
    }
    let on = match &node.kind {
        NodeKind::Map(_) => node.get("accessLogging").and_then(Node::as_bool).unwrap_or(true),
        _ => node.as_bool().unwrap_or(false),
    };
    if !on {
        return None;
    }
    let service_stage = ctx.service_stage().unwrap_or_else(|| "<service>-<stage>".into());
    let group = match kind {
        ApiKind::Rest => format!("/aws/api-gateway/{service_stage}"),
        ApiKind::Http => format!("/aws/http-api/{service_stage}"),
        ApiKind::WebSocket => format!("/aws/websocket/{service_stage}"),
    };
    Some(Val::default_at(group, node.span))
}

/// `http: GET /x` or `http: {path, method, authorizer, private, cors}`.
/// A `cors` route also gets the OPTIONS preflight route the Framework adds.
fn rest_routes(ctx: &mut Ctx, d: &Defaults<'_>, apis: &mut Apis, ev: &Node) -> Vec<HttpRoute> {
    let (method, path) = match method_path(ctx, ev) {
        Some(mp) => mp,
        None => return Vec::new(),
    };
    let api = api(ctx, d, apis, ApiKind::Rest, ev.span);
    let private = ev.get("private").and_then(boolean);
    let api_key_required = private.as_ref().is_some_and(|p| p.is_known() && p.value);
    let auth = match ev.get("authorizer") {
        Some(a) => rest_authorizer(ctx, a),
        None => match &private {
            Some(p) if p.value || !p.is_known() => {
                let auth = if p.is_known() {
                    RouteAuth::Key("api key".into())
                } else {
                    RouteAuth::Unknown
                };
                Val { value: auth, span: p.span, origin: p.origin }
            }
            _ => Val::default_at(RouteAuth::None, ev.span),
        },
    };
    let cors = ev.get("cors").is_some_and(|c| c.as_bool() != Some(false));
    let mut out = Vec::new();
    if cors && !method.eq_ignore_ascii_case("OPTIONS") {
        out.push(HttpRoute {
            api_kind: ApiKind::Rest,
            api,
            method: "OPTIONS".into(),
            path: path.clone(),
            auth: Val::default_at(RouteAuth::None, ev.span),
            api_key_required: false,
        });
    }
    out.insert(0, HttpRoute { api_kind: ApiKind::Rest, api, method, path, auth, api_key_required });
    out
}

/// Method and path of an `http`/`httpApi` event in string or mapping form.
fn method_path(ctx: &mut Ctx, ev: &Node) -> Option<(String, String)> {
    let (method, path) = match &ev.kind {
        NodeKind::String(s) => {
            let s = s.trim();
            if s == "*" {
                ("ANY".to_string(), "*".to_string())
            } else {
                let mut it = s.split_whitespace();
                match (it.next(), it.next()) {
                    (Some(m), Some(p)) => (m.to_string(), p.to_string()),
                    _ => {
                        ctx.structure(ev.span, format!("`{s}` is not `METHOD path`"));
                        return None;
                    }
                }
            }
        }
        NodeKind::Map(_) => {
            let method = ev.get("method").and_then(Node::scalar_text);
            let path = ev.get("path").and_then(Node::scalar_text);
            match (method, path) {
                (Some(m), Some(p)) => (m, p),
                (None, Some(p)) => ("ANY".to_string(), p),
                _ => {
                    ctx.structure(ev.span, "the HTTP event needs `path` (and `method`)");
                    return None;
                }
            }
        }
        _ => {
            ctx.structure(ev.span, "an HTTP event must be `METHOD path` or a mapping");
            return None;
        }
    };
    let method = if method == "*" { "ANY".to_string() } else { method.to_ascii_uppercase() };
    let path = if path.starts_with('/') || path == "*" { path } else { format!("/{path}") };
    Some((method, path))
}

/// A REST `authorizer`: `aws_iam`, a function name or ARN, or a mapping with
/// `type` (`aws_iam`, `token`, `request`, `COGNITO_USER_POOLS`), `name`,
/// `arn` or `authorizerId`.
fn rest_authorizer(ctx: &mut Ctx, a: &Node) -> Val<RouteAuth> {
    let name = |n: &Node| text(n).map(|v| v.value);
    let value = if a.is_map() && intrinsic(a).is_none() {
        let kind = a.get("type").and_then(Node::scalar_text).unwrap_or_default();
        if kind.eq_ignore_ascii_case("aws_iam") {
            RouteAuth::Iam
        } else {
            let named = a
                .get("name")
                .and_then(name)
                .or_else(|| a.get("arn").and_then(name))
                .or_else(|| a.get("authorizerId").and_then(name))
                .or_else(|| (!kind.is_empty()).then(|| kind.clone()));
            match named {
                Some(n) => RouteAuth::Authorizer(n),
                None => {
                    ctx.structure(a.span, "the authorizer names no function, ARN, id or type");
                    RouteAuth::Unknown
                }
            }
        }
    } else {
        match text(a) {
            Some(v) if v.is_known() && v.value.eq_ignore_ascii_case("aws_iam") => RouteAuth::Iam,
            Some(v) if v.value.is_empty() => RouteAuth::None,
            Some(v) => RouteAuth::Authorizer(v.value),
            None => RouteAuth::Unknown,
        }
    };
    Val::explicit(value, a.span)
}

/// `httpApi: 'GET /x'` or `{method, path, authorizer}`; a named authorizer
/// must be declared in `provider.httpApi.authorizers`.
fn http_api_route(
    ctx: &mut Ctx,
    d: &Defaults<'_>,
    apis: &mut Apis,
    ev: &Node,
) -> Option<HttpRoute> {
    let (method, path) = method_path(ctx, ev)?;
    let api = api(ctx, d, apis, ApiKind::Http, ev.span);
    let auth = match ev.get("authorizer") {
        None => Val::default_at(RouteAuth::None, ev.span),
        Some(a) => {
            let kind = a.get("type").and_then(Node::scalar_text);
            let name = if a.is_map() { a.get("name").or_else(|| a.get("id")) } else { Some(a) };
            let name = name.and_then(text);
            if kind.as_deref().is_some_and(|k| k.eq_ignore_ascii_case("aws_iam")) {
                Val::explicit(RouteAuth::Iam, a.span)
            } else {
                match name {
                    Some(n) if n.is_known() && a.get("id").is_none() => {
                        let declared =
                            d.http_authorizers.is_some_and(|au| au.get(&n.value).is_some());
                        if !declared {
                            ctx.structure(
                                a.span,
                                format!(
                                    "authorizer `{}` is not declared in `provider.httpApi.authorizers`",
                                    n.value
                                ),
                            );
                        }
                        Val::explicit(RouteAuth::Authorizer(n.value), a.span)
                    }
                    Some(n) => Val::explicit(RouteAuth::Authorizer(n.value), a.span),
                    None => {
                        ctx.structure(
                            a.span,
                            "the authorizer names nothing (`name`, `id` or `type: aws_iam`)",
                        );
                        Val::explicit(RouteAuth::Unknown, a.span)
                    }
                }
            }
        }
    };
    Some(HttpRoute { api_kind: ApiKind::Http, api, method, path, auth, api_key_required: false })
}

/// `websocket: $connect` or `{route, authorizer}`; true when it is `$connect`.
fn websocket_route(
    ctx: &mut Ctx,
    d: &Defaults<'_>,
    apis: &mut Apis,
    ev: &Node,
) -> Option<(HttpRoute, bool)> {
    let route = match &ev.kind {
        NodeKind::String(s) => s.clone(),
        NodeKind::Map(_) => match ev.get("route").and_then(Node::scalar_text) {
            Some(r) => r,
            None => {
                ctx.structure(ev.span, "a `websocket` event needs `route`");
                return None;
            }
        },
        _ => {
            ctx.structure(ev.span, "a `websocket` event must be a route key or a mapping");
            return None;
        }
    };
    let api = api(ctx, d, apis, ApiKind::WebSocket, ev.span);
    let connect = route == "$connect";
    let auth = match ev.get("authorizer") {
        Some(a) if connect => rest_authorizer(ctx, a),
        Some(a) => {
            ctx.note(a.span, "only the `$connect` route of a WebSocket API takes an authorizer");
            Val::default_at(RouteAuth::None, ev.span)
        }
        None => Val::default_at(RouteAuth::None, ev.span),
    };
    Some((
        HttpRoute {
            api_kind: ApiKind::WebSocket,
            api,
            method: "ANY".into(),
            path: route,
            auth,
            api_key_required: false,
        },
        connect,
    ))
}

/// `s3: name` or `{bucket, event, existing}`. Unless `existing: true` the
/// Framework creates the bucket, so it is modelled as a resource.
fn s3_bucket(ctx: &mut Ctx, ev: &Node) -> Option<Val<String>> {
    let (bucket, existing) = match &ev.kind {
        NodeKind::Map(_) if intrinsic(ev).is_none() => (
            ev.get("bucket").and_then(text),
            ev.get("existing").and_then(Node::as_bool).unwrap_or(false),
        ),
        _ => (text(ev), false),
    };
    let Some(bucket) = bucket else {
        ctx.structure(ev.span, "an `s3` event needs `bucket`");
        return None;
    };
    if !existing && bucket.is_known() {
        let logical_id = format!("S3Bucket{}", bucket_suffix(&bucket.value));
        if !ctx.app.resources.iter().any(|r| r.logical_id == logical_id) {
            add_generated(
                ctx,
                &logical_id,
                "AWS::S3::Bucket",
                ResourceKind::Bucket,
                bucket.clone(),
            );
        }
    }
    Some(bucket)
}

/// The Framework's normalisation of a bucket name in `S3Bucket<Name>`.
fn bucket_suffix(name: &str) -> String {
    let cleaned: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
    let mut c = cleaned.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c.flat_map(char::to_lowercase)).collect())
        .unwrap_or_default()
}

fn add_generated(
    ctx: &mut Ctx,
    logical_id: &str,
    type_name: &str,
    kind: ResourceKind,
    name: Val<String>,
) -> ResourceId {
    let id = ResourceId(ctx.app.resources.len() as u32);
    ctx.app.resources.push(faasguard_model::Resource {
        logical_id: logical_id.into(),
        type_name: type_name.into(),
        kind,
        span: name.span,
        name: Some(name),
        policy: None,
        kms_key: None,
    });
    id
}

/// `sns: topicName`, `sns: arn`, or `{arn, topicName}`. A topic given by
/// name is created by the Framework.
fn sns_topic(ctx: &mut Ctx, ev: &Node) -> Option<Val<String>> {
    let (arn, name) = if ev.is_map() && intrinsic(ev).is_none() {
        (ev.get("arn").and_then(text), ev.get("topicName").and_then(text))
    } else {
        let t = text(ev);
        match &t {
            Some(v) if !v.is_known() || v.value.starts_with("arn:") => (t, None),
            _ => (None, t),
        }
    };
    if let Some(arn) = arn {
        return Some(arn);
    }
    let Some(name) = name else {
        ctx.structure(ev.span, "an `sns` event needs a topic name or `arn`");
        return None;
    };
    if name.is_known() {
        let logical_id = format!("SNSTopic{}", bucket_suffix(&name.value));
        if !ctx.app.resources.iter().any(|r| r.logical_id == logical_id) {
            add_generated(ctx, &logical_id, "AWS::SNS::Topic", ResourceKind::Topic, name.clone());
        }
    }
    Some(name)
}

/// An event whose source is an ARN, given directly or under `field`.
fn arn_field(ctx: &mut Ctx, ev: &Node, field: &str, kind: &str) -> Option<Val<String>> {
    let v = if ev.is_map() && intrinsic(ev).is_none() {
        ev.get(field).and_then(text)
    } else {
        text(ev)
    };
    if v.is_none() {
        ctx.structure(ev.span, format!("an `{kind}` event needs `{field}`"));
    }
    v
}

/// `stream: arn` or `{type: dynamodb | kinesis, arn}`; the type is read
/// from the ARN when not written.
fn stream(ctx: &mut Ctx, ev: &Node) -> Option<(TriggerKind, Option<Statement>)> {
    let arn = arn_field(ctx, ev, "arn", "stream")?;
    let written = ev.get("type").and_then(Node::scalar_text);
    let kind = written.or_else(|| {
        if arn.value.contains(":dynamodb:") || arn.value.contains("StreamArn") {
            Some("dynamodb".into())
        } else if arn.value.contains(":kinesis:") {
            Some("kinesis".into())
        } else {
            None
        }
    });
    Some(match kind.as_deref() {
        Some("dynamodb") => (
            TriggerKind::DynamoDbStream { stream: arn.clone() },
            Some(iam::generated_statement(DYNAMODB_STREAM_POLL, vec![arn], ev.span)),
        ),
        Some("kinesis") => (
            TriggerKind::Kinesis { stream: arn.clone() },
            Some(iam::generated_statement(KINESIS_POLL, vec![arn], ev.span)),
        ),
        _ => {
            ctx.note(
                ev.span,
                "the stream's type (dynamodb or kinesis) cannot be told from its ARN",
            );
            (TriggerKind::Other { kind: "stream".into() }, None)
        }
    })
}

/// `schedule: rate(...)` or `{rate: ... | [...], enabled}`.
fn schedules(ctx: &mut Ctx, ev: &Node) -> Vec<Val<String>> {
    let rate = if ev.is_map() { ev.get("rate") } else { Some(ev) };
    match rate {
        Some(r) if r.is_seq() => r.items().iter().filter_map(text).collect(),
        Some(r) => text(r).into_iter().collect(),
        None => {
            ctx.structure(ev.span, "a `schedule` event needs `rate`");
            Vec::new()
        }
    }
}
