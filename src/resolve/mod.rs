//! Arguments → validated input: az's validators and the checks acr adds (D4, D7), as pure
//! functions with az's exact messages. Nothing here does I/O; commands call these before any
//! request is sent.

pub mod actions;
pub mod expiration;
pub mod image;
pub mod names;
pub mod registry;
pub mod rotation;

/// Python's `repr()` of a string, as az's messages embed it (`'a/content/read'`): the one
/// implementation, shared with the output formatters.
pub(crate) use crate::output::pyfmt::str_repr as python_repr;

#[cfg(test)]
mod tests {
    use super::python_repr;

    #[test]
    fn repr_like_python() {
        for (text, repr) in [
            ("a/content/read", "'a/content/read'"),
            ("it's", "\"it's\""),
            ("a'b\"c", "'a\\'b\"c'"),
            ("tab\there", "'tab\\there'"),
            // Python escapes what str.isprintable() rejects, not only ASCII controls.
            ("a\u{85}b\u{200b}", "'a\\x85b\\u200b'"),
        ] {
            assert_eq!(python_repr(text), repr, "{text:?}");
        }
    }
}
