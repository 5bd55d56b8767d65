//! PATH: combinations that make an attack path.

pub(crate) mod public_attack_path;

use crate::registry::{Kind, Rule, Scope};

pub(crate) static RULES: &[Rule] = &[Rule {
    meta: &public_attack_path::META,
    // A path needs a role; the entry (URL, route, permission) is checked inside.
    scope: Scope(&[Kind::Roles]),
    check: public_attack_path::check,
}];
