//! One finding per vulnerability, not per record.
//!
//! The same vulnerability is often published by several databases (a
//! GHSA, a PYSEC and a CVE for one bug in one package), each record naming
//! the others in `aliases`. Records that share any id, directly or through
//! a chain of aliases, are merged into one [`Vulnerability`].

use std::collections::HashMap;
use std::sync::Arc;

use crate::matching::{Hit, affected, sort_versions};
use crate::severity::{Level, rate};
use crate::versions::Scheme;
use crate::{Advisory, AdvisorySource};

/// One vulnerability affecting one installed package, merged from every
/// record that describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Vulnerability {
    /// The preferred record id: a GHSA id when one of the merged records
    /// is a GHSA, else a PYSEC id, else another database's id (the
    /// alphabetically first among equals).
    pub id: String,
    /// Every other id of the merged records and their aliases (CVE
    /// included), sorted, without duplicates.
    pub aliases: Vec<String>,
    /// The preferred record's summary, else another's, else the first
    /// line of the details.
    pub summary: String,
    /// The highest CVSS base score among the merged records.
    pub score: Option<f64>,
    /// The vector of that score.
    pub vector: Option<String>,
    /// The worst level among the merged records.
    pub level: Level,
    /// Versions that fix it, above the installed one, lowest first.
    pub fixed: Vec<String>,
    /// Last affected versions (when the records give no fix), lowest first.
    pub last_affected: Vec<String>,
    /// Reference URLs, the preferred record's first, without duplicates.
    pub references: Vec<String>,
    /// The ids of the merged records, sorted.
    pub advisories: Vec<String>,
}

/// The vulnerabilities affecting `version` of `name` in `ecosystem`
/// according to `source`: withdrawn records dropped, records matched with
/// the OSV semantics ([`affected`]), records sharing an id or alias
/// merged; sorted by id.
pub fn vulnerabilities(
    source: &dyn AdvisorySource,
    ecosystem: &str,
    name: &str,
    version: &str,
) -> Vec<Vulnerability> {
    let mut matched: Vec<(Arc<Advisory>, Hit)> = source
        .lookup(ecosystem, name)
        .into_iter()
        .filter_map(|adv| {
            let hit = affected(&adv, ecosystem, name, version)?;
            Some((adv, hit))
        })
        .collect();
    if matched.is_empty() {
        return Vec::new();
    }
    matched.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    matched.dedup_by(|a, b| a.0.id == b.0.id);
    let mut out: Vec<Vulnerability> =
        groups(&matched).into_iter().map(|group| merge_group(&group, ecosystem, name)).collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// Partitions the records into groups sharing an id (union-find over
/// every record id and alias); groups and members in input order.
fn groups(matched: &[(Arc<Advisory>, Hit)]) -> Vec<Vec<&(Arc<Advisory>, Hit)>> {
    let mut parent: Vec<usize> = (0..matched.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut owner: HashMap<&str, usize> = HashMap::new();
    for (i, (adv, _)) in matched.iter().enumerate() {
        for id in std::iter::once(&adv.id).chain(adv.aliases.iter()) {
            let id = id.trim();
            if id.is_empty() {
                continue;
            }
            match owner.get(id) {
                Some(&j) => {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                    if a != b {
                        parent[a.max(b)] = a.min(b);
                    }
                }
                None => {
                    owner.insert(id, i);
                }
            }
        }
    }
    let mut by_root: Vec<Vec<&(Arc<Advisory>, Hit)>> = Vec::new();
    let mut slot: HashMap<usize, usize> = HashMap::new();
    for (i, item) in matched.iter().enumerate() {
        let r = root(&mut parent, i);
        let k = *slot.entry(r).or_insert_with(|| {
            by_root.push(Vec::new());
            by_root.len() - 1
        });
        by_root[k].push(item);
    }
    by_root
}

/// Lower is preferred: the databases users search by first.
fn id_rank(id: &str) -> u8 {
    if id.starts_with("GHSA-") {
        0
    } else if id.starts_with("PYSEC-") {
        1
    } else if id.starts_with("CVE-") {
        3
    } else {
        2
    }
}

fn merge_group(group: &[&(Arc<Advisory>, Hit)], ecosystem: &str, name: &str) -> Vulnerability {
    let mut records: Vec<&(Arc<Advisory>, Hit)> = group.to_vec();
    records
        .sort_by(|a, b| id_rank(&a.0.id).cmp(&id_rank(&b.0.id)).then_with(|| a.0.id.cmp(&b.0.id)));
    let preferred = records.first().map(|r| r.0.id.clone()).unwrap_or_default();

    let mut aliases: Vec<String> = records
        .iter()
        .flat_map(|(adv, _)| std::iter::once(&adv.id).chain(adv.aliases.iter()))
        .map(|id| id.trim().to_string())
        .filter(|id| !id.is_empty() && *id != preferred)
        .collect();
    aliases.sort();
    aliases.dedup();

    let summary = records
        .iter()
        .filter_map(|(adv, _)| adv.summary.as_deref().map(str::trim))
        .find(|s| !s.is_empty())
        .map(str::to_string)
        .or_else(|| {
            records
                .iter()
                .filter_map(|(adv, _)| adv.details.as_deref())
                .filter_map(|d| d.lines().map(str::trim).find(|l| !l.is_empty()))
                .map(|line| truncate(line, 200))
                .next()
        })
        .unwrap_or_default();

    let mut score: Option<f64> = None;
    let mut vector: Option<String> = None;
    let mut level = Level::Unknown;
    for (adv, _) in &records {
        let rating = rate(adv, ecosystem, name);
        level = level.max(rating.level);
        if let Some(s) = rating.score
            && score.is_none_or(|top| s > top)
        {
            score = Some(s);
            vector = rating.vector;
        }
    }

    let order = Scheme::of_ecosystem(ecosystem).unwrap_or(Scheme::SemVer);
    let mut fixed: Vec<String> =
        records.iter().flat_map(|(_, hit)| hit.fixed.iter().cloned()).collect();
    sort_versions(&mut fixed, order);
    let mut last_affected: Vec<String> =
        records.iter().flat_map(|(_, hit)| hit.last_affected.iter().cloned()).collect();
    sort_versions(&mut last_affected, order);

    let mut references: Vec<String> = Vec::new();
    for (adv, _) in &records {
        for reference in &adv.references {
            let url = reference.url.trim();
            if !url.is_empty() && !references.iter().any(|r| r == url) {
                references.push(url.to_string());
            }
        }
    }

    let mut advisories: Vec<String> = records.iter().map(|(adv, _)| adv.id.clone()).collect();
    advisories.sort();

    Vulnerability {
        id: preferred,
        aliases,
        summary,
        score,
        vector,
        level,
        fixed,
        last_affected,
        references,
        advisories,
    }
}

/// At most `max` characters, cut at a character boundary, `…` marking a cut.
fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
    }
}
