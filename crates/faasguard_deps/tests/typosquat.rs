//! The typo-squat check against the shipped popular-package lists: each
//! kind of imitation, popular names never reported, other ecosystems and
//! odd input.

use faasguard_deps::Ecosystem;
use faasguard_deps::typosquat::{TARGETS, is_popular, resembles_popular};

/// Each `(name, popular)`: `name` is reported as imitating `popular`.
fn imitates(ecosystem: Ecosystem, cases: &[(&str, &str)]) {
    for &(name, popular) in cases {
        assert_eq!(resembles_popular(ecosystem, name), Some(popular), "{ecosystem:?} {name}");
    }
}

/// None of `names` is reported.
fn not_reported(ecosystem: Ecosystem, names: &[&str]) {
    for &name in names {
        assert_eq!(resembles_popular(ecosystem, name), None, "{ecosystem:?} {name}");
    }
}

#[test]
fn one_edit_from_a_popular_name() {
    // Swapped neighbours, a missing letter, a doubled or changed one.
    imitates(
        Ecosystem::PyPI,
        &[
            ("reqeusts", "requests"),
            ("request", "requests"),
            ("urlib3", "urllib3"),
            ("colourama", "colorama"),
            ("numpi", "numpy"),
            ("beautifulsoup5", "beautifulsoup4"),
        ],
    );
    imitates(
        Ecosystem::Npm,
        &[
            ("lodahs", "lodash"),
            ("expres", "express"),
            ("mongose", "mongoose"),
            ("@babel/cor", "@babel/core"),
            ("@types/nodes", "@types/node"),
        ],
    );
}

#[test]
fn look_alike_characters() {
    imitates(Ecosystem::Npm, &[("l0dash", "lodash"), ("cha1k", "chalk")]);
    imitates(Ecosystem::PyPI, &[("djang0", "django"), ("b0t0c0re", "botocore")]);
}

#[test]
fn separators_scopes_and_word_order() {
    imitates(
        Ecosystem::Npm,
        &[("crossenv", "cross-env"), ("types-node", "@types/node"), ("babelcli", "@babel/cli")],
    );
    imitates(
        Ecosystem::PyPI,
        &[
            ("pythondateutil", "python-dateutil"),
            ("dateutil-python", "python-dateutil"),
            ("setup-tools", "setuptools"),
            ("py-yaml", "pyyaml"),
        ],
    );
}

#[test]
fn ecosystem_affixes() {
    imitates(
        Ecosystem::Npm,
        &[
            ("lodash-js", "lodash"),
            ("jquery.js", "jquery"),
            ("reactjs", "react"),
            ("node-axios", "axios"),
        ],
    );
    imitates(Ecosystem::PyPI, &[("python-requests", "requests"), ("requests-py", "requests")]);
}

#[test]
fn popular_names_are_never_reported() {
    not_reported(
        Ecosystem::PyPI,
        &[
            "requests",
            "boto3",
            // Compared as the ecosystem compares names.
            "PyYAML",
            "python_dateutil",
            "Requests",
        ],
    );
    not_reported(Ecosystem::Npm, &["cross-env", "JSONStream"]);
    // Popular names that resemble more popular ones (`pyyml`/`pyyaml`,
    // `fastai`/`fastapi`) are popular in their own right.
    assert!(is_popular(Ecosystem::PyPI, "fastai"));
    not_reported(Ecosystem::PyPI, &["fastai"]);
    for (ecosystem, list) in [
        (Ecosystem::Npm, include_str!("../data/top-npm.txt")),
        (Ecosystem::PyPI, include_str!("../data/top-pypi.txt")),
    ] {
        let names: Vec<&str> = list.lines().filter(|l| !l.starts_with('#')).collect();
        assert!(names.len() > TARGETS, "{ecosystem:?}: {} names", names.len());
        for &name in &names {
            assert!(is_popular(ecosystem, name), "{name}");
        }
        not_reported(ecosystem, &names);
    }
}

#[test]
fn short_and_unrelated_names_are_not_reported() {
    // One edit from a short popular name (`ms`, `qs`): too many legitimate
    // neighbours to say anything.
    not_reported(Ecosystem::Npm, &["mss", "qss"]);
    not_reported(Ecosystem::PyPI, &["faasguard-internal-helpers", "", "é"]);
    not_reported(Ecosystem::Npm, &["@acme/orders-service", "   ", "-", "ŀodash"]);
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
