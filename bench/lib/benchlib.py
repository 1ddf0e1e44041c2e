"""Shared helpers of the bench sections (Python 3, stdlib only): the environment bench/run
passes, timed child processes (wall and user+sys CPU from wait4), callgrind instruction
counts, an emulator started and always stopped, az and acr set up against it, keep-alive HTTPS
to it, its request log, and the Markdown a section prints (tables, target lines).

Progress goes to stderr; only the section's Markdown goes to stdout."""

import http.client
import json
import os
import re
import shutil
import signal
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

QUICK = os.environ.get("BENCH_QUICK") == "1"
ACR = os.environ.get("ACR_BIN", "")
EMU = os.environ.get("EMU_BIN", "")
AZ = os.environ.get("ACR_TEST_AZ", "")
WORK = os.environ.get("BENCH_WORK") or tempfile.mkdtemp(prefix="bench-")
SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def check_env():
    """Exits 2 unless bench/run's variables name existing executables."""
    for name, value in (("ACR_BIN", ACR), ("EMU_BIN", EMU), ("ACR_TEST_AZ", AZ)):
        if not value or not os.access(value, os.X_OK):
            log(f"{name} must name an executable (run the section through bench/run)")
            sys.exit(2)
    os.makedirs(WORK, exist_ok=True)


def _raise_interrupt(signum, _frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main(body):
    """Runs `body()` with SIGTERM/SIGHUP turned into KeyboardInterrupt (so every `finally`
    stops what it started); exit 0 after measuring, 1 when it could not measure."""
    for s in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, _raise_interrupt)
    check_env()
    try:
        body()
    except KeyboardInterrupt as e:
        log(f"interrupted ({e})")
        sys.exit(130)
    except Exception as e:  # noqa: BLE001 - the section could not measure; say why
        import traceback

        traceback.print_exc()
        log(f"could not measure: {e}")
        sys.exit(1)
    sys.stdout.flush()


# --- processes -----------------------------------------------------------------------------


class Run:
    """One finished child: wall seconds, CPU seconds (user+sys), exit code, output."""

    def __init__(self, wall, cpu, code, stdout, stderr):
        self.wall, self.cpu, self.code = wall, cpu, code
        self.stdout, self.stderr = stdout, stderr

    def check(self, argv, codes=(0,)):
        if self.code not in codes:
            raise RuntimeError(
                f"{' '.join(argv)} exited {self.code}\nstdout: {self.stdout[-2000:]}\n"
                f"stderr: {self.stderr[-2000:]}"
            )
        return self


def run(argv, env, stdin=None, codes=(0,)):
    """Runs `argv` with exactly `env`; its wall time (fork to reap) and the rusage of that
    child alone (os.wait4). Output goes through files so that waiting is wait4's."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(
            argv,
            env=env,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )
        if stdin is not None:
            p.stdin.write(stdin.encode())
            p.stdin.close()
        try:
            _, status, ru = os.wait4(p.pid, 0)
        except BaseException:
            p.kill()
            p.wait()
            raise
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        r = Run(
            wall,
            ru.ru_utime + ru.ru_stime,
            p.returncode,
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
        )
    if codes is not None:
        r.check(argv, codes)
    return r


def callgrind(argv, env, codes=(0,)):
    """Instructions executed by `argv` (all its threads), from one callgrind run."""
    with tempfile.TemporaryDirectory() as d:
        outfile = os.path.join(d, "cg.out")
        r = run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={outfile}", *argv],
            env,
            codes=None,
        )
        if r.code not in codes:
            raise RuntimeError(f"callgrind {' '.join(argv)} exited {r.code}: {r.stderr[-2000:]}")
        total = 0
        for name in os.listdir(d):
            with open(os.path.join(d, name)) as f:
                for line in f:
                    if line.startswith("summary:") or line.startswith("totals:"):
                        total += int(line.split()[1])
                        break
        return total


def median(xs):
    return statistics.median(xs) if xs else float("nan")


# --- the emulator ------------------------------------------------------------------------


class Emulator:
    """`acr-emulator start --detach --test-hooks` on a fresh data dir in WORK; a context
    manager that always stops it (its `env --format json` document is `self.env`)."""

    def __init__(self, name, *extra):
        self.dir = os.path.join(WORK, name)
        self.extra = list(extra)
        self.pid = None

    def __enter__(self):
        os.makedirs(self.dir, exist_ok=True)
        cmd = [EMU, "start", "--data-dir", self.dir, "--port", "0", "--detach", "--test-hooks"]
        r = run(cmd + self.extra, dict(os.environ), codes=None)
        if r.code != 0:
            raise RuntimeError(f"acr-emulator start failed: {r.stderr[-2000:]}")
        self.env = json.loads(
            run([EMU, "env", "--data-dir", self.dir, "--format", "json"], dict(os.environ)).stdout
        )
        self.pid = self.env.get("pid")
        self.ssl = ssl.create_default_context(cafile=self.env["caCertificate"])
        self.base = self.env["resourceManager"].rstrip("/")
        u = urllib.parse.urlsplit(self.base)
        self.host, self.port = u.hostname, u.port
        self.log_path = os.path.join(self.dir, "emulator.log")
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        if self.pid is None:
            return
        r = run([EMU, "stop", "--data-dir", self.dir], dict(os.environ), codes=None)
        if r.code != 0:
            try:
                os.kill(int(self.pid), signal.SIGKILL)
            except (ProcessLookupError, ValueError):
                pass
        self.pid = None

    def registry(self, name="myregistry"):
        for reg in self.env["registries"]:
            if reg["name"] == name:
                return reg
        raise KeyError(name)

    def arm_path(self, registry="myregistry"):
        reg = self.registry(registry)
        return (
            f"/subscriptions/{self.env['subscriptionId']}/resourceGroups/{reg['resourceGroup']}"
            f"/providers/Microsoft.ContainerRegistry/registries/{registry}"
        )

    def connection(self, host=None, port=None):
        return Https(host or self.host, port or self.port, self.ssl)

    def hook(self, method, path, body=None):
        return self.connection().request(method, f"/_emulator/{path}", body)

    def requests(self):
        """The management port's request log (method, path, query, status), oldest first."""
        status, body = self.hook("GET", "requests")
        return body

    def clear_requests(self):
        self.hook("DELETE", "requests")

    def log_size(self):
        try:
            return os.path.getsize(self.log_path)
        except FileNotFoundError:
            return 0

    def registry_requests_since(self, offset):
        """Data-plane request lines the emulator logged (emulator.log) after byte `offset`."""
        with open(self.log_path, "rb") as f:
            f.seek(offset)
            return [l for l in f.read().decode(errors="replace").splitlines() if l.endswith("(registry)")]

    def arm_token(self):
        """A management access token of the emulator's service principal."""
        form = urllib.parse.urlencode(
            {
                "grant_type": "client_credentials",
                "client_id": self.env["clientId"],
                "client_secret": self.env["clientSecret"],
                "scope": "https://management.azure.com/.default",
            }
        )
        path = urllib.parse.urlsplit(self.env["authority"]).path
        status, body = self.connection().request(
            "POST",
            f"{path}/{self.env['tenantId']}/oauth2/v2.0/token",
            form,
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 200:
            raise RuntimeError(f"token endpoint answered {status}: {body}")
        return body["access_token"]

    def registry_token(self, scopes, registry="myregistry"):
        """A data-plane access token for `scopes`, from the SP's Basic credentials."""
        login = self.registry(registry)["loginServer"]
        host, port = login.rsplit(":", 1)
        q = urllib.parse.urlencode([("service", login)] + [("scope", s) for s in scopes])
        import base64

        basic = base64.b64encode(f"{self.env['clientId']}:{self.env['clientSecret']}".encode()).decode()
        status, body = Https(host, int(port), self.ssl).request(
            "GET", f"/oauth2/token?{q}", headers={"Authorization": f"Basic {basic}"}
        )
        if status != 200:
            raise RuntimeError(f"registry token endpoint answered {status}: {body}")
        return body["access_token"]


class Https:
    """One keep-alive HTTPS connection; JSON in and out (reconnects once on a dropped one)."""

    def __init__(self, host, port, context):
        self.host, self.port, self.context = host, port, context
        self.conn = None
        self.last_headers = {}

    def request(self, method, path, body=None, headers=None, raw=False):
        h = dict(headers or {})
        if body is not None and not isinstance(body, (str, bytes)):
            body = json.dumps(body)
            h.setdefault("Content-Type", "application/json")
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPSConnection(self.host, self.port, context=self.context, timeout=300)
            try:
                self.conn.request(method, path, body=body, headers=h)
                resp = self.conn.getresponse()
                data = resp.read()
                self.last_headers = resp.headers
                break
            except (http.client.HTTPException, ConnectionError, ssl.SSLError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        if raw:
            return resp.status, data
        try:
            return resp.status, json.loads(data) if data else None
        except ValueError:
            return resp.status, data.decode(errors="replace")

    def close(self):
        if self.conn is not None:
            self.conn.close()


def push_image(emu, repo, tags, registry="myregistry"):
    """Pushes a tiny one-layer OCI image to `repo` under each of `tags` (the SP's token)."""
    import hashlib

    login = emu.registry(registry)["loginServer"]
    host, port = login.rsplit(":", 1)
    token = emu.registry_token([f"repository:{repo}:push,pull"], registry)
    c = Https(host, int(port), emu.ssl)
    auth = {"Authorization": f"Bearer {token}"}

    def blob(data):
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        c.request("POST", f"/v2/{repo}/blobs/uploads/", None, auth, raw=True)
        loc = c.last_headers.get("Location", "")
        if not loc:
            raise RuntimeError(f"blob upload to {repo} gave no Location")
        path = urllib.parse.urlsplit(loc)
        path = path.path + ("?" + path.query if path.query else "")
        sep = "&" if "?" in path else "?"
        status, body = c.request("PUT", f"{path}{sep}digest={digest}", data,
                                 {**auth, "Content-Type": "application/octet-stream"}, raw=True)
        if status != 201:
            raise RuntimeError(f"blob PUT answered {status}: {body[:500]}")
        return {"digest": digest, "size": len(data)}

    config = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": []}}).encode()
    cfg = blob(config)
    layer = blob(f"layer of {repo}".encode())
    manifest = json.dumps({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", **cfg},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", **layer}],
    })
    for tag in tags:
        status, body = c.request("PUT", f"/v2/{repo}/manifests/{tag}", manifest,
                                 {**auth, "Content-Type": "application/vnd.oci.image.manifest.v1+json"})
        if status != 201:
            raise RuntimeError(f"manifest PUT {repo}:{tag} answered {status}: {body}")
    c.close()


# --- the contenders ------------------------------------------------------------------------


def acr_env(emu, name="acr"):
    """The environment of `acr` against `emu` (its own config dir, file credential store)."""
    home = os.path.join(WORK, name)
    os.makedirs(home, exist_ok=True)
    e = emu.env
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": home,
        "ACR_CONFIG_DIR": os.path.join(home, "config"),
        "ACR_CREDENTIAL_STORE": "file",
        "XDG_RUNTIME_DIR": home,
        "AZURE_TENANT_ID": e["tenantId"],
        "AZURE_CLIENT_ID": e["clientId"],
        "AZURE_CLIENT_SECRET": e["clientSecret"],
        "AZURE_AUTHORITY_HOST": e["authority"],
        "AZURE_SUBSCRIPTION_ID": e["subscriptionId"],
        "ACR_RESOURCE_MANAGER": e["resourceManager"],
        "ACR_CA_BUNDLE": e["caCertificate"],
        "ACR_LOGIN_SERVER_SUFFIX": e["acrLoginServerSuffix"],
        "ACR_CLOUD_NAME": "AcrEmulator",
    }


def az_env(emu, name="az"):
    """az 2.91.0 set up as the integration tests do (tests/integration/support/az.rs): its own
    config dir and HOME, the system CAs plus the emulator's in REQUESTS_CA_BUNDLE, the emulator
    registered and selected as a cloud, a service-principal login."""
    home = os.path.join(WORK, name)
    os.makedirs(home, exist_ok=True)
    bundle = os.path.join(home, "bundle.pem")
    with open(bundle, "wb") as out:
        for path in (SYSTEM_BUNDLE, emu.env["caCertificate"]):
            if os.path.exists(path):
                with open(path, "rb") as f:
                    out.write(f.read())
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "AZURE_CONFIG_DIR": os.path.join(home, "azcfg"),
        "AZURE_CORE_COLLECT_TELEMETRY": "false",
        "AZURE_CORE_SURVEY_MESSAGE": "false",
        "AZURE_CORE_NO_COLOR": "true",
        "AZURE_LOGGING_ENABLE_LOG_FILE": "no",
        "REQUESTS_CA_BUNDLE": bundle,
    }
    e = emu.env
    for argv in (
        ["cloud", "register", "--name", "Emulator", "--endpoint-resource-manager", e["resourceManager"]],
        ["cloud", "set", "--name", "Emulator", "--only-show-errors"],
        ["config", "set", "core.instance_discovery=false", "--only-show-errors"],
        ["login", "--service-principal", "-u", e["clientId"], f"--password={e['clientSecret']}",
         "--tenant", e["tenantId"], "-o", "none"],
    ):
        run([AZ, *argv], env)
    return env


# --- Markdown ------------------------------------------------------------------------------


def ms(seconds):
    """Seconds as a short millisecond figure."""
    v = seconds * 1000
    if v != v:
        return "n/a"
    return f"{v:.0f} ms" if v >= 100 else f"{v:.1f} ms" if v >= 10 else f"{v:.2f} ms"


def secs(seconds):
    return f"{seconds:.2f} s" if seconds < 100 else f"{seconds:.0f} s"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def target(what, ok, measured, limit):
    """One target line; `ok` None means it could not be measured (a FAIL)."""
    verdict = "**PASS**" if ok else "**FAIL**"
    return f"- target: {what} — {verdict} ({measured} vs {limit})"


def out(*lines):
    for line in lines:
        print(line)
    sys.stdout.flush()


def which(name):
    return shutil.which(name)


def strip_ansi(s):
    return re.sub(r"\x1b\[[0-9;]*m", "", s)


# --- figure 1 and 2: the commands and their emulator state ---------------------------------

API = "api-version=2025-04-01"
TOKEN = "benchtoken"
SCOPE_MAP = f"{TOKEN}-scope-map"
REPO = "hello"

# (key, arguments after `acr` / `az acr`, expected exit code, the floor's one request or None).
# The floor is what one request of the same resource costs: method, plane ("arm" or "registry")
# and path, sent by one curl with a bearer token fetched beforehand.
COMMANDS = [
    ("token show", f"token show -n {TOKEN} -r myregistry", 0, ("GET", "arm", f"/tokens/{TOKEN}?{API}")),
    ("token list -o table", "token list -r myregistry -o table", 0, ("GET", "arm", f"/tokens?{API}")),
    ("token credential generate --password1",
     f"token credential generate -n {TOKEN} -r myregistry --password1", 0,
     ("POST", "arm", f"/generateCredentials?{API}")),
    # Adds an action the map already has: every run leaves the same state (and az still PATCHes).
    ("scope-map update --add-repository",
     f"scope-map update -n {SCOPE_MAP} -r myregistry --add-repository {REPO} content/read", 0,
     ("PATCH", "arm", f"/scopeMaps/{SCOPE_MAP}?{API}")),
    ("repository show-tags", f"repository show-tags -n myregistry --repository {REPO}", 0,
     ("GET", "registry", f"/acr/v1/{REPO}/_tags")),
    ("--help", "token list --help", 0, None),
    ("parse error", "token show -r myregistry", 2, None),
]


def floor_body(emu, method, path):
    """The JSON body the floor's request sends (what acr and az send for that command)."""
    if path.startswith("/generateCredentials"):
        return {"tokenId": f"{emu.arm_path()}/tokens/{TOKEN}", "name": "password1"}
    if path.startswith("/scopeMaps/"):
        return {"properties": {"actions": [f"repositories/{REPO}/content/read"]}}
    return None


def seed_figure1(emu, acr):
    """The state figures 1 and 2 run on: token TOKEN with SCOPE_MAP granting REPO
    content/read, and REPO with three tags."""
    run([ACR, "token", "create", "-n", TOKEN, "-r", "myregistry", "--repository", REPO,
         "content/read", "-o", "none"], acr)
    push_image(emu, REPO, ["v1", "v2", "latest"])


def curl_floor(emu, key, method, plane, path, workdir):
    """argv of the floor's curl for one command (the bearer token in a header file, not argv)."""
    if plane == "arm":
        url = f"{emu.base}{emu.arm_path()}{path}"
        token = emu.arm_token()
    else:
        url = f"https://{emu.registry()['loginServer']}{path}"
        token = emu.registry_token([f"repository:{REPO}:metadata_read"])
    safe = re.sub(r"[^a-z0-9]+", "-", key)
    headers = os.path.join(workdir, f"{safe}.headers")
    with open(headers, "w") as f:
        os.fchmod(f.fileno(), 0o600)
        f.write(f"Authorization: Bearer {token}\n")
    argv = ["curl", "-sS", "--fail", "-o", "/dev/null", "--cacert", emu.env["caCertificate"],
            "-H", f"@{headers}", "-X", method]
    body = floor_body(emu, method, path)
    if body is not None:
        argv += ["-H", "Content-Type: application/json", "--data", json.dumps(body)]
    return argv + [url]


def seed_tokens(emu, names, registry="myregistry", scope_map="fleet-map", threads=8):
    """Creates `scope_map` (repositories/fleet/content/read) and one token per name (no
    passwords) with PUTs over `threads` keep-alive connections; seconds taken."""
    import queue
    import threading

    t0 = time.perf_counter()
    bearer = {"Authorization": f"Bearer {emu.arm_token()}"}
    base = emu.arm_path(registry)
    c = emu.connection()
    status, body = c.request("PUT", f"{base}/scopeMaps/{scope_map}?{API}",
                             {"properties": {"actions": ["repositories/fleet/content/read"]}}, bearer)
    if status not in (200, 201):
        raise RuntimeError(f"scope map PUT answered {status}: {body}")
    c.close()
    todo = queue.Queue()
    for n in names:
        todo.put(n)
    errors = []

    def worker():
        conn = emu.connection()
        try:
            while not errors:
                try:
                    n = todo.get_nowait()
                except queue.Empty:
                    return
                s, resp = conn.request("PUT", f"{base}/tokens/{n}?{API}", {"properties": {
                    "scopeMapId": f"{base}/scopeMaps/{scope_map}", "status": "enabled"}}, bearer)
                if s not in (200, 201):
                    errors.append(f"token {n}: {s} {resp}")
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(str(e))
        finally:
            conn.close()

    workers = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    if errors:
        raise RuntimeError(f"seeding failed: {errors[0]}")
    return time.perf_counter() - t0


def main_port_requests_since(emu, offset):
    """The main port's requests after byte `offset` of emulator.log, as (method, path): its
    per-request lines, which hold any number of requests; if the emulator logs none, its
    request log hook (the last 1,000 requests; cleared by `clear_requests`)."""
    with open(emu.log_path, "rb") as f:
        f.seek(offset)
        text = f.read().decode(errors="replace")
    lines = []
    for line in text.splitlines():
        parts = line.split()
        # The hooks' own requests (clearing the log) are logged too; they are not the client's.
        if (len(parts) >= 4 and parts[0].isupper() and parts[1].startswith("/")
                and not parts[1].startswith("/_emulator/") and not line.endswith("(registry)")):
            lines.append((parts[0], parts[1]))
    if not lines:
        lines = [(r["method"], r["path"]) for r in emu.requests()]
    return lines
