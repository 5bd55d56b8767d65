use faasguard_diagnostics::{RuleMeta, Sas, Severity};

use super::{by_default, function_apps, known_str, setting_finding};
use crate::checker::{Checker, FindingExt};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "AZF007",
    name: "function-app-ftp-deployment-allowed",
    summary: "The function app accepts deployments over plain FTP (ftps_state AllAllowed)",
    severity: Severity::Medium,
    sas: Sas::InsecureConfiguration,
    cwe: &[319],
    doc: r#"## What it does
Finds Azure function apps whose FTP state (Terraform
`site_config.ftps_state`, ARM `ftpsState`) is `AllAllowed`, which accepts
plain FTP as well as FTPS. The default depends on the resource type: the
legacy `azurerm_function_app` (and its slot) defaults to `AllAllowed`, so it
is reported when nothing is written; `azurerm_linux_function_app` and
`azurerm_windows_function_app` default to `Disabled`.

## Why is this bad?
FTP sends the deployment user name and password, and the code being
deployed, in clear text. Anyone who can watch the traffic gets credentials
that replace the app's code, and with it everything the app's identity and
settings can reach. Plain FTP also lets the code be changed in transit.
`FtpsOnly` encrypts the session; `Disabled` removes the FTP endpoint, which
is best when deployments use zip deploy or a pipeline.

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
    ftps_state = "AllAllowed"
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
    ftps_state = "Disabled"
  }
}
```

## References
- Microsoft: Deploy your app to Azure App Service using FTP/S (enforce FTPS): <https://learn.microsoft.com/en-us/azure/app-service/deploy-ftp#enforce-ftps>
- Terraform `azurerm_linux_function_app` (`ftps_state` defaults to `Disabled`): <https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/linux_function_app>
- Terraform `azurerm_function_app` (`ftps_state` defaults to `AllAllowed`): <https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/function_app>
- CWE-319: Cleartext Transmission of Sensitive Information
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    let app = c.app;
    for (f, p) in function_apps(app) {
        let Some(ftps) = known_str(&p.ftps_state) else { continue };
        // `FtpsOnly` encrypts the session, so only plain FTP is reported.
        if !ftps.value.trim().eq_ignore_ascii_case("AllAllowed") {
            continue;
        }
        let finding = setting_finding(
            c,
            &META,
            f,
            ftps.span,
            format!(
                "function app `{}` accepts deployments over plain FTP: FTP state is \
                 AllAllowed{}, so deployment credentials and code travel in clear text",
                f.logical_id,
                by_default(ftps.origin)
            ),
        )
        .help(
            "disable FTP deployment (Terraform `site_config { ftps_state = \"Disabled\" }`), \
             or allow FTPS only (`FtpsOnly`)",
        );
        c.push(finding);
    }
}
