//! How npm reads a dependency spec (`^1.2.0`, `npm:real@^1`, `github:u/r`,
//! `file:../lib`) and a `resolved` URL, and the collector that lists each
//! locked package once: shared by every npm reader, since `yarn.lock` keys,
//! berry descriptors and pnpm references are written in the same language.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};

use crate::{Lockfile, MAX_PACKAGES, Package, Source};

/// What a dependency spec (`^1.2.0`, `npm:real@^1`, `github:u/r`,
/// `file:../lib`) asks for.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Spec<'a> {
    /// The registry name an alias (`npm:real@^1`) stands for.
    pub(super) alias_of: Option<&'a str>,
    /// The range or tag, alias and protocol stripped (for registry specs).
    pub(super) range: &'a str,
    pub(super) source: Source,
}

/// Reads a spec as npm-package-arg (and yarn and pnpm, which extend it
/// with `link:`, `portal:`, `workspace:`, `patch:`) would.
pub(super) fn classify(spec: &str) -> Spec<'_> {
    let spec = spec.trim();
    let registry = |range| Spec { alias_of: None, range, source: Source::Registry };
    let other = |source| Spec { alias_of: None, range: spec, source };
    if let Some(rest) = spec.strip_prefix("npm:") {
        return match split_name(rest) {
            Some((name, range)) => Spec { alias_of: Some(name), range, source: Source::Registry },
            // `npm:@scope/name` (an alias without range) or berry's `npm:^1.0.0`.
            None if rest.starts_with('@') => {
                Spec { alias_of: Some(rest), range: "", source: Source::Registry }
            }
            None => registry(rest),
        };
    }
    if let Some(rest) = spec.strip_prefix("patch:") {
        // berry: `patch:name@npm%3A1.0.0#./patches/name.patch`: the patched
        // package is what the inner descriptor says.
        let inner = rest.split('#').next().unwrap_or(rest);
        return match split_name(inner) {
            Some((name, range)) => {
                let range = range.strip_prefix("npm%3A").or_else(|| range.strip_prefix("npm:"));
                match range {
                    Some(r) => Spec { alias_of: Some(name), range: r, source: Source::Registry },
                    None => Spec {
                        alias_of: Some(name),
                        range: "",
                        source: source_of_url(&inner[name.len() + 1..].replace("%3A", ":")),
                    },
                }
            }
            None => other(Source::Path { path: spec.to_string() }),
        };
    }
    for prefix in ["file:", "link:", "portal:", "exec:"] {
        if let Some(rest) = spec.strip_prefix(prefix) {
            return other(Source::Path { path: rest.to_string() });
        }
    }
    if spec.starts_with("workspace:") {
        return other(Source::Path { path: spec.to_string() });
    }
    if is_git(spec) {
        return other(Source::Git { url: spec.to_string() });
    }
    if spec.starts_with("http://") || spec.starts_with("https://") {
        return other(source_of_url(spec));
    }
    if is_local_path(spec) {
        return other(Source::Path { path: spec.to_string() });
    }
    if is_github_shorthand(spec) {
        return other(Source::Git { url: format!("github:{spec}") });
    }
    registry(spec)
}

/// Where a lockfile's `resolved` URL (or pnpm `tarball`) points.
pub(super) fn source_of_url(url: &str) -> Source {
    let url = url.trim();
    if url.is_empty() {
        return Source::Registry;
    }
    if is_git(url) {
        return Source::Git { url: url.to_string() };
    }
    for prefix in ["file:", "link:", "portal:"] {
        if let Some(rest) = url.strip_prefix(prefix) {
            return Source::Path { path: rest.to_string() };
        }
    }
    if let Some(rest) = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")) {
        let host = rest.split('/').next().unwrap_or("");
        let path = rest[host.len()..].split(['#', '?']).next().unwrap_or("");
        if is_git_host(host) {
            // A GitHub tarball (`codeload.github.com/u/r/tar.gz/<sha>`) or
            // repository URL is a git dependency at a commit.
            return Source::Git { url: url.to_string() };
        }
        // Registries (npmjs, yarnpkg, mirrors, Artifactory and the like)
        // serve tarballs at `<name>/-/<file>.tgz`.
        if path.contains("/-/") && path.ends_with(".tgz") {
            return Source::Registry;
        }
        return Source::Url { url: url.to_string() };
    }
    if is_local_path(url) {
        return Source::Path { path: url.to_string() };
    }
    if url.contains("://") {
        return Source::Url { url: url.to_string() };
    }
    Source::Registry
}

/// The version a range pins exactly (`1.2.3`, `=1.2.3`, `v1.2.3`), without
/// its `=` or `v`; `None` for real ranges, tags and anything else.
pub(super) fn exact_version(range: &str) -> Option<&str> {
    let r = range.trim();
    let r = r.strip_prefix('=').unwrap_or(r).trim_start();
    let r = r.strip_prefix('v').unwrap_or(r);
    is_semver(r).then_some(r)
}

/// `MAJOR.MINOR.PATCH` with an optional `-pre` and `+build` (no wildcards).
pub(super) fn is_semver(v: &str) -> bool {
    let (core, rest) = match v.find(['-', '+']) {
        Some(i) => (&v[..i], &v[i + 1..]),
        None => (v, ""),
    };
    let mut parts = 0;
    for part in core.split('.') {
        parts += 1;
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    parts == 3
        && rest.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+'))
        && (v.len() == core.len() || !rest.is_empty())
}

/// Splits `name@range` at the `@` after the name (a scoped name starts with
/// one); `None` when there is no range part.
pub(super) fn split_name(s: &str) -> Option<(&str, &str)> {
    let at = s.get(1..)?.find('@')? + 1;
    Some((&s[..at], &s[at + 1..]))
}

fn is_git(s: &str) -> bool {
    ["git+", "git://", "git@", "ssh://", "github:", "gitlab:", "bitbucket:", "gist:"]
        .iter()
        .any(|p| s.starts_with(p))
}

fn is_git_host(host: &str) -> bool {
    let host = host.rsplit('@').next().unwrap_or(host);
    matches!(host, "github.com" | "codeload.github.com" | "gitlab.com" | "bitbucket.org")
}

fn is_local_path(s: &str) -> bool {
    s.starts_with("./")
        || s.starts_with("../")
        || s.starts_with('/')
        || s.starts_with("~/")
        || s == "."
        || s == ".."
}

/// `user/repo` or `user/repo#ref`: npm reads it as a GitHub repository.
fn is_github_shorthand(s: &str) -> bool {
    let repo = s.split('#').next().unwrap_or(s);
    let mut parts = repo.split('/');
    let (Some(user), Some(name), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let ok = |p: &str| {
        !p.is_empty()
            && p.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    };
    ok(user) && ok(name) && !user.starts_with('.')
}

/// Packages as a lockfile lists them, one per (name, version, source): the
/// same package at several install paths is listed once, at its first
/// place, direct if any place is, dev only if every place is.
///
/// Indexed by a keyed hash of (name, version, source) with the packages
/// sharing a hash chained through `chain`, so adding a package copies
/// none of its strings.
#[derive(Default)]
pub(super) struct Collector {
    hasher: RandomState,
    /// Hash → the newest package with it.
    head: HashMap<u64, usize>,
    /// Per package, the previous package with the same hash (`usize::MAX`: none).
    chain: Vec<usize>,
}

impl Collector {
    /// Adds or merges `pkg`; returns its index in `lock.packages`, or `None`
    /// once the file holds more than [`MAX_PACKAGES`] (the caller stops;
    /// `crate::parse` reports the cut).
    pub(super) fn add(&mut self, lock: &mut Lockfile, pkg: Package) -> Option<usize> {
        let hash = self.hasher.hash_one((&pkg.name, &pkg.version, &pkg.source));
        let mut at = self.head.get(&hash).copied().unwrap_or(usize::MAX);
        while let Some(p) = lock.packages.get_mut(at) {
            if p.name == pkg.name && p.version == pkg.version && p.source == pkg.source {
                p.direct |= pkg.direct;
                p.dev &= pkg.dev;
                p.install_script |= pkg.install_script;
                if p.dependencies.is_empty() {
                    p.dependencies = pkg.dependencies;
                }
                return Some(at);
            }
            at = self.chain.get(at).copied().unwrap_or(usize::MAX);
        }
        if lock.packages.len() > MAX_PACKAGES {
            return None;
        }
        // Indices are those of `lock.packages`, which only this collector fills.
        let i = lock.packages.len();
        lock.packages.push(pkg);
        self.chain.resize(i, usize::MAX);
        self.chain.push(self.head.insert(hash, i).unwrap_or(usize::MAX));
        Some(i)
    }

    /// Whether the file already holds more packages than are read.
    pub(super) fn full(&self, lock: &Lockfile) -> bool {
        lock.packages.len() > MAX_PACKAGES
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs() {
        let s = classify("npm:@scope/real@^1.0.0");
        assert_eq!(
            (s.alias_of, s.range, s.source),
            (Some("@scope/real"), "^1.0.0", Source::Registry)
        );
        assert_eq!(classify("npm:^2.0.0").range, "^2.0.0");
        assert_eq!(
            classify("user/repo#v1").source,
            Source::Git { url: "github:user/repo#v1".into() }
        );
        assert_eq!(classify("file:../lib").source, Source::Path { path: "../lib".into() });
        assert_eq!(classify("../lib").source, Source::Path { path: "../lib".into() });
        assert_eq!(
            classify("https://example.com/x-1.0.0.tgz").source,
            Source::Url { url: "https://example.com/x-1.0.0.tgz".into() }
        );
        assert_eq!(classify(">=1.0.0 <2").source, Source::Registry);
        assert_eq!(classify("latest").source, Source::Registry);
        let p = classify("patch:resolve@npm%3A^1.20.0#~builtin<compat/resolve>");
        assert_eq!((p.alias_of, p.range, p.source), (Some("resolve"), "^1.20.0", Source::Registry));
    }

    #[test]
    fn urls() {
        assert_eq!(
            source_of_url("https://registry.yarnpkg.com/ms/-/ms-2.1.3.tgz#abc"),
            Source::Registry
        );
        assert_eq!(
            source_of_url("https://codeload.github.com/u/r/tar.gz/abc"),
            Source::Git { url: "https://codeload.github.com/u/r/tar.gz/abc".into() }
        );
        assert_eq!(
            source_of_url("git+ssh://git@github.com/u/r.git#abc").clone(),
            Source::Git { url: "git+ssh://git@github.com/u/r.git#abc".into() }
        );
        assert_eq!(
            source_of_url("file:vendor/x.tgz"),
            Source::Path { path: "vendor/x.tgz".into() }
        );
    }

    #[test]
    fn exact_versions() {
        assert_eq!(exact_version("1.2.3"), Some("1.2.3"));
        assert_eq!(exact_version("=1.2.3"), Some("1.2.3"));
        assert_eq!(exact_version("v1.2.3-rc.1+b5"), Some("1.2.3-rc.1+b5"));
        for r in ["^1.2.3", "1.2", "1.2.x", "*", "", "1.2.3 - 2", "1.2.3-", "01.2.3.4"] {
            assert_eq!(exact_version(r), None, "{r}");
        }
    }

    #[test]
    fn names() {
        assert_eq!(split_name("@s/n@^1"), Some(("@s/n", "^1")));
        assert_eq!(split_name("a@npm:b@1"), Some(("a", "npm:b@1")));
        assert_eq!(split_name("@s/n"), None);
        assert_eq!(split_name(""), None);
    }
}
