//! The walkthroughs of `../shared/seeds/` (the Azure documentation on repository-scoped tokens,
//! English and Chinese editions): every `az acr token` and `az acr scope-map` step, run verbatim
//! with `az acr` replaced by `acr` (line continuations, quotes and `TOKEN_PWD=$(…)` captures
//! included) against the emulator's default `myregistry`, each step's outcome asserted.
//!
//! Not here: the `docker login/push/pull` steps and the `az acr repository` steps, which need
//! the registry data plane and `acr repository` (issues 4 and 6).

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::token::assert_days_from_now;
use crate::support::{Acr, Emu, Out, passwords_of, setup, table, table_date};

/// The English edition's commands, verbatim but for `az acr` → `acr`.
pub(crate) const ENGLISH: [&str; 7] = [
    "acr token create --name MyToken --registry myregistry \\\n  --repository samples/hello-world content/write content/read \\\n  --repository samples/nginx content/read --status enabled",
    "acr scope-map create --name MyScopeMap --registry myregistry \\\n  --repository samples/hello-world content/write content/read \\\n  --repository samples/nginx content/read \\\n  --description \"Sample scope map\"",
    "acr token create --name MyToken --registry myregistry --scope-map MyScopeMap --status enabled",
    "TOKEN_PWD=$(acr token credential generate \\\n  --name MyToken --registry myregistry --days 30 \\\n  --password1 --query 'passwords[0].value' --output tsv)",
    "acr scope-map update --name MyScopeMap --registry myregistry \\\n  --remove samples/hello-world content/write",
    "acr token update --name MyToken --registry myregistry \\\n  --scope-map MyNewScopeMap",
    "acr token credential generate \\\n  --name MyToken --registry myregistry --days 30",
];

/// The Chinese edition's commands, verbatim but for `az acr` → `acr` (trailing spaces kept).
const CHINESE: [&str; 13] = [
    "acr token create --name MyToken --registry myregistry \\\n  --repository samples/hello-world \\\n  content/write content/read \\\n  --output json",
    "acr scope-map create --name MyScopeMap --registry myregistry \\\n  --repository samples/hello-world \\\n  content/write content/read \\\n  --description \"Sample scope map\"",
    "acr token create --name MyToken \\\n  --registry myregistry \\\n  --scope-map MyScopeMap",
    "acr scope-map update \\\n  --name MyScopeMap \\\n  --registry myregistry \\\n  --add-repository samples/nginx content/write content/read \\\n  --remove-repository samples/hello-world content/write ",
    "acr scope-map update \\\n  --name MyScopeMap \\\n  --registry myregistry \\\n  --add-repository samples/nginx content/delete",
    "acr scope-map update \\\n  --name MyScopeMap \\\n  --registry myregistry \\\n  --add-repository samples/hello-world metadata/read ",
    "acr scope-map list \\\n  --registry myregistry --output table",
    "acr scope-map show \\\n  --name MyScopeMap --registry myregistry",
    "acr token list --registry myregistry --output table",
    "TOKEN_PWD=$(acr token credential generate \\\n  --name MyToken --registry myregistry --expiration-in-days 30 \\\n  --password1 --query 'passwords[0].value' --output tsv)",
    "acr token update --name MyToken --registry myregistry \\\n  --scope-map MyNewScopeMap",
    "acr token update --name MyToken --registry myregistry \\\n  --status disabled",
    "acr token delete --name MyToken --registry myregistry",
];

/// Just enough of a POSIX shell for the documentation's lines: `NAME=$(command)` captures
/// (trailing newlines stripped, as `$(…)` does), `NAME=value`, and `$NAME` expansion outside
/// single quotes.
struct Shell<'a> {
    acr: &'a Acr,
    vars: BTreeMap<String, String>,
}

impl<'a> Shell<'a> {
    fn new(acr: &'a Acr) -> Shell<'a> {
        Shell {
            acr,
            vars: BTreeMap::new(),
        }
    }

    async fn run(&mut self, script: &str) -> Out {
        self.run_with(script, "", false).await
    }

    async fn run_with(&mut self, script: &str, stdin: &str, tty: bool) -> Out {
        let text = script.replace("\\\n", " ");
        let text = text.trim();
        if let Some((name, value)) = text.split_once('=')
            && !name.is_empty()
            && name.chars().all(|c| c.is_ascii_uppercase() || c == '_')
        {
            if let Some(inner) = value.strip_prefix("$(").and_then(|v| v.strip_suffix(')')) {
                let out = self.exec(inner, stdin, tty).await;
                self.vars.insert(
                    name.to_owned(),
                    out.stdout.trim_end_matches('\n').to_owned(),
                );
                return out;
            }
            self.vars.insert(name.to_owned(), value.to_owned());
            return Out {
                code: 0,
                stdout: String::new(),
                stderr: String::new(),
            };
        }
        self.exec(text, stdin, tty).await
    }

    async fn exec(&self, line: &str, stdin: &str, tty: bool) -> Out {
        let expanded = self.expand(line);
        assert!(expanded.starts_with("acr "), "not an acr command: {line}");
        self.acr.run_with(&expanded, stdin, tty).await
    }

    fn expand(&self, line: &str) -> String {
        let mut out = String::new();
        let mut chars = line.chars().peekable();
        let mut single = false;
        while let Some(c) = chars.next() {
            match c {
                '\'' => {
                    single = !single;
                    out.push(c);
                }
                '$' if !single && chars.peek().is_some_and(|n| n.is_ascii_uppercase()) => {
                    let mut name = String::new();
                    while let Some(n) = chars
                        .peek()
                        .filter(|n| n.is_ascii_uppercase() || **n == '_')
                    {
                        name.push(*n);
                        chars.next();
                    }
                    out.push_str(self.vars.get(&name).map(String::as_str).unwrap_or(""));
                }
                _ => out.push(c),
            }
        }
        out
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect()
}

async fn actions(acr: &Acr, map: &str) -> Vec<String> {
    strings(
        &acr.ok(&format!(
            "acr scope-map show -r myregistry -n {map} --query actions"
        ))
        .await
        .json(),
    )
}

async fn show_token(acr: &Acr) -> Value {
    acr.ok("acr token show -r myregistry -n MyToken")
        .await
        .json()
}

fn hint(emu: &Emu) -> String {
    format!(
        "WARNING: Please store your generated credentials safely. Meanwhile you can use it through \"docker login {} -u MyToken --password-stdin\".\n",
        emu.login_server()
    )
}

const DAYS_WARNING: &str = "WARNING: Option '--days' has been deprecated and will be removed in a future release. Use '--expiration-in-days' instead.\n";

/// The setup step the documentation assumes for `token update --scope-map MyNewScopeMap`.
const NEW_MAP: &str = "acr scope-map create --name MyNewScopeMap --registry myregistry --repository samples/nginx content/read";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn english_walkthrough() {
    let (emu, acr) = setup().await;
    let reg = emu.reg();
    let mut sh = Shell::new(&acr);

    // Create access token and specify repositories.
    let out = sh.run(ENGLISH[0]).await.ok();
    let token = out.json();
    assert_eq!(token["name"], "MyToken");
    assert_eq!(token["status"], "enabled");
    assert_eq!(token["credentials"]["username"], "MyToken");
    let first = passwords_of(&token);
    assert_eq!(first.len(), 2, "two passwords by default");
    assert_eq!(out.stderr, hint(&emu));
    assert_eq!(
        token["scopeMapId"],
        format!("{reg}/scopeMaps/MyToken-scope-map")
    );
    assert_eq!(
        actions(&acr, "MyToken-scope-map").await,
        [
            "repositories/samples/hello-world/content/write",
            "repositories/samples/hello-world/content/read",
            "repositories/samples/nginx/content/read"
        ]
    );

    // Create a scope map and associated token.
    let map = sh.run(ENGLISH[1]).await.ok().json();
    assert_eq!(map["name"], "MyScopeMap");
    assert_eq!(map["description"], "Sample scope map");
    assert_eq!(map["scopeMapType"], "UserDefined");
    assert_eq!(
        strings(&map["actions"]),
        [
            "repositories/samples/hello-world/content/write",
            "repositories/samples/hello-world/content/read",
            "repositories/samples/nginx/content/read"
        ]
    );
    let out = sh.run(ENGLISH[2]).await.ok();
    let token = out.json();
    assert_eq!(token["scopeMapId"], format!("{reg}/scopeMaps/MyScopeMap"));
    assert_eq!(token["status"], "enabled");
    let second = passwords_of(&token);
    assert_eq!(second.len(), 2);
    assert!(second.iter().all(|p| !first.contains(p)), "new passwords");
    assert_eq!(out.stderr, hint(&emu));

    // Generate passwords for token.
    let out = sh.run(ENGLISH[3]).await.ok();
    assert_eq!(out.stderr, DAYS_WARNING);
    let pwd = sh.vars["TOKEN_PWD"].clone();
    assert_eq!(pwd.len(), 52, "{pwd:?}");
    assert!(!second.contains(&pwd), "password1 was regenerated");
    let token = show_token(&acr).await;
    let password1 = token["credentials"]["passwords"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "password1")
        .unwrap()
        .clone();
    assert_days_from_now(
        &password1["expiry"].as_str().unwrap().replace("+00:00", "Z"),
        30,
    );

    // Update scope map and token.
    let out = sh.run(ENGLISH[4]).await.ok();
    assert_eq!(
        out.stderr,
        "WARNING: Option '--remove' has been deprecated and will be removed in a future release. Use '--remove-repository' instead.\n"
    );
    assert_eq!(
        strings(&out.json()["actions"]),
        [
            "repositories/samples/hello-world/content/read",
            "repositories/samples/nginx/content/read"
        ]
    );
    // The documentation assumes MyNewScopeMap exists; without it the service refuses.
    sh.run(ENGLISH[5]).await.error(
        1,
        "(BadRequest) The scope map 'MyNewScopeMap' referenced by properties.scopeMapId does not exist in registry 'myregistry'.\n\
         Code: BadRequest\n\
         Message: The scope map 'MyNewScopeMap' referenced by properties.scopeMapId does not exist in registry 'myregistry'.",
    );
    acr.ok(NEW_MAP).await;
    let token = sh.run(ENGLISH[5]).await.ok().json();
    assert_eq!(
        token["scopeMapId"],
        format!("{reg}/scopeMaps/MyNewScopeMap")
    );
    assert_eq!(token["status"], "enabled");

    // After updating a token, generate new passwords.
    let out = sh.run(ENGLISH[6]).await.ok();
    assert_eq!(out.stderr, DAYS_WARNING);
    let result = out.json();
    assert_eq!(result["username"], "MyToken");
    let generated = result["passwords"].as_array().unwrap();
    assert_eq!(generated.len(), 2, "both passwords");
    for p in generated {
        assert_days_from_now(&p["expiry"].as_str().unwrap().replace("+00:00", "Z"), 30);
        assert_ne!(p["value"], json!(pwd));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chinese_walkthrough() {
    let (emu, acr) = setup().await;
    let reg = emu.reg();
    let mut sh = Shell::new(&acr);

    // 创建令牌并指定存储库
    let out = sh.run(CHINESE[0]).await.ok();
    let token = out.json();
    assert_eq!(token["name"], "MyToken");
    assert_eq!(passwords_of(&token).len(), 2);
    assert_eq!(out.stderr, hint(&emu));
    assert_eq!(
        actions(&acr, "MyToken-scope-map").await,
        [
            "repositories/samples/hello-world/content/write",
            "repositories/samples/hello-world/content/read"
        ]
    );

    // 创建令牌并指定范围映射
    let map = sh.run(CHINESE[1]).await.ok().json();
    assert_eq!(map["description"], "Sample scope map");
    assert_eq!(
        strings(&map["actions"]),
        [
            "repositories/samples/hello-world/content/write",
            "repositories/samples/hello-world/content/read"
        ]
    );
    let token = sh.run(CHINESE[2]).await.ok().json();
    assert_eq!(token["scopeMapId"], format!("{reg}/scopeMaps/MyScopeMap"));
    assert_eq!(token["status"], "enabled");

    // 更新令牌权限: add nginx write/read, remove hello-world write (D5 order).
    let out = sh.run(CHINESE[3]).await.ok();
    assert_eq!(out.stderr, "");
    assert_eq!(
        strings(&out.json()["actions"]),
        [
            "repositories/samples/hello-world/content/read",
            "repositories/samples/nginx/content/write",
            "repositories/samples/nginx/content/read"
        ]
    );
    // 删除映像: content/delete on nginx.
    let out = sh.run(CHINESE[4]).await.ok();
    assert_eq!(
        strings(&out.json()["actions"]).last().unwrap(),
        "repositories/samples/nginx/content/delete"
    );
    // 显示存储库标记: metadata/read on hello-world.
    let out = sh.run(CHINESE[5]).await.ok();
    let final_actions = [
        "repositories/samples/hello-world/content/read",
        "repositories/samples/nginx/content/write",
        "repositories/samples/nginx/content/read",
        "repositories/samples/nginx/content/delete",
        "repositories/samples/hello-world/metadata/read",
    ];
    assert_eq!(strings(&out.json()["actions"]), final_actions);

    // 列出范围映射: the system maps and the user's, with their types (D3, as the document shows).
    let out = sh.run(CHINESE[6]).await.ok();
    let list = acr.ok("acr scope-map list -r myregistry").await.json();
    let rows: Vec<Vec<String>> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let description = m["description"].as_str().unwrap_or("");
            vec![
                m["name"].as_str().unwrap().to_owned(),
                m["scopeMapType"].as_str().unwrap().to_owned(),
                table_date(m["creationDate"].as_str().unwrap()),
                if description.chars().count() > 57 {
                    format!("{}...", description.chars().take(57).collect::<String>())
                } else {
                    description.to_owned()
                },
            ]
        })
        .collect();
    assert_eq!(
        out.stdout,
        table(&["NAME", "TYPE", "CREATION DATE", "DESCRIPTION"], &rows)
    );
    for expected in [
        (
            "_repositories_admin",
            "SystemDefined",
            "Can perform all read, write and delete operations on the ...",
        ),
        (
            "_repositories_pull",
            "SystemDefined",
            "Can pull any repository of the registry",
        ),
        (
            "_repositories_push",
            "SystemDefined",
            "Can push to any repository of the registry",
        ),
        ("MyScopeMap", "UserDefined", "Sample scope map"),
        (
            "MyToken-scope-map",
            "UserDefined",
            "Created by token: MyToken",
        ),
    ] {
        assert!(
            rows.iter()
                .any(|r| (r[0].as_str(), r[1].as_str(), r[3].as_str()) == expected),
            "{expected:?} in\n{}",
            out.stdout
        );
    }

    // 显示令牌详细信息 (the document shows `scope-map show` here).
    let map = sh.run(CHINESE[7]).await.ok().json();
    assert_eq!(map["name"], "MyScopeMap");
    assert_eq!(strings(&map["actions"]), final_actions);

    let out = sh.run(CHINESE[8]).await.ok();
    let token = show_token(&acr).await;
    assert_eq!(
        out.stdout,
        table(
            &[
                "NAME",
                "SCOPE MAP",
                "PASSWORD1 EXPIRY",
                "PASSWORD2 EXPIRY",
                "STATUS",
                "PROVISIONING STATE",
                "CREATION DATE"
            ],
            &[vec![
                "MyToken".into(),
                "MyScopeMap".into(),
                "Never".into(),
                "Never".into(),
                "Enabled".into(),
                "Succeeded".into(),
                table_date(token["creationDate"].as_str().unwrap())
            ]]
        )
    );

    // 重新生成令牌密码
    let out = sh.run(CHINESE[9]).await.ok();
    assert_eq!(out.stderr, "", "--expiration-in-days is not deprecated");
    assert_eq!(sh.vars["TOKEN_PWD"].len(), 52);
    let token = show_token(&acr).await;
    let passwords = token["credentials"]["passwords"].as_array().unwrap();
    let p1 = passwords.iter().find(|p| p["name"] == "password1").unwrap();
    assert_days_from_now(&p1["expiry"].as_str().unwrap().replace("+00:00", "Z"), 30);
    let p2 = passwords.iter().find(|p| p["name"] == "password2").unwrap();
    assert_eq!(p2["expiry"], Value::Null, "password2 untouched");

    // 使用新的范围映射更新令牌 (MyNewScopeMap made beforehand, as the document assumes).
    acr.ok(NEW_MAP).await;
    let token = sh.run(CHINESE[10]).await.ok().json();
    assert_eq!(
        token["scopeMapId"],
        format!("{reg}/scopeMaps/MyNewScopeMap")
    );

    // 禁用或删除令牌
    let token = sh.run(CHINESE[11]).await.ok().json();
    assert_eq!(token["status"], "disabled");
    assert_eq!(show_token(&acr).await["status"], "disabled");
    // Without a terminal the prompt cannot be shown (D2); in a terminal, answer y.
    sh.run(CHINESE[12]).await.error(
        1,
        "Unable to prompt for confirmation as no tty available. Use --yes.",
    );
    let out = sh.run_with(CHINESE[12], "y\n", true).await.ok();
    assert_eq!(
        out.stdout,
        "Deleting the token 'MyToken' will invalidate access to anyone using its credentials. Proceed? (y/n): "
    );
    assert_eq!(
        acr.run("acr token show --name MyToken --registry myregistry")
            .await
            .code,
        3
    );
    // The auto-created map stays (az-compat).
    acr.ok("acr scope-map show -n MyToken-scope-map -r myregistry")
        .await;
}

/// The commands above are the documents' own: when the seed files are at hand (the project's
/// `../shared/seeds`, or `ACR_SEEDS_DIR`), every `az acr token` / `az acr scope-map` command in
/// them must appear above, verbatim but for `az acr` → `acr`.
#[test]
fn the_commands_are_the_documents_own() {
    let dir = std::env::var_os("ACR_SEEDS_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds")
        });
    for (file, ours) in [
        ("000_436bc1244892fd94.txt", &ENGLISH[..]),
        ("003_a1f7a6d2ee29eba1.txt", &CHINESE[..]),
    ] {
        let Ok(text) = std::fs::read_to_string(dir.join(file)) else {
            println!("skipped: {} not found", dir.join(file).display());
            return;
        };
        let commands = extract(&text);
        let wanted: Vec<String> = commands
            .iter()
            .filter(|c| c.contains("az acr token") || c.contains("az acr scope-map"))
            .map(|c| c.replace("az acr", "acr"))
            .collect();
        assert_eq!(wanted, ours, "{file}");
    }
}

/// Command blocks of a document: lines starting with `az acr` or `TOKEN_PWD=$(az acr`, with
/// their `\` continuation lines.
fn extract(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut commands = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].starts_with("az acr ") || lines[i].starts_with("TOKEN_PWD=$(az acr ") {
            let mut block = vec![lines[i]];
            while block.last().unwrap().trim_end().ends_with('\\') {
                i += 1;
                block.push(lines[i]);
            }
            commands.push(block.join("\n"));
        }
        i += 1;
    }
    commands
}
