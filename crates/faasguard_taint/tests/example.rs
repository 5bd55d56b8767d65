//! The example app of `examples/injection-app/` (a document conversion
//! service): every function's flows from its event to sinks, and how
//! exposed its trigger is, against what a careful reader of the code finds.
//!
//! The app is read into a `SourceDb` with paths relative to its directory
//! (as the CLI does relative to the scan root) and loaded with the SAM
//! loader. For each function the set of sinks reached, as (class, sink name,
//! file:line), must equal the expected set exactly: a missing flow is a
//! false negative, an extra one a false positive (the status function is
//! written safely and must have none). Each flow's source must be one of
//! the event reads expected, and flows that cross a local function must
//! show the call among their steps. Expected lines are found from a
//! snippet of the sink's line, so editing the example keeps the test
//! honest, and the README must quote every expected `file:line`.
//!
//! `FG_EXAMPLE_PRINT=1 cargo test -p faasguard_taint --test example --
//! --nocapture` prints every flow.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use faasguard_model::{App, FunctionId};
use faasguard_source::{SourceDb, SourceFile, Span};
use faasguard_taint::SinkClass;
use faasguard_taint::practices::PracticeKind;
use faasguard_taint::sources::Exposure;

fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/injection-app")
}

/// Every file under `dir` (IaC, code, package.json, README), with display
/// paths relative to `dir`.
fn db_of(dir: &Path) -> SourceDb {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut db = SourceDb::new();
    for p in files {
        let rel = p.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
        // Binary leftovers (`__pycache__`) are skipped, as the CLI does.
        if let Ok(text) = std::fs::read_to_string(&p) {
            db.add(SourceFile::new(rel, text));
        }
    }
    db
}

fn load() -> (SourceDb, App) {
    let db = db_of(&example_dir());
    let id = db.find("template.yaml").expect("template.yaml");
    let text = db.get(id).unwrap().text.clone();
    let out = faasguard_loaders::load_file(id, "template.yaml", &text).expect("a SAM template");
    assert!(out.errors.is_empty(), "load errors {:?}", out.errors);
    assert_eq!(out.apps.len(), 1, "one app");
    (db, out.apps.into_iter().next().unwrap())
}

fn function(app: &App, name: &str) -> FunctionId {
    app.functions()
        .find(|(_, f)| f.logical_id == name)
        .map(|(id, _)| id)
        .unwrap_or_else(|| panic!("no function {name} in the template"))
}

/// `file:line` of a span.
fn at(db: &SourceDb, span: Span) -> String {
    let file = db.get(span.file).expect("a file of the db");
    format!("{}:{}", file.path, file.line_col(span.start).line)
}

/// `file:line` of the first line of `file` containing `snippet`.
fn line_of(db: &SourceDb, file: &str, snippet: &str) -> String {
    let id = db.find(file).unwrap_or_else(|| panic!("{file} not in the example"));
    let text = &db.get(id).unwrap().text;
    let n = text
        .lines()
        .position(|l| l.contains(snippet))
        .unwrap_or_else(|| panic!("{file}: no line contains {snippet:?}"));
    format!("{file}:{}", n + 1)
}

/// One sink a function's event data must reach.
struct Sink {
    class: SinkClass,
    name: &'static str,
    file: &'static str,
    /// A snippet of the sink's (first) line.
    line: &'static str,
    /// Snippets of the lines where the event is read, each with its
    /// alternatives (the loop over `event["Records"]` or the read of the
    /// record inside it: engines may name either). Every flow into this sink
    /// must start at one of them, and each group must start a flow.
    sources: &'static [&'static [&'static str]],
    /// Snippets of calls to local functions the flow must go through.
    via: &'static [&'static str],
    /// How every flow's `part` starts (the part of the event read).
    part: &'static str,
}

struct Expected {
    function: &'static str,
    exposure: Exposure,
    sinks: &'static [Sink],
}

const EXPECTED: &[Expected] = &[
    // Public route, query parameter into a shell command inside a helper.
    Expected {
        function: "PreviewFunction",
        exposure: Exposure::Public,
        sinks: &[Sink {
            class: SinkClass::Command,
            name: "subprocess.run",
            file: "src/preview/app.py",
            line: "subprocess.run(cmd, shell=True",
            sources: &[&["params = event.get(\"queryStringParameters\")"]],
            via: &["png = render_page(source, page, width)"],
            part: "queryStringParameters",
        }],
    },
    // Function URL with AuthType NONE, SQL built with a template literal in
    // another module.
    Expected {
        function: "SearchFunction",
        exposure: Exposure::Public,
        sinks: &[Sink {
            class: SinkClass::Sql,
            name: "client.query",
            file: "src/search/db.ts",
            line: "await client.query<JobRow>(sql)",
            sources: &[
                &["const q = event.queryStringParameters?.q"],
                &["const status = event.queryStringParameters?.status"],
            ],
            via: &["await findJobs(q.trim(), status, limit)"],
            part: "queryStringParameters.",
        }],
    },
    // Cognito-authorized route: SSRF.
    Expected {
        function: "ImportFunction",
        exposure: Exposure::Authenticated,
        sinks: &[Sink {
            class: SinkClass::Ssrf,
            name: "requests.get",
            file: "src/imports/app.py",
            line: "resp = requests.get(url",
            sources: &[&["body = json.loads(event.get(\"body\")"]],
            via: &[],
            part: "body",
        }],
    },
    // IAM-authorized route: destructured body field into a shell command.
    Expected {
        function: "ExportFunction",
        exposure: Exposure::Authenticated,
        sinks: &[Sink {
            class: SinkClass::Command,
            name: "child_process.execSync",
            file: "src/exports/index.js",
            line: "execSync(`exiftool",
            sources: &[&["JSON.parse(event.body"]],
            via: &[],
            part: "body",
        }],
    },
    // S3 upload trigger: the object key into a local path.
    Expected {
        function: "ExtractFunction",
        exposure: Exposure::Internal,
        sinks: &[Sink {
            class: SinkClass::Path,
            name: "open",
            file: "src/extract/app.py",
            line: "with open(local_path, \"wb\")",
            sources: &[&[
                "for record in event[\"Records\"]",
                "key = unquote_plus(record[\"s3\"][\"object\"][\"key\"])",
            ]],
            via: &[],
            part: "Records",
        }],
    },
    // SQS consumer: unpickles the message.
    Expected {
        function: "WorkerFunction",
        exposure: Exposure::Internal,
        sinks: &[Sink {
            class: SinkClass::Deserialization,
            name: "pickle.loads",
            file: "src/worker/app.py",
            line: "job = pickle.loads(",
            sources: &[&[
                "for record in event[\"Records\"]",
                "job = pickle.loads(base64.b64decode(record[\"body\"]))",
            ]],
            via: &[],
            part: "Records",
        }],
    },
    // Public route written carefully: UUID-parsed id, parameterised query,
    // shlex.quote: no flow at all.
    Expected { function: "StatusFunction", exposure: Exposure::Public, sinks: &[] },
];

fn print_wanted() -> bool {
    std::env::var_os("FG_EXAMPLE_PRINT").is_some()
}

#[test]
fn every_function_of_the_example_is_expected() {
    let (_, app) = load();
    let names: BTreeSet<&str> = app.functions().map(|(_, f)| f.logical_id.as_str()).collect();
    let expected: BTreeSet<&str> = EXPECTED.iter().map(|e| e.function).collect();
    assert_eq!(names, expected);
}

/// The engines only see what handler resolution hands them: every handler
/// must be found and parse cleanly, and the search function's `db.ts` must
/// be followed from its `index.ts`.
#[test]
fn every_handler_resolves_with_its_modules() {
    let (db, app) = load();
    let mut problems = Vec::new();
    for e in EXPECTED {
        let res = faasguard_code::handler::resolve(&app, function(&app, e.function), &db);
        if res.entry.is_none() {
            problems.push(format!("{}: handler not resolved", e.function));
        }
        for p in &res.problems {
            problems.push(format!("{}: {:?} {}", e.function, p.kind, p.message));
        }
        let paths: Vec<&str> =
            res.modules.iter().filter_map(|id| db.get(*id)).map(|f| &*f.path).collect();
        if e.function == "SearchFunction" && paths != ["src/search/index.ts", "src/search/db.ts"] {
            problems.push(format!("SearchFunction: modules {paths:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn exposure_follows_the_triggers() {
    let (db, app) = load();
    let mut wrong = Vec::new();
    for e in EXPECTED {
        let (exposure, span) = faasguard_taint::sources::exposure(&app, function(&app, e.function));
        if print_wanted() {
            println!("{}: {exposure:?} at {:?}", e.function, span.map(|s| at(&db, s)));
        }
        if exposure != e.exposure {
            wrong.push(format!("{}: {exposure:?}, expected {:?}", e.function, e.exposure));
        }
        if span.is_none() {
            wrong.push(format!("{}: no trigger span", e.function));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn flows_reach_the_expected_sinks_and_nothing_else() {
    let (db, app) = load();
    let mut problems = Vec::new();
    for e in EXPECTED {
        let f = function(&app, e.function);
        let analysis = faasguard_taint::analyse(&app, f, &db);
        if print_wanted() {
            println!("== {} ({} flows)", e.function, analysis.flows.len());
            for flow in &analysis.flows {
                println!(
                    "  {:?} {} at {} <- {} `{}` part {:?}",
                    flow.class,
                    flow.sink_name,
                    at(&db, flow.sink.span),
                    at(&db, flow.source.span),
                    flow.source.what,
                    flow.part,
                );
                for s in &flow.steps {
                    println!("      {} `{}`", at(&db, s.span), s.what);
                }
            }
            for n in &analysis.notes {
                println!("  note {}: {}", at(&db, n.span), n.message);
            }
        }

        let found: BTreeSet<(SinkClass, String, String)> = analysis
            .flows
            .iter()
            .map(|fl| (fl.class, fl.sink_name.clone(), at(&db, fl.sink.span)))
            .collect();
        let wanted: BTreeSet<(SinkClass, String, String)> = e
            .sinks
            .iter()
            .map(|s| (s.class, s.name.to_owned(), line_of(&db, s.file, s.line)))
            .collect();
        for missing in wanted.difference(&found) {
            problems.push(format!("{}: missing flow to {missing:?}", e.function));
        }
        for extra in found.difference(&wanted) {
            problems.push(format!("{}: unexpected flow to {extra:?}", e.function));
        }

        for s in e.sinks {
            let sink_at = line_of(&db, s.file, s.line);
            let flows: Vec<_> =
                analysis.flows.iter().filter(|fl| at(&db, fl.sink.span) == sink_at).collect();
            if flows.is_empty() {
                continue;
            }
            // Every flow into the sink starts at an expected event read, and
            // every expected read (one of its alternatives) starts one.
            let dir = s.file.rsplit_once('/').map_or("", |(d, _)| d);
            let line_in_dir = |snip: &str| line_of(&db, source_file(&db, dir, snip), snip);
            let started: BTreeSet<String> =
                flows.iter().map(|fl| at(&db, fl.source.span)).collect();
            let groups: Vec<BTreeSet<String>> = s
                .sources
                .iter()
                .map(|alternatives| alternatives.iter().map(|snip| line_in_dir(snip)).collect())
                .collect();
            for from in &started {
                if !groups.iter().any(|g| g.contains(from)) {
                    problems.push(format!(
                        "{}: flow to {sink_at} starts at {from}, expected one of {groups:?}",
                        e.function
                    ));
                }
            }
            for g in &groups {
                if g.is_disjoint(&started) {
                    problems.push(format!("{}: no flow to {sink_at} starts at {g:?}", e.function));
                }
            }
            for fl in &flows {
                if !fl.part.starts_with(s.part) {
                    problems.push(format!(
                        "{}: flow to {sink_at} reads part {:?}, expected {:?}...",
                        e.function, fl.part, s.part
                    ));
                }
                if fl.source.what.is_empty() || fl.sink.what.is_empty() {
                    problems.push(format!("{}: a step without text in {fl:?}", e.function));
                }
                for via in s.via {
                    let call = line_of(&db, source_file(&db, dir, via), via);
                    if !fl.steps.iter().any(|st| at(&db, st.span) == call) {
                        problems.push(format!(
                            "{}: flow to {sink_at} does not show the call at {call} among its steps",
                            e.function
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The file of `dir` (or of a sibling handler file) that holds `snippet`:
/// sources and calls are in the handler, sinks may be in a helper module.
fn source_file<'a>(db: &'a SourceDb, dir: &str, snippet: &str) -> &'a str {
    db.iter()
        .filter(|(_, f)| f.path.starts_with(dir) && f.text.contains(snippet))
        .map(|(_, f)| &*f.path)
        .next()
        .unwrap_or_else(|| panic!("no file under {dir} contains {snippet:?}"))
}

/// The unsafe practices the README lists, per function (the injection side
/// is above; each function may have more practices than these).
#[test]
fn unsafe_practices_of_the_readme_are_found() {
    let (db, app) = load();
    let wanted: &[(&str, PracticeKind, &str, &str)] = &[
        (
            "ImportFunction",
            PracticeKind::HardcodedCredential,
            "src/imports/app.py",
            "AWS_ACCESS_KEY_ID = \"AKIA",
        ),
        (
            "ImportFunction",
            PracticeKind::HardcodedCredential,
            "src/imports/app.py",
            "AWS_SECRET_ACCESS_KEY = \"",
        ),
        (
            "ImportFunction",
            PracticeKind::TlsVerificationDisabled,
            "src/imports/app.py",
            "verify=False",
        ),
        (
            "PreviewFunction",
            PracticeKind::ErrorDetailsReturned,
            "src/preview/app.py",
            "json.dumps({\"error\": str(e)})",
        ),
    ];
    let mut problems = Vec::new();
    for &(name, kind, file, snippet) in wanted {
        let res = faasguard_code::handler::resolve(&app, function(&app, name), &db);
        let found = faasguard_taint::practices::practices(&res, &db);
        let line = line_of(&db, file, snippet);
        if !found.iter().any(|p| p.kind == kind && at(&db, p.span) == line) {
            let got: Vec<_> = found.iter().map(|p| (p.kind, at(&db, p.span))).collect();
            problems.push(format!("{name}: no {kind:?} at {line}; found {got:?}"));
        }
        // Redaction: no message may quote the fake secret.
        for p in &found {
            if p.message.contains("w8Jr4nT2qXv9") || p.message.contains("AKIAZ7Q3M4XK2PLN8RWD") {
                problems.push(format!("{name}: a message quotes the secret: {}", p.message));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The README quotes every expected sink as `file:line`, with the severity
/// the rules give it.
#[test]
fn the_readme_lists_every_expected_flow() {
    let db = db_of(&example_dir());
    let readme = &db.get(db.find("README.md").expect("README.md")).unwrap().text;
    let mut missing = Vec::new();
    for e in EXPECTED {
        if !readme.contains(&format!("`{}`", e.function)) {
            missing.push(e.function.to_owned());
        }
        for s in e.sinks {
            let line = line_of(&db, s.file, s.line);
            if !readme.contains(&line) {
                missing.push(line);
            }
        }
    }
    assert!(missing.is_empty(), "README.md does not mention {missing:?}");
}

#[test]
fn a_custom_resources_response_url_is_not_attacker_data() {
    let template = r#"Transform: AWS::Serverless-2016-10-31
Resources:
  Provider:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      InlineCode: |
        import json, urllib3
        http = urllib3.PoolManager()
        def handler(event, context):
            body = json.dumps({"Status": "SUCCESS", "RequestId": event["RequestId"]})
            http.request("PUT", event["ResponseURL"], body=body)
            http.request("GET", event["ResourceProperties"]["Url"])
"#;
    let mut db = faasguard_source::SourceDb::new();
    let id = db.add(faasguard_source::SourceFile::new("template.yaml", template));
    let out = faasguard_loaders::load_file(id, "template.yaml", template).unwrap();
    let app = out.apps.into_iter().next().unwrap();
    let (fid, _) = app.functions().next().unwrap();
    let flows = faasguard_taint::analyse(&app, fid, &db).flows;
    let parts: Vec<&str> = flows.iter().map(|f| f.part.as_str()).collect();
    assert!(!parts.contains(&"ResponseURL"), "{parts:?}");
    // Other event data still flows: the check is not a blanket exemption.
    assert!(parts.iter().any(|p| p.starts_with("ResourceProperties")), "{parts:?}");
}
