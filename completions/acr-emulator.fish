# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_acr_emulator_global_optspecs
    string join \n h/help V/version
end

function __fish_acr_emulator_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_acr_emulator_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_acr_emulator_using_subcommand
    set -l cmd (__fish_acr_emulator_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c acr-emulator -n "__fish_acr_emulator_needs_command" -s h -l help -d 'Print help'
complete -c acr-emulator -n "__fish_acr_emulator_needs_command" -s V -l version -d 'Print version'
complete -c acr-emulator -n "__fish_acr_emulator_needs_command" -f -a "start" -d 'Start the emulator (foreground unless --detach)'
complete -c acr-emulator -n "__fish_acr_emulator_needs_command" -f -a "stop" -d 'Stop the emulator running on a data dir and wait for it to exit'
complete -c acr-emulator -n "__fish_acr_emulator_needs_command" -f -a "env" -d 'Print what clients need to use the emulator'
complete -c acr-emulator -n "__fish_acr_emulator_needs_command" -f -a "exec" -d 'Run CMD against a throw-away emulator, then stop it and remove its data'
complete -c acr-emulator -n "__fish_acr_emulator_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand start" -l data-dir -d 'Data directory (default: the platform data dir + /acr-emulator)' -r -F
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand start" -l port -d 'HTTPS port for management, identity and metadata on 127.0.0.1 (0 = any free port; default 8443 for start, any free port for exec)' -r
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand start" -l registry -d 'Registry to create on first start, NAME[:SKU] (SKU Basic, Standard or Premium; default Premium). Repeatable' -r
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand start" -l password-propagation -d 'Model Azure\'s replication delay: a newly generated token password is refused by the data plane (as a wrong password) for this long, e.g. 5s or 1m (default 0s: at once)' -r
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand start" -l faults -d 'Misbehave like Azure: comma-separated PLANE:KIND=VALUE, PLANE arm, identity or registry; KIND 429, 503, 500 or reset with a probability in [0, 1], latency with a duration (150ms) added to every response, or (arm only) ratelimit with requests per second per subscription. Example: \'arm:429=0.2,arm:503=0.1,arm:reset=0.05,arm:latency=100ms\'' -r
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand start" -l fault-seed -d 'Seed of the fault sequence: the same seed gives the same faults for the same requests (default: random, printed at start)' -r
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand start" -l detach -d 'Run in the background; return once every listener answers'
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand start" -l imds -d 'Serve the VM-style managed-identity endpoint (/metadata/identity/oauth2/token). Like a VM\'s metadata service it asks for no secret, so every local user and process gets owner tokens from it: use it only on a machine you do not share'
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand start" -l test-hooks -d 'Serve the /_emulator/ test hooks (request log, faults, LRO mode, paging)'
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand start" -l no-signin-link -d 'Leave the console\'s sign-in link out of the start-up lines: the child of `--detach` writes them to emulator.log, and the link (a secret) belongs only on the parent\'s stdout'
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand start" -s h -l help -d 'Print help'
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand stop" -l data-dir -d 'Data directory (default: the platform data dir + /acr-emulator)' -r -F
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand stop" -s h -l help -d 'Print help'
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand env" -l data-dir -d 'Data directory (default: the platform data dir + /acr-emulator)' -r -F
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand env" -l format -r -f -a "sh\t''
json\t''"
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand env" -s h -l help -d 'Print help'
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand exec" -l data-dir -d 'Data directory (default: the platform data dir + /acr-emulator)' -r -F
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand exec" -l port -d 'HTTPS port for management, identity and metadata on 127.0.0.1 (0 = any free port; default 8443 for start, any free port for exec)' -r
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand exec" -l registry -d 'Registry to create on first start, NAME[:SKU] (SKU Basic, Standard or Premium; default Premium). Repeatable' -r
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand exec" -l password-propagation -d 'Model Azure\'s replication delay: a newly generated token password is refused by the data plane (as a wrong password) for this long, e.g. 5s or 1m (default 0s: at once)' -r
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand exec" -l faults -d 'Misbehave like Azure: comma-separated PLANE:KIND=VALUE, PLANE arm, identity or registry; KIND 429, 503, 500 or reset with a probability in [0, 1], latency with a duration (150ms) added to every response, or (arm only) ratelimit with requests per second per subscription. Example: \'arm:429=0.2,arm:503=0.1,arm:reset=0.05,arm:latency=100ms\'' -r
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand exec" -l fault-seed -d 'Seed of the fault sequence: the same seed gives the same faults for the same requests (default: random, printed at start)' -r
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand exec" -l imds -d 'Serve the VM-style managed-identity endpoint (/metadata/identity/oauth2/token). Like a VM\'s metadata service it asks for no secret, so every local user and process gets owner tokens from it: use it only on a machine you do not share'
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand exec" -l test-hooks -d 'Serve the /_emulator/ test hooks (request log, faults, LRO mode, paging)'
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand exec" -l no-signin-link -d 'Leave the console\'s sign-in link out of the start-up lines: the child of `--detach` writes them to emulator.log, and the link (a secret) belongs only on the parent\'s stdout'
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand exec" -l detach -d 'Run in the background; return once every listener answers'
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand help; and not __fish_seen_subcommand_from start stop env exec help" -f -a "start" -d 'Start the emulator (foreground unless --detach)'
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand help; and not __fish_seen_subcommand_from start stop env exec help" -f -a "stop" -d 'Stop the emulator running on a data dir and wait for it to exit'
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand help; and not __fish_seen_subcommand_from start stop env exec help" -f -a "env" -d 'Print what clients need to use the emulator'
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand help; and not __fish_seen_subcommand_from start stop env exec help" -f -a "exec" -d 'Run CMD against a throw-away emulator, then stop it and remove its data'
complete -c acr-emulator -n "__fish_acr_emulator_using_subcommand help; and not __fish_seen_subcommand_from start stop env exec help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
