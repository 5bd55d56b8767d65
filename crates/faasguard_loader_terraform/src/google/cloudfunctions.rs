//! `google_cloudfunctions_function` (gen1), `google_cloudfunctions2_function`
//! (gen2) and `google_service_account`.

use faasguard_model::{
    Code, EnvVar, Function, FunctionId, PlatformSettings, Provider, Role, RoleId, Trigger,
    TriggerKind, Val, ValueSource, VpcConfig,
};
use faasguard_source::Span;

use crate::aws::lambda::env_vars;
use crate::build::{Blk, Ctx};

/// Key of the shared default service account role in [`Ctx::roles`].
pub(crate) const DEFAULT_SA: &str = "google.default_service_account";

fn role(logical_id: String, span: Span, default_identity: bool) -> Role {
    Role {
        logical_id,
        span,
        generated: default_identity,
        trust_policy: None,
        policies: Vec::new(),
        permissions_boundary: None,
        boundary_document: None,
        assignments: Vec::new(),
        default_identity,
    }
}

/// Loads functions; returns the HTTP-reachable ones (function, span, trigger id).
pub(crate) fn load(ctx: &mut Ctx<'_>) -> Vec<(FunctionId, Span, String)> {
    for r in ctx.of_type(false, "google_service_account") {
        let id = RoleId(ctx.app.roles.len() as u32);
        ctx.app.roles.push(role(r.logical_id.clone(), r.blk.span, false));
        ctx.roles.insert(r.addr.clone(), id);
        if let Some(a) = ctx.attr(&r.blk.clone(), "account_id").and_then(|v| v.as_text()) {
            ctx.role_names.insert(a, id);
        }
    }
    let mut http = Vec::new();
    for r in ctx.of_types(&["google_cloudfunctions_function", "google_cloudfunctions2_function"]) {
        let b = r.blk.clone();
        let gen2 = r.item.ty == "google_cloudfunctions2_function";
        let mut f = Function::new(r.logical_id.clone(), b.span, Provider::Gcp);
        f.name = ctx.str(&b, "name");
        let mut p = PlatformSettings { span: Some(b.span), ..PlatformSettings::default() };
        let (build, service) = if gen2 {
            (ctx.block(&b, "build_config"), ctx.block(&b, "service_config"))
        } else {
            (None, None)
        };
        let src = build.clone().unwrap_or_else(|| b.clone());
        let svc = service.clone().unwrap_or_else(|| b.clone());
        f.runtime = ctx.str(&src, "runtime");
        f.handler = ctx.str(&src, "entry_point");
        f.environment = Vec::new();
        // gen2 build-time variables are not runtime environment, but a
        // secret there is written in the file all the same.
        for holder in [&src, &svc] {
            if let Some(env) = ctx.attr(holder, "environment_variables") {
                for v in env_vars(&env) {
                    if !f
                        .environment
                        .iter()
                        .any(|e: &EnvVar| e.name == v.name && e.name_span == v.name_span)
                    {
                        f.environment.push(v);
                    }
                }
            }
            if !gen2 {
                break;
            }
        }
        for s in ctx.blocks(&svc, "secret_environment_variables") {
            let Some(key) = ctx.attr(&s, "key") else { continue };
            let secret = ctx.attr(&s, "secret").map(|v| v.rendering()).unwrap_or_default();
            let version =
                ctx.attr(&s, "version").map(|v| v.rendering()).unwrap_or_else(|| "latest".into());
            f.environment.push(EnvVar {
                name: key.rendering(),
                name_span: key.span,
                value: Val::explicit(format!("secretmanager:{secret}/{version}"), s.span),
                source: ValueSource::SecretStore,
            });
        }
        f.memory_mb = if gen2 {
            ctx.attr(&svc, "available_memory").and_then(|v| memory_mb(&v))
        } else {
            ctx.int(&b, "available_memory_mb")
        };
        f.timeout_s = ctx.int(&svc, if gen2 { "timeout_seconds" } else { "timeout" });
        if let Some(c) = ctx.str(&svc, "vpc_connector") {
            f.vpc = Some(VpcConfig {
                subnets: vec![c.clone()],
                security_groups: Vec::new(),
                span: c.span,
            });
        }
        f.reserved_concurrency =
            ctx.int(&svc, "max_instance_count").or_else(|| ctx.int(&b, "max_instances"));
        f.code = code(ctx, &b, build.as_ref());
        let event = ctx.block(&b, "event_trigger");
        let http_trigger = if gen2 {
            event.is_none()
        } else {
            ctx.attr(&b, "trigger_http").and_then(|v| v.as_bool()).unwrap_or(false)
        };
        // Ingress filters HTTP traffic. A 1st gen function with only an
        // event trigger has no HTTP endpoint, so its default means nothing;
        // a 2nd gen function is a Cloud Run service with an endpoint either way.
        p.ingress = ctx.str(&svc, "ingress_settings").or_else(|| {
            (gen2 || http_trigger).then(|| Val::default_at("ALLOW_ALL".into(), svc.span))
        });
        if !gen2 && http_trigger {
            p.https_security_level = Some(
                ctx.str(&b, "https_trigger_security_level")
                    .unwrap_or(Val::default_at("SECURE_OPTIONAL".into(), b.span)),
            );
        }
        f.platform = Some(p);
        match ctx.attr(&svc, "service_account_email") {
            Some(sa) => {
                f.role = ctx.role_of(&sa).or_else(|| {
                    sa.as_text()
                        .and_then(|t| t.split('@').next().map(str::to_string))
                        .and_then(|a| ctx.role_names.get(&a).copied())
                });
                if f.role.is_none() && sa.as_text().is_some_and(|t| is_default_sa(&t)) {
                    f.role = Some(default_role(ctx, sa.span));
                }
                f.role_ref = sa.to_val();
            }
            None => f.role = Some(default_role(ctx, b.span)),
        }
        let id = FunctionId(ctx.app.functions.len() as u32);
        ctx.app.functions.push(f);
        ctx.functions.insert(r.addr.clone(), id);
        if let Some(e) = event {
            let kind = ctx
                .attr(&e, "event_type")
                .map(|v| v.rendering())
                .unwrap_or_else(|| "event_trigger".into());
            ctx.app.triggers.push(Trigger {
                logical_id: r.logical_id.clone(),
                function: id,
                span: e.span,
                kind: TriggerKind::Other { kind },
            });
        }
        if http_trigger {
            http.push((id, b.span, r.logical_id.clone()));
        }
    }
    http
}

/// Whether an email is a Google-managed default service account.
pub(crate) fn is_default_sa(email: &str) -> bool {
    email.ends_with("-compute@developer.gserviceaccount.com")
        || email.ends_with("@appspot.gserviceaccount.com")
}

/// The default service account, one role per app.
pub(crate) fn default_role(ctx: &mut Ctx<'_>, span: Span) -> RoleId {
    if let Some(&r) = ctx.roles.get(DEFAULT_SA) {
        return r;
    }
    let id = RoleId(ctx.app.roles.len() as u32);
    ctx.app.roles.push(role("default-service-account".into(), span, true));
    ctx.roles.insert(DEFAULT_SA.into(), id);
    id
}

fn memory_mb(v: &crate::hcl::value::Value) -> Option<Val<i64>> {
    let t = v.as_text()?;
    let t = t.trim();
    let (num, mult) = if let Some(n) = t.strip_suffix("Gi") {
        (n, 1024.0)
    } else if let Some(n) = t.strip_suffix('G') {
        (n, 1000.0)
    } else if let Some(n) = t.strip_suffix("Mi") {
        (n, 1.0)
    } else if let Some(n) = t.strip_suffix('M') {
        (n, 1.0)
    } else {
        (t, 1.0 / (1024.0 * 1024.0))
    };
    let n: f64 = num.parse().ok()?;
    Some(Val::explicit((n * mult) as i64, v.span))
}

fn code<'a>(ctx: &mut Ctx<'a>, b: &Blk<'a>, build: Option<&Blk<'a>>) -> Option<Code> {
    if let Some(build) = build
        && let Some(src) = ctx.block(build, "source")
        && let Some(st) = ctx.block(&src, "storage_source")
    {
        let bucket = ctx.attr(&st, "bucket")?;
        let object = ctx.attr(&st, "object");
        return Some(Code::Location(gs(&bucket, object.as_ref())));
    }
    let bucket = ctx.attr(b, "source_archive_bucket")?;
    let object = ctx.attr(b, "source_archive_object");
    Some(Code::Location(gs(&bucket, object.as_ref())))
}

fn gs(bucket: &crate::hcl::value::Value, object: Option<&crate::hcl::value::Value>) -> Val<String> {
    let text = format!(
        "gs://{}/{}",
        bucket.rendering(),
        object.map(|o| o.rendering()).unwrap_or_default()
    );
    let known = bucket.is_wholly_known() && object.is_none_or(|o| o.is_wholly_known());
    let span = object.map_or(bucket.span, |o| bucket.span.cover(o.span));
    if known { Val::explicit(text, span) } else { Val::unresolved(text, span) }
}
