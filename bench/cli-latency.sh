#!/usr/bin/env bash
# Wall-clock latency of acr versus the real az 2.91.0 on the same emulator state, per command,
# with hyperfine. Not a test: run it by hand (or after a release build) and read the table.
#
#   bench/cli-latency.sh [AZ]        AZ defaults to $ACR_TEST_AZ, then `az` on PATH
#
# Needs: a release build (`cargo build --release`), hyperfine (apt-get install hyperfine), and
# for the az side azure-cli==2.91.0 (see .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
ACR=$PWD/target/release/acr
EMU=$PWD/target/release/acr-emulator
AZ=${1:-${ACR_TEST_AZ:-$(command -v az || true)}}
[ -x "$ACR" ] || { echo "build first: cargo build --release" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "install hyperfine (apt-get install hyperfine)" >&2; exit 1; }

work=$(mktemp -d)
trap '"$EMU" stop --data-dir "$work/emu" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
"$EMU" start --data-dir "$work/emu" --port 0 --detach >/dev/null
eval "$("$EMU" env --data-dir "$work/emu")"
export ACR_CONFIG_DIR=$work/acr ACR_CREDENTIAL_STORE=file
"$ACR" token create -n benchtoken -r myregistry --repository hello content/read -o none
"$ACR" token list -r myregistry -o none            # warms the group cache and the token cache

commands=(
  "--version"
  "token create --help"
  "token list -r myregistry"
  "token list -r myregistry -g myresourcegroup -o table"
  "token show -n benchtoken -r myregistry"
  "scope-map list -r myregistry --query [].name -o tsv"
)

args=()
for c in "${commands[@]}"; do args+=(-n "acr $c" "$ACR $c"); done
hyperfine -N --warmup 3 --runs 30 --export-markdown "$work/acr.md" "${args[@]}"
cat "$work/acr.md"

if [ -n "$AZ" ] && [ -x "$AZ" ]; then
  export AZURE_CONFIG_DIR=$work/az AZURE_CORE_COLLECT_TELEMETRY=false AZURE_CORE_SURVEY_MESSAGE=false \
         AZURE_CORE_NO_COLOR=true AZURE_LOGGING_ENABLE_LOG_FILE=no
  cat /etc/ssl/certs/ca-certificates.crt "$ACR_CA_BUNDLE" > "$work/bundle.pem"
  export REQUESTS_CA_BUNDLE=$work/bundle.pem
  "$AZ" cloud register --name Emulator --endpoint-resource-manager "$ACR_RESOURCE_MANAGER" >/dev/null
  "$AZ" cloud set --name Emulator --only-show-errors
  "$AZ" config set core.instance_discovery=false --only-show-errors
  "$AZ" login --service-principal -u "$AZURE_CLIENT_ID" -p "$AZURE_CLIENT_SECRET" --tenant "$AZURE_TENANT_ID" -o none
  args=()
  for c in "${commands[@]:1}"; do args+=(-n "az acr $c" "$AZ acr $c"); done
  hyperfine -N --warmup 1 --runs 5 --export-markdown "$work/az.md" "$AZ --version" "${args[@]}"
  cat "$work/az.md"
fi
