use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_taint::SinkClass;

use crate::checker::Checker;
use crate::rules::injection::{Class, report};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "INJ004",
    name: "nosql-injection",
    summary: "Event data shapes a NoSQL query: the caller picks which documents match",
    severity: Severity::High,
    sas: Sas::EventInjection,
    cwe: &[943],
    doc: r#"## What it does
Finds event data that decides the shape of a NoSQL query: a MongoDB
`find`, `find_one`, `update` or `delete` (and their Node.js forms) given a
query object parsed from the request, or a `$where` built from it; DynamoDB
`FilterExpression`, `KeyConditionExpression` or `ProjectionExpression`
strings built from it. Values converted to a number first (`int`,
`parseInt`) are not reported.

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
A parsed JSON body is not a string: `{"password": {"$ne": null}}` matches
every user and bypasses a login, `{"$where": "sleep(5000)"}` runs
JavaScript in the database. An expression built from input lets the caller
read attributes or items the function meant to filter out.

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
        import json
        import os

        from pymongo import MongoClient

        users = MongoClient(os.environ["MONGO_URL"]).app.users

        def handler(event, context):
            query = json.loads(event["body"])
            user = users.find_one(query)
            return {"statusCode": 200 if user else 401}
      Events:
        Api:
          Type: Api
          Properties:
            Path: /login
            Method: post
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
        import json
        import os

        from pymongo import MongoClient

        users = MongoClient(os.environ["MONGO_URL"]).app.users

        def handler(event, context):
            body = json.loads(event["body"])
            user = users.find_one({"_id": int(body["id"])})
            return {"statusCode": 200 if user else 401}
      Events:
        Api:
          Type: Api
          Properties:
            Path: /login
            Method: post
```

## References
- OWASP: Testing for NoSQL Injection: <https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/07-Input_Validation_Testing/05.6-Testing_for_NoSQL_Injection>
- AWS: DynamoDB expression attribute values: <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeValues.html>
- CWE-943: Improper Neutralization of Special Elements in Data Query Logic
"#,
};

pub(crate) static CLASS: Class = Class {
    class: SinkClass::NoSql,
    what: "NoSQL injection",
    help: "build the query yourself from typed values (`{\"_id\": int(x)}`, `String(x)`), never pass a parsed request body as a query, and put values in `ExpressionAttributeValues`, not in the expression text",
};

pub(crate) fn check(c: &mut Checker<'_>) {
    report(c, &META, &CLASS);
}
