/**
 * Volumes without a fixed pool: the node agent provisions a hostPath PersistentVolume for each claim of the local
 * StorageClass (`chroma-mod.io/local-hostpath`, an external provisioner in Kubernetes' terms: the controller
 * manager's PV controller annotates the claim and binds the volume the agent creates, pre-bound to the claim).
 * The reclaim policy is Retain: a deleted claim leaves its volume Released with its data, until `chroma-mod local
 * prune` deletes the volumes no claim holds any more (and their directories: ../volumes.ts).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { KubeClient } from "../../engine/kube/client.ts";
import type { KubeObject } from "../../core/types.ts";

import { PROVISIONED_BY, PROVISIONER } from "../volumes.ts";

interface Claim extends KubeObject {
  metadata: KubeObject["metadata"] & { uid: string; annotations?: Record<string, string>; deletionTimestamp?: string };
  spec: { accessModes?: string[]; resources?: { requests?: { storage?: string } }; storageClassName?: string; volumeName?: string; volumeMode?: string };
  status?: { phase?: string };
}

/** The PersistentVolume name the agent gives a claim's volume (one per claim uid, as other provisioners do). */
function volumeName(claim: Claim): string {
  return `pvc-${claim.metadata.uid}`;
}

/** One pass: a volume for every pending claim that waits for this provisioner. Returns the names created. */
export async function provisionPending(client: KubeClient, pvDir: string, log: (line: string) => void): Promise<string[]> {
  const claims = (await client.list("v1", "PersistentVolumeClaim", {})) as Claim[];
  const created: string[] = [];
  for (const claim of claims) {
    const a = claim.metadata.annotations ?? {};
    const wanted = a["volume.kubernetes.io/storage-provisioner"] ?? a["volume.beta.kubernetes.io/storage-provisioner"];
    if (wanted !== PROVISIONER || claim.status?.phase !== "Pending" || claim.spec.volumeName || claim.metadata.deletionTimestamp) continue;
    const name = volumeName(claim);
    const dir = join(pvDir, name);
    mkdirSync(dir, { recursive: true });
    const res = await client.raw({
      method: "POST",
      path: "/api/v1/persistentvolumes",
      body: {
        apiVersion: "v1",
        kind: "PersistentVolume",
        metadata: { name, annotations: { [PROVISIONED_BY]: PROVISIONER } },
        spec: {
          capacity: { storage: claim.spec.resources?.requests?.storage ?? "1Gi" },
          accessModes: claim.spec.accessModes ?? ["ReadWriteOnce"],
          storageClassName: claim.spec.storageClassName,
          persistentVolumeReclaimPolicy: "Retain",
          volumeMode: claim.spec.volumeMode ?? "Filesystem",
          hostPath: { path: dir, type: "DirectoryOrCreate" },
          claimRef: {
            apiVersion: "v1",
            kind: "PersistentVolumeClaim",
            namespace: claim.metadata.namespace,
            name: claim.metadata.name,
            uid: claim.metadata.uid,
          },
        },
      },
    });
    if (res.status === 201) {
      created.push(name);
      log(`provisioned ${name} (${dir}) for claim ${claim.metadata.namespace}/${claim.metadata.name}`);
    } else if (res.status !== 409) {
      log(`could not provision a volume for ${claim.metadata.namespace}/${claim.metadata.name}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    }
  }
  return created;
}
