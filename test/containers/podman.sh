#!/usr/bin/env bash
# podman as chroma-mod's container tests run it: the configuration in this directory (not /etc), images and
# containers under the cache, runtime state under /tmp. Use it like podman, e.g. to look at a test's pod:
#   test/containers/podman.sh ps -a --pod
# Storage:  $CHROMA_MOD_CACHE/containers/storage (CHROMA_MOD_CACHE defaults to ~/.cache/chroma-mod)
# Runtime:  ${TMPDIR:-/tmp}/chroma-mod-containers-<uid>-<hash of the storage path> (lost on reboot, as podman
#           expects of its run root; one per storage, so two caches never share one)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${CHROMA_MOD_CACHE:-$HOME/.cache/chroma-mod}
export CONTAINERS_CONF=$here/containers.conf
export CONTAINERS_REGISTRIES_CONF=$here/registries.conf
storage=$cache/containers/storage
runroot=${TMPDIR:-/tmp}/chroma-mod-containers-$(id -u)-$(printf '%s' "$storage" | sha256sum | cut -c1-8)
exec podman --root "$storage" --runroot "$runroot" \
  --storage-driver overlay "$@"
