//! Effective permissions of a role: what it may do, on what, under which
//! conditions, and which statements say so.
//!
//! Built from every policy attached to the role (inline, customer managed,
//! AWS managed from the vendored data, SAM templates): each Allow
//! statement's actions are expanded through the catalog (wildcards and
//! NotAction), its resources matched against each action's ARN formats,
//! then Deny statements are subtracted per action and resource pattern.
//! Conditions are kept on the grant, never dropped; a permissions boundary,
//! when its document is known, intersects the result.
//!
//! Semantics worth knowing before reading a [`Grant`]:
//!
//! - **Unresolved values** (`Origin::Unresolved`) are never guessed. An
//!   unresolved Action or NotAction entry is not expanded; its span goes to
//!   [`Effective::unresolved`]. An unresolved resource is a restricted
//!   pattern of unknown extent: it may apply to any action (or, when its
//!   rendering is ARN-shaped, to the actions that rendering can match), it
//!   is never `*`, and it is never reported as a problem. A statement whose
//!   Effect is unresolved counts as a *conditional* Allow: shown, never
//!   subtracted.
//! - **Unrestricted** means a resource written in one statement reaches
//!   every resource of the action: `*`; a pattern covering every ARN format
//!   of each required resource type (of some type when none is required:
//!   `arn:aws:s3:::*/*` reaches every object of `s3:GetObject`, whose object
//!   and access-point types are alternatives); or `*` for an action that
//!   supports only `*`. The partition is ignored; region and account are
//!   not (see [`pattern::arn_covers`]).
//! - **Wildcard-only actions** (no resource types) are granted only by a
//!   resource that matches the literal `*` IAM evaluates them against: an
//!   ARN never grants them, and a statement naming one with only ARNs gets
//!   a `ResourceMismatch` problem.
//! - **NotAction** is the complement of its entries: against all actions
//!   when the statement's resource is `*`, otherwise against the actions
//!   some resource can match (Cloudsplaining's approach, which falls out of
//!   matching each action's formats).
//! - **NotResource** in an Allow grants each action on "everything but the
//!   listed patterns": unless one listed pattern covers the whole action
//!   (see above), the grant is kept with resource `*` (located at the
//!   statement), `unrestricted`, and the patterns in [`GrantLists::excluded`]. A
//!   grant on all but a few resources is treated as a grant on all.
//! - **Deny** removes an action when one of its unconditional resources
//!   covers every ARN format of the action (or is `*`), and removes an
//!   allowed pattern when a denied pattern covers it as a glob
//!   ([`pattern::glob_covers`]). A conditional Deny, or one that only
//!   overlaps an allowed pattern, removes nothing and is listed in
//!   [`GrantLists::denials`]. `NotResource` in a Deny removes allowed patterns
//!   that no listed pattern overlaps.
//! - **Permissions boundary**: [`of_documents`] takes its document. The
//!   role's `permissions_boundary` is only an ARN or reference; turning it
//!   into a document (an AWS managed policy from the vendored data, a
//!   managed policy of the app) is the caller's job, because this crate
//!   does not depend on the loaders. [`effective_with_boundary`] takes the
//!   document the caller found; [`effective`] never applies one and marks
//!   [`Effective::boundary`] as [`BoundaryStatus::NotApplied`] when the role
//!   has a boundary. Actions the boundary does not allow are dropped;
//!   resources are narrowed to the boundary's where one covers the other.
//!
//! `arn:aws:s3:::*` reaches objects as well as buckets, as in IAM, where
//! `*` spans `/`; a bucket ARN without `/` reaches no object action.
//!
//! Cost: each distinct action pattern is expanded once per [`Analyzer`]
//! (reuse one across roles); resources are matched once per (statement,
//! resource type), not per action; actions that went through the same
//! statements with the same matches share one grant content (a node), so a
//! statement costs one cheap step per action it names, and the grants of a
//! node share one [`GrantLists`] (one reference count per grant, the
//! cheapest a grant that owns its lists can be). Each list keeps
//! at most [`MAX_LISTED`] entries (flags still come from every statement):
//! a 10,000-statement policy of `*` costs time linear in its size and
//! memory bounded per action.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use faasguard_model::{Condition, Effect, PolicyDocument, Role, Statement, Val};
use faasguard_source::Span;

use crate::catalog::{ActionRef, Catalog, Service};
use crate::pattern;

/// Most entries kept in each list of a [`Grant`] (resources, conditions,
/// statements, policies, excluded patterns, denials). Only display suffers
/// past it: flags are computed from every statement.
pub const MAX_LISTED: usize = 256;

/// Most "did you mean" suggestions computed per call: each costs an edit
/// distance against every action of a service, and a hostile policy may
/// hold thousands of misspelt actions.
const MAX_SUGGESTIONS: usize = 64;

/// What a role may do.
#[derive(Debug, Clone, Default)]
pub struct Effective<'c> {
    /// One entry per allowed action, in catalog order.
    pub grants: Vec<Grant<'c>>,
    /// Problems met in the role's policies (unknown actions, malformed
    /// ARNs, resources no action can match), as Parliament reports them.
    pub problems: Vec<PolicyProblem>,
    /// Where an unresolved Action, NotAction or Effect was met: the grants
    /// may be wider than shown (or, for a Deny, narrower).
    pub unresolved: Vec<Span>,
    /// Whether a permissions boundary was applied.
    pub boundary: BoundaryStatus,
    /// The catalog the grants point into, for lookups by name.
    catalog: CatalogRef<'c>,
}

/// Whether a permissions boundary was applied to [`Effective`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BoundaryStatus {
    /// No boundary: the policies alone decide.
    #[default]
    None,
    /// The boundary's document was known and intersected.
    Applied,
    /// The role has a boundary (written here) whose document was not
    /// given: the grants may be wider than what the role can really do.
    NotApplied(Span),
}

/// One allowed action.
///
/// Its lists live in [`GrantLists`], one allocation shared by every grant
/// of the same content (the 20,000 grants of `Action: "*"` hold one), and
/// are read as fields through `Deref`: `grant.resources`. Writing one
/// (`grant.conditions = ...`) copies the lists of that grant first.
#[derive(Clone)]
pub struct Grant<'c> {
    /// The action.
    pub action: ActionRef<'c>,
    /// Allowed on every resource it can apply to: `*`, a pattern covering
    /// all its ARN formats, or a wildcard-only action allowed on `*`.
    pub unrestricted: bool,
    /// Every statement granting it has a condition (the grant may be narrower
    /// than it looks). When any unconditional statement grants it, `false`.
    pub conditional: bool,
    /// It is `unrestricted` only through statements with a condition (a
    /// resource-scoped grant may still be unconditional). `false` when not
    /// unrestricted.
    pub unrestricted_conditional: bool,
    /// The resources, conditions, statements, policies, exclusions and
    /// denials, shared between grants.
    pub lists: Arc<GrantLists>,
}

/// The lists of a [`Grant`], read through it (`grant.resources`).
#[derive(Debug, Clone, Default)]
pub struct GrantLists {
    /// Resource patterns it is allowed on, after Deny (as written, `*` included).
    /// A grant from `NotResource` holds `*` located at its statement.
    pub resources: Shared<Val<String>>,
    /// The conditions of the conditional statements, for display.
    pub conditions: Shared<Condition>,
    /// The statements that allow it (their spans).
    pub statements: Shared<Span>,
    /// Names of the policies those statements are in.
    pub policies: Shared<String>,
    /// Patterns a `NotResource` Allow leaves out of the grant.
    pub excluded: Shared<Val<String>>,
    /// Deny statements that apply to the action but removed nothing or not
    /// all of it: conditional, on narrower resources, or unresolved.
    pub denials: Shared<Denial>,
}

impl Deref for Grant<'_> {
    type Target = GrantLists;
    fn deref(&self) -> &GrantLists {
        &self.lists
    }
}

impl DerefMut for Grant<'_> {
    fn deref_mut(&mut self) -> &mut GrantLists {
        Arc::make_mut(&mut self.lists)
    }
}

impl fmt::Debug for Grant<'_> {
    // The fields in the order they had when the lists were fields of
    // `Grant`, so printed grants read as before.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Grant")
            .field("action", &self.action)
            .field("resources", &self.resources)
            .field("unrestricted", &self.unrestricted)
            .field("conditional", &self.conditional)
            .field("conditions", &self.conditions)
            .field("statements", &self.statements)
            .field("policies", &self.policies)
            .field("unrestricted_conditional", &self.unrestricted_conditional)
            .field("excluded", &self.excluded)
            .field("denials", &self.denials)
            .finish()
    }
}

/// A list that grants with the same content share (the 20,000 grants of
/// `Action: "*"` hold one list of resources): read it as a slice. Cloning
/// is a reference count, never a copy; an empty list allocates nothing.
#[derive(Clone)]
pub struct Shared<T>(Option<Arc<[T]>>);

impl<T> Shared<T> {
    /// The entries.
    pub fn as_slice(&self) -> &[T] {
        self.0.as_deref().unwrap_or(&[])
    }
}

impl<T> Default for Shared<T> {
    fn default() -> Self {
        Shared(None)
    }
}

impl<T> Deref for Shared<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T: fmt::Debug> fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_slice().fmt(f)
    }
}

impl<T: PartialEq> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T> From<Vec<T>> for Shared<T> {
    fn from(list: Vec<T>) -> Self {
        if list.is_empty() { Shared(None) } else { Shared(Some(list.into())) }
    }
}

impl<T> FromIterator<T> for Shared<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        iter.into_iter().collect::<Vec<T>>().into()
    }
}

impl<'a, T> IntoIterator for &'a Shared<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

/// A Deny statement that narrows a grant without removing it.
#[derive(Debug, Clone)]
pub struct Denial {
    /// The Deny statement.
    pub statement: Span,
    /// The policy it is in.
    pub policy: String,
    /// Its `Resource` entries.
    pub resources: Vec<Val<String>>,
    /// Its `NotResource` entries (it denies everything else).
    pub excluded: Vec<Val<String>>,
    /// Its conditions (empty when it is unconditional but narrower).
    pub conditions: Vec<Condition>,
}

/// A problem in a policy document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyProblem {
    /// What kind of problem.
    pub kind: ProblemKind,
    /// Where.
    pub span: Span,
    /// For the user: what is wrong and what to write instead.
    pub message: String,
}

/// Kinds of policy problems (Parliament's names in parentheses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// The service prefix is not an AWS service (UNKNOWN_PREFIX).
    UnknownService,
    /// The action is not an action of its service (UNKNOWN_ACTION).
    UnknownAction,
    /// A resource is neither `*` nor shaped like an ARN (INVALID_ARN).
    MalformedArn,
    /// No action of the statement can apply to a resource (RESOURCE_MISMATCH).
    ResourceMismatch,
}

impl ProblemKind {
    /// Parliament's name for the problem.
    pub fn parliament_name(self) -> &'static str {
        match self {
            ProblemKind::UnknownService => "UNKNOWN_PREFIX",
            ProblemKind::UnknownAction => "UNKNOWN_ACTION",
            ProblemKind::MalformedArn => "INVALID_ARN",
            ProblemKind::ResourceMismatch => "RESOURCE_MISMATCH",
        }
    }
}

impl<'c> Effective<'c> {
    /// The grant of an action (`prefix:Name`, case-insensitive), if allowed.
    pub fn allowed(&self, full_name: &str) -> Option<&Grant<'c>> {
        if let Some(catalog) = self.catalog.0 {
            return self.grant(catalog.action(full_name)?);
        }
        let (prefix, name) = full_name.split_once(':')?;
        self.grants.iter().find(|g| {
            g.action.service.prefix.eq_ignore_ascii_case(prefix)
                && g.action.action.name.eq_ignore_ascii_case(name)
        })
    }

    /// The grant of an action of the catalog, if allowed. A binary search
    /// when the grants come from [`of_documents`].
    pub fn grant(&self, action: ActionRef<'_>) -> Option<&Grant<'c>> {
        if let Some(catalog) = self.catalog.0 {
            let key = catalog_key(catalog, action)?;
            let at = self
                .grants
                .binary_search_by(|g| {
                    catalog_key(catalog, g.action).unwrap_or((usize::MAX, 0)).cmp(&key)
                })
                .ok()?;
            return self.grants.get(at);
        }
        self.grants.iter().find(|g| {
            std::ptr::eq(g.action.service, action.service)
                && std::ptr::eq(g.action.action, action.action)
        })
    }

    /// The grants of one service (IAM prefix, case-insensitive), in catalog order.
    pub fn service_grants(&self, prefix: &str) -> &[Grant<'c>] {
        let of_service = |g: &Grant<'c>| g.action.service.prefix.eq_ignore_ascii_case(prefix);
        // Grants are in catalog order, so one service's are contiguous.
        let Some(start) = self.grants.iter().position(of_service) else { return &[] };
        let len = self.grants[start..].iter().take_while(|g| of_service(g)).count();
        &self.grants[start..start + len]
    }
}

/// The catalog behind an [`Effective`]; printed as a name so that `{:?}`
/// of a result does not dump 20,000 actions.
#[derive(Clone, Copy, Default)]
struct CatalogRef<'c>(Option<&'c Catalog>);

impl fmt::Debug for CatalogRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() { "Catalog" } else { "None" })
    }
}

/// The effective permissions of a role from its attached policies (those
/// whose document is known). A permissions boundary is not applied: the
/// model only knows its ARN; see [`effective_with_boundary`].
pub fn effective<'c>(role: &Role, catalog: &'c Catalog) -> Effective<'c> {
    Analyzer::new(catalog).effective_with_boundary(role, None)
}

/// [`effective`] with the document of the role's permissions boundary, when
/// the caller could find it (an AWS managed policy from the vendored data,
/// a managed policy of the same app). Without it, a role that has a
/// boundary gets [`BoundaryStatus::NotApplied`].
pub fn effective_with_boundary<'c>(
    role: &Role,
    boundary: Option<&PolicyDocument>,
    catalog: &'c Catalog,
) -> Effective<'c> {
    Analyzer::new(catalog).effective_with_boundary(role, boundary)
}

/// The effective permissions of a set of policy documents (named), limited
/// by a permissions boundary document when one is given.
pub fn of_documents<'c>(
    docs: &[(&str, &PolicyDocument)],
    boundary: Option<&PolicyDocument>,
    catalog: &'c Catalog,
) -> Effective<'c> {
    Analyzer::new(catalog).of_documents(docs, boundary)
}

/// Computes effective permissions of many roles against one catalog,
/// remembering how each action pattern expands (`*:Get*` is matched
/// against every action once, not once per role). Use one per thread when
/// analysing many roles; the free functions make a fresh one per call.
pub struct Analyzer<'c> {
    catalog: &'c Catalog,
    /// Flat index of the first action of each service.
    starts: Vec<u32>,
    total: u32,
    expansions: HashMap<String, Expansion>,
    tables: TypeTables,
    memo: TypeMemo,
}

/// Most action patterns an [`Analyzer`] remembers; past it the memory is
/// emptied and starts again, so hostile input cannot grow it without end.
const MAX_REMEMBERED: usize = 16_384;

impl<'c> Analyzer<'c> {
    /// An analyzer over `catalog`.
    pub fn new(catalog: &'c Catalog) -> Self {
        let mut starts = Vec::with_capacity(catalog.services().len());
        let mut total: u32 = 0;
        for s in catalog.services() {
            starts.push(total);
            total = total.saturating_add(u32::try_from(s.actions.len()).unwrap_or(u32::MAX));
        }
        Analyzer {
            catalog,
            starts,
            total,
            expansions: HashMap::new(),
            tables: TypeTables::new(catalog),
            memo: TypeMemo::default(),
        }
    }

    /// See [`effective_with_boundary`].
    pub fn effective_with_boundary(
        &mut self,
        role: &Role,
        boundary: Option<&PolicyDocument>,
    ) -> Effective<'c> {
        let docs: Vec<(&str, &PolicyDocument)> = role
            .policies
            .iter()
            .filter_map(|p| Some((p.name.as_str(), p.document.as_ref()?)))
            .collect();
        let mut result = self.of_documents(&docs, boundary);
        if boundary.is_none()
            && let Some(b) = &role.permissions_boundary
        {
            result.boundary = BoundaryStatus::NotApplied(b.span);
        }
        result
    }

    /// See [`of_documents`].
    pub fn of_documents(
        &mut self,
        docs: &[(&str, &PolicyDocument)],
        boundary: Option<&PolicyDocument>,
    ) -> Effective<'c> {
        if self.expansions.len() > MAX_REMEMBERED {
            self.expansions.clear();
        }
        let mut engine = Engine {
            catalog: self.catalog,
            starts: &self.starts,
            total: self.total,
            expansions: &mut self.expansions,
            tables: &mut self.tables,
            memo: &mut self.memo,
            problems: Vec::new(),
            seen: HashSet::new(),
            unresolved: Vec::new(),
            suggestions_left: MAX_SUGGESTIONS,
        };
        let mut set = engine.evaluate(docs);
        let mut status = BoundaryStatus::None;
        if let Some(doc) = boundary {
            let limit = engine.evaluate(&[("permissions boundary", doc)]);
            set.intersect(&limit);
            status = BoundaryStatus::Applied;
        }
        let grants = engine.materialise(set);
        Effective {
            grants,
            problems: engine.problems,
            unresolved: engine.unresolved,
            boundary: status,
            catalog: CatalogRef(Some(self.catalog)),
        }
    }
}

/// Position of an action in the catalog: (service index, action index).
fn catalog_key(catalog: &Catalog, action: ActionRef<'_>) -> Option<(usize, usize)> {
    let si = index_in(catalog.services(), action.service)?;
    let ai = index_in(&action.service.actions, action.action)?;
    Some((si, ai))
}

/// Index of an element of a slice from its address (safe: only addresses
/// are compared, nothing is dereferenced).
fn index_in<T>(slice: &[T], item: &T) -> Option<usize> {
    let size = std::mem::size_of::<T>();
    let base = slice.as_ptr() as usize;
    let at = item as *const T as usize;
    if size == 0 || at < base || !(at - base).is_multiple_of(size) {
        return None;
    }
    let i = (at - base) / size;
    (i < slice.len()).then_some(i)
}

/// The exact (glob-free) `Action` entries of a statement, with the action
/// each names.
type Exact<'d> = Vec<(&'d Val<String>, u32)>;

/// Which actions a statement names, as flat catalog indices.
enum Selection {
    All,
    Some(Vec<u32>),
}

/// One action pattern, expanded.
#[derive(Clone)]
enum Expansion {
    All,
    Actions(Arc<[u32]>),
    /// Unknown service or action, with a suggestion.
    Problem(ProblemKind, Option<String>),
}

/// A resource entry of a statement, classified once.
struct Prepared<'d> {
    val: &'d Val<String>,
    kind: ResourceKind,
    /// The service part of a known ARN, when it holds no wildcard: most
    /// resource types are then ruled out by comparing it alone.
    service: Option<&'d str>,
    /// A known ARN split once for matching against every format.
    arn: Option<pattern::PreparedArn<'d>>,
}

enum ResourceKind {
    /// `*` (or `**`...): every resource.
    Star,
    /// A known ARN pattern.
    Arn,
    /// Unresolved; with its rendering as a glob when that is ARN-shaped.
    Unknown(Option<String>),
    /// Known, neither `*` nor an ARN: matches nothing (IAM rejects it).
    Malformed,
}

impl ResourceKind {
    fn of(val: &Val<String>) -> ResourceKind {
        let text = val.value.as_str();
        if !val.is_known() {
            // `${...}` pieces stand for unknown text; literal pieces are kept,
            // so the rendering as a glob matches whatever the value will be.
            let glob = pattern::format_as_glob(text);
            let arn = glob.starts_with("arn:") && pattern::is_arn_shaped(&glob);
            return ResourceKind::Unknown(arn.then_some(glob));
        }
        if text.contains("${") {
            // Known text that still holds a template placeholder
            // (`arn:${AWS::Partition}:logs:...` from a generated statement):
            // the placeholder is one unknown value, and its `::` must not
            // be read as ARN separators.
            let glob = pattern::format_as_glob(text);
            let arn = glob.starts_with("arn:") && pattern::is_arn_shaped(&glob);
            return ResourceKind::Unknown(arn.then_some(glob));
        }
        if is_all_stars(text) {
            ResourceKind::Star
        } else if pattern::is_arn_shaped(text) {
            ResourceKind::Arn
        } else {
            ResourceKind::Malformed
        }
    }
}

fn is_all_stars(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b == b'*')
}

fn has_glob(text: &str) -> bool {
    text.contains(['*', '?'])
}

/// A resource pattern of a grant: one written in a policy, or the `*` of a
/// NotResource grant (located at its statement).
#[derive(Clone, Copy)]
enum ResRef<'d> {
    Written(&'d Val<String>),
    Star(Span),
}

impl ResRef<'_> {
    fn text(&self) -> &str {
        match self {
            ResRef::Written(v) => &v.value,
            ResRef::Star(_) => "*",
        }
    }

    fn is_known(&self) -> bool {
        match self {
            ResRef::Written(v) => v.is_known(),
            ResRef::Star(_) => true,
        }
    }

    fn to_val(self) -> Val<String> {
        match self {
            ResRef::Written(v) => v.clone(),
            ResRef::Star(span) => Val::explicit("*".to_string(), span),
        }
    }
}

#[derive(Clone, Copy)]
struct ResEntry<'d> {
    r: ResRef<'d>,
    /// It reaches every resource of the action.
    covering: bool,
    /// Some statement without a condition grants it.
    unconditional: bool,
}

/// The content of a grant. Actions that went through the same statements
/// with the same matches share one node, so a statement over 20,000 actions
/// builds one or a few nodes instead of 20,000 lists; references into the
/// documents are turned into owned values once per node, at the end.
#[derive(Default)]
struct Node<'d> {
    resources: Vec<ResEntry<'d>>,
    /// Some resource entry was not kept (over [`MAX_LISTED`]): the flags
    /// below then stay as accumulated, never recomputed from the list.
    truncated: bool,
    unrestricted: bool,
    unrestricted_unconditional: bool,
    unconditional: bool,
    statements: Vec<Span>,
    policies: Vec<&'d str>,
    conditions: Vec<&'d Condition>,
    excluded: Vec<&'d Val<String>>,
    denials: Vec<(&'d Statement, &'d str)>,
    /// How many actions are in this state; its lists are dropped at zero.
    users: u32,
}

/// What a transition makes of a node.
enum Next<'d> {
    Same,
    Removed,
    New(Node<'d>),
}

impl<'d> Node<'d> {
    fn copy(&self) -> Node<'d> {
        Node {
            resources: self.resources.clone(),
            truncated: self.truncated,
            unrestricted: self.unrestricted,
            unrestricted_unconditional: self.unrestricted_unconditional,
            unconditional: self.unconditional,
            statements: self.statements.clone(),
            policies: self.policies.clone(),
            conditions: self.conditions.clone(),
            excluded: self.excluded.clone(),
            denials: self.denials.clone(),
            users: 0,
        }
    }

    fn add_resource(&mut self, entry: ResEntry<'d>) {
        self.unrestricted |= entry.covering;
        self.unrestricted_unconditional |= entry.covering && entry.unconditional;
        self.unconditional |= entry.unconditional;
        let text = entry.r.text();
        let known = entry.r.is_known();
        if let Some(e) =
            self.resources.iter_mut().find(|e| e.r.is_known() == known && e.r.text() == text)
        {
            e.covering |= entry.covering;
            e.unconditional |= entry.unconditional;
        } else if self.resources.len() < MAX_LISTED {
            self.resources.push(entry);
        } else {
            self.truncated = true;
        }
    }

    fn add_statement(&mut self, stmt: &'d Statement, policy: &'d str, conditional: bool) {
        push_unique(&mut self.statements, stmt.span, |a, b| a == b);
        push_unique(&mut self.policies, policy, |a, b| a == b);
        if conditional {
            for c in &stmt.conditions {
                push_unique(&mut self.conditions, c, |a, b| std::ptr::eq(*a, *b));
            }
        }
    }

    fn add_denial(&mut self, stmt: &'d Statement, policy: &'d str) {
        push_unique(&mut self.denials, (stmt, policy), |a, b| std::ptr::eq(a.0, b.0));
    }

    /// Flags from the kept resources, after some were removed.
    fn recompute(&mut self) {
        if self.truncated {
            return;
        }
        self.unrestricted = self.resources.iter().any(|e| e.covering);
        self.unrestricted_unconditional =
            self.resources.iter().any(|e| e.covering && e.unconditional);
        self.unconditional = self.resources.iter().any(|e| e.unconditional);
    }

    /// After a Deny removed `before - len` resources: gone when none is left.
    fn after_removal(
        mut self,
        before: usize,
        denied: bool,
        stmt: &'d Statement,
        policy: &'d str,
    ) -> Next<'d> {
        if self.resources.is_empty() && !self.truncated {
            return Next::Removed;
        }
        if self.resources.len() != before {
            self.recompute();
        }
        if denied {
            self.add_denial(stmt, policy);
        }
        Next::New(self)
    }

    /// This grant within what the boundary node `b` allows.
    fn within(&self, b: &Node<'d>) -> Next<'d> {
        let mut out = self.copy();
        for &(stmt, policy) in &b.denials {
            out.add_denial(stmt, policy);
        }
        for &c in &b.conditions {
            push_unique(&mut out.conditions, c, |x, y| std::ptr::eq(*x, *y));
        }
        if b.unrestricted_unconditional {
            return Next::New(out);
        }
        let mut kept: Vec<ResEntry<'d>> = Vec::new();
        let mut add = |e: ResEntry<'d>| {
            if let Some(k) = kept
                .iter_mut()
                .find(|k| k.r.is_known() == e.r.is_known() && k.r.text() == e.r.text())
            {
                k.covering |= e.covering;
                k.unconditional |= e.unconditional;
            } else if kept.len() < MAX_LISTED {
                kept.push(e);
            }
        };
        for e in &self.resources {
            if !e.r.is_known() {
                let unconditional = e.unconditional && b.unconditional;
                add(ResEntry { r: e.r, covering: false, unconditional });
                continue;
            }
            // A boundary pattern containing this one keeps it whole.
            let holders = b.resources.iter().filter(|bb| {
                bb.r.is_known() && (bb.covering || pattern::glob_covers(bb.r.text(), e.r.text()))
            });
            let mut held = false;
            let mut held_unconditionally = false;
            for h in holders {
                held = true;
                held_unconditionally |= h.unconditional;
            }
            if held {
                let unconditional = e.unconditional && held_unconditionally;
                add(ResEntry { r: e.r, covering: e.covering, unconditional });
                continue;
            }
            // Otherwise it narrows to the boundary's patterns it contains, or
            // stays (not covering) where they only overlap.
            let mut narrowed = false;
            let mut overlaps = false;
            for bb in &b.resources {
                let inside = bb.r.is_known()
                    && (e.covering || pattern::glob_covers(e.r.text(), bb.r.text()));
                if inside {
                    narrowed = true;
                    let unconditional = e.unconditional && bb.unconditional;
                    add(ResEntry { r: bb.r, covering: bb.covering, unconditional });
                } else if !bb.r.is_known() || pattern::globs_overlap(e.r.text(), bb.r.text()) {
                    overlaps = true;
                }
            }
            if !narrowed && overlaps {
                let unconditional = e.unconditional && b.unconditional;
                add(ResEntry { r: e.r, covering: false, unconditional });
            }
        }
        if kept.is_empty() {
            return Next::Removed;
        }
        let truncated = out.truncated;
        out.resources = kept;
        out.truncated = false;
        out.recompute();
        if truncated {
            out.unrestricted &= b.unrestricted;
        }
        Next::New(out)
    }
}

/// Appends unless the list is full or holds the entry already.
fn push_unique<T: Copy>(list: &mut Vec<T>, item: T, same: impl Fn(&T, &T) -> bool) {
    if list.len() < MAX_LISTED && !list.iter().any(|x| same(x, &item)) {
        list.push(item);
    }
}

/// A hasher for the pairs of small integers the node memo is keyed by:
/// SipHash would cost more than the rest of a step.
#[derive(Default)]
struct PairHasher(u64);

impl Hasher for PairHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0.rotate_left(32) ^ u64::from(n)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// Node 0: not granted.
const EMPTY: u32 = 0;

/// The state of every action: a node per action, nodes shared.
struct GrantSet<'d> {
    /// Per flat action index, its node (`EMPTY` when not granted).
    state: Vec<u32>,
    nodes: Vec<Node<'d>>,
    /// (node, operation) to node, for the current statement only: every
    /// statement gets fresh operation ids, so older entries are never hit.
    memo: HashMap<(u32, u32), u32, BuildHasherDefault<PairHasher>>,
    last: Option<((u32, u32), u32)>,
    /// Operation ids of the current statement, per list of matches.
    ops: HashMap<Vec<(usize, bool)>, u32>,
    last_op: Option<(Vec<(usize, bool)>, u32)>,
    next_op: u32,
}

impl<'d> GrantSet<'d> {
    fn new(total: u32) -> Self {
        GrantSet {
            state: vec![EMPTY; total as usize],
            nodes: vec![Node::default()],
            memo: HashMap::default(),
            last: None,
            ops: HashMap::new(),
            last_op: None,
            next_op: 0,
        }
    }

    fn is_granted(&self, idx: u32) -> bool {
        self.state.get(idx as usize).is_some_and(|&s| s != EMPTY)
    }

    /// Starts a statement: operations of earlier ones are forgotten.
    fn begin(&mut self) {
        self.memo.clear();
        self.last = None;
        self.ops.clear();
        self.last_op = None;
    }

    /// The operation id of applying the current statement with these matches.
    fn op(&mut self, matches: &[(usize, bool)]) -> u32 {
        if let Some((m, op)) = &self.last_op
            && m.as_slice() == matches
        {
            return *op;
        }
        let op = match self.ops.get(matches) {
            Some(&op) => op,
            None => {
                let op = self.next_op;
                self.next_op = self.next_op.wrapping_add(1);
                self.ops.insert(matches.to_vec(), op);
                op
            }
        };
        self.last_op = Some((matches.to_vec(), op));
        op
    }

    /// Moves an action through an operation; `make` runs once per
    /// (node, operation), whatever the number of actions.
    fn step(&mut self, idx: u32, op: u32, mut make: impl FnMut(&Node<'d>) -> Next<'d>) {
        let Some(&from) = self.state.get(idx as usize) else { return };
        let to = self.target(from, op, &mut make);
        if to != from {
            self.state[idx as usize] = to;
            self.moved(from, to, 1);
        }
    }

    /// [`GrantSet::step`] for every selected action with one operation (a
    /// statement whose resources are all `*`): one tight loop instead of
    /// matching each action, with the counts of actions per node updated
    /// once per run of actions moving alike. `only_granted` skips actions
    /// not granted.
    fn step_all(
        &mut self,
        sel: &Selection,
        only_granted: bool,
        op: u32,
        mut make: impl FnMut(&Node<'d>) -> Next<'d>,
    ) {
        // Actions in catalog order mostly sit in long runs of one node (all
        // of `*`, all of a service): each run is found, moved and counted
        // at once.
        match sel {
            Selection::All => {
                let mut i = 0;
                while let Some(&from) = self.state.get(i) {
                    let len = self.state[i..].iter().position(|&s| s != from);
                    let end = len.map_or(self.state.len(), |len| i + len);
                    if !(only_granted && from == EMPTY) {
                        let to = self.target(from, op, &mut make);
                        if to != from {
                            self.state[i..end].fill(to);
                            self.moved(from, to, (end - i) as u32);
                        }
                    }
                    i = end;
                }
            }
            Selection::Some(list) => {
                let mut i = 0;
                while let Some(&first) = list.get(i) {
                    let Some(&from) = self.state.get(first as usize) else {
                        i += 1;
                        continue;
                    };
                    let len = list[i..]
                        .iter()
                        .position(|&idx| self.state.get(idx as usize) != Some(&from));
                    let end = len.map_or(list.len(), |len| i + len);
                    if !(only_granted && from == EMPTY) {
                        let to = self.target(from, op, &mut make);
                        if to != from {
                            for &idx in &list[i..end] {
                                self.state[idx as usize] = to;
                            }
                            self.moved(from, to, (end - i) as u32);
                        }
                    }
                    i = end;
                }
            }
        }
    }

    /// The node an action in `from` goes to through operation `op`.
    #[inline]
    fn target(&mut self, from: u32, op: u32, make: &mut impl FnMut(&Node<'d>) -> Next<'d>) -> u32 {
        let key = (from, op);
        if let Some((k, to)) = self.last
            && k == key
        {
            return to;
        }
        let to = match self.memo.get(&key) {
            Some(&to) => to,
            None => {
                let to = match make(&self.nodes[from as usize]) {
                    Next::Same => from,
                    Next::Removed => EMPTY,
                    Next::New(node) => {
                        self.nodes.push(node);
                        (self.nodes.len() - 1) as u32
                    }
                };
                self.memo.insert(key, to);
                to
            }
        };
        self.last = Some((key, to));
        to
    }

    /// Records that `count` actions moved from one node to another.
    fn moved(&mut self, from: u32, to: u32, count: u32) {
        if count == 0 || from == to {
            return;
        }
        if to != EMPTY {
            self.nodes[to as usize].users += count;
        }
        if from != EMPTY {
            let node = &mut self.nodes[from as usize];
            node.users = node.users.saturating_sub(count);
            if node.users == 0 {
                // No action is left here, and a node is only ever reached
                // again from its own actions: its lists can go.
                *node = Node::default();
            }
        }
    }

    /// Keeps what the boundary `limit` allows too.
    fn intersect(&mut self, limit: &GrantSet<'d>) {
        self.begin();
        for idx in 0..self.state.len() as u32 {
            if !self.is_granted(idx) {
                continue;
            }
            let b = limit.state.get(idx as usize).copied().unwrap_or(EMPTY);
            // The boundary's node number is the operation: one per boundary state.
            self.step(idx, b, |node| {
                if b == EMPTY { Next::Removed } else { node.within(&limit.nodes[b as usize]) }
            });
        }
    }
}

/// One action with its place in the catalog.
#[derive(Clone, Copy)]
struct Located<'c> {
    idx: u32,
    si: usize,
    ai: usize,
    service: &'c Service,
    action: &'c crate::catalog::Action,
}

/// One computation: the analyzer's memory plus what this call reports.
struct Engine<'c, 'a> {
    catalog: &'c Catalog,
    starts: &'a [u32],
    total: u32,
    expansions: &'a mut HashMap<String, Expansion>,
    tables: &'a mut TypeTables,
    memo: &'a mut TypeMemo,
    problems: Vec<PolicyProblem>,
    seen: HashSet<(ProblemKind, Span)>,
    unresolved: Vec<Span>,
    suggestions_left: usize,
}

impl<'c> Engine<'c, '_> {
    fn problem(&mut self, kind: ProblemKind, span: Span, message: String) {
        if self.seen.insert((kind, span)) {
            self.problems.push(PolicyProblem { kind, span, message });
        }
    }

    fn unresolved_at(&mut self, span: Span) {
        if !self.unresolved.contains(&span) {
            self.unresolved.push(span);
        }
    }

    /// Expands one written action pattern (cached by its lower-case text).
    fn expand(&mut self, text: &str) -> Expansion {
        let text = text.trim();
        if is_all_stars(text) {
            return Expansion::All;
        }
        let key = text.to_ascii_lowercase();
        if let Some(e) = self.expansions.get(&key) {
            return e.clone();
        }
        let e = self.expand_uncached(text);
        self.expansions.insert(key, e.clone());
        e
    }

    fn expand_uncached(&mut self, text: &str) -> Expansion {
        let services = self.catalog.services();
        let Some((prefix, name)) = text.split_once(':') else {
            return Expansion::Problem(ProblemKind::UnknownAction, None);
        };
        let matched: Vec<usize> = if has_glob(prefix) {
            services
                .iter()
                .enumerate()
                .filter(|(_, s)| pattern::glob_match(prefix, &s.prefix))
                .map(|(i, _)| i)
                .collect()
        } else {
            self.catalog.service(prefix).and_then(|s| index_in(services, s)).into_iter().collect()
        };
        if matched.is_empty() {
            return Expansion::Problem(ProblemKind::UnknownService, None);
        }
        if is_all_stars(name) && matched.len() == services.len() {
            return Expansion::All;
        }
        let mut out = Vec::new();
        for &si in &matched {
            let start = self.starts[si];
            let service = &services[si];
            if is_all_stars(name) {
                out.extend((0..service.actions.len()).map(|ai| start + ai as u32));
            } else if has_glob(name) {
                for (ai, a) in service.actions.iter().enumerate() {
                    if pattern::glob_match(name, &a.name) {
                        out.push(start + ai as u32);
                    }
                }
            } else if let Some(ai) =
                service.actions.iter().position(|a| a.name.eq_ignore_ascii_case(name))
            {
                out.push(start + ai as u32);
            }
        }
        if out.is_empty() {
            let suggestion = match matched.as_slice() {
                [si] if !has_glob(name) && self.suggestions_left > 0 => {
                    self.suggestions_left -= 1;
                    let service = &services[*si];
                    nearest(name, service.actions.iter().map(|a| a.name.as_str()))
                        .map(|n| format!("{}:{n}", service.prefix))
                }
                _ => None,
            };
            return Expansion::Problem(ProblemKind::UnknownAction, suggestion);
        }
        Expansion::Actions(out.into())
    }

    /// The actions of a statement, with its exact (glob-free) `Action`
    /// entries and the action each names. Reports unknown ones and records
    /// unresolved entries. `None` when it names no known action, or when its
    /// NotAction holds an unresolved entry (what it leaves out is unknown).
    fn select<'d>(&mut self, stmt: &'d Statement) -> Option<(Selection, Exact<'d>)> {
        let mut exact = Vec::new();
        let mut all = false;
        let mut list: Vec<u32> = Vec::new();
        for v in &stmt.actions {
            if !v.is_known() {
                self.unresolved_at(v.span);
                continue;
            }
            match self.expand(&v.value) {
                Expansion::All => all = true,
                Expansion::Actions(found) => {
                    if let [one] = *found
                        && !has_glob(&v.value)
                    {
                        exact.push((v, one));
                    }
                    if !all {
                        list.extend_from_slice(&found);
                    }
                }
                Expansion::Problem(kind, suggestion) => self.report_action(kind, v, suggestion),
            }
        }
        let Some(not_actions) = &stmt.not_actions else {
            if all {
                return Some((Selection::All, exact));
            }
            if list.is_empty() {
                return None;
            }
            // Each expansion is in catalog order: a stable sort merges the
            // runs in linear time where an unstable one would start over.
            list.sort();
            list.dedup();
            return Some((Selection::Some(list), exact));
        };
        let mut left_out: Vec<u32> = Vec::new();
        let mut unknown = false;
        let mut everything = false;
        for v in not_actions {
            if !v.is_known() {
                self.unresolved_at(v.span);
                unknown = true;
                continue;
            }
            match self.expand(&v.value) {
                Expansion::All => everything = true,
                Expansion::Actions(found) => left_out.extend_from_slice(&found),
                Expansion::Problem(kind, suggestion) => self.report_action(kind, v, suggestion),
            }
        }
        if unknown || everything {
            return None;
        }
        if left_out.is_empty() {
            return Some((Selection::All, exact));
        }
        left_out.sort();
        left_out.dedup();
        let mut rest = Vec::with_capacity((self.total as usize).saturating_sub(left_out.len()));
        let mut skip = left_out.iter().peekable();
        for idx in 0..self.total {
            if skip.next_if(|&&x| x == idx).is_none() {
                rest.push(idx);
            }
        }
        Some((Selection::Some(rest), exact))
    }

    fn report_action(&mut self, kind: ProblemKind, v: &Val<String>, suggestion: Option<String>) {
        let text = v.value.trim();
        let prefix = text.split_once(':').map_or(text, |(p, _)| p);
        let message = match kind {
            ProblemKind::UnknownService => {
                format!(
                    "`{text}`: no AWS service has the prefix `{prefix}`, so this grants nothing"
                )
            }
            _ if !text.contains(':') => {
                format!("`{text}` is not an action: write `service:Action`, such as `s3:GetObject`")
            }
            _ if has_glob(text.split_once(':').map_or("", |(_, n)| n)) => {
                format!("`{text}` matches no action of `{prefix}`, so this grants nothing")
            }
            _ => {
                let service = self.catalog.service(prefix).map_or(prefix, |s| s.name.as_str());
                match suggestion {
                    Some(s) => {
                        format!("`{text}` is not an action of {service}; did you mean `{s}`?")
                    }
                    None => format!("`{text}` is not an action of {service}"),
                }
            }
        };
        self.problem(kind, v.span, message);
    }

    /// Classifies a statement's resources, reporting malformed ones.
    fn prepare<'d>(&mut self, vals: &'d [Val<String>]) -> Vec<Prepared<'d>> {
        let mut out = Vec::with_capacity(vals.len());
        for val in vals {
            let kind = ResourceKind::of(val);
            if matches!(kind, ResourceKind::Malformed) {
                self.problem(
                    ProblemKind::MalformedArn,
                    val.span,
                    format!(
                        "`{}` is neither `*` nor an ARN (`arn:partition:service:region:account:resource`), so it matches nothing",
                        val.value
                    ),
                );
            }
            let service = match kind {
                ResourceKind::Arn => literal_service(&val.value),
                _ => None,
            };
            let arn = match kind {
                ResourceKind::Arn => Some(pattern::PreparedArn::new(&val.value)),
                _ => None,
            };
            out.push(Prepared { val, kind, service, arn });
        }
        out
    }

    /// Matches a statement's resources against each selected action: `f`
    /// gets the action, the resources that can apply to it (index, and
    /// whether it reaches every resource of the action) and a version that
    /// changes whenever those differ from the previous action's. Returns which
    /// resources applied to some action. Each (service, resource type) is
    /// matched once per statement, however many actions share it.
    fn match_resources(
        &mut self,
        sel: &Selection,
        res: &[Prepared<'_>],
        skip_empty: bool,
        mut f: impl FnMut(Located<'c>, &[(usize, bool)], u32),
    ) -> Vec<bool> {
        let mut used = vec![false; res.len()];
        if res.is_empty() {
            return used;
        }
        if res.iter().all(|p| matches!(p.kind, ResourceKind::Star)) {
            let all: Vec<(usize, bool)> = (0..res.len()).map(|i| (i, true)).collect();
            let mut any = false;
            each(self.catalog, self.starts, sel, |a| {
                any = true;
                f(a, &all, 0);
            });
            if any {
                used.fill(true);
            }
            return used;
        }
        for si in services_of(self.starts, sel) {
            self.tables.ensure(self.catalog, si);
        }
        let tables = &*self.tables;
        let memo = &mut *self.memo;
        memo.reset(tables.total_types);
        let n = res.len();
        let mut matched: Vec<(usize, bool)> = Vec::new();
        // Bumped whenever the matches differ from the previous action's, so
        // callers can tell "same as before" without comparing lists.
        let mut previous: Vec<(usize, bool)> = Vec::new();
        let mut version: u32 = 0;
        // Whether any resource can reach the current service at all: most
        // services of `*:Get*` on one ARN are passed over whole.
        let reaches_any =
            res.iter().any(|p| matches!(p.kind, ResourceKind::Star | ResourceKind::Unknown(None)));
        let mut service_alive: Option<(usize, bool)> = None;
        each(self.catalog, self.starts, sel, |a| {
            if skip_empty && !reaches_any {
                let alive = match service_alive {
                    Some((si, alive)) if si == a.si => alive,
                    _ => {
                        let first = tables.type_starts[a.si] as usize;
                        let alive = (0..a.service.resources.len()).any(|ti| {
                            let flat = first + ti;
                            let offset = match memo.slot.get(flat) {
                                Some(&o) if o != NONE => o,
                                Some(_) => memo.compute(flat, tables.type_info.get(flat), res),
                                None => return true,
                            };
                            memo.vals
                                .get(offset as usize..offset as usize + n)
                                .is_some_and(|v| v.iter().any(|&(m, _)| m))
                        });
                        service_alive = Some((a.si, alive));
                        alive
                    }
                };
                if !alive {
                    return;
                }
            }
            matched.clear();
            if a.action.is_wildcard_only() {
                // IAM evaluates these against the literal `*`: only `*` (or a
                // value that may turn out to be `*`) grants them.
                for (ri, p) in res.iter().enumerate() {
                    match p.kind {
                        ResourceKind::Star => matched.push((ri, true)),
                        ResourceKind::Unknown(None) => matched.push((ri, false)),
                        _ => {}
                    }
                }
            } else {
                let types = tables.of(a.si, a.ai);
                // Each type's matches for every resource, computed once.
                let mut offsets = [NONE; 8];
                let mut extra: Vec<u32> = Vec::new();
                for (k, &(ti, _)) in types.iter().enumerate() {
                    let offset = match a.service.resources.get(ti as usize) {
                        Some(_) if ti != NO_TYPE => {
                            let flat = (tables.type_starts[a.si] + ti) as usize;
                            match memo.slot.get(flat) {
                                Some(&o) if o != NONE => o,
                                Some(_) => memo.compute(flat, tables.type_info.get(flat), res),
                                None => NONE,
                            }
                        }
                        _ => NONE,
                    };
                    if k < offsets.len() {
                        offsets[k] = offset;
                    } else {
                        extra.push(offset);
                    }
                }
                let offset_of = |k: usize| if k < 8 { offsets[k] } else { extra[k - 8] };
                for (ri, p) in res.iter().enumerate() {
                    match p.kind {
                        ResourceKind::Star => {
                            matched.push((ri, true));
                            continue;
                        }
                        ResourceKind::Malformed => continue,
                        _ => {}
                    }
                    let (mut any_match, mut any_cover, mut all_required, mut has_required) =
                        (false, false, true, false);
                    for (k, &(_, required)) in types.iter().enumerate() {
                        let o = offset_of(k);
                        let (m, c) = if o == NONE {
                            (false, false)
                        } else {
                            memo.vals.get(o as usize + ri).copied().unwrap_or((false, false))
                        };
                        any_match |= m;
                        any_cover |= c;
                        if required {
                            has_required = true;
                            all_required &= c;
                        }
                    }
                    if any_match {
                        matched.push((ri, if has_required { all_required } else { any_cover }));
                    }
                }
            }
            for &(ri, _) in &matched {
                if ri < n {
                    used[ri] = true;
                }
            }
            if matched != previous {
                version = version.wrapping_add(1);
                previous.clone_from(&matched);
            }
            if skip_empty && matched.is_empty() {
                return;
            }
            f(a, &matched, version);
        });
        used
    }

    /// RESOURCE_MISMATCH: exact actions no resource of the statement
    /// reaches, else resources that reach no action of it. Skipped where an
    /// unresolved action or resource could be the missing match.
    fn check_mismatches(
        &mut self,
        res: &[Prepared<'_>],
        used: &[bool],
        exact: &[(&Val<String>, u32)],
        reached: &HashSet<u32>,
        unresolved_actions: bool,
    ) {
        if res.iter().any(|p| matches!(p.kind, ResourceKind::Unknown(_)))
            || !res.iter().any(|p| !matches!(p.kind, ResourceKind::Malformed))
        {
            return;
        }
        let mut reported = false;
        for &(v, idx) in exact {
            if reached.contains(&idx) {
                continue;
            }
            let mut message = None;
            each(self.catalog, self.starts, &Selection::Some(vec![idx]), |a| {
                let name = format!("{}:{}", a.service.prefix, a.action.name);
                message = Some(if a.action.is_wildcard_only() {
                    format!(
                        "`{name}` supports only `Resource: \"*\"`: no ARN grants it, and none of the statement's resources is `*`"
                    )
                } else {
                    let action = ActionRef { service: a.service, action: a.action };
                    let formats: Vec<&str> = action.arn_formats().collect();
                    format!(
                        "no resource of the statement matches `{name}`, which applies to {}",
                        if formats.is_empty() {
                            "no known ARN format".to_string()
                        } else {
                            formats.join(", ")
                        }
                    )
                });
            });
            if let Some(message) = message {
                self.problem(ProblemKind::ResourceMismatch, v.span, message);
                reported = true;
            }
        }
        if reported || unresolved_actions {
            return;
        }
        for (p, &was_used) in res.iter().zip(used) {
            if !was_used && matches!(p.kind, ResourceKind::Arn) {
                self.problem(
                    ProblemKind::ResourceMismatch,
                    p.val.span,
                    format!(
                        "`{}` matches no ARN format of the statement's actions, so it grants nothing",
                        p.val.value
                    ),
                );
            }
        }
    }

    fn evaluate<'d>(&mut self, docs: &[(&'d str, &'d PolicyDocument)]) -> GrantSet<'d> {
        let mut set = GrantSet::new(self.total);
        let is_deny = |s: &Statement| s.effect.is_known() && s.effect.value == Effect::Deny;
        for &(policy, doc) in docs {
            for stmt in doc.statements.iter().filter(|s| !is_deny(s)) {
                self.allow(&mut set, stmt, policy);
            }
        }
        // Deny wins wherever it is written, so it is applied once every Allow is in.
        for &(policy, doc) in docs {
            for stmt in doc.statements.iter().filter(|s| is_deny(s)) {
                self.deny(&mut set, stmt, policy);
            }
        }
        set
    }

    fn allow<'d>(&mut self, set: &mut GrantSet<'d>, stmt: &'d Statement, policy: &'d str) {
        // An unresolved Effect may be Allow: shown, as conditional.
        if !stmt.effect.is_known() {
            self.unresolved_at(stmt.effect.span);
        }
        let conditional = !stmt.conditions.is_empty() || !stmt.effect.is_known();
        let unconditional = !conditional;
        let selected = self.select(stmt);
        set.begin();
        if let Some(not_resources) = &stmt.not_resources {
            let left_out = self.prepare(not_resources);
            let Some((sel, _)) = selected else { return };
            if left_out.iter().any(|p| matches!(p.kind, ResourceKind::Star)) {
                return;
            }
            self.match_resources(&sel, &left_out, false, |a, m, _| {
                // Left out whole when one pattern reaches all of the action.
                if m.iter().any(|&(_, covering)| covering) {
                    return;
                }
                let op = set.op(&[]);
                set.step(a.idx, op, |node| {
                    let mut n = node.copy();
                    let r = ResRef::Star(stmt.span);
                    n.add_resource(ResEntry { r, covering: true, unconditional });
                    n.add_statement(stmt, policy, conditional);
                    for p in &left_out {
                        push_unique(&mut n.excluded, p.val, |x, y| std::ptr::eq(*x, *y));
                    }
                    Next::New(n)
                });
            });
            return;
        }
        let res = self.prepare(&stmt.resources);
        let Some((sel, exact)) = selected else { return };
        if res.iter().all(|p| matches!(p.kind, ResourceKind::Star)) && !res.is_empty() {
            // `*` reaches every action alike: no matching, no mismatch.
            let m: Vec<(usize, bool)> = (0..res.len()).map(|i| (i, true)).collect();
            let op = set.op(&m);
            set.step_all(&sel, false, op, |node| {
                let mut n = node.copy();
                for &(ri, covering) in &m {
                    let r = ResRef::Written(res[ri].val);
                    n.add_resource(ResEntry { r, covering, unconditional });
                }
                n.add_statement(stmt, policy, conditional);
                Next::New(n)
            });
            return;
        }
        let wanted: HashSet<u32> = exact.iter().map(|&(_, idx)| idx).collect();
        let mut reached = HashSet::new();
        let mut current = (u32::MAX, 0);
        let used = self.match_resources(&sel, &res, true, |a, m, version| {
            if m.is_empty() {
                return;
            }
            if !wanted.is_empty() && wanted.contains(&a.idx) {
                reached.insert(a.idx);
            }
            if current.0 != version {
                current = (version, set.op(m));
            }
            let op = current.1;
            set.step(a.idx, op, |node| {
                let mut n = node.copy();
                for &(ri, covering) in m {
                    let r = ResRef::Written(res[ri].val);
                    n.add_resource(ResEntry { r, covering, unconditional });
                }
                n.add_statement(stmt, policy, conditional);
                Next::New(n)
            });
        });
        let unresolved_actions = stmt.actions.iter().any(|v| !v.is_known());
        self.check_mismatches(&res, &used, &exact, &reached, unresolved_actions);
    }

    fn deny<'d>(&mut self, set: &mut GrantSet<'d>, stmt: &'d Statement, policy: &'d str) {
        let conditional = !stmt.conditions.is_empty();
        let selected = self.select(stmt);
        set.begin();
        if let Some(not_resources) = &stmt.not_resources {
            let spared = self.prepare(not_resources);
            let Some((sel, _)) = selected else { return };
            if spared.iter().any(|p| matches!(p.kind, ResourceKind::Star)) {
                return;
            }
            self.match_resources(&sel, &spared, false, |a, m, _| {
                if !set.is_granted(a.idx) {
                    return;
                }
                let op = set.op(m);
                set.step(a.idx, op, |node| {
                    let unknown = m
                        .iter()
                        .any(|&(ri, _)| matches!(spared[ri].kind, ResourceKind::Unknown(_)));
                    let mut n = node.copy();
                    if conditional || unknown {
                        n.add_denial(stmt, policy);
                        return Next::New(n);
                    }
                    if m.is_empty() {
                        // Nothing of this action is spared: all of it is denied.
                        return Next::Removed;
                    }
                    let before = n.resources.len();
                    n.resources.retain(|e| {
                        !e.r.is_known()
                            || m.iter().any(|&(ri, _)| {
                                pattern::globs_overlap(&spared[ri].val.value, e.r.text())
                            })
                    });
                    n.after_removal(before, true, stmt, policy)
                });
            });
            return;
        }
        let res = self.prepare(&stmt.resources);
        let Some((sel, exact)) = selected else { return };
        if res.iter().all(|p| matches!(p.kind, ResourceKind::Star)) && !res.is_empty() {
            let op = set.op(&[]);
            set.step_all(&sel, true, op, |node| {
                if !conditional {
                    return Next::Removed;
                }
                let mut n = node.copy();
                n.add_denial(stmt, policy);
                Next::New(n)
            });
            return;
        }
        let wanted: HashSet<u32> = exact.iter().map(|&(_, idx)| idx).collect();
        let mut reached = HashSet::new();
        let mut current = (u32::MAX, 0);
        let used = self.match_resources(&sel, &res, true, |a, m, version| {
            if m.is_empty() {
                return;
            }
            if !wanted.is_empty() && wanted.contains(&a.idx) {
                reached.insert(a.idx);
            }
            if !set.is_granted(a.idx) {
                return;
            }
            if current.0 != version {
                current = (version, set.op(m));
            }
            let op = current.1;
            set.step(a.idx, op, |node| {
                // Whether the Deny can touch what is left of the grant.
                let relevant = |n: &Node<'_>| {
                    m.iter().any(|&(ri, covering)| {
                        let d = res[ri].val;
                        covering
                            || !d.is_known()
                            || n.resources.iter().any(|e| {
                                !e.r.is_known() || pattern::globs_overlap(&d.value, e.r.text())
                            })
                    })
                };
                if conditional {
                    if !relevant(node) {
                        return Next::Same;
                    }
                    let mut n = node.copy();
                    n.add_denial(stmt, policy);
                    return Next::New(n);
                }
                if m.iter().any(|&(ri, covering)| covering && res[ri].val.is_known()) {
                    return Next::Removed;
                }
                let covered = |e: &ResEntry<'_>| {
                    e.r.is_known()
                        && m.iter().any(|&(ri, _)| {
                            let d = res[ri].val;
                            d.is_known() && pattern::glob_covers(&d.value, e.r.text())
                        })
                };
                if !node.resources.iter().any(covered) && !relevant(node) {
                    return Next::Same;
                }
                let mut n = node.copy();
                let before = n.resources.len();
                n.resources.retain(|e| !covered(e));
                let denied = relevant(&n);
                n.after_removal(before, denied, stmt, policy)
            });
        });
        let unresolved_actions = stmt.actions.iter().any(|v| !v.is_known());
        self.check_mismatches(&res, &used, &exact, &reached, unresolved_actions);
    }

    /// The final grants, in catalog order, with owned values built once per node.
    fn materialise(&self, set: GrantSet<'_>) -> Vec<Grant<'c>> {
        // Per node, its first grant: the others are copies with their own
        // action, so a grant costs one reference count.
        let mut firsts: Vec<Option<Grant<'c>>> = Vec::new();
        firsts.resize_with(set.nodes.len(), || None);
        let mut out = Vec::with_capacity(set.state.iter().filter(|&&n| n != EMPTY).count());
        let mut counts: Vec<Arc<GrantLists>> = Vec::with_capacity(BATCH);
        for (service, &start) in self.catalog.services().iter().zip(self.starts.iter()) {
            let start = start as usize;
            let Some(states) = set.state.get(start..start + service.actions.len()) else { break };
            let mut at = 0;
            for run in states.chunk_by(|a, b| a == b) {
                let actions = service.actions.get(at..at + run.len()).unwrap_or(&[]);
                at += run.len();
                let Some(&node_id) = run.first() else { continue };
                if node_id == EMPTY {
                    continue;
                }
                let Some(first) = firsts.get_mut(node_id as usize) else { continue };
                let mut actions = actions.iter();
                if first.is_none() {
                    let node = &set.nodes[node_id as usize];
                    if node.resources.is_empty() {
                        continue;
                    }
                    let Some(action) = actions.next() else { continue };
                    let grant = Grant {
                        action: ActionRef { service, action },
                        unrestricted: node.unrestricted,
                        conditional: !node.unconditional,
                        unrestricted_conditional: node.unrestricted
                            && !node.unrestricted_unconditional,
                        lists: Arc::new(lists_of(node)),
                    };
                    *first = Some(grant.clone());
                    out.push(grant);
                }
                let Some(first) = first else { continue };
                // The reference counts of a batch are taken before its grants
                // are written: each count is an atomic operation, which
                // would otherwise wait for the write before it.
                let rest = actions.as_slice();
                for batch in rest.chunks(BATCH) {
                    counts.extend(batch.iter().map(|_| first.lists.clone()));
                    out.extend(batch.iter().zip(counts.drain(..)).map(|(action, lists)| Grant {
                        action: ActionRef { service, action },
                        lists,
                        ..*first
                    }));
                }
            }
        }
        out
    }
}

/// Grants built per batch in [`Engine::materialise`].
const BATCH: usize = 64;

/// The owned lists of a node, shared by its grants.
fn lists_of(node: &Node<'_>) -> GrantLists {
    GrantLists {
        resources: node.resources.iter().map(|e| e.r.to_val()).collect(),
        conditions: node.conditions.iter().map(|&c| c.clone()).collect(),
        statements: node.statements.iter().copied().collect(),
        policies: node.policies.iter().map(|p| p.to_string()).collect(),
        excluded: node.excluded.iter().map(|&v| v.clone()).collect(),
        denials: node
            .denials
            .iter()
            .map(|&(stmt, policy)| Denial {
                statement: stmt.span,
                policy: policy.to_string(),
                resources: stmt.resources.clone(),
                excluded: stmt.not_resources.clone().unwrap_or_default(),
                conditions: stmt.conditions.clone(),
            })
            .collect(),
    }
}

/// For each resource of a statement: whether it can match an ARN of the
/// resource type, and whether it reaches every ARN of it.
fn type_matches<'r>(
    ty: &'r TypeInfo,
    res: &'r [Prepared<'_>],
) -> impl Iterator<Item = (bool, bool)> + 'r {
    let service = ty.service.as_deref();
    res.iter().map(move |p| match &p.kind {
        ResourceKind::Star => (true, true),
        ResourceKind::Arn if p.service.is_some() && service.is_some() && p.service != service => {
            (false, false)
        }
        ResourceKind::Arn => {
            let Some(arn) = &p.arn else { return (false, false) };
            let m = ty.formats.iter().any(|f| pattern::arn_matches_prepared(arn, ty.bucket, f));
            (m, m && ty.formats.iter().all(|f| pattern::arn_covers_prepared(arn, f)))
        }
        ResourceKind::Unknown(Some(glob)) => {
            let arn = pattern::PreparedArn::new(glob);
            (ty.formats.iter().any(|f| pattern::arn_matches_prepared(&arn, ty.bucket, f)), false)
        }
        ResourceKind::Unknown(None) => (true, false),
        ResourceKind::Malformed => (false, false),
    })
}

/// Calls `f` for each selected action, in catalog order.
fn each<'c>(catalog: &'c Catalog, starts: &[u32], sel: &Selection, mut f: impl FnMut(Located<'c>)) {
    let services = catalog.services();
    match sel {
        Selection::All => {
            for (si, service) in services.iter().enumerate() {
                let start = starts[si];
                for (ai, action) in service.actions.iter().enumerate() {
                    f(Located { idx: start + ai as u32, si, ai, service, action });
                }
            }
        }
        Selection::Some(list) => {
            let mut si = 0;
            for &idx in list {
                si = service_from(starts, si, idx);
                let Some(service) = services.get(si) else { return };
                let ai = (idx - starts[si]) as usize;
                if let Some(action) = service.actions.get(ai) {
                    f(Located { idx, si, ai, service, action });
                }
            }
        }
    }
}

/// The service of the flat action `idx`, searching from service `si` on.
/// Selections are sorted, so the answer is mostly `si` itself; a jump
/// (the first action of `sts`, 400 services on) is a binary search, not a
/// walk.
fn service_from(starts: &[u32], si: usize, idx: u32) -> usize {
    match starts.get(si + 1..) {
        Some(rest) if rest.first().is_some_and(|&s| s <= idx) => {
            si + rest.partition_point(|&s| s <= idx)
        }
        _ => si,
    }
}

/// The services a selection touches.
fn services_of(starts: &[u32], sel: &Selection) -> Vec<usize> {
    match sel {
        Selection::All => (0..starts.len()).collect(),
        Selection::Some(list) => {
            let mut out: Vec<usize> = Vec::new();
            let mut si = 0;
            for &idx in list {
                si = service_from(starts, si, idx);
                if out.last() != Some(&si) {
                    out.push(si);
                }
            }
            out
        }
    }
}

/// The service part of an ARN (`s3` in `arn:aws:s3:::b`), when it holds
/// no wildcard or variable.
fn literal_service(arn: &str) -> Option<&str> {
    let part = arn.split(':').nth(2)?;
    (!part.contains(['*', '?', '$'])).then_some(part)
}

/// No resource type of that name in the service (inconsistent data).
const NO_TYPE: u32 = u32::MAX;

/// The resource types of each action as indices into its service's types,
/// looked up once per service and analyzer rather than once per action and
/// statement (names compare without case).
struct TypeTables {
    /// Per service: where its actions start in `per_action`, once built.
    built: Vec<Option<u32>>,
    /// Per action of a built service: range into `types`.
    per_action: Vec<(u32, u32)>,
    /// (resource type index or `NO_TYPE`, required).
    types: Vec<(u32, bool)>,
    /// Per service: number of its first resource type among all services'.
    type_starts: Vec<u32>,
    total_types: u32,
    /// Per type (numbered across services), once its service is built.
    type_info: Vec<TypeInfo>,
}

/// What matching needs of a resource type, prepared once per analyzer.
#[derive(Default, Clone)]
struct TypeInfo {
    /// The service part all its ARN formats share, when it is literal.
    service: Option<Box<str>>,
    /// Its ARN formats.
    formats: Box<[pattern::PreparedFormat]>,
    /// It is named `bucket` (S3 buckets never match a resource with `/`).
    bucket: bool,
}

impl TypeTables {
    fn new(catalog: &Catalog) -> Self {
        let mut type_starts = Vec::with_capacity(catalog.services().len());
        let mut total: u32 = 0;
        for s in catalog.services() {
            type_starts.push(total);
            total = total.saturating_add(u32::try_from(s.resources.len()).unwrap_or(u32::MAX));
        }
        TypeTables {
            built: vec![None; catalog.services().len()],
            per_action: Vec::new(),
            types: Vec::new(),
            type_starts,
            total_types: total,
            type_info: vec![TypeInfo::default(); total as usize],
        }
    }

    fn ensure(&mut self, catalog: &Catalog, si: usize) {
        let Some(service) = catalog.services().get(si) else { return };
        if self.built.get(si).is_none_or(Option::is_some) {
            return;
        }
        self.built[si] = Some(self.per_action.len() as u32);
        let first = self.type_starts[si] as usize;
        for (ti, rt) in service.resources.iter().enumerate() {
            let mut parts = rt.arns.iter().map(|f| literal_service(f));
            let shared = match parts.next() {
                Some(Some(part)) if parts.all(|p| p == Some(part)) => Some(part.into()),
                _ => None,
            };
            if let Some(slot) = self.type_info.get_mut(first + ti) {
                *slot = TypeInfo {
                    service: shared,
                    formats: rt.arns.iter().map(|f| pattern::PreparedFormat::new(f)).collect(),
                    bucket: rt.name.eq_ignore_ascii_case("bucket"),
                };
            }
        }
        for a in &service.actions {
            let start = self.types.len() as u32;
            for r in &a.resources {
                let ti = service
                    .resources
                    .iter()
                    .position(|t| t.name.eq_ignore_ascii_case(&r.name))
                    .map_or(NO_TYPE, |i| i as u32);
                self.types.push((ti, r.required));
            }
            self.per_action.push((start, self.types.len() as u32 - start));
        }
    }

    fn of(&self, si: usize, ai: usize) -> &[(u32, bool)] {
        let Some(Some(base)) = self.built.get(si) else { return &[] };
        let Some(&(start, len)) = self.per_action.get(*base as usize + ai) else { return &[] };
        self.types.get(start as usize..(start + len) as usize).unwrap_or(&[])
    }
}

/// Per statement: each resource type's matches, computed on first use.
#[derive(Default)]
struct TypeMemo {
    /// Per type (numbered across services): offset into `vals`, or `NONE`.
    slot: Vec<u32>,
    /// (matches, covers) per resource of the statement, per computed type.
    vals: Vec<(bool, bool)>,
    touched: Vec<u32>,
}

impl TypeMemo {
    /// Computes the matches of type `flat` (whose slot is empty) for every
    /// resource, returning their offset.
    fn compute(&mut self, flat: usize, ty: Option<&TypeInfo>, res: &[Prepared<'_>]) -> u32 {
        let o = self.vals.len() as u32;
        match ty {
            Some(ty) => self.vals.extend(type_matches(ty, res)),
            None => self.vals.extend(std::iter::repeat_n((false, false), res.len())),
        }
        if let Some(slot) = self.slot.get_mut(flat) {
            *slot = o;
            self.touched.push(flat as u32);
        }
        o
    }

    fn reset(&mut self, total_types: u32) {
        if self.slot.len() != total_types as usize {
            self.slot = vec![NONE; total_types as usize];
            self.touched.clear();
        }
        for t in self.touched.drain(..) {
            if let Some(s) = self.slot.get_mut(t as usize) {
                *s = NONE;
            }
        }
        self.vals.clear();
    }
}

const NONE: u32 = u32::MAX;

/// The nearest name within two edits (ASCII case ignored), for "did you mean".
fn nearest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let name: Vec<u8> = name.bytes().map(|b| b.to_ascii_lowercase()).collect();
    let mut best: Option<(usize, &str)> = None;
    let mut prev = Vec::new();
    let mut row = Vec::new();
    for cand in candidates {
        if cand.len().abs_diff(name.len()) > 2 {
            continue;
        }
        let c: Vec<u8> = cand.bytes().map(|b| b.to_ascii_lowercase()).collect();
        prev.clear();
        prev.extend(0..=c.len());
        for (i, &a) in name.iter().enumerate() {
            row.clear();
            row.push(i + 1);
            for (j, &b) in c.iter().enumerate() {
                let sub = prev[j] + usize::from(a != b);
                row.push(sub.min(prev[j + 1] + 1).min(row[j] + 1));
            }
            std::mem::swap(&mut prev, &mut row);
        }
        let d = prev[c.len()];
        if d <= 2 && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, cand));
        }
    }
    best.map(|(_, n)| n)
}

#[cfg(test)]
mod tests {
    use faasguard_model::{Effect, Origin, PolicyDocument, Statement, Val};
    use faasguard_source::{FileId, Span};

    use super::*;

    fn text(value: &str) -> Val<String> {
        Val { value: value.to_owned(), span: Span::file_start(FileId(0)), origin: Origin::Explicit }
    }

    #[test]
    fn grants_of_one_content_share_their_lists_until_one_is_written() {
        let statement = Statement {
            sid: None,
            effect: Val {
                value: Effect::Allow,
                span: Span::file_start(FileId(0)),
                origin: Origin::Explicit,
            },
            actions: vec![text("s3:Get*")],
            not_actions: None,
            resources: vec![text("*")],
            not_resources: None,
            principal: None,
            not_principal: None,
            conditions: Vec::new(),
            span: Span::file_start(FileId(0)),
        };
        let doc = PolicyDocument { statements: vec![statement], span: Span::file_start(FileId(0)) };
        let mut eff = of_documents(&[("p", &doc)], None, crate::catalog::catalog());
        assert!(eff.grants.len() > 2);
        assert!(eff.grants.windows(2).all(|w| Arc::ptr_eq(&w[0].lists, &w[1].lists)));
        let before = format!("{:?}", eff.grants[1]);
        eff.grants[0].policies = vec!["other".to_owned()].into();
        assert_eq!(eff.grants[0].policies.as_slice(), ["other"]);
        assert_eq!(eff.grants[1].policies.as_slice(), ["p"]);
        assert_eq!(format!("{:?}", eff.grants[1]), before);
        assert!(!Arc::ptr_eq(&eff.grants[0].lists, &eff.grants[1].lists));
    }
}
