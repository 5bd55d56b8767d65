use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_taint::SinkClass;

use crate::checker::Checker;
use crate::rules::injection::{Class, report};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "INJ006",
    name: "path-traversal",
    summary: "Event data is used as a file path or S3 key: the caller reads or writes outside the intended place",
    severity: Severity::High,
    sas: Sas::EventInjection,
    cwe: &[22],
    doc: r#"## What it does
Finds event data used in a file path or an object key: Python `open`,
`os.remove`, `shutil` functions, `pathlib.Path`, Flask `send_file`;
Node.js `fs` functions (`readFile`, `writeFile`, `createReadStream`,
`unlink`, ...) and `res.sendFile`; and S3 writes (`put_object`,
`PutObjectCommand`) whose `Key` comes from the event. Names reduced to
their last component (`os.path.basename`, `path.basename`) are not
reported.

The event is the handler's first parameter and everything read from it
(`event["body"]`, `event.queryStringParameters.id`, S3 keys of a
notification), or the request object of a web framework running in the
function (Flask, FastAPI, Django, Chalice, Express, Koa, Fastify, Azure
Functions). It is followed through assignments, string building
(concatenation, f-strings, template literals, `format`), parsing
(`json.loads`, `JSON.parse`, base64), calls to the handler's own
functions and the local modules it imports.

The severity follows the function's most exposed trigger: high for a
public route or function URL, medium behind authentication, low for
internal triggers (queues, buckets, streams), low when nothing in the app
invokes the function.

## Why is this bad?
`../` walks out of the intended directory: `../../proc/self/environ` in a
Lambda function is its environment, execution role credentials included,
and `/var/task` holds its code. A key written from input lets the caller
overwrite other users' objects, or files other functions trust.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Docs:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        def handler(event, context):
            name = event["pathParameters"]["name"]
            with open("/var/task/docs/" + name) as f:
                return {"statusCode": 200, "body": f.read()}
      Events:
        Api:
          Type: Api
          Properties:
            Path: /docs/{name}
            Method: get
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Docs:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import os

        def handler(event, context):
            name = os.path.basename(event["pathParameters"]["name"])
            with open("/var/task/docs/" + name) as f:
                return {"statusCode": 200, "body": f.read()}
      Events:
        Api:
          Type: Api
          Properties:
            Path: /docs/{name}
            Method: get
```

## References
- OWASP: Path Traversal: <https://owasp.org/www-community/attacks/Path_Traversal>
- AWS: Lambda runtime environment variables: <https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime>
- CWE-22: Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')
"#,
};

pub(crate) static CLASS: Class = Class {
    class: SinkClass::Path,
    what: "path traversal",
    help: "keep only the file name (`os.path.basename`, `path.basename`) or look the name up in a fixed list, and join it to a fixed directory or key prefix",
};

pub(crate) fn check(c: &mut Checker<'_>) {
    report(c, &META, &CLASS);
}
