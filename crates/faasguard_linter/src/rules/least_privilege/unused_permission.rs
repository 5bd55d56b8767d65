use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_iam::risk::Level;
use faasguard_model::PolicySource;

use crate::checker::{Checker, FindingExt};
use crate::rules::iam::roles::policy_label;
use crate::rules::least_privilege::{MAX_LABELS, compared_roles, shown};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "LP002",
    name: "unused-permission",
    summary: "The execution role allows actions no function using it needs",
    severity: Severity::Medium,
    sas: Sas::OverPrivileged,
    cwe: &[250],
    doc: r#"## What it does
Infers what every function using the role needs (the AWS SDK calls of
its handler code and what the platform needs for its configuration, such
as logs) and reports, per policy statement, the actions the role allows
that none of them needs, compactly (`s3:*` (all its actions), or
`s3:*` except the two that are used).

The severity follows the riskiest unused action: high for the actions of
a privilege-escalation method the role grants in full, actions that return
credentials, permissions management (policies, ACLs), and data
exfiltration actions granted on every resource (`s3:GetObject`,
`secretsmanager:GetSecretValue` on `*`); medium for other writes and
tagging; low for reads and lists.

Nothing is reported unless the code of every function using the role was
analysed completely (handler found and parsed, no dynamic import, no call
whose action is unknown) and only Lambda may assume the role: a use the
analysis cannot see must never be called unused.

## Why is this bad?
Every permission the code does not use is one an attacker gets for free:
an injection, a malicious dependency or leaked credentials run with the
whole role, not with what the code calls. Permissions granted "just in
case" are also how a role ends up able to delete tables or change
policies nobody meant it to touch.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Uploads:
    Type: AWS::S3::Bucket
  ReadUpload:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import os
        import boto3

        s3 = boto3.client("s3")

        def handler(event, context):
            return s3.get_object(Bucket=os.environ["BUCKET"], Key=event["key"])
      Environment:
        Variables:
          BUCKET: !Ref Uploads
      Policies:
        - Statement:
            - Effect: Allow
              Action: s3:*
              Resource: !Sub "${Uploads.Arn}/*"
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Uploads:
    Type: AWS::S3::Bucket
  ReadUpload:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import os
        import boto3

        s3 = boto3.client("s3")

        def handler(event, context):
            return s3.get_object(Bucket=os.environ["BUCKET"], Key=event["key"])
      Environment:
        Variables:
          BUCKET: !Ref Uploads
      Policies:
        - Statement:
            - Effect: Allow
              Action: s3:GetObject
              Resource: !Sub "${Uploads.Arn}/*"
```

## References
- AWS: Apply least-privilege permissions: <https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege>
- AWS: Refine permissions using last accessed information: <https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html>
- AWS: Lambda execution role: <https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html>
- CWE-250: Execution with Unnecessary Privileges
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    let ex = &c.settings.iam_exclusions;
    for (role_id, users) in compared_roles(c) {
        let role = c.app.role(role_id);
        // A role the exclusions file names has been reviewed as it is.
        if ex.excludes_role(&role.logical_id) {
            continue;
        }
        let Some(cmp) = c.comparison(role_id) else { continue };
        let names: Vec<String> = users.iter().map(|f| format!("`{}`", f.logical_id)).collect();
        let whose = match names.as_slice() {
            [one] => format!("role `{}` of {one}", role.logical_id),
            _ => format!("role `{}` shared by {}", role.logical_id, shown(names)),
        };
        let mut found = Vec::new();
        let mut keys = std::collections::HashSet::new();
        for u in &cmp.unused {
            let mut u = u.clone();
            if !u.retain_actions(|a| !ex.excludes_action(a)) {
                continue;
            }
            let Some(worst) = u.worst() else { continue };
            let policy = role.policies.iter().find(|p| p.name == u.policy);
            let label = policy.map_or_else(|| "its policy".to_string(), policy_label);
            let count = u.actions.len();
            let conditional = if u.conditional { " (under conditions)" } else { "" };
            let message = format!(
                "{whose} allows {} in {label}{conditional}, and no function using it needs {} \
                 (riskiest: {})",
                u.summary(),
                if count == 1 { "it" } else { "them" },
                worst.as_str(),
            );
            let severity = match worst.level() {
                Level::Low => Severity::Low,
                Level::Medium => Severity::Medium,
                Level::High | Level::Critical => Severity::High,
            };
            let help = match policy.map(|p| &p.source) {
                Some(PolicySource::AwsManaged) => {
                    "replace the AWS managed policy with one that allows only what the code \
                     uses: `faasguard iam --emit-policy DIR` writes it"
                }
                Some(PolicySource::SamTemplate) => {
                    "use a narrower SAM policy template, or a statement with only the actions \
                     the code uses (`faasguard iam --emit-policy DIR` writes it)"
                }
                _ => {
                    "remove the unused actions from the statement, or replace it with the \
                     policy `faasguard iam --emit-policy DIR` writes"
                }
            };
            let patterns: Vec<&str> = u.entries.iter().map(|e| e.pattern.as_str()).collect();
            let key = format!("{}:{}", u.policy, patterns.join(","));
            // The same policy attached twice (by SAM for `VpcConfig` and by
            // the author) is one thing to fix.
            if !keys.insert(key.clone()) {
                continue;
            }
            let mut f = c
                .finding(&META, u.statement, message)
                .function(users[0])
                .resource(role.logical_id.clone())
                .severity(severity)
                .key(key)
                .help(help);
            for e in u.entries.iter().filter(|e| e.span != u.statement).take(MAX_LABELS) {
                f = f.label(e.span, format!("{} unused", e.unused.len()));
            }
            found.push(f);
        }
        for f in found {
            c.push(f);
        }
    }
}
