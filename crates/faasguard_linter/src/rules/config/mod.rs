//! CFG: runtime, monitoring and resilience settings.

use crate::registry::Rule;

pub(crate) static RULES: &[Rule] = &[];
