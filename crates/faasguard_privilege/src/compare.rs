//! What a role grants against what its functions need: missing, unused and
//! over-broad permissions.
//!
//! Resources are compared in the canonical form of [`ResourceArn`]: each
//! resource of the role's policies is read with
//! [`policy_resource`](crate::resources::policy_resource), so a policy
//! entry `!GetAtt OrdersTable.Arn` and a need on the table `OrdersTable`
//! meet as the same pieces. Both sides are then rendered as IAM globs in
//! which the app's own partition, region and account, and each reference to
//! a resource of the app, are unique tokens (a literal region or 12-digit
//! account in an ARN counts as the own one, since a template rarely names
//! another), and a grant covers a need when its glob covers the need's
//! ([`faasguard_iam::pattern::glob_covers`]).
//!
//! Every doubt goes the quiet way:
//!
//! - **missing** is said only when no grant can cover the need: an
//!   unresolved piece on either side may be anything, a reference facing
//!   literal text may be that text, a conditional grant counts as granted
//!   (listed in [`Comparison::conditional`]), and a role with a policy
//!   whose document is unknown, or an unresolved action, is not judged;
//! - **unused** needs every function of the role analysed completely
//!   ([`Inference::complete`]) and a role only Lambda may assume; a need of
//!   low confidence still counts as a use;
//! - **over-broad** needs the name of every needed resource of the action
//!   resolved (the bucket, not the object key): a grant on `*` is the
//!   honest answer to a bucket name read at run time; and only what the
//!   code calls is weighed, not what the platform needs (logs), which
//!   AWS's own managed policies grant on `*`.
//!
//! Unused and over-broad permissions are told per statement and policy:
//! the statements of several attachments may share a span (SAM puts its
//! managed policies at the function), and each is named by the policy
//! that grants it.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use faasguard_iam::catalog::{AccessLevel, catalog};
use faasguard_iam::effective::{Effective, MAX_LISTED};
use faasguard_iam::pattern::{glob_covers, glob_match, globs_overlap};
use faasguard_iam::risk::{Level, lists};
use faasguard_model::{App, FunctionId, Origin, Principal, PrincipalKind, RoleId, Statement, Val};
use faasguard_source::Span;

use crate::resources::policy_resource;
use crate::{Confidence, Evidence, Inference, NeedSource, Piece, RefAttr, ResourceArn};

/// Actions named in one [`Unused`] entry before the rest are counted.
const SHOWN: usize = 5;

/// The comparison of one role with the needs of the functions using it.
#[derive(Debug, Clone, Default)]
pub struct Comparison {
    /// The role.
    pub role: Option<RoleId>,
    /// Needed and not granted (or not on the needed resources): the call
    /// fails with AccessDenied. Per function, sorted by function and action.
    pub missing: Vec<Missing>,
    /// Granted and needed by no function, per granting statement.
    pub unused: Vec<Unused>,
    /// Needed actions granted far wider than the resolved resources they
    /// are needed on, per granting statement.
    pub over_broad: Vec<OverBroad>,
    /// Needs granted only by statements with a condition: counted as
    /// granted, since the condition may well hold.
    pub conditional: Vec<ConditionalNeed>,
    /// Why unused permissions were not looked for, when they were not.
    pub unused_skipped: Option<String>,
    /// Why missing permissions were not looked for, when they were not.
    pub missing_skipped: Option<String>,
}

/// A permission a function needs that its role does not grant.
#[derive(Debug, Clone, PartialEq)]
pub struct Missing {
    /// The function.
    pub function: FunctionId,
    /// The action, as the catalog spells it.
    pub action: String,
    /// The needed resources no granted resource covers; every needed
    /// resource when the action is not granted at all.
    pub resources: Vec<ResourceArn>,
    /// The resources the role does grant the action on, as written; empty
    /// when it does not grant the action.
    pub granted_on: Vec<Val<String>>,
    /// The calls (or platform settings) that need it.
    pub evidence: Vec<Evidence>,
}

impl Missing {
    /// Whether the role grants the action at all (on other resources).
    pub fn granted_elsewhere(&self) -> bool {
        !self.granted_on.is_empty()
    }
}

/// A need granted only under conditions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionalNeed {
    /// The function.
    pub function: FunctionId,
    /// The action.
    pub action: String,
    /// The conditional statements granting it.
    pub statements: Vec<Span>,
}

/// How risky an unused action is, from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UnusedRisk {
    /// A List action.
    List,
    /// A Read action.
    Read,
    /// A Tagging action.
    Tagging,
    /// A Write action.
    Write,
    /// Reads data out of every bucket, parameter or secret (granted on all
    /// of them).
    DataExfiltration,
    /// Changes who may access resources.
    PermissionsManagement,
    /// Returns credentials.
    CredentialsExposure,
    /// Part of a privilege-escalation method the role grants in full.
    PrivilegeEscalation,
}

impl UnusedRisk {
    /// How bad keeping it is: escalation, credentials, permissions
    /// management and exfiltration high; other writes and tagging medium;
    /// reads and lists low.
    pub fn level(self) -> Level {
        match self {
            UnusedRisk::List | UnusedRisk::Read => Level::Low,
            UnusedRisk::Tagging | UnusedRisk::Write => Level::Medium,
            _ => Level::High,
        }
    }

    /// For a reader.
    pub fn as_str(self) -> &'static str {
        match self {
            UnusedRisk::List => "list",
            UnusedRisk::Read => "read",
            UnusedRisk::Tagging => "tagging",
            UnusedRisk::Write => "write",
            UnusedRisk::DataExfiltration => "data exfiltration",
            UnusedRisk::PermissionsManagement => "permissions management",
            UnusedRisk::CredentialsExposure => "credentials exposure",
            UnusedRisk::PrivilegeEscalation => "privilege escalation",
        }
    }
}

/// An unused action and its risk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnusedAction {
    /// The action, as the catalog spells it.
    pub action: String,
    /// Its risk.
    pub risk: UnusedRisk,
}

/// Granted actions of one statement that no function of the role needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unused {
    /// The statement (for an AWS managed policy or a SAM policy template,
    /// where the policy is attached).
    pub statement: Span,
    /// The policy's name.
    pub policy: String,
    /// The unused actions, in catalog order.
    pub actions: Vec<UnusedAction>,
    /// The statement's `Action` entries that grant unused actions, for a
    /// compact rendering ([`Unused::summary`]).
    pub entries: Vec<UnusedEntry>,
    /// Every statement granting them has a condition.
    pub conditional: bool,
}

/// One `Action` entry of a statement, split into unused and kept actions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnusedEntry {
    /// The entry as written (`s3:*`); empty for actions no entry names
    /// (a `NotAction` statement).
    pub pattern: String,
    /// Where it is written.
    pub span: Span,
    /// The actions it grants that are unused.
    pub unused: Vec<String>,
    /// The actions it grants that are needed (or kept by the caller).
    pub kept: Vec<String>,
    /// For the entry of a `NotAction` statement (no pattern): its
    /// `NotAction` entries, the actions it does not grant.
    pub excluded: Vec<String>,
}

impl Unused {
    /// The worst risk among the actions (`None` when there are none).
    pub fn worst(&self) -> Option<UnusedRisk> {
        self.actions.iter().map(|a| a.risk).max()
    }

    /// Keeps only the actions `keep` accepts (an exclusions file vouching
    /// for some); the others count as kept in the entries. Returns whether
    /// any unused action is left.
    pub fn retain_actions(&mut self, keep: impl Fn(&str) -> bool) -> bool {
        let dropped: HashSet<String> = self
            .actions
            .iter()
            .filter(|a| !keep(&a.action))
            .map(|a| a.action.to_ascii_lowercase())
            .collect();
        if dropped.is_empty() {
            return !self.actions.is_empty();
        }
        self.actions.retain(|a| !dropped.contains(&a.action.to_ascii_lowercase()));
        for e in &mut self.entries {
            let (gone, left): (Vec<String>, Vec<String>) =
                e.unused.drain(..).partition(|a| dropped.contains(&a.to_ascii_lowercase()));
            e.unused = left;
            e.kept.extend(gone);
        }
        self.entries.retain(|e| !e.unused.is_empty());
        !self.actions.is_empty()
    }

    /// The unused actions, compactly: `` `s3:*` (all 150 actions) ``,
    /// `` `s3:*` except `s3:GetObject` and `s3:PutObject` (148 of its 150 actions) ``,
    /// `` `sqs:SendMessage` and `sqs:DeleteMessage` ``.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        // Entries naming one action each (a SAM template, an AWS managed
        // policy) read best as one list.
        let mut single: Vec<String> = Vec::new();
        for e in &self.entries {
            let total = e.unused.len() + e.kept.len();
            let wild = e.pattern.contains(['*', '?']);
            if e.pattern.is_empty() && !e.excluded.is_empty() {
                let but: Vec<String> = e.excluded.iter().map(|a| format!("`{a}`")).collect();
                parts.push(format!(
                    "every action but {} ({} actions)",
                    listed_plain(&but),
                    e.unused.len()
                ));
            } else if e.pattern.is_empty() {
                single.extend(e.unused.iter().cloned());
            } else if e.kept.is_empty() && !wild {
                single.push(e.pattern.clone());
            } else if e.kept.is_empty() {
                parts.push(format!("`{}` (all {total} actions)", e.pattern));
            } else if e.kept.len() <= SHOWN {
                parts.push(format!(
                    "`{}` except {} ({} of its {total} actions)",
                    e.pattern,
                    listed(&e.kept),
                    e.unused.len(),
                ));
            } else {
                parts.push(format!("{} of the {total} actions of `{}`", e.unused.len(), e.pattern));
            }
        }
        if parts.len() > SHOWN {
            let more = parts.len() - SHOWN;
            parts.truncate(SHOWN);
            parts.push(format!("{more} more patterns"));
        }
        // An entry with its exceptions is a list itself: then `;` between.
        if self.entries.iter().any(|e| !e.kept.is_empty()) {
            if !single.is_empty() {
                parts.push(listed(&single));
            }
            return parts.join("; ");
        }
        let quoted = single.iter().map(|a| format!("`{a}`"));
        let all: Vec<String> = parts.into_iter().chain(quoted).collect();
        listed_plain(&all)
    }
}

/// `` `a`, `b`, `c`, `d`, `e` and 3 more ``.
fn listed(actions: &[String]) -> String {
    let quoted: Vec<String> = actions.iter().map(|a| format!("`{a}`")).collect();
    listed_plain(&quoted)
}

/// The same for items already quoted.
fn listed_plain(actions: &[String]) -> String {
    let shown: Vec<String> = actions.iter().take(SHOWN).cloned().collect();
    if actions.len() > SHOWN {
        return format!("{} and {} more", shown.join(", "), actions.len() - SHOWN);
    }
    match shown.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => shown.join(""),
    }
}

/// Needed actions one statement grants on far more than they are needed on.
#[derive(Debug, Clone, PartialEq)]
pub struct OverBroad {
    /// The statement.
    pub statement: Span,
    /// The policy's name.
    pub policy: String,
    /// The needed actions it grants broadly, sorted.
    pub actions: Vec<String>,
    /// Its resources that reach far beyond the needs (`*`, every table), as written.
    pub granted: Vec<Val<String>>,
    /// What the functions need those actions on, sorted.
    pub needed: Vec<ResourceArn>,
    /// The calls that need them.
    pub evidence: Vec<Evidence>,
    /// The functions that need them.
    pub functions: Vec<FunctionId>,
}

/// Compares the effective permissions `eff` of `role` with the inferences
/// of `functions`, every function of the app that uses the role. Pure and
/// bounded: the work is linear in the grants and the needs.
pub fn compare(
    app: &App,
    role: RoleId,
    eff: &Effective<'_>,
    functions: &[&Inference],
) -> Comparison {
    let mut cache = Resolved::new(app);
    let statements = StatementIndex::new(app, role);
    let mut out = Comparison { role: Some(role), ..Comparison::default() };
    match missing_skip_reason(app, role, eff) {
        Some(why) => out.missing_skipped = Some(why),
        None => missing(eff, functions, &mut cache, &mut out),
    }
    match unused_skip_reason(app, role, functions) {
        Some(why) => out.unused_skipped = Some(why),
        None => out.unused = unused(eff, functions, &statements),
    }
    out.over_broad = over_broad(eff, functions, &mut cache, &statements);
    out
}

/// Why missing permissions cannot be told for this role, if so.
fn missing_skip_reason(app: &App, role: RoleId, eff: &Effective<'_>) -> Option<String> {
    let role = app.roles.get(role.index())?;
    if let Some(p) = role.policies.iter().find(|p| p.document.is_none()) {
        return Some(format!(
            "the document of policy `{}` is not known, so it may grant what seems missing",
            p.name
        ));
    }
    if !eff.unresolved.is_empty() {
        return Some(
            "an action or effect of its policies is not resolved, so it may grant what seems missing"
                .to_string(),
        );
    }
    None
}

/// Why unused permissions cannot be told for this role, if so.
fn unused_skip_reason(app: &App, role: RoleId, functions: &[&Inference]) -> Option<String> {
    let r = app.roles.get(role.index())?;
    if functions.is_empty() {
        return Some("no function of the app uses the role".to_string());
    }
    let users = app.functions_with_role(role).count();
    if functions.len() < users {
        return Some("not every function using the role was analysed".to_string());
    }
    if let Some(f) = functions.iter().find(|i| !i.complete) {
        let name = app.functions.get(f.function.index()).map_or("?", |f| f.logical_id.as_str());
        return Some(format!(
            "the code of function `{name}` was not analysed completely, so it may use more"
        ));
    }
    if let Some(doc) = &r.trust_policy
        && !only_lambda_assumes(&doc.statements)
    {
        return Some(
            "principals other than Lambda may assume the role, and they may use more".to_string(),
        );
    }
    None
}

/// Whether every Allow statement of a trust policy names only Lambda's
/// service principals: then the role's permissions are used by functions
/// alone.
fn only_lambda_assumes(statements: &[Statement]) -> bool {
    statements.iter().filter(|s| !s.effect.is_known() || s.is_allow()).all(|s| {
        if !s.effect.is_known() || s.not_principal.is_some() {
            return false;
        }
        match &s.principal {
            Some(Principal::Listed(kinds)) => kinds.iter().all(|(kind, values)| {
                *kind == PrincipalKind::Service
                    && values.iter().all(|v| {
                        v.known().is_some_and(|p| {
                            let p = p.trim().to_ascii_lowercase();
                            p == "lambda.amazonaws.com" || p == "edgelambda.amazonaws.com"
                        })
                    })
            }),
            _ => false,
        }
    })
}

/// Policy resources read once per comparison.
struct Resolved<'a> {
    app: &'a App,
    seen: HashMap<(String, Origin), ResourceArn>,
}

impl<'a> Resolved<'a> {
    fn new(app: &'a App) -> Self {
        Resolved { app, seen: HashMap::new() }
    }

    fn get(&mut self, val: &Val<String>) -> ResourceArn {
        let key = (val.value.clone(), val.origin);
        if let Some(r) = self.seen.get(&key) {
            return r.clone();
        }
        let r = policy_resource(self.app, val);
        self.seen.insert(key, r.clone());
        r
    }
}

/// The statements of a role's policies by span. The statements of an AWS
/// managed policy or a SAM template share the span of their attachment, so
/// one span may stand for several.
struct StatementIndex<'a> {
    by_span: BTreeMap<Span, Vec<(&'a str, &'a Statement)>>,
}

impl<'a> StatementIndex<'a> {
    fn new(app: &'a App, role: RoleId) -> Self {
        let mut by_span: BTreeMap<Span, Vec<(&'a str, &'a Statement)>> = BTreeMap::new();
        if let Some(role) = app.roles.get(role.index()) {
            for p in &role.policies {
                for s in p.document.iter().flat_map(|d| &d.statements) {
                    by_span.entry(s.span).or_default().push((p.name.as_str(), s));
                }
            }
        }
        StatementIndex { by_span }
    }

    fn at(&self, span: Span) -> &[(&'a str, &'a Statement)] {
        self.by_span.get(&span).map_or(&[], Vec::as_slice)
    }

    /// The statements at `span` that allow `action` in one of `policies`
    /// (the grant's), with their policy's name: the statements of several
    /// attachments may share a span, and each is named by its own policy.
    fn granting<'s>(
        &'s self,
        span: Span,
        action: &'s str,
        policies: &'s [String],
    ) -> impl Iterator<Item = (&'a str, &'a Statement)> + 's {
        self.at(span).iter().copied().filter(move |(p, s)| {
            s.is_allow() && statement_names(s, action) && policies.iter().any(|g| g == p)
        })
    }

    /// The policies of the statements at `span` that allow `action`, each
    /// once; when none can be told (an action granted through a pattern
    /// the index cannot read), the grant's first policy at the span.
    fn owners(&self, span: Span, action: &str, policies: &[String]) -> Vec<&'a str> {
        let mut out: Vec<&'a str> = Vec::new();
        for (p, _) in self.granting(span, action, policies) {
            if !out.contains(&p) {
                out.push(p);
            }
        }
        if out.is_empty()
            && let Some((p, _)) =
                self.at(span).iter().find(|(p, _)| policies.iter().any(|g| g == p))
        {
            out.push(p);
        }
        out
    }

    /// The statements of one policy at `span`.
    fn of_policy(&self, span: Span, policy: &str) -> Vec<(&'a str, &'a Statement)> {
        self.at(span).iter().copied().filter(|(p, _)| *p == policy).collect()
    }
}

fn missing(
    eff: &Effective<'_>,
    functions: &[&Inference],
    cache: &mut Resolved<'_>,
    out: &mut Comparison,
) {
    for inference in functions {
        for need in inference.needs.iter().filter(|n| n.confidence == Confidence::High) {
            // An action the catalog does not know cannot be looked up in
            // the grants; saying it is missing would be a guess.
            if catalog().action(&need.action).is_none() {
                continue;
            }
            let evidence: Vec<Evidence> = need
                .evidence
                .iter()
                .filter(|e| e.confidence == Confidence::High)
                .cloned()
                .collect();
            let evidence = if evidence.is_empty() { need.evidence.clone() } else { evidence };
            let Some(grant) = eff.allowed(&need.action) else {
                out.missing.push(Missing {
                    function: inference.function,
                    action: need.action.clone(),
                    resources: need.resources.clone(),
                    granted_on: Vec::new(),
                    evidence,
                });
                continue;
            };
            if grant.conditional {
                out.conditional.push(ConditionalNeed {
                    function: inference.function,
                    action: need.action.clone(),
                    statements: grant.statements.to_vec(),
                });
            }
            // A list cut at its bound may hide the covering entry.
            if grant.unrestricted || grant.resources.len() >= MAX_LISTED {
                continue;
            }
            let granted: Vec<ResourceArn> = grant.resources.iter().map(|v| cache.get(v)).collect();
            let uncovered: Vec<ResourceArn> = need
                .resources
                .iter()
                .filter(|n| !granted.iter().any(|g| may_cover(g, n)))
                .cloned()
                .collect();
            if !uncovered.is_empty() {
                out.missing.push(Missing {
                    function: inference.function,
                    action: need.action.clone(),
                    resources: uncovered,
                    granted_on: grant.resources.to_vec(),
                    evidence,
                });
            }
        }
    }
    out.missing.sort_by(|a, b| (a.function, &a.action).cmp(&(b.function, &b.action)));
}

fn unused(
    eff: &Effective<'_>,
    functions: &[&Inference],
    statements: &StatementIndex<'_>,
) -> Vec<Unused> {
    let mut needed: HashSet<String> = HashSet::new();
    for n in functions.iter().flat_map(|i| &i.needs) {
        needed.insert(n.action.to_ascii_lowercase());
        // The catalog's dependent actions (`iam:PassRole` for
        // `scheduler:CreateSchedule`) are checked by AWS along with it.
        if let Some(a) = catalog().action(&n.action) {
            needed.extend(a.action.dependent.iter().map(|d| d.to_ascii_lowercase()));
        }
    }
    let escalation = escalation_actions(eff);
    let credentials: HashSet<String> =
        lists().credentials_exposure.iter().map(|a| a.to_ascii_lowercase()).collect();
    let exfiltration: HashSet<String> =
        lists().data_exfiltration.iter().map(|a| a.action.to_ascii_lowercase()).collect();
    // (statement span, policy) -> (granted actions, unused actions, all
    // conditional). The statements of several attachments share a span
    // (SAM's managed policies sit at the function), so the policy is part
    // of the key: each unused action is told under the policy granting it.
    struct Acc {
        granted: Vec<String>,
        unused: Vec<UnusedAction>,
        conditional: bool,
    }
    let mut by_statement: BTreeMap<(Span, &str), Acc> = BTreeMap::new();
    for g in &eff.grants {
        let name = g.action.full_name();
        let lower = name.to_ascii_lowercase();
        let is_unused = !needed.contains(&lower);
        let risk = is_unused.then(|| {
            if escalation.contains(&lower) {
                UnusedRisk::PrivilegeEscalation
            } else if credentials.contains(&lower) {
                UnusedRisk::CredentialsExposure
            } else if g.action.action.access == AccessLevel::PermissionsManagement {
                UnusedRisk::PermissionsManagement
            } else if exfiltration.contains(&lower) && g.unrestricted {
                // Reading one's own table is a read; reading every bucket
                // or secret of the account is exfiltration.
                UnusedRisk::DataExfiltration
            } else {
                match g.action.action.access {
                    AccessLevel::Write => UnusedRisk::Write,
                    AccessLevel::Tagging => UnusedRisk::Tagging,
                    AccessLevel::Read => UnusedRisk::Read,
                    _ => UnusedRisk::List,
                }
            }
        });
        for span in g.statements.iter() {
            for policy in statements.owners(*span, &name, &g.policies) {
                let acc = by_statement.entry((*span, policy)).or_insert_with(|| Acc {
                    granted: Vec::new(),
                    unused: Vec::new(),
                    conditional: true,
                });
                acc.granted.push(name.clone());
                if let Some(risk) = risk {
                    acc.unused.push(UnusedAction { action: name.clone(), risk });
                }
                let stmts: Vec<_> = statements.granting(*span, &name, &g.policies).collect();
                acc.conditional &=
                    !stmts.is_empty() && stmts.iter().all(|(_, s)| !s.conditions.is_empty());
            }
        }
    }
    let mut out = Vec::new();
    for ((span, policy), acc) in by_statement {
        let stmts = statements.of_policy(span, policy);
        if acc.unused.is_empty() || written_by_no_one(&stmts) {
            continue;
        }
        let entries = entries_of(&stmts, &acc.granted, &acc.unused);
        out.push(Unused {
            statement: span,
            policy: policy.to_string(),
            actions: acc.unused,
            entries,
            conditional: acc.conditional,
        });
    }
    out
}

/// Whether the statements at a span were added by a framework on its own
/// (the Serverless Framework's log permissions: every action a default):
/// the author wrote none of it and cannot remove it.
fn written_by_no_one(stmts: &[(&str, &Statement)]) -> bool {
    !stmts.is_empty()
        && stmts.iter().all(|(_, s)| {
            !s.actions.is_empty() && s.actions.iter().all(|a| a.origin == Origin::Default)
        })
}

/// The `Action` entries of a statement (or of the statements sharing its
/// span) that grant unused actions, each with its unused and kept actions;
/// unused actions no entry names (`NotAction`) go in a last entry without
/// a pattern.
fn entries_of(
    stmts: &[(&str, &Statement)],
    granted: &[String],
    unused: &[UnusedAction],
) -> Vec<UnusedEntry> {
    let unused_set: HashSet<&str> = unused.iter().map(|a| a.action.as_str()).collect();
    let mut entries: Vec<UnusedEntry> = Vec::new();
    let mut named: HashSet<&str> = HashSet::new();
    let mut seen_patterns: HashSet<String> = HashSet::new();
    for (_, s) in stmts {
        for a in s.actions.iter().filter(|a| a.is_known()) {
            let pattern = a.value.trim();
            if !seen_patterns.insert(pattern.to_ascii_lowercase()) {
                continue;
            }
            let mut e = UnusedEntry {
                pattern: pattern.to_string(),
                span: a.span,
                unused: Vec::new(),
                kept: Vec::new(),
                excluded: Vec::new(),
            };
            for g in granted.iter().filter(|g| glob_match(pattern, g)) {
                if unused_set.contains(g.as_str()) {
                    named.insert(g.as_str());
                    e.unused.push(g.clone());
                } else {
                    e.kept.push(g.clone());
                }
            }
            if !e.unused.is_empty() {
                entries.push(e);
            }
        }
    }
    let rest: Vec<String> = unused
        .iter()
        .filter(|a| !named.contains(a.action.as_str()))
        .map(|a| a.action.clone())
        .collect();
    if !rest.is_empty() {
        let span =
            stmts.first().map_or(Span::file_start(faasguard_source::FileId(0)), |(_, s)| s.span);
        let excluded: Vec<String> = stmts
            .iter()
            .filter_map(|(_, s)| s.not_actions.as_ref())
            .flatten()
            .map(|a| a.value.trim().to_string())
            .collect();
        entries.push(UnusedEntry {
            pattern: String::new(),
            span,
            unused: rest,
            kept: Vec::new(),
            excluded,
        });
    }
    entries
}

/// Actions of privilege-escalation methods the role grants in full, lower
/// case: an action of a method the role cannot complete is no escalation.
fn escalation_actions(eff: &Effective<'_>) -> HashSet<String> {
    let mut out = HashSet::new();
    for method in &lists().privilege_escalation {
        if !method.actions.is_empty() && method.actions.iter().all(|a| eff.allowed(a).is_some()) {
            out.extend(method.actions.iter().map(|a| a.to_ascii_lowercase()));
        }
    }
    for a in lists().self_modification.role.iter().chain(&lists().self_modification.attached_policy)
    {
        if eff.allowed(a).is_some() {
            out.insert(a.to_ascii_lowercase());
        }
    }
    out
}

/// One needed action across the role's functions.
#[derive(Default)]
struct Wanted {
    action: String,
    resources: BTreeSet<ResourceArn>,
    evidence: Vec<Evidence>,
    functions: BTreeSet<FunctionId>,
    /// Some need of it is uncertain, or may be on any resource of its kind.
    vague: bool,
}

fn over_broad(
    eff: &Effective<'_>,
    functions: &[&Inference],
    cache: &mut Resolved<'_>,
    statements: &StatementIndex<'_>,
) -> Vec<OverBroad> {
    let mut wanted: BTreeMap<String, Wanted> = BTreeMap::new();
    for inference in functions {
        // What the platform needs (logs on the function's log group) is
        // granted by AWS's own managed policies on `*`: calling that broad
        // on every function would bury the findings about the code.
        let from_code = inference
            .needs
            .iter()
            .filter(|n| n.evidence.iter().any(|e| e.source == NeedSource::Code));
        for need in from_code {
            let w = wanted.entry(need.action.to_ascii_lowercase()).or_default();
            w.action.clone_from(&need.action);
            // An uncertain need (a client guessed from its use, a
            // candidate action of a PartiQL statement) still says where
            // the code would use it: a grant on every resource is wider
            // than that either way.
            w.vague |= need.resources.is_empty()
                || need.resources.iter().any(|r| reaches_every(&need.action, r));
            w.resources.extend(need.resources.iter().cloned());
            w.evidence
                .extend(need.evidence.iter().filter(|e| e.source == NeedSource::Code).cloned());
            w.functions.insert(inference.function);
        }
    }
    let mut by_statement: BTreeMap<(Span, &str), OverBroad> = BTreeMap::new();
    for w in wanted.values().filter(|w| !w.vague) {
        let Some(grant) = eff.allowed(&w.action) else { continue };
        let Some(action) = catalog().action(&w.action) else { continue };
        let wide: Vec<String> = w
            .resources
            .iter()
            .filter_map(|r| r.resource_type.as_deref())
            .filter_map(|t| action.service.resource(t))
            .flat_map(|t| t.arns.iter().map(|f| type_wide(f)))
            .collect();
        for span in grant.statements.iter() {
            for (policy, s) in statements.granting(*span, &w.action, &grant.policies) {
                if !s.conditions.is_empty() || s.not_resources.is_some() || !s.effect.is_known() {
                    continue;
                }
                for v in &s.resources {
                    let g = cache.get(v);
                    // An unresolved value is `*` only in the sense that
                    // it is unknown: never called broad.
                    let broad = (g.is_any() && !g.unresolved)
                        || (!g.unresolved
                            && wide.iter().any(|t| covers_rendered(&g, t))
                            && w.resources.iter().any(|n| may_cover(&g, n)));
                    if !broad {
                        continue;
                    }
                    let entry = by_statement.entry((*span, policy)).or_insert_with(|| OverBroad {
                        statement: *span,
                        policy: policy.to_string(),
                        actions: Vec::new(),
                        granted: Vec::new(),
                        needed: Vec::new(),
                        evidence: Vec::new(),
                        functions: Vec::new(),
                    });
                    if !entry.actions.contains(&w.action) {
                        entry.actions.push(w.action.clone());
                        entry.needed.extend(w.resources.iter().cloned());
                        entry.evidence.extend(w.evidence.iter().cloned());
                        entry.functions.extend(w.functions.iter().copied());
                    }
                    if !entry.granted.contains(v) {
                        entry.granted.push(v.clone());
                    }
                }
            }
        }
    }
    by_statement
        .into_values()
        .map(|mut o| {
            o.actions.sort();
            o.needed.sort();
            o.needed.dedup();
            o.evidence.sort_by_key(|e| e.span);
            o.evidence.dedup_by_key(|e| e.span);
            o.functions.sort();
            o.functions.dedup();
            o
        })
        .collect()
}

/// Whether a needed resource may be any resource of its kind: `*`, or a
/// wildcard (an unresolved piece) in the resource's own name, the first
/// name of its ARN format (the bucket of an object, the table of an
/// index). Then a grant on `*` is the honest answer. An object key read
/// from the event, in a known bucket, is not: the bucket still narrows it.
fn reaches_every(action: &str, r: &ResourceArn) -> bool {
    if r.is_any() {
        return true;
    }
    if !r.unresolved && !has_wild(r) {
        return false;
    }
    let Some(kind) = r.resource_type.as_deref() else { return true };
    let Some(formats) =
        catalog().action(action).and_then(|a| a.service.resource(kind)).map(|t| &t.arns)
    else {
        return true;
    };
    let rendered = render(r, Refs::Tokens);
    formats.iter().any(|f| {
        let (n, w) = aligned(rendered.clone(), type_wide(f));
        glob_covers(&n, &w) || name_is_wild(&n, &w)
    })
}

/// Whether, in a need `n` of the resource type whose every ARN is `wide`
/// (rendered by [`type_wide`]), the first name (the text `wide`'s first
/// `*` stands for, up to the first character of the text that follows it
/// there: `/` after a bucket, `:` after a log group) holds a wildcard.
/// `false` when `n` does not start as `wide` does.
fn name_is_wild(n: &str, wide: &str) -> bool {
    let Some((prefix, after)) = wide.split_once('*') else { return false };
    let Some(rest) = n.strip_prefix(prefix) else { return false };
    let name = match after.chars().next().filter(|c| *c != '*') {
        Some(delimiter) => rest.split(delimiter).next().unwrap_or(rest),
        None => rest,
    };
    name.is_empty() || name.contains(['*', '?'])
}

/// Whether a statement's `Action` (or `NotAction`) names the action.
fn statement_names(s: &Statement, action: &str) -> bool {
    let named = s.actions.iter().any(|a| a.is_known() && glob_match(a.value.trim(), action));
    let not_excluded = s
        .not_actions
        .as_ref()
        .is_some_and(|not| not.iter().all(|a| a.is_known() && !glob_match(a.value.trim(), action)));
    named || not_excluded
}

fn has_wild(r: &ResourceArn) -> bool {
    r.pieces.iter().any(|p| matches!(p, Piece::Wild))
}

// Tokens standing for values only the deployment knows. Control characters
// cannot occur in an ARN, nor mean anything to a glob.
const PARTITION: &str = "\u{1}P\u{1}";
const REGION: &str = "\u{1}R\u{1}";
const ACCOUNT: &str = "\u{1}A\u{1}";

/// How references are rendered.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Refs {
    /// Each reference is a token of its own: two references are equal only
    /// when they name the same value.
    Tokens,
    /// Any value (`*`).
    Wild,
}

fn render(arn: &ResourceArn, refs: Refs) -> String {
    let mut out = String::new();
    for p in &arn.pieces {
        match p {
            Piece::Text(t) => out.push_str(t),
            Piece::Partition => out.push_str(PARTITION),
            Piece::Region => out.push_str(REGION),
            Piece::Account => out.push_str(ACCOUNT),
            Piece::Wild => out.push('*'),
            Piece::Ref(r) if refs == Refs::Tokens => {
                let attr = match r.attr {
                    RefAttr::Name => "name",
                    RefAttr::Arn => "arn",
                    RefAttr::Id => "id",
                };
                out.push('\u{2}');
                out.extend(
                    r.resource.chars().map(|c| if matches!(c, ':' | '*' | '?') { '_' } else { c }),
                );
                out.push('#');
                out.push_str(attr);
                out.push('\u{2}');
            }
            Piece::Ref(_) => out.push('*'),
        }
    }
    out
}

fn has_refs(arn: &ResourceArn) -> bool {
    arn.pieces.iter().any(|p| matches!(p, Piece::Ref(_)))
}

/// Whether the grant may cover the need: surely covers it, or cannot be
/// told apart from it (an unresolved or referenced piece facing text).
fn may_cover(grant: &ResourceArn, need: &ResourceArn) -> bool {
    if grant.is_any() {
        return true;
    }
    // The need's own wildcards (an object key read from the event) stand
    // for some value: a grant matching some of them may be the one used.
    let (g, n) = aligned(render(grant, Refs::Tokens), render(need, Refs::Tokens));
    if globs_overlap(&g, &n) || log_group_overlap(need, &g, &n) {
        return true;
    }
    // A reference is a value the deployment picks: facing text it may be
    // that text, facing another reference it is another resource.
    if has_refs(grant) == has_refs(need) {
        return false;
    }
    let (g, n) = aligned(render(grant, Refs::Wild), render(need, Refs::Wild));
    globs_overlap(&g, &n) || log_group_overlap(need, &g, &n)
}

/// CloudWatch Logs matches a log group's ARN with a `:*` suffix, and its
/// documentation asks policies to write it so: `log-group:/aws/lambda/f:*`
/// grants what needs `log-group:/aws/lambda/f`.
fn log_group_overlap(need: &ResourceArn, g: &str, n: &str) -> bool {
    need.resource_type.as_deref() == Some("log-group")
        && !n.ends_with(":*")
        && globs_overlap(g, &format!("{n}:*"))
}

/// Whether a grant covers a rendered glob (a resource type's every ARN).
fn covers_rendered(grant: &ResourceArn, wide: &str) -> bool {
    let (g, w) = aligned(render(grant, Refs::Tokens), wide.to_string());
    glob_covers(&g, &w)
}

/// Every ARN of a resource type of the catalog, rendered: the deployment's
/// partition, region and account as tokens, every other variable `*`.
fn type_wide(format: &str) -> String {
    let mut out = String::with_capacity(format.len());
    let mut rest = format;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('}') else {
            out.push_str(&rest[start..]);
            return out;
        };
        out.push_str(match &rest[start + 2..start + end] {
            "Partition" => PARTITION,
            "Region" => REGION,
            "Account" => ACCOUNT,
            _ => "*",
        });
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out
}

/// Two rendered ARNs with their partition, region and account fields made
/// comparable: a literal on one side facing the deployment's token on the
/// other is taken to be the deployment's own (a literal account only when
/// it has the 12 digits of one).
fn aligned(a: String, b: String) -> (String, String) {
    if !a.starts_with("arn:") || !b.starts_with("arn:") {
        return (a, b);
    }
    // A side may stop early (`arn:aws:logs:*`, whose `*` spans the rest):
    // only the fields both sides have are compared.
    let mut fa: Vec<String> = a.splitn(6, ':').map(str::to_string).collect();
    let mut fb: Vec<String> = b.splitn(6, ':').map(str::to_string).collect();
    for (i, token) in [(1, PARTITION), (3, REGION), (4, ACCOUNT)] {
        let literal = |s: &str| {
            !s.is_empty()
                && !s.contains(['*', '?', '\u{1}', '\u{2}'])
                && (i != 4 || (s.len() == 12 && s.bytes().all(|c| c.is_ascii_digit())))
        };
        // The last field of a shorter side holds the rest of its ARN.
        let whole = |f: &Vec<String>| i + 1 < f.len() || f.len() == 6;
        let (Some(x), Some(y)) = (fa.get(i), fb.get(i)) else { break };
        if !whole(&fa) || !whole(&fb) {
            break;
        }
        if x == token && literal(y) {
            fb[i] = token.to_string();
        } else if y == token && literal(x) {
            fa[i] = token.to_string();
        }
    }
    (fa.join(":"), fb.join(":"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::IacRef;

    fn text(s: &str) -> Piece {
        Piece::Text(s.to_string())
    }

    fn table(name: Piece) -> ResourceArn {
        ResourceArn {
            pieces: vec![
                text("arn:"),
                Piece::Partition,
                text(":dynamodb:"),
                Piece::Region,
                text(":"),
                Piece::Account,
                text(":table/"),
                name,
            ],
            resource_type: Some("table".into()),
            unresolved: false,
        }
    }

    fn reference(id: &str) -> Piece {
        Piece::Ref(IacRef { resource: id.into(), attr: RefAttr::Name })
    }

    fn literal(s: &str) -> ResourceArn {
        let mut pieces = Vec::new();
        for (i, part) in s.split('*').enumerate() {
            if i > 0 {
                pieces.push(Piece::Wild);
            }
            if !part.is_empty() {
                pieces.push(text(part));
            }
        }
        ResourceArn { pieces, resource_type: None, unresolved: false }
    }

    #[test]
    fn references_and_own_account_compare_by_token() {
        let orders = table(reference("Orders"));
        assert!(may_cover(&orders, &orders));
        assert!(!may_cover(&table(reference("Other")), &orders));
        assert!(may_cover(&literal("arn:aws:dynamodb:us-east-1:123456789012:table/*"), &orders));
        assert!(may_cover(&literal("arn:aws:dynamodb:*:*:table/*"), &orders));
        assert!(!may_cover(&literal("arn:aws:dynamodb:*:*:table/orders"), &table(text("other"))));
        assert!(may_cover(&literal("arn:aws:dynamodb:*:*:table/orders"), &table(text("orders"))));
        // A physical name the deployment picks may be the literal one.
        assert!(may_cover(&literal("arn:aws:dynamodb:*:*:table/orders"), &orders));
        assert!(!may_cover(&literal("arn:aws:sqs:*:*:orders"), &orders));
        assert!(may_cover(&ResourceArn::any(), &orders));
        // A wildcard spanning the rest of the ARN, region and account included.
        assert!(may_cover(&literal("arn:aws:dynamodb:*"), &orders));
        assert!(!may_cover(&literal("arn:aws:sqs:*"), &orders));
    }

    #[test]
    fn wide_patterns_are_told_from_scoped_ones() {
        let wide = type_wide("arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}");
        assert!(covers_rendered(&literal("arn:aws:dynamodb:*:*:table/*"), &wide));
        assert!(covers_rendered(
            &literal("arn:aws:dynamodb:eu-west-1:123456789012:table/*"),
            &wide
        ));
        assert!(!covers_rendered(&literal("arn:aws:dynamodb:*:*:table/orders"), &wide));
        assert!(!covers_rendered(&table(reference("Orders")), &wide));
    }

    #[test]
    fn only_a_wildcard_in_the_name_reaches_every_resource() {
        let objects = type_wide("arn:${Partition}:s3:::${BucketName}/${ObjectName}");
        let need = |s: &str| s.replace("arn:aws:", &format!("arn:{PARTITION}:"));
        assert!(name_is_wild(&need("arn:aws:s3:::*/reports/x.csv"), &objects));
        assert!(!name_is_wild(&need("arn:aws:s3:::uploads/*"), &objects));
        assert!(!name_is_wild(&need("arn:aws:s3:::uploads/in/*/x.jpg"), &objects));
        let streams = type_wide(
            "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}",
        );
        let group = format!("arn:{PARTITION}:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/f:*");
        assert!(!name_is_wild(&group, &streams));
        let tables = type_wide("arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}");
        assert!(name_is_wild(
            &format!("arn:{PARTITION}:dynamodb:{REGION}:{ACCOUNT}:table/*"),
            &tables
        ));
        // A need of another shape is not judged here.
        assert!(!name_is_wild("arn:aws:sqs:*", &tables));
    }

    #[test]
    fn summaries_are_compact() {
        let u = Unused {
            statement: Span::file_start(faasguard_source::FileId(0)),
            policy: String::new(),
            actions: vec![],
            entries: vec![
                UnusedEntry {
                    pattern: "s3:*".into(),
                    span: Span::file_start(faasguard_source::FileId(0)),
                    unused: vec!["s3:PutObject".into(), "s3:DeleteObject".into()],
                    kept: vec!["s3:GetObject".into()],
                    excluded: vec![],
                },
                UnusedEntry {
                    pattern: "sqs:SendMessage".into(),
                    span: Span::file_start(faasguard_source::FileId(0)),
                    unused: vec!["sqs:SendMessage".into()],
                    kept: vec![],
                    excluded: vec![],
                },
            ],
            conditional: false,
        };
        assert_eq!(
            u.summary(),
            "`s3:*` except `s3:GetObject` (2 of its 3 actions); `sqs:SendMessage`"
        );
        assert_eq!(listed(&["a".into(), "b".into()]), "`a` and `b`");
    }
}
