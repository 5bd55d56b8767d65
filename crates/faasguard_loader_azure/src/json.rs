//! Lookups in the JSON files of a function app.
//!
//! The Functions host reads `host.json` through .NET configuration and
//! `function.json` through case-insensitive JSON lookups, so `RoutePrefix`
//! works as well as `routePrefix`. Lookups here ignore ASCII case for the
//! same reason; a repeated key yields its last value, as in the host.

use faasguard_syntax::{Entry, Node};

/// The entry of `key` in a mapping, ignoring ASCII case (the last one if it repeats).
pub(crate) fn entry<'n>(node: &'n Node, key: &str) -> Option<&'n Entry> {
    node.entries().iter().rev().find(|e| e.key.eq_ignore_ascii_case(key))
}

/// The value of `key` in a mapping, ignoring ASCII case.
pub(crate) fn get<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
    entry(node, key).map(|e| &e.value)
}

/// Follows a path of keys, ignoring ASCII case.
pub(crate) fn at<'n>(node: &'n Node, path: &[&str]) -> Option<&'n Node> {
    path.iter().try_fold(node, |n, k| get(n, k))
}

#[cfg(test)]
mod tests {
    use super::*;
    use faasguard_source::FileId;
    use faasguard_syntax::parse_json;

    #[test]
    fn keys_ignore_case_and_the_last_repeat_wins() {
        let root = parse_json(
            FileId(0),
            r#"{"Extensions": {"HTTP": {"routePrefix": "a", "RoutePrefix": "b"}}}"#,
        )
        .root
        .unwrap();
        assert_eq!(at(&root, &["extensions", "http", "routePrefix"]).unwrap().as_str(), Some("b"));
        assert!(get(&root, "missing").is_none());
    }
}
