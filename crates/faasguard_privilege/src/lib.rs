//! Least privilege from the code.
//!
//! - [`infer`]: the permissions one function needs: the AWS SDK calls its
//!   handler code makes (found by `faasguard_code`), each turned into IAM
//!   actions through the catalog (`faasguard_iam::operations`) and into
//!   resources by evaluating its arguments through the function's
//!   environment and the app's resources ([`resources`]); plus what the
//!   platform itself needs ([`implicit`]: logs, X-Ray, VPC network
//!   interfaces, event-source pollers, KMS, dead-letter targets).
//! - [`compare`]: those needs against the role's effective permissions
//!   (`faasguard_iam::effective`): missing, unused and over-broad.
//! - [`policy`]: the least-privilege policy of a function, as IAM JSON and
//!   as a snippet in the app's own IaC format.
//!
//! Architecture invariant: pure, like the rest of the core. Code comes from
//! the `SourceDb` the CLI filled; nothing here reads files, and scanned code
//! is never executed. A need is never widened to `*` because something was
//! not understood: unknown operations and unresolved values are reported
//! ([`Inference::notes`], [`ResourceArn::unresolved`]), and an unresolved
//! part of an ARN becomes the narrowest wildcard that is still correct.
#![deny(missing_docs)]

pub mod arn;
pub mod compare;
pub mod implicit;
pub mod infer;
pub mod policy;
pub mod resources;

use faasguard_model::FunctionId;
use faasguard_source::Span;

pub use arn::{IacRef, Piece, RefAttr, ResourceArn};
pub use infer::infer;

/// One IAM action a function needs, on the resources it needs it for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    /// `prefix:Name`, spelt as in the catalog (`s3:GetObject`).
    pub action: String,
    /// The resources, deduplicated and sorted. A wildcard-only action (no
    /// resource-level permissions) holds [`ResourceArn::any`].
    pub resources: Vec<ResourceArn>,
    /// Why: each SDK call (file:line) or platform feature that needs it.
    pub evidence: Vec<Evidence>,
    /// `High` when any evidence is certain: one call that surely needs it
    /// is enough. `Low` when every piece is uncertain: a client guessed
    /// from a parameter name, a candidate action of a request whose content
    /// decides (PartiQL, transactions).
    pub confidence: Confidence,
}

/// How sure an inference is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Confidence {
    /// Uncertain: reported, never used to call a permission unused.
    Low,
    /// Followed from the code or the IaC.
    High,
}

/// Why a function needs an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// The SDK call, or the IaC setting (tracing, VPC, event source).
    pub span: Span,
    /// For a reader: `s3.get_object(...)` or `X-Ray tracing is Active`.
    pub what: String,
    /// Code or platform.
    pub source: NeedSource,
    /// How sure this piece of evidence is.
    pub confidence: Confidence,
}

/// Where a need comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NeedSource {
    /// An SDK call in the handler code.
    Code,
    /// The platform, because of the function's configuration.
    Platform,
}

/// What [`infer`] learnt about one function.
#[derive(Debug, Clone)]
pub struct Inference {
    /// The function.
    pub function: FunctionId,
    /// Needed actions, sorted by action name.
    pub needs: Vec<Need>,
    /// What could not be followed: code not in the scan, syntax errors,
    /// dynamic imports, computed method names, unknown operations,
    /// unresolved resources.
    pub notes: Vec<InferenceNote>,
    /// Whether the code was analysed completely enough to call a granted
    /// permission unused: the handler was found and parsed, no import or
    /// client was dynamic, every operation mapped to actions.
    pub complete: bool,
    /// Lines of handler code analysed (entry file and local imports).
    pub code_lines: usize,
}

/// A note about a function's inference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InferenceNote {
    /// Where.
    pub span: Span,
    /// What, for a reader, with the fix when there is one.
    pub message: String,
    /// Whether it makes the inference incomplete.
    pub incomplete: bool,
    /// For a problem with the code itself (handler not found, syntax
    /// error, dynamic import, limit), its kind; `None` for notes about
    /// calls and resources.
    pub problem: Option<faasguard_code::handler::ProblemKind>,
}
