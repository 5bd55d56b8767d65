use faasguard_diagnostics::{RuleMeta, Sas, Severity};
use faasguard_osv::{Level, Vulnerability};
use faasguard_taint::sources::Exposure;

use crate::checker::FindingExt;
use crate::dependencies::{DepChecker, lower, package_key};

pub(crate) static META: RuleMeta = RuleMeta {
    code: "DEP001",
    name: "vulnerable-dependency",
    summary: "A package the functions ship has a known vulnerability",
    severity: Severity::High,
    sas: Sas::InsecureDependencies,
    cwe: &[1395],
    doc: r#"## What it does
Matches every package pinned in a lockfile (package-lock.json, yarn.lock,
pnpm-lock.yaml, requirements.txt pins, Pipfile.lock, poetry.lock, uv.lock,
go.sum, Cargo.lock, Maven and Gradle files) against OSV advisories, with
each ecosystem's own version rules (npm SemVer, PEP 440), and reports one
finding per vulnerability: the advisory ids and aliases (GHSA, PYSEC, CVE
merged into one), the CVSS score, the fixed version, the lockfile line and
the functions whose deployment package holds the file.

The severity is the advisory's (its CVSS score, else the database's
word). It is one level lower when only internal functions ship the
package, or none of the scan's functions do: a flaw reachable from the
internet ranks above the same flaw behind a queue. Packages only for
development (`devDependencies`, dev groups) are not shipped and not
reported. Advisories come from the database `faasguard db update`
downloads, or from the snapshot built into the binary when there is none.

## Why is this bad?
A function runs its dependencies' code with the function's role and the
event's data. A known flaw in a parser, a deserializer or an HTTP library
is an entry point that needs no flaw in your own code (SAS-6): node-serialize
runs code from the object it unserializes, old PyYAML runs code from the
document it loads.

## Example
```requirements
PyYAML==3.13
requests==2.32.3
```

## Use instead
```requirements
PyYAML==6.0.2
requests==2.32.3
```

## References
- OSV, the open source vulnerability format and database: <https://osv.dev/>
- OWASP Serverless Top 10, SAS-6: <https://owasp.org/www-project-serverless-top-10/>
- CWE-1395, dependency on vulnerable third-party component: <https://cwe.mitre.org/data/definitions/1395.html>
"#,
};

pub(crate) fn check(c: &mut DepChecker<'_>) {
    for (li, lock) in c.lockfiles.iter().enumerate() {
        for p in &lock.packages {
            if p.dev || !p.pinned() {
                continue;
            }
            let Some(vulns) = c.vulnerabilities.get(&package_key(p)) else { continue };
            for v in vulns {
                let severity = severity(c, li, v);
                let ids = ids_text(v);
                let score = v.score.map(|s| format!(", CVSS {s:.1}")).unwrap_or_default();
                let fix = fix_text(v);
                let message = format!(
                    "{} {} is affected by {ids}{score}: {}; {}; {}",
                    p.name,
                    p.version,
                    one_line(&v.summary),
                    fix,
                    c.shipped_text(li),
                );
                let help = match v.fixed.first() {
                    Some(f) => format!(
                        "upgrade {} to {f} or later and regenerate {}",
                        p.name,
                        lock.kind.name()
                    ),
                    None => format!(
                        "no fixed version is published: replace {} or remove it, and check the \
                         advisory for a workaround",
                        p.name
                    ),
                };
                let key = format!("{}:{}@{}:{}", lock.path, p.name, p.version, v.id);
                let mut f =
                    c.finding(&META, li, p.span, message, key).severity(severity).help(help);
                for r in v.references.iter().take(1) {
                    f.message.push_str(&format!(" ({r})"));
                }
                c.push(f);
            }
        }
    }
}

/// The advisory's level, one lower when no public or authenticated
/// function ships the package.
fn severity(c: &DepChecker<'_>, lockfile: usize, v: &Vulnerability) -> Severity {
    let base = if v.id.starts_with("MAL-") || v.advisories.iter().any(|a| a.starts_with("MAL-")) {
        // Malicious packages: the package itself is the attack.
        Severity::Critical
    } else {
        match v.level {
            Level::Critical => Severity::Critical,
            Level::High => Severity::High,
            Level::Medium | Level::Unknown => Severity::Medium,
            Level::Low => Severity::Low,
        }
    };
    match c.best_exposure(lockfile) {
        Some(Exposure::Public | Exposure::Authenticated | Exposure::Unknown) => base,
        Some(Exposure::Internal) | None => lower(base),
    }
}

/// `GHSA-x (CVE-y, PYSEC-z)`.
fn ids_text(v: &Vulnerability) -> String {
    if v.aliases.is_empty() { v.id.clone() } else { format!("{} ({})", v.id, v.aliases.join(", ")) }
}

fn fix_text(v: &Vulnerability) -> String {
    if !v.fixed.is_empty() {
        format!("fixed in {}", v.fixed.join(", "))
    } else if !v.last_affected.is_empty() {
        format!("no fix published; last affected {}", v.last_affected.join(", "))
    } else {
        "no fix published".to_string()
    }
}

/// A summary on one line, at most 160 characters.
fn one_line(s: &str) -> String {
    let line = s.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("no summary");
    if line.chars().count() > 160 {
        let cut: String = line.chars().take(157).collect();
        format!("{cut}...")
    } else {
        line.to_string()
    }
}
