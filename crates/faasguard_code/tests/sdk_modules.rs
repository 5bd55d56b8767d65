//! SDK call discovery across the modules of one function
//! (`sdk::calls_in_modules`), driven by data: each directory of
//! `tests/sdk-modules/` holds a function's code and an `expected.txt`:
//!
//! ```text
//! modules app.py receipts.py          # resolution order, entry first
//! call receipts.py:5 s3 PutObject high
//! note store.py:1 substring of the note's message
//! ```
//!
//! Calls and notes are compared exactly, in order (modules in the listed
//! order, source order within a module); lines starting with `#` are
//! comments.

use faasguard_code::parse::{self, Language};
use faasguard_code::sdk::{self, Confidence, Discovery, ModuleSource};
use faasguard_source::FileId;

fn line_of(text: &str, offset: u32) -> usize {
    text.as_bytes()[..offset as usize].iter().filter(|b| **b == b'\n').count() + 1
}

/// The case's modules, parsed, in the listed order: (path, text, module).
fn load(dir: &std::path::Path, order: &[&str]) -> Vec<(String, String, parse::Module)> {
    order
        .iter()
        .enumerate()
        .map(|(i, path)| {
            let text = std::fs::read_to_string(dir.join(path)).expect("a module of the case");
            let lang = Language::from_path(path).expect("a code file");
            let m = parse::parse(FileId(i as u32), lang, &text).expect("parses");
            (path.to_string(), text, m)
        })
        .collect()
}

fn run(dir: &std::path::Path) -> Result<(), String> {
    let expected = std::fs::read_to_string(dir.join("expected.txt")).map_err(|e| e.to_string())?;
    let lines: Vec<&str> =
        expected.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
    let order: Vec<&str> = lines
        .first()
        .and_then(|l| l.strip_prefix("modules "))
        .ok_or("expected.txt starts with `modules ...`")?
        .split_whitespace()
        .collect();
    let loaded = load(dir, &order);
    let sources: Vec<ModuleSource<'_>> =
        loaded.iter().map(|(path, text, module)| ModuleSource { module, path, text }).collect();
    let found = sdk::calls_in_modules(&sources);
    assert_eq!(found.len(), sources.len());
    let (mut calls, mut notes) = (Vec::new(), Vec::new());
    for ((path, text, _), d) in loaded.iter().zip(&found) {
        for c in &d.calls {
            let conf = if c.confidence == Confidence::High { "high" } else { "low" };
            calls.push(format!(
                "call {path}:{} {} {} {conf}",
                line_of(text, c.span.start),
                c.client,
                c.operation
            ));
        }
        for n in &d.notes {
            notes.push(format!("note {path}:{} {}", line_of(text, n.span.start), n.message));
        }
    }
    let want_calls: Vec<&str> = lines.iter().copied().filter(|l| l.starts_with("call ")).collect();
    let want_notes: Vec<&str> = lines.iter().copied().filter(|l| l.starts_with("note ")).collect();
    let got = || format!("--- got ---\n{}\n{}", calls.join("\n"), notes.join("\n"));
    if want_calls != calls {
        return Err(format!(
            "calls differ\n--- expected ---\n{}\n{}",
            want_calls.join("\n"),
            got()
        ));
    }
    if want_notes.len() != notes.len()
        || want_notes.iter().zip(&notes).any(|(w, g)| !g.starts_with(w.trim_end()))
    {
        return Err(format!(
            "notes differ\n--- expected ---\n{}\n{}",
            want_notes.join("\n"),
            got()
        ));
    }
    Ok(())
}

#[test]
fn cases() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sdk-modules");
    let mut dirs: Vec<_> =
        std::fs::read_dir(&root).expect("cases").flatten().map(|e| e.path()).collect();
    dirs.sort();
    let mut failures = Vec::new();
    for d in &dirs {
        if let Err(e) = run(d) {
            failures.push(format!("{}: {e}", d.display()));
        }
    }
    assert!(dirs.len() >= 6, "only {} cases", dirs.len());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Module by module, the same code guesses (or gives up): the cases test
/// something `calls` alone does not do.
#[test]
fn alone_the_helpers_are_guesses() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sdk-modules");
    let loaded = load(&root.join("py_passed"), &["src/receipts.py", "src/audit.py"]);
    for (_, text, m) in &loaded {
        let d: Discovery = sdk::module_calls(m, text);
        assert!(d.calls.iter().all(|c| c.confidence == Confidence::Low), "{d:?}");
    }
    let loaded = load(&root.join("js_v3"), &["util.mjs"]);
    let d = sdk::module_calls(&loaded[0].2, &loaded[0].1);
    assert!(d.calls.iter().all(|c| c.confidence == Confidence::Low), "{d:?}");
}

/// An import that names no module of the set changes nothing, and the
/// result does not depend on anything but the input.
#[test]
fn unresolved_imports_and_determinism() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sdk-modules");
    // The helper is missing from the set: its callers are unaffected.
    let loaded = load(&root.join("py_passed"), &["src/app.py"]);
    let sources: Vec<ModuleSource<'_>> =
        loaded.iter().map(|(path, text, module)| ModuleSource { module, path, text }).collect();
    let one = sdk::calls_in_modules(&sources);
    assert_eq!(one[0], sdk::module_calls(&loaded[0].2, &loaded[0].1));
    let all = load(&root.join("py_cycle"), &["a.py", "b.py"]);
    let sources: Vec<ModuleSource<'_>> =
        all.iter().map(|(path, text, module)| ModuleSource { module, path, text }).collect();
    assert_eq!(sdk::calls_in_modules(&sources), sdk::calls_in_modules(&sources));
}

/// Many modules passing a client down a chain: every link resolves (each
/// module is analysed after the one that calls it) and nothing is cut.
#[test]
fn long_chains_are_bounded() {
    let n = 60;
    let mut files = Vec::new();
    files.push((
        "m0.py".to_string(),
        "import boto3\nfrom m1 import f1\ns3 = boto3.client('s3')\ndef handler(e, c):\n    f1(s3)\n"
            .to_string(),
    ));
    for i in 1..n {
        files.push((
            format!("m{i}.py"),
            format!(
                "from m{} import f{}\ndef f{i}(c):\n    c.get_object(Bucket='b', Key='k')\n    f{}(c)\n",
                i + 1,
                i + 1,
                i + 1
            ),
        ));
    }
    let parsed: Vec<(String, String, parse::Module)> = files
        .into_iter()
        .enumerate()
        .map(|(i, (p, t))| {
            let m = parse::parse(FileId(i as u32), Language::Python, &t).expect("parses");
            (p, t, m)
        })
        .collect();
    let sources: Vec<ModuleSource<'_>> =
        parsed.iter().map(|(path, text, module)| ModuleSource { module, path, text }).collect();
    let found = sdk::calls_in_modules(&sources);
    // One discovery per module, in order; the entry module only passes the
    // client on.
    assert_eq!(found.len(), n);
    assert!(found[0].calls.is_empty(), "{:?}", found[0].calls);
    // In order, each module sees what the previous passed: all resolved,
    // down to the last link, with nothing given up on the way.
    for (i, d) in found.iter().enumerate().skip(1) {
        assert!(
            d.calls.len() == 1
                && d.calls[0].client == "s3"
                && d.calls[0].operation == "GetObject"
                && d.calls[0].confidence == Confidence::High,
            "m{i}.py: {:?}",
            d.calls
        );
    }
    assert!(found.iter().all(|d| d.notes.is_empty()), "{found:?}");
}
