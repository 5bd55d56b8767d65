use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_taint::SinkClass;

use crate::checker::Checker;
use crate::rules::injection::{Class, report};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "INJ007",
    name: "server-side-request-forgery",
    summary: "Event data picks the URL or host of an outbound request: the caller makes the function fetch what it wants",
    severity: Severity::High,
    sas: Sas::EventInjection,
    cwe: &[918],
    doc: r#"## What it does
Finds event data that becomes the URL or host of an outbound request:
Python `requests`, `httpx`, `aiohttp`, `urllib.request.urlopen`,
`http.client` connections; Node.js `fetch`, `axios`, `got`, `needle`,
`superagent` and `http`/`https` `get` and `request`. Values converted to a
number or encoded (`encodeURIComponent`) before they reach the URL are not
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
The function sends requests from inside the cloud account: to internal
services behind the VPC, to other functions' URLs, to the metadata and
runtime APIs, and the responses often come back to the caller. A request
to `file://` or to an internal admin endpoint leaks what the function can
reach, with the trust its network position carries.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Preview:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import urllib.request

        def handler(event, context):
            url = event["queryStringParameters"]["url"]
            with urllib.request.urlopen(url) as r:
                return {"statusCode": 200, "body": r.read().decode()[:200]}
      Events:
        Api:
          Type: Api
          Properties:
            Path: /preview
            Method: get
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Preview:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import urllib.request

        def handler(event, context):
            item = int(event["queryStringParameters"]["item"])
            with urllib.request.urlopen(f"https://api.example.com/items/{item}") as r:
                return {"statusCode": 200, "body": r.read().decode()[:200]}
      Events:
        Api:
          Type: Api
          Properties:
            Path: /preview
            Method: get
```

## References
- OWASP: Server-Side Request Forgery Prevention Cheat Sheet: <https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html>
- CWE-918: Server-Side Request Forgery (SSRF)
"#,
};

pub(crate) static CLASS: Class = Class {
    class: SinkClass::Ssrf,
    what: "server-side request forgery",
    help: "fix the host in the code and put only encoded values in the path (`int(x)`, `encodeURIComponent(x)`), or check the URL's host against an allow-list before the request",
};

pub(crate) fn check(c: &mut Checker<'_>) {
    report(c, &META, &CLASS);
}
