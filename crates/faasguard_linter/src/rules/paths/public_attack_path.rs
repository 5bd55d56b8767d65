use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_model::{ApiKind, App, Function, FunctionId, TriggerKind};
use faasguard_source::Span;

use crate::checker::{Checker, FindingExt};
use crate::rules::iam::roles::{policy_label, unscoped_grants};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "PATH001",
    name: "public-attack-path",
    summary: "Anyone on the internet can invoke a function whose role may write, change permissions or read secrets everywhere",
    severity: Severity::Critical,
    sas: Sas::OverPrivileged,
    cwe: &[306, 250],
    doc: r#"## What it does
Joins what the trigger rules and the IAM rules find one by one into a
path. It reports a function that is both:

- publicly reachable without credentials: a function URL with
  `AuthType: NONE`, an API route with no authorizer, no IAM authorization
  and no API key (CORS `OPTIONS` routes aside), or a resource-based
  permission for Principal `*` with no organization condition; and
- running with an execution role that may, on every resource (`*`, or
  everything but a `NotResource` list), write, change permissions or read
  secrets: through inline or customer managed statements, SAM policy
  templates, or AWS managed policies such as `AdministratorAccess`.

One finding per function, located at the public entry, with the steps of
the path: the entry, the function, the role, and the statement that grants
the access. Statements with a `Condition`, and roles with a permissions
boundary, are not counted: they may narrow the access in ways the template
alone does not show.

## Why is this bad?
Each half alone is a weakness; together they are a route from the internet
into the account. Anyone who finds an injection, a deserialisation bug or
a vulnerable dependency in the function (the code takes their input
directly) acts with its role: overwriting any bucket or table, reading
every secret, or granting themselves more. Fix either half to break the
path; fixing the role also limits what any other flaw can reach.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Lookup:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
        - Statement:
            - Effect: Allow
              Action: secretsmanager:GetSecretValue
              Resource: "*"
      Events:
        Get:
          Type: HttpApi
          Properties:
            Path: /lookup/{id}
            Method: GET
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  ApiKeySecret:
    Type: AWS::SecretsManager::Secret
  Lookup:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Policies:
        - AWSSecretsManagerGetSecretValuePolicy:
            SecretArn: !Ref ApiKeySecret
      Events:
        Get:
          Type: HttpApi
          Properties:
            Path: /lookup/{id}
            Method: GET
```

## References
- OWASP Serverless Top 10, SAS-2 Broken Authentication and SAS-4 Over-Privileged Function Permissions: <https://owasp.org/www-project-serverless-top-10/>
- AWS Lambda: Execution role: <https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html>
- AWS: Security and auth model for Lambda function URLs: <https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html>
- CWE-306: Missing Authentication for Critical Function
- CWE-250: Execution with Unnecessary Privileges
"#,
};

/// A way in that needs no credentials.
struct Entry {
    span: Span,
    what: String,
    resource: Option<String>,
}

/// The public ways into a function: its URL first, then its open routes,
/// then its public permissions.
fn public_entries(app: &App, id: FunctionId, f: &Function) -> Vec<Entry> {
    let mut out = Vec::new();
    if let Some(url) = f.url.as_ref().filter(|u| u.is_public()) {
        out.push(Entry {
            span: url.auth_type.span,
            what: "its function URL (AuthType NONE)".to_owned(),
            resource: url.logical_id.clone(),
        });
    }
    for t in app.triggers_of(id) {
        let TriggerKind::HttpRoute(route) = &t.kind else { continue };
        if !t.is_public_unauthenticated() || route.api_key_required {
            continue;
        }
        let kind = match route.api_kind {
            ApiKind::Rest => "REST API",
            ApiKind::Http => "HTTP API",
            ApiKind::WebSocket => "WebSocket API",
        };
        let api = route
            .api
            .map_or("the implicit API".to_owned(), |a| format!("`{}`", app.api(a).logical_id));
        out.push(Entry {
            span: route.auth.span,
            what: format!(
                "{} {} on {kind} {api} (no authorization)",
                route.method.to_ascii_uppercase(),
                route.path
            ),
            resource: Some(t.logical_id.clone()),
        });
    }
    for p in app.permissions_of(id) {
        if !p.is_public() || p.principal_org_id.is_some() || !p.action.is_known() {
            continue;
        }
        out.push(Entry {
            span: p.principal.span,
            what: format!("permission `{}` ({} for Principal `*`)", p.logical_id, p.action.value),
            resource: Some(p.logical_id.clone()),
        });
    }
    out
}

pub(crate) fn check(c: &mut Checker<'_>) {
    for (id, f) in c.app.functions() {
        let Some(role) = c.app.role_of(id) else { continue };
        if role.permissions_boundary.is_some() {
            continue;
        }
        let Some((total, worst)) = unscoped_grants(role) else { continue };
        let entries = public_entries(c.app, id, f);
        let Some(entry) = entries.first() else { continue };
        let actions = worst.actions.join(", ");
        let source = policy_label(worst.policy);
        let mut finding = c
            .finding(
                &META,
                entry.span,
                format!(
                    "attack path: anyone on the internet can reach `{}` through {}; its role `{}` \
                     can {} on every resource ({actions} in {source})",
                    f.logical_id,
                    entry.what,
                    role.logical_id,
                    total.describe()
                ),
            )
            .function(f)
            .step(entry.span, format!("public entry: {}", entry.what))
            .step(f.span, format!("invokes `{}`", f.logical_id))
            .step(role.span, format!("which runs as role `{}`", role.logical_id))
            .step(worst.span, format!("{source} allows {actions} on every resource"))
            .help(
                "require authentication on the entry (an authorizer, AWS_IAM, an organization \
                 condition), and scope the role's statements to the resources the function uses",
            );
        if let Some(resource) = &entry.resource {
            finding = finding.resource(resource.clone());
        }
        for other in &entries[1..] {
            finding = finding.label(other.span, format!("also public: {}", other.what));
        }
        c.push(finding);
    }
}
