//! `layers:`: each key becomes a [`Layer`] whose content is the directory
//! in `path` (relative to the service directory) or the built
//! `package.artifact`, and functions' `layers:` are resolved to them. The
//! Framework names a layer's CloudFormation resource `<Name>LambdaLayer`
//! (the key normalized as function keys are), and that is how a function
//! refers to a layer of its own service: `{Ref: <Name>LambdaLayer}`.

use faasguard_model::{Layer, LayerId, Val};
use faasguard_syntax::{Node, NodeKind};

use crate::values::{intrinsic, referenced_logical_id, text, text_list};
use crate::{Ctx, normalized_name};

const LAYER_KEYS: &[&str] = &[
    "path",
    "name",
    "description",
    "compatibleRuntimes",
    "compatibleArchitectures",
    "licenseInfo",
    "allowedAccounts",
    "retain",
    "package",
];

/// Loads the top-level `layers:` section; before functions, which refer to it.
pub(crate) fn load_layers(ctx: &mut Ctx, node: Option<&Node>) {
    let Some(node) = node else { return };
    match &node.kind {
        NodeKind::Map(_) => {}
        NodeKind::Null => return,
        // The variable's own problem is already reported.
        NodeKind::String(s) if crate::variables::contains_variable(s) => return,
        _ => {
            ctx.structure(node.span, "`layers` must be a mapping of layer names");
            return;
        }
    }
    for e in node.entries() {
        if !e.value.is_map() {
            ctx.structure(e.value.span, format!("layer `{}` must be a mapping", e.key));
            continue;
        }
        ctx.check_keys(&e.value, LAYER_KEYS, &format!("layer `{}`", e.key));
        let get = |k: &str| e.value.get(k);
        let artifact = get("package").and_then(|p| p.get("artifact")).and_then(text);
        // A built artifact is what the Framework uploads, `path` unused.
        let content = artifact.or_else(|| get("path").and_then(text));
        if content.is_none() {
            ctx.structure(
                e.key_span,
                format!("layer `{}` has neither `path` nor `package.artifact`", e.key),
            );
        }
        let layer = Layer {
            logical_id: e.key.clone(),
            span: e.key_span.cover(e.value.span),
            // The Framework deploys the layer under its key unless `name` is set.
            name: get("name")
                .and_then(text)
                .or_else(|| Some(Val::default_at(e.key.clone(), e.key_span))),
            content,
            compatible_runtimes: get("compatibleRuntimes").map(text_list).unwrap_or_default(),
        };
        let id = LayerId(ctx.app.layers.len() as u32);
        ctx.app.layers.push(layer);
        ctx.layer_ids.insert(format!("{}LambdaLayer", normalized_name(&e.key)), id);
    }
}

/// An `AWS::Lambda::LayerVersion` of `resources:`, referred to by its
/// logical id.
pub(crate) fn cloudformation_layer(ctx: &mut Ctx, logical_id: &str, node: &Node) {
    let props = node.get("Properties");
    let get = |k: &str| props.and_then(|p| p.get(k));
    let content = get("Content").and_then(|c| {
        if c.is_map() && intrinsic(c).is_none() {
            let bucket = c.get("S3Bucket").and_then(text)?;
            let key = c.get("S3Key").and_then(text);
            let value = format!("s3://{}/{}", bucket.value, key.as_ref().map_or("", |k| &k.value));
            let known = bucket.is_known() && key.as_ref().is_none_or(Val::is_known);
            Some(if known { Val::explicit(value, c.span) } else { Val::unresolved(value, c.span) })
        } else {
            text(c)
        }
    });
    let layer = Layer {
        logical_id: logical_id.to_string(),
        span: node.span,
        name: get("LayerName").and_then(text),
        content,
        compatible_runtimes: get("CompatibleRuntimes").map(text_list).unwrap_or_default(),
    };
    let id = LayerId(ctx.app.layers.len() as u32);
    ctx.app.layers.push(layer);
    ctx.layer_ids.insert(logical_id.to_string(), id);
}

/// A function's `layers:` (or the provider's), as written and as layers of
/// this service: a `Ref` or `Fn::GetAtt` to `<Name>LambdaLayer` or to a
/// layer resource. ARNs and variables are layers outside the service.
pub(crate) fn function_layers(ctx: &Ctx, node: &Node) -> (Vec<Val<String>>, Vec<Option<LayerId>>) {
    let items: Vec<&Node> = match &node.kind {
        NodeKind::Seq(items) if intrinsic(node).is_none() => items.iter().collect(),
        _ => vec![node],
    };
    let mut written = Vec::new();
    let mut ids = Vec::new();
    for item in items {
        let Some(v) = text(item) else { continue };
        written.push(v);
        ids.push(referenced_logical_id(item).and_then(|l| ctx.layer_ids.get(&l).copied()));
    }
    (written, ids)
}
