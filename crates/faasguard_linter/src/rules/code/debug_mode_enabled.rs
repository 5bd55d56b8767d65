use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_taint::practices::PracticeKind;
use faasguard_taint::sources::{Exposure, exposure};

use crate::checker::Checker;
use crate::rules::code::{Report, report};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "CODE005",
    name: "debug-mode-enabled",
    summary: "A web framework runs in debug or development mode in the function",
    severity: Severity::Medium,
    sas: Sas::ImproperErrorHandling,
    cwe: &[489, 215],
    doc: r#"## What it does
Finds web frameworks put in debug mode in function code: Flask
`app.debug = True`, `app.config["DEBUG"] = True`,
`app.config.update(DEBUG=True)`, `app.run(debug=True)`; FastAPI,
Starlette and Quart `debug=True`; Chalice `app.debug = True`; Django
`DEBUG = True` in a settings module; Express `app.set("env",
"development")`, the `errorhandler` middleware, `process.env.NODE_ENV =
"development"`; Apollo Server `debug: true`. Code under `if __name__ ==
"__main__":`, which Lambda never runs, is not reported. Severity is high
when anyone on the internet can call the function.

## Why is this bad?
In debug mode frameworks answer errors with stack traces, settings, SQL
queries and local variables (Django's yellow page lists the settings;
Chalice returns the traceback in the response). Werkzeug's debugger even
runs code sent to it. Debug mode is for a developer's machine, where only
the developer sees the answers.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        from chalice import Chalice
        app = Chalice(app_name="orders")
        app.debug = True
        def handler(event, context):
            return app(event, context)
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import os
        from chalice import Chalice
        app = Chalice(app_name="orders")
        app.debug = os.environ.get("STAGE") == "local"
        def handler(event, context):
            return app(event, context)
```

## References
- Flask: debug mode must not be used in production: <https://flask.palletsprojects.com/en/stable/debugging/>
- Django: deployment checklist, `DEBUG`: <https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#debug>
- Express: production best practices, `NODE_ENV`: <https://expressjs.com/en/advanced/best-practice-performance.html#set-node_env-to-production>
- CWE-489: Active Debug Code; CWE-215: Insertion of Sensitive Information Into Debugging Code
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    report(
        c,
        &META,
        PracticeKind::DebugMode,
        "turn debug mode off in deployed code (or tie it to a local-only setting), and log \
         errors instead of showing them",
        |c, f, _| {
            let public = exposure(c.app, f).0 == Exposure::Public;
            let severity = if public { Severity::High } else { Severity::Medium };
            let because = if public { "anyone on the internet can call it" } else { "" };
            Some(Report { severity, because: because.to_string() })
        },
    );
}
