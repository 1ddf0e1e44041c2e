//! PyYAML's decisions about one scalar: whether a string would be read back as another
//! type (the YAML 1.1 implicit resolvers of `yaml/resolver.py`), and which styles it
//! allows (`Emitter.analyze_scalar`). `yaml.rs` uses both to pick plain, single- or
//! double-quoted style exactly as `yaml.safe_dump` does.

/// Line breaks as the emitter knows them.
pub(super) fn is_break(c: char) -> bool {
    matches!(c, '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blank_or_break(c: char) -> bool {
    matches!(c, '\0' | ' ' | '\t' | '\r') || is_break(c)
}

/// True when some implicit resolver (bool, int, float, null, timestamp, merge, value,
/// yaml) matches, i.e. a plain scalar with this text would not load back as a string.
pub(super) fn resolves_to_non_str(s: &str) -> bool {
    // Python's `$` also matches just before a final newline.
    let full = |f: fn(&[u8]) -> bool| {
        f(s.as_bytes()) || s.strip_suffix('\n').is_some_and(|t| f(t.as_bytes()))
    };
    full(is_bool)
        || full(is_float)
        || full(is_int)
        || full(is_null)
        || full(is_timestamp)
        || full(|b| matches!(b, b"<<" | b"=" | b"!" | b"&" | b"*"))
}

fn is_bool(b: &[u8]) -> bool {
    matches!(
        b,
        b"yes"
            | b"Yes"
            | b"YES"
            | b"no"
            | b"No"
            | b"NO"
            | b"true"
            | b"True"
            | b"TRUE"
            | b"false"
            | b"False"
            | b"FALSE"
            | b"on"
            | b"On"
            | b"ON"
            | b"off"
            | b"Off"
            | b"OFF"
    )
}

fn is_null(b: &[u8]) -> bool {
    matches!(b, b"~" | b"null" | b"Null" | b"NULL" | b"")
}

/// A cursor over ASCII-only regex pieces; non-ASCII bytes never match any class.
struct Cur<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cur<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn eat(&mut self, f: impl Fn(u8) -> bool) -> bool {
        if self.peek().is_some_and(&f) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn eat_while(&mut self, f: impl Fn(u8) -> bool) -> usize {
        let start = self.i;
        while self.eat(&f) {}
        self.i - start
    }
    fn done(&self) -> bool {
        self.i == self.b.len()
    }
    fn sign(&mut self) {
        self.eat(|c| c == b'+' || c == b'-');
    }
    fn rest(&self) -> &[u8] {
        &self.b[self.i..]
    }
}

fn digit(c: u8) -> bool {
    c.is_ascii_digit()
}
fn digit_(c: u8) -> bool {
    c.is_ascii_digit() || c == b'_'
}

/// `(?::[0-5]?[0-9])+`, each group followed by `:` or by what comes next (`next`).
fn sexagesimal(c: &mut Cur, next: Option<u8>) -> bool {
    let mut groups = 0;
    while c.peek() == Some(b':') {
        c.i += 1;
        let start = c.i;
        let n = c.eat_while(digit);
        let ok = n == 1 || (n == 2 && c.b[start] <= b'5');
        if !ok {
            return false;
        }
        groups += 1;
        if c.peek() != Some(b':') && c.peek() != next {
            return false;
        }
    }
    groups > 0
}

/// Optional `[eE][-+][0-9]+` and then the end of the text.
fn exponent_then_end(c: &mut Cur) -> bool {
    if c.done() {
        return true;
    }
    c.eat(|x| x == b'e' || x == b'E') && {
        let signed = c.eat(|x| x == b'+' || x == b'-');
        signed && c.eat_while(digit) > 0 && c.done()
    }
}

fn is_float(b: &[u8]) -> bool {
    // [-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)?
    let a = {
        let mut c = Cur { b, i: 0 };
        c.sign();
        c.eat(digit) && {
            c.eat_while(digit_);
            c.eat(|x| x == b'.') && {
                c.eat_while(digit_);
                exponent_then_end(&mut c)
            }
        }
    };
    // \.[0-9][0-9_]*([eE][-+][0-9]+)?
    let bb = {
        let mut c = Cur { b, i: 0 };
        c.eat(|x| x == b'.') && c.eat(digit) && {
            c.eat_while(digit_);
            exponent_then_end(&mut c)
        }
    };
    // [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*
    let sexa = {
        let mut c = Cur { b, i: 0 };
        c.sign();
        c.eat(digit) && {
            c.eat_while(digit_);
            sexagesimal(&mut c, Some(b'.')) && c.eat(|x| x == b'.') && {
                c.eat_while(digit_);
                c.done()
            }
        }
    };
    // [-+]?\.(inf|Inf|INF) | \.(nan|NaN|NAN)
    let special = {
        let mut c = Cur { b, i: 0 };
        c.sign();
        matches!(c.rest(), b".inf" | b".Inf" | b".INF")
    } || matches!(b, b".nan" | b".NaN" | b".NAN");
    a || bb || sexa || special
}

fn is_int(b: &[u8]) -> bool {
    let mut c = Cur { b, i: 0 };
    c.sign();
    let body = c.rest();
    let run = |prefix: &[u8], f: fn(u8) -> bool| {
        body.strip_prefix(prefix)
            .is_some_and(|r| !r.is_empty() && r.iter().all(|&x| f(x)))
    };
    if run(b"0b", |x| x == b'0' || x == b'1' || x == b'_')
        || run(b"0", |x| (b'0'..=b'7').contains(&x) || x == b'_')
        || body == b"0"
        || run(b"0x", |x| x.is_ascii_hexdigit() || x == b'_')
    {
        return true;
    }
    // [1-9][0-9_]* alone, or followed by sexagesimal groups.
    let mut d = Cur { b: body, i: 0 };
    if !d.eat(|x| (b'1'..=b'9').contains(&x)) {
        return false;
    }
    d.eat_while(digit_);
    d.done() || (sexagesimal(&mut d, None) && d.done())
}

fn is_timestamp(b: &[u8]) -> bool {
    let mut c = Cur { b, i: 0 };
    if c.eat_while(digit) != 4 || !c.eat(|x| x == b'-') {
        return false;
    }
    let month = c.eat_while(digit);
    if !c.eat(|x| x == b'-') {
        return false;
    }
    let day = c.eat_while(digit);
    if c.done() {
        // [0-9]{4}-[0-9]{2}-[0-9]{2}
        return month == 2 && day == 2;
    }
    if !(1..=2).contains(&month) || !(1..=2).contains(&day) {
        return false;
    }
    // (?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
    if !c.eat(|x| x == b'T' || x == b't') && c.eat_while(|x| x == b' ' || x == b'\t') == 0 {
        return false;
    }
    let hour = c.eat_while(digit);
    if !(1..=2).contains(&hour) {
        return false;
    }
    for _ in 0..2 {
        if !c.eat(|x| x == b':') || c.eat_while(digit) != 2 {
            return false;
        }
    }
    if c.eat(|x| x == b'.') {
        c.eat_while(digit);
    }
    if c.done() {
        return true;
    }
    // (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?
    c.eat_while(|x| x == b' ' || x == b'\t');
    if c.eat(|x| x == b'Z') {
        return c.done();
    }
    if !c.eat(|x| x == b'+' || x == b'-') || !(1..=2).contains(&c.eat_while(digit)) {
        return false;
    }
    c.done() || (c.eat(|x| x == b':') && c.eat_while(digit) == 2 && c.done())
}

/// `yaml.emitter.ScalarAnalysis`, minus `allow_double_quoted` (always true).
pub(super) struct Analysis {
    pub empty: bool,
    pub multiline: bool,
    pub allow_block_plain: bool,
    pub allow_single_quoted: bool,
}

/// A port of `Emitter.analyze_scalar` with `allow_unicode=True`.
pub(super) fn analyze(text: &[char]) -> Analysis {
    if text.is_empty() {
        return Analysis {
            empty: true,
            multiline: false,
            allow_block_plain: true,
            allow_single_quoted: true,
        };
    }
    let mut block_indicators = false;
    let mut line_breaks = false;
    let mut special_characters = false;
    let (mut leading_space, mut leading_break) = (false, false);
    let (mut trailing_space, mut trailing_break) = (false, false);
    let (mut break_space, mut space_break) = (false, false);
    if text.starts_with(&['-', '-', '-']) || text.starts_with(&['.', '.', '.']) {
        block_indicators = true;
    }
    let mut preceded_by_whitespace = true;
    let mut followed_by_whitespace = text.len() == 1 || is_blank_or_break(text[1]);
    let (mut previous_space, mut previous_break) = (false, false);
    let last = text.len() - 1;
    for (index, &ch) in text.iter().enumerate() {
        if index == 0 {
            if "#,[]{}&*!|>'\"%@`".contains(ch) {
                block_indicators = true;
            }
            if (ch == '?' || ch == ':' || ch == '-') && followed_by_whitespace {
                block_indicators = true;
            }
        } else if (ch == ':' && followed_by_whitespace) || (ch == '#' && preceded_by_whitespace) {
            block_indicators = true;
        }
        if is_break(ch) {
            line_breaks = true;
        }
        if !(ch == '\n' || (' '..='~').contains(&ch)) {
            let unicode = (ch == '\u{85}'
                || ('\u{a0}'..='\u{d7ff}').contains(&ch)
                || ('\u{e000}'..='\u{fffd}').contains(&ch)
                || ('\u{10000}'..'\u{10ffff}').contains(&ch))
                && ch != '\u{feff}';
            if !unicode {
                special_characters = true;
            }
        }
        if ch == ' ' {
            leading_space |= index == 0;
            trailing_space |= index == last;
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if is_break(ch) {
            leading_break |= index == 0;
            trailing_break |= index == last;
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blank_or_break(ch);
        followed_by_whitespace = index + 2 >= text.len() || is_blank_or_break(text[index + 2]);
    }
    let mut allow_block_plain = true;
    let mut allow_single_quoted = true;
    if leading_space || leading_break || trailing_space || trailing_break {
        allow_block_plain = false;
    }
    if break_space {
        allow_block_plain = false;
        allow_single_quoted = false;
    }
    if space_break || special_characters {
        allow_block_plain = false;
        allow_single_quoted = false;
    }
    if line_breaks || block_indicators {
        allow_block_plain = false;
    }
    Analysis {
        empty: false,
        multiline: line_breaks,
        allow_block_plain,
        allow_single_quoted,
    }
}

#[cfg(test)]
mod tests {
    use super::resolves_to_non_str as r;

    #[test]
    fn implicit_resolvers() {
        for s in [
            "yes",
            "No",
            "on",
            "OFF",
            "0x1F",
            "1_000",
            "1:30",
            "-1:30:59",
            ".5",
            "1.",
            "1.5e+3",
            "+.inf",
            ".NaN",
            "~",
            "",
            "null",
            "2024-01-01",
            "2024-05-01T10:20:30+00:00",
            "2024-1-1 1:02:03.5 -5",
            "<<",
            "=",
            "0b101",
            "017",
            "0",
            "-0",
            "1:2:3.5",
            "yes\n",
            "1:2:3",
            "1__:30",
        ] {
            assert!(r(s), "{s:?} should resolve");
        }
        for s in [
            "1e3",
            "08",
            "1.5e3",
            "y",
            "n",
            "0x",
            "1:60",
            "2024-01-01T10:20",
            "2024-1-01",
            "abc",
            "2024-01-01T10:20:30+",
            "0:30",
            "-",
            ".",
            "+",
            "Yes ",
        ] {
            assert!(!r(s), "{s:?} should stay a string");
        }
    }
}
