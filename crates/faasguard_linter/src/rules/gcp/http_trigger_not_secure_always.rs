use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_model::Origin;

use super::cloud_functions;
use crate::checker::{Checker, FindingExt};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "GCF002",
    name: "http-trigger-not-secure-always",
    summary: "The 1st gen HTTP function also answers plain HTTP (security level not SECURE_ALWAYS)",
    severity: Severity::Medium,
    sas: Sas::InsecureConfiguration,
    cwe: &[319],
    doc: r#"## What it does
Finds 1st gen Google Cloud Functions with an HTTP trigger
(`google_cloudfunctions_function` with `trigger_http = true`) whose
`https_trigger_security_level` is not `SECURE_ALWAYS`. When it is not
written, the Cloud Functions API uses `SECURE_OPTIONAL`, so such functions
are reported too. 2nd gen functions (`google_cloudfunctions2_function`) are
served over HTTPS only and are never reported.

## Why is this bad?
With `SECURE_OPTIONAL` the function answers `http://` requests as well as
`https://` ones, without redirecting. Whatever a client sends over plain
HTTP (identity tokens in the `Authorization` header, API keys, request
bodies) and whatever the function answers crosses the network in clear text
and can be read or changed on the way. `SECURE_ALWAYS` redirects plain HTTP
to HTTPS; clients that follow the redirect still sent their first request in
the clear, so fix the callers' URLs as well.

## Example
```hcl
resource "google_cloudfunctions_function" "orders" {
  name                  = "orders"
  region                = "europe-west1"
  runtime               = "python312"
  entry_point           = "handler"
  source_archive_bucket = "orders-functions-source"
  source_archive_object = "orders.zip"
  trigger_http          = true
  ingress_settings      = "ALLOW_INTERNAL_ONLY"
  service_account_email = "orders-fn@orders-demo-project.iam.gserviceaccount.com"
}
```

## Use instead
```hcl
resource "google_cloudfunctions_function" "orders" {
  name                         = "orders"
  region                       = "europe-west1"
  runtime                      = "python312"
  entry_point                  = "handler"
  source_archive_bucket        = "orders-functions-source"
  source_archive_object        = "orders.zip"
  trigger_http                 = true
  https_trigger_security_level = "SECURE_ALWAYS"
  ingress_settings             = "ALLOW_INTERNAL_ONLY"
  service_account_email        = "orders-fn@orders-demo-project.iam.gserviceaccount.com"
}
```

## References
- Google Cloud Functions v1 API, `HttpsTrigger.SecurityLevel` (`SECURE_OPTIONAL` when unspecified): <https://cloud.google.com/functions/docs/reference/rest/v1/projects.locations.functions#securitylevel>
- Terraform `google_cloudfunctions_function` (`https_trigger_security_level`): <https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/cloudfunctions_function>
- CWE-319: Cleartext Transmission of Sensitive Information
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    let app = c.app;
    for (_, f, p) in cloud_functions(app) {
        // Loaders set a security level only on 1st gen HTTP functions: 2nd
        // gen and event-driven functions have none, and are not reported.
        let Some(level) = p.https_security_level.as_ref().filter(|v| v.is_known()) else {
            continue;
        };
        if level.value.trim().eq_ignore_ascii_case("SECURE_ALWAYS") {
            continue;
        }
        let how =
            if level.origin == Origin::Default { " (the API default when not set)" } else { "" };
        let mut finding = c
            .finding(
                &META,
                level.span,
                format!(
                    "HTTP trigger of Cloud Function `{}` also answers plain HTTP: security level \
                     is {}{how}",
                    f.logical_id,
                    level.value.trim()
                ),
            )
            .function(f)
            .help("set `https_trigger_security_level = \"SECURE_ALWAYS\"`");
        if level.span != f.span {
            finding = finding.label(f.span, "the function");
        }
        c.push(finding);
    }
}
