//! The project's one integration-test binary. Each area is a module; the emulator's tests
//! start it in-process on 127.0.0.1:0 and talk to it over real HTTPS.

mod emulator;
mod registry;
