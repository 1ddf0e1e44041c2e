
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'acr-emulator' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'acr-emulator'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'acr-emulator' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start the emulator (foreground unless --detach)')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop the emulator running on a data dir and wait for it to exit')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'Print what clients need to use the emulator')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run CMD against a throw-away emulator, then stop it and remove its data')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'acr-emulator;start' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (default: the platform data dir + /acr-emulator)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'HTTPS port for management, identity and metadata on 127.0.0.1 (0 = any free port; default 8443 for start, any free port for exec)')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Registry to create on first start, NAME[:SKU] (SKU Basic, Standard or Premium; default Premium). Repeatable')
            [CompletionResult]::new('--password-propagation', '--password-propagation', [CompletionResultType]::ParameterName, 'Model Azure''s replication delay: a newly generated token password is refused by the data plane (as a wrong password) for this long, e.g. 5s or 1m (default 0s: at once)')
            [CompletionResult]::new('--faults', '--faults', [CompletionResultType]::ParameterName, 'Misbehave like Azure: comma-separated PLANE:KIND=VALUE, PLANE arm, identity or registry; KIND 429, 503, 500 or reset with a probability in [0, 1], latency with a duration (150ms) added to every response, or (arm only) ratelimit with requests per second per subscription. Example: ''arm:429=0.2,arm:503=0.1,arm:reset=0.05,arm:latency=100ms''')
            [CompletionResult]::new('--fault-seed', '--fault-seed', [CompletionResultType]::ParameterName, 'Seed of the fault sequence: the same seed gives the same faults for the same requests (default: random, printed at start)')
            [CompletionResult]::new('--detach', '--detach', [CompletionResultType]::ParameterName, 'Run in the background; return once every listener answers')
            [CompletionResult]::new('--imds', '--imds', [CompletionResultType]::ParameterName, 'Serve the VM-style managed-identity endpoint (/metadata/identity/oauth2/token). Like a VM''s metadata service it asks for no secret, so every local user and process gets owner tokens from it: use it only on a machine you do not share')
            [CompletionResult]::new('--test-hooks', '--test-hooks', [CompletionResultType]::ParameterName, 'Serve the /_emulator/ test hooks (request log, faults, LRO mode, paging)')
            [CompletionResult]::new('--no-signin-link', '--no-signin-link', [CompletionResultType]::ParameterName, 'Leave the console''s sign-in link out of the start-up lines: the child of `--detach` writes them to emulator.log, and the link (a secret) belongs only on the parent''s stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'acr-emulator;stop' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (default: the platform data dir + /acr-emulator)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'acr-emulator;env' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (default: the platform data dir + /acr-emulator)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'format')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'acr-emulator;exec' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (default: the platform data dir + /acr-emulator)')
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'HTTPS port for management, identity and metadata on 127.0.0.1 (0 = any free port; default 8443 for start, any free port for exec)')
            [CompletionResult]::new('--registry', '--registry', [CompletionResultType]::ParameterName, 'Registry to create on first start, NAME[:SKU] (SKU Basic, Standard or Premium; default Premium). Repeatable')
            [CompletionResult]::new('--password-propagation', '--password-propagation', [CompletionResultType]::ParameterName, 'Model Azure''s replication delay: a newly generated token password is refused by the data plane (as a wrong password) for this long, e.g. 5s or 1m (default 0s: at once)')
            [CompletionResult]::new('--faults', '--faults', [CompletionResultType]::ParameterName, 'Misbehave like Azure: comma-separated PLANE:KIND=VALUE, PLANE arm, identity or registry; KIND 429, 503, 500 or reset with a probability in [0, 1], latency with a duration (150ms) added to every response, or (arm only) ratelimit with requests per second per subscription. Example: ''arm:429=0.2,arm:503=0.1,arm:reset=0.05,arm:latency=100ms''')
            [CompletionResult]::new('--fault-seed', '--fault-seed', [CompletionResultType]::ParameterName, 'Seed of the fault sequence: the same seed gives the same faults for the same requests (default: random, printed at start)')
            [CompletionResult]::new('--imds', '--imds', [CompletionResultType]::ParameterName, 'Serve the VM-style managed-identity endpoint (/metadata/identity/oauth2/token). Like a VM''s metadata service it asks for no secret, so every local user and process gets owner tokens from it: use it only on a machine you do not share')
            [CompletionResult]::new('--test-hooks', '--test-hooks', [CompletionResultType]::ParameterName, 'Serve the /_emulator/ test hooks (request log, faults, LRO mode, paging)')
            [CompletionResult]::new('--no-signin-link', '--no-signin-link', [CompletionResultType]::ParameterName, 'Leave the console''s sign-in link out of the start-up lines: the child of `--detach` writes them to emulator.log, and the link (a secret) belongs only on the parent''s stdout')
            [CompletionResult]::new('--detach', '--detach', [CompletionResultType]::ParameterName, 'Run in the background; return once every listener answers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'acr-emulator;help' {
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start the emulator (foreground unless --detach)')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop the emulator running on a data dir and wait for it to exit')
            [CompletionResult]::new('env', 'env', [CompletionResultType]::ParameterValue, 'Print what clients need to use the emulator')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run CMD against a throw-away emulator, then stop it and remove its data')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'acr-emulator;help;start' {
            break
        }
        'acr-emulator;help;stop' {
            break
        }
        'acr-emulator;help;env' {
            break
        }
        'acr-emulator;help;exec' {
            break
        }
        'acr-emulator;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
