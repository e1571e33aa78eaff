/**
 * Apply: the bundle's namespaces, then each instance in stages (only what drifted), its inventory recorded before and
 * after, what left the set pruned, readiness waited for; then the instances that left the bundle are deleted.
 */
import type { KubeObject, RenderedInstance } from "../../core/types.ts";
import { describeRef } from "../kube/errors.ts";
import { announceRemovals, leftBundle, preflightNamespaces } from "./bundle.ts";
import { changeOf, hasChanges, type ObjectChange, resizeChange, sortChanges } from "./changeset.ts";
import { type DestroyResult, destroy } from "./delete.ts";
import { ApplyError } from "./errors.ts";
import { displayName } from "./ids.ts";
import { appendRevision, revisionDue } from "./history.ts";
import { type InventoryEntry, mergeEntries } from "./inventory.ts";
import { LiveReader } from "./live.ts";
import type { InstanceRef } from "./labels.ts";
import type { ApplyOptions } from "./options.ts";
import { groupByStage, mapLimit, type Stage } from "./order.ts";
import { type Planned, planInstance, preflight } from "./plan.ts";
import { leftSet, removeEntries } from "./prune.ts";
import { instanceLabel, instancesAtOnce, Run } from "./run.ts";
import { deleteAndWait, waitForReady, type WaitResult } from "./wait.ts";

export interface ApplyResult {
  readonly instance: InstanceRef;
  readonly changes: ObjectChange[];
  /** Whether the changes change anything (`hasChanges`, changeset.ts); always true for an instance that left the bundle. */
  readonly changed: boolean;
  /** "deleted", "kept" and "absent" are for an instance that left the bundle (see destroy). */
  readonly inventory: "created" | "updated" | "unchanged" | DestroyResult["inventory"];
  /** The instance left the bundle: its objects were deleted as destroy does. */
  readonly removed?: true | undefined;
  /** Present when waiting was asked for. */
  readonly wait?: WaitResult | undefined;
  /** Write requests sent (dry-runs excluded). 0 for a no-op. */
  readonly writes: number;
}

/** Refuses what volumes cannot do: shrink, or grow where the StorageClass does not allow it. */
function refuseVolumeChanges(planned: Planned[]): void {
  for (const p of planned) {
    const [refusal] = [...(p.volumeRefusals ?? []), ...(p.resizes ?? []).flatMap((r) => (r.refusal ? [r.refusal] : []))];
    if (refusal) throw refusal;
  }
}

/** Refuses to re-create a PersistentVolumeClaim ever, and anything else past an immutable field without --force. */
function refuseRecreates(planned: Planned[], force: boolean, adopted: ReadonlySet<string>): void {
  for (const p of planned) {
    if (!p.recreate || p.grow) continue;
    if (p.ref.kind === "PersistentVolumeClaim") {
      throw new ApplyError(
        `Cannot update ${describeRef(p.ref)}: ${p.recreate.fields.join(", ")} cannot change after creation, and chroma-mod never deletes a PersistentVolumeClaim to re-create it (its data would be lost).`,
        "Revert the change, or migrate the data to a new claim yourself.",
      );
    }
    if (!force && !adopted.has(p.id)) throw p.recreate;
  }
}

/** Expands the live claims of the StatefulSets before they are (re-)applied. */
async function expandClaims(run: Run, planned: Planned[]): Promise<ObjectChange[]> {
  const resizes = planned.flatMap((p) => p.resizes ?? []);
  return mapLimit(resizes, run.concurrency, async (r) => {
    run.checkAbort();
    await run.client.apply(r.patch, { force: true });
    const change = resizeChange(r);
    run.emit("config", change.reason!, change.object, "configured");
    return change;
  });
}

/** force=true when the caller takes over conflicts, or when the only conflicts are hand edits we revert. */
function forceOf(opts: ApplyOptions, p: Planned): boolean {
  return Boolean(opts.forceConflicts || p.forceApply);
}

/**
 * The pods of a live StatefulSet that its re-created self will not select (its selector changes, as when one is taken
 * over from a Helm chart): orphaned, they would keep their names and the new StatefulSet could never create its own.
 */
async function strandedPods(run: Run, p: Planned): Promise<KubeObject[]> {
  const live = p.live as KubeObject;
  // A StatefulSet always has a selector (the API server requires it).
  const selector = (o: KubeObject) => JSON.stringify((o.spec as { selector: unknown }).selector);
  if (p.ref.kind !== "StatefulSet" || selector(live) === selector(p.obj)) return [];
  const pods = await run.client.list("v1", "Pod", { namespace: p.ref.namespace });
  return pods.filter((pod) => (pod.metadata.ownerReferences as { uid?: string }[] | undefined)?.some((o) => o.uid === live.metadata.uid));
}

/** Applies one planned object for real (re-creating it when forced past an immutable field). */
async function applyPlanned(run: Run, p: Planned, opts: ApplyOptions): Promise<ObjectChange> {
  run.checkAbort();
  const object = displayName(p.ref);
  if (p.recreate) {
    const policy = p.ref.kind === "StatefulSet" ? "Orphan" : "Background";
    run.emit(p.stage, `deleting to re-create (immutable ${p.recreate.fields.join(", ")}; ${policy.toLowerCase()} propagation)`, object);
    const stranded = await strandedPods(run, p);
    await deleteAndWait(run.client, p.ref, policy, run.timeoutMs);
    for (const pod of stranded) {
      // Gracefully (Chroma stops and flushes), and gone before the new StatefulSet makes a pod of the same name.
      const ref = { apiVersion: "v1", kind: "Pod", name: pod.metadata.name, namespace: pod.metadata.namespace };
      run.emit(p.stage, "deleting: its StatefulSet's selector changed, so the re-created one could not take it over (its volumes are kept)", displayName(ref));
      await deleteAndWait(run.client, ref, "Background", run.timeoutMs);
    }
    await run.client.apply(p.obj, { force: forceOf(opts, p) });
    const reason = p.grow ? (p.reason as string) : `re-created: immutable ${p.recreate.fields.join(", ")} changed`;
    run.emit(p.stage, reason, object, "created");
    return changeOf(p, "created", reason);
  }
  await run.client.apply(p.obj, { force: forceOf(opts, p) });
  run.emit(p.stage, p.reason ? `${p.action}: ${p.reason}` : p.action, object, p.action);
  return changeOf(p, p.action, p.reason);
}

function entryOf(p: Planned): InventoryEntry {
  return p.generated ? { id: p.id, v: p.ref.apiVersion, generated: true } : { id: p.id, v: p.ref.apiVersion };
}

async function applyInstance(inst: RenderedInstance, opts: ApplyOptions, namespaceChanges: readonly ObjectChange[], reader: LiveReader): Promise<ApplyResult> {
  const run = new Run(opts, inst, { bundle: opts.bundle?.name, reader });
  const writesBefore = opts.client.counts.writes;
  const forceConflicts = opts.forceConflicts ?? false;
  const timeoutMs = run.timeoutMs;
  // The bundle's namespaces exist by now: only those the instance's own set creates can still be pending.
  const { secret: oldSecret, inventory: oldInv, planned } = await planInstance(run, inst, new Set(), { forceConflicts, collectRefusals: false });
  refuseVolumeChanges(planned);
  refuseRecreates(planned, opts.force ?? false, opts.adopted ?? new Set());
  const drifted = planned.filter((p) => p.action !== "unchanged" || p.deferred).length;
  run.emit("plan", `${planned.length} objects, ${drifted} to apply`);

  const changes: ObjectChange[] = [...namespaceChanges];
  const stages = groupByStage(planned, (p) => p.obj);
  const runStage = async (stage: Stage, items: Planned[]) => {
    run.checkAbort();
    const after = { forceConflicts, pendingNamespaces: new Set<string>(), collectRefusals: false };
    await mapLimit(
      items.filter((p) => p.deferred),
      run.concurrency,
      (p) => preflight(run, p, after),
    );
    refuseRecreates(items, opts.force ?? false, opts.adopted ?? new Set());
    const results = await mapLimit(items, run.concurrency, async (p) => {
      if (p.action === "unchanged") return changeOf(p, "unchanged", p.reason);
      return applyPlanned(run, p, opts);
    });
    changes.push(...results);
    if (stage === "crds" || stage === "namespaces") {
      const applied = items.filter((p) => p.action !== "unchanged").map((p) => p.ref);
      if (applied.length) await waitForReady(run.client, applied, { timeoutMs, intervalMs: 250 });
    }
  };

  // Namespaces first: the inventory lives in the instance namespace.
  const [first] = stages;
  if (first && first[0] === "namespaces") await runStage("namespaces", first[1]);

  const newEntries = planned.map(entryOf);
  const base = { module: inst.module, valuesDigest: inst.valuesDigest };
  // A revision when this apply applies other values (a no-op or a drift repair records none: no extra write). It is
  // recorded with the inventory, before any object, in the same write: an apply that then fails or is interrupted
  // keeps its revision (as Helm keeps a failed one), and re-running it converges to that revision without a new one.
  const oldHistory = oldInv?.history ?? [];
  const history = revisionDue(oldHistory, inst.valuesDigest, inst.module)
    ? appendRevision(oldHistory, {
        appliedAt: new Date().toISOString(),
        tool: `chroma-mod/${opts.toolVersion ?? "0.0.0"}`,
        module: inst.module,
        valuesDigest: inst.valuesDigest,
        values: inst.values ?? null,
        ...(opts.revisionNote ? { note: opts.revisionNote } : {}),
      })
    : oldHistory;

  // Persist the intended inventory (old ∪ new) before touching anything else: a killed apply leaves no orphans.
  let inventory: ApplyResult["inventory"] = "unchanged";
  let secret = oldSecret;
  const superset = await run.writeInventory({ ...base, entries: mergeEntries(oldInv?.entries ?? [], newEntries), history }, secret);
  if (superset.wrote) inventory = oldSecret ? "updated" : "created";
  secret = superset.live;

  changes.push(...(await expandClaims(run, planned)));
  for (const [stage, items] of stages) if (stage !== "namespaces") await runStage(stage, items);

  // Prune what left the set, in reverse stage order.
  const gone = leftSet(oldInv, new Set(newEntries.map((e) => e.id)));
  const holding = new Set([inst.namespace, ...planned.flatMap((p) => (p.ref.namespace ? [p.ref.namespace] : []))]);
  const pruned = await removeEntries(run, gone, { action: "pruned", deleteData: opts.deleteData ?? false, holding, wait: false });
  changes.push(...pruned.changes);

  const final = await run.writeInventory({ ...base, entries: mergeEntries(newEntries, pruned.kept), history }, secret);
  if (final.wrote && inventory === "unchanged") inventory = "updated";

  let wait: WaitResult | undefined;
  if (opts.wait) {
    run.emit("wait", `waiting up to ${Math.round(timeoutMs / 1000)}s for ${planned.length} objects`);
    wait = await waitForReady(
      run.client,
      planned.map((p) => p.ref),
      {
        timeoutMs,
        intervalMs: opts.pollIntervalMs,
        onProgress: (m) => run.emit("wait", m),
        // What was not written was read moments ago: it is checked as read, and only read again while not ready.
        known: new Map(planned.flatMap((p) => (p.action === "unchanged" && p.live ? [[p.ref, p.live] as const] : []))),
      },
    );
    run.emit("wait", wait.ready ? "all objects ready" : `not ready: ${wait.explanations.map((e) => `${e.object} (${e.message})`).join(", ")}`);
  }
  sortChanges(changes);
  return {
    instance: { name: inst.name, namespace: inst.namespace },
    changes,
    changed: hasChanges(changes),
    inventory,
    ...(wait ? { wait } : {}),
    writes: opts.client.counts.writes - writesBefore,
  };
}

/** Creates (or updates) the bundle's namespaces before any instance; returns their changes by instance label. */
async function applyNamespaces(instances: readonly RenderedInstance[], opts: ApplyOptions, reader: LiveReader): Promise<Map<string, ObjectChange[]>> {
  const planned = await preflightNamespaces(instances, opts, false, reader);
  // Each namespace is reported with a different instance (the first in it): one change per label.
  const changes = new Map<string, ObjectChange[]>();
  for (const { run, p } of planned) changes.set(run.label, [p.action === "unchanged" ? changeOf(p, "unchanged") : await applyPlanned(run, p, opts)]);
  const applied = planned.filter(({ p }) => p.action !== "unchanged");
  // The same timeout every Run resolves (opts.timeoutMs or the default).
  if (applied.length)
    await waitForReady(
      opts.client,
      applied.map(({ p }) => p.ref),
      { timeoutMs: applied[0]!.run.timeoutMs, intervalMs: 250 },
    );
  return changes;
}

/** An instance that left the bundle: deleted as destroy does; its kept inventory no longer names the bundle. */
async function removeInstance(ref: InstanceRef, opts: ApplyOptions): Promise<ApplyResult> {
  const writesBefore = opts.client.counts.writes;
  const { client, onEvent, concurrency, toolVersion, signal, timeoutMs, deleteData } = opts;
  const r = await destroy(ref, { client, onEvent, concurrency, toolVersion, signal, timeoutMs, deleteData, wait: false });
  return { instance: ref, changes: r.changes, changed: true, inventory: r.inventory, writes: opts.client.counts.writes - writesBefore, removed: true };
}

/**
 * Applies a bundle's instances: the namespaces it creates first (once each), then the instances side by side
 * (bounded; each has its own inventory), then, when the set is the whole bundle, removes the instances that left it.
 * A no-op apply sends no write request at all. Instances that left the bundle come first in the results.
 */
export async function apply(instances: readonly RenderedInstance[], opts: ApplyOptions): Promise<ApplyResult[]> {
  const removed = await leftBundle(instances, opts);
  announceRemovals(removed, opts, false);
  const reader = new LiveReader(opts.client);
  const namespaceChanges = await applyNamespaces(instances, opts, reader);
  const results = await mapLimit(instances, instancesAtOnce(opts), (inst) =>
    applyInstance(inst, opts, namespaceChanges.get(instanceLabel(inst)) ?? [], reader),
  );
  const removals: ApplyResult[] = [];
  for (const { instance } of removed) removals.push(await removeInstance(instance, opts));
  return [...removals, ...results];
}
