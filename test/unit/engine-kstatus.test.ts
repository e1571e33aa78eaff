import t from "tap";
import { readiness } from "../../engine/apply/kstatus.ts";

const obj = (kind: string, spec: unknown, status: unknown, meta: Record<string, unknown> = {}) => ({
  apiVersion: "v1",
  kind,
  metadata: { name: "x", ...meta },
  ...(spec === undefined ? {} : { spec }),
  ...(status === undefined ? {} : { status }),
});
const st = (o: ReturnType<typeof obj>) => readiness(o).status;
const msg = (o: ReturnType<typeof obj>) => readiness(o).message;

t.test("generic rules", async (t) => {
  t.same(readiness(undefined), { status: "NotFound", message: "not found" });
  t.equal(msg(obj("ConfigMap", undefined, undefined, { deletionTimestamp: "now" })), "terminating");
  t.equal(st(obj("Foo", {}, { observedGeneration: 1 }, { generation: 2 })), "InProgress");
  t.equal(st(obj("Foo", {}, { conditions: [{ type: "Stalled", status: "True" }] })), "Failed");
  t.equal(msg(obj("Foo", {}, { conditions: [{ type: "Stalled", status: "True", message: "m" }] })), "m");
  t.equal(msg(obj("Foo", {}, { conditions: [{ type: "Reconciling", status: "True" }] })), "reconciling");
  t.equal(msg(obj("Foo", {}, { conditions: [{ type: "Reconciling", status: "True", message: "r" }] })), "r");
  t.equal(msg(obj("Foo", {}, { conditions: [{ type: "Ready", status: "False", reason: "Why" }] })), "Why");
  t.equal(msg(obj("Foo", {}, { conditions: [{ type: "Ready", status: "False", message: "M" }] })), "M");
  t.equal(msg(obj("Foo", {}, { conditions: [{ type: "Ready", status: "False" }] })), "not Ready");
  t.equal(msg(obj("Foo", {}, { conditions: [{ type: "Ready", status: "True" }] })), "Ready");
  t.equal(msg(obj("Foo", undefined, undefined)), "exists");
  for (const k of ["ConfigMap", "Secret", "ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"])
    t.equal(st(obj(k, undefined, undefined)), "Current");
});

t.test("Deployment", async (t) => {
  t.equal(msg(obj("Deployment", {}, {})), "not yet observed by its controller");
  t.equal(
    st(obj("Deployment", {}, { observedGeneration: 1, conditions: [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded" }] })),
    "Failed",
  );
  t.equal(
    msg(
      obj(
        "Deployment",
        {},
        { observedGeneration: 1, conditions: [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded", message: "slow" }] },
      ),
    ),
    "slow",
  );
  t.equal(msg(obj("Deployment", { replicas: 2 }, { observedGeneration: 1, updatedReplicas: 1 })), "1/2 replicas updated");
  t.equal(msg(obj("Deployment", {}, { observedGeneration: 1, updatedReplicas: 1, replicas: 2 })), "1 old replicas pending termination");
  t.equal(msg(obj("Deployment", {}, { observedGeneration: 1, updatedReplicas: 1, replicas: 1 })), "0/1 replicas available");
  t.equal(st(obj("Deployment", {}, { observedGeneration: 1, updatedReplicas: 1, replicas: 1, availableReplicas: 1 })), "Current");
});

t.test("StatefulSet", async (t) => {
  t.equal(st(obj("StatefulSet", {}, {})), "InProgress");
  t.equal(st(obj("StatefulSet", { updateStrategy: { type: "OnDelete" } }, { observedGeneration: 1, readyReplicas: 1 })), "Current");
  t.equal(msg(obj("StatefulSet", { replicas: 2 }, { observedGeneration: 1, readyReplicas: 1 })), "1/2 replicas ready");
  t.equal(msg(obj("StatefulSet", {}, { observedGeneration: 1, readyReplicas: 1 })), "0/1 replicas updated");
  t.equal(
    msg(obj("StatefulSet", {}, { observedGeneration: 1, readyReplicas: 1, updatedReplicas: 1, currentRevision: "a", updateRevision: "b" })),
    "rolling update in progress",
  );
  t.equal(st(obj("StatefulSet", {}, { observedGeneration: 1, readyReplicas: 1, updatedReplicas: 1, currentRevision: "a", updateRevision: "a" })), "Current");
});

t.test("DaemonSet, ReplicaSet, PVC, Pod, Job, CRD, Namespace, Service", async (t) => {
  t.equal(st(obj("DaemonSet", {}, {})), "InProgress");
  t.equal(msg(obj("DaemonSet", {}, { observedGeneration: 1, desiredNumberScheduled: 2, updatedNumberScheduled: 1 })), "1/2 pods updated");
  t.equal(st(obj("DaemonSet", {}, { observedGeneration: 1, desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 2 })), "Current");
  t.equal(st(obj("ReplicaSet", {}, { availableReplicas: 1 })), "Current");
  t.equal(st(obj("ReplicaSet", { replicas: 3 }, { availableReplicas: 1 })), "InProgress");
  t.equal(st(obj("PersistentVolumeClaim", {}, { phase: "Bound" })), "Current");
  t.equal(msg(obj("PersistentVolumeClaim", {}, {})), "phase Pending, not Bound");
  t.equal(st(obj("Pod", {}, { phase: "Succeeded" })), "Current");
  t.equal(msg(obj("Pod", {}, { phase: "Failed", message: "oom" })), "oom");
  t.equal(msg(obj("Pod", {}, { phase: "Failed", reason: "Evicted" })), "Evicted");
  t.equal(msg(obj("Pod", {}, { phase: "Failed" })), "pod failed");
  t.equal(st(obj("Pod", {}, { phase: "Running", conditions: [{ type: "Ready", status: "True" }] })), "Current");
  t.equal(msg(obj("Pod", {}, { phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", message: "0/1 nodes" }] })), "not scheduled: 0/1 nodes");
  t.equal(msg(obj("Pod", {}, { conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable" }] })), "not scheduled: Unschedulable");
  t.equal(msg(obj("Pod", {}, { conditions: [{ type: "PodScheduled", status: "False" }] })), "not scheduled:");
  t.equal(msg(obj("Pod", {}, {})), "phase Pending, not Ready");
  t.equal(msg(obj("Job", {}, { conditions: [{ type: "Failed", status: "True", message: "backoff" }] })), "backoff");
  t.equal(msg(obj("Job", {}, { conditions: [{ type: "Failed", status: "True" }] })), "job failed");
  t.equal(st(obj("Job", {}, { conditions: [{ type: "Complete", status: "True" }] })), "Current");
  t.equal(msg(obj("Job", {}, { active: 1 })), "0 succeeded, 1 active");
  t.equal(st(obj("CustomResourceDefinition", {}, { conditions: [{ type: "Established", status: "True" }] })), "Current");
  t.equal(st(obj("CustomResourceDefinition", {}, {})), "InProgress");
  t.equal(st(obj("Namespace", {}, { phase: "Terminating" })), "InProgress");
  t.equal(st(obj("Namespace", {}, { phase: "Active" })), "Current");
  t.equal(st(obj("Service", { type: "ClusterIP" }, {})), "Current");
  t.equal(st(obj("Service", { type: "LoadBalancer" }, {})), "InProgress");
  t.equal(st(obj("Service", { type: "LoadBalancer" }, { loadBalancer: { ingress: [{ ip: "1.2.3.4" }] } })), "Current");
});
