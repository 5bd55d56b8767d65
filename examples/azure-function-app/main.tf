# A deliberately insecure Azure function app, for faasguard's tests and
# README: anonymous HTTP access (authentication off), plain HTTP allowed,
# CORS open to every origin, a secret in app settings, and a managed
# identity with Contributor on the whole subscription. Do not deploy it.

variable "location" {
  default = "westeurope"
}

data "azurerm_subscription" "current" {}

resource "azurerm_resource_group" "rg" {
  name     = "orders-rg"
  location = var.location
}

resource "azurerm_storage_account" "sa" {
  name                     = "ordersfuncstorage"
  resource_group_name      = azurerm_resource_group.rg.name
  location                 = azurerm_resource_group.rg.location
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_service_plan" "plan" {
  name                = "orders-plan"
  resource_group_name = azurerm_resource_group.rg.name
  location            = azurerm_resource_group.rg.location
  os_type             = "Linux"
  sku_name            = "Y1"
}

resource "azurerm_linux_function_app" "orders" {
  name                       = "orders-func"
  resource_group_name        = azurerm_resource_group.rg.name
  location                   = azurerm_resource_group.rg.location
  service_plan_id            = azurerm_service_plan.plan.id
  storage_account_name       = azurerm_storage_account.sa.name
  storage_account_access_key = azurerm_storage_account.sa.primary_access_key
  https_only                 = false

  app_settings = {
    FUNCTIONS_WORKER_RUNTIME = "python"
    DB_PASSWORD              = "Summer2026-db-Pa55!"
    API_KEY                  = "@Microsoft.KeyVault(SecretUri=https://orders-kv.vault.azure.net/secrets/api-key/)"
  }

  site_config {
    minimum_tls_version = "1.0"
    ftps_state          = "AllAllowed"
    application_stack {
      python_version = "3.11"
    }
    cors {
      allowed_origins = ["*"]
    }
  }

  auth_settings_v2 {
    auth_enabled           = false
    unauthenticated_action = "AllowAnonymous"
    login {}
  }

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_role_assignment" "orders_contributor" {
  scope                = data.azurerm_subscription.current.id
  role_definition_name = "Contributor"
  principal_id         = azurerm_linux_function_app.orders.identity[0].principal_id
}
