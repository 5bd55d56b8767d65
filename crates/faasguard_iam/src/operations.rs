//! SDK operation to IAM actions: which actions a botocore call
//! (`s3`/`ListObjectsV2`) needs.
//!
//! Resolution, first match wins:
//! 1. the curated exception table `data/operation-exceptions.json`, for
//!    operations whose action has another name (`ListObjectsV2` is
//!    `s3:ListBucket`), needs several actions (`CopyObject`), depends on the
//!    request (PartiQL) or needs none (`GetCallerIdentity`); it also carries
//!    side permissions such as KMS for encrypted data;
//! 2. the name rule: the client's IAM prefix ([`SdkService::iam_prefix`])
//!    and the action of the operation's name, case-insensitively;
//! 3. otherwise unknown: no action and a note. Never `*`: an unknown call
//!    widened to a wildcard would make every generated policy admin.
//!
//! Side permissions (KMS for SSE-KMS, versions, tags, ACLs, the catalog's
//! dependent actions) are kept apart in [`OperationActions::optional`]:
//! whether they apply depends on the request or on how the resource is
//! configured, which is for the caller to decide.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::catalog::{Catalog, SdkService};

static EMBEDDED: &str = include_str!("../data/operation-exceptions.json");

static EXCEPTIONS: LazyLock<Exceptions> = LazyLock::new(|| {
    // `tests/operations.rs` parses and validates the embedded table, so the
    // empty fallback only keeps the core free of panics.
    Exceptions::from_json(EMBEDDED).unwrap_or_default()
});

/// Client and operation names longer than this are not SDK names; they are
/// reported unknown without a lookup and shortened in the note.
const MAX_NAME_LEN: usize = 128;

/// The placeholder in the table's action names for the operation's own name
/// (`dynamodb:{op}`), so a group of name-matching operations that share side
/// permissions is one entry.
const OP_PLACEHOLDER: &str = "{op}";

/// How sure a mapping is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Confidence {
    /// A candidate: whether it is needed depends on the request (a PartiQL
    /// statement's verb, the item kinds of a transaction).
    Low,
    /// From the exception table or an exact (case-insensitive) name match in
    /// the catalog.
    High,
}

impl Confidence {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "Low",
            Confidence::High => "High",
        }
    }
}

/// How an operation was resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resolution {
    /// From the exception table.
    Exception,
    /// Client's IAM prefix and the operation's name.
    Name,
    /// Not resolved; see [`OperationActions::note`].
    Unknown,
}

/// One IAM action an operation needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequiredAction {
    /// `prefix:Name`, spelt as in the catalog.
    pub action: String,
    /// How sure the mapping is.
    pub confidence: Confidence,
    /// Why the operation needs it; for optional actions, when.
    pub why: String,
}

/// The IAM actions of one SDK operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationActions {
    /// Actions the call needs. Empty with `unknown == false` means the call
    /// needs no permission (`sts:GetCallerIdentity`).
    pub actions: Vec<RequiredAction>,
    /// Actions needed only in some cases (SSE-KMS, a version id, tags, an
    /// ACL, the catalog's dependent actions); `why` says when.
    pub optional: Vec<RequiredAction>,
    /// No mapping is known: `actions` is empty and must not be read as "no
    /// permission needed".
    pub unknown: bool,
    /// How it was resolved.
    pub resolution: Resolution,
    /// For unknown or permission-free operations: why, for reports.
    pub note: Option<String>,
}

/// One entry of the exception table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    /// botocore client name.
    pub client: String,
    /// botocore operation names the entry applies to.
    pub operations: Vec<String>,
    /// Actions always needed (`{op}` stands for the operation name).
    #[serde(default)]
    pub actions: Vec<String>,
    /// Actions of which the request picks some (Low confidence).
    #[serde(default)]
    pub candidates: Vec<String>,
    /// Actions needed only in some cases.
    #[serde(default)]
    pub optional: Vec<SideAction>,
    /// The operation needs no permission at all.
    #[serde(default)]
    pub no_permission: bool,
    /// Why the name rule is wrong or incomplete here, with the source.
    pub why: String,
}

/// An action needed only in some cases.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SideAction {
    /// `prefix:Name`.
    pub action: String,
    /// When it is needed.
    pub when: String,
}

impl Exception {
    /// Every action name the entry can produce, placeholders filled in, for
    /// validation.
    pub fn action_names(&self) -> Vec<String> {
        let mut out = Vec::new();
        for op in &self.operations {
            let names = self
                .actions
                .iter()
                .chain(&self.candidates)
                .chain(self.optional.iter().map(|s| &s.action));
            out.extend(names.map(|a| fill(a, op)));
        }
        out
    }
}

#[derive(Deserialize)]
struct RawExceptions {
    #[serde(default, rename = "_comment")]
    _comment: Option<String>,
    operations: Vec<Exception>,
}

/// The exception table, indexed by lower-case (client, operation).
#[derive(Debug, Default)]
pub struct Exceptions {
    entries: Vec<Exception>,
    by_operation: HashMap<(String, String), (usize, usize)>,
}

impl Exceptions {
    /// Parses a table in the embedded format. An operation listed twice is an
    /// error: which entry wins would depend on the file's order.
    pub fn from_json(text: &str) -> Result<Exceptions, String> {
        let raw: RawExceptions = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let mut by_operation = HashMap::new();
        for (ei, e) in raw.operations.iter().enumerate() {
            for (oi, op) in e.operations.iter().enumerate() {
                let key = (e.client.to_ascii_lowercase(), op.to_ascii_lowercase());
                if by_operation.insert(key, (ei, oi)).is_some() {
                    return Err(format!("{} {op} is listed twice", e.client));
                }
            }
        }
        Ok(Exceptions { entries: raw.operations, by_operation })
    }

    /// Every entry.
    pub fn entries(&self) -> &[Exception] {
        &self.entries
    }

    /// The entry for a client's operation (case-insensitive), with the
    /// operation name as the table spells it.
    pub fn get(&self, client: &str, operation: &str) -> Option<(&Exception, &str)> {
        let key = (client.to_ascii_lowercase(), operation.to_ascii_lowercase());
        let &(ei, oi) = self.by_operation.get(&key)?;
        let entry = self.entries.get(ei)?;
        Some((entry, entry.operations.get(oi)?.as_str()))
    }

    /// What is wrong with the table against a catalog: actions the catalog
    /// does not know, entries that produce nothing or lack a `why`, unknown
    /// clients or operations. Empty when the table is sound.
    pub fn problems(&self, catalog: &Catalog) -> Vec<String> {
        let mut out = Vec::new();
        for e in &self.entries {
            let label = format!("{} {:?}", e.client, e.operations);
            if e.why.trim().is_empty() {
                out.push(format!("{label}: no why"));
            }
            if e.operations.is_empty() {
                out.push(format!("{label}: no operations"));
            }
            let produces = !e.actions.is_empty() || !e.candidates.is_empty();
            if produces == e.no_permission {
                out.push(format!(
                    "{label}: needs either actions/candidates or no_permission, not both or neither"
                ));
            }
            for name in e.action_names() {
                if catalog.action(&name).is_none() {
                    out.push(format!("{label}: {name} is not in the catalog"));
                }
            }
            for s in &e.optional {
                if s.when.trim().is_empty() {
                    out.push(format!("{label}: optional {} has no when", s.action));
                }
            }
            let Some(sdk) = catalog.sdk(&e.client) else {
                out.push(format!("{label}: unknown client"));
                continue;
            };
            for op in &e.operations {
                if !sdk.operations.iter().any(|o| o.eq_ignore_ascii_case(op)) {
                    out.push(format!("{label}: {op} is not an operation of {}", sdk.client));
                }
            }
        }
        out
    }
}

/// The embedded exception table.
pub fn exceptions() -> &'static Exceptions {
    &EXCEPTIONS
}

/// The IAM actions a botocore call needs: `client` is the botocore client
/// name (`s3`, `stepfunctions`), `operation` the botocore operation name
/// (`ListObjectsV2`); both case-insensitive.
pub fn required_actions(catalog: &Catalog, client: &str, operation: &str) -> OperationActions {
    resolve(catalog, exceptions(), client, operation)
}

/// [`required_actions`] with another exception table (tests).
pub fn resolve(
    catalog: &Catalog,
    exceptions: &Exceptions,
    client: &str,
    operation: &str,
) -> OperationActions {
    let (client, operation) = (client.trim(), operation.trim());
    if client.is_empty() || operation.is_empty() {
        return unknown("no client or no operation name".to_string());
    }
    if client.len() > MAX_NAME_LEN || operation.len() > MAX_NAME_LEN {
        return unknown(format!(
            "{} {} is not an SDK operation name",
            shorten(client),
            shorten(operation)
        ));
    }
    if let Some((entry, op)) = exceptions.get(client, operation) {
        return from_exception(catalog, entry, op);
    }
    let Some(sdk) = catalog.sdk(client) else {
        return unknown(format!("{client} is not a botocore client the catalog knows"));
    };
    let Some(prefix) = sdk.iam_prefix.as_deref() else {
        return unknown(format!(
            "the catalog knows no IAM prefix for client {} (a service newer than the action \
             data, or calls IAM does not authorise)",
            sdk.client
        ));
    };
    match catalog.action(&format!("{prefix}:{operation}")) {
        Some(found) => {
            let action = found.full_name();
            let mut out = OperationActions {
                actions: vec![RequiredAction {
                    why: format!(
                        "{}.{operation} is authorised as the action of the same name under \
                         the client's IAM prefix {prefix}",
                        sdk.client
                    ),
                    action,
                    confidence: Confidence::High,
                }],
                optional: Vec::new(),
                unknown: false,
                resolution: Resolution::Name,
                note: None,
            };
            add_dependents(catalog, &mut out);
            out
        }
        None => unknown(missing_note(sdk, prefix, operation)),
    }
}

fn from_exception(catalog: &Catalog, entry: &Exception, op: &str) -> OperationActions {
    let mut out = OperationActions {
        actions: Vec::new(),
        optional: Vec::new(),
        unknown: false,
        resolution: Resolution::Exception,
        note: None,
    };
    let required = entry.actions.iter().map(|a| (a, Confidence::High));
    let candidates = entry.candidates.iter().map(|a| (a, Confidence::Low));
    for (name, confidence) in required.chain(candidates) {
        let action = canonical(catalog, &fill(name, op));
        push_unique(
            &mut out.actions,
            RequiredAction { action, confidence, why: entry.why.clone() },
        );
    }
    for side in &entry.optional {
        let action = canonical(catalog, &fill(&side.action, op));
        if !contains(&out.actions, &action) {
            push_unique(
                &mut out.optional,
                RequiredAction { action, confidence: Confidence::High, why: side.when.clone() },
            );
        }
    }
    if entry.no_permission {
        out.note = Some(format!("{} {op} needs no IAM permission: {}", entry.client, entry.why));
    } else if !entry.candidates.is_empty() {
        out.note = Some(format!(
            "{} {op}: the actions depend on the request; each candidate is Low confidence",
            entry.client
        ));
    }
    add_dependents(catalog, &mut out);
    out
}

/// Adds the catalog's dependent actions of every action as optional: the
/// reference lists them as needed "in some cases" (a role passed, a key used).
fn add_dependents(catalog: &Catalog, out: &mut OperationActions) {
    let mut extra = Vec::new();
    for required in &out.actions {
        let Some(found) = catalog.action(&required.action) else { continue };
        for dep in &found.action.dependent {
            let Some(dep_ref) = catalog.action(dep) else { continue };
            let action = dep_ref.full_name();
            if contains(&out.actions, &action) {
                continue;
            }
            extra.push(RequiredAction {
                why: format!(
                    "the Service Authorization Reference lists it as a dependent action of {}",
                    required.action
                ),
                action,
                confidence: Confidence::High,
            });
        }
    }
    for e in extra {
        push_unique(&mut out.optional, e);
    }
}

fn missing_note(sdk: &SdkService, prefix: &str, operation: &str) -> String {
    if sdk.operations.iter().any(|o| o.eq_ignore_ascii_case(operation)) {
        format!(
            "{}.{operation} has no action {prefix}:{operation} in the catalog and no entry in \
             the exception table (a renamed action, or an API newer than the action data)",
            sdk.client
        )
    } else {
        format!("{operation} is not an operation of the botocore client {}", sdk.client)
    }
}

fn unknown(note: String) -> OperationActions {
    OperationActions {
        actions: Vec::new(),
        optional: Vec::new(),
        unknown: true,
        resolution: Resolution::Unknown,
        note: Some(note),
    }
}

fn fill(action: &str, op: &str) -> String {
    action.replace(OP_PLACEHOLDER, op)
}

/// The catalog's spelling; a name the catalog lacks stays as written (the
/// table is validated against the embedded catalog; a smaller test catalog
/// may lack it).
fn canonical(catalog: &Catalog, name: &str) -> String {
    catalog.action(name).map(|a| a.full_name()).unwrap_or_else(|| name.to_string())
}

fn contains(list: &[RequiredAction], action: &str) -> bool {
    list.iter().any(|a| a.action.eq_ignore_ascii_case(action))
}

fn push_unique(list: &mut Vec<RequiredAction>, action: RequiredAction) {
    if !contains(list, &action.action) {
        list.push(action);
    }
}

fn shorten(text: &str) -> String {
    let mut end = text.len().min(40);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    if end < text.len() { format!("{}...", &text[..end]) } else { text.to_string() }
}
