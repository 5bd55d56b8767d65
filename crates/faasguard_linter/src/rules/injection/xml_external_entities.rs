use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_taint::SinkClass;

use crate::checker::Checker;
use crate::rules::injection::{Class, report};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "INJ008",
    name: "xml-external-entities",
    summary: "Event data is parsed by an XML parser that resolves external entities",
    severity: Severity::High,
    sas: Sas::EventInjection,
    cwe: &[611],
    doc: r#"## What it does
Finds event data parsed by an XML parser that resolves external entities:
lxml `etree.fromstring`, `etree.parse` and parsers with
`resolve_entities=True`, `xml.sax` with external general entities turned
on, `xml.dom.pulldom`; Node.js `libxmljs` `parseXml` with `noent: true` and
`xml2js` with unsafe options. `DOMParser` and `defusedxml` are safe.

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
A document declaring `<!ENTITY x SYSTEM "file:///proc/self/environ">`
makes the parser read the file (here: the function's credentials) into the
document, which the function often echoes back; an entity naming an
`http://` URL makes it send requests from inside the account, and nested
entities exhaust its memory.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Import:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        from lxml import etree

        def handler(event, context):
            doc = etree.fromstring(event["body"])
            return {"statusCode": 200, "body": doc.findtext("name")}
      Events:
        Api:
          Type: Api
          Properties:
            Path: /import
            Method: post
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Import:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        from defusedxml.ElementTree import fromstring

        def handler(event, context):
            doc = fromstring(event["body"])
            return {"statusCode": 200, "body": doc.findtext("name")}
      Events:
        Api:
          Type: Api
          Properties:
            Path: /import
            Method: post
```

## References
- OWASP: XML External Entity Prevention Cheat Sheet: <https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html>
- Python: XML vulnerabilities: <https://docs.python.org/3/library/xml.html#xml-vulnerabilities>
- CWE-611: Improper Restriction of XML External Entity Reference
"#,
};

pub(crate) static CLASS: Class = Class {
    class: SinkClass::Xxe,
    what: "XML external entity injection",
    help: "parse untrusted XML with `defusedxml`, an lxml parser with `resolve_entities=False, no_network=True`, or libxmljs without `noent`",
};

pub(crate) fn check(c: &mut Checker<'_>) {
    report(c, &META, &CLASS);
}
