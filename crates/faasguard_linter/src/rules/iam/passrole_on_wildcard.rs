use faasguard_diagnostics::{RuleMeta, Sas, Severity};

use crate::checker::{Checker, FindingExt};
use crate::rules::iam::actions::matches;
use crate::rules::iam::roles::{
    authored_statements, execution_roles, is_known_allow, policy_label, star_resource, unscoped_at,
};

const PASS_ROLE: &str = "iam:PassRole";

pub(crate) static META: RuleMeta = RuleMeta {
    code: "IAM004",
    name: "passrole-on-wildcard",
    summary: "An execution role may pass any role (`iam:PassRole` on `*`)",
    severity: Severity::High,
    sas: Sas::OverPrivileged,
    cwe: &[269],
    doc: r#"## What it does
Finds Allow statements in the policies of a function's execution role that
grant `iam:PassRole`, directly or through `iam:*`, `iam:Pass*` or `*`, on
`Resource: "*"` (or on everything but a `NotResource` list, or through a
`NotAction` list that leaves it in). Statements with a `Condition` (such as
`iam:PassedToService`) are skipped, since the condition may narrow them.
AWS managed policies are left to `admin-managed-policy`.

## Why is this bad?
Passing a role hands it to a service: a new Lambda function, an EC2
instance, a Glue job, a CloudFormation stack. With `iam:PassRole` on `*`
the function can hand over the most powerful role in the account, then
have the service run code with it. It is the most common privilege
escalation step in AWS.

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
                - lambda:CreateFunction
                - iam:PassRole
              Resource: "*"
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
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
  Deployer:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
        - Statement:
            - Effect: Allow
              Action: lambda:CreateFunction
              Resource: !Sub "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:worker-*"
            - Effect: Allow
              Action: iam:PassRole
              Resource: !GetAtt WorkerRole.Arn
```

## References
- AWS: Granting a user permissions to pass a role to an AWS service: <https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html>
- Rhino Security Labs: AWS IAM privilege escalation methods: <https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/>
- CWE-269: Improper Privilege Management
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    for er in execution_roles(c.app, c.settings) {
        for (policy, index, s) in authored_statements(er.role) {
            if !is_known_allow(s) || !s.conditions.is_empty() {
                continue;
            }
            let Some(resource_at) = unscoped_at(s) else { continue };
            let granting = s
                .actions
                .iter()
                .find(|a| a.is_known() && matches(&a.value, PASS_ROLE))
                .map(|a| (a.span, format!("`{}`", a.value.trim())));
            let granting = granting.or_else(|| {
                let not = s.not_actions.as_ref()?;
                let left_in = not.iter().all(|v| v.is_known())
                    && !not.iter().any(|v| matches(&v.value, PASS_ROLE));
                let listed: Vec<String> =
                    not.iter().map(|v| format!("`{}`", v.value.trim())).collect();
                let how = format!("NotAction {}", listed.join(", "));
                left_in.then(|| (not.first().map_or(s.span, |v| v.span), how))
            });
            let Some((at, how)) = granting else { continue };
            let scope = match star_resource(s) {
                Some(_) => "any role (`*`)",
                None => "every role but those in NotResource",
            };
            let finding = c
                .finding(
                    &META,
                    at,
                    format!(
                        "{} may pass {scope} to AWS services ({how} in {})",
                        er.describe(),
                        policy_label(policy)
                    ),
                )
                .function(er.users[0])
                .resource(er.role.logical_id.clone())
                .key(format!("{}#{index}", policy.name))
                .label(resource_at, "on every role")
                .label(s.span, "the statement")
                .help(
                    "set Resource to the ARNs of the roles the function hands over, and add an \
                     `iam:PassedToService` condition",
                );
            c.push(finding);
        }
    }
}
