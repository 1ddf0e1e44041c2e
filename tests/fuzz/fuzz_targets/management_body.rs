//! ARM request bodies.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| acr::emulator::fuzzing::management_body(body));
