//! Table-driven checks of the argparse emulation against texts captured from az 2.91.0.

use super::recommend::{close_matches, similarity};
use super::*;
use crate::cli::scope_map::{ScopeMapCommand, ScopeMapGroup};
use crate::cli::token::{
    CredentialCommand, CredentialGroup, TokenCommand, TokenGroup, TokenStatus,
};
use crate::cli::{Command as Cmd, OutputFormat};

fn argv(line: &str) -> Vec<String> {
    line.split_whitespace().map(str::to_owned).collect()
}

fn error(line: &str) -> ParseError {
    match parse(&argv(line), false) {
        Err(Error::Parse(p)) => p,
        other => panic!("{line}: expected a parse error, got {other:?}"),
    }
}

fn run(line: &str) -> Invocation {
    match parse(&argv(line), false) {
        Ok(Parsed::Run(inv)) => *inv,
        other => panic!("{line}: expected a command, got {other:?}"),
    }
}

#[test]
fn az_argument_error_texts() {
    let cases = [
        (
            "token create -n tok1 -r myregistry --status foo",
            "az acr token create: 'foo' is not a valid value for '--status'. Allowed values: enabled, disabled.",
        ),
        (
            "token create -r myregistry",
            "the following arguments are required: --name/-n",
        ),
        (
            "token create -n tok",
            "the following arguments are required: --registry/-r",
        ),
        (
            "token create",
            "the following arguments are required: --registry/-r, --name/-n",
        ),
        (
            "token list",
            "the following arguments are required: --registry/-r",
        ),
        (
            "repository show-tags",
            "the following arguments are required: --name/-n, --repository",
        ),
        (
            "repository untag",
            "the following arguments are required: --name/-n, --image/-t",
        ),
        (
            "token credential generate -n tok -r myregistry --pass",
            "ambiguous option: --pass could match --password1, --password2",
        ),
        (
            "scope-map update -n xxxxx -r myregistry --ad a content/read",
            "ambiguous option: --ad could match --add-repository, --add, --add-gateway",
        ),
        (
            "token credential generate -n tok -r myregistry --expiration-in-days abc",
            "argument --expiration-in-days/--days: invalid int value: 'abc'",
        ),
        (
            "token create -n tok -r myregistry --expiration-in-days abc",
            "argument --expiration-in-days: invalid int value: 'abc'",
        ),
        (
            "token create -n tok -r myregistry --repository",
            "argument --repository: expected at least one argument",
        ),
        (
            "token create -n tok -r myregistry --repository a content/read --repository",
            "argument --repository: expected at least one argument",
        ),
        (
            "token create -n tok -r myregistry --scope-map",
            "argument --scope-map: expected one argument",
        ),
        (
            "token create -n tok -r myregistry -o",
            "argument --output/-o: expected one argument",
        ),
        (
            "token create -n tok -r myregistry -o xml",
            "az acr token create: 'xml' is not a valid value for '--output'. Allowed values: json, jsonc, yaml, yamlc, table, tsv, none.",
        ),
        (
            "token create -n tok -r myregistry --no-passwords maybe",
            "az acr token create: 'maybe' is not a valid value for '--no-passwords'. Allowed values: true, false.",
        ),
        (
            "repository update -n myregistry --repository a --delete-enabled no",
            "az acr repository update: 'no' is not a valid value for '--delete-enabled'. Allowed values: true, false.",
        ),
        (
            "token credential generate -n tok -r myregistry --password1=true",
            "argument --password1: ignored explicit argument 'true'",
        ),
        ("token", "the following arguments are required: _subcommand"),
        (
            "token crate",
            "'crate' is misspelled or not recognized by the system.\nDid you mean 'create' ?",
        ),
    ];
    for (line, message) in cases {
        assert_eq!(error(line).message, message, "{line}");
    }
}

#[test]
fn unrecognized_arguments_list_every_extra_and_show_only_the_link() {
    let cases = [
        (
            "token create -n tok --registry myregistry --foo",
            "unrecognized arguments: --foo",
        ),
        (
            "token create -n tok -r myregistry extra",
            "unrecognized arguments: extra",
        ),
        (
            "token show -n tok -r myreg --no-passwords maybe",
            "unrecognized arguments: --no-passwords maybe",
        ),
        (
            "token credential delete -n tok -r myregistry --password1 true",
            "unrecognized arguments: true",
        ),
    ];
    for (line, message) in cases {
        let e = error(line);
        assert_eq!(e.message, message, "{line}");
        assert_eq!(e.recommendation, Recommendation::LinkOnly, "{line}");
    }
}

#[test]
fn errors_recommend_at_most_three_examples_best_match_first() {
    let e = error("token create -n tok1 -r myregistry --status foo");
    let Recommendation::Examples(examples) = e.recommendation else {
        panic!()
    };
    assert_eq!(examples.len(), 3);
    assert!(
        examples[0].command.contains("--status disabled"),
        "{:?}",
        examples[0]
    );
    let query = error("token create -n x -r r --query [?");
    assert_eq!(
        query.message,
        "argument --query: invalid jmespath_type value: '[?'"
    );
    assert_eq!(query.recommendation, Recommendation::Query);
}

#[test]
fn values_parse_like_argparse() {
    let inv = run(
        "token create -n a -n tok1 -r myregistry -o TABLE --status Disabled --no-passwords --repository Hello content/read metadata/read --repository b content/write --expiration-in-days -5",
    );
    assert_eq!(inv.global.output, OutputFormat::Table);
    let Cmd::Token(TokenGroup {
        command: TokenCommand::Create(args),
    }) = inv.command
    else {
        panic!("not token create")
    };
    assert_eq!(args.name.name.as_deref(), Some("tok1"));
    assert_eq!(args.status, TokenStatus::Disabled);
    assert_eq!(args.no_passwords, Some(true));
    assert_eq!(
        args.permissions.repository,
        vec![
            vec!["Hello", "content/read", "metadata/read"],
            vec!["b", "content/write"]
        ]
    );
    assert_eq!(args.expiration.expiration_in_days, Some(-5));
    let inv = run("token create -n tok -r reg --scope-map m --no-passwords FALSE");
    let Cmd::Token(TokenGroup {
        command: TokenCommand::Create(args),
    }) = inv.command
    else {
        panic!("not token create")
    };
    assert_eq!(args.no_passwords, Some(false));
}

#[test]
fn prefixes_and_deprecated_aliases() {
    let inv = run("token credential generate -n tok -r myregistry --password2 --da 3");
    assert_eq!(
        inv.warnings,
        vec![
            "Option '--days' has been deprecated and will be removed in a future release. Use '--expiration-in-days' instead."
        ]
    );
    let Cmd::Token(TokenGroup {
        command:
            TokenCommand::Credential(CredentialGroup {
                command: CredentialCommand::Generate(args),
            }),
    }) = inv.command
    else {
        panic!("not token credential generate")
    };
    assert_eq!((args.password2, args.expiration_in_days), (true, Some(3)));

    let inv = run(
        "scope-map update -n sm1 -r myregistry --add foo content/delete --remove-repo bar content/read --desc=hello",
    );
    assert_eq!(
        inv.warnings,
        vec![
            "Option '--add' has been deprecated and will be removed in a future release. Use '--add-repository' instead."
        ]
    );
    let Cmd::ScopeMap(ScopeMapGroup {
        command: ScopeMapCommand::Update(args),
    }) = inv.command
    else {
        panic!("not scope-map update")
    };
    assert_eq!(
        args.changes.add_repository,
        vec![vec!["foo", "content/delete"]]
    );
    assert_eq!(
        args.changes.remove_repository,
        vec![vec!["bar", "content/read"]]
    );
    assert_eq!(args.description.as_deref(), Some("hello"));
}

#[test]
fn configured_default_registry_makes_the_registry_optional() {
    assert!(matches!(
        parse(&argv("token list"), true),
        Ok(Parsed::Run(_))
    ));
    match parse(&argv("token show"), true) {
        Err(Error::Parse(p)) => {
            assert_eq!(p.message, "the following arguments are required: --name/-n")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn help_and_version_need_nothing_else() {
    assert!(
        matches!(parse(&argv("token create --help"), false), Ok(Parsed::Help(p)) if p == ["token", "create"])
    );
    assert!(matches!(parse(&argv("-h"), false), Ok(Parsed::Help(p)) if p.is_empty()));
    assert!(matches!(
        parse(&argv("--version"), false),
        Ok(Parsed::Version)
    ));
    assert!(matches!(parse(&[], false), Ok(Parsed::Help(p)) if p.is_empty()));
    // Global options alone: az shows its welcome text (exit 0), acr the root help.
    assert!(
        matches!(parse(&argv("--only-show-errors -o table"), false), Ok(Parsed::Help(p)) if p.is_empty())
    );
}

#[test]
fn difflib_ratio_and_close_matches() {
    assert!((similarity("crate", "create") - 10.0 / 11.0).abs() < 1e-9);
    assert_eq!(
        close_matches(
            "crate",
            &["create", "delete", "list", "show", "update", "credential"]
        ),
        vec!["create"]
    );
    assert_eq!(
        close_matches("tokn", &["token", "scope-map", "repository"]),
        vec!["token"]
    );
    assert!(close_matches("zzz", &["token"]).is_empty());
}
