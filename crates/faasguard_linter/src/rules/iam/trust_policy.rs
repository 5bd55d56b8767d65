use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_iam::risk::{Confidence, RiskClass};

use crate::checker::{Checker, FindingExt};
use crate::rules::iam::engine::{risk_finding, risks_of};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "IAM011",
    name: "trust-policy-too-open",
    summary: "The execution role's trust policy lets principals other than Lambda assume it",
    severity: Severity::High,
    sas: Sas::OverPrivileged,
    cwe: &[284],
    doc: r#"## What it does
Reads the trust policy (`AssumeRolePolicyDocument`, Terraform
`assume_role_policy`) of each function's execution role and reports the
Allow statements that let more than Lambda assume it:
- any principal (`Principal: "*"`, `AWS: "*"`, or `NotPrincipal` in an
  Allow): critical;
- an OIDC or Cognito identity provider (`Federated`) with no `Condition`
  on the audience or subject: high;
- an account by id or ARN that is not listed under `known-accounts` in the
  exclusions file: medium, and low until the file lists your accounts
  (the account may be the role's own);
- a service other than `lambda.amazonaws.com` and
  `edgelambda.amazonaws.com` with no `aws:SourceArn`, `aws:SourceAccount`,
  `aws:SourceOrgID` or `aws:SourceOrgPaths` condition (the confused
  deputy): low.

Any principal or an account in a statement with a `Condition` is reported
one severity lower, since the condition may narrow it. Unresolved
principals (parameters, imports) are not reported, and neither are SAML
providers (the account's own identity provider).

## Why is this bad?
Whoever may assume the execution role gets everything the function may
do, without going through the function: no trigger, no authentication, no
log line of the function. A role meant for Lambda that trusts `*`, another
account or an unrestricted identity provider hands its permissions to
people the application never meant to serve; a service trusted without a
source condition can be made to act for someone else's account.

## Example
```yaml
Resources:
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
          - Effect: Allow
            Principal:
              AWS: "*"
            Action: sts:AssumeRole
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: !GetAtt WorkerRole.Arn
      Code:
        S3Bucket: artifacts
        S3Key: worker.zip
```

## Use instead
```yaml
Resources:
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
          - Effect: Allow
            Principal:
              Service: states.amazonaws.com
            Action: sts:AssumeRole
            Condition:
              StringEquals:
                aws:SourceAccount: !Ref AWS::AccountId
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: !GetAtt WorkerRole.Arn
      Code:
        S3Bucket: artifacts
        S3Key: worker.zip
```

## References
- AWS: Lambda execution role trust policy: <https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html>
- AWS: The confused deputy problem: <https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html>
- AWS: IAM JSON policy elements, Principal: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html>
- Cloudsplaining: Trust policies: <https://cloudsplaining.readthedocs.io/en/latest/glossary/trust-policy/>
- CWE-284: Improper Access Control
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    for (er, risk) in risks_of(c, RiskClass::Trust) {
        let principal = risk.actions.first().map_or("", String::as_str);
        let role = er.describe();
        let (message, help) = match risk.method.as_deref() {
            Some("AnyPrincipal") if principal == "NotPrincipal" => (
                format!(
                    "{role} may be assumed by every principal but those listed in `NotPrincipal`, \
                     in any AWS account"
                ),
                "list who may assume the role in `Principal` (for an execution role, only \
                 `lambda.amazonaws.com`); never Allow with `NotPrincipal`",
            ),
            Some("AnyPrincipal") => (
                format!("{role} may be assumed by anyone, in any AWS account (`{principal}`)"),
                "trust only `lambda.amazonaws.com` in an execution role; give other callers \
                 their own role",
            ),
            Some("CrossAccount") => (
                // With low confidence the note says how to list the accounts.
                if risk.confidence == Confidence::Low {
                    format!("{role} may be assumed from another account (`{principal}`)")
                } else {
                    format!(
                        "{role} may be assumed from another account (`{principal}`), which is \
                         not listed under `known-accounts`"
                    )
                },
                "trust only `lambda.amazonaws.com`, give the other account its own role, or list \
                 the account under `known-accounts` in the exclusions file if it is yours",
            ),
            Some("FederatedWithoutCondition") => (
                format!(
                    "{role} may be assumed by any identity of `{principal}`: no condition limits \
                     the audience or subject"
                ),
                "add conditions on the provider's audience and subject (e.g. \
                 `token.actions.githubusercontent.com:sub`), or give the identities their own role",
            ),
            Some("ServiceWithoutSourceCondition") => (
                format!(
                    "{role} may be assumed by `{principal}` on behalf of any account: no \
                     `aws:SourceArn` or `aws:SourceAccount` condition (the confused deputy)"
                ),
                "add an `aws:SourceAccount` or `aws:SourceArn` condition to the statement, or \
                 give the service its own role",
            ),
            _ => (
                format!("{role}: {}", risk.detail),
                "trust only `lambda.amazonaws.com` in an execution role; give other callers \
                 their own role",
            ),
        };
        let finding = risk_finding(c, &META, &er, &risk, message).help(help);
        c.push(finding);
    }
}
