use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_taint::practices::PracticeKind;

use crate::checker::Checker;
use crate::rules::code::{Report, redacted, report};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "CODE001",
    name: "hard-coded-credential",
    summary: "A credential is written in the function code",
    severity: Severity::High,
    sas: Sas::InsecureSecrets,
    cwe: &[798],
    doc: r#"## What it does
Finds credentials written as string literals in a function's handler code
and the local modules it imports (Python, JavaScript, TypeScript, and
inline code in the template):

- values in a known format, wherever they appear: AWS access key ids
  (`AKIA...`, `ASIA...`), private key blocks with their body, GitHub,
  GitLab, Slack, Stripe live, npm and SendGrid tokens, Google API keys,
  Slack webhook URLs, JSON Web Tokens, passwords inside connection URLs
  (`postgres://user:password@host`), `Authorization: Bearer ...` values;
- AWS secret access keys (40 characters of base64) given to a
  secret-named variable or argument (`aws_secret_access_key=`);
- random-looking literals (mixed characters, enough entropy, at least 8
  characters) assigned to a secret-named variable, attribute, key,
  keyword argument or parameter default (`password`, `DB_PASSWORD`,
  `api_key`, `apiKey`, `client_secret`, `token`...), compared with one
  (`if password == "..."`), or used as the fallback of a secret-named
  environment variable (`os.environ.get("API_KEY", "...")`,
  `process.env.API_KEY || "..."`).

Placeholders (`changeme`, `xxx`, `<password>`, `${TOKEN}`,
`your-api-key`), documentation examples (`...EXAMPLE`), pointers to a
secret (ARNs, parameter paths, URLs without a password), reads of the
environment, names about a secret rather than holding it (`secret_name`,
`TOKEN_URL`, `next_token`, `password_field`) and f-strings or template
literals with substitutions are not reported. The finding shows only the
first two characters and the length of the value, and every output masks
the literal.

## Why is this bad?
A credential in the code is in version control, in every clone, in the
deployment package anyone with `lambda:GetFunction` can download, and in
every build artifact, forever: deleting it later does not delete it from
history. It cannot be rotated without a deployment, so it rarely is, and
everyone who can read the code can use it.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import pymysql
        DB_PASSWORD = "Autumn2026-docs-Pa55!"
        def handler(event, context):
            return pymysql.connect(host="db", user="app", password=DB_PASSWORD)
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Environment:
        Variables:
          DB_SECRET_ARN: arn:aws:secretsmanager:us-east-1:123456789012:secret:orders-db-AbCdEf
      InlineCode: |
        import json, os, boto3, pymysql
        sm = boto3.client("secretsmanager")
        def handler(event, context):
            secret = json.loads(sm.get_secret_value(SecretId=os.environ["DB_SECRET_ARN"])["SecretString"])
            return pymysql.connect(host="db", user="app", password=secret["password"])
```

## References
- AWS: Use Secrets Manager secrets in Lambda functions: <https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html>
- OWASP Secrets Management Cheat Sheet: <https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html>
- CWE-798: Use of Hard-coded Credentials
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    report(
        c,
        &META,
        PracticeKind::HardcodedCredential,
        "move the value to AWS Secrets Manager or SSM Parameter Store (SecureString) and read \
         it at run time (the Parameters and Secrets Lambda extension caches it); then rotate \
         it, since it stays in the repository's history and in every deployed package",
        |c, _, p| {
            let because = p
                .secret
                .and_then(|s| redacted(c, s))
                .map(|r| format!("value {r}"))
                .unwrap_or_default();
            Some(Report { severity: Severity::High, because })
        },
    );
}
