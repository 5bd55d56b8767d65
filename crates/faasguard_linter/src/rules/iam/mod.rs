//! IAM: what a function's execution role may do.
//!
//! `actions` classifies actions (write, permissions, secrets) and `roles`
//! walks execution roles and their statements; the attack-path rules use
//! both. The rules from IAM007 on read the IAM engine (`engine`): effective
//! permissions and their risks, computed once per role.

pub(crate) mod actions;
pub(crate) mod admin_managed_policy;
pub(crate) mod allow_with_not_action;
pub(crate) mod credentials_exposure;
pub(crate) mod data_exfiltration;
pub(crate) mod engine;
pub(crate) mod passrole_on_wildcard;
pub(crate) mod policy_problem;
pub(crate) mod privilege_escalation;
pub(crate) mod resource_exposure;
pub(crate) mod roles;
pub(crate) mod shared_execution_role;
pub(crate) mod trust_policy;
pub(crate) mod wildcard_action;
pub(crate) mod wildcard_resource_on_write;

use crate::registry::{Kind, Rule, Scope};

pub(crate) static RULES: &[Rule] = &[
    Rule {
        meta: &wildcard_action::META,
        scope: Scope(&[Kind::Roles]),
        check: wildcard_action::check,
    },
    Rule {
        meta: &wildcard_resource_on_write::META,
        scope: Scope(&[Kind::Roles]),
        check: wildcard_resource_on_write::check,
    },
    Rule {
        meta: &allow_with_not_action::META,
        scope: Scope(&[Kind::Roles]),
        check: allow_with_not_action::check,
    },
    Rule {
        meta: &passrole_on_wildcard::META,
        scope: Scope(&[Kind::Roles]),
        check: passrole_on_wildcard::check,
    },
    Rule {
        meta: &admin_managed_policy::META,
        scope: Scope(&[Kind::Roles]),
        check: admin_managed_policy::check,
    },
    Rule {
        meta: &shared_execution_role::META,
        scope: Scope(&[Kind::Roles]),
        check: shared_execution_role::check,
    },
    Rule {
        meta: &privilege_escalation::META,
        scope: Scope(&[Kind::Roles]),
        check: privilege_escalation::check,
    },
    Rule {
        meta: &data_exfiltration::META,
        scope: Scope(&[Kind::Roles]),
        check: data_exfiltration::check,
    },
    Rule {
        meta: &credentials_exposure::META,
        scope: Scope(&[Kind::Roles]),
        check: credentials_exposure::check,
    },
    Rule {
        meta: &resource_exposure::META,
        scope: Scope(&[Kind::Roles]),
        check: resource_exposure::check,
    },
    Rule { meta: &trust_policy::META, scope: Scope(&[Kind::Roles]), check: trust_policy::check },
    Rule {
        meta: &policy_problem::META,
        scope: Scope(&[Kind::Roles]),
        check: policy_problem::check,
    },
];
