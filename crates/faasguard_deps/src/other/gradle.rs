//! Gradle dependency lock state: `gradle.lockfile` (Gradle 6+, one file
//! with `group:artifact:version=configuration,...` lines and an `empty=`
//! line for configurations without dependencies) and the older
//! per-configuration `gradle/dependency-locks/<configuration>.lockfile`
//! (`group:artifact:version` lines).
//!
//! A package locked only in test configurations (`testCompileClasspath`,
//! `integrationTestRuntimeClasspath`, ...) is for development. The lock
//! does not say which dependencies the build script declares, so none is
//! marked direct.

use std::collections::HashSet;

use crate::lines::trimmed_lines;
use crate::{Ecosystem, Lockfile, Package, Problem, Source};

const REGENERATE: &str = "regenerate it with `gradle dependencies --write-locks`";

pub(crate) fn parse(text: &str, lock: &mut Lockfile) {
    // The old format names the configuration by the file.
    let file_stem =
        lock.path.rsplit('/').next().and_then(|f| f.strip_suffix(".lockfile")).unwrap_or("");
    let file_configuration = (file_stem != "gradle").then(|| file_stem.to_string());
    let mut seen = HashSet::new();
    for (content, span) in trimmed_lines(text, lock.file) {
        if content.starts_with('#') {
            continue;
        }
        let (coordinates, configurations) = match content.split_once('=') {
            Some(("empty", _)) => continue,
            Some((coordinates, configurations)) => (
                coordinates.trim(),
                configurations.split(',').map(str::trim).filter(|c| !c.is_empty()).collect(),
            ),
            None => (content, file_configuration.iter().map(String::as_str).collect::<Vec<_>>()),
        };
        let parts: Vec<&str> = coordinates.split(':').collect();
        let [group, artifact, version] = parts.as_slice() else {
            lock.problems.push(Problem {
                span,
                message: format!("`{coordinates}` is not `group:artifact:version`; {REGENERATE}"),
            });
            continue;
        };
        if group.is_empty() || artifact.is_empty() || version.is_empty() {
            lock.problems.push(Problem {
                span,
                message: format!(
                    "`{coordinates}` has an empty group, artifact or version; {REGENERATE}"
                ),
            });
            continue;
        }
        let dev = !configurations.is_empty()
            && configurations.iter().all(|c| c.to_ascii_lowercase().contains("test"));
        let name = format!("{group}:{artifact}");
        if !seen.insert((name.clone(), version.to_string())) {
            continue;
        }
        lock.packages.push(Package {
            name,
            version: version.to_string(),
            requirement: None,
            ecosystem: Ecosystem::Maven,
            direct: false,
            dev,
            source: Source::Registry,
            install_script: false,
            dependencies: Vec::new(),
            span,
        });
    }
}
