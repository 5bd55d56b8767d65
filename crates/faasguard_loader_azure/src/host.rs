//! `host.json`: settings of the Functions host that apply to every function.

use faasguard_model::Val;
use faasguard_source::{FileId, Span};
use faasguard_syntax::{Node, NodeKind};

use crate::{Ctx, json};

/// The HTTP route prefix when `host.json` does not set one.
const DEFAULT_ROUTE_PREFIX: &str = "api";

/// What `host.json` says about every function.
pub(crate) struct Host {
    /// Prefix of every HTTP route (`api` unless set; `""` for none).
    pub(crate) route_prefix: Val<String>,
    /// `functionTimeout` in seconds; `None` when not set (the plan's
    /// default applies, which these files do not tell) or unbounded.
    pub(crate) timeout: Option<Val<i64>>,
}

/// Reads `host.json`. Without one (or when it does not parse) the host's
/// defaults apply, located at `fallback`.
pub(crate) fn read(ctx: &mut Ctx<'_>, file: Option<FileId>, fallback: FileId) -> Host {
    let mut host = Host {
        route_prefix: Val::default_at(
            DEFAULT_ROUTE_PREFIX.into(),
            Span::file_start(file.unwrap_or(fallback)),
        ),
        timeout: None,
    };
    let Some(file) = file else { return host };
    let Some(root) = ctx.parse(file) else { return host };
    if !root.is_map() {
        if !matches!(root.kind, NodeKind::Null) {
            ctx.structure(
                root.span,
                "`host.json` must be a JSON object (`{\"version\": \"2.0\"}`)",
            );
        }
        return host;
    }
    host.route_prefix = Val::default_at(DEFAULT_ROUTE_PREFIX.into(), root.span);
    // Version 2.0 files put HTTP settings under `extensions`; version 1
    // files (no `version` key) at the top level.
    let prefix = json::at(&root, &["extensions", "http", "routePrefix"])
        .or_else(|| json::at(&root, &["http", "routePrefix"]));
    if let Some(p) = prefix {
        match p.as_str() {
            Some(s) => host.route_prefix = Val::explicit(s.trim().to_string(), p.span),
            None => ctx.structure(p.span, "`routePrefix` must be a string (`\"\"` for no prefix)"),
        }
    }
    if let Some(t) = json::get(&root, "functionTimeout") {
        host.timeout = timeout(ctx, t);
    }
    host
}

fn timeout(ctx: &mut Ctx<'_>, node: &Node) -> Option<Val<i64>> {
    let Some(text) = node.scalar_text() else {
        ctx.structure(node.span, "`functionTimeout` must be a time span such as \"00:05:00\"");
        return None;
    };
    match parse_timespan(&text) {
        Some(s) if s >= 0 => Some(Val::explicit(s, node.span)),
        Some(_) => {
            ctx.note(
                node.span,
                "`functionTimeout` is negative, which means no limit (Premium and Dedicated \
                 plans); the model has no number for that, so the timeout is left unset",
            );
            None
        }
        None => {
            ctx.structure(
                node.span,
                format!(
                    "`functionTimeout` `{text}` is not a time span (`hh:mm:ss`, `d.hh:mm:ss`, \
                     or `-1` for no limit)"
                ),
            );
            None
        }
    }
}

/// Seconds in a .NET `TimeSpan` string: `[-][d.]hh:mm[:ss[.fff]]`, or a
/// whole number of days. Fractions of a second are dropped.
pub(crate) fn parse_timespan(text: &str) -> Option<i64> {
    let text = text.trim();
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let num = |s: &str| -> Option<i64> {
        if s.is_empty() || s.len() > 18 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let seconds = if body.contains(':') {
        let parts: Vec<&str> = body.split(':').collect();
        if parts.len() > 3 {
            return None;
        }
        let (days, hours) = match parts[0].split_once('.') {
            Some((d, h)) => (num(d)?, num(h)?),
            None => (0, num(parts[0])?),
        };
        let minutes = num(parts[1])?;
        let secs = match parts.get(2) {
            Some(s) => num(s.split_once('.').map_or(*s, |(whole, _)| whole))?,
            None => 0,
        };
        if hours > 23 || minutes > 59 || secs > 59 {
            return None;
        }
        days.checked_mul(86_400)?.checked_add(hours * 3600 + minutes * 60 + secs)?
    } else {
        num(body)?.checked_mul(86_400)?
    };
    Some(if negative { -seconds } else { seconds })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_spans_in_seconds() {
        assert_eq!(parse_timespan("00:05:00"), Some(300));
        assert_eq!(parse_timespan("01:30"), Some(5400));
        assert_eq!(parse_timespan("1.02:00:00"), Some(93_600));
        assert_eq!(parse_timespan("00:00:10.500"), Some(10));
        assert_eq!(parse_timespan("-1"), Some(-86_400));
        assert_eq!(parse_timespan("-00:00:01"), Some(-1));
        assert_eq!(parse_timespan("2"), Some(172_800));
        assert_eq!(parse_timespan("00:61:00"), None);
        assert_eq!(parse_timespan("five minutes"), None);
        assert_eq!(parse_timespan("1:2:3:4"), None);
        assert_eq!(parse_timespan("99999999999999999999"), None);
        assert_eq!(parse_timespan(""), None);
    }
}
