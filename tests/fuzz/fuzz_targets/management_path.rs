//! ARM request paths.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|path: &str| acr::emulator::fuzzing::management_path(path));
