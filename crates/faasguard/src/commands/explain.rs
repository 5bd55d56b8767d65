//! `faasguard explain RULE`: one rule's documentation, by code or name.

use std::process::ExitCode;

use anyhow::bail;

use crate::args::ExplainArgs;
use crate::commands::{closest, write_stdout};

pub(crate) fn run(args: &ExplainArgs) -> anyhow::Result<ExitCode> {
    let Some(rule) = faasguard_linter::find_rule(args.rule.trim()) else {
        bail!("{}", unknown_rule_message(&args.rule));
    };
    write_stdout(|out| faasguard_report::write_explain(rule, out))?;
    Ok(ExitCode::SUCCESS)
}

/// "unknown rule" with the closest codes and names, and where to look.
pub(crate) fn unknown_rule_message(input: &str) -> String {
    let registry = faasguard_linter::registry();
    let names = registry.iter().flat_map(|r| [r.code, r.name]);
    let near = closest(input.trim(), names);
    let mut msg = format!("unknown rule `{input}`");
    if !near.is_empty() {
        let list: Vec<String> = near.iter().map(|n| format!("`{n}`")).collect();
        msg.push_str(&format!("\n  hint: did you mean {}?", list.join(" or ")));
    }
    msg.push_str("\n  hint: `faasguard rules` lists every rule");
    msg
}
