//! Spanned document trees: one [`Node`] type for YAML and JSON.
//!
//! Loaders for every IaC format read this tree, never a parser's own types,
//! so CloudFormation in YAML and in JSON go through the same code.
//!
//! Architecture invariant: parsing never panics and never gives up on the
//! whole file. [`parse_yaml`] and [`parse_json`] return whatever tree they
//! could build together with the problems they met, and every problem carries
//! a span. Hostile input is bounded: nesting deeper than [`MAX_DEPTH`], alias
//! expansion beyond [`MAX_NODES`] and files over [`MAX_FILE_BYTES`] stop the
//! parse with a [`ParseError`] instead of exhausting the stack or memory.
#![deny(missing_docs)]

mod json;
mod node;
mod yaml;

pub use json::parse_json;
pub use node::{Entry, Node, NodeKind};
pub use yaml::parse_yaml;

use faasguard_source::Span;

/// Deepest nesting accepted, in mappings and sequences.
pub const MAX_DEPTH: usize = 256;
/// Most nodes one document may produce, aliases expanded.
pub const MAX_NODES: usize = 1_000_000;
/// Largest file read, in bytes.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// Why a document could not be read in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// Not valid YAML or JSON.
    Syntax,
    /// Nesting deeper than [`MAX_DEPTH`].
    TooDeep,
    /// Alias expansion would exceed [`MAX_NODES`] (a "billion laughs" document).
    AliasBomb,
    /// Larger than [`MAX_FILE_BYTES`].
    TooLarge,
    /// Holds NUL bytes: not a text file.
    Binary,
    /// Not valid UTF-8.
    NotUtf8,
    /// Valid YAML or JSON, but not the structure its format requires
    /// (a resource without `Type`, `Resources` that is not a mapping).
    Structure,
}

impl ParseErrorKind {
    /// Short, stable name used in messages and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ParseErrorKind::Syntax => "syntax",
            ParseErrorKind::TooDeep => "too-deep",
            ParseErrorKind::AliasBomb => "alias-bomb",
            ParseErrorKind::TooLarge => "too-large",
            ParseErrorKind::Binary => "binary",
            ParseErrorKind::NotUtf8 => "not-utf8",
            ParseErrorKind::Structure => "structure",
        }
    }
}

/// A problem met while parsing, with where it was met.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// What kind of problem.
    pub kind: ParseErrorKind,
    /// Where (a point when the parser only knows a position).
    pub span: Span,
    /// The parser's explanation, for the user.
    pub message: String,
}

/// The result of parsing one document: the tree (possibly partial) and the problems.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// The first document's tree; `None` when nothing could be built.
    pub root: Option<Node>,
    /// Problems, in the order met.
    pub errors: Vec<ParseError>,
}

/// Checks that raw bytes are a text file we are willing to parse, and
/// returns them as `str`. Pure: the caller did the reading.
pub fn check_text(file: faasguard_source::FileId, bytes: &[u8]) -> Result<&str, ParseError> {
    check_text_within(file, bytes, MAX_FILE_BYTES)
}

/// [`check_text`] with another size limit, for files that are larger than
/// any template by nature (lockfiles of a big monorepo).
pub fn check_text_within(
    file: faasguard_source::FileId,
    bytes: &[u8],
    limit: usize,
) -> Result<&str, ParseError> {
    let at = Span::file_start(file);
    if bytes.len() > limit {
        return Err(ParseError {
            kind: ParseErrorKind::TooLarge,
            span: at,
            message: format!(
                "file is {} bytes, over the {} byte limit; split it or exclude it from the scan",
                bytes.len(),
                limit
            ),
        });
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err(ParseError {
            kind: ParseErrorKind::Binary,
            span: at,
            message: "file holds NUL bytes and is not text; exclude it from the scan".into(),
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let off = e.valid_up_to();
        ParseError {
            kind: ParseErrorKind::NotUtf8,
            span: Span::new(file, off, off),
            message: format!(
                "file is not valid UTF-8 (first bad byte at offset {off}); re-save it as UTF-8"
            ),
        }
    })
}
