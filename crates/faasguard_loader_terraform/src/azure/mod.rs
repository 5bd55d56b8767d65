//! Azure function apps and the RBAC assignments of their managed identities.

mod function_app;
mod role_assignment;

use crate::build::Ctx;

pub(crate) fn load(ctx: &mut Ctx<'_>) {
    role_assignment::load_identities(ctx);
    function_app::load(ctx);
    role_assignment::load(ctx);
}
