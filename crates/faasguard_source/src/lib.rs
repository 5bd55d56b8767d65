//! Source files, byte spans and line/column lookup.
//!
//! Everything that points into a scanned file does so with a [`Span`]: a
//! [`FileId`] plus a byte range. Line and column are computed only when a
//! finding is rendered, through the file's [`LineIndex`], so the analysis
//! core never pays for positions it does not print.
#![deny(missing_docs)]

use std::sync::Arc;

/// Index of a file in a [`SourceDb`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A byte range inside one file. `start == end` marks a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    /// The file the range points into.
    pub file: FileId,
    /// First byte (inclusive).
    pub start: u32,
    /// Last byte (exclusive).
    pub end: u32,
}

impl Span {
    /// A span covering `start..end` of `file`.
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        let start = u32::try_from(start).unwrap_or(u32::MAX);
        let end = u32::try_from(end).unwrap_or(u32::MAX).max(start);
        Span { file, start, end }
    }

    /// The start of a file: used where a finding concerns the whole file.
    pub fn file_start(file: FileId) -> Self {
        Span { file, start: 0, end: 0 }
    }

    /// Smallest span covering both (they must be in the same file; if not, `self`).
    pub fn cover(self, other: Span) -> Span {
        if self.file != other.file {
            return self;
        }
        Span { file: self.file, start: self.start.min(other.start), end: self.end.max(other.end) }
    }
}

/// One-based line and column (column counted in Unicode scalar values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    /// Line, starting at 1.
    pub line: u32,
    /// Column, starting at 1, in characters.
    pub column: u32,
}

/// Byte offsets of line starts, for offset to line/column conversion.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    /// Builds the index of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0u32];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                starts.push(u32::try_from(i + 1).unwrap_or(u32::MAX));
            }
        }
        LineIndex { starts }
    }

    /// Line and column of byte `offset` in `text` (which must be the indexed text).
    pub fn line_col(&self, text: &str, offset: u32) -> LineCol {
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let line_start = self.starts.get(line).copied().unwrap_or(0) as usize;
        let offset = (offset as usize).min(text.len());
        let column = text
            .get(line_start..offset)
            .map_or(offset.saturating_sub(line_start), |s| s.chars().count());
        LineCol { line: line as u32 + 1, column: column as u32 + 1 }
    }

    /// Byte range of line `line` (1-based), without its line terminator.
    pub fn line_range(&self, text: &str, line: u32) -> Option<(usize, usize)> {
        let i = (line as usize).checked_sub(1)?;
        let start = *self.starts.get(i)? as usize;
        let end = self.starts.get(i + 1).map_or(text.len(), |e| *e as usize);
        let slice = text.get(start..end)?;
        let trimmed = slice.trim_end_matches(['\n', '\r']);
        Some((start, start + trimmed.len()))
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

/// A loaded file: its path as shown to the user and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the scan root, with `/` separators.
    pub path: Arc<str>,
    /// The file's text. Empty for files that could not be read as UTF-8.
    pub text: Arc<str>,
    /// Line starts of `text`.
    pub lines: Arc<LineIndex>,
}

impl SourceFile {
    /// A source file with its line index.
    pub fn new(path: impl Into<Arc<str>>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let lines = Arc::new(LineIndex::new(&text));
        SourceFile { path: path.into(), text, lines }
    }

    /// Line and column of a byte offset.
    pub fn line_col(&self, offset: u32) -> LineCol {
        self.lines.line_col(&self.text, offset)
    }

    /// The text of a span, if it lies in this file's bounds.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start as usize..span.end as usize).unwrap_or("")
    }
}

/// All files of one scan, addressed by [`FileId`].
#[derive(Debug, Clone, Default)]
pub struct SourceDb {
    files: Vec<SourceFile>,
    by_path: std::collections::HashMap<Arc<str>, FileId>,
    /// Files by parent directory, in the order they were added: multi-file
    /// formats list a directory once per module, which must not cost a scan
    /// of every file.
    by_dir: std::collections::HashMap<Arc<str>, Vec<FileId>>,
}

impl SourceDb {
    /// An empty database.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, file: SourceFile) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.by_path.insert(file.path.clone(), id);
        let dir = file.path.rsplit_once('/').map_or("", |(d, _)| d);
        self.by_dir.entry(Arc::from(dir)).or_default().push(id);
        self.files.push(file);
        id
    }

    /// The file with this display path (relative to the scan root, `/`
    /// separators, no `./`), if it was read. Multi-file formats (Terraform
    /// modules, `${file()}` in serverless.yml) resolve their references here,
    /// so loaders never touch the file system.
    pub fn find(&self, path: &str) -> Option<FileId> {
        self.by_path.get(path).copied()
    }

    /// The files directly in directory `dir` (display path, `""` for the
    /// scan root), in the order they were added.
    pub fn in_dir(&self, dir: &str) -> &[FileId] {
        self.by_dir.get(dir).map_or(&[], Vec::as_slice)
    }

    /// The file with this id, if any.
    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    /// All files with their ids.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i as u32), f))
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether no file was added.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_from_one() {
        let text = "a: 1\nbé: 2\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, column: 1 });
        let off = text.find("2").unwrap() as u32;
        assert_eq!(idx.line_col(text, off), LineCol { line: 2, column: 5 });
        assert_eq!(idx.line_range(text, 2), Some((5, 11)));
    }
}
