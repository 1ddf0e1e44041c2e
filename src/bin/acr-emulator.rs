//! The `acr-emulator` binary: all logic lives in `acr::emulator::cli`.

fn main() -> std::process::ExitCode {
    acr::emulator::cli::main()
}
