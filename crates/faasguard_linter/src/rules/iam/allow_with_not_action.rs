use faasguard_diagnostics::{RuleMeta, Sas, Severity};

use crate::checker::{Checker, FindingExt};
use crate::rules::iam::roles::{
    authored_statements, execution_roles, is_known_allow, policy_label,
};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "IAM003",
    name: "allow-with-not-action",
    summary: "An execution role allows everything except a list (`NotAction` or `NotResource` with Allow)",
    severity: Severity::High,
    sas: Sas::OverPrivileged,
    cwe: &[284],
    doc: r#"## What it does
Finds Allow statements with `NotAction` or `NotResource` in the policies of
a function's execution role. Deny statements with them are fine and are not
reported. AWS managed policies that use them (`PowerUserAccess`) are left to
`admin-managed-policy`.

## Why is this bad?
`Allow` with `NotAction: iam:*` reads like "no IAM", but it grants every
other action of every service, including the ones AWS adds next year.
`Allow` with `NotResource` grants the actions on every resource but the few
listed. Both are deny-lists written as allows: whatever the author did not
think of is granted.

## Example
```yaml
Resources:
  ReportsRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: reports
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                NotAction: iam:*
                Resource: "*"
  Reports:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: !GetAtt ReportsRole.Arn
      Code:
        S3Bucket: artifacts
        S3Key: reports.zip
```

## Use instead
```yaml
Resources:
  ReportsRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: reports
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action:
                  - s3:GetObject
                Resource: arn:aws:s3:::reports-bucket/*
  Reports:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: !GetAtt ReportsRole.Arn
      Code:
        S3Bucket: artifacts
        S3Key: reports.zip
```

## References
- AWS: IAM JSON policy elements, NotAction: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html>
- AWS: IAM JSON policy elements, NotResource: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html>
- CWE-284: Improper Access Control
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    for er in execution_roles(c.app, c.settings) {
        for (policy, index, s) in authored_statements(er.role) {
            if !is_known_allow(s) {
                continue;
            }
            for (element, list) in
                [("NotAction", &s.not_actions), ("NotResource", &s.not_resources)]
            {
                let Some(list) = list else { continue };
                let at = list.first().map_or(s.span, |v| v.span);
                let excluded: Vec<String> =
                    list.iter().map(|v| format!("`{}`", v.value.trim())).collect();
                let grant = match element {
                    "NotAction" => "every action but",
                    _ => "its actions on every resource but",
                };
                let finding = c
                    .finding(
                        &META,
                        at,
                        format!(
                            "{} uses Allow with {element} in {}: it grants {grant} {}",
                            er.describe(),
                            policy_label(policy),
                            if excluded.is_empty() { "nothing".to_owned() } else { excluded.join(", ") }
                        ),
                    )
                    .function(er.users[0])
                    .resource(er.role.logical_id.clone())
                    .key(format!("{}#{index}:{element}", policy.name))
                    .label(s.span, "the statement")
                    .help(format!(
                        "list what the function needs in `{}` instead; keep {element} for Deny statements",
                        if element == "NotAction" { "Action" } else { "Resource" }
                    ));
                c.push(finding);
            }
        }
    }
}
