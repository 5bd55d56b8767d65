use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_taint::practices::PracticeKind;

use crate::checker::Checker;
use crate::rules::code::{Report, report};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "CODE006",
    name: "sensitive-data-in-tmp",
    summary: "Secrets or event data are written to a fixed file under /tmp",
    severity: Severity::Low,
    sas: Sas::InsecureSecrets,
    cwe: &[377, 312],
    doc: r#"## What it does
Finds function code that writes a secret (read from Secrets Manager or
SSM, or a secret-named variable) or data from the event to a file whose
path under `/tmp` is the same on every invocation: a literal
(`"/tmp/cache.json"`), a constant holding one, or `os.path.join("/tmp",
"...")`/`path.join(os.tmpdir(), "...")` of literals. Python `open(...,
"w")` with `write`/`json.dump`, `Path(...).write_text`; Node.js
`fs.writeFile(Sync)`, `appendFile(Sync)`, `fs.promises`. Paths built per
invocation (an f-string or template literal with the request id, a
`uuid`, `tempfile`) and reads are not reported.

## Why is this bad?
Lambda reuses an execution environment for many invocations, and `/tmp`
survives between them: the next event handled there finds the file. A
fixed name means one caller's data can be served to, or overwritten by,
another's request, and secrets written in clear text stay on disk for the
environment's lifetime, readable by any code that runs in it (a
vulnerable dependency, an injection).

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Upload:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import json
        def handler(event, context):
            body = json.loads(event["body"])
            with open("/tmp/upload.json", "w") as f:
                json.dump(body, f)
            return process("/tmp/upload.json")
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Upload:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import json, os
        def handler(event, context):
            body = json.loads(event["body"])
            path = f"/tmp/{context.aws_request_id}.json"
            try:
                with open(path, "w") as f:
                    json.dump(body, f)
                return process(path)
            finally:
                os.remove(path)
```

## References
- AWS Lambda execution environment, reuse of `/tmp`: <https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html>
- CWE-377: Insecure Temporary File; CWE-312: Cleartext Storage of Sensitive Information
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    report(
        c,
        &META,
        PracticeKind::TmpReuse,
        "keep secrets in memory; name temporary files per invocation (the request id, \
         `tempfile`) and delete them before returning",
        |_, _, _| Some(Report { severity: Severity::Low, because: String::new() }),
    );
}
