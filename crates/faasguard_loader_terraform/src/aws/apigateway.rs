//! API Gateway REST (v1) and HTTP/WebSocket (v2) APIs: routes wired to
//! functions through integrations become HTTP triggers with their auth.

use std::collections::HashMap;

use faasguard_model::{
    Api, ApiId, ApiKind, HttpRoute, RouteAuth, Stage, Trigger, TriggerKind, Val,
};
use faasguard_source::Span;

use crate::aws::policy::document;
use crate::build::{Blk, Ctx, refs};
use crate::hcl::value::Value;

fn api_of(apis: &HashMap<String, ApiId>, v: &Value) -> Option<ApiId> {
    refs(v).into_iter().find_map(|(a, _)| apis.get(&a).copied())
}

/// Authorizer name from a reference such as `${aws_api_gateway_authorizer.cognito.id}`.
fn authorizer_name(v: Option<&Value>) -> String {
    match v {
        Some(v) => refs(v)
            .into_iter()
            .next()
            .map(|(a, _)| a.rsplit('.').next().unwrap_or(&a).to_string())
            .unwrap_or_else(|| v.rendering()),
        None => "authorizer".into(),
    }
}

fn stage<'a>(ctx: &mut Ctx<'a>, b: &Blk<'a>, name_key: &str) -> Stage {
    let name = ctx.str(b, name_key).unwrap_or(Val::unresolved(String::new(), b.span));
    let access_log = match ctx.block(b, "access_log_settings") {
        Some(a) => ctx.str(&a, "destination_arn"),
        None => None,
    };
    Stage { name, span: b.span, access_log, tracing: ctx.bool(b, "xray_tracing_enabled") }
}

pub(crate) fn load(ctx: &mut Ctx<'_>) {
    let mut apis: HashMap<String, ApiId> = HashMap::new();
    for r in ctx.of_type(false, "aws_api_gateway_rest_api") {
        let b = r.blk.clone();
        let resource_policy = ctx.attr(&b, "policy").and_then(|v| document(ctx, &v));
        if b.body.get_attribute("body").is_some() {
            ctx.note(b.span, format!("`{}`: routes in an OpenAPI `body` are not modelled", r.addr));
        }
        apis.insert(
            r.addr.clone(),
            push_api(ctx, &r.logical_id, b.span, ApiKind::Rest, resource_policy),
        );
    }
    for r in ctx.of_type(false, "aws_api_gateway_rest_api_policy") {
        let b = r.blk.clone();
        if let Some(api) = ctx.attr(&b, "rest_api_id").and_then(|v| api_of(&apis, &v))
            && let Some(doc) = ctx.attr(&b, "policy").and_then(|v| document(ctx, &v))
        {
            ctx.app.apis[api.index()].resource_policy = Some(doc);
        }
    }
    // Paths of REST resources, by address.
    let mut paths: HashMap<String, (Value, String)> = HashMap::new();
    for r in ctx.of_type(false, "aws_api_gateway_resource") {
        let b = r.blk.clone();
        let parent = ctx.attr(&b, "parent_id").unwrap_or(Value::unknown("${?}", b.span));
        let part = ctx.attr(&b, "path_part").map(|v| v.rendering()).unwrap_or_default();
        paths.insert(r.addr.clone(), (parent, part));
    }
    let path_of = |id: &Value| -> String {
        let mut segs = Vec::new();
        let mut cur = id.clone();
        for _ in 0..32 {
            let next = refs(&cur).into_iter().find_map(|(a, _)| paths.get(&a).cloned());
            match next {
                Some((parent, part)) => {
                    segs.push(part);
                    cur = parent;
                }
                None => break,
            }
        }
        segs.reverse();
        format!("/{}", segs.join("/"))
    };
    // Integrations: (resource rendering, method) -> function.
    let mut integrations = Vec::new();
    for r in ctx.of_type(false, "aws_api_gateway_integration") {
        let b = r.blk.clone();
        let res = ctx.attr(&b, "resource_id").map(|v| path_of(&v)).unwrap_or_default();
        let method = ctx.attr(&b, "http_method").map(|v| v.rendering()).unwrap_or_default();
        let method_ref = ctx.attr(&b, "http_method").map(|v| refs(&v)).unwrap_or_default();
        if let Some(f) = ctx.attr(&b, "uri").and_then(|v| ctx.function_of(&v)) {
            integrations.push((res, method.to_ascii_uppercase(), method_ref, f));
        }
    }
    for r in ctx.of_type(false, "aws_api_gateway_method") {
        let b = r.blk.clone();
        let api = ctx.attr(&b, "rest_api_id").and_then(|v| api_of(&apis, &v));
        let path = ctx.attr(&b, "resource_id").map(|v| path_of(&v)).unwrap_or_else(|| "/".into());
        let method = ctx
            .attr(&b, "http_method")
            .map(|v| v.rendering())
            .unwrap_or_default()
            .to_ascii_uppercase();
        let addr = r.addr.clone();
        let Some(&(_, _, _, f)) = integrations.iter().find(|(p, m, mref, _)| {
            mref.iter().any(|(a, _)| *a == addr) || (*p == path && *m == method)
        }) else {
            continue;
        };
        let api_key_required =
            ctx.attr(&b, "api_key_required").and_then(|v| v.as_bool()).unwrap_or(false);
        let auth_v = ctx.attr(&b, "authorization");
        let authorizer = ctx.attr(&b, "authorizer_id");
        let auth = match &auth_v {
            Some(v) => {
                let value = match v.as_text().map(|t| t.to_ascii_uppercase()).as_deref() {
                    Some("NONE") if api_key_required => RouteAuth::Key("api key".into()),
                    Some("NONE") => RouteAuth::None,
                    Some("AWS_IAM") => RouteAuth::Iam,
                    Some("CUSTOM" | "COGNITO_USER_POOLS") => {
                        RouteAuth::Authorizer(authorizer_name(authorizer.as_ref()))
                    }
                    _ => RouteAuth::Unknown,
                };
                if value == RouteAuth::Unknown {
                    Val::unresolved(value, v.span)
                } else {
                    Val::explicit(value, v.span)
                }
            }
            None => Val::unresolved(RouteAuth::Unknown, b.span),
        };
        let route =
            HttpRoute { api_kind: ApiKind::Rest, api, method, path, auth, api_key_required };
        ctx.app.triggers.push(Trigger {
            logical_id: r.logical_id.clone(),
            function: f,
            span: b.span,
            kind: TriggerKind::HttpRoute(route),
        });
    }
    for r in ctx.of_type(false, "aws_api_gateway_stage") {
        let b = r.blk.clone();
        if let Some(api) = ctx.attr(&b, "rest_api_id").and_then(|v| api_of(&apis, &v)) {
            let s = stage(ctx, &b, "stage_name");
            ctx.app.apis[api.index()].stages.push(s);
        }
    }

    // HTTP and WebSocket APIs.
    let mut v2: HashMap<String, ApiId> = HashMap::new();
    for r in ctx.of_type(false, "aws_apigatewayv2_api") {
        let b = r.blk.clone();
        let kind = match ctx.attr(&b, "protocol_type").and_then(|v| v.as_text()).as_deref() {
            Some("WEBSOCKET") => ApiKind::WebSocket,
            _ => ApiKind::Http,
        };
        let id = push_api(ctx, &r.logical_id, b.span, kind, None);
        v2.insert(r.addr.clone(), id);
        // Quick create: `target` makes a `$default` route with no auth.
        if let Some(t) = ctx.attr(&b, "target")
            && let Some(f) = ctx.function_of(&t)
        {
            let auth = Val::default_at(RouteAuth::None, b.span);
            let route = HttpRoute {
                api_kind: kind,
                api: Some(id),
                method: "ANY".into(),
                path: "$default".into(),
                auth,
                api_key_required: false,
            };
            ctx.app.triggers.push(Trigger {
                logical_id: r.logical_id.clone(),
                function: f,
                span: b.span,
                kind: TriggerKind::HttpRoute(route),
            });
        }
    }
    let mut v2_integrations: HashMap<String, _> = HashMap::new();
    for r in ctx.of_type(false, "aws_apigatewayv2_integration") {
        let b = r.blk.clone();
        if let Some(f) = ctx.attr(&b, "integration_uri").and_then(|v| ctx.function_of(&v)) {
            v2_integrations.insert(r.addr.clone(), f);
        }
    }
    let mut authorizer_kinds: HashMap<String, String> = HashMap::new();
    for r in ctx.of_type(false, "aws_apigatewayv2_authorizer") {
        authorizer_kinds.insert(r.addr.clone(), r.item.name.to_string());
    }
    for r in ctx.of_type(false, "aws_apigatewayv2_route") {
        let b = r.blk.clone();
        let api = ctx.attr(&b, "api_id").and_then(|v| api_of(&v2, &v));
        let Some(target) = ctx.attr(&b, "target") else { continue };
        let Some(f) = refs(&target).into_iter().find_map(|(a, _)| v2_integrations.get(&a).copied())
        else {
            continue;
        };
        let key = ctx.attr(&b, "route_key").map(|v| v.rendering()).unwrap_or_default();
        let (method, path) = match key.split_once(' ') {
            Some((m, p)) => (m.to_ascii_uppercase(), p.to_string()),
            None => ("ANY".to_string(), key.clone()),
        };
        let kind = api.map_or(ApiKind::Http, |a| ctx.app.apis[a.index()].kind);
        let auth = match ctx.attr(&b, "authorization_type") {
            Some(v) => {
                let value = match v.as_text().map(|t| t.to_ascii_uppercase()).as_deref() {
                    Some("NONE") => RouteAuth::None,
                    Some("AWS_IAM") => RouteAuth::Iam,
                    Some("JWT" | "CUSTOM") => RouteAuth::Authorizer(authorizer_name(
                        ctx.attr(&b, "authorizer_id").as_ref(),
                    )),
                    _ => RouteAuth::Unknown,
                };
                if value == RouteAuth::Unknown {
                    Val::unresolved(value, v.span)
                } else {
                    Val::explicit(value, v.span)
                }
            }
            // Routes are open unless an authorization type is set.
            None => Val::default_at(RouteAuth::None, b.span),
        };
        let api_key_required =
            ctx.attr(&b, "api_key_required").and_then(|v| v.as_bool()).unwrap_or(false);
        let route = HttpRoute { api_kind: kind, api, method, path, auth, api_key_required };
        ctx.app.triggers.push(Trigger {
            logical_id: r.logical_id.clone(),
            function: f,
            span: b.span,
            kind: TriggerKind::HttpRoute(route),
        });
    }
    for r in ctx.of_type(false, "aws_apigatewayv2_stage") {
        let b = r.blk.clone();
        if let Some(api) = ctx.attr(&b, "api_id").and_then(|v| api_of(&v2, &v)) {
            let s = stage(ctx, &b, "name");
            ctx.app.apis[api.index()].stages.push(s);
        }
    }
}

fn push_api(
    ctx: &mut Ctx<'_>,
    logical_id: &str,
    span: Span,
    kind: ApiKind,
    resource_policy: Option<faasguard_model::PolicyDocument>,
) -> ApiId {
    let id = ApiId(ctx.app.apis.len() as u32);
    ctx.app.apis.push(Api {
        logical_id: logical_id.to_string(),
        span,
        kind,
        generated: false,
        default_auth: None,
        stages: Vec::new(),
        resource_policy,
    });
    id
}
