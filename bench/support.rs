//! Helpers shared by the code benchmarks (`crates/faasguard_privilege/benches/infer.rs`,
//! `crates/faasguard_taint/benches/taint.rs`), included with `#[path]`:
//! a bench target cannot depend on another crate's bench files.

use std::time::Duration;

/// An environment variable as a number, or the default.
pub(crate) fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The median of the runs.
pub(crate) fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

/// Lines per second.
pub(crate) fn per_second(lines: usize, d: Duration) -> f64 {
    lines as f64 / d.as_secs_f64().max(1e-9)
}

/// Peak resident memory of this process so far, in MB (Linux `VmHWM`).
pub(crate) fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
