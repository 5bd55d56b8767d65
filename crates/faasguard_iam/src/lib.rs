//! The IAM engine.
//!
//! - [`catalog`]: every AWS action with its access level, resource types,
//!   ARN formats and condition keys, and the SDK operations of every
//!   service; generated from public packages by
//!   `scripts/regenerate-iam-catalog.py` and embedded.
//! - [`pattern`]: IAM's matching rules: action globs (`*`, `?`,
//!   case-insensitive) and ARN globs against the ARN formats of resource
//!   types (Parliament's semantics).
//! - [`effective`]: what a role may do: the union of its policies, Allow
//!   minus Deny per action and resource pattern, conditions kept.
//! - [`operations`]: the IAM actions an SDK call needs (botocore client and
//!   operation), from a reviewed exception table, then the name rule
//!   through the catalog; unknown calls stay unknown, never `*`.
//! - [`risk`]: the risk classes over effective permissions (privilege
//!   escalation, data exfiltration, credentials exposure, resource
//!   exposure, infrastructure modification, wildcards and admin, trust).
//!
//! Architecture invariant: pure. No IO, no clock; the catalog is data in
//! the binary. Unknown actions and unresolved values are reported as such,
//! never widened to `*` or narrowed to nothing.
#![deny(missing_docs)]

pub mod catalog;
pub mod effective;
pub mod operations;
pub mod pattern;
pub mod risk;
