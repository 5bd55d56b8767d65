//! Line helpers the line-based readers share (`go.sum`, Gradle lockfiles,
//! and the YAML lockfiles' entry splitting): byte offsets kept, so that
//! each line becomes a span.

use faasguard_source::{FileId, Span};

/// Lines with their byte offsets, line breaks removed.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut pos = 0;
    text.split_inclusive('\n').map(move |raw| {
        let at = pos;
        pos += raw.len();
        (at, raw.trim_end_matches(['\n', '\r']))
    })
}

/// The lines of `text` that are not blank, trimmed, each with the span of
/// what is left.
pub(crate) fn trimmed_lines(text: &str, file: FileId) -> impl Iterator<Item = (&str, Span)> {
    lines(text).filter_map(move |(start, line)| {
        let content = line.trim();
        if content.is_empty() {
            return None;
        }
        let lead = line.len() - line.trim_start().len();
        Some((content, Span::new(file, start + lead, start + lead + content.len())))
    })
}
