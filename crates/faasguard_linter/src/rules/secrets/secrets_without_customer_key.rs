use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_model::{App, EnvVar, Provider, ResourceKind, Val, ValueSource};

use crate::checker::{Checker, FindingExt};
use faasguard_secrets::{Context, is_placeholder, is_pointer, secret_name};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "SEC002",
    name: "secrets-without-customer-key",
    summary: "Secret-named environment variables are encrypted only with the AWS managed key",
    severity: Severity::Low,
    sas: Sas::InsecureSecrets,
    cwe: &[311],
    doc: r#"## What it does
Finds Lambda functions whose environment holds secret-named variables
(`DB_PASSWORD`, `API_KEY`, `GITHUB_TOKEN`, ...) while the function sets no
customer managed KMS key for its environment (`KmsKeyArn`, Serverless
`kmsKeyArn`, Terraform `kms_key_arn`), or sets the AWS managed key
`alias/aws/lambda`. Variables count whether their value is a literal or
comes from a parameter, a variable or another resource. Variables filled
from a secret store at deploy time (`{{resolve:secretsmanager:...}}`,
`${ssm:...}`), and variables that only point at a secret (its ARN, its
name, a parameter path), do not count.

Azure and Google functions are not checked: their settings have no
per-function key in the model.

## Why is this bad?
Lambda encrypts environment variables at rest with the AWS managed key
`aws/lambda` unless told otherwise, and anyone allowed to call
`lambda:GetFunctionConfiguration` (or open the function in the console)
reads them in plain text. With a customer managed key, reading them also
takes `kms:Decrypt` on that key: access to the secrets is granted, revoked
and audited on the key, apart from access to the function. Better still is
to keep secrets out of the environment and read them from Secrets Manager
at run time.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Parameters:
  DbPassword:
    Type: String
    NoEcho: true
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Environment:
        Variables:
          DB_PASSWORD: !Ref DbPassword
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Parameters:
  DbPassword:
    Type: String
    NoEcho: true
Resources:
  EnvKey:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Sub arn:aws:iam::${AWS::AccountId}:root
            Action: kms:*
            Resource: "*"
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      KmsKeyArn: !GetAtt EnvKey.Arn
      Environment:
        Variables:
          DB_PASSWORD: !Ref DbPassword
```

## References
- AWS: Securing Lambda environment variables: <https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html>
- AWS: Use Secrets Manager secrets in Lambda functions: <https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html>
- CWE-311: Missing Encryption of Sensitive Data
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    for (_, f) in c.app.functions() {
        // `env_kms_key` is Lambda's; Azure and Google settings have no
        // per-function key in the model, so silence is the honest answer.
        if f.provider != Provider::Aws {
            continue;
        }
        let managed_key = f.env_kms_key.as_ref().filter(|k| is_aws_managed(k));
        if f.env_kms_key.is_some() && managed_key.is_none() {
            continue;
        }
        let secrets: Vec<&EnvVar> =
            f.environment.iter().filter(|e| holds_secret(c.app, e)).collect();
        let Some(first) = secrets.first() else { continue };
        let names = secrets.iter().map(|e| format!("`{}`", e.name)).collect::<Vec<_>>().join(", ");
        let plural = if secrets.len() == 1 { "variable" } else { "variables" };
        let mut finding = c
            .finding(
                &META,
                first.name_span,
                format!(
                    "function `{}` keeps secret-named environment {plural} {names} under the AWS \
                     managed key: whoever may read the function's configuration reads them",
                    f.logical_id
                ),
            )
            .function(f)
            .label(f.span, "the function")
            .help(
                "set the function's environment KMS key (`KmsKeyArn`, `kmsKeyArn`, \
                 `kms_key_arn`) to a customer managed key, or read the secrets from Secrets \
                 Manager at run time",
            );
        for e in &secrets[1..] {
            finding = finding.label(e.name_span, "another secret-named variable");
        }
        if let Some(k) = managed_key {
            finding = finding.label(k.span, "the AWS managed key `aws/lambda`");
        }
        c.push(finding);
    }
}

/// Whether a variable carries a secret's value into the environment.
fn holds_secret(app: &App, e: &EnvVar) -> bool {
    if secret_name(&e.name).is_none() {
        return false;
    }
    match e.source {
        ValueSource::SecretStore => false,
        ValueSource::Literal => {
            e.value.is_known()
                && !is_placeholder(&e.value.value, Context::Environment)
                && !is_pointer(&e.value.value, Context::Environment)
        }
        // A parameter's default is not what gets deployed, so only a value
        // that points at a secret (rather than holding one) is let off.
        ValueSource::Reference => {
            let pointer = e.value.is_known() && is_pointer(&e.value.value, Context::Environment);
            !pointer && !points_at_secret(app, &e.value)
        }
    }
}

/// A reference to a secret or parameter resource itself (its ARN, id or
/// name), not to its value: `!Ref DbSecret`,
/// `aws_secretsmanager_secret.db.arn`.
fn points_at_secret(app: &App, v: &Val<String>) -> bool {
    let text = v.value.trim().trim_start_matches("${").trim_end_matches('}');
    let lower = text.to_ascii_lowercase();
    if [".arn", ".id", ".name"].iter().any(|s| lower.ends_with(s))
        && (lower.contains("secret") || lower.contains("ssm_parameter") || lower.contains("key"))
    {
        return true;
    }
    app.resources.iter().any(|r| {
        let store = r.kind == ResourceKind::Secret
            || r.type_name.eq_ignore_ascii_case("AWS::SSM::Parameter")
            || r.type_name.eq_ignore_ascii_case("aws_ssm_parameter");
        store
            && (text == r.logical_id
                || text.strip_prefix(r.logical_id.as_str()).is_some_and(|rest| {
                    let rest = rest.to_ascii_lowercase();
                    matches!(rest.as_str(), ".arn" | ".id" | ".name")
                }))
    })
}

/// `alias/aws/lambda`, alone or in an ARN: the key Lambda uses anyway.
fn is_aws_managed(k: &Val<String>) -> bool {
    k.is_known() && k.value.trim().to_ascii_lowercase().ends_with("alias/aws/lambda")
}
