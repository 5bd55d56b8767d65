use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_taint::SinkClass;

use crate::checker::Checker;
use crate::rules::injection::{Class, report};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "INJ011",
    name: "open-redirect",
    summary: "Event data is the target of a redirect: links on the trusted domain send users anywhere",
    severity: Severity::High,
    sas: Sas::EventInjection,
    cwe: &[601],
    doc: r#"## What it does
Finds event data that becomes the target of a redirect: Flask `redirect`,
Express `res.redirect`, and Lambda proxy responses whose `Location` header
comes from the event (`{"statusCode": 302, "headers": {"Location": x}}`).

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
A link such as `https://login.example.com/auth?next=https://evil.example`
carries the trusted domain, so users and mail filters trust it; after
login the function sends the user to the attacker's page, which asks for
the password again or receives an OAuth code or token in the URL.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Login:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        def handler(event, context):
            target = event["queryStringParameters"]["next"]
            return {"statusCode": 302, "headers": {"Location": target}}
      Events:
        Api:
          Type: Api
          Properties:
            Path: /login
            Method: get
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Login:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        def handler(event, context):
            order = int(event["queryStringParameters"]["order"])
            return {"statusCode": 302, "headers": {"Location": f"/orders/{order}"}}
      Events:
        Api:
          Type: Api
          Properties:
            Path: /login
            Method: get
```

## References
- OWASP: Unvalidated Redirects and Forwards Cheat Sheet: <https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards_Cheat_Sheet.html>
- CWE-601: URL Redirection to Untrusted Site ('Open Redirect')
"#,
};

pub(crate) static CLASS: Class = Class {
    class: SinkClass::OpenRedirect,
    what: "open redirect",
    help: "redirect only to paths of your own site or to targets looked up in a fixed map; if a full URL is needed, check its host against an allow-list",
};

pub(crate) fn check(c: &mut Checker<'_>) {
    report(c, &META, &CLASS);
}
