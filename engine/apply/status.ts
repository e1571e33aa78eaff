/** Status: the readiness of every object an instance's inventory lists, and of the claims its StatefulSets own. */
import { compareQuantities } from "../../core/quantity.ts";
import type { Description, KubeObject } from "../../core/types.ts";
import { refOf } from "../kube/client.ts";
import type { ObjectRef } from "../kube/errors.ts";
import { displayName, objectId } from "./ids.ts";
import { decodeInventory, refFromEntry } from "./inventory.ts";
import { readiness, type ReadinessStatus } from "./kstatus.ts";
import type { InstanceRef } from "./labels.ts";
import type { EngineOptions } from "./options.ts";
import { mapLimit } from "./order.ts";
import { Run } from "./run.ts";
import { claimRequest, ownedClaims, templateRequests } from "./volumes.ts";

export interface StatusResult {
  readonly instance: InstanceRef;
  /** False when the instance has no inventory in the cluster. */
  readonly found: boolean;
  readonly module?: string | undefined;
  readonly valuesDigest?: string | undefined;
  /** The current revision (the last apply of new values; `history` lists them all), when one is recorded. */
  readonly revision?: { readonly revision: number; readonly appliedAt: string; readonly note?: string | undefined } | undefined;
  readonly objects: Array<{ id: string; object: string; ref: ObjectRef; status: ReadinessStatus; message: string }>;
  /** What the module says of the live objects (`describe`), when asked. */
  readonly description?: Description | undefined;
}

/**
 * Readiness of every object in an instance's inventory, and of the claims its StatefulSets own: a claim whose size
 * differs from its volume claim template (in `desired`, the objects the bundle renders now, else the live
 * StatefulSet's) is InProgress, saying so.
 */
export async function status(
  instance: InstanceRef,
  opts: EngineOptions & { desired?: readonly KubeObject[] | undefined; describe?: ((live: readonly KubeObject[]) => Description) | undefined },
): Promise<StatusResult> {
  const run = new Run(opts, instance);
  const inv = decodeInventory(await run.client.get(run.inventoryRef()));
  if (!inv) return { instance, found: false, objects: [] };
  const lives = await mapLimit(inv.entries, run.concurrency, async (e) => {
    const ref = refFromEntry(e);
    const live = await run.getOrGone(ref);
    return { row: { id: e.id, object: displayName(ref), ref, ...readiness(live) }, live };
  });
  const objects: StatusResult["objects"] = lives.map((l) => l.row);
  for (const { live } of lives.filter((l) => l.live?.kind === "StatefulSet")) {
    const sts = live as KubeObject;
    const desired = opts.desired?.find((d) => d.kind === "StatefulSet" && d.metadata.name === sts.metadata.name) ?? sts;
    const want = templateRequests(desired);
    for (const { pvc, template } of await ownedClaims(run.reader, sts)) {
      const ref = refOf(pvc);
      const size = claimRequest(pvc) as string;
      const asked = want.get(template) ?? size;
      const order = compareQuantities(size, asked);
      const state =
        order === 0
          ? readiness(pvc)
          : {
              status: "InProgress" as const,
              message: `requests ${size}, the bundle asks ${asked}: ${order < 0 ? "apply expands it" : "volumes never shrink"}`,
            };
      objects.push({
        id: objectId(pvc),
        object: displayName(ref),
        ref,
        status: state.status,
        message: order === 0 ? `${state.message}, ${size}` : state.message,
      });
    }
  }
  for (const { live } of lives.filter((l) => l.live?.kind === "StatefulSet")) objects.push(...(await podRows(run, live as KubeObject)));
  const description = opts.describe?.(lives.flatMap((l) => (l.live ? [l.live] : [])));
  const last = inv.history?.at(-1);
  const revision = last ? { revision: last.revision, appliedAt: last.appliedAt, ...(last.note ? { note: last.note } : {}) } : undefined;
  return { instance, found: true, module: inv.module, valuesDigest: inv.valuesDigest, ...(revision ? { revision } : {}), objects, description };
}

/** The pods a StatefulSet owns (by owner reference), each with its readiness and its containers' restarts. */
async function podRows(run: Run, sts: KubeObject): Promise<StatusResult["objects"]> {
  const uid = (sts.metadata as { uid?: string }).uid;
  const pods = await run.client.list("v1", "Pod", { namespace: sts.metadata.namespace });
  return pods
    .filter((pod) => (pod.metadata as { ownerReferences?: { uid: string }[] }).ownerReferences?.some((r) => r.uid === uid) === true)
    .map((pod) => {
      const ref = refOf(pod);
      const state = readiness(pod);
      // Every container status has a restart count; a pod not yet started has no container statuses.
      const containers = (pod["status"] as { containerStatuses?: { restartCount: number }[] } | undefined)?.containerStatuses;
      const restarts = (containers ?? []).reduce((n, c) => n + c.restartCount, 0);
      return { id: objectId(pod), object: displayName(ref), ref, status: state.status, message: `${state.message}, restarts ${restarts}` };
    });
}
