/**
 * What the node agent writes through the API server: the Node and its Lease (heartbeats), pod status, events, and
 * a pod's final deletion. All requests go through the project's one client (engine/kube/client.ts).
 */
import { cpus, hostname, totalmem } from "node:os";
import type { KubeClient } from "../../engine/kube/client.ts";
import type { KubeObject } from "../../core/types.ts";

/** The node whose agent runs pods as local processes (kwok's fake node is `local-node-0`). */
export const PROCESS_NODE_NAME = "local-node";
export const AGENT_FIELD_MANAGER = "chroma-mod-local-node";
/** The taint of kwok's node: only pods that tolerate it (test fixtures) go to the fake node. */
export const FAKE_NODE_TAINT = { key: "chroma-mod.io/fake-node", value: "kwok", effect: "NoSchedule" } as const;

export interface Pod extends KubeObject {
  metadata: KubeObject["metadata"] & { uid: string; deletionTimestamp?: string; deletionGracePeriodSeconds?: number };
  spec: import("./runner/pod-spec.ts").PodSpec & { nodeName?: string; serviceAccountName?: string };
  status?: { phase?: string };
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");

/** The Node object (labels, addresses, capacity, Ready) applied at the agent's start and at every heartbeat. */
export async function applyNode(client: KubeClient, name: string, k8sVersion: string): Promise<void> {
  await client.apply(
    {
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name,
        labels: { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", type: "local-processes" },
      },
    },
    { force: true },
  );
  await heartbeat(client, name, k8sVersion);
}

export async function heartbeat(client: KubeClient, name: string, k8sVersion: string): Promise<void> {
  const t = now();
  const cond = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    reason,
    message,
    lastHeartbeatTime: t,
    lastTransitionTime: t,
  });
  const resources = { cpu: String(cpus().length), memory: `${Math.floor(totalmem() / 1024 / 1024)}Mi`, pods: "110", "ephemeral-storage": "100Gi" };
  await client.apply(
    {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name },
      status: {
        capacity: resources,
        allocatable: resources,
        conditions: [
          cond("Ready", "True", "KubeletReady", "chroma-mod's local node runs pods as processes"),
          cond("MemoryPressure", "False", "KubeletHasSufficientMemory", "ok"),
          cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "ok"),
          cond("PIDPressure", "False", "KubeletHasSufficientPID", "ok"),
        ],
        addresses: [
          { type: "InternalIP", address: "127.0.0.1" },
          { type: "Hostname", address: hostname() },
        ],
        nodeInfo: {
          machineID: "",
          systemUUID: "",
          bootID: "",
          kernelVersion: "",
          osImage: "",
          containerRuntimeVersion: "chroma-mod-local://processes",
          kubeletVersion: k8sVersion,
          kubeProxyVersion: "",
          operatingSystem: "linux",
          architecture: "amd64",
        },
      },
    },
    { force: true, subresource: "status" },
  );
  await client.apply(
    {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { name, namespace: "kube-node-lease" },
      spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: new Date().toISOString().replace("Z", "000Z") },
    },
    { force: true },
  );
}

/** Replaces the pod's status fields the node owns (a merge patch: lists are replaced whole). */
export async function patchPodStatus(client: KubeClient, pod: Pod, status: Record<string, unknown>): Promise<void> {
  await client.raw({
    method: "PATCH",
    path: `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}/status`,
    body: { metadata: { uid: pod.metadata.uid }, status },
    contentType: "application/merge-patch+json",
  });
}

/** An event about the pod, as a kubelet records it (reason, message, Normal or Warning). */
export async function podEvent(client: KubeClient, node: string, pod: Pod, type: "Normal" | "Warning", reason: string, message: string): Promise<void> {
  const t = now();
  await client.raw({
    method: "POST",
    path: `/api/v1/namespaces/${pod.metadata.namespace}/events`,
    body: {
      apiVersion: "v1",
      kind: "Event",
      metadata: { generateName: `${pod.metadata.name}.`, namespace: pod.metadata.namespace },
      involvedObject: { apiVersion: "v1", kind: "Pod", name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid },
      reason,
      message,
      type,
      source: { component: "chroma-mod-local-node", host: node },
      reportingComponent: "chroma-mod-local-node",
      reportingInstance: node,
      firstTimestamp: t,
      lastTimestamp: t,
      count: 1,
    },
  });
}

/** The pod's final deletion once its processes are gone (grace 0, only this very pod: uid precondition). */
export async function finalizeDeletion(client: KubeClient, pod: Pod): Promise<void> {
  await client.raw({
    method: "DELETE",
    path: `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`,
    body: { apiVersion: "v1", kind: "DeleteOptions", gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } },
  });
}

/**
 * A pod this node ran before it started again (`local down`/`up`, a crash): nothing of it runs yet, so it is not
 * ready, until its worker has started it and its probes say so.
 */
export async function markNotReady(client: KubeClient, pod: Pod): Promise<void> {
  const status = (pod.status ?? {}) as { conditions?: { type: string; status: string }[]; containerStatuses?: Record<string, unknown>[] };
  const notReady = new Set(["Ready", "ContainersReady"]);
  await patchPodStatus(client, pod, {
    conditions: (status.conditions ?? []).map((c) =>
      notReady.has(c.type) ? { ...c, status: "False", reason: "ContainersNotReady", lastTransitionTime: now() } : c,
    ),
    containerStatuses: (status.containerStatuses ?? []).map((c) => ({
      ...c,
      ready: false,
      started: false,
      state: { waiting: { reason: "ContainerCreating", message: "the local node starts it again" } },
    })),
  });
}

export { now as timestamp };
