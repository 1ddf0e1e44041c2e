//! Path-segment encoding, the one place a name typed by a user becomes part of a URL path.
//! Names are validated before they get here (D7), but a registry, group, repository or tag
//! typed by hand must still never change a URL's structure (a `?`, `#` or `/` where a segment
//! belongs). ARM segments keep only the unreserved characters; data-plane segments also keep
//! `:` (digests are `sha256:…`) and repositories keep their `/` (they are paths).

use percent_encoding::{AsciiSet, CONTROLS, NON_ALPHANUMERIC, utf8_percent_encode};

/// What an ARM path segment may keep: letters, digits and `-_.~()`.
const ARM: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'(')
    .remove(b')');

/// What a data-plane segment may not keep: what a URL path cannot hold, what would end the
/// path (`?`, `#`), `%` (so a name is never read as an escape) and `/`.
const DATA_PLANE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'%')
    .add(b'/');

/// One ARM path segment (a subscription, group, registry, token or scope-map name).
pub fn arm_segment(name: &str) -> String {
    utf8_percent_encode(name, ARM).to_string()
}

/// One data-plane path segment (a tag or a digest).
pub fn reference(name: &str) -> String {
    utf8_percent_encode(name, DATA_PLANE).to_string()
}

/// A repository name in a data-plane path: each `/`-separated part encoded, the `/` kept.
pub fn repository(name: &str) -> String {
    name.split('/').map(reference).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arm_segments_keep_only_unreserved_characters() {
        assert_eq!(arm_segment("my-registry_1.(x)~"), "my-registry_1.(x)~");
        assert_eq!(arm_segment("a/b?c#d e"), "a%2Fb%3Fc%23d%20e");
    }

    #[test]
    fn repositories_keep_their_slashes_and_nothing_else() {
        assert_eq!(repository("samples/hello-world"), "samples/hello-world");
        assert_eq!(repository("a b/c?d#e"), "a%20b/c%3Fd%23e");
    }

    #[test]
    fn references_keep_digests_and_never_read_as_escapes() {
        for (name, encoded) in [
            ("sha256:0123abc", "sha256:0123abc"),
            ("v1.0_beta-2", "v1.0_beta-2"),
            ("a/b%2F", "a%2Fb%252F"),
            ("é", "%C3%A9"),
        ] {
            assert_eq!(reference(name), encoded);
        }
    }
}
