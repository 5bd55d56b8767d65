//! `AWS::Lambda::LayerVersion` and `AWS::Serverless::LayerVersion`: the
//! layer and where its content is, declared before functions so a
//! function's `Layers` can be resolved to it.

use faasguard_model::{Layer, LayerId, Val};

use super::context::Loader;
use super::functions::s3_location;
use super::template::RawResource;
use super::value::V;

pub(crate) fn declare(l: &mut Loader<'_, '_>, i: usize, r: &RawResource<'_>) {
    // A layer whose condition is false is not deployed: nothing ships.
    let Some(props) = l.props(i) else { return };
    let content = if r.type_name == "AWS::Serverless::LayerVersion" {
        // `ContentUri`: a path from the template's directory, or `{Bucket, Key}`.
        props.get("ContentUri").and_then(|c| {
            if c.is_map() { Some(s3_location(c, "Bucket", "Key")) } else { c.to_val() }
        })
    } else {
        // `Content` is `{S3Bucket, S3Key}` once deployed; `aws cloudformation
        // package` also accepts a local path there and uploads it.
        props.get("Content").and_then(|c| {
            if c.get("S3Bucket").is_some() {
                Some(s3_location(c, "S3Bucket", "S3Key"))
            } else {
                c.to_val()
            }
        })
    };
    let layer = Layer {
        logical_id: r.id.to_owned(),
        span: r.node.span,
        name: props.get("LayerName").and_then(V::to_val),
        content,
        compatible_runtimes: props.get("CompatibleRuntimes").map(V::to_vals).unwrap_or_default(),
    };
    let id = LayerId(l.app.layers.len() as u32);
    l.layer_ids.insert(r.id.to_owned(), id);
    l.app.layers.push(layer);
}

/// A function's `Layers`, as written and as layers of the template: a
/// `Ref` or `Fn::GetAtt` to a layer resource (the same value `Globals`
/// adds). ARNs, imports and parameters are layers outside the template.
pub(crate) fn function_layers(
    l: &Loader<'_, '_>,
    layers: &V,
) -> (Vec<Val<String>>, Vec<Option<LayerId>>) {
    let mut written = Vec::new();
    let mut ids = Vec::new();
    for item in layers.one_or_many() {
        let Some(v) = item.to_val() else { continue };
        written.push(v);
        ids.push(item.links().into_iter().find_map(|link| l.layer_ids.get(link).copied()));
    }
    (written, ids)
}
