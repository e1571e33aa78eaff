#!/usr/bin/env bash
# The images chroma-mod's container tests run (test/containers/), built on this machine: no registry is reachable
# here, so nothing is pulled.
#   localhost/chroma-mod/python:3.11-bookworm   a Python base made from Debian packages (mmdebstrap), standing in
#                                               for the public python:3.11-slim-bookworm that image/Dockerfile uses
#   localhost/chroma-mod/nginx:bookworm         Debian's nginx, made the same way (the 1.x auth proxy's image)
#   localhost/chroma-mod/chroma:<version>       image/Dockerfile built FROM the Python base, one per version
#
#   test/containers/build-images.sh [VERSION...]   (no VERSION: one per family, 0.4.24 0.6.3 1.5.9)
#
# Cached: each image carries a label chroma-mod.key, a hash of what it is built from (the package list; the
# Dockerfile, the entrypoint, the pins and the base image's id), and is rebuilt only when that changes.
# Pip downloads share the virtualenvs' pip cache ($CHROMA_MOD_CACHE/venvs/.pip-cache, mounted in the build stage,
# which the final image does not keep). Logs: $CHROMA_MOD_CACHE/containers/logs/<image>.log.
# The builds use the host's network (pip and apt reach the package registries as the host does) and, mounted
# for the build only, the host's CA bundle with a pip.conf that points pip at it.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
podman=$here/podman.sh
cache=${CHROMA_MOD_CACHE:-$HOME/.cache/chroma-mod}
logs=$cache/containers/logs
pipcache=$cache/venvs/.pip-cache
ca=${CHROMA_MOD_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}
mkdir -p "$logs" "$pipcache"

if (($# == 0)); then set -- 0.4.24 0.6.3 1.5.9; fi

PYTHON_IMAGE=localhost/chroma-mod/python:3.11-bookworm
NGINX_IMAGE=localhost/chroma-mod/nginx:bookworm

label() { "$podman" image inspect --format '{{index .Labels "chroma-mod.key"}}' "$1" 2>/dev/null || true; }

# A root filesystem from Debian packages, imported as an image. $1 image, $2 packages (comma-separated), rest:
# --change instructions.
debian_image() {
  local image=$1 packages=$2
  shift 2
  local key
  key=$(printf '%s\n' bookworm "$packages" "$@" | sha256sum | cut -c1-16)
  if [[ $(label "$image") == "$key" ]]; then
    echo "build-images: $image is up to date"
    return
  fi
  local started=$SECONDS tar log=$logs/${image//[\/:]/_}.log
  tar=$(mktemp "${TMPDIR:-/tmp}/chroma-mod-rootfs.XXXXXX.tar")
  echo "build-images: $image (mmdebstrap: $packages; log $log)"
  local changes=()
  for c in "$@" "LABEL chroma-mod.key=$key"; do changes+=(--change "$c"); done
  # Recommends are left out as in the slim images; Check-Valid-Until is off as in the host's apt configuration
  # (the package mirror here may serve a dated snapshot), for apt-get inside the image too.
  if ! { mmdebstrap --variant=minbase --include="$packages" \
    --aptopt='APT::Install-Recommends "false"' --aptopt='Acquire::Check-Valid-Until "false"' \
    bookworm "$tar" && "$podman" import "${changes[@]}" "$tar" "$image"; } >"$log" 2>&1; then
    rm -f "$tar"
    tail -n 20 "$log" >&2
    echo "build-images: $image failed; full log: $log" >&2
    return 1
  fi
  rm -f "$tar"
  echo "build-images: $image built in $((SECONDS - started)) s"
}

debian_image "$PYTHON_IMAGE" python3,python3-venv,python-is-python3,ca-certificates \
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' 'ENV LANG=C.UTF-8' 'CMD ["python3"]'
debian_image "$NGINX_IMAGE" nginx \
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' 'STOPSIGNAL SIGQUIT' \
  'CMD ["nginx", "-g", "daemon off;"]'

# chromaPins of localcluster/node/venv.ts, as test/chroma/versions.json writes them down.
pins_of() {
  python3 - "$root/test/chroma/versions.json" "$1" <<'PY'
import json, sys
for v in json.load(open(sys.argv[1]))["versions"]:
    if v["version"] == sys.argv[2]:
        print(" ".join(v["pins"]))
        break
else:
    sys.exit(f"build-images: version {sys.argv[2]} is not in test/chroma/versions.json")
PY
}

base_id=$("$podman" image inspect --format '{{.Id}}' "$PYTHON_IMAGE")
for version in "$@"; do
  image=localhost/chroma-mod/chroma:$version
  pins=$(pins_of "$version")
  key=$( { cat "$root/image/Dockerfile" "$root/image/docker_entrypoint.sh"; printf '%s\n' "$version" "$pins" "$base_id"; } | sha256sum | cut -c1-16)
  if [[ $(label "$image") == "$key" ]]; then
    echo "build-images: $image is up to date"
    continue
  fi
  log=$logs/chroma_$version.log
  started=$SECONDS
  echo "build-images: $image (image/Dockerfile FROM $PYTHON_IMAGE, pins: ${pins:-none}; log $log)"
  if ! "$podman" build --network=host --pull=never --layers \
    --build-arg "PYTHON_IMAGE=$PYTHON_IMAGE" --build-arg "CHROMA_VERSION=$version" --build-arg "PIP_PINS=$pins" \
    --volume "$ca:/etc/ssl/certs/ca-certificates.crt:ro" --volume "$here/pip.conf:/etc/pip.conf:ro" \
    --volume "$pipcache:/root/.cache/pip" \
    --label "chroma-mod.key=$key" -t "$image" "$root/image" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "build-images: $image failed; full log: $log" >&2
    exit 1
  fi
  echo "build-images: $image built in $((SECONDS - started)) s"
done
