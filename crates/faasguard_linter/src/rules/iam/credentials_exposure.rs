use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_iam::risk::RiskClass;

use crate::checker::{Checker, FindingExt};
use crate::rules::iam::engine::{risk_finding, risks_of, shown_actions};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "IAM009",
    name: "credentials-exposure",
    summary: "The execution role can obtain credentials (access keys, tokens, passwords) for any resource",
    severity: Severity::High,
    sas: Sas::OverPrivileged,
    cwe: &[522],
    doc: r#"## What it does
Computes what the function's execution role may really do (every policy,
wildcards and `NotAction` expanded through the AWS action catalog, Deny
subtracted, conditions kept) and reports the actions that return
credentials when they are allowed on every resource: assuming any role
(`sts:AssumeRole`), federation and session tokens, IAM access keys and
console passwords (`iam:CreateAccessKey`, `iam:CreateLoginProfile`),
database credentials (`redshift:GetClusterCredentials`, `rds-db:connect`),
registry tokens (`ecr:GetAuthorizationToken`,
`codeartifact:GetAuthorizationToken`), Windows passwords
(`ec2:GetPasswordData`) and the rest of Cloudsplaining's list. One finding
per role; a grant that holds only under a condition is reported one
severity lower. Roles with every action of every service are left to
`admin-managed-policy` and `wildcard-action`.

## Why is this bad?
Credentials outlive the function. Code that runs as the role (an
injection, a malicious dependency) can mint an access key for any user,
assume any role that trusts the account, or read the master password of a
database, and use them from anywhere long after the function has been
fixed. Scoped to one role or one cluster, the same action gives only what
the function was meant to have.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Onboarding:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
        - Statement:
            - Effect: Allow
              Action:
                - iam:CreateUser
                - iam:CreateAccessKey
              Resource: "*"
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Onboarding:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
        - Statement:
            - Effect: Allow
              Action: sts:AssumeRole
              Resource: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:role/onboarding-directory-reader
```

## References
- Cloudsplaining: Credentials exposure: <https://cloudsplaining.readthedocs.io/en/latest/glossary/credentials-exposure/>
- AWS: Security best practices in IAM, use temporary credentials: <https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html>
- AWS STS: `AssumeRole`: <https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html>
- CWE-522: Insufficiently Protected Credentials
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    for (er, risk) in risks_of(c, RiskClass::CredentialsExposure) {
        let message = format!(
            "{} may obtain credentials for any identity or resource: it is allowed {} on every resource",
            er.describe(),
            shown_actions(&risk)
        );
        let finding = risk_finding(c, &META, &er, &risk, message).help(
            "remove the actions the function does not call, and scope the rest to the roles, \
             users or clusters it needs (e.g. `sts:AssumeRole` on one role ARN)",
        );
        c.push(finding);
    }
}
