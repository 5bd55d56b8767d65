//! `azurerm_user_assigned_identity` and `azurerm_role_assignment`: the RBAC
//! roles granted to the identities function apps run as.

use faasguard_model::{RoleAssignment, RoleId, Val};

use crate::azure::function_app::identity_role;
use crate::build::{Ctx, refs};

/// User-assigned identities, before the apps that use them.
pub(crate) fn load_identities(ctx: &mut Ctx<'_>) {
    for r in ctx.of_type(false, "azurerm_user_assigned_identity") {
        let id = RoleId(ctx.app.roles.len() as u32);
        ctx.app.roles.push(identity_role(r.logical_id.clone(), r.blk.span));
        ctx.roles.insert(r.addr.clone(), id);
    }
}

pub(crate) fn load(ctx: &mut Ctx<'_>) {
    for r in ctx.of_type(false, "azurerm_role_assignment") {
        let b = r.blk.clone();
        let Some(principal) = ctx.attr(&b, "principal_id") else { continue };
        let role = refs(&principal).into_iter().find_map(|(addr, _)| {
            ctx.roles.get(&format!("{addr}.identity")).or_else(|| ctx.roles.get(&addr)).copied()
        });
        let Some(role) = role else { continue };
        let name =
            ctx.str(&b, "role_definition_name").or_else(|| ctx.str(&b, "role_definition_id"));
        let assignment = RoleAssignment {
            role: name.unwrap_or(Val::unresolved(String::new(), b.span)),
            scope: ctx.str(&b, "scope"),
            span: b.span,
        };
        ctx.app.roles[role.index()].assignments.push(assignment);
    }
}
