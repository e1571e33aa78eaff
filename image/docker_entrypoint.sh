#!/bin/sh
# chroma-mod's entrypoint for a Kubernetes-friendly Chroma image (0.4.x to 1.x), run under dumb-init.
# - With arguments, runs them (`uvicorn …` or `chroma run …`, as chroma-mod renders them) after the checks below.
# - Without, starts the server the installed Chroma version expects, configured from the environment:
#     1.x: chroma run "$CHROMA_CONFIG"   (default /etc/chroma/config.yaml; the config file is required, since
#          1.x ignores CHROMA_* env without one)
#     0.x: uvicorn chromadb.app:app on $CHROMA_HOST_ADDR:$CHROMA_HOST_PORT with $CHROMA_LOG_CONFIG
# - Never touches the network at start (the upstream 0.4.x entrypoint re-installed chroma-hnswlib from PyPI).
# - Fails fast, with the fix, when the data directory is not writable (a non-root UID without fsGroup).
set -eu

log() { printf 'docker_entrypoint: %s\n' "$*" >&2; }

chroma_version() {
  if [ -n "${CHROMA_VERSION:-}" ]; then
    printf '%s\n' "$CHROMA_VERSION"
  else
    python -c 'import chromadb; print(chromadb.__version__)' 2>/dev/null || printf 'unknown\n'
  fi
}

check_writable() {
  dir=$1
  [ -n "$dir" ] || return 0
  if [ ! -d "$dir" ]; then
    mkdir -p "$dir" 2>/dev/null || { log "cannot create data directory $dir as uid $(id -u). Fix: mount a volume there and set the pod's securityContext.fsGroup (chroma-mod sets 1000)."; exit 78; }
  fi
  probe="$dir/.chroma-mod-write-test.$$"
  # In a subshell: a failed redirection on a special builtin (`:`) makes a POSIX sh (dash) exit on the spot (status
  # 2, "cannot create … Permission denied") instead of taking the else branch.
  if ! (: >"$probe") 2>/dev/null; then
    log "data directory $dir is not writable by uid $(id -u) gid $(id -g). Fix: set the pod's securityContext.fsGroup to a group that owns the volume (chroma-mod sets 1000), or chown the volume."
    exit 78
  fi
  rm -f "$probe"
}

version=$(chroma_version)
case "$version" in
  1.*) family=1 ;;
  0.*) family=0 ;;
  *) family=unknown ;;
esac

# "false" as pydantic reads a boolean setting (0.x): false/f/0/no/n/off, any case.
is_false() {
  case "$(printf '%s' "$1" | tr '[:upper:]' '[:lower:]')" in
    false | f | 0 | no | n | off) return 0 ;;
    *) return 1 ;;
  esac
}

if [ "$family" = 1 ]; then
  config=${CHROMA_CONFIG:-/etc/chroma/config.yaml}
  # With `chroma run <config>` as the arguments (chroma-mod's rendered command), that file is the config.
  if [ "$#" -ge 3 ] && [ "$1" = chroma ] && [ "$2" = run ]; then config=$3; fi
  data=$(sed -n "s/^persist_path:[[:space:]]*[\"']\{0,1\}\([^\"']*\)[\"']\{0,1\}[[:space:]]*\$/\1/p" "$config" 2>/dev/null | head -n 1)
else
  data=${PERSIST_DIRECTORY:-}
  if is_false "${IS_PERSISTENT:-TRUE}"; then data=""; fi
fi
check_writable "$data"

# onnxruntime >= 1.29 (pulled in by chromadb) sends its own telemetry to Microsoft from Linux too, whatever
# ANONYMIZED_TELEMETRY says (seen from every 0.x server in test/chroma/). Opted out with Chroma's telemetry.
if is_false "${ANONYMIZED_TELEMETRY:-FALSE}"; then
  ORT_DISABLE_TELEMETRY=${ORT_DISABLE_TELEMETRY:-1}
  export ORT_DISABLE_TELEMETRY
fi

if [ "$#" -gt 0 ]; then
  exec "$@"
fi

case "$family" in
  1)
    if [ ! -f "$config" ]; then
      log "no config file at $config: Chroma $version ignores CHROMA_* settings without one. Fix: mount one (chroma-mod renders it) or set CHROMA_CONFIG."
      exit 78
    fi
    exec chroma run "$config"
    ;;
  0)
    set -- uvicorn chromadb.app:app --workers "${CHROMA_WORKERS:-1}" \
      --host "${CHROMA_HOST_ADDR:-0.0.0.0}" --port "${CHROMA_HOST_PORT:-8000}" --proxy-headers
    if [ -n "${CHROMA_LOG_CONFIG:-}" ]; then set -- "$@" --log-config "$CHROMA_LOG_CONFIG"; fi
    if [ -n "${CHROMA_TIMEOUT_KEEP_ALIVE:-}" ]; then set -- "$@" --timeout-keep-alive "$CHROMA_TIMEOUT_KEEP_ALIVE"; fi
    exec "$@"
    ;;
  *)
    log "cannot tell the Chroma version (CHROMA_VERSION unset and chromadb not importable). Fix: set CHROMA_VERSION."
    exit 78
    ;;
esac
