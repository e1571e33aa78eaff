/** Readiness of one live object, after kstatus (sigs.k8s.io/cli-utils) rules. Pure. */
import type { KubeObject } from "../../core/types.ts";

export type ReadinessStatus = "Current" | "InProgress" | "Failed" | "NotFound";

export interface Readiness {
  readonly status: ReadinessStatus;
  readonly message: string;
}

interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
}

type Status = Record<string, unknown> & { conditions?: Condition[] };

const num = (v: unknown, d = 0): number => (typeof v === "number" ? v : d);
const ready = (message: string): Readiness => ({ status: "Current", message });
const progress = (message: string): Readiness => ({ status: "InProgress", message });

function condition(status: Status, type: string): Condition | undefined {
  return (status.conditions ?? []).find((c) => c.type === type);
}

/** The readiness of `obj` (undefined = it does not exist). */
export function readiness(obj: KubeObject | undefined): Readiness {
  if (!obj) return { status: "NotFound", message: "not found" };
  if (obj.metadata.deletionTimestamp) return progress("terminating");
  const status = (obj.status ?? {}) as Status;
  const generation = obj.metadata.generation;
  if (typeof generation === "number" && "observedGeneration" in status && status.observedGeneration !== generation) {
    return progress(`generation ${generation} not yet observed (at ${String(status.observedGeneration)})`);
  }
  const stalled = condition(status, "Stalled");
  if (stalled?.status === "True") return { status: "Failed", message: stalled.message ?? "stalled" };
  const reconciling = condition(status, "Reconciling");
  if (reconciling?.status === "True") return progress(reconciling.message ?? "reconciling");
  const spec = (obj.spec ?? {}) as Record<string, unknown>;
  switch (obj.kind) {
    case "ConfigMap":
    case "Secret":
    case "ServiceAccount":
    case "Role":
    case "RoleBinding":
    case "ClusterRole":
    case "ClusterRoleBinding":
      return ready("exists");
    case "Deployment":
      return deployment(spec, status);
    case "StatefulSet":
      return statefulSet(spec, status);
    case "DaemonSet":
      return daemonSet(status);
    case "ReplicaSet":
      return replicas(num(spec.replicas, 1), status, "availableReplicas", "available");
    case "PersistentVolumeClaim":
      return status.phase === "Bound" ? ready("Bound") : progress(`phase ${String(status.phase ?? "Pending")}, not Bound`);
    case "Pod":
      return pod(status);
    case "Job":
      return job(status);
    case "CustomResourceDefinition":
      return condition(status, "Established")?.status === "True" ? ready("established") : progress("not yet established");
    case "Namespace":
      return status.phase === "Terminating" ? progress("terminating") : ready("active");
    case "Service":
      return service(spec, status);
    default: {
      const r = condition(status, "Ready");
      if (r && r.status !== "True") return progress(r.message ?? r.reason ?? "not Ready");
      return ready(r ? "Ready" : "exists");
    }
  }
}

function needsObservedGeneration(status: Status): Readiness | undefined {
  return "observedGeneration" in status ? undefined : progress("not yet observed by its controller");
}

function replicas(want: number, status: Status, field: string, what: string): Readiness {
  const have = num(status[field]);
  return have < want ? progress(`${have}/${want} replicas ${what}`) : ready(`${want}/${want} replicas ${what}`);
}

function deployment(spec: Record<string, unknown>, status: Status): Readiness {
  const unobserved = needsObservedGeneration(status);
  if (unobserved) return unobserved;
  const progressing = condition(status, "Progressing");
  if (progressing?.reason === "ProgressDeadlineExceeded") return { status: "Failed", message: progressing.message ?? "progress deadline exceeded" };
  const want = num(spec.replicas, 1);
  const updated = num(status.updatedReplicas);
  if (updated < want) return progress(`${updated}/${want} replicas updated`);
  if (num(status.replicas) > updated) return progress(`${num(status.replicas) - updated} old replicas pending termination`);
  return replicas(want, status, "availableReplicas", "available");
}

function statefulSet(spec: Record<string, unknown>, status: Status): Readiness {
  const unobserved = needsObservedGeneration(status);
  if (unobserved) return unobserved;
  const want = num(spec.replicas, 1);
  const strategy = (spec.updateStrategy ?? {}) as { type?: string };
  if (strategy.type === "OnDelete") return replicas(want, status, "readyReplicas", "ready");
  const r = replicas(want, status, "readyReplicas", "ready");
  if (r.status !== "Current") return r;
  if (num(status.updatedReplicas) < want) return progress(`${num(status.updatedReplicas)}/${want} replicas updated`);
  if (status.updateRevision !== status.currentRevision) return progress("rolling update in progress");
  return r;
}

function daemonSet(status: Status): Readiness {
  const unobserved = needsObservedGeneration(status);
  if (unobserved) return unobserved;
  const want = num(status.desiredNumberScheduled);
  if (num(status.updatedNumberScheduled) < want) return progress(`${num(status.updatedNumberScheduled)}/${want} pods updated`);
  return replicas(want, status, "numberAvailable", "available");
}

function pod(status: Status): Readiness {
  if (status.phase === "Succeeded") return ready("succeeded");
  if (status.phase === "Failed") return { status: "Failed", message: String(status.message ?? status.reason ?? "pod failed") };
  const r = condition(status, "Ready");
  if (r?.status === "True") return ready("Ready");
  const scheduled = condition(status, "PodScheduled");
  if (scheduled?.status === "False") return progress(`not scheduled: ${scheduled.message ?? scheduled.reason ?? ""}`.trim());
  return progress(`phase ${String(status.phase ?? "Pending")}, not Ready`);
}

function job(status: Status): Readiness {
  if (condition(status, "Failed")?.status === "True") return { status: "Failed", message: condition(status, "Failed")?.message ?? "job failed" };
  if (condition(status, "Complete")?.status === "True") return ready("complete");
  return progress(`${num(status.succeeded)} succeeded, ${num(status.active)} active`);
}

function service(spec: Record<string, unknown>, status: Status): Readiness {
  if (spec.type !== "LoadBalancer") return ready("exists");
  const ingress = ((status.loadBalancer ?? {}) as { ingress?: unknown[] }).ingress ?? [];
  return ingress.length ? ready("load balancer ready") : progress("waiting for a load balancer address");
}
