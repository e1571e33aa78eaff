#!/usr/bin/env bash
# Build the local control plane (kube-apiserver, kube-controller-manager,
# kube-scheduler, kubectl, etcd, kwok) and helm (the tests install the Chroma
# Helm chart with it, and bench/ times it) from the Go wrapper modules under
# localcluster/go/ with the machine's Go toolchain.
#
# Output: ${CHROMA_MOD_CACHE:-~/.cache/chroma-mod}/bin/<k8s-version>/
# Idempotent: each group (kube, etcd, kwok, helm) has a stamp file keyed by a hash of
# its go.mod + go.sum (+ RECIPE below); a group whose stamp matches and whose
# binaries exist is skipped.
#
# Usage: build.sh              build what is missing or stale
#        build.sh --check      exit 0 if everything is up to date, 1 otherwise
#        build.sh --print-bin-dir
#        --with-helm           (with either of the first two) helm too: the tests and bench/ need it, the
#                              local cluster does not, so `chroma-mod local up` never waits for it
# Exit:  0 done, 1 a build step failed, 2 usage or unreadable go.mod, 3 no Go toolchain (or one too old) and
#        something must be built. Without `go` on PATH, binaries built before are used as they are.
# Env:   CHROMA_MOD_CACHE      cache root (default ~/.cache/chroma-mod)
#        CHROMA_MOD_BUILD_P    go build -p (default 2; use 1 when memory is tight)
set -euo pipefail

# Bump to force a rebuild when the flags below change.
RECIPE="r1 tags=selinux,notest,grpcnotrace cgo=0 trimpath s-w"

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
GODIR="$HERE/go"
CACHE="${CHROMA_MOD_CACHE:-$HOME/.cache/chroma-mod}"
PAR="${CHROMA_MOD_BUILD_P:-2}"

export GOFLAGS="-mod=mod -buildvcs=false"
export CGO_ENABLED=0
# Never let `go` fetch a different toolchain: the local one must do.
export GOTOOLCHAIN=local

# Version of a required module, read from a go.mod (no network).
mod_version() { # file module
  awk -v m="$2" '($1 == m && $2 ~ /^v/) {print $2; exit} ($1 == "require" && $2 == m) {print $3; exit}' "$1"
}

K8S_VERSION="$(mod_version "$GODIR/kube/go.mod" k8s.io/kubernetes)"
ETCD_VERSION="$(mod_version "$GODIR/etcd/go.mod" go.etcd.io/etcd/server/v3)"
KWOK_VERSION="$(mod_version "$GODIR/kwok/go.mod" sigs.k8s.io/kwok)"
HELM_VERSION="$(mod_version "$GODIR/helm/go.mod" helm.sh/helm/v4)"
if [[ -z "$K8S_VERSION" || -z "$ETCD_VERSION" || -z "$KWOK_VERSION" || -z "$HELM_VERSION" ]]; then
  echo "build.sh: cannot read module versions from $GODIR/*/go.mod" >&2
  exit 2
fi
BIN="$CACHE/bin/$K8S_VERSION"

# The oldest Go that builds the wrapper modules: their newest `go` directive.
GO_NEED="$(awk '$1 == "go" {print $2}' "$GODIR"/*/go.mod | sort -V | tail -n 1)"
GO_VERSION=""
if command -v go >/dev/null 2>&1; then GO_VERSION="$(cd / && go env GOVERSION 2>/dev/null)" || GO_VERSION=""; fi

need_go() {
  if [[ -z "$GO_VERSION" ]]; then
    echo "build.sh: Go $GO_NEED or newer is required to build the local control plane, and \`go\` is not on PATH" >&2
    exit 3
  fi
  if [[ "$(printf '%s\n%s\n' "$GO_NEED" "${GO_VERSION#go}" | sort -V | head -n 1)" != "$GO_NEED" ]]; then
    echo "build.sh: Go $GO_NEED or newer is required to build the local control plane, and \`go\` on PATH is $GO_VERSION ($(command -v go))" >&2
    exit 3
  fi
}

group_hash() { # group
  { echo "$RECIPE"; go version; cat "$GODIR/$1/go.mod" "$GODIR/$1/go.sum"; } | sha256sum | cut -d' ' -f1
}

group_bins() { # group
  case "$1" in
    kube) echo "kube-apiserver kube-controller-manager kube-scheduler kubectl" ;;
    etcd) echo "etcd" ;;
    kwok) echo "kwok" ;;
    helm) echo "helm" ;;
  esac
}

group_ok() { # group
  local g="$1" b
  [[ -f "$BIN/.stamp-$g" ]] || return 1
  # Without a Go toolchain nothing can be rebuilt: what was built before is used as it is.
  if [[ -n "$GO_VERSION" ]]; then [[ "$(cat "$BIN/.stamp-$g")" == "$(group_hash "$g")" ]] || return 1; fi
  for b in $(group_bins "$g"); do [[ -x "$BIN/$b" ]] || return 1; done
  if [[ "$g" == kwok ]]; then [[ -d "$BIN/kwok-stages/pod/fast" ]] || return 1; fi
  return 0
}

GROUPS_WANTED="etcd kwok kube"
MODE=build
for arg in "$@"; do
  case "$arg" in
    --print-bin-dir) echo "$BIN"; exit 0 ;;
    --check) MODE=check ;;
    --with-helm) GROUPS_WANTED+=" helm" ;;
    *) echo "usage: $0 [--check|--print-bin-dir] [--with-helm]" >&2; exit 2 ;;
  esac
done
if [[ "$MODE" == check ]]; then
  for g in $GROUPS_WANTED; do group_ok "$g" || exit 1; done
  exit 0
fi

for g in $GROUPS_WANTED; do group_ok "$g" || need_go; done

mkdir -p "$BIN"
# One build at a time per cache dir.
exec 9>"$CACHE/bin/.build.lock"
flock 9

log() { echo "[build.sh $(date -u +%H:%M:%S)] $*" >&2; }

build_group() { # group ldflags tags pkgs...
  local g="$1" ldflags="$2" tags="$3"; shift 3
  if group_ok "$g"; then log "$g: up to date ($BIN)"; return 0; fi
  local t0 tmp
  t0=$(date +%s)
  tmp="$BIN/.tmp-$g"
  rm -rf "$tmp"; mkdir -p "$tmp"
  log "$g: building $* (go build -p $PAR) ..."
  local out="$tmp/"
  # A single package is named after its import path (etcd's would be "server"): name it.
  if [[ $# -eq 1 ]]; then out="$tmp/$(group_bins "$g")"; fi
  (cd "$GODIR/$g" && go build -p "$PAR" -trimpath -tags "$tags" -ldflags "$ldflags" -o "$out" "$@")
  local b
  for b in $(group_bins "$g"); do mv -f "$tmp/$b" "$BIN/$b"; done
  rm -rf "$tmp"
  group_hash "$g" >"$BIN/.stamp-$g"
  log "$g: done in $(( $(date +%s) - t0 ))s"
}

NOW="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

# etcd: version.Version is a constant; GitSHA is the only stamp point.
build_group etcd "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=$ETCD_VERSION" "" \
  go.etcd.io/etcd/server/v3

# kwok: the module does not embed its stage files; copy them next to the binary.
if ! group_ok kwok; then
  # `go list -m` prints no Dir until the module is in the module cache (a fresh machine): download it first.
  (cd "$GODIR/kwok" && go mod download sigs.k8s.io/kwok)
  KWOK_DIR="$(cd "$GODIR/kwok" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)"
  if [[ -z "$KWOK_DIR" || ! -d "$KWOK_DIR/kustomize/stage" ]]; then
    echo "build.sh: kwok's stage files were not found in the Go module cache (module dir: '${KWOK_DIR}')" >&2
    exit 1
  fi
  rm -rf "$BIN/kwok-stages"
  cp -r "$KWOK_DIR/kustomize/stage" "$BIN/kwok-stages"
  chmod -R u+w "$BIN/kwok-stages"
fi
build_group kwok "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION#v} -X sigs.k8s.io/kwok/pkg/consts.KubeVersion=${K8S_VERSION#v}" "" \
  sigs.k8s.io/kwok/cmd/kwok

# kube: same variables as kubernetes hack/lib/version.sh.
MINOR="$(cut -d. -f2 <<<"${K8S_VERSION#v}")"
KL="-s -w"
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  KL+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$MINOR"
  KL+=" -X $p.gitTreeState=clean -X $p.buildDate=$NOW"
done
build_group kube "$KL" "selinux,notest,grpcnotrace" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
  k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl

# helm: its version string is a variable of an internal package.
[[ " $GROUPS_WANTED " == *" helm "* ]] && build_group helm "-s -w -X helm.sh/helm/v4/internal/version.version=$HELM_VERSION" "" \
  helm.sh/helm/v4/cmd/helm

log "all binaries in $BIN"
