//! HTTP triggers: authorization levels, methods and route paths, shared by
//! `function.json` and the Python v2 decorators.

use faasguard_model::{ApiKind, FunctionId, HttpRoute, RouteAuth, Trigger, TriggerKind, Val};
use faasguard_source::Span;

use crate::Ctx;

/// The authorization level a key-less binding gets from the host.
pub(crate) const DEFAULT_LEVEL: &str = "function";

/// An authorization level (`anonymous`, `function`, `admin`, any case) as
/// route authentication; `None` for a level the host does not know.
///
/// `function` and `admin` ask for a key in `code=` or `x-functions-key`,
/// which identifies the caller only as someone holding a key.
pub(crate) fn level(text: &str) -> Option<RouteAuth> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("anonymous") {
        Some(RouteAuth::None)
    } else if t.eq_ignore_ascii_case("function") {
        Some(RouteAuth::Key("function".into()))
    } else if t.eq_ignore_ascii_case("admin") {
        Some(RouteAuth::Key("admin".into()))
    } else if t.eq_ignore_ascii_case("system") {
        Some(RouteAuth::Key("system".into()))
    } else {
        None
    }
}

/// The host's default level, located at the binding that leaves it out.
pub(crate) fn default_auth(span: Span) -> Val<RouteAuth> {
    Val::default_at(RouteAuth::Key(DEFAULT_LEVEL.into()), span)
}

/// The public path of a route: `/<prefix>/<route>` without doubled slashes.
pub(crate) fn full_path(prefix: &str, route: &str) -> String {
    let parts: Vec<&str> =
        [prefix, route].iter().map(|p| p.trim_matches('/')).filter(|p| !p.is_empty()).collect();
    format!("/{}", parts.join("/"))
}

/// Normalises a list of methods: upper case, no repeats, `ANY` when the
/// list is empty (the host then accepts every method).
pub(crate) fn methods(list: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for m in list {
        let m = m.trim().to_ascii_uppercase();
        if !m.is_empty() && !out.contains(&m) {
            out.push(m);
        }
    }
    if out.is_empty() {
        out.push("ANY".into());
    }
    out
}

/// One HTTP trigger as the model's routes, one per method.
pub(crate) struct HttpTrigger {
    pub(crate) logical_id: String,
    pub(crate) function: FunctionId,
    pub(crate) span: Span,
    pub(crate) methods: Vec<String>,
    pub(crate) path: String,
    pub(crate) auth: Val<RouteAuth>,
}

pub(crate) fn push(ctx: &mut Ctx<'_>, t: HttpTrigger) {
    for method in t.methods {
        ctx.app.triggers.push(Trigger {
            logical_id: t.logical_id.clone(),
            function: t.function,
            span: t.span,
            kind: TriggerKind::HttpRoute(HttpRoute {
                api_kind: ApiKind::Http,
                api: None,
                method,
                path: t.path.clone(),
                auth: t.auth.clone(),
                api_key_required: false,
            }),
        });
    }
}

/// The model's trigger kind name for a binding type (`queueTrigger`): the
/// AWS-shaped kinds carry AWS semantics (asynchronous invocation with
/// on-failure destinations, SQS batch settings) that Azure's retry and
/// poison-queue handling does not share, so other triggers keep their
/// Azure type name.
pub(crate) fn other(kind: &str) -> TriggerKind {
    TriggerKind::Other { kind: kind.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_map_to_route_auth() {
        assert_eq!(level("anonymous"), Some(RouteAuth::None));
        assert_eq!(level("Anonymous"), Some(RouteAuth::None));
        assert_eq!(level("FUNCTION"), Some(RouteAuth::Key("function".into())));
        assert_eq!(level("admin"), Some(RouteAuth::Key("admin".into())));
        assert_eq!(level("system"), Some(RouteAuth::Key("system".into())));
        assert_eq!(level("user"), None);
        assert_eq!(level("%LEVEL%"), None);
    }

    #[test]
    fn paths_join_prefix_and_route() {
        assert_eq!(full_path("api", "orders/{id}"), "/api/orders/{id}");
        assert_eq!(full_path("api", "/{*route}"), "/api/{*route}");
        assert_eq!(full_path("", "hello"), "/hello");
        assert_eq!(full_path("/v1/", "/"), "/v1");
        assert_eq!(full_path("", ""), "/");
    }

    #[test]
    fn methods_default_to_any() {
        assert_eq!(methods(vec![]), ["ANY"]);
        assert_eq!(methods(vec!["get".into(), "GET".into(), "post".into()]), ["GET", "POST"]);
    }
}
