//! Unsafe practices in function code: what is wrong whatever the input.
//!
//! Each language module walks every tree of the function's code once
//! (iteratively) and looks at a few node shapes: string literals for
//! credentials, calls for logging, TLS settings, JWT decoding and file
//! writes, `except`/`catch` blocks for what goes back to the caller. Which
//! names hold event data or secrets is a flow-insensitive guess per
//! module: a name assigned from an expression that mentions the event
//! parameter (or a Secrets Manager / SSM read) holds it too, over a few
//! bounded rounds.
//!
//! The detectors lean towards silence: a placeholder password, a path
//! under `/tmp` that is built per invocation, `app.run(debug=True)` under
//! `if __name__ == "__main__":` (never run by Lambda) are not reported.

mod javascript;
mod python;
mod util;

use faasguard_code::handler::Resolution;
use faasguard_source::{SourceDb, Span};

use crate::Input;

/// Kinds of unsafe practices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PracticeKind {
    /// An AWS key pair, a private key, a well-known token format, or a
    /// high-entropy string assigned to a secret-named variable.
    HardcodedCredential,
    /// TLS certificate verification turned off (`verify=False`,
    /// `rejectUnauthorized: false`, `NODE_TLS_REJECT_UNAUTHORIZED=0`).
    TlsVerificationDisabled,
    /// Secrets, or the whole event, written to the logs.
    SensitiveLogging,
    /// Exception text or a stack trace returned in an HTTP response (SAS-10).
    ErrorDetailsReturned,
    /// A web framework's debug mode turned on.
    DebugMode,
    /// Sensitive data written under `/tmp`, which survives between
    /// invocations of the same execution environment.
    TmpReuse,
    /// A JWT decoded without verifying its signature.
    JwtUnverified,
}

impl PracticeKind {
    /// Every kind, in order.
    pub const ALL: [PracticeKind; 7] = [
        PracticeKind::HardcodedCredential,
        PracticeKind::TlsVerificationDisabled,
        PracticeKind::SensitiveLogging,
        PracticeKind::ErrorDetailsReturned,
        PracticeKind::DebugMode,
        PracticeKind::TmpReuse,
        PracticeKind::JwtUnverified,
    ];
}

/// One unsafe practice, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Practice {
    /// What kind.
    pub kind: PracticeKind,
    /// Where (the call, assignment or literal).
    pub span: Span,
    /// For a reader; never holds a secret value (redacted).
    pub message: String,
    /// The secret value's span, for hard-coded credentials, so every
    /// output can mask it.
    pub secret: Option<Span>,
    /// A finer grade within the kind, for ranking: for
    /// [`PracticeKind::SensitiveLogging`], whether a secret (rather than
    /// the whole event) is logged; for [`PracticeKind::HardcodedCredential`],
    /// whether the value was recognised by its format (rather than only by
    /// the name it is assigned to and its randomness).
    pub strong: bool,
}

/// Practices reported per module: a generated file full of literals says
/// enough after this many.
const MAX_PER_MODULE: usize = 50;

/// The unsafe practices in a function's handler code and local modules,
/// in file order then source order.
pub fn practices(res: &Resolution, db: &SourceDb) -> Vec<Practice> {
    let mut out = Vec::new();
    let entry_file = res.entry.as_ref().map(|(file, _)| *file);
    let entry_name = res.entry.as_ref().map(|(_, name)| name.as_str());
    for m in &res.parsed {
        let Some(file) = db.get(m.file) else { continue };
        let input = Input { module: m, path: &file.path, text: &file.text, at: None };
        let entry = if Some(m.file) == entry_file { entry_name } else { None };
        scan(&input, entry, &mut out);
    }
    if let Some(inline) = &res.inline {
        let input =
            Input { module: &inline.module, path: "", text: &inline.text, at: Some(inline) };
        scan(&input, inline.function.as_deref(), &mut out);
    }
    out.sort_by(|a, b| {
        (a.span.file, a.span.start, a.kind, a.span.end).cmp(&(
            b.span.file,
            b.span.start,
            b.kind,
            b.span.end,
        ))
    });
    out.dedup_by(|a, b| a.kind == b.kind && a.span == b.span);
    out
}

/// One module: `entry` is the handler's name when this module defines it.
fn scan(input: &Input<'_>, entry: Option<&str>, out: &mut Vec<Practice>) {
    let mut found = Vec::new();
    if input.module.language == faasguard_code::parse::Language::Python {
        python::scan(input, entry, &mut found);
    } else {
        javascript::scan(input, entry, &mut found);
    }
    found.truncate(MAX_PER_MODULE);
    out.extend(found);
}
