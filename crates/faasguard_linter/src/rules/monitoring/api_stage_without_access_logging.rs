use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_model::ApiKind;

use crate::checker::{Checker, FindingExt};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "MON002",
    name: "api-stage-without-access-logging",
    summary: "API Gateway stage without access logs: no record of who called the API",
    severity: Severity::Low,
    sas: Sas::InadequateMonitoring,
    cwe: &[778],
    doc: r#"## What it does
Finds API Gateway stages (REST, HTTP and WebSocket) that send their access
logs nowhere: SAM `AWS::Serverless::Api` and `AWS::Serverless::HttpApi`
without `AccessLogSetting(s)` (including the API SAM generates for events
that name none, configured through `Globals`), `AWS::ApiGateway::Stage`,
`AWS::ApiGateway::Deployment` with a `StageName`, `AWS::ApiGatewayV2::Stage`,
Serverless Framework APIs without `provider.logs`, Terraform
`aws_api_gateway_stage` and `aws_apigatewayv2_stage` without
`access_log_settings`.

## Why is this bad?
The access log is the only record of each request the API received: the
caller's IP address, the identity the authorizer resolved, the route, the
status and the latency. Without it, probing, credential stuffing or abuse of
an open route leaves no trace, and after an incident nobody can tell who
called what, or when.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  ApiLogs:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: 365
  OrdersApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      AccessLogSetting:
        DestinationArn: !GetAtt ApiLogs.Arn
        Format: '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","status":"$context.status"}'
```

## References
- AWS: Set up CloudWatch logging for REST APIs in API Gateway: <https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html>
- AWS: Configure logging for HTTP APIs in API Gateway: <https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html>
- CWE-778: Insufficient Logging
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    for api in &c.app.apis {
        let kind = match api.kind {
            ApiKind::Rest => "REST API",
            ApiKind::Http => "HTTP API",
            ApiKind::WebSocket => "WebSocket API",
        };
        let owner = if api.generated { "the generated " } else { "" };
        for stage in &api.stages {
            // Any destination counts, resolved or not: the rule is about
            // logs being sent at all, not about where.
            if stage.access_log.is_some() {
                continue;
            }
            let mut finding = c
                .finding(
                    &META,
                    stage.span,
                    format!(
                        "stage `{}` of {owner}{kind} `{}` has no access log destination: \
                         requests to it leave no record",
                        stage.name.value, api.logical_id
                    ),
                )
                .resource(api.logical_id.clone())
                .key(stage.name.value.clone())
                .help(
                    "turn on the stage's access logging, with a CloudWatch log group as \
                     destination and a structured (JSON) format",
                );
            if stage.span != api.span {
                finding = finding.label(api.span, "the API");
            }
            c.push(finding);
        }
    }
}
