//! TOML helpers the TOML readers share (`pyproject.toml`, `poetry.lock`,
//! `uv.lock`, `Cargo.lock`): parsing with `toml_edit`, which keeps spans,
//! spans of entries, and the locks' `[[package]]` tables.

use std::ops::Range;

use faasguard_source::Span;
use toml_edit::{ArrayOfTables, Document, Item, Table, TableLike};

use crate::{Lockfile, Problem};

/// Parses `text` as TOML; a syntax error becomes one problem at its span
/// (with `fix`, how to repair the file) and `None`.
pub(crate) fn parse_toml<'a>(
    text: &'a str,
    lock: &mut Lockfile,
    fix: &str,
) -> Option<Document<&'a str>> {
    match Document::parse(text) {
        Ok(doc) => Some(doc),
        Err(err) => {
            let span = span_of(lock, err.span());
            let message = err.message().trim_end_matches('.');
            lock.problems
                .push(Problem { span, message: format!("not valid TOML: {message}; {fix}") });
            None
        }
    }
}

/// The `[[package]]` tables of a lock (`poetry.lock`, `uv.lock`,
/// `Cargo.lock`): `None` when there are none, and when `package` is
/// something else, which is also a problem (with `fix`).
pub(crate) fn package_tables<'d>(
    doc: &'d Table,
    lock: &mut Lockfile,
    fix: &str,
) -> Option<&'d ArrayOfTables> {
    let item = doc.get("package")?;
    let tables = item.as_array_of_tables();
    if tables.is_none() {
        let span = span_of(lock, item.span());
        lock.problems.push(Problem {
            span,
            message: format!("`package` must be `[[package]]` tables; {fix}"),
        });
    }
    tables
}

/// The `name` of a `[[package]]` table and the span a package is reported
/// at: its `name = ...` entry, else the table's header. A table without a
/// name is a problem (with `fix`) and `None`.
pub(crate) fn package_name<'t>(
    lock: &mut Lockfile,
    table: &'t Table,
    fix: &str,
) -> Option<(&'t str, Span)> {
    let header = span_of(lock, table.span());
    let Some(name) = str_of(table, "name") else {
        lock.problems.push(Problem {
            span: header,
            message: format!("a `[[package]]` without a `name`; {fix}"),
        });
        return None;
    };
    Some((name, entry_span(lock, table, "name").unwrap_or(header)))
}

/// A span from a TOML range (the file's start when the range is unknown).
pub(crate) fn span_of(lock: &Lockfile, range: Option<Range<usize>>) -> Span {
    range.map_or(Span::file_start(lock.file), |r| Span::new(lock.file, r.start, r.end))
}

/// The span of `key = value` in a table: from the key to the value's end.
pub(crate) fn entry_span(lock: &Lockfile, table: &dyn TableLike, key: &str) -> Option<Span> {
    let (k, item) = table.get_key_value(key)?;
    let start = k.span()?.start;
    let end = item.span().map_or(start, |r| r.end);
    Some(Span::new(lock.file, start, end))
}

/// A string value of a table.
pub(crate) fn str_of<'a>(table: &'a dyn TableLike, key: &str) -> Option<&'a str> {
    table.get(key).and_then(Item::as_str)
}

/// A sub-table, whether written as a `[table]` or inline.
pub(crate) fn table_of(item: Option<&Item>) -> Option<&dyn TableLike> {
    item.and_then(Item::as_table_like)
}
