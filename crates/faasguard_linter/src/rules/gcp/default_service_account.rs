use faasguard_diagnostics::{RuleMeta, Sas, Severity};

use super::cloud_functions;
use crate::checker::{Checker, FindingExt};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "GCF003",
    name: "default-service-account",
    summary: "The Cloud Function runs as the project's default service account",
    severity: Severity::High,
    sas: Sas::OverPrivileged,
    cwe: &[250],
    doc: r#"## What it does
Finds Google Cloud Functions that run as a Google-created default service
account: no `service_account_email` (1st gen) or
`service_config.service_account_email` (2nd gen) is set, or it names the
App Engine default (`PROJECT_ID@appspot.gserviceaccount.com`, 1st gen's
default) or the Compute Engine default
(`PROJECT_NUMBER-compute@developer.gserviceaccount.com`, 2nd gen's default).

## Why is this bad?
Google grants these accounts the basic `roles/editor` role on the project
when they are created, unless the organization policy
`iam.automaticIamGrantsForDefaultServiceAccounts` prevents it (the default
for organizations created since May 2024). Editor can read and change almost
every resource in the project, so one flaw in the function's code hands all
of it to an attacker. Even without Editor, the default account is shared by
every function, VM and App Engine service that does not name its own, so
each of them holds the union of everything the others need, and nothing can
be granted to one function alone. A dedicated service account per function
with only the roles it uses keeps a compromise contained.

## Example
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
}
```

## Use instead
```hcl
resource "google_service_account" "orders" {
  account_id   = "orders-fn"
  display_name = "orders function"
}

resource "google_cloudfunctions_function" "orders" {
  name                         = "orders"
  region                       = "europe-west1"
  runtime                      = "python312"
  entry_point                  = "handler"
  source_archive_bucket        = "orders-functions-source"
  source_archive_object        = "orders.zip"
  trigger_http                 = true
  https_trigger_security_level = "SECURE_ALWAYS"
  service_account_email        = google_service_account.orders.email
}
```

## References
- Google Cloud: Function identity (use a user-managed service account): <https://cloud.google.com/functions/docs/securing/function-identity>
- Google Cloud: Default service accounts and the automatic Editor grant: <https://cloud.google.com/iam/docs/service-account-types#default>
- Google Cloud: Best practices for using service accounts securely: <https://cloud.google.com/iam/docs/best-practices-service-accounts>
- CWE-250: Execution with Unnecessary Privileges
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    let app = c.app;
    for (fid, f, _) in cloud_functions(app) {
        let Some(role) = app.role_of(fid) else { continue };
        if !role.default_identity {
            continue;
        }
        // Loaders link a function to the default account only when the
        // email is absent or is a default account's: an unresolved email
        // leaves the role unknown and never reaches here.
        let written = f.role_ref.as_ref().filter(|r| r.is_known());
        let (at, message) = match written {
            Some(email) => (
                email.span,
                format!(
                    "Cloud Function `{}` runs as the default service account `{}`",
                    f.logical_id, email.value
                ),
            ),
            None => (
                f.span,
                format!(
                    "Cloud Function `{}` sets no service account, so it runs as the project's \
                     default service account",
                    f.logical_id
                ),
            ),
        };
        let mut finding =
            c.finding(&META, at, message).function(f).resource(role.logical_id.clone()).help(
                "create a service account for the function, grant it only the roles it uses, \
                 and set it as the function's service account",
            );
        if at != f.span {
            finding = finding.label(f.span, "the function");
        }
        for a in &role.assignments {
            let granted = if a.role.is_known() { a.role.value.as_str() } else { "a role" };
            finding =
                finding.label(a.span, format!("the default account is granted {granted} here"));
        }
        c.push(finding);
    }
}
