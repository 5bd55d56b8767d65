use faasguard_diagnostics::{RuleMeta, Sas, Severity};

use super::{FileNote, notes_by_file};
use crate::checker::{Checker, FindingExt};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "INP003",
    name: "code-analysis-incomplete",
    summary: "The event-data analysis of a function's code stopped at one of its limits, so injection flows may be missing",
    severity: Severity::Info,
    sas: Sas::InsecureConfiguration,
    cwe: &[],
    doc: r#"## What it does
Reports handler code whose event-data (taint) analysis stopped short of
the whole code: an expression or a chain of assignments nested deeper than
the analysis follows, calls into local functions nested too deep, a
module with more bindings or calls than one analysis reads, or the work
budget of the function spent. One finding per file, naming the functions
that load it and which limit was met.

## Why is this bad?
The limits keep a scan bounded on minified bundles, generated code and
hostile input, and the analysis keeps every flow it found before the
limit. But a flow through the part it did not follow is not reported, so
the absence of injection findings for these functions is not evidence of
their absence. This finding says so rather than staying silent.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Run:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import os
        def handler(event, context):
            os.system("echo " + ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((event["body"])))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Run:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import os
        def handler(event, context):
            os.system("echo ok")
```

## References
- OWASP Serverless Top 10, SAS-1 (event-data injection): <https://owasp.org/www-project-serverless-top-10/>
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    let mut notes = Vec::new();
    for (id, _) in c.app.functions() {
        let Some(analysis) = c.taint(id) else { return };
        notes.extend(analysis.notes.iter().map(|n| (id, n.span, n.message.clone())));
    }
    for note in notes_by_file(c, notes) {
        let FileNote { span, message, names, first, path } = note;
        let what = path.as_deref().map_or("code".to_string(), |p| format!("`{p}`"));
        let finding = c
            .finding(
                &META,
                span,
                format!(
                    "the event-data analysis of {what}, code of {}, stopped at a limit: {message}",
                    names
                ),
            )
            .function(first)
            .key(path.unwrap_or_default())
            .help(
                "if this is bundled or generated code, point the function's code location at \
                 its source; otherwise split the deeply nested expression or the large module, \
                 and review the flows of this code by hand",
            );
        c.push(finding);
    }
}
