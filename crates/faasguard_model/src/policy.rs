//! IAM policy documents, normalised as IAM reads them.

use faasguard_source::Span;

use crate::Val;

/// A policy document: its statements.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyDocument {
    /// Statements in order.
    pub statements: Vec<Statement>,
    /// Where the document is written.
    pub span: Span,
}

/// Allow or Deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// Allow.
    Allow,
    /// Deny.
    Deny,
}

/// One statement. String-or-list fields are always lists here.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// `Sid`.
    pub sid: Option<String>,
    /// `Effect`; an unresolved effect is kept as `Allow` with `Origin::Unresolved`.
    pub effect: Val<Effect>,
    /// `Action` entries.
    pub actions: Vec<Val<String>>,
    /// `NotAction` entries (`None` when absent).
    pub not_actions: Option<Vec<Val<String>>>,
    /// `Resource` entries.
    pub resources: Vec<Val<String>>,
    /// `NotResource` entries (`None` when absent).
    pub not_resources: Option<Vec<Val<String>>>,
    /// `Principal` (resource and trust policies).
    pub principal: Option<Principal>,
    /// `NotPrincipal`.
    pub not_principal: Option<Principal>,
    /// `Condition` entries, flattened.
    pub conditions: Vec<Condition>,
    /// Where the statement is written.
    pub span: Span,
}

impl Statement {
    /// Whether this is an Allow statement.
    pub fn is_allow(&self) -> bool {
        self.effect.value == Effect::Allow
    }
}

/// A principal: anyone, or lists per principal kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Principal {
    /// `"*"` or `{"AWS": "*"}`.
    Any(Span),
    /// Per kind, the listed principals.
    Listed(Vec<(PrincipalKind, Vec<Val<String>>)>),
}

/// Kinds of principals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrincipalKind {
    /// `AWS`: accounts, roles, users.
    Aws,
    /// `Service`: `lambda.amazonaws.com`, ...
    Service,
    /// `Federated`.
    Federated,
    /// `CanonicalUser`.
    CanonicalUser,
}

/// One condition test: operator, key and values.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// Operator (`StringEquals`, `ArnLike`, ...).
    pub operator: String,
    /// Context key (`aws:SourceArn`).
    pub key: String,
    /// Values.
    pub values: Vec<Val<String>>,
    /// Where it is written.
    pub span: Span,
}
