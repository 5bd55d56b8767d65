//! Which triggers feed a function, and how far they are trusted.

use faasguard_model::{App, FunctionId, TriggerKind};
use faasguard_source::Span;

/// How exposed the event data of a function is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Exposure {
    /// No trigger in the app reaches it (invoked by code or the console),
    /// or only schedules: nothing from outside is known to reach it.
    Unknown,
    /// Internal triggers (queues, streams, buckets, buses): attacker data
    /// arrives only through what writes to them.
    Internal,
    /// An HTTP route or URL that needs credentials.
    Authenticated,
    /// Anyone on the internet can send the event.
    Public,
}

/// The most exposed trigger of function `f`, with where it is declared.
pub fn exposure(app: &App, f: FunctionId) -> (Exposure, Option<Span>) {
    let mut best = (Exposure::Unknown, None);
    let mut raise = |e: Exposure, span: Span| {
        if e > best.0 {
            best = (e, Some(span));
        }
    };
    if let Some(url) = app.functions.get(f.index()).and_then(|func| func.url.as_ref()) {
        raise(if url.is_public() { Exposure::Public } else { Exposure::Authenticated }, url.span);
    }
    for t in app.triggers_of(f) {
        let e = match &t.kind {
            TriggerKind::HttpRoute(_) | TriggerKind::Alb { .. }
                if t.is_public_unauthenticated() =>
            {
                Exposure::Public
            }
            TriggerKind::HttpRoute(_) | TriggerKind::Alb { .. } => Exposure::Authenticated,
            TriggerKind::Schedule { .. } => Exposure::Unknown,
            _ => Exposure::Internal,
        };
        raise(e, t.span);
    }
    best
}
