//! The arguments az requires of each command, in the order it reports them; the registry is
//! optional where a default registry is configured (`defaults.acr`).

/// An argument az requires unless, for the registry, a default is configured.
#[derive(Debug, Clone, Copy)]
pub struct RequiredArg {
    pub id: &'static str,
    pub display: &'static str,
    pub is_registry: bool,
}

impl RequiredArg {
    const fn new(id: &'static str, display: &'static str, is_registry: bool) -> RequiredArg {
        RequiredArg {
            id,
            display,
            is_registry,
        }
    }
}

// `is_registry`: optional when `defaults.acr` is configured.
const REGISTRY: RequiredArg = RequiredArg::new("registry", "--registry/-r", true);
const TOKEN_OR_MAP_NAME: RequiredArg = RequiredArg::new("name", "--name/-n", false);
const REGISTRY_NAME: RequiredArg = RequiredArg::new("name", "--name/-n", true);
const REPOSITORY: RequiredArg = RequiredArg::new("repository", "--repository", false);
const IMAGE: RequiredArg = RequiredArg::new("image", "--image/-t", false);
const CLOUD_NAME: RequiredArg = RequiredArg::new("name", "--name/-n", false);

/// Every leaf command and its required arguments, in the order az reports them (an empty list
/// where nothing is required). `cli::table_tests` ties this table to the clap tree both ways.
pub(in crate::cli) const REQUIRED: &[(&str, &[RequiredArg])] = &[
    ("token create", &[REGISTRY, TOKEN_OR_MAP_NAME]),
    ("token update", &[REGISTRY, TOKEN_OR_MAP_NAME]),
    ("token delete", &[REGISTRY, TOKEN_OR_MAP_NAME]),
    ("token show", &[REGISTRY, TOKEN_OR_MAP_NAME]),
    ("token list", &[REGISTRY]),
    ("token credential generate", &[REGISTRY, TOKEN_OR_MAP_NAME]),
    ("token credential delete", &[REGISTRY, TOKEN_OR_MAP_NAME]),
    // --name unless --all: checked by the command (an addition of acr, no az order to keep).
    ("token credential rotate", &[REGISTRY]),
    ("scope-map create", &[REGISTRY, TOKEN_OR_MAP_NAME]),
    ("scope-map update", &[REGISTRY, TOKEN_OR_MAP_NAME]),
    ("scope-map delete", &[REGISTRY, TOKEN_OR_MAP_NAME]),
    ("scope-map show", &[REGISTRY, TOKEN_OR_MAP_NAME]),
    ("scope-map list", &[REGISTRY]),
    ("repository list", &[REGISTRY_NAME]),
    ("repository show", &[REGISTRY_NAME]),
    ("repository show-tags", &[REGISTRY_NAME, REPOSITORY]),
    ("repository show-manifests", &[REGISTRY_NAME, REPOSITORY]),
    ("repository update", &[REGISTRY_NAME]),
    ("repository untag", &[REGISTRY_NAME, IMAGE]),
    ("repository delete", &[REGISTRY_NAME]),
    ("login", &[REGISTRY_NAME]),
    ("account login", &[]),
    ("account show", &[]),
    ("account logout", &[]),
    ("cloud register", &[CLOUD_NAME]),
    ("cloud set", &[CLOUD_NAME]),
    ("cloud list", &[]),
    ("cloud show", &[]),
    ("configure", &[]),
];

/// The value of an argument the parser has already required (see [`REQUIRED`]; a missing one
/// is az's argparse error, exit 2, before any command runs), so commands do not check again.
pub fn given(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

/// Required arguments of the command at `path`, in the order az reports them.
pub fn required_args(path: &str) -> &'static [RequiredArg] {
    REQUIRED
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, required)| *required)
        .unwrap_or(&[])
}
