use faasguard_diagnostics::{RuleMeta, Sas, Severity};

use super::{by_default, function_apps, known_bool, setting_finding};
use crate::checker::{Checker, FindingExt};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "AZF001",
    name: "function-app-auth-disabled",
    summary: "App Service authentication is not enabled on the function app",
    // Medium, not high: HTTP functions still ask for a function key unless
    // their `authLevel` is anonymous, so the app is not open by this alone.
    severity: Severity::Medium,
    sas: Sas::BrokenAuthentication,
    cwe: &[306],
    doc: r#"## What it does
Finds Azure function apps (Terraform `azurerm_linux_function_app`,
`azurerm_windows_function_app`, `azurerm_function_app` and their slots)
whose App Service authentication ("Easy Auth") is off: no `auth_settings_v2`
with `auth_enabled = true`, no `auth_settings` with `enabled = true`.
Authentication is off unless it is configured.

## Why is this bad?
Without App Service authentication, nothing in front of the code checks who
the caller is. HTTP functions are then protected only by function keys: a
shared secret per function or per app, copied into every client, logged in
URLs, never tied to a user and rarely rotated. Functions with
`authLevel: anonymous` are open to the whole internet. App Service
authentication validates tokens from Microsoft Entra ID or another identity
provider before a request reaches the function, so the code gets an
authenticated identity it can authorize.

The finding is medium because function keys still apply. If the app sits
behind API Management or a gateway that authenticates callers, or validates
tokens in its code, ignore the rule for that app.

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

  site_config {}
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

  site_config {}

  auth_settings_v2 {
    auth_enabled           = true
    require_authentication = true
    unauthenticated_action = "Return401"

    active_directory_v2 {
      client_id            = "11111111-1111-1111-1111-111111111111"
      tenant_auth_endpoint = "https://login.microsoftonline.com/22222222-2222-2222-2222-222222222222/v2.0"
    }

    login {}
  }
}
```

## References
- Microsoft: Authentication and authorization in Azure App Service and Azure Functions: <https://learn.microsoft.com/en-us/azure/app-service/overview-authentication-authorization>
- Microsoft: Securing Azure Functions: <https://learn.microsoft.com/en-us/azure/azure-functions/security-concepts>
- Terraform `azurerm_linux_function_app` (`auth_settings_v2`): <https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/linux_function_app>
- CWE-306: Missing Authentication for Critical Function
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    let app = c.app;
    for (f, p) in function_apps(app) {
        let Some(auth) = known_bool(&p.auth_enabled) else { continue };
        if auth.value {
            continue;
        }
        let finding = setting_finding(
            c,
            &META,
            f,
            auth.span,
            format!(
                "function app `{}` has App Service authentication turned off{}: only function \
                 keys, if any, stand between callers and its functions",
                f.logical_id,
                by_default(auth.origin)
            ),
        )
        .help(
            "enable App Service authentication with an identity provider and require it \
             (Terraform `auth_settings_v2` with `auth_enabled = true` and \
             `require_authentication = true`), \
             or authenticate callers in a gateway in front of the app",
        );
        c.push(finding);
    }
}
