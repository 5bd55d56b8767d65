//! Lambda functions and what hangs off them: layers, URLs, permissions,
//! event source mappings, asynchronous invoke configuration, layer
//! permissions.

use faasguard_model::{
    Code, Effect, EnvVar, Function, FunctionId, FunctionUrl, LambdaPermission, Layer, LayerId,
    PolicyDocument, Principal, PrincipalKind, Provider, Resource, ResourceId, ResourceKind,
    Statement, Trigger, TriggerKind, Val, ValueSource, VpcConfig,
};

use crate::build::{Ctx, refs};
use crate::hcl::value::Value;

/// How an environment value is provided.
pub(crate) fn value_source(v: &Val<String>) -> ValueSource {
    if v.is_known() { ValueSource::Literal } else { ValueSource::Reference }
}

/// Environment variables from a map value.
pub(crate) fn env_vars(map: &Value) -> Vec<EnvVar> {
    map.fields()
        .iter()
        .filter_map(|f| {
            let value = f.value.to_val()?;
            Some(EnvVar {
                name: f.key.clone(),
                name_span: f.key_span,
                source: value_source(&value),
                value,
            })
        })
        .collect()
}

pub(crate) fn load_functions(ctx: &mut Ctx<'_>) {
    for r in ctx.of_type(false, "aws_lambda_function") {
        let b = r.blk.clone();
        let mut f = Function::new(r.logical_id.clone(), b.span, Provider::Aws);
        f.name = ctx.str(&b, "function_name");
        let image =
            ctx.attr(&b, "package_type").and_then(|v| v.as_text()).is_some_and(|t| t == "Image");
        f.runtime = if image { None } else { ctx.str(&b, "runtime") };
        f.handler = ctx.str(&b, "handler");
        f.code = code(ctx, &b);
        f.memory_mb = ctx.int(&b, "memory_size");
        f.timeout_s = ctx.int(&b, "timeout");
        if let Some(env) = ctx.block(&b, "environment")
            && let Some(vars) = ctx.attr(&env, "variables")
        {
            f.environment = env_vars(&vars);
        }
        f.env_kms_key = ctx.str(&b, "kms_key_arn");
        (f.layers, f.layer_ids) = function_layers(ctx, &b, "layers");
        if let Some(v) = ctx.block(&b, "vpc_config") {
            let subnets = ctx.strs(&v, "subnet_ids");
            let security_groups = ctx.strs(&v, "security_group_ids");
            f.vpc = Some(VpcConfig { subnets, security_groups, span: v.span });
        }
        f.reserved_concurrency = ctx.int(&b, "reserved_concurrent_executions");
        if let Some(t) = ctx.block(&b, "tracing_config") {
            f.tracing = ctx.str(&t, "mode");
        }
        if let Some(d) = ctx.block(&b, "dead_letter_config") {
            f.dead_letter = ctx.str(&d, "target_arn");
        }
        f.code_signing = ctx.str(&b, "code_signing_config_arn");
        if let Some(role) = ctx.attr(&b, "role") {
            f.role = ctx.role_of(&role);
            f.role_ref = role.to_val();
        }
        let id = FunctionId(ctx.app.functions.len() as u32);
        ctx.app.functions.push(f);
        ctx.functions.insert(r.addr.clone(), id);
    }
}

fn code<'a>(ctx: &mut Ctx<'a>, b: &crate::build::Blk<'a>) -> Option<Code> {
    if let Some(img) = ctx.str(b, "image_uri") {
        return Some(Code::Image(img));
    }
    package_location(ctx, b).map(Code::Location)
}

/// Where a function's or a layer's package is: `filename` (an archive, or
/// the source an `archive_file` builds it from), else `s3_bucket` and
/// `s3_key` as an `s3://` URI.
fn package_location<'a>(ctx: &mut Ctx<'a>, b: &crate::build::Blk<'a>) -> Option<Val<String>> {
    if let Some(v) = ctx.attr(b, "filename") {
        // `data.archive_file.x.output_path`: the code is the archived source.
        for (addr, _) in refs(&v) {
            if addr.contains("data.archive_file.")
                && let Some(a) = ctx.data_item(&addr)
            {
                let ab = a.blk.clone();
                let src = ctx.str(&ab, "source_dir").or_else(|| ctx.str(&ab, "source_file"));
                if let Some(mut s) = src {
                    s.span = v.span;
                    return Some(s);
                }
            }
        }
        return v.to_val();
    }
    let bucket = ctx.attr(b, "s3_bucket")?;
    let key = ctx.attr(b, "s3_key");
    let text = format!(
        "s3://{}/{}",
        bucket.rendering(),
        key.as_ref().map(Value::rendering).unwrap_or_default()
    );
    let known = bucket.is_wholly_known() && key.as_ref().is_none_or(Value::is_wholly_known);
    let span = key.map_or(bucket.span, |k| bucket.span.cover(k.span));
    Some(if known { Val::explicit(text, span) } else { Val::unresolved(text, span) })
}

/// `aws_lambda_layer_version`: before functions, which resolve their
/// `layers` to them.
pub(crate) fn load_layers(ctx: &mut Ctx<'_>) {
    for r in ctx.of_type(false, "aws_lambda_layer_version") {
        let b = r.blk.clone();
        let layer = Layer {
            logical_id: r.logical_id.clone(),
            span: b.span,
            name: ctx.str(&b, "layer_name"),
            content: package_location(ctx, &b),
            compatible_runtimes: ctx.strs(&b, "compatible_runtimes"),
        };
        let id = LayerId(ctx.app.layers.len() as u32);
        ctx.app.layers.push(layer);
        ctx.layers.insert(r.addr.clone(), id);
    }
}

/// A function's `layers`, as written and as layers of this module: a
/// reference to a layer's address (`aws_lambda_layer_version.x.arn`,
/// `module.m.lambda_layer_arn` of a registry layer module). ARNs and
/// variables are layers outside the module.
pub(crate) fn function_layers<'a>(
    ctx: &mut Ctx<'a>,
    b: &crate::build::Blk<'a>,
    key: &str,
) -> (Vec<Val<String>>, Vec<Option<LayerId>>) {
    let Some(v) = ctx.attr(b, key) else { return (Vec::new(), Vec::new()) };
    let mut written = Vec::new();
    let mut ids = Vec::new();
    // A wholly unknown list (`var.layers`) is one unresolved entry.
    for item in v.as_list() {
        let Some(text) = item.to_val() else { continue };
        written.push(text);
        ids.push(refs(item).into_iter().find_map(|(addr, _)| ctx.layers.get(&addr).copied()));
    }
    (written, ids)
}

pub(crate) fn load_attachments(ctx: &mut Ctx<'_>) {
    for r in ctx.of_type(false, "aws_lambda_function_url") {
        let b = r.blk.clone();
        let Some(f) = ctx.attr(&b, "function_name").and_then(|v| ctx.function_of(&v)) else {
            continue;
        };
        let auth_type =
            ctx.str(&b, "authorization_type").unwrap_or(Val::unresolved(String::new(), b.span));
        let (mut origins, mut methods) = (Vec::new(), Vec::new());
        if let Some(c) = ctx.block(&b, "cors") {
            origins = ctx.strs(&c, "allow_origins");
            methods = ctx.strs(&c, "allow_methods");
        }
        ctx.app.functions[f.index()].url = Some(FunctionUrl {
            auth_type,
            cors_origins: origins,
            cors_methods: methods,
            span: b.span,
            logical_id: Some(r.logical_id.clone()),
        });
    }
    for r in ctx.of_type(false, "aws_lambda_permission") {
        let b = r.blk.clone();
        let Some(fref) = ctx.attr(&b, "function_name") else { continue };
        let function = ctx.function_of(&fref);
        let permission = LambdaPermission {
            logical_id: r.logical_id.clone(),
            span: b.span,
            function,
            function_ref: fref.to_val().unwrap_or(Val::unresolved(String::new(), fref.span)),
            action: ctx.str(&b, "action").unwrap_or(Val::unresolved(String::new(), b.span)),
            principal: ctx.str(&b, "principal").unwrap_or(Val::unresolved(String::new(), b.span)),
            source_arn: ctx.str(&b, "source_arn"),
            source_account: ctx.str(&b, "source_account"),
            principal_org_id: ctx.str(&b, "principal_org_id"),
            function_url_auth_type: ctx.str(&b, "function_url_auth_type"),
        };
        ctx.app.permissions.push(permission);
    }
    for r in ctx.of_type(false, "aws_lambda_event_source_mapping") {
        let b = r.blk.clone();
        let Some(f) = ctx.attr(&b, "function_name").and_then(|v| ctx.function_of(&v)) else {
            continue;
        };
        let source = ctx.attr(&b, "event_source_arn");
        let kind = match &source {
            Some(s) => source_kind(s),
            None => TriggerKind::Other { kind: "aws_lambda_event_source_mapping".into() },
        };
        ctx.app.triggers.push(Trigger {
            logical_id: r.logical_id.clone(),
            function: f,
            span: b.span,
            kind,
        });
    }
    for r in ctx.of_type(false, "aws_lambda_function_event_invoke_config") {
        let b = r.blk.clone();
        let Some(f) = ctx.attr(&b, "function_name").and_then(|v| ctx.function_of(&v)) else {
            continue;
        };
        if let Some(d) = ctx.block(&b, "destination_config")
            && let Some(of) = ctx.block(&d, "on_failure")
        {
            ctx.app.functions[f.index()].on_failure = ctx.str(&of, "destination");
        }
    }
    for r in ctx.of_type(false, "aws_lambda_layer_version_permission") {
        let b = r.blk.clone();
        let principal = ctx.str(&b, "principal").unwrap_or(Val::unresolved(String::new(), b.span));
        let org = ctx.str(&b, "organization_id");
        let action = ctx
            .str(&b, "action")
            .unwrap_or(Val::default_at("lambda:GetLayerVersion".into(), b.span));
        let principal = if principal.is_known() && principal.value == "*" {
            Principal::Any(principal.span)
        } else {
            Principal::Listed(vec![(PrincipalKind::Aws, vec![principal])])
        };
        let conditions = org
            .map(|o| faasguard_model::Condition {
                operator: "StringEquals".into(),
                key: "aws:PrincipalOrgID".into(),
                span: o.span,
                values: vec![o],
            })
            .into_iter()
            .collect();
        let statement = Statement {
            sid: None,
            effect: Val::default_at(Effect::Allow, b.span),
            actions: vec![action],
            not_actions: None,
            resources: ctx.strs(&b, "layer_name"),
            not_resources: None,
            principal: Some(principal),
            not_principal: None,
            conditions,
            span: b.span,
        };
        let name = ctx.str(&b, "layer_name");
        let id = ResourceId(ctx.app.resources.len() as u32);
        ctx.app.resources.push(Resource {
            logical_id: r.logical_id.clone(),
            type_name: "aws_lambda_layer_version_permission".into(),
            kind: ResourceKind::Layer,
            span: b.span,
            name,
            policy: Some(PolicyDocument { statements: vec![statement], span: b.span }),
            kms_key: None,
        });
        ctx.resources.insert(r.addr.clone(), id);
    }
}

/// The kind of a polled event source, from its reference or ARN.
pub(crate) fn source_kind(s: &Value) -> TriggerKind {
    let text = s.rendering();
    let val = s.to_val().unwrap_or(Val::unresolved(text.clone(), s.span));
    let has = |needle: &str| text.contains(needle);
    if has("aws_sqs_queue.") || has(":sqs:") {
        TriggerKind::Sqs { queue: val }
    } else if has("aws_dynamodb_table.") || has(":dynamodb:") {
        TriggerKind::DynamoDbStream { stream: val }
    } else if has("aws_kinesis_stream.") || has(":kinesis:") {
        TriggerKind::Kinesis { stream: val }
    } else {
        TriggerKind::Other { kind: "aws_lambda_event_source_mapping".into() }
    }
}
