//! TRG: who can invoke a function.

pub(crate) mod function_url_without_auth;
pub(crate) mod public_invoke_permission;
pub(crate) mod service_principal_without_source;
pub(crate) mod unauthenticated_route;

use crate::registry::{Kind, Rule, Scope};

pub(crate) static RULES: &[Rule] = &[
    Rule {
        meta: &function_url_without_auth::META,
        scope: Scope(&[Kind::Functions]),
        check: function_url_without_auth::check,
    },
    Rule {
        meta: &unauthenticated_route::META,
        scope: Scope(&[Kind::Triggers]),
        check: unauthenticated_route::check,
    },
    Rule {
        meta: &public_invoke_permission::META,
        scope: Scope(&[Kind::Permissions]),
        check: public_invoke_permission::check,
    },
    Rule {
        meta: &service_principal_without_source::META,
        scope: Scope(&[Kind::Permissions]),
        check: service_principal_without_source::check,
    },
];
