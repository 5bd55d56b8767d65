use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_iam::risk::RiskClass;

use crate::checker::{Checker, FindingExt};
use crate::rules::iam::engine::{risk_finding, risks_of, shown_actions_ranked};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "IAM010",
    name: "resource-exposure",
    summary: "The execution role can change who may access every resource of a kind (bucket policies, grants, permissions)",
    severity: Severity::High,
    sas: Sas::OverPrivileged,
    cwe: &[732],
    doc: r#"## What it does
Computes what the function's execution role may really do (every policy,
wildcards and `NotAction` expanded through the AWS action catalog, Deny
subtracted, conditions kept) and reports the actions of the `Permissions
management` access level (the AWS Service Authorization Reference's) that
are allowed on every resource: `s3:PutBucketPolicy`, `s3:PutObjectAcl`,
`kms:CreateGrant`, `lambda:AddPermission`, `sns:AddPermission`,
`iam:PutRolePolicy`, `ecr:SetRepositoryPolicy` and about 500 more. They
come with `s3:*`, `sqs:*` or `kms:*` as much as with a listed action. One
finding per role; a grant that holds only under a condition is reported
one severity lower. Roles with every action of every service are left to
`admin-managed-policy` and `wildcard-action`.

## Why is this bad?
These actions change resource policies and grants: who, in which account,
may read or write a resource. Allowed on `*`, code running as the role can
make any bucket public, give another account the use of any key, or let
anyone invoke any function, so one compromised function exposes data it
never touched. Permissions changes also outlive the function and are easy
to miss in review.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Publisher:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
        - Statement:
            - Effect: Allow
              Action:
                - s3:PutObject
                - s3:PutObjectAcl
              Resource: "*"
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  SiteBucket:
    Type: AWS::S3::Bucket
  Publisher:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
        - Statement:
            - Effect: Allow
              Action:
                - s3:PutObject
                - s3:PutObjectAcl
              Resource: !Sub "${SiteBucket.Arn}/public/*"
```

## References
- Cloudsplaining: Resource exposure: <https://cloudsplaining.readthedocs.io/en/latest/glossary/resource-exposure/>
- AWS: Access levels in policy summaries (permissions management): <https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html>
- AWS: Grant least privilege: <https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege>
- CWE-732: Incorrect Permission Assignment for Critical Resource
"#,
};

/// Resource policies, ACLs, permissions and grants first: what a reader
/// knows as "changing who may access", before the catalog's rarer
/// permissions-management actions (access grants instances, retention
/// bypasses).
fn rank(action: &str) -> u8 {
    let name = action.split_once(':').map_or(action, |(_, n)| n);
    let telling = ["Policy", "Acl", "Permission", "PublicAccessBlock"];
    let changes = ["Put", "Set", "Add", "Attach", "Create"].iter().any(|v| name.starts_with(v));
    if name == "CreateGrant" || (changes && telling.iter().any(|t| name.contains(t))) {
        0
    } else if telling.iter().any(|t| name.contains(t)) || name.contains("Grant") {
        1
    } else {
        2
    }
}

pub(crate) fn check(c: &mut Checker<'_>) {
    for (er, risk) in risks_of(c, RiskClass::ResourceExposure) {
        let message = format!(
            "{} may change who can access any resource: it is allowed {} on every resource",
            er.describe(),
            shown_actions_ranked(&risk, rank)
        );
        let finding = risk_finding(c, &META, &er, &risk, message).help(
            "remove the permission-changing actions (policies, ACLs, grants) the function does \
             not call, and list actions instead of a service wildcard, which grants them all; \
             scope the rest to the resources the function manages",
        );
        c.push(finding);
    }
}
