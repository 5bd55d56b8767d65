//! Configuration values read against the app: what a reference yields at
//! run time, and the ARNs of the app's own resources, in canonical form.
//!
//! Loaders render references they cannot evaluate into the value's text
//! (origin [`Origin::Unresolved`]): CloudFormation `!Ref Orders` as
//! `Orders`, `!GetAtt Orders.Arn` as `Orders.Arn`, `!Sub` as text with
//! `${Orders}` / `${AWS::Region}` placeholders; the Serverless Framework
//! writes `${Ref:Orders}` and `${GetAtt:Orders.Arn}`; Terraform
//! `${aws_dynamodb_table.orders.name}` and `${var.x}`. This module reads
//! those renderings back into [`Piece`]s, knowing what each reference
//! yields for each resource type (CloudFormation's `Ref` of a queue is its
//! URL, of a topic its ARN, of a table its name).
//!
//! Canonical form: a reference to the whole ARN of a resource whose type
//! is known is expanded into the ARN's pieces (`arn:` Partition
//! `:dynamodb:` Region `:` Account `:table/` Ref(Orders, Name)), so every
//! spelling of the same ARN compares equal; a name the IaC gives
//! (`TableName: orders`) is [`Piece::Text`]. Adjacent text pieces are
//! merged. Text may hold IAM wildcards (`*`, `?`) written in a policy.
//!
//! References are identified by CloudFormation logical id, and for
//! Terraform by address (`aws_dynamodb_table.orders`,
//! `module.m.aws_sqs_queue.q`; the model's `logical_id` of a Terraform
//! resource is only its name): see [`target`].

use faasguard_model::{App, Format, Function, Origin, Resource, ResourceKind, Val};
use faasguard_source::Span;

use crate::{IacRef, Piece, RefAttr, ResourceArn};

/// The kinds of resources whose ARN can be built from a reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// S3 bucket.
    Bucket,
    /// DynamoDB table.
    Table,
    /// SQS queue.
    Queue,
    /// SNS topic.
    Topic,
    /// Lambda function.
    Function,
    /// Secrets Manager secret.
    Secret,
    /// KMS key.
    Key,
    /// Step Functions state machine.
    StateMachine,
    /// Kinesis data stream.
    Stream,
    /// Kinesis Data Firehose delivery stream.
    DeliveryStream,
    /// SSM parameter.
    Parameter,
    /// EventBridge event bus.
    EventBus,
    /// IAM role.
    Role,
    /// CloudWatch Logs log group.
    LogGroup,
}

/// How an ARN of a [`Kind`] is laid out.
struct Layout {
    service: &'static str,
    regional: bool,
    /// Text of the resource part before the name (`table/`).
    before: &'static str,
    /// Catalog resource type.
    resource_type: &'static str,
}

impl Kind {
    fn layout(self) -> Layout {
        let l = |service, regional, before, resource_type| Layout {
            service,
            regional,
            before,
            resource_type,
        };
        match self {
            Kind::Bucket => l("s3", false, "", "bucket"),
            Kind::Table => l("dynamodb", true, "table/", "table"),
            Kind::Queue => l("sqs", true, "", "queue"),
            Kind::Topic => l("sns", true, "", "topic"),
            Kind::Function => l("lambda", true, "function:", "function"),
            Kind::Secret => l("secretsmanager", true, "secret:", "Secret"),
            Kind::Key => l("kms", true, "key/", "key"),
            Kind::StateMachine => l("states", true, "stateMachine:", "statemachine"),
            Kind::Stream => l("kinesis", true, "stream/", "stream"),
            Kind::DeliveryStream => l("firehose", true, "deliverystream/", "deliverystream"),
            Kind::Parameter => l("ssm", true, "parameter/", "parameter"),
            Kind::EventBus => l("events", true, "event-bus/", "event-bus"),
            Kind::Role => l("iam", false, "role/", "role"),
            Kind::LogGroup => l("logs", true, "log-group:", "log-group"),
        }
    }

    /// The catalog resource type of the kind's ARN (`table`, `Secret`).
    pub fn resource_type(self) -> &'static str {
        self.layout().resource_type
    }

    /// The kind of a resource type as CloudFormation or Terraform writes it.
    pub fn of_type(type_name: &str) -> Option<Kind> {
        Some(match type_name {
            "AWS::S3::Bucket" | "aws_s3_bucket" => Kind::Bucket,
            "AWS::DynamoDB::Table"
            | "AWS::DynamoDB::GlobalTable"
            | "AWS::Serverless::SimpleTable"
            | "aws_dynamodb_table" => Kind::Table,
            "AWS::SQS::Queue" | "aws_sqs_queue" => Kind::Queue,
            "AWS::SNS::Topic" | "aws_sns_topic" => Kind::Topic,
            "AWS::Lambda::Function" | "AWS::Serverless::Function" | "aws_lambda_function" => {
                Kind::Function
            }
            "AWS::SecretsManager::Secret" | "aws_secretsmanager_secret" => Kind::Secret,
            "AWS::KMS::Key" | "aws_kms_key" => Kind::Key,
            "AWS::StepFunctions::StateMachine"
            | "AWS::Serverless::StateMachine"
            | "aws_sfn_state_machine" => Kind::StateMachine,
            "AWS::Kinesis::Stream" | "aws_kinesis_stream" => Kind::Stream,
            "AWS::KinesisFirehose::DeliveryStream" | "aws_kinesis_firehose_delivery_stream" => {
                Kind::DeliveryStream
            }
            "AWS::SSM::Parameter" | "aws_ssm_parameter" => Kind::Parameter,
            "AWS::Events::EventBus" | "aws_cloudwatch_event_bus" => Kind::EventBus,
            "AWS::IAM::Role" | "aws_iam_role" => Kind::Role,
            "AWS::Logs::LogGroup" | "aws_cloudwatch_log_group" => Kind::LogGroup,
            _ => return None,
        })
    }

    /// What CloudFormation's `Ref` returns for the kind.
    fn cfn_ref(self) -> Yield {
        match self {
            Kind::Queue => Yield::Url,
            Kind::Topic | Kind::Secret | Kind::StateMachine => Yield::Arn,
            Kind::Key => Yield::Id,
            _ => Yield::Name,
        }
    }

    /// What CloudFormation's `Fn::GetAtt` returns for an attribute.
    fn cfn_attr(self, attr: &str) -> Option<Yield> {
        Some(match (self, attr) {
            (_, "Arn") => Yield::Arn,
            (Kind::Table, "StreamArn") => Yield::StreamArn,
            (Kind::Queue, "QueueName") => Yield::Name,
            (Kind::Queue, "QueueUrl") => Yield::Url,
            (Kind::Topic, "TopicName") => Yield::Name,
            (Kind::Topic, "TopicArn") => Yield::Arn,
            (Kind::StateMachine, "Name" | "StateMachineName") => Yield::Name,
            (Kind::EventBus, "Name") => Yield::Name,
            (Kind::Key, "KeyId") => Yield::Id,
            (Kind::Secret, "Id") => Yield::Arn,
            (Kind::Function, "FunctionName") => Yield::Name,
            (Kind::Role, "RoleName") => Yield::Name,
            _ => return None,
        })
    }

    /// What a Terraform attribute holds for the kind.
    fn tf_attr(self, attr: &str) -> Option<Yield> {
        Some(match (self, attr) {
            (_, "arn") => Yield::Arn,
            (Kind::Table, "stream_arn") => Yield::StreamArn,
            (Kind::Queue, "url" | "id") => Yield::Url,
            (Kind::Key, "key_id" | "id") => Yield::Id,
            (Kind::Key, _) => return None,
            // The id of these is their ARN.
            (
                Kind::Topic
                | Kind::Secret
                | Kind::StateMachine
                | Kind::Stream
                | Kind::DeliveryStream,
                "id",
            ) => Yield::Arn,
            (_, "name" | "id" | "bucket" | "function_name") => Yield::Name,
            _ => return None,
        })
    }
}

/// What a reference to a resource yields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Yield {
    Name,
    Arn,
    /// An SQS queue URL.
    Url,
    /// A KMS key id.
    Id,
    /// The ARN of a DynamoDB table's stream.
    StreamArn,
}

/// A resource, function or role of the app that a reference names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target<'a> {
    /// How [`IacRef::resource`] names it: the CloudFormation logical id, or
    /// the Terraform address.
    pub id: String,
    /// What it is.
    pub kind: Kind,
    /// Its physical name, when the IaC gives it.
    pub name: Option<&'a str>,
    /// Where it is defined.
    pub span: Span,
}

/// The resource, function or role of `app` named `id`: a CloudFormation
/// logical id (also a Serverless function's generated `<Name>LambdaFunction`),
/// or a Terraform address (`aws_sqs_queue.q`, `module.m.aws_sqs_queue.q`;
/// an index such as `[0]` is ignored). `None` when the app has no such
/// resource or its kind is not one whose ARN can be built.
pub fn target<'a>(app: &'a App, id: &str) -> Option<Target<'a>> {
    if app.format == Format::Terraform {
        return tf_target(app, id);
    }
    let known = |v: &'a Option<Val<String>>| v.as_ref().and_then(|v| v.known());
    if let Some(r) = app.resources.iter().find(|r| r.logical_id == id) {
        let kind = Kind::of_type(&r.type_name)?;
        // A key's `name` is its description in some loaders, never its id.
        let name = if kind == Kind::Key { None } else { known(&r.name) };
        return Some(Target { id: id.to_owned(), kind, name, span: r.span });
    }
    if let Some(f) = app.functions.iter().find(|f| {
        f.logical_id == id
            || (app.format == Format::Serverless && sls_function_id(&f.logical_id) == id)
    }) {
        return Some(Target {
            id: id.to_owned(),
            kind: Kind::Function,
            name: known(&f.name),
            span: f.span,
        });
    }
    let role = app.roles.iter().find(|r| r.logical_id == id)?;
    Some(Target { id: id.to_owned(), kind: Kind::Role, name: None, span: role.span })
}

/// How an [`IacRef`] names a function of the app: its CloudFormation
/// logical id, the logical id the Serverless Framework generates
/// (`HelloLambdaFunction`), or its Terraform address.
pub fn function_ref(app: &App, func: &faasguard_model::Function) -> String {
    match app.format {
        Format::Serverless => sls_function_id(&func.logical_id),
        Format::Terraform => match func.logical_id.rsplit_once('.') {
            Some((prefix, name)) => format!("{prefix}.aws_lambda_function.{name}"),
            None => format!("aws_lambda_function.{}", func.logical_id),
        },
        _ => func.logical_id.clone(),
    }
}

/// The logical id the Serverless Framework gives a function's resource.
fn sls_function_id(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 16);
    let mut chars = key.chars();
    if let Some(c) = chars.next() {
        out.extend(c.to_uppercase());
    }
    for c in chars {
        match c {
            '-' => out.push_str("Dash"),
            '_' => out.push_str("Underscore"),
            c => out.push(c),
        }
    }
    out.push_str("LambdaFunction");
    out
}

fn tf_target<'a>(app: &'a App, address: &str) -> Option<Target<'a>> {
    let (prefix, ty, name) = split_tf_address(address)?;
    let known = |v: &'a Option<Val<String>>| v.as_ref().and_then(|v| v.known());
    let matches =
        |logical_id: &str| logical_id.strip_prefix(prefix).is_some_and(|rest| rest == name);
    let id = format!("{prefix}{ty}.{name}");
    match ty {
        "aws_lambda_function" => {
            let f = app.functions.iter().find(|f| matches(&f.logical_id))?;
            Some(Target { id, kind: Kind::Function, name: known(&f.name), span: f.span })
        }
        "aws_iam_role" => {
            let r = app.roles.iter().find(|r| matches(&r.logical_id))?;
            Some(Target { id, kind: Kind::Role, name: None, span: r.span })
        }
        _ => {
            let kind = Kind::of_type(ty)?;
            let r = app.resources.iter().find(|r| r.type_name == ty && matches(&r.logical_id))?;
            let name = if kind == Kind::Key { None } else { known(&r.name) };
            Some(Target { id, kind, name, span: r.span })
        }
    }
}

/// `module.m.aws_sqs_queue.q[0]` -> (`module.m.`, `aws_sqs_queue`, `q`).
fn split_tf_address(address: &str) -> Option<(&str, &str, &str)> {
    let mut rest = address;
    let mut prefix_len = 0;
    while let Some(after) = rest.strip_prefix("module.") {
        let dot = after.find('.')?;
        prefix_len += "module.".len() + dot + 1;
        rest = after.get(dot + 1..)?;
    }
    let prefix = address.get(..prefix_len)?;
    let (ty, name) = rest.split_once('.')?;
    let name = name.split(['[', '.']).next().unwrap_or(name);
    (!ty.is_empty() && !name.is_empty()).then_some((prefix, ty, name))
}

/// A configuration value (environment variable, policy Resource entry)
/// read against the app, in canonical form.
///
/// `*` is [`ResourceArn::any`]. A reference to a resource's ARN is expanded
/// into the ARN's pieces with its `resource_type`; a literal ARN keeps its
/// text (region and account as written) and gets a `resource_type` when
/// exactly one resource type of its service matches it. A reference that
/// yields something other than an ARN (`!Ref Bucket` is the bucket's name,
/// `!Ref Queue` its URL) is that value's pieces with no `resource_type`:
/// such a policy entry is not an ARN and IAM matches it against nothing.
/// What cannot be known (`${var.x}`, `Fn::ImportValue`, a parameter
/// without a default) is a [`Piece::Wild`] with `unresolved` set.
pub fn policy_resource(app: &App, val: &Val<String>) -> ResourceArn {
    if val.is_known() && val.value.trim() == "*" {
        return ResourceArn::any();
    }
    // A statement a framework adds on its own (the Serverless Framework's
    // log permissions) is a default value that keeps the template it
    // deploys, `${AWS::Partition}` and all: read it as that template, or
    // it would meet the needs as literal text that no ARN has.
    let mut out = if val.origin == Origin::Default && val.value.contains("${") {
        value_of(app, &Val::unresolved(val.value.clone(), val.span))
    } else {
        value_of(app, val)
    };
    if out.resource_type.is_none() {
        out.resource_type = literal_arn_type(&out);
    }
    out
}

/// The ARN of a resource (or function, or role) of the app, in canonical
/// form, when its type is known. `resource` is a logical id or a Terraform
/// address ([`target`]).
pub fn arn_of(app: &App, resource: &str) -> Option<ResourceArn> {
    let t = target(app, resource)?;
    let mut pieces = Vec::new();
    arn_pieces(app, &t, &mut pieces);
    Some(ResourceArn {
        pieces,
        resource_type: Some(t.kind.resource_type().to_owned()),
        unresolved: false,
    })
}

/// The ARN of a target, appended to `out`.
pub(crate) fn arn_pieces(app: &App, t: &Target<'_>, out: &mut Vec<Piece>) {
    let layout = t.kind.layout();
    let name_piece = |attr| match t.name {
        Some(n) => Piece::Text(n.to_owned()),
        None => Piece::Ref(IacRef { resource: t.id.clone(), attr }),
    };
    // A secret's ARN ends in a random suffix that no template can rebuild
    // from a generated name: the whole ARN stays one reference.
    if t.kind == Kind::Secret && t.name.is_none() {
        out.push(Piece::Ref(IacRef { resource: t.id.clone(), attr: RefAttr::Arn }));
        return;
    }
    arn_prefix(layout.service, layout.regional, t.kind != Kind::Bucket, out);
    push_text(out, layout.before);
    match t.kind {
        Kind::Key => out.push(name_piece(RefAttr::Id)),
        Kind::Secret => {
            push_text(out, t.name.unwrap_or_default());
            push_text(out, "-??????");
        }
        Kind::Parameter => match t.name {
            Some(n) => push_text(out, n.strip_prefix('/').unwrap_or(n)),
            None => out.push(name_piece(RefAttr::Name)),
        },
        // A function's own log group, named after the function, is named
        // as the function's log needs name it (`/aws/lambda/` and the
        // function's name): a reference to the group and the need on the
        // function's group are then the same pieces.
        Kind::LogGroup if t.name.is_none() => {
            let owner = resource_of(app, t).and_then(|r| log_group_owner(app, r));
            match owner {
                Some(f) => {
                    push_text(out, LAMBDA_LOG_GROUPS);
                    push_piece(out, function_name_piece(app, f));
                }
                None => out.push(name_piece(RefAttr::Name)),
            }
        }
        _ => out.push(name_piece(RefAttr::Name)),
    }
}

/// The resource (not function or role) a target is.
fn resource_of<'a>(app: &'a App, t: &Target<'_>) -> Option<&'a Resource> {
    if app.format != Format::Terraform {
        return app.resources.iter().find(|r| r.logical_id == t.id);
    }
    let (prefix, ty, name) = split_tf_address(&t.id)?;
    app.resources.iter().find(|r| {
        r.type_name == ty && r.logical_id.strip_prefix(prefix).is_some_and(|rest| rest == name)
    })
}

/// Where Lambda puts a function's log group.
pub(crate) const LAMBDA_LOG_GROUPS: &str = "/aws/lambda/";

/// A function's name as a piece: its name when the IaC gives it, else a
/// reference to it.
pub(crate) fn function_name_piece(app: &App, f: &Function) -> Piece {
    match f.name.as_ref().and_then(|n| n.known()) {
        Some(n) => Piece::Text(n.to_owned()),
        None => Piece::Ref(IacRef { resource: function_ref(app, f), attr: RefAttr::Name }),
    }
}

/// The function whose own log group (`/aws/lambda/<function name>`) the
/// log group resource `r` is: its name gives the function's name
/// literally, as a reference to the function (`!Sub /aws/lambda/${Fn}`,
/// `${aws_lambda_function.f.function_name}`), or as the very expression
/// the function's name is (`/aws/lambda/${var.name}` for a function named
/// `var.name` in the same Terraform module).
pub fn log_group_owner<'a>(app: &'a App, r: &Resource) -> Option<&'a Function> {
    if r.kind != ResourceKind::LogGroup {
        return None;
    }
    let name = r.name.as_ref()?;
    let rest = name.value.trim().strip_prefix(LAMBDA_LOG_GROUPS)?;
    if rest.is_empty() {
        return None;
    }
    let module = |id: &str| id.rsplit_once('.').map_or("", |(m, _)| m).to_owned();
    let referenced = (!name.is_known()).then(|| referenced_function(app, rest)).flatten();
    app.functions.iter().find(|f| {
        if referenced.as_deref() == Some(function_ref(app, f).as_str()) {
            return true;
        }
        let Some(fname) = f.name.as_ref() else { return false };
        let fname_text = fname.value.trim();
        // The Terraform loader writes a variable holding an unresolved
        // value, interpolated, as that value in `${...}`.
        let same = fname_text == rest
            || (!fname.is_known()
                && rest.strip_prefix("${").and_then(|r| r.strip_suffix('}')) == Some(fname_text));
        if !same || fname.is_known() != name.is_known() {
            return false;
        }
        // A physical name is the same group anywhere; an expression
        // (`${var.name}`) means the same only within one module.
        name.is_known() || module(&f.logical_id) == module(&r.logical_id)
    })
}

/// The [`IacRef::resource`] of the function a rendered reference names
/// when it yields the function's name (`${Fn}`, `${Ref:FnLambdaFunction}`,
/// `${aws_lambda_function.f.function_name}`). Only a whole `${...}` is
/// read, through [`target`] alone, so it cannot recurse.
fn referenced_function(app: &App, text: &str) -> Option<String> {
    let inner = text.strip_prefix("${")?.strip_suffix('}')?.trim();
    if inner.contains(['$', '{', '}']) {
        return None;
    }
    let inner = inner.strip_prefix("Ref:").unwrap_or(inner);
    if app.format == Format::Terraform {
        let (address, attr) = inner.rsplit_once('.')?;
        let t = target(app, address)?;
        return (t.kind == Kind::Function && matches!(attr, "function_name" | "id"))
            .then_some(t.id);
    }
    let (id, attr) = match target(app, inner) {
        Some(_) => (inner, None),
        None => inner.split_once('.').map(|(i, a)| (i, Some(a)))?,
    };
    let t = target(app, id)?;
    (t.kind == Kind::Function && matches!(attr, None | Some("FunctionName"))).then_some(t.id)
}

/// `arn:` Partition `:service:` Region `:` Account `:` (region and account
/// empty where the service's ARNs have none).
pub(crate) fn arn_prefix(service: &str, regional: bool, account: bool, out: &mut Vec<Piece>) {
    push_text(out, "arn:");
    out.push(Piece::Partition);
    push_text(out, ":");
    push_text(out, service);
    push_text(out, ":");
    if regional {
        out.push(Piece::Region);
    }
    push_text(out, ":");
    if account {
        out.push(Piece::Account);
    }
    push_text(out, ":");
}

/// Appends text, merging it into a preceding text piece.
pub(crate) fn push_text(out: &mut Vec<Piece>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(Piece::Text(prev)) = out.last_mut() {
        prev.push_str(text);
    } else {
        out.push(Piece::Text(text.to_owned()));
    }
}

/// Appends a piece, merging text and collapsing adjacent wildcards.
pub(crate) fn push_piece(out: &mut Vec<Piece>, piece: Piece) {
    match piece {
        Piece::Text(t) => push_text(out, &t),
        Piece::Wild if matches!(out.last(), Some(Piece::Wild)) => {}
        p => out.push(p),
    }
}

/// What a configuration value holds at run time, as pieces: references
/// replaced by what they yield (a name, an ARN, a queue URL, a key id).
/// `resource_type` is set when the whole value is the ARN of a resource
/// of the app; `unresolved` when some part is unknown.
pub fn value_of(app: &App, val: &Val<String>) -> ResourceArn {
    let mut out = ResourceArn { pieces: Vec::new(), resource_type: None, unresolved: false };
    if val.origin != Origin::Unresolved {
        push_text(&mut out.pieces, &val.value);
        return out;
    }
    let text = val.value.trim();
    if !text.contains("${") {
        // A bare CloudFormation `Ref` (`Orders`) or `Fn::GetAtt` (`Orders.Arn`).
        if !reference(app, text, RefStyle::Cfn, &mut out) {
            out.pieces.push(Piece::Wild);
            out.unresolved = true;
        }
        return out;
    }
    let mut rest = text;
    let mut placeholders = 0usize;
    while let Some(start) = rest.find("${") {
        push_text(&mut out.pieces, rest.get(..start).unwrap_or(""));
        let after = rest.get(start + 2..).unwrap_or("");
        let Some(end) = after.find('}') else {
            // An unclosed placeholder: the rest is unknown.
            push_piece(&mut out.pieces, Piece::Wild);
            out.unresolved = true;
            rest = "";
            break;
        };
        placeholders += 1;
        placeholder(app, after.get(..end).unwrap_or("").trim(), &mut out);
        rest = after.get(end + 1..).unwrap_or("");
    }
    push_text(&mut out.pieces, rest);
    // The type of a reference to an ARN holds for the whole value only
    // when nothing was written around it.
    if !(placeholders == 1 && text.starts_with("${") && text.ends_with('}')) {
        out.resource_type = None;
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum RefStyle {
    /// `X` is `Ref X`, `X.Attr` is `Fn::GetAtt`.
    Cfn,
    /// `aws_type.name.attr`.
    Terraform,
}

/// One `${...}` placeholder's value, appended to `out`.
fn placeholder(app: &App, inner: &str, out: &mut ResourceArn) {
    match inner {
        "AWS::Partition" => return out.pieces.push(Piece::Partition),
        "AWS::Region" => return out.pieces.push(Piece::Region),
        "AWS::AccountId" => return out.pieces.push(Piece::Account),
        "AWS::URLSuffix" => return push_text(&mut out.pieces, "amazonaws.com"),
        _ => {}
    }
    let found = if let Some(r) = inner.strip_prefix("Ref:") {
        reference(app, r.trim(), RefStyle::Cfn, out)
    } else if let Some(g) = inner.strip_prefix("GetAtt:") {
        g.contains('.') && reference(app, g.trim(), RefStyle::Cfn, out)
    } else if app.format == Format::Terraform {
        reference(app, inner, RefStyle::Terraform, out)
    } else {
        reference(app, inner, RefStyle::Cfn, out)
    };
    if !found {
        push_piece(&mut out.pieces, Piece::Wild);
        out.unresolved = true;
    }
}

/// A reference's value appended to `out`; false when it names nothing the
/// app defines (or an attribute whose value is not known).
fn reference(app: &App, text: &str, style: RefStyle, out: &mut ResourceArn) -> bool {
    let (t, y) = match style {
        RefStyle::Cfn => {
            if let Some(t) = target(app, text) {
                let y = t.kind.cfn_ref();
                (t, y)
            } else {
                let Some((id, attr)) = text.split_once('.') else { return false };
                let Some(t) = target(app, id) else { return false };
                let Some(y) = t.kind.cfn_attr(attr) else { return false };
                (t, y)
            }
        }
        RefStyle::Terraform => {
            let Some((address, attr)) = text.rsplit_once('.') else { return false };
            let attr = attr.split('[').next().unwrap_or(attr);
            let Some(t) = target(app, address) else { return false };
            let Some(y) = t.kind.tf_attr(attr) else { return false };
            (t, y)
        }
    };
    let pieces = &mut out.pieces;
    let name = |pieces: &mut Vec<Piece>, attr| match t.name {
        Some(n) => push_text(pieces, n),
        None => pieces.push(Piece::Ref(IacRef { resource: t.id.clone(), attr })),
    };
    match y {
        Yield::Name => name(pieces, RefAttr::Name),
        Yield::Id => pieces.push(Piece::Ref(IacRef { resource: t.id.clone(), attr: RefAttr::Id })),
        Yield::Arn => {
            arn_pieces(app, &t, pieces);
            // CloudFormation's `Arn` of a log group ends in `:*` (it
            // grants the group's streams too); Terraform's does not.
            if t.kind == Kind::LogGroup && style == RefStyle::Cfn {
                push_text(pieces, ":*");
            }
            out.resource_type = Some(t.kind.resource_type().to_owned());
        }
        Yield::Url => {
            push_text(pieces, "https://sqs.");
            pieces.push(Piece::Region);
            push_text(pieces, ".amazonaws.com/");
            pieces.push(Piece::Account);
            push_text(pieces, "/");
            name(pieces, RefAttr::Name);
        }
        Yield::StreamArn => {
            arn_pieces(app, &t, pieces);
            // The stream label is a timestamp chosen when the stream is enabled.
            push_text(pieces, "/stream/");
            push_piece(pieces, Piece::Wild);
            out.resource_type = Some("stream".to_owned());
        }
    }
    true
}

/// The resource type of a value written as an ARN (literal or built with
/// `!Sub`), when exactly one resource type of its service matches it.
/// References and the deployment's region and account stand for one plain
/// segment here, so `table/${Orders}` is a table, not an index.
fn literal_arn_type(arn: &ResourceArn) -> Option<String> {
    let Some(Piece::Text(first)) = arn.pieces.first() else { return None };
    if !first.starts_with("arn:") {
        return None;
    }
    let mut probe = String::new();
    for p in &arn.pieces {
        match p {
            Piece::Text(t) => probe.push_str(t),
            Piece::Partition => probe.push_str("aws"),
            Piece::Region | Piece::Account | Piece::Ref(_) => probe.push('x'),
            Piece::Wild => probe.push('*'),
        }
    }
    let service = probe.split(':').nth(2)?;
    if service.contains(['*', '?']) {
        return None;
    }
    let svc = faasguard_iam::catalog::catalog().service(service)?;
    // `*` spans `/` in IAM, so `table/${TableName}` also matches an index
    // ARN: the matching format with the most fixed text is the type.
    let mut best: Option<(usize, &str)> = None;
    let mut tie = false;
    for r in &svc.resources {
        for f in &r.arns {
            if !faasguard_iam::pattern::arn_matches(&probe, &r.name, f) {
                continue;
            }
            let fixed = faasguard_iam::pattern::format_as_glob(f).replace('*', "").len();
            match best {
                Some((n, name)) if n == fixed && name != r.name => tie = true,
                Some((n, _)) if n >= fixed => {}
                _ => {
                    best = Some((fixed, &r.name));
                    tie = false;
                }
            }
        }
    }
    if tie { None } else { best.map(|(_, name)| name.to_owned()) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use faasguard_model::{Function, Provider, Resource, ResourceKind, Role};
    use faasguard_source::FileId;

    fn sp() -> Span {
        Span::new(FileId(0), 0, 1)
    }

    fn res(id: &str, ty: &str, name: Option<&str>) -> Resource {
        Resource {
            logical_id: id.into(),
            type_name: ty.into(),
            kind: ResourceKind::Other(ty.into()),
            span: sp(),
            name: name.map(|n| Val::explicit(n.to_owned(), sp())),
            policy: None,
            kms_key: None,
        }
    }

    fn cfn_app() -> App {
        let mut app = App::new("template.yaml", Format::Sam, FileId(0));
        app.resources.push(res("Orders", "AWS::DynamoDB::Table", None));
        app.resources.push(res("Named", "AWS::DynamoDB::Table", Some("orders")));
        app.resources.push(res("Queue", "AWS::SQS::Queue", None));
        app.resources.push(res("Topic", "AWS::SNS::Topic", None));
        app.resources.push(res("Secret", "AWS::SecretsManager::Secret", None));
        app.resources.push(res("NamedSecret", "AWS::SecretsManager::Secret", Some("db")));
        app.resources.push(res("Key", "AWS::KMS::Key", Some("my key")));
        app.resources.push(res("Bucket", "AWS::S3::Bucket", None));
        app.resources.push(res("Param", "AWS::SSM::Parameter", Some("/app/db")));
        app.functions.push(Function::new("Worker", sp(), Provider::Aws));
        app.roles.push(Role {
            logical_id: "WorkerRole".into(),
            span: sp(),
            generated: false,
            trust_policy: None,
            policies: Vec::new(),
            permissions_boundary: None,
            boundary_document: None,
            assignments: Vec::new(),
            default_identity: false,
        });
        app
    }

    fn un(s: &str) -> Val<String> {
        Val::unresolved(s.to_owned(), sp())
    }

    fn t(s: &str) -> Piece {
        Piece::Text(s.into())
    }

    fn r(id: &str, attr: RefAttr) -> Piece {
        Piece::Ref(IacRef { resource: id.into(), attr })
    }

    fn table_arn(name: Piece) -> Vec<Piece> {
        vec![
            t("arn:"),
            Piece::Partition,
            t(":dynamodb:"),
            Piece::Region,
            t(":"),
            Piece::Account,
            t(":table/"),
            name,
        ]
    }

    #[test]
    fn every_spelling_of_a_table_arn_is_the_same() {
        let app = cfn_app();
        let a = policy_resource(&app, &un("Orders.Arn"));
        let b = policy_resource(&app, &un("${Orders.Arn}"));
        let c = policy_resource(
            &app,
            &un("arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Orders}"),
        );
        let d = policy_resource(&app, &un("${GetAtt:Orders.Arn}"));
        assert_eq!(a.pieces, table_arn(r("Orders", RefAttr::Name)));
        assert_eq!(a.resource_type.as_deref(), Some("table"));
        assert!(!a.unresolved);
        assert_eq!(a.pieces, b.pieces);
        assert_eq!(a.pieces, c.pieces);
        assert_eq!(a.pieces, d.pieces);
        assert_eq!(arn_of(&app, "Orders").map(|x| x.pieces), Some(a.pieces));
    }

    #[test]
    fn known_names_are_text() {
        let app = cfn_app();
        let a = arn_of(&app, "Named").unwrap_or_else(ResourceArn::any);
        assert_eq!(a.pieces, table_arn(t("orders")));
        assert_eq!(a.to_iam_string(), "arn:aws:dynamodb:*:*:table/orders");
        let name = value_of(&app, &un("Named"));
        assert_eq!(name.pieces, vec![t("orders")]);
        assert_eq!(name.resource_type, None);
    }

    #[test]
    fn references_yield_what_cloudformation_returns() {
        let app = cfn_app();
        // A queue's Ref is its URL.
        let url = value_of(&app, &un("Queue"));
        assert_eq!(
            url.pieces,
            vec![
                t("https://sqs."),
                Piece::Region,
                t(".amazonaws.com/"),
                Piece::Account,
                t("/"),
                r("Queue", RefAttr::Name)
            ]
        );
        // A topic's Ref is its ARN.
        let topic = policy_resource(&app, &un("Topic"));
        assert_eq!(topic.resource_type.as_deref(), Some("topic"));
        assert_eq!(topic.to_iam_string(), "arn:aws:sns:*:*:*");
        assert_eq!(topic.pieces.last(), Some(&r("Topic", RefAttr::Name)));
        assert_eq!(value_of(&app, &un("Queue.QueueName")).pieces, vec![r("Queue", RefAttr::Name)]);
        // A key's Ref is its id, never its description.
        let key = policy_resource(&app, &un("Key.Arn"));
        assert_eq!(key.pieces.last(), Some(&r("Key", RefAttr::Id)));
        assert_eq!(value_of(&app, &un("Key")).pieces, vec![r("Key", RefAttr::Id)]);
        // A secret without a name is one reference; a named one has the suffix.
        assert_eq!(policy_resource(&app, &un("Secret")).pieces, vec![r("Secret", RefAttr::Arn)]);
        assert_eq!(
            policy_resource(&app, &un("NamedSecret")).to_iam_string(),
            "arn:aws:secretsmanager:*:*:secret:db-??????"
        );
        assert_eq!(
            arn_of(&app, "Param").map(|a| a.to_iam_string()).as_deref(),
            Some("arn:aws:ssm:*:*:parameter/app/db")
        );
        assert_eq!(
            arn_of(&app, "Worker").map(|a| a.pieces.last().cloned()),
            Some(Some(r("Worker", RefAttr::Name)))
        );
        assert_eq!(
            arn_of(&app, "WorkerRole").map(|a| a.to_iam_string()).as_deref(),
            Some("arn:aws:iam::*:role/*")
        );
        assert_eq!(arn_of(&app, "Nope"), None);
    }

    #[test]
    fn sub_text_is_kept_and_unknowns_are_wild() {
        let app = cfn_app();
        let objects = policy_resource(&app, &un("arn:${AWS::Partition}:s3:::${Bucket}/*"));
        assert_eq!(
            objects.pieces,
            vec![t("arn:"), Piece::Partition, t(":s3:::"), r("Bucket", RefAttr::Name), t("/*")]
        );
        assert!(!objects.unresolved);
        let imported = policy_resource(&app, &un("${ImportValue:SharedTable}"));
        assert_eq!(imported.pieces, vec![Piece::Wild]);
        assert!(imported.unresolved);
        let param = policy_resource(&app, &un("TableParam"));
        assert_eq!(param.pieces, vec![Piece::Wild]);
        assert!(param.unresolved);
        let partial = policy_resource(&app, &un("arn:aws:s3:::${Unknown}-logs/*"));
        assert_eq!(partial.pieces, vec![t("arn:aws:s3:::"), Piece::Wild, t("-logs/*")]);
        assert!(partial.unresolved);
        assert!(policy_resource(&app, &Val::explicit("*".into(), sp())).is_any());
    }

    #[test]
    fn literal_arns_keep_their_text_and_get_a_type() {
        let app = cfn_app();
        let lit = policy_resource(
            &app,
            &Val::explicit("arn:aws:dynamodb:eu-west-1:123456789012:table/orders".into(), sp()),
        );
        assert_eq!(lit.pieces, vec![t("arn:aws:dynamodb:eu-west-1:123456789012:table/orders")]);
        assert_eq!(lit.resource_type.as_deref(), Some("table"));
        let obj = policy_resource(&app, &Val::explicit("arn:aws:s3:::b/*".into(), sp()));
        assert_eq!(obj.resource_type.as_deref(), Some("object"));
        let sub = policy_resource(
            &app,
            &un("arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Orders}"),
        );
        assert_eq!(sub.resource_type.as_deref(), Some("table"));
        let index = policy_resource(&app, &un("${Orders.Arn}/index/byDate"));
        assert_eq!(index.resource_type.as_deref(), Some("index"));
    }

    fn tf_app() -> App {
        let mut app = App::new("main.tf", Format::Terraform, FileId(0));
        app.resources.push(res("orders", "aws_dynamodb_table", Some("orders")));
        app.resources.push(res("jobs", "aws_sqs_queue", None));
        app.resources.push(res("module.m.events", "aws_sns_topic", Some("events")));
        app.resources.push(res("k", "aws_kms_key", Some("a description")));
        app.functions.push(Function::new("worker", sp(), Provider::Aws));
        app
    }

    #[test]
    fn terraform_attributes_by_name() {
        let app = tf_app();
        assert_eq!(
            policy_resource(&app, &un("${aws_dynamodb_table.orders.arn}")).to_iam_string(),
            "arn:aws:dynamodb:*:*:table/orders"
        );
        assert_eq!(
            value_of(&app, &un("${aws_dynamodb_table.orders.name}")).pieces,
            vec![t("orders")]
        );
        let url = value_of(&app, &un("${aws_sqs_queue.jobs.url}"));
        assert_eq!(url.pieces.last(), Some(&r("aws_sqs_queue.jobs", RefAttr::Name)));
        assert_eq!(value_of(&app, &un("${aws_sqs_queue.jobs.id}")).pieces, url.pieces);
        let topic = policy_resource(&app, &un("${module.m.aws_sns_topic.events.arn}"));
        assert_eq!(topic.to_iam_string(), "arn:aws:sns:*:*:events");
        assert_eq!(topic.resource_type.as_deref(), Some("topic"));
        assert_eq!(
            value_of(&app, &un("${aws_kms_key.k.key_id}")).pieces,
            vec![r("aws_kms_key.k", RefAttr::Id)]
        );
        let f = policy_resource(&app, &un("${aws_lambda_function.worker.arn}"));
        assert_eq!(f.pieces.last(), Some(&r("aws_lambda_function.worker", RefAttr::Name)));
        let var = policy_resource(&app, &un("${var.table_arn}"));
        assert!(var.unresolved && var.pieces == vec![Piece::Wild]);
        let mixed = policy_resource(&app, &un("${aws_dynamodb_table.orders.arn}/index/*"));
        assert_eq!(mixed.to_iam_string(), "arn:aws:dynamodb:*:*:table/orders/index/*");
        assert_eq!(mixed.resource_type, None);
        assert_eq!(
            arn_of(&app, "aws_sqs_queue.jobs").map(|a| a.to_iam_string()).as_deref(),
            Some("arn:aws:sqs:*:*:*")
        );
    }

    #[test]
    fn log_groups_of_functions_are_named_as_the_functions_logs() {
        let mut app = cfn_app();
        let mut group = res("Group", "AWS::Logs::LogGroup", None);
        group.kind = ResourceKind::LogGroup;
        group.name = Some(un("/aws/lambda/${Worker}"));
        app.resources.push(group);
        let mut other = res("Other", "AWS::Logs::LogGroup", None);
        other.kind = ResourceKind::LogGroup;
        other.name = Some(un("/aws/lambda/${Orders}"));
        app.resources.push(other);
        let logs = |name: Piece| {
            vec![
                t("arn:"),
                Piece::Partition,
                t(":logs:"),
                Piece::Region,
                t(":"),
                Piece::Account,
                t(":log-group:/aws/lambda/"),
                name,
            ]
        };
        let own = arn_of(&app, "Group").map(|a| a.pieces);
        assert_eq!(own, Some(logs(r("Worker", RefAttr::Name))));
        // CloudFormation's `Arn` of a log group ends in `:*`.
        let mut attr = logs(r("Worker", RefAttr::Name));
        attr.push(t(":*"));
        assert_eq!(policy_resource(&app, &un("Group.Arn")).pieces, attr);
        // A group named after a table is no function's.
        let other = arn_of(&app, "Other").map(|a| a.pieces);
        assert_eq!(other.as_ref().and_then(|p| p.last()), Some(&r("Other", RefAttr::Name)));
        assert_eq!(other.as_ref().and_then(|p| p.get(6)), Some(&t(":log-group:")));
    }

    #[test]
    fn framework_defaults_are_read_as_templates() {
        let app = cfn_app();
        let generated = Val::default_at(
            "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/svc-dev*:*"
                .to_owned(),
            sp(),
        );
        let arn = policy_resource(&app, &generated);
        assert_eq!(arn.pieces.get(1), Some(&Piece::Partition));
        assert_eq!(arn.to_iam_string(), "arn:aws:logs:*:*:log-group:/aws/lambda/svc-dev*:*");
    }

    #[test]
    fn serverless_function_ids() {
        let mut app = App::new("serverless.yml", Format::Serverless, FileId(0));
        app.functions.push(Function::new("send-mail", sp(), Provider::Aws));
        assert!(target(&app, "SendDashmailLambdaFunction").is_some());
        assert!(arn_of(&app, "SendDashmailLambdaFunction").is_some());
        let v = policy_resource(&app, &un("${GetAtt:SendDashmailLambdaFunction.Arn}"));
        assert_eq!(v.resource_type.as_deref(), Some("function"));
    }
}
