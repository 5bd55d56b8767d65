//! INP: problems reading the scanned files themselves.

pub(crate) mod parse_error;

use crate::registry::{Kind, Rule, Scope};

pub(crate) static RULES: &[Rule] = &[Rule {
    meta: &parse_error::META,
    // Made by the CLI and loaders, never by checking an app.
    scope: Scope(&[] as &[Kind]),
    check: |_| {},
}];
