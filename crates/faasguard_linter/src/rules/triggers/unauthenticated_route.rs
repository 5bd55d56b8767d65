use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_model::{ApiKind, Provider, TriggerKind};

use crate::checker::{Checker, FindingExt};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "TRG002",
    name: "unauthenticated-api-route",
    summary: "An API route reaches a function without any authorization",
    severity: Severity::High,
    sas: Sas::BrokenAuthentication,
    cwe: &[306],
    doc: r#"## What it does
Finds REST, HTTP and WebSocket API routes that invoke a function with no
authorizer, no IAM authorization and no API key: SAM `Api` and `HttpApi`
events (including a `DefaultAuthorizer` overridden by `Authorizer: NONE`,
and OpenAPI bodies without `security`), `AWS::ApiGateway::Method` with
`AuthorizationType: NONE`, `AWS::ApiGatewayV2::Route`, Serverless Framework
`http` and `httpApi` events, Terraform methods and routes. `OPTIONS` routes
(CORS preflight) are exempt.

## Why is this bad?
The route is an open door to the function: anyone who finds the URL sends it
events. If the function trusts its input or holds broad permissions, that is
the start of an attack path. Public endpoints should be a decision, visible in
the template, not the result of a forgotten authorizer.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Get:
          Type: HttpApi
          Properties:
            Path: /orders
            Method: GET
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        DefaultAuthorizer: Jwt
        Authorizers:
          Jwt:
            IdentitySource: $request.header.Authorization
            JwtConfiguration:
              issuer: https://issuer.example.com
              audience: [orders]
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Get:
          Type: HttpApi
          Properties:
            ApiId: !Ref Api
            Path: /orders
            Method: GET
```

## References
- AWS: Controlling and managing access to a REST API: <https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html>
- AWS SAM: API Auth: <https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-apiauth.html>
- CWE-306: Missing Authentication for Critical Function
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    for t in &c.app.triggers {
        let TriggerKind::HttpRoute(route) = &t.kind else { continue };
        if !t.is_public_unauthenticated() || route.api_key_required {
            continue;
        }
        let f = c.app.function(t.function);
        let api = route.api.map(|id| c.app.api(id));
        let kind = match route.api_kind {
            ApiKind::Rest => "REST API",
            ApiKind::Http => "HTTP API",
            ApiKind::WebSocket => "WebSocket API",
        };
        let place = match (api, f.provider) {
            (Some(a), _) => format!("{kind} `{}`", a.logical_id),
            (None, Provider::Aws) => format!("the implicit {kind}"),
            (None, _) => "its HTTP trigger".to_string(),
        };
        let help = match f.provider {
            Provider::Aws => {
                "add an authorizer (Cognito, JWT, Lambda) or AWS_IAM to the route or as the API's \
                 default; if it must be public, validate every input and throttle it"
            }
            Provider::Azure => {
                "set the trigger's authLevel to function (or admin), or turn on App Service \
                 authentication for the function app; if it must be public, validate every input"
            }
            Provider::Gcp => {
                "require authentication (remove allUsers/allAuthenticatedUsers invokers) and call \
                 the function with an identity token; if it must be public, validate every input"
            }
        };
        let mut finding = c
            .finding(
                &META,
                route.auth.span,
                format!(
                    "{} {} on {place} invokes `{}` without authorization",
                    route.method.to_ascii_uppercase(),
                    route.path,
                    f.logical_id
                ),
            )
            .function(f)
            .resource(t.logical_id.clone())
            .key(format!("{} {}", route.method.to_ascii_uppercase(), route.path))
            .label(t.span, "the route")
            .help(help);
        if let Some(api) = api {
            finding = finding.label(api.span, "the API");
        }
        c.push(finding);
    }
}
