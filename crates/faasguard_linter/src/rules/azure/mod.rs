//! AZF: Azure function app settings.

use crate::registry::Rule;

pub(crate) static RULES: &[Rule] = &[];
