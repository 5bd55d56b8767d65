//! npm lockfiles and manifests: the exact package lists of hand-written
//! fixtures (one folder per format and version under `fixtures/npm/`),
//! the problems of malformed files, and no panic on truncated ones.

mod common;

use common::{
    deps_of, fixture, inputs_read_safely, no_problems, problem_lines, rendered, spans_inside,
    truncations,
};
use faasguard_deps::{Lockfile, LockfileKind, parse};
use faasguard_source::FileId;

fn parse_as(path: &str, text: &str) -> Lockfile {
    let kind = LockfileKind::of_path(path).unwrap_or_else(|| panic!("no kind for {path}"));
    parse(kind, FileId(0), path, text)
}

/// As many problems as `starts`, each starting with its own (`L<line>: `
/// and the start of the message).
fn assert_problems_start(problems: &[String], starts: &[&str]) {
    assert_eq!(problems.len(), starts.len(), "{problems:?}");
    for (problem, start) in problems.iter().zip(starts) {
        assert!(problem.starts_with(start), "{start:?} in {problems:?}");
    }
}

// --- package-lock.json -------------------------------------------------------

#[test]
fn package_lock_v3_workspaces_links_aliases() {
    let text = fixture("npm/package-lock-v3/package-lock.json");
    let lock = parse_as("app/package-lock.json", &text);
    no_problems(&lock, &text);
    assert_eq!(
        rendered(&lock, &text),
        [
            // A linked folder outside the project is a local package; its own
            // dependencies are not the project's.
            "lodash@4.17.21 transitive registry L37 `\"../local-utils/node_modules/lodash\"`",
            "@types/node@20.4.2 direct dev registry L42 `\"node_modules/@types/node\"`",
            "express@4.18.2 direct registry L48 `\"node_modules/express\"`",
            // Also installed under the workspace that lists it: listed once, direct.
            "debug@2.6.9 direct registry L60 `\"node_modules/express/node_modules/debug\"`",
            "ms@2.0.0 transitive registry L68 `\"node_modules/express/node_modules/ms\"`",
            "fsevents@2.3.3 direct install-script registry L73 `\"node_modules/fsevents\"`",
            "left-pad@1.3.0 direct git:git+ssh://git@github.com/stevemao/left-pad.git#5a6b5a8b6a6e4f0e3a2c9d1b0f7e8d9c6b5a4f3e L83 `\"node_modules/left-pad\"`",
            "local-utils@0.3.0 direct path:../local-utils L88 `\"node_modules/local-utils\"`",
            "mocha@10.2.0 direct dev registry L92 `\"node_modules/mocha\"`",
            // Listed by the workspace, hoisted to the root.
            "ms@2.1.3 direct registry L101 `\"node_modules/ms\"`",
            "node-serialize@0.0.4 direct registry L106 `\"node_modules/node-serialize\"`",
            // The workspace link (`node_modules/shared`) is the project itself: not a package.
            "string-width@4.2.3 direct registry L115 `\"node_modules/string-width-cjs\"`",
            "weird-tarball@1.0.0 direct url:https://example.com/downloads/weird-tarball-1.0.0.tgz L121 `\"node_modules/weird-tarball\"`",
        ]
    );
    assert_eq!(deps_of(&lock, "express", "4.18.2"), [("debug", "2.6.9"), ("ms", "2.0.0")]);
    assert_eq!(deps_of(&lock, "local-utils", "0.3.0"), [("lodash", "^4.17.21")]);
    assert!(lock.packages.iter().all(|p| p.requirement.is_none()));
}

#[test]
fn package_lock_v2_reads_packages_only() {
    let text = fixture("npm/package-lock-v2/package-lock.json");
    let lock = parse_as("package-lock.json", &text);
    no_problems(&lock, &text);
    assert_eq!(
        rendered(&lock, &text),
        [
            // `devOptional` ships: npm leaves it out only when omitting both dev and optional.
            "fsevents@2.3.2 direct registry L21 `\"node_modules/fsevents\"`",
            "jsonwebtoken@8.5.1 direct registry L34 `\"node_modules/jsonwebtoken\"`",
            "jws@3.2.2 transitive registry L48 `\"node_modules/jws\"`",
            "ms@2.1.3 direct registry L53 `\"node_modules/ms\"`",
            "semver@5.7.2 transitive registry L58 `\"node_modules/semver\"`",
            "typescript@5.1.6 direct dev registry L66 `\"node_modules/typescript\"`",
        ]
    );
    assert_eq!(
        deps_of(&lock, "jsonwebtoken", "8.5.1"),
        [("jws", "^3.2.2"), ("ms", "^2.1.1"), ("semver", "^5.6.0")]
    );
}

#[test]
fn package_lock_v1_nested_dependencies() {
    let text = fixture("npm/package-lock-v1/package-lock.json");
    let lock = parse_as("package-lock.json", &text);
    no_problems(&lock, &text);
    assert_eq!(
        rendered(&lock, &text),
        [
            "axios@0.21.1 direct registry L7 `\"axios\"`",
            // Required by a package (mocha asks for `debug`): not known to be direct.
            "debug@3.2.7 transitive dev registry L15 `\"debug\"`",
            "follow-redirects@1.14.0 transitive registry L24 `\"follow-redirects\"`",
            "jsonwebtoken@8.5.1 direct registry L29 `\"jsonwebtoken\"`",
            "left-pad@ direct git:github:stevemao/left-pad#5a6b5a8b6a6e4f0e3a2c9d1b0f7e8d9c6b5a4f3e L37 `\"left-pad\"`",
            "lodash@4.17.21 transitive registry L41 `\"lodash\"`",
            "mocha@8.4.0 direct dev registry L46 `\"mocha\"`",
            "debug@4.3.1 transitive dev registry L56 `\"debug\"`",
            "ms@2.1.2 transitive dev registry L65 `\"ms\"`",
            // First under mocha (dev), then at the top for jsonwebtoken: ships.
            "ms@2.1.3 transitive registry L73 `\"ms\"`",
            "my-lib@ direct path:../my-lib L86 `\"my-lib\"`",
            "node-serialize@0.0.4 direct registry L92 `\"node-serialize\"`",
            "string-width@4.2.3 direct registry L97 `\"str-alias\"`",
        ]
    );
    assert_eq!(deps_of(&lock, "mocha", "8.4.0"), [("debug", "4.3.1"), ("ms", "2.1.3")]);
}

#[test]
fn npm_shrinkwrap_install_scripts() {
    let text = fixture("npm/npm-shrinkwrap/npm-shrinkwrap.json");
    let lock = parse_as("npm-shrinkwrap.json", &text);
    assert_eq!(lock.kind, LockfileKind::NpmShrinkwrap);
    no_problems(&lock, &text);
    assert_eq!(
        rendered(&lock, &text),
        [
            "@img/colour@1.0.0 direct registry L16 `\"node_modules/@img/colour\"`",
            "sharp@0.32.6 direct install-script registry L24 `\"node_modules/sharp\"`",
            "semver@7.5.4 transitive registry L37 `\"node_modules/semver\"`",
        ]
    );
}

#[test]
fn package_lock_problems() {
    // Not JSON: one problem where it breaks, nothing read.
    let text = "{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"node_modules/a\": {\"version\": \"1.0.0\",}\n  ,\n}";
    let lock = parse_as("package-lock.json", text);
    assert!(lock.packages.is_empty());
    let p = problem_lines(&lock, text);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].contains("package-lock.json could not be read (invalid JSON"), "{p:?}");
    assert!(p[0].contains("npm install --package-lock-only"), "{p:?}");

    // An unknown version is read as far as it goes; a versionless entry is named.
    let text = r#"{
  "lockfileVersion": 4,
  "packages": {
    "": {"dependencies": {"a": "^1.0.0", "b": "^2.0.0"}},
    "node_modules/a": {"version": "1.0.0"},
    "node_modules/b": {"resolved": "https://registry.npmjs.org/b/-/b-2.0.0.tgz"},
    "node_modules/c": "garbage"
  }
}"#;
    let lock = parse_as("package-lock.json", text);
    assert_eq!(
        rendered(&lock, text),
        [
            "a@1.0.0 direct registry L5 `\"node_modules/a\"`",
            "b@ direct registry L6 `\"node_modules/b\"`",
        ]
    );
    assert_problems_start(
        &problem_lines(&lock, text),
        &[
            "L2: unknown lockfileVersion 4: read as version 3",
            "L6: `node_modules/b` has no version",
            "L7: `packages[\"node_modules/c\"]` is not an object",
        ],
    );

    // Version 3 without `packages`; no `lockfileVersion`; not an object.
    let text = "{\"lockfileVersion\": 3}";
    let p = problem_lines(&parse_as("package-lock.json", text), text);
    assert!(p.len() == 1 && p[0].contains("has no `packages` section"), "{p:?}");
    let text = "{\"dependencies\": {\"a\": {\"version\": \"1.0.0\"}}}";
    let lock = parse_as("package-lock.json", text);
    assert_eq!(rendered(&lock, text), ["a@1.0.0 direct registry L1 `\"a\"`"]);
    let p = problem_lines(&lock, text);
    assert!(p.len() == 1 && p[0].contains("has no `lockfileVersion`"), "{p:?}");
    let text = "[1, 2]";
    let p = problem_lines(&parse_as("npm-shrinkwrap.json", text), text);
    assert!(p.len() == 1 && p[0].contains("npm-shrinkwrap.json is not a JSON object"), "{p:?}");

    // Version 1 entry without a version.
    let text = "{\"lockfileVersion\": 1, \"dependencies\": {\"x\": {\"resolved\": \"https://registry.npmjs.org/x/-/x-1.0.0.tgz\"}}}";
    let p = problem_lines(&parse_as("package-lock.json", text), text);
    assert!(p.len() == 1 && p[0].contains("`dependencies[\"x\"]` has no version"), "{p:?}");
}

// --- yarn.lock -----------------------------------------------------------------

#[test]
fn yarn_classic() {
    let text = fixture("npm/yarn-classic/yarn.lock");
    let lock = parse_as("yarn.lock", &text);
    no_problems(&lock, &text);
    assert_eq!(
        rendered(&lock, &text),
        [
            "@babel/code-frame@7.22.5 direct registry L5 `\"@babel/code-frame@^7.0.0\", \"@babel/code-frame@^7.22.5\"`",
            "@babel/highlight@7.22.5 transitive registry L12 `\"@babel/highlight@^7.22.5\"`",
            "aws-sdk@2.1400.0 direct registry L19 `aws-sdk@2.1400.0`",
            "color@4.2.3 direct registry L27 `colour@npm:color@^4.2.3`",
            "fsevents@2.3.3 direct registry L32 `fsevents@~2.3.2`",
            "js-tokens@4.0.0 transitive registry L37 `js-tokens@^4.0.0`",
            "left-pad@1.3.0 direct git:https://codeload.github.com/stevemao/left-pad/tar.gz/5a6b5a8b6a6e4f0e3a2c9d1b0f7e8d9c6b5a4f3e L42 `left-pad@stevemao/left-pad#v1.3.0`",
            "local-utils@0.3.0 direct path:./vendor/local-utils L46 `\"local-utils@file:./vendor/local-utils\"`",
            "node-serialize@0.0.4 direct registry L51 `node-serialize@0.0.4`",
            "private-tool@2.0.1 direct url:https://artifacts.example.com/private-tool-2.0.1.tgz L55 `private-tool@https://artifacts.example.com/private-tool-2.0.1.tgz`",
            "sax@1.2.4 transitive registry L59 `\"sax@>=0.6.0\"`",
            "uuid@8.0.0 transitive registry L63 `uuid@8.0.0`",
            "uuid@9.0.1 transitive registry L67 `uuid@^9.0.0`",
            "xml2js@0.5.0 transitive registry L71 `xml2js@0.5.0`",
            "xmlbuilder@11.0.1 transitive registry L78 `xmlbuilder@~11.0.0`",
        ]
    );
    assert_eq!(deps_of(&lock, "xml2js", "0.5.0"), [("sax", ">=0.6.0"), ("xmlbuilder", "~11.0.0")]);
}

#[test]
fn yarn_classic_problems() {
    let text = "# yarn lockfile v1\n\nbroken@^1.0.0\n  version \"1.0.0\"\n\nno-version@^2.0.0:\n  resolved \"https://registry.yarnpkg.com/no-version/-/no-version-2.0.0.tgz\"\n\n\"unterminated@^3:\n  version \"3.0.0\"\n\nok@^4.0.0:\n  version \"4.1.0\"\n  what\n";
    let lock = parse_as("yarn.lock", text);
    assert_eq!(
        rendered(&lock, text),
        [
            "no-version@ direct registry L6 `no-version@^2.0.0`",
            "ok@4.1.0 direct registry L12 `ok@^4.0.0`",
        ]
    );
    let p = problem_lines(&lock, text);
    assert_problems_start(
        &p,
        &[
            "L3: yarn.lock entry header does not end with `:`",
            "L9: yarn.lock entry header has an unterminated quoted specifier",
            "L14: yarn.lock line is not `key value`",
            "L6: `no-version@^2.0.0` has no version",
        ],
    );
    assert!(p.iter().all(|m| m.contains("yarn install")), "{p:?}");
}

#[test]
fn yarn_berry() {
    let text = fixture("npm/yarn-berry/yarn.lock");
    let lock = parse_as("yarn.lock", &text);
    no_problems(&lock, &text);
    assert_eq!(
        rendered(&lock, &text),
        [
            "@types/aws-lambda@8.10.119 direct registry L8 `\"@types/aws-lambda@npm:^8.10.119\"`",
            // The workspace `billing-api@workspace:.` is the project: not a package.
            "color@4.2.3 direct registry L28 `\"color@npm:^4.2.3, colour@npm:color@^4.2.3\"`",
            "jsonwebtoken@9.0.1 direct registry L35 `\"jsonwebtoken@npm:^9.0.0\"`",
            "jws@3.2.2 transitive registry L47 `\"jws@npm:^3.2.2\"`",
            "left-pad@1.3.0 direct git:https://github.com/stevemao/left-pad.git#commit=5a6b5a8b6a6e4f0e3a2c9d1b0f7e8d9c6b5a4f3e L54 `\"left-pad@https://github.com/stevemao/left-pad.git#commit=5a6b5a8b6a6e4f0e3a2c9d1b0f7e8d9c6b5a4f3e\"`",
            "local-utils@ direct path:./vendor/local-utils L61 `\"local-utils@portal:./vendor/local-utils::locator=billing-api%40workspace%3A.\"`",
            "lodash@4.17.21 transitive registry L67 `\"lodash@npm:^4.17.21\"`",
            "ms@2.1.3 transitive registry L74 `\"ms@npm:^2.1.1\"`",
            // The builtin patch of resolve is the same package: listed once.
            "resolve@1.22.2 direct registry L81 `\"resolve@npm:^1.22.0\"`",
            "semver@7.5.4 transitive registry L107 `\"semver@npm:^7.3.8\"`",
        ]
    );
    assert_eq!(
        deps_of(&lock, "jsonwebtoken", "9.0.1"),
        [("jws", "^3.2.2"), ("lodash", "^4.17.21"), ("ms", "^2.1.1"), ("semver", "^7.3.8")]
    );
}

#[test]
fn yarn_berry_problems() {
    let text = "__metadata:\n  version: 99\n  cacheKey: 10\n\n\"a@npm:^1.0.0\":\n  version: 1.0.0\n  resolution: \"a@npm:1.0.0\"\n  dependencies: [unclosed\n\n\"b@npm:^2.0.0\":\n  resolution: \"b@npm:2.0.0\"\n\n\"c@npm:^3.0.0\":\n  version: 3.1.0\n  resolution: \"c@npm:3.1.0\"\n";
    let lock = parse_as("yarn.lock", text);
    // The broken entry keeps what was read before the break.
    assert_eq!(
        rendered(&lock, text),
        [
            "a@1.0.0 transitive registry L5 `\"a@npm:^1.0.0\"`",
            "b@ transitive registry L10 `\"b@npm:^2.0.0\"`",
            "c@3.1.0 transitive registry L13 `\"c@npm:^3.0.0\"`",
        ]
    );
    let p = problem_lines(&lock, text);
    assert_eq!(p.len(), 3, "{p:?}");
    assert!(p[0].starts_with("L2: unknown yarn lockfile version 99"), "{p:?}");
    assert!(
        p[1].starts_with("L") && p[1].contains("yarn.lock could not be read here (invalid YAML"),
        "{p:?}"
    );
    let line: usize = p[1][1..p[1].find(':').unwrap_or(1)].parse().unwrap_or(0);
    assert!((8..=9).contains(&line), "{p:?}");
    assert!(p[2].starts_with("L10: `b@npm:^2.0.0` has no version"), "{p:?}");
}

// --- pnpm-lock.yaml ------------------------------------------------------------

#[test]
fn pnpm_v5() {
    let text = fixture("npm/pnpm-v5/pnpm-lock.yaml");
    let lock = parse_as("pnpm-lock.yaml", &text);
    no_problems(&lock, &text);
    assert_eq!(
        rendered(&lock, &text),
        [
            "local-utils@ direct path:../local-utils L15 `local-utils`",
            "@types/aws-lambda@8.10.119 direct dev registry L25 `/@types/aws-lambda/8.10.119`",
            "buffer-equal-constant-time@1.0.1 transitive registry L29 `/buffer-equal-constant-time/1.0.1`",
            "jsonwebtoken@9.0.1 direct registry L33 `/jsonwebtoken/9.0.1`",
            "jws@3.2.2 transitive registry L43 `/jws/3.2.2`",
            "lodash@4.17.21 transitive registry L49 `/lodash/4.17.21`",
            "ms@2.1.3 transitive registry L53 `/ms/2.1.3`",
            "react-dom@17.0.2 direct registry L56 `/react-dom/17.0.2_react@17.0.2`",
            // `requiresBuild`: it runs scripts when installed.
            "react@17.0.2 direct install-script registry L64 `/react/17.0.2`",
            "semver@7.5.4 transitive registry L70 `/semver/7.5.4`",
            "typescript@5.1.6 direct dev registry L76 `/typescript/5.1.6`",
            "left-pad@1.3.0 direct git:https://codeload.github.com/stevemao/left-pad/tar.gz/5a6b5a8b6a6e4f0e3a2c9d1b0f7e8d9c6b5a4f3e L82 `github.com/stevemao/left-pad/5a6b5a8b6a6e4f0e3a2c9d1b0f7e8d9c6b5a4f3e`",
        ]
    );
    assert_eq!(deps_of(&lock, "react-dom", "17.0.2"), [("react", "17.0.2")]);
    assert_eq!(deps_of(&lock, "jws", "3.2.2"), [("buffer-equal-constant-time", "1.0.1")]);
}

#[test]
fn pnpm_v6_workspaces() {
    let text = fixture("npm/pnpm-v6/pnpm-lock.yaml");
    let lock = parse_as("pnpm-lock.yaml", &text);
    no_problems(&lock, &text);
    assert_eq!(
        rendered(&lock, &text),
        [
            // `shared: link:packages/shared` points at an importer: the
            // project's own workspace package, not a dependency.
            // Listed by the `packages/shared` importer.
            "@aws-sdk/client-s3@3.400.0 direct registry L33 `/@aws-sdk/client-s3@3.400.0`",
            "@smithy/types@2.2.2 transitive registry L40 `/@smithy/types@2.2.2`",
            "ansi-regex@5.0.1 transitive registry L45 `/ansi-regex@5.0.1`",
            // The alias `str-alias: /string-width@4.2.3`.
            "string-width@4.2.3 direct registry L49 `/string-width@4.2.3`",
            "strip-ansi@6.0.1 transitive registry L56 `/strip-ansi@6.0.1`",
            "vite-node@0.34.1 transitive dev registry L62 `/vite-node@0.34.1(@types/node@20.4.2)`",
            "vitest@0.34.1 direct dev registry L68 `/vitest@0.34.1`",
            "local-lib@0.2.0 direct path:libs/local-lib L76 `file:libs/local-lib`",
        ]
    );
    assert_eq!(deps_of(&lock, "vitest", "0.34.1"), [("vite-node", "0.34.1")]);
}

#[test]
fn pnpm_v9_packages_and_snapshots() {
    let text = fixture("npm/pnpm-v9/pnpm-lock.yaml");
    let lock = parse_as("pnpm-lock.yaml", &text);
    no_problems(&lock, &text);
    assert_eq!(
        rendered(&lock, &text),
        [
            // 9 marks dev only through the importers' devDependencies.
            "@types/node@20.4.2 direct dev registry L39 `'@types/node@20.4.2'`",
            "debug@2.6.9 transitive registry L42 `debug@2.6.9`",
            "express@4.18.2 direct registry L45 `express@4.18.2`",
            "left-pad@1.3.0 direct git:https://codeload.github.com/stevemao/left-pad/tar.gz/5a6b5a8b6a6e4f0e3a2c9d1b0f7e8d9c6b5a4f3e L49 `left-pad@https://codeload.github.com/stevemao/left-pad/tar.gz/5a6b5a8b6a6e4f0e3a2c9d1b0f7e8d9c6b5a4f3e`",
            "ms@2.0.0 transitive registry L53 `ms@2.0.0`",
            "react-dom@17.0.2 direct registry L56 `react-dom@17.0.2`",
            "react@17.0.2 direct registry L61 `react@17.0.2`",
            "string-width@4.2.3 direct registry L65 `string-width@4.2.3`",
            "typescript@5.1.6 direct dev registry L69 `typescript@5.1.6`",
            "vendored@2.0.0 direct git:https://github.com/acme/vendored.git#0123456789abcdef0123456789abcdef01234567 L74 `vendored@git+https://github.com/acme/vendored.git#0123456789abcdef0123456789abcdef01234567`",
        ]
    );
    // Dependencies come from the snapshots.
    assert_eq!(deps_of(&lock, "express", "4.18.2"), [("debug", "2.6.9")]);
    assert_eq!(deps_of(&lock, "react-dom", "17.0.2"), [("react", "17.0.2")]);
}

#[test]
fn pnpm_problems() {
    let text = "lockfileVersion: '10.0'\n\nimporters:\n  .:\n    dependencies:\n      a:\n        specifier: ^1.0.0\n        version: 1.0.0\n\npackages:\n\n  a@1.0.0:\n    resolution: {integrity: sha512-x}\n\n  b@2.0.0:\n    resolution: {integrity: [unclosed\n\n  c@3.0.0:\n    resolution: {integrity: sha512-y}\n\nsnapshots:\n\n  a@1.0.0: {}\n\n  zzz@9.9.9: {}\n";
    let lock = parse_as("pnpm-lock.yaml", text);
    // The broken entry keeps what was read before the break.
    assert_eq!(
        rendered(&lock, text),
        [
            "a@1.0.0 direct registry L12 `a@1.0.0`",
            "b@2.0.0 transitive registry L15 `b@2.0.0`",
            "c@3.0.0 transitive registry L18 `c@3.0.0`",
        ]
    );
    let p = problem_lines(&lock, text);
    assert_eq!(p.len(), 3, "{p:?}");
    assert!(p[0].starts_with("L1: unknown pnpm lockfileVersion `10.0`"), "{p:?}");
    assert!(p[1].contains("pnpm-lock.yaml could not be read here (invalid YAML"), "{p:?}");
    assert!(p[2].starts_with("L25: snapshot `zzz@9.9.9` has no entry under `packages`"), "{p:?}");

    // No lockfileVersion; a 6.0 package whose key names no version.
    let text = "packages:\n  /weird:\n    resolution: {integrity: sha512-x}\n  github.com/u/r/abc:\n    resolution: {tarball: https://codeload.github.com/u/r/tar.gz/abc}\n";
    let lock = parse_as("pnpm-lock.yaml", text);
    let p = problem_lines(&lock, text);
    assert_problems_start(
        &p,
        &[
            "L1: pnpm-lock.yaml has no `lockfileVersion`",
            "L2: package `/weird` has no name",
            "L4: package `github.com/u/r/abc` has no name",
        ],
    );
    assert!(p.iter().all(|m| m.contains("pnpm install")), "{p:?}");
}

// --- package.json --------------------------------------------------------------

#[test]
fn package_json_ranges_and_sources() {
    let text = fixture("npm/package-json/package.json");
    let lock = parse_as("functions/thumbnailer/package.json", &text);
    no_problems(&lock, &text);
    assert_eq!(
        rendered(&lock, &text),
        [
            "@aws-sdk/client-s3@ direct req=^3.400.0 registry L7 `\"@aws-sdk/client-s3\"`",
            "color@ direct req=npm:color@^4.2.3 registry L8 `\"colour\"`",
            "left-pad@ direct req=stevemao/left-pad#v1.3.0 git:github:stevemao/left-pad#v1.3.0 L9 `\"left-pad\"`",
            // Bundled: shipped inside the package whatever its section.
            "local-utils@ direct req=file:../local-utils path:../local-utils L10 `\"local-utils\"`",
            // Exact versions are pinned.
            "node-serialize@0.0.4 direct req=0.0.4 registry L11 `\"node-serialize\"`",
            "sharp@0.32.6 direct req==0.32.6 registry L12 `\"sharp\"`",
            "tarball-dep@ direct req=https://example.com/pkgs/tarball-dep-1.0.0.tgz url:https://example.com/pkgs/tarball-dep-1.0.0.tgz L13 `\"tarball-dep\"`",
            // Also in devDependencies: installed once, from `dependencies`.
            "uuid@ direct req=* registry L14 `\"uuid\"`",
            "vendored@ direct req=git+ssh://git@github.com/acme/vendored.git#v2.0.0 git:git+ssh://git@github.com/acme/vendored.git#v2.0.0 L15 `\"vendored\"`",
            // `shared: workspace:*` is the project's own package: not listed.
            "eslint@ direct dev req=~8.46.0 registry L19 `\"eslint\"`",
            "jest@29.6.2 direct dev req=29.6.2 registry L20 `\"jest\"`",
            "fsevents@ direct req=^2.3.3 registry L24 `\"fsevents\"`",
            "aws-lambda@ direct req=>=1.0.0 <2 registry L27 `\"aws-lambda\"`",
        ]
    );
    assert!(!lock.packages.iter().find(|p| p.name == "uuid").is_some_and(|p| p.dev));
}

#[test]
fn package_json_problems() {
    let text = r#"{
  "dependencies": {"a": "^1.0.0", "b": 2, "": "1.0.0"},
  "devDependencies": ["c"],
  "bundledDependencies": ["zzz", 7]
}"#;
    let lock = parse_as("package.json", text);
    assert_eq!(rendered(&lock, text), ["a@ direct req=^1.0.0 registry L2 `\"a\"`"]);
    assert_problems_start(
        &problem_lines(&lock, text),
        &[
            "L4: `bundledDependencies` holds something other than a package name",
            "L2: `dependencies.b` is not a string",
            "L2: `dependencies` lists a dependency without a name",
            "L3: `devDependencies` is not an object",
            "L4: `zzz` is in bundledDependencies but in no dependency section",
        ],
    );

    for text in ["{\"dependencies\": {", "\"just a string\""] {
        let lock = parse_as("package.json", text);
        assert!(lock.packages.is_empty());
        assert_eq!(lock.problems.len(), 1, "{text}: {:?}", lock.problems);
    }
}

// --- every format ----------------------------------------------------------------

const FIXTURES: [&str; 10] = [
    "npm/package-lock-v1/package-lock.json",
    "npm/package-lock-v2/package-lock.json",
    "npm/package-lock-v3/package-lock.json",
    "npm/npm-shrinkwrap/npm-shrinkwrap.json",
    "npm/yarn-classic/yarn.lock",
    "npm/yarn-berry/yarn.lock",
    "npm/pnpm-v5/pnpm-lock.yaml",
    "npm/pnpm-v6/pnpm-lock.yaml",
    "npm/pnpm-v9/pnpm-lock.yaml",
    "npm/package-json/package.json",
];

/// Every npm format (`npm-shrinkwrap.json` is read as `package-lock.json`).
const KINDS: [LockfileKind; 4] = [
    LockfileKind::PackageLock,
    LockfileKind::YarnLock,
    LockfileKind::PnpmLock,
    LockfileKind::PackageJson,
];

/// Truncated anywhere (every 97th byte) and read as every npm format:
/// no panic, and every span inside the text.
#[test]
fn truncated_and_mismatched_files_do_not_panic() {
    for rel in FIXTURES {
        let text = fixture(rel);
        for part in truncations(&text) {
            for kind in KINDS {
                let lock = parse(kind, FileId(0), rel, part);
                spans_inside(&lock, part, format_args!("{rel} cut at {} as {kind:?}", part.len()));
            }
        }
    }
}

#[test]
fn garbage_does_not_panic() {
    let garbage = [
        "",
        "\n",
        "{",
        "}",
        "[[[[",
        "\"",
        "a@:",
        ":\n  :\n",
        "\u{feff}{}",
        "__metadata:\n  - x\n",
        "lockfileVersion: 9\npackages:\n  '@':\n    x\n",
        "packages:\n  /@/:\n  /a/:\n  /:\n",
        "  a:\n b:\nc:\n",
        "a@1, \"b@2\" x:\n",
        "\"\\",
        "{\"packages\": {\"node_modules/\": {}}}",
        "{\"lockfileVersion\": 1, \"dependencies\": {\"a\": {\"version\": \"npm:\"}}}",
        "snapshots:\n  a@1.0.0(b@1:\n    dependencies: {x: /}\n",
        "importers:\n  .:\n    dependencies:\n      a: {version: link:}\n",
    ];
    inputs_read_safely(&KINDS, &garbage);
}

/// Past `MAX_PACKAGES` the rest is cut and reported, not read.
#[test]
fn package_cap() {
    let mut text = String::from("# yarn lockfile v1\n");
    for i in 0..faasguard_deps::MAX_PACKAGES + 5 {
        text.push_str(&format!("p{i}@1:\n  version \"1.0.0\"\n"));
    }
    let lock = parse_as("yarn.lock", &text);
    assert_eq!(lock.packages.len(), faasguard_deps::MAX_PACKAGES);
    assert_eq!(lock.problems.len(), 1);
    assert!(lock.problems[0].message.contains("only the first"));
}
