//! MON: tracing and logging.

use crate::registry::Rule;

pub(crate) static RULES: &[Rule] = &[];
