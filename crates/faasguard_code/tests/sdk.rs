//! SDK call discovery, driven by data: each `tests/sdk-cases/<name>.<py|js|ts>`
//! has a `<name>.json` with the calls and notes it must produce, exactly.
//!
//! Expected file format:
//!
//! ```json
//! { "calls": [ { "line": 4, "client": "s3", "operation": "GetObject",
//!                "args": { "Bucket": "lit:b", "Key": "env:KEY" },
//!                "confidence": "high", "via": "optional" } ],
//!   "notes": [ "substring of the note's message, with its line", ... ] }
//! ```
//!
//! Argument values: `lit:<text>`, `env:<NAME>`, `tpl:<part>|<part>...` with
//! parts `lit:`, `env:` and `?:`, `?:<source>` for unknown, and a bare `?`
//! for an unknown whose source text does not matter.

use faasguard_code::parse::Language;
use faasguard_code::sdk::{self, ArgValue, Confidence, Discovery, Part};
use faasguard_source::FileId;

fn language_of(path: &str) -> Language {
    Language::from_path(path).expect("case files are .py, .js or .ts")
}

fn parse(language: Language, text: &str) -> tree_sitter::Tree {
    let mut parser = tree_sitter::Parser::new();
    let lang: tree_sitter::Language = match language {
        Language::Python => tree_sitter_python::LANGUAGE.into(),
        Language::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
        Language::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
        Language::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
    };
    parser.set_language(&lang).expect("grammar loads");
    parser.parse(text, None).expect("tree-sitter returns a tree")
}

fn discover(language: Language, text: &str) -> Discovery {
    let tree = parse(language, text);
    sdk::calls(FileId(0), language, text, &tree)
}

fn line_of(text: &str, offset: u32) -> usize {
    text.as_bytes()[..offset as usize].iter().filter(|b| **b == b'\n').count() + 1
}

fn encode_part(p: &Part) -> String {
    match p {
        Part::Literal(s) => format!("lit:{s}"),
        Part::Env(s) => format!("env:{s}"),
        Part::Unknown(s) => format!("?:{s}"),
    }
}

fn encode(v: &ArgValue) -> String {
    match v {
        ArgValue::Literal(s) => format!("lit:{s}"),
        ArgValue::Env(s) => format!("env:{s}"),
        ArgValue::Template(parts) => {
            format!("tpl:{}", parts.iter().map(encode_part).collect::<Vec<_>>().join("|"))
        }
        ArgValue::Unknown(s) => format!("?:{s}"),
    }
}

/// The discovery as the same JSON shape as the expected files, for the
/// failure message (so a new case can start from it, after review).
fn render(text: &str, d: &Discovery) -> String {
    let mut out = String::from("{\n  \"calls\": [\n");
    let calls: Vec<String> = d
        .calls
        .iter()
        .map(|c| {
            let args: Vec<String> = c
                .args
                .iter()
                .map(|(k, v)| format!("{}: {}", json_str(k), json_str(&encode(v))))
                .collect();
            format!(
                "    {{ \"line\": {}, \"client\": {}, \"operation\": {}, \"args\": {{ {} }}, \"confidence\": {}, \"via\": {} }}",
                line_of(text, c.span.start),
                json_str(&c.client),
                json_str(&c.operation),
                args.join(", "),
                json_str(if c.confidence == Confidence::High { "high" } else { "low" }),
                json_str(&c.via),
            )
        })
        .collect();
    out.push_str(&calls.join(",\n"));
    out.push_str("\n  ],\n  \"notes\": [\n");
    let notes: Vec<String> = d
        .notes
        .iter()
        .map(|n| {
            format!("    {}", json_str(&format!("{}: {}", line_of(text, n.span.start), n.message)))
        })
        .collect();
    out.push_str(&notes.join(",\n"));
    out.push_str("\n  ]\n}\n");
    out
}

fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn check_case(
    name: &str,
    source_path: &std::path::Path,
    expected_path: &std::path::Path,
) -> Result<(), String> {
    let text = std::fs::read_to_string(source_path).map_err(|e| e.to_string())?;
    let expected = std::fs::read_to_string(expected_path).map_err(|e| e.to_string())?;
    let expected = json::parse(&expected).map_err(|e| format!("{name}: bad expected JSON: {e}"))?;
    let language = language_of(&source_path.to_string_lossy());
    let got = discover(language, &text);
    let fail = |msg: String| Err(format!("{name}: {msg}\n--- got ---\n{}", render(&text, &got)));

    let exp_calls = expected.get("calls").and_then(json::Value::as_array).unwrap_or(&[]);
    if exp_calls.len() != got.calls.len() {
        return fail(format!("expected {} calls, got {}", exp_calls.len(), got.calls.len()));
    }
    for (i, (e, g)) in exp_calls.iter().zip(&got.calls).enumerate() {
        let line = line_of(&text, g.span.start);
        let want = |k: &str| e.get(k).and_then(json::Value::as_str).map(str::to_string);
        if e.get("line").and_then(json::Value::as_f64) != Some(line as f64) {
            return fail(format!("call {i}: expected line {:?}, got {line}", e.get("line")));
        }
        if want("client").as_deref() != Some(g.client.as_str())
            || want("operation").as_deref() != Some(g.operation.as_str())
        {
            return fail(format!(
                "call {i}: expected {:?}:{:?}, got {}:{}",
                want("client"),
                want("operation"),
                g.client,
                g.operation
            ));
        }
        let conf = if g.confidence == Confidence::High { "high" } else { "low" };
        if want("confidence").as_deref().unwrap_or("high") != conf {
            return fail(format!(
                "call {i}: expected confidence {:?}, got {conf}",
                want("confidence")
            ));
        }
        if let Some(via) = want("via")
            && via != g.via
        {
            return fail(format!("call {i}: expected via {via:?}, got {:?}", g.via));
        }
        let exp_args = e.get("args").and_then(json::Value::as_object).unwrap_or(&[]);
        if exp_args.len() != g.args.len() {
            return fail(format!(
                "call {i}: expected {} args, got {}",
                exp_args.len(),
                g.args.len()
            ));
        }
        for ((ek, ev), (gk, gv)) in exp_args.iter().zip(&g.args) {
            let ev = ev.as_str().unwrap_or_default();
            let gv = encode(gv);
            let same = if ev == "?" { gv.starts_with("?:") } else { ev == gv };
            if ek != gk || !same {
                return fail(format!("call {i}: expected arg {ek}={ev}, got {gk}={gv}"));
            }
        }
    }
    let exp_notes = expected.get("notes").and_then(json::Value::as_array).unwrap_or(&[]);
    if exp_notes.len() != got.notes.len() {
        return fail(format!("expected {} notes, got {}", exp_notes.len(), got.notes.len()));
    }
    for (e, g) in exp_notes.iter().zip(&got.notes) {
        let e = e.as_str().unwrap_or_default();
        let g = format!("{}: {}", line_of(&text, g.span.start), g.message);
        if !g.contains(e) {
            return fail(format!("note {g:?} does not contain {e:?}"));
        }
    }
    Ok(())
}

#[test]
fn cases() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sdk-cases");
    let mut entries: Vec<_> =
        std::fs::read_dir(&dir).expect("cases directory").flatten().map(|e| e.path()).collect();
    entries.sort();
    let mut failures = Vec::new();
    let mut count = 0;
    for path in &entries {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "py" | "js" | "ts") {
            continue;
        }
        count += 1;
        let name = path.file_name().unwrap_or_default().to_string_lossy().to_string();
        let expected = path.with_extension("json");
        if let Err(e) = check_case(&name, path, &expected) {
            failures.push(e);
        }
    }
    assert!(count >= 12, "only {count} cases found in {}", dir.display());
    assert!(
        failures.is_empty(),
        "{} of {count} cases failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

// -- hostile input ---------------------------------------------------------------
//
// These prove termination and what the limits leave behind, not speed:
// throughput of parsing and discovery is measured by `bench/code.sh`.

/// Every call is reported once, in source order, at its own span with its
/// own arguments, and no limit is hit (10,000 is far below the per-module
/// cap).
#[test]
fn ten_thousand_calls_python() {
    let mut src =
        String::from("import boto3\ns3 = boto3.client('s3')\ndef handler(event, context):\n");
    for i in 0..10_000 {
        src.push_str(&format!("    s3.get_object(Bucket='b{i}', Key=event['k'])\n"));
    }
    let d = discover(Language::Python, &src);
    assert_eq!(d.calls.len(), 10_000);
    assert!(d.notes.is_empty(), "{:?}", d.notes);
    for (i, c) in d.calls.iter().enumerate() {
        assert_eq!((c.client.as_str(), c.operation.as_str()), ("s3", "GetObject"), "call {i}");
        assert_eq!(c.confidence, Confidence::High, "call {i}");
        assert_eq!(c.args[0], ("Bucket".to_string(), ArgValue::Literal(format!("b{i}"))));
        let at = &src[c.span.start as usize..c.span.end as usize];
        assert_eq!(at, format!("s3.get_object(Bucket='b{i}', Key=event['k'])"));
    }
}

#[test]
fn ten_thousand_calls_javascript() {
    let mut src = String::from(
        "const { S3Client, GetObjectCommand } = require('@aws-sdk/client-s3');\nconst s3 = new S3Client({});\nexports.handler = async (event) => {\n",
    );
    for i in 0..10_000 {
        src.push_str(&format!(
            "  await s3.send(new GetObjectCommand({{ Bucket: process.env.B{i}, Key: event.k }}));\n"
        ));
    }
    src.push_str("};\n");
    let d = discover(Language::JavaScript, &src);
    assert_eq!(d.calls.len(), 10_000);
    assert!(d.notes.is_empty(), "{:?}", d.notes);
    for (i, c) in d.calls.iter().enumerate() {
        assert_eq!((c.client.as_str(), c.operation.as_str()), ("s3", "GetObject"), "call {i}");
        assert_eq!(c.confidence, Confidence::High, "call {i}");
        assert_eq!(c.args[0], ("Bucket".to_string(), ArgValue::Env(format!("B{i}"))));
        let at = &src[c.span.start as usize..c.span.end as usize];
        assert_eq!(
            at,
            format!("new GetObjectCommand({{ Bucket: process.env.B{i}, Key: event.k }})")
        );
    }
}

#[test]
fn deep_nesting_and_long_alias_chains_stay_bounded() {
    // 5,000 nested parentheses, a 10,000-term concatenation, and a chain of
    // 10,000 aliases ending in a client.
    let mut py = String::from("import boto3\nc0 = boto3.client('sqs')\n");
    for i in 1..10_000 {
        py.push_str(&format!("c{i} = c{}\n", i - 1));
    }
    py.push_str(&format!("x = {}1{}\n", "(".repeat(5_000), ")".repeat(5_000)));
    py.push_str(&format!("name = {}\n", vec!["'a'"; 10_000].join(" + ")));
    py.push_str("c9999.send_message(QueueUrl=name)\nc3.send_message(QueueUrl=name)\n");
    let d = discover(Language::Python, &py);
    // The end of the long chain is beyond the depth limit: nothing is
    // guessed. A short chain still resolves.
    assert_eq!(d.calls.len(), 1, "{:?}", d.calls);
    let call = &d.calls[0];
    assert!(py[call.span.start as usize..].starts_with("c3.send_message"), "{call:?}");
    assert_eq!((call.client.as_str(), call.operation.as_str()), ("sqs", "SendMessage"));
    assert_eq!(call.confidence, Confidence::High);
    assert_cut_concatenation(&call.args);

    let mut js = String::from("const AWS = require('aws-sdk');\nconst c0 = new AWS.SQS();\n");
    for i in 1..10_000 {
        js.push_str(&format!("const c{i} = c{};\n", i - 1));
    }
    js.push_str(&format!("const x = {}1{};\n", "[".repeat(5_000), "]".repeat(5_000)));
    js.push_str(&format!("const n = {};\n", vec!["'a'"; 10_000].join(" + ")));
    js.push_str(&format!(
        "{}c2.sendMessage({{ QueueUrl: n }}){};\n",
        "f(".repeat(3_000),
        ")".repeat(3_000)
    ));
    let d = discover(Language::JavaScript, &js);
    assert_eq!(d.calls.len(), 1, "{:?}", d.calls);
    let call = &d.calls[0];
    assert!(js[call.span.start as usize..].starts_with("c2.sendMessage"), "{call:?}");
    assert_eq!((call.client.as_str(), call.operation.as_str()), ("sqs", "SendMessage"));
    assert_eq!(call.confidence, Confidence::High);
    assert_cut_concatenation(&call.args);
}

/// A 10,000-term `'a' + 'a' + ...` concatenation cut at the depth limit:
/// its head is unknown, never dropped, and what was evaluated is kept, a
/// non-empty part of the whole.
fn assert_cut_concatenation(args: &[(String, ArgValue)]) {
    assert_eq!(args.len(), 1, "{args:?}");
    assert_eq!(args[0].0, "QueueUrl");
    let ArgValue::Template(parts) = &args[0].1 else { panic!("a template: {args:?}") };
    assert!(matches!(parts[0], Part::Unknown(_)), "{parts:?}");
    let evaluated: String = parts[1..]
        .iter()
        .map(|p| match p {
            Part::Literal(s) => s.as_str(),
            other => panic!("only literals after the cut: {other:?}"),
        })
        .collect();
    assert!(
        !evaluated.is_empty() && evaluated.len() < 10_000 && evaluated.bytes().all(|b| b == b'a'),
        "{parts:?}"
    );
}

#[test]
fn mutually_recursive_parameters_terminate() {
    // f passes its parameter to g and g to f: resolving either loops
    // through call sites until the budget ends it.
    let src = "def f(c):\n    g(c)\n    c.put_item(TableName='t')\n\ndef g(c):\n    f(c)\n";
    let d = discover(Language::Python, src);
    assert!(d.calls.is_empty() || d.calls.iter().all(|c| c.confidence == Confidence::Low));
    let src = "function f(c) { g(c); c.putItem({ TableName: 't' }); }\nfunction g(c) { f(c); }\n";
    let d = discover(Language::JavaScript, src);
    assert!(d.calls.is_empty() || d.calls.iter().all(|c| c.confidence == Confidence::Low));
}

#[test]
fn syntax_errors_and_garbage_do_not_panic() {
    let inputs = [
        "import boto3\ns3 = boto3.client('s3'\ndef h(:\n  s3.get_object(Bucket='b')\n",
        "s3.get_object(Bucket=f'{",
        "\u{0}\u{1}((((",
        "const s3 = new (require('aws-sdk').S3)(); s3.getObject({Bucket: `a${",
        "import { S3Client } from '@aws-sdk/client-s3'; new S3Client(; client.send(new",
        "",
    ];
    for text in inputs {
        for lang in [Language::Python, Language::JavaScript, Language::TypeScript] {
            let _ = discover(lang, text);
        }
    }
}

/// A small JSON reader for the expected files: objects keep their order.
mod json {
    #[derive(Debug, Clone)]
    pub(crate) enum Value {
        Null,
        Bool,
        Number(f64),
        Str(String),
        Array(Vec<Value>),
        Object(Vec<(String, Value)>),
    }

    impl Value {
        pub(crate) fn get(&self, key: &str) -> Option<&Value> {
            match self {
                Value::Object(items) => items.iter().find(|(k, _)| k == key).map(|(_, v)| v),
                _ => None,
            }
        }
        pub(crate) fn as_str(&self) -> Option<&str> {
            if let Value::Str(s) = self { Some(s) } else { None }
        }
        pub(crate) fn as_f64(&self) -> Option<f64> {
            if let Value::Number(n) = self { Some(*n) } else { None }
        }
        pub(crate) fn as_array(&self) -> Option<&[Value]> {
            if let Value::Array(a) = self { Some(a) } else { None }
        }
        pub(crate) fn as_object(&self) -> Option<&[(String, Value)]> {
            if let Value::Object(o) = self { Some(o) } else { None }
        }
        #[allow(dead_code)]
        pub(crate) fn is_null(&self) -> bool {
            matches!(self, Value::Null | Value::Bool)
        }
    }

    pub(crate) fn parse(s: &str) -> Result<Value, String> {
        let mut p = P { b: s.as_bytes(), i: 0 };
        let v = p.value()?;
        p.ws();
        if p.i != p.b.len() {
            return Err(format!("trailing data at byte {}", p.i));
        }
        Ok(v)
    }

    struct P<'a> {
        b: &'a [u8],
        i: usize,
    }

    impl P<'_> {
        fn ws(&mut self) {
            while self.i < self.b.len() && self.b[self.i].is_ascii_whitespace() {
                self.i += 1;
            }
        }
        fn eat(&mut self, c: u8) -> Result<(), String> {
            self.ws();
            if self.b.get(self.i) == Some(&c) {
                self.i += 1;
                Ok(())
            } else {
                Err(format!("expected '{}' at byte {}", c as char, self.i))
            }
        }
        fn value(&mut self) -> Result<Value, String> {
            self.ws();
            match self.b.get(self.i) {
                Some(b'{') => {
                    self.i += 1;
                    let mut items = Vec::new();
                    self.ws();
                    if self.b.get(self.i) == Some(&b'}') {
                        self.i += 1;
                        return Ok(Value::Object(items));
                    }
                    loop {
                        self.ws();
                        let Value::Str(k) = self.value()? else { return Err("object key".into()) };
                        self.eat(b':')?;
                        items.push((k, self.value()?));
                        self.ws();
                        match self.b.get(self.i) {
                            Some(b',') => self.i += 1,
                            Some(b'}') => {
                                self.i += 1;
                                return Ok(Value::Object(items));
                            }
                            _ => return Err(format!("expected ',' or '}}' at byte {}", self.i)),
                        }
                    }
                }
                Some(b'[') => {
                    self.i += 1;
                    let mut items = Vec::new();
                    self.ws();
                    if self.b.get(self.i) == Some(&b']') {
                        self.i += 1;
                        return Ok(Value::Array(items));
                    }
                    loop {
                        items.push(self.value()?);
                        self.ws();
                        match self.b.get(self.i) {
                            Some(b',') => self.i += 1,
                            Some(b']') => {
                                self.i += 1;
                                return Ok(Value::Array(items));
                            }
                            _ => return Err(format!("expected ',' or ']' at byte {}", self.i)),
                        }
                    }
                }
                Some(b'"') => {
                    self.i += 1;
                    let mut out = String::new();
                    loop {
                        let rest =
                            std::str::from_utf8(&self.b[self.i..]).map_err(|e| e.to_string())?;
                        let mut chars = rest.chars();
                        let c = chars.next().ok_or("unterminated string")?;
                        self.i += c.len_utf8();
                        match c {
                            '"' => return Ok(Value::Str(out)),
                            '\\' => {
                                let e = self.b.get(self.i).copied().ok_or("bad escape")?;
                                self.i += 1;
                                match e {
                                    b'n' => out.push('\n'),
                                    b't' => out.push('\t'),
                                    b'u' => {
                                        let hex = std::str::from_utf8(
                                            self.b.get(self.i..self.i + 4).ok_or("bad \\u")?,
                                        )
                                        .map_err(|e| e.to_string())?;
                                        let n = u32::from_str_radix(hex, 16)
                                            .map_err(|e| e.to_string())?;
                                        out.push(char::from_u32(n).unwrap_or('\u{fffd}'));
                                        self.i += 4;
                                    }
                                    other => out.push(other as char),
                                }
                            }
                            c => out.push(c),
                        }
                    }
                }
                Some(b't') if self.b[self.i..].starts_with(b"true") => {
                    self.i += 4;
                    Ok(Value::Bool)
                }
                Some(b'f') if self.b[self.i..].starts_with(b"false") => {
                    self.i += 5;
                    Ok(Value::Bool)
                }
                Some(b'n') if self.b[self.i..].starts_with(b"null") => {
                    self.i += 4;
                    Ok(Value::Null)
                }
                Some(_) => {
                    let start = self.i;
                    while self.i < self.b.len()
                        && matches!(self.b[self.i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                    {
                        self.i += 1;
                    }
                    let s =
                        std::str::from_utf8(&self.b[start..self.i]).map_err(|e| e.to_string())?;
                    s.parse::<f64>()
                        .map(Value::Number)
                        .map_err(|_| format!("bad value at byte {start}"))
                }
                None => Err("unexpected end".into()),
            }
        }
    }
}
