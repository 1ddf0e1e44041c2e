//! Real credential stores, private to one test: [`SecretService`] is a session bus of its own
//! (`dbus-daemon` on a socket in a scratch directory, with no service activation, so nothing
//! but the keyring below can answer) and Debian's `gnome-keyring-daemon --foreground --unlock
//! --components=secrets`, which creates the `login` keyring with a test password and unlocks
//! it; [`PassStore`] is a GnuPG home with a passphrase-less test key and a `pass` store
//! initialised for it (what `docker-credential-pass` needs). Each gives the environment a
//! client needs ([`SecretService::env`], [`PassStore::env`]); dropping it stops its daemons
//! (by pid) and removes its directory. Both return `None` (test skipped) when their programs
//! are missing, unless real clients are required (see `support::clients::required`).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::clients::{Run, clients, run_env, terminate};

/// A private D-Bus session bus with an unlocked GNOME keyring on it.
pub struct SecretService {
    dir: tempfile::TempDir,
    bus: Child,
    keyring: Option<Child>,
    secret_tool: PathBuf,
}

/// The test keyring's password (what a desktop login would unlock it with).
pub const KEYRING_PASSWORD: &str = "acr-test-keyring-password";

/// A session bus that owns names but activates no services.
const BUS_CONFIG: &str = r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=BUS</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#;

impl SecretService {
    pub async fn start() -> Option<SecretService> {
        let [dbus_daemon, keyring_daemon, secret_tool, dbus_send] = clients([
            "dbus-daemon",
            "gnome-keyring-daemon",
            "secret-tool",
            "dbus-send",
        ])?;
        let dir = tempfile::Builder::new()
            .prefix("ss")
            .tempdir_in("/tmp")
            .unwrap();
        let d = dir.path();
        for sub in ["home/.local/share", "run"] {
            std::fs::create_dir_all(d.join(sub)).unwrap();
        }
        restrict(&d.join("run"));
        let socket = d.join("bus");
        std::fs::write(
            d.join("bus.conf"),
            BUS_CONFIG.replace("BUS", &socket.display().to_string()),
        )
        .unwrap();
        let bus = Command::new(dbus_daemon)
            .arg(format!("--config-file={}", d.join("bus.conf").display()))
            .args(["--nofork", "--nopidfile"])
            .stdin(Stdio::null())
            .stdout(log(d, "dbus.log"))
            .stderr(log(d, "dbus.log"))
            .spawn()
            .unwrap();
        let mut service = SecretService {
            dir,
            bus,
            keyring: None,
            secret_tool,
        };
        wait("the session bus socket", || socket.exists()).await;
        let mut keyring = Command::new(keyring_daemon)
            .args(["--foreground", "--unlock", "--components=secrets"])
            .envs(service.env())
            .stdin(Stdio::piped())
            .stdout(log(service.dir.path(), "keyring.log"))
            .stderr(log(service.dir.path(), "keyring.log"))
            .spawn()
            .unwrap();
        // --unlock reads the password from stdin up to its end.
        {
            use std::io::Write as _;
            let mut stdin = keyring.stdin.take().unwrap();
            stdin.write_all(KEYRING_PASSWORD.as_bytes()).unwrap();
        }
        service.keyring = Some(keyring);
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let owner = run_env(
                &dbus_send,
                &[
                    "--session",
                    "--print-reply",
                    "--dest=org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.secrets",
                ],
                service.env(),
                "",
            )
            .await;
            if owner.stdout.contains("boolean true") {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "gnome-keyring-daemon did not take org.freedesktop.secrets:\n{}",
                std::fs::read_to_string(service.dir.path().join("keyring.log")).unwrap_or_default()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Some(service)
    }

    /// What a client needs to reach this keyring (and to keep its own state here).
    pub fn env(&self) -> Vec<(String, String)> {
        let d = self.dir.path();
        vec![
            (
                "DBUS_SESSION_BUS_ADDRESS".into(),
                format!("unix:path={}", d.join("bus").display()),
            ),
            (
                "XDG_RUNTIME_DIR".into(),
                d.join("run").display().to_string(),
            ),
            (
                "XDG_DATA_HOME".into(),
                d.join("home/.local/share").display().to_string(),
            ),
        ]
    }

    /// `secret-tool args…` on this keyring.
    pub async fn secret_tool(&self, args: &[&str]) -> Run {
        run_env(&self.secret_tool, args, self.env(), "").await
    }
}

impl Drop for SecretService {
    fn drop(&mut self) {
        if let Some(keyring) = &mut self.keyring {
            terminate(keyring, Duration::from_secs(10));
        }
        terminate(&mut self.bus, Duration::from_secs(10));
    }
}

/// A `pass` password store with its own GnuPG home and test key.
pub struct PassStore {
    dir: tempfile::TempDir,
    gpgconf: PathBuf,
}

impl PassStore {
    pub async fn start() -> Option<PassStore> {
        let [gpg, pass, gpgconf] = clients(["gpg", "pass", "gpgconf"])?;
        // Short: gpg-agent's sockets live in the GnuPG home.
        let dir = tempfile::Builder::new()
            .prefix("ps")
            .tempdir_in("/tmp")
            .unwrap();
        std::fs::create_dir_all(dir.path().join("gnupg")).unwrap();
        restrict(&dir.path().join("gnupg"));
        let store = PassStore { dir, gpgconf };
        let made = run_env(
            &gpg,
            &[
                "--batch",
                "--passphrase",
                "",
                "--quick-gen-key",
                "acr test <acr-test@example.invalid>",
                "default",
                "default",
                "never",
            ],
            store.env(),
            "",
        )
        .await;
        assert!(made.ok, "gpg --quick-gen-key failed:\n{}", made.stderr);
        let keys = run_env(&gpg, &["--list-keys", "--with-colons"], store.env(), "").await;
        let fingerprint = keys
            .stdout
            .lines()
            .find_map(|l| l.strip_prefix("fpr:"))
            .and_then(|rest| rest.split(':').find(|f| !f.is_empty()))
            .expect("the test key's fingerprint")
            .to_owned();
        let init = run_env(&pass, &["init", &fingerprint], store.env(), "").await;
        assert!(init.ok, "pass init failed:\n{}", init.stderr);
        Some(store)
    }

    /// What `pass` (and `docker-credential-pass`) need to use this store.
    pub fn env(&self) -> Vec<(String, String)> {
        let d = self.dir.path();
        vec![
            ("GNUPGHOME".into(), d.join("gnupg").display().to_string()),
            (
                "PASSWORD_STORE_DIR".into(),
                d.join("store").display().to_string(),
            ),
        ]
    }

    /// The store's directory (`pass` keeps one `.gpg` file per secret).
    pub fn store_dir(&self) -> PathBuf {
        self.dir.path().join("store")
    }
}

impl Drop for PassStore {
    fn drop(&mut self) {
        // gpg started an agent for this home; it would outlive the test.
        let _ = Command::new(&self.gpgconf)
            .args(["--kill", "all"])
            .envs(self.env())
            .status();
    }
}

fn restrict(dir: &Path) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).unwrap();
}

fn log(dir: &Path, name: &str) -> std::fs::File {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(name))
        .unwrap()
}

async fn wait(what: &str, mut ready: impl FnMut() -> bool) {
    assert!(
        super::wait::poll(Duration::from_secs(30), &mut ready).await,
        "{what} did not appear within 30 s"
    );
}
