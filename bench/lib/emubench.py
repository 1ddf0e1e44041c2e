"""Shared helpers of the emulator sections (grants, registry): start and stop acr-emulator and
Debian's docker-registry, talk to ARM over one keep-alive HTTPS connection, peak RSS, medians.
Standard library only. Every process started here is stopped by `Procs.stop_all` (called from
`atexit` and on SIGINT/SIGTERM), so a section never leaves a server behind."""

import atexit
import http.client
import json
import os
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import time
import urllib.parse

API = "2025-04-01"


def log(*a):
    print(*a, file=sys.stderr, flush=True)


class Procs:
    """Servers this section started; stopped at exit, on error and on Ctrl-C."""

    emu_dirs = []
    pids = []

    @classmethod
    def stop_all(cls):
        emu = os.environ.get("EMU_BIN")
        for d in cls.emu_dirs:
            subprocess.run([emu, "stop", "--data-dir", d], capture_output=True)
        cls.emu_dirs = []
        for p in cls.pids:
            try:
                p.terminate()
                p.wait(5)
            except Exception:
                try:
                    p.kill()
                except Exception:
                    pass
        cls.pids = []


def _on_signal(sig, _frame):
    Procs.stop_all()
    sys.exit(128 + sig)


atexit.register(Procs.stop_all)
signal.signal(signal.SIGINT, _on_signal)
signal.signal(signal.SIGTERM, _on_signal)


def env_setup():
    """(EMU_BIN, BENCH_WORK, quick) from the environment bench/run sets."""
    emu = os.environ.get("EMU_BIN")
    work = os.environ.get("BENCH_WORK")
    if not emu or not os.access(emu, os.X_OK) or not work:
        log("EMU_BIN (an executable acr-emulator) and BENCH_WORK must be set (bench/run sets them)")
        sys.exit(2)
    return emu, work, os.environ.get("BENCH_QUICK", "0") == "1"


def need(*tools):
    missing = [t for t in tools if not any(os.access(os.path.join(p, t), os.X_OK)
                                           for p in os.environ.get("PATH", "").split(":"))]
    if missing:
        log("missing: " + ", ".join(missing) + " (apt-get install " + " ".join(missing) + ")")
        sys.exit(2)


def hwm_kib(pid):
    """Peak resident memory (VmHWM) of a live process, in KiB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Emulator:
    """A detached acr-emulator (release build) on a fresh data dir, with ARM access through a
    managed-identity token and one keep-alive HTTPS connection per thread."""

    def __init__(self, emu_bin, data_dir, extra=()):
        self.data_dir = data_dir
        subprocess.run([emu_bin, "start", "--data-dir", data_dir, "--port", "0", "--detach", *extra],
                       check=True, stdout=subprocess.DEVNULL)
        Procs.emu_dirs.append(data_dir)
        env = json.loads(subprocess.run([emu_bin, "env", "--data-dir", data_dir, "--format", "json"],
                                        check=True, capture_output=True, text=True).stdout)
        self.env = env
        self.pid = env["pid"]
        self.ca = env["caCertificate"]
        self.login_server = env["registries"][0]["loginServer"]
        self.registry = env["registries"][0]["name"]
        self.ctx = ssl.create_default_context(cafile=self.ca)
        arm = urllib.parse.urlsplit(env["resourceManager"])
        self.arm_host, self.arm_port = arm.hostname, arm.port
        self.reg_id = (f"/subscriptions/{env['subscriptionId']}/resourceGroups/"
                       f"{env['registries'][0]['resourceGroup']}/providers/"
                       f"Microsoft.ContainerRegistry/registries/{self.registry}")
        ident = urllib.parse.urlsplit(env["identityEndpoint"])
        c = http.client.HTTPSConnection(ident.hostname, ident.port, context=self.ctx)
        c.request("GET", ident.path + "?api-version=2019-08-01&resource=https://management.azure.com/",
                  headers={"X-IDENTITY-HEADER": env["identityHeader"]})
        r = c.getresponse()
        self.mi_token = json.loads(r.read())["access_token"]
        c.close()

    def arm_conn(self):
        return http.client.HTTPSConnection(self.arm_host, self.arm_port, context=self.ctx)

    def arm(self, conn, method, sub, body=None):
        """One ARM call on `conn` (kept alive); the parsed JSON answer. Raises on non-2xx."""
        path = f"{self.reg_id}{sub}?api-version={API}"
        data = json.dumps(body).encode() if body is not None else None
        conn.request(method, path, body=data, headers={
            "Authorization": f"Bearer {self.mi_token}", "Content-Type": "application/json"})
        r = conn.getresponse()
        raw = r.read()
        if r.status // 100 != 2:
            raise RuntimeError(f"{method} {sub}: {r.status} {raw[:300]!r}")
        return json.loads(raw) if raw else None

    def registry_conn(self):
        host, port = self.login_server.rsplit(":", 1)
        return http.client.HTTPSConnection(host, int(port), context=self.ctx)


def make_tls(dirpath):
    """A CA and a server certificate for 127.0.0.1/localhost (for docker-registry)."""
    os.makedirs(dirpath, exist_ok=True)
    q = dict(cwd=dirpath, check=True, capture_output=True)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key",
                    "-out", "ca.crt", "-days", "30", "-subj", "/CN=bench CA",
                    "-addext", "basicConstraints=critical,CA:TRUE",
                    "-addext", "keyUsage=critical,keyCertSign,cRLSign"], **q)
    subprocess.run(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key",
                    "-out", "server.csr", "-subj", "/CN=localhost"], **q)
    with open(os.path.join(dirpath, "ext.cnf"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
                "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n")
    subprocess.run(["openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                    "-CAcreateserial", "-out", "server.crt", "-days", "30", "-extfile", "ext.cnf"], **q)
    for p in ("ca.key", "server.csr", "ext.cnf", "ca.srl"):
        try:
            os.remove(os.path.join(dirpath, p))
        except FileNotFoundError:
            pass


def bcrypt_python():
    """A Python with the bcrypt module (the az venv has one) for the htpasswd file."""
    cands = [os.environ.get("ACR_TEST_PYTHON", ""),
             os.path.expanduser("~/.cache/acr-ci/az-venv/bin/python"), "/work/tools/az-venv/bin/python"]
    az = os.environ.get("ACR_TEST_AZ")
    if az:
        cands.insert(0, os.path.join(os.path.dirname(az), "python"))
    for p in cands + ["python3"]:
        if p and subprocess.run([p, "-c", "import bcrypt"], capture_output=True).returncode == 0:
            return p
    log("need a Python with bcrypt for docker-registry's htpasswd (the az venv of .ci/run has one)")
    sys.exit(2)


class DockerRegistry:
    """Debian's docker-registry with TLS and an htpasswd file of `users` {name: password}."""

    def __init__(self, work, users):
        self.dir = os.path.join(work, "docker-registry")
        os.makedirs(os.path.join(self.dir, "data"), exist_ok=True)
        make_tls(os.path.join(self.dir, "certs"))
        self.ca = os.path.join(self.dir, "certs", "ca.crt")
        # skopeo's --cert-dir wants a directory holding only ca.crt (server.* would be read as
        # client certificates).
        self.cert_dir = os.path.join(self.dir, "certs-client")
        os.makedirs(self.cert_dir, exist_ok=True)
        with open(self.ca) as s, open(os.path.join(self.cert_dir, "ca.crt"), "w") as d:
            d.write(s.read())
        script = ("import bcrypt,json,sys\nfor u,p in json.load(sys.stdin).items():\n"
                  " print(u + ':' + bcrypt.hashpw(p.encode(), bcrypt.gensalt(5)).decode())")
        ht = subprocess.run([bcrypt_python(), "-c", script], input=json.dumps(users),
                            check=True, capture_output=True, text=True).stdout
        with open(os.path.join(self.dir, "htpasswd"), "w") as f:
            f.write(ht)
        self.port = free_port()
        self.host = f"127.0.0.1:{self.port}"
        with open(os.path.join(self.dir, "config.yml"), "w") as f:
            f.write(f"""version: 0.1
log: {{ level: error, accesslog: {{ disabled: true }} }}
storage: {{ filesystem: {{ rootdirectory: {self.dir}/data }}, delete: {{ enabled: true }} }}
http:
  addr: {self.host}
  tls: {{ certificate: {self.dir}/certs/server.crt, key: {self.dir}/certs/server.key }}
auth:
  htpasswd: {{ realm: basic-realm, path: {self.dir}/htpasswd }}
""")
        # REGISTRY_* variables override its configuration: skopeo's REGISTRY_AUTH_FILE must not
        # reach it.
        env = {k: v for k, v in os.environ.items() if not k.startswith("REGISTRY_")}
        self.logf = open(os.path.join(self.dir, "log"), "w")
        self.proc = subprocess.Popen(["docker-registry", "serve", os.path.join(self.dir, "config.yml")],
                                     env=env, stdout=self.logf, stderr=subprocess.STDOUT)
        Procs.pids.append(self.proc)
        self.pid = self.proc.pid
        ctx = ssl.create_default_context(cafile=self.ca)
        for _ in range(100):
            try:
                c = http.client.HTTPSConnection("127.0.0.1", self.port, context=ctx, timeout=2)
                c.request("GET", "/v2/")
                c.getresponse().read()
                return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.1)
        log("docker-registry did not start:\n" + open(os.path.join(self.dir, "log")).read())
        sys.exit(1)

    @staticmethod
    def version():
        out = subprocess.run(["docker-registry", "--version"], capture_output=True, text=True).stdout
        parts = out.split()
        return parts[2] if len(parts) > 2 else out.strip()
