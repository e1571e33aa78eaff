/**
 * What a fresh cluster needs before anything runs on it, applied (server-side) at every start: the kwok node, the
 * default StorageClass and a pool of hostPath PersistentVolumes; and the checks that the control plane works on
 * them. Also gives the pool's released volumes back.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { KubeClient } from "../engine/kube/client.ts";
import { adminClient, refusals } from "./api.ts";
import { pathsOf, type LocalClusterPaths } from "./paths.ts";
import { notRunning } from "./report.ts";
import { readState } from "./state.ts";
import type { LocalClusterOptions } from "./types.ts";

export const LOCAL_NODE_NAME = "local-node-0";
export const STORAGE_CLASS = "standard";
/** Label on the pre-created PersistentVolumes. */
const PV_LABEL = "chroma-mod.local/pool";

function pvName(i: number): string {
  return `local-pv-${String(i).padStart(2, "0")}`;
}

/** Apply the node (and its capacity), the StorageClass and `pvCount` PersistentVolumes of `pvSize`. */
export async function bootstrapObjects(client: KubeClient, paths: LocalClusterPaths, pvCount: number, pvSize: string): Promise<void> {
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
    },
    { force: true },
  );
  const resources = { cpu: "32", memory: "128Gi", pods: "250", "ephemeral-storage": "500Gi" };
  await client.apply(
    { apiVersion: "v1", kind: "Node", metadata: { name: LOCAL_NODE_NAME }, status: { capacity: resources, allocatable: resources } },
    { force: true, subresource: "status" },
  );
  await client.apply(
    {
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: STORAGE_CLASS, annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      provisioner: "kubernetes.io/no-provisioner",
      volumeBindingMode: "Immediate",
      reclaimPolicy: "Retain",
    },
    { force: true },
  );
  for (let i = 0; i < pvCount; i++) {
    const name = pvName(i);
    const dir = join(paths.pvDir, name);
    mkdirSync(dir, { recursive: true });
    await client.apply(
      {
        apiVersion: "v1",
        kind: "PersistentVolume",
        metadata: { name, labels: { [PV_LABEL]: "true" } },
        spec: {
          capacity: { storage: pvSize },
          accessModes: ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany"],
          storageClassName: STORAGE_CLASS,
          persistentVolumeReclaimPolicy: "Retain",
          volumeMode: "Filesystem",
          hostPath: { path: dir, type: "DirectoryOrCreate" },
        },
      },
      { force: true },
    );
  }
}

/** kwok has taken the node on: its Ready condition is True. */
export async function nodeReady(client: KubeClient): Promise<boolean> {
  const node = await client.get({ apiVersion: "v1", kind: "Node", name: LOCAL_NODE_NAME });
  const status = node?.["status"] as { conditions?: { type: string; status: string }[] } | undefined;
  return status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true;
}

/** The controller manager has made namespace default's ServiceAccount (pods can be created). */
export async function defaultServiceAccount(client: KubeClient): Promise<boolean> {
  const r = await client.raw({ method: "GET", path: "/api/v1/namespaces/default/serviceaccounts/default" });
  return r.status === 200;
}

/**
 * Make the pool's Released PersistentVolumes (their claim was deleted; reclaim policy Retain) Available
 * again by dropping their claimRef. Returns the names made available.
 */
export async function recycleVolumes(opts: LocalClusterOptions = {}): Promise<string[]> {
  const paths = pathsOf(opts);
  const st = readState(paths);
  if (st === null || st.stoppedAt !== undefined) throw notRunning(paths);
  const client = adminClient(paths);
  try {
    return await refusals(paths, async () => {
      const done: string[] = [];
      for (const pv of await client.list("v1", "PersistentVolume", { labelSelector: `${PV_LABEL}=true` })) {
        if ((pv["status"] as { phase?: string } | undefined)?.phase !== "Released") continue;
        const uid = (pv["spec"] as { claimRef?: { uid?: string } }).claimRef?.uid;
        // The test op turns this into a refused no-op when someone else recycled it and it was bound again meanwhile.
        const p = await client.raw({
          method: "PATCH",
          path: `/api/v1/persistentvolumes/${pv.metadata.name}`,
          body: [
            { op: "test", path: "/spec/claimRef/uid", value: uid },
            { op: "remove", path: "/spec/claimRef" },
          ],
          contentType: "application/json-patch+json",
        });
        if (p.status === 200) done.push(pv.metadata.name);
      }
      return done;
    });
  } finally {
    client.close();
  }
}
