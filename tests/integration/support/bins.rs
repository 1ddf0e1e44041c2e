//! Which `acr` and `acr-emulator` binaries the tests run: the ones cargo built for this test
//! binary, or those in `$ACR_TEST_BIN_DIR` (for running today's tests against another build,
//! such as the tree before a fix, to see a regression test fail: docs/security.md).
//!
//! With the override, everything that would run in-process runs the binaries instead:
//! [`super::Emu`] starts `$ACR_TEST_BIN_DIR/acr-emulator start --test-hooks` in a child process
//! and [`super::Acr`] runs `$ACR_TEST_BIN_DIR/acr`, since an in-process library call would
//! test this tree's code whatever binary is named.

use std::path::PathBuf;

/// `$ACR_TEST_BIN_DIR`, when set and not empty.
pub fn override_dir() -> Option<PathBuf> {
    std::env::var_os("ACR_TEST_BIN_DIR")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
}

fn bin(name: &str, built: &str) -> PathBuf {
    match override_dir() {
        Some(dir) => dir.join(name),
        None => PathBuf::from(built),
    }
}

/// The `acr` binary the tests run.
pub fn acr() -> PathBuf {
    bin("acr", env!("CARGO_BIN_EXE_acr"))
}

/// The `acr-emulator` binary the tests run.
pub fn emulator() -> PathBuf {
    bin("acr-emulator", env!("CARGO_BIN_EXE_acr-emulator"))
}
