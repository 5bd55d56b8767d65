//! Execution roles and their statements, as the IAM and attack-path rules
//! read them.

use faasguard_model::{App, AttachedPolicy, Function, PolicySource, Role, RoleId, Statement, Val};
use faasguard_source::Span;

use super::actions::{self, Grants};
use crate::Settings;

/// A role that at least one function of the app runs with.
pub(crate) struct ExecutionRole<'a> {
    pub(crate) id: RoleId,
    pub(crate) role: &'a Role,
    /// The functions using it, in the app's order.
    pub(crate) users: Vec<&'a Function>,
}

impl ExecutionRole<'_> {
    /// `role `X` of `F``, or `role `X` shared by `A`, `B``, for messages.
    pub(crate) fn describe(&self) -> String {
        let names: Vec<String> = self.users.iter().map(|f| format!("`{}`", f.logical_id)).collect();
        match names.as_slice() {
            [one] => format!("role `{}` of {one}", self.role.logical_id),
            _ => format!("role `{}` shared by {}", self.role.logical_id, names.join(", ")),
        }
    }
}

/// Roles used by functions, each once, in the order of the app's roles.
/// Roles no function uses are left out: they are not execution roles, and
/// what they may do is not what a compromised function may do. Roles the
/// exclusions file names are left out too: the user has reviewed them.
pub(crate) fn execution_roles<'a>(app: &'a App, settings: &Settings) -> Vec<ExecutionRole<'a>> {
    app.roles()
        .filter(|(_, role)| !settings.iam_exclusions.excludes_role(&role.logical_id))
        .filter_map(|(id, role)| {
            let users: Vec<&Function> = app.functions_with_role(id).map(|(_, f)| f).collect();
            (!users.is_empty()).then_some(ExecutionRole { id, role, users })
        })
        .collect()
}

/// The name of an AWS managed policy (`AdministratorAccess`), from its ARN
/// or bare name.
pub(crate) fn aws_managed_name(p: &AttachedPolicy) -> Option<&str> {
    if p.source != PolicySource::AwsManaged {
        return None;
    }
    let name = p.name.trim().rsplit('/').next()?;
    (!name.is_empty() && !name.contains(['$', '{', ':'])).then_some(name)
}

/// A statement that is known to be an Allow (an unresolved effect is unknown).
pub(crate) fn is_known_allow(s: &Statement) -> bool {
    s.effect.is_known() && s.is_allow()
}

/// Whether a value is the wildcard `*`.
pub(crate) fn is_star(v: &Val<String>) -> bool {
    v.is_known() && v.value.trim() == "*"
}

/// The statement's `Resource: "*"` entry, if it has one.
pub(crate) fn star_resource(s: &Statement) -> Option<&Val<String>> {
    s.resources.iter().find(|r| is_star(r))
}

/// Where a statement's reach over resources is shown: its `*` resource, or
/// its first `NotResource` entry (everything but a few). `None` when the
/// statement is scoped.
pub(crate) fn unscoped_at(s: &Statement) -> Option<Span> {
    if let Some(r) = star_resource(s) {
        return Some(r.span);
    }
    s.not_resources.as_ref().map(|n| n.first().map_or(s.span, |v| v.span))
}

/// What a statement grants, with the entries that grant it (quoted for
/// messages). `None` when it grants nothing harmful; a `NotAction` list
/// with an unresolved entry grants nothing known (it may exclude anything).
fn statement_grants(s: &Statement) -> Option<(Grants, Vec<String>)> {
    let mut grants = Grants::default();
    let mut what = Vec::new();
    for a in s.actions.iter().filter(|a| a.is_known()) {
        let g = actions::grants_of(&a.value);
        if g.any() {
            grants = grants.union(g);
            what.push(format!("`{}`", a.value.trim()));
        }
    }
    if let Some(not) = &s.not_actions
        && not.iter().all(Val::is_known)
    {
        let excluded: Vec<&str> = not.iter().map(|v| v.value.as_str()).collect();
        let g = actions::grants_except(&excluded);
        if g.any() {
            grants = grants.union(g);
            let listed: Vec<String> = excluded.iter().map(|e| format!("`{}`", e.trim())).collect();
            what.push(format!("every action but {}", listed.join(", ")));
        }
    }
    grants.any().then_some((grants, what))
}

/// The worst thing one source of permissions lets a role do on every resource.
pub(crate) struct Grant<'a> {
    /// What it allows.
    pub(crate) grants: Grants,
    /// The actions that allow it, quoted for messages.
    pub(crate) actions: Vec<String>,
    /// The policy it is in.
    pub(crate) policy: &'a AttachedPolicy,
    /// The statement.
    pub(crate) span: Span,
}

impl Grant<'_> {
    /// Worst first: the worst kind, then the most kinds, then a plain `*`
    /// (the clearest thing to show).
    fn score(&self) -> (u8, u8, bool) {
        let g = self.grants;
        let kinds = u8::from(g.write) + u8::from(g.permissions) + u8::from(g.secrets);
        (g.rank(), kinds, self.actions.iter().any(|a| a == "`*`"))
    }
}

/// Everything a role may do on every resource, and the statement granting
/// the worst of it. Statements with a `Condition` are left out: a condition
/// may narrow the grant in ways the template alone does not show. Deny
/// statements are not subtracted.
pub(crate) fn unscoped_grants<'a>(role: &'a Role) -> Option<(Grants, Grant<'a>)> {
    let mut total = Grants::default();
    let mut worst: Option<Grant<'a>> = None;
    let mut consider = |g: Grant<'a>| {
        total = total.union(g.grants);
        if worst.as_ref().is_none_or(|w| g.score() > w.score()) {
            worst = Some(g);
        }
    };
    // A policy whose document is unknown (an unresolved ARN, a managed
    // policy missing from the vendored data) grants nothing we can show:
    // no finding rests on a guess.
    for p in &role.policies {
        let Some(doc) = &p.document else { continue };
        for s in &doc.statements {
            if !is_known_allow(s) || !s.conditions.is_empty() || unscoped_at(s).is_none() {
                continue;
            }
            if let Some((grants, actions)) = statement_grants(s) {
                consider(Grant { grants, actions, policy: p, span: s.span });
            }
        }
    }
    worst.map(|w| (total, w))
}

/// How a policy is named in messages.
pub(crate) fn policy_label(p: &AttachedPolicy) -> String {
    match (&p.source, aws_managed_name(p)) {
        (PolicySource::AwsManaged, Some(name)) => format!("AWS managed policy `{name}`"),
        (PolicySource::SamTemplate, _) => format!("SAM policy template `{}`", p.name),
        _ if p.name.is_empty() => "an inline policy".to_owned(),
        (PolicySource::CustomerManaged, _) => format!("managed policy `{}`", p.name),
        _ => format!("policy `{}`", p.name),
    }
}

/// Statements of the policies the author wrote (inline, customer managed
/// and SAM templates), with their policy and index. AWS managed policies
/// are left out: the author cannot change them, and the broad ones are
/// `admin-managed-policy`'s.
pub(crate) fn authored_statements(
    role: &Role,
) -> impl Iterator<Item = (&AttachedPolicy, usize, &Statement)> {
    role.policies
        .iter()
        .filter(|p| p.source != PolicySource::AwsManaged)
        .filter_map(|p| p.document.as_ref().map(|d| (p, d)))
        .flat_map(|(p, d)| d.statements.iter().enumerate().map(move |(i, s)| (p, i, s)))
}
