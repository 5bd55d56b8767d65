//! `functions:`: each function key becomes a [`Function`] with the provider
//! defaults applied the way the Framework applies them (function settings
//! win; `environment` is merged key by key), then its role and its events.

use faasguard_model::{
    Code, EnvVar, Function, FunctionId, FunctionUrl, Provider, RoleId, Statement, Val, VpcConfig,
};
use faasguard_source::Span;
use faasguard_syntax::{Entry, Node, NodeKind};

use crate::events::{self, Apis};
use crate::iam::{self, RoleSpec};
use crate::provider::{self, Defaults};
use crate::values::{
    boolean, int, intrinsic, referenced_logical_id, text, text_list, value_source,
};
use crate::{Ctx, normalized_name};

const FUNCTION_KEYS: &[&str] = &[
    "handler",
    "name",
    "description",
    "memorySize",
    "ephemeralStorageSize",
    "runtime",
    "runtimeManagement",
    "timeout",
    "environment",
    "events",
    "role",
    "layers",
    "vpc",
    "tags",
    "tracing",
    "onError",
    "destinations",
    "url",
    "kmsKeyArn",
    "reservedConcurrency",
    "provisionedConcurrency",
    "package",
    "image",
    "architecture",
    "maximumEventAge",
    "maximumRetryAttempts",
    "disableLogs",
    "logRetentionInDays",
    "logDataProtectionPolicy",
    "logs",
    "condition",
    "dependsOn",
    "fileSystemConfig",
    "snapStart",
    "versionFunction",
    "iamRoleStatements",
    "iamRoleStatementsName",
    "iamRoleStatementsInherit",
    "iamPermissionsBoundary",
    "iamManagedPolicies",
    "alarms",
    "warmup",
    "concurrencyAutoscaling",
    "build",
];

/// Shared role name the Framework uses in CloudFormation.
const SHARED_ROLE: &str = "IamRoleLambdaExecution";
/// Failure-destination permissions by target service.
const SQS_SEND: &[&str] = &["sqs:SendMessage"];
const SNS_PUBLISH: &[&str] = &["sns:Publish"];

/// Which role a function runs with.
enum RoleChoice<'n> {
    /// The generated `IamRoleLambdaExecution`.
    Shared,
    /// Its own generated role (serverless-iam-roles-per-function).
    Own(&'n Node, bool),
    /// A role written by the author (`role:` on the function or the provider).
    Given(&'n Node),
}

struct Pending<'n> {
    id: FunctionId,
    key: String,
    node: &'n Node,
    role: RoleChoice<'n>,
    extra: Vec<Statement>,
    vpc: Option<Span>,
}

/// Loads every function, its role and its events.
pub(crate) fn load_functions(ctx: &mut Ctx, root: &Node, d: &Defaults<'_>) {
    let Some(functions) = root.get("functions") else { return };
    let entries: Vec<&Entry> = match &functions.kind {
        NodeKind::Map(entries) => entries.iter().collect(),
        // Framework v1 accepted a list of mappings (often one per included file).
        NodeKind::Seq(items) => items.iter().flat_map(|i| i.entries()).collect(),
        NodeKind::Null => return,
        // The variable's own problem is already reported.
        NodeKind::String(s) if crate::variables::contains_variable(s) => return,
        _ => {
            ctx.structure(functions.span, "`functions` must be a mapping of function names");
            return;
        }
    };
    let mut apis = Apis::default();
    let mut pending = Vec::new();
    for e in entries {
        if !e.value.is_map() {
            ctx.structure(e.value.span, format!("function `{}` must be a mapping", e.key));
            continue;
        }
        let id = FunctionId(ctx.app.functions.len() as u32);
        let f = function(ctx, &e.key, e.key_span, &e.value, d);
        let vpc = f.vpc.as_ref().map(|v| v.span);
        ctx.app.functions.push(f);
        ctx.function_ids.insert(e.key.clone(), id);
        ctx.function_ids.insert(format!("{}LambdaFunction", normalized_name(&e.key)), id);
        let role = role_choice(ctx, &e.value, d);
        pending.push(Pending {
            id,
            key: e.key.clone(),
            node: &e.value,
            role,
            extra: Vec::new(),
            vpc,
        });
    }
    for p in &mut pending {
        p.extra = events::load_events(ctx, d, &mut apis, p.id, &p.key, p.node);
        p.extra.extend(function_statements(ctx, p.id));
    }
    events::finish(ctx, &mut apis);
    assign_roles(ctx, d, pending);
}

fn function(ctx: &mut Ctx, key: &str, key_span: Span, node: &Node, d: &Defaults<'_>) -> Function {
    ctx.check_keys(node, FUNCTION_KEYS, &format!("function `{key}`"));
    let span = key_span.cover(node.span);
    let mut f = Function::new(key, span, Provider::Aws);
    let get = |k: &str| node.get(k);
    f.name = match get("name").and_then(text) {
        Some(n) => Some(n),
        None => ctx.service_stage().map(|p| Val::default_at(format!("{p}-{key}"), key_span)),
    };
    let image = get("image");
    f.handler = get("handler").and_then(text);
    if f.handler.is_none() && image.is_none() {
        ctx.structure(key_span, format!("function `{key}` has neither `handler` nor `image`"));
    }
    f.runtime = match get("runtime").or(d.runtime) {
        Some(r) => text(r),
        None if image.is_some() => None,
        None => {
            ctx.note(
                key_span,
                format!(
                    "function `{key}` sets no runtime and neither does the provider; the \
                     Framework's default for its version applies and is not assumed here"
                ),
            );
            None
        }
    };
    f.code = code(ctx, node, d, key_span);
    f.memory_mb = number(ctx, get("memorySize").or(d.memory), "memorySize")
        .or(Some(Val::default_at(1024, key_span)));
    f.timeout_s =
        number(ctx, get("timeout").or(d.timeout), "timeout").or(Some(Val::default_at(6, key_span)));
    f.environment = environment(ctx, d.environment, get("environment"));
    f.env_kms_key = get("kmsKeyArn").or(d.kms_key).and_then(text);
    if let Some(layers) = get("layers").or(d.layers) {
        (f.layers, f.layer_ids) = crate::layers::function_layers(ctx, layers);
    }
    f.vpc = get("vpc").or(d.vpc).and_then(vpc);
    f.reserved_concurrency = number(ctx, get("reservedConcurrency"), "reservedConcurrency");
    f.tracing = tracing(get("tracing").or(d.tracing_lambda));
    f.dead_letter = get("onError").and_then(text);
    f.on_failure = get("destinations").and_then(|n| n.get("onFailure")).and_then(|n| {
        if n.is_map() && intrinsic(n).is_none() { n.get("arn").and_then(text) } else { text(n) }
    });
    f.url = get("url").and_then(|u| url(ctx, u));
    f
}

/// A numeric setting; a non-number is a structure error.
fn number(ctx: &mut Ctx, node: Option<&Node>, what: &str) -> Option<Val<i64>> {
    let node = node?;
    let v = int(node);
    if v.is_none() && !matches!(node.kind, NodeKind::Null) {
        ctx.structure(node.span, format!("`{what}` must be a whole number"));
    }
    v
}

fn code(ctx: &Ctx, node: &Node, d: &Defaults<'_>, key_span: Span) -> Option<Code> {
    if let Some(image) = node.get("image") {
        let uri = if image.is_map() && intrinsic(image).is_none() {
            image.get("uri").or_else(|| image.get("name")).and_then(text)
        } else {
            text(image)
        };
        return uri.map(Code::Image);
    }
    let artifact = |p: Option<&Node>| p.and_then(|p| p.get("artifact")).and_then(text);
    if let Some(a) = artifact(node.get("package")).or_else(|| artifact(d.package)) {
        return Some(Code::Location(a));
    }
    let dir = if ctx.dir.is_empty() { ".".to_string() } else { ctx.dir.clone() };
    Some(Code::Location(Val::default_at(dir, key_span)))
}

/// Provider variables overlaid with the function's own (which win).
fn environment(ctx: &mut Ctx, provider: Option<&Node>, own: Option<&Node>) -> Vec<EnvVar> {
    let mut out: Vec<EnvVar> = Vec::new();
    for node in [provider, own].into_iter().flatten() {
        match &node.kind {
            NodeKind::Map(_) if intrinsic(node).is_none() => {}
            NodeKind::Null => continue,
            NodeKind::String(s) => {
                ctx.note(node.span, format!("`environment` could not be resolved (`{s}`)"));
                continue;
            }
            _ => {
                ctx.structure(node.span, "`environment` must be a mapping of names to values");
                continue;
            }
        }
        for e in node.entries() {
            let Some(value) = env_value(ctx, &e.value) else { continue };
            let var = EnvVar {
                name: e.key.clone(),
                name_span: e.key_span,
                source: value_source(&e.value, &value),
                value,
            };
            match out.iter_mut().find(|v| v.name == e.key) {
                Some(existing) => *existing = var,
                None => out.push(var),
            }
        }
    }
    out
}

fn env_value(ctx: &mut Ctx, node: &Node) -> Option<Val<String>> {
    match &node.kind {
        NodeKind::Null => Some(Val::explicit(String::new(), node.span)),
        NodeKind::Seq(_) => {
            ctx.structure(node.span, "an environment variable's value must be text, not a list");
            None
        }
        NodeKind::Map(_) if intrinsic(node).is_none() => {
            ctx.structure(node.span, "an environment variable's value must be text, not a mapping");
            None
        }
        _ => text(node),
    }
}

fn vpc(node: &Node) -> Option<VpcConfig> {
    if !node.is_map() || intrinsic(node).is_some() {
        return None;
    }
    Some(VpcConfig {
        subnets: node.get("subnetIds").map(text_list).unwrap_or_default(),
        security_groups: node.get("securityGroupIds").map(text_list).unwrap_or_default(),
        span: node.span,
    })
}

/// `tracing: Active | PassThrough | true | false` (function) or
/// `provider.tracing.lambda` (the same values).
fn tracing(node: Option<&Node>) -> Option<Val<String>> {
    let node = node?;
    match node.as_bool() {
        Some(true) => Some(Val::explicit("Active".into(), node.span)),
        Some(false) => Some(Val::explicit("PassThrough".into(), node.span)),
        None => text(node),
    }
}

/// `url: true` (public: auth `NONE`) or `url: {authorizer: aws_iam, cors: ...}`.
fn url(ctx: &mut Ctx, node: &Node) -> Option<FunctionUrl> {
    let mut out = FunctionUrl {
        auth_type: Val::default_at("NONE".into(), node.span),
        cors_origins: Vec::new(),
        cors_methods: Vec::new(),
        span: node.span,
        logical_id: None,
    };
    match &node.kind {
        NodeKind::Bool(false) => return None,
        NodeKind::Bool(true) => {}
        NodeKind::Map(_) => {
            ctx.check_keys(node, &["authorizer", "cors", "invokeMode"], "`url`");
            if let Some(a) = node.get("authorizer") {
                out.auth_type = match text(a) {
                    Some(v) if v.is_known() && v.value.eq_ignore_ascii_case("aws_iam") => {
                        Val::explicit("AWS_IAM".into(), a.span)
                    }
                    Some(v) if v.is_known() => {
                        ctx.structure(
                            a.span,
                            format!("`url.authorizer` must be `aws_iam`, not `{}`", v.value),
                        );
                        Val::unresolved(v.value, a.span)
                    }
                    Some(v) => Val::unresolved(v.value, a.span),
                    None => out.auth_type,
                };
            }
            if let Some(c) = node.get("cors") {
                if c.as_bool() == Some(true) {
                    out.cors_origins.push(Val::default_at("*".into(), c.span));
                    out.cors_methods.push(Val::default_at("*".into(), c.span));
                } else if c.is_map() {
                    out.cors_origins = c
                        .get("allowedOrigins")
                        .map(text_list)
                        .unwrap_or_else(|| vec![Val::default_at("*".into(), c.span)]);
                    out.cors_methods = c
                        .get("allowedMethods")
                        .map(text_list)
                        .unwrap_or_else(|| vec![Val::default_at("*".into(), c.span)]);
                }
            }
        }
        _ => match boolean(node) {
            Some(b) if !b.is_known() => out.auth_type = Val::unresolved("NONE".into(), node.span),
            _ => {
                ctx.structure(
                    node.span,
                    "`url` must be `true` or a mapping (`authorizer`, `cors`)",
                );
                return None;
            }
        },
    }
    Some(out)
}

fn role_choice<'n>(ctx: &mut Ctx, node: &'n Node, d: &Defaults<'n>) -> RoleChoice<'n> {
    let own = node.get("iamRoleStatements");
    if let Some(role) = node.get("role") {
        if let Some(s) = own {
            ctx.note(
                s.span,
                "`iamRoleStatements` is ignored because the function sets `role:` (the \
                 per-function roles plugin skips such functions)",
            );
        }
        return RoleChoice::Given(role);
    }
    if let Some(statements) = own {
        let inherit = node
            .get("iamRoleStatementsInherit")
            .and_then(Node::as_bool)
            .unwrap_or(d.per_function_inherit);
        return RoleChoice::Own(statements, inherit);
    }
    if let Some(role) = d.iam.role {
        return RoleChoice::Given(role);
    }
    RoleChoice::Shared
}

/// Permissions the Framework adds to a function's role for its own settings:
/// X-Ray when traced, publishing to its `onError` target.
fn function_statements(ctx: &Ctx, id: FunctionId) -> Vec<Statement> {
    let f = &ctx.app.functions[id.index()];
    let mut out = Vec::new();
    if let Some(t) = &f.tracing
        && t.is_known()
        && t.value == "Active"
    {
        out.push(iam::generated_statement(
            &["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
            vec![Val::default_at("*".into(), t.span)],
            t.span,
        ));
    }
    if let Some(dlq) = &f.dead_letter {
        let actions = if dlq.value.contains(":sqs:") { SQS_SEND } else { SNS_PUBLISH };
        out.push(iam::generated_statement(actions, vec![dlq.clone()], dlq.span));
    }
    out
}

/// The log groups the Framework lets its shared role write: every function
/// of the service counts, whichever role it runs with, because the Framework
/// builds this list before roles are assigned. A function named outside
/// `<service>-<stage>` gets its own group; the prefix pattern is there only
/// while some function still carries a canonical name.
fn shared_log_groups(ctx: &Ctx, pending: &[Pending<'_>], span: Span) -> Vec<Val<String>> {
    let prefix = ctx.service_stage();
    let mut canonical = false;
    let mut own = Vec::new();
    for p in pending {
        let f = &ctx.app.functions[p.id.index()];
        let Some(name) = &f.name else {
            // No name means the service or stage is unknown, so the
            // Framework's default name (under the prefix) applies.
            canonical = true;
            continue;
        };
        match (name.known(), prefix.as_deref()) {
            (Some(n), Some(prefix)) if n.starts_with(prefix) => canonical = true,
            (Some(_), _) => own.push(name.clone()),
            // An unresolved name may or may not be canonical: its own entry
            // stays unresolved and the prefix is kept so neither reading is
            // ruled out.
            (None, _) => {
                canonical = true;
                own.push(name.clone());
            }
        }
    }
    let mut groups = Vec::new();
    if canonical || own.is_empty() {
        let prefix = prefix.unwrap_or_else(|| "*".into());
        groups.push(Val::default_at(format!("{prefix}*"), span));
    }
    for name in own {
        if !groups.iter().any(|g| g.value == name.value) {
            groups.push(name);
        }
    }
    groups
}

fn assign_roles(ctx: &mut Ctx, d: &Defaults<'_>, pending: Vec<Pending<'_>>) {
    let prefix = ctx.service_stage().unwrap_or_else(|| "*".into());
    let shared_span = d.iam.span.or(d.provider.map(|p| p.span));
    let shared_groups =
        pending.iter().find(|p| matches!(p.role, RoleChoice::Shared)).map(|first| {
            let span = shared_span.unwrap_or(ctx.app.functions[first.id.index()].span);
            shared_log_groups(ctx, &pending, span)
        });
    let mut shared_users = Vec::new();
    let mut shared_extra = Vec::new();
    let mut shared_vpc = None;
    for p in pending {
        match p.role {
            RoleChoice::Shared => {
                shared_users.push(p.id);
                shared_extra.extend(p.extra);
                shared_vpc = shared_vpc.or(p.vpc);
            }
            RoleChoice::Given(node) => {
                let (role, role_ref) = link_role(ctx, node);
                let f = &mut ctx.app.functions[p.id.index()];
                f.role = role;
                f.role_ref = role_ref;
            }
            RoleChoice::Own(statements, inherit) => {
                let normalized = normalized_name(&p.key);
                let logical_id = format!("{normalized}IamRoleLambdaExecution");
                let mut own = provider::statement_list(ctx, Some(statements));
                let mut managed =
                    provider::list(ctx, p.node.get("iamManagedPolicies"), "iamManagedPolicies");
                if inherit {
                    own.extend(d.iam.statements.iter().copied());
                    managed.extend(d.iam.managed_policies.iter().copied());
                }
                let log_prefix = ctx.app.functions[p.id.index()]
                    .name
                    .as_ref()
                    .and_then(|n| n.known().map(str::to_string))
                    .unwrap_or_else(|| format!("{prefix}-{}", p.key));
                let spec = RoleSpec {
                    logical_id: logical_id.clone(),
                    span: statements.span,
                    policy_name: format!("{normalized}-lambda"),
                    log_groups: vec![Val::default_at(format!("{log_prefix}*"), statements.span)],
                    statements: own,
                    managed_policies: managed,
                    boundary: p.node.get("iamPermissionsBoundary").or(d.iam.boundary),
                    extra: p.extra,
                    vpc: p.vpc,
                };
                let role = iam::generated_role(ctx, spec);
                let id = RoleId(ctx.app.roles.len() as u32);
                ctx.app.roles.push(role);
                let f = &mut ctx.app.functions[p.id.index()];
                f.role = Some(id);
                f.role_ref = Some(Val::default_at(logical_id, statements.span));
            }
        }
    }
    if shared_users.is_empty() {
        return;
    }
    let span = shared_span.unwrap_or(ctx.app.functions[shared_users[0].index()].span);
    let stage = ctx.stage.value.clone();
    let service = ctx.service.as_ref().map_or("service".to_string(), |s| s.value.clone());
    let spec = RoleSpec {
        logical_id: SHARED_ROLE.into(),
        span,
        policy_name: format!("{stage}-{service}-lambda"),
        log_groups: shared_groups.unwrap_or_default(),
        statements: d.iam.statements.clone(),
        managed_policies: d.iam.managed_policies.clone(),
        boundary: d.iam.boundary,
        extra: shared_extra,
        vpc: shared_vpc,
    };
    let role = iam::generated_role(ctx, spec);
    let id = RoleId(ctx.app.roles.len() as u32);
    ctx.app.roles.push(role);
    for f in shared_users {
        let f = &mut ctx.app.functions[f.index()];
        f.role = Some(id);
        f.role_ref = Some(Val::default_at(SHARED_ROLE.into(), span));
    }
}

/// A written role: its logical id links it to a role in `resources:`; an
/// ARN or an import is a role outside the app.
fn link_role(ctx: &mut Ctx, node: &Node) -> (Option<RoleId>, Option<Val<String>>) {
    let Some(written) = text(node) else {
        ctx.structure(node.span, "`role` must be a role name, an ARN or a reference");
        return (None, None);
    };
    let logical = referenced_logical_id(node).or_else(|| {
        (written.is_known() && !written.value.starts_with("arn:")).then(|| written.value.clone())
    });
    let role =
        logical.and_then(|l| ctx.app.roles().find(|(_, r)| r.logical_id == l).map(|(id, _)| id));
    (role, Some(written))
}
