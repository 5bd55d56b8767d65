//! GCF: Google Cloud Functions settings.
//!
//! The rules read [`PlatformSettings`] and the service account (the
//! function's role) of functions whose provider is Google. Who may invoke a
//! function (`allUsers` invoker bindings) is `public-invoke-permission`'s.

pub(crate) mod default_service_account;
pub(crate) mod function_ingress_allow_all;
pub(crate) mod http_trigger_not_secure_always;

use faasguard_model::{App, Function, FunctionId, PlatformSettings, Provider};

use crate::registry::{Kind, Rule, Scope};

pub(crate) static RULES: &[Rule] = &[
    Rule {
        meta: &function_ingress_allow_all::META,
        scope: Scope(&[Kind::Functions]),
        check: function_ingress_allow_all::check,
    },
    Rule {
        meta: &http_trigger_not_secure_always::META,
        scope: Scope(&[Kind::Functions]),
        check: http_trigger_not_secure_always::check,
    },
    Rule {
        meta: &default_service_account::META,
        scope: Scope(&[Kind::Functions]),
        check: default_service_account::check,
    },
];

/// Google functions that carry hosting settings.
pub(super) fn cloud_functions(
    app: &App,
) -> impl Iterator<Item = (FunctionId, &Function, &PlatformSettings)> {
    app.functions()
        .filter(|(_, f)| f.provider == Provider::Gcp)
        .filter_map(|(id, f)| f.platform.as_ref().map(|p| (id, f, p)))
}
