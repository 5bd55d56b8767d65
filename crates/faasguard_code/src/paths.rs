//! Display paths (`/`-separated, relative to the scan root, as the
//! `SourceDb` holds them) and how the runtimes turn an import into one.
//! Written by hand: these are not file-system paths, nothing may be
//! resolved against the disk, and `..` must never climb above the root.

/// Extensions Node.js (and the bundlers that compile TypeScript for it)
/// tries for a relative specifier without one, in order.
pub const NODE_EXTENSIONS: &[&str] = &["js", "mjs", "cjs", "ts", "mts", "cts", "tsx", "jsx"];

/// The directory part of a display path (`""` for a file at the root).
pub fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// `rel` joined to directory `base`, normalised; `None` when `..` climbs
/// out of the scan root.
pub fn join(base: &str, rel: &str) -> Option<String> {
    if base.is_empty() { normalize(rel) } else { normalize(&format!("{base}/{rel}")) }
}

/// A display path without `.`, empty segments or `..` (which must not
/// climb above the root).
pub fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Whether display path `path` is `dir` or lies under it (`""` holds all).
pub fn under(path: &str, dir: &str) -> bool {
    dir.is_empty() || path == dir || path.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
}

/// The files a relative Node.js specifier (`./store`, `../lib/x.js`) may
/// name, from the importing file's directory, most likely first; empty for
/// a package (`aws-sdk`), which is not followed.
pub fn node_candidates(dir: &str, spec: &str) -> Vec<String> {
    if !(spec.starts_with("./") || spec.starts_with("../") || spec == "." || spec == "..") {
        return Vec::new();
    }
    let Some(base) = join(dir, spec) else { return Vec::new() };
    let mut candidates = vec![base.clone()];
    // TypeScript written for ESM imports `./x.js` for the source `./x.ts`.
    for (js, ts) in
        [(".js", ".ts"), (".mjs", ".mts"), (".cjs", ".cts"), (".js", ".tsx"), (".jsx", ".tsx")]
    {
        if let Some(stem) = base.strip_suffix(js) {
            candidates.push(format!("{stem}{ts}"));
        }
    }
    candidates.extend(NODE_EXTENSIONS.iter().map(|e| format!("{base}.{e}")));
    let index = if base.is_empty() { "index".to_string() } else { format!("{base}/index") };
    candidates.extend(NODE_EXTENSIONS.iter().map(|e| format!("{index}.{e}")));
    candidates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_never_climb_above_the_root() {
        assert_eq!(join("a/b", "../c/./d.py").as_deref(), Some("a/c/d.py"));
        assert_eq!(join("", "x//y").as_deref(), Some("x/y"));
        assert_eq!(join("a", "../../etc/passwd"), None);
        assert_eq!(parent("a/b/c.js"), "a/b");
        assert_eq!(parent("c.js"), "");
        assert!(under("src/a.py", "src") && under("src", "src") && under("x", ""));
        assert!(!under("srcx/a.py", "src"));
    }

    #[test]
    fn node_specifiers() {
        let c = node_candidates("src", "./store.js");
        assert_eq!(c[0], "src/store.js");
        assert!(c.contains(&"src/store.ts".to_string()));
        assert!(c.contains(&"src/store.js/index.js".to_string()));
        assert!(node_candidates("src", "aws-sdk").is_empty());
        assert!(node_candidates("", "../x").is_empty());
    }
}
