//! Azure's rules for names, api-versions and scope-map actions, as pure functions with
//! table-driven tests. They return the message of the violation; handlers wrap it in the ARM
//! error. No I/O, no state.

/// api-versions of `Microsoft.ContainerRegistry` the emulator serves.
pub const ACR_API_VERSIONS: &[&str] = &[
    "2022-12-01",
    "2023-07-01",
    "2025-04-01",
    "2026-09-01-preview",
];

pub const REPOSITORY_ACTIONS: &[&str] = &[
    "content/delete",
    "content/read",
    "content/write",
    "metadata/read",
    "metadata/write",
];
pub const GATEWAY_ACTIONS: &[&str] = &[
    "config/read",
    "config/write",
    "message/read",
    "message/write",
];

pub const MAX_DESCRIPTION: usize = 256;

fn name_ok(name: &str, min: usize, max: usize, extra: &[char]) -> bool {
    (min..=max).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || extra.contains(&c))
}

/// 5–50 characters, `^[a-zA-Z0-9]*$`.
pub fn valid_registry_name(name: &str) -> bool {
    name_ok(name, 5, 50, &[])
}

/// 5–50 characters, `^[a-zA-Z0-9-]*$`.
pub fn valid_token_name(name: &str) -> bool {
    name_ok(name, 5, 50, &['-'])
}

/// 5–50 characters, `^[a-zA-Z0-9-_]*$`.
pub fn valid_scope_map_name(name: &str) -> bool {
    name_ok(name, 5, 50, &['-', '_'])
}

/// 1–90 characters, `^[-\w\._\(\)]+$`, not ending in a period (ARM).
pub fn valid_resource_group(name: &str) -> bool {
    (1..=90).contains(&name.chars().count())
        && !name.ends_with('.')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '(' | ')'))
}

/// `YYYY-MM-DD` with an optional `-preview` style suffix.
pub fn well_formed_api_version(v: &str) -> bool {
    let (Some(date), Some(suffix)) = (v.get(..10), v.get(10..)) else {
        return false;
    };
    date.bytes().enumerate().all(|(i, c)| {
        if i == 4 || i == 7 {
            c == b'-'
        } else {
            c.is_ascii_digit()
        }
    }) && (suffix.is_empty()
        || suffix
            .strip_prefix('-')
            .is_some_and(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric())))
}

/// The message of an invalid token name (5–50, `^[a-zA-Z0-9-]*$`), shared by the management
/// API (`InvalidResourceName`) and the console.
pub fn check_token_name(name: &str) -> Result<(), String> {
    valid_token_name(name).then_some(()).ok_or_else(|| format!(
        "The token name '{name}' is invalid. Token names may contain only alpha numeric characters and hyphens and must be between 5 and 50 characters."
    ))
}

/// The message of an invalid scope-map name (5–50, `^[a-zA-Z0-9-_]*$`).
pub fn check_scope_map_name(name: &str) -> Result<(), String> {
    valid_scope_map_name(name).then_some(()).ok_or_else(|| format!(
        "The scope map name '{name}' is invalid. Scope map names may contain only alpha numeric characters, hyphens and underscores and must be between 5 and 50 characters."
    ))
}

/// A scope-map description of at most [`MAX_DESCRIPTION`] characters.
pub fn check_description(d: Option<&str>) -> Result<(), String> {
    match d {
        Some(d) if d.chars().count() > MAX_DESCRIPTION => Err(format!(
            "properties.description is {} characters long; the maximum is {MAX_DESCRIPTION}.",
            d.chars().count()
        )),
        _ => Ok(()),
    }
}

/// Why a scope map's action list is refused: the index of the bad action, if one is to
/// blame, and the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionsError {
    pub index: Option<usize>,
    pub message: String,
}

/// Checks every action ([`check_action`]) and the per-map limits (`limit` actions, and as
/// many distinct repositories).
pub fn check_actions(actions: &[String], limit: usize) -> Result<(), ActionsError> {
    for (i, a) in actions.iter().enumerate() {
        check_action(a).map_err(|message| ActionsError {
            index: Some(i),
            message,
        })?;
    }
    // Both per-map counts have the same limit: "can have at most 500 actions".
    let at_most = |count: usize, verb: &str, noun: &str| {
        if count <= limit {
            return Ok(());
        }
        Err(ActionsError {
            index: None,
            message: format!(
                "A scope map can {verb} at most {limit} {noun}; the request has {count}."
            ),
        })
    };
    at_most(actions.len(), "have", "actions")?;
    let repos: std::collections::HashSet<&str> = actions
        .iter()
        .filter(|a| a.starts_with("repositories/"))
        .map(|a| action_target(a))
        .collect();
    at_most(repos.len(), "reference", "repositories")
}

/// Checks one scope-map action: `repositories/<repo>/<action>` or `gateway/<name>/<action>`.
pub fn check_action(action: &str) -> Result<(), String> {
    let invalid = |why: &str| Err(format!("The action '{action}' is invalid: {why}"));
    let (kind, rest) = match action.split_once('/') {
        Some(x) => x,
        None => {
            return invalid(
                "an action must be 'repositories/<repository>/<action>' or 'gateway/<connected registry>/<action>'.",
            );
        }
    };
    let (allowed, noun) = match kind {
        "repositories" => (REPOSITORY_ACTIONS, "repository"),
        "gateway" => (GATEWAY_ACTIONS, "gateway"),
        _ => {
            return invalid("an action must start with 'repositories/' or 'gateway/'.");
        }
    };
    // The target may contain '/', the action is always the last two segments.
    let mut parts = rest.rsplitn(3, '/');
    let (Some(verb), Some(group), Some(target)) = (parts.next(), parts.next(), parts.next()) else {
        return invalid(&format!("expected '{kind}/<{noun}>/<action>'."));
    };
    let act = format!("{group}/{verb}");
    if !allowed.contains(&act.as_str()) {
        return invalid(&format!(
            "'{act}' is not a valid {noun} action; valid actions are {}.",
            allowed.join(", ")
        ));
    }
    if target.is_empty() || target.split('/').any(str::is_empty) {
        return invalid(&format!("the {noun} name is empty."));
    }
    if kind == "gateway" {
        if !target
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return invalid(
                "a gateway (connected registry) name may contain only alpha numeric characters and hyphens.",
            );
        }
        return Ok(());
    }
    let stars = target.matches('*').count();
    if stars > 0 {
        let prefix_ok = target == "*" || (stars == 1 && target.ends_with("/*") && target.len() > 2);
        if !prefix_ok {
            return invalid(
                "a wildcard must be '*' alone or a repository prefix ending in '/*' (for example 'samples/*'), with exactly one '*'.",
            );
        }
    }
    let valid_char = |c: char| {
        c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-' | '/' | '*')
    };
    if !target.chars().all(valid_char) {
        return invalid(
            "repository names may contain only lower-case letters, digits, '.', '_', '-' and '/' separators.",
        );
    }
    Ok(())
}

/// The repository (or gateway) part of an action already checked by [`check_action`].
pub fn action_target(action: &str) -> &str {
    let rest = action.split_once('/').map(|(_, r)| r).unwrap_or(action);
    let mut it = rest.rsplitn(3, '/');
    let _ = it.next();
    let _ = it.next();
    it.next().unwrap_or(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for (name, reg, tok, map) in [
            ("myregistry", true, true, true),
            ("abcd", false, false, false),
            ("my-token", false, true, true),
            ("_repositories_pull", false, false, true),
            ("a".repeat(50).as_str(), true, true, true),
            ("a".repeat(51).as_str(), false, false, false),
            ("bad name", false, false, false),
            ("tök12", false, false, false),
        ] {
            assert_eq!(valid_registry_name(name), reg, "{name}");
            assert_eq!(valid_token_name(name), tok, "{name}");
            assert_eq!(valid_scope_map_name(name), map, "{name}");
        }
        assert!(valid_resource_group("my_rg-(1).x"));
        assert!(!valid_resource_group("rg."));
        assert!(!valid_resource_group(""));
        assert!(!valid_resource_group("a/b"));
    }

    #[test]
    fn api_versions() {
        for (v, ok) in [
            ("2025-04-01", true),
            ("2026-09-01-preview", true),
            ("2024-11-01", true),
            ("2025-4-01", false),
            ("abc", false),
            ("2025-04-01-", false),
            ("", false),
        ] {
            assert_eq!(well_formed_api_version(v), ok, "{v}");
        }
    }

    #[test]
    fn actions() {
        for (a, ok) in [
            ("repositories/hello/content/read", true),
            ("repositories/samples/hello-world/metadata/write", true),
            ("repositories/*/content/read", true),
            ("repositories/samples/*/content/delete", true),
            ("repositories/samples/*/teamA/content/read", false),
            ("repositories/samples/team*/content/read", false),
            ("repositories/*/*/content/read", false),
            ("repositories/a/*/b/*/content/read", false),
            ("repositories//content/read", false),
            ("repositories/hello/content/readd", false),
            ("repositories/Hello/content/read", false),
            ("repositories/hello/contentWrite", false),
            ("repositories/content/read", false),
            ("gateway/gw1/config/read", true),
            ("gateway/gw1/message/write", true),
            ("gateway/gw1/content/read", false),
            ("gateway/*/config/read", false),
            ("registry/x/content/read", false),
            ("content/read", false),
            ("", false),
        ] {
            assert_eq!(check_action(a).is_ok(), ok, "{a}: {:?}", check_action(a));
        }
        assert_eq!(
            action_target("repositories/samples/hello/content/read"),
            "samples/hello"
        );
        assert_eq!(action_target("gateway/gw/config/read"), "gw");
    }
}
