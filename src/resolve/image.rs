//! `--image` parsing of the repository commands (az `_parse_image_name`).

use crate::error::{Error, Result};

/// What an `--image` names.
#[derive(Debug, PartialEq, Eq)]
pub enum Image {
    Tag { repository: String, tag: String },
    Digest { repository: String, digest: String },
}

pub const IMAGE_FORMAT: &str = "The name of the image may include a tag in the format 'name:tag' or digest in the format 'name@digest'.";
pub const TAG_FORMAT: &str = "The name of the image may include a tag in the format 'name:tag'.";

/// The two sides of `image` around `sep` when it stands in it exactly once (az splits and
/// expects two parts).
fn halves(image: &str, sep: char) -> Option<(String, String)> {
    match image.split(sep).collect::<Vec<_>>()[..] {
        [a, b] => Some((a.to_owned(), b.to_owned())),
        _ => None,
    }
}

/// `repo@digest`, `repo:tag` or bare `repo` (tag `latest`). A login-server prefix is not
/// stripped, as in az. With `allow_digest` false (untag), digests are rejected.
pub fn parse(image: &str, allow_digest: bool) -> Result<Image> {
    let error = || {
        Error::cli(if allow_digest {
            IMAGE_FORMAT
        } else {
            TAG_FORMAT
        })
    };
    if allow_digest && image.contains('@') {
        let (repository, digest) = halves(image, '@').ok_or_else(error)?;
        return Ok(Image::Digest { repository, digest });
    }
    if image.contains(':') && !image.contains('@') {
        let (repository, tag) = halves(image, ':').ok_or_else(error)?;
        return Ok(Image::Tag { repository, tag });
    }
    if !image.contains(':') && !image.contains('@') {
        return Ok(Image::Tag {
            repository: image.to_owned(),
            tag: "latest".to_owned(),
        });
    }
    Err(error())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        assert_eq!(
            parse("hello-world", true).unwrap(),
            Image::Tag {
                repository: "hello-world".into(),
                tag: "latest".into()
            }
        );
        assert_eq!(
            parse("a/b:v1", true).unwrap(),
            Image::Tag {
                repository: "a/b".into(),
                tag: "v1".into()
            }
        );
        assert_eq!(
            parse("a@sha256:abc", true).unwrap(),
            Image::Digest {
                repository: "a".into(),
                digest: "sha256:abc".into()
            }
        );
        assert_eq!(parse("a:b:c", true).unwrap_err().to_string(), IMAGE_FORMAT);
        assert_eq!(
            parse("a@sha256:abc", false).unwrap_err().to_string(),
            TAG_FORMAT
        );
        assert_eq!(
            parse("myreg.azurecr.io/hello:1", true).unwrap(),
            Image::Tag {
                repository: "myreg.azurecr.io/hello".into(),
                tag: "1".into()
            }
        );
    }
}
