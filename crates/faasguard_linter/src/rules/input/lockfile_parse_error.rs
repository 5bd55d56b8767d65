use faasguard_diagnostics::{RuleMeta, Sas, Severity};

use crate::checker::FindingExt;
use crate::dependencies::DepChecker;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "INP004",
    name: "lockfile-parse-error",
    summary: "A lockfile or dependency manifest could not be read in full, so some packages were not checked",
    severity: Severity::Low,
    sas: Sas::InsecureDependencies,
    cwe: &[],
    doc: r#"## What it does
Reports what could not be read in a lockfile or manifest (package-lock.json,
yarn.lock, pnpm-lock.yaml, package.json, requirements files, Pipfile.lock,
poetry.lock, uv.lock, pyproject.toml, go.sum, Cargo.lock, pom.xml, Gradle
lockfiles): a syntax error, an entry without a version, a line pip would
refuse, an include (`-r other.txt`) that is not in the scan. The rest of
the file is still read; the finding points at the place and says how to
fix it.

## Why is this bad?
The packages in the unreadable part are not matched against advisories
and are missing from the SBOM: a vulnerable dependency there goes
unreported. A lockfile that does not parse usually also fails the build
that installs from it.

## Example
```package-lock
{
  "name": "api",
  "lockfileVersion": 3,
  "packages": {
    "node_modules/ms": { "version": "2.1.3" },
```

## Use instead
```package-lock
{
  "name": "api",
  "lockfileVersion": 3,
  "packages": {
    "node_modules/ms": { "version": "2.1.3" }
  }
}
```

## References
- npm, package-lock.json: <https://docs.npmjs.com/cli/v10/configuring-npm/package-lock-json>
- pip, requirements file format: <https://pip.pypa.io/en/stable/reference/requirements-file-format/>
"#,
};

pub(crate) fn check(c: &mut DepChecker<'_>) {
    for (li, lock) in c.lockfiles.iter().enumerate() {
        for (n, problem) in lock.problems.iter().enumerate() {
            let message = format!("{}: {}", lock.path, problem.message);
            let key = format!("{}:problem:{n}", lock.path);
            let f = c.finding(&META, li, problem.span, message, key).help(
                "fix the file (regenerate a lockfile with its package manager) so every package \
                 in it can be checked",
            );
            c.push(f);
        }
    }
}
