use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_taint::practices::PracticeKind;
use faasguard_taint::sources::{Exposure, exposure};

use crate::checker::Checker;
use crate::rules::code::{Report, report};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "CODE004",
    name: "error-details-returned",
    summary: "Exception messages or stack traces are returned to the caller",
    severity: Severity::Medium,
    sas: Sas::ImproperErrorHandling,
    cwe: &[209],
    doc: r#"## What it does
Finds `except`/`catch` blocks (and promise `.catch` callbacks) that send
the error's details back in an HTTP response: `str(e)`, `repr(e)`,
`{e}` in an f-string, `e.args`, `traceback.format_exc()`; `e.message`,
`e.stack`, `e.toString()`, `String(e)`, `${e}` or `"..." + e`, directly or
through a variable. A response is a Lambda proxy result (`statusCode`,
`body`), `callback(null, {...})`, a framework response (`jsonify`,
`Response`, `JSONResponse`, `func.HttpResponse`, `(body, 500)` tuples,
`HTTPException(detail=...)`, Chalice errors, `abort`), Express/Fastify
`res.status(500).json(...)`/`send`, Koa `ctx.body`, Azure `context.res`.

Severity follows the function's triggers: high when anyone on the
internet can call it, medium behind authentication or without a known
trigger, low when only internal services (queues, streams, buckets)
invoke it.

## Why is this bad?
Exception text names tables and columns (`relation "users" does not
exist`), file paths, library versions, internal host names and sometimes
the data being processed; a stack trace maps the code. Attackers use these
answers to tune injection payloads and find vulnerable components. The
caller needs a status and an error id; the details belong in the logs.

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
        import json
        def handler(event, context):
            try:
                return {"statusCode": 200, "body": json.dumps(load(event))}
            except Exception as e:
                return {"statusCode": 500, "body": json.dumps({"error": str(e)})}
      Events:
        Api:
          Type: HttpApi
          Properties:
            Path: /orders
            Method: GET
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
      InlineCode: |
        import json, logging
        logger = logging.getLogger()
        def handler(event, context):
            try:
                return {"statusCode": 200, "body": json.dumps(load(event))}
            except Exception:
                logger.exception("loading orders failed")
                return {"statusCode": 500, "body": json.dumps({"error": "internal error", "requestId": context.aws_request_id})}
      Events:
        Api:
          Type: HttpApi
          Properties:
            Path: /orders
            Method: GET
```

## References
- OWASP Error Handling Cheat Sheet: <https://cheatsheetseries.owasp.org/cheatsheets/Error_Handling_Cheat_Sheet.html>
- OWASP Serverless Top 10, SAS-10 Improper exception handling and verbose error messages: <https://owasp.org/www-project-serverless-top-10/>
- CWE-209: Generation of Error Message Containing Sensitive Information
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    report(
        c,
        &META,
        PracticeKind::ErrorDetailsReturned,
        "log the exception (with its stack) and answer with a generic message and an id the \
         caller can quote, such as the request id",
        |c, f, _| {
            let (exposure, _) = exposure(c.app, f);
            let (severity, because) = match exposure {
                Exposure::Public => (Severity::High, "anyone on the internet can call it"),
                Exposure::Authenticated => (Severity::Medium, "its callers must authenticate"),
                Exposure::Unknown => (Severity::Medium, ""),
                Exposure::Internal => {
                    (Severity::Low, "only internal triggers invoke it, so the answer reaches few")
                }
            };
            Some(Report { severity, because: because.to_string() })
        },
    );
}
