//! npm: package-lock.json and npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml, package.json.

mod entries;
pub(crate) mod package_json;
pub(crate) mod package_lock;
pub(crate) mod pnpm;
mod spec;
pub(crate) mod yarn;
