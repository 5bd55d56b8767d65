use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_model::{Provider, Trigger, TriggerKind};

use crate::checker::{Checker, FindingExt};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "RES001",
    name: "async-without-failure-destination",
    summary: "Asynchronously invoked function with no dead-letter queue or on-failure destination",
    severity: Severity::Low,
    sas: Sas::DenialOfService,
    cwe: &[755],
    doc: r#"## What it does
Finds AWS Lambda functions invoked asynchronously (by S3 notifications, SNS
subscriptions, EventBridge rules or schedules) that have neither a
dead-letter queue (SAM `DeadLetterQueue`, `DeadLetterConfig`, Serverless
Framework `onError`, Terraform `dead_letter_config`) nor an on-failure
destination (SAM `EventInvokeConfig`, `AWS::Lambda::EventInvokeConfig`,
Serverless Framework `destinations.onFailure`, Terraform
`aws_lambda_function_event_invoke_config`). Queue and stream pollers (SQS,
Kinesis, DynamoDB) are not asynchronous invocations and are left out.

## Why is this bad?
Lambda retries a failed asynchronous event twice, then drops it. With no
destination for failures, an event that crashes the handler, times out or
is throttled disappears without a trace: an upload is never processed, an
order is never confirmed. An attacker who can make the handler fail (a
malformed object, a flood that exhausts concurrency) can erase events
silently, and nobody can replay or investigate them afterwards.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::SNS::Topic
  Fulfil:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Order:
          Type: SNS
          Properties:
            Topic: !Ref Orders
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::SNS::Topic
  FailedOrders:
    Type: AWS::SQS::Queue
  Fulfil:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      DeadLetterQueue:
        Type: SQS
        TargetArn: !GetAtt FailedOrders.Arn
      Events:
        Order:
          Type: SNS
          Properties:
            Topic: !Ref Orders
```

## References
- AWS: How Lambda handles errors and retries with asynchronous invocation: <https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html>
- AWS: Capturing records of asynchronous invocations (destinations and dead-letter queues): <https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html>
- CWE-755: Improper Handling of Exceptional Conditions
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    for (id, f) in c.app.functions() {
        // Any destination counts, even an unresolved one: it is there.
        if f.provider != Provider::Aws || f.dead_letter.is_some() || f.on_failure.is_some() {
            continue;
        }
        let sources: Vec<&Trigger> = c.app.triggers_of(id).filter(|t| t.is_async()).collect();
        if sources.is_empty() {
            continue;
        }
        let mut names: Vec<String> =
            sources.iter().take(3).map(|t| format!("`{}`", t.logical_id)).collect();
        if sources.len() > 3 {
            names.push(format!("{} more", sources.len() - 3));
        }
        let mut finding = c
            .finding(
                &META,
                f.span,
                format!(
                    "function `{}` is invoked asynchronously ({}) but has no dead-letter queue \
                     or on-failure destination: events that fail after the retries are lost",
                    f.logical_id,
                    names.join(", ")
                ),
            )
            .function(f)
            .help(
                "add a dead-letter queue or an on-failure destination (SQS, SNS, EventBridge) \
                 so failed events can be inspected and replayed",
            );
        for t in sources {
            finding = finding.label(t.span, format!("asynchronous {} trigger", source_name(t)));
        }
        c.push(finding);
    }
}

fn source_name(t: &Trigger) -> &'static str {
    match t.kind {
        TriggerKind::S3 { .. } => "S3",
        TriggerKind::Sns { .. } => "SNS",
        TriggerKind::EventBridge { .. } => "EventBridge",
        TriggerKind::Schedule { .. } => "schedule",
        _ => "event",
    }
}
