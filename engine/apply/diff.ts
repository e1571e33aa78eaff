/**
 * Diff: what apply would do, from the same plan and preflight (server-side dry-runs), as per-object YAML diffs with
 * Secret values masked. Nothing is written.
 */
import YAML from "yaml";
import type { KubeObject, RenderedInstance } from "../../core/types.ts";
import { announceRemovals, leftBundle, preflightNamespaces } from "./bundle.ts";
import { type ChangeAction, type ChangeSubject, changeOf, hasChanges, type ObjectChange, resizeChange, sortChanges } from "./changeset.ts";
import { displayName } from "./ids.ts";
import { type Inventory, type InventoryEntry, refFromEntry } from "./inventory.ts";
import type { InstanceRef } from "./labels.ts";
import { LiveReader } from "./live.ts";
import { maskSecretPair } from "./mask.ts";
import { normalize } from "./normalize.ts";
import type { ApplyOptions } from "./options.ts";
import { mapLimit, stageOf } from "./order.ts";
import { type Planned, planInstance } from "./plan.ts";
import { leftSet, whyStays } from "./prune.ts";
import { concurrencyOf, instanceLabel, instancesAtOnce, Run } from "./run.ts";
import { unifiedDiff } from "./textdiff.ts";

interface ObjectDiff extends ObjectChange {
  /** Unified diff of the YAML, live → merged, Secret values masked; "" when unchanged. */
  readonly diff: string;
}

export interface DiffResult {
  readonly instance: InstanceRef;
  readonly changes: ObjectDiff[];
  /** Whether the changes change anything (`hasChanges`, changeset.ts); always true for an instance that left the bundle. */
  readonly changed: boolean;
  /** The instance left the bundle: apply would delete it as destroy does. */
  readonly removed?: true | undefined;
}

function toYaml(obj: KubeObject | undefined): string {
  return obj ? YAML.stringify(obj, { lineWidth: 0 }) : "";
}

function objectDiff(p: ChangeSubject, action: ChangeAction, before: KubeObject | undefined, after: KubeObject | undefined, reason?: string): ObjectDiff {
  const [b, a] = maskSecretPair(before && normalize(before), after && normalize(after));
  const name = displayName(p.ref);
  const diff = unifiedDiff(toYaml(b), toYaml(a), { before: b ? `live/${name}` : "/dev/null", after: a ? `merged/${name}` : "/dev/null" });
  return { ...changeOf(p, action, reason), diff };
}

/** The diff of one planned object: what apply will do to it, or why apply will refuse or fail. */
function plannedDiff(p: Planned, opts: ApplyOptions): ObjectDiff {
  const [shrink] = p.volumeRefusals ?? [];
  if (shrink) return objectDiff(p, "configured", p.live, undefined, `apply will refuse: ${shrink.message}`);
  if (p.recreate && !p.grow) {
    const why = opts.force ? "will be deleted and re-created" : "apply will refuse without --force";
    return objectDiff(p, "configured", p.live, undefined, `immutable ${p.recreate.fields.join(", ")} changed: ${why}`);
  }
  if (p.refusal) return objectDiff(p, p.action, p.live, undefined, `apply will fail: ${p.refusal.message}`);
  // Nothing to show (and often decided without a merged object to show it with).
  if (p.action === "unchanged") return { ...changeOf(p, "unchanged", p.reason), diff: "" };
  return objectDiff(p, p.action, p.live, p.merged ?? p.obj, p.reason);
}

/** What removing inventory entries would do: deletions (with their diff), or why an object stays (prune.ts). */
async function removalDiffs(run: Run, entries: readonly InventoryEntry[], action: "pruned" | "deleted", deleteData: boolean): Promise<ObjectDiff[]> {
  const changes: ObjectDiff[] = [];
  for (const entry of entries) {
    const ref = refFromEntry(entry);
    const p = { id: entry.id, ref, stage: stageOf(ref) };
    const live = await run.getOrGone(ref);
    if (!live) continue;
    const stays = whyStays(run, entry, live, deleteData);
    changes.push(stays ? objectDiff(p, "skipped", undefined, undefined, stays.reason) : objectDiff(p, action, live, undefined));
  }
  return changes;
}

async function diffInstance(
  inst: RenderedInstance,
  opts: ApplyOptions,
  bundleNamespaces: ReadonlySet<string>,
  namespaceDiffs: readonly ObjectDiff[],
  reader: LiveReader,
): Promise<DiffResult> {
  const run = new Run(opts, inst, { reader });
  const { inventory: oldInv, planned } = await planInstance(run, inst, bundleNamespaces, {
    forceConflicts: opts.forceConflicts ?? false,
    collectRefusals: true,
  });
  const changes: ObjectDiff[] = [...namespaceDiffs];
  for (const p of planned) {
    for (const r of p.resizes ?? []) {
      const rp = resizeChange(r);
      changes.push(
        r.refusal
          ? objectDiff(rp, "configured", r.live, undefined, `apply will refuse: ${r.refusal.message}`)
          : objectDiff(rp, "configured", r.live, r.merged, rp.reason),
      );
    }
    changes.push(plannedDiff(p, opts));
  }
  const gone = leftSet(oldInv, new Set(planned.map((p) => p.id)));
  changes.push(...(await removalDiffs(run, gone, "pruned", opts.deleteData ?? false)));
  sortChanges(changes);
  return { instance: { name: inst.name, namespace: inst.namespace }, changes, changed: hasChanges(changes) };
}

/** What apply would do to an instance that left the bundle: delete it as destroy does. */
async function diffRemoval(ref: InstanceRef, inventory: Inventory, opts: ApplyOptions): Promise<DiffResult> {
  const run = new Run(opts, ref);
  const changes = sortChanges(await removalDiffs(run, inventory.entries, "deleted", opts.deleteData ?? false), true);
  return { instance: ref, changes, changed: true, removed: true };
}

/**
 * Server-side dry-run of a bundle's instances against the cluster: per-object masked YAML diffs and the change
 * list, the namespaces the bundle creates (with the first instance in each) and the instances that left the bundle
 * (first).
 */
export async function diff(instances: readonly RenderedInstance[], opts: ApplyOptions): Promise<DiffResult[]> {
  const removed = await leftBundle(instances, opts);
  announceRemovals(removed, opts, true);
  const reader = new LiveReader(opts.client);
  const namespaces = await preflightNamespaces(instances, opts, true, reader);
  // Each namespace is reported with a different instance (the first in it): one diff per label.
  const namespaceDiffs = new Map(namespaces.map(({ run, p }) => [run.label, [plannedDiff(p, opts)]]));
  const created = new Set(namespaces.map(({ p }) => p.ref.name));
  const results = await mapLimit(instances, instancesAtOnce(opts), (inst) =>
    diffInstance(inst, opts, created, namespaceDiffs.get(instanceLabel(inst)) ?? [], reader),
  );
  const removals = await mapLimit(removed, concurrencyOf(opts), (r) => diffRemoval(r.instance, r.inventory, opts));
  return [...removals, ...results];
}

/** Exit code like `kubectl diff`: 0 no change, 1 changes. (Errors are 2: the CLI maps thrown errors.) */
export function diffExitCode(results: readonly DiffResult[]): 0 | 1 {
  return results.some((r) => r.changed) ? 1 : 0;
}
