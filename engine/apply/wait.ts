/** Waiting for readiness, and explaining why an object is not ready (events, pod conditions, containers). */
import type { KubeObject } from "../../core/types.ts";
import type { KubeClient } from "../kube/client.ts";
import { describeRef, type ObjectRef } from "../kube/errors.ts";
import { ApplyError } from "./errors.ts";
import { displayName } from "./ids.ts";
import { readiness, type ReadinessStatus } from "./kstatus.ts";

export interface ObjectReadiness {
  readonly object: string;
  readonly ref: ObjectRef;
  readonly status: ReadinessStatus;
  readonly message: string;
}

interface PodExplanation {
  readonly name: string;
  readonly phase: string;
  /** Conditions that are not True: `PodScheduled=False Unschedulable: 0/1 nodes are available…` */
  readonly conditions: string[];
  /** `app: waiting CrashLoopBackOff (back-off…) restarts=3` */
  readonly containers: string[];
  readonly events: string[];
}

export interface Explanation extends ObjectReadiness {
  readonly events: string[];
  readonly pods: PodExplanation[];
}

export interface WaitResult {
  readonly ready: boolean;
  readonly timedOut: boolean;
  readonly elapsedMs: number;
  readonly objects: ObjectReadiness[];
  /** For every object not ready at the end: why. */
  readonly explanations: Explanation[];
}

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number | undefined;
  readonly onProgress?: ((message: string) => void) | undefined;
  /** Objects already read in this run and not written since (same ref objects as `refs`): the first check uses them. */
  readonly known?: ReadonlyMap<ObjectRef, KubeObject> | undefined;
}

const POD_OWNERS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"]);

/** Polls until every object is Current, one Failed, or the timeout passes. */
export async function waitForReady(client: KubeClient, refs: readonly ObjectRef[], opts: WaitOptions): Promise<WaitResult> {
  const started = Date.now();
  const interval = opts.intervalMs ?? 1000;
  for (let round = 0; ; round++) {
    const objects = await Promise.all(refs.map((ref) => check(client, ref, round === 0 ? opts.known?.get(ref) : undefined)));
    const pending = objects.filter((o) => o.status !== "Current");
    const failed = pending.some((o) => o.status === "Failed");
    const elapsedMs = Date.now() - started;
    const timedOut = !failed && pending.length > 0 && elapsedMs + interval > opts.timeoutMs;
    if (pending.length === 0 || failed || timedOut) {
      const explanations = await Promise.all(pending.map((o) => explain(client, o)));
      return { ready: pending.length === 0, timedOut, elapsedMs, objects, explanations };
    }
    opts.onProgress?.(`waiting for ${pending.length}/${objects.length}: ${pending.map((o) => `${o.object} (${o.message})`).join(", ")}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

async function check(client: KubeClient, ref: ObjectRef, known: KubeObject | undefined): Promise<ObjectReadiness> {
  const r = readiness(known ?? (await client.get(ref)));
  return { object: displayName(ref), ref, ...r };
}

/** Events of the object and, for workloads, its pods' conditions, container statuses and events. */
export async function explain(client: KubeClient, o: ObjectReadiness): Promise<Explanation> {
  const events = await eventsFor(client, o.ref);
  const pods: PodExplanation[] = [];
  const live = POD_OWNERS.has(o.ref.kind) ? await client.get(o.ref) : undefined;
  const selector = (live?.spec as { selector?: { matchLabels?: Record<string, string> } } | undefined)?.selector?.matchLabels;
  if (selector) {
    const labelSelector = Object.entries(selector)
      .map(([k, v]) => `${k}=${v}`)
      .join(",");
    for (const pod of await client.list("v1", "Pod", { namespace: o.ref.namespace, labelSelector })) pods.push(await explainPod(client, pod));
  }
  return { ...o, events, pods };
}

/**
 * A pod's phase, the conditions that are not True and each container's state, as text. A pod the API server has
 * only just created has no conditions and no container statuses yet (a short --timeout meets one).
 */
export function podSummary(pod: KubeObject): Omit<PodExplanation, "events"> {
  type Cond = { type: string; status: string; reason?: string; message?: string };
  type CS = { name: string; ready: boolean; restartCount: number; state?: Record<string, { reason?: string; message?: string }> };
  const status = (pod.status ?? {}) as { phase?: string; conditions?: Cond[]; containerStatuses?: CS[]; initContainerStatuses?: CS[] };
  const conditions = (status.conditions ?? [])
    .filter((c) => c.status !== "True")
    .map((c) => [`${c.type}=${c.status}`, [c.reason, c.message].filter(Boolean).join(": ")].filter(Boolean).join(" "));
  const containers = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])].map((c) => {
    const [state, detail] = Object.entries(c.state ?? {})[0] ?? ["unknown", {}];
    const state_ = [state, detail.reason, detail.message].filter(Boolean).join(" ");
    return `${c.name}: ${state_}, ready=${c.ready}, restarts=${c.restartCount}`;
  });
  return { name: pod.metadata.name, phase: status.phase ?? "Unknown", conditions, containers };
}

async function explainPod(client: KubeClient, pod: KubeObject): Promise<PodExplanation> {
  const ref = { apiVersion: "v1", kind: "Pod", name: pod.metadata.name, namespace: pod.metadata.namespace };
  return { ...podSummary(pod), events: await eventsFor(client, ref) };
}

async function eventsFor(client: KubeClient, ref: ObjectRef): Promise<string[]> {
  const events = await client.list("v1", "Event", {
    namespace: ref.namespace,
    fieldSelector: `involvedObject.kind=${ref.kind},involvedObject.name=${ref.name}`,
  });
  type Ev = { type: string; reason: string; message: string; count: number };
  return events.map((e) => {
    const ev = e as unknown as Ev;
    return `${ev.type} ${ev.reason}: ${ev.message}${ev.count > 1 ? ` (x${ev.count})` : ""}`;
  });
}

/** Polls until the object is gone (after a delete). */
/**
 * Deletes an object to re-create it (or make room for it) and waits until it is gone; one a finalizer holds is an
 * error, and the next run converges once it is gone.
 */
export async function deleteAndWait(client: KubeClient, ref: ObjectRef, policy: "Background" | "Orphan", timeoutMs: number): Promise<void> {
  await client.delete(ref, policy);
  if (!(await waitForDeletion(client, ref, timeoutMs))) {
    throw new ApplyError(`${describeRef(ref)} was deleted to be re-created but is still there.`, "Check its finalizers (kubectl get -o yaml) and re-run.");
  }
}

export async function waitForDeletion(client: KubeClient, ref: ObjectRef, timeoutMs: number, intervalMs = 500): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while ((await client.get(ref)) !== undefined) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return true;
}
