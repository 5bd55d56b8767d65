//! Effective permissions and risks of many roles, the IAM engine's worst
//! realistic load: 1,000 distinct roles, each holding `Action: "*"` on `*`
//! plus 50 wildcard statements on role-specific ARNs.
//!
//! `cargo bench -p faasguard_iam --bench roles` prints the wall time on all
//! cores (as `faasguard scan` checks apps in parallel) and on one; the
//! numbers and the machine go to docs/performance.md. A plain harness, not
//! criterion: one measured run of the whole batch is the figure we report,
//! and the median of 5 smooths a shared machine.

use std::time::{Duration, Instant};

use faasguard_iam::catalog::catalog;
use faasguard_iam::effective::Analyzer;
use faasguard_iam::risk::{RoleContext, assess};
use faasguard_model::{Effect, Origin, PolicyDocument, Statement, Val};
use faasguard_source::{FileId, Span};

const ROLES: usize = 1_000;
const WILDCARD_STATEMENTS: usize = 50;
const PATTERNS: &[&str] = &[
    "s3:Get*",
    "s3:Put*",
    "dynamodb:*Item",
    "sqs:*",
    "sns:Publish",
    "lambda:Invoke*",
    "logs:*",
    "ec2:Describe*",
    "kms:Decrypt",
    "secretsmanager:Get*",
    "ssm:GetParameter*",
    "states:Start*",
    "events:Put*",
    "kinesis:Put*",
    "iam:Get*",
    "sts:AssumeRole",
];

fn val(text: String) -> Val<String> {
    Val { value: text, span: Span::file_start(FileId(0)), origin: Origin::Explicit }
}

fn statement(actions: Vec<String>, resources: Vec<String>) -> Statement {
    Statement {
        sid: None,
        effect: Val {
            value: Effect::Allow,
            span: Span::file_start(FileId(0)),
            origin: Origin::Explicit,
        },
        actions: actions.into_iter().map(val).collect(),
        not_actions: None,
        resources: resources.into_iter().map(val).collect(),
        not_resources: None,
        principal: None,
        not_principal: None,
        conditions: Vec::new(),
        span: Span::file_start(FileId(0)),
    }
}

fn role_documents(i: usize) -> PolicyDocument {
    let mut statements = vec![statement(vec!["*".into()], vec!["*".into()])];
    for j in 0..WILDCARD_STATEMENTS {
        let p = PATTERNS[(i + j) % PATTERNS.len()];
        let svc = p.split(':').next().unwrap_or("s3");
        statements.push(statement(
            vec![p.to_string(), PATTERNS[(i * 7 + j) % PATTERNS.len()].to_string()],
            vec![format!("arn:aws:{svc}:*:*:app-{i}-{j}*")],
        ));
    }
    PolicyDocument { statements, span: Span::file_start(FileId(0)) }
}

fn run(docs: &[PolicyDocument], threads: usize) -> Duration {
    let started = Instant::now();
    std::thread::scope(|s| {
        for chunk in docs.chunks(docs.len().div_ceil(threads)) {
            s.spawn(move || {
                let mut analyzer = Analyzer::new(catalog());
                let mut risks = 0;
                for doc in chunk {
                    let eff = analyzer.of_documents(&[("policy", doc)], None);
                    risks += assess(&eff, &RoleContext::default()).len();
                }
                std::hint::black_box(risks);
            });
        }
    });
    started.elapsed()
}

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn main() {
    // Parse the embedded catalog before timing: every scan pays it once.
    let started = Instant::now();
    let actions = catalog().action_count();
    println!("catalog: {actions} actions, parsed in {:?}", started.elapsed());
    let docs: Vec<PolicyDocument> = (0..ROLES).map(role_documents).collect();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let all = median((0..5).map(|_| run(&docs, cores)).collect());
    let one = median((0..5).map(|_| run(&docs, 1)).collect());
    println!(
        "{ROLES} roles, each `*` + {WILDCARD_STATEMENTS} wildcard statements: \
         {all:?} on {cores} threads, {one:?} on 1 (median of 5)"
    );
}
