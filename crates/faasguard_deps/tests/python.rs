//! PyPI formats: requirements files, Pipfile.lock, poetry.lock, uv.lock and
//! pyproject.toml. The exact package lists of hand-written fixtures (under
//! `fixtures/{requirements,pipfile,poetry,uv,pyproject}/`), the problems of
//! malformed files, and no panic on truncated or hostile ones.

mod common;

use common::{
    deps_of, inputs_read_safely, line_of, no_problems, problems, rendered,
    truncated_fixtures_read_safely,
};
use faasguard_deps::{Ecosystem, Lockfile, LockfileKind, parse};
use faasguard_source::FileId;

fn read(kind: LockfileKind, rel: &str) -> (Lockfile, String) {
    common::read(kind, rel, Ecosystem::PyPI)
}

// --- requirements.txt --------------------------------------------------------

#[test]
fn requirements_pip_compile_output_with_hashes_and_via() {
    let (lock, text) = read(LockfileKind::Requirements, "requirements/compiled/requirements.txt");
    no_problems(&lock, &text);
    assert_eq!(
        rendered(&lock, &text),
        [
            "boto3@1.34.0 direct registry L9 `boto3==1.34.0`",
            "botocore@1.34.0 transitive registry L13 `botocore==1.34.0`",
            "jmespath@1.0.1 transitive registry L19 `jmespath==1.0.1`",
            "python-dateutil@2.8.2 transitive registry L25 `python-dateutil==2.8.2`",
            "PyYAML@6.0.1 direct registry L29 `PyYAML==6.0.1`",
            "s3transfer@0.9.0 transitive registry L33 `s3transfer==0.9.0`",
            "six@1.16.0 transitive registry L37 `six==1.16.0`",
            // `via botocore` and `via -c constraints.txt`: still transitive.
            "urllib3@2.0.7 transitive registry L41 `urllib3==2.0.7`",
            "setuptools@69.0.2 direct registry L49 `setuptools==69.0.2`",
        ]
    );
    // `# via` read backwards: who needs whom.
    assert_eq!(
        deps_of(&lock, "boto3", "1.34.0"),
        [("botocore", "1.34.0"), ("jmespath", "1.0.1"), ("s3transfer", "0.9.0")]
    );
    assert_eq!(
        deps_of(&lock, "botocore", "1.34.0"),
        [("jmespath", "1.0.1"), ("python-dateutil", "2.8.2"), ("urllib3", "2.0.7")]
    );
    assert_eq!(deps_of(&lock, "python-dateutil", "2.8.2"), [("six", "1.16.0")]);
    assert!(deps_of(&lock, "six", "1.16.0").is_empty());
    assert!(lock.includes.is_empty());
}

#[test]
fn requirements_every_line_form() {
    let (lock, text) = read(LockfileKind::Requirements, "requirements/mixed/requirements.txt");
    no_problems(&lock, &text);
    assert_eq!(
        rendered(&lock, &text),
        [
            "requests@2.31.0 direct registry L9 `requests[security,socks]==2.31.0`",
            "Flask@ direct req=>=2.0,<3.0 registry L10 `Flask>=2.0,<3.0`",
            "django@ direct req=~= 4.2 registry L11 `django ~= 4.2`",
            "urllib3@ direct req=* registry L12 `urllib3`",
            "PyYAML@5.4.1 direct registry L13 `PyYAML===5.4.1`",
            "importlib-metadata@6.8.0 direct registry L14 `importlib-metadata==6.8.0 ; python_version < \"3.8\"`",
            // A wildcard is a range, not a pin.
            "numpy@ direct req===1.26.* registry L15 `numpy==1.26.*`",
            "typing_extensions@4.8.0 direct registry L16 `typing_extensions (==4.8.0)`",
            "Jinja2@3.1.3 direct req=>= 3.1.2, == 3.1.3 registry L17 `Jinja2 >= 3.1.2, == 3.1.3`",
            // L18 repeats L9: listed once. L20 `-e .` is the project itself.
            "shared-utils@ direct path:./libs/shared-utils L19 `./libs/shared-utils`",
            "auth-lib@ direct git:git+https://github.com/example/auth-lib.git@v1.2.0#egg=auth-lib L21 \
             `git+https://github.com/example/auth-lib.git@v1.2.0#egg=auth-lib`",
            "mylib@ direct git:git+https://github.com/example/mylib.git@3f2a9c1 L22 \
             `mylib @ git+https://github.com/example/mylib.git@3f2a9c1 ; python_version >= \"3.9\"`",
            "wheelpkg@0.3.1 direct url:https://files.example.com/wheelpkg-0.3.1-py3-none-any.whl L23 \
             `wheelpkg @ https://files.example.com/wheelpkg-0.3.1-py3-none-any.whl`",
            "localpkg@1.0 direct path:/opt/wheels/localpkg-1.0.tar.gz L24 \
             `localpkg @ file:///opt/wheels/localpkg-1.0.tar.gz`",
            "otherpkg@2.0.0 direct url:https://files.example.com/packages/otherpkg-2.0.0.tar.gz#sha256=0000 L25 \
             `https://files.example.com/packages/otherpkg-2.0.0.tar.gz#sha256=0000`",
            "vendored_pkg@1.4.0 direct path:./vendor/vendored_pkg-1.4.0-py3-none-any.whl L26 \
             `./vendor/vendored_pkg-1.4.0-py3-none-any.whl`",
            "cryptography@41.0.7 direct registry L27 `cryptography==41.0.7`",
            "attrs@23.1.0 direct registry L29 `attrs==23.1.0`",
        ]
    );
    let includes: Vec<(&str, usize, &str)> = lock
        .includes
        .iter()
        .map(|(path, span)| {
            (
                path.as_str(),
                line_of(&text, span.start),
                &text[span.start as usize..span.end as usize],
            )
        })
        .collect();
    assert_eq!(
        includes,
        [
            ("requirements-base.txt", 2, "requirements-base.txt"),
            ("shared/common.txt", 3, "shared/common.txt"),
            ("constraints.txt", 4, "constraints.txt"),
        ]
    );
    assert!(lock.packages.iter().all(|p| !p.dev));
}

#[test]
fn requirements_bad_lines_are_problems_and_the_rest_is_read() {
    let (lock, text) = read(LockfileKind::Requirements, "requirements/broken/requirements.txt");
    assert_eq!(
        rendered(&lock, &text),
        [
            "requests@2.31.0 direct registry L1 `requests==2.31.0`",
            "boto3@1.34.0 direct registry L7 `boto3==1.34.0`",
            "pandas@2.1.0 direct registry L10 `pandas==2.1.0`",
            "pydantic@2.5.0 direct registry L12 `pydantic==2.5.0`",
        ]
    );
    let refuse = "pip refuses the whole file until this line is fixed (the other lines were read)";
    assert_eq!(
        problems(&lock, &text),
        [
            format!("L2 `=2.0`: cannot read requirement `flask=2.0`: `=` is not a version operator; write `==2.0`; {refuse}"),
            format!("L3 `=`: cannot read requirement `==1.0`: expected a package name first (`name==1.0`); {refuse}"),
            format!("L4 `>=`: cannot read requirement `django>=`: `>=` needs a version; {refuse}"),
            "L5 `-r`: `-r` needs a value (`-r VALUE`); add it or remove the option".to_string(),
            "L6 `--no-such-option`: `--no-such-option` is not an option pip accepts in a requirements file; \
             remove it or fix its spelling (see `pip install --help`)"
                .to_string(),
            "L7 `md5:abc`: `md5:abc` is not a hash pip accepts (`sha256:`, `sha384:` or `sha512:` followed by hex \
             digits); regenerate the hashes with `pip-compile --generate-hashes` or `pip hash`"
                .to_string(),
            format!(
                "L8 `,`: cannot read requirement `numpy>=1.0,,<2`: an empty version clause (a stray comma); remove it; {refuse}"
            ),
            format!(
                "L9 `https://example.com/download`: cannot read requirement `https://example.com/download`: cannot tell \
                 which package `https://example.com/download` installs; write it as `name @ https://example.com/download` \
                 or add `#egg=name`; {refuse}"
            ),
            "L10 `-i https://mirror.example.com/simple`: `-i` belongs on a line of its own, not after a requirement; move it there"
                .to_string(),
            format!(
                "L11 `[email==2.5.0`: cannot read requirement `pydantic[email==2.5.0`: `[` opens extras that are never closed; add `]`; {refuse}"
            ),
        ]
    );
}

#[test]
fn requirements_continuations_comments_and_crlf() {
    let text = "# top comment \\\nflask\\\n==2.0.1 \\\r\n  --hash=sha256:0000000000000000000000000000000000000000000000000000000000000000\r\n\
                url-pkg @ https://example.com/u.whl#frag  # a comment, then\n\
                click==8.1.7#not-a-comment\n\
                six==1.16.0 \\\n# a comment line ends the continuation\n\
                \\\n";
    let lock = parse(LockfileKind::Requirements, FileId(0), "requirements.txt", text);
    assert_eq!(
        rendered(&lock, text),
        [
            // The span runs across the joined lines.
            "flask@2.0.1 direct registry L2 `flask\\\n==2.0.1`",
            "url-pkg@ direct url:https://example.com/u.whl#frag L5 `url-pkg @ https://example.com/u.whl#frag`",
            "six@1.16.0 direct registry L7 `six==1.16.0`",
        ]
    );
    // `#` without whitespace before it is part of the version, which then
    // is not PEP 440.
    assert_eq!(
        problems(&lock, text),
        [
            "L6 `==8.1.7#not-a-comment`: cannot read requirement `click==8.1.7#not-a-comment`: `8.1.7#not-a-comment` \
          is not a PEP 440 version; pip refuses the whole file until this line is fixed (the other lines were read)"
        ]
    );
}

#[test]
fn requirements_options_forms() {
    let text = "-rbase.txt\n--constraint constraints.txt\n--index-url=https://pypi.org/simple\n\
                --no-index --pre\n-f ./wheels\n--editable=git+ssh://git@github.com/x/y.git#egg=y&subdirectory=lib\n\
                --hash=sha256:abc\n--pre=yes\n--requirement\n";
    let lock = parse(LockfileKind::Requirements, FileId(0), "requirements.txt", text);
    let includes: Vec<&str> = lock.includes.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(includes, ["base.txt", "constraints.txt"]);
    assert_eq!(
        rendered(&lock, text),
        ["y@ direct git:git+ssh://git@github.com/x/y.git#egg=y&subdirectory=lib L6 \
          `git+ssh://git@github.com/x/y.git#egg=y&subdirectory=lib`"]
    );
    assert_eq!(
        problems(&lock, text),
        [
            "L7 `--hash=sha256:abc`: `--hash` belongs after the requirement it applies to, on the same (continued) line; move it there",
            "L8 `--pre=yes`: `--pre` takes no value; write it alone",
            "L9 `--requirement`: `--requirement` needs a value (`--requirement VALUE`); add it or remove the option",
        ]
    );
}

#[test]
fn requirements_names_are_kept_as_written() {
    let text = "Zope.Interface==6.0\nzope-interface==6.0\nSQLAlchemy>=2\n";
    let lock = parse(LockfileKind::Requirements, FileId(0), "requirements.txt", text);
    // The second line is the same package and version (PEP 503): once.
    assert_eq!(
        rendered(&lock, text),
        [
            "Zope.Interface@6.0 direct registry L1 `Zope.Interface==6.0`",
            "SQLAlchemy@ direct req=>=2 registry L3 `SQLAlchemy>=2`",
        ]
    );
    // The purl spec lowercases PyPI names and writes `_` as `-`; dots stay.
    assert_eq!(lock.packages[0].purl(), "pkg:pypi/zope.interface@6.0");
}

// --- Pipfile.lock ------------------------------------------------------------

#[test]
fn pipfile_lock_sections_and_sources() {
    let (lock, text) = read(LockfileKind::PipfileLock, "pipfile/basic/Pipfile.lock");
    no_problems(&lock, &text);
    assert_eq!(
        rendered(&lock, &text),
        [
            "certifi@2023.11.17 transitive registry L19 `\"certifi\"`",
            "jwt-helper@ transitive git:https://github.com/example/jwt-helper.git#9c1f2b7a3d4e5f60718293a4b5c6d7e8f9a0b1c2 \
             L27 `\"jwt-helper\"`",
            // `orders` (path ".") is the project itself.
            "requests@2.31.0 transitive registry L36 `\"requests\"`",
            "shared-utils@ transitive path:./libs/shared-utils L43 `\"shared-utils\"`",
            "vendored-wheel@ transitive url:https://files.example.com/vendored_wheel-1.0.0-py3-none-any.whl L47 `\"vendored-wheel\"`",
            // certifi is in both sections: shipped, listed once.
            "pytest@7.4.3 transitive dev registry L58 `\"pytest\"`",
        ]
    );
}

#[test]
fn pipfile_lock_bad_entries() {
    let (lock, text) = read(LockfileKind::PipfileLock, "pipfile/broken/Pipfile.lock");
    assert_eq!(
        rendered(&lock, &text),
        [
            "requests@2.31.0 transitive registry L4 `\"requests\"`",
            "ranged@ transitive req=>=1.0 registry L8 `\"ranged\"`",
        ]
    );
    assert_eq!(
        problems(&lock, &text),
        [
            "L5 `2`: the version of `flask` must be a string such as \"==1.0\"; regenerate it with `pipenv lock`",
            "L6 `\"boto3\"`: package `boto3` must be an object with its `version`; regenerate it with `pipenv lock`",
            "L7 `\"idna\"`: package `idna` has no `version` and no `git`, `path` or `file`; regenerate it with `pipenv lock`",
            "L10 `\"develop\"`: `develop` must be an object of packages; regenerate it with `pipenv lock`",
        ]
    );
}

#[test]
fn pipfile_lock_syntax_error_is_one_problem() {
    let (lock, text) = read(LockfileKind::PipfileLock, "pipfile/broken/truncated.json");
    assert!(lock.packages.is_empty());
    assert_eq!(lock.problems.len(), 1);
    let message = &lock.problems[0].message;
    assert!(message.starts_with("not valid JSON: "), "{message}");
    assert!(message.ends_with("; regenerate it with `pipenv lock`"), "{message}");
    let _ = text;
    let lock = parse(LockfileKind::PipfileLock, FileId(0), "Pipfile.lock", "[1, 2]");
    assert_eq!(
        problems(&lock, "[1, 2]"),
        [
            "L1 `[1, 2]`: a Pipfile.lock is a JSON object with `default` and `develop`; regenerate it with `pipenv lock`"
        ]
    );
}

// --- poetry.lock -------------------------------------------------------------

#[test]
fn poetry_lock_v1_categories() {
    let (lock, text) = read(LockfileKind::PoetryLock, "poetry/v1/poetry.lock");
    no_problems(&lock, &text);
    assert_eq!(
        rendered(&lock, &text),
        [
            "certifi@2023.7.22 transitive registry L2 `name = \"certifi\"`",
            "charset-normalizer@3.2.0 transitive registry L10 `name = \"charset-normalizer\"`",
            "iniconfig@2.0.0 transitive dev registry L18 `name = \"iniconfig\"`",
            // Nothing locked depends on these: the project asked for them.
            "pytest@7.4.0 direct dev registry L26 `name = \"pytest\"`",
            "requests@2.31.0 direct registry L41 `name = \"requests\"`",
            "urllib3@2.0.4 transitive registry L54 `name = \"urllib3\"`",
        ]
    );
    assert_eq!(
        deps_of(&lock, "requests", "2.31.0"),
        [("certifi", "2023.7.22"), ("charset-normalizer", "3.2.0"), ("urllib3", "2.0.4")]
    );
    // colorama is not locked (Windows only): its constraint stays.
    assert_eq!(deps_of(&lock, "pytest", "7.4.0"), [("iniconfig", "2.0.0"), ("colorama", "*")]);
}

#[test]
fn poetry_lock_v2_groups_and_sources() {
    let (lock, text) = read(LockfileKind::PoetryLock, "poetry/v2/poetry.lock");
    no_problems(&lock, &text);
    assert_eq!(
        rendered(&lock, &text),
        [
            "annotated-types@0.6.0 transitive registry L4 `name = \"annotated-types\"`",
            "internal-auth@0.4.2 direct git:https://github.com/example/internal-auth.git#5e1f0c2b9a8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f \
             L15 `name = \"internal-auth\"`",
            "pydantic@2.5.2 transitive registry L34 `name = \"pydantic\"`",
            "pydantic-core@2.14.5 transitive registry L48 `name = \"pydantic-core\"`",
            "ruff@0.1.6 direct dev registry L60 `name = \"ruff\"`",
            "shared-models@1.0.0 direct path:../shared-models L69 `name = \"shared-models\"`",
            // In `main` and `dev`: shipped.
            "typing-extensions@4.8.0 transitive registry L83 `name = \"typing-extensions\"`",
            "vendored@0.9.0 direct url:https://files.example.com/vendored-0.9.0.tar.gz L92 `name = \"vendored\"`",
            // A private index is still a registry.
            "private-lib@3.1.0 direct registry L105 `name = \"private-lib\"`",
        ]
    );
    assert_eq!(
        deps_of(&lock, "pydantic", "2.5.2"),
        [("annotated-types", "0.6.0"), ("pydantic-core", "2.14.5"), ("typing-extensions", "4.8.0")]
    );
}

#[test]
fn poetry_lock_problems() {
    let (lock, text) = read(LockfileKind::PoetryLock, "poetry/broken/poetry.lock");
    assert_eq!(
        rendered(&lock, &text),
        [
            "requests@2.31.0 transitive registry L2 `name = \"requests\"`",
            "noversion@ direct registry L9 `name = \"noversion\"`",
        ]
    );
    assert_eq!(
        problems(&lock, &text),
        [
            "L5 `[[package]]`: a `[[package]]` without a `name`; regenerate it with `poetry lock`",
            "L9 `name = \"noversion\"`: package `noversion` has no `version`; regenerate it with `poetry lock`",
        ]
    );
    let (lock, text) = read(LockfileKind::PoetryLock, "poetry/broken/syntax.lock");
    assert!(lock.packages.is_empty());
    assert_eq!(
        problems(&lock, &text),
        [
            "L3 ``: not valid TOML: invalid basic string, expected `\"`; regenerate it with `poetry lock`"
        ]
    );
    let (lock, text) = read(LockfileKind::PoetryLock, "poetry/broken/structure.lock");
    assert_eq!(
        problems(&lock, &text),
        [
            "L1 `\"not tables\"`: `package` must be `[[package]]` tables; regenerate it with `poetry lock`"
        ]
    );
}

// --- uv.lock -----------------------------------------------------------------

#[test]
fn uv_lock_project_dev_groups_and_sources() {
    let (lock, text) = read(LockfileKind::UvLock, "uv/project/uv.lock");
    no_problems(&lock, &text);
    assert_eq!(
        rendered(&lock, &text),
        [
            "boto3@1.34.0 direct registry L6 `name = \"boto3\"`",
            "botocore@1.34.0 transitive registry L19 `name = \"botocore\"`",
            // Only pytest (a dev group) reaches these.
            "colorama@0.4.6 transitive dev registry L28 `name = \"colorama\"`",
            "iniconfig@2.0.0 transitive dev registry L33 `name = \"iniconfig\"`",
            "jmespath@1.0.1 transitive registry L38 `name = \"jmespath\"`",
            // `orders` (editable ".") is the project.
            "pytest@7.4.3 direct dev registry L78 `name = \"pytest\"`",
            // An extra is shipped when asked for.
            "pyyaml@6.0.1 direct url:https://files.example.com/PyYAML-6.0.1.tar.gz L87 `name = \"pyyaml\"`",
            "tracing-lib@2.0.0 direct git:https://github.com/example/tracing-lib?rev=v2#0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6 \
             L92 `name = \"tracing-lib\"`",
            // In a dev group and in the dependencies: shipped.
            "urllib3@2.1.0 direct registry L97 `name = \"urllib3\"`",
        ]
    );
    assert_eq!(deps_of(&lock, "botocore", "1.34.0"), [("jmespath", "1.0.1"), ("urllib3", "2.1.0")]);
    assert_eq!(deps_of(&lock, "pytest", "7.4.3"), [("colorama", "0.4.6"), ("iniconfig", "2.0.0")]);
}

#[test]
fn uv_lock_workspace_members_and_versions() {
    let (lock, text) = read(LockfileKind::UvLock, "uv/workspace/uv.lock");
    no_problems(&lock, &text);
    assert_eq!(
        rendered(&lock, &text),
        [
            "attrs@23.1.0 direct registry L30 `name = \"attrs\"`",
            "localwheel@0.2.0 direct path:wheels/localwheel-0.2.0-py3-none-any.whl L35 `name = \"localwheel\"`",
            "numpy@1.24.4 direct registry L40 `name = \"numpy\"`",
            "numpy@1.26.2 direct registry L45 `name = \"numpy\"`",
            "orphan@1.0.0 transitive registry L50 `name = \"orphan\"`",
        ]
    );
}

#[test]
fn uv_lock_problems() {
    let text = "version = 1\n\n[[package]]\nname = \"a\"\nsource = { registry = \"https://pypi.org/simple\" }\n\n\
                [[package]]\nversion = \"1.0\"\n";
    let lock = parse(LockfileKind::UvLock, FileId(0), "uv.lock", text);
    assert_eq!(rendered(&lock, text), ["a@ transitive registry L4 `name = \"a\"`"]);
    assert_eq!(
        problems(&lock, text),
        [
            "L4 `name = \"a\"`: registry package `a` has no `version`; regenerate it with `uv lock`",
            "L7 `[[package]]`: a `[[package]]` without a `name`; regenerate it with `uv lock`",
        ]
    );
    let text = "version = 1\npackage = [1, 2\n";
    let lock = parse(LockfileKind::UvLock, FileId(0), "uv.lock", text);
    assert_eq!(lock.problems.len(), 1);
    assert!(lock.problems[0].message.starts_with("not valid TOML: "));
    assert!(lock.problems[0].message.ends_with("; regenerate it with `uv lock`"));
}

// --- pyproject.toml ----------------------------------------------------------

#[test]
fn pyproject_pep621_groups_and_uv() {
    let (lock, text) = read(LockfileKind::Pyproject, "pyproject/pep621/pyproject.toml");
    assert_eq!(
        rendered(&lock, &text),
        [
            "boto3@1.34.0 direct req===1.34.0 registry L10 `\"boto3==1.34.0\"`",
            "requests@ direct req=>=2.31,<3 registry L11 `\"requests[socks]>=2.31,<3\"`",
            "pydantic@ direct req=* registry L12 `\"pydantic\"`",
            "aws-lambda-powertools@ direct req=~= 2.26 registry L13 `'aws-lambda-powertools[tracer] ~= 2.26'`",
            "importlib-metadata@ direct req=>=6 registry L14 `\"importlib-metadata>=6; python_version < '3.10'\"`",
            "tracing-lib@ direct git:git+https://github.com/example/tracing-lib@v2 L15 \
             `\"tracing-lib @ git+https://github.com/example/tracing-lib@v2\"`",
            "PyYAML@6.0.1 direct req===6.0.1 registry L20 `\"PyYAML==6.0.1\"`",
            "pytest@ direct dev req=>=7 registry L23 `\"pytest>=7\"`",
            "ruff@0.1.6 direct dev req===0.1.6 registry L24 `\"ruff==0.1.6\"`",
            "moto@ direct dev req=>=4.2 registry L27 `\"moto[s3]>=4.2\"`",
        ]
    );
    assert_eq!(
        problems(&lock, &text),
        [
            "L16 `spec here`: cannot read requirement `bad spec here` in [project] dependencies: expected a version \
          operator (`==`, `>=`, `~=`, ...) before `spec here`; write it as PEP 508 (`name>=1.0`, \
          `name[extra]==2.0`, `name @ https://...`)"
        ]
    );
}

#[test]
fn pyproject_poetry_tables() {
    let (lock, text) = read(LockfileKind::Pyproject, "pyproject/poetry/pyproject.toml");
    assert_eq!(
        rendered(&lock, &text),
        [
            "requests@ direct req=^2.31 registry L9 `requests = \"^2.31\"`",
            // Poetry reads a bare version as exact.
            "boto3@1.34.0 direct req=1.34.0 registry L10 `boto3 = \"1.34.0\"`",
            "pyjwt@2.8.0 direct req===2.8.0 registry L11 `pyjwt = { version = \"==2.8.0\", extras = [\"crypto\"] }`",
            "internal-auth@ direct git:https://github.com/example/internal-auth.git L12 \
             `internal-auth = { git = \"https://github.com/example/internal-auth.git\", tag = \"v0.4.2\" }`",
            "shared-models@ direct path:../shared-models L13 `shared-models = { path = \"../shared-models\", develop = true }`",
            "vendored@ direct url:https://files.example.com/vendored-0.9.0.tar.gz L14 \
             `vendored = { url = \"https://files.example.com/vendored-0.9.0.tar.gz\" }`",
            "numpy@ direct req=<1.25 registry L16 `{ version = \"<1.25\", python = \"<3.9\" }`",
            "numpy@1.26.2 direct req=1.26.2 registry L17 `{ version = \"1.26.2\", python = \">=3.9\" }`",
            "pytest@ direct dev req=^7.4 registry L22 `pytest = \"^7.4\"`",
            // The `main` group is not a dev group.
            "attrs@23.1.0 direct req=23.1.0 registry L25 `attrs = \"23.1.0\"`",
            "black@ direct dev req=* registry L28 `black = \"*\"`",
        ]
    );
    assert_eq!(
        problems(&lock, &text),
        [
            "L19 `broken = 42`: Poetry dependency `broken` is neither a version constraint nor a table; write \
          `broken = \"^1.0\"` or `broken = { version = \"^1.0\" }`"
        ]
    );
}

#[test]
fn pyproject_problems() {
    let (lock, text) = read(LockfileKind::Pyproject, "pyproject/broken/pyproject.toml");
    assert!(lock.packages.is_empty());
    assert_eq!(
        problems(&lock, &text),
        [
            "L5 ``: not valid TOML: unclosed table, expected `]`; fix the syntax so pip, uv or Poetry can read it"
        ]
    );
    let (lock, text) = read(LockfileKind::Pyproject, "pyproject/broken/types.toml");
    assert_eq!(rendered(&lock, &text), ["PyYAML@ direct req=* registry L6 `\"PyYAML\"`"]);
    assert_eq!(
        problems(&lock, &text),
        [
            "L3 `\"requests\"`: [project] dependencies must be an array of requirement strings (`[\"requests>=2\"]`); fix its type",
            "L6 `3`: [project.optional-dependencies] yaml holds a value that is not a requirement string; write it as `\"name>=1.0\"`",
        ]
    );
}

// --- no panic ----------------------------------------------------------------

const FIXTURES: &[(LockfileKind, &str)] = &[
    (LockfileKind::Requirements, "requirements/compiled/requirements.txt"),
    (LockfileKind::Requirements, "requirements/mixed/requirements.txt"),
    (LockfileKind::Requirements, "requirements/broken/requirements.txt"),
    (LockfileKind::PipfileLock, "pipfile/basic/Pipfile.lock"),
    (LockfileKind::PipfileLock, "pipfile/broken/Pipfile.lock"),
    (LockfileKind::PoetryLock, "poetry/v1/poetry.lock"),
    (LockfileKind::PoetryLock, "poetry/v2/poetry.lock"),
    (LockfileKind::PoetryLock, "poetry/broken/poetry.lock"),
    (LockfileKind::UvLock, "uv/project/uv.lock"),
    (LockfileKind::UvLock, "uv/workspace/uv.lock"),
    (LockfileKind::Pyproject, "pyproject/pep621/pyproject.toml"),
    (LockfileKind::Pyproject, "pyproject/poetry/pyproject.toml"),
];

#[test]
fn truncated_fixtures_do_not_panic() {
    truncated_fixtures_read_safely(FIXTURES);
}

#[test]
fn hostile_inputs_do_not_panic() {
    let deep_toml = format!("a = {}{}\n", "[".repeat(5000), "]".repeat(5000));
    let many_continuations = format!("flask==1.0 {}\n", "--hash=sha256:bad \\\n".repeat(20_000));
    let inputs = [
        String::new(),
        "\u{feff}".to_string(),
        "\\".to_string(),
        "\\\n\\\n\\".to_string(),
        "-".to_string(),
        "--".to_string(),
        "--=".to_string(),
        "-e".to_string(),
        "-e \"".to_string(),
        "é==1 ; \n x @ \n y[ \n z( \n ü @ file: \n ./ \n #egg= \n".to_string(),
        "name @ https://x/é-1.0-py3-none-any.whl#egg=é".to_string(),
        "pkg==1.0 \\\n".repeat(3),
        deep_toml,
        many_continuations,
        "{\"default\": {\"a\": {\"git\": 1, \"path\": [], \"version\": null}}}".to_string(),
        "[[package]]\nname = 1\nversion = []\nsource = \"x\"\ndependencies = 3\n".to_string(),
        "[[package]]\nname = \"a\"\nversion = \"1\"\nsource = { editable = 1 }\ndependencies = [1, {name = 2}]\n\
         [package.dev-dependencies]\ndev = 5\n"
            .to_string(),
        "[project]\ndependencies = [\"a\"]\n[tool]\npoetry = 1\n[dependency-groups]\ndev = 1\n".to_string(),
        "[tool.poetry.group]\ntest = 1\n[tool.poetry.dependencies]\nx = [1, \"a\"]\n".to_string(),
    ];
    let kinds = [
        LockfileKind::Requirements,
        LockfileKind::PipfileLock,
        LockfileKind::PoetryLock,
        LockfileKind::UvLock,
        LockfileKind::Pyproject,
    ];
    inputs_read_safely(&kinds, &inputs);
}

#[test]
fn long_continued_line_reports_every_bad_hash() {
    let text = format!("flask==1.0 {}\n", "--hash=sha256:bad \\\n".repeat(20_000));
    let lock = parse(LockfileKind::Requirements, FileId(0), "requirements.txt", &text);
    assert_eq!(lock.packages.len(), 1);
    assert_eq!(lock.problems.len(), 20_000);
    // Each problem points at its own line.
    assert_eq!(line_of(&text, lock.problems[19_999].span.start), 20_000);
}

#[test]
fn large_requirements_file() {
    let text: String =
        (0..100_000).map(|i| format!("package-{i}=={}.0.{}\n", i % 7, i % 13)).collect();
    let lock = parse(LockfileKind::Requirements, FileId(0), "requirements.txt", &text);
    assert_eq!(lock.packages.len(), 100_000);
    assert!(lock.problems.is_empty());
    assert_eq!(lock.packages[99_999].name, "package-99999");
}
