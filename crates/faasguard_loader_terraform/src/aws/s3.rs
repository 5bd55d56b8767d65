//! S3 buckets, their policies and public access blocks, and bucket
//! notifications that invoke functions.

use faasguard_model::{Resource, ResourceId, ResourceKind, Trigger, TriggerKind, Val};

use crate::aws::policy::document;
use crate::build::{Blk, Ctx};

/// Pushes a resource and records its address.
pub(crate) fn push(ctx: &mut Ctx<'_>, addr: &str, resource: Resource) -> ResourceId {
    let id = ResourceId(ctx.app.resources.len() as u32);
    ctx.app.resources.push(resource);
    ctx.resources.insert(addr.to_string(), id);
    id
}

/// A resource with the common fields read from its block.
pub(crate) fn resource<'a>(
    ctx: &mut Ctx<'a>,
    logical_id: &str,
    ty: &str,
    kind: ResourceKind,
    b: &Blk<'a>,
    name_key: &str,
) -> Resource {
    Resource {
        logical_id: logical_id.to_string(),
        type_name: ty.to_string(),
        kind,
        span: b.span,
        name: ctx.str(b, name_key),
        policy: None,
        kms_key: None,
    }
}

pub(crate) fn load(ctx: &mut Ctx<'_>) {
    for r in ctx.of_type(false, "aws_s3_bucket") {
        let b = r.blk.clone();
        let mut res =
            resource(ctx, &r.logical_id, "aws_s3_bucket", ResourceKind::Bucket, &b, "bucket");
        res.policy = ctx.attr(&b, "policy").and_then(|v| document(ctx, &v));
        // Provider v3 inline encryption configuration.
        if let Some(sse) = ctx.block(&b, "server_side_encryption_configuration")
            && let Some(rule) = ctx.block(&sse, "rule")
            && let Some(d) = ctx.block(&rule, "apply_server_side_encryption_by_default")
        {
            res.kms_key = ctx.str(&d, "kms_master_key_id");
        }
        push(ctx, &r.addr, res);
    }
    for r in ctx.of_type(false, "aws_s3_bucket_policy") {
        let b = r.blk.clone();
        if let Some(bucket) = ctx.attr(&b, "bucket").and_then(|v| ctx.resource_of(&v))
            && let Some(doc) = ctx.attr(&b, "policy").and_then(|v| document(ctx, &v))
        {
            ctx.app.resources[bucket.index()].policy = Some(doc);
        }
    }
    for r in ctx.of_type(false, "aws_s3_bucket_server_side_encryption_configuration") {
        let b = r.blk.clone();
        let Some(bucket) = ctx.attr(&b, "bucket").and_then(|v| ctx.resource_of(&v)) else {
            continue;
        };
        if let Some(rule) = ctx.block(&b, "rule")
            && let Some(d) = ctx.block(&rule, "apply_server_side_encryption_by_default")
        {
            ctx.app.resources[bucket.index()].kms_key = ctx.str(&d, "kms_master_key_id");
        }
    }
    // The model has no field for public access blocks; keep them as their
    // own resources (named by the bucket) so they stay visible.
    for r in ctx.of_type(false, "aws_s3_bucket_public_access_block") {
        let b = r.blk.clone();
        let ty = "aws_s3_bucket_public_access_block";
        let res = resource(ctx, &r.logical_id, ty, ResourceKind::Other(ty.into()), &b, "bucket");
        push(ctx, &r.addr, res);
    }
    for r in ctx.of_type(false, "aws_s3_bucket_notification") {
        let b = r.blk.clone();
        let bucket = ctx.attr(&b, "bucket");
        let bucket_val = bucket
            .as_ref()
            .and_then(|v| v.to_val())
            .unwrap_or(Val::unresolved(String::new(), b.span));
        for n in ctx.blocks(&b, "lambda_function") {
            let Some(f) = ctx.attr(&n, "lambda_function_arn").and_then(|v| ctx.function_of(&v))
            else {
                continue;
            };
            ctx.app.triggers.push(Trigger {
                logical_id: r.logical_id.clone(),
                function: f,
                span: n.span,
                kind: TriggerKind::S3 { bucket: bucket_val.clone() },
            });
        }
    }
}
