//! The examples of every command's help, kept apart from the clap types the way az keeps them in
//! its help files. They are shown by `--help` and, three at a time, after an argument error.
//! Each one must run as written against `acr-emulator` (D11: az's wrong examples are fixed here).

/// `(command path, [(summary, command line)])`, one entry per leaf command (`cli::table_tests`
/// ties it to the clap tree both ways).
pub(in crate::cli) const EXAMPLES: &[(&str, &[(&str, &str)])] = &[
    (
        "token create",
        &[
            (
                "Create a token with repository permissions defined in the scope map 'MyScopeMap'.",
                "acr token create -n MyToken -r myregistry --scope-map MyScopeMap",
            ),
            (
                "Create a token which has read permissions on hello-world repository.",
                "acr token create -n myToken -r myregistry --repository hello-world content/read metadata/read",
            ),
            (
                "Create a token without credentials and with all gateway permissions.",
                "acr token create -n myToken -r myregistry --repository hello-world content/read --gateway registry config/read config/write message/read message/write --no-passwords",
            ),
            (
                "Create a token in disabled status.",
                "acr token create -n MyToken -r myregistry --scope-map MyScopeMap --status disabled",
            ),
            (
                "Create a token that can pull every repository under 'samples/' (quote wildcards so the shell leaves them alone), with passwords valid for 30 days.",
                "acr token create -n MyToken -r myregistry --repository 'samples/*' content/read --expiration-in-days 30",
            ),
        ],
    ),
    (
        "token update",
        &[
            (
                "Update the token 'MyToken', making it associated with the scope map 'MyNewScopeMap'.",
                "acr token update -n MyToken -r myregistry --scope-map MyNewScopeMap",
            ),
            (
                "Disable the token 'MyToken'.",
                "acr token update -n MyToken -r myregistry --status disabled",
            ),
        ],
    ),
    (
        "token delete",
        &[(
            "Delete the token 'MyToken'.",
            "acr token delete -n MyToken -r myregistry",
        )],
    ),
    (
        "token show",
        &[(
            "Get information for the token 'MyToken'.",
            "acr token show -n MyToken -r myregistry",
        )],
    ),
    (
        "token list",
        &[(
            "List tokens under the registry 'myregistry'.",
            "acr token list -r myregistry",
        )],
    ),
    (
        "token credential generate",
        &[
            (
                "Generate password1 for the token 'MyToken', with an expiration of 30 days.",
                "acr token credential generate -n MyToken -r myregistry --password1 --expiration-in-days 30",
            ),
            (
                "Generate password2 and keep only its value for a script.",
                "TOKEN_PWD=$(acr token credential generate -n MyToken -r myregistry --password2 --query 'passwords[0].value' -o tsv)",
            ),
        ],
    ),
    (
        "token credential rotate",
        &[
            (
                "Replace the empty or older password of 'MyToken' with one valid for 30 days; the other password keeps working.",
                "acr token credential rotate -n MyToken -r myregistry --expiration-in-days 30",
            ),
            (
                "Show which password would be replaced, and why, without changing anything.",
                "acr token credential rotate -n MyToken -r myregistry --dry-run",
            ),
            (
                "Rotate password2, write it to a new 0600 file instead of the terminal, and wait until the registry accepts it.",
                "acr token credential rotate -n MyToken -r myregistry --slot password2 --output-secret-file ./mytoken.pwd --verify",
            ),
            (
                "Rotate every token whose name starts with 'device-' and has a password expiring within 7 days, 10 at a time, each new password into ./secrets/<token>.",
                "acr token credential rotate --all -r myregistry --name-prefix device- --expiring-within 7d --expiration-in-days 90 --output-secret-dir ./secrets -o table",
            ),
        ],
    ),
    (
        "token credential delete",
        &[(
            "Delete both passwords for the token 'MyToken'.",
            "acr token credential delete -n MyToken -r myregistry --password1 --password2",
        )],
    ),
    (
        "scope-map create",
        &[
            (
                "Create a scope map that allows content/write and metadata/read actions for `hello-world` repository, and content/read action for `hello-world-again`.",
                "acr scope-map create -n MyScopeMap -r myregistry --repository hello-world content/write metadata/read --repository hello-world-again content/read --description \"Sample scope map.\"",
            ),
            (
                "Create a scope map that allows all repository actions for `test`, and all gateway actions for `connectedRegistry`.",
                "acr scope-map create -n MyScopeMap -r myregistry --description \"Sample scope map.\" --repository test content/delete content/read content/write metadata/read metadata/write --gateway connectedRegistry config/read config/write message/read message/write",
            ),
        ],
    ),
    (
        "scope-map update",
        &[(
            "Update the scope map 'MyScopeMap' removing metadata/read and content/read actions for `hello-world` repository, and message/write action for `connectedRegistry`.",
            "acr scope-map update -n MyScopeMap -r myregistry --remove-repository hello-world metadata/read content/read --remove-gateway connectedRegistry message/write",
        )],
    ),
    (
        "scope-map delete",
        &[(
            "Delete the scope map 'MyScopeMap'.",
            "acr scope-map delete -n MyScopeMap -r myregistry",
        )],
    ),
    (
        "scope-map show",
        &[(
            "Get information for the scope map 'MyScopeMap'.",
            "acr scope-map show -n MyScopeMap -r myregistry",
        )],
    ),
    (
        "scope-map list",
        &[(
            "List scope maps under the registry 'myregistry'.",
            "acr scope-map list -r myregistry",
        )],
    ),
    (
        "repository list",
        &[
            (
                "List repositories in a given Azure Container Registry.",
                "acr repository list -n myregistry",
            ),
            (
                "List repositories with token credentials, reading the password from standard input.",
                "echo \"$TOKEN_PWD\" | acr repository list -n myregistry -u MyToken --password-stdin",
            ),
        ],
    ),
    (
        "repository show",
        &[
            (
                "Get the attributes of the repository 'hello-world'.",
                "acr repository show -n myregistry --repository hello-world",
            ),
            (
                "Get the attributes of the image referenced by tag 'hello-world:latest'.",
                "acr repository show -n myregistry --image hello-world:latest",
            ),
            (
                "Get the attributes of the image referenced by digest 'hello-world@sha256:abc123'.",
                "acr repository show -n myregistry --image hello-world@sha256:abc123",
            ),
        ],
    ),
    (
        "repository show-tags",
        &[
            (
                "Show tags of a repository in an Azure Container Registry.",
                "acr repository show-tags -n myregistry --repository MyRepository",
            ),
            (
                "Show the detailed information of tags of a repository in an Azure Container Registry.",
                "acr repository show-tags -n myregistry --repository MyRepository --detail",
            ),
            (
                "Show the detailed information of the latest 10 tags ordered by timestamp of a repository in an Azure Container Registry.",
                "acr repository show-tags -n myregistry --repository MyRepository --top 10 --orderby time_desc --detail",
            ),
        ],
    ),
    (
        "repository show-manifests",
        &[
            (
                "Show manifests of a repository in an Azure Container Registry.",
                "acr repository show-manifests -n myregistry --repository MyRepository",
            ),
            (
                "Show the latest 10 manifests ordered by timestamp of a repository in an Azure Container Registry.",
                "acr repository show-manifests -n myregistry --repository MyRepository --top 10 --orderby time_desc",
            ),
            (
                "Show the detailed information of the latest 10 manifests ordered by timestamp of a repository in an Azure Container Registry.",
                "acr repository show-manifests -n myregistry --repository MyRepository --top 10 --orderby time_desc --detail",
            ),
        ],
    ),
    (
        "repository update",
        &[
            (
                "Update the attributes of the repository 'hello-world' to disable write operation.",
                "acr repository update -n myregistry --repository hello-world --write-enabled false",
            ),
            (
                "Update the attributes of the image referenced by tag 'hello-world:latest' to disable write operation.",
                "acr repository update -n myregistry --image hello-world:latest --write-enabled false",
            ),
            (
                "Update the attributes of the image referenced by digest 'hello-world@sha256:abc123' to disable write operation.",
                "acr repository update -n myregistry --image hello-world@sha256:abc123 --write-enabled false",
            ),
        ],
    ),
    (
        "repository untag",
        &[(
            "Untag an image from a repository.",
            "acr repository untag -n myregistry --image hello-world:latest",
        )],
    ),
    (
        "repository delete",
        &[
            (
                "Delete an image manifest by tag. This deletes the manifest referenced by 'hello-world:latest' and all other tags referencing the same manifest.",
                "acr repository delete -n myregistry --image hello-world:latest",
            ),
            (
                "Delete an image manifest by sha256-based manifest digest. This deletes the manifest identified by 'hello-world@sha256:abc123' and all tags referencing the manifest.",
                "acr repository delete -n myregistry --image hello-world@sha256:abc123",
            ),
            (
                "Delete a repository from an Azure Container Registry. This deletes all manifests and tags under 'hello-world'.",
                "acr repository delete -n myregistry --repository hello-world",
            ),
        ],
    ),
    (
        "login",
        &[
            (
                "Log in to an Azure Container Registry, so that docker, podman and skopeo can use it.",
                "acr login -n myregistry",
            ),
            (
                "Get an Azure Container Registry access token.",
                "acr login -n myregistry --expose-token",
            ),
        ],
    ),
    (
        "account login",
        &[(
            "Log in with a service principal, reading its secret from standard input.",
            "echo \"$SECRET\" | acr account login --service-principal -u APP_ID --tenant TENANT_ID --password-stdin",
        )],
    ),
    (
        "account show",
        &[(
            "Show the identity and subscription in use.",
            "acr account show",
        )],
    ),
    (
        "account logout",
        &[("Forget the stored service principal.", "acr account logout")],
    ),
    (
        "cloud register",
        &[(
            "Register a cloud from its Resource Manager endpoint; the other endpoints are discovered.",
            "acr cloud register -n MyCloud --endpoint-resource-manager https://management.example.com/",
        )],
    ),
    (
        "cloud set",
        &[("Switch to Azure China.", "acr cloud set -n AzureChinaCloud")],
    ),
    (
        "cloud list",
        &[("List the registered clouds.", "acr cloud list -o table")],
    ),
    (
        "cloud show",
        &[("Show the active cloud.", "acr cloud show")],
    ),
    (
        "configure",
        &[
            (
                "Set the default registry and resource group.",
                "acr configure --defaults acr=myregistry group=myresourcegroup",
            ),
            (
                "List the configured defaults.",
                "acr configure --list-defaults",
            ),
        ],
    ),
];

/// Examples of acr's additions to az's commands: shown by `--help` after the command's own,
/// but never by the argument-error recommender, whose output is az's (byte for byte).
const ADDITIONS: &[(&str, &[(&str, &str)])] = &[
    (
        "token create",
        &[(
            "Create the token unless it exists with the same permissions (then print it, passwords untouched); the passwords of a new one go to a 0600 file.",
            "acr token create -n MyToken -r myregistry --repository hello-world content/read --if-not-exists --output-secret-file ./mytoken.env",
        )],
    ),
    (
        "token list",
        &[
            (
                "List the tokens with a password that expires within 30 days.",
                "acr token list -r myregistry --expiring-within 30d -o table",
            ),
            (
                "Name the tokens with an expired password.",
                "acr token list -r myregistry --expired --query '[].name' -o tsv",
            ),
        ],
    ),
    (
        "token credential generate",
        &[(
            "Generate password1 into a new file readable only by you; stdout shows \"<written to ./mytoken.pwd>\" in its place.",
            "acr token credential generate -n MyToken -r myregistry --password1 --output-secret-file ./mytoken.pwd",
        )],
    ),
];

fn find(
    table: &'static [(&str, &'static [(&'static str, &'static str)])],
    path: &str,
) -> &'static [(&'static str, &'static str)] {
    table
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, examples)| *examples)
        .unwrap_or(&[])
}

/// The examples of a command path such as `"token create"` (empty for groups), as the
/// argument-error recommender picks from them.
pub fn for_command(path: &str) -> &'static [(&'static str, &'static str)] {
    find(EXAMPLES, path)
}

/// What `--help` shows: the command's examples, then those of acr's additions to it.
pub fn for_help(path: &str) -> Vec<(&'static str, &'static str)> {
    let mut all = for_command(path).to_vec();
    all.extend_from_slice(find(ADDITIONS, path));
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_names_its_own_command() {
        for (path, examples) in EXAMPLES.iter().chain(ADDITIONS) {
            for (_, line) in *examples {
                assert!(
                    line.contains(&format!("acr {path}")),
                    "{line} is not an example of {path}"
                );
            }
        }
    }
}
