//! The Python sink, sanitizer and propagator catalog
//! (`data/sinks-python.json`), parsed once.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use serde::Deserialize;

use crate::SinkClass;

/// What the data flowing is, when it matters to a sink: a Mongo filter is
/// only dangerous as an object, a subprocess argument list only as a
/// string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    Unknown,
    Str,
    List,
    Object,
}

/// An extra check a sink needs besides tainted arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum When {
    Always,
    /// `subprocess.*`: `shell=True`, a command string, or `sh -c`.
    Shell,
    /// `yaml.load` without a safe loader.
    UnsafeYaml,
    /// Mongo: a filter object from input, or a `$where` from input.
    NoSql,
    /// lxml without a parser that turns entity resolution off.
    Lxml,
    /// `xml.sax` in a module that turns external entities on.
    Sax,
    /// A URL whose host is not fixed by a constant prefix.
    Url,
}

#[derive(Debug)]
pub(super) struct Sink {
    pub(super) class: SinkClass,
    /// Positional arguments checked.
    pub(super) args: Vec<usize>,
    /// Keyword arguments checked.
    pub(super) kw: Vec<String>,
    pub(super) when: When,
}

#[derive(Debug)]
pub(super) struct Catalog {
    /// Sinks by qualified name (`os.system`, `requests.Session().get`).
    pub(super) calls: HashMap<String, Vec<Sink>>,
    /// Sinks by method name, on receivers that are not known modules.
    pub(super) methods: HashMap<String, Vec<Sink>>,
    /// Last name segments of every sink: a call whose callee does not end
    /// in one of them is skipped without resolving its name.
    pub(super) last_names: HashSet<String>,
    /// Sanitizers by qualified name: the classes they protect (`u16::MAX`:
    /// all).
    pub(super) sanitizers: HashMap<String, u16>,
    /// Calls whose result carries their arguments' data.
    pub(super) propagators: HashMap<String, Shape>,
}

#[derive(Deserialize)]
struct File {
    sinks: Vec<SinkEntry>,
    sanitizers: Vec<SanitizerEntry>,
    propagators: Vec<PropagatorEntry>,
}

#[derive(Deserialize)]
struct SinkEntry {
    #[serde(default)]
    call: Option<String>,
    #[serde(default)]
    method: Option<String>,
    class: String,
    #[serde(default)]
    args: Vec<usize>,
    #[serde(default)]
    kw: Vec<String>,
    #[serde(default)]
    when: Option<String>,
    #[allow(dead_code)]
    why: String,
}

#[derive(Deserialize)]
struct SanitizerEntry {
    call: String,
    #[serde(default)]
    classes: Option<Vec<String>>,
    #[allow(dead_code)]
    why: String,
}

#[derive(Deserialize)]
struct PropagatorEntry {
    call: String,
    shape: String,
}

const DATA: &str = include_str!("../../data/sinks-python.json");

pub(super) fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| build(DATA))
}

pub(super) fn class_bit(c: SinkClass) -> u16 {
    let i = SinkClass::ALL.iter().position(|x| *x == c).unwrap_or(0);
    1u16 << i
}

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

/// The catalog from its JSON; an entry that does not parse is skipped (the
/// catalog test checks there are none), so a bad edit cannot panic a scan.
fn build(data: &str) -> Catalog {
    let mut cat = Catalog {
        calls: HashMap::new(),
        methods: HashMap::new(),
        last_names: HashSet::new(),
        sanitizers: HashMap::new(),
        propagators: HashMap::new(),
    };
    let Ok(file) = serde_json::from_str::<File>(data) else { return cat };
    for e in file.sinks {
        let Some(class) = class_of(&e.class) else { continue };
        let when = match e.when.as_deref() {
            None => When::Always,
            Some("shell") => When::Shell,
            Some("unsafe-yaml") => When::UnsafeYaml,
            Some("nosql") => When::NoSql,
            Some("lxml") => When::Lxml,
            Some("sax") => When::Sax,
            Some("url") => When::Url,
            Some(_) => continue,
        };
        let sink = Sink { class, args: e.args, kw: e.kw, when };
        match (e.call, e.method) {
            (Some(call), None) => {
                let last = call.rsplit('.').next().unwrap_or(&call).to_string();
                cat.last_names.insert(last);
                cat.calls.entry(call).or_default().push(sink);
            }
            (None, Some(method)) => {
                cat.last_names.insert(method.clone());
                cat.methods.entry(method).or_default().push(sink);
            }
            _ => {}
        }
    }
    for s in file.sanitizers {
        let mask = match s.classes {
            None => u16::MAX,
            Some(list) => {
                list.iter().filter_map(|c| class_of(c)).map(class_bit).fold(0, |a, b| a | b)
            }
        };
        cat.sanitizers.insert(s.call, mask);
    }
    for p in file.propagators {
        let shape = match p.shape.as_str() {
            "str" => Shape::Str,
            "list" => Shape::List,
            "object" => Shape::Object,
            _ => Shape::Unknown,
        };
        cat.propagators.insert(p.call, shape);
    }
    cat
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_parses_and_every_class_has_sinks() {
        let file: File = serde_json::from_str(DATA).unwrap();
        let cat = catalog();
        let count: usize = cat.calls.values().chain(cat.methods.values()).map(Vec::len).sum();
        assert_eq!(count, file.sinks.len(), "an entry has an unknown class or condition");
        assert_eq!(cat.sanitizers.len(), file.sanitizers.len());
        for class in SinkClass::ALL {
            assert!(
                cat.calls.values().chain(cat.methods.values()).flatten().any(|s| s.class == class),
                "{class:?} has no sink"
            );
        }
        assert!(file.sinks.iter().all(|s| !s.why.is_empty()));
        assert!(file.sanitizers.iter().all(|s| !s.why.is_empty()));
    }
}
