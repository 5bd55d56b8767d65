use faasguard_deps::LockfileKind;
use faasguard_diagnostics::{RuleMeta, Sas, Severity};

use crate::checker::FindingExt;
use crate::dependencies::DepChecker;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "DEP003",
    name: "unpinned-dependency",
    summary: "A direct dependency is given as a range and no lockfile pins it",
    severity: Severity::Low,
    sas: Sas::InsecureDependencies,
    cwe: &[1357],
    doc: r#"## What it does
Reports direct dependencies written as a range (`requests>=2.0`, `"express":
"^4.18.0"`, a Maven dependency without a version) in a requirements file,
`package.json`, `pyproject.toml` or `pom.xml`, when no lockfile in the same
directory pins the exact versions (package-lock.json, yarn.lock,
pnpm-lock.yaml, Pipfile.lock, poetry.lock, uv.lock). Development-only
dependencies are not reported.

## Why is this bad?
Each build installs whatever the newest matching version is that day: a
deployment can ship a version nobody tested or reviewed, including a
compromised release of a popular package, and the exact versions running
in production cannot be checked against advisories.

## Example
```requirements
requests>=2.0
boto3
```

## Use instead
```requirements
requests==2.32.3
boto3==1.35.36
```

## References
- pip, repeatable installs: <https://pip.pypa.io/en/stable/topics/repeatable-installs/>
- npm, package-lock.json: <https://docs.npmjs.com/cli/v10/configuring-npm/package-lock-json>
- OWASP Serverless Top 10, SAS-6: <https://owasp.org/www-project-serverless-top-10/>
"#,
};

pub(crate) fn check(c: &mut DepChecker<'_>) {
    for (li, lock) in c.lockfiles.iter().enumerate() {
        let reads_ranges = lock.kind.is_manifest() || lock.kind == LockfileKind::Requirements;
        if !reads_ranges || c.has_lockfile_beside(li) {
            continue;
        }
        for p in &lock.packages {
            if p.dev || p.pinned() || !p.direct || p.source != faasguard_deps::Source::Registry {
                continue;
            }
            // A Maven dependency without a version takes it from a parent
            // POM or an imported BOM, which pins it there.
            if lock.kind == LockfileKind::PomXml && p.requirement.is_none() {
                continue;
            }
            let written = match p.requirement.as_deref().map(str::trim) {
                Some(r) if !r.is_empty() && r != "*" => format!("`{r}`"),
                _ => "no version".to_string(),
            };
            let message = format!(
                "{} is required with {written} and no lockfile beside {} pins it: each build \
                 may ship a different, unreviewed version; {}",
                p.name,
                lock.kind.name(),
                c.shipped_text(li)
            );
            let help = match lock.kind.ecosystem() {
                faasguard_deps::Ecosystem::Npm => {
                    "commit the lockfile (`npm install` writes package-lock.json) and build with \
                     `npm ci`"
                }
                faasguard_deps::Ecosystem::PyPI => {
                    "pin exact versions (`name==x.y.z`, e.g. with `pip-compile` or `uv pip \
                     compile`) or commit a lockfile (poetry.lock, uv.lock, Pipfile.lock)"
                }
                _ => "pin an exact version",
            };
            let key = format!("{}:{}:unpinned", lock.path, p.name);
            let f = c.finding(&META, li, p.span, message, key).help(help);
            c.push(f);
        }
    }
}
