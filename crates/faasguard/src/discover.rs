//! Finding the files to scan: a parallel walk with the `ignore` crate.
//!
//! The walk respects `.gitignore` and `.ignore` files (also outside a git
//! repository, so a downloaded or unpacked project scans the same), follows
//! symbolic links, and always skips directories that hold dependencies or
//! build output rather than the user's infrastructure code. The one
//! exception to `.gitignore` is `cdk.out`: CDK projects ignore it, yet its
//! `*.template.json` files are the only CloudFormation a CDK app has.
//!
//! The result is sorted, so everything downstream (file ids, finding order)
//! is the same from run to run whatever order the threads visited files in.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::{DirEntry, WalkBuilder, WalkState};

/// Directories never entered: dependencies, build output, VCS metadata,
/// tool state. Scanning them would report problems in code the user does
/// not write (and `.aws-sam/build` duplicates every template).
const SKIPPED_DIRS: &[&str] =
    &["node_modules", ".aws-sam", "site-packages", ".git", "target", ".terraform", ".serverless"];

/// CDK's output directory, walked even when `.gitignore` lists it.
const CDK_OUT: &str = "cdk.out";

/// Extensions of files that may hold infrastructure as code, or files IaC
/// reads (Terraform variable files and `templatefile()` templates). Only
/// these are read; an image or an archive is never a candidate, so it
/// cannot turn into a "binary file" finding.
const CANDIDATE_EXTENSIONS: &[&str] =
    &["yaml", "yml", "json", "template", "tf", "tfvars", "tpl", "tftpl"];

/// Files recognised by name: Serverless Framework configurations written in
/// code (reported with a hint, never executed) and Azure's Python v2
/// programming model.
const CANDIDATE_NAMES: &[&str] =
    &["serverless.ts", "serverless.js", "serverless.mjs", "serverless.cjs", "function_app.py"];

/// Extensions of function code the least-privilege analysis reads
/// (`faasguard_code`): Python, JavaScript and TypeScript. TypeScript
/// declaration files (`.d.ts`) hold no code and are left out.
const CODE_EXTENSIONS: &[&str] = &["py", "js", "mjs", "cjs", "ts", "tsx", "mts", "cts"];

/// A file to read, with the path the user sees.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Candidate {
    /// Path relative to the scan root, `/` separators, no `./`.
    pub(crate) display: String,
    /// Path to open.
    pub(crate) path: PathBuf,
}

/// A directory symbolic link that points back at one of its ancestors.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct SymlinkLoop {
    /// The link, as displayed.
    pub(crate) display: String,
    /// The ancestor it points to, as displayed.
    pub(crate) ancestor: String,
}

/// What the walk found.
#[derive(Debug, Default)]
pub(crate) struct Discovery {
    /// Files that may be IaC, sorted by display path.
    pub(crate) candidates: Vec<Candidate>,
    /// Function code files (see [`is_code_name`]) that are not IaC
    /// candidates, sorted by display path. Never loaded as IaC, so never a
    /// `parse-error`; the scan reads those its apps' code lies in.
    pub(crate) code: Vec<Candidate>,
    /// Lockfiles and dependency manifests (`faasguard_deps`), sorted by
    /// display path; never IaC candidates, even those in JSON or YAML.
    pub(crate) deps: Vec<Candidate>,
    /// Number of files visited (candidates or not).
    pub(crate) files_seen: usize,
    /// Symbolic-link loops met; the walk did not follow them.
    pub(crate) loops: Vec<SymlinkLoop>,
    /// Other problems (an unreadable directory), for stderr.
    pub(crate) warnings: Vec<String>,
}

/// A root to walk and how its paths are shown.
#[derive(Debug, Clone)]
pub(crate) struct Root {
    /// The path as given.
    pub(crate) path: PathBuf,
    /// Prefix of display paths: empty when this is the only root, else the
    /// root as given, so files of different roots never share a name.
    pub(crate) prefix: String,
}

pub(crate) fn is_candidate_name(path: &Path) -> bool {
    let by_extension = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| CANDIDATE_EXTENSIONS.iter().any(|c| c.eq_ignore_ascii_case(e)));
    by_extension
        || path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| CANDIDATE_NAMES.iter().any(|c| c.eq_ignore_ascii_case(n)))
}

/// Whether a file is a lockfile or dependency manifest faasguard reads
/// (`package-lock.json`, `requirements.txt`, `poetry.lock`, ...): by name,
/// with its parent directory for `requirements/*.txt` and Gradle locks.
pub(crate) fn is_dependency_name(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let parent = path.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str()).unwrap_or("");
    faasguard_deps::LockfileKind::of_path(&format!("{parent}/{name}")).is_some()
}

/// Whether a file may be function code: `.py`, `.js`, `.mjs`, `.cjs`,
/// `.ts`, `.tsx`, `.mts`, `.cts`, but not a declaration file (`.d.ts`,
/// `.d.mts`, `.d.cts`).
pub(crate) fn is_code_name(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return false };
    let lower = name.to_ascii_lowercase();
    let Some((stem, ext)) = lower.rsplit_once('.') else { return false };
    !stem.is_empty()
        && CODE_EXTENSIONS.contains(&ext)
        && !(matches!(ext, "ts" | "mts" | "cts") && stem.ends_with(".d"))
}

/// Path relative to the scan root with `/` separators.
pub(crate) fn display_path(rel: &Path) -> String {
    let parts: Vec<String> = rel
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

fn join_display(prefix: &str, rel: &str) -> String {
    match (prefix.is_empty(), rel.is_empty()) {
        (true, _) => rel.to_string(),
        (false, true) => prefix.to_string(),
        (false, false) => format!("{prefix}/{rel}"),
    }
}

#[derive(Default)]
struct Collected {
    candidates: Vec<Candidate>,
    code: Vec<Candidate>,
    deps: Vec<Candidate>,
    files_seen: usize,
    loops: Vec<SymlinkLoop>,
    warnings: Vec<String>,
    /// `cdk.out` directories next to a visited directory, and those the walk entered.
    cdk_out_present: BTreeSet<PathBuf>,
    cdk_out_walked: BTreeSet<PathBuf>,
}

/// Walks every root. Roots must exist (the caller checks, to name a missing
/// one in a usage error).
pub(crate) fn discover(roots: &[Root]) -> Discovery {
    let collected = Mutex::new(Collected::default());
    for root in roots {
        if root.path.is_file() {
            let rel = if root.prefix.is_empty() {
                display_path(Path::new(root.path.file_name().unwrap_or_default()))
            } else {
                String::new()
            };
            let mut c = lock(&collected);
            c.files_seen += 1;
            let display = join_display(&root.prefix, &rel);
            if is_dependency_name(&root.path) {
                c.deps.push(Candidate { display, path: root.path.clone() });
            } else if is_candidate_name(&root.path) {
                c.candidates.push(Candidate { display, path: root.path.clone() });
            } else if is_code_name(&root.path) {
                c.code.push(Candidate { display, path: root.path.clone() });
            }
            continue;
        }
        walk(&root.path, &root.path, &root.prefix, true, &collected);
        // A gitignored cdk.out is invisible to the walk above; walk each one
        // found next to a visited directory on its own, without ignore files.
        let extra: Vec<PathBuf> = {
            let c = lock(&collected);
            c.cdk_out_present.difference(&c.cdk_out_walked).cloned().collect()
        };
        for dir in extra {
            walk(&root.path, &dir, &root.prefix, false, &collected);
        }
        let mut c = lock(&collected);
        c.cdk_out_present.clear();
        c.cdk_out_walked.clear();
    }
    let mut c = collected.into_inner().unwrap_or_else(|e| e.into_inner());
    c.candidates.sort();
    c.candidates.dedup();
    c.code.sort();
    c.code.dedup();
    c.deps.sort();
    c.deps.dedup();
    c.loops.sort();
    c.loops.dedup();
    c.warnings.sort();
    Discovery {
        candidates: c.candidates,
        code: c.code,
        deps: c.deps,
        files_seen: c.files_seen,
        loops: c.loops,
        warnings: c.warnings,
    }
}

/// A worker that panicked cannot leave the list half-written in a way that
/// matters here, so a poisoned lock is used as is.
fn lock(m: &Mutex<Collected>) -> std::sync::MutexGuard<'_, Collected> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn walk(root: &Path, start: &Path, prefix: &str, standard_filters: bool, out: &Mutex<Collected>) {
    let mut builder = WalkBuilder::new(start);
    builder
        .standard_filters(standard_filters)
        // Hidden directories are walked: a template may live in one; the
        // hidden directories that hold no user IaC are in SKIPPED_DIRS.
        .hidden(false)
        // The user's global excludes file would make results differ
        // between machines and CI.
        .git_global(false)
        .require_git(false)
        .follow_links(true)
        .filter_entry(|entry| {
            !(entry.file_type().is_some_and(|t| t.is_dir())
                && entry.depth() > 0
                && entry.file_name().to_str().is_some_and(|n| SKIPPED_DIRS.contains(&n)))
        });
    let rel_of = |p: &Path| -> String {
        let rel = p.strip_prefix(root).unwrap_or(p);
        join_display(prefix, &display_path(rel))
    };
    builder.build_parallel().run(|| {
        Box::new(|result: Result<DirEntry, ignore::Error>| {
            match result {
                Ok(entry) => visit(&entry, &rel_of, out),
                Err(err) => {
                    let mut c = lock(out);
                    match find_loop(&err) {
                        Some((ancestor, child)) => c.loops.push(SymlinkLoop {
                            display: rel_of(child),
                            ancestor: rel_of(ancestor),
                        }),
                        None => c.warnings.push(format!("{err}; skipped")),
                    }
                }
            }
            WalkState::Continue
        })
    });
}

fn visit(entry: &DirEntry, rel_of: &dyn Fn(&Path) -> String, out: &Mutex<Collected>) {
    let Some(file_type) = entry.file_type() else { return };
    let path = entry.path();
    if file_type.is_dir() {
        let is_cdk_out = entry.file_name() == CDK_OUT;
        let cdk_out = path.join(CDK_OUT);
        let present = !is_cdk_out && cdk_out.is_dir();
        if is_cdk_out || present {
            let mut c = lock(out);
            if is_cdk_out {
                c.cdk_out_walked.insert(path.to_path_buf());
            }
            if present {
                c.cdk_out_present.insert(cdk_out);
            }
        }
        return;
    }
    // Only regular files: a FIFO or a device named `template.yaml` would
    // block or never end when read.
    if !file_type.is_file() {
        return;
    }
    let dependency = is_dependency_name(path);
    let candidate = !dependency && is_candidate_name(path);
    let code = !dependency && !candidate && is_code_name(path);
    let mut c = lock(out);
    c.files_seen += 1;
    if dependency {
        c.deps.push(Candidate { display: rel_of(path), path: path.to_path_buf() });
    } else if candidate {
        c.candidates.push(Candidate { display: rel_of(path), path: path.to_path_buf() });
    } else if code {
        c.code.push(Candidate { display: rel_of(path), path: path.to_path_buf() });
    }
}

/// The loop inside an error, however deeply `ignore` wrapped it.
fn find_loop(err: &ignore::Error) -> Option<(&Path, &Path)> {
    match err {
        ignore::Error::Loop { ancestor, child } => Some((ancestor, child)),
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => find_loop(err),
        ignore::Error::Partial(errs) => errs.iter().find_map(find_loop),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_by_extension_only() {
        assert!(is_candidate_name(Path::new("a/template.YAML")));
        assert!(is_candidate_name(Path::new("cdk.out/App.template.json")));
        assert!(is_candidate_name(Path::new("stack.template")));
        assert!(is_candidate_name(Path::new("infra/main.tf")));
        assert!(is_candidate_name(Path::new("serverless.ts")));
        assert!(!is_candidate_name(Path::new("src/handler.ts")));
        assert!(!is_candidate_name(Path::new("logo.png")));
        assert!(!is_candidate_name(Path::new("Makefile")));
    }

    #[test]
    fn code_files_by_extension_without_declarations() {
        for name in ["app.py", "src/index.js", "a.mjs", "a.cjs", "h.ts", "v.TSX", "m.mts", "c.cts"]
        {
            assert!(is_code_name(Path::new(name)), "{name}");
        }
        for name in
            ["types.d.ts", "x.D.TS", "y.d.mts", "README.md", "template.yaml", ".py", "Makefile"]
        {
            assert!(!is_code_name(Path::new(name)), "{name}");
        }
    }

    #[test]
    fn display_paths_use_slashes_without_dot() {
        assert_eq!(display_path(Path::new("./a/b.yaml")), "a/b.yaml");
        assert_eq!(join_display("infra", "a.yaml"), "infra/a.yaml");
        assert_eq!(join_display("", "a.yaml"), "a.yaml");
    }

    #[test]
    fn nested_loop_errors_are_found() {
        let err = ignore::Error::WithDepth {
            depth: 2,
            err: Box::new(ignore::Error::Loop {
                ancestor: PathBuf::from("a"),
                child: PathBuf::from("a/b/link"),
            }),
        };
        assert_eq!(find_loop(&err), Some((Path::new("a"), Path::new("a/b/link"))));
        assert!(find_loop(&ignore::Error::Io(std::io::Error::other("x"))).is_none());
    }
}
