//! Re-indents flow collections that are indented less than saphyr-parser accepts.
//!
//! # Why
//!
//! CloudFormation, cfn-lint (PyYAML) and most YAML parsers ignore indentation
//! inside a flow collection (`[ ... ]`, `{ ... }`), so real templates close
//! one under its key, or write a JSON policy document at the key's column:
//!
//! ```yaml
//! Resource: [
//!   "arn:aws:s3:::a",
//! ]
//! ```
//!
//! YAML 1.2 (section 8.2.3, yaml-test-suite 9C9N and VJP3) requires every line
//! of a flow node in block context to be indented more than the block
//! collection it is in, and saphyr-parser 0.3.4 enforces it, inconsistently:
//! once it has scanned a plain scalar in the collection it accepts the
//! closing bracket at the key's column; when every value is quoted (JSON
//! style) it rejects it with "invalid indentation". Upstream knows
//! (saphyr-rs/saphyr#55; fixes proposed in #101 and #108, unreleased), and
//! its scanner has no lenient mode.
//!
//! # How
//!
//! Leading whitespace of a line inside a flow collection carries no meaning:
//! plain and quoted scalars fold it away, and nothing else can start a line
//! there. So when saphyr stops with an indentation error *inside* a flow
//! collection, we indent every line of the outermost open flow collection
//! just enough and parse again, mapping every position back to the original
//! text. What is a flow collection, and where it opens, comes from saphyr's
//! own events; only the matching close is found by the small lexer below,
//! and the next parse checks that saphyr closes the collection exactly there
//! (otherwise the repair is dropped and the original error stands). The
//! repair never touches a line outside a flow collection, so block structure
//! and block scalars cannot change meaning.
//!
//! # Bounds
//!
//! At most [`MAX_REPAIRS`] collections per document (one parse each, plus
//! one of the text before the error), at most [`REPAIR_BUDGET_BYTES`] (or
//! three times the document) parsed in repair passes, and at most as many
//! inserted spaces as the document is long (or [`MIN_PADDING_CAP`]).

/// Most flow collections repaired in one document.
pub(super) const MAX_REPAIRS: usize = 64;
/// Most bytes parsed again, over all repair passes of one document (or three
/// times the document, so that any document gets one repair pass). A pass
/// costs about 0.1 s per MB of flow-heavy YAML in a release build.
pub(super) const REPAIR_BUDGET_BYTES: usize = 16 * 1024 * 1024;
/// Spaces that may always be inserted, even in a tiny document.
pub(super) const MIN_PADDING_CAP: usize = 64 * 1024;

/// Spaces inserted at line starts of the original text.
#[derive(Debug, Default, Clone)]
pub(super) struct Padding {
    /// Sorted by `orig`, one per line start.
    inserts: Vec<Insert>,
}

#[derive(Debug, Clone, Copy)]
struct Insert {
    /// Original byte offset of the line start.
    orig: usize,
    /// Spaces inserted there.
    spaces: usize,
    /// Spaces inserted before this line.
    before: usize,
}

impl Padding {
    /// Spaces inserted in all.
    pub(super) fn total(&self) -> usize {
        self.inserts.last().map_or(0, |i| i.before + i.spaces)
    }

    /// Adds `spaces` at each original line start `orig`.
    pub(super) fn add(&mut self, more: &[(usize, usize)]) {
        for &(orig, spaces) in more {
            match self.inserts.binary_search_by_key(&orig, |i| i.orig) {
                Ok(i) => self.inserts[i].spaces += spaces,
                Err(i) => self.inserts.insert(i, Insert { orig, spaces, before: 0 }),
            }
        }
        let mut before = 0;
        for i in &mut self.inserts {
            i.before = before;
            before += i.spaces;
        }
    }

    /// `text` with the spaces inserted.
    pub(super) fn apply(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + self.total());
        let mut from = 0;
        for i in &self.inserts {
            out.push_str(&text[from..i.orig]);
            out.extend(std::iter::repeat_n(' ', i.spaces));
            from = i.orig;
        }
        out.push_str(&text[from..]);
        out
    }

    /// Maps a byte offset of the padded text to the original text. An offset
    /// inside inserted spaces maps to the line start they were inserted at.
    pub(super) fn to_original(&self, at: usize) -> usize {
        let n = self.inserts.partition_point(|i| i.orig + i.before <= at);
        let Some(i) = n.checked_sub(1).map(|n| self.inserts[n]) else { return at };
        if at < i.orig + i.before + i.spaces { i.orig } else { at - i.before - i.spaces }
    }
}

/// A repaired flow collection, in original offsets: its opening bracket and
/// the end of its closing bracket, where saphyr must close it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Region {
    pub(super) open: usize,
    pub(super) end: usize,
}

/// Plans the padding of the flow collection whose opening bracket is at
/// `open` in `src` (the text as last parsed, already padded by `pad`), in
/// which saphyr stopped at `err`. Returns the spaces to add, as original
/// line starts and counts, and the region; `None` when the collection is not
/// closed, does not contain `err`, or has no line to indent (the error is then
/// a real one).
pub(super) fn plan(
    src: &str,
    open: usize,
    err: usize,
    pad: &Padding,
) -> Option<(Vec<(usize, usize)>, Region)> {
    let end = flow_end(src, open)?;
    if !(open < err && err < end) {
        return None;
    }
    let line_start = src[..open].rfind('\n').map_or(0, |i| i + 1);
    let line = &src[line_start..open];
    // saphyr wants one column more than the block collection holding the
    // flow node. That collection starts at the line's first content after
    // `- `, `? ` and `: ` indicators (all ASCII, so bytes are columns), and
    // never right of the bracket itself.
    let need = line.chars().count().min(content_col(line) + 1);
    let mut adds = Vec::new();
    for (i, _) in src[open..end].match_indices('\n') {
        let start = open + i + 1;
        let rest = &src.as_bytes()[start..];
        let spaces = rest.iter().take_while(|&&b| b == b' ').count();
        // Blank lines carry no token, and saphyr does not check them.
        if matches!(rest.get(spaces), None | Some(b'\n' | b'\r')) {
            continue;
        }
        if spaces < need {
            adds.push((pad.to_original(start), need - spaces));
        }
    }
    if adds.is_empty() {
        return None;
    }
    Some((adds, Region { open: pad.to_original(open), end: pad.to_original(end) }))
}

/// Column of the first content of a line, past indentation and block indicators.
fn content_col(line: &str) -> usize {
    let b = line.as_bytes();
    let mut i = 0;
    loop {
        while b.get(i) == Some(&b' ') {
            i += 1;
        }
        match (b.get(i), b.get(i + 1)) {
            (Some(b'-' | b'?' | b':'), Some(b' ' | b'\t') | None) => i += 1,
            _ => return i,
        }
    }
}

/// Byte offset just past the bracket closing the flow collection opened at
/// `open`, found with the lexical rules of flow context: quoted scalars (which
/// may span lines), comments after whitespace, and brackets (plain scalars in
/// a flow collection cannot hold `[]{},`). `None` if it is never closed.
fn flow_end(src: &str, open: usize) -> Option<usize> {
    let b = src.as_bytes();
    let mut depth = 0usize;
    // Whether a token may start here (a quote here opens a quoted scalar).
    let mut boundary = true;
    // Whether the previous token was quoted or a collection, after which a
    // `:` may be followed directly by a value (`{"a":"b"}`).
    let mut json_end = false;
    let mut i = open;
    while i < b.len() {
        let c = b[i];
        match c {
            b'[' | b'{' => {
                depth += 1;
                boundary = true;
                json_end = false;
            }
            b']' | b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
                boundary = false;
                json_end = true;
            }
            b'"' | b'\'' if boundary => {
                i = quoted_end(b, i)?;
                boundary = false;
                json_end = true;
                continue;
            }
            b'!' if boundary && b.get(i + 1) == Some(&b'<') => {
                // A verbatim tag, `!<tag:yaml.org,2002:str>`, may hold any URI character.
                i += b[i..].iter().position(|&c| c == b'>')? + 1;
                boundary = false;
                json_end = false;
                continue;
            }
            b'#' if matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'\r') => {
                i += b[i..].iter().position(|&c| c == b'\n').unwrap_or(b.len() - i);
                continue;
            }
            b' ' | b'\t' | b'\n' | b'\r' | b',' => boundary = true,
            b':' => {
                boundary = json_end || matches!(b.get(i + 1), Some(b' ' | b'\t' | b'\n' | b'\r'))
            }
            _ => {
                boundary = false;
                json_end = false;
            }
        }
        i += 1;
    }
    None
}

/// Offset just past the quoted scalar starting at `at` (`'` or `"`).
fn quoted_end(b: &[u8], at: usize) -> Option<usize> {
    let quote = b[at];
    let mut i = at + 1;
    while i < b.len() {
        match b[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && b.get(i + 1) == Some(&b'\'') => i += 2,
            c if c == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_maps_back() {
        let text = "a\nb\nc\n";
        let mut pad = Padding::default();
        pad.add(&[(4, 3), (2, 1)]);
        let src = pad.apply(text);
        assert_eq!(src, "a\n b\n   c\n");
        assert_eq!(pad.total(), 4);
        for (s, o) in [(0, 0), (2, 2), (3, 2), (4, 3), (5, 4), (6, 4), (8, 4), (9, 5), (10, 6)] {
            assert_eq!(pad.to_original(s), o, "src offset {s}");
        }
    }

    #[test]
    fn flow_end_skips_quotes_and_comments() {
        let src = r#"k: ["a]", 'b'']', c'd, # ]
  {"e":"}"}, f] x"#;
        let end = flow_end(src, 3).unwrap();
        assert!(src[..end].ends_with("f]"), "{}", &src[..end]);
        assert_eq!(flow_end("k: [a, \"b]", 3), None);
        assert_eq!(flow_end("k: [a, [b]", 3), None);
    }

    #[test]
    fn content_col_skips_indicators() {
        assert_eq!(content_col("  k: "), 2);
        assert_eq!(content_col("- - k: "), 4);
        assert_eq!(content_col("  - "), 4);
        assert_eq!(content_col("? "), 2);
    }
}
