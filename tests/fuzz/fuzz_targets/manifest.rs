//! Pushed manifest documents, with and without a Content-Type.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    use acr::emulator::registry::manifest_doc::{OCI_INDEX, OCI_MANIFEST, parse, platform_of_config};
    for ct in [None, Some(OCI_MANIFEST), Some(OCI_INDEX)] {
        let _ = parse(ct, body);
    }
    let _ = platform_of_config(body);
});
