# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_acr_global_optspecs
    string join \n debug h/help only-show-errors o/output= query= subscription= verbose version
end

function __fish_acr_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_acr_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_acr_using_subcommand
    set -l cmd (__fish_acr_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c acr -n "__fish_acr_needs_command" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_needs_command" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_needs_command" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_needs_command" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_needs_command" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_needs_command" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_needs_command" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_needs_command" -l version -d 'Show the version of acr'
complete -c acr -n "__fish_acr_needs_command" -f -a "token" -d 'Manage tokens for an Azure Container Registry'
complete -c acr -n "__fish_acr_needs_command" -f -a "scope-map" -d 'Manage scope access maps for Azure Container Registries'
complete -c acr -n "__fish_acr_needs_command" -f -a "repository" -d 'Manage repositories (image names) for Azure Container Registries'
complete -c acr -n "__fish_acr_needs_command" -f -a "login" -d 'Log in to an Azure Container Registry, writing credentials that Docker, Podman and skopeo read'
complete -c acr -n "__fish_acr_needs_command" -f -a "account" -d 'Manage the Azure sign-in acr uses for the management API'
complete -c acr -n "__fish_acr_needs_command" -f -a "cloud" -d 'Manage registered Azure clouds'
complete -c acr -n "__fish_acr_needs_command" -f -a "configure" -d 'Manage acr configuration'
complete -c acr -n "__fish_acr_using_subcommand token; and not __fish_seen_subcommand_from create delete list show update credential" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand token; and not __fish_seen_subcommand_from create delete list show update credential" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand token; and not __fish_seen_subcommand_from create delete list show update credential" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand token; and not __fish_seen_subcommand_from create delete list show update credential" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand token; and not __fish_seen_subcommand_from create delete list show update credential" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand token; and not __fish_seen_subcommand_from create delete list show update credential" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand token; and not __fish_seen_subcommand_from create delete list show update credential" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_using_subcommand token; and not __fish_seen_subcommand_from create delete list show update credential" -f -a "create" -d 'Create a token associated with a scope map for an Azure Container Registry'
complete -c acr -n "__fish_acr_using_subcommand token; and not __fish_seen_subcommand_from create delete list show update credential" -f -a "delete" -d 'Delete a token for an Azure Container Registry'
complete -c acr -n "__fish_acr_using_subcommand token; and not __fish_seen_subcommand_from create delete list show update credential" -f -a "list" -d 'List all tokens for an Azure Container Registry'
complete -c acr -n "__fish_acr_using_subcommand token; and not __fish_seen_subcommand_from create delete list show update credential" -f -a "show" -d 'Show details and attributes of a token for an Azure Container Registry'
complete -c acr -n "__fish_acr_using_subcommand token; and not __fish_seen_subcommand_from create delete list show update credential" -f -a "update" -d 'Update a token (replace associated scope map) for an Azure Container Registry'
complete -c acr -n "__fish_acr_using_subcommand token; and not __fish_seen_subcommand_from create delete list show update credential" -f -a "credential" -d 'Manage credentials of a token for an Azure Container Registry'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from create" -s n -l name -d 'The name of the token' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from create" -s r -l registry -d 'The name of the container registry. It should be specified in lower case. You can configure the default registry name using `acr configure --defaults acr=<registry name>`' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from create" -s g -l resource-group -d 'Name of resource group. You can configure the default group using `acr configure --defaults group=<name>`' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from create" -l expiration -d 'UTC time for which the credentials will be valid. In the format of %Y-%m-%dT%H:%M:%SZ, e.g. 2025-12-31T12:59:59Z' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from create" -l expiration-in-days -d 'Number of days for which the credentials will be valid. If not specified, the expiration will default to the max value "9999-12-31T23:59:59.999999+00:00"' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from create" -l no-passwords -d 'Do not generate passwords during token creation. You can generate the passwords after the token is created by using `acr token credential generate` command' -r -f -a "false\t''
true\t''"
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from create" -l gateway -d 'Gateway permissions. Use the format "--gateway GATEWAY [ACTION1 ACTION2 ...]" per flag. Valid actions are [\'config/read\', \'config/write\', \'message/read\', \'message/write\'].' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from create" -l repository -d 'Repository permissions. Use the format "--repository REPO [ACTION1 ACTION2 ...]" per flag. Valid actions are [\'content/delete\', \'content/read\', \'content/write\', \'metadata/read\', \'metadata/write\'].' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from create" -l scope-map -d 'The name of the scope map with pre-configured repository permissions. Use "--repository" and/or "--gateway" if you would like CLI to configure one for you' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from create" -l status -d 'The status of the token' -r -f -a "enabled\t''
disabled\t''"
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from create" -l output-secret-file -d 'Write the generated password(s) to this new file, created with mode 0600, instead of stdout, which shows "<written to PATH>" in their place. One password: the value alone, without a newline; two: the lines password1=VALUE and password2=VALUE. Refused if the file exists, unless --force (an addition of acr)' -r -F
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from create" -l change-reference -d 'The related change reference ID for this resource operation' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from create" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from create" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from create" -l if-not-exists -d 'If the token exists with the same scope map (or, with --repository/--gateway, the same actions), leave it and its passwords untouched and print it as `acr token show` does; if it exists otherwise, fail and change nothing (an addition of acr)'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from create" -l force -d 'Replace the file of --output-secret-file if it exists'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from create" -l acquire-policy-token -d 'Acquiring an Azure Policy token automatically for this resource operation'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from create" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from create" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from create" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from create" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from delete" -s n -l name -d 'The name of the token' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from delete" -s r -l registry -d 'The name of the container registry. It should be specified in lower case. You can configure the default registry name using `acr configure --defaults acr=<registry name>`' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from delete" -s g -l resource-group -d 'Name of resource group. You can configure the default group using `acr configure --defaults group=<name>`' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from delete" -l change-reference -d 'The related change reference ID for this resource operation' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from delete" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from delete" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from delete" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Do not prompt for confirmation'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from delete" -l acquire-policy-token -d 'Acquiring an Azure Policy token automatically for this resource operation'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from delete" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from delete" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from delete" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from delete" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from list" -s r -l registry -d 'The name of the container registry. It should be specified in lower case. You can configure the default registry name using `acr configure --defaults acr=<registry name>`' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from list" -s g -l resource-group -d 'Name of resource group. You can configure the default group using `acr configure --defaults group=<name>`' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from list" -l expiring-within -d 'Only tokens with a password that expires within this time from now, and has not expired yet: a number and a unit, d, h, m or s (7d, 12h, 30m). With --expired, tokens matching either (an addition of acr)' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from list" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from list" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from list" -l expired -d 'Only tokens with a password that has expired (an addition of acr)'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from list" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from list" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from list" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from list" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from show" -s n -l name -d 'The name of the token' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from show" -s r -l registry -d 'The name of the container registry. It should be specified in lower case. You can configure the default registry name using `acr configure --defaults acr=<registry name>`' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from show" -s g -l resource-group -d 'Name of resource group. You can configure the default group using `acr configure --defaults group=<name>`' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from show" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from show" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from show" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from show" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from show" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from show" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from update" -s n -l name -d 'The name of the token' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from update" -s r -l registry -d 'The name of the container registry. It should be specified in lower case. You can configure the default registry name using `acr configure --defaults acr=<registry name>`' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from update" -s g -l resource-group -d 'Name of resource group. You can configure the default group using `acr configure --defaults group=<name>`' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from update" -l scope-map -d 'The name of the scope map associated with the token. If not specified, the token keeps its current scope map' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from update" -l status -d 'The status of the token. If not specified, the status is unchanged' -r -f -a "enabled\t''
disabled\t''"
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from update" -l change-reference -d 'The related change reference ID for this resource operation' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from update" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from update" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from update" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from update" -l acquire-policy-token -d 'Acquiring an Azure Policy token automatically for this resource operation'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from update" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from update" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from update" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from update" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from credential" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from credential" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from credential" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from credential" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from credential" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from credential" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from credential" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from credential" -f -a "delete" -d 'Delete a token credential'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from credential" -f -a "generate" -d 'Generate or replace one or both passwords of a token for an Azure Container Registry. For using token and password to access a container registry, see https://aka.ms/acr/repo-permissions'
complete -c acr -n "__fish_acr_using_subcommand token; and __fish_seen_subcommand_from credential" -f -a "rotate" -d 'Replace one password of a token, the empty one or else the older one, so the other keeps working (an addition of acr)'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and not __fish_seen_subcommand_from create delete list show update" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand scope-map; and not __fish_seen_subcommand_from create delete list show update" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and not __fish_seen_subcommand_from create delete list show update" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and not __fish_seen_subcommand_from create delete list show update" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and not __fish_seen_subcommand_from create delete list show update" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and not __fish_seen_subcommand_from create delete list show update" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and not __fish_seen_subcommand_from create delete list show update" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and not __fish_seen_subcommand_from create delete list show update" -f -a "create" -d 'Create a scope map for an Azure Container Registry'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and not __fish_seen_subcommand_from create delete list show update" -f -a "delete" -d 'Delete a scope map for an Azure Container Registry'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and not __fish_seen_subcommand_from create delete list show update" -f -a "list" -d 'List all scope maps for an Azure Container Registry'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and not __fish_seen_subcommand_from create delete list show update" -f -a "show" -d 'Show details and attributes of a scope map for an Azure Container Registry'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and not __fish_seen_subcommand_from create delete list show update" -f -a "update" -d 'Update a scope map for an Azure Container Registry'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from create" -s n -l name -d 'The name of the scope map' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from create" -s r -l registry -d 'The name of the container registry. It should be specified in lower case. You can configure the default registry name using `acr configure --defaults acr=<registry name>`' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from create" -s g -l resource-group -d 'Name of resource group. You can configure the default group using `acr configure --defaults group=<name>`' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from create" -l description -d 'Description for the scope map. Maximum 256 characters are allowed' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from create" -l gateway -d 'Gateway permissions. Use the format "--gateway GATEWAY [ACTION1 ACTION2 ...]" per flag. Valid actions are [\'config/read\', \'config/write\', \'message/read\', \'message/write\'].' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from create" -l repository -d 'Repository permissions. Use the format "--repository REPO [ACTION1 ACTION2 ...]" per flag. Valid actions are [\'content/delete\', \'content/read\', \'content/write\', \'metadata/read\', \'metadata/write\'].' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from create" -l change-reference -d 'The related change reference ID for this resource operation' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from create" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from create" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from create" -l acquire-policy-token -d 'Acquiring an Azure Policy token automatically for this resource operation'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from create" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from create" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from create" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from create" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from delete" -s n -l name -d 'The name of the scope map' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from delete" -s r -l registry -d 'The name of the container registry. It should be specified in lower case. You can configure the default registry name using `acr configure --defaults acr=<registry name>`' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from delete" -s g -l resource-group -d 'Name of resource group. You can configure the default group using `acr configure --defaults group=<name>`' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from delete" -l change-reference -d 'The related change reference ID for this resource operation' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from delete" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from delete" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from delete" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Do not prompt for confirmation'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from delete" -l acquire-policy-token -d 'Acquiring an Azure Policy token automatically for this resource operation'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from delete" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from delete" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from delete" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from delete" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from list" -s r -l registry -d 'The name of the container registry. It should be specified in lower case. You can configure the default registry name using `acr configure --defaults acr=<registry name>`' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from list" -s g -l resource-group -d 'Name of resource group. You can configure the default group using `acr configure --defaults group=<name>`' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from list" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from list" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from list" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from list" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from list" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from list" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from show" -s n -l name -d 'The name of the scope map' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from show" -s r -l registry -d 'The name of the container registry. It should be specified in lower case. You can configure the default registry name using `acr configure --defaults acr=<registry name>`' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from show" -s g -l resource-group -d 'Name of resource group. You can configure the default group using `acr configure --defaults group=<name>`' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from show" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from show" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from show" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from show" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from show" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from show" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from update" -s n -l name -d 'The name of the scope map' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from update" -s r -l registry -d 'The name of the container registry. It should be specified in lower case. You can configure the default registry name using `acr configure --defaults acr=<registry name>`' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from update" -s g -l resource-group -d 'Name of resource group. You can configure the default group using `acr configure --defaults group=<name>`' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from update" -l add-repository -d 'Repository permissions to be added. Use the format "--add-repository REPO [ACTION1 ACTION2 ...]" per flag. Valid actions are [\'content/delete\', \'content/read\', \'content/write\', \'metadata/read\', \'metadata/write\'].' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from update" -l add-gateway -d 'Gateway permissions to be added. Use the format "--add-gateway GATEWAY [ACTION1 ACTION2 ...]" per flag. Valid actions are [\'config/read\', \'config/write\', \'message/read\', \'message/write\'].' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from update" -l remove-repository -d 'Repository permissions to be removed. Use the format "--remove-repository REPO [ACTION1 ACTION2 ...]" per flag. Valid actions are [\'content/delete\', \'content/read\', \'content/write\', \'metadata/read\', \'metadata/write\'].' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from update" -l remove-gateway -d 'Gateway permissions to be removed. Use the format "--remove-gateway GATEWAY [ACTION1 ACTION2 ...]" per flag. Valid actions are [\'config/read\', \'config/write\', \'message/read\', \'message/write\'].' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from update" -l description -d 'Description for the scope map. Maximum 256 characters are allowed' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from update" -l change-reference -d 'The related change reference ID for this resource operation' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from update" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from update" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from update" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from update" -l acquire-policy-token -d 'Acquiring an Azure Policy token automatically for this resource operation'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from update" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from update" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from update" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand scope-map; and __fish_seen_subcommand_from update" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_using_subcommand repository; and not __fish_seen_subcommand_from delete list show show-manifests show-tags untag update" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand repository; and not __fish_seen_subcommand_from delete list show show-manifests show-tags untag update" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and not __fish_seen_subcommand_from delete list show show-manifests show-tags untag update" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and not __fish_seen_subcommand_from delete list show show-manifests show-tags untag update" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand repository; and not __fish_seen_subcommand_from delete list show show-manifests show-tags untag update" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand repository; and not __fish_seen_subcommand_from delete list show show-manifests show-tags untag update" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand repository; and not __fish_seen_subcommand_from delete list show show-manifests show-tags untag update" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_using_subcommand repository; and not __fish_seen_subcommand_from delete list show show-manifests show-tags untag update" -f -a "delete" -d 'Delete a repository or image in an Azure Container Registry'
complete -c acr -n "__fish_acr_using_subcommand repository; and not __fish_seen_subcommand_from delete list show show-manifests show-tags untag update" -f -a "list" -d 'List repositories in an Azure Container Registry'
complete -c acr -n "__fish_acr_using_subcommand repository; and not __fish_seen_subcommand_from delete list show show-manifests show-tags untag update" -f -a "show" -d 'Get the attributes of a repository or image in an Azure Container Registry'
complete -c acr -n "__fish_acr_using_subcommand repository; and not __fish_seen_subcommand_from delete list show show-manifests show-tags untag update" -f -a "show-manifests" -d 'Show manifests of a repository in an Azure Container Registry'
complete -c acr -n "__fish_acr_using_subcommand repository; and not __fish_seen_subcommand_from delete list show show-manifests show-tags untag update" -f -a "show-tags" -d 'Show tags for a repository in an Azure Container Registry'
complete -c acr -n "__fish_acr_using_subcommand repository; and not __fish_seen_subcommand_from delete list show show-manifests show-tags untag update" -f -a "untag" -d 'Untag an image in an Azure Container Registry'
complete -c acr -n "__fish_acr_using_subcommand repository; and not __fish_seen_subcommand_from delete list show show-manifests show-tags untag update" -f -a "update" -d 'Update the attributes of a repository or image in an Azure Container Registry'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from delete" -s n -l name -d 'The name of the container registry. It should be specified in lower case. You can configure the default registry name using `acr configure --defaults acr=<registry name>`' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from delete" -s p -l password -d 'The password used to log into a container registry' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from delete" -l suffix -d 'The tenant suffix in registry login server. You may specify \'--suffix tenant\' if your registry login server is in the format \'registry-tenant.azurecr.io\'. Applicable if you\'re accessing the registry from a different subscription or you have permission to access images but not the permission to manage the registry resource' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from delete" -s u -l username -d 'The username used to log into a container registry' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from delete" -s g -l resource-group -d 'Deprecated and ignored: the registry\'s resource group is found automatically' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from delete" -s t -l image -d 'The name of the image. May include a tag in the format \'name:tag\' or digest in the format \'name@digest\'' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from delete" -l repository -d 'The name of the repository' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from delete" -l change-reference -d 'The related change reference ID for this resource operation' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from delete" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from delete" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from delete" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from delete" -l password-stdin -d 'Read the password from standard input, so that it appears in no process list or shell history'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Do not prompt for confirmation'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from delete" -l acquire-policy-token -d 'Acquiring an Azure Policy token automatically for this resource operation'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from delete" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from delete" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from delete" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from delete" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from list" -s n -l name -d 'The name of the container registry. It should be specified in lower case. You can configure the default registry name using `acr configure --defaults acr=<registry name>`' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from list" -s p -l password -d 'The password used to log into a container registry' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from list" -l suffix -d 'The tenant suffix in registry login server. You may specify \'--suffix tenant\' if your registry login server is in the format \'registry-tenant.azurecr.io\'. Applicable if you\'re accessing the registry from a different subscription or you have permission to access images but not the permission to manage the registry resource' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from list" -s u -l username -d 'The username used to log into a container registry' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from list" -s g -l resource-group -d 'Deprecated and ignored: the registry\'s resource group is found automatically' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from list" -l top -d 'Limit the number of items in the results' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from list" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from list" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from list" -l password-stdin -d 'Read the password from standard input, so that it appears in no process list or shell history'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from list" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from list" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from list" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from list" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show" -s n -l name -d 'The name of the container registry. It should be specified in lower case. You can configure the default registry name using `acr configure --defaults acr=<registry name>`' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show" -s p -l password -d 'The password used to log into a container registry' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show" -l suffix -d 'The tenant suffix in registry login server. You may specify \'--suffix tenant\' if your registry login server is in the format \'registry-tenant.azurecr.io\'. Applicable if you\'re accessing the registry from a different subscription or you have permission to access images but not the permission to manage the registry resource' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show" -s u -l username -d 'The username used to log into a container registry' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show" -s g -l resource-group -d 'Deprecated and ignored: the registry\'s resource group is found automatically' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show" -s t -l image -d 'The name of the image. May include a tag in the format \'name:tag\' or digest in the format \'name@digest\'' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show" -l repository -d 'The name of the repository' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show" -l password-stdin -d 'Read the password from standard input, so that it appears in no process list or shell history'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-manifests" -s n -l name -d 'The name of the container registry. It should be specified in lower case. You can configure the default registry name using `acr configure --defaults acr=<registry name>`' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-manifests" -s p -l password -d 'The password used to log into a container registry' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-manifests" -l suffix -d 'The tenant suffix in registry login server. You may specify \'--suffix tenant\' if your registry login server is in the format \'registry-tenant.azurecr.io\'. Applicable if you\'re accessing the registry from a different subscription or you have permission to access images but not the permission to manage the registry resource' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-manifests" -s u -l username -d 'The username used to log into a container registry' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-manifests" -s g -l resource-group -d 'Deprecated and ignored: the registry\'s resource group is found automatically' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-manifests" -l repository -d 'The name of the repository' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-manifests" -l orderby -d 'Order the items in the results. Default to alphabetical order of names' -r -f -a "time_asc\t''
time_desc\t''"
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-manifests" -l top -d 'Limit the number of items in the results' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-manifests" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-manifests" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-manifests" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-manifests" -l password-stdin -d 'Read the password from standard input, so that it appears in no process list or shell history'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-manifests" -l detail -d 'Show detailed information'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-manifests" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-manifests" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-manifests" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-manifests" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-tags" -s n -l name -d 'The name of the container registry. It should be specified in lower case. You can configure the default registry name using `acr configure --defaults acr=<registry name>`' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-tags" -s p -l password -d 'The password used to log into a container registry' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-tags" -l suffix -d 'The tenant suffix in registry login server. You may specify \'--suffix tenant\' if your registry login server is in the format \'registry-tenant.azurecr.io\'. Applicable if you\'re accessing the registry from a different subscription or you have permission to access images but not the permission to manage the registry resource' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-tags" -s u -l username -d 'The username used to log into a container registry' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-tags" -s g -l resource-group -d 'Deprecated and ignored: the registry\'s resource group is found automatically' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-tags" -l repository -d 'The name of the repository' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-tags" -l orderby -d 'Order the items in the results. Default to alphabetical order of names' -r -f -a "time_asc\t''
time_desc\t''"
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-tags" -l top -d 'Limit the number of items in the results' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-tags" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-tags" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-tags" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-tags" -l password-stdin -d 'Read the password from standard input, so that it appears in no process list or shell history'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-tags" -l detail -d 'Show detailed information'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-tags" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-tags" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-tags" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from show-tags" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from untag" -s t -l image -d 'The name of the image. May include a tag in the format \'name:tag\'' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from untag" -s n -l name -d 'The name of the container registry. It should be specified in lower case. You can configure the default registry name using `acr configure --defaults acr=<registry name>`' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from untag" -s p -l password -d 'The password used to log into a container registry' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from untag" -l suffix -d 'The tenant suffix in registry login server. You may specify \'--suffix tenant\' if your registry login server is in the format \'registry-tenant.azurecr.io\'. Applicable if you\'re accessing the registry from a different subscription or you have permission to access images but not the permission to manage the registry resource' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from untag" -s u -l username -d 'The username used to log into a container registry' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from untag" -s g -l resource-group -d 'Deprecated and ignored: the registry\'s resource group is found automatically' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from untag" -l change-reference -d 'The related change reference ID for this resource operation' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from untag" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from untag" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from untag" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from untag" -l password-stdin -d 'Read the password from standard input, so that it appears in no process list or shell history'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from untag" -l acquire-policy-token -d 'Acquiring an Azure Policy token automatically for this resource operation'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from untag" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from untag" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from untag" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from untag" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from update" -s n -l name -d 'The name of the container registry. It should be specified in lower case. You can configure the default registry name using `acr configure --defaults acr=<registry name>`' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from update" -s p -l password -d 'The password used to log into a container registry' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from update" -l suffix -d 'The tenant suffix in registry login server. You may specify \'--suffix tenant\' if your registry login server is in the format \'registry-tenant.azurecr.io\'. Applicable if you\'re accessing the registry from a different subscription or you have permission to access images but not the permission to manage the registry resource' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from update" -s u -l username -d 'The username used to log into a container registry' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from update" -s g -l resource-group -d 'Deprecated and ignored: the registry\'s resource group is found automatically' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from update" -s t -l image -d 'The name of the image. May include a tag in the format \'name:tag\' or digest in the format \'name@digest\'' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from update" -l repository -d 'The name of the repository' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from update" -l delete-enabled -d 'Indicates whether delete operation is allowed' -r -f -a "false\t''
true\t''"
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from update" -l list-enabled -d 'Indicates whether this item shows in list operation results' -r -f -a "false\t''
true\t''"
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from update" -l read-enabled -d 'Indicates whether read operation is allowed' -r -f -a "false\t''
true\t''"
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from update" -l write-enabled -d 'Indicates whether write or delete operation is allowed' -r -f -a "false\t''
true\t''"
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from update" -l change-reference -d 'The related change reference ID for this resource operation' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from update" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from update" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from update" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from update" -l password-stdin -d 'Read the password from standard input, so that it appears in no process list or shell history'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from update" -l acquire-policy-token -d 'Acquiring an Azure Policy token automatically for this resource operation'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from update" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from update" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from update" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand repository; and __fish_seen_subcommand_from update" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_using_subcommand login" -s n -l name -d 'The name of the container registry. It should be specified in lower case. You can configure the default registry name using `acr configure --defaults acr=<registry name>`' -r
complete -c acr -n "__fish_acr_using_subcommand login" -s p -l password -d 'The password used to log into a container registry' -r
complete -c acr -n "__fish_acr_using_subcommand login" -s g -l resource-group -d 'Name of resource group. You can configure the default group using `acr configure --defaults group=<name>`' -r
complete -c acr -n "__fish_acr_using_subcommand login" -l suffix -d 'The tenant suffix in registry login server. You may specify \'--suffix tenant\' if your registry login server is in the format \'registry-tenant.azurecr.io\'. Applicable if you\'re accessing the registry from a different subscription or you have permission to access images but not the permission to manage the registry resource' -r
complete -c acr -n "__fish_acr_using_subcommand login" -s u -l username -d 'The username used to log into a container registry' -r
complete -c acr -n "__fish_acr_using_subcommand login" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand login" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand login" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand login" -s t -l expose-token -d 'Expose refresh token instead of writing the credentials into the auth file'
complete -c acr -n "__fish_acr_using_subcommand login" -l password-stdin -d 'Read the password from standard input, so that it appears in no process list or shell history'
complete -c acr -n "__fish_acr_using_subcommand login" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand login" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand login" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand login" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_using_subcommand account; and not __fish_seen_subcommand_from login logout show" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand account; and not __fish_seen_subcommand_from login logout show" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand account; and not __fish_seen_subcommand_from login logout show" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand account; and not __fish_seen_subcommand_from login logout show" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand account; and not __fish_seen_subcommand_from login logout show" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand account; and not __fish_seen_subcommand_from login logout show" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand account; and not __fish_seen_subcommand_from login logout show" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_using_subcommand account; and not __fish_seen_subcommand_from login logout show" -f -a "login" -d 'Log in with a service principal; its secret is kept in the OS keyring (or a 0600 file where no keyring exists)'
complete -c acr -n "__fish_acr_using_subcommand account; and not __fish_seen_subcommand_from login logout show" -f -a "logout" -d 'Log out: forget the stored service principal and cached access tokens'
complete -c acr -n "__fish_acr_using_subcommand account; and not __fish_seen_subcommand_from login logout show" -f -a "show" -d 'Show the identity and subscription acr uses'
complete -c acr -n "__fish_acr_using_subcommand account; and __fish_seen_subcommand_from login" -s p -l password -d 'Service principal secret. Prefer --password-stdin: a secret on the command line is visible in process lists and shell history' -r
complete -c acr -n "__fish_acr_using_subcommand account; and __fish_seen_subcommand_from login" -s t -l tenant -d 'The Microsoft Entra tenant, must be provided when using a service principal' -r
complete -c acr -n "__fish_acr_using_subcommand account; and __fish_seen_subcommand_from login" -s u -l username -d 'Service principal client ID' -r
complete -c acr -n "__fish_acr_using_subcommand account; and __fish_seen_subcommand_from login" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand account; and __fish_seen_subcommand_from login" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand account; and __fish_seen_subcommand_from login" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand account; and __fish_seen_subcommand_from login" -l password-stdin -d 'Read the service principal secret from standard input'
complete -c acr -n "__fish_acr_using_subcommand account; and __fish_seen_subcommand_from login" -l service-principal -d 'Log in with a service principal'
complete -c acr -n "__fish_acr_using_subcommand account; and __fish_seen_subcommand_from login" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand account; and __fish_seen_subcommand_from login" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand account; and __fish_seen_subcommand_from login" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand account; and __fish_seen_subcommand_from login" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_using_subcommand account; and __fish_seen_subcommand_from logout" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand account; and __fish_seen_subcommand_from logout" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand account; and __fish_seen_subcommand_from logout" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand account; and __fish_seen_subcommand_from logout" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand account; and __fish_seen_subcommand_from logout" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand account; and __fish_seen_subcommand_from logout" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand account; and __fish_seen_subcommand_from logout" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_using_subcommand account; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand account; and __fish_seen_subcommand_from show" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand account; and __fish_seen_subcommand_from show" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand account; and __fish_seen_subcommand_from show" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand account; and __fish_seen_subcommand_from show" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand account; and __fish_seen_subcommand_from show" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand account; and __fish_seen_subcommand_from show" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_using_subcommand cloud; and not __fish_seen_subcommand_from list register set show" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand cloud; and not __fish_seen_subcommand_from list register set show" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand cloud; and not __fish_seen_subcommand_from list register set show" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand cloud; and not __fish_seen_subcommand_from list register set show" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand cloud; and not __fish_seen_subcommand_from list register set show" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand cloud; and not __fish_seen_subcommand_from list register set show" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand cloud; and not __fish_seen_subcommand_from list register set show" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_using_subcommand cloud; and not __fish_seen_subcommand_from list register set show" -f -a "list" -d 'List registered clouds'
complete -c acr -n "__fish_acr_using_subcommand cloud; and not __fish_seen_subcommand_from list register set show" -f -a "register" -d 'Register a cloud'
complete -c acr -n "__fish_acr_using_subcommand cloud; and not __fish_seen_subcommand_from list register set show" -f -a "set" -d 'Set the active cloud'
complete -c acr -n "__fish_acr_using_subcommand cloud; and not __fish_seen_subcommand_from list register set show" -f -a "show" -d 'Get the details of a registered cloud'
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from list" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from list" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from list" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from list" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from list" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from list" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from register" -s n -l name -d 'Name of a registered cloud' -r
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from register" -l ca-bundle -d 'A PEM file of certificate authorities to trust for this cloud\'s endpoints and registries (acr only)' -r
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from register" -l endpoint-active-directory -d 'The Active Directory login endpoint' -r
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from register" -l endpoint-active-directory-resource-id -d 'The resource ID to obtain AD tokens for' -r
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from register" -l endpoint-resource-manager -d 'The resource management endpoint' -r
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from register" -l suffix-acr-login-server-endpoint -d 'The Azure Container Registry login server suffix' -r
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from register" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from register" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from register" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from register" -l skip-endpoint-discovery -d 'If specified, the cloud endpoints\' auto discovery will be skipped'
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from register" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from register" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from register" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from register" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from set" -s n -l name -d 'Name of a registered cloud' -r
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from set" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from set" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from set" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from set" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from set" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from set" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from set" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from show" -s n -l name -d 'Name of a registered cloud. Default: the active cloud' -r
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from show" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from show" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from show" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from show" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from show" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand cloud; and __fish_seen_subcommand_from show" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
complete -c acr -n "__fish_acr_using_subcommand configure" -s d -l defaults -d 'Space-separated \'name=value\' pairs for common argument defaults' -r
complete -c acr -n "__fish_acr_using_subcommand configure" -s l -l list-defaults -d 'List all applicable defaults' -r -f -a "false\t''
true\t''"
complete -c acr -n "__fish_acr_using_subcommand configure" -s o -l output -d 'Output format' -r -f -a "json\t''
jsonc\t''
yaml\t''
yamlc\t''
table\t''
tsv\t''
none\t''"
complete -c acr -n "__fish_acr_using_subcommand configure" -l query -d 'JMESPath query string. See http://jmespath.org/ for more information and examples' -r
complete -c acr -n "__fish_acr_using_subcommand configure" -l subscription -d 'Name or ID of subscription. Defaults to AZURE_SUBSCRIPTION_ID, then to the subscription of the signed-in identity' -r
complete -c acr -n "__fish_acr_using_subcommand configure" -l debug -d 'Increase logging verbosity to show all debug logs'
complete -c acr -n "__fish_acr_using_subcommand configure" -s h -l help -d 'Show this help message and exit'
complete -c acr -n "__fish_acr_using_subcommand configure" -l only-show-errors -d 'Only show errors, suppressing warnings'
complete -c acr -n "__fish_acr_using_subcommand configure" -l verbose -d 'Increase logging verbosity. Use --debug for full debug logs'
