//! The sink and sanitizer catalog (`data/sinks-javascript.json`), parsed
//! once and indexed by callee name, `*.Name` suffix and method name.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::SinkClass;

#[derive(Deserialize)]
struct RawCatalog {
    sinks: Vec<RawSink>,
    sanitizers: Vec<RawSanitizer>,
}

#[derive(Deserialize)]
struct RawSink {
    class: String,
    #[serde(default)]
    callee: Vec<String>,
    #[serde(default)]
    method: Option<String>,
    #[serde(default)]
    receivers: Vec<String>,
    #[serde(default)]
    not_receivers: Vec<String>,
    #[serde(default)]
    args: Option<Vec<usize>>,
    #[serde(default)]
    keys: Vec<String>,
    #[serde(default)]
    keys_only: bool,
    #[serde(default)]
    condition: Option<String>,
    #[serde(default)]
    shell_args: Vec<usize>,
    // Read by people and by the catalog test, not by the engine.
    #[allow(dead_code)]
    why: String,
}

#[derive(Deserialize)]
struct RawSanitizer {
    #[serde(default)]
    callee: Vec<String>,
    #[serde(default)]
    method: Vec<String>,
    #[serde(default)]
    classes: Vec<String>,
    #[allow(dead_code)]
    why: String,
}

/// A shape a call must have to be a sink.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Condition {
    /// A shell runs the command: `{shell: true}` or a shell program.
    Shell,
    /// `noent: true` in the options.
    Noent,
    /// No safe schema given.
    UnsafeYaml,
    /// A whole query object from input, or a `$where` property.
    NoSql,
    /// The header set is `Location`.
    Location,
}

pub(super) struct Sink {
    pub(super) class: SinkClass,
    pub(super) receivers: Vec<String>,
    pub(super) not_receivers: Vec<String>,
    pub(super) args: Option<Vec<usize>>,
    pub(super) keys: Vec<String>,
    pub(super) keys_only: bool,
    pub(super) condition: Option<Condition>,
    pub(super) shell_args: Vec<usize>,
}

pub(super) struct Catalog {
    pub(super) sinks: Vec<Sink>,
    by_callee: HashMap<String, Vec<usize>>,
    /// `*.Name` entries by `Name`.
    by_suffix: HashMap<String, Vec<usize>>,
    by_method: HashMap<String, Vec<usize>>,
    /// Sanitizers: callee (or `prefix.*`) and method to the classes they
    /// clear (a bit mask over [`SinkClass::ALL`]).
    clean_callee: HashMap<String, u16>,
    clean_prefix: Vec<(String, u16)>,
    clean_method: HashMap<String, u16>,
}

/// Bit of a class in a cleared-classes mask.
pub(super) fn bit(class: SinkClass) -> u16 {
    let i = SinkClass::ALL.iter().position(|c| *c == class).unwrap_or(0);
    1u16 << i
}

pub(super) const ALL_CLASSES: u16 = (1u16 << SinkClass::ALL.len()) - 1;

fn class_of(name: &str) -> Option<SinkClass> {
    Some(match name {
        "CodeExecution" => SinkClass::CodeExecution,
        "Command" => SinkClass::Command,
        "Sql" => SinkClass::Sql,
        "NoSql" => SinkClass::NoSql,
        "Deserialization" => SinkClass::Deserialization,
        "Path" => SinkClass::Path,
        "Ssrf" => SinkClass::Ssrf,
        "Xxe" => SinkClass::Xxe,
        "Template" => SinkClass::Template,
        "Regex" => SinkClass::Regex,
        "OpenRedirect" => SinkClass::OpenRedirect,
        _ => return None,
    })
}

fn condition_of(name: &str) -> Option<Condition> {
    Some(match name {
        "shell" => Condition::Shell,
        "noent" => Condition::Noent,
        "unsafe_yaml" => Condition::UnsafeYaml,
        "nosql" => Condition::NoSql,
        "location" => Condition::Location,
        _ => return None,
    })
}

pub(super) fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let raw: RawCatalog =
            serde_json::from_str(include_str!("../../data/sinks-javascript.json"))
                .unwrap_or(RawCatalog { sinks: Vec::new(), sanitizers: Vec::new() });
        build(raw)
    })
}

fn build(raw: RawCatalog) -> Catalog {
    let mut c = Catalog {
        sinks: Vec::new(),
        by_callee: HashMap::new(),
        by_suffix: HashMap::new(),
        by_method: HashMap::new(),
        clean_callee: HashMap::new(),
        clean_prefix: Vec::new(),
        clean_method: HashMap::new(),
    };
    for s in raw.sinks {
        // An entry the engine cannot read is skipped; the catalog test
        // catches it.
        let Some(class) = class_of(&s.class) else { continue };
        let condition = match s.condition.as_deref() {
            Some(name) => match condition_of(name) {
                Some(cond) => Some(cond),
                None => continue,
            },
            None => None,
        };
        let i = c.sinks.len();
        for name in &s.callee {
            match name.strip_prefix("*.") {
                Some(suffix) => c.by_suffix.entry(suffix.to_string()).or_default().push(i),
                None => c.by_callee.entry(name.clone()).or_default().push(i),
            }
        }
        if let Some(m) = &s.method {
            c.by_method.entry(m.clone()).or_default().push(i);
        }
        c.sinks.push(Sink {
            class,
            receivers: s.receivers.iter().map(|r| r.to_ascii_lowercase()).collect(),
            not_receivers: s.not_receivers,
            args: s.args,
            keys: s.keys,
            keys_only: s.keys_only,
            condition,
            shell_args: s.shell_args,
        });
    }
    for s in raw.sanitizers {
        let mut mask = 0u16;
        for name in &s.classes {
            if let Some(class) = class_of(name) {
                mask |= bit(class);
            }
        }
        if s.classes.is_empty() {
            mask = ALL_CLASSES;
        }
        for name in s.callee {
            match name.strip_suffix(".*") {
                Some(prefix) => c.clean_prefix.push((format!("{prefix}."), mask)),
                None => *c.clean_callee.entry(name).or_default() |= mask,
            }
        }
        for name in s.method {
            *c.clean_method.entry(name).or_default() |= mask;
        }
    }
    c
}

impl Catalog {
    /// Sinks matching a call: by the callee's qualified name `q` (true)
    /// and by `method` on a receiver whose last name is `receiver` (false);
    /// each sink once, callee matches first.
    pub(super) fn matches(
        &self,
        q: Option<&str>,
        method: Option<(&str, &str)>,
    ) -> Vec<(usize, bool)> {
        let mut out: Vec<(usize, bool)> = Vec::new();
        if let Some(q) = q {
            if let Some(list) = self.by_callee.get(q) {
                out.extend(list.iter().map(|i| (*i, true)));
            }
            let last = q.rsplit('.').next().unwrap_or(q);
            if let Some(list) = self.by_suffix.get(last) {
                out.extend(list.iter().map(|i| (*i, true)));
            }
        }
        if let Some((m, receiver)) = method
            && let Some(list) = self.by_method.get(m)
        {
            let lower = receiver.to_ascii_lowercase();
            for &i in list {
                let Some(s) = self.sinks.get(i) else { continue };
                if !s.receivers.is_empty()
                    && !s.receivers.iter().any(|r| lower.contains(r.as_str()))
                {
                    continue;
                }
                if s.not_receivers.iter().any(|r| r == receiver) {
                    continue;
                }
                if !out.iter().any(|(j, _)| *j == i) {
                    out.push((i, false));
                }
            }
        }
        out.sort_unstable_by_key(|(i, _)| *i);
        out.dedup_by_key(|(i, _)| *i);
        out
    }

    /// Classes a call clears (0 when it is not a sanitizer).
    pub(super) fn sanitizes(&self, q: Option<&str>, method: Option<&str>) -> u16 {
        let mut mask = 0;
        if let Some(q) = q {
            mask |= self.clean_callee.get(q).copied().unwrap_or(0);
            for (prefix, m) in &self.clean_prefix {
                if q.starts_with(prefix.as_str()) {
                    mask |= m;
                }
            }
        }
        if let Some(m) = method {
            mask |= self.clean_method.get(m).copied().unwrap_or(0);
        }
        mask
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_is_read_and_explained() {
        let raw: RawCatalog =
            serde_json::from_str(include_str!("../../data/sinks-javascript.json")).unwrap();
        let (sinks, cleaners) = (raw.sinks.len(), raw.sanitizers.len());
        for s in &raw.sinks {
            assert!(class_of(&s.class).is_some(), "{}", s.class);
            assert!(s.condition.as_deref().is_none_or(|c| condition_of(c).is_some()));
            assert!(!s.why.is_empty() && (!s.callee.is_empty() || s.method.is_some()));
        }
        for s in &raw.sanitizers {
            assert!(!s.why.is_empty());
            assert!(s.classes.iter().all(|c| class_of(c).is_some()));
        }
        let c = build(raw);
        assert_eq!(c.sinks.len(), sinks);
        assert!(cleaners > 0);
        for class in SinkClass::ALL {
            assert!(c.sinks.iter().any(|s| s.class == class), "{class:?} has no sink");
        }
    }
}
