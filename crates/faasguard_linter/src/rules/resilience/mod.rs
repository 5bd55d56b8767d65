//! RES: lost events, concurrency and denial of wallet.

pub(crate) mod async_without_failure_destination;
pub(crate) mod public_function_without_reserved_concurrency;

use crate::registry::{Kind, Rule, Scope};

pub(crate) static RULES: &[Rule] = &[
    Rule {
        meta: &async_without_failure_destination::META,
        scope: Scope(&[Kind::Triggers]),
        check: async_without_failure_destination::check,
    },
    Rule {
        meta: &public_function_without_reserved_concurrency::META,
        scope: Scope(&[Kind::Functions]),
        check: public_function_without_reserved_concurrency::check,
    },
];
