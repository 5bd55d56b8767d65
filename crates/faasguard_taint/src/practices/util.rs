//! Shared by the language scanners: node kind tables, walks, literals,
//! and the bounded name sets ("holds event data", "holds a secret").

use std::collections::HashSet;

use tree_sitter::{Node, Tree};

use super::{Practice, PracticeKind};
use crate::Input;

/// Nodes visited per module: a 2 MB file has about two million, and the
/// scanners do constant work per node, so this only stops pathological
/// trees from costing more than a few walks.
pub(super) const MAX_NODES: usize = 4_000_000;

/// Rounds of "assigned from a name that holds X" propagation.
pub(super) const MAX_ROUNDS: usize = 6;

/// Assignments remembered per module for propagation.
pub(super) const MAX_ASSIGNMENTS: usize = 20_000;

/// Nodes looked at when deciding what an expression mentions.
pub(super) const MAX_EXPR_NODES: usize = 400;

/// Nesting followed inside one expression (a fixed bound, not the input's).
pub(super) const MAX_EXPR_DEPTH: usize = 24;

/// Node kinds of one grammar, by kind id.
pub(super) struct Grammar<K> {
    kinds: Vec<K>,
    other: K,
}

impl<K: Copy> Grammar<K> {
    pub(super) fn new(
        lang: &tree_sitter::Language,
        classify: fn(&str) -> Option<K>,
        other: K,
    ) -> Self {
        let kinds = (0..lang.node_kind_count())
            .map(|id| {
                let id = u16::try_from(id).unwrap_or(u16::MAX);
                match lang.node_kind_for_id(id) {
                    Some(name) if lang.node_kind_is_named(id) => classify(name).unwrap_or(other),
                    _ => other,
                }
            })
            .collect();
        Grammar { kinds, other }
    }

    pub(super) fn kind(&self, n: Node<'_>) -> K {
        self.kinds.get(usize::from(n.kind_id())).copied().unwrap_or(self.other)
    }
}

/// A field's id (0, which matches no child, when the grammar has none).
pub(super) fn field_id(lang: &tree_sitter::Language, name: &str) -> u16 {
    lang.field_id_for_name(name).map_or(0, |f| f.get())
}

/// The child in field `id`.
pub(super) fn field<'t>(n: Node<'t>, id: u16) -> Option<Node<'t>> {
    std::num::NonZeroU16::new(id).and_then(|id| n.child_by_field_id(id.get()))
}

/// Calls `f` on every node of the tree, depth first, without recursion
/// and without storing them (a 2 MB file has millions), at most
/// [`MAX_NODES`]; returns how many were visited.
pub(super) fn walk<'t>(tree: &'t Tree, mut f: impl FnMut(Node<'t>)) -> usize {
    let mut cursor = tree.walk();
    let mut seen = 0usize;
    loop {
        f(cursor.node());
        seen += 1;
        if seen >= MAX_NODES {
            return seen;
        }
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return seen;
            }
        }
    }
}

/// Named children.
pub(super) fn named_children(n: Node<'_>) -> Vec<Node<'_>> {
    let mut c = n.walk();
    n.named_children(&mut c).collect()
}

/// The source text of a node.
pub(super) fn text<'s>(n: Node<'_>, src: &'s str) -> &'s str {
    faasguard_code::parse::text_of(n, src)
}

/// A short snippet for messages: the first line, at most 60 characters.
pub(super) fn snippet(n: Node<'_>, src: &str) -> String {
    let t = text(n, src);
    let line = t.lines().next().unwrap_or("").trim();
    let mut s: String = line.chars().take(60).collect();
    if s.len() < line.len() || t.lines().nth(1).is_some() {
        s.push_str("...");
    }
    s
}

/// The contents of a string literal between its quotes, raw (escapes as
/// written): prefixes (`r`, `b`, `u`) and quotes stripped. `None` for
/// f-strings and template literals with substitutions, whose value is not
/// in the source.
pub(super) fn literal_raw<'s>(n: Node<'_>, src: &'s str, interpolated: bool) -> Option<&'s str> {
    if interpolated {
        return None;
    }
    let raw = text(n, src);
    let body = raw.trim_start_matches(['r', 'R', 'u', 'U', 'b', 'B']);
    if body.starts_with(['f', 'F']) {
        return None;
    }
    for q in ["\"\"\"", "'''", "\"", "'", "`"] {
        if body.len() >= 2 * q.len()
            && let Some(inner) = body.strip_prefix(q).and_then(|r| r.strip_suffix(q))
        {
            return Some(inner);
        }
    }
    None
}

/// Names (identifiers) known to hold something: event data, a secret.
#[derive(Default)]
pub(super) struct Names {
    set: HashSet<String>,
}

impl Names {
    pub(super) fn insert(&mut self, name: &str) -> bool {
        if self.set.contains(name) { false } else { self.set.insert(name.to_string()) }
    }
    pub(super) fn contains(&self, name: &str) -> bool {
        self.set.contains(name)
    }
    pub(super) fn is_empty(&self) -> bool {
        self.set.is_empty()
    }
    pub(super) fn to_vec(&self) -> Vec<String> {
        let mut v: Vec<String> = self.set.iter().cloned().collect();
        v.sort();
        v
    }
}

/// Grows `names` over `assignments` (targets, value): a target assigned
/// from a value for which `holds` says yes holds it too; `keep` filters
/// targets (`secret_arn = resp["ARN"]` is about a secret, not one).
pub(super) fn propagate<'t>(
    names: &mut Names,
    assignments: &[(Vec<&str>, Node<'t>)],
    holds: impl Fn(&Names, Node<'t>) -> bool,
    keep: impl Fn(&str) -> bool,
) {
    if names.is_empty() {
        return;
    }
    for _ in 0..MAX_ROUNDS {
        let mut grew = false;
        for (targets, value) in assignments {
            if targets.iter().all(|t| names.contains(t)) || !holds(names, *value) {
                continue;
            }
            for t in targets {
                if keep(t) {
                    grew |= names.insert(t);
                }
            }
        }
        if !grew {
            return;
        }
    }
}

/// Pushes a practice without a secret span.
pub(super) fn report(
    out: &mut Vec<Practice>,
    input: &Input<'_>,
    kind: PracticeKind,
    at: Node<'_>,
    message: String,
    strong: bool,
) {
    out.push(Practice { kind, span: input.span(at), message, secret: None, strong });
}
