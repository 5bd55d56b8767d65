//! Version parsing and ordering, per ecosystem.
//!
//! OSV ranges are only as exact as the ordering they are evaluated with, so
//! each ecosystem gets its own:
//!
//! - `SEMVER` ranges of any ecosystem, and `ECOSYSTEM` ranges of npm,
//!   crates.io and Go: SemVer 2.0 precedence. Parsed with the `semver` crate
//!   (its `Version` parser only: its `VersionReq` speaks Cargo's range
//!   dialect, which OSV events are not). Build metadata is ignored, as
//!   SemVer 2.0 section 10 says, which `semver::Version`'s own `Ord` does
//!   not do, so we compare our own key. A leading `v` is stripped (Go module
//!   versions carry it; OSV events do not). Strings npm accepts but SemVer
//!   does not (`1.2.3rc1`, `01.2.3`) go through `nodejs_semver`'s loose
//!   parser, and only when the core has exactly three numbers, because that
//!   parser silently drops a fourth (`1.2.3.4` would become `1.2.3`).
//! - PyPI: PEP 440 (`pep440_rs`), so `1.0 == 1.0.0`, epochs, `.post`,
//!   `.dev` and `rc` order as pip orders them.
//! - Maven: Maven's `ComparableVersion` ordering, written here because no
//!   maintained crate implements it (the `maven-version`-like crates on
//!   crates.io are unmaintained or implement plain SemVer).
//! - Every other ecosystem: no ordering is known, so `ECOSYSTEM` ranges are
//!   not evaluated and only the exact `versions` list can match.
//!
//! Nothing here panics on any input; strings longer than [`MAX_VERSION_LEN`]
//! are not versions.

use std::cmp::Ordering;
use std::str::FromStr;

/// Longer strings are rejected before parsing: no real version is this
/// long, and it bounds the Maven item nesting (one level per `-`).
pub const MAX_VERSION_LEN: usize = 256;

/// How the versions of a range are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// SemVer 2.0 precedence (npm, crates.io, Go; every `SEMVER` range).
    SemVer,
    /// PEP 440 (PyPI).
    Pep440,
    /// Maven's `ComparableVersion`.
    Maven,
}

impl Scheme {
    /// The ordering of `ECOSYSTEM` ranges in `ecosystem` (OSV spelling; a
    /// `:suffix` such as `Maven:https://repo` is ignored); `None` when the
    /// ecosystem's ordering is not implemented.
    pub fn of_ecosystem(ecosystem: &str) -> Option<Scheme> {
        match base_ecosystem(ecosystem) {
            "npm" | "crates.io" | "Go" => Some(Scheme::SemVer),
            "PyPI" => Some(Scheme::Pep440),
            "Maven" => Some(Scheme::Maven),
            _ => None,
        }
    }

    /// The ordering of a range of type `kind` (`SEMVER`, `ECOSYSTEM`,
    /// `GIT`) in `ecosystem`; `None` for `GIT` ranges (commit hashes need
    /// the repository) and unknown orderings.
    pub fn of_range(kind: &str, ecosystem: &str) -> Option<Scheme> {
        match kind {
            "SEMVER" => Some(Scheme::SemVer),
            "ECOSYSTEM" => Scheme::of_ecosystem(ecosystem),
            _ => None,
        }
    }

    /// Parses `text` in this scheme; `None` when it is not a version of it.
    pub fn parse(self, text: &str) -> Option<Version> {
        if text.len() > MAX_VERSION_LEN {
            return None;
        }
        match self {
            Scheme::SemVer => parse_semver(text).map(Version::SemVer),
            Scheme::Pep440 => pep440_rs::Version::from_str(text.trim()).ok().map(Version::Pep440),
            Scheme::Maven => MavenVersion::parse(text).map(Version::Maven),
        }
    }
}

/// The ecosystem without its `:suffix` (`Maven:https://...` -> `Maven`).
pub(crate) fn base_ecosystem(ecosystem: &str) -> &str {
    ecosystem.split(':').next().unwrap_or(ecosystem)
}

/// A parsed version of one [`Scheme`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Version {
    SemVer(SemVer),
    Pep440(pep440_rs::Version),
    Maven(MavenVersion),
}

impl Version {
    /// The order of two versions of the same scheme; `None` across schemes.
    pub fn compare(&self, other: &Version) -> Option<Ordering> {
        match (self, other) {
            (Version::SemVer(a), Version::SemVer(b)) => Some(a.cmp(b)),
            (Version::Pep440(a), Version::Pep440(b)) => Some(a.cmp(b)),
            (Version::Maven(a), Version::Maven(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }
}

/// Compares two version strings of `ecosystem` (its `ECOSYSTEM` ordering);
/// `None` when the ecosystem has no known ordering or either string is not
/// a version of it.
pub fn compare(ecosystem: &str, a: &str, b: &str) -> Option<Ordering> {
    let scheme = Scheme::of_ecosystem(ecosystem)?;
    scheme.parse(a)?.compare(&scheme.parse(b)?)
}

/// Whether `listed` (an entry of an OSV `versions` list) names the same
/// version as `version`: exact strings, except PyPI, where both are
/// compared after PEP 440 normalisation (`1.0` is `1.0.0`, `1.0RC1` is
/// `1.0rc1`), and Go, where the `v` prefix is optional.
pub fn same_version(ecosystem: &str, listed: &str, version: &str) -> bool {
    if listed == version {
        return true;
    }
    match base_ecosystem(ecosystem) {
        "PyPI" => match (Scheme::Pep440.parse(listed), Scheme::Pep440.parse(version)) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        },
        "Go" => strip_v(listed) == strip_v(version),
        _ => false,
    }
}

fn strip_v(text: &str) -> &str {
    text.strip_prefix('v').unwrap_or(text)
}

/// A SemVer 2.0 version ordered by precedence: build metadata is dropped
/// when parsing, so `1.0.0+a == 1.0.0+b`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SemVer {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    /// Empty for a release; `semver::Prerelease` orders a release after
    /// its pre-releases and identifiers as SemVer 2.0 section 11 says.
    pub pre: semver::Prerelease,
}

fn parse_semver(text: &str) -> Option<SemVer> {
    let trimmed = text.trim();
    let bare = trimmed
        .strip_prefix('v')
        .or_else(|| trimmed.strip_prefix('V'))
        .or_else(|| trimmed.strip_prefix('='))
        .unwrap_or(trimmed);
    if let Ok(v) = semver::Version::parse(bare) {
        return Some(SemVer { major: v.major, minor: v.minor, patch: v.patch, pre: v.pre });
    }
    // npm's loose forms. Only with a three-number core and version
    // characters: the loose parser reads `1.2.3.4` as `1.2.3` and stops at
    // whitespace (`1.2.3 junk`), which would mis-order both.
    if !bare.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+')) {
        return None;
    }
    let core_end = bare.find(['-', '+']).unwrap_or(bare.len());
    let core = &bare[..core_end];
    let numbers = core
        .split('.')
        .take_while(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
        .count();
    let dots = core.bytes().filter(|&b| b == b'.').count();
    if dots != 2 || numbers < 2 {
        return None;
    }
    let loose = nodejs_semver::Version::parse(bare).ok()?;
    let pre = loose.pre_release().iter().map(ToString::to_string).collect::<Vec<_>>().join(".");
    let pre = if pre.is_empty() {
        semver::Prerelease::EMPTY
    } else {
        semver::Prerelease::new(&pre).ok()?
    };
    Some(SemVer { major: loose.major(), minor: loose.minor(), patch: loose.patch(), pre })
}

/// A Maven version, ordered like `ComparableVersion` of Maven 3.8
/// (checked against maven-artifact 3.8.7 on random versions).
///
/// The version is split into items at `.` and `-` and at every change
/// between digits and letters; a `-`, a letter-digit change and a word
/// after a `.` open a sub-list, which sorts below a plain number at the
/// same place (`1-1 < 1.1`). Numbers compare numerically; the qualifiers `alpha` (`a`
/// before a digit), `beta` (`b`), `milestone` (`m`), `rc` (`cr`),
/// `snapshot`, release (`""`, `ga`, `final`, `release`) and `sp` compare in that
/// order, and any other word after them, alphabetically. Trailing zeros,
/// release qualifiers and empty lists are dropped, so `1.0 == 1` and
/// `1-ga == 1`.
#[derive(Debug, Clone)]
pub struct MavenVersion {
    items: Vec<MavenItem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum MavenItem {
    /// Decimal digits without leading zeros (`""` is zero), so numbers of
    /// any length compare by length, then lexically.
    Int(String),
    Str(Qualifier),
    List(Vec<MavenItem>),
}

/// A qualifier's rank: the known ones by index, unknown ones after all of
/// them, alphabetically.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Qualifier {
    Known(u8),
    Other(String),
}

/// Index of the release qualifier (`""`, `ga`, `final`, `release`) among the known ones.
const RELEASE: u8 = 5;

impl Qualifier {
    fn new(word: &str, followed_by_digit: bool) -> Qualifier {
        let word = match (word, followed_by_digit) {
            ("a", true) => "alpha",
            ("b", true) => "beta",
            ("m", true) => "milestone",
            ("ga" | "final" | "release", _) => "",
            ("cr", _) => "rc",
            (w, _) => w,
        };
        match word {
            "alpha" => Qualifier::Known(0),
            "beta" => Qualifier::Known(1),
            "milestone" => Qualifier::Known(2),
            "rc" => Qualifier::Known(3),
            "snapshot" => Qualifier::Known(4),
            "" => Qualifier::Known(RELEASE),
            "sp" => Qualifier::Known(6),
            other => Qualifier::Other(other.to_string()),
        }
    }
}

impl MavenItem {
    fn number(digits: &str) -> MavenItem {
        MavenItem::Int(digits.trim_start_matches('0').to_string())
    }

    fn is_null(&self) -> bool {
        match self {
            MavenItem::Int(digits) => digits.is_empty(),
            MavenItem::Str(q) => *q == Qualifier::Known(RELEASE),
            MavenItem::List(items) => items.is_empty(),
        }
    }

    /// Compares with the item at the same place in the other version;
    /// `None` when the other version has no item there.
    fn compare(&self, other: Option<&MavenItem>) -> Ordering {
        match (self, other) {
            (MavenItem::Int(a), None) => {
                if a.is_empty() {
                    Ordering::Equal
                } else {
                    Ordering::Greater
                }
            }
            (MavenItem::Int(a), Some(MavenItem::Int(b))) => {
                a.len().cmp(&b.len()).then_with(|| a.cmp(b))
            }
            (MavenItem::Int(_), Some(_)) => Ordering::Greater,
            (MavenItem::Str(q), None) => q.cmp(&Qualifier::Known(RELEASE)),
            (MavenItem::Str(_), Some(MavenItem::Int(_) | MavenItem::List(_))) => Ordering::Less,
            (MavenItem::Str(a), Some(MavenItem::Str(b))) => a.cmp(b),
            // Every item against nothing, not only the first (Maven 3.8,
            // MNG-6964): `1-0.0.1 > 1`.
            (MavenItem::List(items), None) => items
                .iter()
                .map(|item| item.compare(None))
                .find(|o| *o != Ordering::Equal)
                .unwrap_or(Ordering::Equal),
            (MavenItem::List(_), Some(MavenItem::Int(_))) => Ordering::Less,
            (MavenItem::List(_), Some(MavenItem::Str(_))) => Ordering::Greater,
            (MavenItem::List(a), Some(MavenItem::List(b))) => compare_lists(a, b),
        }
    }
}

fn compare_lists(a: &[MavenItem], b: &[MavenItem]) -> Ordering {
    for i in 0..a.len().max(b.len()) {
        let result = match (a.get(i), b.get(i)) {
            (Some(l), r) => l.compare(r),
            (None, Some(r)) => r.compare(None).reverse(),
            (None, None) => Ordering::Equal,
        };
        if result != Ordering::Equal {
            return result;
        }
    }
    Ordering::Equal
}

/// Drops trailing null items (zeros, release qualifiers, empty lists),
/// looking past non-null sub-lists, as Maven does (`1.0-alpha` is `1-alpha`).
fn normalize(items: &mut Vec<MavenItem>) {
    let mut i = items.len();
    while i > 0 {
        i -= 1;
        if items[i].is_null() {
            items.remove(i);
        } else if !matches!(items[i], MavenItem::List(_)) {
            break;
        }
    }
}

impl MavenVersion {
    /// Parses any string (Maven accepts every string as a version); `None`
    /// only for empty or over-long input.
    pub fn parse(text: &str) -> Option<MavenVersion> {
        let text = text.trim();
        if text.is_empty() || text.len() > MAX_VERSION_LEN {
            return None;
        }
        let lower = text.to_lowercase();
        // Each `-` or letter/digit change opens a list nested as the last
        // item of the current one, so the nesting is a chain: segments[k+1]
        // is the last item of segments[k].
        let mut segments: Vec<Vec<MavenItem>> = vec![Vec::new()];
        let mut digits = false;
        let mut start = 0;
        let push = |segments: &mut Vec<Vec<MavenItem>>, item: MavenItem| {
            if let Some(last) = segments.last_mut() {
                last.push(item);
            }
        };
        let item = |is_digit: bool, buf: &str| {
            if is_digit {
                MavenItem::number(buf)
            } else {
                MavenItem::Str(Qualifier::new(buf, false))
            }
        };
        for (i, c) in lower.char_indices() {
            match c {
                '.' | '-' => {
                    if i == start {
                        push(&mut segments, MavenItem::Int(String::new()));
                    } else {
                        push(&mut segments, item(digits, &lower[start..i]));
                    }
                    start = i + 1;
                    if c == '-' {
                        segments.push(Vec::new());
                    }
                }
                c if c.is_ascii_digit() => {
                    if !digits && i > start {
                        // A word before digits: `.X1` is read as `-X1`
                        // (Maven 3.8: `1.0.0.X1 < 1.0.0-X2`).
                        if segments.last().is_some_and(|s| !s.is_empty()) {
                            segments.push(Vec::new());
                        }
                        let word = &lower[start..i];
                        push(&mut segments, MavenItem::Str(Qualifier::new(word, true)));
                        start = i;
                        segments.push(Vec::new());
                    }
                    digits = true;
                }
                _ => {
                    if digits && i > start {
                        push(&mut segments, MavenItem::number(&lower[start..i]));
                        start = i;
                        segments.push(Vec::new());
                    }
                    digits = false;
                }
            }
        }
        if lower.len() > start {
            // A trailing word, too: `.X` is read as `-X`.
            if !digits && segments.last().is_some_and(|s| !s.is_empty()) {
                segments.push(Vec::new());
            }
            push(&mut segments, item(digits, &lower[start..]));
        }
        // Fold the chain from the innermost list out, normalising each
        // list before it becomes its parent's last item.
        let mut inner: Option<Vec<MavenItem>> = None;
        while let Some(mut items) = segments.pop() {
            if let Some(child) = inner.take() {
                items.push(MavenItem::List(child));
            }
            normalize(&mut items);
            inner = Some(items);
        }
        Some(MavenVersion { items: inner.unwrap_or_default() })
    }
}

impl Ord for MavenVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        compare_lists(&self.items, &other.items)
    }
}

/// Equality is the ordering's (Maven's `compareTo`), so `1-0.alpha == 1`
/// as Maven compares them, keeping `Eq` and `Ord` consistent.
impl PartialEq for MavenVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for MavenVersion {}

impl PartialOrd for MavenVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
