use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_iam::risk::RiskClass;

use crate::checker::{Checker, FindingExt};
use crate::rules::iam::engine::{risk_finding, risks_of, shown_actions};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "IAM007",
    name: "privilege-escalation",
    summary: "The execution role can grant itself or a new identity more permissions than it has",
    severity: Severity::High,
    sas: Sas::OverPrivileged,
    cwe: &[269, 250],
    doc: r#"## What it does
Computes what the function's execution role may really do (every policy,
wildcards and `NotAction` expanded through the AWS action catalog, Deny
subtracted, conditions kept) and looks for the known privilege-escalation
methods: the combinations collected by Rhino Security Labs, Cloudsplaining
and pathfinding.cloud, such as `iam:PassRole` with `lambda:CreateFunction`
and `lambda:InvokeFunction`, `iam:CreatePolicyVersion`, or
`iam:AttachRolePolicy`. `iam:PassRole` counts only when it reaches roles
other than the function's own. A role that can change its own policies is
critical.

## Why is this bad?
Whoever controls the function (through an injection in its code, a
malicious dependency, or stolen credentials from its environment) controls
its role. With an escalation method, that is not the role's permissions but
far more: often administrator access to the account.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Deployer:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
        - Statement:
            - Effect: Allow
              Action:
                - iam:PassRole
                - lambda:CreateFunction
                - lambda:InvokeFunction
              Resource: "*"
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Deployer:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
        - Statement:
            - Effect: Allow
              Action: lambda:InvokeFunction
              Resource: !Sub arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:report-*
```

## References
- Rhino Security Labs: AWS IAM privilege escalation methods: <https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/>
- pathfinding.cloud: <https://pathfinding.cloud>
- AWS: Granting a user permissions to pass a role: <https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html>
- CWE-269: Improper Privilege Management
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    for (er, risk) in risks_of(c, RiskClass::PrivilegeEscalation) {
        let method = risk.method.as_deref().unwrap_or("an escalation method");
        let message = format!(
            "{} can escalate its privileges ({method}): it is allowed {}",
            er.describe(),
            shown_actions(&risk)
        );
        let finding = risk_finding(c, &META, &er, &risk, message).help(
            "remove the actions the function does not call, scope iam:PassRole to the roles it \
             must pass (with an iam:PassedToService condition), and never let a role change \
             its own policies",
        );
        c.push(finding);
    }
}
