//! Registry modules. Their code is not in the scan, so they are notes,
//! except `terraform-aws-modules/lambda/aws`, whose inputs are read as the
//! function, role, URL, permissions and layer the module creates (per its
//! documented defaults).

use faasguard_model::{
    AttachedPolicy, Code, Effect, FunctionId, FunctionUrl, LambdaPermission, Layer, LayerId,
    PolicyDocument, PolicySource, Principal, PrincipalKind, Provider, Role, RoleId, Statement,
    Trigger, Val, VpcConfig,
};
use faasguard_source::Span;
use hcl_edit::Span as _;

use crate::aws::iam::attachment;
use crate::aws::lambda::{env_vars, function_layers, source_kind};
use crate::aws::policy::{document, module_statement};
use crate::build::{Blk, Ctx};
use crate::hcl::{literal_attr, local_source, span};

const LAMBDA_MODULE: &str = "terraform-aws-modules/lambda/aws";

pub(crate) fn load(ctx: &mut Ctx<'_>) {
    let calls = ctx.calls.clone();
    for call in calls {
        let source = literal_attr(&call.block.body, "source").unwrap_or("");
        let at = span(call.file, call.block.span());
        if local_source(source).is_some() {
            continue;
        }
        let prefix = ctx.ev.insts[call.inst].prefix.clone();
        let logical_id = if prefix.is_empty() {
            call.name.to_string()
        } else {
            format!("{prefix}{}", call.name)
        };
        let blk = Blk {
            body: &call.block.body,
            file: call.file,
            inst: call.inst,
            span: at,
            scope: Vec::new(),
        };
        if is_lambda_module(source) {
            if call.block.body.get_attribute("count").is_some()
                || call.block.body.get_attribute("for_each").is_some()
            {
                ctx.note(
                    at,
                    format!(
                        "module `{}` uses `count`/`for_each`; it is modelled as one instance",
                        call.name
                    ),
                );
            }
            lambda_module(ctx, &blk, &logical_id, &format!("{prefix}module.{}", call.name));
        } else {
            ctx.note(at, format!("module `{}` comes from `{source}`, which is not in the scan; its resources are not modelled", call.name));
        }
    }
}

/// Whether a module call is `terraform-aws-modules/lambda/aws`.
fn is_lambda_module(source: &str) -> bool {
    source.trim_end_matches('/').ends_with(LAMBDA_MODULE)
        || source.contains("terraform-aws-modules/terraform-aws-lambda")
}

/// The layers `terraform-aws-modules/lambda/aws` creates (`create_layer`),
/// from `source_path` or a package, known by the module's address
/// (`module.m`): functions refer to them by its `lambda_layer_arn` output.
/// Loaded before functions, which resolve their `layers` to them.
pub(crate) fn load_layers(ctx: &mut Ctx<'_>) {
    let calls = ctx.calls.clone();
    for call in calls {
        let source = literal_attr(&call.block.body, "source").unwrap_or("");
        if local_source(source).is_some() || !is_lambda_module(source) {
            continue;
        }
        let prefix = ctx.ev.insts[call.inst].prefix.clone();
        let blk = Blk {
            body: &call.block.body,
            file: call.file,
            inst: call.inst,
            span: span(call.file, call.block.span()),
            scope: Vec::new(),
        };
        if !flag(ctx, &blk, "create", true) || !flag(ctx, &blk, "create_layer", false) {
            continue;
        }
        let content =
            ctx.str(&blk, "source_path").or_else(|| ctx.str(&blk, "local_existing_package"));
        let layer = Layer {
            logical_id: format!("{prefix}{}", call.name),
            span: blk.span,
            name: ctx.str(&blk, "layer_name"),
            content,
            compatible_runtimes: ctx.strs(&blk, "compatible_runtimes"),
        };
        let id = LayerId(ctx.app.layers.len() as u32);
        ctx.app.layers.push(layer);
        ctx.layers.insert(format!("{prefix}module.{}", call.name), id);
    }
}

fn flag<'a>(ctx: &mut Ctx<'a>, b: &Blk<'a>, key: &str, default: bool) -> bool {
    ctx.attr(b, key).and_then(|v| v.as_bool()).unwrap_or(default)
}

fn default_or(v: Option<Val<String>>, default: &str, owner: Span) -> Val<String> {
    v.unwrap_or_else(|| Val::default_at(default.to_string(), owner))
}

fn lambda_module<'a>(ctx: &mut Ctx<'a>, b: &Blk<'a>, logical_id: &str, addr: &str) {
    // With `create_layer` the module creates a layer instead of the
    // function (its `aws_lambda_function` has `count = 0`).
    if !flag(ctx, b, "create", true)
        || !flag(ctx, b, "create_function", true)
        || flag(ctx, b, "create_layer", false)
    {
        return;
    }
    let mut f = faasguard_model::Function::new(logical_id, b.span, Provider::Aws);
    f.name = ctx.str(b, "function_name");
    let image = ctx.attr(b, "package_type").and_then(|v| v.as_text()).is_some_and(|t| t == "Image");
    f.runtime = if image { None } else { ctx.str(b, "runtime") };
    f.handler = ctx.str(b, "handler");
    f.code = if let Some(i) = ctx.str(b, "image_uri") {
        Some(Code::Image(i))
    } else {
        ctx.str(b, "source_path")
            .or_else(|| ctx.str(b, "local_existing_package"))
            .map(Code::Location)
    };
    f.memory_mb = ctx.int(b, "memory_size");
    f.timeout_s = ctx.int(b, "timeout");
    if let Some(env) = ctx.attr(b, "environment_variables") {
        f.environment = env_vars(&env);
    }
    f.env_kms_key = ctx.str(b, "kms_key_arn");
    (f.layers, f.layer_ids) = function_layers(ctx, b, "layers");
    let subnets = ctx.strs(b, "vpc_subnet_ids");
    if !subnets.is_empty() {
        let security_groups = ctx.strs(b, "vpc_security_group_ids");
        f.vpc =
            Some(VpcConfig { subnets, security_groups, span: ctx.attr_span(b, "vpc_subnet_ids") });
    }
    f.reserved_concurrency =
        ctx.int(b, "reserved_concurrent_executions").filter(|v| !(v.is_known() && v.value < 0));
    f.tracing = ctx.str(b, "tracing_mode");
    f.dead_letter = ctx.str(b, "dead_letter_target_arn");
    f.code_signing = ctx.str(b, "code_signing_config_arn");

    if flag(ctx, b, "create_role", true) {
        let role = module_role(ctx, b, logical_id);
        let id = RoleId(ctx.app.roles.len() as u32);
        ctx.app.roles.push(role);
        ctx.roles.insert(format!("{addr}.role"), id);
        f.role = Some(id);
    } else if let Some(r) = ctx.attr(b, "lambda_role") {
        f.role = ctx.role_of(&r);
        f.role_ref = r.to_val();
    }
    if flag(ctx, b, "create_lambda_function_url", false) {
        let auth_type = default_or(ctx.str(b, "authorization_type"), "NONE", b.span);
        let (mut origins, mut methods) = (Vec::new(), Vec::new());
        if let Some(c) = ctx.attr(b, "cors") {
            origins = c
                .get("allow_origins")
                .map(|v| v.as_list().into_iter().filter_map(|x| x.to_val()).collect())
                .unwrap_or_default();
            methods = c
                .get("allow_methods")
                .map(|v| v.as_list().into_iter().filter_map(|x| x.to_val()).collect())
                .unwrap_or_default();
        }
        let span = ctx.attr_span(b, "create_lambda_function_url");
        f.url = Some(FunctionUrl {
            auth_type,
            cors_origins: origins,
            cors_methods: methods,
            span,
            logical_id: None,
        });
    }
    let id = FunctionId(ctx.app.functions.len() as u32);
    ctx.app.functions.push(f);
    ctx.functions.insert(addr.to_string(), id);

    if let Some(triggers) = ctx.attr(b, "allowed_triggers") {
        for t in triggers.fields() {
            let v = &t.value;
            let principal = match (v.get("principal"), v.get("service")) {
                (Some(p), _) => p.to_val(),
                (None, Some(s)) => s.to_val().map(|mut s| {
                    s.value = format!("{}.amazonaws.com", s.value);
                    s
                }),
                _ => None,
            };
            let Some(principal) = principal else { continue };
            ctx.app.permissions.push(LambdaPermission {
                logical_id: format!("{logical_id}.{}", t.key),
                span: t.key_span.cover(v.span),
                function: Some(id),
                function_ref: Val::default_at(addr.to_string(), b.span),
                action: v
                    .get("action")
                    .and_then(|a| a.to_val())
                    .unwrap_or(Val::default_at("lambda:InvokeFunction".into(), v.span)),
                principal,
                source_arn: v.get("source_arn").and_then(|a| a.to_val()),
                source_account: v.get("source_account").and_then(|a| a.to_val()),
                principal_org_id: v.get("principal_org_id").and_then(|a| a.to_val()),
                function_url_auth_type: None,
            });
        }
    }
    if let Some(esm) = ctx.attr(b, "event_source_mapping") {
        for m in esm.fields() {
            let Some(src) = m.value.get("event_source_arn") else { continue };
            ctx.app.triggers.push(Trigger {
                logical_id: format!("{logical_id}.{}", m.key),
                function: id,
                span: m.key_span.cover(m.value.span),
                kind: source_kind(src),
            });
        }
    }
}

fn module_role<'a>(ctx: &mut Ctx<'a>, b: &Blk<'a>, logical_id: &str) -> Role {
    let owner = b.span;
    let mut policies = Vec::new();
    if flag(ctx, b, "attach_cloudwatch_logs_policy", true) {
        let statement = Statement {
            sid: None,
            effect: Val::default_at(Effect::Allow, owner),
            actions: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
                .iter()
                .map(|a| Val::default_at(a.to_string(), owner))
                .collect(),
            not_actions: None,
            resources: vec![Val::unresolved("${log_group_arn}:*".to_string(), owner)],
            not_resources: None,
            principal: None,
            not_principal: None,
            conditions: Vec::new(),
            span: owner,
        };
        policies.push(AttachedPolicy {
            name: "logs".into(),
            span: owner,
            source: PolicySource::Inline,
            document: Some(PolicyDocument { statements: vec![statement], span: owner }),
        });
    }
    if flag(ctx, b, "attach_policy_statements", false)
        && let Some(stmts) = ctx.attr(b, "policy_statements")
    {
        let list: Vec<_> = if stmts.fields().is_empty() {
            stmts.items().iter().collect()
        } else {
            stmts.fields().iter().map(|f| &f.value).collect()
        };
        let statements = list.into_iter().filter_map(module_statement).collect();
        policies.push(AttachedPolicy {
            name: "policy_statements".into(),
            span: stmts.span,
            source: PolicySource::Inline,
            document: Some(PolicyDocument { statements, span: stmts.span }),
        });
    }
    if flag(ctx, b, "attach_policy_json", false)
        && let Some(j) = ctx.attr(b, "policy_json")
    {
        let doc = document(ctx, &j);
        policies.push(AttachedPolicy {
            name: "policy_json".into(),
            span: j.span,
            source: PolicySource::Inline,
            document: doc,
        });
    }
    if flag(ctx, b, "attach_policy_jsons", false)
        && let Some(js) = ctx.attr(b, "policy_jsons")
    {
        for j in js.as_list() {
            let doc = document(ctx, j);
            policies.push(AttachedPolicy {
                name: "policy_jsons".into(),
                span: j.span,
                source: PolicySource::Inline,
                document: doc,
            });
        }
    }
    if flag(ctx, b, "attach_policy", false)
        && let Some(p) = ctx.attr(b, "policy")
    {
        policies.push(attachment(ctx, &p));
    }
    if flag(ctx, b, "attach_policies", false)
        && let Some(ps) = ctx.attr(b, "policies")
    {
        for p in ps.as_list() {
            policies.push(attachment(ctx, p));
        }
    }
    for (input, arn) in [
        ("attach_tracing_policy", "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"),
        (
            "attach_network_policy",
            "arn:aws:iam::aws:policy/service-role/AWSLambdaENIManagementAccess",
        ),
    ] {
        if flag(ctx, b, input, false) {
            let span = ctx.attr_span(b, input);
            policies.push(AttachedPolicy {
                name: arn.into(),
                span,
                source: PolicySource::AwsManaged,
                document: faasguard_loaders::aws_managed_policy_document(arn, span),
            });
        }
    }
    let trust = Statement {
        sid: None,
        effect: Val::default_at(Effect::Allow, owner),
        actions: vec![Val::default_at("sts:AssumeRole".into(), owner)],
        not_actions: None,
        resources: Vec::new(),
        not_resources: None,
        principal: Some(Principal::Listed(vec![(
            PrincipalKind::Service,
            vec![Val::default_at("lambda.amazonaws.com".into(), owner)],
        )])),
        not_principal: None,
        conditions: Vec::new(),
        span: owner,
    };
    Role {
        logical_id: format!("{logical_id}.role"),
        span: owner,
        generated: true,
        trust_policy: Some(PolicyDocument { statements: vec![trust], span: owner }),
        policies,
        permissions_boundary: ctx.str(b, "role_permissions_boundary"),
        boundary_document: None,
        assignments: Vec::new(),
        default_identity: false,
    }
}
