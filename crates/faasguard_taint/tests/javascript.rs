//! The JavaScript/TypeScript taint engine on small functions.
//!
//! Each case under `tests/cases/javascript/` is a directory of code (the
//! handler module is `index.js`, `index.mjs`, `index.ts` or `index.tsx`),
//! loaded through a SAM template (`CodeUri: src/`, `Handler:
//! index.handler` unless a `// handler: file.name` comment says otherwise)
//! or, with an `inline.js` file, as the template's `InlineCode`. Expected
//! flows are written in the code as comments:
//!
//! ```text
//! // expect: Command child_process.exec part=body source=4 sink=6 steps=5,6
//! ```
//!
//! Lines are lines of the handler module, or `file.ts:line`; `steps` lists
//! the lines of every step. The flows found must be exactly the expected
//! ones: a case without `expect` lines must produce none (sanitised and
//! constant-data cases). `classes/<Class>/{fires,sanitised,constant}`
//! exist for every sink class.

use std::path::{Path, PathBuf};

use faasguard_model::App;
use faasguard_source::{SourceDb, SourceFile, Span};
use faasguard_taint::{Analysis, Flow, SinkClass};

fn cases() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/javascript")
}

fn sam(handler: &str) -> String {
    format!(
        "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n      Handler: {handler}\n      Runtime: nodejs20.x\n"
    )
}

fn sam_inline(code: &str) -> String {
    let mut t = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: index.handler\n      Runtime: nodejs20.x\n      InlineCode: |\n",
    );
    for l in code.lines() {
        t.push_str("        ");
        t.push_str(l);
        t.push('\n');
    }
    t
}

fn load(db: &SourceDb) -> App {
    let id = db.find("template.yaml").unwrap();
    let text = db.get(id).unwrap().text.clone();
    let out = faasguard_loaders::load_file(id, "template.yaml", &text).unwrap();
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    out.apps.into_iter().next().unwrap()
}

fn analyse_db(db: &SourceDb) -> Analysis {
    let app = load(db);
    let (fid, _) = app.functions().next().unwrap();
    faasguard_taint::analyse(&app, fid, db)
}

/// Analyses `files` (path under `src/`, text) with the given handler.
fn run_files(files: &[(&str, &str)], handler: &str) -> (SourceDb, Analysis) {
    let mut db = SourceDb::new();
    db.add(SourceFile::new("template.yaml", sam(handler)));
    for (p, t) in files {
        db.add(SourceFile::new(format!("src/{p}"), *t));
    }
    let a = analyse_db(&db);
    (db, a)
}

fn run_inline(code: &str) -> (SourceDb, Analysis) {
    let mut db = SourceDb::new();
    db.add(SourceFile::new("template.yaml", sam_inline(code)));
    let a = analyse_db(&db);
    (db, a)
}

fn line(db: &SourceDb, span: Span) -> u32 {
    db.get(span.file).unwrap().line_col(span.start).line
}

/// One flow as the expectation syntax writes it; lines of the inline
/// code are counted from the code's first line.
fn describe(db: &SourceDb, f: &Flow, entry: &str, inline_offset: u32) -> String {
    let at = |s: Span| {
        let p = db.get(s.file).unwrap().path.to_string();
        let name = p.rsplit('/').next().unwrap_or(&p).to_string();
        let l = line(db, s);
        if name == "template.yaml" {
            (l - inline_offset).to_string()
        } else if name == entry {
            l.to_string()
        } else {
            format!("{name}:{l}")
        }
    };
    let steps: Vec<String> = f.steps.iter().map(|s| at(s.span)).collect();
    format!(
        "{:?} {} part={} source={} sink={} steps={}",
        f.class,
        f.sink_name,
        f.part,
        at(f.source.span),
        at(f.sink.span),
        steps.join(",")
    )
}

fn read_dir(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
                out.push((rel, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

struct Outcome {
    expected: Vec<String>,
    found: Vec<String>,
}

fn run_case(dir: &Path) -> Outcome {
    let files = read_dir(dir);
    let mut expected: Vec<String> = files
        .iter()
        .flat_map(|(_, t)| t.lines())
        .filter_map(|l| l.split_once("// expect: ").map(|(_, e)| e.trim().to_string()))
        .collect();
    expected.sort();
    let handler = files
        .iter()
        .flat_map(|(_, t)| t.lines())
        .find_map(|l| l.split_once("// handler: ").map(|(_, h)| h.trim().to_string()))
        .unwrap_or_else(|| "index.handler".to_string());
    let (db, analysis, entry, offset) = match files.iter().find(|(p, _)| p == "inline.js") {
        Some((_, code)) => {
            let (db, a) = run_inline(code);
            // The code starts on line 10 of the generated template.
            (db, a, String::new(), 9)
        }
        None => {
            let module = handler.split_once('.').map_or("index", |(m, _)| m).to_string();
            let entry = files
                .iter()
                .map(|(p, _)| p.clone())
                .find(|p| p.rsplit_once('.').is_some_and(|(stem, _)| stem == module))
                .unwrap_or_default();
            let refs: Vec<(&str, &str)> =
                files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
            let (db, a) = run_files(&refs, &handler);
            (db, a, entry, 0)
        }
    };
    let mut found: Vec<String> =
        analysis.flows.iter().map(|f| describe(&db, f, &entry, offset)).collect();
    found.sort();
    Outcome { expected, found }
}

fn case_dirs() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![cases()];
    while let Some(d) = stack.pop() {
        let entries: Vec<PathBuf> =
            std::fs::read_dir(&d).unwrap().map(|e| e.unwrap().path()).collect();
        let is_case = entries.iter().any(|p| p.is_file());
        if is_case {
            out.push(d);
        } else {
            stack.extend(entries.into_iter().filter(|p| p.is_dir()));
        }
    }
    out.sort();
    out
}

#[test]
fn every_case_finds_exactly_the_expected_flows() {
    let mut failures = Vec::new();
    let dirs = case_dirs();
    assert!(dirs.len() > 40, "only {} cases", dirs.len());
    for dir in &dirs {
        let o = run_case(dir);
        if o.expected != o.found {
            failures.push(format!(
                "{}:\n  expected:\n    {}\n  found:\n    {}",
                dir.strip_prefix(cases()).unwrap().display(),
                o.expected.join("\n    "),
                o.found.join("\n    ")
            ));
        }
    }
    assert!(failures.is_empty(), "{} failing cases:\n{}", failures.len(), failures.join("\n"));
}

/// Every class has a case that fires with that class, a sanitised case and
/// a constant-data case that must not fire.
#[test]
fn every_sink_class_fires_and_is_silenced() {
    for class in SinkClass::ALL {
        let base = cases().join("classes").join(format!("{class:?}"));
        let fires = run_case(&base.join("fires"));
        assert!(
            !fires.found.is_empty()
                && fires.found.iter().all(|f| f.starts_with(&format!("{class:?} "))),
            "{class:?} fires: {:?}",
            fires.found
        );
        for quiet in ["sanitised", "constant"] {
            let o = run_case(&base.join(quiet));
            assert!(o.found.is_empty(), "{class:?} {quiet}: {:?}", o.found);
            assert!(o.expected.is_empty(), "{class:?} {quiet} expects flows");
        }
    }
}

#[test]
fn flows_carry_readable_steps() {
    let code = "const { exec } = require('child_process');\nexports.handler = async (event) => {\n  const host = event.queryStringParameters.host;\n  const cmd = `ping -c 1 ${host}`;\n  exec(cmd);\n};\n";
    let (db, a) = run_files(&[("index.js", code)], "index.handler");
    assert_eq!(a.flows.len(), 1, "{:?}", a.flows);
    let f = &a.flows[0];
    assert_eq!(f.source.what, "event.queryStringParameters.host");
    assert_eq!(f.part, "queryStringParameters.host");
    let whats: Vec<&str> = f.steps.iter().map(|s| s.what.as_str()).collect();
    assert_eq!(whats, ["host = event.queryStringParameters.host", "cmd = `ping -c 1 ${host}`"]);
    assert_eq!(f.sink.what, "exec(cmd)");
    assert_eq!(f.sink_name, "child_process.exec");
    assert_eq!(db.get(f.sink.span.file).unwrap().slice(f.sink.span), "exec(cmd)");
}

#[test]
fn analysis_is_deterministic() {
    let dir = cases().join("propagation");
    for d in case_dirs().into_iter().filter(|d| d.starts_with(&dir)) {
        let a = run_case(&d);
        let b = run_case(&d);
        assert_eq!(a.found, b.found, "{}", d.display());
    }
}

// -- hostile input -------------------------------------------------------------
//
// These prove termination and that a cut-short analysis says so, not
// speed: lines per second are measured by `bench/taint.sh`.

/// Each of these inputs has a real flow from the event to a sink: it is
/// found, or a note says the analysis was cut short. A limit never drops a
/// flow silently.
fn analyse_hostile(what: &str, files: &[(&str, &str)]) -> Analysis {
    let (_, a) = run_files(files, "index.handler");
    assert!(!a.flows.is_empty() || !a.notes.is_empty(), "{what}: no flow and no note");
    a
}

#[test]
fn deep_nesting_is_bounded() {
    let depth = 10_000;
    let mut code = String::from("exports.handler = async (event) => {\n  const x = ");
    code.push_str(&"(".repeat(depth));
    code.push_str("event.body");
    code.push_str(&")".repeat(depth));
    code.push_str(";\n  eval(x);\n");
    // Nested functions, arrays and objects too.
    code.push_str("  const y = ");
    for _ in 0..depth {
        code.push_str("[{a: ");
    }
    code.push_str("event.body");
    for _ in 0..depth {
        code.push_str("}]");
    }
    code.push_str(";\n  eval(y);\n");
    code.push_str("  const z = ");
    code.push_str(&"() => ".repeat(depth));
    code.push_str("eval(event.body);\n};\n");
    analyse_hostile("nested expressions", &[("index.js", &code)]);
    // A chain of assignments longer than any evaluation depth.
    let mut chain = String::from("exports.handler = async (event) => {\n  let v0 = event.body;\n");
    for i in 1..depth {
        chain.push_str(&format!("  let v{i} = v{} + 'x';\n", i - 1));
    }
    chain.push_str(&format!("  eval(v{});\n}};\n", depth - 1));
    let a = analyse_hostile("assignment chain", &[("index.js", &chain)]);
    assert!(!a.notes.is_empty(), "a cut-short analysis says so");
    // Helpers calling helpers, 10,000 deep.
    let mut helpers = String::new();
    for i in 0..depth {
        helpers.push_str(&format!("function f{i}(x) {{ return f{}(x); }}\n", i + 1));
    }
    helpers.push_str(&format!("function f{depth}(x) {{ eval(x); }}\n"));
    helpers.push_str("exports.handler = async (event) => f0(event.body);\n");
    analyse_hostile("helper chain", &[("index.js", &helpers)]);
    // Nested headers objects and nested callbacks of a local function.
    let mut nested = String::from(
        "function f(x, cb) { eval(x); return cb; }\nexports.handler = async (event) => {\n  const r = ",
    );
    for _ in 0..depth {
        nested.push_str("{ headers: { Location: event.body, x: ");
    }
    nested.push('1');
    for _ in 0..depth {
        nested.push_str(" } }");
    }
    nested.push_str(";\n  ");
    for _ in 0..depth {
        nested.push_str("f(event.body, function () { ");
    }
    for _ in 0..depth {
        nested.push_str("})");
    }
    nested.push_str(";\n};\n");
    let a = analyse_hostile("nested objects and callbacks", &[("index.js", &nested)]);
    // `f` evaluates its first argument, event data at every call site.
    assert!(a.flows.iter().any(|f| f.sink_name == "eval"), "{:?}", a.notes);
}

#[test]
fn a_megabyte_minified_line_is_bounded() {
    let mut code = String::from("exports.handler=async function(e){var a0=e.body;");
    let mut i = 0;
    while code.len() < 1_000_000 {
        code.push_str(&format!(
            "var a{}=a{}+\"x\"+require(\"path\").join(\"/tmp\",a{});",
            i + 1,
            i,
            i
        ));
        i += 1;
    }
    code.push_str(&format!("require(\"child_process\").exec(a{i});}};"));
    let a = analyse_hostile("minified chain", &[("index.js", &code)]);
    for f in &a.flows {
        assert!(f.source.what.len() < 200 && f.steps.len() <= 10);
        assert!(f.steps.iter().all(|s| s.what.len() < 200));
    }
}

#[test]
fn syntax_errors_do_not_stop_the_analysis() {
    let code = "const cp = require('child_process');\nexports.handler = async (event) => {\n  const x = ((( ;\n  cp.exec(event.body);\n  if (\n};\nfunction broken( {\n";
    let (_, a) = run_files(&[("index.js", code)], "index.handler");
    // Whatever the parser recovered, no panic; the call survives recovery.
    let _ = a;
    for junk in ["{{{{{{", "))))", "exports.handler = (", "`${`${`${", "/*", "class { x = }"] {
        let (_, a) = run_files(&[("index.js", junk)], "index.handler");
        assert!(a.flows.is_empty());
    }
    let (_, a) = run_files(
        &[("index.ts", "export const handler = async (e: ) => { eval(e.body) ")],
        "index.handler",
    );
    let _ = a;
}

#[test]
fn garbage_bytes_do_not_panic() {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let alphabet: Vec<char> =
        "(){}[];,.=+`$'\"\\ \nabcexport functionrequire=>?:!&|<>/*#@".chars().collect();
    for _ in 0..200 {
        let mut s = String::new();
        for _ in 0..400 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            s.push(alphabet[(seed % alphabet.len() as u64) as usize]);
        }
        let code = format!("exports.handler = async (event) => {{ {s} }}");
        let _ = run_files(&[("index.js", &code)], "index.handler");
        let _ = run_files(&[("index.ts", &code)], "index.handler");
    }
}
