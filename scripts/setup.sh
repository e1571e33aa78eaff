#!/usr/bin/env bash
# Everything the full test suite needs, idempotent; caches live under ${CHROMA_MOD_CACHE:-~/.cache/chroma-mod}.
#  1. Debian packages: nginx (the 1.x auth proxy, run for real), dumb-init (the 1.x image's init), shellcheck
#     (lints image/docker_entrypoint.sh), openssl (the local control plane's certificates), gettext-base (envsubst).
#  2. The local Kubernetes control plane, built from Go modules (engine/localcluster/build.sh).
#  3. One Python virtualenv per tested Chroma version (test/chroma/setup-venvs.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for pair in nginx:nginx dumb-init:dumb-init shellcheck:shellcheck openssl:openssl envsubst:gettext-base; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair##*:}")
done
if [ "${#need[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${need[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: need root to apt-get install ${need[*]} (or install them yourself)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

echo "setup: local control plane binaries"
bash engine/localcluster/build.sh
echo "setup: Chroma virtualenvs"
bash test/chroma/setup-venvs.sh
echo "setup: done"
