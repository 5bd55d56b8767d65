//! Dependencies: lockfiles and manifests parsed, with locations, into one
//! package model.
//!
//! One parser per format, grouped by ecosystem (`npm/`, `python/`,
//! `other/`), each turning a file's text into a [`Lockfile`]: the packages
//! it pins or asks for, where each is written, and the problems met on the
//! way. Like every analysis crate this one is pure: it reads no files, and
//! a parser never panics and never gives up on the whole file: what it
//! cannot read becomes a [`Problem`] with a span, and the rest is kept.

mod lines;
mod npm;
mod other;
mod python;
mod toml;
pub mod typosquat;

use faasguard_source::{FileId, Span};

/// A package ecosystem, named as OSV names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ecosystem {
    Npm,
    PyPI,
    Go,
    CratesIo,
    Maven,
}

impl Ecosystem {
    /// The OSV `ecosystem` string (`npm`, `PyPI`, `Go`, `crates.io`, `Maven`).
    pub fn osv_name(self) -> &'static str {
        match self {
            Ecosystem::Npm => "npm",
            Ecosystem::PyPI => "PyPI",
            Ecosystem::Go => "Go",
            Ecosystem::CratesIo => "crates.io",
            Ecosystem::Maven => "Maven",
        }
    }

    /// The package-URL type (`pkg:<type>/...`).
    pub fn purl_type(self) -> &'static str {
        match self {
            Ecosystem::Npm => "npm",
            Ecosystem::PyPI => "pypi",
            Ecosystem::Go => "golang",
            Ecosystem::CratesIo => "cargo",
            Ecosystem::Maven => "maven",
        }
    }

    /// The name as the ecosystem compares names: PyPI folds case and treats
    /// runs of `-`, `_` and `.` as one `-` (PEP 503); the others compare
    /// names as written.
    pub fn normalize(self, name: &str) -> String {
        match self {
            Ecosystem::PyPI => {
                let mut out = String::with_capacity(name.len());
                let mut sep = false;
                for c in name.trim().chars() {
                    if matches!(c, '-' | '_' | '.') {
                        sep = true;
                        continue;
                    }
                    if sep && !out.is_empty() {
                        out.push('-');
                    }
                    sep = false;
                    out.push(c.to_ascii_lowercase());
                }
                out
            }
            _ => name.to_string(),
        }
    }
}

/// The formats read, each recognised by its file name ([`LockfileKind::of_path`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LockfileKind {
    /// `package-lock.json`, lockfileVersion 1, 2 or 3.
    PackageLock,
    /// `npm-shrinkwrap.json` (the package-lock format, published with the package).
    NpmShrinkwrap,
    /// `yarn.lock`, classic (v1) or berry (YAML).
    YarnLock,
    /// `pnpm-lock.yaml`.
    PnpmLock,
    /// `package.json`: ranges only; read for direct dependencies, and as the
    /// package list when the directory has no lockfile.
    PackageJson,
    /// `requirements*.txt` (and `*.txt` under a `requirements/` directory).
    Requirements,
    /// `Pipfile.lock`.
    PipfileLock,
    /// `poetry.lock`.
    PoetryLock,
    /// `uv.lock`.
    UvLock,
    /// `pyproject.toml` (`[project]` and Poetry dependency tables).
    Pyproject,
    /// `go.sum`.
    GoSum,
    /// `Cargo.lock`.
    CargoLock,
    /// Maven `pom.xml`.
    PomXml,
    /// Gradle dependency lock state (`gradle.lockfile`, `*.lockfile` under
    /// `gradle/dependency-locks/`).
    GradleLockfile,
}

impl LockfileKind {
    /// Every kind, in a fixed order.
    pub const ALL: [LockfileKind; 14] = [
        LockfileKind::PackageLock,
        LockfileKind::NpmShrinkwrap,
        LockfileKind::YarnLock,
        LockfileKind::PnpmLock,
        LockfileKind::PackageJson,
        LockfileKind::Requirements,
        LockfileKind::PipfileLock,
        LockfileKind::PoetryLock,
        LockfileKind::UvLock,
        LockfileKind::Pyproject,
        LockfileKind::GoSum,
        LockfileKind::CargoLock,
        LockfileKind::PomXml,
        LockfileKind::GradleLockfile,
    ];

    /// The kind of a file, from its path (`/` separators), or `None`.
    pub fn of_path(path: &str) -> Option<LockfileKind> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let lower = name.to_ascii_lowercase();
        let parent = path.rsplit('/').nth(1).unwrap_or("").to_ascii_lowercase();
        Some(match lower.as_str() {
            "package-lock.json" => LockfileKind::PackageLock,
            "npm-shrinkwrap.json" => LockfileKind::NpmShrinkwrap,
            "yarn.lock" => LockfileKind::YarnLock,
            "pnpm-lock.yaml" => LockfileKind::PnpmLock,
            "package.json" => LockfileKind::PackageJson,
            "pipfile.lock" => LockfileKind::PipfileLock,
            "poetry.lock" => LockfileKind::PoetryLock,
            "uv.lock" => LockfileKind::UvLock,
            "pyproject.toml" => LockfileKind::Pyproject,
            "go.sum" => LockfileKind::GoSum,
            "cargo.lock" => LockfileKind::CargoLock,
            "pom.xml" => LockfileKind::PomXml,
            "gradle.lockfile" => LockfileKind::GradleLockfile,
            _ if lower.ends_with(".lockfile") && parent == "dependency-locks" => {
                LockfileKind::GradleLockfile
            }
            _ if lower.ends_with(".txt")
                && (lower.starts_with("requirements") || parent == "requirements") =>
            {
                LockfileKind::Requirements
            }
            _ => return None,
        })
    }

    /// The ecosystem of the packages it lists.
    pub fn ecosystem(self) -> Ecosystem {
        match self {
            LockfileKind::PackageLock
            | LockfileKind::NpmShrinkwrap
            | LockfileKind::YarnLock
            | LockfileKind::PnpmLock
            | LockfileKind::PackageJson => Ecosystem::Npm,
            LockfileKind::Requirements
            | LockfileKind::PipfileLock
            | LockfileKind::PoetryLock
            | LockfileKind::UvLock
            | LockfileKind::Pyproject => Ecosystem::PyPI,
            LockfileKind::GoSum => Ecosystem::Go,
            LockfileKind::CargoLock => Ecosystem::CratesIo,
            LockfileKind::PomXml | LockfileKind::GradleLockfile => Ecosystem::Maven,
        }
    }

    /// Whether the file states requirements (ranges) rather than resolved
    /// versions: a manifest's packages are read for direct dependencies,
    /// and stand for the installed set only when no lockfile sits beside it.
    pub fn is_manifest(self) -> bool {
        matches!(self, LockfileKind::PackageJson | LockfileKind::Pyproject | LockfileKind::PomXml)
    }

    /// A short name for messages (`package-lock.json`, `yarn.lock`, ...).
    pub fn name(self) -> &'static str {
        match self {
            LockfileKind::PackageLock => "package-lock.json",
            LockfileKind::NpmShrinkwrap => "npm-shrinkwrap.json",
            LockfileKind::YarnLock => "yarn.lock",
            LockfileKind::PnpmLock => "pnpm-lock.yaml",
            LockfileKind::PackageJson => "package.json",
            LockfileKind::Requirements => "requirements.txt",
            LockfileKind::PipfileLock => "Pipfile.lock",
            LockfileKind::PoetryLock => "poetry.lock",
            LockfileKind::UvLock => "uv.lock",
            LockfileKind::Pyproject => "pyproject.toml",
            LockfileKind::GoSum => "go.sum",
            LockfileKind::CargoLock => "Cargo.lock",
            LockfileKind::PomXml => "pom.xml",
            LockfileKind::GradleLockfile => "gradle.lockfile",
        }
    }
}

/// Where a package comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Source {
    /// The ecosystem's registry (npmjs, PyPI, proxy.golang.org, crates.io,
    /// Maven Central or a mirror of one).
    Registry,
    /// A git repository (`git+https://...#commit`, `github:user/repo`,
    /// `pkg @ git+https://...`).
    Git { url: String },
    /// A local directory or archive (`file:../lib`, `-e ./lib`, `link:`).
    Path { path: String },
    /// A tarball or wheel at a URL outside the registry.
    Url { url: String },
}

/// One package a file pins or asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct Package {
    /// The name as written (`@scope/name` for npm, `group:artifact` for Maven).
    pub name: String,
    /// The exact version installed, or empty when the file only gives a
    /// range (see [`Package::requirement`]) or nothing.
    pub version: String,
    /// The requirement as written (`^1.2.0`, `>=2,<3`), for manifests and
    /// unpinned lines; `None` in lockfiles.
    pub requirement: Option<String>,
    pub ecosystem: Ecosystem,
    /// Listed by the project itself rather than pulled in by another package.
    pub direct: bool,
    /// Only for development (`devDependencies`, `dev: true`, Poetry's dev
    /// groups, `[tool.uv] dev-dependencies`): not shipped with the function.
    pub dev: bool,
    pub source: Source,
    /// npm's `hasInstallScript`: the package runs code when installed.
    pub install_script: bool,
    /// The packages it depends on, by name with the version or requirement
    /// the file gives (`("ms", "2.1.3")`); empty where the format does not say.
    pub dependencies: Vec<(String, String)>,
    /// Where the package is written: the entry's key or line.
    pub span: Span,
}

impl Package {
    /// Whether an exact version is known.
    pub fn pinned(&self) -> bool {
        !self.version.is_empty()
    }

    /// The package URL (`pkg:npm/%40scope/name@1.0.0`, `pkg:pypi/pyyaml@3.13`,
    /// `pkg:maven/org.example/lib@1.0`, `pkg:golang/github.com/a/b@v1.2.0`),
    /// as the purl specification writes each type: PyPI names lowercased with
    /// `_` as `-`, each path segment percent-encoded.
    pub fn purl(&self) -> String {
        let eco = self.ecosystem;
        let name = match eco {
            Ecosystem::PyPI => self.name.trim().to_ascii_lowercase().replace('_', "-"),
            Ecosystem::Maven => self.name.replacen(':', "/", 1),
            _ => self.name.clone(),
        };
        let path: Vec<String> = name.split('/').map(purl_encode).collect();
        let mut out = format!("pkg:{}/{}", eco.purl_type(), path.join("/"));
        if !self.version.is_empty() {
            out.push('@');
            out.push_str(&purl_encode(&self.version));
        }
        out
    }
}

/// Percent-encodes what a purl segment may not hold as is: everything but
/// ASCII letters, digits and `.-_~` (so npm's `@scope` is `%40scope`).
fn purl_encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Something in a file that could not be read as the format says, or that
/// the reader should know (a `-r` include that is not in the scan). The
/// message says what and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub span: Span,
    pub message: String,
}

/// One parsed lockfile or manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct Lockfile {
    pub file: FileId,
    /// Display path (`/` separators).
    pub path: String,
    pub kind: LockfileKind,
    /// In file order; a package that appears twice at the same version (npm
    /// v2 lists both `packages` and `dependencies`) is listed once.
    pub packages: Vec<Package>,
    /// Other files this one includes (`-r other.txt`, `-c constraints.txt`),
    /// as written, relative to this file's directory, with where.
    pub includes: Vec<(String, Span)>,
    pub problems: Vec<Problem>,
}

impl Lockfile {
    /// A file of `kind` with nothing read yet (also what stands for a file
    /// that could not be read, with a problem saying why).
    pub fn empty(file: FileId, path: &str, kind: LockfileKind) -> Lockfile {
        Lockfile {
            file,
            path: path.to_string(),
            kind,
            packages: Vec::new(),
            includes: Vec::new(),
            problems: Vec::new(),
        }
    }
}

/// Most packages read from one file: past it, the rest is reported as a
/// problem rather than read, so a hostile file cannot exhaust memory.
pub const MAX_PACKAGES: usize = 200_000;

/// Parses `text` as a file of `kind`. Never panics; what cannot be read is
/// in [`Lockfile::problems`].
pub fn parse(kind: LockfileKind, file: FileId, path: &str, text: &str) -> Lockfile {
    let mut lock = Lockfile::empty(file, path, kind);
    match kind {
        LockfileKind::PackageLock | LockfileKind::NpmShrinkwrap => {
            npm::package_lock::parse(text, &mut lock)
        }
        LockfileKind::YarnLock => npm::yarn::parse(text, &mut lock),
        LockfileKind::PnpmLock => npm::pnpm::parse(text, &mut lock),
        LockfileKind::PackageJson => npm::package_json::parse(text, &mut lock),
        LockfileKind::Requirements => python::requirements::parse(text, &mut lock),
        LockfileKind::PipfileLock => python::pipfile_lock::parse(text, &mut lock),
        LockfileKind::PoetryLock => python::poetry::parse(text, &mut lock),
        LockfileKind::UvLock => python::uv::parse(text, &mut lock),
        LockfileKind::Pyproject => python::pyproject::parse(text, &mut lock),
        LockfileKind::GoSum => other::go_sum::parse(text, &mut lock),
        LockfileKind::CargoLock => other::cargo_lock::parse(text, &mut lock),
        LockfileKind::PomXml => other::maven::parse(text, &mut lock),
        LockfileKind::GradleLockfile => other::gradle::parse(text, &mut lock),
    }
    if kind == LockfileKind::PnpmLock {
        mark_dev_only(&mut lock.packages);
    }
    if lock.packages.len() > MAX_PACKAGES {
        lock.packages.truncate(MAX_PACKAGES);
        lock.problems.push(Problem {
            span: Span::file_start(file),
            message: format!(
                "more than {MAX_PACKAGES} packages; only the first {MAX_PACKAGES} were read; \
                 split the project or scan its functions separately"
            ),
        });
    }
    lock
}

/// Marks as development-only the packages that only development
/// dependencies pull in: those the direct dependencies for development
/// reach through `dependencies` and the shipped direct dependencies do
/// not. For lockfiles that say which direct dependencies are for
/// development but not which transitive ones (pnpm 9): without this, the
/// test runner's whole tree would count as shipped. A dependency is
/// followed to every package of its name (the version, when the edge
/// names one that is locked), so a package is never marked dev by a
/// guess about which copy an edge meant.
fn mark_dev_only(packages: &mut [Package]) {
    let has_edges = packages.iter().any(|p| !p.dependencies.is_empty());
    let has_dev_roots = packages.iter().any(|p| p.direct && p.dev);
    if !has_edges || !has_dev_roots {
        return;
    }
    let mut by_name: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
    for (i, p) in packages.iter().enumerate() {
        by_name.entry(p.name.as_str()).or_default().push(i);
    }
    let targets = |i: usize| -> Vec<usize> {
        let mut out = Vec::new();
        for (name, version) in &packages[i].dependencies {
            let Some(list) = by_name.get(name.as_str()) else { continue };
            let exact: Vec<usize> =
                list.iter().copied().filter(|&j| packages[j].version == *version).collect();
            out.extend(if exact.is_empty() { list.clone() } else { exact });
        }
        out
    };
    let reach = |roots: Vec<usize>| -> Vec<bool> {
        let mut seen = vec![false; packages.len()];
        let mut stack = roots;
        while let Some(i) = stack.pop() {
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
            stack.extend(targets(i).into_iter().filter(|&j| !seen[j]));
        }
        seen
    };
    let shipped =
        reach((0..packages.len()).filter(|&i| packages[i].direct && !packages[i].dev).collect());
    let for_dev =
        reach((0..packages.len()).filter(|&i| packages[i].direct && packages[i].dev).collect());
    for (i, p) in packages.iter_mut().enumerate() {
        if for_dev[i] && !shipped[i] {
            p.dev = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_paths() {
        assert_eq!(LockfileKind::of_path("a/b/package-lock.json"), Some(LockfileKind::PackageLock));
        assert_eq!(LockfileKind::of_path("requirements-dev.txt"), Some(LockfileKind::Requirements));
        assert_eq!(
            LockfileKind::of_path("requirements/base.txt"),
            Some(LockfileKind::Requirements)
        );
        assert_eq!(LockfileKind::of_path("notes.txt"), None);
        assert_eq!(
            LockfileKind::of_path("gradle/dependency-locks/compileClasspath.lockfile"),
            Some(LockfileKind::GradleLockfile)
        );
        assert_eq!(LockfileKind::of_path("src/Cargo.lock"), Some(LockfileKind::CargoLock));
    }

    #[test]
    fn pnpm_dev_trees_are_dev_only() {
        let text = "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      express:\n        specifier: ^4.0.0\n        version: 4.21.2\n    devDependencies:\n      jest:\n        specifier: ^29.0.0\n        version: 29.7.0\n\npackages:\n\n  express@4.21.2:\n    resolution: {integrity: sha512-a}\n\n  jest@29.7.0:\n    resolution: {integrity: sha512-b}\n\n  ms@2.1.3:\n    resolution: {integrity: sha512-c}\n\n  semver@7.6.0:\n    resolution: {integrity: sha512-d}\n\nsnapshots:\n\n  express@4.21.2:\n    dependencies:\n      ms: 2.1.3\n\n  jest@29.7.0:\n    dependencies:\n      ms: 2.1.3\n      semver: 7.6.0\n\n  ms@2.1.3: {}\n\n  semver@7.6.0: {}\n";
        let lock = parse(LockfileKind::PnpmLock, FileId(0), "pnpm-lock.yaml", text);
        assert!(lock.problems.is_empty(), "{:?}", lock.problems);
        let dev: Vec<(&str, bool)> =
            lock.packages.iter().map(|p| (p.name.as_str(), p.dev)).collect();
        // ms ships (express needs it) though jest needs it too; semver
        // only jest pulls in.
        assert_eq!(dev, [("express", false), ("jest", true), ("ms", false), ("semver", true)]);
    }

    #[test]
    fn purls_follow_the_spec() {
        let p = |eco, name: &str, version: &str| Package {
            name: name.to_string(),
            version: version.to_string(),
            requirement: None,
            ecosystem: eco,
            direct: true,
            dev: false,
            source: Source::Registry,
            install_script: false,
            dependencies: Vec::new(),
            span: Span::file_start(FileId(0)),
        };
        for (eco, name, version, purl) in [
            (Ecosystem::Npm, "@types/node", "20.1.0", "pkg:npm/%40types/node@20.1.0"),
            (Ecosystem::PyPI, "Zope_Interface", "6.0", "pkg:pypi/zope-interface@6.0"),
            (Ecosystem::PyPI, "zope.interface", "", "pkg:pypi/zope.interface"),
            (
                Ecosystem::Maven,
                "org.apache.logging.log4j:log4j-core",
                "2.14.1",
                "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
            ),
            (
                Ecosystem::Go,
                "github.com/gin-gonic/gin",
                "v1.9.1",
                "pkg:golang/github.com/gin-gonic/gin@v1.9.1",
            ),
            (Ecosystem::CratesIo, "serde", "1.0.0+build", "pkg:cargo/serde@1.0.0%2Bbuild"),
            (Ecosystem::Npm, "we ird?", "1", "pkg:npm/we%20ird%3F@1"),
        ] {
            assert_eq!(p(eco, name, version).purl(), purl);
        }
    }

    #[test]
    fn pypi_names_normalise() {
        assert_eq!(Ecosystem::PyPI.normalize("PyYAML"), "pyyaml");
        assert_eq!(Ecosystem::PyPI.normalize("zope.interface"), "zope-interface");
        assert_eq!(Ecosystem::PyPI.normalize("Foo__Bar-.baz"), "foo-bar-baz");
        assert_eq!(Ecosystem::Npm.normalize("JSONStream"), "JSONStream");
    }
}
