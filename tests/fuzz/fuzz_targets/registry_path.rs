//! The registry's path parser and its name and tag grammars.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|path: &str| {
    use acr::emulator::registry::path;
    if let Some(route) = path::parse(path)
        && let Some(name) = route.repository()
    {
        let _ = path::valid_name(name);
    }
    let _ = path::valid_tag(path);
});
