//! One module per subcommand. Each takes its parsed arguments and returns
//! the exit code; output goes through [`write_stdout`].

pub(crate) mod db;
pub(crate) mod deps;
pub(crate) mod explain;
pub(crate) mod iam;
pub(crate) mod rules;
pub(crate) mod sbom;
pub(crate) mod scan;

use std::io::{self, BufWriter, Write};

use anyhow::Context;

/// Runs `write` against a buffered, locked stdout and flushes it, so a
/// closed pipe surfaces as an `io::Error` that `main` recognises.
pub(crate) fn write_stdout(
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> anyhow::Result<()> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    write(&mut out).context("cannot write to stdout")?;
    out.flush().context("cannot write to stdout")
}

/// Up to three of `candidates` closest to `input`, best first, for "did
/// you mean" hints. Case is ignored; a candidate qualifies when the edit
/// distance is small for its length or one contains the other.
pub(crate) fn closest<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Vec<&'a str> {
    let input = input.to_ascii_lowercase();
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let lower = c.to_ascii_lowercase();
            let d = edit_distance(&input, &lower);
            let close = d <= (lower.len().max(input.len()) / 3).max(2);
            let contains = input.len() >= 3 && (lower.contains(&input) || input.contains(&lower));
            (close || contains).then_some((d, c))
        })
        .collect();
    scored.sort();
    scored.dedup_by_key(|(_, c)| *c);
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_suggests_near_codes_and_names() {
        let names = ["TRG001", "TRG002", "IAM001", "function-url-without-auth"];
        assert_eq!(closest("trg01", names), ["TRG001", "TRG002"]);
        assert_eq!(closest("function-url", names), ["function-url-without-auth"]);
        assert!(closest("zzzzzzzz", names).is_empty());
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
