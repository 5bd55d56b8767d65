//! How bad an advisory is: a CVSS base score when the record carries a
//! vector, else the word GHSA puts in `database_specific.severity`.

use std::cmp::Ordering;
use std::str::FromStr;

use crate::index::normalize_name;
use crate::{Advisory, Severity};

/// A severity level, from a CVSS score (qualitative rating scale of CVSS
/// v3.1/v4.0: 9.0+ critical, 7.0+ high, 4.0+ medium, above 0 low) or from
/// a database's word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    Critical,
    High,
    Medium,
    Low,
    /// No score and no word, or a score of 0.
    Unknown,
}

impl Level {
    /// The level of a CVSS base score.
    pub fn from_score(score: f64) -> Level {
        if score >= 9.0 {
            Level::Critical
        } else if score >= 7.0 {
            Level::High
        } else if score >= 4.0 {
            Level::Medium
        } else if score > 0.0 {
            Level::Low
        } else {
            Level::Unknown
        }
    }

    /// The level of a severity word (`CRITICAL`, `HIGH`, `MODERATE` (GHSA's
    /// word for medium), `MEDIUM`, `LOW`; any case); anything else is
    /// [`Level::Unknown`].
    pub fn from_word(word: &str) -> Level {
        match word.trim().to_ascii_lowercase().as_str() {
            "critical" => Level::Critical,
            "high" | "important" => Level::High,
            "moderate" | "medium" => Level::Medium,
            "low" => Level::Low,
            _ => Level::Unknown,
        }
    }

    /// `critical`, `high`, `medium`, `low` or `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Critical => "critical",
            Level::High => "high",
            Level::Medium => "medium",
            Level::Low => "low",
            Level::Unknown => "unknown",
        }
    }

    fn rank(self) -> u8 {
        match self {
            Level::Unknown => 0,
            Level::Low => 1,
            Level::Medium => 2,
            Level::High => 3,
            Level::Critical => 4,
        }
    }
}

/// Ordered by badness: `Unknown < Low < Medium < High < Critical`.
impl Ord for Level {
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank().cmp(&other.rank())
    }
}

impl PartialOrd for Level {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The base metrics a CVSS v3 vector must carry to have a score.
const V3_BASE: [&str; 8] = ["AV", "AC", "PR", "UI", "S", "C", "I", "A"];

/// The CVSS base score of a v3.0, v3.1 or v4.0 vector; `None` for v2
/// vectors (the `cvss` crate does not score them), malformed vectors, and
/// v3 vectors missing a base metric (which the crate would score as 0).
/// Temporal and environmental metrics of a v3 vector are dropped before
/// scoring: the base score is what advisories publish.
pub fn base_score(vector: &str) -> Option<f64> {
    let vector = vector.trim();
    if vector.len() > 512 {
        return None;
    }
    let score = if vector.starts_with("CVSS:3.") {
        let mut parts = vector.split('/');
        let prefix = parts.next()?;
        let metrics: Vec<(&str, &str)> = parts.filter_map(|p| p.split_once(':')).collect();
        let mut base = String::from(prefix);
        for key in V3_BASE {
            let mut values = metrics.iter().filter(|(k, _)| *k == key);
            let (_, value) = values.next()?;
            if values.next().is_some() {
                return None;
            }
            base.push('/');
            base.push_str(key);
            base.push(':');
            base.push_str(value);
        }
        cvss::Cvss::from_str(&base).ok()?.score()
    } else if vector.starts_with("CVSS:4.") {
        cvss::Cvss::from_str(vector).ok()?.score()
    } else {
        return None;
    };
    (score.is_finite() && (0.0..=10.0).contains(&score)).then_some(score)
}

/// The severity of one advisory for one package.
#[derive(Debug, Clone, PartialEq)]
pub struct Rating {
    /// The highest CVSS base score among the record's vectors (top level
    /// and the package's `affected` entries): a finding is never ranked
    /// below any of its sources.
    pub score: Option<f64>,
    /// The vector that score comes from.
    pub vector: Option<String>,
    /// From the score when there is one, else from the database's word.
    pub level: Level,
}

/// Rates `adv` for package `name` of `ecosystem`.
pub fn rate(adv: &Advisory, ecosystem: &str, name: &str) -> Rating {
    let wanted = normalize_name(ecosystem, name);
    let entries: Vec<_> = adv
        .affected
        .iter()
        .filter(|entry| {
            entry.package.as_ref().is_some_and(|p| {
                p.ecosystem == ecosystem && normalize_name(ecosystem, &p.name) == wanted
            })
        })
        .collect();
    let vectors = adv.severity.iter().chain(entries.iter().flat_map(|entry| entry.severity.iter()));
    let mut best: Option<(f64, &Severity)> = None;
    for severity in vectors {
        if !severity.kind.starts_with("CVSS_V") {
            continue;
        }
        if let Some(score) = base_score(&severity.score)
            && best.is_none_or(|(top, _)| score > top)
        {
            best = Some((score, severity));
        }
    }
    if let Some((score, severity)) = best {
        return Rating {
            score: Some(score),
            vector: Some(severity.score.trim().to_string()),
            level: Level::from_score(score),
        };
    }
    let word = |value: Option<&serde_json::Value>| {
        value
            .and_then(|v| v.get("severity"))
            .and_then(|v| v.as_str())
            .map(Level::from_word)
            .unwrap_or(Level::Unknown)
    };
    let level = entries
        .iter()
        .map(|entry| word(entry.database_specific.as_ref()))
        .chain(std::iter::once(word(adv.database_specific.as_ref())))
        .max()
        .unwrap_or(Level::Unknown);
    Rating { score: None, vector: None, level }
}
