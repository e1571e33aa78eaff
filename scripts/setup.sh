#!/usr/bin/env bash
# Everything the full test suite needs, idempotent; caches live under ${CHROMA_MOD_CACHE:-~/.cache/chroma-mod}.
#  1. Debian packages: nginx (the 1.x auth proxy, run for real), dumb-init (the 1.x image's init), shellcheck
#     (lints image/docker_entrypoint.sh), openssl (the local control plane's certificates), busybox (runs the auth
#     proxy's start script with the sh, od and awk of the default Alpine proxy image), util-linux (unshare, nsenter,
#     setpriv) and iproute2 (ip): the local node runs each pod in its own network namespace; podman, runc, catatonit
#     (podman's pod infra process) and mmdebstrap: the container tests (test/containers/) run the rendered pods as
#     real containers, from images built here.
#  2. The local Kubernetes control plane, built from Go modules (localcluster/build.sh).
#  3. One Python virtualenv per tested Chroma version (test/chroma/setup-venvs.sh).
#  4. The container images (test/containers/build-images.sh): a Python base and nginx from Debian packages, and
#     image/Dockerfile for one Chroma version of each family; after step 3, whose pip cache they share.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for pair in nginx:nginx dumb-init:dumb-init shellcheck:shellcheck openssl:openssl busybox:busybox unshare:util-linux nsenter:util-linux setpriv:util-linux ip:iproute2 podman:podman runc:runc catatonit:catatonit mmdebstrap:mmdebstrap; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair##*:}")
done
if [ "${#need[@]}" -gt 0 ]; then
  mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
  echo "setup: installing Debian packages: ${need[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: need root to apt-get install ${need[*]} (or install them yourself)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# The two long cold steps (about 30 and 17 minutes on 2 cores) run side by side: pip spends much of its time
# downloading while Go compiles. Warm, both are no-ops (< 1 s).
cache="${CHROMA_MOD_CACHE:-$HOME/.cache/chroma-mod}"
mkdir -p "$cache"
echo "setup: local control plane binaries (log: $cache/setup-localcluster.log), beside Chroma virtualenvs then container images"
bash localcluster/build.sh --with-helm >"$cache/setup-localcluster.log" 2>&1 &
build_pid=$!
venvs_status=0
images_status=0
bash test/chroma/setup-venvs.sh || venvs_status=$?
if [ "$venvs_status" -eq 0 ]; then bash test/containers/build-images.sh || images_status=$?; fi
build_status=0
wait "$build_pid" || build_status=$?
if [ "$build_status" -ne 0 ]; then
  tail -n 40 "$cache/setup-localcluster.log" >&2
  echo "setup: building the local control plane failed (exit $build_status); full log: $cache/setup-localcluster.log" >&2
  exit 1
fi
if [ "$venvs_status" -ne 0 ]; then
  echo "setup: creating the Chroma virtualenvs failed (exit $venvs_status)" >&2
  exit 1
fi
if [ "$images_status" -ne 0 ]; then
  echo "setup: building the container images failed (exit $images_status); logs: $cache/containers/logs/" >&2
  exit 1
fi
echo "setup: done"
