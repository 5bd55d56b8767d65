//! SEC: secrets in configuration.

pub(crate) mod secret_in_environment;
pub(crate) mod secrets_without_customer_key;

use crate::registry::{Kind, Rule, Scope};

pub(crate) static RULES: &[Rule] = &[
    Rule {
        meta: &secret_in_environment::META,
        scope: Scope(&[Kind::Functions]),
        check: secret_in_environment::check,
    },
    Rule {
        meta: &secrets_without_customer_key::META,
        scope: Scope(&[Kind::Functions]),
        check: secrets_without_customer_key::check,
    },
];
