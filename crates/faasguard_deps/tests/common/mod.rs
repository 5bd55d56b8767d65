//! Test helpers of the lockfile readers: fixtures, packages and problems
//! rendered as one line each (so a test compares whole lists), and the
//! no-panic checks on truncated and hostile input.
// Each test file uses some of these; items are `pub` for them.
#![allow(dead_code, unreachable_pub)]

use std::fmt::Display;

use faasguard_deps::{Ecosystem, Lockfile, LockfileKind, Package, Source, parse};
use faasguard_source::FileId;

/// The file id `read` gives, not 0, so that spans show they carry it.
const FIXTURE_FILE: FileId = FileId(3);

/// `tests/fixtures/<rel>`.
pub fn fixture(rel: &str) -> String {
    let path = format!("{}/tests/fixtures/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The fixture `rel` read as `kind`; every package must carry the file id
/// it was read with and be of `ecosystem`, and only npm packages may have
/// install scripts.
pub fn read(kind: LockfileKind, rel: &str, ecosystem: Ecosystem) -> (Lockfile, String) {
    let text = fixture(rel);
    let lock = parse(kind, FIXTURE_FILE, rel, &text);
    for p in &lock.packages {
        assert_eq!(p.span.file, FIXTURE_FILE);
        assert_eq!(p.ecosystem, ecosystem);
        assert!(ecosystem == Ecosystem::Npm || !p.install_script, "{}", p.name);
    }
    (lock, text)
}

/// The 1-based line of a byte offset.
pub fn line_of(text: &str, offset: u32) -> usize {
    text[..offset as usize].matches('\n').count() + 1
}

/// The text a span covers.
fn spanned(text: &str, start: u32, end: u32) -> &str {
    &text[start as usize..end as usize]
}

/// `name@version direct|transitive [dev] [install-script] [req=...] source
/// L<line> `spanned``.
pub fn render(p: &Package, text: &str) -> String {
    let source = match &p.source {
        Source::Registry => "registry".to_string(),
        Source::Git { url } => format!("git:{url}"),
        Source::Path { path } => format!("path:{path}"),
        Source::Url { url } => format!("url:{url}"),
    };
    let mut s =
        format!("{}@{} {}", p.name, p.version, if p.direct { "direct" } else { "transitive" });
    if p.dev {
        s.push_str(" dev");
    }
    if p.install_script {
        s.push_str(" install-script");
    }
    if let Some(r) = &p.requirement {
        s.push_str(&format!(" req={r}"));
    }
    let key = spanned(text, p.span.start, p.span.end);
    s.push_str(&format!(" {source} L{} `{key}`", line_of(text, p.span.start)));
    s
}

/// Every package, rendered.
pub fn rendered(lock: &Lockfile, text: &str) -> Vec<String> {
    lock.packages.iter().map(|p| render(p, text)).collect()
}

/// `L<line> `spanned`: message`, one per problem.
pub fn problems(lock: &Lockfile, text: &str) -> Vec<String> {
    lock.problems
        .iter()
        .map(|p| {
            let spanned = spanned(text, p.span.start, p.span.end);
            format!("L{} `{spanned}`: {}", line_of(text, p.span.start), p.message)
        })
        .collect()
}

/// `L<line>: message`, one per problem: for tests that check where a
/// problem is but not the exact text it covers.
pub fn problem_lines(lock: &Lockfile, text: &str) -> Vec<String> {
    lock.problems
        .iter()
        .map(|p| format!("L{}: {}", line_of(text, p.span.start), p.message))
        .collect()
}

pub fn no_problems(lock: &Lockfile, text: &str) {
    assert_eq!(problems(lock, text), Vec::<String>::new());
}

/// The dependencies of the package `name@version`, as `(name, version)`.
pub fn deps_of<'a>(lock: &'a Lockfile, name: &str, version: &str) -> Vec<(&'a str, &'a str)> {
    let p = lock
        .packages
        .iter()
        .find(|p| p.name == name && p.version == version)
        .unwrap_or_else(|| panic!("no {name}@{version}"));
    p.dependencies.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect()
}

/// Every span of `lock` (packages, problems, includes) lies inside `text`,
/// on character boundaries; `case` names the input when one does not (a
/// `format_args!`, so that it is only formatted then).
pub fn spans_inside(lock: &Lockfile, text: &str, case: impl Display) {
    let spans = lock.packages.iter().map(|p| p.span).chain(lock.problems.iter().map(|p| p.span));
    for span in spans.chain(lock.includes.iter().map(|(_, s)| *s)) {
        assert!(
            span.start <= span.end && span.end as usize <= text.len(),
            "{case}: {span:?} in {} bytes",
            text.len()
        );
        assert!(
            text.is_char_boundary(span.start as usize) && text.is_char_boundary(span.end as usize),
            "{case}: {span:?}"
        );
    }
}

/// `text` cut after every 97th byte (each cut moved back to a character
/// boundary), from nothing on: a reader must survive a file cut off
/// anywhere.
pub fn truncations(text: &str) -> impl Iterator<Item = &str> {
    (0..=text.len()).step_by(97).map(|cut| {
        let end = (0..=cut).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        &text[..end]
    })
}

/// Every truncation of each fixture, read as its kind: no panic, and every
/// span inside the truncated text.
pub fn truncated_fixtures_read_safely(fixtures: &[(LockfileKind, &str)]) {
    for &(kind, rel) in fixtures {
        let text = fixture(rel);
        for part in truncations(&text) {
            let lock = parse(kind, FileId(0), rel, part);
            spans_inside(&lock, part, format_args!("{rel} cut at {}", part.len()));
        }
    }
}

/// Every input read as each of `kinds`: no panic, and every span inside
/// the input.
pub fn inputs_read_safely(kinds: &[LockfileKind], inputs: &[impl AsRef<str>]) {
    for (index, input) in inputs.iter().enumerate() {
        let input = input.as_ref();
        for &kind in kinds {
            let lock = parse(kind, FileId(0), "x", input);
            spans_inside(&lock, input, format_args!("input {index} as {kind:?}"));
        }
    }
}
