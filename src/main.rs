//! The `acr` binary: hand the command line to the library and exit with its code.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("ERROR: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let code = runtime.block_on(acr::commands::run(
        args,
        acr::io::Io::system(),
        acr::config::Env::from_process(),
    ));
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}
