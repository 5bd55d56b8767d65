use std::collections::BTreeMap;

use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_model::FunctionId;
use faasguard_source::{FileId, Span};

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
    // File -> (first note, its message, functions), in file order so the
    // output does not depend on function order.
    let mut by_file: BTreeMap<FileId, (Span, String, Vec<FunctionId>)> = BTreeMap::new();
    for (id, _) in c.app.functions() {
        let Some(analysis) = c.taint(id) else { return };
        for note in &analysis.notes {
            let entry = by_file
                .entry(note.span.file)
                .or_insert_with(|| (note.span, note.message.clone(), Vec::new()));
            if !entry.2.contains(&id) {
                entry.2.push(id);
            }
        }
    }
    for (_, (span, message, functions)) in by_file {
        let names: Vec<String> = functions
            .iter()
            .filter_map(|f| c.app.functions.get(f.index()))
            .map(|f| format!("`{}`", f.logical_id))
            .collect();
        let Some(first) = functions.first().and_then(|f| c.app.functions.get(f.index())) else {
            continue;
        };
        let path = c.db.and_then(|db| db.get(span.file)).map(|f| f.path.to_string());
        let what = path.as_deref().map_or("code".to_string(), |p| format!("`{p}`"));
        let finding = c
            .finding(
                &META,
                span,
                format!(
                    "the event-data analysis of {what}, code of {}, stopped at a limit: {message}",
                    names.join(", ")
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
