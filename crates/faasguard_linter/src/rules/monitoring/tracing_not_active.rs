use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_model::Provider;

use crate::checker::{Checker, FindingExt};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "MON001",
    name: "tracing-not-active",
    summary: "Lambda function without active X-Ray tracing",
    severity: Severity::Low,
    sas: Sas::InadequateMonitoring,
    cwe: &[778],
    doc: r#"## What it does
Finds AWS Lambda functions whose X-Ray tracing mode is not `Active`: SAM
`Tracing` (after `Globals`), `TracingConfig.Mode` of `AWS::Lambda::Function`,
Serverless Framework `tracing` (function or `provider.tracing.lambda`),
Terraform `tracing_config.mode`. A function that sets nothing runs in
`PassThrough` mode, which records a trace only when the caller already
started one.

## Why is this bad?
Without traces there is no record of which request reached which function,
which downstream calls it made and where it failed. During an incident that
is the difference between following an attacker's requests through the app
and guessing. Serverless apps have no host to inspect afterwards: what was
not recorded while the function ran is gone.

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
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Tracing: Active
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
```

## References
- AWS: Visualize Lambda function invocations using AWS X-Ray: <https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html>
- AWS::Lambda::Function TracingConfig: <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-lambda-function-tracingconfig.html>
- CWE-778: Insufficient Logging
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    for (_, f) in c.app.functions() {
        if f.provider != Provider::Aws {
            continue;
        }
        let (span, message) = match &f.tracing {
            None => (
                f.span,
                format!(
                    "function `{}` does not set a tracing mode, so it runs in PassThrough: \
                     its invocations are not traced",
                    f.logical_id
                ),
            ),
            Some(t) => match t.known() {
                // An unresolved mode may well be `Active` in the deployed stack.
                None => continue,
                Some(mode) if mode.eq_ignore_ascii_case("Active") => continue,
                Some(mode) => (
                    t.span,
                    format!(
                        "function `{}` has tracing mode `{mode}`: its invocations are not traced",
                        f.logical_id
                    ),
                ),
            },
        };
        let mut finding = c
            .finding(&META, span, message)
            .function(f)
            .help("set the tracing mode to Active (for SAM, once for all functions in `Globals`)");
        if span != f.span {
            finding = finding.label(f.span, "the function");
        }
        c.push(finding);
    }
}
