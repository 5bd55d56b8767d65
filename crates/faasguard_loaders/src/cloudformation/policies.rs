//! IAM policy documents into [`PolicyDocument`]: string-or-list fields made
//! lists, principals classified, conditions flattened, spans kept.

use faasguard_model::{
    Condition, Effect, PolicyDocument, Principal, PrincipalKind, Statement, Val,
};
use faasguard_syntax::{ParseError, ParseErrorKind, parse_json};

use super::template::structure;
use super::value::{V, VKind};

/// Reads a policy document. A string is parsed as JSON (CloudFormation
/// accepts JSON text for policy documents); its parts are then located at the
/// string. Returns `None` for values that cannot be a document.
pub(crate) fn document(v: &V, errors: &mut Vec<ParseError>) -> Option<PolicyDocument> {
    match &v.kind {
        VKind::Map(_) => Some(from_map(v, errors)),
        VKind::Str(text) if !v.unresolved => {
            let parsed = parse_json(v.span.file, text);
            if let Some(e) = parsed.errors.first() {
                errors.push(ParseError {
                    kind: ParseErrorKind::Syntax,
                    span: v.span,
                    message: format!("the policy document string is not valid JSON ({}); write the document as a mapping or fix the JSON", e.message),
                });
            }
            let root = parsed.root?;
            let inner = V::from_node(&root, v.span);
            inner.is_map().then(|| from_map(&inner, errors))
        }
        VKind::NoValue | VKind::Null => None,
        _ => {
            if !v.unresolved {
                errors.push(structure(
                    v.span,
                    "a policy document must be a mapping with `Statement`",
                ));
            }
            None
        }
    }
}

fn from_map(v: &V, errors: &mut Vec<ParseError>) -> PolicyDocument {
    let mut statements = Vec::new();
    if let Some(st) = v.get("Statement") {
        for s in st.one_or_many() {
            if s.is_map() {
                statements.push(statement(s, errors));
            } else if !s.unresolved {
                errors.push(structure(
                    s.span,
                    "a policy statement must be a mapping with `Effect`, `Action` and `Resource`",
                ));
            }
        }
    }
    PolicyDocument { statements, span: v.span }
}

fn statement(s: &V, errors: &mut Vec<ParseError>) -> Statement {
    let effect = match s.get("Effect") {
        Some(e) => match e.known_str() {
            Some("Allow") => Val::explicit(Effect::Allow, e.span),
            Some("Deny") => Val::explicit(Effect::Deny, e.span),
            Some(other) => {
                errors.push(structure(
                    e.span,
                    format!("`Effect` must be `Allow` or `Deny`, not `{other}`"),
                ));
                Val::unresolved(Effect::Allow, e.span)
            }
            None => Val::unresolved(Effect::Allow, e.span),
        },
        None => {
            errors.push(structure(
                s.span,
                "the policy statement has no `Effect`; add `Effect: Allow` or `Effect: Deny`",
            ));
            Val::unresolved(Effect::Allow, s.span)
        }
    };
    let list = |key: &str| s.get(key).map(V::to_vals);
    Statement {
        sid: s.get("Sid").and_then(V::text),
        effect,
        actions: list("Action").unwrap_or_default(),
        not_actions: list("NotAction"),
        resources: list("Resource").unwrap_or_default(),
        not_resources: list("NotResource"),
        principal: s.get("Principal").and_then(principal),
        not_principal: s.get("NotPrincipal").and_then(principal),
        conditions: s.get("Condition").map(conditions).unwrap_or_default(),
        span: s.span,
    }
}

/// Reads a `Principal`: `"*"`, `{AWS: "*"}`, or lists per kind.
pub(crate) fn principal(p: &V) -> Option<Principal> {
    if let Some(s) = p.known_str() {
        return Some(if s.trim() == "*" {
            Principal::Any(p.span)
        } else {
            Principal::Listed(vec![(PrincipalKind::Aws, vec![Val::explicit(s.to_owned(), p.span)])])
        });
    }
    if !p.is_map() {
        return p.to_val().map(|v| Principal::Listed(vec![(PrincipalKind::Aws, vec![v])]));
    }
    let mut listed = Vec::new();
    for e in p.entries() {
        let kind = match e.key.as_str() {
            "AWS" => PrincipalKind::Aws,
            "Service" => PrincipalKind::Service,
            "Federated" => PrincipalKind::Federated,
            "CanonicalUser" => PrincipalKind::CanonicalUser,
            _ => continue,
        };
        let values = e.value.to_vals();
        if kind == PrincipalKind::Aws
            && let Some(any) = values.iter().find(|v| v.is_known() && v.value.trim() == "*")
        {
            return Some(Principal::Any(any.span));
        }
        listed.push((kind, values));
    }
    Some(Principal::Listed(listed))
}

fn conditions(c: &V) -> Vec<Condition> {
    let mut out = Vec::new();
    for op in c.entries() {
        for key in op.value.entries() {
            out.push(Condition {
                operator: op.key.clone(),
                key: key.key.clone(),
                values: key.value.to_vals(),
                span: key.key_span.cover(key.value.span),
            });
        }
    }
    out
}
