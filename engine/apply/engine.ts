/**
 * The engine: apply, diff, destroy and status of rendered instances against a cluster, with inventory, staged
 * server-side apply, drift detection, prune and wait. It knows nothing about what the objects are for.
 */
import YAML from "yaml";
import type { KubeObject, RenderedInstance } from "../types.ts";
import type { KubeClient } from "../kube/client.ts";
import { refOf } from "../kube/client.ts";
import {
  ApiError,
  describeRef,
  FieldConflictError,
  ImmutableFieldError,
  KindNotFoundError,
  NamespaceNotFoundError,
  type ObjectRef,
} from "../kube/errors.ts";
import { ApplyError } from "./errors.ts";
import { decodeSecretData, fillSecretData, generatedSecretObject } from "./generated.ts";
import { applySetId, displayName, objectId } from "./ids.ts";
import {
  decodeInventory,
  type Inventory,
  type InventoryEntry,
  inventoryName,
  inventorySecret,
  inventoryUpToDate,
  mergeEntries,
  refFromEntry,
} from "./inventory.ts";
import { readiness, type ReadinessStatus } from "./kstatus.ts";
import { APPLYSET_PART_OF, holdsData, type InstanceRef, isOwnedBy, ownerLabels } from "./labels.ts";
import { maskSecretPair } from "./mask.ts";
import { hasDrifted, normalize, prepareDesired } from "./normalize.ts";
import { groupByStage, mapLimit, type Stage, stageOf, STAGES } from "./order.ts";
import { unifiedDiff } from "./textdiff.ts";
import { waitForDeletion, waitForReady, type WaitResult } from "./wait.ts";

export type ChangeAction = "created" | "configured" | "unchanged" | "pruned" | "deleted" | "skipped";

/** What happened (or, for diff, would happen) to one object. */
export interface ObjectChange {
  /** Inventory id `<ns>_<name>_<group>_<kind>`. */
  readonly id: string;
  /** `Kind/namespace/name` */
  readonly object: string;
  readonly ref: ObjectRef;
  readonly stage: Stage;
  readonly action: ChangeAction;
  readonly reason?: string | undefined;
}

/** A progress line for the CLI. */
export interface EngineEvent {
  /** `<namespace>/<name>` of the instance. */
  readonly instance: string;
  readonly phase: "plan" | Stage | "inventory" | "prune" | "wait" | "delete";
  readonly message: string;
  readonly object?: string | undefined;
  readonly action?: ChangeAction | undefined;
}

export interface EngineOptions {
  readonly client: KubeClient;
  readonly onEvent?: ((event: EngineEvent) => void) | undefined;
  /** Requests in flight within a stage (default 4). */
  readonly concurrency?: number | undefined;
  /** Version written in the ApplySet tooling annotation `chroma-mod/<version>` (default "0.0.0"). */
  readonly toolVersion?: string | undefined;
  /** Aborts between requests (Ctrl-C); the next apply converges thanks to the superset inventory. */
  readonly signal?: AbortSignal | undefined;
  /** Timeout in ms of waits: readiness, CRDs established, deletions (default 300000). */
  readonly timeoutMs?: number | undefined;
}

export interface ApplyOptions extends EngineOptions {
  /** Delete and re-create objects whose immutable fields change (never PersistentVolumeClaims). */
  readonly force?: boolean | undefined;
  /** Take over fields owned by other field managers (server-side apply force=true). */
  readonly forceConflicts?: boolean | undefined;
  /** Also prune PersistentVolumeClaims, keep-annotated objects and generated Secrets that left the set. */
  readonly deleteData?: boolean | undefined;
  /** Wait for readiness after applying (default false; the CLI turns it on). */
  readonly wait?: boolean | undefined;
  /** Poll interval in ms while waiting (default 1000). */
  readonly pollIntervalMs?: number | undefined;
}

export interface ApplyResult {
  readonly instance: InstanceRef;
  readonly changes: ObjectChange[];
  /** True when anything was created, configured or pruned. */
  readonly changed: boolean;
  readonly inventory: "created" | "updated" | "unchanged";
  /** Present when waiting was asked for. */
  readonly wait?: WaitResult | undefined;
  /** Write requests sent (dry-runs excluded). 0 for a no-op. */
  readonly writes: number;
}

export interface ObjectDiff extends ObjectChange {
  /** Unified diff of the YAML, live → merged, Secret values masked; "" when unchanged. */
  readonly diff: string;
}

export interface DiffResult {
  readonly instance: InstanceRef;
  readonly changes: ObjectDiff[];
  readonly changed: boolean;
}

export interface DestroyOptions extends EngineOptions {
  /** Also delete PersistentVolumeClaims, keep-annotated objects and generated Secrets. */
  readonly deleteData?: boolean | undefined;
  /** Wait until deleted objects are gone (default false). */
  readonly wait?: boolean | undefined;
}

export interface DestroyResult {
  readonly instance: InstanceRef;
  readonly changes: ObjectChange[];
  /** "kept" when objects holding data remain: the inventory then lists just them. */
  readonly inventory: "deleted" | "kept" | "absent";
}

export interface StatusResult {
  readonly instance: InstanceRef;
  /** False when the instance has no inventory in the cluster. */
  readonly found: boolean;
  readonly module?: string | undefined;
  readonly valuesDigest?: string | undefined;
  readonly objects: Array<{ id: string; object: string; ref: ObjectRef; status: ReadinessStatus; message: string }>;
}

/** One object of the desired set, with what the preflight learnt. */
interface Planned {
  readonly obj: KubeObject;
  readonly id: string;
  readonly ref: ObjectRef;
  readonly stage: Stage;
  readonly generated: boolean;
  live?: KubeObject | undefined;
  merged?: KubeObject | undefined;
  /** Could not be dry-run yet: its namespace or CRD is created by this apply. */
  deferred: boolean;
  /** Its kind is defined by a CustomResourceDefinition of the same set. */
  crdProvided?: boolean | undefined;
  action: "created" | "configured" | "unchanged";
  reason?: string | undefined;
  recreate?: ImmutableFieldError | undefined;
  /** Apply with force=true: the only conflicts are hand edits (kubectl edit/patch/scale…) that we revert. */
  forceApply?: boolean | undefined;
  /** diff only: an error that apply would raise for this object. */
  refusal?: FieldConflictError | undefined;
}

const DEFAULT_TIMEOUT = 300_000;

function instanceLabel(i: InstanceRef): string {
  return `${i.namespace}/${i.name}`;
}

function changeOf(p: Pick<Planned, "id" | "ref" | "stage">, action: ChangeAction, reason?: string): ObjectChange {
  return { id: p.id, object: displayName(p.ref), ref: p.ref, stage: p.stage, action, ...(reason ? { reason } : {}) };
}

/** A context per instance run. */
class Run {
  readonly label: string;
  readonly concurrency: number;
  readonly toolVersion: string;
  readonly timeoutMs: number;
  constructor(
    readonly opts: EngineOptions,
    readonly instance: InstanceRef,
  ) {
    this.label = instanceLabel(instance);
    this.concurrency = opts.concurrency ?? 4;
    this.toolVersion = opts.toolVersion ?? "0.0.0";
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT;
  }
  get client(): KubeClient {
    return this.opts.client;
  }
  emit(phase: EngineEvent["phase"], message: string, object?: string, action?: ChangeAction): void {
    this.opts.onEvent?.({ instance: this.label, phase, message, ...(object ? { object } : {}), ...(action ? { action } : {}) });
  }
  checkAbort(): void {
    this.opts.signal?.throwIfAborted();
  }
  inventoryRef(): ObjectRef {
    return { apiVersion: "v1", kind: "Secret", name: inventoryName(this.instance), namespace: this.instance.namespace };
  }
  /** GET that treats an unknown kind (CRD gone) as a missing object. */
  async getOrGone(ref: ObjectRef): Promise<KubeObject | undefined> {
    return (await this.client.lookup(ref.apiVersion, ref.kind)) ? this.client.get(ref) : undefined;
  }
  async writeInventory(inv: Inventory, live: KubeObject | undefined): Promise<{ live: KubeObject; wrote: boolean }> {
    const desired = inventorySecret(this.instance, inv, this.toolVersion);
    if (live && inventoryUpToDate(live, desired)) return { live, wrote: false };
    this.checkAbort();
    this.emit("inventory", `recording ${inv.entries.length} objects in Secret ${inventoryName(this.instance)}`);
    return { live: await this.client.apply(desired, { force: true }), wrote: true };
  }
}

/** Desired objects of an instance: namespaces defaulted, owner and ApplySet labels added, generated Secrets filled. */
async function prepare(run: Run, inst: RenderedInstance): Promise<Planned[]> {
  const crdScopes = new Map<string, boolean>();
  for (const o of inst.objects) {
    if (o.kind !== "CustomResourceDefinition") continue;
    const spec = o.spec as { group: string; scope: string; names: { kind: string }; versions: Array<{ name: string }> };
    for (const v of spec.versions) crdScopes.set(`${spec.group}/${v.name}/${spec.names.kind}`, spec.scope === "Namespaced");
  }
  const labels = { ...ownerLabels(inst), [APPLYSET_PART_OF]: applySetId(inventoryName(inst), inst.namespace) };
  const planned = await mapLimit(inst.objects, run.concurrency, async (o) => {
    const m = await run.client.lookup(o.apiVersion, o.kind);
    // A kind served by a CRD of this same set is applied after that CRD (deferred).
    const namespaced = m ? m.namespaced : crdScopes.get(`${o.apiVersion}/${o.kind}`);
    if (namespaced === undefined) throw new KindNotFoundError(o.apiVersion, o.kind, `${o.kind} "${o.metadata.name}"`);
    const deferred = !m;
    const obj = prepareDesired(structuredClone(o));
    if (namespaced) obj.metadata.namespace ??= inst.namespace;
    else delete obj.metadata.namespace;
    obj.metadata.labels = { ...obj.metadata.labels, ...labels };
    const p = plan(obj, false, deferred);
    p.crdProvided = crdScopes.has(`${o.apiVersion}/${o.kind}`);
    return p;
  });
  for (const g of inst.generatedSecrets) {
    const ref = { apiVersion: "v1", kind: "Secret", name: g.metadata.name, namespace: g.metadata.namespace };
    const live = await run.client.get(ref);
    const { data, added } = fillSecretData(g, decodeSecretData(live));
    const p = plan(generatedSecretObject(g, data, labels), true, false);
    p.reason = live ? (added.length ? `generated keys added: ${added.join(", ")}` : undefined) : `generated keys: ${added.join(", ")}`;
    planned.push(p);
  }
  const seen = new Set<string>();
  for (const p of planned) {
    if (seen.has(p.id)) {
      throw new ApplyError(`The instance ${run.label} renders ${describeRef(p.ref)} twice.`, "Fix the module: each object must be rendered once.");
    }
    seen.add(p.id);
  }
  return planned;
}

function plan(obj: KubeObject, generated: boolean, deferred: boolean): Planned {
  return { obj, id: objectId(obj), ref: refOf(obj), stage: stageOf(obj), generated, deferred, action: "created" };
}

/** Namespaces the objects need that neither exist nor are created by the set. */
async function checkNamespaces(run: Run, planned: Planned[]): Promise<Set<string>> {
  const provided = new Set(planned.filter((p) => p.obj.kind === "Namespace" && p.stage === "namespaces").map((p) => p.ref.name));
  const needed = new Set([run.instance.namespace, ...planned.flatMap((p) => (p.ref.namespace ? [p.ref.namespace] : []))]);
  const pending = new Set<string>();
  for (const ns of [...needed].sort()) {
    const live = await run.client.get({ apiVersion: "v1", kind: "Namespace", name: ns });
    if (live) continue;
    if (!provided.has(ns)) throw new NamespaceNotFoundError(ns);
    pending.add(ns);
  }
  return pending;
}

/** Hand edits: Update operations by kubectl (kubectl-edit, kubectl-patch, kubectl-client-side-apply, …). */
export function isHandEdit(live: KubeObject, manager: string): boolean {
  const fields = (live.metadata.managedFields ?? []) as Array<{ manager?: string; operation?: string }>;
  return fields.some((f) => f.manager === manager && f.operation === "Update" && (manager.startsWith("kubectl") || manager === "before-first-apply"));
}

/** GET + server-side dry-run of one object; decides created/configured/unchanged. */
async function preflight(run: Run, p: Planned, opts: { forceConflicts: boolean; pendingNamespaces: Set<string>; collectRefusals: boolean }): Promise<void> {
  // The CRD may have been applied since: look again.
  if (p.deferred && opts.pendingNamespaces.size === 0 && (await run.client.lookup(p.ref.apiVersion, p.ref.kind))) p.deferred = false;
  if (p.deferred || (p.ref.namespace && opts.pendingNamespaces.has(p.ref.namespace))) {
    p.deferred = true;
    p.action = "created";
    return;
  }
  p.live = await run.client.get(p.ref);
  try {
    p.merged = await run.client.apply(p.obj, { dryRun: true, force: opts.forceConflicts });
  } catch (e) {
    // Conflicts and immutable fields only happen on updates, so p.live exists below.
    if (e instanceof FieldConflictError && e.managers.every((m) => isHandEdit(p.live as KubeObject, m))) {
      // Drift made by hand with kubectl (an Update, not another applier): revert it, as Flux does.
      p.merged = await run.client.apply(p.obj, { dryRun: true, force: true });
      p.forceApply = true;
      p.action = "configured";
      p.reason = `reverting changes made with ${e.managers.join(", ")}`;
      return;
    }
    if (e instanceof ApiError && e.status === 404 && p.crdProvided) {
      // Its CRD (in this set) is not served yet, though discovery still listed it: apply after the CRDs.
      p.deferred = true;
      p.action = "created";
      return;
    }
    if (e instanceof ImmutableFieldError) {
      p.recreate = e;
      p.action = "created";
      return;
    }
    if (opts.collectRefusals && e instanceof FieldConflictError) {
      p.refusal = e;
      p.action = "configured";
      return;
    }
    throw e;
  }
  p.action = !p.live ? "created" : hasDrifted(p.live, p.merged) ? "configured" : "unchanged";
}

function refuseRecreates(planned: Planned[], force: boolean): void {
  for (const p of planned) {
    if (!p.recreate) continue;
    if (p.ref.kind === "PersistentVolumeClaim") {
      throw new ApplyError(
        `Cannot update ${describeRef(p.ref)}: ${p.recreate.fields.join(", ")} cannot change after creation, and chroma-mod never deletes a PersistentVolumeClaim to re-create it (its data would be lost).`,
        "Revert the change, or migrate the data to a new claim yourself.",
      );
    }
    if (!force) throw p.recreate;
  }
}

/** force=true when the caller takes over conflicts, or when the only conflicts are hand edits we revert. */
function forceOf(opts: ApplyOptions, p: Planned): boolean {
  return Boolean(opts.forceConflicts || p.forceApply);
}

/** Applies one planned object for real (re-creating it when forced past an immutable field). */
async function applyPlanned(run: Run, p: Planned, opts: ApplyOptions): Promise<ObjectChange> {
  run.checkAbort();
  const object = displayName(p.ref);
  if (p.recreate) {
    const policy = p.ref.kind === "StatefulSet" ? "Orphan" : "Background";
    run.emit(p.stage, `deleting to re-create (immutable ${p.recreate.fields.join(", ")}; ${policy.toLowerCase()} propagation)`, object);
    await run.client.delete(p.ref, policy);
    if (!(await waitForDeletion(run.client, p.ref, run.timeoutMs))) {
      throw new ApplyError(`${describeRef(p.ref)} was deleted to be re-created but is still there.`, "Check its finalizers (kubectl get -o yaml) and re-run.");
    }
    await run.client.apply(p.obj, { force: forceOf(opts, p) });
    const reason = `re-created: immutable ${p.recreate.fields.join(", ")} changed`;
    run.emit(p.stage, reason, object, "created");
    return changeOf(p, "created", reason);
  }
  await run.client.apply(p.obj, { force: forceOf(opts, p) });
  run.emit(p.stage, p.reason ? `${p.action}: ${p.reason}` : p.action, object, p.action);
  return changeOf(p, p.action, p.reason);
}

interface RemovalOutcome {
  readonly changes: ObjectChange[];
  /** Entries still in the cluster on purpose (data) or because deletion is not ours to do. */
  readonly kept: InventoryEntry[];
}

/** Deletes inventory entries in reverse stage order, keeping data and anything no longer ours. */
async function removeEntries(
  run: Run,
  entries: readonly InventoryEntry[],
  opts: { action: "pruned" | "deleted"; deleteData: boolean; holding: Set<string>; wait: boolean; timeoutMs: number },
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
      if (!isOwnedBy(live, run.instance)) {
        return { change: changeOf(p, "skipped", `not deleted: it no longer carries the owner labels of ${run.label}`) };
      }
      if ((entry.generated || holdsData(live)) && !opts.deleteData) {
        const why = ref.kind === "PersistentVolumeClaim" ? "a PersistentVolumeClaim" : entry.generated ? "a generated Secret" : "annotated chroma-mod.io/keep";
        return { change: changeOf(p, "skipped", `kept: ${why} holds data (delete data explicitly to remove it)`), keep: entry };
      }
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
  if (opts.wait) for (const ref of deleted) await waitForDeletion(run.client, ref, opts.timeoutMs);
  return { changes, kept };
}

function sortable(ref: ObjectRef) {
  return { apiVersion: ref.apiVersion, kind: ref.kind, metadata: ref };
}

function entryOf(p: Planned): InventoryEntry {
  return p.generated ? { id: p.id, v: p.ref.apiVersion, generated: true } : { id: p.id, v: p.ref.apiVersion };
}

async function applyInstance(inst: RenderedInstance, opts: ApplyOptions): Promise<ApplyResult> {
  const run = new Run(opts, inst);
  const writesBefore = opts.client.counts.writes;
  const forceConflicts = opts.forceConflicts ?? false;
  const timeoutMs = run.timeoutMs;
  const oldSecret = await run.client.get(run.inventoryRef());
  const oldInv = decodeInventory(oldSecret);
  const planned = await prepare(run, inst);
  const pendingNamespaces = await checkNamespaces(run, planned);
  await mapLimit(planned, run.concurrency, (p) => preflight(run, p, { forceConflicts, pendingNamespaces, collectRefusals: false }));
  refuseRecreates(planned, opts.force ?? false);
  const drifted = planned.filter((p) => p.action !== "unchanged" || p.deferred).length;
  run.emit("plan", `${planned.length} objects, ${drifted} to apply`);

  const changes: ObjectChange[] = [];
  const stages = groupByStage(planned, (p) => p.obj);
  const runStage = async (stage: Stage, items: Planned[]) => {
    run.checkAbort();
    const after = { forceConflicts, pendingNamespaces: new Set<string>(), collectRefusals: false };
    await mapLimit(items.filter((p) => p.deferred), run.concurrency, (p) => preflight(run, p, after));
    refuseRecreates(items, opts.force ?? false);
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

  // Persist the intended inventory (old ∪ new) before touching anything else: a killed apply leaves no orphans.
  const newEntries = planned.map(entryOf);
  const base = { module: inst.module, valuesDigest: inst.valuesDigest };
  let inventory: ApplyResult["inventory"] = "unchanged";
  let secret = oldSecret;
  const superset = await run.writeInventory({ ...base, entries: mergeEntries(oldInv?.entries ?? [], newEntries) }, secret);
  if (superset.wrote) inventory = oldSecret ? "updated" : "created";
  secret = superset.live;

  for (const [stage, items] of stages) if (stage !== "namespaces") await runStage(stage, items);

  // Prune what left the set, in reverse stage order.
  const newIds = new Set(newEntries.map((e) => e.id));
  const gone = (oldInv?.entries ?? []).filter((e) => !newIds.has(e.id));
  const holding = new Set([inst.namespace, ...planned.flatMap((p) => (p.ref.namespace ? [p.ref.namespace] : []))]);
  const pruned = await removeEntries(run, gone, { action: "pruned", deleteData: opts.deleteData ?? false, holding, wait: false, timeoutMs });
  changes.push(...pruned.changes);

  const final = await run.writeInventory({ ...base, entries: mergeEntries(newEntries, pruned.kept) }, secret);
  if (final.wrote && inventory === "unchanged") inventory = "updated";

  let wait: WaitResult | undefined;
  if (opts.wait) {
    run.emit("wait", `waiting up to ${Math.round(timeoutMs / 1000)}s for ${planned.length} objects`);
    wait = await waitForReady(run.client, planned.map((p) => p.ref), {
      timeoutMs,
      intervalMs: opts.pollIntervalMs,
      onProgress: (m) => run.emit("wait", m),
    });
    run.emit("wait", wait.ready ? "all objects ready" : `not ready: ${wait.explanations.map((e) => `${e.object} (${e.message})`).join(", ")}`);
  }
  const order = new Map(STAGES.map((s, i) => [s, i]));
  changes.sort((a, b) => (order.get(a.stage) as number) - (order.get(b.stage) as number) || (a.id < b.id ? -1 : 1));
  return {
    instance: { name: inst.name, namespace: inst.namespace },
    changes,
    changed: changes.some((c) => c.action !== "unchanged" && c.action !== "skipped"),
    inventory,
    ...(wait ? { wait } : {}),
    writes: opts.client.counts.writes - writesBefore,
  };
}

/** Applies instances one after the other. A no-op apply sends no write request at all. */
/** Instances are independent (each has its own inventory): they are applied side by side, bounded. */
export async function apply(instances: readonly RenderedInstance[], opts: ApplyOptions): Promise<ApplyResult[]> {
  return mapLimit(instances, opts.concurrency ?? 4, (inst) => applyInstance(inst, opts));
}

function toYaml(obj: KubeObject | undefined): string {
  return obj ? YAML.stringify(obj, { lineWidth: 0 }) : "";
}

function objectDiff(p: { id: string; ref: ObjectRef; stage: Stage }, action: ChangeAction, before: KubeObject | undefined, after: KubeObject | undefined, reason?: string): ObjectDiff {
  const [b, a] = maskSecretPair(before && normalize(before), after && normalize(after));
  const name = displayName(p.ref);
  const diff = unifiedDiff(toYaml(b), toYaml(a), { before: b ? `live/${name}` : "/dev/null", after: a ? `merged/${name}` : "/dev/null" });
  return { ...changeOf(p, action, reason), diff };
}

async function diffInstance(inst: RenderedInstance, opts: ApplyOptions): Promise<DiffResult> {
  const run = new Run(opts, inst);
  const oldInv = decodeInventory(await run.client.get(run.inventoryRef()));
  const planned = await prepare(run, inst);
  const pendingNamespaces = await checkNamespaces(run, planned);
  await mapLimit(planned, run.concurrency, (p) => preflight(run, p, { forceConflicts: opts.forceConflicts ?? false, pendingNamespaces, collectRefusals: true }));
  const changes: ObjectDiff[] = [];
  for (const p of planned) {
    if (p.recreate) {
      const why = opts.force ? "will be deleted and re-created" : "apply will refuse without --force";
      changes.push(objectDiff(p, "configured", p.live, undefined, `immutable ${p.recreate.fields.join(", ")} changed: ${why}`));
    } else if (p.refusal) {
      changes.push(objectDiff(p, p.action, p.live, undefined, `apply will fail: ${p.refusal.message}`));
    } else {
      changes.push(objectDiff(p, p.action, p.live, p.merged ?? p.obj, p.reason));
    }
  }
  const newIds = new Set(planned.map((p) => p.id));
  for (const entry of (oldInv?.entries ?? []).filter((e) => !newIds.has(e.id))) {
    const ref = refFromEntry(entry);
    const p = { id: entry.id, ref, stage: stageOf(ref) };
    const live = await run.getOrGone(ref);
    if (!live) continue;
    if (!isOwnedBy(live, inst)) changes.push(objectDiff(p, "skipped", undefined, undefined, "no longer carries this instance's owner labels"));
    else if ((entry.generated || holdsData(live)) && !opts.deleteData) changes.push(objectDiff(p, "skipped", undefined, undefined, "kept: holds data"));
    else changes.push(objectDiff(p, "pruned", live, undefined));
  }
  const order = new Map(STAGES.map((s, i) => [s, i]));
  changes.sort((a, b) => (order.get(a.stage) as number) - (order.get(b.stage) as number) || (a.id < b.id ? -1 : 1));
  return { instance: { name: inst.name, namespace: inst.namespace }, changes, changed: changes.some((c) => c.action !== "unchanged" && c.action !== "skipped") };
}

/** Server-side dry-run of instances against the cluster: per-object masked YAML diffs and the change list. */
export async function diff(instances: readonly RenderedInstance[], opts: ApplyOptions): Promise<DiffResult[]> {
  return mapLimit(instances, opts.concurrency ?? 4, (inst) => diffInstance(inst, opts));
}

/** Exit code like `kubectl diff`: 0 no change, 1 changes. (Errors are 2: the CLI maps thrown errors.) */
export function diffExitCode(results: readonly DiffResult[]): 0 | 1 {
  return results.some((r) => r.changed) ? 1 : 0;
}

/**
 * Deletes an instance's objects in reverse stage order. PVCs, keep-annotated objects and generated Secrets stay
 * unless deleteData; when something stays, the inventory stays too, listing just what stayed (so a later destroy
 * with deleteData, or a new apply, still knows about it).
 */
export async function destroy(instance: InstanceRef, opts: DestroyOptions): Promise<DestroyResult> {
  const run = new Run(opts, instance);
  const secret = await run.client.get(run.inventoryRef());
  const inv = decodeInventory(secret);
  if (!inv) return { instance, changes: [], inventory: "absent" };
  const holding = new Set<string>();
  const removal = await removeEntries(run, inv.entries, {
    action: "deleted",
    deleteData: opts.deleteData ?? false,
    holding,
    wait: opts.wait ?? false,
    timeoutMs: run.timeoutMs,
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

/** Readiness of every object in an instance's inventory. */
export async function status(instance: InstanceRef, opts: EngineOptions): Promise<StatusResult> {
  const run = new Run(opts, instance);
  const inv = decodeInventory(await run.client.get(run.inventoryRef()));
  if (!inv) return { instance, found: false, objects: [] };
  const objects = await mapLimit(inv.entries, run.concurrency, async (e) => {
    const ref = refFromEntry(e);
    return { id: e.id, object: displayName(ref), ref, ...readiness(await run.getOrGone(ref)) };
  });
  return { instance, found: true, module: inv.module, valuesDigest: inv.valuesDigest, objects };
}
