//! Go, Cargo and Maven: go.sum, Cargo.lock, pom.xml, Gradle lockfiles.

pub(crate) mod cargo_lock;
pub(crate) mod go_sum;
pub(crate) mod gradle;
pub(crate) mod maven;
