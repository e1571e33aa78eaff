/**
 * The bundle around its instances: which instances it held before and no longer holds (and which belong to another
 * bundle), and the namespaces it creates, once each, before any instance.
 */
import type { RenderedInstance } from "../../core/types.ts";
import { namespaceObject } from "../namespaces.ts";
import { ApplyError } from "./errors.ts";
import { decodeInventory, INVENTORY_TYPE, type Inventory, inventoryName } from "./inventory.ts";
import { BUNDLE, INSTANCE, type InstanceRef, MANAGED_BY, TOOL } from "./labels.ts";
import type { ApplyOptions } from "./options.ts";
import { mapLimit } from "./order.ts";
import type { LiveReader } from "./live.ts";
import { type Planned, plan, preflight } from "./plan.ts";
import { concurrencyOf, instanceLabel, Run } from "./run.ts";

/** The instance's inventory is in namespace/name: the same instance. */
function sameInstance(a: InstanceRef, b: InstanceRef): boolean {
  return a.name === b.name && a.namespace === b.namespace;
}

/**
 * What the bundle holds in the cluster (inventories labelled with a bundle, in every namespace): refuses an instance
 * held by another bundle (unless forceConflicts), and returns the instances this bundle held before and no longer
 * holds, when the set is the whole bundle.
 */
export async function leftBundle(instances: readonly RenderedInstance[], opts: ApplyOptions): Promise<Array<{ instance: InstanceRef; inventory: Inventory }>> {
  const bundle = opts.bundle;
  if (!bundle) return [];
  const secrets = await opts.client.list("v1", "Secret", {
    labelSelector: `${MANAGED_BY}=${TOOL},${BUNDLE},${INSTANCE}`,
    fieldSelector: `type=${INVENTORY_TYPE}`,
  });
  const held = secrets.map((s) => ({
    instance: { name: s.metadata.labels![INSTANCE]!, namespace: s.metadata.namespace! },
    bundle: s.metadata.labels![BUNDLE]!,
    inventory: decodeInventory(s),
  }));
  for (const inst of instances) {
    const other = held.find((h) => sameInstance(h.instance, inst) && h.bundle !== bundle.name);
    if (other && !opts.forceConflicts) {
      throw new ApplyError(
        `Instance ${instanceLabel(inst)} belongs to bundle "${other.bundle}" (its inventory Secret ${inventoryName(inst)} says so), not to bundle "${bundle.name}": two bundles would fight over it.`,
        `Rename the instance in one of the bundles, remove it from bundle "${other.bundle}" first, or re-run with --force-conflicts to move it to bundle "${bundle.name}".`,
      );
    }
  }
  if (!bundle.complete) return [];
  // In the order the API server lists them (by namespace, then name). An inventory that cannot be read is left
  // alone: nothing says what to delete.
  const gone = held.filter((h) => h.bundle === bundle.name && h.inventory && !instances.some((i) => sameInstance(i, h.instance)));
  if (bundle.nameFromFile) {
    for (const { instance: ref } of gone) {
      opts.onEvent?.({
        instance: instanceLabel(ref),
        phase: "plan",
        message: `labelled with bundle "${bundle.name}" but not in this bundle: kept, because the bundle's name comes from its file name (another file of that name may own it). Set \`name: "${bundle.name}"\` in the bundle to let apply remove it, or run \`chroma-mod delete\` on a bundle that holds it`,
      });
    }
    return [];
  }
  return gone as Array<{ instance: InstanceRef; inventory: Inventory }>;
}

/** Says, before anything is done, which instances left the bundle and what will happen to them. */
export function announceRemovals(removed: ReadonlyArray<{ instance: InstanceRef }>, opts: ApplyOptions, dryRun: boolean): void {
  for (const { instance: ref } of removed) {
    const what = dryRun ? "apply would delete it" : "deleting it";
    opts.onEvent?.({
      instance: instanceLabel(ref),
      phase: "plan",
      message: `no longer in bundle "${opts.bundle!.name}": ${what} as \`chroma-mod delete\` does (PersistentVolumeClaims and credentials kept)`,
    });
  }
}

/**
 * The namespaces the bundle creates (`createNamespace` on any instance in them), each planned once; their changes are
 * reported with the first instance that lives in each. Labelled managed-by only: several bundles may share one.
 */
function planNamespaces(instances: readonly RenderedInstance[], opts: ApplyOptions, reader: LiveReader): Array<{ run: Run; p: Planned }> {
  const first = new Map<string, RenderedInstance>();
  for (const inst of instances) if (inst.createNamespace && !first.has(inst.namespace)) first.set(inst.namespace, inst);
  return [...first.values()].map((inst) => {
    const obj = namespaceObject(inst.namespace);
    obj.metadata.labels = { ...obj.metadata.labels, [MANAGED_BY]: TOOL };
    return { run: new Run(opts, inst, { reader }), p: plan(obj, false, false) };
  });
}

/** The bundle's namespaces planned, then preflighted (they need no namespace themselves). */
export async function preflightNamespaces(
  instances: readonly RenderedInstance[],
  opts: ApplyOptions,
  collectRefusals: boolean,
  reader: LiveReader,
): Promise<Array<{ run: Run; p: Planned }>> {
  const planned = planNamespaces(instances, opts, reader);
  const checks = { forceConflicts: opts.forceConflicts ?? false, pendingNamespaces: new Set<string>(), collectRefusals };
  await mapLimit(planned, concurrencyOf(opts), ({ run, p }) => preflight(run, p, checks));
  return planned;
}
