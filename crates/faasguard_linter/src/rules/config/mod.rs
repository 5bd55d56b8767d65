//! CFG: runtime, monitoring and resilience settings.

pub(crate) mod deprecated_runtime;

use crate::registry::{Kind, Rule, Scope};

pub(crate) static RULES: &[Rule] = &[Rule {
    meta: &deprecated_runtime::META,
    scope: Scope(&[Kind::Functions]),
    check: deprecated_runtime::check,
}];
