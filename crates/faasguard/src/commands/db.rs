//! `faasguard db update|status`: the downloaded advisory database. The
//! only command that uses the network, and only when asked.

use std::process::ExitCode;

use anyhow::Context;
use faasguard_advisory_db::Database;
use faasguard_osv::AdvisorySource;

use crate::args::{DbArgs, DbCommand, DbStatusArgs, DbUpdateArgs};
use crate::commands::write_stdout;

pub(crate) fn run(args: &DbArgs) -> anyhow::Result<ExitCode> {
    match &args.command {
        DbCommand::Update(update) => run_update(update),
        DbCommand::Status(status) => run_status(status),
    }
}

fn run_update(args: &DbUpdateArgs) -> anyhow::Result<ExitCode> {
    let dir = args.db_dir.clone().unwrap_or_else(faasguard_advisory_db::default_dir);
    std::fs::create_dir_all(&dir).with_context(|| {
        format!("cannot create the database directory `{}`: check its permissions", dir.display())
    })?;
    let ecosystems: Vec<&str> = args.ecosystem.iter().map(String::as_str).collect();
    let report = faasguard_advisory_db::update(&dir, &args.source, &ecosystems, &mut |line| {
        eprintln!("faasguard: {line}");
    })?;
    write_stdout(|out| {
        writeln!(out, "advisory database: {}", report.path.display())?;
        for e in &report.ecosystems {
            writeln!(
                out,
                "  {:<10} {:>7} advisories  {:>9} bytes  fetched {}  from {}",
                e.ecosystem, e.records, e.bytes, e.fetched_at, e.url
            )?;
            if e.skipped > 0 {
                writeln!(
                    out,
                    "             {} entries skipped: {}",
                    e.skipped,
                    e.skipped_reasons.join("; ")
                )?;
            }
        }
        Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

fn run_status(args: &DbStatusArgs) -> anyhow::Result<ExitCode> {
    let dir = args.db_dir.clone().unwrap_or_else(faasguard_advisory_db::default_dir);
    let db = Database::open(&dir)?;
    let today = crate::commands::scan::today_utc();
    let snapshot = faasguard_osv::embedded().info();
    write_stdout(|out| {
        match &db {
            None => writeln!(
                out,
                "no downloaded advisory database in `{}`; scans use the embedded snapshot of {} \
                 ({} advisories). Run `faasguard db update` to download current advisories.",
                dir.display(),
                snapshot.date,
                snapshot.count
            )?,
            Some(db) => {
                writeln!(out, "advisory database: {}", db.path().display())?;
                for s in db.status() {
                    writeln!(
                        out,
                        "  {:<10} {:>7} advisories  fetched {}  newest record {}  from {}",
                        s.ecosystem,
                        s.count,
                        s.fetched_at,
                        if s.newest_modified.is_empty() { "-" } else { &s.newest_modified },
                        s.url
                    )?;
                }
                if let Some(age) = db.age_days(&today)
                    && age > 30
                {
                    writeln!(out, "warning: {age} days old; run `faasguard db update`")?;
                }
            }
        }
        writeln!(
            out,
            "embedded snapshot: {} ({} advisories; PyPA advisory database, CC-BY-4.0; Node.js \
             security WG, MIT)",
            snapshot.date, snapshot.count
        )
    })?;
    Ok(ExitCode::SUCCESS)
}
