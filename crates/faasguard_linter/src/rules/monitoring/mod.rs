//! MON: tracing and logging.

pub(crate) mod api_stage_without_access_logging;
pub(crate) mod tracing_not_active;

use crate::registry::{Kind, Rule, Scope};

pub(crate) static RULES: &[Rule] = &[
    Rule {
        meta: &tracing_not_active::META,
        scope: Scope(&[Kind::Functions]),
        check: tracing_not_active::check,
    },
    Rule {
        meta: &api_stage_without_access_logging::META,
        scope: Scope(&[Kind::Apis]),
        check: api_stage_without_access_logging::check,
    },
];
