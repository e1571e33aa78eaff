#!/usr/bin/env bash
# Create one Python venv per Chroma version listed in test/chroma/versions.json, with the pins written there:
# the parallel driver of localcluster/node/install-venv.sh, which installs (or finds up to date) one venv.
#
#   test/chroma/setup-venvs.sh [-j JOBS] [VERSION...]     (no VERSION: every version in versions.json; JOBS: 2)
#
# Venvs:     $CHROMA_MOD_CACHE/venvs/<version>/   (CHROMA_MOD_CACHE defaults to ~/.cache/chroma-mod)
# Pip cache: $CHROMA_MOD_CACHE/venvs/.pip-cache     Logs: $CHROMA_MOD_CACHE/venvs/.logs/<version>.log
#            (everything install-venv.sh writes stays under venvs/: other tools own the rest of the cache dir)
# Python:    $CHROMA_MOD_PYTHON (default python3; must be 3.11, the version the pins were verified on)
# Exit:      0 when every venv is installed or up to date, 1 when one failed (its log's last lines are printed).
#
# The pins of versions.json equal chromaPins() of localcluster/node/venv.ts, the rule the node agent installs
# any Chroma version with (test/unit/venv.test.ts keeps the two equal).
# Idempotent: a venv is (re)built only when its stamp file (.chroma-mod-stamp, a hash of the Python version,
# chromadb==<version> and the pins) is missing or differs, so editing a pin reinstalls that venv only.
# Parallel-safe: install-venv.sh builds each venv under an flock on $CHROMA_MOD_CACHE/venvs/.<version>.lock, so
# two concurrent runs (e.g. two test processes, or the node agent) build a venv once; the stamp is written last,
# so an interrupted build is redone on the next run.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
installer=$here/../../localcluster/node/install-venv.sh
python=${CHROMA_MOD_PYTHON:-python3}
jobs=2

while getopts "j:h" opt; do
  case $opt in
    j) jobs=$OPTARG ;;
    *) sed -n "2,19p" "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))

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

failed=0
running=0
while read -r line; do
  [[ -n $line ]] || continue
  # shellcheck disable=SC2086
  bash "$installer" $line &
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
