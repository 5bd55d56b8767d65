use faasguard_diagnostics::{RuleMeta, Sas, Severity};

use super::{by_default, function_apps, known_bool, setting_finding};
use crate::checker::{Checker, FindingExt};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "AZF005",
    name: "function-app-http2-disabled",
    summary: "HTTP/2 is not enabled on the function app",
    // Hardening: no attack follows from HTTP/1.1 alone.
    severity: Severity::Low,
    sas: Sas::InsecureConfiguration,
    // No weakness entry describes "a newer protocol version is not turned
    // on", so this maps to the Configuration category (CWE-16) rather than
    // to a weakness it does not cause. The TLS weakness proper is AZF003.
    cwe: &[16],
    doc: r#"## What it does
Finds Azure function apps with HTTP/2 off (Terraform
`site_config.http2_enabled`, ARM `http20Enabled`). The azurerm provider
leaves it off when it is not written, so an app without
`http2_enabled = true` is reported too.

## Why is this bad?
This is hardening, hence the low severity and no weakness of its own.
HTTP/2 is only negotiated over TLS 1.2 or later without the cipher suites
that RFC 9113 forbids, and its length-delimited binary frames avoid the
HTTP/1.1 message-length ambiguities that request smuggling exploits between
a client and the front end. Benchmarks such as the CIS Microsoft Azure
Foundations Benchmark ask for the latest HTTP version on App Service apps.
Turning it on costs nothing for clients that only speak HTTP/1.1: they keep
working.

## Example
```hcl
resource "azurerm_linux_function_app" "orders" {
  name                          = "orders-func"
  resource_group_name           = "orders-rg"
  location                      = "westeurope"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/orders-rg/providers/Microsoft.Web/serverFarms/orders-plan"
  storage_account_name          = "ordersfuncstorage"
  storage_uses_managed_identity = true
  https_only                    = true

  site_config {
    minimum_tls_version = "1.2"
  }
}
```

## Use instead
```hcl
resource "azurerm_linux_function_app" "orders" {
  name                          = "orders-func"
  resource_group_name           = "orders-rg"
  location                      = "westeurope"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/orders-rg/providers/Microsoft.Web/serverFarms/orders-plan"
  storage_account_name          = "ordersfuncstorage"
  storage_uses_managed_identity = true
  https_only                    = true

  site_config {
    minimum_tls_version = "1.2"
    http2_enabled       = true
  }
}
```

## References
- Microsoft: Configure general settings of an App Service app (HTTP version): <https://learn.microsoft.com/en-us/azure/app-service/configure-common#configure-general-settings>
- RFC 9113: HTTP/2 (section 9.2, use of TLS features): <https://www.rfc-editor.org/rfc/rfc9113#section-9.2>
- CWE-16: Configuration
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    let app = c.app;
    for (f, p) in function_apps(app) {
        let Some(http2) = known_bool(&p.http2) else { continue };
        if http2.value {
            continue;
        }
        let finding = setting_finding(
            c,
            &META,
            f,
            http2.span,
            format!(
                "function app `{}` serves HTTP/1.1 only: HTTP/2 is off{}",
                f.logical_id,
                by_default(http2.origin)
            ),
        )
        .help("turn HTTP/2 on (Terraform `site_config { http2_enabled = true }`, ARM `http20Enabled`)");
        c.push(finding);
    }
}
