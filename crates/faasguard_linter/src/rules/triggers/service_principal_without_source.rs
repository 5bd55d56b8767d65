use faasguard_diagnostics::{RuleMeta, Sas, Severity};

use crate::checker::{Checker, FindingExt};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "TRG004",
    name: "service-principal-without-source",
    summary: "A service may invoke the function on behalf of any account (no SourceArn/SourceAccount)",
    severity: Severity::Medium,
    sas: Sas::FlowManipulation,
    cwe: &[441],
    doc: r#"## What it does
Finds invoke permissions granted to an AWS service principal
(`sns.amazonaws.com`, `events.amazonaws.com`, ...) without a `SourceArn` or
`SourceAccount` condition. For `s3.amazonaws.com` a `SourceAccount` is
required even when a `SourceArn` is given, because bucket ARNs carry no
account id.

## Why is this bad?
The service acts for whoever configures it. Without a source condition, a
bucket, topic or rule in *another* account can be pointed at the function,
and the service will invoke it with attacker-chosen events: the confused
deputy problem.

## Example
```yaml
Resources:
  S3Invoke:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: arn:aws:lambda:us-east-1:123456789012:function:thumbs
      Action: lambda:InvokeFunction
      Principal: s3.amazonaws.com
      SourceArn: arn:aws:s3:::uploads-bucket
```

## Use instead
```yaml
Resources:
  S3Invoke:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: arn:aws:lambda:us-east-1:123456789012:function:thumbs
      Action: lambda:InvokeFunction
      Principal: s3.amazonaws.com
      SourceArn: arn:aws:s3:::uploads-bucket
      SourceAccount: "123456789012"
```

## References
- AWS: The confused deputy problem: <https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html>
- AWS::Lambda::Permission: <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-permission.html>
- CWE-441: Unintended Proxy or Intermediary ('Confused Deputy')
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    for p in &c.app.permissions {
        if !p.is_service_principal() || p.principal_org_id.is_some() {
            continue;
        }
        let s3 = p.principal.value.eq_ignore_ascii_case("s3.amazonaws.com");
        let missing = if s3 {
            p.source_account.is_none()
        } else {
            p.source_arn.is_none() && p.source_account.is_none()
        };
        if !missing {
            continue;
        }
        let what = if s3 { "SourceAccount" } else { "SourceArn or SourceAccount" };
        let mut finding = c
            .finding(
                &META,
                p.principal.span,
                format!(
                    "permission `{}` lets {} invoke the function without {what}: \
                     resources in other accounts can trigger it",
                    p.logical_id, p.principal.value
                ),
            )
            .resource(p.logical_id.clone())
            .label(p.span, "the permission")
            .help(format!("add {what} so only your own resources can invoke the function"));
        if let Some(id) = p.function {
            finding = finding.function(c.app.function(id));
        }
        c.push(finding);
    }
}
