use faasguard_code::handler::ProblemKind;
use faasguard_diagnostics::{Finding, RuleMeta, Sas, Severity, Subject};
use faasguard_source::Span;

use super::{FileNote, notes_by_file};
use crate::checker::{Checker, FindingExt};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "INP002",
    name: "code-parse-error",
    summary: "A function's handler code could not be parsed in full, so part of it was not analysed",
    severity: Severity::Low,
    sas: Sas::InsecureConfiguration,
    cwe: &[],
    doc: r#"## What it does
Reports handler code (the entry file of a function, a local module it
imports, or the inline code of a template) that the Python, JavaScript or
TypeScript parser could not read in full: a syntax error, a file over the
2 MB limit, or code so large or tangled that parsing ran out of its work
budget. One finding per file, naming the functions that load it. A code
file under a function's code location that cannot be read at all (not
UTF-8, binary) is reported too.

## Why is this bad?
faasguard analyses what it can around the broken part, but the SDK calls
in it are not seen: the permissions the code needs (and so which granted
ones are unused) may be incomplete. Code that really does not parse also
fails at run time: Lambda cannot import a handler with a syntax error.
Newer syntax than the parser knows can give the same finding; the message
gives the place so it can be checked.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Report:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import boto3
        def handler(event, context:
            return boto3.client("s3").list_buckets(
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Report:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import boto3
        def handler(event, context):
            return boto3.client("s3").list_buckets()
```

## References
- AWS Lambda, Python handler errors (`Runtime.UserCodeSyntaxError`): <https://docs.aws.amazon.com/lambda/latest/dg/python-exceptions.html>
- tree-sitter, the parser faasguard uses: <https://tree-sitter.github.io/tree-sitter/>
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    let mut notes = Vec::new();
    for (id, _) in c.app.functions() {
        let Some(inference) = c.inference(id) else { return };
        notes.extend(
            inference
                .notes
                .iter()
                .filter(|n| n.problem == Some(ProblemKind::Syntax))
                .map(|n| (id, n.span, n.message.clone())),
        );
    }
    for note in notes_by_file(c, notes) {
        let FileNote { span, message, names, first, path } = note;
        // Inference notes start with their location, and code problems with
        // the file's name: both are in the finding already.
        let reason = message.split_once(": ").map_or(message.as_str(), |(_, r)| r);
        let reason = path
            .as_deref()
            .and_then(|p| reason.strip_prefix(&format!("`{p}`: ")))
            .unwrap_or(reason);
        let (what, reason) = match (reason.strip_prefix("inline code: "), path.as_deref()) {
            (Some(r), Some(p)) => (format!("inline code in `{p}`"), r),
            (Some(r), None) => ("inline code".to_string(), r),
            (None, Some(p)) => (format!("`{p}`"), reason),
            (None, None) => ("code".to_string(), reason),
        };
        let finding = c
            .finding(
                &META,
                span,
                format!(
                    "{what}, code of {}, does not parse in full ({reason}): the SDK calls in the \
                     unreadable part are not analysed",
                    names
                ),
            )
            .function(first)
            .key(path.unwrap_or_default())
            .help(if reason.contains(" limit") || reason.contains("budget") {
                "this is bundled or generated code: point the function's code location at its \
                 source (faasguard follows local imports), or keep it and review its \
                 permissions by hand"
            } else {
                "fix the syntax error (Lambda cannot import a handler that does not parse), or, \
                 if the code is valid, report the construct the parser does not know"
            });
        c.push(finding);
    }
}

/// The finding for a code file under a function's code location that could
/// not be read at all (not UTF-8, binary, over the size limit): made by the
/// CLI, which reads files; `span` is the file's start.
pub(crate) fn unreadable_finding(path: &str, span: Span, reason: &str) -> Finding {
    Finding {
        code: META.code,
        rule: META.name,
        severity: META.severity,
        sas: META.sas,
        cwe: META.cwe,
        message: format!(
            "`{path}` could not be read ({reason}): the handler code in it is not analysed, so \
             the permissions, flows and practices of the functions that load it are not known"
        ),
        help: Some(
            "save the file as UTF-8 text, or exclude it from the scan if it is not deployed code"
                .to_string(),
        ),
        primary: span,
        labels: Vec::new(),
        flow: Vec::new(),
        subject: Subject { app: path.to_string(), function: None, resource: None },
        key: format!("unreadable:{path}"),
        secrets: Vec::new(),
    }
}
