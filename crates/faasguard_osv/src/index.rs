//! Advisories held in memory, keyed by package: the embedded snapshot, and
//! any OSV export zip read from bytes.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::sync::Arc;

use crate::versions::base_ecosystem;
use crate::{Advisory, AdvisorySource, SourceInfo, parse_advisory};

/// One zip entry larger than this is refused rather than decompressed:
/// the largest OSV records (kernel advisories with thousands of commits)
/// are a few MB, and a compressed entry can claim any size.
pub const MAX_ENTRY_BYTES: u64 = 16 * 1024 * 1024;

/// A package's name as its ecosystem compares names: PyPI names are
/// PEP 503 normalised (lower case, each run of `-`, `_`, `.` one `-`), so
/// `PyYAML`, `pyyaml` and `py_yaml` differ as PyPI says; other ecosystems'
/// names are compared as written.
pub fn normalize_name<'a>(ecosystem: &str, name: &'a str) -> Cow<'a, str> {
    if base_ecosystem(ecosystem) != "PyPI" {
        return Cow::Borrowed(name);
    }
    let already = !name.bytes().any(|b| b.is_ascii_uppercase() || b == b'_' || b == b'.')
        && !name.contains("--");
    if already && name.is_ascii() {
        return Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_run {
                out.push('-');
            }
            in_run = true;
        } else {
            out.extend(c.to_lowercase());
            in_run = false;
        }
    }
    Cow::Owned(out)
}

/// What reading one export zip gave.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ZipLoad {
    /// Entries read as OSV records and inserted.
    pub records: usize,
    /// One message per entry that could not be read (damaged, too large,
    /// not an OSV record); each names the entry. They are not fatal.
    pub errors: Vec<String>,
}

/// Advisories in memory, looked up by (ecosystem, normalised name).
#[derive(Debug, Clone)]
pub struct MemoryIndex {
    info: SourceInfo,
    by_id: HashMap<String, Arc<Advisory>>,
    /// ecosystem -> normalised name -> advisories naming that package.
    by_package: HashMap<String, HashMap<String, Vec<Arc<Advisory>>>>,
}

impl MemoryIndex {
    /// An empty index describing itself as `info` (its `count` is
    /// replaced by the number of advisories actually held).
    pub fn new(info: SourceInfo) -> MemoryIndex {
        MemoryIndex { info, by_id: HashMap::new(), by_package: HashMap::new() }
    }

    /// Adds one advisory under every package it names. A second record
    /// with the same `id` replaces the first when its `modified` is the
    /// same or later (exports overlap when sources are combined), and is
    /// ignored otherwise.
    pub fn insert(&mut self, mut adv: Advisory) {
        // Parsing leaves spare capacity in the lists (a 45-entry `versions`
        // list holds room for 64); held for the index's lifetime, it adds up.
        for entry in &mut adv.affected {
            entry.versions.shrink_to_fit();
            entry.ranges.shrink_to_fit();
        }
        adv.affected.shrink_to_fit();
        adv.references.shrink_to_fit();
        adv.aliases.shrink_to_fit();
        if let Some(old) = self.by_id.get(&adv.id) {
            if adv.modified < old.modified {
                return;
            }
            let old = Arc::clone(old);
            self.remove_from_packages(&old);
        }
        let adv = Arc::new(adv);
        let mut keys: Vec<(&str, Cow<'_, str>)> = Vec::new();
        for entry in &adv.affected {
            let Some(package) = &entry.package else {
                continue;
            };
            let key =
                (package.ecosystem.as_str(), normalize_name(&package.ecosystem, &package.name));
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        for (ecosystem, name) in keys {
            if !self.by_package.contains_key(ecosystem) {
                self.by_package.insert(ecosystem.to_string(), HashMap::new());
            }
            let Some(names) = self.by_package.get_mut(ecosystem) else {
                continue;
            };
            match names.get_mut(name.as_ref()) {
                Some(list) => list.push(Arc::clone(&adv)),
                None => {
                    names.insert(name.into_owned(), vec![Arc::clone(&adv)]);
                }
            }
        }
        self.by_id.insert(adv.id.clone(), adv);
    }

    fn remove_from_packages(&mut self, old: &Arc<Advisory>) {
        for entry in &old.affected {
            let Some(package) = &entry.package else {
                continue;
            };
            let name = normalize_name(&package.ecosystem, &package.name);
            if let Some(list) = self
                .by_package
                .get_mut(&package.ecosystem)
                .and_then(|names| names.get_mut(name.as_ref()))
            {
                list.retain(|a| !Arc::ptr_eq(a, old));
            }
        }
    }

    /// Reads an OSV export zip (`<ecosystem>/all.zip`: one JSON record per
    /// entry) from memory into a new index. `name` labels the zip in
    /// messages (a file name or URL). Fails only when the archive itself
    /// cannot be read; bad entries are listed in the [`ZipLoad`].
    pub fn from_zip(
        bytes: &[u8],
        name: &str,
        info: SourceInfo,
    ) -> Result<(MemoryIndex, ZipLoad), String> {
        let mut index = MemoryIndex::new(info);
        let load = index.add_zip(bytes, name)?;
        Ok((index, load))
    }

    /// Adds every record of an OSV export zip to this index (see
    /// [`MemoryIndex::from_zip`]).
    pub fn add_zip(&mut self, bytes: &[u8], name: &str) -> Result<ZipLoad, String> {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            format!(
                "{name} is not a readable zip archive ({e}); an OSV export is a zip of JSON \
                 records: download it again"
            )
        })?;
        let mut load = ZipLoad::default();
        for i in 0..archive.len() {
            let mut file = match archive.by_index(i) {
                Ok(file) => file,
                Err(e) => {
                    load.errors.push(format!(
                        "{name}: entry #{i} cannot be read ({e}); the archive is damaged: \
                         download it again"
                    ));
                    continue;
                }
            };
            if file.is_dir() {
                continue;
            }
            let entry = file.name().map(|n| n.to_string()).unwrap_or_else(|_| format!("#{i}"));
            if file.size() > MAX_ENTRY_BYTES {
                load.errors.push(format!(
                    "{name}: entry `{entry}` is {} bytes, over the {MAX_ENTRY_BYTES}-byte limit \
                     for one record; it was skipped (an OSV record is never that large: check \
                     the source)",
                    file.size()
                ));
                continue;
            }
            let mut buf = Vec::with_capacity(usize::try_from(file.size()).unwrap_or(0));
            if let Err(e) = (&mut file).take(MAX_ENTRY_BYTES + 1).read_to_end(&mut buf) {
                load.errors.push(format!(
                    "{name}: entry `{entry}` cannot be decompressed ({e}); the archive is \
                     damaged: download it again"
                ));
                continue;
            }
            if buf.len() as u64 > MAX_ENTRY_BYTES {
                load.errors.push(format!(
                    "{name}: entry `{entry}` decompresses to more than {MAX_ENTRY_BYTES} bytes; \
                     it was skipped (check the source)"
                ));
                continue;
            }
            match parse_advisory(&buf) {
                Ok(adv) => {
                    self.insert(adv);
                    load.records += 1;
                }
                Err(e) => load.errors.push(format!(
                    "{name}: entry `{entry}` is not an OSV record ({e}); it was skipped: report \
                     it to the source if the export is current"
                )),
            }
        }
        Ok(load)
    }

    /// Advisories held (each once, however many packages it names).
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether no advisory is held.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// The advisory with this id, if held.
    pub fn get(&self, id: &str) -> Option<Arc<Advisory>> {
        self.by_id.get(id).cloned()
    }
}

impl AdvisorySource for MemoryIndex {
    fn lookup(&self, ecosystem: &str, name: &str) -> Vec<Arc<Advisory>> {
        let name = normalize_name(ecosystem, name);
        self.by_package
            .get(ecosystem)
            .and_then(|names| names.get(name.as_ref()))
            .cloned()
            .unwrap_or_default()
    }

    fn info(&self) -> SourceInfo {
        SourceInfo { count: self.by_id.len(), ..self.info.clone() }
    }
}
