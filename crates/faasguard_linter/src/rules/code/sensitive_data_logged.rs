use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_taint::practices::PracticeKind;

use crate::checker::Checker;
use crate::rules::code::{Report, report};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "CODE003",
    name: "sensitive-data-logged",
    summary: "The function code writes secrets, or whole events, to its logs",
    severity: Severity::Medium,
    sas: Sas::InsecureSecrets,
    cwe: &[532],
    doc: r#"## What it does
Finds log calls (`print`, `logging` and logger methods, `sys.stdout.write`;
`console.log`/`info`/`warn`/`error`/`debug`, logger methods,
`process.stdout.write`) whose arguments carry:

- a secret (medium): a value read from Secrets Manager
  (`get_secret_value`, `GetSecretValueCommand`), from SSM with decryption,
  or derived from one, a variable or field named as a secret (`password`,
  `token`, `api_key`, `authorization`, `creds["password"]`);
- the whole event (low): the handler's event parameter itself, directly
  or through `json.dumps`, `JSON.stringify`, `str`, f-strings, template
  literals or string formatting.

Parts of the event (`event["requestContext"]["requestId"]`), lengths and
types, and names about a secret (`secret_name`, `secret["ARN"]`) are not
reported.

## Why is this bad?
Logs are kept for a long time, copied to other accounts and tools, and
read by many more people than the secret store: a password in CloudWatch
Logs is a password anyone with `logs:GetLogEvents` has. A whole API
Gateway event holds the caller's `Authorization` header, cookies, source
IP and body (often personal data), which then live in the logs too.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Login:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: |
        const { SecretsManagerClient, GetSecretValueCommand } = require("@aws-sdk/client-secrets-manager");
        const sm = new SecretsManagerClient({});
        exports.handler = async (event) => {
          const res = await sm.send(new GetSecretValueCommand({ SecretId: process.env.SECRET_ARN }));
          const secret = JSON.parse(res.SecretString);
          console.log("using", secret);
          return { statusCode: 200 };
        };
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Login:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: |
        const { SecretsManagerClient, GetSecretValueCommand } = require("@aws-sdk/client-secrets-manager");
        const sm = new SecretsManagerClient({});
        exports.handler = async (event) => {
          const res = await sm.send(new GetSecretValueCommand({ SecretId: process.env.SECRET_ARN }));
          const secret = JSON.parse(res.SecretString);
          console.log("using secret version", res.VersionId, "for request", event.requestContext.requestId);
          return { statusCode: 200 };
        };
```

## References
- OWASP Logging Cheat Sheet, data to exclude: <https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html#data-to-exclude>
- AWS Lambda Powertools, logging the event on purpose only (`log_event`): <https://docs.powertools.aws.dev/lambda/python/latest/core/logger/>
- CWE-532: Insertion of Sensitive Information into Log File
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    report(
        c,
        &META,
        PracticeKind::SensitiveLogging,
        "log what identifies the request (request id, the parts you need), never secrets or \
         whole events; mask fields such as passwords and tokens before logging",
        |_, _, p| {
            let severity = if p.strong { Severity::Medium } else { Severity::Low };
            Some(Report { severity, because: String::new() })
        },
    );
}
