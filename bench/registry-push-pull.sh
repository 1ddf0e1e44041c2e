#!/usr/bin/env bash
# Push and pull a 256 MiB image with skopeo against acr-emulator (release build) and against
# Debian's docker-registry 2.8.2 on the same machine, side by side. Both serve TLS on
# 127.0.0.1 and require credentials: an ACR token (Docker token auth, /oauth2/token) on the
# emulator, htpasswd (Basic) on docker-registry. Reports wall-clock times (median, mean and
# best of RUNS, runs interleaved) and each server's peak resident memory (VmHWM from
# /proc/<pid>/status).
#
#   bench/registry-push-pull.sh             RUNS=5 SIZE_MIB=256 by default
#
# Needs: `cargo build --release` (CARGO_TARGET_DIR is honoured), skopeo, docker-registry,
# openssl, curl, python3, and a Python with `bcrypt` for the htpasswd file ($BCRYPT_PYTHON,
# else the az venv's python that .ci/run installs, else python3). Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=${CARGO_TARGET_DIR:-$PWD/target}
EMU=$TARGET/release/acr-emulator
RUNS=${RUNS:-5}
SIZE_MIB=${SIZE_MIB:-256}
[ -x "$EMU" ] || { echo "build first: cargo build --release" >&2; exit 1; }
for t in skopeo docker-registry openssl curl python3; do
  command -v "$t" >/dev/null || { echo "missing $t" >&2; exit 1; }
done
BCRYPT_PYTHON=${BCRYPT_PYTHON:-$(for p in "${ACR_TEST_PYTHON:-}" "$HOME/.cache/acr-ci/az-venv/bin/python" /work/tools/az-venv/bin/python python3; do
  [ -n "$p" ] && "$p" -c 'import bcrypt' 2>/dev/null && { echo "$p"; break; }; done)}
[ -n "$BCRYPT_PYTHON" ] || { echo "need a python with bcrypt (pip install bcrypt)" >&2; exit 1; }

work=$(mktemp -d)
reg_pid=""
cleanup() {
  "$EMU" stop --data-dir "$work/emu" >/dev/null 2>&1 || true
  [ -n "$reg_pid" ] && kill "$reg_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
# skopeo's state (auth file, blob-info cache) stays in $work; a fresh cache per run (below)
# keeps it from mounting blobs it saw in another repository instead of uploading them.
export REGISTRY_AUTH_FILE=$work/auth.json XDG_RUNTIME_DIR=$work/xdg _CONTAINERS_ROOTLESS_UID=1000
mkdir -p "$work/xdg" && echo '{}' > "$REGISTRY_AUTH_FILE"

echo "== building a ${SIZE_MIB} MiB single-layer OCI image"
python3 - "$work/oci" "$SIZE_MIB" <<'EOF'
import gzip, hashlib, io, json, os, sys, tarfile
root, mib = sys.argv[1], int(sys.argv[2])
blobs = os.path.join(root, "blobs", "sha256"); os.makedirs(blobs, exist_ok=True)
def put(path_or_bytes):
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else open(path_or_bytes, "rb").read()
    d = hashlib.sha256(data).hexdigest(); open(os.path.join(blobs, d), "wb").write(data)
    return "sha256:" + d, len(data)
# Random (incompressible) bytes, so the gzip layer is as big as the image: SIZE_MIB MiB.
tar_path, layer_path = os.path.join(root, "layer.tar"), os.path.join(root, "layer.tar.gz")
with open(os.path.join(root, "payload"), "wb") as f:
    for _ in range(mib):
        f.write(os.urandom(1 << 20))
with tarfile.open(tar_path, "w") as tf:
    tf.add(os.path.join(root, "payload"), arcname="payload")
diff_id = hashlib.sha256()
with open(tar_path, "rb") as src, open(layer_path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1, mtime=0) as dst:
    while chunk := src.read(1 << 20):
        diff_id.update(chunk); dst.write(chunk)
ld = hashlib.sha256()
with open(layer_path, "rb") as f:
    while chunk := f.read(1 << 20):
        ld.update(chunk)
layer_digest, layer_size = "sha256:" + ld.hexdigest(), os.path.getsize(layer_path)
os.rename(layer_path, os.path.join(blobs, ld.hexdigest()))
for p in ("payload", "layer.tar"):
    os.remove(os.path.join(root, p))
config = {"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": ["sha256:" + diff_id.hexdigest()]}}
cd, cs = put(json.dumps(config).encode())
manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cd, "size": cs},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": layer_digest, "size": layer_size}]}
md, ms = put(json.dumps(manifest).encode())
json.dump({"schemaVersion": 2, "manifests": [{"mediaType": manifest["mediaType"], "digest": md, "size": ms,
           "annotations": {"org.opencontainers.image.ref.name": "v1"}}]}, open(os.path.join(root, "index.json"), "w"))
json.dump({"imageLayoutVersion": "1.0.0"}, open(os.path.join(root, "oci-layout"), "w"))
print(f"   layer {layer_digest} ({layer_size} bytes)")
EOF

echo "== starting acr-emulator (release) with an ACR token that may push and pull bench/*"
"$EMU" start --data-dir "$work/emu" --port 0 --detach >/dev/null
envjson=$("$EMU" env --data-dir "$work/emu" --format json)
val() { python3 -c 'import json,sys; v=json.load(sys.stdin)
for k in sys.argv[1:]: v = v[int(k)] if k.isdigit() else v[k]
print(v)' "$@" <<<"$envjson"; }
emu_pid=$(val pid)
emu_host=$(val registries 0 loginServer)
ca=$(val caCertificate)
mkdir -p "$work/emu-certs" && cp "$ca" "$work/emu-certs/ca.crt"
mi=$(curl -sf --cacert "$ca" -H "X-IDENTITY-HEADER: $(val identityHeader)" \
  "$(val identityEndpoint)?api-version=2019-08-01&resource=https://management.azure.com/" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
reg="/subscriptions/$(val subscriptionId)/resourceGroups/myresourcegroup/providers/Microsoft.ContainerRegistry/registries/myregistry"
arm() { curl -sf --cacert "$ca" -X "$1" -H "Authorization: Bearer $mi" -H 'content-type: application/json' \
  "$(val resourceManager)${reg#/}$2?api-version=2025-04-01" -d "$3"; }
arm PUT /scopeMaps/bench-map '{"properties":{"actions":["repositories/bench/*/content/read","repositories/bench/*/content/write"]}}' >/dev/null
arm PUT /tokens/benchtoken "{\"properties\":{\"scopeMapId\":\"$reg/scopeMaps/bench-map\",\"status\":\"enabled\"}}" >/dev/null
emu_pw=$(arm POST /generateCredentials "{\"tokenId\":\"$reg/tokens/benchtoken\",\"name\":\"password1\"}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["passwords"][0]["value"])')
emu_creds="benchtoken:$emu_pw"

echo "== starting docker-registry $(docker-registry --version | awk '{print $3}') with TLS and htpasswd"
mkdir -p "$work/reg/data" "$work/reg-certs"
( cd "$work/reg-certs"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 30 -subj "/CN=bench CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=localhost" 2>/dev/null
  printf "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n" > ext.cnf
  openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 30 -extfile ext.cnf 2>/dev/null
  rm -f ca.key server.csr ext.cnf ca.srl )
reg_pass=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
"$BCRYPT_PYTHON" -c 'import bcrypt,sys; print("bench:" + bcrypt.hashpw(sys.argv[1].encode(), bcrypt.gensalt(5)).decode())' "$reg_pass" > "$work/reg/htpasswd"
reg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/reg/config.yml" <<EOF
version: 0.1
log: { level: error, accesslog: { disabled: true } }
storage: { filesystem: { rootdirectory: $work/reg/data }, delete: { enabled: true } }
http:
  addr: 127.0.0.1:$reg_port
  tls: { certificate: $work/reg-certs/server.crt, key: $work/reg-certs/server.key }
auth:
  htpasswd: { realm: basic-realm, path: $work/reg/htpasswd }
EOF
# REGISTRY_* variables override its configuration: skopeo's REGISTRY_AUTH_FILE must not reach it.
env -u REGISTRY_AUTH_FILE docker-registry serve "$work/reg/config.yml" >"$work/reg/log" 2>&1 &
reg_pid=$!
for _ in $(seq 100); do curl -s --cacert "$work/reg-certs/ca.crt" "https://127.0.0.1:$reg_port/v2/" >/dev/null && break; sleep 0.1; done
kill -0 "$reg_pid" 2>/dev/null || { echo "docker-registry did not start:" >&2; cat "$work/reg/log" >&2; exit 1; }
mkdir -p "$work/reg-certs-dir" && cp "$work/reg-certs/ca.crt" "$work/reg-certs-dir/ca.crt"
reg_host=127.0.0.1:$reg_port
reg_creds="bench:$reg_pass"

hwm() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }
now() { date +%s.%N; }
declare -A times
run_one() { # name host creds certdir run
  local name=$1 host=$2 creds=$3 certs=$4 i=$5 t0 t1
  export XDG_DATA_HOME=$work/cache-$name-$i
  t0=$(now)
  skopeo copy -q --dest-creds "$creds" --dest-cert-dir "$certs" "oci:$work/oci:v1" "docker://$host/bench/big$i:v1"
  t1=$(now); times[$name-push]+="$(awk "BEGIN {print $t1 - $t0}") "
  rm -rf "$work/pulled"
  t0=$(now)
  skopeo copy -q --src-creds "$creds" --src-cert-dir "$certs" "docker://$host/bench/big$i:v1" "dir:$work/pulled"
  t1=$(now); times[$name-pull]+="$(awk "BEGIN {print $t1 - $t0}") "
  rm -rf "$work/pulled" "$work/cache-$name-$i"
}
echo "== $RUNS runs each, alternating (push to a new repository, then pull it into a dir:)"
for i in $(seq "$RUNS"); do
  run_one acr-emulator "$emu_host" "$emu_creds" "$work/emu-certs" "$i"
  run_one docker-registry "$reg_host" "$reg_creds" "$work/reg-certs-dir" "$i"
done
stats() { tr ' ' '\n' <<<"$1" | grep . | sort -n |
  awk '{a[NR]=$1; s+=$1} END {printf "%.2f s / %.2f s / %.2f s", a[int((NR+1)/2)], s/NR, a[1]}'; }
echo
echo "| ${SIZE_MIB} MiB image, skopeo, $RUNS runs | push: median / mean / best | pull: median / mean / best | server peak RSS |"
echo "|---|---|---|---|"
echo "| acr-emulator | $(stats "${times[acr-emulator-push]}") | $(stats "${times[acr-emulator-pull]}") | $(( $(hwm "$emu_pid") / 1024 )) MiB |"
echo "| docker-registry 2.8.2 | $(stats "${times[docker-registry-push]}") | $(stats "${times[docker-registry-pull]}") | $(( $(hwm "$reg_pid") / 1024 )) MiB |"
