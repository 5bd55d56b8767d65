//! Effective permissions of a role: what it may do, on what, under which
//! conditions, and which statements say so.
//!
//! Built from every policy attached to the role (inline, customer managed,
//! AWS managed from the vendored data, SAM templates): each Allow
//! statement's actions are expanded through the catalog (wildcards and
//! NotAction), its resources matched against each action's ARN formats,
//! then Deny statements are subtracted per action and resource pattern.
//! Conditions are kept on the grant, never dropped; a permissions boundary,
//! when its document is known, intersects the result.

use faasguard_model::{Condition, Val};
use faasguard_source::Span;

use crate::catalog::ActionRef;

/// What a role may do.
#[derive(Debug, Clone, Default)]
pub struct Effective<'c> {
    /// One entry per allowed action, in catalog order.
    pub grants: Vec<Grant<'c>>,
    /// Problems met in the role's policies (unknown actions, malformed
    /// ARNs, resources no action can match), as Parliament reports them.
    pub problems: Vec<PolicyProblem>,
}

/// One allowed action.
#[derive(Debug, Clone)]
pub struct Grant<'c> {
    /// The action.
    pub action: ActionRef<'c>,
    /// Resource patterns it is allowed on, after Deny (as written, `*` included).
    pub resources: Vec<Val<String>>,
    /// Allowed on every resource it can apply to: `*`, a pattern covering
    /// all its ARN formats, or a wildcard-only action.
    pub unrestricted: bool,
    /// Every statement granting it has a condition (the grant may be narrower
    /// than it looks). When any unconditional statement grants it, `false`.
    pub conditional: bool,
    /// The conditions of the conditional statements, for display.
    pub conditions: Vec<Condition>,
    /// The statements that allow it (their spans).
    pub statements: Vec<Span>,
    /// Names of the policies those statements are in.
    pub policies: Vec<String>,
}

/// A problem in a policy document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyProblem {
    /// What kind of problem.
    pub kind: ProblemKind,
    /// Where.
    pub span: Span,
    /// For the user: what is wrong and what to write instead.
    pub message: String,
}

/// Kinds of policy problems (Parliament's names in parentheses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// The service prefix is not an AWS service (UNKNOWN_PREFIX).
    UnknownService,
    /// The action is not an action of its service (UNKNOWN_ACTION).
    UnknownAction,
    /// A resource is neither `*` nor shaped like an ARN (MALFORMED ARN).
    MalformedArn,
    /// No action of the statement can apply to a resource (RESOURCE_MISMATCH).
    ResourceMismatch,
}

impl<'c> Effective<'c> {
    /// The grant of an action (`prefix:Name`, case-insensitive), if allowed.
    pub fn allowed(&self, full_name: &str) -> Option<&Grant<'c>> {
        let (prefix, name) = full_name.split_once(':')?;
        self.grants.iter().find(|g| {
            g.action.service.prefix.eq_ignore_ascii_case(prefix)
                && g.action.action.name.eq_ignore_ascii_case(name)
        })
    }
}
