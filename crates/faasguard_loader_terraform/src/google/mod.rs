//! Google Cloud Functions (gen1 and gen2), their service accounts, invoker
//! bindings and project roles.
//!
//! HTTP triggers are added last: whether a route is open depends on the
//! invoker bindings (`allUsers`), which are separate resources.

mod cloudfunctions;
mod iam;

use faasguard_model::{ApiKind, HttpRoute, RouteAuth, Trigger, TriggerKind, Val};

use crate::build::Ctx;

pub(crate) fn load(ctx: &mut Ctx<'_>) {
    let http = cloudfunctions::load(ctx);
    iam::load(ctx);
    for (f, span, logical_id) in http {
        let open = ctx
            .app
            .permissions_of(f)
            .find(|p| p.principal.is_known() && p.principal.value.trim() == "allUsers");
        let auth = match open {
            Some(p) => Val::explicit(RouteAuth::None, p.span),
            None => Val::default_at(RouteAuth::Iam, span),
        };
        let route = HttpRoute {
            api_kind: ApiKind::Http,
            api: None,
            method: "ANY".into(),
            path: "/".into(),
            auth,
            api_key_required: false,
        };
        ctx.app.triggers.push(Trigger {
            logical_id,
            function: f,
            span,
            kind: TriggerKind::HttpRoute(route),
        });
    }
}
