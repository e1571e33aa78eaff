/**
 * What a fresh cluster needs before anything runs on it, applied (server-side) at every start: kwok's node and the
 * default StorageClass; the checks that the control plane works on them; and the local volumes' listing and pruning.
 */
import type { KubeObject } from "../core/types.ts";
import type { KubeClient } from "../engine/kube/client.ts";
import { adminClient, refusals } from "./api.ts";
import { FAKE_NODE_TAINT } from "./node/kube.ts";
import { localVolumes, pruneReleased, PROVISIONER, type LocalVolume } from "./volumes.ts";
import { pathsOf } from "./paths.ts";
import { notRunning } from "./report.ts";
import { readState } from "./state.ts";
import type { LocalClusterOptions } from "./types.ts";

export const LOCAL_NODE_NAME = "local-node-0";
export const STORAGE_CLASS = "standard";
/**
 * Apply kwok's node (tainted: only pods that tolerate ${FAKE_NODE_TAINT.key} go there; every other pod goes to the
 * local node, which runs it for real) and the default StorageClass, whose volumes the local node provisions.
 */
export async function bootstrapObjects(client: KubeClient): Promise<void> {
  await client.apply(
    {
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name: LOCAL_NODE_NAME,
        annotations: { "kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0" },
        labels: {
          "kubernetes.io/hostname": LOCAL_NODE_NAME,
          "kubernetes.io/os": "linux",
          "kubernetes.io/arch": "amd64",
          "node-role.kubernetes.io/agent": "",
          type: "kwok",
        },
      },
      spec: { taints: [FAKE_NODE_TAINT] },
    },
    { force: true },
  );
  const resources = { cpu: "32", memory: "128Gi", pods: "250", "ephemeral-storage": "500Gi" };
  await client.apply(
    { apiVersion: "v1", kind: "Node", metadata: { name: LOCAL_NODE_NAME }, status: { capacity: resources, allocatable: resources } },
    { force: true, subresource: "status" },
  );
  // provisioner and volumeBindingMode are immutable: a StorageClass of an older cluster (the fixed pool's
  // kubernetes.io/no-provisioner) is replaced.
  const sc = await client.get({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", name: STORAGE_CLASS });
  if (sc && (sc as { provisioner?: string }).provisioner !== PROVISIONER) {
    await client.delete({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", name: STORAGE_CLASS });
  }
  await client.apply(
    {
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: STORAGE_CLASS, annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      provisioner: PROVISIONER,
      volumeBindingMode: "Immediate",
      reclaimPolicy: "Retain",
    },
    { force: true },
  );
}

/**
 * `name`'s kubelet (kwok, the local node's agent) has taken the node on: its Ready condition is True, and with
 * `since`, was last reported at or after that time (not by the kubelet of a previous start).
 */
export async function nodeReady(client: KubeClient, name: string = LOCAL_NODE_NAME, since?: Date): Promise<boolean> {
  const node = await client.get({ apiVersion: "v1", kind: "Node", name });
  const status = node?.["status"] as { conditions?: { type: string; status: string; lastHeartbeatTime?: string }[] } | undefined;
  const ready = status?.conditions?.find((c) => c.type === "Ready" && c.status === "True");
  return ready !== undefined && (since === undefined || Date.parse(String(ready.lastHeartbeatTime)) >= Math.floor(since.getTime() / 1000) * 1000);
}

/**
 * Every StatefulSet's status counts no more ready replicas than it has Ready pods: after a restart the local node
 * marks the pods it ran before not ready (their processes are gone until it starts them again), and a status the
 * StatefulSet controller has not recomputed yet would tell `apply --wait` they are ready.
 */
export async function statefulSetsCaughtUp(client: KubeClient): Promise<boolean> {
  return readyCountsCaughtUp(await client.list("v1", "Pod", {}), await client.list("apps/v1", "StatefulSet", {}));
}

/** Whether no StatefulSet of `sets` counts more ready replicas than `pods` holds Ready pods it owns. */
export function readyCountsCaughtUp(pods: readonly KubeObject[], sets: readonly KubeObject[]): boolean {
  const readyByOwner = new Map<string, number>();
  for (const pod of pods) {
    const conditions = (pod["status"] as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
    const ready = Number(conditions.some((c) => c.type === "Ready" && c.status === "True"));
    const owners = (pod.metadata as { ownerReferences?: { uid: string }[] }).ownerReferences ?? [];
    for (const ref of owners) readyByOwner.set(ref.uid, (readyByOwner.get(ref.uid) ?? 0) + ready);
  }
  return sets.every(
    (s) => ((s["status"] as { readyReplicas?: number } | undefined)?.readyReplicas ?? 0) <= (readyByOwner.get((s.metadata as { uid?: string }).uid ?? "") ?? 0),
  );
}

/** The controller manager has made namespace default's ServiceAccount (pods can be created). */
export async function defaultServiceAccount(client: KubeClient): Promise<boolean> {
  const r = await client.raw({ method: "GET", path: "/api/v1/namespaces/default/serviceaccounts/default" });
  return r.status === 200;
}

/** Runs `fn` with an admin client of the running cluster the options name. */
async function withCluster<T>(opts: LocalClusterOptions, fn: (client: KubeClient, pvDir: string) => Promise<T>): Promise<T> {
  const paths = pathsOf(opts);
  const st = readState(paths);
  if (st === null || st.stoppedAt !== undefined) throw notRunning(paths);
  const client = adminClient(paths);
  try {
    return await refusals(paths, () => fn(client, paths.pvDir));
  } finally {
    client.close();
  }
}

/** The local node's volumes: bound ones and those whose claim is gone (Released, data kept). */
export function volumes(opts: LocalClusterOptions = {}): Promise<LocalVolume[]> {
  return withCluster(opts, (client) => localVolumes(client));
}

/** Deletes the Released volumes (no claim holds them any more) and their data; returns what it deleted. */
export function pruneVolumes(opts: LocalClusterOptions = {}): Promise<LocalVolume[]> {
  return withCluster(opts, (client, pvDir) => pruneReleased(client, pvDir));
}
