//! Broken and hostile configurations: each problem is a parse error or a
//! note with its span, never a panic or a hang.

mod common;

use common::*;
use faasguard_model::Origin;
use faasguard_syntax::ParseErrorKind;

#[test]
fn two_variable_cycle_ends_with_an_error_naming_it() {
    let text = "service: s\nprovider:\n  name: aws\ncustom:\n  a: ${self:custom.b}\n  b: ${self:custom.a}\nfunctions:\n  f:\n    handler: h.h\n    runtime: python3.12\n    environment:\n      A: ${self:custom.a}\n";
    let (db, out) = load_text(text);
    let cycles: Vec<_> =
        out.errors.iter().filter(|e| e.message.contains("variable cycle")).collect();
    assert!(!cycles.is_empty(), "{:?}", messages(&out));
    let msg = &cycles[0].message;
    assert!(msg.contains("self:custom.a") && msg.contains("self:custom.b"), "{msg}");
    assert_eq!(cycles[0].kind, ParseErrorKind::Structure);
    assert!(
        slice(&db, cycles[0].span).starts_with("${self:custom."),
        "{}",
        slice(&db, cycles[0].span)
    );
    let a = &function(&out.apps[0], "f").environment[0].value;
    assert_eq!(a.origin, Origin::Unresolved);
}

#[test]
fn self_reference_ends_with_an_error() {
    let text = "service: s\nprovider:\n  name: aws\n  stage: ${self:provider.stage}\n";
    let (_db, out) = load_text(text);
    let msgs = messages(&out);
    assert!(
        msgs.iter()
            .any(|m| m.contains("variable cycle: self:provider.stage -> self:provider.stage")),
        "{msgs:?}"
    );
}

#[test]
fn a_value_containing_its_own_ancestor_is_a_cycle() {
    let text =
        "service: s\nprovider:\n  name: aws\ncustom:\n  box:\n    inner: ${self:custom.box}\n";
    let (_db, out) = load_text(text);
    assert!(messages(&out).iter().any(|m| m.contains("variable cycle")), "{:?}", messages(&out));
}

#[test]
fn missing_file_is_an_error_naming_it() {
    let text = "service: s\nprovider:\n  name: aws\nfunctions: ${file(./functions.yml)}\n";
    let (db, out) = load_text(text);
    let e = out.errors.iter().find(|e| e.message.contains("functions.yml")).expect("an error");
    assert!(e.message.contains("svc/functions.yml"), "{}", e.message);
    assert_eq!(slice(&db, e.span), "${file(./functions.yml)}");
    // With a fallback the Framework takes the fallback silently.
    let (_db, out) = load_text(
        "service: s\nprovider:\n  name: aws\n  runtime: ${file(./x.yml):rt, 'python3.12'}\n",
    );
    assert!(out.errors.is_empty(), "{:?}", messages(&out));
}

#[test]
fn missing_self_path_is_an_error_and_unknown_sources_a_note() {
    let text = "service: s\nprovider:\n  name: aws\n  runtime: python3.12\nfunctions:\n  f:\n    handler: h.h\n    environment:\n      A: ${self:custom.nothing}\n      B: ${vault:secret/x}\n      C: ${self:custom.nothing, 'fallback'}\n      D: ${cf:other-stack.Output}\n";
    let (db, out) = load_text(text);
    let missing =
        out.errors.iter().find(|e| e.message.contains("self:custom.nothing")).expect("error");
    assert_eq!(slice(&db, missing.span), "${self:custom.nothing}");
    let app = &out.apps[0];
    let note = app.notes.iter().find(|n| n.message.contains("`vault`")).expect("note");
    assert!(slice(&db, note.span).contains("vault:secret/x"));
    let env = &function(app, "f").environment;
    assert_eq!(env[0].value.origin, Origin::Unresolved);
    assert_eq!(env[1].value.origin, Origin::Unresolved);
    assert_eq!(env[2].value.value, "fallback");
    assert_eq!(
        (env[3].value.origin, env[3].value.value.as_str()),
        (Origin::Unresolved, "${cf:other-stack.Output}")
    );
    assert_eq!(out.errors.len(), 1, "{:?}", messages(&out));
}

#[test]
fn options_without_defaults_stay_unresolved() {
    let text = "service: s\nprovider:\n  name: aws\n  stage: ${opt:stage}\n  runtime: python3.12\nfunctions:\n  f:\n    handler: h.h\n    environment:\n      STAGE: ${sls:stage}\n";
    let (_db, out) = load_text(text);
    assert!(out.errors.is_empty(), "{:?}", messages(&out));
    let v = &function(&out.apps[0], "f").environment[0].value;
    assert_eq!(v.origin, Origin::Unresolved);
}

#[test]
fn unknown_keys_are_notes_with_their_span() {
    let text = "service: s\nprovider:\n  name: aws\n  Runtime: python3.12\nfunctions:\n  f:\n    handler: h.h\n    memorySise: 128\nbogus: 1\n";
    let (db, out) = load_text(text);
    assert!(out.errors.is_empty(), "{:?}", messages(&out));
    let notes = &out.apps[0].notes;
    for key in ["Runtime", "memorySise", "bogus"] {
        let n = notes
            .iter()
            .find(|n| n.message.contains(&format!("`{key}`")))
            .unwrap_or_else(|| panic!("{key}: {notes:?}"));
        assert_eq!(slice(&db, n.span), key);
    }
    assert!(notes.iter().any(|n| n.message.contains("did you mean `runtime`")));
}

#[test]
fn wrong_types_are_structure_errors() {
    let text = "service: s\nprovider:\n  name: aws\n  runtime: python3.12\n  iam: nope\nfunctions:\n  f:\n    handler: h.h\n    memorySize: lots\n    events: not-a-list\n    environment:\n      LIST: [a, b]\n  g: just-a-string\n  h:\n    handler: h.h\n    events:\n      - http: GET\n      - {sqs: a, sns: b}\n    iamRoleStatements: {Effect: Allow}\nresources: 42\n";
    let (db, out) = load_text(text);
    let msgs = messages(&out);
    for (needle, text) in [
        ("`provider.iam` must be a mapping", "nope"),
        ("`memorySize` must be a whole number", "lots"),
        ("`events` of function `f` must be a list", "not-a-list"),
        ("not a list", "[a, b]"),
        ("function `g` must be a mapping", "just-a-string"),
        ("is not `METHOD path`", "GET"),
        ("one key", "{sqs: a, sns: b}"),
        ("`statements` must be a list", "{Effect: Allow}"),
        ("`resources` must be a mapping", "42"),
    ] {
        let e = out
            .errors
            .iter()
            .find(|e| e.message.contains(needle))
            .unwrap_or_else(|| panic!("{needle}: {msgs:?}"));
        assert_eq!(e.kind, ParseErrorKind::Structure);
        // Flow collections' spans end before their closing bracket (syntax crate).
        let want = text.trim_end_matches([']', '}']);
        assert!(slice(&db, e.span).starts_with(want), "{needle}: {}", slice(&db, e.span));
    }
}

#[test]
fn documents_that_are_not_mappings_or_not_yaml() {
    let (_db, out) = load_text("- just\n- a list\n");
    assert!(messages(&out)[0].contains("must be a mapping"));
    let (_db, out) = load_text("service: [unclosed\n");
    assert!(out.errors.iter().any(|e| e.kind == ParseErrorKind::Syntax));
    assert_eq!(out.apps.len(), 1);
    let (_db, out) = load_text("");
    assert!(out.errors.is_empty());
}

#[test]
fn exponential_references_are_bounded() {
    // Each level doubles: 2^40 values if expanded naively.
    let mut text = String::from("service: s\nprovider:\n  name: aws\ncustom:\n  l0: [x, y]\n");
    for i in 1..=40 {
        text.push_str(&format!(
            "  l{i}: ['${{self:custom.l{}}}', '${{self:custom.l{}}}']\n",
            i - 1,
            i - 1
        ));
    }
    let (db, out) = load_text(&text);
    // Expansion stops at the value limit with one error, at a reference
    // of the chain, and the configuration still loads.
    let cut: Vec<_> = out
        .errors
        .iter()
        .filter(|e| e.message.contains("beyond") || e.message.contains("more than"))
        .collect();
    assert_eq!(cut.len(), 1, "{:?}", messages(&out));
    assert_eq!(cut[0].kind, ParseErrorKind::Structure);
    assert!(slice(&db, cut[0].span).contains("${self:custom.l"), "{}", slice(&db, cut[0].span));
    assert_eq!(out.apps.len(), 1);
}

#[test]
fn long_reference_chains_are_bounded() {
    // Written from the far end, so the first use walks the whole chain.
    let mut text = String::from("service: s\nprovider:\n  name: aws\ncustom:\n");
    for i in (1..=200).rev() {
        text.push_str(&format!("  v{i}: ${{self:custom.v{}}}\n", i - 1));
    }
    text.push_str("  v0: end\n");
    let (db, out) = load_text(&text);
    // Each use deeper than the limit is an error at the reference where it
    // stopped; nothing else goes wrong.
    assert!(!out.errors.is_empty());
    for e in &out.errors {
        assert!(e.message.contains("levels"), "{:?}", messages(&out));
        assert_eq!(e.kind, ParseErrorKind::Structure);
        assert!(slice(&db, e.span).starts_with("${self:custom.v"), "{}", slice(&db, e.span));
    }
}

#[test]
fn cross_file_cycle_ends_with_an_error() {
    let db = db_of(&[
        ("svc/serverless.yml", "service: s\nprovider:\n  name: aws\ncustom: ${file(./a.yml)}\n"),
        ("svc/a.yml", "b: ${file(./b.yml)}\n"),
        ("svc/b.yml", "a: ${file(./a.yml)}\n"),
    ]);
    let out = load_path(&db, "svc/serverless.yml");
    assert!(
        messages(&out).iter().any(|m| m.contains("variable cycle") && m.contains("file:svc/a.yml")),
        "{:?}",
        messages(&out)
    );
}

#[test]
fn undeclared_http_api_authorizer_is_an_error() {
    let text = "service: s\nprovider:\n  name: aws\n  runtime: python3.12\nfunctions:\n  f:\n    handler: h.h\n    events:\n      - httpApi:\n          path: /x\n          method: get\n          authorizer:\n            name: missing\n";
    let (_db, out) = load_text(text);
    assert!(
        messages(&out).iter().any(|m| m.contains("`missing` is not declared")),
        "{:?}",
        messages(&out)
    );
}

#[test]
fn other_providers_are_noted_not_modelled() {
    let (_db, out) =
        load_text("service: s\nprovider:\n  name: azure\nfunctions:\n  f:\n    handler: h\n");
    assert!(out.apps[0].functions.is_empty());
    assert!(out.apps[0].notes.iter().any(|n| n.message.contains("azure")));
}

#[test]
fn deep_trees_reached_through_references_stay_within_the_stack() {
    // Two 200-deep lists, the second's innermost item referring to the first:
    // resolution nests past 400 levels unless it is bounded.
    let nested = |inner: &str| format!("{}{inner}{}", "[".repeat(200), "]".repeat(200));
    let text = format!(
        "service: s\nprovider:\n  name: aws\ncustom:\n  a: {}\n  b: {}\n",
        nested("x"),
        nested("'${self:custom.a}'")
    );
    let (_db, out) = load_text(&text);
    assert!(messages(&out).iter().any(|m| m.contains("nest deeper")), "{:?}", messages(&out));
}

#[test]
fn json_configs_load() {
    let db = db_of(&[(
        "j/serverless.json",
        r#"{"service": "j", "provider": {"name": "aws", "runtime": "python3.12", "stage": "${opt:stage, 'qa'}"},
            "functions": {"f": {"handler": "h.h", "environment": {"S": "${sls:stage}"}}}}"#,
    )]);
    let out = load_path(&db, "j/serverless.json");
    assert!(out.errors.is_empty(), "{:?}", messages(&out));
    let f = function(&out.apps[0], "f");
    assert_eq!(f.environment[0].value.value, "qa");
    assert_eq!(slice(&db, f.environment[0].value.span), "qa");
}
