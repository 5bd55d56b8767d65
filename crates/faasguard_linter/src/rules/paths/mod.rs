//! PATH: combinations that make an attack path.

use crate::registry::Rule;

pub(crate) static RULES: &[Rule] = &[];
