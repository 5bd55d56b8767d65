//! The Python taint engine on small functions.
//!
//! Each case under `tests/cases/python/` is a file (`<name>.py`, the
//! handler module `app.py`) or a directory of modules (`app.py` is the
//! handler module). Expected flows are written in the code as comments:
//!
//! ```text
//! # expect: Command os.system source=4 sink=6 steps=2 part=body
//! # handler: app.lambda_handler
//! ```
//!
//! `source`/`sink` are lines of `app.py`, or `file.py:line`. The flows
//! found must be exactly the expected ones: a case without `expect` lines
//! must produce none (sanitised and constant-data cases). `DUMP_FLOWS=1`
//! prints every case's flows with their steps.

use std::path::Path;

use faasguard_model::App;
use faasguard_source::{SourceDb, SourceFile, Span};
use faasguard_taint::{Analysis, Flow, SinkClass};

fn cases() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/python")
}

fn sam(code_uri: &str, handler: &str) -> String {
    format!(
        "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: {code_uri}\n      Handler: {handler}\n      Runtime: python3.12\n"
    )
}

fn load(db: &SourceDb, template: &str) -> App {
    let id = db.find(template).unwrap();
    let text = db.get(id).unwrap().text.clone();
    let out = faasguard_loaders::load_file(id, template, &text).unwrap();
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    out.apps.into_iter().next().unwrap()
}

fn analyse_app(db: &SourceDb, app: &App) -> Analysis {
    let (fid, _) = app.functions().next().unwrap();
    faasguard_taint::analyse(app, fid, db)
}

/// Analyses the function of a template over `files` (path, text), the
/// code under `src/`.
fn run_files(files: &[(&str, &str)], handler: &str) -> (SourceDb, Analysis) {
    let mut db = SourceDb::new();
    db.add(SourceFile::new("template.yaml", sam("src/", handler)));
    for (p, t) in files {
        db.add(SourceFile::new(format!("src/{p}"), *t));
    }
    let app = load(&db, "template.yaml");
    let a = analyse_app(&db, &app);
    (db, a)
}

fn run_code(code: &str) -> (SourceDb, Analysis) {
    run_files(&[("app.py", code)], "app.handler")
}

fn line(db: &SourceDb, span: Span) -> u32 {
    db.get(span.file).unwrap().line_col(span.start).line
}

fn file_name(db: &SourceDb, span: Span) -> String {
    let p = db.get(span.file).unwrap().path.to_string();
    p.rsplit('/').next().unwrap_or(&p).to_string()
}

fn class_of(s: &str) -> SinkClass {
    *SinkClass::ALL.iter().find(|c| format!("{c:?}") == s).unwrap_or_else(|| panic!("class {s}"))
}

/// One flow as the expectation syntax writes it.
fn describe(db: &SourceDb, f: &Flow) -> String {
    let at = |s: Span| {
        let name = file_name(db, s);
        if name == "app.py" { line(db, s).to_string() } else { format!("{name}:{}", line(db, s)) }
    };
    let mut d = format!(
        "{:?} {} source={} sink={} steps={}",
        f.class,
        f.sink_name,
        at(f.source.span),
        at(f.sink.span),
        f.steps.len()
    );
    if !f.part.is_empty() {
        d.push_str(&format!(" part={}", f.part));
    }
    d
}

fn dump(db: &SourceDb, a: &Analysis) -> String {
    a.flows
        .iter()
        .map(|f| {
            let steps: Vec<String> =
                f.steps.iter().map(|s| format!("{}: {}", line(db, s.span), s.what)).collect();
            format!(
                "{}\n    source `{}`; steps {:?}; sink `{}`",
                describe(db, f),
                f.source.what,
                steps,
                f.sink.what
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs one case: its files, its handler, its expectations.
fn run_case(path: &Path) -> Result<(), String> {
    let mut files: Vec<(String, String)> = Vec::new();
    if path.is_dir() {
        let mut stack = vec![path.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    let rel = p.strip_prefix(path).unwrap().to_string_lossy().replace('\\', "/");
                    files.push((rel, std::fs::read_to_string(&p).unwrap()));
                }
            }
        }
    } else {
        files.push(("app.py".into(), std::fs::read_to_string(path).unwrap()));
    }
    files.sort();
    let mut handler = "app.handler".to_string();
    let mut expected: Vec<String> = Vec::new();
    for (_, text) in &files {
        for l in text.lines() {
            let l = l.trim();
            if let Some(e) = l.strip_prefix("# expect:") {
                let e = e.trim();
                class_of(e.split_whitespace().next().unwrap_or(""));
                expected.push(e.split_whitespace().collect::<Vec<_>>().join(" "));
            } else if let Some(h) = l.strip_prefix("# handler:") {
                handler = h.trim().to_string();
            }
        }
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let (db, a) = run_files(&refs, &handler);
    if std::env::var_os("DUMP_FLOWS").is_some() {
        eprintln!("== {}\n{}\nnotes: {:?}", path.display(), dump(&db, &a), a.notes);
    }
    let mut got: Vec<String> = a.flows.iter().map(|f| describe(&db, f)).collect();
    got.sort();
    expected.sort();
    if got != expected {
        return Err(format!(
            "{}:\n  expected {expected:#?}\n  got {got:#?}\n{}\nnotes: {:?}",
            path.display(),
            dump(&db, &a),
            a.notes
        ));
    }
    Ok(())
}

#[test]
fn cases_match_their_expectations() {
    let mut entries: Vec<_> =
        std::fs::read_dir(cases()).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    let mut failures = Vec::new();
    let mut count = 0;
    for p in &entries {
        count += 1;
        if let Err(e) = run_case(p) {
            failures.push(e);
        }
    }
    assert!(count >= 40, "only {count} cases");
    assert!(
        failures.is_empty(),
        "{} of {count} cases failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Every class has a case that fires, a sanitised case and a case without
/// user input, named `<class>_fires`, `<class>_sanitised`, `<class>_constant`.
#[test]
fn every_class_has_its_three_cases() {
    for class in SinkClass::ALL {
        let stem = snake(&format!("{class:?}"));
        for kind in ["fires", "sanitised", "constant"] {
            let file = cases().join(format!("{stem}_{kind}.py"));
            let dir = cases().join(format!("{stem}_{kind}"));
            assert!(file.exists() || dir.exists(), "missing case {stem}_{kind}");
            let p = if file.exists() { file } else { dir };
            let text =
                std::fs::read_to_string(if p.is_dir() { p.join("app.py") } else { p.clone() })
                    .unwrap();
            let fires = text.contains(&format!("# expect: {class:?} "));
            assert_eq!(fires, kind == "fires", "{}: expectations of a {kind} case", p.display());
        }
    }
}

fn snake(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[test]
fn a_flow_carries_its_source_steps_and_sink() {
    let code = "import json, os\n\ndef handler(event, context):\n    body = json.loads(event[\"body\"])\n    host = body.get(\"host\")\n    cmd = f\"ping -c 1 {host}\"\n    os.system(cmd)\n";
    let (db, a) = run_code(code);
    assert_eq!(a.flows.len(), 1, "{}", dump(&db, &a));
    let f = &a.flows[0];
    assert_eq!(f.class, SinkClass::Command);
    assert_eq!(f.sink_name, "os.system");
    assert_eq!(f.part, "body");
    assert_eq!(f.source.what, "event[\"body\"]");
    let steps: Vec<&str> = f.steps.iter().map(|s| s.what.as_str()).collect();
    assert_eq!(
        steps,
        [
            "body = json.loads(event[\"body\"])",
            "host = body.get(\"host\")",
            "cmd = f\"ping -c 1 {host}\""
        ]
    );
    assert_eq!(f.sink.what, "os.system(cmd)");
    assert_eq!(line(&db, f.sink.span), 7);
    assert_eq!(db.get(f.sink.span.file).unwrap().slice(f.sink.span), "os.system(cmd)");
}

#[test]
fn inline_code_is_located_in_the_template() {
    let template = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: index.handler\n      Runtime: python3.12\n      InlineCode: |\n        import os\n        def handler(event, context):\n            os.system(\"echo \" + event[\"name\"])\n";
    let mut db = SourceDb::new();
    db.add(SourceFile::new("template.yaml", template));
    let app = load(&db, "template.yaml");
    let a = analyse_app(&db, &app);
    assert_eq!(a.flows.len(), 1, "{}", dump(&db, &a));
    let f = &a.flows[0];
    assert_eq!(f.class, SinkClass::Command);
    assert_eq!(f.part, "name");
    assert_eq!(file_name(&db, f.sink.span), "template.yaml");
    assert_eq!(line(&db, f.sink.span), 12);
    assert_eq!(db.get(f.sink.span.file).unwrap().slice(f.source.span), "event[\"name\"]");
}

#[test]
fn records_and_nested_parts_are_named() {
    let code = "import os\n\ndef handler(event, context):\n    for record in event[\"Records\"]:\n        key = record[\"s3\"][\"object\"][\"key\"]\n        os.remove(\"/tmp/\" + key)\n    q = event[\"queryStringParameters\"][\"id\"]\n    open(q)\n";
    let (db, a) = run_code(code);
    let parts: Vec<&str> = a.flows.iter().map(|f| f.part.as_str()).collect();
    assert_eq!(parts, ["Records[].s3.object.key", "queryStringParameters.id"], "{}", dump(&db, &a));
    assert_eq!(a.flows[0].source.what, "record[\"s3\"][\"object\"][\"key\"]");
    let steps: Vec<&str> = a.flows[0].steps.iter().map(|s| s.what.as_str()).collect();
    assert_eq!(
        steps,
        ["for record in event[\"Records\"]", "key = record[\"s3\"][\"object\"][\"key\"]"]
    );
}

#[test]
fn flows_are_deterministic() {
    let code = std::fs::read_to_string(cases().join("propagation_mix.py")).unwrap();
    let (db, a) = run_code(&code);
    let first = dump(&db, &a);
    for _ in 0..3 {
        let (db2, b) = run_code(&code);
        assert_eq!(dump(&db2, &b), first);
    }
    assert!(!a.flows.is_empty());
}

// -- hostile input -----------------------------------------------------------
//
// These prove termination and that a cut-short analysis says so, not
// speed: lines per second are measured by `bench/taint.sh`.

/// The flow is found, or a note says the analysis was cut short: a limit
/// never drops a flow silently.
fn assert_found_or_noted(a: &Analysis, what: &str) {
    assert!(a.flows.len() <= 1, "{what}: {:?}", a.flows);
    assert!(!a.flows.is_empty() || !a.notes.is_empty(), "{what}: no flow and no note");
}

#[test]
fn deep_nesting_is_bounded() {
    let n = 10_000;
    let parens = format!(
        "import os\ndef handler(event, context):\n    x = {}event['a']{}\n    os.system(x)\n",
        "(".repeat(n),
        ")".repeat(n)
    );
    let lists = format!(
        "import os\ndef handler(event, context):\n    x = {}event['a']{}\n    os.system(x)\n",
        "[".repeat(n),
        "]".repeat(n)
    );
    let calls = format!(
        "import os\ndef handler(event, context):\n    x = {}event['a']{}\n    os.system(x)\n",
        "str(".repeat(n),
        ")".repeat(n)
    );
    // Nested blocks, as deep as `faasguard_code::parse` lets through (256
    // levels): past about 510, tree-sitter-python's scanner state outgrows
    // tree-sitter's buffer and tree-sitter aborts the process, so deeper
    // files are refused before parsing (tested there) and reported as
    // `code-parse-error`.
    let levels = 250;
    let mut blocks = String::from("import os\ndef handler(event, context):\n");
    for i in 0..levels {
        blocks.push_str(&" ".repeat(4 * (i + 1)));
        blocks.push_str("if event:\n");
    }
    blocks.push_str(&" ".repeat(4 * (levels + 1)));
    blocks.push_str("os.system(event['x'])\n");
    for (what, code) in [("parens", parens), ("lists", lists), ("calls", calls), ("blocks", blocks)]
    {
        let (_, a) = run_code(&code);
        assert_found_or_noted(&a, what);
    }
}

#[test]
fn long_alias_chains_end_in_a_note() {
    let mut code = String::from("import os\ndef handler(event, context):\n    a0 = event['x']\n");
    for i in 1..3_000 {
        code.push_str(&format!("    a{i} = a{}\n", i - 1));
    }
    code.push_str("    os.system(a2999)\n");
    let (_, a) = run_code(&code);
    assert!(a.flows.is_empty());
    assert!(a.notes.iter().any(|n| n.message.contains("limit")), "{:?}", a.notes);
}

/// Under the source size limit, so analysed: flows come out of the first
/// helpers (how many depends on the call-depth limit), each a command
/// injection at an `os.system` of a helper.
#[test]
fn a_megabyte_module_is_analysed() {
    let mut code = String::from(
        "import os, subprocess, json\n\ndef handler(event, context):\n    return helper_0(event)\n\n",
    );
    let mut i = 0;
    while code.len() < 1_000_000 {
        code.push_str(&format!(
            "def helper_{i}(event):\n    body = json.loads(event.get('body') or '{{}}')\n    name = body.get('name', '').strip()\n    cmd = 'echo ' + name\n    if len(name) > 3:\n        subprocess.run(['ls', name])\n    os.system(cmd)\n    return helper_{}(event)\n\n",
            i + 1
        ));
        i += 1;
    }
    let (db, a) = run_code(&code);
    assert!(!a.flows.is_empty(), "{:?}", a.notes);
    for f in &a.flows {
        assert_eq!((f.class, f.sink_name.as_str()), (SinkClass::Command, "os.system"), "{f:?}");
        assert_eq!(db.get(f.sink.span.file).unwrap().slice(f.sink.span), "os.system(cmd)");
    }
    // Each of the thousands of helpers holds a flow; those past the chain
    // limit are not reported, and a note says so.
    assert!(a.flows.len() < i, "{} flows of {i} helpers", a.flows.len());
    assert!(
        a.notes.iter().any(|n| n.message.contains("nested calls")),
        "a cut chain is noted: {:?}",
        a.notes
    );
}

#[test]
fn syntax_errors_and_junk_do_not_panic() {
    let broken =
        "import os\ndef handler(event, context:\n    os.system(event['x']\n    x = = 3\n  def\n";
    let (_, _a) = run_code(broken);
    let junk: String = (0..100_000u32)
        .map(|i| ['(', '{', '"', ')', ':', '[', '\n', 'f'][(i % 8) as usize])
        .collect();
    let (_, _a) = run_code(&junk);
    let half = "import os\ndef handler(event, context):\n    cmd = event['c']\n    os.system(cmd\n";
    let (_, _a) = run_code(half);
    // Recursion between local functions and self-referencing bindings.
    let rec = "import os\ndef a(x):\n    return b(x)\ndef b(y):\n    return a(y)\ndef handler(event, context):\n    v = a(event['q'])\n    v = v + v\n    while True:\n        v += v\n    os.system(v)\n";
    let (_, _a) = run_code(rec);
}
