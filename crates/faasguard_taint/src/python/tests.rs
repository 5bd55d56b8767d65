//! The engine called directly, for what the template-driven tests cannot
//! reach: code without a known handler.

use faasguard_code::parse::{Language, parse};
use faasguard_source::FileId;

use crate::{Analysis, Input, SinkClass};

fn run(code: &str, entry: Option<(usize, &str)>) -> Analysis {
    let module = parse(FileId(0), Language::Python, code).unwrap();
    let inputs = [Input { module: &module, path: "app.py", text: code, at: None }];
    let mut out = Analysis::default();
    super::analyse(&inputs, entry, &mut out);
    out
}

#[test]
fn without_an_entry_a_function_named_like_a_handler_is_the_entry() {
    for name in ["handler", "lambda_handler", "main"] {
        let code =
            format!("import os\n\ndef {name}(event, context):\n    os.system(event['cmd'])\n");
        let a = run(&code, None);
        assert_eq!(a.flows.len(), 1, "{name}");
        assert_eq!(a.flows[0].class, SinkClass::Command);
        assert_eq!(a.flows[0].part, "cmd");
    }
    // Another name is not an entry: its parameter is nobody's event.
    let a = run("import os\n\ndef work(event, context):\n    os.system(event['cmd'])\n", None);
    assert!(a.flows.is_empty());
}

#[test]
fn the_given_entry_wins_and_only_its_first_parameter_is_a_source() {
    let code = "import os\n\ndef handler(event, context):\n    os.system(event['a'])\n\ndef other(e, c):\n    os.system(e['b'])\n    os.system(c.function_name)\n";
    let a = run(code, Some((0, "other")));
    assert_eq!(a.flows.len(), 1);
    assert_eq!(a.flows[0].part, "b");
    // A dotted (Node-style) name uses its last segment.
    let a = run(code, Some((0, "mod.other")));
    assert_eq!(a.flows.len(), 1);
}

#[test]
fn framework_sources_count_without_an_entry() {
    let code =
        "from flask import request\nimport os\n\ndef view():\n    os.system(request.args['x'])\n";
    let a = run(code, None);
    assert_eq!(a.flows.len(), 1);
    assert_eq!(a.flows[0].part, "args.x");
    assert_eq!(a.flows[0].source.what, "request.args['x']");
}

#[test]
fn empty_input_is_fine() {
    let mut out = Analysis::default();
    super::analyse(&[], None, &mut out);
    assert!(out.flows.is_empty());
    assert!(run("", None).flows.is_empty());
}
