//! The resources listing's OData `$filter`.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|filter: &str| acr::emulator::fuzzing::filter(filter));
