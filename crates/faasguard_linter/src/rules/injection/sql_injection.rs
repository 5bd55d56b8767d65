use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_taint::SinkClass;

use crate::checker::Checker;
use crate::rules::injection::{Class, report};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "INJ003",
    name: "sql-injection",
    summary: "Event data is built into an SQL or PartiQL statement: the caller rewrites the query",
    severity: Severity::Critical,
    sas: Sas::EventInjection,
    cwe: &[89],
    doc: r#"## What it does
Finds event data built into the text of an SQL statement: DB-API
`cursor.execute` and `executemany`, SQLAlchemy `session.execute(text(...))`,
`pandas.read_sql`, the RDS Data API `execute_statement(sql=...)`, DynamoDB
PartiQL (`execute_statement`, `ExecuteStatementCommand`) with a built
`Statement`; Node.js `connection.query`, `pg` `client.query`, `knex.raw`
and `sequelize.query` with a built string. Parameterised queries (`%s`,
`?` or `$1` placeholders with the values passed apart) are not reported.

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
A quote in the value ends the string literal and the rest is SQL:
`' OR '1'='1` returns every row, `'; DROP TABLE users; --` destroys them.
The database runs the statement with the function's credentials, so the
attacker reads and writes everything the function's database user (or, for
PartiQL and the Data API, its execution role) can.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  GetUser:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import boto3

        dynamodb = boto3.client("dynamodb")

        def handler(event, context):
            user = event["pathParameters"]["id"]
            rows = dynamodb.execute_statement(
                Statement=f"SELECT * FROM Users WHERE id = '{user}'"
            )
            return {"statusCode": 200, "body": str(rows["Items"])}
      Events:
        Api:
          Type: Api
          Properties:
            Path: /users/{id}
            Method: get
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  GetUser:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import boto3

        dynamodb = boto3.client("dynamodb")

        def handler(event, context):
            user = event["pathParameters"]["id"]
            rows = dynamodb.execute_statement(
                Statement="SELECT * FROM Users WHERE id = ?",
                Parameters=[{"S": user}],
            )
            return {"statusCode": 200, "body": str(rows["Items"])}
      Events:
        Api:
          Type: Api
          Properties:
            Path: /users/{id}
            Method: get
```

## References
- OWASP: SQL Injection Prevention Cheat Sheet: <https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html>
- AWS: PartiQL for DynamoDB, parameterized statements: <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.statements.html>
- CWE-89: Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')
"#,
};

pub(crate) static CLASS: Class = Class {
    class: SinkClass::Sql,
    what: "SQL injection",
    help: "pass the value as a query parameter (`execute(\"... %s\", (x,))`, PartiQL `?` with `Parameters`, `client.query(text, [x])`), never in the statement's text",
};

pub(crate) fn check(c: &mut Checker<'_>) {
    report(c, &META, &CLASS);
}
