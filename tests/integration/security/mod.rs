//! The security review's findings (issue 10), one regression test each, named after the
//! finding: what another local user or a hostile client on 127.0.0.1 could do before, and
//! must not be able to do now. docs/security.md maps each test to its finding and says how it
//! failed when run against the build before the fixes (`ACR_TEST_BIN_DIR`, `support::bins`).

mod crafted;
mod data_dir;
mod imds;
mod login_files;
mod realm;
mod referrers;
mod secrets_audit;
mod stop;
mod tokens;
mod uploads;
