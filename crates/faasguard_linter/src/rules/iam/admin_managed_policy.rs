use faasguard_diagnostics::{RuleMeta, Sas, Severity};

use crate::checker::{Checker, FindingExt};
use crate::rules::iam::roles::{aws_managed_name, execution_roles};

/// The AWS managed policies that make a role an administrator, with the
/// severity each gets and what it grants.
const ADMIN_POLICIES: &[(&str, Severity, &str)] = &[
    ("AdministratorAccess", Severity::Critical, "every action on every resource"),
    ("PowerUserAccess", Severity::High, "every action outside IAM and Organizations"),
    ("IAMFullAccess", Severity::High, "every IAM action, so it can make itself administrator"),
];

pub(crate) static META: RuleMeta = RuleMeta {
    code: "IAM005",
    name: "admin-managed-policy",
    summary: "An execution role has AdministratorAccess, PowerUserAccess or IAMFullAccess",
    severity: Severity::Critical,
    sas: Sas::OverPrivileged,
    cwe: &[250],
    doc: r#"## What it does
Finds the AWS managed policies `AdministratorAccess` (critical),
`PowerUserAccess` and `IAMFullAccess` (high) attached to a function's
execution role: in `ManagedPolicyArns`, SAM `Policies` (by name or ARN),
`AWS::IAM::ManagedPolicy`-style attachments, Serverless Framework
`iam.role.managedPolicies`, and Terraform `managed_policy_arns` and policy
attachments.

## Why is this bad?
These policies are meant for people administering an account, not for code
answering requests. A function with `AdministratorAccess` turns any flaw in
it (an injection, a vulnerable dependency, a leaked event) into control of
the whole account. `PowerUserAccess` grants everything but IAM, which
includes every data store and every secret; `IAMFullAccess` lets the
function grant itself the rest.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Admin:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
        - AdministratorAccess
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Users:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - AttributeName: id
          AttributeType: S
      KeySchema:
        - AttributeName: id
          KeyType: HASH
  Admin:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
        - AWSLambdaBasicExecutionRole
        - DynamoDBCrudPolicy:
            TableName: !Ref Users
```

## References
- AWS: AWS managed policies for job functions: <https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html>
- AWS Lambda: Execution role: <https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html>
- CWE-250: Execution with Unnecessary Privileges
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    for er in execution_roles(c.app, c.settings) {
        for p in &er.role.policies {
            let Some(name) = aws_managed_name(p) else { continue };
            let Some((name, severity, grants)) =
                ADMIN_POLICIES.iter().find(|(n, _, _)| n.eq_ignore_ascii_case(name))
            else {
                continue;
            };
            let finding = c
                .finding(
                    &META,
                    p.span,
                    format!(
                        "{} has the AWS managed policy {name}: it may do {grants}",
                        er.describe()
                    ),
                )
                .severity(*severity)
                .function(er.users[0])
                .resource(er.role.logical_id.clone())
                .key((*name).to_owned())
                .label(er.role.span, "the role")
                .help(
                    "replace it with statements (or SAM policy templates) naming the actions and \
                     resources the function uses",
                );
            c.push(finding);
        }
    }
}
