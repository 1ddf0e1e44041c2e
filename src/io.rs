//! The process's standard streams, injected. Commands and the output layer write through an
//! [`Io`] so that tests run the whole CLI in-process and capture both streams; nothing else in
//! the crate touches `std::io::stdout`/`stderr`/`stdin` directly.

use std::io::{self, BufRead, IsTerminal, Write};
use std::sync::{Arc, Mutex};

/// The three standard streams plus whether each is a terminal. Terminal checks decide colour,
/// prompts and spinners only; they never change what `-o` prints (az behaves the same way).
pub struct Io {
    stdout: Box<dyn Write + Send>,
    stderr: SharedWriter,
    stdin: Box<dyn BufRead + Send>,
    pub stdin_is_tty: bool,
    pub stdout_is_tty: bool,
    pub stderr_is_tty: bool,
    /// Whether stdin is the process's real stdin (so terminal echo can be switched off).
    real_stdin: bool,
}

impl Io {
    /// The real process streams.
    pub fn system() -> Io {
        Io {
            stdout: Box::new(io::stdout()),
            stderr: Arc::new(Mutex::new(Box::new(io::stderr()))),
            stdin: Box::new(io::BufReader::new(io::stdin())),
            stdin_is_tty: io::stdin().is_terminal(),
            stdout_is_tty: io::stdout().is_terminal(),
            stderr_is_tty: io::stderr().is_terminal(),
            real_stdin: true,
        }
    }

    /// Whether these are the process's own streams (the `acr` binary), not captured ones: only
    /// then may a command take over process-wide signals (SIGINT/SIGTERM).
    pub fn is_process(&self) -> bool {
        self.real_stdin
    }

    /// In-memory streams for tests: `stdin` is the given text, nothing is a terminal.
    pub fn captured(stdin: &str) -> (Io, Captured) {
        let captured = Captured::default();
        let io = Io {
            stdout: Box::new(SharedBuf(captured.stdout.clone())),
            stderr: Arc::new(Mutex::new(Box::new(SharedBuf(captured.stderr.clone())))),
            stdin: Box::new(io::Cursor::new(stdin.as_bytes().to_vec())),
            stdin_is_tty: false,
            stdout_is_tty: false,
            stderr_is_tty: false,
            real_stdin: false,
        };
        (io, captured)
    }

    /// Writes to stdout. A closed pipe (`acr … | head -1`) is not an error: the reader has all
    /// it wanted, exactly as az ignores EPIPE.
    pub fn out(&mut self, text: &str) -> io::Result<()> {
        ignore_broken_pipe(
            self.stdout
                .write_all(text.as_bytes())
                .and_then(|()| self.stdout.flush()),
        )
    }

    /// Writes to stderr; failures to write diagnostics are deliberately ignored.
    pub fn err(&mut self, text: &str) {
        write_shared(&self.stderr, text);
    }

    /// A cloneable handle on stderr for code that runs away from the [`Io`] (HTTP clients,
    /// spinners), filtered by the global verbosity flags.
    pub fn diag(&self, level: Verbosity) -> Diag {
        Diag {
            stderr: self.stderr.clone(),
            level,
            stderr_is_tty: self.stderr_is_tty,
        }
    }

    /// Reads one line from stdin without its line ending; `None` at end of input.
    pub fn read_line(&mut self) -> io::Result<Option<String>> {
        let mut line = String::new();
        if self.stdin.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        while line.ends_with('\n') || line.ends_with('\r') {
            line.pop();
        }
        Ok(Some(line))
    }

    /// Prompts on stderr and reads one line without echoing it (getpass), for secrets typed at a
    /// terminal.
    pub fn read_secret(&mut self, prompt: &str) -> io::Result<String> {
        self.err(prompt);
        let _echo = (self.real_stdin && self.stdin_is_tty)
            .then(EchoOff::new)
            .flatten();
        let line = self.read_line()?.unwrap_or_default();
        drop(_echo);
        self.err("\n");
        Ok(line)
    }

    /// Reads all of stdin (for `--password-stdin`), trimming one trailing line ending.
    pub fn read_all(&mut self) -> io::Result<String> {
        let mut text = String::new();
        io::Read::read_to_string(&mut self.stdin, &mut text)?;
        if text.ends_with('\n') {
            text.pop();
            if text.ends_with('\r') {
                text.pop();
            }
        }
        Ok(text)
    }
}

type SharedWriter = Arc<Mutex<Box<dyn Write + Send>>>;

fn write_shared(writer: &SharedWriter, text: &str) {
    if let Ok(mut w) = writer.lock() {
        let _ = w.write_all(text.as_bytes());
        let _ = w.flush();
    }
}

/// Which diagnostics reach stderr (`--only-show-errors`, `--verbose`, `--debug`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Verbosity {
    pub only_errors: bool,
    pub verbose: bool,
    pub debug: bool,
}

/// Warnings, info and debug lines on stderr. Callers pass text that carries no secret (D12);
/// the HTTP layer redacts before it logs.
#[derive(Clone)]
pub struct Diag {
    stderr: SharedWriter,
    pub level: Verbosity,
    pub stderr_is_tty: bool,
}

impl Diag {
    /// A handle that discards everything (for code run outside a command).
    pub fn silent() -> Diag {
        Diag {
            stderr: Arc::new(Mutex::new(Box::new(io::sink()))),
            level: Verbosity::default(),
            stderr_is_tty: false,
        }
    }

    /// `WARNING: …`, unless `--only-show-errors`.
    pub fn warn(&self, message: &str) {
        if !self.level.only_errors {
            write_shared(&self.stderr, &format!("WARNING: {message}\n"));
        }
    }

    /// `INFO: …` with `--verbose` or `--debug`.
    pub fn info(&self, message: &str) {
        if self.level.verbose || self.level.debug {
            write_shared(&self.stderr, &format!("INFO: {message}\n"));
        }
    }

    /// `DEBUG: …` with `--debug`.
    pub fn debug(&self, message: &str) {
        if self.level.debug {
            write_shared(&self.stderr, &format!("DEBUG: {message}\n"));
        }
    }

    pub fn debug_enabled(&self) -> bool {
        self.level.debug
    }

    /// Raw text (a spinner frame, a prompt).
    pub fn raw(&self, text: &str) {
        write_shared(&self.stderr, text);
    }
}

/// Terminal echo switched off on stdin until dropped.
struct EchoOff {
    #[cfg(unix)]
    saved: libc::termios,
}

impl EchoOff {
    #[cfg(unix)]
    fn new() -> Option<EchoOff> {
        // SAFETY: tcgetattr/tcsetattr on fd 0 with a zeroed termios buffer they fill in.
        unsafe {
            let mut saved: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(0, &mut saved) != 0 {
                return None;
            }
            let mut quiet = saved;
            quiet.c_lflag &= !libc::ECHO;
            if libc::tcsetattr(0, libc::TCSANOW, &quiet) != 0 {
                return None;
            }
            Some(EchoOff { saved })
        }
    }

    #[cfg(not(unix))]
    fn new() -> Option<EchoOff> {
        None
    }
}

impl Drop for EchoOff {
    fn drop(&mut self) {
        #[cfg(unix)]
        // SAFETY: restores the attributes read in `new`.
        unsafe {
            libc::tcsetattr(0, libc::TCSANOW, &self.saved);
        }
    }
}

fn ignore_broken_pipe(result: io::Result<()>) -> io::Result<()> {
    match result {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// What an in-memory [`Io`] received.
#[derive(Clone, Default)]
pub struct Captured {
    stdout: Arc<Mutex<Vec<u8>>>,
    stderr: Arc<Mutex<Vec<u8>>>,
}

impl Captured {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.stdout.lock().expect("stdout buffer")).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().expect("stderr buffer")).into_owned()
    }
}

struct SharedBuf(Arc<Mutex<Vec<u8>>>);

impl Write for SharedBuf {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| io::Error::other("poisoned buffer"))?
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
