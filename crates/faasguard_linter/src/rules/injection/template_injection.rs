use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_taint::SinkClass;

use crate::checker::Checker;
use crate::rules::injection::{Class, report};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "INJ009",
    name: "template-injection",
    summary: "Event data becomes the text of a template: the caller runs template code on the server",
    severity: Severity::High,
    sas: Sas::EventInjection,
    cwe: &[1336],
    doc: r#"## What it does
Finds event data compiled as a template (the template's own text, not a
value rendered into it): `jinja2.Template`, `Environment.from_string`,
Flask `render_template_string`, Mako `Template`; Node.js `ejs.render`,
`pug.compile`, `handlebars.compile` and lodash `_.template`. Values
converted to a number first are not reported.

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
Template languages are programming languages: `{{ cycler.__init__.__globals__.os.popen('id').read() }}`
runs a command through Jinja2, and EJS or Pug compile to JavaScript. What
looks like a greeting page becomes remote code execution with the
function's credentials.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Greet:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        from jinja2 import Template

        def handler(event, context):
            name = event["queryStringParameters"]["name"]
            html = Template("<h1>Hello " + name + "</h1>").render()
            return {"statusCode": 200, "body": html}
      Events:
        Api:
          Type: Api
          Properties:
            Path: /greet
            Method: get
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Greet:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        from jinja2 import Template

        PAGE = Template("<h1>Hello {{ name }}</h1>", autoescape=True)

        def handler(event, context):
            name = event["queryStringParameters"]["name"]
            return {"statusCode": 200, "body": PAGE.render(name=name)}
      Events:
        Api:
          Type: Api
          Properties:
            Path: /greet
            Method: get
```

## References
- PortSwigger: Server-side template injection: <https://portswigger.net/web-security/server-side-template-injection>
- Jinja: API, autoescaping: <https://jinja.palletsprojects.com/en/stable/api/#autoescaping>
- CWE-1336: Improper Neutralization of Special Elements Used in a Template Engine
"#,
};

pub(crate) static CLASS: Class = Class {
    class: SinkClass::Template,
    what: "server-side template injection",
    help: "keep templates fixed in the code and pass event data as render variables (`Template(\"{{ name }}\").render(name=x)`, `ejs.render(tpl, {name})`)",
};

pub(crate) fn check(c: &mut Checker<'_>) {
    report(c, &META, &CLASS);
}
