#!/usr/bin/env bash
# Smoke test of the local control plane, end to end:
#   up (twice: the second is a no-op) -> Deployment (restricted pod) + StatefulSet with a volumeClaimTemplate
#   roll out Ready, PVCs Bound -> kubectl apply --server-side -> PodSecurity rejects a privileged pod ->
#   a user without rights is Forbidden -> the audit log has the writes (verb, user, objectRef) and a
#   read-only command adds none -> down --purge.
# Runs in its own state dir (a temp dir) unless LOCALCLUSTER_STATE_DIR is set; KEEP=1 leaves it running.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
TSX="$ROOT/node_modules/.bin/tsx"
if [[ -z "${LOCALCLUSTER_STATE_DIR:-}" ]]; then
  LOCALCLUSTER_STATE_DIR="$(mktemp -d /tmp/localcluster-smoke.XXXXXX)"
fi
export LOCALCLUSTER_STATE_DIR
WORK="$(mktemp -d /tmp/localcluster-smoke-work.XXXXXX)"

cli() { "$TSX" "$HERE/cli.ts" "$@"; }
step() { echo "=== $*" >&2; }
fail() { echo "SMOKE FAILED: $*" >&2; exit 1; }
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const o=JSON.parse(s);console.log(eval(process.argv[1]))})' "$1"; }

cleanup() {
  local rc=$?
  if [[ "${KEEP:-0}" == 1 ]]; then
    echo "KEEP=1: cluster left running; LOCALCLUSTER_STATE_DIR=$LOCALCLUSTER_STATE_DIR" >&2
  else
    cli down --purge || true
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT

step "up (state dir $LOCALCLUSTER_STATE_DIR)"
t0=$(date +%s%N)
cli up >"$WORK/up.json"
t1=$(date +%s%N)
echo "up took $(( (t1 - t0) / 1000000 )) ms (wall, including tsx start)" >&2
[[ "$(json o.alreadyRunning <"$WORK/up.json")" == false ]] || echo "note: cluster was already running" >&2

step "up again is a no-op"
cli up >"$WORK/up2.json"
[[ "$(json o.alreadyRunning <"$WORK/up2.json")" == true ]] || fail "second up did not report alreadyRunning"

eval "$(cli env)"
AUDIT="$(json o.auditLog <"$WORK/up.json")"
[[ "$(command -v kubectl)" == "$(json o.binDir <"$WORK/up.json")/kubectl" ]] || fail "env did not put the built kubectl first on PATH"

step "versions"
kubectl version
kubectl get --raw /version
kubectl get nodes -o wide
kubectl get storageclass
[[ "$(kubectl get nodes -o name | sort | tr '\n' ' ')" == "node/local-node node/local-node-0 " ]] || fail "expected nodes local-node (the local node) and local-node-0 (kwok)"
[[ "$(kubectl get storageclass standard -o jsonpath='{.provisioner}')" == chroma-mod.io/local-hostpath ]] || fail "StorageClass standard is not the local node's"

step "workloads in namespace smoke (no PodSecurity labels: the cluster default 'restricted' applies), on kwok's node (their images exist nowhere)"
kubectl create namespace smoke
cat >"$WORK/workloads.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: smoke}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      securityContext: {runAsNonRoot: true, runAsUser: 1000, seccompProfile: {type: RuntimeDefault}}
      tolerations: [{key: chroma-mod.io/fake-node, operator: Exists, effect: NoSchedule}]
      nodeSelector: {type: kwok}
      containers:
      - name: web
        image: registry.invalid/web:1
        ports: [{containerPort: 8000}]
        readinessProbe: {httpGet: {path: /, port: 8000}}
        securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: smoke}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{port: 8000}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: smoke}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      securityContext: {runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000, seccompProfile: {type: RuntimeDefault}}
      tolerations: [{key: chroma-mod.io/fake-node, operator: Exists, effect: NoSchedule}]
      nodeSelector: {type: kwok}
      containers:
      - name: db
        image: registry.invalid/db:1
        volumeMounts: [{name: data, mountPath: /data}]
        securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
EOF
kubectl apply -f "$WORK/workloads.yaml"
kubectl -n smoke rollout status deployment/web --timeout=120s
kubectl -n smoke rollout status statefulset/db --timeout=120s
kubectl -n smoke get pods,pvc -o wide
for i in 0 1; do
  phase="$(kubectl -n smoke get pvc "data-db-$i" -o jsonpath='{.status.phase}')"
  [[ "$phase" == Bound ]] || fail "PVC data-db-$i is $phase, not Bound"
  sc="$(kubectl -n smoke get pvc "data-db-$i" -o jsonpath='{.spec.storageClassName}')"
  [[ "$sc" == standard ]] || fail "PVC data-db-$i got storage class '$sc', not the default 'standard'"
done

step "kubectl apply --server-side"
cat >"$WORK/ssa.yaml" <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata: {name: ssa, namespace: smoke}
data: {a: "1"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ssa, namespace: smoke}
spec:
  replicas: 1
  selector: {matchLabels: {app: ssa}}
  template:
    metadata: {labels: {app: ssa}}
    spec:
      securityContext: {runAsNonRoot: true, runAsUser: 1000, seccompProfile: {type: RuntimeDefault}}
      containers:
      - name: c
        image: registry.invalid/c:1
        securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
EOF
kubectl apply --server-side --field-manager=smoke -f "$WORK/ssa.yaml"
sed -i 's/a: "1"/a: "2"/' "$WORK/ssa.yaml"
kubectl apply --server-side --field-manager=smoke -f "$WORK/ssa.yaml"
[[ "$(kubectl -n smoke get cm ssa -o jsonpath='{.data.a}')" == 2 ]] || fail "server-side apply did not update the ConfigMap"
kubectl -n smoke rollout status deployment/ssa --timeout=60s

step "PodSecurity rejects a privileged pod"
if kubectl -n smoke run priv --image=registry.invalid/x:1 --overrides='{"spec":{"containers":[{"name":"priv","image":"registry.invalid/x:1","securityContext":{"privileged":true}}]}}' 2>"$WORK/psa.err"; then
  fail "a privileged pod was admitted"
fi
grep -q 'violates PodSecurity "restricted:latest"' "$WORK/psa.err" || fail "unexpected error: $(cat "$WORK/psa.err")"
echo "rejected: $(head -c 160 "$WORK/psa.err")" >&2

step "a user in no group is Forbidden"
NOBODY="$(cli user smoke-nobody)"
if kubectl --kubeconfig="$NOBODY" -n smoke get pods 2>"$WORK/rbac.err"; then fail "smoke-nobody could list pods"; fi
grep -q 'Forbidden\|forbidden' "$WORK/rbac.err" || fail "unexpected error: $(cat "$WORK/rbac.err")"
echo "forbidden: $(head -c 160 "$WORK/rbac.err")" >&2
kubectl --kubeconfig="$NOBODY" auth whoami

step "audit log"
count_admin_writes() {
  node -e '
    const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean);
    const w = new Set(["create","update","patch","delete","deletecollection"]);
    console.log(lines.map(l => JSON.parse(l)).filter(e => w.has(e.verb) && e.user.username === "chroma-mod:admin").length);
  ' "$AUDIT"
}
node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean);
  const ev = lines.map(l => JSON.parse(l)).filter(e => e.user.username === "chroma-mod:admin" && ["create","patch","update"].includes(e.verb));
  for (const e of ev.slice(-6)) console.log(e.verb, e.user.username, JSON.stringify(e.objectRef), e.responseStatus.code);
' "$AUDIT"
before="$(count_admin_writes)"
kubectl get all -A >/dev/null
kubectl -n smoke get pvc,cm -o yaml >/dev/null
after="$(count_admin_writes)"
echo "admin writes in audit log: before reads $before, after reads $after" >&2
[[ "$before" -gt 0 && "$before" == "$after" ]] || fail "audit write count wrong ($before -> $after)"

step "status"
cli status

step "down"
cli down
cli status >/dev/null && fail "status says running after down"
echo "SMOKE OK" >&2
