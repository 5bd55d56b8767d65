//! DEP: third-party packages the functions ship (SAS-6).
//!
//! These rules read the scan's lockfiles and manifests, parsed by
//! `faasguard_deps`, and the advisories matched to their packages, once
//! per scan rather than per app ([`crate::dependencies`]): a finding
//! points at the line of the lockfile and names the functions that ship
//! it, and its severity follows how exposed those functions are.

pub(crate) mod install_script;
pub(crate) mod non_registry_source;
pub(crate) mod typosquat_name;
pub(crate) mod unpinned_dependency;
pub(crate) mod vulnerable_dependency;

use faasguard_diagnostics::RuleMeta;

use crate::dependencies::DepChecker;
use crate::registry::{Kind, Rule, Scope};
use crate::rules::input::lockfile_parse_error;

/// A dependency rule's check.
pub(crate) type DepCheck = fn(&mut DepChecker<'_>);

/// Listed like every rule (`rules`, `explain`, `--select`); they run in
/// [`crate::dependencies::check_dependencies`], never per app.
pub(crate) static RULES: &[Rule] = &[
    Rule { meta: &vulnerable_dependency::META, scope: Scope(&[] as &[Kind]), check: |_| {} },
    Rule { meta: &non_registry_source::META, scope: Scope(&[] as &[Kind]), check: |_| {} },
    Rule { meta: &unpinned_dependency::META, scope: Scope(&[] as &[Kind]), check: |_| {} },
    Rule { meta: &typosquat_name::META, scope: Scope(&[] as &[Kind]), check: |_| {} },
    Rule { meta: &install_script::META, scope: Scope(&[] as &[Kind]), check: |_| {} },
];

/// The checks [`crate::dependencies::check_dependencies`] runs, with the
/// lockfile problems of the input category first.
pub(crate) static CHECKS: &[(&RuleMeta, DepCheck)] = &[
    (&lockfile_parse_error::META, lockfile_parse_error::check),
    (&vulnerable_dependency::META, vulnerable_dependency::check),
    (&non_registry_source::META, non_registry_source::check),
    (&unpinned_dependency::META, unpinned_dependency::check),
    (&typosquat_name::META, typosquat_name::check),
    (&install_script::META, install_script::check),
];
