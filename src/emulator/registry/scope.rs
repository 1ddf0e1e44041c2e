//! What an identity may do, as ACR decides it. Scope-map actions
//! (`repositories/<repo>/content/read`, …) become registry actions (`pull`, `push`, `delete`,
//! `metadata_read`, `metadata_write`); wildcard entries (`*`, `prefix/*`) add up and cover
//! repositories that do not exist yet. Client scopes (`repository:samples/hello:pull,push`,
//! `registry:catalog:*`) are parsed here, and a token request is answered with the
//! intersection of what was asked and what is granted (`*` asked = everything granted). Pure.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

pub const PULL: &str = "pull";
pub const PUSH: &str = "push";
pub const DELETE: &str = "delete";
pub const METADATA_READ: &str = "metadata_read";
pub const METADATA_WRITE: &str = "metadata_write";

/// Every repository action, in the order access claims list them.
pub const REPOSITORY_ACTIONS: [&str; 5] = [DELETE, METADATA_READ, METADATA_WRITE, PULL, PUSH];

/// The registry action a scope-map action grants (rest-api.md §14.4).
fn registry_action(scope_map_action: &str) -> Option<&'static str> {
    match scope_map_action {
        "content/read" => Some(PULL),
        "content/write" => Some(PUSH),
        "content/delete" => Some(DELETE),
        "metadata/read" => Some(METADATA_READ),
        "metadata/write" => Some(METADATA_WRITE),
        _ => None,
    }
}

/// Which repositories a scope-map entry covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pattern {
    /// `*`: every repository, present and future.
    All,
    /// `prefix/*`: every repository under `prefix/` (stored with the trailing `/`).
    Prefix(String),
    Exact(String),
}

impl Pattern {
    fn parse(repo: &str) -> Pattern {
        let repo = repo.to_ascii_lowercase();
        if repo == "*" {
            Pattern::All
        } else if let Some(p) = repo.strip_suffix("/*") {
            Pattern::Prefix(format!("{p}/"))
        } else {
            Pattern::Exact(repo)
        }
    }

    fn covers(&self, repo: &str) -> bool {
        match self {
            Pattern::All => true,
            // `get`: the client's name may put a multi-byte character across the prefix's end.
            Pattern::Prefix(p) => {
                repo.len() > p.len()
                    && repo
                        .get(..p.len())
                        .is_some_and(|head| head.eq_ignore_ascii_case(p))
            }
            Pattern::Exact(e) => e.eq_ignore_ascii_case(repo),
        }
    }
}

/// What an authenticated identity may do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rights {
    /// Owner-like: the admin user and Entra identities.
    Full,
    /// An ACR token: the entries of its scope map.
    Scoped(Vec<(Pattern, &'static str)>),
}

impl Rights {
    /// Rights from a scope map's `actions`. Gateway and malformed entries grant nothing.
    pub fn from_scope_map(actions: &[String]) -> Rights {
        let mut grants = Vec::new();
        for a in actions {
            let Some(rest) = a.strip_prefix("repositories/") else {
                continue;
            };
            // The repository may contain `/`: the action is always the last two segments.
            let mut parts = rest.rsplitn(3, '/');
            let (Some(verb), Some(kind), Some(repo)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            if repo.is_empty() {
                continue;
            }
            if let Some(action) = registry_action(&format!("{kind}/{verb}").to_ascii_lowercase()) {
                grants.push((Pattern::parse(repo), action));
            }
        }
        Rights::Scoped(grants)
    }

    pub fn allows(&self, repo: &str, action: &str) -> bool {
        match self {
            Rights::Full => true,
            Rights::Scoped(g) => g.iter().any(|(p, a)| *a == action && p.covers(repo)),
        }
    }

    /// Listing the registry-wide catalog (`registry:catalog:*`) needs `metadata/read` on every
    /// repository (`repositories/*/metadata/read`): a token scoped to some repositories does
    /// not see the catalog (Azure/acr#675, #751), nor does `_repositories_pull`, which is
    /// meant not to enumerate the registry (Azure/acr#600).
    pub fn catalog(&self) -> bool {
        match self {
            Rights::Full => true,
            Rights::Scoped(g) => g
                .iter()
                .any(|(p, a)| *p == Pattern::All && *a == METADATA_READ),
        }
    }

    /// The actions granted on one requested scope: the intersection of what was asked and
    /// what is allowed, `*` asking for everything.
    pub fn grant(&self, scope: &Scope) -> Vec<String> {
        let asked_all = scope.actions.iter().any(|a| a == "*");
        match scope.kind.as_str() {
            "registry" if scope.name == "catalog" => {
                if asked_all && self.catalog() {
                    vec!["*".to_string()]
                } else {
                    Vec::new()
                }
            }
            "repository" => {
                let mut out = BTreeSet::new();
                for action in REPOSITORY_ACTIONS {
                    if (asked_all || scope.actions.iter().any(|a| a == action))
                        && self.allows(&scope.name, action)
                    {
                        out.insert(action.to_string());
                    }
                }
                out.into_iter().collect()
            }
            _ => Vec::new(),
        }
    }
}

/// One requested scope: `type:name:action[,action…]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    pub kind: String,
    pub name: String,
    pub actions: Vec<String>,
}

impl Scope {
    /// Parses one scope. The name may contain `:` (a `host:port/` prefix), so the type ends
    /// at the first `:` and the actions start after the last one. The deprecated
    /// `repository(plugin)` type counts as `repository`.
    pub fn parse(s: &str) -> Option<Scope> {
        let (kind, rest) = s.split_once(':')?;
        let (name, actions) = rest.rsplit_once(':')?;
        if kind.is_empty() || name.is_empty() {
            return None;
        }
        let kind = match kind.split_once('(') {
            Some((base, _)) => base,
            None => kind,
        };
        Some(Scope {
            kind: kind.to_string(),
            name: name.to_string(),
            actions: actions
                .split(',')
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect(),
        })
    }

    /// Every scope in the values of the `scope` parameters (each may hold several, separated
    /// by spaces); unparseable ones are ignored, as the token server ignores them.
    pub fn parse_all<'a>(values: impl IntoIterator<Item = &'a str>) -> Vec<Scope> {
        values
            .into_iter()
            .flat_map(|v| v.split(' '))
            .filter_map(Scope::parse)
            .collect()
    }
}

/// One entry of an ACR access token's `access` claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Access {
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub actions: Vec<String>,
}

/// The `access` claim for the requested scopes (entries of the same resource merged).
pub fn access_for(rights: &Rights, scopes: &[Scope]) -> Vec<Access> {
    let mut out: Vec<Access> = Vec::new();
    for s in scopes {
        let granted = rights.grant(s);
        match out
            .iter_mut()
            .find(|a| a.kind == s.kind && a.name == s.name)
        {
            Some(a) => {
                let mut all: BTreeSet<String> = a.actions.drain(..).collect();
                all.extend(granted);
                a.actions = all.into_iter().collect();
            }
            None => out.push(Access {
                kind: s.kind.clone(),
                name: s.name.clone(),
                actions: granted,
            }),
        }
    }
    out
}

/// Does an `access` claim allow `action` on `kind:name`?
pub fn claim_allows(access: &[Access], kind: &str, name: &str, action: &str) -> bool {
    access.iter().any(|a| {
        a.kind == kind && a.name == name && a.actions.iter().any(|x| x == action || x == "*")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rights(actions: &[&str]) -> Rights {
        Rights::from_scope_map(&actions.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn scope_map_actions_map_to_registry_actions() {
        let r = rights(&[
            "repositories/samples/hello-world/content/read",
            "repositories/samples/hello-world/content/write",
            "repositories/samples/nginx/content/delete",
            "repositories/other/metadata/read",
            "repositories/other/metadata/write",
            "gateway/conn1/config/read",
            "repositories//content/read",
            "repositories/x/content/execute",
        ]);
        assert!(r.allows("samples/hello-world", PULL));
        assert!(r.allows("samples/hello-world", PUSH));
        assert!(!r.allows("samples/hello-world", DELETE));
        assert!(r.allows("samples/nginx", DELETE));
        assert!(!r.allows("samples/nginx", PULL));
        assert!(r.allows("other", METADATA_READ) && r.allows("other", METADATA_WRITE));
        assert!(!r.allows("other/sub", METADATA_READ));
        assert!(!r.allows("x", PULL));
        assert!(!r.catalog());
        let Rights::Scoped(g) = &r else { panic!() };
        assert_eq!(g.len(), 5);
    }

    /// Finding 5: a name with a multi-byte character across the prefix's end sliced inside it.
    #[test]
    fn prefix_rules_with_multibyte_names_do_not_panic() {
        let r = rights(&["repositories/samples/*/content/read"]);
        assert!(!r.allows("samplesé", PULL));
        assert!(!r.allows("sampleé/x", PULL));
        assert!(r.allows("samples/é", PULL));
        let scope = Scope::parse("repository:samplesé:pull").unwrap();
        assert!(r.grant(&scope).is_empty());
    }

    #[test]
    fn wildcards_add_up_and_cover_future_repositories() {
        let r = rights(&[
            "repositories/samples/*/content/read",
            "repositories/*/metadata/read",
            "repositories/samples/team/*/content/write",
        ]);
        assert!(r.allows("samples/not-yet-pushed", PULL));
        assert!(r.allows("samples/a/b", PULL));
        assert!(!r.allows("samples", PULL));
        assert!(!r.allows("samplesx/a", PULL));
        assert!(r.allows("anything", METADATA_READ));
        assert!(r.allows("samples/team/x", PUSH) && r.allows("samples/team/x", PULL));
        assert!(!r.allows("samples/x", PUSH));
        assert!(r.catalog());
        assert!(!rights(&["repositories/*/content/read"]).catalog());
        assert!(Rights::Full.catalog());
    }

    #[test]
    fn grants_are_the_intersection_and_star_means_everything_granted() {
        let r = rights(&[
            "repositories/a/content/read",
            "repositories/a/content/delete",
        ]);
        let s = |x: &str| Scope::parse(x).unwrap();
        assert_eq!(r.grant(&s("repository:a:pull,push")), vec!["pull"]);
        assert_eq!(r.grant(&s("repository:a:*")), vec!["delete", "pull"]);
        assert_eq!(r.grant(&s("repository:b:pull")), Vec::<String>::new());
        assert_eq!(r.grant(&s("registry:catalog:*")), Vec::<String>::new());
        assert_eq!(Rights::Full.grant(&s("registry:catalog:*")), vec!["*"]);
        assert_eq!(
            Rights::Full.grant(&s("repository:x:pull,metadata_read,deleted_read")),
            vec!["metadata_read", "pull"]
        );
        // skopeo delete: `*` and `delete` for the same repository, merged into one entry.
        let access = access_for(&r, &[s("repository:a:*"), s("repository:a:delete")]);
        assert_eq!(
            access,
            vec![Access {
                kind: "repository".into(),
                name: "a".into(),
                actions: vec!["delete".into(), "pull".into()]
            }]
        );
        assert!(claim_allows(&access, "repository", "a", DELETE));
        assert!(!claim_allows(&access, "repository", "a", PUSH));
        assert!(!claim_allows(&access, "repository", "b", PULL));
        let star = vec![Access {
            kind: "registry".into(),
            name: "catalog".into(),
            actions: vec!["*".into()],
        }];
        assert!(claim_allows(&star, "registry", "catalog", "*"));
    }

    #[test]
    fn scopes_parse_with_hosts_and_lists() {
        assert_eq!(
            Scope::parse("repository:127.0.0.1:5000/a/b:pull,push").unwrap(),
            Scope {
                kind: "repository".into(),
                name: "127.0.0.1:5000/a/b".into(),
                actions: vec!["pull".into(), "push".into()]
            }
        );
        assert_eq!(
            Scope::parse("repository(plugin):a:pull").unwrap().kind,
            "repository"
        );
        assert_eq!(
            Scope::parse("registry:catalog:*").unwrap().actions,
            vec!["*"]
        );
        assert!(Scope::parse("nonsense").is_none());
        assert!(Scope::parse("repository::pull").is_none());
        let all = Scope::parse_all([
            "repository:a:pull repository:b:push",
            "registry:catalog:*",
            "bad",
        ]);
        assert_eq!(all.len(), 3);
    }
}
