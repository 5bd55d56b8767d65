use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_iam::risk::RiskClass;

use crate::checker::{Checker, FindingExt};
use crate::rules::iam::engine::{risk_finding, risks_of, shown_actions};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "IAM008",
    name: "data-exfiltration",
    summary: "The execution role can read objects, secrets or parameters of every resource, not just its own",
    severity: Severity::Medium,
    sas: Sas::OverPrivileged,
    cwe: &[200],
    doc: r#"## What it does
Computes what the function's execution role may really do (every policy,
wildcards and `NotAction` expanded through the AWS action catalog, Deny
subtracted, conditions kept) and reports the actions that read data out of
the account when they are allowed on every resource: Cloudsplaining's list
(`s3:GetObject`, `ssm:GetParameter*`, `secretsmanager:GetSecretValue`) plus
`s3:GetObjectVersion`, RDS snapshot copies, `dynamodb:Scan`,
`dynamodb:ExportTableToPointInTime` and `kms:Decrypt`. The same actions on
named resources (one bucket, one table, one secret) are not reported. One
finding per role; a grant that holds only under a condition is reported
one severity lower. Roles with every action of every service are left to
`admin-managed-policy` and `wildcard-action`.

## Why is this bad?
A function reads its own bucket and its own secret. Allowed on `*`, the
same action reads every bucket, secret and parameter in the account:
customer files of other applications, database passwords, API keys.
Whoever gets code to run in the function (an injection, a malicious
dependency) can copy all of it out, and nothing in the policy tells a
reviewer which data the function was meant to touch.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Reports:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
        - Statement:
            - Effect: Allow
              Action:
                - s3:GetObject
                - secretsmanager:GetSecretValue
              Resource: "*"
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  ReportsBucket:
    Type: AWS::S3::Bucket
  ReportsSecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      GenerateSecretString: {}
  Reports:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
        - Statement:
            - Effect: Allow
              Action: s3:GetObject
              Resource: !Sub "${ReportsBucket.Arn}/*"
            - Effect: Allow
              Action: secretsmanager:GetSecretValue
              Resource: !Ref ReportsSecret
```

## References
- Cloudsplaining: Data exfiltration: <https://cloudsplaining.readthedocs.io/en/latest/glossary/data-exfiltration/>
- AWS: Grant least privilege: <https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege>
- AWS Lambda: Execution role: <https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html>
- CWE-200: Exposure of Sensitive Information to an Unauthorized Actor
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    for (er, risk) in risks_of(c, RiskClass::DataExfiltration) {
        let message = format!(
            "{} may read data from every resource, not only the function's own: it is allowed {} on every resource",
            er.describe(),
            shown_actions(&risk)
        );
        let finding = risk_finding(c, &META, &er, &risk, message).help(
            "name the buckets, tables, secrets, parameters and keys the function reads in \
             `Resource` (e.g. `!Sub \"${Bucket.Arn}/*\"`), or use a SAM policy template such as \
             `S3ReadPolicy` with the resource",
        );
        c.push(finding);
    }
}
