use faasguard_diagnostics::{RuleMeta, Sas, Severity};

use super::{function_apps, setting_finding};
use crate::checker::{Checker, FindingExt};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "AZF004",
    name: "function-app-cors-any-origin",
    summary: "The function app's CORS policy allows every origin (`*`)",
    severity: Severity::Medium,
    sas: Sas::InsecureConfiguration,
    cwe: &[942],
    doc: r#"## What it does
Finds Azure function apps whose CORS allowed origins (Terraform
`site_config.cors.allowed_origins`, ARM `cors.allowedOrigins`) include `*`.

## Why is this bad?
CORS decides which web pages may call the app from a visitor's browser and
read the answer. With `*`, any page on the internet can: a malicious site
can script calls to the functions with whatever the browser attaches and
read the results, and a cross-site scripting hole anywhere on the web
becomes a way in. Function keys or tokens embedded in one front end work
from every other origin too. Listing the front ends that really call the app
keeps browsers from doing this for other sites.

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
    cors {
      allowed_origins = ["*"]
    }
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
    cors {
      allowed_origins = ["https://shop.example.com"]
    }
  }
}
```

## References
- Microsoft: Configure CORS for a function app: <https://learn.microsoft.com/en-us/azure/azure-functions/functions-how-to-use-azure-function-app-settings#cors>
- OWASP: Testing Cross Origin Resource Sharing: <https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/11-Client-side_Testing/07-Testing_Cross_Origin_Resource_Sharing>
- CWE-942: Permissive Cross-domain Policy with Untrusted Domains
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    let app = c.app;
    for (f, p) in function_apps(app) {
        let Some(any) = p.cors_origins.iter().find(|o| o.is_known() && o.value.trim() == "*")
        else {
            continue;
        };
        let finding = setting_finding(
            c,
            &META,
            f,
            any.span,
            format!(
                "function app `{}` allows cross-origin requests from every origin (`*`)",
                f.logical_id
            ),
        )
        .help("list the origins of the front ends that call the app instead of `*`");
        c.push(finding);
    }
}
