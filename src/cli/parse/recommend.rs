//! az's recommender: which help examples an argument error shows (those using most of the
//! user's parameters first), difflib's close matches for a misspelt subcommand, and what argparse
//! counts as an option token.

use clap::Command;

use crate::cli::examples;
use crate::error::Example;

/// Python's `difflib.get_close_matches(word, choices, cutoff=0.7)`: best first, ties broken by
/// the larger string, as `heapq.nlargest` does.
pub(super) fn close_matches<'a>(word: &str, choices: &[&'a str]) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = choices
        .iter()
        .map(|c| (similarity(word, c), *c))
        .filter(|(score, _)| *score >= 0.7)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(a.1)));
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// `difflib.SequenceMatcher(None, a, b).ratio()`: twice the matched characters over the total,
/// matches found as the longest common block, then recursively left and right of it.
pub(super) fn similarity(a: &str, b: &str) -> f64 {
    fn matched(a: &[char], b: &[char]) -> usize {
        let (mut best, mut best_i, mut best_j) = (0, 0, 0);
        for i in 0..a.len() {
            for j in 0..b.len() {
                let mut k = 0;
                while i + k < a.len() && j + k < b.len() && a[i + k] == b[j + k] {
                    k += 1;
                }
                if k > best {
                    (best, best_i, best_j) = (k, i, j);
                }
            }
        }
        if best == 0 {
            return 0;
        }
        best + matched(&a[..best_i], &b[..best_j])
            + matched(&a[best_i + best..], &b[best_j + best..])
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    2.0 * matched(&a, &b) as f64 / (a.len() + b.len()) as f64
}

/// az's recommender: the command's help examples sorted by how many of the user's parameters
/// they use (more first), then by how few parameters they have; the first three.
pub(super) fn recommend(path: &str, args: &[String], leaf: &Command) -> Vec<Example> {
    let normalize = |tokens: &mut dyn Iterator<Item = &str>| -> Vec<String> {
        let mut names: Vec<String> = tokens
            .filter(|t| looks_like_option(t))
            .filter_map(|t| {
                let name = t.split('=').next().unwrap_or(t);
                if name.starts_with("--") {
                    return Some(name.to_owned());
                }
                leaf.get_arguments()
                    .find(|a| a.get_short().map(|s| format!("-{s}")).as_deref() == Some(name))
                    .and_then(|a| a.get_long().map(|l| format!("--{l}")))
                    .or(Some(name.to_owned()))
            })
            .collect();
        names.sort();
        names
    };
    let user = normalize(&mut args.iter().map(String::as_str));
    let mut candidates: Vec<(usize, usize, Example)> = examples::for_command(path)
        .iter()
        .map(|(summary, line)| {
            let params = normalize(&mut line.split_whitespace());
            let matches = params.iter().filter(|p| user.contains(p)).count();
            (
                matches,
                params.len(),
                Example {
                    command: (*line).to_owned(),
                    summary: (*summary).to_owned(),
                },
            )
        })
        .collect();
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    candidates.into_iter().take(3).map(|(_, _, e)| e).collect()
}

/// Whether a token is an option (`-x`, `--long`), not a value such as `-5`.
pub(super) fn looks_like_option(token: &str) -> bool {
    token.starts_with('-') && token.len() > 1 && !is_negative_number(token)
}

fn is_negative_number(token: &str) -> bool {
    let rest = &token[1..];
    !rest.is_empty()
        && rest.chars().all(|c| c.is_ascii_digit() || c == '.')
        && rest.chars().filter(|&c| c == '.').count() <= 1
}
