//! IAM policy documents: JSON (from `jsonencode`, heredocs, `file()`) and
//! `data "aws_iam_policy_document"` blocks, into [`PolicyDocument`].

use faasguard_model::{
    Condition, Effect, PolicyDocument, Principal, PrincipalKind, Statement, Val,
};
use faasguard_source::Span;

use crate::build::{Blk, Ctx, refs};
use crate::hcl::functions_api::structured;
use crate::hcl::value::{Kind, Value};

/// The document a policy attribute holds, when it can be read.
pub(crate) fn document(ctx: &mut Ctx<'_>, v: &Value) -> Option<PolicyDocument> {
    // A whole reference to a policy document data source.
    if let Kind::Unknown(r) = &v.kind
        && let [(addr, attr)] = refs(v).as_slice()
        && addr.contains("data.aws_iam_policy_document.")
        && (attr == "json" || attr == "minified_json")
        && r.starts_with("${")
        && r.ends_with('}')
    {
        let mut doc = data_document(ctx, addr)?;
        doc.span = v.span;
        return Some(doc);
    }
    let Some(s) = structured(&ctx.ev, v) else {
        // JSON text that does not parse would otherwise drop the whole
        // policy without a word: the role would look less privileged than
        // it is. Say where and why.
        if let Kind::String(t) | Kind::Unknown(t) = &v.kind
            && t.trim_start().starts_with(['{', '['])
        {
            let reason = faasguard_syntax::parse_json(v.span.file, t)
                .errors
                .first()
                .map_or_else(|| "not valid JSON".to_string(), |e| e.message.clone());
            ctx.ev.errors.push(faasguard_syntax::ParseError {
                kind: faasguard_syntax::ParseErrorKind::Syntax,
                span: v.span,
                message: format!(
                    "this policy is not valid JSON ({reason}), so its permissions are unknown; \
                     fix it or build it with jsonencode() or an aws_iam_policy_document"
                ),
            });
        }
        return None;
    };
    from_json_value(&s)
}

/// A JSON-shaped policy value into a document.
pub(crate) fn from_json_value(v: &Value) -> Option<PolicyDocument> {
    let stmts = v.get("Statement")?;
    let statements = stmts.as_list().into_iter().filter_map(json_statement).collect();
    Some(PolicyDocument { statements, span: v.span })
}

fn vals(v: Option<&Value>) -> Vec<Val<String>> {
    match v {
        Some(v) if v.is_unknown() => v.to_val().into_iter().collect(),
        Some(v) => v.as_list().into_iter().filter_map(Value::to_val).collect(),
        None => Vec::new(),
    }
}

fn effect(v: Option<&Value>, owner: Span) -> Val<Effect> {
    match v {
        Some(e) => match e.as_text().as_deref() {
            Some("Allow") => Val::explicit(Effect::Allow, e.span),
            Some("Deny") => Val::explicit(Effect::Deny, e.span),
            _ => Val::unresolved(Effect::Allow, e.span),
        },
        None => Val::default_at(Effect::Allow, owner),
    }
}

fn principal_kind(k: &str) -> Option<PrincipalKind> {
    match k {
        "AWS" => Some(PrincipalKind::Aws),
        "Service" => Some(PrincipalKind::Service),
        "Federated" => Some(PrincipalKind::Federated),
        "CanonicalUser" => Some(PrincipalKind::CanonicalUser),
        _ => None,
    }
}

fn json_principal(v: &Value) -> Option<Principal> {
    if v.as_text().as_deref() == Some("*") {
        return Some(Principal::Any(v.span));
    }
    let mut listed = Vec::new();
    for f in v.fields() {
        let Some(kind) = principal_kind(&f.key) else { continue };
        let values = vals(Some(&f.value));
        if kind == PrincipalKind::Aws && values.iter().any(|x| x.is_known() && x.value == "*") {
            return Some(Principal::Any(f.value.span));
        }
        listed.push((kind, values));
    }
    Some(Principal::Listed(listed))
}

fn json_statement(s: &Value) -> Option<Statement> {
    if !matches!(s.kind, Kind::Object(_)) {
        return None;
    }
    let mut conditions = Vec::new();
    if let Some(c) = s.get("Condition") {
        for op in c.fields() {
            for key in op.value.fields() {
                conditions.push(Condition {
                    operator: op.key.clone(),
                    key: key.key.clone(),
                    values: vals(Some(&key.value)),
                    span: key.key_span.cover(key.value.span),
                });
            }
        }
    }
    Some(Statement {
        sid: s.get("Sid").and_then(Value::as_text),
        effect: effect(s.get("Effect"), s.span),
        actions: vals(s.get("Action")),
        not_actions: s.get("NotAction").map(|v| vals(Some(v))),
        resources: vals(s.get("Resource")),
        not_resources: s.get("NotResource").map(|v| vals(Some(v))),
        principal: s.get("Principal").and_then(json_principal),
        not_principal: s.get("NotPrincipal").and_then(json_principal),
        conditions,
        span: s.span,
    })
}

/// The document of a `data "aws_iam_policy_document"` by address, built
/// once; a data source that includes itself gives no document.
pub(crate) fn data_document(ctx: &mut Ctx<'_>, addr: &str) -> Option<PolicyDocument> {
    if let Some(done) = ctx.policy_docs.get(addr) {
        return done.clone();
    }
    ctx.policy_docs.insert(addr.to_string(), None);
    let res = ctx.data_item(addr)?;
    let b = res.blk.clone();
    let mut statements = Vec::new();
    for key in ["source_policy_documents", "source_json"] {
        if let Some(v) = ctx.attr(&b, key) {
            for d in v.as_list() {
                if let Some(doc) = document(ctx, d) {
                    statements.extend(doc.statements);
                }
            }
        }
    }
    for s in ctx.blocks(&b, "statement") {
        statements.push(block_statement(ctx, &s));
    }
    for key in ["override_policy_documents", "override_json"] {
        if let Some(v) = ctx.attr(&b, key) {
            for d in v.as_list() {
                if let Some(doc) = document(ctx, d) {
                    for st in doc.statements {
                        // Overrides replace statements with the same Sid.
                        if st.sid.is_some() {
                            statements.retain(|x: &Statement| x.sid != st.sid);
                        }
                        statements.push(st);
                    }
                }
            }
        }
    }
    let doc = PolicyDocument { statements, span: b.span };
    ctx.policy_docs.insert(addr.to_string(), Some(doc.clone()));
    Some(doc)
}

fn block_principals<'a>(ctx: &mut Ctx<'a>, b: &Blk<'a>, name: &str) -> Option<Principal> {
    let blocks = ctx.blocks(b, name);
    if blocks.is_empty() {
        return None;
    }
    let mut listed: Vec<(PrincipalKind, Vec<Val<String>>)> = Vec::new();
    for p in blocks {
        let ty = ctx.attr(&p, "type").and_then(|v| v.as_text()).unwrap_or_default();
        let ids = ctx.strs(&p, "identifiers");
        let any = ids.iter().any(|x| x.is_known() && x.value == "*");
        if (ty == "*" || ty == "AWS") && any {
            return Some(Principal::Any(p.span));
        }
        let Some(kind) = principal_kind(&ty) else { continue };
        match listed.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, v)) => v.extend(ids),
            None => listed.push((kind, ids)),
        }
    }
    Some(Principal::Listed(listed))
}

fn block_statement<'a>(ctx: &mut Ctx<'a>, s: &Blk<'a>) -> Statement {
    let effect = effect(ctx.attr(s, "effect").as_ref(), s.span);
    let mut conditions = Vec::new();
    for c in ctx.blocks(s, "condition") {
        let operator = ctx.attr(&c, "test").map(|v| v.rendering()).unwrap_or_default();
        let key = ctx.attr(&c, "variable").map(|v| v.rendering()).unwrap_or_default();
        let values = ctx.strs(&c, "values");
        conditions.push(Condition { operator, key, values, span: c.span });
    }
    let has = |k: &str| s.body.get_attribute(k).is_some();
    Statement {
        sid: ctx.attr(s, "sid").and_then(|v| v.as_text()),
        effect,
        actions: ctx.strs(s, "actions"),
        not_actions: if has("not_actions") { Some(ctx.strs(s, "not_actions")) } else { None },
        resources: ctx.strs(s, "resources"),
        not_resources: if has("not_resources") { Some(ctx.strs(s, "not_resources")) } else { None },
        principal: block_principals(ctx, s, "principals"),
        not_principal: block_principals(ctx, s, "not_principals"),
        conditions,
        span: s.span,
    }
}

/// A statement from the `policy_statements` input of the Lambda registry
/// module (`{ effect, actions, not_actions, resources, principals, condition }`).
pub(crate) fn module_statement(v: &Value) -> Option<Statement> {
    if !matches!(v.kind, Kind::Object(_)) {
        return None;
    }
    let mut conditions = Vec::new();
    for c in v.get("condition").map(|c| c.as_list()).unwrap_or_default() {
        for c in if c.fields().iter().any(|f| f.key == "test") {
            vec![c]
        } else {
            c.fields().iter().map(|f| &f.value).collect()
        } {
            conditions.push(Condition {
                operator: c.get("test").map(Value::rendering).unwrap_or_default(),
                key: c.get("variable").map(Value::rendering).unwrap_or_default(),
                values: vals(c.get("values")),
                span: c.span,
            });
        }
    }
    let principal = v.get("principals").map(|ps| {
        let mut listed = Vec::new();
        for p in ps.as_list() {
            let ty = p.get("type").and_then(Value::as_text).unwrap_or_default();
            if let Some(kind) = principal_kind(&ty) {
                listed.push((kind, vals(p.get("identifiers"))));
            }
        }
        Principal::Listed(listed)
    });
    Some(Statement {
        sid: v.get("sid").and_then(Value::as_text),
        effect: match v.get("effect") {
            Some(e) => effect(
                Some(&Value::string(
                    e.as_text().map(|t| capitalise(&t)).unwrap_or_default(),
                    e.span,
                )),
                v.span,
            ),
            None => Val::default_at(Effect::Allow, v.span),
        },
        actions: vals(v.get("actions")),
        not_actions: v.get("not_actions").map(|x| vals(Some(x))),
        resources: vals(v.get("resources")),
        not_resources: v.get("not_resources").map(|x| vals(Some(x))),
        principal,
        not_principal: None,
        conditions,
        span: v.span,
    })
}

fn capitalise(t: &str) -> String {
    let mut c = t.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + &c.as_str().to_lowercase(),
        None => String::new(),
    }
}
