//! Start-up: the data dir and its lock, TLS material, secrets and settings generated on first
//! use, seeding the first registries, binding every socket before serving, and writing
//! `state.json` and the pid file. Request handling is elsewhere.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, Result, bail};

use super::identity::jwt::Keys;
use super::listeners::{self, Listeners};
use super::store::{self, Actor, NewRegistry, Store};
use super::*;

/// Starts the emulator on `127.0.0.1` and returns once every listener accepts connections.
pub async fn start(opts: EmulatorOptions) -> Result<RunningEmulator> {
    files::private_dir(&opts.data_dir)?;
    let data_dir = std::path::absolute(&opts.data_dir).unwrap_or(opts.data_dir.clone());
    let lock = files::DataDirLock::acquire(&data_dir)?;

    let tls = tls::ensure(&data_dir)?;
    let pepper = files::read_or_create(&data_dir.join(PEPPER_FILE), || {
        let mut b = vec![0u8; 32];
        store::secrets::random_bytes(&mut b);
        b
    })?;
    let signing_pem = files::read_or_create(&data_dir.join(SIGNING_KEY_FILE), || {
        rcgen::KeyPair::generate()
            .map(|k| k.serialize_pem().into_bytes())
            .unwrap_or_default()
    })?;
    let keys = Keys::from_pem(&signing_pem).context("loading the token signing key")?;

    let store = Store::open(&data_dir.join(DB_FILE), pepper)?;
    store.run_blocking(|db| {
        db.password_propagation = opts.password_propagation;
        Ok(())
    })?;
    let settings = load_settings(&store)?;

    // Bind every socket before serving anything, so a port clash fails the start cleanly.
    let main_listener = listeners::bind(opts.port).with_context(|| {
        format!(
            "binding 127.0.0.1:{} (is another emulator using it?)",
            opts.port
        )
    })?;
    let main_addr: SocketAddr = main_listener.local_addr()?;
    let base_url = format!("https://127.0.0.1:{}", main_addr.port());

    let mut registry_sockets = Vec::new();
    let first_start = store.run_blocking(|db| db.meta_get("seeded"))?.is_none();
    if first_start {
        let specs = if opts.registries.is_empty() {
            vec![RegistrySpec {
                name: DEFAULT_REGISTRY.to_string(),
                sku: Sku::Premium,
            }]
        } else {
            opts.registries.clone()
        };
        let actor = Actor::system(&settings.client_id);
        for spec in specs {
            let sock = listeners::bind(0)?;
            let port = sock.local_addr()?.port();
            let new = NewRegistry {
                name: spec.name.clone(),
                resource_group: DEFAULT_RESOURCE_GROUP.to_string(),
                location: LOCATION.to_string(),
                sku: spec.sku,
                admin_user_enabled: false,
                tags: Default::default(),
                port,
            };
            store
                .run_blocking(|db| db.create_registry(new, &actor))
                .with_context(|| format!("creating registry {}", spec.name))?;
            registry_sockets.push((spec.name, sock));
        }
        store.run_blocking(|db| db.meta_set("seeded", "1"))?;
    } else {
        for reg in store.run_blocking(|db| db.list_registries(None))? {
            let sock = listeners::bind(reg.port).with_context(|| {
                format!("binding the data-plane port 127.0.0.1:{} of registry {} (stable across restarts)", reg.port, reg.name)
            })?;
            registry_sockets.push((reg.name, sock));
        }
    }

    let listeners = Listeners::new(&tls).await?;
    let seed = opts.fault_seed.unwrap_or_else(rand::random);
    if !opts.faults.is_empty() {
        // The seed is logged so that a run under random faults can be replayed.
        eprintln!("acr-emulator: faults {} (seed {seed})", opts.faults);
    }
    let state = Arc::new(AppState {
        store,
        settings,
        keys,
        base_url,
        data_dir: data_dir.clone(),
        ca_path: tls.ca_path.clone(),
        hooks: hooks::Hooks::new(opts.test_hooks),
        operations: Default::default(),
        listeners,
        console: Default::default(),
        imds: opts.imds,
        faults: Arc::new(faults::Faults::new(opts.faults.clone(), seed)),
        uploads: Default::default(),
    });

    super::registry::prepare(&state).context("preparing the registries' blob storage")?;
    state
        .listeners
        .serve("", main_listener, app(state.clone()))?;
    for (name, sock) in registry_sockets {
        state.serve_registry(&name, sock)?;
    }
    state.listeners.wait_listening().await?;

    identity::write_federated_token(&state, &data_dir.join(FEDERATED_TOKEN_FILE))?;
    // The pid file before state.json: state.json is what waiters take as "ready", and a
    // reader of the pid file after that must find it written (a `stop` racing the start
    // signalled nothing, or a stale pid).
    files::write_private(
        &data_dir.join(PID_FILE),
        std::process::id().to_string().as_bytes(),
    )?;
    let env = state.env_info().await;
    write_state(&data_dir, &env)?;
    Ok(RunningEmulator {
        env,
        state,
        _lock: lock,
    })
}

fn load_settings(store: &Store) -> Result<Settings> {
    use store::secrets::{random_secret, random_uuid};
    let r = store.run_blocking(|db| {
        Ok(Settings {
            tenant_id: db.meta_get_or_insert("tenant_id", random_uuid)?,
            subscription_id: db.meta_get_or_insert("subscription_id", random_uuid)?,
            client_id: db.meta_get_or_insert("client_id", random_uuid)?,
            client_secret: db.meta_get_or_insert("client_secret", || random_secret(30))?,
            sp_object_id: db.meta_get_or_insert("sp_object_id", random_uuid)?,
            mi_client_id: db.meta_get_or_insert("mi_client_id", random_uuid)?,
            mi_object_id: db.meta_get_or_insert("mi_object_id", random_uuid)?,
            identity_header: db.meta_get_or_insert("identity_header", || random_secret(24))?,
        })
    });
    match r {
        Ok(s) => Ok(s),
        Err(e) => bail!("loading emulator settings: {e}"),
    }
}
