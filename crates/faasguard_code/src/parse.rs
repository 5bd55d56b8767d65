//! Function source into tree-sitter trees.
//!
//! Broken code is the normal case for a scanner (a half-edited file, a
//! syntax this grammar version does not know), so [`parse`] returns the tree
//! tree-sitter recovered together with the located syntax problems; only
//! input that is too large or that the parser gives up on is refused.

use std::cell::RefCell;
use std::ops::ControlFlow;

use faasguard_source::{FileId, Span};
use tree_sitter::{Node, ParseOptions, ParseState, Parser, Tree};

/// Largest source file parsed. Handlers are small; anything bigger is a
/// bundle or generated code, which would cost time without helping, and
/// memory: a minified megabyte is about a million tree nodes, and a scan
/// holds the trees of a function's modules together (about 110 MB per
/// minified megabyte, measured).
pub const MAX_SOURCE_BYTES: usize = 2 * 1024 * 1024;

/// Syntax problems reported per file; later ones are counted in a last problem.
const MAX_SYNTAX_PROBLEMS: usize = 5;

/// Progress callbacks (one per 100 parser operations) allowed: a base
/// plus one per 16 bytes. Measured on 4 MB inputs: code uses one per 70 to
/// 90 bytes, random punctuation one per 35 (Python) to 90; the margin stops
/// only runaway error recovery. A count, not a clock, so a scan gives the
/// same answer on a slow machine; the time per byte stays bounded by the
/// size limit either way (about 3 µs per byte of junk Python at worst).
const CALLBACK_BASE: usize = 20_000;
const CALLBACKS_PER_BYTE_DIVISOR: usize = 16;

/// A source language faasguard reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    /// Python (`.py`).
    Python,
    /// JavaScript (`.js`, `.mjs`, `.cjs`, `.jsx`).
    JavaScript,
    /// TypeScript (`.ts`, `.mts`, `.cts`).
    TypeScript,
    /// TypeScript with JSX (`.tsx`).
    Tsx,
}

impl Language {
    /// The language of a file, from its extension.
    pub fn from_path(path: &str) -> Option<Language> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let (_, ext) = name.rsplit_once('.')?;
        match ext.to_ascii_lowercase().as_str() {
            "py" => Some(Language::Python),
            "js" | "mjs" | "cjs" | "jsx" => Some(Language::JavaScript),
            "ts" | "mts" | "cts" => Some(Language::TypeScript),
            "tsx" => Some(Language::Tsx),
            _ => None,
        }
    }

    /// Whether the JavaScript module rules (require, import/export) apply.
    pub fn is_javascript_family(self) -> bool {
        !matches!(self, Language::Python)
    }

    /// Short name for messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Python => "Python",
            Language::JavaScript => "JavaScript",
            Language::TypeScript => "TypeScript",
            Language::Tsx => "TSX",
        }
    }

    fn grammar(self) -> tree_sitter::Language {
        match self {
            Language::Python => tree_sitter_python::LANGUAGE.into(),
            Language::JavaScript => tree_sitter_javascript::LANGUAGE.into(),
            Language::TypeScript => tree_sitter_typescript::LANGUAGE_TYPESCRIPT.into(),
            Language::Tsx => tree_sitter_typescript::LANGUAGE_TSX.into(),
        }
    }
}

/// One parsed source file.
#[derive(Debug, Clone)]
pub struct Module {
    /// The file the tree was parsed from (byte offsets in the tree are offsets in it).
    pub file: FileId,
    /// Its language.
    pub language: Language,
    /// The concrete syntax tree, possibly with `ERROR` and `MISSING` nodes.
    pub tree: Tree,
    /// The syntax problems in the tree (see [`syntax_problems`]), at most a few.
    pub problems: Vec<ParseProblem>,
}

impl Module {
    /// Where a node is, as a span in this module's file.
    pub fn span(&self, node: Node<'_>) -> Span {
        span_of(self.file, node)
    }
}

/// A problem found while parsing: too large, abandoned, or a syntax error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseProblem {
    /// Where (the file's start for whole-file problems).
    pub span: Span,
    /// What, for a reader.
    pub message: String,
}

/// Parses `text` (the contents of `file`) as `language`.
///
/// Syntax errors do not fail the parse: the tree with its `ERROR` and
/// `MISSING` nodes is returned and [`Module::problems`] lists where they
/// are. `Err` means there is no tree: the text is over [`MAX_SOURCE_BYTES`],
/// or the parser used up its work budget.
pub fn parse(file: FileId, language: Language, text: &str) -> Result<Module, ParseProblem> {
    if text.len() > MAX_SOURCE_BYTES {
        return Err(ParseProblem {
            span: Span::file_start(file),
            message: format!(
                "the file is {} bytes, over the {} MB limit for source code; it is not analysed",
                text.len(),
                MAX_SOURCE_BYTES / (1024 * 1024)
            ),
        });
    }
    if language == Language::Python {
        let depth = python_indent_depth(text);
        if depth > MAX_PYTHON_INDENT_DEPTH {
            return Err(ParseProblem {
                span: Span::file_start(file),
                message: format!(
                    "blocks nested {depth} levels deep, over the {MAX_PYTHON_INDENT_DEPTH} the \
                     Python parser is given; the file is not analysed"
                ),
            });
        }
    }
    parse_within(file, language, text, CALLBACK_BASE + text.len() / CALLBACKS_PER_BYTE_DIVISOR)
}

/// Most nested indentation levels a Python file may have. tree-sitter-python
/// keeps its indentation stack in the parser's 1,024-byte scanner state, and
/// past about 500 levels tree-sitter aborts the process (an assertion in its
/// C code, live in release builds); real code stays far below this.
const MAX_PYTHON_INDENT_DEPTH: usize = 256;

/// The deepest stack of indentation levels the lines of `text` build, as
/// Python's tokenizer counts them (tabs to the next multiple of 8). Lines
/// inside brackets are counted too, which can only overstate the depth.
fn python_indent_depth(text: &str) -> usize {
    let mut stack: Vec<usize> = Vec::new();
    let mut deepest = 0;
    for line in text.lines() {
        let mut width = 0usize;
        let mut rest = "";
        for (i, c) in line.char_indices() {
            match c {
                ' ' => width += 1,
                '\t' => width = (width / 8 + 1) * 8,
                '\x0c' => width = 0,
                _ => {
                    rest = &line[i..];
                    break;
                }
            }
        }
        if rest.is_empty() || rest.starts_with('#') {
            continue;
        }
        while stack.last().is_some_and(|&w| w > width) {
            stack.pop();
        }
        if width > 0 && stack.last().is_none_or(|&w| w < width) {
            stack.push(width);
            deepest = deepest.max(stack.len());
        }
    }
    deepest
}

fn parse_within(
    file: FileId,
    language: Language,
    text: &str,
    budget: usize,
) -> Result<Module, ParseProblem> {
    let tree = PARSER.with(|cell| {
        let (parser, current) = &mut *cell.borrow_mut();
        if *current != Some(language) {
            // Unset first: if setting fails, the next file must retry.
            *current = None;
            parser.set_language(&language.grammar()).ok()?;
            *current = Some(language);
        }
        // A cancelled parse can leave state behind; start each file clean.
        parser.reset();
        let mut calls = 0usize;
        let mut progress = |_: &ParseState| {
            calls += 1;
            if calls > budget { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        };
        let bytes = text.as_bytes();
        let options = ParseOptions::new().progress_callback(&mut progress);
        parser.parse_with_options(
            &mut |i, _| bytes.get(i..).unwrap_or_default(),
            None,
            Some(options),
        )
    });
    let Some(tree) = tree else {
        return Err(ParseProblem {
            span: Span::file_start(file),
            message: format!(
                "the {} parser gave up on this file (too much error recovery); it is not analysed",
                language.as_str()
            ),
        });
    };
    let problems = syntax_problems(file, &tree);
    Ok(Module { file, language, tree, problems })
}

thread_local! {
    // `Parser` is not `Sync`; one per thread serves the rayon workers,
    // with the language it was last given.
    static PARSER: RefCell<(Parser, Option<Language>)> = RefCell::new((Parser::new(), None));
}

/// The first few `ERROR` and `MISSING` nodes of a tree, located in `file`;
/// when there are more, a last problem counts them.
pub fn syntax_problems(file: FileId, tree: &Tree) -> Vec<ParseProblem> {
    let root = tree.root_node();
    if !root.has_error() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut extra = 0usize;
    // Iterative walk: trees of hostile input can be deep enough to overflow
    // the stack of a recursive one.
    let mut cursor = root.walk();
    'walk: loop {
        let node = cursor.node();
        let mut descend = node.has_error();
        if node.is_error() || node.is_missing() {
            descend = false;
            if out.len() < MAX_SYNTAX_PROBLEMS {
                out.push(ParseProblem { span: span_of(file, node), message: describe(node) });
            } else {
                extra += 1;
            }
        }
        if descend && cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    if extra > 0 {
        out.push(ParseProblem {
            span: Span::file_start(file),
            message: format!("{extra} more syntax errors in this file"),
        });
    }
    out
}

fn describe(node: Node<'_>) -> String {
    let at = node.start_position();
    let (line, col) = (at.row + 1, at.column + 1);
    if node.is_missing() {
        format!("syntax error at {line}:{col}: missing `{}`", node.kind())
    } else {
        format!(
            "syntax error at {line}:{col}: code the parser could not read; the rest of the file is still analysed"
        )
    }
}

/// Where a node is, as a span in `file`.
pub fn span_of(file: FileId, node: Node<'_>) -> Span {
    Span::new(file, node.start_byte(), node.end_byte())
}

/// The source text of a node (empty when the range is not in `text`, e.g.
/// a tree parsed from other text).
pub fn text_of<'t>(node: Node<'_>, text: &'t str) -> &'t str {
    text.get(node.start_byte()..node.end_byte()).unwrap_or("")
}

/// The value of a string literal node without its quotes, when it has no
/// interpolation or escapes whose meaning would change the text: Python
/// `'x'`/`"x"` (no f-strings, no byte strings), JavaScript `'x'`/`"x"` and
/// template literals without substitutions.
pub fn string_literal<'t>(node: Node<'_>, text: &'t str) -> Option<&'t str> {
    match node.kind() {
        "string" => {
            let raw = text_of(node, text);
            // Python prefixes: r/u are harmless, f and b change the meaning.
            let body = raw.trim_start_matches(['r', 'R', 'u', 'U']);
            if body.starts_with(['f', 'F', 'b', 'B']) {
                return None;
            }
            let inner = strip_quotes(body)?;
            (!inner.contains('\\')).then_some(inner)
        }
        "template_string" => {
            let mut c = node.walk();
            if node.named_children(&mut c).any(|n| n.kind() == "template_substitution") {
                return None;
            }
            let inner = text_of(node, text).strip_prefix('`')?.strip_suffix('`')?;
            (!inner.contains('\\')).then_some(inner)
        }
        _ => None,
    }
}

fn strip_quotes(s: &str) -> Option<&str> {
    for q in ["\"\"\"", "'''", "\"", "'"] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q))
            && s.len() >= 2 * q.len()
        {
            return Some(inner);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_from_extensions() {
        assert_eq!(Language::from_path("src/app.py"), Some(Language::Python));
        assert_eq!(Language::from_path("a/b.MJS"), Some(Language::JavaScript));
        assert_eq!(Language::from_path("x.cjs"), Some(Language::JavaScript));
        assert_eq!(Language::from_path("x.mts"), Some(Language::TypeScript));
        assert_eq!(Language::from_path("x.tsx"), Some(Language::Tsx));
        assert_eq!(Language::from_path("x.d"), None);
        assert_eq!(Language::from_path("Makefile"), None);
        assert_eq!(Language::from_path("dir.py/README"), None);
    }

    /// 600 nested blocks with a string at the bottom made tree-sitter abort
    /// the process; the file is refused before the parser sees it.
    #[test]
    fn deeply_nested_python_is_refused_not_parsed() {
        let depth = 600;
        let mut code = String::from("def handler(event, context):\n");
        for i in 1..depth {
            code.push_str(&" ".repeat(i));
            code.push_str("if event:\n");
        }
        code.push_str(&" ".repeat(depth));
        code.push_str("x = 'deep'\n");
        let err = parse(FileId(1), Language::Python, &code).unwrap_err();
        assert!(err.message.contains("nested 600 levels"), "{}", err.message);
        // Just under the limit is parsed.
        let mut ok = String::from("def handler(event, context):\n");
        for i in 1..MAX_PYTHON_INDENT_DEPTH {
            ok.push_str(&" ".repeat(i));
            ok.push_str("if event:\n");
        }
        ok.push_str(&" ".repeat(MAX_PYTHON_INDENT_DEPTH));
        ok.push_str("x = 'deep'\n");
        assert_eq!(python_indent_depth(&ok), MAX_PYTHON_INDENT_DEPTH);
        assert!(parse(FileId(1), Language::Python, &ok).is_ok());
        assert_eq!(python_indent_depth("a\n  b\n    c\n  d\n\te\n"), 2);
    }

    #[test]
    fn clean_code_has_no_problems() {
        let m =
            parse(FileId(3), Language::Python, "import boto3\ns3 = boto3.client('s3')\n").unwrap();
        assert!(m.problems.is_empty());
        assert_eq!(m.tree.root_node().kind(), "module");
        assert_eq!(m.span(m.tree.root_node()).file, FileId(3));
    }

    #[test]
    fn syntax_errors_are_located_and_the_tree_kept() {
        let src = "def ok():\n    return 1\n\ndef broken(:\n    pass\n\nx = boto3.client('s3')\n";
        let m = parse(FileId(1), Language::Python, src).unwrap();
        assert!(!m.problems.is_empty());
        let p = &m.problems[0];
        assert!(p.message.contains("4:"), "{}", p.message);
        assert!(p.span.start as usize >= src.find("def broken").unwrap());
        // The code after the error is still in the tree.
        let root = m.tree.root_node();
        assert!(text_of(root, src).contains("boto3.client"));
        let last = root.named_child(root.named_child_count() as u32 - 1).unwrap();
        assert_eq!(last.kind(), "expression_statement");
    }

    #[test]
    fn problems_are_capped() {
        let src = "let = ;\n".repeat(50);
        let m = parse(FileId(0), Language::JavaScript, &src).unwrap();
        assert_eq!(m.problems.len(), MAX_SYNTAX_PROBLEMS + 1);
        assert!(m.problems.last().unwrap().message.contains("more syntax errors"));
    }

    #[test]
    fn oversized_text_is_refused() {
        let src = "x = 1\n".repeat(MAX_SOURCE_BYTES / 6 + 1);
        let e = parse(FileId(0), Language::Python, &src).unwrap_err();
        assert!(e.message.contains("limit"));
    }

    #[test]
    fn deep_nesting_and_junk_do_not_panic() {
        let deep = format!("x = {}1{}\n", "[".repeat(50_000), "]".repeat(50_000));
        let m = parse(FileId(0), Language::Python, &deep).unwrap();
        assert!(m.problems.is_empty());
        let junk: String =
            (0..200_000u32).map(|i| ['(', '{', '"', ')', ';', '`'][(i % 6) as usize]).collect();
        for lang in [Language::Python, Language::JavaScript, Language::TypeScript, Language::Tsx] {
            // Either a tree with problems or a refusal; never a panic.
            match parse(FileId(0), lang, &junk) {
                Ok(m) => assert!(!m.problems.is_empty()),
                Err(e) => assert!(e.message.contains("gave up")),
            }
        }
    }

    #[test]
    fn work_budget_stops_the_parser_and_it_recovers() {
        let src = "x = [1, 2, 3]\n".repeat(10_000);
        let e = parse_within(FileId(2), Language::Python, &src, 10).unwrap_err();
        assert!(e.message.contains("gave up"));
        assert_eq!(e.span, Span::file_start(FileId(2)));
        // The thread's parser is usable again after a cancelled parse.
        let m = parse(FileId(2), Language::Python, &src).unwrap();
        assert!(m.problems.is_empty());
        assert_eq!(m.tree.root_node().named_child_count(), 10_000);
    }

    #[test]
    fn the_thread_parser_follows_the_language_of_each_file() {
        let py = "import os\n";
        let js = "const a = require('a');\n";
        let cases = [
            (Language::Python, py, "module"),
            (Language::JavaScript, js, "program"),
            (Language::JavaScript, js, "program"),
            (Language::Python, py, "module"),
            (Language::Tsx, "const A = () => <div/>;", "program"),
            (Language::TypeScript, "let x: number = <number>y;", "program"),
        ];
        for (lang, src, root) in cases {
            let m = parse(FileId(0), lang, src).unwrap();
            assert_eq!(m.tree.root_node().kind(), root);
            assert!(m.problems.is_empty(), "{lang:?}: {:?}", m.problems);
            assert_eq!(m.tree.language().name(), lang.grammar().name());
        }
        // Python text read as JavaScript is broken: the grammar did change.
        assert!(
            !parse(FileId(0), Language::JavaScript, "def f():\n  pass\n")
                .unwrap()
                .problems
                .is_empty()
        );
    }

    #[test]
    fn typescript_and_tsx_parse() {
        let ts = "export const handler = async (e: Event): Promise<void> => { await x.send(new C({})); };";
        assert!(parse(FileId(0), Language::TypeScript, ts).unwrap().problems.is_empty());
        let tsx = "const A = () => <div>{1}</div>;";
        assert!(parse(FileId(0), Language::Tsx, tsx).unwrap().problems.is_empty());
    }

    #[test]
    fn string_literals() {
        let src = "a = 'x'\nb = f'{y}'\nc = \"a\\n\"\nd = r'raw'\n";
        let m = parse(FileId(0), Language::Python, src).unwrap();
        let mut vals = Vec::new();
        let mut stack = vec![m.tree.root_node()];
        while let Some(n) = stack.pop() {
            if n.kind() == "string" {
                vals.push((n.start_byte(), string_literal(n, src)));
            }
            let mut c = n.walk();
            stack.extend(n.children(&mut c));
        }
        vals.sort();
        let vals: Vec<_> = vals.into_iter().map(|v| v.1).collect();
        assert_eq!(vals, vec![Some("x"), None, None, Some("raw")]);
        let js = "require(`./a`); require(`./${b}`);";
        let m = parse(FileId(0), Language::JavaScript, js).unwrap();
        let mut found = Vec::new();
        let mut stack = vec![m.tree.root_node()];
        while let Some(n) = stack.pop() {
            if n.kind() == "template_string" {
                found.push((n.start_byte(), string_literal(n, js)));
            }
            let mut c = n.walk();
            stack.extend(n.children(&mut c));
        }
        found.sort();
        assert_eq!(found.into_iter().map(|v| v.1).collect::<Vec<_>>(), vec![Some("./a"), None]);
    }
}
