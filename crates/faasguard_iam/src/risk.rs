//! Risk classes over effective permissions: what an attacker who runs code
//! as the role could do with it.
//!
//! The classes follow Cloudsplaining (privilege escalation, data
//! exfiltration, credentials exposure, resource exposure, infrastructure
//! modification, service wildcards) with three differences:
//!
//! - they are resource-aware: `iam:PassRole` counts only when the role can
//!   pass roles other than its own, an action limited to the role's own
//!   functions does not make an escalation, and a role that can change its
//!   own policies is critical;
//! - a conditional grant is reported with [`Confidence::Conditional`]
//!   instead of being skipped, since a condition may or may not narrow it;
//! - an admin role (every action of every service) is one critical risk,
//!   not hundreds of findings that all say the same.
//!
//! The action lists are data (`data/risk-lists.json`, sources and
//! corrections in `data/risk-lists.NOTICE.md`), parsed once on first use.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::LazyLock;

use faasguard_model::{
    Condition, Origin, PolicyDocument, Principal, PrincipalKind, Statement, Val,
};
use faasguard_source::Span;
use serde::Deserialize;

use crate::catalog::{self, AccessLevel, Catalog, Service};
use crate::effective::{BoundaryStatus, Effective, Grant, MAX_LISTED};
use crate::pattern;

static EMBEDDED: &str = include_str!("../data/risk-lists.json");

static LISTS: LazyLock<Indexed> = LazyLock::new(|| {
    // `tests/risk.rs` parses the embedded lists and fails on any error, so
    // the empty fallback only exists to keep the core free of panics.
    Indexed::new(RiskLists::from_json(EMBEDDED).unwrap_or_default())
});

/// Resource patterns longer than this are not compared with the role's own
/// ARNs (real ARNs are far shorter): keeps hostile policies bounded.
const MAX_PATTERN_LEN: usize = 256;

/// At most this many resources of one grant are compared with the role's
/// own ARNs by glob; a grant listing more is taken to reach beyond them.
const MAX_COMPARED_RESOURCES: usize = 1024;

/// Condition keys that tie a service principal to a source (the AWS
/// confused-deputy guidance).
const SOURCE_KEYS: [&str; 4] =
    ["aws:SourceArn", "aws:SourceAccount", "aws:SourceOrgID", "aws:SourceOrgPaths"];

/// The risk lists: which actions make which risk.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RiskLists {
    /// Privilege-escalation methods: each fires when all its actions are allowed.
    pub privilege_escalation: Vec<EscalationMethod>,
    /// Actions that change a role's own permissions.
    pub self_modification: SelfModification,
    /// Actions that read data out of the account.
    pub data_exfiltration: Vec<ExfiltrationAction>,
    /// Actions that return credentials.
    pub credentials_exposure: Vec<String>,
    /// Service principals whose trust is not a confused-deputy risk.
    pub trust_service_principals_without_confused_deputy: Vec<String>,
}

impl RiskLists {
    /// Parses lists in the embedded format.
    pub fn from_json(text: &str) -> Result<RiskLists, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }
}

/// A privilege-escalation method.
#[derive(Debug, Clone, Deserialize)]
pub struct EscalationMethod {
    /// Name (Cloudsplaining's or Rhino Security Labs' where they have one).
    pub name: String,
    /// Actions that must all be allowed (`prefix:Name`).
    pub actions: Vec<String>,
    /// Where the method is documented (`cloudsplaining`, `rhino`, `pmapper-idea`, `pathfinding.cloud`).
    pub sources: Vec<String>,
    /// pathfinding.cloud path id (`lambda-001`).
    #[serde(default)]
    pub pathfinding: Option<String>,
    /// Service principals the passed role goes to (`iam:PassedToService`
    /// values), for methods with `iam:PassRole`.
    #[serde(default)]
    pub passed_to: Vec<String>,
}

/// Actions that change the permissions of the role itself.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SelfModification {
    /// Actions on a role (`iam:PutRolePolicy`): self-modification when the
    /// resource covers the role's own ARN.
    pub role: Vec<String>,
    /// Actions on a managed policy (`iam:CreatePolicyVersion`):
    /// self-modification when the policy is attached to the role.
    pub attached_policy: Vec<String>,
}

/// A data-exfiltration action.
#[derive(Debug, Clone, Deserialize)]
pub struct ExfiltrationAction {
    /// `prefix:Name`.
    pub action: String,
    /// Our addition to Cloudsplaining's list.
    #[serde(default)]
    pub extension: bool,
}

/// The embedded risk lists.
pub fn lists() -> &'static RiskLists {
    &LISTS.lists
}

/// What the model knows about the role being assessed.
#[derive(Debug, Clone, Default)]
pub struct RoleContext<'a> {
    /// How policies may name the role itself: ARNs
    /// (`arn:aws:iam::123456789012:role/fn-role`), ARN globs
    /// (`arn:aws:iam::*:role/fn-role`), and the loader's renderings of
    /// references to it. For CloudFormation these are `FnRole.Arn` for
    /// `!GetAtt FnRole.Arn`, and the text of a `!Sub`
    /// (`arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${FnRole}`).
    /// Renderings are compared verbatim. In ARNs, `${AWS::AccountId}` is
    /// [`RoleContext::account`], `${AWS::Partition}` and `${AWS::Region}` are the
    /// stack's own, and any other `${...}` is one unknown value, not a wildcard.
    /// Empty when unknown: then only `*` and patterns covering every role
    /// are taken to cover the role itself.
    pub own_role: Vec<String>,
    /// The same for the functions that run as the role: acting on them is
    /// not an escalation.
    pub own_functions: Vec<String>,
    /// ARNs (or renderings) of the customer managed policies attached to the role.
    pub own_policies: Vec<String>,
    /// The role's trust policy.
    pub trust_policy: Option<&'a PolicyDocument>,
    /// The role's own account id, when known.
    pub account: Option<String>,
    /// Accounts trusted on purpose (Cloudsplaining's `known-accounts`).
    pub known_accounts: Vec<String>,
    /// The catalog the effective permissions were built from; `None` is the
    /// embedded one. Only the admin check needs it (every action of every service).
    pub catalog: Option<&'a Catalog>,
}

/// Risk classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RiskClass {
    /// The role can gain more permissions than it has.
    PrivilegeEscalation,
    /// The role can read data out of any bucket, parameter, secret, snapshot.
    DataExfiltration,
    /// The role can obtain credentials (access keys, tokens, passwords).
    CredentialsExposure,
    /// The role can change who may access resources (permissions management on `*`).
    ResourceExposure,
    /// The role can change or delete any resource of a kind (write or tagging on `*`).
    InfrastructureModification,
    /// Every action of a service is allowed on everything.
    ServiceWildcard,
    /// Every action of every service is allowed on everything.
    Admin,
    /// The trust policy lets others assume the role.
    Trust,
}

impl RiskClass {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            RiskClass::PrivilegeEscalation => "PrivilegeEscalation",
            RiskClass::DataExfiltration => "DataExfiltration",
            RiskClass::CredentialsExposure => "CredentialsExposure",
            RiskClass::ResourceExposure => "ResourceExposure",
            RiskClass::InfrastructureModification => "InfrastructureModification",
            RiskClass::ServiceWildcard => "ServiceWildcard",
            RiskClass::Admin => "Admin",
            RiskClass::Trust => "Trust",
        }
    }
}

/// How bad a risk is (the linter maps it to its severities).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// Worth a look.
    Low,
    /// Should be fixed.
    Medium,
    /// Fix soon.
    High,
    /// Account takeover.
    Critical,
}

impl Level {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Low => "Low",
            Level::Medium => "Medium",
            Level::High => "High",
            Level::Critical => "Critical",
        }
    }
}

/// How sure the assessment is; ordered from least to most sure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Confidence {
    /// It depends on what the model cannot see: which roles or functions a
    /// narrower resource names, or a value left unresolved.
    Low,
    /// Every statement granting it has a condition that may narrow it.
    Conditional,
    /// Granted without condition on everything that matters.
    High,
}

impl Confidence {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "Low",
            Confidence::Conditional => "Conditional",
            Confidence::High => "High",
        }
    }
}

/// One risk of a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Risk {
    /// The class.
    pub class: RiskClass,
    /// How bad it is.
    pub severity: Level,
    /// For privilege escalation, the method (`PassExistingRoleToNewLambdaThenInvoke`,
    /// `ModifyOwnRole`); for trust, the check (`AnyPrincipal`, `CrossAccount`,
    /// `FederatedWithoutCondition`, `ServiceWithoutSourceCondition`).
    pub method: Option<String>,
    /// The actions involved (`svc:*` and `*` for wildcards; principals for trust).
    pub actions: Vec<String>,
    /// The resources they are allowed on, as written.
    pub resources: Vec<String>,
    /// The statements that say so, sorted.
    pub evidence: Vec<Span>,
    /// How sure it is.
    pub confidence: Confidence,
    /// One sentence for the user: what the role can do and why it matters.
    pub detail: String,
}

/// The risks of a role's effective permissions and trust policy, ordered by
/// class. An admin role yields the admin risk and its trust risks only: the
/// other permission classes are implied. When the role has a permissions
/// boundary that was not applied, every permission risk has low confidence.
pub fn assess<'c>(eff: &Effective<'c>, ctx: &RoleContext<'_>) -> Vec<Risk> {
    let index = &*LISTS;
    let stats = Stats::new(eff);
    let own = Own::new(ctx);
    let catalog: &Catalog = match ctx.catalog {
        Some(c) => c,
        None => catalog::catalog(),
    };
    let mut out = Vec::new();
    if let Some(risk) = admin(eff, &stats, catalog) {
        out.push(risk);
    } else {
        let view = Listed::new(eff, index);
        self_modification(&view, &own, index, &mut out);
        escalation(&view, &own, index, &mut out);
        credentials_exposure(&view, index, &mut out);
        resource_exposure(eff, &mut out);
        data_exfiltration(&view, index, &mut out);
        service_wildcard(eff, &stats, &mut out);
        infrastructure_modification(eff, &mut out);
    }
    if let BoundaryStatus::NotApplied(span) = eff.boundary {
        // The boundary caps what the role can do, and the model does not
        // know by how much.
        for risk in &mut out {
            risk.confidence = Confidence::Low;
            risk.evidence.push(span);
            risk.evidence.sort();
            risk.evidence.dedup();
            risk.detail.push_str(" (unless the role's permissions boundary, whose policy is not known here, forbids it)");
        }
    }
    trust(ctx, index, &mut out);
    out
}

/// The lists with lower-case lookup keys.
struct Indexed {
    lists: RiskLists,
    /// Lower-case `prefix:name` of every listed action.
    keys: HashSet<String>,
}

impl Indexed {
    fn new(lists: RiskLists) -> Indexed {
        let all = lists
            .privilege_escalation
            .iter()
            .flat_map(|m| m.actions.iter())
            .chain(&lists.self_modification.role)
            .chain(&lists.self_modification.attached_policy)
            .chain(lists.data_exfiltration.iter().map(|e| &e.action))
            .chain(&lists.credentials_exposure);
        let keys = all.map(|a| a.to_ascii_lowercase()).collect();
        Indexed { lists, keys }
    }
}

/// Per-service counts of a role's grants.
struct ServiceStat<'c> {
    service: &'c Service,
    /// Grants allowed on everything.
    unrestricted: usize,
    /// Whether any of those is conditional.
    conditional: bool,
    /// Index of the service's first grant: its statements stand for the
    /// service in the admin risk's evidence.
    first: usize,
}

/// Per-service counts, in catalog order (one entry per service).
struct Stats<'c> {
    services: Vec<ServiceStat<'c>>,
    /// Grants allowed on everything, all services together.
    unrestricted: usize,
}

impl<'c> Stats<'c> {
    fn new(eff: &Effective<'c>) -> Stats<'c> {
        let mut services: Vec<ServiceStat<'c>> = Vec::new();
        let mut unrestricted = 0;
        // Grants come in catalog order, so a service is one run.
        for (i, grant) in eff.grants.iter().enumerate() {
            let service = grant.action.service;
            if !services.last().is_some_and(|s| std::ptr::eq(s.service, service)) {
                services.push(ServiceStat {
                    service,
                    unrestricted: 0,
                    conditional: false,
                    first: i,
                });
            }
            if let Some(stat) = services.last_mut()
                && grant.unrestricted
            {
                stat.unrestricted += 1;
                stat.conditional |= unrestricted_confidence(grant) != Confidence::High;
                unrestricted += 1;
            }
        }
        // Services live in one vector of the catalog, so their addresses
        // give catalog order; grants out of that order (built by hand) are
        // merged here rather than trusted to be sorted.
        services.sort_by_key(|s| std::ptr::from_ref(s.service) as usize);
        services.dedup_by(|later, kept| {
            let same = std::ptr::eq(later.service, kept.service);
            if same {
                kept.unrestricted += later.unrestricted;
                kept.conditional |= later.conditional;
                kept.first = kept.first.min(later.first);
            }
            same
        });
        Stats { services, unrestricted }
    }
}

/// The grants of the listed actions.
struct Listed<'e, 'c>(HashMap<&'static str, &'e Grant<'c>>);

impl<'e, 'c> Listed<'e, 'c> {
    fn new(eff: &'e Effective<'c>, index: &'static Indexed) -> Listed<'e, 'c> {
        // A lookup per listed action (a binary search for grants built from
        // the catalog) instead of a name test per grant.
        Listed(index.keys.iter().filter_map(|k| Some((k.as_str(), eff.allowed(k)?))).collect())
    }

    /// The grant of a listed action (any case).
    fn get(&self, action: &str) -> Option<&'e Grant<'c>> {
        self.0.get(action.to_ascii_lowercase().as_str()).copied()
    }
}

/// The role's own ARNs, functions and policies, ready for matching.
struct Own<'a> {
    /// Written as given (compared verbatim).
    role: &'a [String],
    /// The ARN-shaped ones, through [`norm`].
    role_globs: Vec<String>,
    /// Everything "own" (role, functions, policies), verbatim.
    all: Vec<&'a str>,
    /// The ARN-shaped ones, through [`norm`].
    all_globs: Vec<String>,
    /// Managed policies attached to the role, verbatim.
    policies: &'a [String],
    /// The ARN-shaped ones, through [`norm`].
    policy_globs: Vec<String>,
    /// The role's account, when known.
    account: Option<&'a str>,
}

impl<'a> Own<'a> {
    fn new(ctx: &'a RoleContext<'_>) -> Own<'a> {
        let account = ctx.account.as_deref();
        let globs = |list: &[String]| -> Vec<String> {
            list.iter()
                .filter(|s| s.len() <= MAX_PATTERN_LEN)
                .map(|s| norm(s, account).into_owned())
                .filter(|g| g != "*" && pattern::is_arn_shaped(g))
                .collect()
        };
        let all: Vec<&str> = ctx
            .own_role
            .iter()
            .chain(&ctx.own_functions)
            .chain(&ctx.own_policies)
            .map(String::as_str)
            .collect();
        let mut all_globs = globs(&ctx.own_role);
        all_globs.extend(globs(&ctx.own_functions));
        all_globs.extend(globs(&ctx.own_policies));
        Own {
            role: &ctx.own_role,
            role_globs: globs(&ctx.own_role),
            all,
            all_globs,
            policies: &ctx.own_policies,
            policy_globs: globs(&ctx.own_policies),
            account,
        }
    }

    /// Whether a resource names only the role's own things (its role, its
    /// functions, its policies): acting on those is no escalation.
    fn only_own(&self, resource: &str) -> bool {
        if self.all.contains(&resource) {
            return true;
        }
        if resource.len() > MAX_PATTERN_LEN {
            return false;
        }
        let glob = norm(resource, self.account);
        self.all_globs.iter().any(|own| pattern::glob_covers(own, &glob))
    }
}

/// Stands for the role's own account in [`norm`] when its id is unknown.
const OWN_ACCOUNT: &str = "\u{3}account";
/// Stands for the stack's own region in [`norm`].
const OWN_REGION: &str = "\u{3}region";
/// Brackets an unresolved value in [`norm`]: a literal, not a wildcard.
const UNRESOLVED: char = '\u{2}';

/// A resource or own ARN in a form where equal meanings compare equal:
/// the stack's pseudo parameters become the own account (or a mark for it)
/// and region, the partition is `aws` (a role never spans partitions), and
/// any other `${...}` becomes a marked literal. An unresolved value is one
/// unknown thing, never a wildcard: `role/${Name}` names one role, not all.
fn norm<'t>(text: &'t str, account: Option<&str>) -> Cow<'t, str> {
    let other_partition = text.starts_with("arn:aws-");
    if !text.contains("${") && !other_partition {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        match rest[start..].find('}') {
            Some(end) => {
                match &rest[start + 2..start + end] {
                    "AWS::AccountId" => out.push_str(account.unwrap_or(OWN_ACCOUNT)),
                    "AWS::Partition" => out.push_str("aws"),
                    "AWS::Region" => out.push_str(OWN_REGION),
                    name => {
                        out.push(UNRESOLVED);
                        out.push_str(name);
                        out.push(UNRESOLVED);
                    }
                }
                rest = &rest[start + end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    if other_partition
        && let Some(after) = out.strip_prefix("arn:")
        && let Some((_, tail)) = after.split_once(':')
    {
        out = format!("arn:aws:{tail}");
    }
    Cow::Owned(out)
}

/// Whether two globs can name the same thing, bounded: long patterns are
/// compared one way only (each as a literal against the other glob).
fn overlap(a: &str, b: &str) -> bool {
    if a.len() <= MAX_PATTERN_LEN && b.len() <= MAX_PATTERN_LEN {
        pattern::globs_overlap(a, b)
    } else {
        pattern::glob_match(a, b) || pattern::glob_match(b, a)
    }
}

/// Whether a resource glob covers every role of an account (`*`,
/// `arn:aws:iam::*:role/*`), so also the role itself whatever its name.
fn covers_any_role(glob: &str, account: Option<&str>) -> bool {
    if glob == "*" {
        return true;
    }
    let parts: Vec<&str> = glob.splitn(6, ':').collect();
    let [arn, _, service, _, acct, res] = parts.as_slice() else { return false };
    // The probe name cannot occur in a real role name, so only a pattern
    // that matches any name matches it.
    pattern::glob_match(arn, "arn")
        && pattern::glob_match(service, "iam")
        && account.is_none_or(|a| pattern::glob_match(acct, a))
        && pattern::glob_match(res, "role/\u{1}any/\u{1}name")
}

/// How sure a grant on everything is: a condition on the statements that
/// make it unrestricted, or a Deny that may narrow it, makes it conditional.
fn unrestricted_confidence(grant: &Grant<'_>) -> Confidence {
    if grant.unrestricted_conditional || grant.conditional || !grant.denials.is_empty() {
        Confidence::Conditional
    } else {
        Confidence::High
    }
}

/// The same for a grant on named resources.
fn restricted_confidence(grant: &Grant<'_>) -> Confidence {
    if grant.conditional || !grant.denials.is_empty() {
        Confidence::Conditional
    } else {
        Confidence::High
    }
}

/// How surely an action of an escalation method is usable, or `None` when
/// it is limited to the role's own things.
fn action_confidence(grant: &Grant<'_>, own: &Own<'_>) -> Option<Confidence> {
    if grant.unrestricted {
        Some(unrestricted_confidence(grant))
    } else if beyond_own(grant, own) {
        // Named resources: whether they lead anywhere depends on what runs
        // as them, which the model does not see.
        Some(Confidence::Low)
    } else {
        None
    }
}

fn beyond_own(grant: &Grant<'_>, own: &Own<'_>) -> bool {
    // A full list may have been cut at MAX_LISTED: what follows is unknown.
    grant.resources.len() >= MAX_LISTED.min(MAX_COMPARED_RESOURCES)
        || grant.resources.iter().any(|r| !own.only_own(&r.value))
}

/// `iam:PassRole` counts when it reaches roles other than the role's own,
/// and, if every granting statement limits `iam:PassedToService`, when one
/// of them lets the role go to the method's service.
fn passrole_confidence(
    grant: &Grant<'_>,
    method: &EscalationMethod,
    own: &Own<'_>,
) -> Option<Confidence> {
    if grant.conditional
        && !method.passed_to.is_empty()
        && !passed_to_allows(grant, &method.passed_to)
    {
        return None;
    }
    if grant.unrestricted {
        Some(unrestricted_confidence(grant))
    } else if !beyond_own(grant, own) {
        None
    } else if grant.resources.iter().take(MAX_COMPARED_RESOURCES).any(|r| {
        r.value.len() <= MAX_PATTERN_LEN
            && covers_any_role(&norm(&r.value, own.account), own.account)
    }) {
        Some(restricted_confidence(grant))
    } else {
        Some(Confidence::Low)
    }
}

/// Whether the `iam:PassedToService` conditions of a conditional grant let
/// the role go to one of `services`. A statement without such a condition,
/// or with a value the model cannot read, lets it.
fn passed_to_allows(grant: &Grant<'_>, services: &[String]) -> bool {
    let limits =
        |c: &&Condition| c.key.eq_ignore_ascii_case("iam:PassedToService") && positive(&c.operator);
    let allows = |c: &Condition| {
        c.values.iter().any(|v| {
            v.origin == Origin::Unresolved
                || v.value.contains("${")
                || services.iter().any(|s| pattern::glob_match(&v.value, s))
        })
    };
    if grant.statements.is_empty() {
        let mut limiting = grant.conditions.iter().filter(limits).peekable();
        return limiting.peek().is_none() || limiting.any(allows);
    }
    grant.statements.iter().any(|statement| {
        let mut limiting = grant
            .conditions
            .iter()
            .filter(|c| contains(*statement, c.span))
            .filter(limits)
            .peekable();
        limiting.peek().is_none() || limiting.any(allows)
    })
}

/// Whether a condition operator only lets listed values through
/// (`StringEquals`, `StringLike`, with `IfExists` or a set prefix).
fn positive(operator: &str) -> bool {
    let op = operator.to_ascii_lowercase();
    let op =
        op.strip_prefix("forallvalues:").or_else(|| op.strip_prefix("foranyvalue:")).unwrap_or(&op);
    op.starts_with("stringequals") || op.starts_with("stringlike")
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.file == inner.file && outer.start <= inner.start && inner.end <= outer.end
}

/// Collects the sorted, de-duplicated resources and statements of grants.
#[derive(Default)]
struct Collect {
    actions: Vec<String>,
    resources: BTreeSet<String>,
    evidence: BTreeSet<Span>,
    /// The statements last added: neighbouring grants mostly share them,
    /// and comparing is cheaper than inserting again.
    last: Vec<Span>,
}

impl Collect {
    fn add(&mut self, grant: &Grant<'_>) {
        // Without the formatting machinery: a near-admin role lists
        // thousands of actions.
        let (prefix, name) = (&grant.action.service.prefix, &grant.action.action.name);
        let mut full = String::with_capacity(prefix.len() + 1 + name.len());
        full.push_str(prefix);
        full.push(':');
        full.push_str(name);
        self.actions.push(full);
        self.add_places(grant);
    }

    fn add_places(&mut self, grant: &Grant<'_>) {
        if grant.resources.is_empty() {
            self.resources.insert("*".to_owned());
        }
        for r in &grant.resources {
            if !self.resources.contains(&r.value) {
                self.resources.insert(r.value.clone());
            }
        }
        self.add_statements(&grant.statements);
    }

    fn add_statements(&mut self, statements: &[Span]) {
        if statements != self.last.as_slice() {
            self.evidence.extend(statements.iter().copied());
            self.last = statements.to_vec();
        }
    }

    fn risk(
        self,
        class: RiskClass,
        severity: Level,
        method: Option<String>,
        confidence: Confidence,
        detail: String,
    ) -> Risk {
        Risk {
            class,
            severity,
            method,
            actions: self.actions,
            resources: self.resources.into_iter().collect(),
            evidence: self.evidence.into_iter().collect(),
            confidence,
            detail,
        }
    }
}

fn admin(eff: &Effective<'_>, stats: &Stats<'_>, catalog: &Catalog) -> Option<Risk> {
    if catalog.action_count() == 0 || stats.unrestricted < catalog.action_count() {
        return None;
    }
    // Both in catalog order: walk them side by side.
    let mut stat = stats.services.iter();
    let mut conditional = false;
    let mut firsts = Vec::with_capacity(catalog.services().len());
    for service in catalog.services() {
        let s = stat.find(|s| s.service.prefix == service.prefix)?;
        if s.unrestricted < service.actions.len() {
            return None;
        }
        conditional |= s.conditional;
        firsts.push(s.first);
    }
    let mut c = Collect::default();
    // Every statement granting all actions, or all of a service, grants the
    // service's first action: one grant per service is enough evidence.
    for grant in firsts.into_iter().filter_map(|i| eff.grants.get(i)) {
        c.add_statements(&grant.statements);
    }
    c.actions.push("*".to_owned());
    c.resources.insert("*".to_owned());
    let confidence = if conditional { Confidence::Conditional } else { Confidence::High };
    Some(c.risk(
        RiskClass::Admin,
        Level::Critical,
        None,
        confidence,
        "the role may do everything on every resource: code running as it controls the whole account".to_owned(),
    ))
}

fn self_modification(view: &Listed<'_, '_>, own: &Own<'_>, index: &Indexed, out: &mut Vec<Risk>) {
    let mut c = Collect::default();
    let mut best: Option<Confidence> = None;
    let lists = &index.lists.self_modification;
    let role = lists.role.iter().map(|a| (a, true));
    let policy = lists.attached_policy.iter().map(|a| (a, false));
    for (action, on_role) in role.chain(policy) {
        let Some(grant) = view.get(action) else { continue };
        let covers =
            if on_role { covers_own_role(grant, own) } else { covers_own_policy(grant, own) };
        if let Some(confidence) = covers {
            best = best.max(Some(confidence));
            c.add(grant);
        }
    }
    let Some(confidence) = best else { return };
    let detail = format!(
        "the role may change its own permissions ({}): code running as it can make itself administrator",
        c.actions.join(", ")
    );
    out.push(c.risk(
        RiskClass::PrivilegeEscalation,
        Level::Critical,
        Some("ModifyOwnRole".to_owned()),
        confidence,
        detail,
    ));
}

/// Whether a grant's resources cover the role's own ARN: `*`, a pattern
/// covering every role, the role as the policy names it, or a glob matching
/// its ARN.
fn covers_own_role(grant: &Grant<'_>, own: &Own<'_>) -> Option<Confidence> {
    if grant.unrestricted {
        return Some(unrestricted_confidence(grant));
    }
    let hit = grant.resources.iter().any(|r| own.role.contains(&r.value))
        || grant.resources.iter().take(MAX_COMPARED_RESOURCES).any(|r| {
            r.value.len() <= MAX_PATTERN_LEN && {
                let glob = norm(&r.value, own.account);
                covers_any_role(&glob, own.account)
                    || own.role_globs.iter().any(|o| overlap(&glob, o))
            }
        });
    hit.then(|| restricted_confidence(grant))
}

fn covers_own_policy(grant: &Grant<'_>, own: &Own<'_>) -> Option<Confidence> {
    if own.policies.is_empty() {
        return None;
    }
    if grant.unrestricted {
        return Some(unrestricted_confidence(grant));
    }
    let hit = grant.resources.iter().any(|r| own.policies.contains(&r.value))
        || grant.resources.iter().take(MAX_COMPARED_RESOURCES).any(|r| {
            r.value.len() <= MAX_PATTERN_LEN && {
                let glob = norm(&r.value, own.account);
                own.policy_globs.iter().any(|o| overlap(&glob, o))
            }
        });
    hit.then(|| restricted_confidence(grant))
}

fn escalation(view: &Listed<'_, '_>, own: &Own<'_>, index: &Indexed, out: &mut Vec<Risk>) {
    'methods: for method in &index.lists.privilege_escalation {
        let mut confidence = Confidence::High;
        let mut grants = Vec::with_capacity(method.actions.len());
        for action in &method.actions {
            let Some(grant) = view.get(action) else { continue 'methods };
            let usable = if action.eq_ignore_ascii_case("iam:PassRole") {
                passrole_confidence(grant, method, own)
            } else {
                action_confidence(grant, own)
            };
            let Some(c) = usable else { continue 'methods };
            confidence = confidence.min(c);
            grants.push(grant);
        }
        let mut c = Collect::default();
        for grant in grants {
            c.add(grant);
        }
        let reference = match &method.pathfinding {
            Some(id) => format!(" (pathfinding.cloud {id})"),
            None => String::new(),
        };
        let detail = format!(
            "the role may escalate its privileges by {}: {}{reference}",
            method.name,
            c.actions.join(" + ")
        );
        out.push(c.risk(
            RiskClass::PrivilegeEscalation,
            Level::High,
            Some(method.name.clone()),
            confidence,
            detail,
        ));
    }
}

/// Groups unrestricted grants by confidence: one risk for those granted
/// without condition, one for the conditional ones.
fn by_confidence<'e, 'c>(
    grants: impl Iterator<Item = &'e Grant<'c>>,
    out: &mut Vec<Risk>,
    class: RiskClass,
    severity: Level,
    detail: impl Fn(&[String]) -> String,
) where
    'c: 'e,
{
    let mut high = Collect::default();
    let mut conditional = Collect::default();
    for grant in grants.filter(|g| g.unrestricted) {
        match unrestricted_confidence(grant) {
            Confidence::High => high.add(grant),
            _ => conditional.add(grant),
        }
    }
    for (c, confidence) in [(high, Confidence::High), (conditional, Confidence::Conditional)] {
        if !c.actions.is_empty() {
            let text = detail(&c.actions);
            out.push(c.risk(class, severity, None, confidence, text));
        }
    }
}

fn listed_actions(names: &[String]) -> String {
    const SHOWN: usize = 8;
    let mut text = names.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

fn credentials_exposure(view: &Listed<'_, '_>, index: &Indexed, out: &mut Vec<Risk>) {
    let grants = index.lists.credentials_exposure.iter().filter_map(|a| view.get(a));
    by_confidence(grants, out, RiskClass::CredentialsExposure, Level::High, |actions| {
        format!(
            "the role may obtain credentials on any resource ({}): code running as it can hand them out",
            listed_actions(actions)
        )
    });
}

fn data_exfiltration(view: &Listed<'_, '_>, index: &Indexed, out: &mut Vec<Risk>) {
    let entries = &index.lists.data_exfiltration;
    let grants = entries.iter().filter_map(|e| view.get(&e.action));
    by_confidence(grants, out, RiskClass::DataExfiltration, Level::Medium, |actions| {
        let extensions: Vec<&str> = actions
            .iter()
            .filter(|a| entries.iter().any(|e| e.extension && e.action.eq_ignore_ascii_case(a)))
            .map(String::as_str)
            .collect();
        let note = if extensions.is_empty() {
            String::new()
        } else {
            format!(" [faasguard extension to Cloudsplaining's list: {}]", extensions.join(", "))
        };
        format!(
            "the role may read data from any resource ({}): code running as it can copy it out of the account{note}",
            listed_actions(actions)
        )
    });
}

fn resource_exposure(eff: &Effective<'_>, out: &mut Vec<Risk>) {
    let grants =
        eff.grants.iter().filter(|g| g.action.action.access == AccessLevel::PermissionsManagement);
    by_confidence(grants, out, RiskClass::ResourceExposure, Level::High, |actions| {
        format!(
            "the role may change who can access any resource ({}): code running as it can open them to anyone",
            listed_actions(actions)
        )
    });
}

fn infrastructure_modification(eff: &Effective<'_>, out: &mut Vec<Risk>) {
    // Wildcard-only actions cannot be narrowed, so `*` is no excess for them.
    let grants = eff
        .grants
        .iter()
        .filter(|g| g.action.action.access.modifies() && !g.action.action.is_wildcard_only());
    by_confidence(grants, out, RiskClass::InfrastructureModification, Level::Low, |actions| {
        format!(
            "the role may change or delete any resource these actions apply to ({}); name the resources it needs",
            listed_actions(actions)
        )
    });
}

fn service_wildcard(eff: &Effective<'_>, stats: &Stats<'_>, out: &mut Vec<Risk>) {
    // A one-action service "wildcard" grants nothing more than its action,
    // which the other classes judge.
    let mut full: Vec<&ServiceStat<'_>> = stats
        .services
        .iter()
        .filter(|s| s.service.actions.len() > 1 && s.unrestricted >= s.service.actions.len())
        .collect();
    if full.is_empty() {
        return;
    }
    full.sort_by(|a, b| a.service.prefix.cmp(&b.service.prefix));
    for (conditional, confidence) in [(false, Confidence::High), (true, Confidence::Conditional)] {
        let group: Vec<&str> = full
            .iter()
            .filter(|s| s.conditional == conditional)
            .map(|s| s.service.prefix.as_str())
            .collect();
        if group.is_empty() {
            continue;
        }
        let members: HashSet<&str> = group.iter().copied().collect();
        let mut c = Collect::default();
        let mut current: Option<(&Service, bool)> = None;
        for grant in eff.grants.iter().filter(|g| g.unrestricted) {
            let service = grant.action.service;
            let member = match current {
                Some((s, member)) if std::ptr::eq(s, service) => member,
                _ => {
                    let member = members.contains(service.prefix.as_str());
                    current = Some((service, member));
                    member
                }
            };
            if member {
                c.add_places(grant);
            }
        }
        c.actions = group.iter().map(|p| format!("{p}:*")).collect();
        let detail = format!(
            "the role may do everything in {} on every resource; list the actions it calls",
            listed_actions(&c.actions)
        );
        out.push(c.risk(RiskClass::ServiceWildcard, Level::Medium, None, confidence, detail));
    }
}

fn trust(ctx: &RoleContext<'_>, index: &Indexed, out: &mut Vec<Risk>) {
    let Some(doc) = ctx.trust_policy else { return };
    for statement in doc.statements.iter().filter(|s| s.is_allow()) {
        let confidence = if statement.conditions.is_empty() {
            Confidence::High
        } else {
            Confidence::Conditional
        };
        // `NotPrincipal: "*"` excludes everyone; a listed one lets all others in.
        if let Some(Principal::Listed(_)) = &statement.not_principal {
            out.push(trust_risk(
                statement,
                "AnyPrincipal",
                Level::Critical,
                confidence,
                "NotPrincipal".to_owned(),
                statement.span,
                "an Allow with NotPrincipal lets every principal but the listed ones assume the role".to_owned(),
            ));
        }
        match &statement.principal {
            Some(Principal::Any(span)) => out.push(any_principal(statement, *span, confidence)),
            Some(Principal::Listed(kinds)) => {
                for (kind, values) in kinds {
                    for value in values {
                        if let Some(risk) =
                            listed_principal(ctx, index, statement, *kind, value, confidence)
                        {
                            out.push(risk);
                        }
                    }
                }
            }
            None => {}
        }
    }
}

fn any_principal(statement: &Statement, span: Span, confidence: Confidence) -> Risk {
    trust_risk(
        statement,
        "AnyPrincipal",
        Level::Critical,
        confidence,
        "*".to_owned(),
        span,
        "anyone, in any AWS account, may assume the role".to_owned(),
    )
}

fn listed_principal(
    ctx: &RoleContext<'_>,
    index: &Indexed,
    statement: &Statement,
    kind: PrincipalKind,
    value: &Val<String>,
    confidence: Confidence,
) -> Option<Risk> {
    let unresolved = value.origin == Origin::Unresolved || value.value.contains("${");
    let text = value.value.trim();
    match kind {
        PrincipalKind::Aws if text == "*" => Some(any_principal(statement, value.span, confidence)),
        PrincipalKind::Aws => {
            // An unresolved account is never guessed to be foreign.
            if unresolved {
                return None;
            }
            let account = account_of(text)?;
            if ctx.account.as_deref() == Some(account)
                || ctx.known_accounts.iter().any(|k| k == account)
            {
                return None;
            }
            // With neither its own account nor known ones, the model cannot
            // tell a foreign account from the role's own.
            let confidence = if ctx.account.is_none() && ctx.known_accounts.is_empty() {
                Confidence::Low
            } else {
                confidence
            };
            Some(trust_risk(
                statement,
                "CrossAccount",
                Level::Medium,
                confidence,
                text.to_owned(),
                value.span,
                format!("account {account}, which is not a known account, may assume the role"),
            ))
        }
        PrincipalKind::Service => {
            let exempt = index
                .lists
                .trust_service_principals_without_confused_deputy
                .iter()
                .any(|s| s.eq_ignore_ascii_case(text));
            let tied = statement
                .conditions
                .iter()
                .any(|c| SOURCE_KEYS.iter().any(|k| c.key.eq_ignore_ascii_case(k)));
            if exempt || tied || unresolved {
                return None;
            }
            Some(trust_risk(
                statement,
                "ServiceWithoutSourceCondition",
                Level::Low,
                Confidence::High,
                text.to_owned(),
                value.span,
                format!(
                    "{text} may assume the role on behalf of any account (no aws:SourceArn or aws:SourceAccount condition): the confused-deputy problem"
                ),
            ))
        }
        PrincipalKind::Federated => {
            // A SAML provider is the account's own identity provider; OIDC
            // providers and Cognito serve identities of many tenants, so
            // without a condition (`aud`, `sub`) anyone of theirs may assume it.
            if !statement.conditions.is_empty() || unresolved || text.contains(":saml-provider/") {
                return None;
            }
            Some(trust_risk(
                statement,
                "FederatedWithoutCondition",
                Level::High,
                Confidence::High,
                text.to_owned(),
                value.span,
                format!(
                    "any identity of {text} may assume the role: no condition limits the audience or subject"
                ),
            ))
        }
        PrincipalKind::CanonicalUser => None,
    }
}

/// The account of an AWS principal: a bare 12-digit id or the account part
/// of an ARN.
fn account_of(principal: &str) -> Option<&str> {
    let account =
        if principal.starts_with("arn:") { principal.split(':').nth(4)? } else { principal };
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())).then_some(account)
}

fn trust_risk(
    statement: &Statement,
    method: &str,
    severity: Level,
    confidence: Confidence,
    principal: String,
    span: Span,
    detail: String,
) -> Risk {
    let mut evidence = vec![statement.span, span];
    evidence.sort();
    evidence.dedup();
    Risk {
        class: RiskClass::Trust,
        severity,
        method: Some(method.to_owned()),
        actions: vec![principal],
        resources: Vec::new(),
        evidence,
        confidence,
        detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_own_values_or_unknown_literals() {
        assert_eq!(
            norm("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${Role}", Some("123456789012")),
            "arn:aws:iam::123456789012:role/\u{2}Role\u{2}"
        );
        assert_eq!(
            norm("arn:aws:iam::${AWS::AccountId}:role/x", None),
            "arn:aws:iam::\u{3}account:role/x"
        );
        assert_eq!(norm("arn:aws-cn:iam::1:role/x", None), "arn:aws:iam::1:role/x");
        assert_eq!(norm("plain", None), "plain");
        assert_eq!(norm("open ${end", None), "open ${end");
        // An unresolved role name is one role, not every role.
        assert!(!covers_any_role(&norm("arn:aws:iam::${AWS::AccountId}:role/${Role}", None), None));
        assert!(covers_any_role(
            &norm("arn:aws:iam::${AWS::AccountId}:role/*", Some("1")),
            Some("1")
        ));
    }

    #[test]
    fn any_role_patterns_are_recognised() {
        assert!(covers_any_role("*", None));
        assert!(covers_any_role("arn:aws:iam::*:role/*", None));
        assert!(covers_any_role("arn:aws:iam::123456789012:role/*", Some("123456789012")));
        assert!(!covers_any_role("arn:aws:iam::123456789012:role/*", Some("210987654321")));
        assert!(!covers_any_role("arn:aws:iam::*:role/app-*", None));
        assert!(!covers_any_role("arn:aws:iam::*:user/*", None));
    }

    #[test]
    fn accounts_come_from_ids_and_arns() {
        assert_eq!(account_of("123456789012"), Some("123456789012"));
        assert_eq!(account_of("arn:aws:iam::123456789012:root"), Some("123456789012"));
        assert_eq!(account_of("arn:aws:iam::aws:policy/x"), None);
        assert_eq!(account_of("12345"), None);
    }

    #[test]
    fn condition_operators_that_limit_values() {
        assert!(positive("StringEquals"));
        assert!(positive("ForAnyValue:StringLike"));
        assert!(positive("StringEqualsIfExists"));
        assert!(!positive("StringNotEquals"));
        assert!(!positive("ArnLike"));
    }
}
