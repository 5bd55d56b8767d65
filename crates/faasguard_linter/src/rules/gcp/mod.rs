//! GCF: Google Cloud Functions settings.

use crate::registry::Rule;

pub(crate) static RULES: &[Rule] = &[];
