//! AWS SDK calls in one parsed module: which client (botocore service
//! name), which operation (botocore operation name) and the arguments that
//! can name resources.
//!
//! Discovery only: turning an operation into IAM actions and an argument
//! into an ARN is the IAM engine's job. Discovery never guesses: a value it
//! cannot follow becomes [`ArgValue::Unknown`], a client it cannot name
//! becomes a [`Note`], and a call it can only half resolve is
//! [`Confidence::Low`].
//!
//! Tracking is per module and flow-insensitive within a scope: a name
//! resolves to its last assignment before the use in the same function, or
//! to the last assignment in an enclosing scope (module globals are set by
//! the time a handler runs). A client received as a parameter of a local
//! function is followed to the function's call sites in the same module.
//!
//! Bounds: the tree is walked without recursion; evaluating an expression
//! is limited in depth and in steps, so deep nesting or long alias chains
//! end as `Unknown`, never as a stack overflow or a quadratic blow-up.

mod javascript;
mod python;

use std::cell::Cell;
use std::collections::HashMap;

use faasguard_source::{FileId, Span};
use tree_sitter::{Node, Tree};

use crate::parse::{Language, Module};

/// What [`calls`] found in one module.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Discovery {
    /// SDK operations the module performs, in source order.
    pub calls: Vec<SdkCall>,
    /// Things that look like SDK use but could not be resolved (computed
    /// method names, dynamic service names, clients of unknown origin).
    pub notes: Vec<Note>,
}

/// A place where discovery had to give up, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Where.
    pub span: Span,
    /// Why, naming the expression.
    pub message: String,
}

/// One SDK operation performed by the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdkCall {
    /// botocore client name (`s3`, `dynamodb`, `stepfunctions`, ...).
    pub client: String,
    /// botocore operation name (`GetObject`, `PutItem`, ...).
    pub operation: String,
    /// The call expression.
    pub span: Span,
    /// Request parameters, named as in the service model (`Bucket`,
    /// `TableName`, ...), in source order.
    pub args: Vec<(String, ArgValue)>,
    /// `Low` when the client or the operation was inferred rather than
    /// followed from its construction.
    pub confidence: Confidence,
    /// The call as written, for messages: `boto3.client('s3').get_object`.
    pub via: String,
}

/// How sure discovery is about an [`SdkCall`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Confidence {
    /// Client and operation followed from their construction.
    High,
    /// Client guessed (a parameter's name) or ambiguous (several call
    /// sites pass different clients).
    Low,
}

/// The value of a request parameter, as far as it can be known statically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgValue {
    /// A string constant.
    Literal(String),
    /// The value of an environment variable of the function.
    Env(String),
    /// A string built from pieces (f-string, template literal, `+`).
    Template(Vec<Part>),
    /// Anything else; the source text (shortened).
    Unknown(String),
}

/// A piece of an [`ArgValue::Template`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Constant text.
    Literal(String),
    /// An environment variable's value.
    Env(String),
    /// A piece that could not be evaluated; the source text (shortened).
    Unknown(String),
}

/// The SDK calls in one module. `text` must be the text `tree` was parsed
/// from.
pub fn calls(file: FileId, language: Language, text: &str, tree: &Tree) -> Discovery {
    let mut out = Out::new(file);
    match language {
        Language::Python => python::discover(text, tree, &mut out),
        Language::JavaScript | Language::TypeScript | Language::Tsx => {
            javascript::discover(text, tree, &mut out)
        }
    }
    out.finish()
}

/// [`calls`] for a parsed [`Module`]; `text` is the module's source.
pub fn module_calls(module: &Module, text: &str) -> Discovery {
    calls(module.file, module.language, text, &module.tree)
}

// ---------------------------------------------------------------------------
// Shared machinery for the language modules.

/// More calls than this in one module is not a handler, it is an attack or
/// generated code; the rest is summarised in one note.
const MAX_CALLS: usize = 50_000;
const MAX_NOTES: usize = 1_000;
/// Longest source text kept in an `Unknown` value or a `via`.
const MAX_SNIPPET: usize = 120;
/// Nesting depth of one expression evaluation.
pub(crate) const MAX_DEPTH: u32 = 24;
/// Nodes one top-level evaluation may visit, across aliases and call sites.
const MAX_STEPS: u32 = 4_000;
/// Call sites of a local function inspected to resolve one parameter.
pub(crate) const MAX_CALL_SITES: usize = 8;

pub(crate) struct Out {
    file: FileId,
    calls: Vec<SdkCall>,
    notes: Vec<Note>,
    dropped_calls: usize,
    dropped_notes: usize,
}

impl Out {
    fn new(file: FileId) -> Self {
        Out { file, calls: Vec::new(), notes: Vec::new(), dropped_calls: 0, dropped_notes: 0 }
    }

    pub(crate) fn span(&self, node: Node<'_>) -> Span {
        Span::new(self.file, node.start_byte(), node.end_byte())
    }

    pub(crate) fn call(
        &mut self,
        node: Node<'_>,
        client: &str,
        operation: &str,
        args: Vec<(String, ArgValue)>,
        confidence: Confidence,
        via: String,
    ) {
        if self.calls.len() >= MAX_CALLS {
            self.dropped_calls += 1;
            return;
        }
        let span = self.span(node);
        self.calls.push(SdkCall {
            client: client.to_string(),
            operation: operation.to_string(),
            span,
            args,
            confidence,
            via,
        });
    }

    pub(crate) fn note(&mut self, node: Node<'_>, message: String) {
        if self.notes.len() >= MAX_NOTES {
            self.dropped_notes += 1;
            return;
        }
        let span = self.span(node);
        self.notes.push(Note { span, message });
    }

    fn finish(mut self) -> Discovery {
        let whole = Span::file_start(self.file);
        if self.dropped_calls > 0 {
            self.notes.push(Note {
                span: whole,
                message: format!(
                    "more than {MAX_CALLS} SDK calls in this module: {} not reported",
                    self.dropped_calls
                ),
            });
        }
        if self.dropped_notes > 0 {
            self.notes.push(Note {
                span: whole,
                message: format!("{} further notes not reported", self.dropped_notes),
            });
        }
        Discovery { calls: self.calls, notes: self.notes }
    }
}

/// Enter/leave events of a depth-first walk.
pub(crate) enum Visit<'t> {
    Enter(Node<'t>),
    Leave(Node<'t>),
}

/// Depth-first walk with a cursor: no recursion, so nesting depth costs
/// nothing but time.
pub(crate) fn walk<'t>(tree: &'t Tree, mut f: impl FnMut(Visit<'t>)) {
    let mut cursor = tree.walk();
    loop {
        f(Visit::Enter(cursor.node()));
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            f(Visit::Leave(cursor.node()));
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// Scope id of the module itself.
pub(crate) const MODULE_SCOPE: usize = usize::MAX;

/// Name bindings per scope, each with the byte offset where it happens.
pub(crate) struct Scopes<'t, B> {
    parent: HashMap<usize, usize>,
    bindings: HashMap<(usize, String), Vec<(usize, B)>>,
    /// Call sites of functions by name: (call node, scope of the call).
    call_sites: HashMap<String, Vec<(Node<'t>, usize)>>,
}

impl<'t, B: Clone> Scopes<'t, B> {
    pub(crate) fn new() -> Self {
        Scopes { parent: HashMap::new(), bindings: HashMap::new(), call_sites: HashMap::new() }
    }

    pub(crate) fn open(&mut self, scope: usize, parent: usize) {
        self.parent.insert(scope, parent);
    }

    pub(crate) fn bind(&mut self, scope: usize, name: &str, at: usize, b: B) {
        self.bindings.entry((scope, name.to_string())).or_default().push((at, b));
    }

    /// Records a call of the local function `name`.
    pub(crate) fn call_site(&mut self, name: &str, call: Node<'t>, scope: usize) {
        let sites = self.call_sites.entry(name.to_string()).or_default();
        if sites.len() < MAX_CALL_SITES {
            sites.push((call, scope));
        }
    }

    pub(crate) fn call_sites(&self, name: &str) -> &[(Node<'t>, usize)] {
        self.call_sites.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The binding `name` refers to at offset `at` in `scope`, and the scope
    /// it lives in.
    pub(crate) fn lookup(&self, scope: usize, name: &str, at: usize) -> Option<(usize, B)> {
        let mut s = scope;
        let mut first = true;
        // Scope chains are as deep as function nesting; bound them anyway.
        for _ in 0..256 {
            if let Some(list) = self.bindings.get(&(s, name.to_string())) {
                // Bindings are recorded in document order: binary search,
                // so a name assigned thousands of times stays cheap.
                let chosen = if first {
                    match list.partition_point(|(pos, _)| *pos <= at) {
                        0 => list.last(),
                        i => list.get(i - 1),
                    }
                } else {
                    list.last()
                };
                if let Some((_, b)) = chosen {
                    return Some((s, b.clone()));
                }
            }
            if s == MODULE_SCOPE {
                return None;
            }
            first = false;
            s = *self.parent.get(&s).unwrap_or(&MODULE_SCOPE);
        }
        None
    }
}

/// Step budget shared by one top-level evaluation.
pub(crate) struct Budget(Cell<u32>);

impl Budget {
    pub(crate) fn new() -> Self {
        Budget(Cell::new(MAX_STEPS))
    }

    pub(crate) fn reset(&self) {
        self.0.set(MAX_STEPS);
    }

    /// Takes one step; false when the budget is spent.
    pub(crate) fn step(&self) -> bool {
        let left = self.0.get();
        if left == 0 {
            return false;
        }
        self.0.set(left - 1);
        true
    }
}

pub(crate) fn text<'a>(node: Node<'_>, src: &'a str) -> &'a str {
    src.get(node.start_byte()..node.end_byte()).unwrap_or("")
}

/// Source text for messages: one line, at most [`MAX_SNIPPET`] bytes.
pub(crate) fn snippet(node: Node<'_>, src: &str) -> String {
    shorten(text(node, src))
}

pub(crate) fn shorten(s: &str) -> String {
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.len() <= MAX_SNIPPET {
        return one_line;
    }
    let mut end = MAX_SNIPPET;
    while !one_line.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &one_line[..end])
}

/// Joins the pieces of a string expression, merging adjacent literals; a
/// template without unknown or env parts is a literal.
pub(crate) fn template(parts: Vec<Part>) -> ArgValue {
    let mut merged: Vec<Part> = Vec::with_capacity(parts.len());
    for p in parts {
        match (merged.last_mut(), p) {
            (_, Part::Literal(s)) if s.is_empty() => {}
            (Some(Part::Literal(prev)), Part::Literal(s)) => prev.push_str(&s),
            (_, p) => merged.push(p),
        }
    }
    match merged.as_slice() {
        [] => ArgValue::Literal(String::new()),
        [Part::Literal(s)] => ArgValue::Literal(s.clone()),
        [Part::Env(e)] => ArgValue::Env(e.clone()),
        _ => ArgValue::Template(merged),
    }
}

/// An [`ArgValue`] as template parts, to nest it in a larger template.
pub(crate) fn parts_of(v: ArgValue) -> Vec<Part> {
    match v {
        ArgValue::Literal(s) => vec![Part::Literal(s)],
        ArgValue::Env(e) => vec![Part::Env(e)],
        ArgValue::Template(p) => p,
        ArgValue::Unknown(s) => vec![Part::Unknown(s)],
    }
}

/// `get_object` -> `GetObject`, `list_objects_v2` -> `ListObjectsV2`.
///
/// botocore's `xform_name` loses the case of acronyms, so its inverse is
/// ambiguous; the operations of the common services that do not survive
/// the naive inverse are listed. The IAM step should still match
/// operations case-insensitively against the catalog.
pub(crate) fn snake_to_pascal(name: &str) -> String {
    if let Some((_, op)) = SNAKE_IRREGULAR.iter().find(|(s, _)| *s == name) {
        return (*op).to_string();
    }
    let mut out = String::with_capacity(name.len());
    for part in name.split('_').filter(|p| !p.is_empty()) {
        let mut chars = part.chars();
        if let Some(c) = chars.next() {
            out.extend(c.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

const SNAKE_IRREGULAR: &[(&str, &str)] = &[
    ("assume_role_with_saml", "AssumeRoleWithSAML"),
    ("get_sms_attributes", "GetSMSAttributes"),
    ("set_sms_attributes", "SetSMSAttributes"),
    ("get_sms_sandbox_account_status", "GetSMSSandboxAccountStatus"),
    ("list_sms_sandbox_phone_numbers", "ListSMSSandboxPhoneNumbers"),
    ("create_sms_sandbox_phone_number", "CreateSMSSandboxPhoneNumber"),
    ("delete_sms_sandbox_phone_number", "DeleteSMSSandboxPhoneNumber"),
    ("verify_sms_sandbox_phone_number", "VerifySMSSandboxPhoneNumber"),
    ("list_mfa_devices", "ListMFADevices"),
    ("enable_mfa_device", "EnableMFADevice"),
    ("deactivate_mfa_device", "DeactivateMFADevice"),
    ("resync_mfa_device", "ResyncMFADevice"),
    ("create_virtual_mfa_device", "CreateVirtualMFADevice"),
    ("delete_virtual_mfa_device", "DeleteVirtualMFADevice"),
    ("list_virtual_mfa_devices", "ListVirtualMFADevices"),
    ("create_saml_provider", "CreateSAMLProvider"),
    ("get_saml_provider", "GetSAMLProvider"),
    ("update_saml_provider", "UpdateSAMLProvider"),
    ("delete_saml_provider", "DeleteSAMLProvider"),
    ("list_saml_providers", "ListSAMLProviders"),
    ("create_open_id_connect_provider", "CreateOpenIDConnectProvider"),
    ("get_open_id_connect_provider", "GetOpenIDConnectProvider"),
    ("delete_open_id_connect_provider", "DeleteOpenIDConnectProvider"),
    ("list_open_id_connect_providers", "ListOpenIDConnectProviders"),
    ("get_ssh_public_key", "GetSSHPublicKey"),
    ("upload_ssh_public_key", "UploadSSHPublicKey"),
    ("list_ssh_public_keys", "ListSSHPublicKeys"),
    ("associate_vpc_with_hosted_zone", "AssociateVPCWithHostedZone"),
    ("disassociate_vpc_from_hosted_zone", "DisassociateVPCFromHostedZone"),
    ("create_vpc_association_authorization", "CreateVPCAssociationAuthorization"),
    ("delete_vpc_association_authorization", "DeleteVPCAssociationAuthorization"),
    ("list_vpc_association_authorizations", "ListVPCAssociationAuthorizations"),
];

/// `getObject` -> `GetObject`. The JavaScript SDKs only lower the first
/// letter of the operation name, so this is exact.
pub(crate) fn camel_to_pascal(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Waiter name (boto3 `bucket_exists` / JS `bucketExists` / v3
/// `BucketExists`, compared case- and underscore-insensitively) to the
/// operation it polls. Waiters not listed become notes, not guesses.
pub(crate) fn waiter_operation(client: &str, waiter: &str) -> Option<&'static str> {
    let w: String = waiter.chars().filter(|c| *c != '_').flat_map(char::to_lowercase).collect();
    let op = match (client, w.as_str()) {
        ("s3", "bucketexists" | "bucketnotexists") => "HeadBucket",
        ("s3", "objectexists" | "objectnotexists") => "HeadObject",
        ("dynamodb", "tableexists" | "tablenotexists") => "DescribeTable",
        ("lambda", "functionexists" | "functionactivev2" | "functionupdatedv2") => "GetFunction",
        ("lambda", "functionactive" | "functionupdated") => "GetFunctionConfiguration",
        ("lambda", "publishedversionactive") => "GetFunctionConfiguration",
        ("kinesis", "streamexists" | "streamnotexists") => "DescribeStream",
        ("ssm", "commandexecuted") => "GetCommandInvocation",
        ("cloudformation", "stackexists") | ("cloudformation", "stackcreatecomplete") => {
            "DescribeStacks"
        }
        ("cloudformation", "stackupdatecomplete" | "stackdeletecomplete") => "DescribeStacks",
        (
            "ec2",
            "instancerunning" | "instancestopped" | "instanceterminated" | "instanceexists",
        ) => "DescribeInstances",
        ("ecs", "servicesstable" | "servicesinactive") => "DescribeServices",
        ("ecs", "tasksrunning" | "tasksstopped") => "DescribeTasks",
        ("sns", "topicexists") => "GetTopicAttributes",
        _ => return None,
    };
    Some(op)
}

/// A DynamoDB document-client method (v2 `DocumentClient`, v3
/// `DynamoDBDocument`) to the low-level operation it delegates to.
pub(crate) fn document_client_operation(method: &str) -> Option<&'static str> {
    Some(match method {
        "get" => "GetItem",
        "put" => "PutItem",
        "update" => "UpdateItem",
        "delete" => "DeleteItem",
        "query" => "Query",
        "scan" => "Scan",
        "batchGet" => "BatchGetItem",
        "batchWrite" => "BatchWriteItem",
        "transactGet" => "TransactGetItems",
        "transactWrite" => "TransactWriteItems",
        "executeStatement" => "ExecuteStatement",
        "batchExecuteStatement" => "BatchExecuteStatement",
        "executeTransaction" => "ExecuteTransaction",
        _ => return None,
    })
}

/// The operations of a managed S3 upload (boto3 `upload_file`, v2
/// `s3.upload`, v3 `lib-storage` `Upload`): small bodies go in one
/// PutObject, large ones in a multipart upload that is aborted on failure.
pub(crate) const S3_UPLOAD_OPERATIONS: &[&str] = &[
    "PutObject",
    "CreateMultipartUpload",
    "UploadPart",
    "CompleteMultipartUpload",
    "AbortMultipartUpload",
];

/// A guess at the service from a variable name (`s3`, `sqs_client`,
/// `dynamoTable`), used only for clients received from outside the module
/// and reported with [`Confidence::Low`].
pub(crate) fn service_from_name(name: &str) -> Option<&'static str> {
    let last = name.rsplit('.').next().unwrap_or(name);
    let mut n: String = last.chars().filter(|c| *c != '_').flat_map(char::to_lowercase).collect();
    for suffix in ["client", "resource", "svc", "service", "conn"] {
        if n.len() > suffix.len() && n.ends_with(suffix) {
            n.truncate(n.len() - suffix.len());
            break;
        }
    }
    Some(match n.as_str() {
        "s3" => "s3",
        "dynamodb" | "ddb" | "dynamo" | "table" | "dynamotable" | "ddbtable" | "docclient"
        | "documentclient" => "dynamodb",
        "sqs" => "sqs",
        "sns" => "sns",
        "lambda" | "lambdaclient" => "lambda",
        "ssm" => "ssm",
        "secretsmanager" | "secrets" | "sm" => "secretsmanager",
        "kms" => "kms",
        "sfn" | "stepfunctions" | "states" => "stepfunctions",
        "events" | "eventbridge" | "eb" => "events",
        "kinesis" => "kinesis",
        "firehose" => "firehose",
        "ses" => "ses",
        "sts" => "sts",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pascal_case() {
        assert_eq!(snake_to_pascal("get_object"), "GetObject");
        assert_eq!(snake_to_pascal("list_objects_v2"), "ListObjectsV2");
        assert_eq!(snake_to_pascal("assume_role_with_saml"), "AssumeRoleWithSAML");
        assert_eq!(camel_to_pascal("putObject"), "PutObject");
    }

    #[test]
    fn templates_merge() {
        let t = template(vec![
            Part::Literal("a".into()),
            Part::Literal("b".into()),
            Part::Env("X".into()),
        ]);
        assert_eq!(t, ArgValue::Template(vec![Part::Literal("ab".into()), Part::Env("X".into())]));
        assert_eq!(template(vec![Part::Literal("a".into())]), ArgValue::Literal("a".into()));
    }

    #[test]
    fn snippets_are_short_and_on_one_line() {
        let s = shorten(&"x\n".repeat(500));
        assert!(s.len() <= MAX_SNIPPET + 3 && !s.contains('\n'));
    }
}
