//! `AWS::Serverless::Api` and `AWS::Serverless::HttpApi` (explicit, or the
//! implicit `ServerlessRestApi`/`ServerlessHttpApi` SAM creates for events
//! without an API), and how a route's authentication is decided: the
//! event's `Auth.Authorizer` (`NONE` included) wins over the API's
//! `DefaultAuthorizer`; with neither, the route is open.

use faasguard_model::{Api, ApiId, ApiKind, RouteAuth, Stage, Val};
use faasguard_source::Span;

use super::super::context::Loader;
use super::super::openapi;
use super::super::policies::document;
use super::super::template::RawResource;
use super::super::value::{V, VEntry, VKind};

fn stage_of(kind: ApiKind, props: &V, owner: Span) -> Stage {
    let log = match kind {
        ApiKind::Rest => props.get("AccessLogSetting"),
        _ => props.get("AccessLogSettings"),
    };
    let default_stage = if kind == ApiKind::Rest { "Prod" } else { "$default" };
    Stage {
        name: props
            .get("StageName")
            .and_then(V::to_val)
            .unwrap_or_else(|| Val::default_at(default_stage.to_owned(), owner)),
        span: owner,
        access_log: log.and_then(|l| l.get("DestinationArn")).and_then(V::to_val),
        tracing: props.get("TracingEnabled").and_then(V::to_val_bool),
    }
}

fn push_api(
    l: &mut Loader<'_, '_>,
    logical_id: &str,
    kind: ApiKind,
    props: &V,
    span: Span,
    generated: bool,
) -> ApiId {
    let auth = props.get("Auth");
    let resource_policy = auth
        .and_then(|a| a.get("ResourcePolicy"))
        .and_then(|rp| rp.get("CustomStatements"))
        .and_then(|statements| {
            let doc = V::new(
                VKind::Map(vec![VEntry {
                    key: "Statement".to_owned(),
                    key_span: statements.span,
                    value: statements.clone(),
                }]),
                statements.span,
            );
            document(&doc, &mut l.ev.errors)
        });
    let api = Api {
        logical_id: logical_id.to_owned(),
        span,
        kind,
        generated,
        default_auth: auth.and_then(|a| a.get("DefaultAuthorizer")).and_then(V::to_val),
        stages: vec![stage_of(kind, props, span)],
        resource_policy,
    };
    let id = ApiId(l.app.apis.len() as u32);
    l.api_ids.insert(logical_id.to_owned(), id);
    if let Some(required) = auth.and_then(|a| a.get("ApiKeyRequired")).and_then(V::as_bool) {
        l.api_keys.insert(id, required);
    }
    l.app.apis.push(api);
    id
}

pub(crate) fn declare(l: &mut Loader<'_, '_>, i: usize, r: &RawResource<'_>) {
    let Some(props) = l.take_props(i) else { return };
    let kind =
        if r.type_name == "AWS::Serverless::HttpApi" { ApiKind::Http } else { ApiKind::Rest };
    push_api(l, r.id, kind, &props, r.node.span, false);
    l.put_props(i, props);
}

/// The API SAM creates for events that name none, with the `Globals` for
/// APIs applied. Located at the first event that needs it.
pub(crate) fn implicit_api(l: &mut Loader<'_, '_>, kind: ApiKind, span: Span) -> ApiId {
    let name = if kind == ApiKind::Rest { "ServerlessRestApi" } else { "ServerlessHttpApi" };
    if let Some(id) = l.api_ids.get(name) {
        return *id;
    }
    let globals =
        if kind == ApiKind::Rest { l.globals.api.clone() } else { l.globals.http_api.clone() };
    let props = globals.unwrap_or_else(|| V::new(VKind::Map(Vec::new()), span));
    push_api(l, name, kind, &props, span, true)
}

/// A route's authentication from an authorizer name as written.
pub(crate) fn auth_from_name(v: &Val<String>) -> Val<RouteAuth> {
    let value = if !v.is_known() {
        RouteAuth::Unknown
    } else if v.value == "NONE" {
        RouteAuth::None
    } else if v.value == "AWS_IAM" {
        RouteAuth::Iam
    } else {
        RouteAuth::Authorizer(v.value.clone())
    };
    Val { value, span: v.span, origin: v.origin }
}

/// Authentication and API-key requirement of an event's route.
pub(crate) fn route_auth(
    l: &Loader<'_, '_>,
    api: Option<ApiId>,
    event_auth: Option<&V>,
    span: Span,
) -> (Val<RouteAuth>, bool) {
    let api_key = event_auth
        .and_then(|a| a.get("ApiKeyRequired"))
        .and_then(V::as_bool)
        .or_else(|| api.and_then(|a| l.api_keys.get(&a).copied()))
        .unwrap_or(false);
    let explicit = event_auth.and_then(|a| a.get("Authorizer")).and_then(V::to_val);
    let default = api.and_then(|a| l.app.apis.get(a.index())).and_then(|a| a.default_auth.clone());
    let mut auth = match (explicit, default, api) {
        (Some(a), _, _) => auth_from_name(&a),
        (None, Some(d), _) => auth_from_name(&d),
        // An API the template names but that is not in it (an import, a
        // parameter): its default authorizer cannot be known.
        (None, None, None) => Val::unresolved(RouteAuth::Unknown, span),
        (None, None, Some(_)) => Val::default_at(RouteAuth::None, span),
    };
    if api_key && auth.is_none() {
        auth.value = RouteAuth::Key("api_key".to_owned());
    }
    (auth, api_key)
}

/// Routes written in the API's OpenAPI `DefinitionBody`.
pub(crate) fn routes(l: &mut Loader<'_, '_>, i: usize, r: &RawResource<'_>) {
    let Some(props) = l.take_props(i) else { return };
    if let (Some(&api), Some(body)) = (l.api_ids.get(r.id), props.get("DefinitionBody")) {
        let kind = l.app.apis.get(api.index()).map_or(ApiKind::Rest, |a| a.kind);
        let default = l.app.apis.get(api.index()).and_then(|a| a.default_auth.clone());
        openapi::load(l, api, kind, body, default.as_ref());
    }
    l.put_props(i, props);
}
