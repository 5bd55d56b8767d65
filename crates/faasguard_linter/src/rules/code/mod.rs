//! CODE: unsafe practices in the function code itself, whatever the input.
//!
//! `faasguard_taint::practices` walks each function's handler code and the
//! local modules it imports once ([`Checker::practices`]); each rule here
//! reports one [`PracticeKind`]. Code shared by several functions is one
//! finding, with the other functions as labels. Without sources they find
//! nothing.

pub(crate) mod debug_mode_enabled;
pub(crate) mod error_details_returned;
pub(crate) mod hard_coded_credential;
pub(crate) mod jwt_without_verification;
pub(crate) mod sensitive_data_in_tmp;
pub(crate) mod sensitive_data_logged;
pub(crate) mod tls_verification_disabled;

use std::collections::HashMap;

use faasguard_diagnostics::{Finding, Label, RuleMeta, Severity};
use faasguard_model::{Function, FunctionId};
use faasguard_source::Span;
use faasguard_taint::practices::{Practice, PracticeKind};

use crate::checker::{Checker, FindingExt};
use crate::registry::{Kind, Rule, Scope};
use crate::rules::least_privilege::at;

pub(crate) static RULES: &[Rule] = &[
    Rule {
        meta: &hard_coded_credential::META,
        scope: Scope(&[Kind::Functions]),
        check: hard_coded_credential::check,
    },
    Rule {
        meta: &tls_verification_disabled::META,
        scope: Scope(&[Kind::Functions]),
        check: tls_verification_disabled::check,
    },
    Rule {
        meta: &sensitive_data_logged::META,
        scope: Scope(&[Kind::Functions]),
        check: sensitive_data_logged::check,
    },
    Rule {
        meta: &error_details_returned::META,
        scope: Scope(&[Kind::Functions]),
        check: error_details_returned::check,
    },
    Rule {
        meta: &debug_mode_enabled::META,
        scope: Scope(&[Kind::Functions]),
        check: debug_mode_enabled::check,
    },
    Rule {
        meta: &sensitive_data_in_tmp::META,
        scope: Scope(&[Kind::Functions]),
        check: sensitive_data_in_tmp::check,
    },
    Rule {
        meta: &jwt_without_verification::META,
        scope: Scope(&[Kind::Functions]),
        check: jwt_without_verification::check,
    },
];

/// What a rule makes of one practice of its kind.
pub(crate) struct Report {
    /// The finding's severity, from the practice and its function.
    pub(crate) severity: Severity,
    /// Added to the practice's message (after the function is named).
    pub(crate) because: String,
}

/// Reports every practice of `kind` in every function of the app. `judge`
/// grades each one (or drops it with `None`); `help` says what to do.
pub(crate) fn report(
    c: &mut Checker<'_>,
    meta: &'static RuleMeta,
    kind: PracticeKind,
    help: &'static str,
    judge: impl Fn(&Checker<'_>, FunctionId, &Practice) -> Option<Report>,
) {
    if c.db.is_none() {
        return;
    }
    // Code shared by several functions (a common module) is one finding:
    // the span is the practice, the other functions are labels.
    let mut found: Vec<(Span, Finding)> = Vec::new();
    let mut keys: HashMap<String, usize> = HashMap::new();
    for (id, func) in c.app.functions() {
        let Some(practices) = c.practices(id) else { continue };
        for p in practices.iter().filter(|p| p.kind == kind) {
            if let Some((_, earlier)) = found.iter_mut().find(|(span, _)| *span == p.span) {
                if !earlier.labels.iter().any(|l| l.span == func.span) {
                    let message = format!("also in the code of function `{}`", func.logical_id);
                    earlier.labels.push(Label { span: func.span, message });
                }
                continue;
            }
            let Some(judged) = judge(c, id, p) else { continue };
            let finding = finding(c, meta, func, p, judged, help, &mut keys);
            found.push((p.span, finding));
        }
    }
    for (_, finding) in found {
        c.push(finding);
    }
}

fn finding(
    c: &Checker<'_>,
    meta: &'static RuleMeta,
    func: &Function,
    p: &Practice,
    judged: Report,
    help: &'static str,
    keys: &mut HashMap<String, usize>,
) -> Finding {
    let place = at(c.db, p.span);
    let message = format!(
        "function `{}` ({place}): {}{}",
        func.logical_id,
        p.message,
        if judged.because.is_empty() { String::new() } else { format!("; {}", judged.because) }
    );
    // No line numbers in the key: an edit above the practice keeps the
    // finding's fingerprint; the same text twice in a file is numbered.
    let file =
        c.db.and_then(|db| db.get(p.span.file)).map_or(String::new(), |f| f.path.to_string());
    let base = format!("{file}|{}", p.message);
    let n = keys.entry(base.clone()).or_insert(0);
    *n += 1;
    let key = if *n == 1 { base } else { format!("{base}#{n}") };
    let mut finding = c
        .finding(meta, p.span, message)
        .function(func)
        .severity(judged.severity)
        .key(key)
        .help(help);
    if let Some(secret) = p.secret {
        finding = finding.secret(secret);
    }
    finding
}

/// The value of a string literal at `span`, redacted (`Wi**** (23
/// chars)`), when the span is a whole quoted literal.
pub(crate) fn redacted(c: &Checker<'_>, span: Span) -> Option<String> {
    let file = c.db?.get(span.file)?;
    let raw = file.text.get(span.start as usize..span.end as usize)?;
    let body = raw.trim_start_matches(['r', 'R', 'b', 'B', 'u', 'U']);
    let quote = body.chars().next().filter(|q| matches!(q, '"' | '\'' | '`'))?;
    let inner = body.strip_prefix(quote)?.strip_suffix(quote)?;
    Some(faasguard_diagnostics::redact(inner.trim_matches(quote)))
}
