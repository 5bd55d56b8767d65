use faasguard_diagnostics::{RuleMeta, Sas, Severity};

use crate::checker::{Checker, FindingExt};
use crate::rules::iam::roles::execution_roles;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "IAM006",
    name: "shared-execution-role",
    summary: "Several functions run with the same execution role",
    severity: Severity::Low,
    sas: Sas::OverPrivileged,
    cwe: &[250],
    doc: r#"## What it does
Finds execution roles used by more than one function of the app: one
`AWS::IAM::Role` named in several functions' `Role`, a Serverless Framework
service whose functions all get the provider-level role, a Terraform role
referenced by several `aws_lambda_function` resources. One finding per
role, with a label at each function.

## Why is this bad?
A shared role holds the union of what every function needs, so each
function can do what all of them can: the public endpoint that only reads
a table may also delete it because the cleanup job must. When one function
is compromised, the attacker gets the permissions of all of them. Roles
per function also make each role's policy short enough to review.

## Example
```yaml
Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
  Api:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: api.handler
      Role: !GetAtt AppRole.Arn
      Code:
        S3Bucket: artifacts
        S3Key: app.zip
  Cleanup:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: cleanup.handler
      Role: !GetAtt AppRole.Arn
      Code:
        S3Bucket: artifacts
        S3Key: app.zip
```

## Use instead
```yaml
Resources:
  ApiRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
  CleanupRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
  Api:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: api.handler
      Role: !GetAtt ApiRole.Arn
      Code:
        S3Bucket: artifacts
        S3Key: app.zip
  Cleanup:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: cleanup.handler
      Role: !GetAtt CleanupRole.Arn
      Code:
        S3Bucket: artifacts
        S3Key: app.zip
```

## References
- AWS Lambda: Execution role (one role per function): <https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html>
- AWS Well-Architected Serverless Lens, identity and access management: <https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/identity-and-access-management.html>
- CWE-250: Execution with Unnecessary Privileges
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    for er in execution_roles(c.app, c.settings) {
        if er.users.len() < 2 {
            continue;
        }
        let names: Vec<String> = er.users.iter().map(|f| format!("`{}`", f.logical_id)).collect();
        let mut finding = c
            .finding(
                &META,
                er.role.span,
                format!(
                    "role `{}` is the execution role of {} functions ({}): each may do what all of them need",
                    er.role.logical_id,
                    er.users.len(),
                    names.join(", ")
                ),
            )
            .resource(er.role.logical_id.clone())
            .help("give each function its own role with only the permissions it uses");
        for f in &er.users {
            let at = f.role_ref.as_ref().map_or(f.span, |r| r.span);
            finding = finding.label(at, format!("`{}` runs with it", f.logical_id));
        }
        c.push(finding);
    }
}
