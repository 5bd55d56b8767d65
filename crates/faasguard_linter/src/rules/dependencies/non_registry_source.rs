use faasguard_deps::Source;
use faasguard_diagnostics::{RuleMeta, Sas, Severity};

use crate::checker::FindingExt;
use crate::dependencies::DepChecker;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "DEP002",
    name: "non-registry-dependency",
    summary: "A shipped package comes from a git repository, a URL or a local path instead of the registry",
    severity: Severity::Medium,
    sas: Sas::InsecureDependencies,
    cwe: &[829],
    doc: r#"## What it does
Reports packages a lockfile or requirements file takes from a git
repository (`git+https://...`, `github:user/repo`), from a tarball or wheel
at a URL, or from a local directory (`file:../lib`, `-e ./lib`), rather
than from the ecosystem's registry. Packages only for development are not
reported. A local path is reported as low: it is usually the project's
own code, but its contents are not versioned with the lockfile.

## Why is this bad?
No advisory database tracks a git branch or an arbitrary URL, so a
vulnerable version is never reported; a branch or tag can be moved to new
code after review, and the registry's integrity hashes and provenance do
not apply. The package that ships is whatever the source holds at build
time.

## Example
```requirements
requests==2.32.3
internal-auth @ git+https://github.com/example/internal-auth.git@main
```

## Use instead
```requirements
requests==2.32.3
internal-auth==1.4.2
```

## References
- npm, package specifiers (git, file, tarball URLs): <https://docs.npmjs.com/cli/v10/configuring-npm/package-json#dependencies>
- pip, VCS support and direct references: <https://pip.pypa.io/en/stable/topics/vcs-support/>
- OWASP Serverless Top 10, SAS-6: <https://owasp.org/www-project-serverless-top-10/>
"#,
};

pub(crate) fn check(c: &mut DepChecker<'_>) {
    for (li, lock) in c.lockfiles.iter().enumerate() {
        for p in &lock.packages {
            if p.dev {
                continue;
            }
            let (what, severity, fix) = match &p.source {
                Source::Registry => continue,
                Source::Git { url } => (
                    format!("the git repository `{url}`"),
                    Severity::Medium,
                    "publish it to the registry (or a private registry) and pin that version; \
                     if it must come from git, pin a full commit hash",
                ),
                Source::Url { url } => (
                    format!("the URL `{url}`"),
                    Severity::Medium,
                    "install it from the registry at a pinned version, with its hash",
                ),
                Source::Path { path } => (
                    format!("the local path `{path}`"),
                    Severity::Low,
                    "publish shared code as a versioned package, or keep it in the function's \
                     own code so it is reviewed and scanned with it",
                ),
            };
            let message = format!(
                "{} comes from {what}, outside the registry: no advisory covers it and its \
                 content can change without the lockfile changing; {}",
                p.name,
                c.shipped_text(li)
            );
            let key = format!("{}:{}:source", lock.path, p.name);
            let f = c.finding(&META, li, p.span, message, key).severity(severity).help(fix);
            c.push(f);
        }
    }
}
