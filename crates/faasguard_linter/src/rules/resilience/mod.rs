//! RES: lost events, concurrency and denial of wallet.

use crate::registry::Rule;

pub(crate) static RULES: &[Rule] = &[];
