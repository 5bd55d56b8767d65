//! Go, Cargo and Maven formats: go.sum, Cargo.lock, pom.xml and Gradle
//! lockfiles. The exact package lists of hand-written fixtures (under
//! `fixtures/{go,cargo,maven,gradle}/`), the problems of malformed files,
//! and no panic on truncated or hostile ones.

mod common;

use common::{
    deps_of, inputs_read_safely, no_problems, problems, read, rendered,
    truncated_fixtures_read_safely,
};
use faasguard_deps::{Ecosystem, LockfileKind, parse};
use faasguard_source::FileId;

// --- go.sum ------------------------------------------------------------------

#[test]
fn go_sum_modules_built() {
    let (lock, text) = read(LockfileKind::GoSum, "go/basic/go.sum", Ecosystem::Go);
    no_problems(&lock, &text);
    assert_eq!(
        rendered(&lock, &text),
        [
            "github.com/aws/aws-lambda-go@v1.41.0 transitive registry L1 \
             `github.com/aws/aws-lambda-go v1.41.0 h1:l/5fyVb6Ud9uYd411xdHZzSf2n86TakxzpvIoz7l+3Y=`",
            "github.com/aws/aws-sdk-go-v2@v1.24.0 transitive registry L3 \
             `github.com/aws/aws-sdk-go-v2 v1.24.0 h1:890+mqQ+hTpNuw0gGP6/4akolQkSToDJgHfQE7AwGuk=`",
            // go-spew has only a /go.mod line: not built.
            "github.com/dgrijalva/jwt-go@v3.2.0+incompatible transitive registry L6 \
             `github.com/dgrijalva/jwt-go v3.2.0+incompatible h1:7qlOGliEKZXTDg6OTjfoBKDXWrumCAMpl/TFQ4/5kLM=`",
            "golang.org/x/net@v0.0.0-20220722155237-a158d28d115b transitive registry L8 \
             `golang.org/x/net v0.0.0-20220722155237-a158d28d115b h1:PxfKdU9lEEDYjdIzOtC4qFWgkU2rGHdhlglEPM2pIbA=`",
            "gopkg.in/yaml.v3@v3.0.1 transitive registry L10 \
             `gopkg.in/yaml.v3 v3.0.1 h1:fxVm/GzAzEWqLHuvctI91KS9hhNmmWOoWu0XTYJS7CA=`",
        ]
    );
    assert_eq!(lock.packages[0].purl(), "pkg:golang/github.com/aws/aws-lambda-go@v1.41.0");
}

#[test]
fn go_sum_bad_lines() {
    let (lock, text) = read(LockfileKind::GoSum, "go/broken/go.sum", Ecosystem::Go);
    let names: Vec<&str> = lock.packages.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["github.com/aws/aws-lambda-go", "gopkg.in/yaml.v3"]);
    assert_eq!(
        problems(&lock, &text),
        [
            "L2 `github.com/broken/module v1.0.0`: a go.sum line is `module version hash`, this one has 2 fields; \
             regenerate it with `go mod tidy`",
            "L3 `github.com/broken/hash v1.0.0 sha256:abcdef`: `sha256:abcdef` is not a go.sum hash (`h1:` and base64); \
             regenerate it with `go mod tidy`",
            "L4 `github.com/broken/version 1.0.0 h1:l/5fyVb6Ud9uYd411xdHZzSf2n86TakxzpvIoz7l+3Y=`: `1.0.0` is not a \
             module version (they start with `v`); regenerate it with `go mod tidy`",
        ]
    );
}

// --- Cargo.lock --------------------------------------------------------------

#[test]
fn cargo_lock_v3_members_git_and_two_versions() {
    let (lock, text) = read(LockfileKind::CargoLock, "cargo/v3/Cargo.lock", Ecosystem::CratesIo);
    no_problems(&lock, &text);
    assert_eq!(
        rendered(&lock, &text),
        [
            // `bootstrap` and `shared` (no source) are the workspace.
            "bytes@1.5.0 transitive registry L16 `name = \"bytes\"`",
            "lambda_runtime@0.8.3 direct \
             git:https://github.com/awslabs/aws-lambda-rust-runtime?branch=main#6b8d8a1e0c2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b \
             L22 `name = \"lambda_runtime\"`",
            "serde@1.0.193 direct registry L32 `name = \"serde\"`",
            "syn@1.0.109 direct registry L46 `name = \"syn\"`",
            "syn@2.0.39 transitive registry L52 `name = \"syn\"`",
            "tokio@1.34.0 direct registry L58 `name = \"tokio\"`",
            "tokio-macros@2.2.0 transitive registry L68 `name = \"tokio-macros\"`",
        ]
    );
    assert_eq!(
        deps_of(&lock, "lambda_runtime", "0.8.3"),
        [("bytes", "1.5.0"), ("serde", "1.0.193"), ("tokio", "1.34.0")]
    );
    assert_eq!(deps_of(&lock, "tokio-macros", "2.2.0"), [("syn", "2.0.39")]);
    assert!(lock.packages.iter().all(|p| !p.dev && p.requirement.is_none()));
}

#[test]
fn cargo_lock_v1_root_and_v4_sparse() {
    let (lock, text) = read(LockfileKind::CargoLock, "cargo/v1/Cargo.lock", Ecosystem::CratesIo);
    no_problems(&lock, &text);
    assert_eq!(
        rendered(&lock, &text),
        [
            "libc@0.2.40 direct registry L10 `name = \"libc\"`",
            "rand@0.4.2 direct registry L15 `name = \"rand\"`",
        ]
    );
    assert_eq!(deps_of(&lock, "rand", "0.4.2"), [("libc", "0.2.40")]);
    let (lock, text) = read(LockfileKind::CargoLock, "cargo/v4/Cargo.lock", Ecosystem::CratesIo);
    no_problems(&lock, &text);
    assert_eq!(
        rendered(&lock, &text),
        [
            "itoa@1.0.11 transitive registry L13 `name = \"itoa\"`",
            "serde_json@1.0.117 direct registry L19 `name = \"serde_json\"`",
        ]
    );
}

#[test]
fn cargo_lock_problems() {
    let (lock, text) =
        read(LockfileKind::CargoLock, "cargo/broken/Cargo.lock", Ecosystem::CratesIo);
    assert!(lock.packages.is_empty());
    assert_eq!(
        problems(&lock, &text),
        [
            "L12 ``: not valid TOML: unclosed array table, expected `]]`; regenerate it with `cargo generate-lockfile`"
        ]
    );
    let (lock, text) =
        read(LockfileKind::CargoLock, "cargo/broken/missing.lock", Ecosystem::CratesIo);
    assert_eq!(rendered(&lock, &text), ["serde@1.0.193 transitive registry L4 `name = \"serde\"`"]);
    assert_eq!(
        problems(&lock, &text),
        [
            "L8 `[[package]]`: a package needs `name` and `version`; regenerate it with `cargo generate-lockfile`"
        ]
    );
}

// --- pom.xml -----------------------------------------------------------------

#[test]
fn maven_pom_properties_scopes_and_management() {
    let (lock, text) = read(LockfileKind::PomXml, "maven/basic/pom.xml", Ecosystem::Maven);
    no_problems(&lock, &text);
    assert_eq!(
        rendered(&lock, &text),
        [
            // The version from <dependencyManagement>.
            "com.amazonaws:aws-lambda-java-core@1.2.3 direct registry L45 `<artifactId>aws-lambda-java-core</artifactId>`",
            // From an imported BOM: not known here.
            "software.amazon.awssdk:dynamodb@ direct registry L49 `<artifactId>dynamodb</artifactId>`",
            "com.fasterxml.jackson.core:jackson-databind@2.15.3 direct registry L53 `<artifactId>jackson-databind</artifactId>`",
            // A property built from another property.
            "org.apache.logging.log4j:log4j-core@2.14.1 direct registry L58 `<artifactId>log4j-core</artifactId>`",
            // ${project.groupId} and ${project.version} from <parent>.
            "com.example:orders-model@2.3.0 direct registry L63 `<artifactId>orders-model</artifactId>`",
            "org.yaml:snakeyaml@ direct req=[1.33,2.0) registry L68 `<artifactId>snakeyaml</artifactId>`",
            "com.example:tracing@ direct req=${tracing.version} registry L73 `<artifactId>tracing</artifactId>`",
            "org.projectlombok:lombok@1.18.30 direct dev registry L78 `<artifactId>lombok</artifactId>`",
            "com.oracle:ojdbc@8 direct dev path:${project.basedir}/lib/ojdbc8.jar L84 `<artifactId>ojdbc</artifactId>`",
            "org.junit.jupiter:junit-jupiter@5.10.1 direct dev registry L91 `<artifactId>junit-jupiter</artifactId>`",
            // jackson-databind again (L97): once. A profile's dependency;
            // not the shade plugin's.
            "com.amazonaws:aws-xray-recorder-sdk-core@2.14.0 direct registry L108 \
             `<artifactId>aws-xray-recorder-sdk-core</artifactId>`",
        ]
    );
    assert_eq!(lock.packages[3].purl(), "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
}

#[test]
fn maven_doctype_is_refused() {
    let (lock, text) = read(LockfileKind::PomXml, "maven/xxe/pom.xml", Ecosystem::Maven);
    assert!(lock.packages.is_empty());
    assert_eq!(
        problems(&lock, &text),
        [
            "L2 `<!DOCTYPE`: a `<!DOCTYPE>` in a POM is refused: it can declare entities that read local files or \
          expand without bound (XXE), and Maven does not need it; remove the declaration"
        ]
    );
}

#[test]
fn maven_malformed_xml_keeps_what_it_can() {
    let (lock, text) = read(LockfileKind::PomXml, "maven/broken/pom.xml", Ecosystem::Maven);
    assert_eq!(
        rendered(&lock, &text),
        [
            "com.google.guava:guava@32.1.3-jre direct registry L8 `<artifactId>guava</artifactId>`",
            // `&amp;` decoded; `&nbsp;` (not XML) kept as written.
            "org.example & co:odd&nbsp;name@2.0 direct registry L17 `<artifactId>odd&nbsp;name</artifactId>`",
            "org.slf4j:slf4j-api@2.0.9 direct registry L22 `<artifactId>slf4j-api</artifactId>`",
        ]
    );
    assert_eq!(
        problems(&lock, &text),
        [
            "L17 `&nbsp;`: `&nbsp;` is not one of XML's predefined entities; entities are never expanded here (nor \
             by a safe parser): write the character itself, or `&amp;` for `&`",
            "L26 `</stray>`: `</stray>` closes nothing that is open; remove it or add its start tag",
            "L1 `<project>`: `<project>` is never closed (the file ends first); add `</project>`",
            "L11 `<dependency>`: a `<dependency>` needs `<groupId>` and `<artifactId>`; add the missing one",
        ]
    );
    let (lock, text) = read(LockfileKind::PomXml, "maven/broken/not-a-pom.xml", Ecosystem::Maven);
    assert!(lock.packages.is_empty());
    assert_eq!(
        problems(&lock, &text),
        [
            "L2 `<settings>`: the root element is `<settings>`, not `<project>`: this is not a Maven POM; rename the \
          file if it is something else"
        ]
    );
}

#[test]
fn maven_xml_details() {
    // Prefixed names, attributes with `>` in quotes, CDATA, comments,
    // character references, self-closing elements.
    let text = "<?xml version=\"1.0\"?>\n<pom:project xmlns:pom=\"x\" note=\"a > b\">\n<pom:dependencies>\n\
                <pom:dependency><!-- c --><pom:groupId><![CDATA[org.a]]></pom:groupId>\n\
                <pom:artifactId>b&#45;c&#x2d;d</pom:artifactId><pom:version> 1.0 </pom:version><pom:optional/>\n\
                </pom:dependency></pom:dependencies></pom:project>\n";
    let lock = parse(LockfileKind::PomXml, FileId(0), "pom.xml", text);
    no_problems(&lock, text);
    assert_eq!(
        rendered(&lock, text),
        ["org.a:b-c-d@1.0 direct registry L5 `<pom:artifactId>b&#45;c&#x2d;d</pom:artifactId>`"]
    );
}

#[test]
fn maven_property_expansion_is_bounded() {
    // Each property doubles the previous: resolution stops at a size cap
    // and leaves the version unresolved rather than building gigabytes.
    let mut properties = String::from("<p0>xxxxxxxxxxxxxxxx</p0>");
    for i in 1..64 {
        properties.push_str(&format!("<p{i}>${{p{}}}${{p{}}}</p{i}>", i - 1, i - 1));
    }
    let text = format!(
        "<project><properties>{properties}<self>${{self}}</self></properties><dependencies>\
         <dependency><groupId>g</groupId><artifactId>a</artifactId><version>${{p63}}</version></dependency>\
         <dependency><groupId>g</groupId><artifactId>b</artifactId><version>${{self}}</version></dependency>\
         </dependencies></project>"
    );
    let lock = parse(LockfileKind::PomXml, FileId(0), "pom.xml", &text);
    let versions: Vec<(&str, Option<&str>)> =
        lock.packages.iter().map(|p| (p.version.as_str(), p.requirement.as_deref())).collect();
    assert_eq!(versions, [("", Some("${p63}")), ("", Some("${self}"))]);
}

// --- Gradle ------------------------------------------------------------------

#[test]
fn gradle_lockfile_configurations() {
    let (lock, text) =
        read(LockfileKind::GradleLockfile, "gradle/basic/gradle.lockfile", Ecosystem::Maven);
    no_problems(&lock, &text);
    assert_eq!(
        rendered(&lock, &text),
        [
            "com.amazonaws:aws-lambda-java-core@1.2.3 transitive registry L4 \
             `com.amazonaws:aws-lambda-java-core:1.2.3=compileClasspath,runtimeClasspath`",
            "com.fasterxml.jackson.core:jackson-databind@2.15.3 transitive registry L5 \
             `com.fasterxml.jackson.core:jackson-databind:2.15.3=compileClasspath,runtimeClasspath,testCompileClasspath,testRuntimeClasspath`",
            "org.apiguardian:apiguardian-api@1.1.2 transitive dev registry L6 `org.apiguardian:apiguardian-api:1.1.2=testCompileClasspath`",
            "org.junit.jupiter:junit-jupiter-api@5.10.1 transitive dev registry L7 \
             `org.junit.jupiter:junit-jupiter-api:5.10.1=testCompileClasspath,testRuntimeClasspath`",
            "org.projectlombok:lombok@1.18.30 transitive registry L8 `org.projectlombok:lombok:1.18.30=annotationProcessor,compileClasspath`",
        ]
    );
}

#[test]
fn gradle_per_configuration_lockfile() {
    let rel = "gradle/dependency-locks/testRuntimeClasspath.lockfile";
    assert_eq!(LockfileKind::of_path(rel), Some(LockfileKind::GradleLockfile));
    let (lock, text) = read(LockfileKind::GradleLockfile, rel, Ecosystem::Maven);
    no_problems(&lock, &text);
    assert_eq!(
        rendered(&lock, &text),
        [
            "junit:junit@4.13.2 transitive dev registry L4 `junit:junit:4.13.2`",
            "org.hamcrest:hamcrest-core@1.3 transitive dev registry L5 `org.hamcrest:hamcrest-core:1.3`",
        ]
    );
    // The same lines in a runtime configuration's file are shipped.
    let lock = parse(
        LockfileKind::GradleLockfile,
        FileId(0),
        "gradle/dependency-locks/runtimeClasspath.lockfile",
        &text,
    );
    assert!(lock.packages.iter().all(|p| !p.dev));
}

#[test]
fn gradle_bad_lines() {
    let (lock, text) =
        read(LockfileKind::GradleLockfile, "gradle/broken/gradle.lockfile", Ecosystem::Maven);
    let names: Vec<&str> = lock.packages.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["com.amazonaws:aws-lambda-java-core", "org.slf4j:slf4j-api"]);
    assert_eq!(
        problems(&lock, &text),
        [
            "L2 `com.example:missing-version=runtimeClasspath`: `com.example:missing-version` is not \
             `group:artifact:version`; regenerate it with `gradle dependencies --write-locks`",
            "L3 `com.example::1.0=runtimeClasspath`: `com.example::1.0` has an empty group, artifact or version; \
             regenerate it with `gradle dependencies --write-locks`",
        ]
    );
}

// --- no panic ----------------------------------------------------------------

const FIXTURES: &[(LockfileKind, &str)] = &[
    (LockfileKind::GoSum, "go/basic/go.sum"),
    (LockfileKind::GoSum, "go/broken/go.sum"),
    (LockfileKind::CargoLock, "cargo/v1/Cargo.lock"),
    (LockfileKind::CargoLock, "cargo/v3/Cargo.lock"),
    (LockfileKind::CargoLock, "cargo/v4/Cargo.lock"),
    (LockfileKind::CargoLock, "cargo/broken/missing.lock"),
    (LockfileKind::PomXml, "maven/basic/pom.xml"),
    (LockfileKind::PomXml, "maven/xxe/pom.xml"),
    (LockfileKind::PomXml, "maven/broken/pom.xml"),
    (LockfileKind::GradleLockfile, "gradle/basic/gradle.lockfile"),
    (LockfileKind::GradleLockfile, "gradle/broken/gradle.lockfile"),
];

#[test]
fn truncated_fixtures_do_not_panic() {
    truncated_fixtures_read_safely(FIXTURES);
}

#[test]
fn hostile_inputs_do_not_panic() {
    let deep_xml = format!("<project>{}{}</project>", "<a>".repeat(10_000), "</a>".repeat(10_000));
    let broken_tags = format!("<project>{}", "<a \"".repeat(20_000));
    let stray_closes = "</a".repeat(20_000);
    let inputs = [
        String::new(),
        "<".to_string(),
        "<!".to_string(),
        "<!-".to_string(),
        "<![CDATA[".to_string(),
        "<?".to_string(),
        "</".to_string(),
        "<project><dependencies><dependency><groupId>é</groupId><artifactId>&#xFFFFFFFF;&#;&#x;&"
            .to_string(),
        "<project/><project/>".to_string(),
        "<é><ü/></é>".to_string(),
        deep_xml,
        broken_tags,
        stray_closes,
        "v1 v2 v3\n\t \n h1: h1: h1:\nm v/go.mod h1:x\n".to_string(),
        "=\n:\n::=\nempty\na:b:c=\n".to_string(),
        "[root]\n[[package]]\nname = \"a\"\nversion = \"1\"\ndependencies = [1, \"\", \" \"]\n"
            .to_string(),
        "package = [[1]]\n".to_string(),
    ];
    let kinds = [
        LockfileKind::GoSum,
        LockfileKind::CargoLock,
        LockfileKind::PomXml,
        LockfileKind::GradleLockfile,
    ];
    inputs_read_safely(&kinds, &inputs);
    // Past the depth limit the rest is not read, with a problem saying so.
    let deep = format!("<project>{}", "<a>".repeat(300));
    let lock = parse(LockfileKind::PomXml, FileId(0), "pom.xml", &deep);
    assert!(lock.problems.iter().any(|p| p.message.contains("deeper than 256 levels")));
}

#[test]
fn large_lockfiles() {
    let mut cargo = String::from(
        "version = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\n",
    );
    for i in 0..20_000 {
        cargo.push_str(&format!(" \"crate{i}\",\n"));
    }
    cargo.push_str("]\n");
    for i in 0..20_000 {
        cargo.push_str(&format!(
            "\n[[package]]\nname = \"crate{i}\"\nversion = \"1.0.{i}\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
        ));
    }
    let lock = parse(LockfileKind::CargoLock, FileId(0), "Cargo.lock", &cargo);
    assert_eq!(lock.packages.len(), 20_000);
    assert!(lock.packages.iter().all(|p| p.direct));
    let go: String = (0..100_000).map(|i| format!("example.com/m{i} v1.0.{i} h1:abc=\n")).collect();
    let lock = parse(LockfileKind::GoSum, FileId(0), "go.sum", &go);
    assert_eq!(lock.packages.len(), 100_000);
}
