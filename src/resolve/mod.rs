//! Arguments → validated input: az's validators and the checks acr adds (D4, D7), as pure
//! functions with az's exact messages. Nothing here does I/O; commands call these before any
//! request is sent.

pub mod actions;
pub mod expiration;
pub mod image;
pub mod names;
pub mod registry;

/// Python's `repr()` of a string, as az's messages embed it (`'a/content/read'`).
pub fn python_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use super::python_repr;

    #[test]
    fn repr_like_python() {
        assert_eq!(python_repr("a/content/read"), "'a/content/read'");
        assert_eq!(python_repr("it's"), "\"it's\"");
        assert_eq!(python_repr("a'b\"c"), "'a\\'b\"c'");
        assert_eq!(python_repr("tab\there"), "'tab\\there'");
    }
}
