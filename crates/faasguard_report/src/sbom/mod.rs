//! SBOMs: the packages of every lockfile, merged into one inventory and
//! written as CycloneDX 1.5 JSON ([`cyclonedx`]) or SPDX 2.3 JSON ([`spdx`]).
//!
//! Both writers read the same inventory, built here once, so the two
//! formats never disagree on what a project contains:
//!
//! - one entry per (ecosystem, name as the ecosystem compares it, version):
//!   the same package pinned by two lockfiles is one component that lists
//!   both lockfiles and every function that ships either;
//! - a package is development-only (CycloneDX scope `excluded`, SPDX
//!   `DEV_DEPENDENCY_OF`) only when every lockfile that lists it says so: if
//!   one function ships it, it is shipped;
//! - dependency edges come from [`Package::dependencies`], resolved by name
//!   inside the lockfile that states them (an exact version, else the
//!   highest installed copy a range allows), never across
//!   lockfiles, because another project may have installed another version;
//! - the application depends on the packages the lockfiles call direct, and
//!   on any package the graph does not reach otherwise (formats such as
//!   `requirements.txt` or `go.sum` state no edges), so every component is
//!   reachable from the root.
//!
//! A manifest (`package.json`, `pyproject.toml`, `pom.xml`) beside a
//! lockfile of the same ecosystem adds nothing: the lockfile says what is
//! installed, the manifest only what was asked for.
//!
//! Output is deterministic: the same input gives the same bytes. The
//! serial number and the SPDX namespace are derived from a SHA-256 of the
//! document itself (timestamp included, so two runs at different times get
//! different identifiers, as both specifications ask).

mod cyclonedx;
mod spdx;

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};

use faasguard_deps::{Ecosystem, Lockfile, Package, Source};
use sha2::{Digest, Sha256};
use time::format_description::BorrowedFormatItem;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

pub use cyclonedx::cyclonedx;
pub use spdx::spdx;

/// What an SBOM is written from.
#[derive(Debug, Clone, Copy)]
pub struct SbomInput<'a> {
    /// The application the SBOM describes (its root component or package).
    pub name: &'a str,
    /// The parsed lockfiles and manifests, in any order.
    pub lockfiles: &'a [Lockfile],
    /// Per lockfile (same index), the functions (`app/Function`) whose code
    /// ships it. Missing entries mean no function is known.
    pub shipped_by: &'a [Vec<String>],
    /// faasguard's version, recorded as the creating tool.
    pub tool_version: &'a str,
    /// When the SBOM was made, RFC 3339 (`2024-05-01T12:00:00Z`). Given by
    /// the caller so the output is reproducible; written in UTC without
    /// fractional seconds. When it is not RFC 3339, CycloneDX leaves the
    /// timestamp out and SPDX (where it is required) writes it as given.
    pub timestamp: &'a str,
}

/// One package of the merged inventory.
#[derive(Debug, Clone)]
pub(crate) struct Component {
    pub(crate) ecosystem: Ecosystem,
    /// The name as written; of spellings that compare equal, the least.
    pub(crate) name: String,
    /// Exact version, or empty when only requirements are known.
    pub(crate) version: String,
    /// The package URL, when it is a valid one (see [`valid_purl`]).
    pub(crate) purl: Option<String>,
    /// Requirements of unpinned entries (`^1.2.0`, `>=2,<3`).
    pub(crate) requirements: BTreeSet<String>,
    /// Development-only in every lockfile that lists it.
    pub(crate) dev: bool,
    /// Direct in at least one lockfile.
    pub(crate) direct: bool,
    /// npm `hasInstallScript` in at least one lockfile.
    pub(crate) install_script: bool,
    /// Every distinct origin (`Registry` included when it is one of them).
    pub(crate) sources: Vec<Source>,
    /// Display paths of the lockfiles that list it.
    pub(crate) lockfiles: BTreeSet<String>,
    /// Functions that ship it (from lockfiles where it is not dev-only).
    pub(crate) functions: BTreeSet<String>,
}

impl Component {
    /// Origins other than the registry, each as `kind:location`
    /// (`git:git+https://github.com/u/r.git#abc`, `path:../lib`,
    /// `url:https://host/x.tgz`); empty for registry-only packages. When a
    /// package comes both from the registry and elsewhere, `registry` is
    /// listed too, so the mix is visible.
    pub(crate) fn source_labels(&self) -> Vec<String> {
        if self.sources.iter().all(|s| *s == Source::Registry) {
            return Vec::new();
        }
        let mut labels: Vec<String> = self
            .sources
            .iter()
            .map(|s| match s {
                Source::Registry => "registry".to_string(),
                Source::Git { url } => format!("git:{url}"),
                Source::Path { path } => format!("path:{path}"),
                Source::Url { url } => format!("url:{url}"),
            })
            .collect();
        labels.sort();
        labels.dedup();
        labels
    }
}

/// The merged packages of all lockfiles, sorted, with the dependency graph.
#[derive(Debug, Clone, Default)]
pub(crate) struct Inventory {
    /// Sorted by ecosystem, compared name, version.
    pub(crate) components: Vec<Component>,
    /// Per component, the indices of its dependencies (sorted, no self).
    pub(crate) edges: Vec<Vec<usize>>,
    /// Indices the application itself depends on (sorted).
    pub(crate) root: Vec<usize>,
}

/// The merge key: ecosystem, name as the ecosystem compares it, version.
type Key = (Ecosystem, String, String);

impl Inventory {
    pub(crate) fn build(input: &SbomInput<'_>) -> Inventory {
        let used = used_lockfiles(input.lockfiles);

        // One slot per key, in order of first appearance, and for every
        // package of every lockfile the slot it went to.
        let mut slot_of: HashMap<Key, usize> = HashMap::new();
        let mut keys: Vec<Key> = Vec::new();
        let mut slots: Vec<Slot> = Vec::new();
        let mut package_slots: Vec<Vec<usize>> = vec![Vec::new(); input.lockfiles.len()];
        for (li, lock) in input.lockfiles.iter().enumerate() {
            if !used[li] {
                continue;
            }
            let nodes = &mut package_slots[li];
            nodes.reserve(lock.packages.len());
            for pkg in &lock.packages {
                let k = key(pkg);
                let s = match slot_of.get(&k) {
                    Some(&s) => s,
                    None => {
                        let s = slots.len();
                        slots.push(Slot::new(pkg, &k.2));
                        keys.push(k.clone());
                        slot_of.insert(k, s);
                        s
                    }
                };
                slots[s].add(pkg, li);
                nodes.push(s);
            }
        }

        // Components in key order; `rank[slot]` is a slot's final index.
        let mut order: Vec<usize> = (0..slots.len()).collect();
        order.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
        let mut rank = vec![0usize; slots.len()];
        for (new, &old) in order.iter().enumerate() {
            rank[old] = new;
        }

        let mut edges: Vec<Vec<usize>> = vec![Vec::new(); slots.len()];
        let mut direct: BTreeSet<usize> = BTreeSet::new();
        for (li, lock) in input.lockfiles.iter().enumerate() {
            if !used[li] {
                continue;
            }
            let nodes = &package_slots[li];
            // This lockfile's packages: the only targets its dependency
            // lists may name.
            let mut targets = Targets::default();
            for &s in nodes {
                targets.add(&keys[s], rank[s]);
            }
            for (pkg, &s) in lock.packages.iter().zip(nodes) {
                let from = rank[s];
                if pkg.direct {
                    direct.insert(from);
                }
                for (dep_name, wanted) in &pkg.dependencies {
                    let name = pkg.ecosystem.normalize(dep_name);
                    if let Some(to) = targets.resolve(pkg.ecosystem, &name, wanted)
                        && to != from
                    {
                        edges[from].push(to);
                    }
                }
            }
        }
        for list in &mut edges {
            list.sort_unstable();
            list.dedup();
        }
        let root = root_edges(&edges, direct);

        let mut slots: Vec<Option<Slot>> = slots.into_iter().map(Some).collect();
        let components =
            order.iter().filter_map(|&s| slots[s].take()).map(|slot| slot.finish(input)).collect();
        Inventory { components, edges, root }
    }
}

/// A component being merged: the lockfiles listing it and those where it
/// is shipped (not dev-only) are kept as indices, and turned into paths
/// and functions once at the end rather than copied per package.
struct Slot {
    component: Component,
    listed: BTreeSet<usize>,
    shipped: BTreeSet<usize>,
}

impl Slot {
    fn new(pkg: &Package, version: &str) -> Slot {
        Slot {
            component: Component {
                ecosystem: pkg.ecosystem,
                name: pkg.name.clone(),
                version: version.to_string(),
                purl: valid_purl(&pkg.purl()),
                requirements: BTreeSet::new(),
                dev: true,
                direct: false,
                install_script: false,
                sources: Vec::new(),
                lockfiles: BTreeSet::new(),
                functions: BTreeSet::new(),
            },
            listed: BTreeSet::new(),
            shipped: BTreeSet::new(),
        }
    }

    fn add(&mut self, pkg: &Package, lockfile: usize) {
        let c = &mut self.component;
        // Spellings that compare equal (`PyYAML`, `pyyaml`): the least one,
        // so the output does not depend on the order of the lockfiles.
        if pkg.name < c.name {
            c.name.clone_from(&pkg.name);
        }
        c.dev &= pkg.dev;
        c.direct |= pkg.direct;
        c.install_script |= pkg.install_script;
        if !pkg.pinned()
            && let Some(req) = pkg.requirement.as_deref().map(str::trim)
            && !req.is_empty()
        {
            c.requirements.insert(req.to_string());
        }
        if !c.sources.contains(&pkg.source) {
            c.sources.push(pkg.source.clone());
        }
        self.listed.insert(lockfile);
        if !pkg.dev {
            self.shipped.insert(lockfile);
        }
    }

    fn finish(self, input: &SbomInput<'_>) -> Component {
        let mut c = self.component;
        c.lockfiles = self
            .listed
            .iter()
            .filter_map(|&li| input.lockfiles.get(li).map(|l| l.path.clone()))
            .collect();
        c.functions = self
            .shipped
            .iter()
            .flat_map(|&li| input.shipped_by.get(li).map(Vec::as_slice).unwrap_or(&[]))
            .cloned()
            .collect();
        c
    }
}

fn key(pkg: &Package) -> Key {
    (pkg.ecosystem, pkg.ecosystem.normalize(&pkg.name), pkg.version.trim().to_string())
}

/// Which lockfiles contribute packages: all but a manifest that has a
/// lockfile of its ecosystem in the same directory.
fn used_lockfiles(lockfiles: &[Lockfile]) -> Vec<bool> {
    fn dir(path: &str) -> &str {
        path.rfind('/').map_or("", |i| &path[..i])
    }
    let locked: HashSet<(&str, Ecosystem)> = lockfiles
        .iter()
        .filter(|l| !l.kind.is_manifest())
        .map(|l| (dir(&l.path), l.kind.ecosystem()))
        .collect();
    lockfiles
        .iter()
        .map(|l| !l.kind.is_manifest() || !locked.contains(&(dir(&l.path), l.kind.ecosystem())))
        .collect()
}

/// The direct packages, plus, in index order, every package that neither
/// the root nor a package added before reaches through the edges.
fn root_edges(edges: &[Vec<usize>], direct: BTreeSet<usize>) -> Vec<usize> {
    let mut reached = vec![false; edges.len()];
    let mut stack: Vec<usize> = Vec::new();
    let mut visit = |start: usize, reached: &mut Vec<bool>| {
        if reached[start] {
            return;
        }
        reached[start] = true;
        stack.push(start);
        while let Some(n) = stack.pop() {
            for &m in &edges[n] {
                if !reached[m] {
                    reached[m] = true;
                    stack.push(m);
                }
            }
        }
    };
    for &d in &direct {
        visit(d, &mut reached);
    }
    let mut root = direct;
    for i in 0..edges.len() {
        if !reached[i] {
            root.insert(i);
            visit(i, &mut reached);
        }
    }
    root.into_iter().collect()
}

/// Most installed copies of one name among which a range is evaluated: a
/// real lockfile has a handful; a hostile one with thousands would make
/// every dependency entry scan them all. Past it only an exact version
/// links.
const MAX_RANGE_CANDIDATES: usize = 64;

/// A lockfile's packages as dependency targets: by compared name (with
/// versions read once), and by name and exact version.
#[derive(Default)]
struct Targets<'k> {
    by_name: HashMap<(Ecosystem, &'k str), Vec<(usize, Ver)>>,
    exact: HashMap<(Ecosystem, &'k str, &'k str), usize>,
}

impl<'k> Targets<'k> {
    fn add(&mut self, key: &'k Key, index: usize) {
        let (eco, name, version) = key;
        if self.exact.insert((*eco, name, version), index).is_none() {
            self.by_name.entry((*eco, name)).or_default().push((index, Ver::parse(version)));
        }
    }

    /// The package a dependency entry `(name, wanted)` points at:
    ///
    /// 1. the only package of that name, when there is one (the format
    ///    resolved it);
    /// 2. the one whose version is exactly `wanted` (pnpm, Cargo, uv);
    /// 3. when `wanted` is a range (package-lock, yarn, poetry): the highest
    ///    one that satisfies it, which is what npm and pip install when
    ///    several copies exist. An unsatisfied or unreadable range gives no
    ///    edge rather than a guessed one.
    fn resolve(&self, eco: Ecosystem, name: &str, wanted: &str) -> Option<usize> {
        let candidates = self.by_name.get(&(eco, name))?;
        if let [(only, _)] = candidates.as_slice() {
            return Some(*only);
        }
        let wanted = wanted.trim();
        let exact = wanted.trim_start_matches('=').trim();
        for v in [wanted, exact] {
            if !v.is_empty()
                && let Some(&i) = self.exact.get(&(eco, name, v))
            {
                return Some(i);
            }
        }
        if candidates.len() > MAX_RANGE_CANDIDATES {
            return None;
        }
        let range = Range::parse(eco, wanted);
        candidates
            .iter()
            .filter(|(_, v)| v.is_valid() && range.contains(v))
            .max_by(|a, b| cmp_versions(&a.1, &b.1))
            .map(|&(i, _)| i)
    }
}

/// A version read loosely, only to compare candidates: epoch, numeric
/// release parts, and whether a pre-release or post-release tag follows.
#[derive(Debug, Clone, PartialEq)]
struct Ver {
    epoch: u64,
    release: Vec<u64>,
    /// -1: pre-release (`-rc.1`, `a1`, `.dev0`); 0: none; 1: post (`.post1`).
    tag: i8,
    /// The tag's text, compared as a tie-break.
    tag_text: String,
}

impl Ver {
    fn parse(text: &str) -> Ver {
        let t = text.trim().trim_start_matches(['v', 'V']);
        let (epoch, t) = match t.split_once('!') {
            Some((e, rest)) if !e.is_empty() && e.chars().all(|c| c.is_ascii_digit()) => {
                (e.parse().unwrap_or(u64::MAX), rest)
            }
            _ => (0, t),
        };
        let end = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
        let (nums, rest) = t.split_at(end);
        let release = nums
            .split('.')
            .filter(|p| !p.is_empty())
            .map(|p| p.parse().unwrap_or(u64::MAX))
            .collect();
        // `+build` metadata never orders (semver); a local version (`+cpu`)
        // orders after, which is rare enough to ignore here.
        let rest = rest.split('+').next().unwrap_or("");
        let rest = rest.trim_start_matches(['-', '.', '_']);
        let lower = rest.to_ascii_lowercase();
        let tag = if rest.is_empty() {
            0
        } else if !lower.starts_with("rc")
            && (lower.starts_with("post") || lower.starts_with("rev") || lower.starts_with('r'))
        {
            1
        } else {
            -1
        };
        Ver { epoch, release, tag, tag_text: lower }
    }

    /// Whether the text was a version at all (a release number).
    fn is_valid(&self) -> bool {
        !self.release.is_empty()
    }

    /// The first version above every version that starts with the
    /// release parts up to `at` (`1.2.3` at 1 gives the lowest `1.3`).
    fn bump(&self, at: usize) -> Ver {
        let end = at.min(self.release.len().saturating_sub(1));
        let mut release: Vec<u64> = self.release.iter().take(end + 1).copied().collect();
        if let Some(last) = release.last_mut() {
            *last = last.saturating_add(1);
        }
        Ver { epoch: self.epoch, release, tag: -1, tag_text: String::new() }
    }
}

fn cmp_versions(a: &Ver, b: &Ver) -> std::cmp::Ordering {
    let len = a.release.len().max(b.release.len());
    let part = |v: &Ver, i: usize| v.release.get(i).copied().unwrap_or(0);
    a.epoch
        .cmp(&b.epoch)
        .then_with(|| {
            (0..len)
                .map(|i| part(a, i).cmp(&part(b, i)))
                .find(|o| o.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
        })
        .then_with(|| a.tag.cmp(&b.tag))
        .then_with(|| a.tag_text.cmp(&b.tag_text))
}

/// One end of an interval: the version and whether it is included.
type Bound = Option<(Ver, bool)>;

/// One comparator as the interval it allows (or, for `!=`, excludes).
#[derive(Debug, Clone)]
enum Constraint {
    In(Bound, Bound),
    NotIn(Bound, Bound),
    Never,
}

/// A version range in npm or PEP 440 syntax, read once and checked
/// against many versions: `||` alternatives, each a set of comparators
/// separated by spaces or commas (`^`, `~`, `~=`, `>=`, `>`, `<=`, `<`,
/// `=`, `==`, `!=`), `x`/`*` wildcards and partial versions, `a - b`
/// hyphen ranges, PEP 440 `==1.2.*`. Pre-releases are ordered, not
/// excluded. Anything unreadable allows nothing.
#[derive(Debug, Clone)]
struct Range(Vec<Vec<Constraint>>);

impl Range {
    fn parse(eco: Ecosystem, text: &str) -> Range {
        Range(text.split("||").map(|alt| Self::alternative(eco, alt.trim())).collect())
    }

    fn alternative(eco: Ecosystem, alt: &str) -> Vec<Constraint> {
        if matches!(alt, "" | "*" | "x" | "X" | "latest") {
            return vec![Constraint::In(None, None)];
        }
        if let Some((lo, hi)) = alt.split_once(" - ") {
            return vec![
                constraint(eco, &format!(">={}", lo.trim())),
                constraint(eco, &format!("<={}", hi.trim())),
            ];
        }
        // Operators may stand apart from their version (`>= 1.2`): join them.
        let mut tokens: Vec<String> = Vec::new();
        for raw in alt.split([' ', ',']).filter(|t| !t.is_empty()) {
            match tokens.last_mut() {
                Some(last) if last.chars().all(|c| "<>=!~^".contains(c)) => last.push_str(raw),
                _ => tokens.push(raw.to_string()),
            }
        }
        if tokens.is_empty() {
            return vec![Constraint::Never];
        }
        tokens.iter().map(|t| constraint(eco, t)).collect()
    }

    fn contains(&self, v: &Ver) -> bool {
        let within = |v: &Ver, lo: &Bound, hi: &Bound| {
            let above = lo.as_ref().is_none_or(|(b, inclusive)| {
                let o = cmp_versions(v, b);
                o.is_gt() || (*inclusive && o.is_eq())
            });
            let below = hi.as_ref().is_none_or(|(b, inclusive)| {
                let o = cmp_versions(v, b);
                o.is_lt() || (*inclusive && o.is_eq())
            });
            above && below
        };
        self.0.iter().any(|alt| {
            alt.iter().all(|c| match c {
                Constraint::In(lo, hi) => within(v, lo, hi),
                Constraint::NotIn(lo, hi) => !within(v, lo, hi),
                Constraint::Never => false,
            })
        })
    }
}

fn constraint(eco: Ecosystem, token: &str) -> Constraint {
    let op_len = token.find(|c: char| !"<>=!~^".contains(c)).unwrap_or(token.len());
    let (op, text) = token.split_at(op_len);
    let text = text.trim().trim_start_matches(['v', 'V']);
    // A partial or wildcard version: the parts that are given.
    let wildcard = text.ends_with(".*") || text.split('.').any(|p| matches!(p, "x" | "X" | "*"));
    let given: Vec<&str> =
        text.split('.').take_while(|p| !matches!(*p, "x" | "X" | "*" | "")).collect();
    let bound = Ver::parse(&given.join("."));
    if !bound.is_valid() {
        let everything = matches!(text, "*" | "x" | "X") && matches!(op, "" | "=" | ">=");
        return if everything { Constraint::In(None, None) } else { Constraint::Never };
    }
    let partial = wildcard || (eco == Ecosystem::Npm && given.len() < 3 && bound.tag == 0);
    let n = bound.release.len();
    let at_least = |b: &Ver| Some((b.clone(), true));
    let below = |b: Ver| Some((b, false));
    let prefix = || Constraint::In(at_least(&bound), below(bound.bump(n - 1)));
    match op {
        "" | "=" | "==" | "===" if partial => prefix(),
        "" | "=" | "==" | "===" => Constraint::In(at_least(&bound), at_least(&bound)),
        "!=" if partial => Constraint::NotIn(at_least(&bound), below(bound.bump(n - 1))),
        "!=" => Constraint::NotIn(at_least(&bound), at_least(&bound)),
        ">=" => Constraint::In(at_least(&bound), None),
        ">" if partial => Constraint::In(at_least(&bound.bump(n - 1)), None),
        ">" => Constraint::In(Some((bound, false)), None),
        "<=" if partial => Constraint::In(None, below(bound.bump(n - 1))),
        "<=" => Constraint::In(None, at_least(&bound)),
        "<" => Constraint::In(None, below(bound)),
        "^" => {
            // Up to the next change of the first non-zero part given.
            let first = bound.release.iter().position(|&p| p != 0).unwrap_or(n - 1);
            let at = if partial && first + 1 >= n { n - 1 } else { first.min(n - 1) };
            Constraint::In(at_least(&bound), below(bound.bump(at)))
        }
        // npm: patch-level changes if a minor is given, else minor-level.
        "~" => Constraint::In(at_least(&bound), below(bound.bump(usize::from(n >= 2)))),
        // PEP 440 compatible release: the last given part may grow.
        "~=" if n >= 2 => Constraint::In(at_least(&bound), below(bound.bump(n - 2))),
        _ => Constraint::Never,
    }
}

/// `purl` when a package-URL parser accepts it and it has nothing that
/// would change its meaning or break a locator: no whitespace (SPDX
/// locators may not have any), no `?` or `#` (qualifiers and subpath,
/// which [`Package::purl`] never writes, so they came from the name), no
/// quotes, backslashes or other characters a URL never carries raw.
/// `None` for the odd name that breaks it, so one bad entry never makes
/// the whole document invalid or misleading.
pub(crate) fn valid_purl(purl: &str) -> Option<String> {
    use cyclonedx_bom::external_models::uri::{Purl, validate_purl};
    if purl.chars().any(|c| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, '?' | '#' | '"' | '\\' | '<' | '>' | '{' | '}' | '|' | '^' | '`')
    }) {
        return None;
    }
    let parsed: Purl = purl.parse().ok()?;
    validate_purl(&parsed).ok().map(|()| purl.to_string())
}

/// A git source as a repository a VCS client can clone, and the revision
/// it pins, from the forms lockfiles write: `git+https://host/r.git#sha`
/// (npm, Cargo; a query such as `?branch=main` is dropped), pip's
/// `git+https://host/r.git@v1.0#egg=name`, and npm's `github:user/repo`
/// (also `gitlab:`, `bitbucket:`). `None` for what is not a URL with a
/// scheme (`git@host:user/repo`, a bare `user/repo`): those stay recorded
/// as written in the `source` property only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GitLocation {
    pub(crate) repo: String,
    pub(crate) revision: Option<String>,
}

pub(crate) fn git_location(url: &str) -> Option<GitLocation> {
    let url = url.trim();
    if url.is_empty() || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let url = url.strip_prefix("git+").unwrap_or(url);
    let (url, fragment) = url.split_once('#').map_or((url, None), |(u, f)| (u, Some(f)));
    let mut repo =
        [("github:", "github.com"), ("gitlab:", "gitlab.com"), ("bitbucket:", "bitbucket.org")]
            .iter()
            .find_map(|(prefix, host)| {
                url.strip_prefix(prefix).map(|path| format!("https://{host}/{path}"))
            })
            .unwrap_or_else(|| url.to_string());
    let scheme_end = repo.find("://")?;
    if scheme_end == 0
        || !repo[..scheme_end]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return None;
    }
    if let Some(q) = repo.find('?') {
        repo.truncate(q);
    }
    let revision_like = |r: &str| {
        !r.is_empty()
            && r.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/'))
    };
    let mut revision = fragment.filter(|f| revision_like(f)).map(str::to_string);
    // pip writes the revision after an `@` in the path (not the user's `@`).
    let after = scheme_end + 3;
    if let Some(path_start) = repo[after..].find('/').map(|i| after + i)
        && let Some(at) = repo[path_start..].rfind('@').map(|i| path_start + i)
    {
        let rev = repo[at + 1..].to_string();
        repo.truncate(at);
        if revision.is_none() && revision_like(&rev) {
            revision = Some(rev);
        }
    }
    valid_url(&repo)?;
    Some(GitLocation { repo, revision })
}

/// `url` when it is an absolute URL (a scheme and `://`) that parses as
/// RFC 3986, with no whitespace: what both formats accept as a location.
pub(crate) fn valid_url(url: &str) -> Option<String> {
    use cyclonedx_bom::external_models::uri::Uri;
    let url = url.trim();
    let scheme_end = url.find("://")?;
    if scheme_end == 0
        || !url[..scheme_end]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        || url.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return None;
    }
    Uri::try_from(url.to_string()).ok().map(|_| url.to_string())
}

/// An RFC 9562 version-8 UUID (the version for custom, here SHA-256
/// name-based, identifiers), from the hash of `content`.
pub(crate) fn content_uuid(content: &[u8]) -> String {
    let digest = Sha256::digest(content);
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// Identifiers handed out once each: a label already taken gets the
/// first free `-2`, `-3`, ... suffix. The next suffix to try is kept per
/// label, so many entries that sanitize to one label (names that differ
/// only in characters an identifier cannot hold) cost linear time, not
/// quadratic.
#[derive(Debug, Default)]
pub(crate) struct Labels {
    used: HashSet<String>,
    next: HashMap<String, usize>,
}

impl Labels {
    pub(crate) fn unique(&mut self, label: String) -> String {
        if !self.used.contains(&label) {
            self.used.insert(label.clone());
            return label;
        }
        let n = self.next.entry(label.clone()).or_insert(2);
        loop {
            let candidate = format!("{label}-{n}");
            *n += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// An RFC 3339 date-time as `YYYY-MM-DDThh:mm:ssZ` in UTC (the form SPDX
/// requires and CycloneDX accepts), or `None` when it is not one.
pub(crate) fn utc_timestamp(text: &str) -> Option<String> {
    const UTC_SECONDS: &[BorrowedFormatItem<'_>] =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    let text = text.trim();
    // `time` takes any byte between date and time; RFC 3339 allows `T`,
    // and names a space as the one other choice.
    if !matches!(text.as_bytes().get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    // A leap second is written as the last ordinary one, whatever the
    // minute: `time` would reject `:60` anywhere but at a month's end UTC.
    let text = match text.get(17..19) {
        Some("60") => Cow::Owned(format!("{}59{}", &text[..17], &text[19..])),
        _ => Cow::Borrowed(text),
    };
    let utc = OffsetDateTime::parse(&text, &Rfc3339).ok()?.checked_to_offset(UtcOffset::UTC)?;
    // Four-digit years only, as both formats' `date-time` requires.
    if !(0..=9999).contains(&utc.year()) {
        return None;
    }
    utc.format(UTC_SECONDS).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sat(eco: Ecosystem, v: &str, r: &str) -> bool {
        let v = Ver::parse(v);
        v.is_valid() && Range::parse(eco, r).contains(&v)
    }

    #[test]
    fn npm_ranges() {
        let npm = Ecosystem::Npm;
        assert!(sat(npm, "2.1.3", "^2.1.1"));
        assert!(!sat(npm, "3.0.0", "^2.1.1"));
        assert!(!sat(npm, "2.1.0", "^2.1.1"));
        assert!(sat(npm, "0.2.9", "^0.2.3"));
        assert!(!sat(npm, "0.3.0", "^0.2.3"));
        assert!(sat(npm, "0.0.3", "^0.0.3"));
        assert!(!sat(npm, "0.0.4", "^0.0.3"));
        assert!(sat(npm, "1.9.0", "^1.x"));
        assert!(sat(npm, "1.2.9", "~1.2.3"));
        assert!(!sat(npm, "1.3.0", "~1.2.3"));
        assert!(sat(npm, "1.9.9", "~1"));
        assert!(sat(npm, "1.2.7", "1.2.x"));
        assert!(sat(npm, "1.2.7", "1.2"));
        assert!(!sat(npm, "1.3.0", "1.2"));
        assert!(sat(npm, "2.0.0", ">=1.0.0 <3"));
        assert!(!sat(npm, "3.0.0", ">=1.0.0 <3"));
        assert!(sat(npm, "4.1.0", "^2.0.0 || ^4.0.0"));
        assert!(sat(npm, "1.5.0", "1.2.3 - 2.3.4"));
        assert!(!sat(npm, "2.3.5", "1.2.3 - 2.3.4"));
        assert!(sat(npm, "5.0.0", "*"));
        assert!(sat(npm, "1.0.0-rc.1", "<1.0.0"));
        assert!(!sat(npm, "1.0.0", "<1.0.0"));
        assert!(!sat(npm, "not-a-version", "^1.0.0"));
        assert!(!sat(npm, "1.0.0", "github:user/repo"));
    }

    #[test]
    fn pep440_ranges() {
        let py = Ecosystem::PyPI;
        assert!(sat(py, "2.31.0", ">=2.0,<3"));
        assert!(!sat(py, "3.0", ">=2.0,<3"));
        assert!(sat(py, "1.4.5", "~=1.4.2"));
        assert!(!sat(py, "1.5.0", "~=1.4.2"));
        assert!(sat(py, "1.9", "~=1.4"));
        assert!(!sat(py, "2.0", "~=1.4"));
        assert!(sat(py, "1.2.7", "==1.2.*"));
        assert!(!sat(py, "1.3", "==1.2.*"));
        assert!(sat(py, "1.2.0", "==1.2"));
        assert!(!sat(py, "1.2.1", "==1.2"));
        assert!(sat(py, "1.3", "!=1.2.*"));
        assert!(sat(py, "1.0.post1", ">1.0"));
        assert!(sat(py, "1!0.5", ">=2.0"));
        assert!(sat(py, "2.0", ">= 1.0, < 3.0"));
    }

    #[test]
    fn resolves_among_copies() {
        let npm = Ecosystem::Npm;
        let keys: Vec<Key> = ["2.0.0", "2.1.3", "3.1.0"]
            .iter()
            .map(|v| (npm, "ms".to_string(), v.to_string()))
            .collect();
        let mut t = Targets::default();
        for (i, k) in keys.iter().enumerate() {
            t.add(k, i);
        }
        assert_eq!(t.resolve(npm, "ms", "2.1.3"), Some(1));
        assert_eq!(t.resolve(npm, "ms", "=2.1.3"), Some(1));
        assert_eq!(t.resolve(npm, "ms", "^2.0.0"), Some(1));
        assert_eq!(t.resolve(npm, "ms", "^3.0.0"), Some(2));
        assert_eq!(t.resolve(npm, "ms", "~2.0.0"), Some(0));
        assert_eq!(t.resolve(npm, "ms", "^4.0.0"), None);
        assert_eq!(t.resolve(npm, "ms", "file:../x"), None);
        assert_eq!(t.resolve(npm, "other", "1.0.0"), None);
        let one = (npm, "debug".to_string(), "1.0.0".to_string());
        t.add(&one, 7);
        assert_eq!(t.resolve(npm, "debug", "^9"), Some(7), "the only copy is the one");

        // Past the cap only an exact version links.
        let many: Vec<Key> = (0..=MAX_RANGE_CANDIDATES)
            .map(|i| (npm, "x".to_string(), format!("1.0.{i}")))
            .collect();
        let mut t = Targets::default();
        for (i, k) in many.iter().enumerate() {
            t.add(k, i);
        }
        assert_eq!(t.resolve(npm, "x", "1.0.3"), Some(3));
        assert_eq!(t.resolve(npm, "x", "^1.0.0"), None);
    }

    #[test]
    fn timestamps_normalise_to_utc() {
        assert_eq!(utc_timestamp("2024-05-01T12:00:00Z").as_deref(), Some("2024-05-01T12:00:00Z"));
        assert_eq!(
            utc_timestamp("2024-05-01T12:00:00.123456Z").as_deref(),
            Some("2024-05-01T12:00:00Z")
        );
        assert_eq!(
            utc_timestamp("2024-03-01T01:30:00+02:00").as_deref(),
            Some("2024-02-29T23:30:00Z")
        );
        assert_eq!(
            utc_timestamp("2023-12-31T23:00:00-01:30").as_deref(),
            Some("2024-01-01T00:30:00Z")
        );
        assert_eq!(utc_timestamp("2016-12-31t23:59:60z").as_deref(), Some("2016-12-31T23:59:59Z"));
        for bad in [
            "",
            "yesterday",
            "2024-02-30T00:00:00Z",
            "2024-05-01T12:00:00",
            "2024-05-01T25:00:00Z",
            "2024-05-01T12:00:00+2:00",
            "2024-05-01T12:00:00.Z",
            "２０２４-05-01T12:00:00Z",
        ] {
            assert_eq!(utc_timestamp(bad), None, "{bad}");
        }
    }

    #[test]
    fn git_locations() {
        let loc = |u: &str| git_location(u).map(|g| (g.repo, g.revision));
        let some = |r: &str, v: Option<&str>| Some((r.to_string(), v.map(str::to_string)));
        assert_eq!(
            loc("git+https://github.com/u/r.git#0123abc"),
            some("https://github.com/u/r.git", Some("0123abc"))
        );
        assert_eq!(
            loc("git+https://github.com/u/r?branch=main#0123abc"),
            some("https://github.com/u/r", Some("0123abc"))
        );
        assert_eq!(
            loc("git+https://github.com/u/r.git@v1.0#egg=r"),
            some("https://github.com/u/r.git", Some("v1.0"))
        );
        assert_eq!(
            loc("git+ssh://git@github.com/u/r.git#abc"),
            some("ssh://git@github.com/u/r.git", Some("abc"))
        );
        assert_eq!(loc("github:u/r#semver:^1.0"), some("https://github.com/u/r", None));
        assert_eq!(loc("git@github.com:u/r.git"), None);
        assert_eq!(loc("u/r"), None);
        assert_eq!(loc("git+https://exa mple.com/r"), None);
        assert_eq!(loc(""), None);
    }

    #[test]
    fn uuid_shape() {
        let u = content_uuid(b"x");
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "8");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
        assert_ne!(u, content_uuid(b"y"));
    }

    #[test]
    fn unique_labels() {
        let mut labels = Labels::default();
        assert_eq!(labels.unique("a".into()), "a");
        assert_eq!(labels.unique("a-3".into()), "a-3");
        assert_eq!(labels.unique("a".into()), "a-2");
        assert_eq!(labels.unique("a".into()), "a-4", "a-3 was taken");
        assert_eq!(labels.unique("a-2".into()), "a-2-2");
    }
}
