#!/usr/bin/env bash
# Regenerate the three wrapper modules (go.mod + go.sum) for new versions, from the Go module proxy only:
#   localcluster/go/update.sh v1.37.2 v3.7.3 v0.8.0 v4.3.2      # k8s.io/kubernetes, etcd server, kwok, helm
# kube: k8s.io/kubernetes requires its staging modules (k8s.io/api, ...) at v0.0.0 with replaces to
# ./staging that do not apply to a dependent module, so each one is replaced by its published v0.<minor>.<patch>.
# The go/godebug lines of kube follow k8s.io/kubernetes's own go.mod. Then run ../build.sh.
# OUT=dir writes the modules there instead of next to this script.
set -euo pipefail
K="${1:?k8s.io/kubernetes version, e.g. v1.37.2}"
E="${2:?go.etcd.io/etcd/server/v3 version, e.g. v3.7.3}"
W="${3:?sigs.k8s.io/kwok version, e.g. v0.8.0}"
H="${4:?helm.sh/helm/v4 version, e.g. v4.3.2}"
OUT="${OUT:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}"
export GOFLAGS="-mod=mod" GOTOOLCHAIN=local

fresh() { # dir module
  mkdir -p "$OUT/$1"
  rm -f "$OUT/$1/go.mod" "$OUT/$1/go.sum"
  (cd "$OUT/$1" && go mod init "$2" 2>/dev/null)
}

# kube
fresh kube chroma-mod/localcluster/kube
cd "$OUT/kube"
UPSTREAM="$(go mod download -json "k8s.io/kubernetes@$K" | sed -n 's/.*"GoMod": "\(.*\)",/\1/p')"
go mod edit -go="$(awk '$1 == "go" {print $2; exit}' "$UPSTREAM")"
GODEBUG_LINE="$(awk '$1 == "godebug" && $2 != "(" {print $2; exit}' "$UPSTREAM")"
if [[ -n "$GODEBUG_LINE" ]]; then go mod edit -godebug="$GODEBUG_LINE"; fi
STAGING_VERSION="v0.${K#v1.}"
while read -r m; do
  go mod edit -replace="$m=$m@$STAGING_VERSION"
done < <(sed -n 's#^[[:space:]]*\(k8s\.io/[^ ]*\) => \./staging/.*#\1#p' "$UPSTREAM")
go get -tool "k8s.io/kubernetes/cmd/kube-apiserver@$K" "k8s.io/kubernetes/cmd/kube-controller-manager@$K" \
  "k8s.io/kubernetes/cmd/kube-scheduler@$K" "k8s.io/kubernetes/cmd/kubectl@$K"
go mod tidy

# etcd: the binary's main package is the root of go.etcd.io/etcd/server/v3 (no replaces needed here).
fresh etcd chroma-mod/localcluster/etcd
cd "$OUT/etcd"
go mod edit -go=1.26.0
go get -tool "go.etcd.io/etcd/server/v3@$E"
go mod tidy

# kwok
fresh kwok chroma-mod/localcluster/kwok
cd "$OUT/kwok"
go mod edit -go=1.26.0
go get -tool "sigs.k8s.io/kwok/cmd/kwok@$W"
go mod tidy

# helm (the tests install the Chroma chart with it; bench/ times it)
fresh helm chroma-mod/localcluster/helm
cd "$OUT/helm"
go mod edit -go=1.26.0
go get -tool "helm.sh/helm/v4/cmd/helm@$H"
go mod tidy

echo "updated $OUT/{kube,etcd,kwok,helm}/go.mod; now run localcluster/build.sh" >&2
