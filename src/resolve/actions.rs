//! Scope-map action parsing (az `parse_scope_map_actions`) and the `scope-map update` merge,
//! with acr's deterministic order (D5).

use super::python_repr;
use crate::error::{Error, Result};

pub const REPOSITORY_ACTIONS: [&str; 5] = [
    "content/delete",
    "content/read",
    "content/write",
    "metadata/read",
    "metadata/write",
];
pub const GATEWAY_ACTIONS: [&str; 4] = [
    "config/read",
    "config/write",
    "message/read",
    "message/write",
];

/// Parses `--repository`/`--gateway` occurrences into action strings: all repository entries
/// in command-line order, then all gateway entries. Names and actions are lower-cased, as az
/// does; duplicates are kept.
pub fn parse(repositories: &[Vec<String>], gateways: &[Vec<String>]) -> Result<Vec<String>> {
    let mut actions = parse_kind(repositories, &REPOSITORY_ACTIONS, "repositories")?;
    actions.extend(parse_kind(gateways, &GATEWAY_ACTIONS, "gateway")?);
    Ok(actions)
}

fn parse_kind(rules: &[Vec<String>], valid: &[&str], prefix: &str) -> Result<Vec<String>> {
    let mut actions = Vec::new();
    for rule in rules {
        let resource = rule.first().map(|r| r.to_lowercase()).unwrap_or_default();
        if rule.len() < 2 {
            return Err(Error::cli(format!(
                "At least one action must be specified with \"{resource}\"."
            )));
        }
        for action in &rule[1..] {
            let action = action.to_lowercase();
            if !valid.contains(&action.as_str()) {
                // differs from az (D5): the valid actions are listed sorted, not in set order.
                let set = repr_list(valid);
                return Err(Error::cli(format!(
                    "Invalid action \"{action}\" provided. \nValid actions are {{{set}}}."
                )));
            }
            actions.push(format!("{prefix}/{resource}/{action}"));
        }
    }
    Ok(actions)
}

/// The items as Python's `repr()` of each, comma-separated (the body of a printed set or list).
fn repr_list<S: AsRef<str>>(items: &[S]) -> String {
    items
        .iter()
        .map(|a| python_repr(a.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The action list `scope-map update` sends (D5): the current actions in their stored order
/// without the removed ones and without repeats, then the added actions not yet present, in
/// parse order. Comparison is exact, as in az.
pub fn merge(current: &[String], add: &[String], remove: &[String]) -> Result<Vec<String>> {
    let mut duplicates: Vec<String> = add
        .iter()
        .filter(|a| remove.contains(a))
        .map(|a| {
            a.split_once('/')
                .map(|(_, rest)| rest.to_owned())
                .unwrap_or_default()
        })
        .collect();
    if !duplicates.is_empty() {
        duplicates.sort();
        duplicates.dedup();
        let list = repr_list(&duplicates);
        return Err(Error::cli(format!(
            "Update ambiguity. Duplicate actions were provided with --add and --remove arguments.\n[{list}]"
        )));
    }
    let mut merged: Vec<String> = Vec::new();
    for action in current.iter().chain(add) {
        if !remove.contains(action) && !merged.contains(action) {
            merged.push(action.clone());
        }
    }
    Ok(merged)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parse_lowercases_and_orders_repositories_before_gateways() {
        let actions = parse(
            &[
                v(&["Hello-World", "CONTENT/READ"]),
                v(&["foo", "content/read"]),
                v(&["FOO", "Content/Read"]),
            ],
            &[v(&["MyGateway", "config/read", "message/write"])],
        )
        .unwrap();
        assert_eq!(
            actions,
            v(&[
                "repositories/hello-world/content/read",
                "repositories/foo/content/read",
                "repositories/foo/content/read",
                "gateway/mygateway/config/read",
                "gateway/mygateway/message/write"
            ])
        );
    }

    #[test]
    fn parse_errors_are_azs() {
        assert_eq!(
            parse(&[v(&["hello-world"])], &[]).unwrap_err().to_string(),
            "At least one action must be specified with \"hello-world\"."
        );
        assert_eq!(
            parse(&[v(&["hello-world", "content/readd"])], &[])
                .unwrap_err()
                .to_string(),
            "Invalid action \"content/readd\" provided. \nValid actions are {'content/delete', 'content/read', 'content/write', 'metadata/read', 'metadata/write'}."
        );
        assert_eq!(
            parse(&[], &[v(&["gw", "content/read"])])
                .unwrap_err()
                .to_string(),
            "Invalid action \"content/read\" provided. \nValid actions are {'config/read', 'config/write', 'message/read', 'message/write'}."
        );
    }

    #[test]
    fn merge_keeps_stored_order_and_appends() {
        let current = v(&[
            "repositories/hello-world/content/read",
            "repositories/hello-world/metadata/read",
        ]);
        let add = parse(
            &[v(&["nginx/web", "content/read", "content/write"])],
            &[v(&["GW2", "message/read"])],
        )
        .unwrap();
        let remove = parse(&[v(&["hello-world", "metadata/read"])], &[]).unwrap();
        assert_eq!(
            merge(&current, &add, &remove).unwrap(),
            v(&[
                "repositories/hello-world/content/read",
                "repositories/nginx/web/content/read",
                "repositories/nginx/web/content/write",
                "gateway/gw2/message/read"
            ])
        );
        let mixed = v(&["repositories/Foo/content/read"]);
        assert_eq!(
            merge(&mixed, &[], &v(&["repositories/foo/content/read"])).unwrap(),
            mixed
        );
    }

    #[test]
    fn merge_rejects_ambiguous_updates() {
        let add = parse(&[v(&["a", "content/read"])], &[v(&["g", "config/read"])]).unwrap();
        let remove = parse(
            &[v(&["a", "content/read", "metadata/read"])],
            &[v(&["g", "config/read"])],
        )
        .unwrap();
        assert_eq!(
            merge(&[], &add, &remove).unwrap_err().to_string(),
            "Update ambiguity. Duplicate actions were provided with --add and --remove arguments.\n['a/content/read', 'g/config/read']"
        );
    }
}

/// Warnings for repository arguments that look like the shell's expansion of an unquoted
/// wildcard: a name (or an action) that is also an existing path in the current directory.
/// `--repository samples/* content/read` typed unquoted where `samples/hello` exists reaches
/// acr as `--repository samples/hello content/read` and would silently scope one repository.
pub fn shell_expansion_warnings(
    rules: &[Vec<String>],
    exists: impl Fn(&str) -> bool,
) -> Vec<String> {
    rules
        .iter()
        .flat_map(|rule| rule.iter())
        .filter(|token| !REPOSITORY_ACTIONS.contains(&token.to_lowercase().as_str()) && !token.contains('*') && exists(token))
        .map(|token| {
            format!(
                "'{token}' is also a file in the current directory: if you typed a wildcard such as 'samples/*' or '*' without quotes, the shell replaced it with file names. Quote repository wildcards."
            )
        })
        .collect()
}

#[cfg(test)]
mod expansion_tests {
    use super::*;

    #[test]
    fn names_that_are_local_paths_are_flagged() {
        let rules = vec![
            vec!["samples/hello".to_owned(), "content/read".to_owned()],
            vec!["samples/*".to_owned(), "content/read".to_owned()],
        ];
        let warnings =
            shell_expansion_warnings(&rules, |p| p == "samples/hello" || p == "content/read");
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].starts_with("'samples/hello' is also a file"));
        assert!(shell_expansion_warnings(&rules, |_| false).is_empty());
    }
}
