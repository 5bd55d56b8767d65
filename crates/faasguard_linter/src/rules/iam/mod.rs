//! IAM: what a function's execution role may do.

use crate::registry::Rule;

pub(crate) static RULES: &[Rule] = &[];
