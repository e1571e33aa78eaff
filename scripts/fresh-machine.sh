#!/usr/bin/env bash
# README's quick start as a stranger runs it: a fresh clone of the committed HEAD in a temp dir, with a fresh
# HOME, Go module cache, Go build cache, npm cache and CHROMA_MOD_CACHE (all inside that temp dir), runs
#   1. npm install && npx chroma-mod apply bundles/dev.config.ts --local
#   2. npm test
# in order, prints each one's wall time and exit code, keeps their logs, and stops the local cluster the first
# command started. Not part of CI: the first command builds the local control plane cold (~30-40 min on 2
# cores), the second also creates every Chroma virtualenv.
#
# Usage: scripts/fresh-machine.sh [--first-only] [--keep]
#   --first-only  run only the first command
#   --keep        keep the temp dir (clone, caches) instead of deleting it at the end
# Env:   FRESH_MACHINE_TMP  where the temp dir is made (default ${TMPDIR:-/tmp})
# Logs (always kept): /tmp/chroma-mod-fresh-logs.XXXXXX/{1-install-apply,2-npm-test,down}.log and summary.txt.
# Exit status: 0 when every command run exited 0, 1 otherwise, 2 on a usage error.
set -uo pipefail

first_only=0
keep=0
for arg in "$@"; do
  case "$arg" in
    --first-only) first_only=1 ;;
    --keep) keep=1 ;;
    -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fresh-machine.sh: unknown argument '$arg' (expected --first-only, --keep)" >&2; exit 2 ;;
  esac
done

SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d "${FRESH_MACHINE_TMP:-${TMPDIR:-/tmp}}/chroma-mod-fresh.XXXXXX")"
LOGS="$(mktemp -d /tmp/chroma-mod-fresh-logs.XXXXXX)"
# mktemp makes it 0700: open it as a usual clone location is, or the tests that run the image entrypoint as an
# unprivileged uid cannot reach the clone (they fail the same way in a clone under a 0700 home such as /root).
chmod 755 "$WORK"
REPO="$WORK/chroma-mod"
SUMMARY="$LOGS/summary.txt"

say() { echo "[fresh-machine $(date -u +%H:%M:%S)] $*" | tee -a "$SUMMARY" >&2; }

# The machine's network settings stay (a CA file npm needs, proxies); every cache and every per-user file goes.
npm_cafile="$(npm config get cafile 2>/dev/null || true)"
npm_registry="$(npm config get registry 2>/dev/null || true)"
mkdir -p "$WORK/home" "$WORK/gomodcache" "$WORK/gocache" "$WORK/gopath" "$WORK/npm-cache" "$WORK/chroma-mod-cache"
fresh_env=(
  env -u KUBECONFIG -u GOFLAGS -u CHROMA_MOD_BUILD_P
  HOME="$WORK/home"
  GOMODCACHE="$WORK/gomodcache"
  GOCACHE="$WORK/gocache"
  GOPATH="$WORK/gopath"
  npm_config_cache="$WORK/npm-cache"
  CHROMA_MOD_CACHE="$WORK/chroma-mod-cache"
)
if [[ -n "$npm_cafile" && "$npm_cafile" != null && "$npm_cafile" != undefined ]]; then fresh_env+=(npm_config_cafile="$npm_cafile"); fi
if [[ -n "$npm_registry" ]]; then fresh_env+=(npm_config_registry="$npm_registry"); fi

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  if [[ -d "$REPO/node_modules" ]]; then
    say "stopping the local cluster the quick start started (log: $LOGS/down.log)"
    (cd "$REPO" && "${fresh_env[@]}" npx chroma-mod local down) >"$LOGS/down.log" 2>&1 || say "local down exited $? (see $LOGS/down.log)"
  fi
  if [[ "$keep" == 1 ]]; then
    say "--keep: temp dir kept: $WORK"
  else
    chmod -R u+w "$WORK" 2>/dev/null # the Go module cache is read-only
    rm -rf "$WORK"
  fi
  say "logs: $LOGS"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "fresh clone of $(git -C "$SRC" rev-parse --short HEAD) ($(git -C "$SRC" log -1 --format=%s | cut -c1-80)) into $REPO"
if ! git clone --quiet --no-hardlinks "$SRC" "$REPO" >"$LOGS/clone.log" 2>&1; then
  say "git clone failed (see $LOGS/clone.log)"
  exit 1
fi
# The project lives beside ../shared (the Helm chart fixtures the tests read): so does the clone, as in CI.
if [[ -d "$SRC/../shared" ]]; then ln -s "$(cd "$SRC/../shared" && pwd)" "$WORK/shared"; fi
if [[ -n "$(git -C "$SRC" status --porcelain --untracked-files=no)" ]]; then
  say "note: $SRC has uncommitted changes; they are not part of this run (it tests the committed HEAD)"
fi

status=0
run() { # n name command
  local n="$1" cmd="$3" log="$LOGS/$1-$2.log" t0 t1 rc
  say "$n. $cmd (log: $log)"
  t0=$(date +%s)
  (cd "$REPO" && "${fresh_env[@]}" bash -c "$cmd") >"$log" 2>&1 </dev/null
  rc=$?
  t1=$(date +%s)
  say "$n. exit $rc after $(( (t1 - t0) / 60 ))m$(( (t1 - t0) % 60 ))s wall: $cmd"
  if [[ "$rc" -ne 0 ]]; then
    status=1
    tail -n 15 "$log" | sed 's/^/    | /' | tee -a "$SUMMARY" >&2
  fi
  return "$rc"
}

if run 1 install-apply "npm install && npx chroma-mod apply bundles/dev.config.ts --local"; then
  if [[ "$first_only" == 0 ]]; then
    run 2 npm-test "npm test"
    grep -E '^[0-9]+ passed, [0-9]+ failed$' "$LOGS/2-npm-test.log" | tail -n 1 | sed 's/^/2. npm test: /' | tee -a "$SUMMARY" >&2
  fi
elif [[ "$first_only" == 0 ]]; then
  say "2. npm test: not run, the first command failed"
fi
exit "$status"
