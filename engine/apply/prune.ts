/**
 * Removal of inventory entries, shared by prune (objects that left the set) and delete (a whole instance): which
 * objects stay, and why, and the deletes in reverse stage order.
 */
import type { KubeObject } from "../../core/types.ts";
import type { ObjectRef } from "../kube/errors.ts";
import { changeOf, type ObjectChange } from "./changeset.ts";
import { type Inventory, type InventoryEntry, refFromEntry } from "./inventory.ts";
import { holdsData, isOwnedBy } from "./labels.ts";
import { groupByStage, mapLimit } from "./order.ts";
import type { Run } from "./run.ts";
import { waitForDeletion } from "./wait.ts";

/**
 * The keep-data rule. PersistentVolumeClaims, objects annotated `chroma-mod.io/keep: "true"` and the Secrets the engine
 * generated hold data: they are never pruned or deleted unless the caller asks for exactly that (`deleteData`, the
 * CLI's `--delete-data`). Returns why the object stays, or undefined when it may go.
 */
function keptForData(entry: InventoryEntry, live: KubeObject, deleteData: boolean): string | undefined {
  if (deleteData || !(entry.generated || holdsData(live))) return undefined;
  const what = live.kind === "PersistentVolumeClaim" ? "a PersistentVolumeClaim" : entry.generated ? "a generated Secret" : "annotated chroma-mod.io/keep";
  return `kept: ${what} holds data (delete data explicitly to remove it)`;
}

/**
 * Why the live object of an inventory entry is not deleted with it: it no longer carries the instance's owner labels
 * (not ours: the entry is dropped), or it holds data (the entry is kept). Undefined when it is deleted.
 */
export function whyStays(run: Run, entry: InventoryEntry, live: KubeObject, deleteData: boolean): { reason: string; keep: boolean } | undefined {
  if (!isOwnedBy(live, run.instance)) return { reason: `not deleted: it no longer carries the owner labels of ${run.label}`, keep: false };
  const data = keptForData(entry, live, deleteData);
  return data ? { reason: data, keep: true } : undefined;
}

/** The entries of the last inventory that the new set no longer has. */
export function leftSet(old: Inventory | undefined, newIds: ReadonlySet<string>): InventoryEntry[] {
  return (old?.entries ?? []).filter((e) => !newIds.has(e.id));
}

export interface RemovalOutcome {
  readonly changes: ObjectChange[];
  /** Entries that stay in the inventory: objects holding data, and the namespaces that still hold such objects. */
  readonly kept: InventoryEntry[];
}

/**
 * Deletes inventory entries in reverse stage order. Objects no longer ours are left alone and dropped; objects holding
 * data, and namespaces that still hold objects of the instance (`holding`, which grows with what is kept), are kept.
 */
export async function removeEntries(
  run: Run,
  entries: readonly InventoryEntry[],
  opts: { action: "pruned" | "deleted"; deleteData: boolean; holding: Set<string>; wait: boolean },
): Promise<RemovalOutcome> {
  const items = entries.map((e) => ({ entry: e, ref: refFromEntry(e) }));
  const changes: ObjectChange[] = [];
  const kept: InventoryEntry[] = [];
  const phase = opts.action === "pruned" ? "prune" : "delete";
  const deleted: ObjectRef[] = [];
  for (const [stage, group] of groupByStage(items, (i) => sortable(i.ref)).reverse()) {
    const results = await mapLimit(group, run.concurrency, async ({ entry, ref }) => {
      const p = { id: entry.id, ref, stage };
      const live = await run.getOrGone(ref);
      if (!live) return { change: changeOf(p, opts.action, "already gone") };
      const stays = whyStays(run, entry, live, opts.deleteData);
      if (stays) return { change: changeOf(p, "skipped", stays.reason), keep: stays.keep ? entry : undefined };
      if (ref.kind === "Namespace" && opts.holding.has(ref.name)) {
        return { change: changeOf(p, "skipped", "kept: the namespace still holds objects of this instance"), keep: entry };
      }
      run.checkAbort();
      await run.client.delete(ref, "Background");
      deleted.push(ref);
      return { change: changeOf(p, opts.action) };
    });
    for (const r of results) {
      changes.push(r.change);
      run.emit(phase, r.change.reason ?? r.change.action, r.change.object, r.change.action);
      if (r.keep) {
        kept.push(r.keep);
        const ns = refFromEntry(r.keep).namespace;
        if (ns) opts.holding.add(ns);
      }
    }
  }
  if (opts.wait) for (const ref of deleted) await waitForDeletion(run.client, ref, run.timeoutMs);
  return { changes, kept };
}

function sortable(ref: ObjectRef) {
  return { apiVersion: ref.apiVersion, kind: ref.kind, metadata: ref };
}
