//! What the Lambda platform does with the function's role, whatever the
//! code does: write its logs, send X-Ray traces, attach network interfaces
//! in a VPC, poll its event sources, decrypt its environment, and deliver
//! failed events to their dead-letter or on-failure target.
//!
//! These needs are added before the comparison with the role: a role
//! granting `logs:PutLogEvents` is not over-privileged because the code
//! never logs through the SDK. The actions follow the managed policies AWS
//! documents for each feature (`AWSLambdaBasicExecutionRole`,
//! `AWSXRayDaemonWriteAccess`, `AWSLambdaVPCAccessExecutionRole`,
//! `AWSLambdaSQSQueueExecutionRole`, `AWSLambdaKinesisExecutionRole`,
//! `AWSLambdaDynamoDBExecutionRole`), with resources narrowed to the
//! function's own log group and event sources.

use faasguard_model::{App, Format, FunctionId, Provider, TriggerKind, Val};
use faasguard_source::Span;

use crate::infer::fit_to_action;
use crate::resources::{
    LAMBDA_LOG_GROUPS, arn_prefix, function_name_piece, log_group_owner, policy_resource,
    push_piece, push_text, value_of,
};
use crate::{Confidence, Evidence, Need, NeedSource, Piece, ResourceArn};

/// The permissions the platform needs for function `f`, from its
/// configuration and event sources; empty for functions that are not AWS
/// Lambda functions.
pub fn platform_needs(app: &App, f: FunctionId) -> Vec<Need> {
    let Some(func) = app.functions.get(f.index()) else { return Vec::new() };
    if func.provider != Provider::Aws {
        return Vec::new();
    }
    let mut out = Needs(Vec::new());

    // Logs: the runtime creates the group on first use, then a stream per
    // execution environment.
    let mut group = Vec::new();
    arn_prefix("logs", true, true, &mut group);
    push_text(&mut group, "log-group:");
    push_text(&mut group, LAMBDA_LOG_GROUPS);
    push_piece(&mut group, function_name_piece(app, func));
    let mut streams = group.clone();
    push_text(&mut streams, ":*");
    let logs_why = "Lambda writes the function's output to its CloudWatch Logs group";
    // Lambda creates the group only when it does not exist: an app that
    // defines the group itself may leave the permission out, and a role
    // that has it is not over-privileged either.
    let create_group =
        if defines_log_group(app, func) { Confidence::Low } else { Confidence::High };
    out.add_as("logs:CreateLogGroup", arn(group, "log-group"), func.span, logs_why, create_group);
    for action in ["logs:CreateLogStream", "logs:PutLogEvents"] {
        out.add(action, arn(streams.clone(), "log-stream"), func.span, logs_why);
    }

    if let Some(t) = &func.tracing
        && t.is_known()
        && t.value.eq_ignore_ascii_case("Active")
    {
        for action in ["xray:PutTraceSegments", "xray:PutTelemetryRecords"] {
            out.add(
                action,
                ResourceArn::any(),
                t.span,
                "X-Ray tracing is Active: Lambda sends trace segments",
            );
        }
        // The X-Ray SDK in the function asks for sampling rules when the
        // code uses it; the platform does not need them (AWS's
        // `AWSXrayWriteOnlyAccess` grants them for that SDK).
        for action in [
            "xray:GetSamplingRules",
            "xray:GetSamplingTargets",
            "xray:GetSamplingStatisticSummaries",
        ] {
            out.add_as(
                action,
                ResourceArn::any(),
                t.span,
                "X-Ray tracing is Active: the X-Ray SDK, when the code uses it, reads sampling rules",
                Confidence::Low,
            );
        }
    }

    if let Some(vpc) = &func.vpc {
        for (action, confidence) in [
            ("ec2:CreateNetworkInterface", Confidence::High),
            ("ec2:DescribeNetworkInterfaces", Confidence::High),
            ("ec2:DeleteNetworkInterface", Confidence::High),
            // Added to `AWSLambdaVPCAccessExecutionRole` in 2023-2024 (IPv6,
            // subnet checks); roles with the three classic actions alone
            // work, so these are used when granted, never missing.
            ("ec2:DescribeSubnets", Confidence::Low),
            ("ec2:AssignPrivateIpAddresses", Confidence::Low),
            ("ec2:UnassignPrivateIpAddresses", Confidence::Low),
        ] {
            out.add_as(
                action,
                ResourceArn::any(),
                vpc.span,
                "the function runs in a VPC: Lambda manages its network interfaces",
                confidence,
            );
        }
    }

    for trigger in app.triggers_of(f) {
        let (source, actions, list): (&Val<String>, &[&str], Option<&str>) = match &trigger.kind {
            TriggerKind::Sqs { queue } => (
                queue,
                &["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
                None,
            ),
            TriggerKind::Kinesis { stream } => (
                stream,
                &[
                    "kinesis:GetRecords",
                    "kinesis:GetShardIterator",
                    "kinesis:DescribeStream",
                    "kinesis:DescribeStreamSummary",
                    "kinesis:ListShards",
                ],
                Some("kinesis:ListStreams"),
            ),
            TriggerKind::DynamoDbStream { stream } => (
                stream,
                &["dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream"],
                Some("dynamodb:ListStreams"),
            ),
            _ => continue,
        };
        let why = format!(
            "event source `{}`: Lambda polls it with the function's role",
            trigger.logical_id
        );
        let resource = policy_resource(app, source);
        for action in actions {
            // Pollers use the newer Kinesis calls when the role allows
            // them and fall back to DescribeStream otherwise: a role with
            // the classic set works, so they are not required.
            let confidence =
                if SHARD_API_ACTIONS.contains(action) { Confidence::Low } else { Confidence::High };
            out.add_as(
                action,
                fit_to_action(action, resource.clone()),
                trigger.span,
                &why,
                confidence,
            );
        }
        if let Some(action) = list {
            out.add(action, ResourceArn::any(), trigger.span, &why);
        }
    }

    if let Some(key) = &func.env_kms_key {
        out.add(
            "kms:Decrypt",
            fit_to_action("kms:Decrypt", key_arn(app, key)),
            key.span,
            "the environment is encrypted with this key: Lambda decrypts it with the function's role",
        );
    }

    for (target, what) in
        [(&func.dead_letter, "dead-letter"), (&func.on_failure, "on-failure destination")]
    {
        let Some(target) = target else { continue };
        let resource = policy_resource(app, target);
        let Some(action) = delivery_action(&resource) else { continue };
        let why = format!("the {what}: Lambda sends failed events there with the function's role");
        out.add(action, fit_to_action(action, resource), target.span, &why);
    }
    out.0
}

/// Kinesis actions of the shard API that the poller prefers but does not
/// require.
const SHARD_API_ACTIONS: &[&str] = &["kinesis:DescribeStreamSummary", "kinesis:ListShards"];

/// Whether the function's log group is created by the deployment rather
/// than by Lambda: the app defines it (CloudFormation
/// `/aws/lambda/${Function}`, Terraform
/// `/aws/lambda/${aws_lambda_function.f.function_name}`, the literal name),
/// or the Serverless Framework does, which adds a `<Function>LogGroup` for
/// every function it deploys.
fn defines_log_group(app: &App, func: &faasguard_model::Function) -> bool {
    app.format == Format::Serverless
        || app
            .resources
            .iter()
            .any(|r| log_group_owner(app, r).is_some_and(|f| std::ptr::eq(f, func)))
}

struct Needs(Vec<Need>);

impl Needs {
    fn add(&mut self, action: &str, resource: ResourceArn, span: Span, why: &str) {
        self.add_as(action, resource, span, why, Confidence::High);
    }

    fn add_as(
        &mut self,
        action: &str,
        resource: ResourceArn,
        span: Span,
        why: &str,
        confidence: Confidence,
    ) {
        let evidence =
            Evidence { span, what: why.to_owned(), source: NeedSource::Platform, confidence };
        match self.0.iter_mut().find(|n| n.action == action) {
            Some(n) => {
                n.confidence = n.confidence.max(confidence);
                if !n.resources.contains(&resource) {
                    n.resources.push(resource);
                    n.resources.sort();
                }
                if !n.evidence.contains(&evidence) {
                    n.evidence.push(evidence);
                }
            }
            None => self.0.push(Need {
                action: action.to_owned(),
                resources: vec![resource],
                evidence: vec![evidence],
                confidence,
            }),
        }
    }
}

fn arn(pieces: Vec<Piece>, resource_type: &str) -> ResourceArn {
    ResourceArn { pieces, resource_type: Some(resource_type.to_owned()), unresolved: false }
}

/// A key setting (key ARN, `!Ref Key` = its id, alias ARN) as the key's ARN.
fn key_arn(app: &App, key: &Val<String>) -> ResourceArn {
    let v = value_of(app, key);
    let arn_written = matches!(v.pieces.first(), Some(Piece::Text(t)) if t.starts_with("arn:"));
    if arn_written || v.pieces == [Piece::Wild] {
        return v;
    }
    let mut pieces = Vec::new();
    arn_prefix("kms", true, true, &mut pieces);
    push_text(&mut pieces, "key/");
    for p in v.pieces {
        push_piece(&mut pieces, p);
    }
    ResourceArn { pieces, resource_type: Some("key".to_owned()), unresolved: v.unresolved }
}

/// How Lambda delivers to a target, by the target's kind.
fn delivery_action(target: &ResourceArn) -> Option<&'static str> {
    let service = match target.resource_type.as_deref() {
        Some("queue") => "sqs",
        Some("topic") => "sns",
        Some("function") => "lambda",
        Some("event-bus") => "events",
        _ => match target.pieces.first() {
            Some(Piece::Text(t)) if t.starts_with("arn:") => {
                t.split(':').nth(2).filter(|s| !s.is_empty()).unwrap_or("")
            }
            _ => "",
        },
    };
    Some(match service {
        "sqs" => "sqs:SendMessage",
        "sns" => "sns:Publish",
        "lambda" => "lambda:InvokeFunction",
        "events" => "events:PutEvents",
        _ => return None,
    })
}
