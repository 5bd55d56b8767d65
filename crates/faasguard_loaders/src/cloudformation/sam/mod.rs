//! The SAM transform (`Transform: AWS::Serverless-2016-10-31`): what
//! `AWS::Serverless::*` resources expand to, modelled directly rather than by
//! running the transform, so every value keeps the span the user wrote.

pub(crate) mod api;
pub(crate) mod events;
pub(crate) mod function;
pub(crate) mod globals;
pub(crate) mod policy_templates;
