//! Client-side name rules for tokens and scope maps (D7): the service's patterns, checked before
//! any request so a typo costs no round trip.

use crate::error::{Error, Result};

pub const BAD_TOKEN_NAME: &str = "Token names may contain only alpha numeric characters and hyphens and must be between 5 and 50 characters";
pub const BAD_SCOPE_MAP_NAME: &str = "Scope map names may contain only alpha numeric characters, hyphens and underscores and must be between 5 and 50 characters";

fn matches(name: &str, extra: &[char]) -> bool {
    (5..=50).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || extra.contains(&c))
}

/// `^[a-zA-Z0-9-]{5,50}$`
pub fn token(name: &str) -> Result<()> {
    if matches(name, &['-']) {
        Ok(())
    } else {
        Err(Error::cli(BAD_TOKEN_NAME))
    }
}

/// `^[a-zA-Z0-9-_]{5,50}$`
pub fn scope_map(name: &str) -> Result<()> {
    if matches(name, &['-', '_']) {
        Ok(())
    } else {
        Err(Error::cli(BAD_SCOPE_MAP_NAME))
    }
}

/// The scope map `token create --repository/--gateway` creates for a token.
pub fn default_scope_map(token: &str) -> Result<String> {
    let name = format!("{token}-scope-map");
    if name.chars().count() > 50 {
        return Err(Error::cli(format!(
            "The default scope map name '{name}' would be longer than 50 characters. Use a token name of at most 40 characters, or use --scope-map."
        )));
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        assert!(token("tok-1").is_ok());
        assert_eq!(token("bad name!").unwrap_err().to_string(), BAD_TOKEN_NAME);
        assert!(token("tok_1").is_err());
        assert!(token("abcd").is_err());
        assert!(token(&"a".repeat(51)).is_err());
        assert!(scope_map("_repositories_pull").is_ok());
        assert!(scope_map("my.map").is_err());
        assert_eq!(default_scope_map("tok1").unwrap(), "tok1-scope-map");
        assert!(default_scope_map(&"a".repeat(40)).is_ok());
        assert!(
            default_scope_map(&"a".repeat(41))
                .unwrap_err()
                .to_string()
                .contains("longer than 50")
        );
    }
}
