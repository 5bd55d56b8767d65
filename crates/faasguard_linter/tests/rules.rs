//! Every rule against its fixtures and its documented examples.
//!
//! Fixtures live in `tests/fixtures/<CODE>/` and are named
//! `<what>.<fire|pass>.<format>.<ext>`: `fire` files must produce at least
//! one finding of the rule, `pass` files none. Every rule needs both, in SAM
//! and raw CloudFormation (`sam`, `cfn`) unless its folder has a `FORMATS`
//! file listing the formats its construct exists in (`sam`, `cfn`,
//! `serverless`, `tf`). The format picks the loader.
//!
//! A fixture may also be a folder `<what>.<fire|pass>.<format>/` holding a
//! project: the template (`template.yaml`, `serverless.yml`, `*.tf`) and
//! the function code next to it, all loaded into the `SourceDb` as the CLI
//! reads them, for the rules that read code. Documented examples carry
//! their code inline (`InlineCode`, `ZipFile`).

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use faasguard_linter::{doc_section, registry};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

#[test]
fn fixtures_fire_and_pass() {
    let mut failures = Vec::new();
    for rule in registry() {
        if rule.code == "INP001" {
            continue;
        }
        let dir = Path::new(FIXTURES).join(rule.code);
        let required: BTreeSet<String> = match fs::read_to_string(dir.join("FORMATS")) {
            Ok(list) => list.split_whitespace().map(str::to_string).collect(),
            Err(_) => ["sam", "cfn"].into_iter().map(str::to_string).collect(),
        };
        let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
        let entries = fs::read_dir(&dir)
            .unwrap_or_else(|_| panic!("{} has no fixtures in {}", rule.code, dir.display()));
        let mut paths: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if name == "FORMATS" {
                continue;
            }
            let parts: Vec<&str> = name.split('.').collect();
            let (found, errors) = if path.is_dir() {
                assert!(
                    parts.len() == 3,
                    "fixture folder {name} is not <what>.<fire|pass>.<format>"
                );
                common::run_dir(rule.code, parts[2], &path)
            } else {
                assert!(
                    parts.len() >= 4,
                    "fixture {name} is not <what>.<fire|pass>.<format>.<ext>"
                );
                let text = fs::read_to_string(&path).unwrap();
                common::run(rule.code, parts[2], &name, &text)
            };
            let (expect, format) = (parts[1], parts[2]);
            if !errors.is_empty() {
                failures.push(format!("{}/{name}: does not load: {errors:#?}", rule.code));
                continue;
            }
            match expect {
                "fire" if found.is_empty() => {
                    failures.push(format!("{}/{name}: expected a finding, got none", rule.code))
                }
                "pass" if !found.is_empty() => failures.push(format!(
                    "{}/{name}: expected no finding, got: {:?}",
                    rule.code,
                    found.iter().map(|f| &f.message).collect::<Vec<_>>()
                )),
                "fire" | "pass" => {}
                other => panic!("fixture {name}: `{other}` is neither fire nor pass"),
            }
            seen.insert((expect.to_string(), format.to_string()));
        }
        for format in &required {
            for expect in ["fire", "pass"] {
                if !seen.contains(&(expect.to_string(), format.clone())) {
                    failures
                        .push(format!("{}: no `{expect}` fixture in format `{format}`", rule.code));
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The first fenced block of a documentation section, with its language.
fn code_block(section: &str) -> Option<(&str, &str)> {
    let start = section.find("```")? + 3;
    let rest = &section[start..];
    let newline = rest.find('\n')?;
    let lang = rest[..newline].trim();
    let body = &rest[newline + 1..];
    let end = body.find("```")?;
    Some((lang, &body[..end]))
}

/// The format and file name a documentation snippet is loaded as.
fn snippet_path(lang: &str, body: &str) -> (&'static str, &'static str) {
    match lang {
        "hcl" | "terraform" => ("tf", "main.tf"),
        "requirements" => ("deps", "requirements.txt"),
        "package-lock" => ("deps", "package-lock.json"),
        "package-json" => ("deps", "package.json"),
        "json" => ("cfn", "template.json"),
        _ if body.starts_with("service:") || body.contains("\nprovider:") => {
            ("serverless", "serverless.yml")
        }
        _ => ("cfn", "template.yaml"),
    }
}

#[test]
fn documented_examples_fire_and_fixed_examples_do_not() {
    let mut failures = Vec::new();
    for rule in registry() {
        for (heading, should_fire) in [("Example", true), ("Use instead", false)] {
            let section = doc_section(rule.doc, heading).unwrap_or("");
            let Some((lang, body)) = code_block(section) else {
                failures.push(format!("{}: `## {heading}` has no code block", rule.code));
                continue;
            };
            let (format, path) = snippet_path(lang, body);
            let (found, errors) = common::run(rule.code, format, path, body);
            if rule.code != "INP001" && !errors.is_empty() {
                failures.push(format!("{}: `## {heading}` does not load: {errors:#?}", rule.code));
            } else if should_fire && found.is_empty() {
                failures.push(format!("{}: the documented example does not fire", rule.code));
            } else if !should_fire && !found.is_empty() {
                failures.push(format!(
                    "{}: the fixed example still fires: {:?}",
                    rule.code,
                    found.iter().map(|f| &f.message).collect::<Vec<_>>()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
