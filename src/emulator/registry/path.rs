//! The one parser of data-plane paths. Repository names contain `/`, so a path is split into
//! percent-decoded segments and matched from the right (`…/manifests/<ref>`,
//! `…/blobs/uploads/<id>`, `…/_tags/<tag>`); everything before the suffix is the name, which
//! must then match the OCI name grammar. Pure: no I/O, no state.

use percent_encoding::percent_decode_str;

/// A data-plane route. `name` is a repository name as given (validated separately).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// `/v2/`
    Base,
    /// `/v2/_catalog`
    Catalog,
    /// `/v2/<name>/tags/list`
    TagsList(String),
    /// `/v2/<name>/manifests/<reference>`
    Manifest(String, String),
    /// `/v2/<name>/blobs/<digest>`
    Blob(String, String),
    /// `/v2/<name>/blobs/uploads/`
    UploadStart(String),
    /// `/v2/<name>/blobs/uploads/<id>`
    Upload(String, String),
    /// `/v2/<name>/referrers/<digest>`
    Referrers(String, String),
    /// `/acr/v1/_catalog`
    AcrCatalog,
    /// `/acr/v1/<name>`
    AcrRepository(String),
    /// `/acr/v1/<name>/_tags`
    AcrTags(String),
    /// `/acr/v1/<name>/_tags/<tag>`
    AcrTag(String, String),
    /// `/acr/v1/<name>/_manifests`
    AcrManifests(String),
    /// `/acr/v1/<name>/_manifests/<digest>`
    AcrManifest(String, String),
    /// `/oauth2/token`
    OAuthToken,
    /// `/oauth2/exchange`
    OAuthExchange,
}

impl Route {
    /// The repository the route is about, if any.
    pub fn repository(&self) -> Option<&str> {
        match self {
            Route::TagsList(n)
            | Route::Manifest(n, _)
            | Route::Blob(n, _)
            | Route::UploadStart(n)
            | Route::Upload(n, _)
            | Route::Referrers(n, _)
            | Route::AcrRepository(n)
            | Route::AcrTags(n)
            | Route::AcrTag(n, _)
            | Route::AcrManifests(n)
            | Route::AcrManifest(n, _) => Some(n),
            _ => None,
        }
    }
}

fn segments(rest: &str) -> Option<Vec<String>> {
    rest.split('/')
        .map(|s| {
            percent_decode_str(s)
                .decode_utf8()
                .ok()
                .map(|c| c.into_owned())
        })
        .collect()
}

fn join(parts: &[String]) -> Option<String> {
    (!parts.is_empty() && parts.iter().all(|p| !p.is_empty())).then(|| parts.join("/"))
}

/// Parses a request path (without query). `None`: not a data-plane route.
pub fn parse(path: &str) -> Option<Route> {
    match path {
        "/v2" | "/v2/" => return Some(Route::Base),
        "/v2/_catalog" => return Some(Route::Catalog),
        "/acr/v1/_catalog" => return Some(Route::AcrCatalog),
        "/oauth2/token" => return Some(Route::OAuthToken),
        "/oauth2/exchange" => return Some(Route::OAuthExchange),
        _ => {}
    }
    // Slice patterns, not indexing: the request decides how many segments there are.
    if let Some(rest) = path.strip_prefix("/v2/") {
        let s = segments(rest)?;
        return match s.as_slice() {
            [name @ .., t, l] if !name.is_empty() && t == "tags" && l == "list" => {
                Some(Route::TagsList(join(name)?))
            }
            [name @ .., b, u, id] if !name.is_empty() && b == "blobs" && u == "uploads" => {
                let name = join(name)?;
                Some(if id.is_empty() {
                    Route::UploadStart(name)
                } else {
                    Route::Upload(name, id.to_string())
                })
            }
            [name @ .., b, u] if !name.is_empty() && b == "blobs" && u == "uploads" => {
                Some(Route::UploadStart(join(name)?))
            }
            [name @ .., kind, tail] if !name.is_empty() && !tail.is_empty() => {
                let tail = tail.to_string();
                match kind.as_str() {
                    "manifests" => Some(Route::Manifest(join(name)?, tail)),
                    "blobs" => Some(Route::Blob(join(name)?, tail)),
                    "referrers" => Some(Route::Referrers(join(name)?, tail)),
                    _ => None,
                }
            }
            _ => None,
        };
    }
    if let Some(rest) = path.strip_prefix("/acr/v1/") {
        let s = segments(rest.strip_suffix('/').unwrap_or(rest))?;
        return match s.as_slice() {
            [name @ .., t] if !name.is_empty() && t == "_tags" => Some(Route::AcrTags(join(name)?)),
            [name @ .., m] if !name.is_empty() && m == "_manifests" => {
                Some(Route::AcrManifests(join(name)?))
            }
            [name @ .., t, tag] if !name.is_empty() && t == "_tags" => {
                Some(Route::AcrTag(join(name)?, tag.to_string()))
            }
            [name @ .., m, digest] if !name.is_empty() && m == "_manifests" => {
                Some(Route::AcrManifest(join(name)?, digest.to_string()))
            }
            all => Some(Route::AcrRepository(join(all)?)),
        };
    }
    None
}

/// The OCI repository name grammar:
/// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*`, at most 255 bytes.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 255 && name.split('/').all(valid_component)
}

fn valid_component(c: &str) -> bool {
    let alnum = |x: u8| x.is_ascii_lowercase() || x.is_ascii_digit();
    let b = c.as_bytes();
    if !b.first().copied().is_some_and(alnum) || !b.last().copied().is_some_and(alnum) {
        return false;
    }
    let mut it = b.iter().copied().peekable();
    while let Some(x) = it.next() {
        if alnum(x) {
            continue;
        }
        // A separator: `.`, `_`, `__` or one or more `-`, always between alphanumerics.
        match x {
            b'.' => {}
            b'_' => {
                it.next_if_eq(&b'_');
            }
            b'-' => while it.next_if_eq(&b'-').is_some() {},
            _ => return false,
        }
        if !it.peek().copied().is_some_and(alnum) {
            return false;
        }
    }
    true
}

/// Tag grammar: `[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`.
pub fn valid_tag(tag: &str) -> bool {
    let Some((&first, rest)) = tag.as_bytes().split_first() else {
        return false;
    };
    tag.len() <= 128
        && (first.is_ascii_alphanumeric() || first == b'_')
        && rest
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_route_shape() {
        let d = "sha256:0123";
        let cases: Vec<(&str, Option<Route>)> = vec![
            ("/v2/", Some(Route::Base)),
            ("/v2", Some(Route::Base)),
            ("/v2/_catalog", Some(Route::Catalog)),
            ("/v2/hello/tags/list", Some(Route::TagsList("hello".into()))),
            (
                "/v2/samples/hello-world/tags/list",
                Some(Route::TagsList("samples/hello-world".into())),
            ),
            (
                "/v2/a/b/c/manifests/v1",
                Some(Route::Manifest("a/b/c".into(), "v1".into())),
            ),
            (
                "/v2/a/manifests/sha256:0123",
                Some(Route::Manifest("a".into(), d.into())),
            ),
            (
                "/v2/a/manifests/sha256%3A0123",
                Some(Route::Manifest("a".into(), d.into())),
            ),
            // A repository may itself be called `manifests`, `blobs` or `tags`.
            (
                "/v2/x/manifests/manifests/v1",
                Some(Route::Manifest("x/manifests".into(), "v1".into())),
            ),
            (
                "/v2/blobs/blobs/sha256:0123",
                Some(Route::Blob("blobs".into(), d.into())),
            ),
            ("/v2/tags/tags/list", Some(Route::TagsList("tags".into()))),
            (
                "/v2/a/b/blobs/sha256:0123",
                Some(Route::Blob("a/b".into(), d.into())),
            ),
            (
                "/v2/a/b/blobs/uploads/",
                Some(Route::UploadStart("a/b".into())),
            ),
            (
                "/v2/a/b/blobs/uploads",
                Some(Route::UploadStart("a/b".into())),
            ),
            (
                "/v2/a/b/blobs/uploads/3f2c",
                Some(Route::Upload("a/b".into(), "3f2c".into())),
            ),
            (
                "/v2/a/referrers/sha256:0123",
                Some(Route::Referrers("a".into(), d.into())),
            ),
            (
                "/v2/samples%2Fhello/tags/list",
                Some(Route::TagsList("samples/hello".into())),
            ),
            ("/v2/manifests/v1", None),
            ("/v2//manifests/v1", None),
            ("/v2/a//b/manifests/v1", None),
            ("/v2/a/manifests/", None),
            ("/v2/a/unknown/x", None),
            ("/v2/tags/list", None),
            ("/acr/v1/_catalog", Some(Route::AcrCatalog)),
            ("/acr/v1/hello", Some(Route::AcrRepository("hello".into()))),
            (
                "/acr/v1/samples/hello-world",
                Some(Route::AcrRepository("samples/hello-world".into())),
            ),
            (
                "/acr/v1/samples/hello-world/",
                Some(Route::AcrRepository("samples/hello-world".into())),
            ),
            (
                "/acr/v1/samples/hello-world/_tags",
                Some(Route::AcrTags("samples/hello-world".into())),
            ),
            (
                "/acr/v1/a/b/_tags/v1",
                Some(Route::AcrTag("a/b".into(), "v1".into())),
            ),
            (
                "/acr/v1/a/b/_manifests",
                Some(Route::AcrManifests("a/b".into())),
            ),
            (
                "/acr/v1/a/b/_manifests/sha256:0123",
                Some(Route::AcrManifest("a/b".into(), d.into())),
            ),
            // No name before `_tags`: a "repository" the name grammar then rejects.
            ("/acr/v1/_tags", Some(Route::AcrRepository("_tags".into()))),
            ("/acr/v1/", None),
            ("/oauth2/token", Some(Route::OAuthToken)),
            ("/oauth2/exchange", Some(Route::OAuthExchange)),
            ("/oauth2/other", None),
            ("/v1/", None),
            ("/", None),
        ];
        for (path, want) in cases {
            assert_eq!(parse(path), want, "{path}");
        }
        assert_eq!(
            parse("/v2/a/b/manifests/v1").unwrap().repository(),
            Some("a/b")
        );
        assert_eq!(parse("/v2/").unwrap().repository(), None);
    }

    #[test]
    fn repository_name_grammar() {
        for ok in [
            "a",
            "hello-world",
            "samples/hello-world",
            "a.b",
            "a_b",
            "a__b",
            "a---b",
            "a0/b1/c2",
            "x9",
        ] {
            assert!(valid_name(ok), "{ok}");
        }
        for bad in [
            "", "A", "a/", "/a", "a//b", "-a", "a-", "a___b", "a..b", "a._b", "a b", "héllo", "_a",
            "a/.b",
        ] {
            assert!(!valid_name(bad), "{bad}");
        }
        assert!(!valid_name(&"a".repeat(256)));
    }

    #[test]
    fn tag_grammar() {
        for ok in ["v1", "latest", "_x", "1.0.0-rc_1", &"a".repeat(128)] {
            assert!(valid_tag(ok), "{ok}");
        }
        for bad in ["", ".v1", "-v1", "v:1", "v/1", &"a".repeat(129)] {
            assert!(!valid_tag(bad), "{bad}");
        }
    }
}
