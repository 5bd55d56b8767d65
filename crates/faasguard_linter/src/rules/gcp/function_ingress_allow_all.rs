use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_model::Origin;

use super::cloud_functions;
use crate::checker::{Checker, FindingExt};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "GCF001",
    name: "function-ingress-allow-all",
    summary: "The Cloud Function accepts traffic from the whole internet (ingress ALLOW_ALL)",
    // Medium on every function, public or not: ingress is the network layer
    // and the invoker IAM binding is a separate layer that TRG003 checks.
    severity: Severity::Medium,
    sas: Sas::InsecureConfiguration,
    cwe: &[284],
    doc: r#"## What it does
Finds Google Cloud Functions whose ingress setting is `ALLOW_ALL`: Terraform
`ingress_settings` on `google_cloudfunctions_function` (1st gen) or
`service_config.ingress_settings` on `google_cloudfunctions2_function` (2nd
gen). `ALLOW_ALL` is the default when the setting is not written, so a
function without it is reported too.

## Why is this bad?
Ingress decides which networks may reach the function at all; IAM (the
`roles/cloudfunctions.invoker` or `roles/run.invoker` bindings) decides who
may call it. With `ALLOW_ALL` the function's URL answers requests from
anywhere on the internet, and IAM is the only thing left. One invoker
binding to `allUsers`, added now or by a later change, or one leaked
identity token, is then enough to reach the code. `ALLOW_INTERNAL_ONLY`
keeps the function reachable only from the project's VPC networks (and the
VPC Service Controls perimeter), where Pub/Sub, Eventarc and other Google
event sources of the same project also count as internal;
`ALLOW_INTERNAL_AND_GCLB` adds an external Application Load Balancer, where
Cloud Armor and IAP can filter callers.

The rule reports `ALLOW_ALL` on every function, not only those that are
publicly invokable, because ingress is a layer of its own: a private
function should not be one IAM change away from the internet. Whether
anyone may invoke the function is `public-invoke-permission` (TRG003); when
both apply, the finding points at the public invoker binding too. For a
function that must serve the internet directly, ignore the rule on it or put
it behind a load balancer.

## Example
```hcl
resource "google_cloudfunctions2_function" "orders" {
  name     = "orders"
  location = "europe-west1"

  build_config {
    runtime     = "python312"
    entry_point = "handler"
    source {
      storage_source {
        bucket = "orders-functions-source"
        object = "orders.zip"
      }
    }
  }

  service_config {
    available_memory      = "256M"
    service_account_email = "orders-fn@orders-demo-project.iam.gserviceaccount.com"
  }
}
```

## Use instead
```hcl
resource "google_cloudfunctions2_function" "orders" {
  name     = "orders"
  location = "europe-west1"

  build_config {
    runtime     = "python312"
    entry_point = "handler"
    source {
      storage_source {
        bucket = "orders-functions-source"
        object = "orders.zip"
      }
    }
  }

  service_config {
    available_memory      = "256M"
    ingress_settings      = "ALLOW_INTERNAL_ONLY"
    service_account_email = "orders-fn@orders-demo-project.iam.gserviceaccount.com"
  }
}
```

## References
- Google Cloud: Configure network settings, ingress settings: <https://cloud.google.com/functions/docs/networking/network-settings#ingress_settings>
- Terraform `google_cloudfunctions2_function` (`ingress_settings` defaults to `ALLOW_ALL`): <https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/cloudfunctions2_function>
- CWE-284: Improper Access Control
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    let app = c.app;
    for (fid, f, p) in cloud_functions(app) {
        let Some(ingress) = p.ingress.as_ref().filter(|v| v.is_known()) else { continue };
        if !ingress.value.trim().eq_ignore_ascii_case("ALLOW_ALL") {
            continue;
        }
        let how =
            if ingress.origin == Origin::Default { " (the default when not set)" } else { "" };
        let mut finding = c
            .finding(
                &META,
                ingress.span,
                format!(
                    "Cloud Function `{}` accepts requests from any network: ingress is \
                     ALLOW_ALL{how}",
                    f.logical_id
                ),
            )
            .function(f)
            .help(
                "set ingress to ALLOW_INTERNAL_ONLY, or to ALLOW_INTERNAL_AND_GCLB behind a load \
                 balancer when internet clients must reach it",
            );
        if ingress.span != f.span {
            finding = finding.label(f.span, "the function");
        }
        // Not a second finding (TRG003 owns it): the binding shows what
        // ALLOW_ALL leaves as the only gate.
        if let Some(public) = app.permissions_of(fid).find(|perm| perm.is_public()) {
            finding = finding.label(
                public.span,
                format!("`{}` lets {} invoke it", public.logical_id, public.principal.value),
            );
        }
        c.push(finding);
    }
}
