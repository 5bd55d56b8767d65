//! Is this version of this package affected by this advisory?
//!
//! Exactly the OSV evaluation algorithm
//! (<https://ossf.github.io/osv-schema/#evaluation>): a version is affected
//! when it is in an `affected` entry's `versions` list or inside one of its
//! ranges. A range's events are sorted by version (`introduced: "0"`
//! lowest) and walked in order: `introduced` at or below the version sets
//! "affected", `fixed` at or below it and `last_affected` strictly below it
//! clear it; the state after the last event is the answer. `limit` events
//! bound the range from above (`*` is infinity; without any, no bound).
//! At equal versions `introduced` is walked first, so `introduced: X` with
//! `fixed: X` is empty and `introduced: X` with `last_affected: X` is
//! exactly `X`.
//!
//! What the spec leaves to the implementation, decided here:
//! - `GIT` ranges are skipped (commits need the repository), as are
//!   `ECOSYSTEM` ranges of ecosystems whose ordering is unknown: there,
//!   only the `versions` list can match.
//! - A version the ecosystem cannot parse matches no range, only the
//!   `versions` list.
//! - A range with an event its ordering cannot parse is skipped whole:
//!   dropping only that event would turn a broken `fixed` into "affected
//!   forever" and a broken `introduced` into "never affected", a guess
//!   either way.
//! - A withdrawn advisory never matches.

use std::cmp::Ordering;

use crate::index::normalize_name;
use crate::versions::{Scheme, Version, base_ecosystem, same_version};
use crate::{Advisory, Range};

/// Why a version matched, and how to get out.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Hit {
    /// The `fixed` versions of the ranges that contain the version, above
    /// it, lowest first (all ranges' when only the `versions` list
    /// matched). Empty when no fix is known.
    pub fixed: Vec<String>,
    /// The `last_affected` versions of those ranges at or above the
    /// version, lowest first.
    pub last_affected: Vec<String>,
    /// Whether an exact `versions` list named the version.
    pub listed: bool,
}

/// Whether the advisory was retracted (`withdrawn` set); such an advisory
/// never matches.
pub fn is_withdrawn(adv: &Advisory) -> bool {
    adv.withdrawn.as_deref().is_some_and(|w| !w.trim().is_empty())
}

/// Whether `version` of package `name` in `ecosystem` (OSV spelling: `npm`,
/// `PyPI`, ...) is affected by `adv`; `None` when it is not, or when the
/// advisory is withdrawn.
pub fn affected(adv: &Advisory, ecosystem: &str, name: &str, version: &str) -> Option<Hit> {
    if is_withdrawn(adv) {
        return None;
    }
    let wanted = normalize_name(ecosystem, name);
    let mut installed = Installed::new(version);
    let mut hit: Option<Hit> = None;
    for entry in &adv.affected {
        let Some(package) = &entry.package else {
            continue;
        };
        if package.ecosystem != ecosystem || normalize_name(ecosystem, &package.name) != wanted {
            continue;
        }
        let listed = entry.versions.iter().any(|listed| installed.is_listed_as(ecosystem, listed));
        let mut containing: Vec<&Range> = Vec::new();
        for range in &entry.ranges {
            let Some(scheme) = Scheme::of_range(&range.kind, ecosystem) else {
                continue;
            };
            let Some(v) = installed.get(scheme) else {
                continue;
            };
            if in_range(range, scheme, v) {
                containing.push(range);
            }
        }
        if !listed && containing.is_empty() {
            continue;
        }
        let hit = hit.get_or_insert_with(Hit::default);
        hit.listed |= listed;
        let sources: Vec<&Range> =
            if containing.is_empty() { entry.ranges.iter().collect() } else { containing };
        collect_bounds(&sources, ecosystem, &mut installed, hit);
    }
    let mut hit = hit?;
    let order = Scheme::of_ecosystem(ecosystem).unwrap_or(Scheme::SemVer);
    sort_versions(&mut hit.fixed, order);
    sort_versions(&mut hit.last_affected, order);
    Some(hit)
}

/// The installed version, parsed once per scheme on first use.
struct Installed<'a> {
    text: &'a str,
    parsed: [Option<Option<Version>>; 3],
}

impl<'a> Installed<'a> {
    fn new(text: &'a str) -> Installed<'a> {
        Installed { text, parsed: [None, None, None] }
    }

    /// [`same_version`], with the installed side parsed once and a cheap
    /// test first: PEP 440 versions whose epoch or first release number
    /// differ cannot be equal, so most entries of a long PyPI `versions`
    /// list are ruled out without parsing them.
    fn is_listed_as(&mut self, ecosystem: &str, listed: &str) -> bool {
        if listed == self.text {
            return true;
        }
        if base_ecosystem(ecosystem) != "PyPI" {
            return same_version(ecosystem, listed, self.text);
        }
        if let (Some(a), Some(b)) = (pep440_lead(listed), pep440_lead(self.text))
            && a != b
        {
            return false;
        }
        let Some(parsed) = Scheme::Pep440.parse(listed) else {
            return false;
        };
        self.get(Scheme::Pep440).is_some_and(|v| v.compare(&parsed) == Some(Ordering::Equal))
    }

    fn get(&mut self, scheme: Scheme) -> Option<&Version> {
        let slot = match scheme {
            Scheme::SemVer => 0,
            Scheme::Pep440 => 1,
            Scheme::Maven => 2,
        };
        let text = self.text;
        self.parsed[slot].get_or_insert_with(|| scheme.parse(text)).as_ref()
    }
}

/// The epoch and first release number of a plain PEP 440 version
/// (`[v]N[!]N...`), or `None` when it does not start that way (then only a
/// full parse can tell).
fn pep440_lead(text: &str) -> Option<(u64, u64)> {
    let text = text.trim();
    let text = text.strip_prefix(['v', 'V']).unwrap_or(text);
    let number = |s: &str| -> Option<(u64, usize)> {
        let end = s.bytes().take_while(u8::is_ascii_digit).count();
        if end == 0 || end > 18 {
            return None;
        }
        Some((s[..end].parse().ok()?, end))
    };
    let (first, end) = number(text)?;
    match text.as_bytes().get(end) {
        Some(b'!') => {
            let (release, _) = number(&text[end + 1..])?;
            Some((first, release))
        }
        _ => Some((0, first)),
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    // Declaration order is the walk order at equal versions.
    Introduced,
    Fixed,
    LastAffected,
}

/// An event's version: `introduced: "0"` sorts before every version.
enum Bound {
    Zero,
    At(Version),
}

impl Bound {
    fn cmp_bound(&self, other: &Bound) -> Ordering {
        match (self, other) {
            (Bound::Zero, Bound::Zero) => Ordering::Equal,
            (Bound::Zero, Bound::At(_)) => Ordering::Less,
            (Bound::At(_), Bound::Zero) => Ordering::Greater,
            // One range's events share one scheme, so this is always Some.
            (Bound::At(a), Bound::At(b)) => a.compare(b).unwrap_or(Ordering::Equal),
        }
    }

    /// `self <= v`.
    fn at_or_below(&self, v: &Version) -> bool {
        match self {
            Bound::Zero => true,
            Bound::At(b) => b.compare(v).is_some_and(|o| o != Ordering::Greater),
        }
    }

    /// `self < v`.
    fn below(&self, v: &Version) -> bool {
        match self {
            Bound::Zero => true,
            Bound::At(b) => b.compare(v) == Some(Ordering::Less),
        }
    }
}

/// The OSV `IncludedInRanges` test for one range (with `BeforeLimits`).
fn in_range(range: &Range, scheme: Scheme, v: &Version) -> bool {
    let mut events: Vec<(Bound, Kind)> = Vec::with_capacity(range.events.len());
    let mut limits: Vec<Option<Version>> = Vec::new();
    for event in &range.events {
        // A valid event has one field; an invalid one with several is read
        // as several events rather than dropped.
        if let Some(text) = &event.introduced {
            let bound = if text.trim() == "0" {
                Bound::Zero
            } else {
                match scheme.parse(text) {
                    Some(parsed) => Bound::At(parsed),
                    None => return false,
                }
            };
            events.push((bound, Kind::Introduced));
        }
        for (text, kind) in
            [(&event.fixed, Kind::Fixed), (&event.last_affected, Kind::LastAffected)]
        {
            if let Some(text) = text {
                match scheme.parse(text) {
                    Some(parsed) => events.push((Bound::At(parsed), kind)),
                    None => return false,
                }
            }
        }
        if let Some(text) = &event.limit {
            if text.contains('*') {
                limits.push(None);
            } else {
                match scheme.parse(text) {
                    Some(parsed) => limits.push(Some(parsed)),
                    None => return false,
                }
            }
        }
    }
    let before_limits = limits.is_empty()
        || limits.iter().any(|limit| match limit {
            None => true,
            Some(limit) => v.compare(limit) == Some(Ordering::Less),
        });
    if !before_limits {
        return false;
    }
    events.sort_by(|a, b| a.0.cmp_bound(&b.0).then(a.1.cmp(&b.1)));
    let mut vulnerable = false;
    for (bound, kind) in &events {
        match kind {
            Kind::Introduced if bound.at_or_below(v) => vulnerable = true,
            Kind::Fixed if bound.at_or_below(v) => vulnerable = false,
            Kind::LastAffected if bound.below(v) => vulnerable = false,
            _ => {}
        }
    }
    vulnerable
}

/// Adds the `fixed` versions above the installed one and the
/// `last_affected` ones at or above it, from `ranges`.
fn collect_bounds(
    ranges: &[&Range],
    ecosystem: &str,
    installed: &mut Installed<'_>,
    hit: &mut Hit,
) {
    for range in ranges {
        // A GIT range's bounds are commits, not versions to upgrade to.
        if range.kind == "GIT" {
            continue;
        }
        let scheme = Scheme::of_range(&range.kind, ecosystem);
        for event in &range.events {
            if let Some(fixed) = &event.fixed
                && keep_bound(scheme, installed, fixed, true)
                && !hit.fixed.contains(fixed)
            {
                hit.fixed.push(fixed.clone());
            }
            if let Some(last) = &event.last_affected
                && keep_bound(scheme, installed, last, false)
                && !hit.last_affected.contains(last)
            {
                hit.last_affected.push(last.clone());
            }
        }
    }
}

/// Whether a bound is worth reporting: above the installed version
/// (`strict`) or at/above it; kept when either side cannot be compared.
fn keep_bound(
    scheme: Option<Scheme>,
    installed: &mut Installed<'_>,
    bound: &str,
    strict: bool,
) -> bool {
    let Some(scheme) = scheme else {
        return true;
    };
    let Some(parsed) = scheme.parse(bound) else {
        return true;
    };
    let Some(v) = installed.get(scheme) else {
        return true;
    };
    match parsed.compare(v) {
        Some(Ordering::Greater) => true,
        Some(Ordering::Equal) => !strict,
        Some(Ordering::Less) => false,
        None => true,
    }
}

/// Sorts version strings by `scheme` (parseable ones first, by version,
/// then by text; the rest by text: a total order whatever the input) and
/// drops duplicates.
pub(crate) fn sort_versions(versions: &mut Vec<String>, scheme: Scheme) {
    let mut keyed: Vec<(Option<Version>, String)> =
        versions.drain(..).map(|text| (scheme.parse(&text), text)).collect();
    keyed.sort_by(|(pa, ta), (pb, tb)| {
        let by_version = match (pa, pb) {
            (Some(a), Some(b)) => a.compare(b).unwrap_or(Ordering::Equal),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        by_version.then_with(|| ta.cmp(tb))
    });
    // Equal versions spelled differently (PEP 440 `1.2` and `1.2.0`) are
    // one: the first spelling is kept.
    keyed.dedup_by(|later, kept| {
        later.1 == kept.1
            || matches!((&later.0, &kept.0), (Some(a), Some(b)) if a.compare(b) == Some(Ordering::Equal))
    });
    versions.extend(keyed.into_iter().map(|(_, text)| text));
}
