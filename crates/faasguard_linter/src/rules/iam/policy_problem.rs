use std::collections::HashSet;

use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_iam::effective::{PolicyProblem, ProblemKind};
use faasguard_model::{AttachedPolicy, Effect, Origin, PolicySource, Statement};
use faasguard_source::Span;

use crate::checker::{Checker, FindingExt};
use crate::rules::iam::roles::{ExecutionRole, execution_roles, policy_label};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "IAM012",
    name: "policy-problem",
    summary: "A policy of the execution role names an unknown service or action, a malformed ARN, or a resource its actions cannot apply to",
    severity: Severity::Low,
    sas: Sas::InsecureConfiguration,
    cwe: &[710],
    doc: r#"## What it does
Checks every entry of the policies written for a function's execution role
(inline, customer managed, Serverless Framework and Terraform statements)
against the AWS action catalog, as IAM will read them:
- a service prefix no AWS service has (`s3x:GetObject`);
- an action its service does not have (`s3:GetObjects`), with the closest
  real action as a suggestion;
- a resource that is neither `*` nor an ARN (a bucket name, `Table.Arn`
  written as text);
- a resource none of the statement's actions can apply to (an object ARN
  for `s3:ListBucket`), or an action that supports only `Resource: "*"`
  given only ARNs.
One finding per entry. In a Deny statement it is reported as medium: the
entry denies nothing. AWS managed policies and SAM policy templates are
not checked (the author cannot change them), and neither are values left
unresolved (parameters, imports).

## Why is this bad?
IAM accepts these entries and silently ignores them. In an Allow, the
function fails at run time with `AccessDenied`, and the usual "fix" is a
wildcard that grants far more than was meant. In a Deny, the guard the
author wrote protects nothing. Either way the policy no longer says what
the function may do, which defeats reviewing it.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Thumbnails:
    Type: AWS::S3::Bucket
  Resize:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
        - Statement:
            - Effect: Allow
              Action:
                - s3:GetObjects
                - s3:PutObject
              Resource: !Sub "${Thumbnails.Arn}/*"
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Thumbnails:
    Type: AWS::S3::Bucket
  Resize:
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
                - s3:PutObject
              Resource: !Sub "${Thumbnails.Arn}/*"
```

## References
- AWS: Service Authorization Reference (actions, resources and condition keys): <https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html>
- AWS: IAM JSON policy elements, Resource: <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html>
- Parliament (UNKNOWN_ACTION, UNKNOWN_PREFIX, INVALID_ARN, RESOURCE_MISMATCH): <https://github.com/duo-labs/parliament>
- CWE-710: Improper Adherence to Coding Standards
"#,
};

/// What kind of entry a problem is about, for messages and keys.
fn kind_name(kind: ProblemKind) -> &'static str {
    match kind {
        ProblemKind::UnknownService => "unknown-service",
        ProblemKind::UnknownAction => "unknown-action",
        ProblemKind::MalformedArn => "malformed-arn",
        ProblemKind::ResourceMismatch => "resource-mismatch",
    }
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.file == inner.file && outer.start <= inner.start && inner.end <= outer.end
}

/// The statement of a policy the author wrote that holds `span`, the
/// innermost when statements nest (a framework's generated statements are
/// located at the block that caused them, around the author's). Problems
/// elsewhere come from AWS managed policies and SAM templates, which the
/// engine locates at their attachment, or from statements a framework
/// adds (`Origin::Default`): not the author's to fix.
fn authored_statement<'r>(
    er: &ExecutionRole<'r>,
    span: Span,
) -> Option<(&'r AttachedPolicy, &'r Statement)> {
    er.role
        .policies
        .iter()
        .filter(|p| matches!(p.source, PolicySource::Inline | PolicySource::CustomerManaged))
        .filter_map(|p| p.document.as_ref().map(|d| (p, d)))
        .flat_map(|(p, d)| d.statements.iter().map(move |s| (p, s)))
        .filter(|(_, s)| contains(s.span, span))
        .min_by_key(|(_, s)| s.span.end - s.span.start)
        .filter(|(_, s)| s.effect.origin != Origin::Default)
}

/// Whether a statement's resources hold `${...}` placeholders in known
/// text (a pseudo parameter such as `${AWS::Region}` that a loader kept
/// as written): the `::` in them splits the ARN in the wrong places, so
/// what the engine says about matching them is not to be trusted.
fn placeholder_resources(s: &Statement) -> bool {
    s.resources
        .iter()
        .chain(s.not_resources.iter().flatten())
        .any(|r| r.is_known() && r.value.contains("${"))
}

/// Whether a "malformed" resource is a short ARN ending in `*`
/// (`arn:aws:logs:*`, `arn:aws:sns:*:*`): IAM lets a `*` that ends a
/// segment match across the colons that follow, so it reaches every
/// resource of the service, and is no mistake to report.
fn short_wildcard_arn(s: &Statement, span: Span) -> bool {
    s.resources.iter().chain(s.not_resources.iter().flatten()).filter(|r| r.span == span).any(|r| {
        let text = r.value.trim();
        text.starts_with("arn:") && text.ends_with('*')
    })
}

pub(crate) fn check(c: &mut Checker<'_>) {
    // A customer managed policy attached to several roles holds each
    // problem once.
    let mut seen: HashSet<(&'static str, Span)> = HashSet::new();
    let mut keys: HashSet<String> = HashSet::new();
    for er in execution_roles(c.app, c.settings) {
        let problems: Vec<PolicyProblem> = c.role_iam(er.id).effective.problems.clone();
        for problem in problems {
            let kind = kind_name(problem.kind);
            if !seen.insert((kind, problem.span)) {
                continue;
            }
            let Some((policy, statement)) = authored_statement(&er, problem.span) else {
                continue;
            };
            if matches!(problem.kind, ProblemKind::MalformedArn | ProblemKind::ResourceMismatch)
                && placeholder_resources(statement)
            {
                continue;
            }
            if problem.kind == ProblemKind::MalformedArn
                && short_wildcard_arn(statement, problem.span)
            {
                continue;
            }
            let deny = statement.effect.is_known() && statement.effect.value == Effect::Deny;
            let effect =
                if deny { " (in a Deny statement: this entry denies nothing)" } else { "" };
            let mut key = format!("{kind}@{}", problem.span.start);
            let mut n = 1;
            while !keys.insert(key.clone()) {
                n += 1;
                key = format!("{kind}@{}#{n}", problem.span.start);
            }
            let mut finding = c
                .finding(
                    &META,
                    problem.span,
                    format!(
                        "{}, {}: {}{effect}",
                        er.describe(),
                        policy_label(policy),
                        problem.message
                    ),
                )
                .function(er.users[0])
                .resource(er.role.logical_id.clone())
                .key(key)
                .label(statement.span, "the statement")
                .help(match problem.kind {
                    ProblemKind::UnknownService | ProblemKind::UnknownAction => {
                        "write the action as the Service Authorization Reference names it \
                         (`service:Action`); API names and SDK method names are not always actions"
                    }
                    ProblemKind::MalformedArn => {
                        "write the resource's ARN (`!GetAtt Table.Arn`, \
                         `arn:aws:s3:::bucket/*`) or `*` for actions that take no resource"
                    }
                    ProblemKind::ResourceMismatch => {
                        "give each action a resource of the type it applies to (bucket ARN for \
                         bucket actions, object ARN for object actions), or `*` for actions \
                         that support no resource"
                    }
                });
            if deny {
                finding = finding.severity(Severity::Medium);
            }
            c.push(finding);
        }
    }
}
