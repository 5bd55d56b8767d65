use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_taint::SinkClass;

use crate::checker::Checker;
use crate::rules::injection::{Class, report};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "INJ010",
    name: "regex-injection",
    summary: "Event data is compiled as a regular expression: one request can pin the function until it times out",
    severity: Severity::High,
    sas: Sas::EventInjection,
    cwe: &[1333],
    doc: r#"## What it does
Finds event data used as the pattern of a regular expression: Python
`re.compile`, `re.match`, `re.search` and the other `re` functions with the
pattern from input; JavaScript `new RegExp(x)` and `RegExp(x)`. Text
escaped first is not reported.

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
Python's and JavaScript's regex engines backtrack: a pattern such as
`(a+)+$` against a long string takes exponential time. One request keeps the
function busy until its timeout, billed by the millisecond and holding a
concurrency slot: a cheap denial of service (and of wallet). A pattern
from input also matches more than meant (`.*`).

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Search:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import re

        LINES = ["alpha", "beta", "gamma"]

        def handler(event, context):
            q = event["queryStringParameters"]["q"]
            hits = [line for line in LINES if re.search(q, line)]
            return {"statusCode": 200, "body": ",".join(hits)}
      Events:
        Api:
          Type: Api
          Properties:
            Path: /search
            Method: get
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Search:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        LINES = ["alpha", "beta", "gamma"]

        def handler(event, context):
            q = event["queryStringParameters"]["q"]
            hits = [line for line in LINES if q.lower() in line]
            return {"statusCode": 200, "body": ",".join(hits)}
      Events:
        Api:
          Type: Api
          Properties:
            Path: /search
            Method: get
```

## References
- OWASP: Regular expression Denial of Service (ReDoS): <https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS>
- CWE-1333: Inefficient Regular Expression Complexity
"#,
};

pub(crate) static CLASS: Class = Class {
    class: SinkClass::Regex,
    what: "regular expression injection",
    help: "search for the text itself (`in`, `includes`), or escape it first (`re.escape`, an `escapeRegExp` helper); never compile a pattern from input",
};

pub(crate) fn check(c: &mut Checker<'_>) {
    report(c, &META, &CLASS);
}
