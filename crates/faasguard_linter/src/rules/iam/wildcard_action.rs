use faasguard_diagnostics::{RuleMeta, Sas, Severity};

use crate::checker::{Checker, FindingExt};
use crate::rules::iam::actions::whole_service;
use crate::rules::iam::roles::{
    authored_statements, execution_roles, is_known_allow, policy_label,
};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "IAM001",
    name: "wildcard-action",
    summary: "An execution role allows every action (`*`) or every action of a service (`s3:*`)",
    severity: Severity::High,
    sas: Sas::OverPrivileged,
    cwe: &[250, 269],
    doc: r#"## What it does
Finds Allow statements in the policies of a function's execution role whose
`Action` is `*` or a whole service such as `s3:*` or `dynamodb:*`: inline
policies, customer managed policies, SAM `Policies` (statements and policy
templates), Serverless Framework `iam.role.statements` and
`iamRoleStatements`, Terraform role policies. Narrower patterns such as
`s3:Get*` are not reported here. AWS managed policies are left to
`admin-managed-policy`.

## Why is this bad?
A function needs a handful of actions. `s3:*` also grants deleting buckets,
rewriting bucket policies and turning off encryption; `*` grants the whole
account. Whoever gets code to run in the function (an injection, a
poisoned dependency) gets all of it, and every action AWS adds to the
service later is granted too, unreviewed.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
        - Statement:
            - Effect: Allow
              Action: dynamodb:*
              Resource: !GetAtt OrdersTable.Arn
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersTable:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
        - Statement:
            - Effect: Allow
              Action:
                - dynamodb:GetItem
                - dynamodb:PutItem
              Resource: !GetAtt OrdersTable.Arn
```

## References
- AWS: Security best practices in IAM, apply least-privilege permissions: <https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html>
- AWS Lambda: Execution role: <https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html>
- CWE-250: Execution with Unnecessary Privileges
- CWE-269: Improper Privilege Management
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    for er in execution_roles(c.app, c.settings) {
        for (policy, index, s) in authored_statements(er.role) {
            if !is_known_allow(s) {
                continue;
            }
            let wild: Vec<_> = s
                .actions
                .iter()
                .filter(|a| a.is_known() && whole_service(&a.value).is_some())
                .collect();
            let Some(first) = wild.first() else { continue };
            let names: Vec<String> = wild.iter().map(|a| format!("`{}`", a.value.trim())).collect();
            let what = if wild.iter().any(|a| matches!(a.value.trim(), "*" | "*:*")) {
                "every action of every service"
            } else {
                "every action of the service"
            };
            let mut finding = c
                .finding(
                    &META,
                    first.span,
                    format!(
                        "{} allows {} ({what}) in {}",
                        er.describe(),
                        names.join(", "),
                        policy_label(policy)
                    ),
                )
                .function(er.users[0])
                .resource(er.role.logical_id.clone())
                .key(format!("{}#{index}", policy.name))
                .label(s.span, "the statement")
                .help("list the actions the function calls, e.g. `dynamodb:GetItem` instead of `dynamodb:*`");
            for a in &wild[1..] {
                finding = finding.label(a.span, "another wildcard action");
            }
            c.push(finding);
        }
    }
}
