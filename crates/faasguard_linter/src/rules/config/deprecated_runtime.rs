use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_model::Provider;

use crate::checker::{Checker, FindingExt};
use crate::runtimes::{self, RuntimeLifecycle, day_number};

/// How far ahead an announced deprecation is worth a warning: about one
/// release cycle, enough to plan and test the move.
const WARN_DAYS: i64 = 90;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "CFG001",
    name: "deprecated-runtime",
    summary: "The function runs on a Lambda runtime that is deprecated or about to be",
    severity: Severity::High,
    sas: Sas::InsecureDependencies,
    cwe: &[1104],
    doc: r#"## What it does
Finds Lambda functions whose `Runtime` is past its deprecation date
(high), or reaches it within the next 90 days (medium). The dates come from
a table generated from cfn-lint's Lambda runtime lifecycle data, which
follows the AWS Lambda runtimes page; the table's source, version and date
are in `data/runtime-deprecations.NOTICE.md`. The scan compares against
today's date; without one it uses the date the table was generated.

Container-image functions have no `Runtime` and are not checked. Azure
Functions and Google Cloud Functions runtimes are not in the table yet.

## Why is this bad?
After deprecation AWS no longer applies security patches to the runtime's
language, libraries or operating system, so known vulnerabilities in them
stay open in every function that uses it. Later AWS blocks creating
functions on the runtime, then updating them: at that point a security fix
to the function's own code can no longer be deployed until the runtime is
upgraded, at the worst possible moment.

## Example
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Reports:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs14.x
      Handler: index.handler
      CodeUri: src/
```

## Use instead
```yaml
Transform: AWS::Serverless-2016-10-31
Resources:
  Reports:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs24.x
      Handler: index.handler
      CodeUri: src/
```

## References
- AWS: Lambda runtimes, with deprecation dates: <https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html>
- cfn-lint rules E2531, E2533 and W2531, whose lifecycle data this rule uses: <https://github.com/aws-cloudformation/cfn-lint>
- CWE-1104: Use of Unmaintained Third Party Components
"#,
};

pub(crate) fn check(c: &mut Checker<'_>) {
    let today = c
        .settings
        .today
        .as_deref()
        .and_then(day_number)
        .or_else(|| day_number(runtimes::generated()));
    let Some(today) = today else { return };
    for (_, f) in c.app.functions() {
        // Azure and Google spell some runtimes like Lambda ones (`python3.9`)
        // with other dates, so the Lambda table must not judge them.
        if f.provider != Provider::Aws {
            continue;
        }
        let Some(runtime) = f.runtime.as_ref().filter(|r| r.is_known()) else { continue };
        let Some(life) = runtimes::lookup(&runtime.value) else { continue };
        let Some((severity, status)) = assess(life, today) else { continue };
        let help = match &life.successor {
            Some(next) => format!("move the function to `{next}` or another supported runtime"),
            None => "move the function to a supported runtime".to_string(),
        };
        let finding = c
            .finding(
                &META,
                runtime.span,
                format!("function `{}` runs on `{}`, {status}", f.logical_id, life.runtime),
            )
            .function(f)
            .severity(severity)
            .label(f.span, "the function")
            .help(help);
        c.push(finding);
    }
}

/// The severity and a description of where the runtime stands on `today`,
/// or `None` while its deprecation is still far off.
fn assess(life: &RuntimeLifecycle, today: i64) -> Option<(Severity, String)> {
    fn passed(date: &Option<String>, today: i64) -> Option<&str> {
        date.as_deref().filter(|d| day_number(d).is_some_and(|n| n <= today))
    }
    let deprecated = day_number(&life.deprecated)?;
    let (create, update) = (passed(&life.block_create, today), passed(&life.block_update, today));
    if deprecated > today && create.is_none() && update.is_none() {
        let left = deprecated - today;
        return (left <= WARN_DAYS).then(|| {
            let days = if left == 1 { "1 day".to_string() } else { format!("{left} days") };
            (Severity::Medium, format!("which is deprecated on {} (in {days})", life.deprecated))
        });
    }
    let mut status = if deprecated <= today {
        format!("deprecated since {}: it no longer gets security patches", life.deprecated)
    } else {
        format!("which is deprecated on {}", life.deprecated)
    };
    match (create, update) {
        (_, Some(u)) => {
            status.push_str(&format!("; updating functions on it is blocked since {u}"))
        }
        (Some(cr), None) => {
            status.push_str(&format!("; creating functions on it is blocked since {cr}"))
        }
        (None, None) => {}
    }
    Some((Severity::High, status))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn life(deprecated: &str, create: Option<&str>, update: Option<&str>) -> RuntimeLifecycle {
        RuntimeLifecycle {
            runtime: "x1".into(),
            deprecated: deprecated.into(),
            block_create: create.map(Into::into),
            block_update: update.map(Into::into),
            successor: None,
        }
    }

    fn at(date: &str) -> i64 {
        day_number(date).unwrap()
    }

    #[test]
    fn severity_follows_the_dates() {
        let l = life("2026-06-01", Some("2026-07-01"), Some("2026-08-01"));
        assert_eq!(assess(&l, at("2026-01-01")), None);
        let (sev, msg) = assess(&l, at("2026-03-03")).unwrap();
        assert_eq!(sev, Severity::Medium);
        assert!(msg.contains("in 90 days"), "{msg}");
        assert_eq!(assess(&l, at("2026-03-02")), None);
        let (sev, msg) = assess(&l, at("2026-06-01")).unwrap();
        assert_eq!(sev, Severity::High);
        assert!(!msg.contains("blocked"), "{msg}");
        let (_, msg) = assess(&l, at("2026-07-15")).unwrap();
        assert!(msg.contains("creating functions on it is blocked since 2026-07-01"), "{msg}");
        let (_, msg) = assess(&l, at("2026-09-01")).unwrap();
        assert!(msg.contains("updating functions on it is blocked since 2026-08-01"), "{msg}");
    }

    #[test]
    fn a_block_before_the_deprecation_date_is_high() {
        // nodejs4.3 was blocked for creation a month before its deprecation.
        let l = life("2020-03-05", Some("2020-02-03"), Some("2020-03-05"));
        let (sev, msg) = assess(&l, at("2020-02-10")).unwrap();
        assert_eq!(sev, Severity::High);
        assert!(msg.contains("is deprecated on 2020-03-05"), "{msg}");
        assert!(msg.contains("creating functions on it is blocked"), "{msg}");
    }

    #[test]
    fn the_date_comes_from_the_settings_or_the_table() {
        use faasguard_model::{App, Format, Function, Val};
        use faasguard_source::{FileId, Span};

        let span = Span::new(FileId(0), 0, 1);
        let mut app = App::new("t", Format::Sam, FileId(0));
        let mut f = Function::new("F", span, Provider::Aws);
        f.runtime = Some(Val::explicit("nodejs22.x".to_string(), span));
        app.functions.push(f);
        let mut azure = Function::new("A", span, Provider::Azure);
        azure.runtime = Some(Val::explicit("python3.7".to_string(), span));
        app.functions.push(azure);
        let run = |today: Option<&str>| {
            let settings = crate::Settings {
                select: vec!["CFG001".into()],
                today: today.map(Into::into),
                ..Default::default()
            };
            crate::check_app(&app, &settings)
        };
        let life = runtimes::lookup("nodejs22.x").unwrap();
        let before = at(&life.deprecated);
        assert!(run(Some("2000-01-01")).is_empty());
        let soon = run(Some(&civil(before - 10)));
        assert_eq!(soon.len(), 1);
        assert_eq!(soon[0].severity, Severity::Medium);
        let late = run(Some(&civil(before + 1)));
        assert_eq!(late.len(), 1);
        assert_eq!(late[0].severity, Severity::High);
        assert!(late[0].message.contains("`F`"));
        // No date given: the table's own date, at which nodejs22.x is supported.
        assert!(at(runtimes::generated()) < before - WARN_DAYS);
        assert!(run(None).is_empty());
        // A malformed date falls back to the table's.
        assert!(run(Some("yesterday")).is_empty());
    }

    /// `YYYY-MM-DD` of a day number (the inverse of `day_number`).
    fn civil(z: i64) -> String {
        let date = time::OffsetDateTime::UNIX_EPOCH.date() + time::Duration::days(z);
        format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
    }
}
