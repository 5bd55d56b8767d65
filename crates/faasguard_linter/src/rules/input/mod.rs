//! INP: problems reading the scanned files themselves.

pub(crate) mod code_analysis_incomplete;
pub(crate) mod code_parse_error;
pub(crate) mod lockfile_parse_error;
pub(crate) mod parse_error;

use crate::registry::{Kind, Rule, Scope};

pub(crate) static RULES: &[Rule] = &[
    Rule {
        meta: &parse_error::META,
        // Made by the CLI and loaders, never by checking an app.
        scope: Scope(&[] as &[Kind]),
        check: |_| {},
    },
    Rule {
        meta: &code_parse_error::META,
        scope: Scope(&[Kind::Functions]),
        check: code_parse_error::check,
    },
    Rule {
        meta: &code_analysis_incomplete::META,
        scope: Scope(&[Kind::Functions]),
        check: code_analysis_incomplete::check,
    },
    Rule {
        meta: &lockfile_parse_error::META,
        // Runs with the dependency rules, over the scan's lockfiles.
        scope: Scope(&[] as &[Kind]),
        check: |_| {},
    },
];
