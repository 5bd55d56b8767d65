use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_model::{Provider, TriggerKind};
use faasguard_source::Span;

use crate::checker::{Checker, FindingExt};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "RES002",
    name: "public-function-without-reserved-concurrency",
    summary: "Internet-reachable function without reserved concurrency: denial of service and of wallet",
    severity: Severity::Low,
    sas: Sas::DenialOfService,
    cwe: &[770],
    doc: r#"## What it does
Finds AWS Lambda functions that anyone on the internet can invoke (a
function URL with `AuthType: NONE`, an API route without authorization or
API key, or a resource policy with principal `*`) and that set no reserved
concurrency (`ReservedConcurrentExecutions`, Serverless Framework
`reservedConcurrency`, Terraform `reserved_concurrent_executions`).

## Why is this bad?
Without reserved concurrency the function draws from the account's shared
concurrency pool (1,000 by default per Region). A flood of requests to one
public endpoint can take the whole pool, and every other function in the
account is throttled: a denial of service well beyond the endpoint. Each of
those invocations is also billed, so the same flood runs up the bill (denial
of wallet). Reserved concurrency caps how far one public function can scale
and guarantees it nothing more than its share.

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
      FunctionUrlConfig:
        AuthType: NONE
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Lookup:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      ReservedConcurrentExecutions: 20
      FunctionUrlConfig:
        AuthType: NONE
```

## References
- AWS: Configuring reserved concurrency for a function: <https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html>
- AWS: Lambda quotas (concurrent executions): <https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html>
- CWE-770: Allocation of Resources Without Limits or Throttling
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    for (id, f) in c.app.functions() {
        // Other providers cap scaling with settings the model does not hold
        // as reserved concurrency, so a missing value there proves nothing.
        if f.provider != Provider::Aws || f.reserved_concurrency.is_some() {
            continue;
        }
        let mut ways: Vec<(Span, String)> = Vec::new();
        let public_url = f.url.as_ref().is_some_and(|u| u.is_public());
        if let Some(url) = f.url.as_ref().filter(|u| u.is_public()) {
            ways.push((url.span, "function URL with AuthType NONE".to_owned()));
        }
        for t in c.app.triggers_of(id) {
            let TriggerKind::HttpRoute(route) = &t.kind else { continue };
            if t.is_public_unauthenticated() && !route.api_key_required {
                ways.push((
                    t.span,
                    format!(
                        "{} {} without authorization",
                        route.method.to_ascii_uppercase(),
                        route.path
                    ),
                ));
            }
        }
        for p in c.app.permissions_of(id) {
            if !p.is_public() || p.principal_org_id.is_some() {
                continue;
            }
            // The permission that goes with a public URL adds no new way in.
            if public_url && p.action.value.eq_ignore_ascii_case("lambda:InvokeFunctionUrl") {
                continue;
            }
            ways.push((p.span, format!("permission `{}` with principal `*`", p.logical_id)));
        }
        if ways.is_empty() {
            continue;
        }
        let mut finding = c
            .finding(
                &META,
                f.span,
                format!(
                    "function `{}` can be invoked by anyone on the internet ({}) and has no \
                     reserved concurrency: a flood of requests can exhaust the account's \
                     concurrency and run up the bill",
                    f.logical_id,
                    summary(&ways)
                ),
            )
            .function(f)
            .help(
                "reserve concurrency for the function (a limit above its expected peak), and \
                 throttle the API in front of it",
            );
        for (span, what) in ways {
            finding = finding.label(span, what);
        }
        c.push(finding);
    }
}

/// The first way in, and how many more there are.
fn summary(ways: &[(Span, String)]) -> String {
    match ways {
        [] => String::new(),
        [(_, only)] => only.clone(),
        [(_, first), rest @ ..] => format!("{first}, and {} more", rest.len()),
    }
}
