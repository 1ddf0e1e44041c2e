//! Client scopes (`repository:name:actions`) against scope-map rules, prefix rules included.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    use acr::emulator::registry::scope::{Rights, Scope, access_for};
    let (rules, scopes) = input.split_once('\n').unwrap_or(("repositories/samples/*/content/read", input));
    let rights = Rights::from_scope_map(&rules.split(' ').map(str::to_string).collect::<Vec<_>>());
    let scopes = Scope::parse_all(scopes.split('\n'));
    for s in &scopes {
        let _ = rights.grant(s);
    }
    let _ = access_for(&rights, &scopes);
});
