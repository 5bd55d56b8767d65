use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_model::PolicySource;

use crate::checker::{Checker, FindingExt};
use crate::rules::iam::actions::grants_of;
use crate::rules::iam::roles::{
    authored_statements, execution_roles, is_known_allow, policy_label, star_resource,
};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "IAM002",
    name: "wildcard-resource-on-write",
    summary: "An execution role may write or change permissions on every resource (`Resource: \"*\"`)",
    severity: Severity::Medium,
    sas: Sas::OverPrivileged,
    cwe: &[732],
    doc: r#"## What it does
Finds Allow statements in the policies of a function's execution role that
grant write or permission-changing actions (`s3:PutObject`,
`dynamodb:PutItem`, `sns:Publish`, `iam:*`, ...) on `Resource: "*"`. Read
and list actions on `*` are not reported, and neither are the writes that
cannot be scoped or that Lambda itself needs on `*`: the basic logging
actions, X-Ray segments, `cloudwatch:PutMetricData`, and the network
interfaces of VPC access. Statements with a `Condition` are skipped, since
the condition may narrow them. AWS managed policies and SAM policy
templates are left out: the author cannot change them, and SAM templates
already scope every action that takes a resource.

## Why is this bad?
The function needs to write to its own table or bucket, not to every table
and bucket in the account. With `*`, a bug or an attacker in the function
can overwrite or delete other applications' data, publish to any topic, or
start any state machine; permission-changing actions on `*` let it grant
itself more.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Uploads:
    Type: AWS::S3::Bucket
  Ingest:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Environment:
        Variables:
          BUCKET: !Ref Uploads
      Policies:
        - Statement:
            - Effect: Allow
              Action:
                - s3:GetObject
                - s3:PutObject
              Resource: "*"
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Uploads:
    Type: AWS::S3::Bucket
  Ingest:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Environment:
        Variables:
          BUCKET: !Ref Uploads
      Policies:
        - Statement:
            - Effect: Allow
              Action:
                - s3:GetObject
                - s3:PutObject
              Resource: !Sub "${Uploads.Arn}/*"
            - Effect: Allow
              Action: s3:ListAllMyBuckets
              Resource: "*"
```

## References
- AWS: Grant least privilege: <https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege>
- AWS: IAM JSON policy elements, Resource: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html>
- CWE-732: Incorrect Permission Assignment for Critical Resource
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    for er in execution_roles(c.app, c.settings) {
        for (policy, index, s) in authored_statements(er.role) {
            if policy.source == PolicySource::SamTemplate
                || !is_known_allow(s)
                || !s.conditions.is_empty()
            {
                continue;
            }
            let Some(star) = star_resource(s) else { continue };
            let writes: Vec<_> = s
                .actions
                .iter()
                // `iam:PassRole` alone is `passrole-on-wildcard`'s.
                .filter(|a| a.is_known() && !a.value.trim().eq_ignore_ascii_case("iam:PassRole"))
                .filter(|a| {
                    let g = grants_of(&a.value);
                    g.write || g.permissions
                })
                .collect();
            let Some(first) = writes.first() else { continue };
            let shown: Vec<String> =
                writes.iter().take(4).map(|a| format!("`{}`", a.value.trim())).collect();
            let more = match writes.len() {
                n if n > 4 => format!(" and {} more", n - 4),
                _ => String::new(),
            };
            let mut finding = c
                .finding(
                    &META,
                    star.span,
                    format!(
                        "{} allows {}{more} on every resource (`*`) in {}",
                        er.describe(),
                        shown.join(", "),
                        policy_label(policy)
                    ),
                )
                .function(er.users[0])
                .resource(er.role.logical_id.clone())
                .key(format!("{}#{index}", policy.name))
                .label(first.span, "a write action")
                .help(
                    "name the ARNs the function writes to (its table, bucket, topic), e.g. \
                     `!GetAtt Table.Arn`, or use a SAM policy template with the resource",
                );
            for a in writes.iter().skip(1).take(3) {
                finding = finding.label(a.span, "a write action");
            }
            c.push(finding);
        }
    }
}
