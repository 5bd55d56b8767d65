//! SEC: secrets in configuration.

use crate::registry::Rule;

pub(crate) static RULES: &[Rule] = &[];
