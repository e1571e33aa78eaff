#!/usr/bin/env bash
# Create one Python venv per Chroma version listed in test/chroma/versions.json, with the pins written there.
#
#   test/chroma/setup-venvs.sh [-j JOBS] [VERSION...]     (no VERSION: every version in versions.json)
#
# Venvs:     $CHROMA_MOD_CACHE/venvs/<version>/   (CHROMA_MOD_CACHE defaults to ~/.cache/chroma-mod)
# Pip cache: $CHROMA_MOD_CACHE/venvs/.pip-cache     Logs: $CHROMA_MOD_CACHE/venvs/.logs/<version>.log
#            (everything this script writes stays under venvs/: other tools own the rest of the cache dir)
# Python:    $CHROMA_MOD_PYTHON (default python3; must be 3.11, the version the pins were verified on)
#
# Idempotent: a venv is (re)built only when its stamp file (.chroma-mod-stamp, a hash of the Python version,
# chromadb==<version> and the pins) is missing or differs, so editing a pin reinstalls that venv only.
# Parallel-safe: each venv is built under an flock on $CHROMA_MOD_CACHE/venvs/.<version>.lock, so two
# concurrent runs (e.g. two test processes) build a venv once; the stamp is written last, so an interrupted
# build is redone on the next run.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${CHROMA_MOD_CACHE:-$HOME/.cache/chroma-mod}
venvs=$cache/venvs
logs=$venvs/.logs
python=${CHROMA_MOD_PYTHON:-python3}
jobs=2

while getopts "j:h" opt; do
  case $opt in
    j) jobs=$OPTARG ;;
    *) sed -n "2,15p" "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))

mkdir -p "$venvs" "$logs" "$venvs/.pip-cache"
export PIP_CACHE_DIR=$venvs/.pip-cache
export PIP_DISABLE_PIP_VERSION_CHECK=1
# chroma-hnswlib 0.7.2 (chromadb 0.4.6-0.4.8) has no cp311 wheel and compiles with -march=native unless this
# is set; a portable build keeps the wheel in the pip cache usable on another CPU.
export HNSWLIB_NO_NATIVE=1

pyver=$("$python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')
case $pyver in 3.11.*) ;; *) echo "setup-venvs: warning: pins were verified on Python 3.11, not $pyver" >&2 ;; esac

# "<version> <pin> <pin> ..." per line (pins contain no spaces).
table=$("$python" - "$here/versions.json" "$@" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
want = sys.argv[2:]
known = {v["version"]: v for v in data["versions"]}
for w in want:
    if w not in known:
        sys.exit(f"setup-venvs: version {w} is not in versions.json (known: {', '.join(known)})")
for v in data["versions"]:
    if not want or v["version"] in want:
        assert all(" " not in p for p in v["pins"]), v
        print(" ".join([v["version"], *v["pins"]]))
PY
)

install_one() {
  local version=$1; shift
  local pins=("$@")
  local venv=$venvs/$version stamp=$venvs/$version/.chroma-mod-stamp log=$logs/$version.log
  local key
  key=$(printf '%s\n' "python=$pyver" "chromadb==$version" "${pins[@]}" | sha256sum | cut -c1-16)

  exec {lockfd}>"$venvs/.$version.lock"
  flock "$lockfd"
  if [[ -x $venv/bin/python && -f $stamp && $(<"$stamp") == "$key" ]]; then
    echo "$version: up to date ($venv)"
    exec {lockfd}>&-
    return 0
  fi
  local start=$SECONDS
  echo "$version: installing chromadb==$version ${pins[*]} (log: $log)"
  {
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/pip" install "chromadb==$version" "${pins[@]}"
    "$venv/bin/python" -c 'import sys, chromadb; v = chromadb.__version__; assert v == sys.argv[1], v' "$version"
  } >"$log" 2>&1 || {
    echo "$version: FAILED after $((SECONDS - start))s, last lines of $log:" >&2
    tail -n 15 "$log" >&2
    exec {lockfd}>&-
    return 1
  }
  echo "$key" >"$stamp"
  echo "$version: installed in $((SECONDS - start))s"
  exec {lockfd}>&-
}

failed=0
running=0
while read -r line; do
  [[ -n $line ]] || continue
  # shellcheck disable=SC2086
  install_one $line &
  running=$((running + 1))
  if ((running >= jobs)); then
    wait -n || failed=1
    running=$((running - 1))
  fi
done <<<"$table"
while ((running > 0)); do
  wait -n || failed=1
  running=$((running - 1))
done
exit "$failed"
