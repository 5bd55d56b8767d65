//! INJ: event data that reaches a dangerous sink in the function code.
//!
//! `faasguard_taint` follows each function's event (and a web framework's
//! request object) through its handler and local modules to sinks, once
//! per function ([`Checker::taint`]); each rule here reports the flows of
//! one [`SinkClass`], ranked by how exposed the function's triggers are
//! ([`faasguard_taint::sources::exposure`]). Without sources they find
//! nothing.

pub(crate) mod code_injection;
pub(crate) mod command_injection;
pub(crate) mod nosql_injection;
pub(crate) mod open_redirect;
pub(crate) mod path_traversal;
pub(crate) mod regex_injection;
pub(crate) mod server_side_request_forgery;
pub(crate) mod sql_injection;
pub(crate) mod template_injection;
pub(crate) mod unsafe_deserialization;
pub(crate) mod xml_external_entities;

use std::collections::HashMap;

use faasguard_diagnostics::{RuleMeta, Severity};
use faasguard_model::{App, Function, FunctionId, TriggerKind};
use faasguard_source::Span;
use faasguard_taint::SinkClass;
use faasguard_taint::sources::{Exposure, exposure};

use crate::checker::{Checker, FindingExt};
use crate::registry::{Kind, Rule, Scope};
use crate::rules::least_privilege::at;

pub(crate) static RULES: &[Rule] = &[
    Rule {
        meta: &code_injection::META,
        scope: Scope(&[Kind::Functions]),
        check: code_injection::check,
    },
    Rule {
        meta: &command_injection::META,
        scope: Scope(&[Kind::Functions]),
        check: command_injection::check,
    },
    Rule {
        meta: &sql_injection::META,
        scope: Scope(&[Kind::Functions]),
        check: sql_injection::check,
    },
    Rule {
        meta: &nosql_injection::META,
        scope: Scope(&[Kind::Functions]),
        check: nosql_injection::check,
    },
    Rule {
        meta: &unsafe_deserialization::META,
        scope: Scope(&[Kind::Functions]),
        check: unsafe_deserialization::check,
    },
    Rule {
        meta: &path_traversal::META,
        scope: Scope(&[Kind::Functions]),
        check: path_traversal::check,
    },
    Rule {
        meta: &server_side_request_forgery::META,
        scope: Scope(&[Kind::Functions]),
        check: server_side_request_forgery::check,
    },
    Rule {
        meta: &xml_external_entities::META,
        scope: Scope(&[Kind::Functions]),
        check: xml_external_entities::check,
    },
    Rule {
        meta: &template_injection::META,
        scope: Scope(&[Kind::Functions]),
        check: template_injection::check,
    },
    Rule {
        meta: &regex_injection::META,
        scope: Scope(&[Kind::Functions]),
        check: regex_injection::check,
    },
    Rule {
        meta: &open_redirect::META,
        scope: Scope(&[Kind::Functions]),
        check: open_redirect::check,
    },
];

/// What a rule says about its sink class.
pub(crate) struct Class {
    pub(crate) class: SinkClass,
    /// The weakness, first in the message: `OS command injection`.
    pub(crate) what: &'static str,
    /// What to do instead.
    pub(crate) help: &'static str,
}

/// Longest code snippet quoted in a message or a step: a finding is read,
/// not scrolled, and the code frame shows the rest.
const SNIPPET: usize = 80;

/// How bad a flow of `class` is when the event comes from a trigger this
/// exposed: what an attacker gets (running code, reading the database)
/// times who can be the attacker.
pub(crate) fn severity(class: SinkClass, exposure: Exposure) -> Severity {
    let takeover = matches!(
        class,
        SinkClass::CodeExecution | SinkClass::Command | SinkClass::Deserialization | SinkClass::Sql
    );
    match (exposure, takeover) {
        (Exposure::Public, true) => Severity::Critical,
        (Exposure::Public, false) | (Exposure::Authenticated, true) => Severity::High,
        (Exposure::Authenticated, false) | (Exposure::Internal, true) => Severity::Medium,
        (Exposure::Internal, false) | (Exposure::Unknown, _) => Severity::Low,
    }
}

/// Reports every flow of `class` in every function of the app: one finding
/// per (sink, source) pair.
pub(crate) fn report(c: &mut Checker<'_>, meta: &'static RuleMeta, class: &Class) {
    if c.db.is_none() {
        return;
    }
    let mut found = Vec::new();
    for (id, func) in c.app.functions() {
        let Some(analysis) = c.taint(id) else { continue };
        if !analysis.flows.iter().any(|f| f.class == class.class) {
            continue;
        }
        let (exposure, trigger_span) = exposure(c.app, id);
        let trigger = trigger_text(c.app, id, func, exposure, trigger_span);
        let severity = severity(class.class, exposure);
        let mut seen: Vec<(Span, Span)> = Vec::new();
        let mut keys: HashMap<String, usize> = HashMap::new();
        for flow in analysis.flows.iter().filter(|f| f.class == class.class) {
            if seen.contains(&(flow.sink.span, flow.source.span)) {
                continue;
            }
            seen.push((flow.sink.span, flow.source.span));
            let sink_at = at(c.db, flow.sink.span);
            let source_at = at(c.db, flow.source.span);
            let part = if flow.part.is_empty() {
                "the whole event".to_string()
            } else {
                format!("part {}", code(&flow.part))
            };
            let message = format!(
                "{}: function `{}` passes {} ({part}, {source_at}) to {} ({sink_at}); its \
                 event comes from {trigger}",
                class.what,
                func.logical_id,
                code(&flow.source.what),
                code(&flow.sink_name),
            );
            // Line numbers stay out of the key, so an edit above the flow
            // keeps the finding's fingerprint; the same texts twice in one
            // function are told apart by their order.
            let sink_file =
                c.db.and_then(|db| db.get(flow.sink.span.file))
                    .map_or(String::new(), |f| f.path.to_string());
            let base = format!(
                "{sink_file}|{}|{}|{}|{}",
                flow.sink_name,
                one_line(&flow.sink.what),
                flow.part,
                one_line(&flow.source.what)
            );
            let n = keys.entry(base.clone()).or_insert(0);
            *n += 1;
            let key = if *n == 1 { base } else { format!("{base}#{n}") };
            let mut finding = c
                .finding(meta, flow.sink.span, message)
                .function(func)
                .severity(severity)
                .key(key)
                .help(class.help)
                .step(flow.source.span, format!("source: {} ({part})", code(&flow.source.what)));
            for step in &flow.steps {
                finding = finding.step(step.span, code(&step.what));
            }
            finding = finding.step(
                flow.sink.span,
                format!("sink {}: {}", code(&flow.sink_name), code(&flow.sink.what)),
            );
            if let Some(span) = trigger_span {
                finding = finding.label(span, format!("the event comes from {trigger}"));
            }
            found.push(finding);
        }
    }
    for finding in found {
        c.push(finding);
    }
}

/// The trigger [`exposure`] picked, for a message: `` `POST /orders`, public ``.
fn trigger_text(
    app: &App,
    id: FunctionId,
    func: &Function,
    exposure: Exposure,
    span: Option<Span>,
) -> String {
    let level = match exposure {
        Exposure::Public => "public",
        Exposure::Authenticated => "authenticated",
        Exposure::Internal => "internal",
        Exposure::Unknown => "no outside caller known",
    };
    let Some(span) = span else {
        return format!("no trigger of the app (direct invocation), {level}");
    };
    if let Some(url) = func.url.as_ref().filter(|u| u.span == span) {
        let auth = if url.auth_type.is_known() {
            format!("AuthType {}", url.auth_type.value)
        } else {
            "AuthType unresolved".to_string()
        };
        return format!("its function URL ({auth}), {level}");
    }
    let Some(t) = app.triggers_of(id).find(|t| t.span == span) else {
        return level.to_string();
    };
    let what = match &t.kind {
        TriggerKind::HttpRoute(route) => {
            format!("`{} {}`", route.method.to_ascii_uppercase(), route.path)
        }
        TriggerKind::S3 { .. } => format!("S3 trigger `{}`", t.logical_id),
        TriggerKind::Sqs { .. } => format!("SQS trigger `{}`", t.logical_id),
        TriggerKind::Sns { .. } => format!("SNS trigger `{}`", t.logical_id),
        TriggerKind::DynamoDbStream { .. } => format!("DynamoDB stream `{}`", t.logical_id),
        TriggerKind::Kinesis { .. } => format!("Kinesis stream `{}`", t.logical_id),
        TriggerKind::EventBridge { .. } => format!("EventBridge rule `{}`", t.logical_id),
        TriggerKind::Schedule { .. } => format!("schedule `{}`", t.logical_id),
        TriggerKind::Cognito { .. } => format!("Cognito trigger `{}`", t.logical_id),
        TriggerKind::Alb { .. } => format!("load balancer target `{}`", t.logical_id),
        TriggerKind::Other { kind } => format!("{kind} trigger `{}`", t.logical_id),
    };
    format!("{what}, {level}")
}

/// Code for a message: on one line, at most [`SNIPPET`] characters, in
/// backticks (doubled when the code holds one, as template literals do).
fn code(text: &str) -> String {
    let line = one_line(text);
    let mut short: String = line.chars().take(SNIPPET).collect();
    if line.chars().count() > SNIPPET {
        short.push('…');
    }
    if short.contains('`') { format!("`` {short} ``") } else { format!("`{short}`") }
}

/// Whitespace runs, newlines included, as one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use faasguard_source::{FileId, SourceDb, SourceFile};
    use faasguard_taint::{Analysis, Flow, Step};

    use super::*;
    use crate::Settings;

    const TEMPLATE: &str = "\
Transform: AWS::Serverless-2016-10-31
Resources:
  Jobs:
    Type: AWS::SQS::Queue
  Ping:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Api:
          Type: Api
          Properties:
            Path: /ping
            Method: post
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Job:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
";

    const CODE: &str = "\
import os

def handler(event, context):
    host = event[\"body\"]
    os.system(\"ping \" + host)
    os.system(\"ping \" + host)
";

    fn step(file: FileId, text: &str) -> Step {
        let start = CODE.find(text).unwrap_or(0);
        Step { span: Span::new(file, start, start + text.len()), what: text.to_string() }
    }

    /// The findings of INJ002 for flows given by hand: `Ping` behind a
    /// public route, `Worker` behind a queue.
    fn run(flows: impl Fn(FileId) -> Vec<Flow>) -> Vec<faasguard_diagnostics::Finding> {
        let mut db = SourceDb::new();
        let template = db.add(SourceFile::new("template.yaml", TEMPLATE));
        let code = db.add(SourceFile::new("src/app.py", CODE));
        let outcome = faasguard_loaders::load_file(template, "template.yaml", TEMPLATE).unwrap();
        let app = &outcome.apps[0];
        let settings = Settings::default();
        let mut c = Checker::new(app, &settings, Some(&db));
        for (id, _) in app.functions() {
            c.set_taint(id, Analysis { flows: flows(code), notes: Vec::new() });
        }
        report(&mut c, &command_injection::META, &command_injection::CLASS);
        c.into_findings()
    }

    fn flow(code: FileId, sink_at: usize) -> Flow {
        let sink_text = "os.system(\"ping \" + host)";
        let start = CODE.match_indices(sink_text).nth(sink_at).map_or(0, |(i, _)| i);
        Flow {
            class: SinkClass::Command,
            source: step(code, "event[\"body\"]"),
            part: "body".to_string(),
            steps: vec![step(code, "host = event[\"body\"]")],
            sink: Step {
                span: Span::new(code, start, start + sink_text.len()),
                what: sink_text.to_string(),
            },
            sink_name: "os.system".to_string(),
        }
    }

    #[test]
    fn a_flow_names_function_trigger_source_and_sink_and_carries_its_steps() {
        let found = run(|code| vec![flow(code, 0)]);
        assert_eq!(found.len(), 2, "{found:#?}");
        let ping = &found[0];
        assert_eq!(ping.subject.function.as_deref(), Some("Ping"));
        assert_eq!(ping.severity, Severity::Critical);
        assert_eq!(
            ping.message,
            "OS command injection: function `Ping` passes `event[\"body\"]` (part `body`, \
             src/app.py:4) to `os.system` (src/app.py:5); its event comes from `POST /ping`, public"
        );
        let steps: Vec<&str> = ping.flow.iter().map(|s| s.message.as_str()).collect();
        assert_eq!(
            steps,
            [
                "source: `event[\"body\"]` (part `body`)",
                "`host = event[\"body\"]`",
                "sink `os.system`: `os.system(\"ping \" + host)`",
            ]
        );
        assert_eq!(ping.labels.len(), 1);
        let worker = &found[1];
        assert_eq!(worker.severity, Severity::Medium);
        assert!(worker.message.ends_with("SQS trigger `Job`, internal"), "{}", worker.message);
    }

    #[test]
    fn one_finding_per_sink_and_source_with_distinct_stable_keys() {
        let found = run(|code| vec![flow(code, 0), flow(code, 0), flow(code, 1)]);
        let ping: Vec<_> =
            found.iter().filter(|f| f.subject.function.as_deref() == Some("Ping")).collect();
        assert_eq!(ping.len(), 2, "{ping:#?}");
        assert_ne!(ping[0].key, ping[1].key);
        assert!(!ping[0].key.contains(":5"), "no line in the key: {}", ping[0].key);
        assert!(ping[1].key.ends_with("#2"), "{}", ping[1].key);
    }

    #[test]
    fn other_classes_are_left_to_their_rules() {
        let found = run(|code| {
            let mut f = flow(code, 0);
            f.class = SinkClass::Sql;
            vec![f]
        });
        assert!(found.is_empty(), "{found:#?}");
    }

    /// Every rule with its class, in code order.
    fn classes() -> [(&'static RuleMeta, &'static Class); 11] {
        [
            (&code_injection::META, &code_injection::CLASS),
            (&command_injection::META, &command_injection::CLASS),
            (&sql_injection::META, &sql_injection::CLASS),
            (&nosql_injection::META, &nosql_injection::CLASS),
            (&unsafe_deserialization::META, &unsafe_deserialization::CLASS),
            (&path_traversal::META, &path_traversal::CLASS),
            (&server_side_request_forgery::META, &server_side_request_forgery::CLASS),
            (&xml_external_entities::META, &xml_external_entities::CLASS),
            (&template_injection::META, &template_injection::CLASS),
            (&regex_injection::META, &regex_injection::CLASS),
            (&open_redirect::META, &open_redirect::CLASS),
        ]
    }

    #[test]
    fn one_rule_per_class_in_class_order_with_the_public_severity() {
        let rules = classes();
        for (i, ((meta, class), expected)) in rules.iter().zip(SinkClass::ALL).enumerate() {
            assert_eq!(class.class, expected, "{}", meta.code);
            assert_eq!(meta.code, format!("INJ{:03}", i + 1));
            assert!(std::ptr::eq(RULES[i].meta, *meta), "{} is not RULES[{i}]", meta.code);
            // The default is what a public trigger makes of the class.
            assert_eq!(meta.severity, severity(expected, Exposure::Public), "{}", meta.code);
        }
        assert_eq!(RULES.len(), rules.len());
    }

    #[test]
    fn severity_follows_the_class_and_the_exposure() {
        assert_eq!(severity(SinkClass::Command, Exposure::Public), Severity::Critical);
        assert_eq!(severity(SinkClass::Ssrf, Exposure::Public), Severity::High);
        assert_eq!(severity(SinkClass::Sql, Exposure::Authenticated), Severity::High);
        assert_eq!(severity(SinkClass::Path, Exposure::Authenticated), Severity::Medium);
        assert_eq!(severity(SinkClass::Deserialization, Exposure::Internal), Severity::Medium);
        assert_eq!(severity(SinkClass::Regex, Exposure::Internal), Severity::Low);
        assert_eq!(severity(SinkClass::CodeExecution, Exposure::Unknown), Severity::Low);
    }

    #[test]
    fn snippets_are_short_single_lines_in_backticks() {
        assert_eq!(code("os.system(\n    cmd)"), "`os.system( cmd)`");
        assert_eq!(code("`ping ${host}`"), "`` `ping ${host}` ``");
        let long = "x".repeat(200);
        assert_eq!(code(&long).chars().count(), SNIPPET + 3);
    }
}
