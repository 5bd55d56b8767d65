use faasguard_diagnostics::{RuleMeta, Sas, Severity};

use crate::checker::FindingExt;
use crate::dependencies::DepChecker;

pub(crate) static META: RuleMeta = RuleMeta {
    code: "DEP005",
    name: "dependency-install-script",
    summary: "A shipped npm package runs a script when it is installed",
    severity: Severity::Low,
    sas: Sas::InsecureDependencies,
    cwe: &[829],
    doc: r#"## What it does
Reports packages that package-lock.json or npm-shrinkwrap.json marks with
`hasInstallScript`: npm runs their `preinstall`, `install` or
`postinstall` script on every `npm install` or `npm ci` of the function's
build. Development-only packages are not reported.

## Why is this bad?
An install script runs with the build machine's credentials (often a CI
role that can deploy the function) before any code is reviewed or
scanned: it is how most malicious npm packages act. Packages that compile
native code need one; the rest rarely do.

## Example
```package-lock
{
  "name": "api",
  "lockfileVersion": 3,
  "packages": {
    "": { "dependencies": { "sharp": "^0.33.5" } },
    "node_modules/sharp": {
      "version": "0.33.5",
      "resolved": "https://registry.npmjs.org/sharp/-/sharp-0.33.5.tgz",
      "hasInstallScript": true
    }
  }
}
```

## Use instead
```package-lock
{
  "name": "api",
  "lockfileVersion": 3,
  "packages": {
    "": { "dependencies": { "jimp": "^1.6.0" } },
    "node_modules/jimp": {
      "version": "1.6.0",
      "resolved": "https://registry.npmjs.org/jimp/-/jimp-1.6.0.tgz"
    }
  }
}
```

## References
- npm, scripts and `--ignore-scripts`: <https://docs.npmjs.com/cli/v10/using-npm/scripts>
- OWASP Serverless Top 10, SAS-6: <https://owasp.org/www-project-serverless-top-10/>
"#,
};

pub(crate) fn check(c: &mut DepChecker<'_>) {
    for (li, lock) in c.lockfiles.iter().enumerate() {
        for p in &lock.packages {
            if !p.install_script || p.dev {
                continue;
            }
            let message = format!(
                "{} {} runs an install script on every install of this project's packages; {}",
                p.name,
                p.version,
                c.shipped_text(li)
            );
            let key = format!("{}:{}:install-script", lock.path, p.name);
            let f = c.finding(&META, li, p.span, message, key).help(
                "build with `npm ci --ignore-scripts` and allow scripts only for the packages \
                 that need them (native builds), after checking what the script does",
            );
            c.push(f);
        }
    }
}
