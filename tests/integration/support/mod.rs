//! The one test harness every suite uses: the real emulator in-process on 127.0.0.1:0 over
//! real HTTPS, the CLI run in-process, the real clients (az, skopeo, podman) as processes.
//! Nothing mocks HTTP. Split by concern:
//!
//! * [`emulator`]: [`Emu`] start ([`Emu::start`], [`Emu::start_with`] registries,
//!   [`Emu::start_in`] an existing data dir), [`Emu::stop`] (returns the data dir for a
//!   restart), ids ([`Emu::reg`], [`Emu::registry_id_of`], [`Emu::sub`],
//!   [`Emu::login_server`]), the test hooks ([`Emu::hook`], [`Emu::fault`], [`Emu::lro`],
//!   [`Emu::paging`], [`Emu::clear_faults`]) and the request log ([`Emu::requests`],
//!   [`Emu::request_log`], [`Emu::arm_requests`], [`Emu::sequence`], [`Emu::short`],
//!   [`Emu::clear_requests`], [`bodies`]); [`EmulatorProcess`], the real binary in a child
//!   process for `kill -9` tests; [`client_for`], an HTTPS client trusting one CA. A started
//!   [`Emu`] already holds the managed identity's token and has an empty request log.
//! * [`arm`]: management and identity calls on [`Emu`] returning a [`Resp`]:
//!   [`Emu::arm`] (as the managed identity), [`Emu::arm_sp`] (as the service principal, the
//!   CLI's identity), [`Emu::arm_as`] (any bearer), [`Emu::raw`] (any body); tokens
//!   ([`Emu::token`], [`Emu::sp_token`], [`Emu::mi_token`]); setup shortcuts
//!   ([`Emu::create_scope_map`], [`Emu::create_token`], [`Emu::generate`]); [`Resp`] with
//!   [`Resp::arm_error`] and [`Resp::oci_error`]; JWT helpers ([`arm::forge`],
//!   [`arm::claims`], [`arm::now`]).
//! * [`registry`]: [`Reg`] (an [`Emu`] and its first registry's login server), raw OCI
//!   requests with any [`Auth`], tokens through the management API, access tokens, blob and
//!   image pushes; media types, `sha256`, `image_manifest`.
//! * [`cli`]: [`Acr`], `acr` in-process for one emulator, [`Out`] with its assertions,
//!   [`setup`], [`split`], [`table`], [`table_date`], [`passwords_of`].
//! * [`az`]: the real Azure CLI logged in to an emulator ([`az::Az`], [`az::az_binary`]).
//! * [`clients`]: skopeo and podman in a scratch directory ([`clients::Tools`],
//!   [`clients::client`], [`clients::required`]: `ACR_REQUIRE_CLIENTS=1` makes a missing client
//!   a failure), process helpers ([`clients::run_env`], [`clients::terminate`]).
//! * [`docker`]: a private Docker engine per test ([`docker::Docker`]).
//! * [`keystores`]: a private Secret Service (D-Bus + gnome-keyring) and `pass` store
//!   ([`keystores::SecretService`], [`keystores::PassStore`]).
//! * [`swagger`], [`dataplane`]: validators for the management (2025-04-01) and data-plane
//!   (2021-07-01) swagger definitions.
//! * [`bins`]: the `acr` and `acr-emulator` binaries ([`bins::acr`], [`bins::emulator`]);
//!   `ACR_TEST_BIN_DIR=DIR` makes every test use `DIR/acr` and `DIR/acr-emulator` instead of
//!   the built ones, and then [`Emu`] runs the emulator binary in a child process and [`Acr`]
//!   runs the `acr` binary (tests that need [`Emu::running`] panic, saying so).
//! * [`wait`]: deadline polling ([`wait::until`], [`wait::poll`]); tests never sleep for a
//!   fixed time to wait for something.
//!
//! A new CLI test reads like az's wire protocol: `let (emu, acr) = setup().await;`, run a
//! command line with `acr.ok("token list -r myregistry")`, then assert `emu.sequence()`.

pub mod arm;
pub mod az;
pub mod bins;
pub mod cli;
pub mod clients;
pub mod dataplane;
pub mod docker;
pub mod emulator;
pub mod keystores;
pub mod registry;
pub mod swagger;
pub mod wait;

pub use arm::Resp;
pub use cli::{Acr, Out, passwords_of, setup, split, table, table_date};
pub use emulator::{Emu, EmulatorProcess, bodies, client_for};
pub use registry::{Auth, Reg};
