use faasguard_diagnostics::{RuleMeta, Sas, Severity};

use super::{by_default, function_apps, known_bool, setting_finding};
use crate::checker::{Checker, FindingExt};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "AZF002",
    name: "function-app-https-not-enforced",
    summary: "The function app accepts plain HTTP (HTTPS-only is off)",
    severity: Severity::High,
    sas: Sas::InsecureConfiguration,
    cwe: &[319],
    doc: r#"## What it does
Finds Azure function apps whose HTTPS-only setting (Terraform `https_only`,
ARM `httpsOnly`) is off. The azurerm provider leaves it off when it is not
written, so an app without `https_only = true` is reported too.

## Why is this bad?
With HTTPS-only off, the app answers plain `http://` requests instead of
redirecting them. Requests and responses then cross the network in clear
text: function keys in the `code` query parameter or `x-functions-key`
header, bearer tokens, cookies and the payloads themselves can be read and
changed by anyone on the path. One client configured with an `http://` URL
is enough to leak a key that opens the function to everyone.

## Example
```hcl
resource "azurerm_linux_function_app" "orders" {
  name                          = "orders-func"
  resource_group_name           = "orders-rg"
  location                      = "westeurope"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/orders-rg/providers/Microsoft.Web/serverFarms/orders-plan"
  storage_account_name          = "ordersfuncstorage"
  storage_uses_managed_identity = true

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
  }
}
```

## References
- Microsoft: Enforce HTTPS in Azure App Service: <https://learn.microsoft.com/en-us/azure/app-service/configure-ssl-bindings#enforce-https>
- Terraform `azurerm_linux_function_app` (`https_only`, defaults to `false`): <https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/linux_function_app>
- CWE-319: Cleartext Transmission of Sensitive Information
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    let app = c.app;
    for (f, p) in function_apps(app) {
        let Some(https_only) = known_bool(&p.https_only) else { continue };
        if https_only.value {
            continue;
        }
        let finding = setting_finding(
            c,
            &META,
            f,
            https_only.span,
            format!(
                "function app `{}` accepts plain HTTP: HTTPS-only is off{}",
                f.logical_id,
                by_default(https_only.origin)
            ),
        )
        .help("turn HTTPS-only on (Terraform `https_only = true`, ARM `httpsOnly: true`)");
        c.push(finding);
    }
}
