use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_taint::SinkClass;

use crate::checker::Checker;
use crate::rules::injection::{Class, report};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "INJ001",
    name: "code-injection",
    summary: "Event data reaches `eval`, `exec` or `new Function`: the caller runs code in the function",
    severity: Severity::Critical,
    sas: Sas::EventInjection,
    cwe: &[94, 95],
    doc: r#"## What it does
Finds event data that reaches a function which runs it as code: Python
`eval`, `exec`, `compile`, `__import__` and `importlib.import_module`;
JavaScript `eval`, `new Function`, `Function(...)`, the `vm` module
(`runInNewContext`, `runInThisContext`, `new vm.Script`) and `setTimeout`
or `setInterval` with a string.

The event is the handler's first parameter and everything read from it
(`event["body"]`, `event.queryStringParameters.id`, S3 keys of a
notification), or the request object of a web framework running in the
function (Flask, FastAPI, Django, Chalice, Express, Koa, Fastify, Azure
Functions). It is followed through assignments, string building
(concatenation, f-strings, template literals, `format`), parsing
(`json.loads`, `JSON.parse`, base64), calls to the handler's own
functions and the local modules it imports.

The severity follows the function's most exposed trigger: critical for a
public route or function URL, high behind authentication, medium for
internal triggers (queues, buckets, streams), low when nothing in the app
invokes the function.

## Why is this bad?
Whoever controls the string runs code inside the function, with its
execution role's credentials (in the environment variables), its network
position and its data. In a Lambda function that is enough to read every
secret the function can read, call every AWS API its role allows, and
tamper with the `/tmp` the next invocation reuses.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Calc:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import json

        def handler(event, context):
            expr = event["queryStringParameters"]["expr"]
            return {"statusCode": 200, "body": json.dumps(eval(expr))}
      Events:
        Api:
          Type: Api
          Properties:
            Path: /calc
            Method: get
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Calc:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import ast
        import json

        def handler(event, context):
            expr = event["queryStringParameters"]["expr"]
            return {"statusCode": 200, "body": json.dumps(ast.literal_eval(expr))}
      Events:
        Api:
          Type: Api
          Properties:
            Path: /calc
            Method: get
```

## References
- OWASP: Code Injection: <https://owasp.org/www-community/attacks/Code_Injection>
- Python: `ast.literal_eval`: <https://docs.python.org/3/library/ast.html#ast.literal_eval>
- OWASP Serverless Top 10, SAS-1 Function event-data injection: <https://owasp.org/www-project-serverless-top-10/>
- CWE-94: Improper Control of Generation of Code ('Code Injection')
- CWE-95: Improper Neutralization of Directives in Dynamically Evaluated Code ('Eval Injection')
"#,
};

pub(crate) static CLASS: Class = Class {
    class: SinkClass::CodeExecution,
    what: "code injection",
    help: "never evaluate event data as code: parse it (`json.loads`, `ast.literal_eval`, `JSON.parse`) or map it to a fixed set of operations",
};

pub(crate) fn check(c: &mut Checker<'_>) {
    report(c, &META, &CLASS);
}
