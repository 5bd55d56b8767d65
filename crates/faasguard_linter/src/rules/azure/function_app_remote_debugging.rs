use faasguard_diagnostics::{RuleMeta, Sas, Severity};

use super::{function_apps, known_bool, setting_finding};
use crate::checker::{Checker, FindingExt};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "AZF008",
    name: "function-app-remote-debugging",
    summary: "Remote debugging is enabled on the function app",
    severity: Severity::Medium,
    sas: Sas::InsecureConfiguration,
    cwe: &[489],
    doc: r#"## What it does
Finds Azure function apps with remote debugging on (Terraform
`site_config.remote_debugging_enabled = true`, ARM
`remoteDebuggingEnabled`). It is off by default, so only an explicit `true`
is reported.

## Why is this bad?
Remote debugging makes App Service open extra inbound ports on the app's
workers so that a debugger can attach to the running process. An attached
debugger reads the process memory (keys, tokens, other users' data) and can
change what the code does. Access is authenticated with the publishing
credentials, but the feature exists for short troubleshooting sessions: left
on in a template, it is switched back on at every deployment and keeps a
larger attack surface open for anyone who obtains those credentials.

## Example
```hcl
resource "azurerm_windows_function_app" "billing" {
  name                          = "billing-func"
  resource_group_name           = "billing-rg"
  location                      = "westeurope"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/billing-rg/providers/Microsoft.Web/serverFarms/billing-plan"
  storage_account_name          = "billingfuncstorage"
  storage_uses_managed_identity = true
  https_only                    = true

  site_config {
    remote_debugging_enabled = true
    remote_debugging_version = "VS2022"
  }
}
```

## Use instead
```hcl
resource "azurerm_windows_function_app" "billing" {
  name                          = "billing-func"
  resource_group_name           = "billing-rg"
  location                      = "westeurope"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/billing-rg/providers/Microsoft.Web/serverFarms/billing-plan"
  storage_account_name          = "billingfuncstorage"
  storage_uses_managed_identity = true
  https_only                    = true

  site_config {
    remote_debugging_enabled = false
  }
}
```

## References
- Microsoft: Remote debugging of Azure Functions: <https://learn.microsoft.com/en-us/azure/azure-functions/functions-develop-vs#remote-debugging>
- Azure Policy: "App Service apps should have remote debugging turned off" (remote debugging requires inbound ports to be opened): <https://learn.microsoft.com/en-us/azure/app-service/policy-reference>
- Terraform `azurerm_windows_function_app` (`remote_debugging_enabled` defaults to `false`): <https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/windows_function_app>
- CWE-489: Active Debug Code
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    let app = c.app;
    for (f, p) in function_apps(app) {
        let Some(debug) = known_bool(&p.remote_debugging) else { continue };
        if !debug.value {
            continue;
        }
        let finding = setting_finding(
            c,
            &META,
            f,
            debug.span,
            format!(
                "function app `{}` has remote debugging enabled: a debugger can attach to its \
                 running workers",
                f.logical_id
            ),
        )
        .help(
            "turn remote debugging off in the template (Terraform \
             `site_config { remote_debugging_enabled = false }`) and enable it only for a \
             troubleshooting session",
        );
        c.push(finding);
    }
}
