/**
 * The local node's volumes as `local status` shows them, and `local prune`: deleting the volumes no claim holds any
 * more (Released: their claim was deleted; the reclaim policy is Retain) with their data. The agent provisions them
 * (node/provisioner.ts).
 */
import { rmSync } from "node:fs";
import type { KubeObject } from "../core/types.ts";
import { waitForDeletion } from "../engine/apply/wait.ts";
import type { KubeClient } from "../engine/kube/client.ts";

/** The local StorageClass's provisioner: the local node's agent. */
export const PROVISIONER = "chroma-mod.io/local-hostpath";
export const PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";

export interface LocalVolume {
  readonly name: string;
  readonly phase: string;
  readonly capacity: string;
  /** namespace/name of the claim it was made for (it may be gone). */
  readonly claim: string;
  readonly path: string;
}

interface Volume extends KubeObject {
  spec: { capacity?: { storage?: string }; claimRef?: { namespace?: string; name?: string }; hostPath?: { path?: string } };
  status?: { phase?: string };
}

/** Every volume the local node provisioned. */
export async function localVolumes(client: KubeClient): Promise<LocalVolume[]> {
  const all = (await client.list("v1", "PersistentVolume", {})) as Volume[];
  return all
    .filter((v) => v.metadata.annotations?.[PROVISIONED_BY] === PROVISIONER)
    .map((v) => ({
      name: v.metadata.name,
      // The API server gives every volume a phase and requires a capacity.
      phase: String(v.status?.phase),
      capacity: String(v.spec.capacity?.storage),
      claim: v.spec.claimRef ? `${v.spec.claimRef.namespace}/${v.spec.claimRef.name}` : "",
      path: v.spec.hostPath?.path ?? "",
    }));
}

/**
 * Deletes the volumes no claim holds any more (Released: their claim was deleted) and their data directories,
 * only those under `pvDir`. Returns the names deleted.
 */
export async function pruneReleased(client: KubeClient, pvDir: string): Promise<LocalVolume[]> {
  const pruned: LocalVolume[] = [];
  for (const v of await localVolumes(client)) {
    if (v.phase !== "Released") continue;
    // A refusal throws (the data stays); gone meanwhile is done. The API server removes the volume a moment after
    // the delete (its pv-protection finalizer): wait for that (up to a minute), so a listing after prune is current.
    const ref = { apiVersion: "v1", kind: "PersistentVolume", name: v.name };
    await client.delete(ref);
    await waitForDeletion(client, ref, 60_000, 200);
    if (v.path.startsWith(`${pvDir}/`)) rmSync(v.path, { recursive: true, force: true });
    pruned.push(v);
  }
  return pruned;
}
