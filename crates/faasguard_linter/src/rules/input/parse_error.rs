use faasguard_diagnostics::{Finding, RuleMeta, Sas, Severity, Subject};
use faasguard_syntax::ParseError;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "INP001",
    name: "parse-error",
    summary: "A file could not be read in full, so part of the app was not checked",
    severity: Severity::Medium,
    sas: Sas::InsecureConfiguration,
    cwe: &[],
    doc: r#"## What it does
Reports every IaC file, or part of one, that faasguard could not read: invalid
YAML or JSON, a resource without a `Type`, a file over 20 MB, a binary or
non-UTF-8 file, nesting deeper than 256 levels, a YAML alias bomb, a symbolic
link loop, a `${file()}` or `file()` target that does not exist.

## Why is this bad?
What faasguard cannot read, it cannot check. A template that does not parse
here may still deploy (CloudFormation accepts some documents that strict YAML
does not), so a silent skip would hide every problem in it. The rest of the
file is still loaded where possible; the finding says what was lost.

## Example
```yaml
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: [unclosed
```

## Use instead
```yaml
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code:
        S3Bucket: artifacts
        S3Key: fn.zip
      TracingConfig:
        Mode: Active
```

## References
- YAML 1.2.2 specification: <https://yaml.org/spec/1.2.2/>
- CloudFormation template anatomy: <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html>
"#,
};

pub(crate) fn finding(path: &str, error: &ParseError) -> Finding {
    Finding {
        code: META.code,
        rule: META.name,
        severity: META.severity,
        sas: META.sas,
        cwe: META.cwe,
        message: format!("{} ({})", error.message, error.kind.as_str()),
        help: Some(
            "fix the file, or exclude it from the scan (.gitignore) if it is not deployed"
                .to_string(),
        ),
        primary: error.span,
        labels: Vec::new(),
        flow: Vec::new(),
        subject: Subject { app: path.to_string(), function: None, resource: None },
        // Several errors in one file stay distinct.
        key: format!("{}:{}", error.kind.as_str(), error.message),
        secrets: Vec::new(),
    }
}
