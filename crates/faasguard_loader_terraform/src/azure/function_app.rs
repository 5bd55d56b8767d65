//! `azurerm_function_app`, `azurerm_linux_function_app`,
//! `azurerm_windows_function_app` and their slots.
//!
//! Settings that are not written get the azurerm provider's default with
//! [`Origin::Default`], so rules can tell "left at the default" from "set".
//!
//! [`Origin::Default`]: faasguard_model::Origin::Default

use faasguard_model::{
    EnvVar, Function, FunctionId, PlatformSettings, Provider, Role, RoleId, Val, ValueSource,
};

use crate::aws::lambda::value_source;
use crate::build::Ctx;

const TYPES: &[&str] = &[
    "azurerm_function_app",
    "azurerm_linux_function_app",
    "azurerm_windows_function_app",
    "azurerm_function_app_slot",
    "azurerm_linux_function_app_slot",
    "azurerm_windows_function_app_slot",
];

pub(crate) fn load(ctx: &mut Ctx<'_>) {
    for r in ctx.of_types(TYPES) {
        let b = r.blk.clone();
        let legacy = matches!(r.item.ty, "azurerm_function_app" | "azurerm_function_app_slot");
        let owner = b.span;
        let mut f = Function::new(r.logical_id.clone(), owner, Provider::Azure);
        f.name = ctx.str(&b, "name");
        if let Some(settings) = ctx.attr(&b, "app_settings") {
            f.environment = settings
                .fields()
                .iter()
                .filter_map(|s| {
                    let value = s.value.to_val()?;
                    let source = if value.is_known()
                        && value.value.trim_start().starts_with("@Microsoft.KeyVault(")
                    {
                        ValueSource::SecretStore
                    } else {
                        value_source(&value)
                    };
                    Some(EnvVar { name: s.key.clone(), name_span: s.key_span, value, source })
                })
                .collect();
        }
        let mut p = PlatformSettings { span: Some(owner), ..PlatformSettings::default() };
        p.https_only = Some(ctx.bool(&b, "https_only").unwrap_or(Val::default_at(false, owner)));
        let site = ctx.block(&b, "site_config");
        let (mut tls, mut ftps, mut http2, mut debug) = (None, None, None, None);
        if let Some(s) = &site {
            tls = ctx.str(s, "minimum_tls_version").or_else(|| ctx.str(s, "min_tls_version"));
            ftps = ctx.str(s, "ftps_state");
            http2 = ctx.bool(s, "http2_enabled");
            debug = ctx.bool(s, "remote_debugging_enabled");
            if let Some(c) = ctx.block(s, "cors") {
                p.cors_origins = ctx.strs(&c, "allowed_origins");
            }
            if let Some(stack) = ctx.block(s, "application_stack") {
                for (key, prefix) in [
                    ("python_version", "python"),
                    ("node_version", "node"),
                    ("dotnet_version", "dotnet"),
                    ("java_version", "java"),
                    ("powershell_core_version", "powershell"),
                ] {
                    if let Some(mut v) = ctx.str(&stack, key) {
                        v.value = format!(
                            "{prefix}{}",
                            v.value.trim_start_matches('~').trim_start_matches('v')
                        );
                        f.runtime = Some(v);
                        break;
                    }
                }
            }
        }
        if f.runtime.is_none() {
            f.runtime = f
                .environment
                .iter()
                .find(|e| e.name == "FUNCTIONS_WORKER_RUNTIME")
                .map(|e| e.value.clone());
        }
        let site_span = site.as_ref().map_or(owner, |s| s.span);
        p.min_tls_version = Some(tls.unwrap_or(Val::default_at("1.2".into(), site_span)));
        p.ftps_state = Some(ftps.unwrap_or(Val::default_at(
            if legacy { "AllAllowed" } else { "Disabled" }.into(),
            site_span,
        )));
        p.http2 = Some(http2.unwrap_or(Val::default_at(false, site_span)));
        p.remote_debugging = Some(debug.unwrap_or(Val::default_at(false, site_span)));
        let auth = match ctx.block(&b, "auth_settings_v2") {
            Some(a) => ctx.bool(&a, "auth_enabled").or(Some(Val::default_at(false, a.span))),
            None => match ctx.block(&b, "auth_settings") {
                Some(a) => ctx.bool(&a, "enabled"),
                None => None,
            },
        };
        p.auth_enabled = Some(auth.unwrap_or(Val::default_at(false, owner)));
        let cert_enabled = ctx
            .bool(&b, "client_certificate_enabled")
            .or_else(|| ctx.bool(&b, "client_cert_enabled"));
        let mode =
            ctx.str(&b, "client_certificate_mode").or_else(|| ctx.str(&b, "client_cert_mode"));
        p.client_cert_required = Some(match (cert_enabled, mode) {
            (Some(e), _) if e.is_known() && !e.value => e,
            (Some(e), Some(m)) => Val {
                value: m.value == "Required",
                span: m.span,
                origin: if e.is_known() { m.origin } else { e.origin },
            },
            // Enabled without a mode: the provider's default mode is `Optional`.
            (Some(e), None) => Val {
                value: false,
                span: e.span,
                origin: if e.is_known() { faasguard_model::Origin::Default } else { e.origin },
            },
            (None, Some(m)) if legacy => {
                Val { value: m.value == "Required", span: m.span, origin: m.origin }
            }
            _ => Val::default_at(false, owner),
        });
        f.platform = Some(p);

        // A managed identity is the app's identity for RBAC assignments.
        if let Some(identity) = ctx.block(&b, "identity") {
            let ty = ctx.str(&identity, "type");
            let system =
                ty.as_ref().is_some_and(|t| !t.is_known() || t.value.contains("SystemAssigned"));
            if let Some(ids) = ctx.attr(&identity, "identity_ids")
                && let Some(role) = ctx.role_of(&ids)
            {
                f.role = Some(role);
                f.role_ref = ids.to_val();
            }
            if system {
                let id = RoleId(ctx.app.roles.len() as u32);
                ctx.app
                    .roles
                    .push(identity_role(format!("{}.identity", r.logical_id), identity.span));
                ctx.roles.insert(r.addr.clone() + ".identity", id);
                f.role = Some(id);
            }
        }
        let id = FunctionId(ctx.app.functions.len() as u32);
        ctx.app.functions.push(f);
        ctx.functions.insert(r.addr.clone(), id);
    }
}

/// A managed identity as a role: no trust policy or documents, only the
/// RBAC roles assigned to it.
pub(crate) fn identity_role(logical_id: String, span: faasguard_source::Span) -> Role {
    Role {
        logical_id,
        span,
        generated: true,
        trust_policy: None,
        policies: Vec::new(),
        permissions_boundary: None,
        boundary_document: None,
        assignments: Vec::new(),
        default_identity: false,
    }
}
