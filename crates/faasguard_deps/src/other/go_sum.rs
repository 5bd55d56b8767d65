//! `go.sum`: the checksums of the Go modules a build needs.
//!
//! Each line is `module version hash`: `h1:` hashes either the module's
//! files (`v1.2.3`) or only its `go.mod` (`v1.2.3/go.mod`). A module listed
//! only by its `go.mod` took part in version selection but its code is not
//! built, so those lines are skipped; the others are the modules compiled
//! in. Versions are kept as written (`v0.0.0-20200101000000-abcdef123456`
//! pseudo-versions, `+incompatible`). go.sum does not say which modules
//! `go.mod` requires, so none is marked direct.

use std::collections::HashSet;

use crate::lines::trimmed_lines;
use crate::{Ecosystem, Lockfile, Package, Problem, Source};

const REGENERATE: &str = "regenerate it with `go mod tidy`";

pub(crate) fn parse(text: &str, lock: &mut Lockfile) {
    let mut seen = HashSet::new();
    for (content, span) in trimmed_lines(text, lock.file) {
        let fields: Vec<&str> = content.split_ascii_whitespace().collect();
        let [module, version, hash] = fields.as_slice() else {
            lock.problems.push(Problem {
                span,
                message: format!(
                    "a go.sum line is `module version hash`, this one has {} fields; {REGENERATE}",
                    fields.len()
                ),
            });
            continue;
        };
        if !hash.starts_with("h1:") || hash.len() <= 3 {
            lock.problems.push(Problem {
                span,
                message: format!("`{hash}` is not a go.sum hash (`h1:` and base64); {REGENERATE}"),
            });
            continue;
        }
        if !version.starts_with('v') {
            lock.problems.push(Problem {
                span,
                message: format!(
                    "`{version}` is not a module version (they start with `v`); {REGENERATE}"
                ),
            });
            continue;
        }
        if version.ends_with("/go.mod") {
            continue;
        }
        if !seen.insert((module.to_string(), version.to_string())) {
            continue;
        }
        lock.packages.push(Package {
            name: module.to_string(),
            version: version.to_string(),
            requirement: None,
            ecosystem: Ecosystem::Go,
            direct: false,
            dev: false,
            source: Source::Registry,
            install_script: false,
            dependencies: Vec::new(),
            span,
        });
    }
}
