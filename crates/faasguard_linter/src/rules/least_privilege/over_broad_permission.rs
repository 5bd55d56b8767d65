use faasguard_diagnostics::{RuleMeta, Sas, Severity};

use crate::checker::{Checker, FindingExt};
use crate::rules::iam::roles::policy_label;
use crate::rules::least_privilege::{
    compared_roles, evidence_spans, show_arns, show_evidence, show_shorts, shown,
};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LP003",
    name: "over-broad-permission",
    summary: "The execution role allows an action the code uses on far more resources than it uses it on",
    severity: Severity::Medium,
    sas: Sas::OverPrivileged,
    cwe: &[250, 732],
    doc: r#"## What it does
Infers the resources each AWS SDK call of the function's code needs (a
table or bucket named through an environment variable is followed to the
resource of the template) and reports statements of the execution role
that allow those actions on `*`, or on a pattern that covers every
resource of the kind (every table, every object of every bucket), when
every resource the code needs is known.

Calls whose resource is computed at run time (a bucket name from the
event) are not reported: there `*`, or a wide pattern, may be the honest
answer. An object key computed at run time in a known bucket is reported:
the bucket is the narrowing that matters. Statements with a `Condition`
are skipped, since the condition may narrow them.

## Why is this bad?
The code reads one table; the role lets it read every table of the
account. A bug or an attacker in the function reaches all of them: other
applications' data, other environments' tables. Since the resources the
code uses are known, naming them costs nothing.

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
  GetOrder:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import os
        import boto3

        table = boto3.resource("dynamodb").Table(os.environ["TABLE"])

        def handler(event, context):
            return table.get_item(Key={"id": event["id"]})
      Environment:
        Variables:
          TABLE: !Ref Orders
      Policies:
        - Statement:
            - Effect: Allow
              Action: dynamodb:GetItem
              Resource: "*"
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
  GetOrder:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import os
        import boto3

        table = boto3.resource("dynamodb").Table(os.environ["TABLE"])

        def handler(event, context):
            return table.get_item(Key={"id": event["id"]})
      Environment:
        Variables:
          TABLE: !Ref Orders
      Policies:
        - Statement:
            - Effect: Allow
              Action: dynamodb:GetItem
              Resource: !GetAtt Orders.Arn
```

## References
- AWS: Apply least-privilege permissions: <https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege>
- AWS: IAM JSON policy elements, Resource: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html>
- AWS: Service Authorization Reference (resource types per action): <https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html>
- CWE-250: Execution with Unnecessary Privileges
- CWE-732: Incorrect Permission Assignment for Critical Resource
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    for (role_id, users) in compared_roles(c) {
        let role = c.app.role(role_id);
        let Some(cmp) = c.comparison(role_id) else { continue };
        let mut found = Vec::new();
        let mut keys = std::collections::HashSet::new();
        for o in &cmp.over_broad {
            let key = format!("{}:{}", o.policy, o.actions.join(","));
            // The same policy attached twice is one thing to fix.
            if !keys.insert(key.clone()) {
                continue;
            }
            let functions: Vec<String> = o
                .functions
                .iter()
                .filter_map(|id| c.app.functions.get(id.index()))
                .map(|f| format!("`{}`", f.logical_id))
                .collect();
            let policy = role.policies.iter().find(|p| p.name == o.policy);
            let label = policy.map_or_else(|| "its policy".to_string(), policy_label);
            let actions: Vec<String> = o.actions.iter().map(|a| format!("`{a}`")).collect();
            let granted: Vec<String> =
                o.granted.iter().map(|v| format!("`{}`", v.value.trim())).collect();
            let message = format!(
                "role `{}` allows {} on {} in {label}, but {} {} {} only on {} ({})",
                role.logical_id,
                shown(actions),
                shown(granted),
                shown(functions),
                if o.functions.len() == 1 { "needs" } else { "need" },
                if o.actions.len() == 1 { "it" } else { "them" },
                show_shorts(&o.needed),
                show_evidence(c.db, &o.evidence),
            );
            let first = o.functions.first().and_then(|id| c.app.functions.get(id.index()));
            let Some(func) = first.or_else(|| users.first().copied()) else { continue };
            let primary = o.granted.first().map_or(o.statement, |v| v.span);
            let mut f = c
                .finding(&META, primary, message)
                .function(func)
                .resource(role.logical_id.clone())
                .key(key)
                .help(format!(
                    "name the resources instead: {} (`faasguard iam --emit-policy DIR` writes \
                     the whole policy)",
                    show_arns(&o.needed)
                ));
            for (span, what) in evidence_spans(&o.evidence) {
                f = f.label(span, format!("uses it: {what}"));
            }
            found.push(f);
        }
        for f in found {
            c.push(f);
        }
    }
}
