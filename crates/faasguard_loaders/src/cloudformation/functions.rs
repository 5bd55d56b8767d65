//! `AWS::Lambda::Function` and the resources that configure one function:
//! `AWS::Lambda::Url` and `AWS::Lambda::EventInvokeConfig`. The properties
//! SAM functions share with raw ones are read here too ([`fill_common`]).

use faasguard_model::{Code, EnvVar, Function, FunctionId, FunctionUrl, Provider, Val, VpcConfig};

use super::context::Loader;
use super::template::RawResource;
use super::value::V;

pub(crate) fn declare(l: &mut Loader<'_, '_>, i: usize, r: &RawResource<'_>) {
    let Some(props) = l.take_props(i) else { return };
    let mut f = Function::new(r.id, r.node.span, Provider::Aws);
    fill_common(l, &mut f, &props);
    if let Some(code) = props.get("Code") {
        f.code = if let Some(zip) = code.get("ZipFile") {
            zip.to_val().map(Code::Inline)
        } else if let Some(image) = code.get("ImageUri") {
            image.to_val().map(Code::Image)
        } else if code.get("S3Bucket").is_some() {
            Some(Code::Location(s3_location(code, "S3Bucket", "S3Key")))
        } else {
            code.to_val().map(Code::Location)
        };
    }
    f.tracing = props.get("TracingConfig").and_then(|t| t.get("Mode")).and_then(V::to_val);
    f.dead_letter =
        props.get("DeadLetterConfig").and_then(|d| d.get("TargetArn")).and_then(V::to_val);
    l.put_props(i, props);
    push_function(l, f);
}

/// An S3 object given as a bucket and a key (`Code`, `CodeUri`, a layer's
/// `Content`) as one `s3://bucket/key` location, unresolved when a part is.
pub(crate) fn s3_location(v: &V, bucket_key: &str, key_key: &str) -> Val<String> {
    let bucket = v.get(bucket_key);
    let key = v.get(key_key);
    let text = format!(
        "s3://{}/{}",
        bucket.map(V::fragment).unwrap_or_default(),
        key.map(V::fragment).unwrap_or_default()
    );
    if bucket.is_some_and(|b| b.unresolved) || key.is_some_and(|k| k.unresolved) {
        Val::unresolved(text, v.span)
    } else {
        Val::explicit(text, v.span)
    }
}

pub(crate) fn push_function(l: &mut Loader<'_, '_>, f: Function) -> FunctionId {
    let id = FunctionId(l.app.functions.len() as u32);
    l.function_ids.insert(f.logical_id.clone(), id);
    l.app.functions.push(f);
    id
}

/// Properties raw and SAM functions write the same way.
pub(crate) fn fill_common(l: &mut Loader<'_, '_>, f: &mut Function, props: &V) {
    let s = |k: &str| props.get(k).and_then(V::to_val);
    f.name = s("FunctionName");
    f.runtime = s("Runtime");
    f.handler = s("Handler");
    f.memory_mb = props.get("MemorySize").and_then(V::to_val_i64);
    f.timeout_s = props.get("Timeout").and_then(V::to_val_i64);
    f.env_kms_key = s("KmsKeyArn");
    f.code_signing = s("CodeSigningConfigArn");
    f.reserved_concurrency = props.get("ReservedConcurrentExecutions").and_then(V::to_val_i64);
    if let Some(layers) = props.get("Layers") {
        (f.layers, f.layer_ids) = super::layers::function_layers(l, layers);
    }
    if let Some(vars) = props.get("Environment").and_then(|e| e.get("Variables")) {
        f.environment = vars
            .entries()
            .iter()
            .map(|e| EnvVar {
                name: e.key.clone(),
                name_span: e.key_span,
                value: e.value.to_val().unwrap_or(Val::explicit(String::new(), e.value.span)),
                source: e.value.source(),
            })
            .collect();
    }
    if let Some(vpc) = props.get("VpcConfig")
        && vpc.is_map()
    {
        f.vpc = Some(VpcConfig {
            subnets: vpc.get("SubnetIds").map(V::to_vals).unwrap_or_default(),
            security_groups: vpc.get("SecurityGroupIds").map(V::to_vals).unwrap_or_default(),
            span: vpc.span,
        });
    }
    if let Some(role) = props.get("Role") {
        f.role_ref = role.to_val();
        f.role = l.role_of(role);
    }
}

/// Reads a function URL configuration (`AWS::Lambda::Url` properties or SAM
/// `FunctionUrlConfig`).
pub(crate) fn url_config(v: &V, logical_id: Option<String>) -> FunctionUrl {
    let cors = v.get("Cors");
    FunctionUrl {
        auth_type: v
            .get("AuthType")
            .and_then(V::to_val)
            .unwrap_or_else(|| Val::unresolved("${AuthType}".to_owned(), v.span)),
        cors_origins: cors.and_then(|c| c.get("AllowOrigins")).map(V::to_vals).unwrap_or_default(),
        cors_methods: cors.and_then(|c| c.get("AllowMethods")).map(V::to_vals).unwrap_or_default(),
        span: v.span,
        logical_id,
    }
}

/// `AWS::Lambda::Url`: fills the target function's `url`.
pub(crate) fn url(l: &mut Loader<'_, '_>, i: usize, r: &RawResource<'_>) {
    let Some(props) = l.props(i) else { return };
    let Some(target) = props.get("TargetFunctionArn") else { return };
    let Some(fid) = l.function_of(target) else { return };
    let mut url = url_config(props, Some(r.id.to_owned()));
    url.span = r.node.span;
    if let Some(f) = l.app.functions.get_mut(fid.index()) {
        f.url = Some(url);
    }
}

/// `AWS::Lambda::EventInvokeConfig`: the on-failure destination.
pub(crate) fn invoke_config(l: &mut Loader<'_, '_>, i: usize, _r: &RawResource<'_>) {
    let Some(props) = l.props(i) else { return };
    let Some(fid) = props.get("FunctionName").and_then(|n| l.function_of(n)) else { return };
    let dest = props
        .get("DestinationConfig")
        .and_then(|d| d.get("OnFailure"))
        .and_then(|o| o.get("Destination"))
        .and_then(V::to_val);
    if let (Some(dest), Some(f)) = (dest, l.app.functions.get_mut(fid.index())) {
        f.on_failure = Some(dest);
    }
}
