//! `requirements*.txt`: pip's requirements file format.
//!
//! Read the way pip reads it (`pip/_internal/req/req_file.py`): physical
//! lines ending in `\` are joined first, then a `#` at the start of a line
//! or after whitespace starts a comment (so `url#egg=name` is not one),
//! then a line is either options (`-r`, `-e`, `--index-url`, ...) or a
//! requirement followed by per-requirement options (`--hash=...`).
//!
//! A requirement is PEP 508 (`name[extras] specifiers ; marker` or
//! `name @ url`) or, as pip also allows, a bare URL or path whose package
//! name comes from `#egg=` or the wheel or sdist file name. Only `==` (not a
//! wildcard) and `===` pin a version; anything else is kept as the
//! requirement with an empty version. Names are kept as written; callers
//! compare them with [`Ecosystem::normalize`].
//!
//! Files written by pip-compile (or `uv pip compile`) say why each package
//! is there (`# via flask`, `# via -r requirements.in`): a package listed
//! only because other packages of the file need it is transitive, and those
//! packages get it as a dependency. Without such comments every line is
//! direct, since someone wrote it.
//!
//! A line that cannot be read becomes a [`Problem`]; the other lines are
//! still read.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use faasguard_source::Span;

use crate::{Ecosystem, Lockfile, Package, Problem, Source};

pub(crate) fn parse(text: &str, lock: &mut Lockfile) {
    let mut reader =
        Reader { lock, seen: HashMap::new(), vias: HashMap::new(), via_pkg: None, via_open: false };
    let mut pending: Option<Logical> = None;
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.strip_suffix('\n').unwrap_or(raw);
        let line = line.strip_suffix('\r').unwrap_or(line);
        let comment_line = line.trim_start().starts_with('#');
        match line.strip_suffix('\\') {
            Some(body) if !comment_line => {
                pending.get_or_insert_with(Logical::default).push(start, body);
            }
            _ => {
                if let Some(mut joined) = pending.take() {
                    // A comment line ends a continuation (pip does the same):
                    // the joined line is read, then the comment on its own.
                    if comment_line {
                        reader.line(&joined);
                        reader.line(&Logical::single(start, line));
                    } else {
                        joined.push(start, line);
                        reader.line(&joined);
                    }
                } else {
                    reader.line(&Logical::single(start, line));
                }
            }
        }
    }
    if let Some(joined) = pending {
        reader.line(&joined);
    }
    reader.finish();
}

/// A logical line: one or more physical lines joined as pip joins them,
/// with the map from positions in the joined text back to the file.
#[derive(Default)]
struct Logical {
    text: String,
    /// `(offset in text, offset in the file)` where each joined piece starts.
    pieces: Vec<(usize, usize)>,
}

impl Logical {
    fn single(at: usize, line: &str) -> Logical {
        Logical { text: line.to_string(), pieces: vec![(0, at)] }
    }

    fn push(&mut self, at: usize, piece: &str) {
        self.pieces.push((self.text.len(), at));
        self.text.push_str(piece);
    }

    /// The file offset of a position in the joined text, as a start.
    fn start(&self, pos: usize) -> usize {
        // Pieces are in order: a binary search keeps a line of thousands of
        // continuations linear to read.
        let after = self.pieces.partition_point(|(joined, _)| *joined <= pos);
        let piece = after.checked_sub(1).and_then(|i| self.pieces.get(i));
        piece.map_or(pos, |(joined, file)| file + (pos - joined))
    }

    /// The file offset of a position in the joined text, as an end: a
    /// range ending where a piece ends stays on that piece's line.
    fn end(&self, pos: usize) -> usize {
        let after = self.pieces.partition_point(|(joined, _)| *joined < pos);
        let piece = after.checked_sub(1).and_then(|i| self.pieces.get(i));
        piece.map_or_else(|| self.start(pos), |(joined, file)| file + (pos - joined))
    }

    fn span(&self, file: faasguard_source::FileId, range: Range<usize>) -> Span {
        Span::new(file, self.start(range.start), self.end(range.end))
    }

    /// Where the comment starts: `#` at the start or after whitespace.
    fn comment_start(&self) -> Option<usize> {
        let bytes = self.text.as_bytes();
        (0..bytes.len())
            .find(|&i| bytes[i] == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()))
    }
}

/// What an option does in a requirements file.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Opt {
    /// `-r`, `-c`: another file.
    Include,
    /// `-e`: an editable requirement (a path or a VCS URL).
    Editable,
    /// Options with a value that change where pip looks, not what it installs.
    Ignored,
    /// Options without a value.
    Flag,
    /// Per-requirement options (`--hash`, `--config-settings`).
    PerRequirement,
    /// `--hash`, checked for its form.
    Hash,
}

/// The options pip accepts in a requirements file.
fn option(name: &str) -> Option<Opt> {
    Some(match name {
        "-r" | "--requirement" | "-c" | "--constraint" => Opt::Include,
        "-e" | "--editable" => Opt::Editable,
        "-i" | "--index-url" | "--extra-index-url" | "-f" | "--find-links" | "--trusted-host"
        | "--no-binary" | "--only-binary" | "--use-feature" => Opt::Ignored,
        "--no-index" | "--pre" | "--prefer-binary" | "--require-hashes" => Opt::Flag,
        "--global-option" | "--install-option" | "--config-settings" | "-C" => Opt::PerRequirement,
        "--hash" => Opt::Hash,
        _ => return None,
    })
}

struct Reader<'l> {
    lock: &'l mut Lockfile,
    /// Packages already listed, by (normalized name, version, requirement, source).
    seen: HashMap<(String, String, Option<String>, Source), usize>,
    /// pip-compile's `# via` entries, by package index.
    vias: HashMap<usize, Vec<String>>,
    /// The package the comment lines below belong to.
    via_pkg: Option<usize>,
    /// Inside a multi-line `# via` block.
    via_open: bool,
}

impl Reader<'_> {
    fn problem(&mut self, span: Span, message: String) {
        self.lock.problems.push(Problem { span, message });
    }

    fn line(&mut self, line: &Logical) {
        let comment_at = line.comment_start();
        let code = &line.text[..comment_at.unwrap_or(line.text.len())];
        let comment = comment_at.map(|at| &line.text[at + 1..]);
        let tokens = tokens(code);
        let Some(&(first, _)) = tokens.first() else {
            self.comment_only(line, comment);
            return;
        };
        self.via_open = false;
        self.via_pkg = None;
        if code[first..].starts_with('-') {
            self.options(line, code, &tokens, false);
            return;
        }
        let count = tokens.iter().take_while(|(s, _)| !code[*s..].starts_with('-')).count();
        let req_end = tokens[count - 1].1;
        let added = self.requirement(line, code, first..req_end, false);
        if count < tokens.len() {
            self.options(line, code, &tokens[count..], true);
        }
        self.via_pkg = added;
        if let (Some(index), Some(comment)) = (added, comment)
            && let Some(rest) = via_rest(comment)
        {
            if rest.is_empty() {
                self.via_open = true;
            } else {
                let entries = rest.split(',').map(|e| e.trim().to_string());
                self.vias.entry(index).or_default().extend(entries.filter(|e| !e.is_empty()));
            }
        }
    }

    /// A line with nothing but a comment (or nothing at all): pip-compile's
    /// annotations below a requirement.
    fn comment_only(&mut self, line: &Logical, comment: Option<&str>) {
        let Some(comment) = comment else {
            self.via_pkg = None;
            self.via_open = false;
            return;
        };
        let indented = line.text.starts_with(|c: char| c.is_ascii_whitespace());
        let Some(index) = self.via_pkg else { return };
        if let Some(rest) = via_rest(comment) {
            if rest.is_empty() {
                self.via_open = true;
            } else {
                self.via_open = false;
                let entries = rest.split(',').map(|e| e.trim().to_string());
                self.vias.entry(index).or_default().extend(entries.filter(|e| !e.is_empty()));
            }
            return;
        }
        let entry = comment.trim();
        if self.via_open && indented && !entry.is_empty() {
            self.vias.entry(index).or_default().push(entry.to_string());
        } else {
            self.via_open = false;
            if !indented {
                self.via_pkg = None;
            }
        }
    }

    /// Options, on a line of their own or (`after_requirement`) after one.
    fn options(
        &mut self,
        line: &Logical,
        code: &str,
        tokens: &[(usize, usize)],
        after_requirement: bool,
    ) {
        let file = self.lock.file;
        let mut i = 0;
        while i < tokens.len() {
            let (start, end) = tokens[i];
            let token = &code[start..end];
            i += 1;
            if !token.starts_with('-') {
                self.problem(
                    line.span(file, start..end),
                    format!(
                        "unexpected `{token}` after the options: pip reads a line as a requirement \
                         followed by options, or options alone; put the requirement first or on \
                         its own line"
                    ),
                );
                return;
            }
            // `--name=value`, `--name value`, `-rvalue`, `-r value`.
            let (name, inline) = if token.starts_with("--") {
                match token.find('=') {
                    Some(eq) => (&token[..eq], Some(start + eq + 1)),
                    None => (token, None),
                }
            } else if token.len() > 2 && token.is_char_boundary(2) {
                (&token[..2], Some(start + 2))
            } else {
                (token, None)
            };
            let Some(kind) = option(name) else {
                self.problem(
                    line.span(file, start..end),
                    format!(
                        "`{name}` is not an option pip accepts in a requirements file; remove it \
                         or fix its spelling (see `pip install --help`)"
                    ),
                );
                return;
            };
            if kind == Opt::Flag {
                if inline.is_some() && token.starts_with("--") {
                    self.problem(
                        line.span(file, start..end),
                        format!("`{name}` takes no value; write it alone"),
                    );
                }
                continue;
            }
            let value = match inline {
                Some(at) => Some(at..end),
                None => tokens.get(i).map(|&(s, e)| {
                    i += 1;
                    s..e
                }),
            };
            let Some(value) = value.filter(|v| !v.is_empty()) else {
                self.problem(
                    line.span(file, start..end),
                    format!("`{name}` needs a value (`{name} VALUE`); add it or remove the option"),
                );
                return;
            };
            let span = line.span(file, value.clone());
            let text = &code[value.clone()];
            let misplaced = match kind {
                Opt::Include | Opt::Editable | Opt::Ignored => after_requirement,
                Opt::PerRequirement | Opt::Hash => !after_requirement,
                Opt::Flag => false,
            };
            if misplaced {
                let where_ = if after_requirement {
                    "on a line of its own, not after a requirement"
                } else {
                    "after the requirement it applies to, on the same (continued) line"
                };
                self.problem(
                    line.span(file, start..value.end),
                    format!("`{name}` belongs {where_}; move it there"),
                );
                continue;
            }
            match kind {
                Opt::Include => self.lock.includes.push((text.to_string(), span)),
                Opt::Editable => {
                    self.requirement(line, code, value, true);
                }
                Opt::Hash => {
                    if !valid_hash(text) {
                        self.problem(
                            span,
                            format!(
                                "`{text}` is not a hash pip accepts (`sha256:`, `sha384:` or \
                                 `sha512:` followed by hex digits); regenerate the hashes with \
                                 `pip-compile --generate-hashes` or `pip hash`"
                            ),
                        );
                    }
                }
                Opt::Ignored | Opt::PerRequirement | Opt::Flag => {}
            }
        }
    }

    /// One requirement at `range` of `code`; returns the index of its package.
    fn requirement(
        &mut self,
        line: &Logical,
        code: &str,
        range: Range<usize>,
        editable: bool,
    ) -> Option<usize> {
        let file = self.lock.file;
        let text = &code[range.clone()];
        let span = line.span(file, range.clone());
        let read = if looks_like_url_or_path(text) {
            url_requirement(text, editable)
        } else if editable {
            Err(ReqError {
                at: 0..text.len(),
                message: format!(
                    "`-e {text}` is neither a local path nor a VCS URL; editable installs \
                     take `-e ./path` or `-e git+https://...#egg=name`"
                ),
            })
        } else {
            named_requirement(text)
        };
        let read = match read {
            Ok(Some(read)) => read,
            Ok(None) => return None,
            Err(err) => {
                let at = range.start + err.at.start..range.start + err.at.end;
                self.problem(
                    line.span(file, at),
                    format!(
                        "cannot read requirement `{text}`: {}; pip refuses the whole file until \
                         this line is fixed (the other lines were read)",
                        err.message
                    ),
                );
                return None;
            }
        };
        let key = (
            Ecosystem::PyPI.normalize(&read.name),
            read.version.clone(),
            read.requirement.clone(),
            read.source.clone(),
        );
        if let Some(&index) = self.seen.get(&key) {
            return Some(index);
        }
        let index = self.lock.packages.len();
        self.seen.insert(key, index);
        self.lock.packages.push(Package {
            name: read.name,
            version: read.version,
            requirement: read.requirement,
            ecosystem: Ecosystem::PyPI,
            direct: true,
            dev: false,
            source: read.source,
            install_script: false,
            dependencies: Vec::new(),
            span,
        });
        Some(index)
    }

    /// Applies pip-compile's `# via` annotations: a package that is there
    /// only for packages of this file is transitive, and theirs.
    fn finish(self) {
        let packages = &mut self.lock.packages;
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, package) in packages.iter().enumerate() {
            by_name.entry(Ecosystem::PyPI.normalize(&package.name)).or_default().push(index);
        }
        let mut vias: Vec<(usize, Vec<String>)> = self.vias.into_iter().collect();
        vias.sort();
        for (child, entries) in vias {
            let mut direct = false;
            let mut parents = Vec::new();
            for entry in &entries {
                if entry.starts_with("-c") || entry.starts_with("--constraint") {
                    continue;
                }
                match by_name.get(&Ecosystem::PyPI.normalize(entry)) {
                    Some(found) => parents.extend(found.iter().copied().filter(|&p| p != child)),
                    // `-r requirements.in`, `myapp (pyproject.toml)`, `-e .`:
                    // the project asked for it.
                    None => direct = true,
                }
            }
            let Some(package) = packages.get_mut(child) else { continue };
            package.direct = direct;
            let dependency = (
                package.name.clone(),
                if package.version.is_empty() {
                    package.requirement.clone().unwrap_or_default()
                } else {
                    package.version.clone()
                },
            );
            let mut done = HashSet::new();
            for parent in parents {
                if done.insert(parent)
                    && let Some(parent) = packages.get_mut(parent)
                    && !parent.dependencies.contains(&dependency)
                {
                    parent.dependencies.push(dependency.clone());
                }
            }
        }
    }
}

/// The text after `via` in a pip-compile annotation, or `None`.
fn via_rest(comment: &str) -> Option<&str> {
    let comment = comment.trim();
    let rest = comment.strip_prefix("via")?;
    if rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_whitespace()) {
        Some(rest.trim())
    } else {
        None
    }
}

/// Whitespace-separated tokens as byte ranges.
fn tokens(code: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in code.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                out.push((s, i));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push((s, code.len()));
    }
    out
}

fn valid_hash(text: &str) -> bool {
    let Some((algo, digest)) = text.split_once(':') else { return false };
    let len = match algo {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return false,
    };
    digest.len() == len && digest.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A requirement read from a line.
struct Read {
    name: String,
    version: String,
    requirement: Option<String>,
    source: Source,
}

/// Why a requirement could not be read; `at` is relative to its text.
pub(crate) struct ReqError {
    pub(crate) at: Range<usize>,
    pub(crate) message: String,
}

/// `name[extras] specifiers ; marker` or `name @ url ; marker`.
fn named_requirement(text: &str) -> Result<Option<Read>, ReqError> {
    let req = parse_pep508(text)?;
    let name = req.name.to_string();
    if let Some(url) = req.url {
        let version = file_name_version(url).map(|(_, v)| v).unwrap_or_default();
        return Ok(Some(Read { name, version, requirement: None, source: url_source(url) }));
    }
    let (version, requirement) = match exact_version(req.spec) {
        Some(version) if !req.spec.contains(',') => (version.to_string(), None),
        Some(version) => (version.to_string(), Some(req.spec.to_string())),
        None if req.spec.is_empty() => (String::new(), Some(ANY.to_string())),
        None => (String::new(), Some(req.spec.to_string())),
    };
    Ok(Some(Read { name, version, requirement, source: Source::Registry }))
}

/// The requirement recorded for a name without specifiers: any version.
pub(crate) const ANY: &str = "*";

/// A bare URL or path (pip's `req_file` allows them), for `-e` too.
fn url_requirement(text: &str, editable: bool) -> Result<Option<Read>, ReqError> {
    // pip splits a URL's marker at "; " (a `;` inside a URL is legal).
    let location = text.split_once("; ").map_or(text, |(l, _)| l).trim_end();
    // `./pkg[extra]`: extras after a path.
    let location = match location.strip_suffix(']').and_then(|l| l.rfind('[').map(|at| &l[..at])) {
        Some(stripped) if !stripped.is_empty() => stripped,
        _ => location,
    };
    let source = url_source(location);
    let from_file = file_name_version(location);
    let name = egg_name(location)
        .map(str::to_string)
        .or_else(|| from_file.as_ref().map(|(n, _)| n.clone()))
        .or_else(|| match &source {
            Source::Path { path } => local_dir_name(path),
            _ => None,
        });
    let Some(name) = name else {
        if matches!(&source, Source::Path { path } if is_project_itself(path)) {
            // `-e .` / `.`: the project itself, not a dependency.
            return Ok(None);
        }
        return Err(ReqError {
            at: 0..location.len(),
            message: format!(
                "cannot tell which package `{location}` installs; write it as `name @ {location}` \
                 or add `#egg=name`"
            ),
        });
    };
    if !valid_name(&name) {
        return Err(ReqError {
            at: 0..location.len(),
            message: format!("`{name}` is not a valid package name"),
        });
    }
    let version =
        if editable { String::new() } else { from_file.map(|(_, v)| v).unwrap_or_default() };
    Ok(Some(Read { name, version, requirement: None, source }))
}

fn is_project_itself(path: &str) -> bool {
    matches!(path.trim_end_matches(['/', '\\']), "." | "")
}

/// Whether pip reads the requirement as a URL or a path rather than PEP 508.
fn looks_like_url_or_path(text: &str) -> bool {
    let head = text.split(|c: char| c.is_whitespace() || c == ';').next().unwrap_or("");
    if let Some((scheme, _)) = head.split_once("://")
        && !scheme.is_empty()
        && scheme.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
    {
        return true;
    }
    if head.starts_with(['.', '/', '\\', '~']) || head.starts_with("file:") {
        return true;
    }
    let before_spec = head.split(['=', '<', '>', '!', '~', '@', '[', '(']).next().unwrap_or("");
    before_spec.contains(['/', '\\']) || archive_stem(before_spec).is_some()
}

/// The source of a URL or path.
pub(crate) fn url_source(url: &str) -> Source {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("git+") || lower.starts_with("git://") {
        Source::Git { url: url.to_string() }
    } else if let Some(path) = lower.starts_with("file:").then(|| &url[5..]) {
        let path = path.strip_prefix("//").unwrap_or(path);
        Source::Path { path: path.to_string() }
    } else if lower.contains("://") {
        Source::Url { url: url.to_string() }
    } else {
        Source::Path { path: url.to_string() }
    }
}

/// `#egg=name` in a URL's fragment.
fn egg_name(url: &str) -> Option<&str> {
    let (_, fragment) = url.split_once('#')?;
    fragment.split('&').find_map(|part| {
        let name = part.strip_prefix("egg=")?;
        let name = name.split('[').next().unwrap_or(name);
        (!name.is_empty()).then_some(name)
    })
}

/// The file name of an archive without its extension.
fn archive_stem(file: &str) -> Option<(&str, bool)> {
    let lower = file.to_ascii_lowercase();
    if lower.ends_with(".whl") {
        return Some((&file[..file.len() - 4], true));
    }
    for ext in [".tar.gz", ".tar.bz2", ".tar.xz", ".tgz", ".tar", ".zip"] {
        if lower.ends_with(ext) {
            return Some((&file[..file.len() - ext.len()], false));
        }
    }
    None
}

/// `(name, version)` from a wheel (`name-1.0-py3-none-any.whl`) or sdist
/// (`name-1.0.tar.gz`) file name at the end of a URL or path.
pub(crate) fn file_name_version(url: &str) -> Option<(String, String)> {
    let path = url.split(['#', '?']).next().unwrap_or(url);
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let (stem, wheel) = archive_stem(file)?;
    let (name, version) = if wheel {
        let mut parts = stem.split('-');
        let name = parts.next()?;
        let version = parts.next()?;
        // name, version, [build,] python, abi, platform
        if parts.count() < 3 {
            return None;
        }
        (name, version)
    } else {
        let dash = stem
            .char_indices()
            .rev()
            .find(|&(i, c)| c == '-' && stem[i + 1..].starts_with(|d: char| d.is_ascii_digit()))?;
        (&stem[..dash.0], &stem[dash.0 + 1..])
    };
    (valid_name(name) && !version.is_empty()).then(|| (name.to_string(), version.to_string()))
}

/// The package name a local directory stands for: its last component.
fn local_dir_name(path: &str) -> Option<String> {
    let last = path
        .trim_end_matches(['/', '\\'])
        .rsplit(['/', '\\'])
        .find(|c| !c.is_empty() && *c != "." && *c != "..")?;
    valid_name(last).then(|| last.to_string())
}

/// A PEP 508 name: letters, digits, `.`, `_`, `-`, starting and ending
/// with a letter or digit.
pub(crate) fn valid_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => {
            first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && bytes
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        }
        _ => false,
    }
}

/// A PEP 508 requirement, borrowed from its text.
pub(crate) struct Pep508<'a> {
    pub(crate) name: &'a str,
    /// Version specifiers as written, without parentheses; empty for none.
    pub(crate) spec: &'a str,
    pub(crate) url: Option<&'a str>,
}

/// Parses a PEP 508 requirement (`name[extras] (specifiers) ; marker` or
/// `name[extras] @ url ; marker`). Markers are not evaluated: which
/// interpreter the function runs on is not known here.
pub(crate) fn parse_pep508(text: &str) -> Result<Pep508<'_>, ReqError> {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let skip_ws = |mut i: usize| {
        while i < n && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    let err = |at: Range<usize>, message: String| Err(ReqError { at, message });
    let mut i = skip_ws(0);
    let name_start = i;
    while i < n && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'.' | b'_' | b'-')) {
        i += 1;
    }
    let name = &text[name_start..i];
    if name.is_empty() {
        let end =
            text[name_start..].chars().next().map_or(name_start, |c| name_start + c.len_utf8());
        return err(name_start..end, "expected a package name first (`name==1.0`)".to_string());
    }
    if !valid_name(name) {
        return err(
            name_start..i,
            format!(
                "`{name}` is not a valid package name (it must start and end with a letter or digit)"
            ),
        );
    }
    i = skip_ws(i);
    if i < n && bytes[i] == b'[' {
        let Some(close) = text[i..].find(']').map(|c| i + c) else {
            return err(i..n, "`[` opens extras that are never closed; add `]`".to_string());
        };
        for extra in text[i + 1..close].split(',') {
            let extra = extra.trim();
            if !extra.is_empty() && !valid_name(extra) {
                return err(i..close + 1, format!("`{extra}` is not a valid extra name"));
            }
        }
        i = skip_ws(close + 1);
    }
    if i < n && bytes[i] == b'@' {
        i = skip_ws(i + 1);
        let url_start = i;
        while i < n && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if url_start == i {
            return err(
                url_start.saturating_sub(1)..url_start,
                "`@` must be followed by a URL".to_string(),
            );
        }
        let url = &text[url_start..i];
        i = skip_ws(i);
        if i < n && bytes[i] != b';' {
            return err(
                i..n,
                "only an environment marker (`; python_version < \"3.8\"`) may follow the URL"
                    .to_string(),
            );
        }
        check_marker(text, i)?;
        return Ok(Pep508 { name, spec: "", url: Some(url) });
    }
    let (spec_range, after) = if i < n && bytes[i] == b'(' {
        let Some(close) = text[i..].find(')').map(|c| i + c) else {
            return err(
                i..n,
                "`(` opens version specifiers that are never closed; add `)`".to_string(),
            );
        };
        (i + 1..close, skip_ws(close + 1))
    } else {
        let end = text[i..].find(';').map_or(n, |c| i + c);
        (i..end, end)
    };
    check_specifiers(&text[spec_range.clone()], spec_range.start)?;
    if after < n && bytes[after] != b';' {
        return err(
            after..n,
            format!("unexpected `{}` after the version specifiers", &text[after..]),
        );
    }
    check_marker(text, after)?;
    Ok(Pep508 { name, spec: text[spec_range].trim(), url: None })
}

/// A marker after `;` at `at` (when there is one) must say something.
fn check_marker(text: &str, at: usize) -> Result<(), ReqError> {
    if at < text.len() && text[at + 1..].trim().is_empty() {
        return Err(ReqError {
            at: at..at + 1,
            message:
                "`;` must be followed by an environment marker such as `python_version < \"3.8\"`"
                    .to_string(),
        });
    }
    Ok(())
}

const OPERATORS: [&str; 8] = ["===", "~=", "==", "!=", "<=", ">=", "<", ">"];

/// Checks comma-separated PEP 440 specifiers (`>=2.0, <3`); `base` is the
/// offset of `spec` in the requirement, for the error's position.
pub(crate) fn check_specifiers(spec: &str, base: usize) -> Result<(), ReqError> {
    if spec.trim().is_empty() {
        return Ok(());
    }
    let mut offset = base;
    for clause in spec.split(',') {
        let lead = clause.len() - clause.trim_start().len();
        let trimmed = clause.trim();
        let at = if trimmed.is_empty() {
            // Point at the comma after the empty clause (or before it, last).
            let comma = offset + clause.len();
            if comma < base + spec.len() {
                comma..comma + 1
            } else {
                offset.saturating_sub(1)..offset
            }
        } else {
            offset + lead..offset + lead + trimmed.len()
        };
        offset += clause.len() + 1;
        let fail = |message: String| Err(ReqError { at: at.clone(), message });
        if trimmed.is_empty() {
            return fail("an empty version clause (a stray comma); remove it".to_string());
        }
        let Some(op) = OPERATORS.iter().find(|op| trimmed.starts_with(**op)) else {
            if let Some(rest) = trimmed.strip_prefix('=') {
                return fail(format!("`=` is not a version operator; write `=={}`", rest.trim()));
            }
            return fail(format!(
                "expected a version operator (`==`, `>=`, `~=`, ...) before `{trimmed}`"
            ));
        };
        let version = trimmed[op.len()..].trim();
        if version.is_empty() {
            return fail(format!("`{op}` needs a version"));
        }
        let allowed =
            |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '*' | '+' | '!' | '-' | '_');
        if *op != "===" && !version.chars().all(allowed) {
            return fail(format!("`{version}` is not a PEP 440 version"));
        }
    }
    Ok(())
}

/// The version an `==` (without wildcard) or `===` clause pins, if any.
pub(crate) fn exact_version(spec: &str) -> Option<&str> {
    spec.split(',').find_map(|clause| {
        let clause = clause.trim();
        if let Some(version) = clause.strip_prefix("===") {
            return Some(version.trim()).filter(|v| !v.is_empty());
        }
        let version = clause.strip_prefix("==")?.trim();
        (!version.is_empty() && !version.contains('*')).then_some(version)
    })
}
