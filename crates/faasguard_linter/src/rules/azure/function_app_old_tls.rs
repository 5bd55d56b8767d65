use faasguard_diagnostics::{RuleMeta, Sas, Severity};

use super::{function_apps, known_str, setting_finding};
use crate::checker::{Checker, FindingExt};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "AZF003",
    name: "function-app-old-tls",
    summary: "The function app accepts TLS versions below 1.2",
    severity: Severity::Medium,
    sas: Sas::InsecureConfiguration,
    cwe: &[326],
    doc: r#"## What it does
Finds Azure function apps whose minimum TLS version (Terraform
`site_config.minimum_tls_version`, `min_tls_version` on the legacy
`azurerm_function_app`, ARM `minTlsVersion`) is `1.0` or `1.1`. The azurerm
provider's default is `1.2`, so only an explicit older version is reported.

## Why is this bad?
TLS 1.0 and 1.1 are deprecated (RFC 8996). They rely on SHA-1 and MD5 in the
handshake, allow CBC cipher suites open to BEAST- and POODLE-style attacks,
and lack the modern AEAD suites. Accepting them lets a client, or an
attacker who can interfere with the handshake, use a connection that
protects keys, tokens and payloads less than the platform could.

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
    minimum_tls_version = "1.0"
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
    minimum_tls_version = "1.2"
  }
}
```

## References
- Microsoft: Enforce TLS versions in Azure App Service: <https://learn.microsoft.com/en-us/azure/app-service/configure-ssl-bindings#enforce-tls-versions>
- RFC 8996: Deprecating TLS 1.0 and TLS 1.1: <https://www.rfc-editor.org/rfc/rfc8996>
- CWE-326: Inadequate Encryption Strength
"#,
};

/// `(major, minor)` of a version written as `1.2`, `1.0` or `1`.
fn version(text: &str) -> Option<(u32, u32)> {
    let mut parts = text.trim().split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = match parts.next() {
        Some(m) => m.parse().ok()?,
        None => 0,
    };
    parts.next().is_none().then_some((major, minor))
}

pub(crate) fn check(c: &mut Checker<'_>) {
    let app = c.app;
    for (f, p) in function_apps(app) {
        let Some(tls) = known_str(&p.min_tls_version) else { continue };
        // A value we cannot read is left alone rather than guessed at.
        let Some(v) = version(&tls.value) else { continue };
        if v >= (1, 2) {
            continue;
        }
        let finding = setting_finding(
            c,
            &META,
            f,
            tls.span,
            format!(
                "function app `{}` accepts TLS {} connections: TLS 1.0 and 1.1 are deprecated",
                f.logical_id,
                tls.value.trim()
            ),
        )
        .help(
            "set the minimum TLS version to 1.2 or later (Terraform \
             `site_config { minimum_tls_version = \"1.2\" }`, ARM `minTlsVersion`)",
        );
        c.push(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::version;

    #[test]
    fn versions_are_read_or_left_alone() {
        assert_eq!(version("1.0"), Some((1, 0)));
        assert_eq!(version(" 1.1 "), Some((1, 1)));
        assert_eq!(version("1.3"), Some((1, 3)));
        assert_eq!(version("1"), Some((1, 0)));
        assert_eq!(version("TLS1_2"), None);
        assert_eq!(version("1.2.3"), None);
    }
}
