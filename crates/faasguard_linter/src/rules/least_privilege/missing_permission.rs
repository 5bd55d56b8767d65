use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_privilege::NeedSource;

use crate::checker::{Checker, FindingExt};
use crate::rules::least_privilege::{
    compared_roles, evidence_spans, show_arns, show_evidence, show_shorts, shown,
};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LP001",
    name: "missing-permission",
    summary: "The function's code calls an AWS API its execution role does not allow: the call fails with AccessDenied",
    severity: Severity::Medium,
    sas: Sas::InsecureConfiguration,
    cwe: &[269, 280],
    doc: r#"## What it does
Reads the function's handler code (the entry file and the local modules it
imports, or the inline code of the template), finds its AWS SDK calls
(boto3, the JavaScript SDK v2 and v3), and turns each into the IAM actions
and resources it needs: a table or bucket named through an environment
variable is followed to the resource of the template. Adds what the
platform needs for the function's configuration (logs, tracing, VPC
network interfaces, event-source polling, dead-letter targets). Then checks
that the execution role allows each of them, on the resources needed.

An action is reported missing when no statement of the role allows it, or
when every statement allowing it names other resources. Only calls whose
action is certain are checked; a grant under a condition counts as a
grant; a role with a policy whose document is not known (an unresolved
ARN, a managed policy outside the vendored data) is not checked, and an
unresolved part of a resource never makes it missing.

## Why is this bad?
The function deploys fine and fails the first time the call runs, with
AccessDenied, often on a path tests do not reach (an error handler, a
rarely used branch). The usual fix under pressure is to widen the role
(`dynamodb:*` on `*`), which is how over-privileged functions are born.
Knowing the exact action and resource before deploying keeps the fix
narrow.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
      BillingMode: PAY_PER_REQUEST
  SaveOrder:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import os
        import boto3

        table = boto3.resource("dynamodb").Table(os.environ["TABLE"])

        def handler(event, context):
            table.put_item(Item=event)
      Environment:
        Variables:
          TABLE: !Ref Orders
      Policies:
        - DynamoDBReadPolicy:
            TableName: !Ref Orders
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
      BillingMode: PAY_PER_REQUEST
  SaveOrder:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import os
        import boto3

        table = boto3.resource("dynamodb").Table(os.environ["TABLE"])

        def handler(event, context):
            table.put_item(Item=event)
      Environment:
        Variables:
          TABLE: !Ref Orders
      Policies:
        - DynamoDBWritePolicy:
            TableName: !Ref Orders
```

## References
- AWS: Lambda execution role: <https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html>
- AWS: Troubleshoot access denied error messages: <https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html>
- AWS: Service Authorization Reference (actions, resources and condition keys): <https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html>
- CWE-269: Improper Privilege Management
- CWE-280: Improper Handling of Insufficient Permissions or Privileges
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    for (role_id, _) in compared_roles(c) {
        let Some(cmp) = c.comparison(role_id) else { continue };
        let role = c.app.role(role_id);
        let mut found = Vec::new();
        for m in &cmp.missing {
            let Some(func) = c.app.functions.get(m.function.index()) else { continue };
            let platform_only = m.evidence.iter().all(|e| e.source == NeedSource::Platform);
            let consequence = match m.action.split_once(':').map(|(p, _)| p) {
                Some("logs") if platform_only => "the function's logs are lost (AccessDenied)",
                Some("xray") if platform_only => "its traces are lost (AccessDenied)",
                _ if platform_only => {
                    "Lambda is refused it on the function's behalf (AccessDenied)"
                }
                _ => "the call fails with AccessDenied",
            };
            let grant = if m.granted_elsewhere() {
                let on: Vec<String> =
                    m.granted_on.iter().map(|v| format!("`{}`", v.value.trim())).collect();
                format!("allows it only on {}", shown(on))
            } else {
                "does not allow it".to_string()
            };
            let message = format!(
                "function `{}` needs `{}` on {} ({}), and its role `{}` {grant}: {consequence}",
                func.logical_id,
                m.action,
                show_shorts(&m.resources),
                show_evidence(c.db, &m.evidence),
                role.logical_id,
            );
            let primary = m.granted_on.first().map_or(role.span, |v| v.span);
            let mut f = c
                .finding(&META, primary, message)
                .function(func)
                .resource(role.logical_id.clone())
                .key(m.action.clone())
                .help(format!(
                    "allow `{}` on {} in the role's policy (for SAM, a policy template scoped \
                     to the resource), or run `faasguard iam --emit-policy DIR` for the \
                     function's least-privilege policy",
                    m.action,
                    show_arns(&m.resources)
                ));
            for (span, what) in evidence_spans(&m.evidence) {
                f = f.label(span, format!("needs `{}`: {what}", m.action));
            }
            if primary != role.span {
                f = f.label(role.span, "the role");
            }
            found.push(f);
        }
        for f in found {
            c.push(f);
        }
    }
}
