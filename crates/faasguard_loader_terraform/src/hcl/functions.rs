//! Terraform's built-in functions, as far as they are useful statically.
//!
//! A function is computed only when its arguments are known; otherwise, and
//! for functions not listed here (hashes, timestamps, network lookups), the
//! call is unresolved with its source as the rendering.

use faasguard_source::{FileId, Span};
use faasguard_syntax::{ParseError, ParseErrorKind};
use hcl_edit::expr::{Expression, FuncCall};
use hcl_edit::template::Element;

use super::eval::{Eval, MAX_WEIGHT, Scope};
use super::join_path;
use super::value::{Field, Kind, Value, from_json};

pub(super) fn call(
    ev: &mut Eval<'_>,
    inst: usize,
    file: FileId,
    call: &FuncCall,
    scope: &Scope,
    at: Span,
) -> Value {
    let name = call.name.name.as_str();
    let exprs: Vec<&Expression> = call.args.iter().collect();
    // `try` and `can` evaluate lazily: an argument that fails is skipped.
    if name == "try" {
        for e in &exprs {
            let v = ev.eval(inst, file, e, scope);
            if v.is_wholly_known() {
                return v;
            }
        }
        return opaque(ev, at);
    }
    let mut args: Vec<Value> = exprs.iter().map(|e| ev.eval(inst, file, e, scope)).collect();
    // `f(list...)` expands the final argument.
    if call.args.expand_final()
        && let Some(last) = args.pop()
    {
        match last.kind {
            Kind::List(items) => args.extend(items),
            _ => return opaque(ev, at),
        }
    }
    match builtin(ev, inst, name, &args, at) {
        Some(v) => v,
        None => opaque(ev, at),
    }
}

fn opaque(ev: &Eval<'_>, at: Span) -> Value {
    Value::unknown(format!("${{{}}}", ev.source(at)), at)
}

fn text(v: &Value) -> Option<String> {
    v.as_text()
}

fn strings(v: &Value) -> Option<Vec<String>> {
    v.items().iter().map(Value::as_text).collect()
}

fn builtin(ev: &mut Eval<'_>, inst: usize, name: &str, args: &[Value], at: Span) -> Option<Value> {
    let arg = |i: usize| args.get(i);
    let s = |k: Kind| Some(Value::new(k, at));
    match name {
        "jsonencode" => {
            let v = arg(0)?;
            if !v.is_wholly_known() && matches!(v.kind, Kind::Unknown(_)) {
                return None;
            }
            s(Kind::Json(Box::new(v.clone())))
        }
        "jsondecode" => {
            let v = arg(0)?;
            if let Kind::Json(inner) = &v.kind {
                return Some((**inner).clone());
            }
            let t = v.as_str()?;
            parse_json_text(ev, t, v)
        }
        "file" => {
            let p = text(arg(0)?)?;
            let (id, text) = find_file(ev, inst, &p, at)?;
            Some(Value::string(text.to_string(), Span::new(id, 0, text.len())))
        }
        "fileexists" => {
            let p = text(arg(0)?)?;
            let root = ev.insts[0].dir.clone();
            let found = ev.db.find(&p).is_some()
                || join_path(&root, &p).and_then(|q| ev.db.find(&q)).is_some();
            s(Kind::Bool(found))
        }
        "templatefile" => {
            let p = text(arg(0)?)?;
            let vars = arg(1).cloned().unwrap_or(Value::new(Kind::Object(Vec::new()), at));
            if !matches!(vars.kind, Kind::Object(_)) {
                return None;
            }
            let (id, text) = find_file(ev, inst, &p, at)?;
            let template = match hcl_edit::parser::parse_template(&text) {
                Ok(t) => t,
                Err(e) => {
                    let loc = e.location();
                    let off = loc.offset().min(text.len());
                    ev.errors.push(ParseError {
                        kind: ParseErrorKind::Syntax,
                        span: Span::new(id, off, off),
                        message: format!(
                            "invalid template at line {}, column {}: {}",
                            loc.line(),
                            loc.column(),
                            e.message().lines().next().unwrap_or("syntax error")
                        ),
                    });
                    return None;
                }
            };
            let scope: Vec<(String, Value)> =
                vars.fields().iter().map(|f| (f.key.clone(), f.value.clone())).collect();
            let elements: Vec<&Element> = template.iter().collect();
            let whole = Span::new(id, 0, text.len());
            let mut v = ev.template(inst, id, &elements, &scope, whole);
            if let Some(t) = v.as_text() {
                v = Value::string(t, whole);
            }
            Some(v)
        }
        "format" => {
            let f = text(arg(0)?)?;
            format(&f, &args[1..]).map(|t| Value::string(t, at))
        }
        "formatlist" => None,
        "join" => {
            let sep = text(arg(0)?)?;
            let mut parts = Vec::new();
            for l in &args[1..] {
                parts.extend(strings(l)?);
            }
            s(Kind::String(parts.join(&sep)))
        }
        "split" => {
            let sep = text(arg(0)?)?;
            let t = text(arg(1)?)?;
            if sep.is_empty() {
                return None;
            }
            s(Kind::List(
                t.split(sep.as_str()).take(10_000).map(|p| Value::string(p, at)).collect(),
            ))
        }
        "concat" => {
            let mut out = Vec::new();
            for l in args {
                match &l.kind {
                    Kind::List(items) => out.extend(items.iter().cloned()),
                    _ => return None,
                }
            }
            bounded(out.len(), s(Kind::List(out)))
        }
        "merge" => {
            let mut out: Vec<Field> = Vec::new();
            for o in args {
                match &o.kind {
                    Kind::Object(fields) => {
                        for f in fields {
                            out.retain(|x| x.key != f.key);
                            out.push(f.clone());
                        }
                    }
                    Kind::Null => {}
                    _ => return None,
                }
            }
            bounded(out.len(), s(Kind::Object(out)))
        }
        "lookup" => {
            let m = arg(0)?;
            let k = text(arg(1)?)?;
            if !matches!(m.kind, Kind::Object(_)) {
                return None;
            }
            m.get(&k).cloned().or_else(|| arg(2).cloned())
        }
        "element" => {
            let items = arg(0)?.items();
            let i = arg(1)?.as_i64()?;
            if items.is_empty() || i < 0 {
                return None;
            }
            items.get(i as usize % items.len()).cloned()
        }
        "length" => match &arg(0)?.kind {
            Kind::List(items) => s(Kind::Number(items.len() as f64)),
            Kind::Object(fields) => s(Kind::Number(fields.len() as f64)),
            Kind::String(t) => s(Kind::Number(t.chars().count() as f64)),
            _ => None,
        },
        "keys" => s(Kind::List(
            arg(0)?.fields().iter().map(|f| Value::string(f.key.clone(), f.key_span)).collect(),
        )),
        "values" => s(Kind::List(arg(0)?.fields().iter().map(|f| f.value.clone()).collect())),
        "zipmap" => {
            let ks = strings(arg(0)?)?;
            let vs = arg(1)?.items();
            s(Kind::Object(
                ks.into_iter()
                    .zip(vs.iter())
                    .map(|(k, v)| Field { key: k, key_span: at, value: v.clone() })
                    .collect(),
            ))
        }
        "flatten" => {
            let mut out = Vec::new();
            flatten(arg(0)?, &mut out, 0)?;
            bounded(out.len(), s(Kind::List(out)))
        }
        "compact" => s(Kind::List(
            arg(0)?
                .items()
                .iter()
                .filter(|v| !v.is_null() && v.as_text().is_none_or(|t| !t.is_empty()))
                .cloned()
                .collect(),
        )),
        "distinct" | "toset" => {
            let l = arg(0)?;
            if !matches!(l.kind, Kind::List(_)) {
                return None;
            }
            let mut out: Vec<Value> = Vec::new();
            for v in l.items() {
                if !out.iter().any(|x| x.to_json() == v.to_json()) {
                    out.push(v.clone());
                }
            }
            s(Kind::List(out))
        }
        "sort" => {
            let mut l = strings(arg(0)?)?;
            l.sort();
            s(Kind::List(l.into_iter().map(|t| Value::string(t, at)).collect()))
        }
        "contains" => {
            let l = arg(0)?;
            let v = arg(1)?;
            if !l.is_wholly_known() || !v.is_wholly_known() {
                return None;
            }
            s(Kind::Bool(l.items().iter().any(|x| x.to_json() == v.to_json())))
        }
        "one" => match arg(0)?.items() {
            [] => s(Kind::Null),
            [x] => Some(x.clone()),
            _ => None,
        },
        "range" => {
            let nums: Vec<f64> =
                args.iter().map(|a| a.as_i64().map(|n| n as f64)).collect::<Option<_>>()?;
            let (start, end, step) = match nums.as_slice() {
                [e] => (0.0, *e, 1.0),
                [a, e] => (*a, *e, 1.0),
                [a, e, st] => (*a, *e, *st),
                _ => return None,
            };
            if step == 0.0 || ((end - start) / step) > 10_000.0 {
                return None;
            }
            let mut out = Vec::new();
            let mut x = start;
            while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
                out.push(Value::new(Kind::Number(x), at));
                x += step;
            }
            s(Kind::List(out))
        }
        "coalesce" => args
            .iter()
            .find(|a| !a.is_null() && a.as_text().is_none_or(|t| !t.is_empty()))
            .and_then(|a| {
                // An unknown argument before the first known one could be the result.
                let pos = args.iter().position(|x| std::ptr::eq(x, a))?;
                args[..pos]
                    .iter()
                    .all(|x| !x.is_unknown())
                    .then(|| a.clone())
                    .filter(|a| !a.is_unknown())
            }),
        "coalescelist" => args.iter().find(|a| !a.items().is_empty()).cloned(),
        "can" => {
            let v = arg(0)?;
            v.is_wholly_known().then(|| Value::new(Kind::Bool(true), at))
        }
        "tostring" => {
            let v = arg(0)?;
            match &v.kind {
                Kind::Null => Some(v.clone()),
                _ => text(v).map(|t| Value::string(t, v.span)),
            }
        }
        "tonumber" => {
            let v = arg(0)?;
            let n: f64 = text(v)?.trim().parse().ok()?;
            Some(Value::new(Kind::Number(n), v.span))
        }
        "tobool" => {
            let v = arg(0)?;
            v.as_bool().map(|b| Value::new(Kind::Bool(b), v.span))
        }
        "tolist" | "tomap" | "sensitive" | "nonsensitive" | "tuple" => {
            let v = arg(0)?;
            (!v.is_unknown()).then(|| v.clone())
        }
        "lower" => text(arg(0)?).map(|t| Value::string(t.to_lowercase(), at)),
        "upper" => text(arg(0)?).map(|t| Value::string(t.to_uppercase(), at)),
        "title" => None,
        "trimspace" => text(arg(0)?).map(|t| Value::string(t.trim(), at)),
        "trimprefix" => {
            let (t, p) = (text(arg(0)?)?, text(arg(1)?)?);
            Some(Value::string(t.strip_prefix(p.as_str()).unwrap_or(&t), at))
        }
        "trimsuffix" => {
            let (t, p) = (text(arg(0)?)?, text(arg(1)?)?);
            Some(Value::string(t.strip_suffix(p.as_str()).unwrap_or(&t), at))
        }
        "trim" => {
            let (t, cs) = (text(arg(0)?)?, text(arg(1)?)?);
            Some(Value::string(t.trim_matches(|c| cs.contains(c)), at))
        }
        "replace" => {
            let (t, from, to) = (text(arg(0)?)?, text(arg(1)?)?, text(arg(2)?)?);
            // `/regex/` patterns need a regex engine; leave them unresolved.
            if from.is_empty() || (from.len() > 1 && from.starts_with('/') && from.ends_with('/')) {
                return None;
            }
            let out = t.replace(&from, &to);
            (out.len() <= 1 << 20).then(|| Value::string(out, at))
        }
        "startswith" => {
            Some(Value::new(Kind::Bool(text(arg(0)?)?.starts_with(&text(arg(1)?)?)), at))
        }
        "endswith" => Some(Value::new(Kind::Bool(text(arg(0)?)?.ends_with(&text(arg(1)?)?)), at)),
        "substr" => {
            let t: Vec<char> = text(arg(0)?)?.chars().collect();
            let off = arg(1)?.as_i64()?;
            let len = arg(2)?.as_i64()?;
            let start = usize::try_from(off).ok()?.min(t.len());
            let end = if len < 0 { t.len() } else { (start + len as usize).min(t.len()) };
            Some(Value::string(t[start..end].iter().collect::<String>(), at))
        }
        "basename" => text(arg(0)?).map(|t| Value::string(t.rsplit('/').next().unwrap_or(&t), at)),
        "dirname" => text(arg(0)?).map(|t| Value::string(super::parent_dir(&t), at)),
        "abspath" | "pathexpand" => text(arg(0)?).map(|t| Value::string(t, at)),
        "min" | "max" => {
            let nums: Vec<f64> =
                args.iter().map(|a| text(a)?.parse().ok()).collect::<Option<_>>()?;
            let r = if name == "min" {
                nums.iter().cloned().fold(f64::INFINITY, f64::min)
            } else {
                nums.iter().cloned().fold(f64::NEG_INFINITY, f64::max)
            };
            (!nums.is_empty()).then(|| Value::new(Kind::Number(r), at))
        }
        _ => None,
    }
}

fn bounded(n: usize, v: Option<Value>) -> Option<Value> {
    if n > MAX_WEIGHT { None } else { v }
}

fn flatten(v: &Value, out: &mut Vec<Value>, depth: usize) -> Option<()> {
    if depth > 32 || out.len() > MAX_WEIGHT {
        return None;
    }
    for item in v.items() {
        match &item.kind {
            Kind::List(_) => flatten(item, out, depth + 1)?,
            Kind::Unknown(_) => return None,
            _ => out.push(item.clone()),
        }
    }
    Some(())
}

/// `format` verbs: `%s`, `%d`, `%v`, `%q`, `%%`, with flags and widths ignored
/// except zero padding of integers.
fn format(f: &str, args: &[Value]) -> Option<String> {
    let mut out = String::new();
    let mut chars = f.chars().peekable();
    let mut next = 0usize;
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = String::new();
        while let Some(&d) = chars.peek() {
            if d.is_ascii_digit() || matches!(d, '-' | '+' | '#' | ' ' | '.') {
                spec.push(d);
                chars.next();
            } else {
                break;
            }
        }
        let verb = chars.next()?;
        if verb == '%' {
            out.push('%');
            continue;
        }
        let a = args.get(next)?;
        next += 1;
        let t = a.as_text()?;
        match verb {
            'd' => {
                let n = a.as_i64()?;
                let width: usize = spec.trim_start_matches(['0', '-', '+']).parse().unwrap_or(0);
                if spec.starts_with('0') {
                    out.push_str(&format!("{n:0width$}"));
                } else {
                    out.push_str(&format!("{n:width$}"));
                }
            }
            'q' => out.push_str(&format!("{t:?}")),
            's' | 'v' | 'f' | 'g' | 't' => out.push_str(&t),
            _ => return None,
        }
    }
    Some(out)
}

/// Finds a file named by `file()`/`templatefile()`: as written (relative to
/// the scan root, as `path.module` makes it), else relative to the root
/// module's directory, as Terraform resolves relative paths from there.
fn find_file(
    ev: &mut Eval<'_>,
    inst: usize,
    p: &str,
    at: Span,
) -> Option<(FileId, std::sync::Arc<str>)> {
    let root = ev.insts[0].dir.clone();
    let own = ev.insts[inst].dir.clone();
    let candidates = [join_path("", p), join_path(&root, p), join_path(&own, p)];
    for c in candidates.iter().flatten() {
        if let Some(id) = ev.db.find(c)
            && let Some(f) = ev.db.get(id)
        {
            return Some((id, f.text.clone()));
        }
    }
    ev.errors.push(ParseError {
        kind: ParseErrorKind::Structure,
        span: at,
        message: format!("`{p}` (read by a function here) was not found among the scanned files"),
    });
    None
}

/// Parses JSON text held in `origin` (a string written in a file, or a
/// `file()` result), keeping spans in that file where the text is verbatim.
pub(crate) fn parse_json_text(ev: &Eval<'_>, t: &str, origin: &Value) -> Option<Value> {
    let parsed = faasguard_syntax::parse_json(origin.span.file, t);
    let root = parsed.root?;
    if !parsed.errors.is_empty() {
        return None;
    }
    let shift = ev.db.get(origin.span.file).and_then(|f| {
        let slice = f.slice(origin.span);
        slice.find(t).map(|pos| i64::from(origin.span.start) + pos as i64)
    });
    Some(from_json(&root, shift, origin.span))
}

/// The structure inside a policy-like string value: a `jsonencode` result,
/// JSON text, or already a structure.
pub(crate) fn structured(ev: &Eval<'_>, v: &Value) -> Option<Value> {
    match &v.kind {
        Kind::Json(inner) => Some((**inner).clone()),
        Kind::Object(_) => Some(v.clone()),
        Kind::String(t) => parse_json_text(ev, t, v),
        // A heredoc with interpolations: its JSON still parses, with the
        // unresolved parts as renderings inside strings.
        Kind::Unknown(t) if t.trim_start().starts_with('{') => {
            let parsed = faasguard_syntax::parse_json(v.span.file, t);
            if !parsed.errors.is_empty() {
                return None;
            }
            parsed.root.map(|r| from_json(&r, None, v.span))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_handles_common_verbs() {
        let s = Span::default();
        let args = [Value::string("a", s), Value::new(Kind::Number(7.0), s)];
        assert_eq!(format("%s-%03d%%", &args).as_deref(), Some("a-007%"));
        assert_eq!(format("%s %s", &args[..1]), None);
    }
}
