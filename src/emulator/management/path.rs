//! The one parser of management URLs: a request path becomes a [`Route`]. Literal segments
//! (`subscriptions`, `resourceGroups`, `providers`, `Microsoft.ContainerRegistry`,
//! resource types, actions) match case-insensitively as in ARM; names are percent-decoded and
//! keep their casing. Pure; table-driven tests below.

use percent_encoding::percent_decode_str;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reg {
    pub sub: String,
    pub rg: String,
    pub name: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    ListCredentials,
    RegenerateCredential,
    GenerateCredentials,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Subscriptions,
    Subscription {
        sub: String,
    },
    Resources {
        sub: String,
        rg: Option<String>,
    },
    ResourceGroups {
        sub: String,
    },
    ResourceGroup {
        sub: String,
        rg: String,
    },
    Registries {
        sub: String,
        rg: Option<String>,
    },
    Registry(Reg),
    RegistryAction(Reg, Action),
    Tokens(Reg),
    Token(Reg, String),
    ScopeMaps(Reg),
    ScopeMap(Reg, String),
    /// `…/operationStatuses/{id}` under the registry, a token or a scope map.
    OperationStatus(Reg, String),
    /// `…/operationResults/{id}`: the `Location` of asynchronous DELETE and POST answers.
    OperationResult(Reg, String),
}

impl Route {
    /// The subscription in the path, if any.
    pub fn subscription(&self) -> Option<&str> {
        match self {
            Route::Subscriptions => None,
            Route::Subscription { sub }
            | Route::Resources { sub, .. }
            | Route::ResourceGroups { sub }
            | Route::ResourceGroup { sub, .. }
            | Route::Registries { sub, .. } => Some(sub),
            Route::Registry(r)
            | Route::RegistryAction(r, _)
            | Route::Tokens(r)
            | Route::Token(r, _)
            | Route::ScopeMaps(r)
            | Route::ScopeMap(r, _)
            | Route::OperationStatus(r, _)
            | Route::OperationResult(r, _) => Some(&r.sub),
        }
    }

    /// Routes of `Microsoft.Resources` (any well-formed api-version) rather than of
    /// `Microsoft.ContainerRegistry` (the supported list).
    pub fn is_resources_api(&self) -> bool {
        matches!(
            self,
            Route::Subscriptions
                | Route::Subscription { .. }
                | Route::Resources { .. }
                | Route::ResourceGroups { .. }
                | Route::ResourceGroup { .. }
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathError {
    /// Nothing is served at this path.
    NotFound,
    /// A resource type the emulator does not know, under a known provider.
    UnknownType(String),
    /// A provider namespace other than Microsoft.ContainerRegistry.
    UnknownProvider(String),
}

fn eq(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

pub fn parse(path: &str) -> Result<Route, PathError> {
    let segs: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned())
        .collect();
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    // Tenant-level provider operations (`/providers/Microsoft.ContainerRegistry/operations`):
    // none is served, but they get ARM's answer for an unknown type, not a bare not-found.
    if let [p, ns, t, ..] = s.as_slice()
        && eq(p, "providers")
    {
        return Err(if eq(ns, "Microsoft.ContainerRegistry") {
            PathError::UnknownType(t.to_string())
        } else {
            PathError::UnknownProvider(ns.to_string())
        });
    }
    let (sub, rest) = match s.as_slice() {
        [first] if eq(first, "subscriptions") => return Ok(Route::Subscriptions),
        [first, sub, rest @ ..] if eq(first, "subscriptions") => (sub.to_string(), rest),
        _ => return Err(PathError::NotFound),
    };
    let (rg, rest) = match rest {
        [] => return Ok(Route::Subscription { sub }),
        [r] if eq(r, "resources") => return Ok(Route::Resources { sub, rg: None }),
        [r] if eq(r, "resourcegroups") => return Ok(Route::ResourceGroups { sub }),
        [r, g] if eq(r, "resourcegroups") => {
            return Ok(Route::ResourceGroup {
                sub,
                rg: g.to_string(),
            });
        }
        [r, g, x] if eq(r, "resourcegroups") && eq(x, "resources") => {
            return Ok(Route::Resources {
                sub,
                rg: Some(g.to_string()),
            });
        }
        [r, g, rest @ ..] if eq(r, "resourcegroups") => (Some(g.to_string()), rest),
        rest => (None, rest),
    };
    let rest = match rest {
        [p, ns, rest @ ..] if eq(p, "providers") => {
            if !eq(ns, "Microsoft.ContainerRegistry") {
                return Err(PathError::UnknownProvider(ns.to_string()));
            }
            rest
        }
        _ => return Err(PathError::NotFound),
    };
    let rest = match rest {
        [t] if eq(t, "registries") => return Ok(Route::Registries { sub, rg }),
        [t, rest @ ..] if eq(t, "registries") => rest,
        [t, ..] => return Err(PathError::UnknownType(t.to_string())),
        [] => return Err(PathError::NotFound),
    };
    // Registry resources need a resource group.
    let Some(rg) = rg else {
        return Err(PathError::NotFound);
    };
    let [name, child @ ..] = rest else {
        return Err(PathError::NotFound);
    };
    let reg = Reg {
        sub,
        rg,
        name: name.to_string(),
    };
    Ok(match child {
        [] => Route::Registry(reg),
        [a] if eq(a, "listCredentials") => Route::RegistryAction(reg, Action::ListCredentials),
        [a] if eq(a, "regenerateCredential") => {
            Route::RegistryAction(reg, Action::RegenerateCredential)
        }
        [a] if eq(a, "generateCredentials") => {
            Route::RegistryAction(reg, Action::GenerateCredentials)
        }
        [t] if eq(t, "tokens") => Route::Tokens(reg),
        [t, n] if eq(t, "tokens") => Route::Token(reg, n.to_string()),
        [t] if eq(t, "scopeMaps") => Route::ScopeMaps(reg),
        [t, n] if eq(t, "scopeMaps") => Route::ScopeMap(reg, n.to_string()),
        [o, id] if eq(o, "operationStatuses") => Route::OperationStatus(reg, id.to_string()),
        [o, id] if eq(o, "operationResults") => Route::OperationResult(reg, id.to_string()),
        [t, _, o, id] if (eq(t, "tokens") || eq(t, "scopeMaps")) && eq(o, "operationStatuses") => {
            Route::OperationStatus(reg, id.to_string())
        }
        [t, ..] => return Err(PathError::UnknownType(format!("registries/{t}"))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reg() -> Reg {
        Reg {
            sub: "S".into(),
            rg: "rg".into(),
            name: "MyReg".into(),
        }
    }

    #[test]
    fn table() {
        let r = "/subscriptions/S/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/MyReg";
        let cases: Vec<(String, Result<Route, PathError>)> = vec![
            ("/subscriptions".into(), Ok(Route::Subscriptions)),
            ("/subscriptions/".into(), Ok(Route::Subscriptions)),
            ("/subscriptions/S".into(), Ok(Route::Subscription { sub: "S".into() })),
            ("/subscriptions/S/resources".into(), Ok(Route::Resources { sub: "S".into(), rg: None })),
            ("/subscriptions/S/resourcegroups".into(), Ok(Route::ResourceGroups { sub: "S".into() })),
            ("/subscriptions/S/resourceGroups/rg".into(), Ok(Route::ResourceGroup { sub: "S".into(), rg: "rg".into() })),
            (
                "/subscriptions/S/resourceGroups/rg/resources".into(),
                Ok(Route::Resources { sub: "S".into(), rg: Some("rg".into()) }),
            ),
            (
                "/subscriptions/S/providers/microsoft.containerregistry/REGISTRIES".into(),
                Ok(Route::Registries { sub: "S".into(), rg: None }),
            ),
            (
                "/SUBSCRIPTIONS/S/RESOURCEGROUPS/rg/PROVIDERS/Microsoft.ContainerRegistry/registries".into(),
                Ok(Route::Registries { sub: "S".into(), rg: Some("rg".into()) }),
            ),
            (r.into(), Ok(Route::Registry(reg()))),
            (
                r.to_lowercase().replace("myreg", "MyReg").replace("/s/", "/S/"),
                Ok(Route::Registry(reg())),
            ),
            (format!("{r}/listCredentials"), Ok(Route::RegistryAction(reg(), Action::ListCredentials))),
            (format!("{r}/GENERATECREDENTIALS"), Ok(Route::RegistryAction(reg(), Action::GenerateCredentials))),
            (format!("{r}/regenerateCredential"), Ok(Route::RegistryAction(reg(), Action::RegenerateCredential))),
            (format!("{r}/tokens"), Ok(Route::Tokens(reg()))),
            (format!("{r}/Tokens/MyToken"), Ok(Route::Token(reg(), "MyToken".into()))),
            (format!("{r}/tokens/bad%20name%21"), Ok(Route::Token(reg(), "bad name!".into()))),
            (format!("{r}/scopemaps"), Ok(Route::ScopeMaps(reg()))),
            (format!("{r}/scopeMaps/_repositories_pull"), Ok(Route::ScopeMap(reg(), "_repositories_pull".into()))),
            (
                format!("{r}/tokens/t1/operationStatuses/tokens-1"),
                Ok(Route::OperationStatus(reg(), "tokens-1".into())),
            ),
            (format!("{r}/operationStatuses/r-1"), Ok(Route::OperationStatus(reg(), "r-1".into()))),
            (format!("{r}/operationResults/r-1"), Ok(Route::OperationResult(reg(), "r-1".into()))),
            (format!("{r}/webhooks"), Err(PathError::UnknownType("registries/webhooks".into()))),
            (format!("{r}/tokens/a/b"), Err(PathError::UnknownType("registries/tokens".into()))),
            (
                "/subscriptions/S/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts".into(),
                Err(PathError::UnknownProvider("Microsoft.Storage".into())),
            ),
            (
                "/subscriptions/S/resourceGroups/rg/providers/Microsoft.ContainerRegistry/caches".into(),
                Err(PathError::UnknownType("caches".into())),
            ),
            ("/subscriptions/S/providers/Microsoft.ContainerRegistry/registries/x".into(), Err(PathError::NotFound)),
            ("/".into(), Err(PathError::NotFound)),
            (
                "/providers/Microsoft.ContainerRegistry/operations".into(),
                Err(PathError::UnknownType("operations".into())),
            ),
            (
                "/providers/Microsoft.Web/operations".into(),
                Err(PathError::UnknownProvider("Microsoft.Web".into())),
            ),
            ("/providers".into(), Err(PathError::NotFound)),
            ("/tenants".into(), Err(PathError::NotFound)),
            ("/subscriptions/S/other".into(), Err(PathError::NotFound)),
        ];
        for (path, want) in cases {
            assert_eq!(parse(&path), want, "{path}");
        }
    }

    #[test]
    fn families() {
        assert!(
            parse("/subscriptions/S/resources")
                .unwrap()
                .is_resources_api()
        );
        assert!(
            !parse("/subscriptions/S/providers/Microsoft.ContainerRegistry/registries")
                .unwrap()
                .is_resources_api()
        );
        assert_eq!(
            parse("/subscriptions/S/resources").unwrap().subscription(),
            Some("S")
        );
    }
}
