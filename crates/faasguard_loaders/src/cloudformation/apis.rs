//! API Gateway written as raw resources: REST APIs (`RestApi`, `Resource`,
//! `Method`, `Stage`, `Deployment`, `Authorizer`) and HTTP/WebSocket APIs
//! (`ApiGatewayV2::Api`, `Route`, `Integration`, `Stage`).

use faasguard_model::{Api, ApiId, ApiKind, HttpRoute, RouteAuth, Stage, TriggerKind, Val};
use faasguard_source::Span;

use super::context::Loader;
use super::events::push_trigger;
use super::openapi;
use super::policies::document;
use super::template::RawResource;
use super::value::V;

/// Longest `Resource` parent chain followed (a cycle stops here too).
const MAX_PATH_DEPTH: usize = 64;

pub(crate) fn declare(l: &mut Loader<'_, '_>, i: usize, r: &RawResource<'_>) {
    let Some(props) = l.take_props(i) else { return };
    let kind = if r.type_name == "AWS::ApiGatewayV2::Api" {
        match props.get("ProtocolType").and_then(V::known_str) {
            Some("WEBSOCKET") => ApiKind::WebSocket,
            _ => ApiKind::Http,
        }
    } else {
        ApiKind::Rest
    };
    let resource_policy = props.get("Policy").and_then(|p| document(p, &mut l.ev.errors));
    let id = ApiId(l.app.apis.len() as u32);
    l.api_ids.insert(r.id.to_owned(), id);
    l.app.apis.push(Api {
        logical_id: r.id.to_owned(),
        span: r.node.span,
        kind,
        generated: false,
        default_auth: None,
        stages: Vec::new(),
        resource_policy,
    });
    l.put_props(i, props);
}

/// Routes, stages and quick-create targets of raw APIs.
pub(crate) fn load_raw(l: &mut Loader<'_, '_>) {
    let tpl = l.tpl;
    for (i, r) in tpl.resources.iter().enumerate() {
        let Some(props) = l.take_props(i) else { continue };
        match r.type_name {
            "AWS::ApiGateway::RestApi" | "AWS::ApiGatewayV2::Api" => {
                if let (Some(&api), Some(body)) = (l.api_ids.get(r.id), props.get("Body")) {
                    let kind = l.app.apis.get(api.index()).map_or(ApiKind::Rest, |a| a.kind);
                    openapi::load(l, api, kind, body, None);
                }
                if let (Some(&api), Some(target)) = (l.api_ids.get(r.id), props.get("Target"))
                    && let Some(fid) = l.function_of(target)
                {
                    let route = HttpRoute {
                        api_kind: ApiKind::Http,
                        api: Some(api),
                        method: "ANY".to_owned(),
                        path: "$default".to_owned(),
                        auth: Val::default_at(RouteAuth::None, r.node.span),
                        api_key_required: false,
                    };
                    push_trigger(l, r.id, fid, r.node.span, TriggerKind::HttpRoute(route));
                    add_stage(
                        l,
                        Some(api),
                        Stage {
                            name: Val::default_at("$default".to_owned(), r.node.span),
                            span: r.node.span,
                            access_log: None,
                            tracing: None,
                        },
                    );
                }
            }
            "AWS::ApiGateway::Method" => method(l, r, &props),
            "AWS::ApiGatewayV2::Route" => route_v2(l, r, &props),
            "AWS::ApiGateway::Stage" => {
                let api = props.get("RestApiId").and_then(|a| l.api_of(a));
                let stage = Stage {
                    name: name_or(&props, "StageName", r.node.span),
                    span: r.node.span,
                    access_log: props
                        .get("AccessLogSetting")
                        .and_then(|s| s.get("DestinationArn"))
                        .and_then(V::to_val),
                    tracing: props.get("TracingEnabled").and_then(V::to_val_bool),
                };
                add_stage(l, api, stage);
            }
            "AWS::ApiGateway::Deployment" if props.get("StageName").is_some() => {
                let api = props.get("RestApiId").and_then(|a| l.api_of(a));
                let desc = props.get("StageDescription");
                let stage = Stage {
                    name: name_or(&props, "StageName", r.node.span),
                    span: r.node.span,
                    access_log: desc
                        .and_then(|d| d.get("AccessLogSetting"))
                        .and_then(|s| s.get("DestinationArn"))
                        .and_then(V::to_val),
                    tracing: desc.and_then(|d| d.get("TracingEnabled")).and_then(V::to_val_bool),
                };
                add_stage(l, api, stage);
            }
            "AWS::ApiGatewayV2::Stage" => {
                let api = props.get("ApiId").and_then(|a| l.api_of(a));
                let stage = Stage {
                    name: name_or(&props, "StageName", r.node.span),
                    span: r.node.span,
                    access_log: props
                        .get("AccessLogSettings")
                        .and_then(|s| s.get("DestinationArn"))
                        .and_then(V::to_val),
                    tracing: None,
                };
                add_stage(l, api, stage);
            }
            _ => {}
        }
        l.put_props(i, props);
    }
}

fn name_or(props: &V, key: &str, span: Span) -> Val<String> {
    props
        .get(key)
        .and_then(V::to_val)
        .unwrap_or_else(|| Val::unresolved(format!("${{{key}}}"), span))
}

fn add_stage(l: &mut Loader<'_, '_>, api: Option<ApiId>, stage: Stage) {
    if let Some(a) = api.and_then(|a| l.app.apis.get_mut(a.index())) {
        a.stages.push(stage);
    }
}

/// The path of an `AWS::ApiGateway::Resource`, built from its parents.
fn resource_path(l: &Loader<'_, '_>, resource: &V) -> Option<String> {
    let mut parts = Vec::new();
    let mut current = resource.clone();
    for _ in 0..MAX_PATH_DEPTH {
        let link = current.link.as_deref()?;
        match l.type_of(link) {
            Some("AWS::ApiGateway::Resource") => {
                let props = l.tpl.by_id.get(link).and_then(|i| l.props(*i))?;
                parts.push(props.get("PathPart").map(V::fragment).unwrap_or_default());
                current = props.get("ParentId")?.clone();
            }
            // `!GetAtt Api.RootResourceId`.
            Some("AWS::ApiGateway::RestApi") => {
                parts.reverse();
                return Some(format!("/{}", parts.join("/")));
            }
            _ => return None,
        }
    }
    None
}

fn method(l: &mut Loader<'_, '_>, r: &RawResource<'_>, props: &V) {
    let Some(uri) = props.get("Integration").and_then(|i| i.get("Uri")) else { return };
    let Some(fid) = l.function_of(uri) else { return };
    let api = props.get("RestApiId").and_then(|a| l.api_of(a));
    let path = props
        .get("ResourceId")
        .and_then(|res| resource_path(l, res))
        .unwrap_or_else(|| "${ResourceId}".to_owned());
    let method = props.get("HttpMethod").and_then(V::text).unwrap_or_else(|| "ANY".to_owned());
    let auth = match props.get("AuthorizationType") {
        Some(t) => match t.known_str() {
            Some(s) if s.eq_ignore_ascii_case("NONE") => Val::explicit(RouteAuth::None, t.span),
            Some("AWS_IAM") => Val::explicit(RouteAuth::Iam, t.span),
            Some(other) => {
                let name = props
                    .get("AuthorizerId")
                    .and_then(|a| a.link.as_deref().map(str::to_owned).or_else(|| a.text()))
                    .unwrap_or_else(|| other.to_owned());
                Val::explicit(RouteAuth::Authorizer(name), t.span)
            }
            None => Val::unresolved(RouteAuth::Unknown, t.span),
        },
        None => Val::default_at(RouteAuth::None, r.node.span),
    };
    let api_key_required = props.get("ApiKeyRequired").and_then(V::as_bool).unwrap_or(false);
    let route = HttpRoute { api_kind: ApiKind::Rest, api, method, path, auth, api_key_required };
    push_trigger(l, r.id, fid, r.node.span, TriggerKind::HttpRoute(route));
}

fn route_v2(l: &mut Loader<'_, '_>, r: &RawResource<'_>, props: &V) {
    let Some(target) = props.get("Target") else { return };
    // `integrations/<IntegrationId>`: follow the integration to its function.
    let fid = target.links().into_iter().find_map(|link| {
        if l.type_of(link) == Some("AWS::ApiGatewayV2::Integration") {
            let ip = l.tpl.by_id.get(link).and_then(|i| l.props(*i))?;
            l.function_of(ip.get("IntegrationUri")?)
        } else {
            None
        }
    });
    let Some(fid) = fid else { return };
    let api = props.get("ApiId").and_then(|a| l.api_of(a));
    let api_kind = api.and_then(|a| l.app.apis.get(a.index())).map_or(ApiKind::Http, |a| a.kind);
    let key = props.get("RouteKey").and_then(V::text).unwrap_or_else(|| "$default".to_owned());
    let (method, path) = match key.split_once(' ') {
        Some((m, p)) => (m.to_owned(), p.to_owned()),
        None => ("ANY".to_owned(), key.clone()),
    };
    let auth = match props.get("AuthorizationType") {
        Some(t) => match t.known_str() {
            Some(s) if s.eq_ignore_ascii_case("NONE") => Val::explicit(RouteAuth::None, t.span),
            Some("AWS_IAM") => Val::explicit(RouteAuth::Iam, t.span),
            Some(other) => {
                let name = props
                    .get("AuthorizerId")
                    .and_then(|a| a.link.as_deref().map(str::to_owned).or_else(|| a.text()))
                    .unwrap_or_else(|| other.to_owned());
                Val::explicit(RouteAuth::Authorizer(name), t.span)
            }
            None => Val::unresolved(RouteAuth::Unknown, t.span),
        },
        None => Val::default_at(RouteAuth::None, r.node.span),
    };
    let api_key_required = props.get("ApiKeyRequired").and_then(V::as_bool).unwrap_or(false);
    let route = HttpRoute { api_kind, api, method, path, auth, api_key_required };
    push_trigger(l, r.id, fid, r.node.span, TriggerKind::HttpRoute(route));
}
