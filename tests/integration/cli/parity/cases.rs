//! The parity command lines and the difference each may show (see `super`).

use serde_json::{Value, json};

use crate::support::split;

/// How az's and acr's results may differ for one command line.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Diff {
    /// stdout, stderr and exit code identical after normalisation.
    Same,
    /// An argparse error: identical exit code and stdout, stderr identical in its first line
    /// (az appends examples picked at random).
    ArgumentError,
    /// D1: acr leaves the token's status alone; az re-enables it. The value at the JSON pointer
    /// is `enabled` for az and `disabled` for acr; nothing else differs.
    D1(String),
    /// D2: no terminal: az crashes with NoTTYException, acr says why; both exit 1, no stdout.
    D2,
    /// D3: acr shows the scope-map type (a JSON/YAML key, a TSV cell, the table's TYPE column).
    D3,
    /// D4: `--expiration-in-days 0`: az succeeds, acr refuses before any request.
    D4,
    /// D5: the same set of actions; az's order is random, acr's is [`D5_ORDER`].
    D5Order,
    /// D5: "Invalid action": az lists the valid actions in random order, acr sorted.
    D5Valid,
    /// D7: acr refuses the name before any request; az sends it and the service refuses it.
    D7,
    /// D10: the conflict hint names --add-repository/--remove-repository.
    D10,
    /// D12: the post-create hint shows `--password-stdin` instead of password1.
    D12,
}

/// The command lines, in order, each with the difference expected between az and acr
/// (`same`, `args` for argument errors, or the policy item; `D1 <pointer>`). `@lro N` and
/// `@paging N` set both emulators' test hooks (asynchronous answers polled N times, N items
/// per page; 0 restores the default) for the lines that follow; `@fault {…}` injects the
/// same fault into both emulators. Each asynchronous operation
/// costs az 30 s: the emulator's operation-status answers carry no `Retry-After`, so az falls
/// back to its default poll interval (reported as an emulator issue); hence only two lines.
pub(super) const CASES: &str = r#"
D12      | acr token create -r myregistry -n token1 --repository hello-world content/read metadata/read
same     | acr token create -r myregistry -n token2 --repository Hello-World CONTENT/READ --gateway MyGateway config/read message/write --no-passwords
D12      | acr token create -r myregistry -n token3 --repository repo3 content/read -o tsv
D12      | acr token create -r myregistry -n token4 --scope-map token1-scope-map --expiration 2100-12-31T12:59:59Z -o table
D12      | acr token create -r myregistry -n token5 --scope-map token1-scope-map --expiration-in-days 30 --query credentials.passwords[].expiry
same     | acr token create -r myregistry -n token6 --scope-map token2-scope-map --status disabled --no-passwords -o yaml
same     | acr token create -r myregistry -n token8 --scope-map token1-scope-map --no-passwords TRUE --query credentials
same     | acr token create -r myregistry -n token9 --scope-map token1-scope-map --only-show-errors --query credentials.username
D10      | acr token create -r myregistry -n token1 --repository hello-world content/write
same     | acr token create -r myregistry -n token1 --repository hello-world metadata/read content/read --no-passwords --query scopeMapId
same     | acr token create -r myregistry -n token7 --repository hello-world content/read --scope-map token1-scope-map
same     | acr token create -r myregistry -n token7
same     | acr token create -r myregistry -n token7 --scope-map token1-scope-map --no-passwords --expiration-in-days 3
same     | acr token create -r myregistry -n token7 --scope-map token1-scope-map --expiration-in-days 3 --expiration 2030-01-01T00:00:00Z
same     | acr token create -r myregistry -n token7 --scope-map token1-scope-map --expiration 2030-01-01
same     | acr token create -r my_reg -n token7 --scope-map token1-scope-map --expiration 2030
same     | acr token create -r myregistry -n token7 --scope-map token1-scope-map --expiration 2030
D5-valid | acr token create -r myregistry -n token7 --repository hello-world content/readd
D5-valid | acr token create -r myregistry -n token7 --gateway gw content/read
same     | acr token create -r myregistry -n token7 --repository hello-world
args     | acr token create -r myregistry -n token7 --scope-map token1-scope-map --status foo
args     | acr token create -r myregistry -n token7 --scope-map token1-scope-map --no-passwords maybe
same     | acr token create -r nosuchreg -n token7 --scope-map token1-scope-map
D4       | acr token create -r myregistry -n tokzero --scope-map token1-scope-map --expiration-in-days 0
D4       | acr token create -r myregistry -n tokzero --scope-map token1-scope-map --no-passwords false --expiration-in-days 0
same     | acr token create -r myregistry -n tokzero --scope-map token1-scope-map --no-passwords --expiration-in-days 0
same     | acr token create -r myregistry -n tokzero --scope-map token1-scope-map --expiration-in-days 0 --expiration 2030-01-01T00:00:00Z
D7       | acr token create -r myregistry -n 'bad name!' --scope-map token1-scope-map --no-passwords --query name
same     | acr token show -r myregistry -n token1
same     | acr token show -r myregistry -n token4 -o table
same     | acr token show -r myregistry -n token2 -o jsonc
same     | acr token show -r myregistry -n nosuch
same     | acr token show -r myregistry -n token1 --query nosuchkey
same     | acr token list -r myregistry
same     | acr token list -r myregistry -o table
same     | acr token list -r myregistry -o tsv
same     | acr token list -r myregistry -o yaml
same     | acr token list -r myregistry --query "[].{n:name, s:status, p:credentials.passwords[].name}" -o table
same     | acr token list -r myregistry --query "[].{n:name, s:status, p:credentials.passwords[].name}" -o tsv
same     | acr token list -r myregistry --query "[?status=='disabled'].{z:name, a:status}"
same     | acr token list -r myregistry --query "[0].abs(name)"
same     | acr token list -r myregistry --query "nosuchfn(@)"
same     | acr token list -r myregistry --query '[?'
same     | acr token update -r myregistry -n token3 --status disabled --query status
D1 /s    | acr token update -r myregistry -n token3 --scope-map token2-scope-map --query "{s:status,m:scopeMapId}"
D1       | acr token update -r myregistry -n token3 -o tsv --query status
same     | acr token update -r myregistry -n token3 --status ENABLED -o table
same     | acr token update -r myregistry -n nosuch --status disabled
same     | acr token credential generate -r myregistry -n token2 --password1 --password2 -o tsv
same     | acr token credential generate -r myregistry -n token2 --password2 --expiration 2030-06-30T12:00:00Z
same     | acr token credential generate -r myregistry -n token2 -o table
same     | acr token credential generate -r myregistry -n token2 --password1 --days 2 --query passwords[0].expiry
same     | acr token credential generate -r myregistry -n token2 --expiration-in-days 5 --expiration 2030-06-30T12:00:00Z --query "passwords[].[name, starts_with(expiry, '2030')]" -o tsv
args     | acr token credential generate -r myregistry -n token2 --pass
same     | acr token credential generate -r myregistry -n nosuch
same     | acr token credential delete -r myregistry -n token2 --password1 -o table
same     | acr token credential delete -r myregistry -n token2 --password1
same     | acr token credential delete -r myregistry -n token2
same     | acr token credential delete -r myregistry -n token2 --password2 --query credentials
D3       | acr scope-map create -r myregistry -n scopemap1 --repository hello-world content/read metadata/read --repository alpine content/write --gateway gw1 config/read --description "A sample scope map with a quite long description that exceeds fifty seven chars"
D3       | acr scope-map create -r myregistry -n scopemap2 -o tsv
D3       | acr scope-map create -r myregistry -n scopemap3 --repository 'samples/*' content/read -o table
D3       | acr scope-map create -r myregistry -n scopemap1 --repository hello-world content/read metadata/read --description again -o table
D3       | acr scope-map show -r myregistry -n scopemap1 -o yaml
D3       | acr scope-map show -r myregistry -n _repositories_admin
D3       | acr scope-map list -r myregistry -o table
same     | acr scope-map list -r myregistry --query "[?starts_with(name, 'scopemap')].name" -o tsv
D3       | acr scope-map create -r myregistry -n scopemapzh --description "示例范围映射 sample" -o table
D3       | acr scope-map show -r myregistry -n scopemapzh -o yaml
same     | acr scope-map show -r myregistry -n scopemapzh --query "[name, description]" -o tsv
same     | acr token create -r myregistry -n token12 --gateway gw9 config/read CONFIG/WRITE --no-passwords -o tsv
D5-order | acr scope-map update -r myregistry -n scopemap1 --add-repository nginx/web content/read content/write --remove-repository hello-world metadata/read --add-gateway GW2 message/read --query actions
same     | acr scope-map update -r myregistry -n scopemap1
same     | acr scope-map update -r myregistry -n scopemap1 --add-repository a content/read --remove-repository a content/read metadata/read --add-gateway g config/read --remove-gateway g config/read
same     | acr scope-map update -r myregistry -n scopemap1 --add foo content/delete --query "length(actions)"
same     | acr scope-map update -r myregistry -n scopemap1 --description "only description" --query description
D2       | acr scope-map delete -r myregistry -n scopemap2
same     | acr scope-map delete -r myregistry -n scopemap2 --yes
same     | acr scope-map show -r myregistry -n scopemap2
same     | acr scope-map delete -r myregistry -n token1-scope-map -y
D2       | acr token delete -r myregistry -n token6
same     | acr token delete -r myregistry -n token6 -y
same     | acr token delete -r myregistry -n token6 -y
same     | acr token list -r my_reg
same     | acr token list -r myregistry.azurecr.local --query [].name -o tsv
same     | acr token list -r myregistry.example.com
same     | acr scope-map list -r abc.azurecr.local
same     | acr token list -r myregistry -g wronggroup
same     | acr token list -r MyRegistry --query "[].id" -o tsv
same     | acr token list -r myregistry --subscription "Emulator Subscription" --query "length(@)"
same     | acr token list -r myregistry --subscription nosuchsub
same     | acr token list -r myregistry --query "sort_by(@, &name)[].name" --output TSV
same     | acr token list -r myregistry -o none
same     | acr token show -r myregistry -n token2 --query "credentials.passwords[0]" -o table
same     | acr token show -r myregistry -n token2 --query credentials -o tsv
same     | acr token show -r myregistry -n token2 --query "{n:name, p:credentials.passwords}" -o table
same     | acr token create -r myregistry -n token10 --repository foo content/read --repository FOO Content/Read --no-passwords --query scopeMapId
same     | acr scope-map show -r myregistry -n token10-scope-map --query actions
same     | acr token create -r myregistry -n token11 --scope-map nosuchmap
same     | acr token create -r myregistry -n token11 --scope-map _repositories_pull --no-passwords -o table
same     | acr token credential generate -r myregistry -n token11 --password1 --expiration 2030-02-30T00:00:00Z
same     | acr token credential generate -r myregistry -n token11 --password2 --days 1 --only-show-errors --query "passwords[].name"
same     | acr token credential delete -r myregistry -n token11 --password1 --password2
same     | acr token delete -r myregistry -n nosuch -y
D3       | acr scope-map create -r myregistry -n scopemap4 --gateway gw1 config/write message/write -o yaml
same     | acr scope-map show -r myregistry -n scopemap4 --query "{n:name, a:actions}" -o table
same     | acr scope-map update -r myregistry -n scopemap1 --remove-repo foo content/delete --desc abbreviated --query "[description, length(actions)]" -o tsv
same     | acr scope-map update -r myregistry -n nosuchmap --add-repository a content/read
same     | acr scope-map delete -r myregistry -n _repositories_pull -y
D3       | acr scope-map list -r myregistry -o yaml
D12      | acr token create -r myregistry -n tokenlro --repository lro content/read -o table
@lro 1
same     | acr token credential generate -r myregistry -n tokenlro --password2 --query "passwords[].name"
same     | acr token update -r myregistry -n tokenlro --status disabled -o table
@lro 0
same     | acr token credential delete -r myregistry -n tokenlro --password1 --query "credentials.passwords[].name"
same     | acr token delete -r myregistry -n tokenlro -y
@fault {"method": "GET", "pathContains": "/tokens/token2", "status": 409, "count": 1, "body": {"error": {"code": "Conflict", "message": "The token is busy.", "target": "token2", "details": [{"code": "Locked", "message": "Try again later."}, {"code": "Second", "message": "Another detail."}]}}}
same     | acr token show -r myregistry -n token2
@fault {"method": "GET", "pathContains": "/scopeMaps/scopemap1", "status": 400, "count": 1, "body": {"error": {"code": "BadRequest", "message": "Bad.", "innererror": {"trace": "abc", "depth": 2}}}}
same     | acr scope-map show -r myregistry -n scopemap1
@fault {"method": "GET", "pathContains": "/tokens", "status": 429, "retryAfter": 0, "count": 1}
same     | acr token list -r myregistry --query "length(@)"
@fault {"method": "PATCH", "pathContains": "/tokens/token2", "status": 503, "retryAfter": 0, "count": 1}
same     | acr token update -r myregistry -n token2 --status enabled --query status
@fault {"method": "GET", "pathContains": "/scopeMaps/scopemap4", "status": 500, "retryAfter": 0, "count": 10}
same     | acr scope-map show -r myregistry -n scopemap4
@paging 2
same     | acr token list -r myregistry --query "[].name" -o tsv
D3       | acr scope-map list -r myregistry -o table
@paging 0
"#;

/// acr's order for the `D5-order` case (az's is random).
pub(super) const D5_ORDER: [&str; 4] = [
    "repositories/hello-world/content/read",
    "repositories/nginx/web/content/read",
    "repositories/nginx/web/content/write",
    "gateway/gw2/message/read",
];

pub(super) struct Case {
    pub line: &'static str,
    pub diff: Diff,
}

/// One line of [`CASES`].
pub(super) enum Step {
    Run(Case),
    Lro(u32),
    Paging(usize),
    Fault(Value),
}

pub(super) fn steps() -> Vec<Step> {
    CASES
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            if let Some(n) = l.strip_prefix("@lro ") {
                return Step::Lro(n.parse().unwrap());
            }
            if let Some(n) = l.strip_prefix("@paging ") {
                return Step::Paging(n.parse().unwrap());
            }
            if let Some(spec) = l.strip_prefix("@fault ") {
                return Step::Fault(serde_json::from_str(spec).expect("a fault spec"));
            }
            let (diff, line) = l.split_once(" | ").expect("DIFF | command");
            let diff = match diff.split_whitespace().collect::<Vec<_>>()[..] {
                ["same"] => Diff::Same,
                ["args"] => Diff::ArgumentError,
                ["D1"] => Diff::D1(String::new()),
                ["D1", pointer] => Diff::D1(pointer.to_owned()),
                ["D2"] => Diff::D2,
                ["D3"] => Diff::D3,
                ["D4"] => Diff::D4,
                ["D5-order"] => Diff::D5Order,
                ["D5-valid"] => Diff::D5Valid,
                ["D7"] => Diff::D7,
                ["D10"] => Diff::D10,
                ["D12"] => Diff::D12,
                ref other => panic!("unknown difference {other:?}"),
            };
            Step::Run(Case {
                line: line.trim(),
                diff,
            })
        })
        .collect()
}

impl Case {
    /// The token named with `-n`.
    pub fn token(&self) -> String {
        let args = split(self.line);
        let i = args.iter().position(|a| a == "-n").expect("-n");
        args[i + 1].clone()
    }

    /// The scope map whose actions this line adds or removes: az stores them in random order
    /// (D5), so the az side is given acr's order afterwards.
    pub fn reordered_scope_map(&self) -> Option<String> {
        let args = split(self.line);
        let edits = args
            .iter()
            .any(|a| a.starts_with("--add") || a.starts_with("--remove"));
        (self.line.starts_with("acr scope-map update") && edits).then(|| self.token())
    }

    /// Requests that put the az emulator back in step after a difference that changed state:
    /// az re-enabled the token (D1) or created one acr refused (D4).
    pub fn resync(&self) -> Vec<(&'static str, String, Option<Value>)> {
        match self.diff {
            Diff::D1(_) => vec![(
                "PATCH",
                format!("/tokens/{}", self.token()),
                Some(json!({"properties": {"status": "disabled"}})),
            )],
            Diff::D4 => vec![("DELETE", format!("/tokens/{}", self.token()), None)],
            _ => vec![],
        }
    }
}
