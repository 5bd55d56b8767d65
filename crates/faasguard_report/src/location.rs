//! Spans resolved to the path, line and column every format prints.

use faasguard_source::{SourceDb, SourceFile, Span};

/// A span resolved for display: one-based lines and columns, columns in
/// Unicode characters, the end exclusive (the position just past the span).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// Path relative to the scan root, `/` separators.
    pub path: String,
    /// First line, from 1.
    pub start_line: u32,
    /// First column, from 1.
    pub start_column: u32,
    /// Line of the end position.
    pub end_line: u32,
    /// Column just past the last character (equal to `start_column` for a point).
    pub end_column: u32,
}

impl Location {
    /// Resolves `span` against `sources`. A span into a file the database
    /// does not hold (a bug upstream) still renders, at line 1 of `<unknown>`,
    /// so one bad finding cannot make a whole report fail.
    pub fn resolve(sources: &SourceDb, span: Span) -> Location {
        match sources.get(span.file) {
            Some(file) => Location::in_file(file, span),
            None => Location {
                path: "<unknown>".to_string(),
                start_line: 1,
                start_column: 1,
                end_line: 1,
                end_column: 1,
            },
        }
    }

    pub(crate) fn in_file(file: &SourceFile, span: Span) -> Location {
        let start = file.line_col(span.start);
        let end = file.line_col(span.end.max(span.start));
        Location {
            path: file.path.to_string(),
            start_line: start.line,
            start_column: start.column,
            end_line: end.line,
            end_column: end.column,
        }
    }

    /// Whether the span covers no character.
    pub fn is_point(&self) -> bool {
        self.start_line == self.end_line && self.start_column == self.end_column
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.start_line, self.start_column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use faasguard_source::{FileId, SourceFile};

    #[test]
    fn end_is_exclusive_and_counts_characters() {
        let mut db = SourceDb::new();
        let id = db.add(SourceFile::new("t.yaml", "a: 1\nbé: x\n"));
        let text = "a: 1\nbé: x\n";
        let start = text.find("bé").unwrap();
        let loc = Location::resolve(&db, Span::new(id, start, start + "bé".len()));
        assert_eq!((loc.start_line, loc.start_column, loc.end_line, loc.end_column), (2, 1, 2, 3));
        assert_eq!(loc.to_string(), "t.yaml:2:1");
        assert!(!loc.is_point());
        let unknown = Location::resolve(&db, Span::file_start(FileId(9)));
        assert_eq!(unknown.path, "<unknown>");
        assert!(unknown.is_point());
    }
}
