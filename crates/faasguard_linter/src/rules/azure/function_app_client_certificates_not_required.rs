use faasguard_diagnostics::{RuleMeta, Sas, Severity};

use super::{by_default, function_apps, known_bool, setting_finding};
use crate::checker::{Checker, FindingExt};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "AZF006",
    name: "function-app-client-certificates-not-required",
    summary: "The function app does not require client certificates (mutual TLS)",
    // Low: mutual TLS is a second factor for machine callers; most apps
    // authenticate callers otherwise, and AZF001 covers that.
    severity: Severity::Low,
    sas: Sas::BrokenAuthentication,
    cwe: &[295],
    doc: r#"## What it does
Finds Azure function apps that do not require a client certificate from
callers: client certificates off (Terraform `client_certificate_enabled`,
`client_cert_enabled` on the legacy `azurerm_function_app`, ARM
`clientCertEnabled`), which is the default, or on with a mode other than
`Required` (`Optional` is the provider's default mode).

## Why is this bad?
Without required client certificates, any client that can reach the app may
open a TLS connection to it; the functions have only keys or tokens to tell
callers apart. For apps called by known machines (partners, other services,
devices), requiring a certificate proves at the TLS layer that the caller
holds a private key the app trusts, so a leaked function key alone is not
enough. `Optional` asks for a certificate but lets callers without one in,
which protects nothing unless the code checks the forwarded certificate.

The severity is low because mutual TLS suits machine-to-machine APIs, not
browser-facing ones; ignore the rule for apps called by browsers.

## Example
```hcl
resource "azurerm_linux_function_app" "ingest" {
  name                          = "partner-ingest-func"
  resource_group_name           = "ingest-rg"
  location                      = "westeurope"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/ingest-rg/providers/Microsoft.Web/serverFarms/ingest-plan"
  storage_account_name          = "ingestfuncstorage"
  storage_uses_managed_identity = true
  https_only                    = true
  client_certificate_enabled    = true
  client_certificate_mode       = "Optional"

  site_config {}
}
```

## Use instead
```hcl
resource "azurerm_linux_function_app" "ingest" {
  name                          = "partner-ingest-func"
  resource_group_name           = "ingest-rg"
  location                      = "westeurope"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/ingest-rg/providers/Microsoft.Web/serverFarms/ingest-plan"
  storage_account_name          = "ingestfuncstorage"
  storage_uses_managed_identity = true
  https_only                    = true
  client_certificate_enabled    = true
  client_certificate_mode       = "Required"

  site_config {}
}
```

## References
- Microsoft: Configure TLS mutual authentication for Azure App Service: <https://learn.microsoft.com/en-us/azure/app-service/app-service-web-configure-tls-mutual-auth>
- Terraform `azurerm_linux_function_app` (`client_certificate_mode` defaults to `Optional`): <https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/linux_function_app>
- CWE-295: Improper Certificate Validation
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    let app = c.app;
    for (f, p) in function_apps(app) {
        let Some(required) = known_bool(&p.client_cert_required) else { continue };
        if required.value {
            continue;
        }
        let finding = setting_finding(
            c,
            &META,
            f,
            required.span,
            format!(
                "function app `{}` does not require client certificates{}: callers are not \
                 authenticated at the TLS layer",
                f.logical_id,
                by_default(required.origin)
            ),
        )
        .help(
            "for apps called by known machines, require client certificates \
             (Terraform `client_certificate_enabled = true` and \
             `client_certificate_mode = \"Required\"`) and validate them in the code",
        );
        c.push(finding);
    }
}
