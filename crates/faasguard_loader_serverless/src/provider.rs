//! The `provider:` section: defaults every function inherits, the IAM
//! settings of the shared role, and the API Gateway settings of the implicit
//! APIs.

use faasguard_syntax::{Node, NodeKind};

use crate::Ctx;

/// Keys the Framework (v3 and v4) accepts under `provider:`.
const PROVIDER_KEYS: &[&str] = &[
    "name",
    "runtime",
    "runtimeManagement",
    "stage",
    "region",
    "profile",
    "memorySize",
    "ephemeralStorageSize",
    "timeout",
    "environment",
    "iam",
    "iamRoleStatements",
    "iamManagedPolicies",
    "role",
    "rolePermissionsBoundary",
    "cfnRole",
    "deploymentBucket",
    "deploymentPrefix",
    "deploymentMethod",
    "stackName",
    "stackTags",
    "stackPolicy",
    "stackParameters",
    "tags",
    "tracing",
    "logs",
    "logRetentionInDays",
    "logDataProtectionPolicy",
    "kmsKeyArn",
    "layers",
    "vpc",
    "versionFunctions",
    "architecture",
    "apiGateway",
    "httpApi",
    "websocketsApiName",
    "websocketsApiRouteSelectionExpression",
    "websocketsDescription",
    "websocket",
    "apiName",
    "endpointType",
    "apiKeys",
    "usagePlan",
    "resourcePolicy",
    "alb",
    "eventBridge",
    "cloudFront",
    "notificationArns",
    "rollbackConfiguration",
    "s3",
    "ecr",
    "lambdaHashingVersion",
    "disableRollback",
    "vpcEndpointIds",
    "kinesis",
    "disableDefaultOutputExportNames",
    "build",
];

/// Provider-level settings, as the nodes they are written in.
pub(crate) struct Defaults<'n> {
    pub(crate) provider: Option<&'n Node>,
    pub(crate) runtime: Option<&'n Node>,
    pub(crate) memory: Option<&'n Node>,
    pub(crate) timeout: Option<&'n Node>,
    pub(crate) environment: Option<&'n Node>,
    pub(crate) kms_key: Option<&'n Node>,
    pub(crate) layers: Option<&'n Node>,
    pub(crate) vpc: Option<&'n Node>,
    /// `tracing.lambda`.
    pub(crate) tracing_lambda: Option<&'n Node>,
    /// `tracing.apiGateway`.
    pub(crate) tracing_api: Option<&'n Node>,
    /// `logs.restApi`, `logs.httpApi`, `logs.websocket`.
    pub(crate) logs_rest: Option<&'n Node>,
    pub(crate) logs_http: Option<&'n Node>,
    pub(crate) logs_websocket: Option<&'n Node>,
    /// `apiGateway.resourcePolicy` (or the older `provider.resourcePolicy`).
    pub(crate) resource_policy: Option<&'n Node>,
    /// `apiGateway.restApiId`: routes go to an API defined elsewhere.
    pub(crate) external_rest_api: Option<&'n Node>,
    /// `httpApi.id`.
    pub(crate) external_http_api: Option<&'n Node>,
    /// `httpApi.authorizers`.
    pub(crate) http_authorizers: Option<&'n Node>,
    /// Top-level `package:` (artifact, patterns).
    pub(crate) package: Option<&'n Node>,
    /// IAM settings of the shared role.
    pub(crate) iam: ProviderIam<'n>,
    /// `custom.serverless-iam-roles-per-function.defaultInherit`.
    pub(crate) per_function_inherit: bool,
}

/// IAM settings under `provider.iam.role` and their legacy spellings.
#[derive(Default)]
pub(crate) struct ProviderIam<'n> {
    /// Statements for the shared role.
    pub(crate) statements: Vec<&'n Node>,
    /// Managed policy ARNs for the shared role.
    pub(crate) managed_policies: Vec<&'n Node>,
    /// A role given instead of the generated one (name, ARN or intrinsic).
    pub(crate) role: Option<&'n Node>,
    /// Permissions boundary.
    pub(crate) boundary: Option<&'n Node>,
    /// Where the role settings are written, for the generated role's span.
    pub(crate) span: Option<faasguard_source::Span>,
}

impl<'n> Defaults<'n> {
    /// Reads `provider:` (which may be absent) and the plugin settings in `custom:`.
    pub(crate) fn read(ctx: &mut Ctx, provider: Option<&'n Node>, root: &'n Node) -> Self {
        let p = provider.filter(|p| p.is_map());
        if let Some(p) = p {
            ctx.check_keys(p, PROVIDER_KEYS, "provider");
        }
        let get = |k: &str| p.and_then(|p| p.get(k));
        let tracing = get("tracing");
        let logs = get("logs");
        let api_gateway = get("apiGateway");
        let http_api = get("httpApi");
        let iam = read_iam(ctx, p);
        let inherit = root
            .at(&["custom", "serverless-iam-roles-per-function", "defaultInherit"])
            .and_then(Node::as_bool)
            .unwrap_or(false);
        Defaults {
            provider: p,
            runtime: get("runtime"),
            memory: get("memorySize"),
            timeout: get("timeout"),
            environment: get("environment"),
            kms_key: get("kmsKeyArn"),
            layers: get("layers"),
            vpc: get("vpc"),
            tracing_lambda: tracing.and_then(|t| t.get("lambda")),
            tracing_api: tracing.and_then(|t| t.get("apiGateway")),
            logs_rest: logs.and_then(|l| l.get("restApi")),
            logs_http: logs.and_then(|l| l.get("httpApi")),
            logs_websocket: logs.and_then(|l| l.get("websocket")),
            resource_policy: api_gateway
                .and_then(|a| a.get("resourcePolicy"))
                .or_else(|| get("resourcePolicy")),
            external_rest_api: api_gateway.and_then(|a| a.get("restApiId")),
            external_http_api: http_api.and_then(|h| h.get("id")),
            http_authorizers: http_api.and_then(|h| h.get("authorizers")),
            package: root.get("package"),
            iam,
            per_function_inherit: inherit,
        }
    }
}

fn read_iam<'n>(ctx: &mut Ctx, p: Option<&'n Node>) -> ProviderIam<'n> {
    let mut out = ProviderIam::default();
    let Some(p) = p else { return out };
    let iam = p.get("iam");
    if let Some(iam) = iam
        && !iam.is_map()
    {
        ctx.structure(iam.span, "`provider.iam` must be a mapping (`role:`, `deploymentRole:`)");
    }
    if let Some(iam) = iam {
        ctx.check_keys(iam, &["role", "deploymentRole"], "provider.iam");
    }
    match iam.and_then(|i| i.get("role")) {
        Some(role) if role.is_map() && crate::values::intrinsic(role).is_none() => {
            ctx.check_keys(
                role,
                &[
                    "name",
                    "path",
                    "statements",
                    "managedPolicies",
                    "permissionsBoundary",
                    "permissionBoundary",
                    "tags",
                ],
                "provider.iam.role",
            );
            out.span = Some(role.span);
            out.statements.extend(statement_list(ctx, role.get("statements")));
            out.managed_policies.extend(list(ctx, role.get("managedPolicies"), "managedPolicies"));
            out.boundary =
                role.get("permissionsBoundary").or_else(|| role.get("permissionBoundary"));
        }
        Some(role) if !matches!(role.kind, NodeKind::Null) => out.role = Some(role),
        _ => {}
    }
    // The legacy spellings still work in v3 and are common in the wild.
    if let Some(legacy) = p.entry("iamRoleStatements") {
        out.span.get_or_insert(legacy.key_span);
        out.statements.extend(statement_list(ctx, Some(&legacy.value)));
    }
    if let Some(legacy) = p.get("iamManagedPolicies") {
        out.managed_policies.extend(list(ctx, Some(legacy), "iamManagedPolicies"));
    }
    if out.role.is_none() {
        out.role = p.get("role");
    }
    if out.boundary.is_none() {
        out.boundary = p.get("rolePermissionsBoundary");
    }
    out
}

/// Items of a list of statements; a wrong type is a structure error.
pub(crate) fn statement_list<'n>(ctx: &mut Ctx, node: Option<&'n Node>) -> Vec<&'n Node> {
    list(ctx, node, "statements")
}

/// Items of a list setting; a wrong type is a structure error.
pub(crate) fn list<'n>(ctx: &mut Ctx, node: Option<&'n Node>, what: &str) -> Vec<&'n Node> {
    match node {
        None => Vec::new(),
        Some(n) => match &n.kind {
            NodeKind::Seq(items) => items.iter().collect(),
            NodeKind::Null => Vec::new(),
            _ => {
                ctx.structure(n.span, format!("`{what}` must be a list"));
                Vec::new()
            }
        },
    }
}
