use faasguard_diagnostics::{RuleMeta, Sas, Severity};

use crate::checker::FindingExt;
use crate::dependencies::DepChecker;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "DEP004",
    name: "typosquat-dependency",
    summary: "A direct dependency's name is one typo away from a popular package",
    severity: Severity::Medium,
    sas: Sas::InsecureDependencies,
    cwe: &[1357],
    doc: r#"## What it does
Compares the name of each direct dependency with the most used packages
of its ecosystem (lists shipped with faasguard, with their sources) and
reports names that differ from a popular one by a single edit, a swapped
pair of letters, or a shuffled or changed separator (`reqeusts`,
`python-dateutil` written `dateutil-python`), when the name is not itself
a popular package.

## Why is this bad?
Typo-squatting is how malicious packages reach deployments: an attacker
publishes a package under a misspelling of a popular one, with an install
script or import-time code that steals the credentials in the
environment, which in a function are its role's keys.

## Example
```requirements
reqeusts==2.31.0
```

## Use instead
```requirements
requests==2.31.0
```

## References
- OpenSSF, typosquatting in package registries: <https://openssf.org/blog/2023/10/17/typosquatting-attacks/>
- OWASP Serverless Top 10, SAS-6: <https://owasp.org/www-project-serverless-top-10/>
"#,
};

pub(crate) fn check(c: &mut DepChecker<'_>) {
    for (li, lock) in c.lockfiles.iter().enumerate() {
        for p in &lock.packages {
            if !p.direct {
                continue;
            }
            let Some(popular) = faasguard_deps::typosquat::resembles_popular(p.ecosystem, &p.name)
            else {
                continue;
            };
            let message = format!(
                "{} looks like a misspelling of the popular package {popular}: check that it \
                 is the package you meant before it runs in a function; {}",
                p.name,
                c.shipped_text(li)
            );
            let help = format!(
                "if you meant {popular}, replace the name and reinstall; if {} is intended, \
                 check its publisher and source and keep it",
                p.name
            );
            let key = format!("{}:{}:typosquat", lock.path, p.name);
            let f = c.finding(&META, li, p.span, message, key).help(help);
            c.push(f);
        }
    }
}
