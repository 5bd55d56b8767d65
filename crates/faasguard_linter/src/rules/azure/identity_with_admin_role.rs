use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_model::{Provider, RoleAssignment};

use crate::checker::{Checker, FindingExt};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "AZF009",
    name: "identity-with-admin-role",
    summary: "The function app's managed identity holds Owner, Contributor or a role that grants access",
    severity: Severity::High,
    sas: Sas::OverPrivileged,
    cwe: &[250],
    doc: r#"## What it does
Finds Azure RBAC role assignments (Terraform `azurerm_role_assignment`) that
give the managed identity of a function app (system-assigned, or a
user-assigned identity listed in `identity_ids`) one of the built-in
privileged administrator roles: `Owner`, `Contributor`,
`User Access Administrator` or `Role Based Access Control Administrator`,
by name (`role_definition_name`) or by role definition id.

## Why is this bad?
Code in the function app can get a token for its managed identity at any
time, so the identity's roles are what an attacker gets from one injection,
deserialization or dependency flaw in any function of the app. `Owner` and
`Contributor` can change, read the keys of, or delete every resource in the
scope; `User Access Administrator` and `Role Based Access Control
Administrator` can grant any role, including `Owner`, to any principal, so
they are as strong as `Owner`. Assigned on a subscription or resource group,
one compromised function becomes control of the whole scope. Functions need
data-plane roles on the few resources they use (`Storage Blob Data Reader`
on one account, `Key Vault Secrets User` on one vault), not management of
the scope.

## Example
```hcl
data "azurerm_subscription" "current" {}

resource "azurerm_linux_function_app" "orders" {
  name                          = "orders-func"
  resource_group_name           = "orders-rg"
  location                      = "westeurope"
  service_plan_id               = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/orders-rg/providers/Microsoft.Web/serverFarms/orders-plan"
  storage_account_name          = "ordersfuncstorage"
  storage_uses_managed_identity = true
  https_only                    = true

  site_config {}

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_role_assignment" "orders" {
  scope                = data.azurerm_subscription.current.id
  role_definition_name = "Contributor"
  principal_id         = azurerm_linux_function_app.orders.identity[0].principal_id
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

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_role_assignment" "orders" {
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/orders-rg/providers/Microsoft.Storage/storageAccounts/ordersdata"
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = azurerm_linux_function_app.orders.identity[0].principal_id
}
```

## References
- Microsoft: Azure built-in roles (privileged administrator roles): <https://learn.microsoft.com/en-us/azure/role-based-access-control/built-in-roles>
- Microsoft: Best practices for Azure RBAC (least privilege, limit privileged administrator role assignments): <https://learn.microsoft.com/en-us/azure/role-based-access-control/best-practices>
- Microsoft: Managed identities for App Service and Azure Functions: <https://learn.microsoft.com/en-us/azure/app-service/overview-managed-identity>
- CWE-250: Execution with Unnecessary Privileges
"#,
};

/// The privileged administrator roles: name and built-in role definition id.
const ADMIN_ROLES: &[(&str, &str)] = &[
    ("Owner", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"),
    ("Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c"),
    ("User Access Administrator", "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"),
    ("Role Based Access Control Administrator", "f58310d9-a9f6-439a-9e8d-f62e7b41a168"),
];

/// The admin role an assignment grants, by name or by role definition id.
fn admin_role(a: &RoleAssignment) -> Option<&'static str> {
    let text = a.role.value.trim();
    let by_id = |id_text: &str| {
        let last = id_text.rsplit('/').next().unwrap_or(id_text);
        ADMIN_ROLES.iter().find(|(_, id)| last.eq_ignore_ascii_case(id)).map(|(name, _)| *name)
    };
    if a.role.is_known() {
        return ADMIN_ROLES
            .iter()
            .find(|(name, _)| text.eq_ignore_ascii_case(name))
            .map(|(name, _)| *name)
            .or_else(|| by_id(text));
    }
    // An id is usually written as `${subscription id}/providers/.../<guid>`:
    // the subscription is unknown, but a literal GUID after the last
    // interpolation still names the role. Anything else stays unknown.
    let (_, literal_tail) = text.rsplit_once('}')?;
    literal_tail.contains("/roleDefinitions/").then(|| by_id(literal_tail)).flatten()
}

pub(crate) fn check(c: &mut Checker<'_>) {
    let app = c.app;
    for (fid, f) in app.functions() {
        if f.provider != Provider::Azure {
            continue;
        }
        let Some(identity) = app.role_of(fid) else { continue };
        for a in &identity.assignments {
            let Some(role) = admin_role(a) else { continue };
            let scope = match &a.scope {
                Some(s) => format!(" on `{}`", s.value),
                None => String::new(),
            };
            let finding = c
                .finding(
                    &META,
                    a.role.span,
                    format!(
                        "function app `{}` runs as managed identity `{}`, which is assigned \
                         {role}{scope}",
                        f.logical_id, identity.logical_id
                    ),
                )
                .function(f)
                .resource(identity.logical_id.clone())
                .key(format!("{role}{scope}"))
                .label(a.span, "the role assignment")
                .label(f.span, "the function app")
                .help(
                    "assign the identity only the data-plane roles it needs, on the resources \
                     it uses (e.g. `Storage Blob Data Reader` on one storage account)",
                );
            c.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use faasguard_model::{RoleAssignment, Val};
    use faasguard_source::Span;

    use super::admin_role;

    fn assignment(role: Val<String>) -> RoleAssignment {
        RoleAssignment { role, scope: None, span: Span::default() }
    }

    #[test]
    fn roles_are_recognised_by_name_and_id() {
        let s = Span::default();
        let known = |t: &str| admin_role(&assignment(Val::explicit(t.into(), s)));
        assert_eq!(known("contributor"), Some("Contributor"));
        assert_eq!(known("Owner"), Some("Owner"));
        assert_eq!(known("Storage Blob Data Contributor"), None);
        assert_eq!(
            known(
                "/providers/Microsoft.Authorization/roleDefinitions/18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
            ),
            Some("User Access Administrator")
        );
        let unresolved = |t: &str| admin_role(&assignment(Val::unresolved(t.into(), s)));
        assert_eq!(
            unresolved(
                "${data.azurerm_subscription.s.id}/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
            ),
            Some("Owner")
        );
        assert_eq!(unresolved("${var.role}"), None);
        assert_eq!(unresolved("${data.azurerm_role_definition.owner.id}"), None);
        assert_eq!(unresolved("Owner"), None);
    }
}
