#!/usr/bin/env bash
# Install ONE Chroma Python virtualenv: chromadb==VERSION plus the given pip requirement pins. The one install
# procedure of chroma-mod: the local node agent runs it (localcluster/node/venv.ts, ensureVenv) for a pod whose
# image is ghcr.io/chroma-core/chroma:VERSION, and test/chroma/setup-venvs.sh runs it for each tested version.
# The pins of a version come from chromaPins() in localcluster/node/venv.ts (test/chroma/versions.json lists the
# same pins, with the reasons; a unit test keeps the two equal).
#
#   localcluster/node/install-venv.sh VERSION [PIN...]          e.g. install-venv.sh 0.5.0 'numpy<2' 'posthog<6'
#
# Venv:      $CHROMA_MOD_CACHE/venvs/<VERSION>/   (CHROMA_MOD_CACHE defaults to ~/.cache/chroma-mod)
# Pip cache: $CHROMA_MOD_CACHE/venvs/.pip-cache     Log: $CHROMA_MOD_CACHE/venvs/.logs/<VERSION>.log
#            (everything this script writes stays under venvs/: other tools own the rest of the cache dir)
# Python:    $CHROMA_MOD_PYTHON (default python3; should be 3.11, the version the pins were verified on)
# Exit:      0 installed or up to date, 1 the install failed (the last lines of the log are printed), 2 usage.
#
# Idempotent: the venv is (re)built only when its stamp file (.chroma-mod-stamp, a hash of the Python version,
# chromadb==<version> and the pins) is missing or differs, so editing a pin reinstalls that venv only.
# Parallel-safe: the venv is built under an flock on $CHROMA_MOD_CACHE/venvs/.<VERSION>.lock, so two concurrent
# runs (two test processes, the node agent and a test) build it once; the stamp is written last, so an
# interrupted build is redone on the next run.
set -euo pipefail

usage() {
  sed -n "2,20p" "$0" >&2
  exit 2
}

(($# >= 1)) || usage
version=$1
shift
pins=("$@")
# A version names a directory: digits first, no slash, so no "..", no path outside venvs/.
[[ $version =~ ^[0-9][A-Za-z0-9.+-]*$ ]] || {
  echo "install-venv: not a Chroma version: '$version'" >&2
  usage
}
for pin in "${pins[@]}"; do
  # The stamp hashes one pin per line.
  [[ -n $pin && $pin != *[[:space:]]* ]] || {
    echo "install-venv: a pin must be one word: '$pin'" >&2
    usage
  }
done

cache=${CHROMA_MOD_CACHE:-$HOME/.cache/chroma-mod}
venvs=$cache/venvs
logs=$venvs/.logs
python=${CHROMA_MOD_PYTHON:-python3}

mkdir -p "$venvs" "$logs" "$venvs/.pip-cache"
export PIP_CACHE_DIR=$venvs/.pip-cache
export PIP_DISABLE_PIP_VERSION_CHECK=1
# chroma-hnswlib 0.7.2 (chromadb 0.4.6-0.4.8) has no cp311 wheel and compiles with -march=native unless this
# is set; a portable build keeps the wheel in the pip cache usable on another CPU.
export HNSWLIB_NO_NATIVE=1

pyver=$("$python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])') || {
  echo "$version: FAILED: cannot run '$python' (set CHROMA_MOD_PYTHON to a Python 3.11)" >&2
  exit 1
}

venv=$venvs/$version stamp=$venvs/$version/.chroma-mod-stamp log=$logs/$version.log
key=$(printf '%s\n' "python=$pyver" "chromadb==$version" "${pins[@]}" | sha256sum | cut -c1-16)

exec {lockfd}>"$venvs/.$version.lock"
flock "$lockfd"
if [[ -x $venv/bin/python && -f $stamp && $(<"$stamp") == "$key" ]]; then
  echo "$version: up to date ($venv)"
  exec {lockfd}>&-
  exit 0
fi
case $pyver in 3.11.*) ;; *) echo "$version: warning: pins were verified on Python 3.11, not $pyver" >&2 ;; esac
start=$SECONDS
echo "$version: installing chromadb==$version ${pins[*]} (log: $log)"
{
  rm -rf "$venv" &&
    "$python" -m venv "$venv" &&
    "$venv/bin/pip" install "chromadb==$version" "${pins[@]}" &&
    "$venv/bin/python" -c 'import sys, chromadb; v = chromadb.__version__; assert v == sys.argv[1], v' "$version"
} >"$log" 2>&1 || {
  echo "$version: FAILED after $((SECONDS - start))s, last lines of $log:" >&2
  tail -n 15 "$log" >&2
  exec {lockfd}>&-
  exit 1
}
echo "$key" >"$stamp"
echo "$version: installed in $((SECONDS - start))s"
exec {lockfd}>&-
