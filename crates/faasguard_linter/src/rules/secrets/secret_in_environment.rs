use faasguard_diagnostics::{Finding, Label, RuleMeta, Sas, Severity, redact};
use faasguard_model::{Provider, ValueSource};
use faasguard_source::Span;

use crate::checker::{Checker, FindingExt};
use faasguard_secrets::{Context, classify};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "SEC001",
    name: "secret-in-environment",
    summary: "A secret is written in plain text in a function's environment variables",
    severity: Severity::High,
    sas: Sas::InsecureSecrets,
    cwe: &[798, 526],
    doc: r#"## What it does
Finds literal secrets in function environment variables (Lambda
`Environment.Variables`, Serverless Framework `environment`, Terraform
`environment.variables`, Azure `app_settings`, Google
`environment_variables`):

- values in a known secret format, whatever the variable is called: AWS
  access key ids (`AKIA...`, `ASIA...`), private key blocks, GitHub, GitLab,
  Slack, Stripe, npm and SendGrid tokens, Google API keys, JSON Web Tokens,
  Azure account keys, and passwords inside connection URLs
  (`postgres://user:password@host`);
- literal values of variables named as secrets (`DB_PASSWORD`,
  `GITHUB_TOKEN`, `JWT_SECRET`, `API_KEY`, `AWS_SECRET_ACCESS_KEY`, ...),
  unless the value is empty, a placeholder (`changeme`, `<password>`,
  `${DB_PASSWORD}`) or a pointer to a secret (an ARN, a parameter path);
- long random-looking values under any other name, at medium severity,
  since some of them are identifiers rather than secrets.

Values drawn from a secret store (`{{resolve:secretsmanager:...}}`,
`${ssm:...}`, Key Vault references, Google `secret_environment_variables`)
and values that come from parameters, variables or other resources are not
reported. The finding shows only the first two characters and the length
of the value.

## Why is this bad?
A secret in the template is in version control, in every clone and fork,
in CI logs and in the deployment artifacts, forever: removing it later does
not remove it from history. Once deployed it is also readable by anyone who
may read the function's configuration (`lambda:GetFunctionConfiguration`,
the console), which is a much larger group than those who should hold the
database password. Secrets written this way are rarely rotated.

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
      Environment:
        Variables:
          TABLE_NAME: orders
          DB_PASSWORD: Spring2026-docs-Pa55!
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Environment:
        Variables:
          TABLE_NAME: orders
          DB_PASSWORD_SECRET_ARN: arn:aws:secretsmanager:us-east-1:123456789012:secret:orders-db-AbCdEf
```
The function reads the secret at run time with `secretsmanager:GetSecretValue`.

## References
- AWS: Securing Lambda environment variables: <https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html>
- AWS: Use Secrets Manager secrets in Lambda functions: <https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html>
- Azure: Use Key Vault references for App Service and Azure Functions: <https://learn.microsoft.com/azure/app-service/app-service-key-vault-references>
- Google Cloud: Configure secrets for Cloud Run functions: <https://cloud.google.com/functions/docs/configuring/secrets>
- CWE-798: Use of Hard-coded Credentials
- CWE-526: Cleartext Storage of Sensitive Information in an Environment Variable
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    // A variable set once for many functions (SAM Globals, the Serverless
    // provider block) is one secret in one place: one finding, with the
    // other functions as labels.
    let mut found: Vec<(Span, Finding)> = Vec::new();
    for (_, f) in c.app.functions() {
        for e in &f.environment {
            if e.source != ValueSource::Literal || !e.value.is_known() {
                continue;
            }
            let Some(detection) = classify(Some(&e.name), &e.value.value, Context::Environment)
            else {
                continue;
            };
            if let Some((_, earlier)) = found.iter_mut().find(|(span, _)| *span == e.value.span) {
                let message = format!("also set for function `{}`", f.logical_id);
                earlier.labels.push(Label { span: f.span, message });
                continue;
            }
            let what = detection.what;
            let article = if what.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']) {
                "an"
            } else {
                "a"
            };
            let caveat = if detection.certain() { "" } else { " that may be a secret" };
            let message = format!(
                "environment variable `{}` of function `{}` holds {article} {what}{caveat}: {}",
                e.name,
                f.logical_id,
                redact(&e.value.value)
            );
            let mut finding = c
                .finding(&META, e.value.span, message)
                .function(f)
                .key(e.name.clone())
                .secret(e.value.span)
                .label(e.name_span, "the variable")
                .help(help(f.provider));
            if !detection.certain() {
                finding = finding.severity(Severity::Medium);
            }
            found.push((e.value.span, finding));
        }
    }
    for (_, finding) in found {
        c.push(finding);
    }
}

fn help(provider: Provider) -> &'static str {
    match provider {
        Provider::Aws => {
            "keep the value in AWS Secrets Manager or SSM Parameter Store (SecureString) and \
             read it at run time, or resolve it at deploy time with a dynamic reference; then \
             rotate it, since it stays in the file's history"
        }
        Provider::Azure => {
            "keep the value in Key Vault and reference it as \
             `@Microsoft.KeyVault(SecretUri=...)`; then rotate it, since it stays in the file's \
             history"
        }
        Provider::Gcp => {
            "keep the value in Secret Manager and expose it with \
             `secret_environment_variables`; then rotate it, since it stays in the file's history"
        }
    }
}
