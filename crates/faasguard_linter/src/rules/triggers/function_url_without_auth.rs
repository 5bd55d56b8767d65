use faasguard_diagnostics::{RuleMeta, Sas, Severity};

use crate::checker::{Checker, FindingExt};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "TRG001",
    name: "function-url-without-auth",
    summary: "Function URL with AuthType NONE: anyone on the internet can invoke the function",
    severity: Severity::High,
    sas: Sas::BrokenAuthentication,
    cwe: &[306],
    doc: r#"## What it does
Finds Lambda function URLs whose `AuthType` is `NONE`: SAM
`FunctionUrlConfig`, `AWS::Lambda::Url`, Serverless Framework `url: true`,
Terraform `aws_lambda_function_url`.

## Why is this bad?
A function URL with `AuthType: NONE` is a public HTTPS endpoint. No API
Gateway sits in front of it, so there is no authorizer, no throttling per
client and no WAF: every caller on the internet reaches the handler's code
and, through it, whatever its execution role may do. Use it only for
functions meant to be public, and then validate every input in the code.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Reports:
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
  Reports:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      FunctionUrlConfig:
        AuthType: AWS_IAM
```

## References
- AWS: Security and auth model for Lambda function URLs: <https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html>
- CWE-306: Missing Authentication for Critical Function
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    for (_, f) in c.app.functions() {
        let Some(url) = &f.url else { continue };
        if !url.is_public() {
            continue;
        }
        let finding = c
            .finding(
                &META,
                url.auth_type.span,
                format!(
                    "function URL of `{}` has AuthType NONE: anyone on the internet can invoke it",
                    f.logical_id
                ),
            )
            .function(f)
            .label(f.span, "the function")
            .help("set AuthType to AWS_IAM, or put the function behind an API with an authorizer");
        let finding = match &url.logical_id {
            Some(id) => finding.resource(id.clone()),
            None => finding,
        };
        c.push(finding);
    }
}
