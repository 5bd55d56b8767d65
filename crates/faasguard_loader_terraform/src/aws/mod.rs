//! AWS resources into the model. Order matters: policies and roles first,
//! so functions can link to their role, and layers, so functions can link
//! to theirs; functions before everything that refers to a function.

mod apigateway;
mod iam;
pub(crate) mod lambda;
mod lambda_module;
pub(crate) mod policy;
mod s3;
mod sqs_sns_kms_logs;

use crate::build::Ctx;

pub(crate) fn load(ctx: &mut Ctx<'_>) {
    iam::load(ctx);
    lambda::load_layers(ctx);
    lambda_module::load_layers(ctx);
    lambda::load_functions(ctx);
    lambda_module::load(ctx);
    s3::load(ctx);
    sqs_sns_kms_logs::load(ctx);
    lambda::load_attachments(ctx);
    apigateway::load(ctx);
}
