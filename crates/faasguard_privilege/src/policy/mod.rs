//! The least-privilege policy of a function, generated from its
//! [`Inference`]: what its code and its platform features need, nothing
//! else.
//!
//! Only needs followed with high confidence become statements; uncertain
//! ones (a client guessed from a parameter name, a candidate action of a
//! PartiQL statement) are listed in [`GeneratedPolicy::notes`] so that the
//! user decides, because granting a guess is how roles grow. Statements
//! group one service's actions that need the same resources, so a reader
//! sees one statement per table or bucket, and each gets a readable `Sid`.
//!
//! The policy is linted with our own IAM engine before it is handed out: a
//! problem (unknown action, malformed ARN, resource mismatch) or an IAM risk
//! of what the code itself does (it passes roles, it decrypts with any key)
//! goes to [`GeneratedPolicy::warnings`].
//!
//! Rendering: [`GeneratedPolicy::iam_documents`] gives IAM JSON (references
//! widened to `*`, split to stay under IAM's size limits) and
//! [`GeneratedPolicy::snippet`] the same statements in the app's own format,
//! with references kept (`!Sub`, `Fn::Sub`, Terraform interpolation).

mod render;

use std::collections::{BTreeMap, BTreeSet};

use faasguard_iam::catalog::catalog;
use faasguard_iam::effective::of_documents;
use faasguard_iam::risk::{RoleContext, assess};
use faasguard_model::{App, Effect, FunctionId, PolicyDocument, Statement, Val};
use faasguard_source::Span;
use serde_json::{Value, json};

use crate::{Confidence, Inference, Piece, ResourceArn};

pub use render::Snippet;

/// IAM's limit for a customer managed policy, in characters, whitespace
/// not counted: [`GeneratedPolicy::iam_documents`] splits to stay under it.
pub const MANAGED_POLICY_LIMIT: usize = 6_144;

/// IAM's limit for all the inline policies of one role together, in
/// characters, whitespace not counted.
pub const INLINE_POLICY_LIMIT: usize = 10_240;

/// The longest `Sid` we write: IAM sets no documented limit on identity
/// policies, readers do.
const MAX_SID_LEN: usize = 64;

/// Most reasons quoted in the "may miss permissions" note; the rest are counted.
const MAX_REASONS: usize = 5;

/// The generated least-privilege policy of one function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedPolicy {
    /// The function.
    pub function: FunctionId,
    /// Allow statements, by service, then by resources.
    pub statements: Vec<PolicyStatement>,
    /// For the user: uncertain needs left out, unresolved resources,
    /// incomplete analysis ("the policy may miss permissions: ...").
    pub notes: Vec<String>,
    /// Lint results: problems our IAM engine finds in the policy, IAM risks
    /// of what the code does, size limits exceeded.
    pub warnings: Vec<String>,
}

/// One Allow statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyStatement {
    /// Unique within the policy, alphanumeric (`DynamodbOrdersTable`).
    pub sid: String,
    /// Actions (`dynamodb:GetItem`), sorted.
    pub actions: Vec<String>,
    /// Resources, sorted by their IAM rendering; `*` alone when any is `*`.
    pub resources: Vec<ResourceArn>,
}

/// The least-privilege policy of the function `inference` is about.
pub fn generate(app: &App, inference: &Inference) -> GeneratedPolicy {
    let mut notes = Vec::new();
    // (service, resources) -> actions: one statement per service and
    // resource set, so `GetItem` and `PutItem` on one table share one.
    let mut groups: BTreeMap<(String, Vec<ResourceArn>), BTreeSet<String>> = BTreeMap::new();
    // Resources with an unresolved part, with the actions needing them.
    let mut unresolved: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for need in &inference.needs {
        let resources = normalise(&need.resources);
        let shown: Vec<String> = resources.iter().map(ResourceArn::to_iam_string).collect();
        if need.confidence == Confidence::Low {
            let why: Vec<&str> = need
                .evidence
                .iter()
                .filter(|e| e.confidence == Confidence::Low)
                .map(|e| e.what.as_str())
                .collect();
            let why =
                if why.is_empty() { String::new() } else { format!(" (from {})", why.join(", ")) };
            notes.push(format!(
                "not granted, uncertain: {} on {}{why}; add it if the code needs it",
                need.action,
                shown.join(", ")
            ));
            continue;
        }
        let Some((service, _)) = need.action.split_once(':') else {
            notes.push(format!("not granted: `{}` is not an IAM action", need.action));
            continue;
        };
        if resources.is_empty() {
            notes.push(format!("not granted: {} has no resource to grant it on", need.action));
            continue;
        }
        for r in resources.iter().filter(|r| r.unresolved) {
            unresolved.entry(r.to_iam_string()).or_default().insert(need.action.clone());
        }
        groups.entry((service.to_string(), resources)).or_default().insert(need.action.clone());
    }

    for (arn, actions) in unresolved {
        let actions: Vec<String> = actions.into_iter().collect();
        notes.push(format!(
            "part of {arn} could not be resolved and is a wildcard ({}); narrow it if you know the value",
            actions.join(", ")
        ));
    }

    let mut statements = Vec::with_capacity(groups.len());
    let mut used_sids = BTreeSet::new();
    for ((service, resources), actions) in groups {
        let base = format!("{}{}", camel(&service), resources_label(&resources));
        let sid = unique_sid(&base, &mut used_sids);
        statements.push(PolicyStatement { sid, actions: actions.into_iter().collect(), resources });
    }

    let mut refs: BTreeSet<&str> = BTreeSet::new();
    for s in &statements {
        for r in &s.resources {
            for p in &r.pieces {
                if let Piece::Ref(r) = p {
                    refs.insert(r.resource.as_str());
                }
            }
        }
    }
    if !refs.is_empty() {
        let names: Vec<&str> = refs.into_iter().collect();
        notes.push(format!(
            "the IAM JSON writes the names of {} as `*` (they are known only at deploy time); the snippet for the app's format keeps them exact",
            names.join(", ")
        ));
    }
    inference_notes(inference, &mut notes);
    dedup_in_order(&mut notes);

    let mut policy =
        GeneratedPolicy { function: inference.function, statements, notes, warnings: Vec::new() };
    policy.warnings = lint(app, &policy);
    policy
}

/// Deduplicated resources in output order; `*` alone when one is `*` (the
/// others add nothing to it).
fn normalise(resources: &[ResourceArn]) -> Vec<ResourceArn> {
    if let Some(any) = resources.iter().find(|r| r.is_any()) {
        return vec![any.clone()];
    }
    let mut out: Vec<ResourceArn> = resources.to_vec();
    out.sort_by(|a, b| a.to_iam_string().cmp(&b.to_iam_string()).then_with(|| a.cmp(b)));
    out.dedup();
    out
}

/// The notes of the inference that change what the user should do with
/// the policy: why it may be incomplete, and what could not be followed.
fn inference_notes(inference: &Inference, notes: &mut Vec<String>) {
    if !inference.complete {
        let mut seen = BTreeSet::new();
        let reasons: Vec<&str> = inference
            .notes
            .iter()
            .filter(|n| n.incomplete && seen.insert(n.message.as_str()))
            .map(|n| n.message.as_str())
            .collect();
        let why = match reasons.len() {
            0 => "the code was not analysed completely".to_string(),
            n if n > MAX_REASONS => format!(
                "{}; and {} more",
                reasons.get(..MAX_REASONS).unwrap_or_default().join("; "),
                n - MAX_REASONS
            ),
            _ => reasons.join("; "),
        };
        // First: it changes how every other line should be read.
        notes.insert(0, format!("the policy may miss permissions: {why}"));
    }
    for n in inference.notes.iter().filter(|n| !n.incomplete || inference.complete) {
        notes.push(n.message.clone());
    }
}

fn dedup_in_order(items: &mut Vec<String>) {
    let mut seen = BTreeSet::new();
    items.retain(|s| seen.insert(s.clone()));
}

fn unique_sid(base: &str, used: &mut BTreeSet<String>) -> String {
    let mut base: String =
        base.chars().filter(char::is_ascii_alphanumeric).take(MAX_SID_LEN).collect();
    if base.is_empty() {
        base = "Statement".to_string();
    }
    let mut sid = base.clone();
    let mut n = 2;
    while used.contains(&sid) {
        sid = format!("{base}{n}");
        n += 1;
    }
    used.insert(sid.clone());
    sid
}

/// `dynamodb` -> `Dynamodb`, `log-group` -> `LogGroup`, `orders_table` ->
/// `OrdersTable`: ASCII letters and digits only, as a Sid allows.
fn camel(s: &str) -> String {
    let mut out = String::new();
    for word in s.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    out
}

/// The part of a Sid naming a statement's resources: `OrdersTable`,
/// `DataBucketObject`, `FnLogGroup`; empty for `*`.
fn resources_label(resources: &[ResourceArn]) -> String {
    let mut labels: Vec<String> = Vec::new();
    for r in resources {
        let l = arn_label(r);
        if !l.is_empty() && !labels.contains(&l) {
            labels.push(l);
        }
    }
    match labels.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] => format!("{a}And{b}"),
        [a, rest @ ..] => format!("{a}And{}More", rest.len()),
    }
}

fn arn_label(arn: &ResourceArn) -> String {
    if arn.is_any() {
        return String::new();
    }
    let kind = arn.resource_type.as_deref().unwrap_or_default();
    let name = arn
        .pieces
        .iter()
        .rev()
        .find_map(|p| match p {
            // A Terraform address names the resource last: `aws_dynamodb_table.orders`.
            Piece::Ref(r) => Some(camel(r.resource.rsplit('.').next().unwrap_or_default())),
            _ => None,
        })
        .or_else(|| literal_name(arn, kind))
        .unwrap_or_default();
    let kind = camel(kind);
    if name.to_ascii_lowercase().ends_with(&kind.to_ascii_lowercase()) {
        name
    } else {
        format!("{name}{kind}")
    }
}

/// The literal name in the ARN's resource part: the bucket of an S3 ARN
/// (`bucket/key`), otherwise the last segment that is not the resource
/// type's own word (`orders` in `table/orders/stream/*`).
fn literal_name(arn: &ResourceArn, kind: &str) -> Option<String> {
    let text = arn.to_iam_string();
    let service = text.split(':').nth(2)?;
    let resource = text.splitn(6, ':').nth(5)?;
    let literal = |s: &&str| !s.is_empty() && !s.contains('*') && *s != kind;
    let mut segments = resource.split(['/', ':']);
    let name =
        if service == "s3" { segments.next().filter(literal) } else { segments.rfind(literal) };
    name.map(camel).filter(|s| !s.is_empty())
}

/// A statement as IAM JSON.
fn statement_json(sid: &str, actions: &[String], resources: &[String]) -> Value {
    json!({ "Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resources })
}

impl PolicyStatement {
    /// The resources as IAM JSON holds them: widened by
    /// [`ResourceArn::to_iam_string`], deduplicated after it.
    pub fn iam_resources(&self) -> Vec<String> {
        let mut out: Vec<String> = self.resources.iter().map(ResourceArn::to_iam_string).collect();
        if out.iter().any(|r| r == "*") {
            return vec!["*".to_string()];
        }
        out.sort();
        out.dedup();
        // A reference widened to `*` can cover a sibling: keep both, IAM
        // accepts it and the reader sees what the code names.
        out
    }
}

/// The number of characters IAM counts in a policy: its JSON without
/// whitespace outside strings (ARNs and actions hold none).
pub fn policy_size(doc: &Value) -> usize {
    serde_json::to_string(doc)
        .map_or(usize::MAX, |s| s.chars().filter(|c| !c.is_whitespace()).count())
}

fn document(statements: Vec<Value>) -> Value {
    json!({ "Version": "2012-10-17", "Statement": statements })
}

impl GeneratedPolicy {
    /// IAM JSON documents, split to stay within IAM's size limits (usually
    /// one): each at most [`MANAGED_POLICY_LIMIT`] characters, a statement
    /// too large for one document being split by resources, then actions.
    /// Empty when there is no statement (IAM rejects an empty policy).
    pub fn iam_documents(&self) -> Vec<Value> {
        self.split_documents(MANAGED_POLICY_LIMIT)
    }

    /// The whole policy as one IAM JSON document, whatever its size.
    pub fn iam_document(&self) -> Value {
        document(
            self.statements
                .iter()
                .map(|s| statement_json(&s.sid, &s.actions, &s.iam_resources()))
                .collect(),
        )
    }

    fn split_documents(&self, limit: usize) -> Vec<Value> {
        let overhead = policy_size(&document(Vec::new()));
        let room = limit.saturating_sub(overhead);
        let mut parts: Vec<(Value, usize)> = Vec::new();
        for s in &self.statements {
            split_statement(s, room, &mut parts);
        }
        let mut docs = Vec::new();
        let mut current: Vec<Value> = Vec::new();
        let mut used = 0;
        for (value, size) in parts {
            // One comma between statements.
            let extra = if current.is_empty() { size } else { size + 1 };
            if !current.is_empty() && used + extra > room {
                docs.push(document(std::mem::take(&mut current)));
                used = 0;
                current.push(value);
                used += size;
            } else {
                current.push(value);
                used += extra;
            }
        }
        if !current.is_empty() {
            docs.push(document(current));
        }
        docs
    }

    /// The snippet for the app's own format: SAM `Policies`, a
    /// CloudFormation role's `Policies` entry, Serverless
    /// `provider.iam.role.statements`, a Terraform `aws_iam_policy_document`;
    /// `None` for Azure and Google functions and for an empty policy.
    pub fn snippet(&self, app: &App) -> Option<Snippet> {
        render::snippet(self, app)
    }
}

/// Pieces of one statement, each with its size, that fit in `room` (a
/// statement that alone is larger is split by resources, then actions).
fn split_statement(s: &PolicyStatement, room: usize, out: &mut Vec<(Value, usize)>) {
    let resources = s.iam_resources();
    let whole = statement_json(&s.sid, &s.actions, &resources);
    let size = policy_size(&whole);
    if size <= room {
        out.push((whole, size));
        return;
    }
    // Sizes add up item by item (a quoted string and a comma each), so
    // splitting is linear in the statement's size.
    let item = |x: &String| policy_size(&Value::String(x.clone())) + 1;
    let empty = policy_size(&statement_json(&s.sid, &[], &[])) + "Part999".len();
    let actions_size: usize = s.actions.iter().map(item).sum();
    let mut chunks: Vec<(Vec<String>, Vec<String>)> = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let mut used = empty + actions_size;
    for r in &resources {
        let extra = item(r);
        if !current.is_empty() && used + extra > room {
            chunks.push((s.actions.clone(), std::mem::take(&mut current)));
            used = empty + actions_size;
        }
        if empty + actions_size + extra > room {
            // One resource with every action is too large: split the actions.
            let mut part: Vec<String> = Vec::new();
            let mut part_used = empty + extra;
            for a in &s.actions {
                if !part.is_empty() && part_used + item(a) > room {
                    chunks.push((std::mem::take(&mut part), vec![r.clone()]));
                    part_used = empty + extra;
                }
                part.push(a.clone());
                part_used += item(a);
            }
            chunks.push((part, vec![r.clone()]));
            continue;
        }
        current.push(r.clone());
        used += extra;
    }
    if !current.is_empty() {
        chunks.push((s.actions.clone(), current));
    }
    for (i, (actions, resources)) in chunks.iter().enumerate() {
        let sid = if i == 0 { s.sid.clone() } else { format!("{}Part{}", s.sid, i + 1) };
        let value = statement_json(&sid, actions, resources);
        let size = policy_size(&value);
        out.push((value, size));
    }
}

/// What our own IAM engine says about the generated policy: problems (a bug
/// upstream if any), risks of what the code does, size limits.
fn lint(app: &App, policy: &GeneratedPolicy) -> Vec<String> {
    let mut warnings = Vec::new();
    if policy.statements.is_empty() {
        return warnings;
    }
    let span = Span::file_start(app.file);
    // Problems: in the IAM JSON as written.
    let doc = model_document(policy, span, PolicyStatement::iam_resources);
    let eff = of_documents(&[("generated", &doc)], None, catalog());
    for p in &eff.problems {
        warnings.push(format!(
            "the generated policy has a problem ({}): {}",
            p.kind.parliament_name(),
            p.message
        ));
    }
    // Risks: of what the code does, so a reference is one resource (its
    // logical id stands in for the name), not the `*` the JSON widens it to.
    let doc = model_document(policy, span, |s| {
        s.resources.iter().map(|r| r.to_template(|r| camel(&r.resource))).collect()
    });
    let eff = of_documents(&[("generated", &doc)], None, catalog());
    for risk in assess(&eff, &RoleContext::default()) {
        warnings.push(format!(
            "{} risk, {}: {}",
            risk.severity.as_str(),
            risk.class.as_str(),
            risk.detail
        ));
    }
    let size = policy_size(&policy.iam_document());
    if size > INLINE_POLICY_LIMIT {
        warnings.push(format!(
            "the policy is {size} characters, over IAM's limit of {INLINE_POLICY_LIMIT} for a role's inline policies: \
             attach it as managed policies instead (the IAM JSON is split at {MANAGED_POLICY_LIMIT} characters each)"
        ));
    }
    warnings
}

/// The policy as the model's document, for the IAM engine.
fn model_document(
    policy: &GeneratedPolicy,
    span: Span,
    resources: impl Fn(&PolicyStatement) -> Vec<String>,
) -> PolicyDocument {
    let statements = policy
        .statements
        .iter()
        .map(|s| Statement {
            sid: Some(s.sid.clone()),
            effect: Val::explicit(Effect::Allow, span),
            actions: s.actions.iter().map(|a| Val::explicit(a.clone(), span)).collect(),
            not_actions: None,
            resources: resources(s).into_iter().map(|r| Val::explicit(r, span)).collect(),
            not_resources: None,
            principal: None,
            not_principal: None,
            conditions: Vec::new(),
            span,
        })
        .collect();
    PolicyDocument { statements, span }
}

#[cfg(test)]
mod tests;
