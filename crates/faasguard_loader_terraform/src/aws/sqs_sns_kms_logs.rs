//! Queues, topics (and SNS subscriptions that invoke functions), keys, log
//! groups, secrets, tables, SSM parameters, Kinesis and Firehose streams,
//! event buses and state machines, and EventBridge rules and schedules.

use faasguard_model::{ResourceKind, Trigger, TriggerKind, Val};

use crate::aws::policy::document;
use crate::aws::s3::{push, resource};
use crate::build::{Ctx, refs};

pub(crate) fn load(ctx: &mut Ctx<'_>) {
    // (type, kind, name attribute, key attribute, policy attribute)
    let other = |ty: &str| ResourceKind::Other(ty.to_owned());
    let kinds: [(&str, ResourceKind, &str, &str, &str); 11] = [
        ("aws_sqs_queue", ResourceKind::Queue, "name", "kms_master_key_id", "policy"),
        ("aws_sns_topic", ResourceKind::Topic, "name", "kms_master_key_id", "policy"),
        ("aws_kms_key", ResourceKind::KmsKey, "description", "", "policy"),
        ("aws_cloudwatch_log_group", ResourceKind::LogGroup, "name", "kms_key_id", ""),
        ("aws_secretsmanager_secret", ResourceKind::Secret, "name", "kms_key_id", "policy"),
        ("aws_dynamodb_table", ResourceKind::Table, "name", "", ""),
        // Named so a function's permissions can point at them (least privilege).
        ("aws_ssm_parameter", other("aws_ssm_parameter"), "name", "key_id", ""),
        ("aws_kinesis_stream", other("aws_kinesis_stream"), "name", "kms_key_id", ""),
        ("aws_cloudwatch_event_bus", other("aws_cloudwatch_event_bus"), "name", "", ""),
        ("aws_sfn_state_machine", other("aws_sfn_state_machine"), "name", "", ""),
        (
            "aws_kinesis_firehose_delivery_stream",
            other("aws_kinesis_firehose_delivery_stream"),
            "name",
            "",
            "",
        ),
    ];
    for (ty, kind, name, key, policy) in kinds {
        for r in ctx.of_type(false, ty) {
            let b = r.blk.clone();
            let mut res = resource(ctx, &r.logical_id, ty, kind.clone(), &b, name);
            if !key.is_empty() {
                res.kms_key = ctx.str(&b, key);
            }
            if ty == "aws_dynamodb_table"
                && let Some(sse) = ctx.block(&b, "server_side_encryption")
            {
                res.kms_key = ctx.str(&sse, "kms_key_arn");
            }
            if !policy.is_empty() {
                res.policy = ctx.attr(&b, policy).and_then(|v| document(ctx, &v));
            }
            push(ctx, &r.addr, res);
        }
    }
    for (ty, target) in [
        ("aws_sqs_queue_policy", "queue_url"),
        ("aws_sns_topic_policy", "arn"),
        ("aws_secretsmanager_secret_policy", "secret_arn"),
    ] {
        for r in ctx.of_type(false, ty) {
            let b = r.blk.clone();
            if let Some(res) = ctx.attr(&b, target).and_then(|v| ctx.resource_of(&v))
                && let Some(doc) = ctx.attr(&b, "policy").and_then(|v| document(ctx, &v))
            {
                ctx.app.resources[res.index()].policy = Some(doc);
            }
        }
    }
    for r in ctx.of_type(false, "aws_sns_topic_subscription") {
        let b = r.blk.clone();
        if ctx.attr(&b, "protocol").and_then(|v| v.as_text()).as_deref() != Some("lambda") {
            continue;
        }
        let Some(f) = ctx.attr(&b, "endpoint").and_then(|v| ctx.function_of(&v)) else { continue };
        let topic = ctx.str(&b, "topic_arn").unwrap_or(Val::unresolved(String::new(), b.span));
        ctx.app.triggers.push(Trigger {
            logical_id: r.logical_id.clone(),
            function: f,
            span: b.span,
            kind: TriggerKind::Sns { topic },
        });
    }
    // EventBridge: a target links a rule to a function.
    let rules = ctx.of_type(false, "aws_cloudwatch_event_rule");
    let mut rule_info = Vec::new();
    for r in rules {
        let b = r.blk.clone();
        let schedule = ctx.str(&b, "schedule_expression");
        let bus = ctx.str(&b, "event_bus_name").filter(|v| !(v.is_known() && v.value == "default"));
        rule_info.push((
            r.addr.clone(),
            ctx.attr(&b, "name").and_then(|v| v.as_text()),
            schedule,
            bus,
        ));
    }
    for r in ctx.of_type(false, "aws_cloudwatch_event_target") {
        let b = r.blk.clone();
        let Some(f) = ctx.attr(&b, "arn").and_then(|v| ctx.function_of(&v)) else { continue };
        let rule = ctx.attr(&b, "rule");
        let info = rule.as_ref().and_then(|rv| {
            let addrs = refs(rv);
            let text = rv.as_text();
            rule_info.iter().find(|(addr, name, _, _)| {
                addrs.iter().any(|(a, _)| a == addr) || (text.is_some() && *name == text)
            })
        });
        let kind = match info {
            Some((_, _, Some(expr), _)) => TriggerKind::Schedule { expression: expr.clone() },
            Some((_, _, None, bus)) => TriggerKind::EventBridge { bus: bus.clone() },
            None => TriggerKind::EventBridge { bus: None },
        };
        ctx.app.triggers.push(Trigger {
            logical_id: r.logical_id.clone(),
            function: f,
            span: b.span,
            kind,
        });
    }
    for r in ctx.of_type(false, "aws_scheduler_schedule") {
        let b = r.blk.clone();
        let Some(t) = ctx.block(&b, "target") else { continue };
        let Some(f) = ctx.attr(&t, "arn").and_then(|v| ctx.function_of(&v)) else { continue };
        let expression =
            ctx.str(&b, "schedule_expression").unwrap_or(Val::unresolved(String::new(), b.span));
        ctx.app.triggers.push(Trigger {
            logical_id: r.logical_id.clone(),
            function: f,
            span: b.span,
            kind: TriggerKind::Schedule { expression },
        });
    }
}

#[cfg(test)]
mod tests {
    use faasguard_model::ResourceKind;
    use faasguard_source::{SourceDb, SourceFile};

    #[test]
    fn parameters_streams_buses_and_state_machines_are_named_resources() {
        let mut db = SourceDb::new();
        let id = db.add(SourceFile::new(
            "main.tf",
            r#"
resource "aws_ssm_parameter" "config" {
  name  = "/app/config"
  type  = "String"
  value = "x"
}
resource "aws_kinesis_stream" "clicks" {
  name        = "clicks"
  shard_count = 1
}
resource "aws_cloudwatch_event_bus" "bus" {
  name = "orders"
}
resource "aws_sfn_state_machine" "flow" {
  name       = "flow"
  role_arn   = "arn:aws:iam::123456789012:role/sfn"
  definition = "{}"
}
"#,
        ));
        let out = crate::load_module(&db, "", &[id]);
        let app = out.apps.first().expect("an app");
        let name = |ty: &str| {
            let r = app.resources.iter().find(|r| r.type_name == ty).expect(ty);
            assert_eq!(r.kind, ResourceKind::Other(ty.to_owned()));
            r.name.as_ref().and_then(|n| n.known()).map(str::to_owned)
        };
        assert_eq!(name("aws_ssm_parameter").as_deref(), Some("/app/config"));
        assert_eq!(name("aws_kinesis_stream").as_deref(), Some("clicks"));
        assert_eq!(name("aws_cloudwatch_event_bus").as_deref(), Some("orders"));
        assert_eq!(name("aws_sfn_state_machine").as_deref(), Some("flow"));
    }
}
