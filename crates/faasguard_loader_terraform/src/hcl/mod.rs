//! HCL parsing and Terraform evaluation.
//!
//! Loading a module goes in two phases. [`parse_tree`] first parses every
//! file the module and its local module calls need, into an arena that is
//! never changed afterwards; [`build_instances`] then lays out one
//! [`Instance`] per module call, borrowing blocks and expressions from the
//! arena. [`eval::Eval`] evaluates expressions lazily in an instance, so
//! locals are computed in dependency order and cycles are caught where
//! they close.
//!
//! Work is bounded everywhere: module nesting, module instances, evaluation
//! steps and recursion, and the size of values built by expressions.

pub(crate) mod eval;
mod functions;
/// Helpers the model builders use on evaluated values.
pub(crate) mod functions_api {
    pub(crate) use super::functions::structured;
}
pub(crate) mod value;

use std::collections::HashMap;

use faasguard_source::{FileId, SourceDb, Span};
use faasguard_syntax::{MAX_DEPTH, MAX_FILE_BYTES, ParseError, ParseErrorKind};
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body};

use value::Value;

/// Deepest chain of local module calls followed.
pub(crate) const MAX_MODULE_DEPTH: usize = 8;
/// Most module instances in one loaded module (calls fan out).
pub(crate) const MAX_INSTANCES: usize = 64;

/// One parsed file.
pub(crate) struct Parsed {
    pub(crate) file: FileId,
    pub(crate) body: Body,
}

/// Every file a module load needs, parsed once.
#[derive(Default)]
pub(crate) struct Tree {
    pub(crate) parsed: Vec<Parsed>,
    /// Parsed `.tf` files per directory.
    by_dir: HashMap<String, Vec<usize>>,
    /// Parsed variable files (`terraform.tfvars`, `*.auto.tfvars`) of the root.
    tfvars: Vec<usize>,
    /// `*.tfvars.json` values of the root, in load order.
    pub(crate) tfvars_json: Vec<Value>,
    pub(crate) errors: Vec<ParseError>,
}

/// Converts an hcl-edit byte range into a span of `file`.
pub(crate) fn span(file: FileId, range: Option<std::ops::Range<usize>>) -> Span {
    range.map_or(Span::file_start(file), |r| Span::new(file, r.start, r.end))
}

/// Parses one file; a failure is a syntax error at the parser's position.
pub(crate) fn parse_file(file: FileId, text: &str) -> Result<Body, ParseError> {
    if text.len() > MAX_FILE_BYTES {
        return Err(ParseError {
            kind: ParseErrorKind::TooLarge,
            span: Span::file_start(file),
            message: format!("file is over the {MAX_FILE_BYTES} byte limit; it was not read"),
        });
    }
    // hcl-edit's parser recurses per nesting level; refuse deep files
    // before they can exhaust the stack.
    if let Some(at) = too_deep(text) {
        return Err(ParseError {
            kind: ParseErrorKind::TooDeep,
            span: Span::new(file, at, at),
            message: format!("nesting deeper than {MAX_DEPTH} levels; the file was not read"),
        });
    }
    hcl_edit::parser::parse_body(text).map_err(|e| {
        let loc = e.location();
        let at = loc.offset().min(text.len());
        ParseError {
            kind: ParseErrorKind::Syntax,
            span: Span::new(file, at, at),
            message: format!(
                "invalid HCL at line {}, column {}: {}",
                loc.line(),
                loc.column(),
                e.message().lines().next().unwrap_or("syntax error")
            ),
        }
    })
}

/// Offset where bracket nesting first exceeds [`MAX_DEPTH`], skipping quoted strings.
fn too_deep(text: &str) -> Option<usize> {
    let (mut depth, mut in_str, mut escaped) = (0usize, false, false);
    for (i, b) in text.bytes().enumerate() {
        if in_str {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' | b'\n' => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'[' | b'{' | b'(' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The directory part of a `/`-separated path (`""` for the root).
pub(crate) fn parent_dir(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// Joins a relative path onto a directory and normalises `.` and `..`.
/// Returns `None` when the path climbs above the scan root.
pub(crate) fn join_path(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = if rel.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|p| !p.is_empty()).collect()
    };
    for p in rel.split(['/', '\\']) {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// The `.tf` files of a directory, in path order.
pub(crate) fn dir_files(db: &SourceDb, dir: &str) -> Vec<FileId> {
    let mut files: Vec<(&str, FileId)> = db
        .in_dir(dir)
        .iter()
        .filter_map(|&id| db.get(id).map(|f| (&*f.path, id)))
        .filter(|(path, _)| super::is_terraform_file(path))
        .collect();
    files.sort();
    files.into_iter().map(|(_, id)| id).collect()
}

/// A module source that is a local directory (`./x`, `../x`).
pub(crate) fn local_source(source: &str) -> Option<&str> {
    (source.starts_with("./") || source.starts_with("../") || source == "." || source == "..")
        .then_some(source)
}

/// The string of a literal attribute (`source = "./x"`), without evaluation:
/// Terraform requires module sources to be literal.
pub(crate) fn literal_attr<'b>(body: &'b Body, key: &str) -> Option<&'b str> {
    body.get_attribute(key)?.value.as_str()
}

impl Tree {
    /// Parses the root module's files, its variable files, and every local
    /// module they call (to [`MAX_MODULE_DEPTH`]).
    pub(crate) fn parse(db: &SourceDb, dir: &str, files: &[FileId]) -> Tree {
        let mut tree = Tree::default();
        tree.add_dir(db, dir, files);
        for &id in db.in_dir(dir) {
            let Some(f) = db.get(id) else { continue };
            let name = f.path.rsplit('/').next().unwrap_or(&f.path);
            if name == "terraform.tfvars" || name.ends_with(".auto.tfvars") {
                match parse_file(id, &f.text) {
                    Ok(body) => {
                        tree.tfvars.push(tree.parsed.len());
                        tree.parsed.push(Parsed { file: id, body });
                    }
                    Err(e) => tree.errors.push(e),
                }
            } else if name == "terraform.tfvars.json" || name.ends_with(".auto.tfvars.json") {
                let parsed = faasguard_syntax::parse_json(id, &f.text);
                tree.errors.extend(parsed.errors);
                if let Some(root) = parsed.root {
                    tree.tfvars_json.push(value::from_json(&root, Some(0), Span::file_start(id)));
                }
            }
        }
        // Terraform reads terraform.tfvars first, then *.auto.tfvars in name order.
        let paths: Vec<String> = tree
            .tfvars
            .iter()
            .map(|&i| db.get(tree.parsed[i].file).map(|f| f.path.to_string()).unwrap_or_default())
            .collect();
        let mut order: Vec<(bool, &String, usize)> = tree
            .tfvars
            .iter()
            .zip(&paths)
            .map(|(&i, p)| (!p.ends_with("/terraform.tfvars") && p != "terraform.tfvars", p, i))
            .collect();
        order.sort();
        tree.tfvars = order.into_iter().map(|(_, _, i)| i).collect();

        let mut queue = vec![(dir.to_string(), 0usize)];
        while let Some((d, depth)) = queue.pop() {
            if depth >= MAX_MODULE_DEPTH {
                continue;
            }
            let mut children = Vec::new();
            for &i in tree.by_dir.get(&d).map(Vec::as_slice).unwrap_or(&[]) {
                for block in tree.parsed[i].body.get_blocks("module") {
                    if let Some(src) = literal_attr(&block.body, "source").and_then(local_source)
                        && let Some(child) = join_path(&d, src)
                    {
                        children.push(child);
                    }
                }
            }
            for child in children {
                if !tree.by_dir.contains_key(&child) && tree.by_dir.len() < MAX_INSTANCES {
                    let files = dir_files(db, &child);
                    tree.add_dir(db, &child, &files);
                    queue.push((child, depth + 1));
                }
            }
        }
        tree
    }

    fn add_dir(&mut self, db: &SourceDb, dir: &str, files: &[FileId]) {
        let mut idx = Vec::new();
        for &id in files {
            let Some(f) = db.get(id) else { continue };
            match parse_file(id, &f.text) {
                Ok(body) => {
                    idx.push(self.parsed.len());
                    self.parsed.push(Parsed { file: id, body });
                }
                Err(e) => self.errors.push(e),
            }
        }
        self.by_dir.insert(dir.to_string(), idx);
    }

    /// Parsed files of a directory (empty when it was not read).
    pub(crate) fn files_of(&self, dir: &str) -> impl Iterator<Item = &Parsed> {
        self.by_dir.get(dir).into_iter().flatten().map(|&i| &self.parsed[i])
    }

    /// Whether any `.tf` file of the directory was found.
    pub(crate) fn has_dir(&self, dir: &str) -> bool {
        self.by_dir.contains_key(dir)
    }

    pub(crate) fn tfvars(&self) -> impl Iterator<Item = &Parsed> {
        self.tfvars.iter().map(|&i| &self.parsed[i])
    }
}

/// A declared variable.
pub(crate) struct VarDecl<'a> {
    pub(crate) default: Option<&'a Expression>,
    pub(crate) file: FileId,
}

/// Where a variable's value comes from, when set from outside the module.
pub(crate) enum Input<'a> {
    /// A module call argument, evaluated in the calling instance.
    Expr { expr: &'a Expression, file: FileId, inst: usize },
    /// A value from a variables file.
    Value(Value),
}

/// A resource or data block.
#[derive(Clone, Copy)]
pub(crate) struct Item<'a> {
    pub(crate) data: bool,
    pub(crate) ty: &'a str,
    pub(crate) name: &'a str,
    pub(crate) block: &'a Block,
    pub(crate) file: FileId,
    pub(crate) inst: usize,
}

/// A `module` block.
#[derive(Clone, Copy)]
pub(crate) struct ModuleCall<'a> {
    pub(crate) name: &'a str,
    pub(crate) block: &'a Block,
    pub(crate) file: FileId,
    pub(crate) inst: usize,
    /// The instance it loads, for local modules that were followed.
    pub(crate) child: Option<usize>,
}

/// One module instance: the root, or a followed local module call.
pub(crate) struct Instance<'a> {
    /// Address prefix of its resources (`""`, `module.net.`).
    pub(crate) prefix: String,
    pub(crate) dir: String,
    pub(crate) vars: HashMap<&'a str, VarDecl<'a>>,
    pub(crate) inputs: HashMap<String, Input<'a>>,
    pub(crate) locals: HashMap<&'a str, (&'a Expression, FileId, Span)>,
    pub(crate) outputs: HashMap<&'a str, (&'a Expression, FileId)>,
    pub(crate) children: HashMap<&'a str, usize>,
    pub(crate) calls: Vec<ModuleCall<'a>>,
    pub(crate) items: Vec<Item<'a>>,
}

fn label(block: &Block, i: usize) -> Option<&str> {
    block.labels.get(i).map(|l| l.as_str())
}

/// Lays out the root instance and its local module calls. Module cycles
/// and calls beyond the limits are left as unresolved calls with a note.
pub(crate) fn build_instances<'a>(
    tree: &'a Tree,
    dir: &str,
    notes: &mut Vec<faasguard_model::Note>,
) -> Vec<Instance<'a>> {
    let mut insts: Vec<Instance<'a>> = Vec::new();
    // (dir, address prefix, the call that loads it, directories of its callers)
    type Pending<'a> = (String, String, Option<(usize, &'a Block, FileId, &'a str)>, Vec<String>);
    let mut queue: Vec<Pending<'a>> = vec![(dir.to_string(), String::new(), None, Vec::new())];
    while let Some((d, prefix, call, ancestry)) = queue.pop() {
        let idx = insts.len();
        let mut inst = Instance {
            prefix: prefix.clone(),
            dir: d.clone(),
            vars: HashMap::new(),
            inputs: HashMap::new(),
            locals: HashMap::new(),
            outputs: HashMap::new(),
            children: HashMap::new(),
            calls: Vec::new(),
            items: Vec::new(),
        };
        if let Some((parent, block, file, name)) = call {
            for attr in block.body.attributes() {
                let key = attr.key.as_str();
                if !matches!(
                    key,
                    "source" | "version" | "count" | "for_each" | "providers" | "depends_on"
                ) {
                    inst.inputs.insert(
                        key.to_string(),
                        Input::Expr { expr: &attr.value, file, inst: parent },
                    );
                }
            }
            insts[parent].children.insert(name, idx);
            if let Some(c) = insts[parent].calls.iter_mut().find(|c| c.name == name) {
                c.child = Some(idx);
            }
        } else {
            for p in tree.tfvars() {
                // Variable files hold literals only, so any instance can evaluate them.
                for attr in p.body.attributes() {
                    inst.inputs.insert(
                        attr.key.as_str().to_string(),
                        Input::Expr { expr: &attr.value, file: p.file, inst: 0 },
                    );
                }
            }
            for v in &tree.tfvars_json {
                for f in v.fields() {
                    inst.inputs.insert(f.key.clone(), Input::Value(f.value.clone()));
                }
            }
        }
        let mut child_calls = Vec::new();
        for p in tree.files_of(&d) {
            for block in p.body.blocks() {
                match block.ident.as_str() {
                    "variable" => {
                        if let Some(name) = label(block, 0) {
                            let default = block.body.get_attribute("default").map(|a| &a.value);
                            inst.vars.insert(name, VarDecl { default, file: p.file });
                        }
                    }
                    "locals" => {
                        for attr in block.body.attributes() {
                            inst.locals.insert(
                                attr.key.as_str(),
                                (&attr.value, p.file, span(p.file, hcl_edit::Span::span(attr))),
                            );
                        }
                    }
                    "output" => {
                        if let (Some(name), Some(a)) =
                            (label(block, 0), block.body.get_attribute("value"))
                        {
                            inst.outputs.insert(name, (&a.value, p.file));
                        }
                    }
                    "resource" | "data" => {
                        if let (Some(ty), Some(name)) = (label(block, 0), label(block, 1)) {
                            inst.items.push(Item {
                                data: block.ident.as_str() == "data",
                                ty,
                                name,
                                block,
                                file: p.file,
                                inst: idx,
                            });
                        }
                    }
                    "module" => {
                        if let Some(name) = label(block, 0) {
                            inst.calls.push(ModuleCall {
                                name,
                                block,
                                file: p.file,
                                inst: idx,
                                child: None,
                            });
                            let src = literal_attr(&block.body, "source").and_then(local_source);
                            if let Some(child) = src.and_then(|s| join_path(&d, s)) {
                                child_calls.push((name, block, p.file, child));
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        insts.push(inst);
        let mut chain = ancestry.clone();
        chain.push(d.clone());
        for (name, block, file, child) in child_calls.into_iter().rev() {
            let at = span(file, hcl_edit::Span::span(block));
            if chain.contains(&child) {
                notes.push(faasguard_model::Note {
                    span: at,
                    message: format!("module `{name}` calls `{child}`, which is already being loaded (a module cycle); not followed"),
                });
            } else if chain.len() > MAX_MODULE_DEPTH || insts.len() + queue.len() >= MAX_INSTANCES {
                notes.push(faasguard_model::Note {
                    span: at,
                    message: format!(
                        "module `{name}` not followed: module nesting or count over the limit"
                    ),
                });
            } else if !tree.has_dir(&child) || tree.files_of(&child).next().is_none() {
                notes.push(faasguard_model::Note {
                    span: at,
                    message: format!("module `{name}`: no Terraform files found in `{child}`; its resources are not modelled"),
                });
            } else {
                queue.push((
                    child,
                    format!("{prefix}module.{name}."),
                    Some((idx, block, file, name)),
                    chain.clone(),
                ));
            }
        }
    }
    insts
}
