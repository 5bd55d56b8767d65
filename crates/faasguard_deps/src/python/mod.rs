//! PyPI: requirements files, Pipfile.lock, poetry.lock, uv.lock, pyproject.toml.

pub(crate) mod pipfile_lock;
pub(crate) mod poetry;
pub(crate) mod pyproject;
pub(crate) mod requirements;
pub(crate) mod uv;
