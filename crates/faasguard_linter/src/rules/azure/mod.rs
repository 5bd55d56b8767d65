//! AZF: Azure function app settings.
//!
//! The rules read [`PlatformSettings`] of functions whose provider is Azure.
//! Loaders fill settings that are not written with the provider's default
//! as [`Origin::Default`]; an insecure default is reported like an explicit
//! value, and the message says it is the default so the fix is to set it.

pub(crate) mod function_app_auth_disabled;
pub(crate) mod function_app_client_certificates_not_required;
pub(crate) mod function_app_cors_any_origin;
pub(crate) mod function_app_ftp_deployment_allowed;
pub(crate) mod function_app_http2_disabled;
pub(crate) mod function_app_https_not_enforced;
pub(crate) mod function_app_old_tls;
pub(crate) mod function_app_remote_debugging;
pub(crate) mod identity_with_admin_role;

use faasguard_diagnostics::{Finding, RuleMeta};
use faasguard_model::{App, Function, Origin, PlatformSettings, Provider, Val};
use faasguard_source::Span;

use crate::checker::{Checker, FindingExt};
use crate::registry::{Kind, Rule, Scope};

pub(crate) static RULES: &[Rule] = &[
    Rule {
        meta: &function_app_auth_disabled::META,
        scope: Scope(&[Kind::Functions]),
        check: function_app_auth_disabled::check,
    },
    Rule {
        meta: &function_app_https_not_enforced::META,
        scope: Scope(&[Kind::Functions]),
        check: function_app_https_not_enforced::check,
    },
    Rule {
        meta: &function_app_old_tls::META,
        scope: Scope(&[Kind::Functions]),
        check: function_app_old_tls::check,
    },
    Rule {
        meta: &function_app_cors_any_origin::META,
        scope: Scope(&[Kind::Functions]),
        check: function_app_cors_any_origin::check,
    },
    Rule {
        meta: &function_app_http2_disabled::META,
        scope: Scope(&[Kind::Functions]),
        check: function_app_http2_disabled::check,
    },
    Rule {
        meta: &function_app_client_certificates_not_required::META,
        scope: Scope(&[Kind::Functions]),
        check: function_app_client_certificates_not_required::check,
    },
    Rule {
        meta: &function_app_ftp_deployment_allowed::META,
        scope: Scope(&[Kind::Functions]),
        check: function_app_ftp_deployment_allowed::check,
    },
    Rule {
        meta: &function_app_remote_debugging::META,
        scope: Scope(&[Kind::Functions]),
        check: function_app_remote_debugging::check,
    },
    Rule {
        meta: &identity_with_admin_role::META,
        // Assignments hang off roles, but only identities a function app
        // runs as are reported.
        scope: Scope(&[Kind::Functions]),
        check: identity_with_admin_role::check,
    },
];

/// Azure function apps that carry hosting settings.
pub(super) fn function_apps(app: &App) -> impl Iterator<Item = (&Function, &PlatformSettings)> {
    app.functions
        .iter()
        .filter(|f| f.provider == Provider::Azure)
        .filter_map(|f| f.platform.as_ref().map(|p| (f, p)))
}

/// A known boolean setting (explicit or default); `None` when absent or
/// unresolved, which the rules treat as unknown.
pub(super) fn known_bool(v: &Option<Val<bool>>) -> Option<&Val<bool>> {
    v.as_ref().filter(|v| v.is_known())
}

/// A known text setting; `None` when absent or unresolved.
pub(super) fn known_str(v: &Option<Val<String>>) -> Option<&Val<String>> {
    v.as_ref().filter(|v| v.is_known())
}

/// Tells the reader that nothing was written, so the fix is to add the
/// setting rather than to change it.
pub(super) fn by_default(origin: Origin) -> &'static str {
    if origin == Origin::Default { " (the provider default)" } else { "" }
}

/// A finding about one setting of a function app, pointing at the setting
/// and, when that is elsewhere, at the app.
pub(super) fn setting_finding(
    c: &Checker<'_>,
    meta: &'static RuleMeta,
    f: &Function,
    at: Span,
    message: String,
) -> Finding {
    let finding = c.finding(meta, at, message).function(f);
    if at == f.span { finding } else { finding.label(f.span, "the function app") }
}
