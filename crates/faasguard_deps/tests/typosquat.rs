//! The typo-squat check against the shipped popular-package lists: each
//! kind of imitation, popular names never reported, other ecosystems and
//! odd input.

use faasguard_deps::Ecosystem;
use faasguard_deps::typosquat::{TARGETS, is_popular, resembles_popular};

fn pypi(name: &str) -> Option<&'static str> {
    resembles_popular(Ecosystem::PyPI, name)
}

fn npm(name: &str) -> Option<&'static str> {
    resembles_popular(Ecosystem::Npm, name)
}

#[test]
fn one_edit_from_a_popular_name() {
    // Swapped neighbours, a missing letter, a doubled or changed one.
    assert_eq!(pypi("reqeusts"), Some("requests"));
    assert_eq!(pypi("request"), Some("requests"));
    assert_eq!(pypi("urlib3"), Some("urllib3"));
    assert_eq!(pypi("colourama"), Some("colorama"));
    assert_eq!(pypi("numpi"), Some("numpy"));
    assert_eq!(pypi("beautifulsoup5"), Some("beautifulsoup4"));
    assert_eq!(npm("lodahs"), Some("lodash"));
    assert_eq!(npm("expres"), Some("express"));
    assert_eq!(npm("mongose"), Some("mongoose"));
    assert_eq!(npm("@babel/cor"), Some("@babel/core"));
    assert_eq!(npm("@types/nodes"), Some("@types/node"));
}

#[test]
fn look_alike_characters() {
    assert_eq!(npm("l0dash"), Some("lodash"));
    assert_eq!(npm("cha1k"), Some("chalk"));
    assert_eq!(pypi("djang0"), Some("django"));
    assert_eq!(pypi("b0t0c0re"), Some("botocore"));
}

#[test]
fn separators_scopes_and_word_order() {
    assert_eq!(npm("crossenv"), Some("cross-env"));
    assert_eq!(npm("types-node"), Some("@types/node"));
    assert_eq!(npm("babelcli"), Some("@babel/cli"));
    assert_eq!(pypi("pythondateutil"), Some("python-dateutil"));
    assert_eq!(pypi("dateutil-python"), Some("python-dateutil"));
    assert_eq!(pypi("setup-tools"), Some("setuptools"));
    assert_eq!(pypi("py-yaml"), Some("pyyaml"));
}

#[test]
fn ecosystem_affixes() {
    assert_eq!(npm("lodash-js"), Some("lodash"));
    assert_eq!(npm("jquery.js"), Some("jquery"));
    assert_eq!(npm("reactjs"), Some("react"));
    assert_eq!(npm("node-axios"), Some("axios"));
    assert_eq!(pypi("python-requests"), Some("requests"));
    assert_eq!(pypi("requests-py"), Some("requests"));
}

#[test]
fn popular_names_are_never_reported() {
    assert_eq!(pypi("requests"), None);
    assert_eq!(pypi("boto3"), None);
    // Compared as the ecosystem compares names.
    assert_eq!(pypi("PyYAML"), None);
    assert_eq!(pypi("python_dateutil"), None);
    assert_eq!(pypi("Requests"), None);
    assert_eq!(npm("cross-env"), None);
    assert_eq!(npm("JSONStream"), None);
    // Popular names that resemble more popular ones (`pyyml`/`pyyaml`,
    // `fastai`/`fastapi`) are popular in their own right.
    assert!(is_popular(Ecosystem::PyPI, "fastai"));
    assert_eq!(pypi("fastai"), None);
    for (ecosystem, list) in [
        (Ecosystem::Npm, include_str!("../data/top-npm.txt")),
        (Ecosystem::PyPI, include_str!("../data/top-pypi.txt")),
    ] {
        let names: Vec<&str> = list.lines().filter(|l| !l.starts_with('#')).collect();
        assert!(names.len() > TARGETS, "{ecosystem:?}: {} names", names.len());
        for name in names {
            assert!(is_popular(ecosystem, name), "{name}");
            assert_eq!(resembles_popular(ecosystem, name), None, "{name}");
        }
    }
}

#[test]
fn short_and_unrelated_names_are_not_reported() {
    // One edit from a short popular name (`ms`, `qs`): too many legitimate
    // neighbours to say anything.
    assert_eq!(npm("mss"), None);
    assert_eq!(npm("qss"), None);
    assert_eq!(pypi("faasguard-internal-helpers"), None);
    assert_eq!(npm("@acme/orders-service"), None);
    assert_eq!(pypi(""), None);
    assert_eq!(npm("   "), None);
    assert_eq!(npm("-"), None);
    assert_eq!(pypi("é"), None);
    assert_eq!(npm("ŀodash"), None);
}

#[test]
fn ecosystems_without_a_list() {
    for ecosystem in [Ecosystem::Go, Ecosystem::CratesIo, Ecosystem::Maven] {
        assert_eq!(resembles_popular(ecosystem, "reqeusts"), None);
        assert!(!is_popular(ecosystem, "requests"));
    }
}

#[test]
fn many_lookups() {
    // 100,000 names of the shapes a scan meets (timing is reported by
    // hand, not asserted: see the module docs).
    let mut flagged = 0;
    for i in 0..100_000u32 {
        let name = match i % 4 {
            0 => format!("package-{i}"),
            1 => format!("@scope{}/lib-{i}", i % 97),
            2 => "reqeusts".to_string(),
            _ => format!("lodash{i}"),
        };
        let ecosystem = if i % 2 == 0 { Ecosystem::PyPI } else { Ecosystem::Npm };
        if resembles_popular(ecosystem, &name).is_some() {
            flagged += 1;
        }
    }
    // Every `reqeusts`; `lodash<N>` is more than one edit from `lodash`
    // once N has two digits.
    assert!((25_000..25_100).contains(&flagged), "{flagged}");
}
