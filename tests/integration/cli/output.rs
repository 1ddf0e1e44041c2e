//! Every output format on the token, credential and scope-map shapes (§4.2–4.4, §11), the
//! effective default format, and `--query` (§4.5): multiselect order in table and TSV, null
//! results, evaluation errors (exit 1) and syntax errors (exit 2, before any request).

use serde_json::Value;

use crate::support::{Acr, Emu, setup, table, table_date};

/// `token1` with password1 expiring 2030-06-30T12:00:00Z and no password2; `mymap1` with two
/// actions and a description.
async fn fixture() -> (Emu, Acr) {
    let (emu, acr) = setup().await;
    acr.ok("acr token create -r myregistry -n token1 --repository hello-world content/read --no-passwords")
        .await;
    acr.ok("acr token credential generate -r myregistry -n token1 --password1 --expiration 2030-06-30T12:00:00Z")
        .await;
    acr.ok("acr scope-map create -r myregistry -n mymap1 --repository hello-world content/read --gateway gw1 config/read --description 'A sample scope map with a quite long description that exceeds fifty seven chars'")
        .await;
    (emu, acr)
}

fn s<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("{pointer} in {v}"))
}

#[track_caller]
fn assert_sorted_everywhere(v: &Value) {
    match v {
        Value::Object(map) => {
            let keys: Vec<&String> = map.keys().collect();
            let mut sorted = keys.clone();
            sorted.sort();
            assert_eq!(keys, sorted);
            map.values().for_each(assert_sorted_everywhere);
        }
        Value::Array(items) => items.iter().for_each(assert_sorted_everywhere),
        _ => {}
    }
}

fn system_data_yaml(v: &Value, indent: &str) -> String {
    let sd = &v["systemData"];
    format!(
        "{indent}createdAt: '{}'\n{indent}createdBy: {}\n{indent}createdByType: {}\n{indent}lastModifiedAt: '{}'\n{indent}lastModifiedBy: {}\n{indent}lastModifiedByType: {}\n",
        s(sd, "/createdAt"),
        s(sd, "/createdBy"),
        s(sd, "/createdByType"),
        s(sd, "/lastModifiedAt"),
        s(sd, "/lastModifiedBy"),
        s(sd, "/lastModifiedByType"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_in_every_format() {
    let (emu, acr) = fixture().await;
    let base = "acr token show -r myregistry -n token1";
    let json_out = acr.ok(base).await;
    let token = json_out.json();
    assert_sorted_everywhere(&token);
    // json.dumps(indent=2, sort_keys=True) plus a newline.
    assert_eq!(
        json_out.stdout,
        serde_json::to_string_pretty(&token).unwrap() + "\n"
    );
    // jsonc is plain JSON when stdout is not a terminal; the format name is case-insensitive.
    assert_eq!(
        acr.ok(&format!("{base} -o jsonc")).await.stdout,
        json_out.stdout
    );
    assert_eq!(
        acr.ok(&format!("{base} --output JSON")).await.stdout,
        json_out.stdout
    );

    let id = s(&token, "/id");
    let map_id = s(&token, "/scopeMapId");
    let created = s(&token, "/creationDate");
    let password = &token["credentials"]["passwords"][0];
    assert_eq!(password["expiry"], "2030-06-30T12:00:00+00:00");
    let yaml = format!(
        "creationDate: '{created}'\ncredentials:\n  certificates: null\n  passwords:\n  - creationTime: '{}'\n    expiry: '2030-06-30T12:00:00+00:00'\n    name: password1\n    value: null\nid: {id}\nname: token1\nprovisioningState: Succeeded\nresourceGroup: myresourcegroup\nscopeMapId: {map_id}\nstatus: enabled\nsystemData:\n{}type: Microsoft.ContainerRegistry/registries/tokens\n",
        s(password, "/creationTime"),
        system_data_yaml(&token, "  "),
    );
    assert_eq!(acr.ok(&format!("{base} -o yaml")).await.stdout, yaml);
    assert_eq!(acr.ok(&format!("{base} -o yamlc")).await.stdout, yaml);

    // TSV: sorted keys; objects print empty, lists their length.
    assert_eq!(
        acr.ok(&format!("{base} -o tsv")).await.stdout,
        format!(
            "{created}\t\t{id}\ttoken1\tSucceeded\tmyresourcegroup\t{map_id}\tenabled\t\tMicrosoft.ContainerRegistry/registries/tokens\n"
        )
    );

    let headers = [
        "NAME",
        "SCOPE MAP",
        "PASSWORD1 EXPIRY",
        "PASSWORD2 EXPIRY",
        "STATUS",
        "PROVISIONING STATE",
        "CREATION DATE",
    ];
    let row = |name: &str, p1: &str, status: &str, created: &str| {
        vec![
            name.to_owned(),
            "token1-scope-map".to_owned(),
            p1.to_owned(),
            String::new(),
            status.to_owned(),
            "Succeeded".to_owned(),
            table_date(created),
        ]
    };
    assert_eq!(
        acr.ok(&format!("{base} -o table")).await.stdout,
        table(
            &headers,
            &[row("token1", "2030-06-30T12:00:00Z", "Enabled", created)]
        )
    );
    let none = acr.ok(&format!("{base} -o none")).await;
    assert_eq!((none.stdout.as_str(), none.stderr.as_str()), ("", ""));

    // The same transformer serves list, update, create and credential delete.
    let second = acr
        .ok("acr token create -r myregistry -n token2 --scope-map token1-scope-map --status disabled --no-passwords")
        .await
        .json();
    let list = acr.ok("acr token list -r myregistry -o table").await.stdout;
    let mut rows = vec![
        row("token1", "2030-06-30T12:00:00Z", "Enabled", created),
        row("token2", "", "Disabled", s(&second, "/creationDate")),
    ];
    let expected_both = table(&headers, &rows);
    rows.reverse();
    assert!(
        list == expected_both || list == table(&headers, &rows),
        "{list}"
    );
    let updated = acr
        .ok("acr token update -r myregistry -n token2 --status enabled -o table")
        .await;
    assert_eq!(
        updated.stdout,
        table(
            &headers,
            &[row("token2", "", "Enabled", s(&second, "/creationDate"))]
        )
    );
    // With passwords generated, both expiry columns read Never.
    let created3 = acr
        .ok("acr token create -r myregistry -n token3 --scope-map token1-scope-map -o table")
        .await;
    let token3 = acr
        .ok("acr token show -r myregistry -n token3")
        .await
        .json();
    let mut expected = row("token3", "Never", "Enabled", s(&token3, "/creationDate"));
    expected[3] = "Never".into();
    assert_eq!(created3.stdout, table(&headers, &[expected]));
    let _ = emu;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scope_map_in_every_format() {
    let (_emu, acr) = fixture().await;
    let base = "acr scope-map show -r myregistry -n mymap1";
    let out = acr.ok(base).await;
    let map = out.json();
    assert_sorted_everywhere(&map);
    assert_eq!(
        out.stdout,
        serde_json::to_string_pretty(&map).unwrap() + "\n"
    );
    let id = s(&map, "/id");
    let created = s(&map, "/creationDate");
    let description =
        "A sample scope map with a quite long description that exceeds fifty seven chars";
    // PyYAML folds a plain scalar at the first space after column 80.
    let yaml = format!(
        "actions:\n- repositories/hello-world/content/read\n- gateway/gw1/config/read\ncreationDate: '{created}'\ndescription: A sample scope map with a quite long description that exceeds fifty seven\n  chars\nid: {id}\nname: mymap1\nprovisioningState: Succeeded\nresourceGroup: myresourcegroup\nscopeMapType: UserDefined\nsystemData:\n{}type: Microsoft.ContainerRegistry/registries/scopeMaps\n",
        system_data_yaml(&map, "  ")
    );
    assert_eq!(acr.ok(&format!("{base} -o yaml")).await.stdout, yaml);
    // D3: the scopeMapType cell sits between resourceGroup and systemData.
    assert_eq!(
        acr.ok(&format!("{base} -o tsv")).await.stdout,
        format!(
            "2\t{created}\t{description}\t{id}\tmymap1\tSucceeded\tmyresourcegroup\tUserDefined\t\tMicrosoft.ContainerRegistry/registries/scopeMaps\n"
        )
    );
    let headers = ["NAME", "TYPE", "CREATION DATE", "DESCRIPTION"];
    let cut = |d: &str| {
        if d.chars().count() > 57 {
            format!("{}...", d.chars().take(57).collect::<String>())
        } else {
            d.to_owned()
        }
    };
    assert_eq!(
        acr.ok(&format!("{base} -o table")).await.stdout,
        table(
            &headers,
            &[vec![
                "mymap1".into(),
                "UserDefined".into(),
                table_date(created),
                cut(description)
            ]]
        )
    );

    // No description: null in JSON, None in TSV, blank in the table.
    let bare = acr
        .ok("acr scope-map create -r myregistry -n mymap2 -o tsv")
        .await;
    let map2 = acr
        .ok("acr scope-map show -r myregistry -n mymap2")
        .await
        .json();
    assert_eq!(
        bare.stdout,
        format!(
            "0\t{}\tNone\t{}\tmymap2\tSucceeded\tmyresourcegroup\tUserDefined\t\tMicrosoft.ContainerRegistry/registries/scopeMaps\n",
            s(&map2, "/creationDate"),
            s(&map2, "/id")
        )
    );

    // The list table: system maps with their type (D3), descriptions cut at 57 characters.
    let list = acr.ok("acr scope-map list -r myregistry").await.json();
    let rows: Vec<Vec<String>> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            vec![
                s(m, "/name").to_owned(),
                s(m, "/scopeMapType").to_owned(),
                table_date(s(m, "/creationDate")),
                m["description"].as_str().map(cut).unwrap_or_default(),
            ]
        })
        .collect();
    assert!(rows.iter().any(|r| r[0] == "_repositories_admin"
        && r[1] == "SystemDefined"
        && r[3] == "Can perform all read, write and delete operations on the ..."));
    assert_eq!(
        acr.ok("acr scope-map list -r myregistry -o table")
            .await
            .stdout,
        table(&headers, &rows)
    );
    let none = acr.ok("acr scope-map list -r myregistry -o none").await;
    assert_eq!(none.stdout, "");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_format_comes_from_the_environment() {
    let (_emu, mut acr) = fixture().await;
    acr.set_env("AZURE_CORE_OUTPUT", "tsv");
    assert_eq!(
        acr.ok("acr token show -r myregistry -n token1 --query status")
            .await
            .stdout,
        "enabled\n"
    );
    // The argument wins over the environment.
    assert_eq!(
        acr.ok("acr token show -r myregistry -n token1 --query status -o json")
            .await
            .stdout,
        "\"enabled\"\n"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queries() {
    let (emu, acr) = fixture().await;
    acr.ok("acr token credential generate -r myregistry -n token1")
        .await;
    acr.ok("acr token create -r myregistry -n token2 --scope-map mymap1 --no-passwords")
        .await;
    let q = "--query \"[].{n:name, s:status, p:credentials.passwords[].name}\"";
    // Table: the query's column order, lists dropped.
    assert_eq!(
        acr.ok(&format!("acr token list -r myregistry {q} -o table"))
            .await
            .stdout,
        table(
            &["N", "S"],
            &[
                vec!["token1".into(), "enabled".into()],
                vec!["token2".into(), "enabled".into()]
            ]
        )
    );
    // TSV: the query's order, a list cell is its length.
    assert_eq!(
        acr.ok(&format!("acr token list -r myregistry {q} -o tsv"))
            .await
            .stdout,
        "token1\tenabled\t2\ntoken2\tenabled\t0\n"
    );
    // A multiselect hash keeps its order in table and TSV but JSON and YAML sort the keys.
    let zq = "--query \"[?name=='token1'].{z:name, a:status}\"";
    assert_eq!(
        acr.ok(&format!("acr token list -r myregistry {zq} -o table"))
            .await
            .stdout,
        table(&["Z", "A"], &[vec!["token1".into(), "enabled".into()]])
    );
    assert_eq!(
        acr.ok(&format!("acr token list -r myregistry {zq} -o tsv"))
            .await
            .stdout,
        "token1\tenabled\n"
    );
    assert_eq!(
        acr.ok(&format!("acr token list -r myregistry {zq}"))
            .await
            .stdout,
        "[\n  {\n    \"a\": \"enabled\",\n    \"z\": \"token1\"\n  }\n]\n"
    );
    assert_eq!(
        acr.ok(&format!("acr token list -r myregistry {zq} -o yaml"))
            .await
            .stdout,
        "- a: enabled\n  z: token1\n"
    );
    // Lists of scalars and of lists.
    assert_eq!(
        acr.ok("acr token list -r myregistry --query [].name -o table")
            .await
            .stdout,
        table(&["Result"], &[vec!["token1".into()], vec!["token2".into()]])
    );
    assert_eq!(
        acr.ok("acr token list -r myregistry --query \"[].[name, status]\" -o table")
            .await
            .stdout,
        table(
            &["Column1", "Column2"],
            &[
                vec!["token1".into(), "enabled".into()],
                vec!["token2".into(), "enabled".into()]
            ]
        )
    );
    // The pipeline capture the documentation uses.
    let secret = acr
        .ok("acr token credential generate -r myregistry -n token1 --password1 --query 'passwords[0].value' --output tsv")
        .await
        .stdout;
    assert_eq!(secret.len(), 53, "one line: {secret:?}");
    // A null result prints nothing, whatever the format.
    for format in ["json", "table", "tsv", "yaml"] {
        let out = acr
            .ok(&format!(
                "acr token show -r myregistry -n token1 --query nosuchkey -o {format}"
            ))
            .await;
        assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("", ""));
    }
    // A failing evaluation exits 1 with the library's message.
    acr.run("acr token list -r myregistry --query [0].abs(name)")
        .await
        .fails(
            1,
            "ERROR: Invalid jmespath query supplied for `--query`: In function abs(), invalid type for value: token1, expected one of: ['number'], received: \"string\"\n\
             To learn more about --query, please visit: 'https://learn.microsoft.com/cli/azure/query-azure-cli'\n",
        );
    acr.run("acr scope-map show -r myregistry -n mymap1 --query \"nosuchfn(name)\"")
        .await
        .fails(
            1,
            "ERROR: Invalid jmespath query supplied for `--query`: Unknown function: nosuchfn()\n\
             To learn more about --query, please visit: 'https://learn.microsoft.com/cli/azure/query-azure-cli'\n",
        );
    // A syntax error is an argument error: exit 2, before any request.
    emu.clear_requests().await;
    acr.run("acr token list -r myregistry --query '[?'").await.fails(
        2,
        "ERROR: argument --query: invalid jmespath_type value: '[?'\n\
         To learn more about --query, please visit: 'https://learn.microsoft.com/cli/azure/query-azure-cli'\n",
    );
    assert!(emu.requests().await.is_empty());
}
