//! Package names as each ecosystem compares them, so that the stored key
//! and the looked-up key agree however the lockfile spells the name.
//!
//! The same rule as `faasguard_deps::Ecosystem::normalize` (kept in step
//! with it; this crate does not depend on the lockfile parsers): PyPI
//! folds ASCII case and treats runs of `-`, `_` and `.` as one `-`
//! (PEP 503), leading and trailing separators dropped; every other
//! ecosystem compares names as written.

/// `name` normalized for `ecosystem` (OSV spelling).
pub(crate) fn normalize(ecosystem: &str, name: &str) -> String {
    if ecosystem != "PyPI" {
        return name.to_string();
    }
    let mut out = String::with_capacity(name.len());
    let mut separator = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            separator = true;
            continue;
        }
        if separator && !out.is_empty() {
            out.push('-');
        }
        separator = false;
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn pypi_is_pep_503() {
        assert_eq!(normalize("PyPI", "PyYAML"), "pyyaml");
        assert_eq!(normalize("PyPI", "Foo__Bar.-baz"), "foo-bar-baz");
        assert_eq!(normalize("PyPI", " zope.interface "), "zope-interface");
        assert_eq!(normalize("PyPI", "_x_"), "x");
    }

    #[test]
    fn other_ecosystems_keep_the_name() {
        assert_eq!(normalize("npm", "@Scope/Left_Pad"), "@Scope/Left_Pad");
        assert_eq!(normalize("crates.io", "serde_json"), "serde_json");
    }
}
