//! tabulate's `_ansi_codes` regex (CSI sequences and OSC 8 hyperlinks) as a hand-written
//! matcher: tabulate measures cells without these sequences once any appears in a table.

/// Where an escape sequence starting at `i` ends, and which part of it is kept when
/// stripping (the link text of a hyperlink; nothing of a CSI sequence).
fn match_at(c: &[char], i: usize) -> Option<(usize, Option<(usize, usize)>)> {
    if c.get(i) != Some(&'\x1b') {
        return None;
    }
    match c.get(i + 1) {
        // CSI: ESC [ [\x30-\x3f]* [\x20-\x2f]* [\x40-\x7e]; the classes are disjoint,
        // so greedy scanning finds the only possible match.
        Some('[') => {
            let mut j = i + 2;
            while c.get(j).is_some_and(|x| ('\x30'..='\x3f').contains(x)) {
                j += 1;
            }
            while c.get(j).is_some_and(|x| ('\x20'..='\x2f').contains(x)) {
                j += 1;
            }
            c.get(j)
                .is_some_and(|x| ('\x40'..='\x7e').contains(x))
                .then_some((j + 1, None))
        }
        // OSC 8 ; (\w+=\w+:?)* ; URI ESC \ TEXT ESC ] 8 ; ; ESC \
        Some(']') => {
            if c.get(i + 2) != Some(&'8') || c.get(i + 3) != Some(&';') {
                return None;
            }
            let p0 = i + 4;
            let mut p = p0;
            while c
                .get(p)
                .is_some_and(|&x| is_word(x) || x == '=' || x == ':')
            {
                p += 1;
            }
            if c.get(p) != Some(&';') || !params(&c[p0..p]) {
                return None;
            }
            let uri_end = run_without_esc(c, p + 1)?;
            if c.get(uri_end + 1) != Some(&'\\') {
                return None;
            }
            let text_start = uri_end + 2;
            let text_end = run_without_esc(c, text_start)?;
            let closing = ['\x1b', ']', '8', ';', ';', '\x1b', '\\'];
            let end = text_end + closing.len();
            (c.get(text_end..end) == Some(&closing[..]))
                .then_some((end, Some((text_start, text_end))))
        }
        _ => None,
    }
}

/// Python's Unicode `\w` (approximated by Rust's alphanumeric property).
fn is_word(x: char) -> bool {
    x.is_alphanumeric() || x == '_'
}

/// End of a non-empty run of non-ESC characters from `start`, if ESC follows it.
fn run_without_esc(c: &[char], start: usize) -> Option<usize> {
    let mut j = start;
    while c.get(j).is_some_and(|&x| x != '\x1b') {
        j += 1;
    }
    (j > start && j < c.len()).then_some(j)
}

/// Does `s` (made of word characters, `=` and `:`) match `(\w+=\w+:?)*`? The second `\w+`
/// may give characters back to the next group's first `\w+`, so try each split.
fn params(s: &[char]) -> bool {
    if s.is_empty() {
        return true;
    }
    let first = s.iter().take_while(|&&x| is_word(x)).count();
    if first == 0 || s.get(first) != Some(&'=') {
        return false;
    }
    let rest = &s[first + 1..];
    let run = rest.iter().take_while(|&&x| is_word(x)).count();
    (1..=run)
        .rev()
        .any(|k| (rest.get(k) == Some(&':') && params(&rest[k + 1..])) || params(&rest[k..]))
}

/// `_ansi_codes.search(s) is not None`.
pub(super) fn contains_ansi(s: &str) -> bool {
    let c: Vec<char> = s.chars().collect();
    (0..c.len()).any(|i| match_at(&c, i).is_some())
}

/// `_strip_ansi(s)`: `_ansi_codes.sub(r"\4", s)`.
pub(super) fn strip_ansi(s: &str) -> String {
    if !s.contains('\x1b') {
        return s.to_string();
    }
    let c: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < c.len() {
        match match_at(&c, i) {
            Some((end, keep)) => {
                if let Some((a, b)) = keep {
                    out.extend(&c[a..b]);
                }
                i = end;
            }
            None => {
                out.push(c[i]);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csi_and_links() {
        for (text, plain) in [
            ("\x1b[31mred\x1b[0m text", "red text"),
            (
                "\x1b]8;;https://example.com\x1b\\link\x1b]8;;\x1b\\!",
                "link!",
            ),
            ("\x1b]8;a=bc=d;u\x1b\\t\x1b]8;;\x1b\\", "t"),
            // An unfinished sequence is text.
            ("\x1b[31", "\x1b[31"),
        ] {
            assert_eq!(strip_ansi(text), plain, "{text:?}");
        }
        assert!(!contains_ansi("plain\x1b"));
    }
}
