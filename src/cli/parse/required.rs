//! The arguments az requires of each command, in the order it reports them; the registry is
//! optional where a default registry is configured (`defaults.acr`).

/// An argument az requires unless, for the registry, a default is configured.
#[derive(Debug, Clone, Copy)]
pub struct RequiredArg {
    pub id: &'static str,
    pub display: &'static str,
    pub is_registry: bool,
}

const REGISTRY: RequiredArg = RequiredArg {
    id: "registry",
    display: "--registry/-r",
    is_registry: true,
};
const TOKEN_OR_MAP_NAME: RequiredArg = RequiredArg {
    id: "name",
    display: "--name/-n",
    is_registry: false,
};
const REGISTRY_NAME: RequiredArg = RequiredArg {
    id: "name",
    display: "--name/-n",
    is_registry: true,
};
const REPOSITORY: RequiredArg = RequiredArg {
    id: "repository",
    display: "--repository",
    is_registry: false,
};
const IMAGE: RequiredArg = RequiredArg {
    id: "image",
    display: "--image/-t",
    is_registry: false,
};
const CLOUD_NAME: RequiredArg = RequiredArg {
    id: "name",
    display: "--name/-n",
    is_registry: false,
};

/// Required arguments per command, in the order az reports them.
pub fn required_args(path: &str) -> &'static [RequiredArg] {
    match path {
        "token create"
        | "token update"
        | "token delete"
        | "token show"
        | "token credential generate"
        | "token credential delete"
        | "scope-map create"
        | "scope-map update"
        | "scope-map delete"
        | "scope-map show" => &[REGISTRY, TOKEN_OR_MAP_NAME],
        "token list" | "scope-map list" => &[REGISTRY],
        "repository list" | "repository show" | "repository update" | "repository delete"
        | "login" => &[REGISTRY_NAME],
        "repository show-tags" | "repository show-manifests" => &[REGISTRY_NAME, REPOSITORY],
        "repository untag" => &[REGISTRY_NAME, IMAGE],
        "cloud register" | "cloud set" => &[CLOUD_NAME],
        _ => &[],
    }
}
