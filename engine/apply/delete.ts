/** Delete: an instance's objects removed, and its inventory with them, unless something stays. */
import type { ObjectChange } from "./changeset.ts";
import { displayName } from "./ids.ts";
import { decodeInventory } from "./inventory.ts";
import type { InstanceRef } from "./labels.ts";
import type { DestroyOptions } from "./options.ts";
import { removeEntries } from "./prune.ts";
import { Run } from "./run.ts";

export interface DestroyResult {
  readonly instance: InstanceRef;
  readonly changes: ObjectChange[];
  /** "kept" when objects holding data remain: the inventory then lists just them (and the namespaces holding them). */
  readonly inventory: "deleted" | "kept" | "absent";
}

/**
 * Deletes an instance's objects in reverse stage order, as `removeEntries` does (prune.ts). When something is kept,
 * the inventory stays too, listing just what was kept (so a later destroy with deleteData, or a new apply, still knows
 * about it).
 */
export async function destroy(instance: InstanceRef, opts: DestroyOptions): Promise<DestroyResult> {
  const run = new Run(opts, instance);
  const secret = await run.client.get(run.inventoryRef());
  const inv = decodeInventory(secret);
  if (!inv) return { instance, changes: [], inventory: "absent" };
  const removal = await removeEntries(run, inv.entries, {
    action: "deleted",
    deleteData: opts.deleteData ?? false,
    holding: new Set(),
    wait: opts.wait ?? false,
  });
  if (removal.kept.length) {
    await run.writeInventory({ ...inv, entries: removal.kept }, secret);
    return { instance, changes: removal.changes, inventory: "kept" };
  }
  run.checkAbort();
  await run.client.delete(run.inventoryRef());
  run.emit("delete", "inventory deleted", displayName(run.inventoryRef()), "deleted");
  return { instance, changes: removal.changes, inventory: "deleted" };
}
