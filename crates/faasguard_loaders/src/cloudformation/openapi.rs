//! Routes from an OpenAPI or Swagger definition (`Body` of an API Gateway
//! API, `DefinitionBody` of a SAM API): each operation whose
//! `x-amazon-apigateway-integration` reaches a function of the template.
//!
//! Authentication follows the definition: the operation's `security`, else
//! the document's, else the SAM `DefaultAuthorizer` (which the transform
//! writes into every path), else none. `security: []` turns auth off.

use faasguard_model::{ApiId, ApiKind, HttpRoute, RouteAuth, TriggerKind, Val};

use super::context::Loader;
use super::events::push_trigger;
use super::sam::api::auth_from_name;
use super::value::V;

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

pub(crate) fn load(
    l: &mut Loader<'_, '_>,
    api: ApiId,
    kind: ApiKind,
    body: &V,
    default_auth: Option<&Val<String>>,
) {
    let Some(paths) = body.get("paths") else { return };
    let schemes = body
        .get("securityDefinitions")
        .or_else(|| body.get("components").and_then(|c| c.get("securitySchemes")));
    let global = body.get("security");
    let mut found = Vec::new();
    for path in paths.entries() {
        for op in path.value.entries() {
            let method = if op.key == "x-amazon-apigateway-any-method" {
                "ANY".to_owned()
            } else if METHODS.contains(&op.key.to_ascii_lowercase().as_str()) {
                op.key.to_ascii_uppercase()
            } else {
                continue;
            };
            let Some(uri) =
                op.value.get("x-amazon-apigateway-integration").and_then(|i| i.get("uri"))
            else {
                continue;
            };
            let Some(fid) = l.function_of(uri) else { continue };
            let span = op.key_span.cover(op.value.span);
            let auth = match op.value.get("security").or(global) {
                Some(sec) => security_auth(sec, schemes),
                None => match default_auth {
                    Some(d) => auth_from_name(d),
                    None => Val::default_at(RouteAuth::None, span),
                },
            };
            let api_key_required = matches!(auth.value, RouteAuth::Key(_));
            let route = HttpRoute {
                api_kind: kind,
                api: Some(api),
                method,
                path: path.key.clone(),
                auth,
                api_key_required,
            };
            found.push((fid, span, route));
        }
    }
    for (fid, span, route) in found {
        let duplicate = l.app.triggers.iter().any(|t| {
            t.function == fid
                && matches!(&t.kind, TriggerKind::HttpRoute(r)
                    if r.api == route.api && r.path == route.path && r.method == route.method)
        });
        if !duplicate {
            let name = format!("{} {}", route.method, route.path);
            push_trigger(l, name, fid, span, TriggerKind::HttpRoute(route));
        }
    }
}

/// Reads a `security` requirement list.
fn security_auth(sec: &V, schemes: Option<&V>) -> Val<RouteAuth> {
    let reqs = sec.items();
    if sec.unresolved {
        return Val::unresolved(RouteAuth::Unknown, sec.span);
    }
    // `[]`, or an alternative `{}`, means no authentication is needed.
    if reqs.is_empty() || reqs.iter().any(|r| r.entries().is_empty()) {
        return Val::explicit(RouteAuth::None, sec.span);
    }
    let Some(first) = reqs.first().and_then(|r| r.entries().first()) else {
        return Val::explicit(RouteAuth::None, sec.span);
    };
    let name = first.key.clone();
    let scheme = schemes.and_then(|s| s.get(&name));
    let authtype = scheme
        .and_then(|s| s.get("x-amazon-apigateway-authtype"))
        .and_then(V::known_str)
        .unwrap_or_default();
    let is_key = scheme.and_then(|s| s.get("type")).and_then(V::known_str) == Some("apiKey")
        && scheme.and_then(|s| s.get("x-amazon-apigateway-authorizer")).is_none();
    let value = if authtype.eq_ignore_ascii_case("awsSigv4") || name == "sigv4" || name == "AWS_IAM"
    {
        RouteAuth::Iam
    } else if is_key || name == "api_key" {
        RouteAuth::Key(name)
    } else {
        RouteAuth::Authorizer(name)
    };
    Val::explicit(value, first.key_span)
}
