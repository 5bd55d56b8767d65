use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_taint::SinkClass;

use crate::checker::Checker;
use crate::rules::injection::{Class, report};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "INJ005",
    name: "unsafe-deserialization",
    summary: "Event data is deserialized with a format that can run code (`pickle`, unsafe YAML, `node-serialize`)",
    severity: Severity::Critical,
    sas: Sas::EventInjection,
    cwe: &[502],
    doc: r#"## What it does
Finds event data handed to a deserializer that can build arbitrary objects
and so run code: Python `pickle` and `cPickle` `loads`/`load`, `marshal`,
`shelve`, `jsonpickle.decode`, `yaml.load` without a safe loader and
`yaml.unsafe_load`; Node.js `node-serialize` `unserialize`, `eval` of
`serialize-javascript` output, and js-yaml `load` with an unsafe schema
(every `load` of js-yaml 3).

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
These formats describe objects by their class and constructor arguments:
a pickle whose `__reduce__` names `os.system` runs a command while it is
being loaded, before the function can check anything. The payload fits in a
request body or a queue message, and the command runs with the function's
credentials.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Cart:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import base64
        import pickle

        def handler(event, context):
            cart = pickle.loads(base64.b64decode(event["body"]))
            return {"statusCode": 200, "body": str(len(cart))}
      Events:
        Api:
          Type: Api
          Properties:
            Path: /cart
            Method: post
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Cart:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import json

        def handler(event, context):
            cart = json.loads(event["body"])
            return {"statusCode": 200, "body": str(len(cart))}
      Events:
        Api:
          Type: Api
          Properties:
            Path: /cart
            Method: post
```

## References
- OWASP: Deserialization Cheat Sheet: <https://cheatsheetseries.owasp.org/cheatsheets/Deserialization_Cheat_Sheet.html>
- Python: `pickle` warning: <https://docs.python.org/3/library/pickle.html>
- PyYAML: `yaml.load` deprecation and safe loading: <https://github.com/yaml/pyyaml/wiki/PyYAML-yaml.load(input)-Deprecation>
- CWE-502: Deserialization of Untrusted Data
"#,
};

pub(crate) static CLASS: Class = Class {
    class: SinkClass::Deserialization,
    what: "unsafe deserialization",
    help: "exchange data as JSON (`json.loads`, `JSON.parse`), or YAML with `yaml.safe_load` / js-yaml v4 `load` with the default schema",
};

pub(crate) fn check(c: &mut Checker<'_>) {
    report(c, &META, &CLASS);
}
