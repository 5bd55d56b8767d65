use faasguard_diagnostics::{RuleMeta, Sas, Severity};

use crate::checker::{Checker, FindingExt};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "TRG003",
    name: "public-invoke-permission",
    summary: "A resource policy lets anyone invoke the function (Principal `*`)",
    severity: Severity::High,
    sas: Sas::BrokenAuthentication,
    cwe: &[284],
    doc: r#"## What it does
Finds `AWS::Lambda::Permission` (and Terraform `aws_lambda_permission`)
resources whose principal is `*` with no organization condition, and Google
Cloud Functions invoker bindings to `allUsers` or `allAuthenticatedUsers`.
The permission that accompanies a function URL with `AuthType NONE` is left
to `function-url-without-auth`.

## Why is this bad?
With principal `*`, any AWS account can call `lambda:InvokeFunction` on the
function directly, bypassing the API, the authorizer and every trigger that
was meant to be the only way in.

## Example
```yaml
Resources:
  Invoke:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: arn:aws:lambda:us-east-1:123456789012:function:orders
      Action: lambda:InvokeFunction
      Principal: "*"
```

## Use instead
```yaml
Resources:
  Invoke:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: arn:aws:lambda:us-east-1:123456789012:function:orders
      Action: lambda:InvokeFunction
      Principal: "123456789012"
```

## References
- AWS: Using resource-based policies for Lambda: <https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html>
- CWE-284: Improper Access Control
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    for p in &c.app.permissions {
        if !p.is_public() || p.principal_org_id.is_some() {
            continue;
        }
        let url_permission = p.action.value.eq_ignore_ascii_case("lambda:InvokeFunctionUrl")
            && p.function_url_auth_type
                .as_ref()
                .is_some_and(|t| t.value.eq_ignore_ascii_case("NONE"));
        if url_permission {
            continue;
        }
        let target = match p.function {
            Some(id) => format!("`{}`", c.app.function(id).logical_id),
            None => format!("`{}`", p.function_ref.value),
        };
        let mut finding = c
            .finding(
                &META,
                p.principal.span,
                format!(
                    "permission `{}` lets any principal ({}) call {} on {target}",
                    p.logical_id, p.principal.value, p.action.value
                ),
            )
            .resource(p.logical_id.clone())
            .label(p.span, "the permission")
            .help("name the account or service principal that needs to invoke the function");
        if let Some(id) = p.function {
            finding = finding.function(c.app.function(id));
        }
        c.push(finding);
    }
}
