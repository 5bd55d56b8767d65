//! `faasguard rules`: the rule catalog as a table or JSON.

use std::process::ExitCode;

use crate::args::RulesArgs;
use crate::commands::write_stdout;

pub(crate) fn run(args: &RulesArgs) -> anyhow::Result<ExitCode> {
    let rules = faasguard_linter::registry();
    write_stdout(|out| faasguard_report::write_rules(rules, args.format.into(), out))?;
    Ok(ExitCode::SUCCESS)
}
