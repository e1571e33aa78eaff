/**
 * The engine: apply, diff, destroy and status of rendered instances against a cluster, with inventory, staged
 * server-side apply, drift detection, prune and wait. It knows nothing about what the objects are for.
 */
import YAML from "yaml";
import { namespaceObject } from "../namespaces.ts";
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
  INVENTORY_TYPE,
  type Inventory,
  type InventoryEntry,
  inventoryName,
  inventorySecret,
  inventoryUpToDate,
  mergeEntries,
  refFromEntry,
} from "./inventory.ts";
import { readiness, type ReadinessStatus } from "./kstatus.ts";
import { APPLYSET_PART_OF, BUNDLE, holdsData, INSTANCE, type InstanceRef, isOwnedBy, MANAGED_BY, ownerLabels, TOOL } from "./labels.ts";
import { maskSecretPair } from "./mask.ts";
import { hasDrifted, isHandEdit, normalize, prepareDesired } from "./normalize.ts";
import { groupByStage, mapLimit, type Stage, stageOf, STAGES } from "./order.ts";
import { unifiedDiff } from "./textdiff.ts";
import { waitForDeletion, waitForReady, type WaitResult } from "./wait.ts";
import { type ClaimResize, ownedClaims, claimRequest, planClaimResizes, templateRequests, withTemplateRequests } from "./volumes.ts";
import { compareQuantities } from "../../schemas/quantity.ts";

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

/** The bundle a set of instances belongs to. */
export interface BundleRef {
  /** Each instance's inventory Secret is labelled `chroma-mod.io/bundle: <name>`. */
  readonly name: string;
  /**
   * The instances are the whole bundle: an instance whose inventory carries the bundle's label but that is not in the
   * set left the bundle, and is removed as destroy does (data kept). False when only some instances were selected.
   */
  readonly complete: boolean;
  /**
   * The name was derived from the bundle's file name, not written in the bundle. Two bundle files of the same name
   * (`team-a/prod.config.ts`, `team-b/prod.config.ts`) would then remove each other's instances, so instances that
   * left such a bundle are only reported, never removed: removal needs a `name` the user chose.
   */
  readonly nameFromFile?: boolean | undefined;
}

export interface ApplyOptions extends EngineOptions {
  /** The bundle of the instances (labels, and removal of instances that left it). Without it, instances stand alone. */
  readonly bundle?: BundleRef | undefined;
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
  /** "deleted", "kept" and "absent" are for an instance that left the bundle (see destroy). */
  readonly inventory: "created" | "updated" | "unchanged" | DestroyResult["inventory"];
  /** The instance left the bundle: its objects were deleted as destroy does (data kept). */
  readonly removed?: true | undefined;
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
  /** The instance left the bundle: apply would delete it as destroy does (data kept). */
  readonly removed?: true | undefined;
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
  /** A StatefulSet's live claims whose size differs from its volume claim templates. */
  resizes?: ClaimResize[] | undefined;
  /** Why its volumes cannot follow its templates (a shrink). */
  volumeRefusals?: ApplyError[] | undefined;
  /** Re-created (orphan propagation) only because volume claim templates grew: no --force needed. */
  grow?: boolean | undefined;
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
    /** The bundle the inventory is labelled with (none: the label is dropped, as after destroy). */
    readonly bundle?: string,
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
    const desired = inventorySecret(this.instance, inv, this.toolVersion, this.bundle);
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

/**
 * Namespaces the objects need that do not exist yet: an error unless the set or the bundle (`bundleNamespaces`)
 * creates them; else they are pending (what goes in them cannot be dry-run yet).
 */
async function checkNamespaces(run: Run, planned: Planned[], bundleNamespaces: ReadonlySet<string>): Promise<Set<string>> {
  const provided = new Set([...bundleNamespaces, ...planned.filter((p) => p.obj.kind === "Namespace" && p.stage === "namespaces").map((p) => p.ref.name)]);
  const needed = new Set([run.instance.namespace, ...planned.flatMap((p) => (p.ref.namespace ? [p.ref.namespace] : []))]);
  const pending = new Set<string>();
  for (const ns of [...needed].sort()) {
    const live = await run.client.get({ apiVersion: "v1", kind: "Namespace", name: ns });
    if (live) continue;
    if (!provided.has(ns)) throw new NamespaceNotFoundError(ns, ns === run.instance.namespace ? run.instance.name : undefined);
    pending.add(ns);
  }
  return pending;
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
  if (p.ref.kind === "StatefulSet") {
    const volumes = await planClaimResizes(run.client, p.obj, p.live);
    p.resizes = volumes.resizes;
    p.volumeRefusals = volumes.refusals;
    const expand = volumes.resizes.filter((r) => !r.refusal);
    await mapLimit(expand, run.concurrency, async (r) => void (r.merged = await run.client.apply(r.patch, { dryRun: true, force: true })));
  }
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
      if (p.ref.kind === "StatefulSet") await growOnly(run, p, opts.forceConflicts);
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

/**
 * A StatefulSet whose only immutable change is a larger volume claim template: the same object with the live sizes
 * passes a dry-run. It is then re-created with orphan propagation (pods and claims kept) without --force, after its
 * claims are expanded.
 */
async function growOnly(run: Run, p: Planned, forceConflicts: boolean): Promise<void> {
  const want = templateRequests(p.obj);
  const neutral = withTemplateRequests(p.obj, templateRequests(p.live as KubeObject));
  const merged = await run.client.apply(neutral, { dryRun: true, force: forceConflicts }).catch(() => undefined);
  if (!merged) return; // other immutable fields change too: --force
  const grown = [...want].filter(([t, size]) => compareQuantities(templateRequests(p.live as KubeObject).get(t) as string, size) < 0);
  p.merged = withTemplateRequests(merged, want);
  p.grow = true;
  p.action = "configured";
  p.reason = `re-created with orphan propagation (pods and volumes kept) to grow ${grown.map(([t, size]) => `volume claim template "${t}" to ${size}`).join(", ")}`;
}

/** Refuses what volumes cannot do: shrink, or grow where the StorageClass does not allow it. */
function refuseVolumeChanges(planned: Planned[]): void {
  for (const p of planned) {
    const [refusal] = [...(p.volumeRefusals ?? []), ...(p.resizes ?? []).flatMap((r) => (r.refusal ? [r.refusal] : []))];
    if (refusal) throw refusal;
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

function resizeChange(r: ClaimResize): ObjectChange {
  const p = { id: objectId(r.live), ref: r.ref, stage: "config" as const };
  return changeOf(p, "configured", `expand ${r.from} → ${r.to} (volume claim template "${r.template}" of StatefulSet ${r.statefulSet})`);
}

function refuseRecreates(planned: Planned[], force: boolean): void {
  for (const p of planned) {
    if (!p.recreate || p.grow) continue;
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
    const reason = p.grow ? (p.reason as string) : `re-created: immutable ${p.recreate.fields.join(", ")} changed`;
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

async function applyInstance(inst: RenderedInstance, opts: ApplyOptions, namespaceChanges: readonly ObjectChange[]): Promise<ApplyResult> {
  const run = new Run(opts, inst, opts.bundle?.name);
  const writesBefore = opts.client.counts.writes;
  const forceConflicts = opts.forceConflicts ?? false;
  const timeoutMs = run.timeoutMs;
  const oldSecret = await run.client.get(run.inventoryRef());
  const oldInv = decodeInventory(oldSecret);
  const planned = await prepare(run, inst);
  // The bundle's namespaces were created before any instance: none is pending here.
  const pendingNamespaces = await checkNamespaces(run, planned, new Set());
  await mapLimit(planned, run.concurrency, (p) => preflight(run, p, { forceConflicts, pendingNamespaces, collectRefusals: false }));
  refuseVolumeChanges(planned);
  refuseRecreates(planned, opts.force ?? false);
  const drifted = planned.filter((p) => p.action !== "unchanged" || p.deferred).length;
  run.emit("plan", `${planned.length} objects, ${drifted} to apply`);

  const changes: ObjectChange[] = [...namespaceChanges];
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

  changes.push(...(await expandClaims(run, planned)));
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

/** The instance's inventory is in namespace/name: the same instance. */
function sameInstance(a: InstanceRef, b: InstanceRef): boolean {
  return a.name === b.name && a.namespace === b.namespace;
}

/**
 * What the bundle holds in the cluster (inventories labelled with a bundle, in every namespace): refuses an instance
 * held by another bundle (unless forceConflicts), and returns the instances this bundle held before and no longer
 * holds, when the set is the whole bundle.
 */
async function leftBundle(instances: readonly RenderedInstance[], opts: ApplyOptions): Promise<Array<{ instance: InstanceRef; inventory: Inventory }>> {
  const bundle = opts.bundle;
  if (!bundle) return [];
  const secrets = await opts.client.list("v1", "Secret", { labelSelector: `${MANAGED_BY}=${TOOL},${BUNDLE},${INSTANCE}`, fieldSelector: `type=${INVENTORY_TYPE}` });
  const held = secrets.map((s) => ({ instance: { name: s.metadata.labels![INSTANCE]!, namespace: s.metadata.namespace! }, bundle: s.metadata.labels![BUNDLE]!, inventory: decodeInventory(s) }));
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
function announceRemovals(removed: ReadonlyArray<{ instance: InstanceRef }>, opts: ApplyOptions, dryRun: boolean): void {
  for (const { instance: ref } of removed) {
    const what = dryRun ? "apply would delete it" : "deleting it";
    opts.onEvent?.({ instance: instanceLabel(ref), phase: "plan", message: `no longer in bundle "${opts.bundle!.name}": ${what} as \`chroma-mod delete\` does (PersistentVolumeClaims and credentials kept)` });
  }
}

/**
 * The namespaces the bundle creates (`createNamespace` on any instance in them), each planned once; their changes are
 * reported with the first instance that lives in each. Labelled managed-by only: several bundles may share one.
 */
function planNamespaces(instances: readonly RenderedInstance[], opts: ApplyOptions): Array<{ run: Run; p: Planned }> {
  const first = new Map<string, RenderedInstance>();
  for (const inst of instances) if (inst.createNamespace && !first.has(inst.namespace)) first.set(inst.namespace, inst);
  return [...first.values()].map((inst) => {
    const obj = namespaceObject(inst.namespace);
    obj.metadata.labels = { ...obj.metadata.labels, [MANAGED_BY]: TOOL };
    return { run: new Run(opts, inst), p: plan(obj, false, false) };
  });
}

/** Creates (or updates) the bundle's namespaces before any instance; returns their changes by instance label. */
async function applyNamespaces(instances: readonly RenderedInstance[], opts: ApplyOptions): Promise<Map<string, ObjectChange[]>> {
  const planned = planNamespaces(instances, opts);
  const checks = { forceConflicts: opts.forceConflicts ?? false, pendingNamespaces: new Set<string>(), collectRefusals: false };
  await mapLimit(planned, opts.concurrency ?? 4, ({ run, p }) => preflight(run, p, checks));
  const changes = new Map<string, ObjectChange[]>();
  for (const { run, p } of planned) {
    const change = p.action === "unchanged" ? changeOf(p, "unchanged") : await applyPlanned(run, p, opts);
    changes.set(run.label, [...(changes.get(run.label) ?? []), change]);
  }
  const applied = planned.filter(({ p }) => p.action !== "unchanged");
  // The same timeout every Run resolves (opts.timeoutMs or the default).
  if (applied.length) await waitForReady(opts.client, applied.map(({ p }) => p.ref), { timeoutMs: applied[0]!.run.timeoutMs, intervalMs: 250 });
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
  const namespaceChanges = await applyNamespaces(instances, opts);
  const results = await mapLimit(instances, opts.concurrency ?? 4, (inst) => applyInstance(inst, opts, namespaceChanges.get(instanceLabel(inst)) ?? []));
  const removals: ApplyResult[] = [];
  for (const { instance } of removed) removals.push(await removeInstance(instance, opts));
  return [...removals, ...results];
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

/** What removing inventory entries would do: deletions (with their diff), or why an object stays. */
async function removalDiffs(run: Run, entries: readonly InventoryEntry[], action: "pruned" | "deleted", deleteData: boolean): Promise<ObjectDiff[]> {
  const changes: ObjectDiff[] = [];
  for (const entry of entries) {
    const ref = refFromEntry(entry);
    const p = { id: entry.id, ref, stage: stageOf(ref) };
    const live = await run.getOrGone(ref);
    if (!live) continue;
    if (!isOwnedBy(live, run.instance)) changes.push(objectDiff(p, "skipped", undefined, undefined, "no longer carries this instance's owner labels"));
    else if ((entry.generated || holdsData(live)) && !deleteData) changes.push(objectDiff(p, "skipped", undefined, undefined, "kept: holds data"));
    else changes.push(objectDiff(p, action, live, undefined));
  }
  return changes;
}

/** By stage (in apply order, or reversed for deletions, as destroy goes), then by id. */
function sortChanges<T extends ObjectChange>(changes: T[], deletions = false): T[] {
  const order = new Map(STAGES.map((s, i) => [s, deletions ? -i : i]));
  return changes.sort((a, b) => (order.get(a.stage) as number) - (order.get(b.stage) as number) || (a.id < b.id ? -1 : 1));
}

async function diffInstance(inst: RenderedInstance, opts: ApplyOptions, bundleNamespaces: ReadonlySet<string>, namespaceDiffs: readonly ObjectDiff[]): Promise<DiffResult> {
  const run = new Run(opts, inst);
  const oldInv = decodeInventory(await run.client.get(run.inventoryRef()));
  const planned = await prepare(run, inst);
  const pendingNamespaces = await checkNamespaces(run, planned, bundleNamespaces);
  await mapLimit(planned, run.concurrency, (p) => preflight(run, p, { forceConflicts: opts.forceConflicts ?? false, pendingNamespaces, collectRefusals: true }));
  const changes: ObjectDiff[] = [...namespaceDiffs];
  for (const p of planned) {
    const [shrink] = p.volumeRefusals ?? [];
    for (const r of p.resizes ?? []) {
      const rp = resizeChange(r);
      changes.push(r.refusal ? objectDiff(rp, "configured", r.live, undefined, `apply will refuse: ${r.refusal.message}`) : objectDiff(rp, "configured", r.live, r.merged, rp.reason));
    }
    if (shrink) {
      changes.push(objectDiff(p, "configured", p.live, undefined, `apply will refuse: ${shrink.message}`));
    } else if (p.recreate && !p.grow) {
      const why = opts.force ? "will be deleted and re-created" : "apply will refuse without --force";
      changes.push(objectDiff(p, "configured", p.live, undefined, `immutable ${p.recreate.fields.join(", ")} changed: ${why}`));
    } else if (p.refusal) {
      changes.push(objectDiff(p, p.action, p.live, undefined, `apply will fail: ${p.refusal.message}`));
    } else {
      changes.push(objectDiff(p, p.action, p.live, p.merged ?? p.obj, p.reason));
    }
  }
  const newIds = new Set(planned.map((p) => p.id));
  changes.push(...(await removalDiffs(run, (oldInv?.entries ?? []).filter((e) => !newIds.has(e.id)), "pruned", opts.deleteData ?? false)));
  sortChanges(changes);
  return { instance: { name: inst.name, namespace: inst.namespace }, changes, changed: changes.some((c) => c.action !== "unchanged" && c.action !== "skipped") };
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
  const namespaces = planNamespaces(instances, opts);
  const checks = { forceConflicts: opts.forceConflicts ?? false, pendingNamespaces: new Set<string>(), collectRefusals: true };
  await mapLimit(namespaces, opts.concurrency ?? 4, ({ run, p }) => preflight(run, p, checks));
  const namespaceDiffs = new Map<string, ObjectDiff[]>();
  for (const { run, p } of namespaces) {
    const d = p.refusal ? objectDiff(p, p.action, p.live, undefined, `apply will fail: ${p.refusal.message}`) : objectDiff(p, p.action, p.live, p.merged, p.reason);
    namespaceDiffs.set(run.label, [...(namespaceDiffs.get(run.label) ?? []), d]);
  }
  const created = new Set(namespaces.map(({ p }) => p.ref.name));
  const results = await mapLimit(instances, opts.concurrency ?? 4, (inst) => diffInstance(inst, opts, created, namespaceDiffs.get(instanceLabel(inst)) ?? []));
  const removals = await mapLimit(removed, opts.concurrency ?? 4, (r) => diffRemoval(r.instance, r.inventory, opts));
  return [...removals, ...results];
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

/**
 * Readiness of every object in an instance's inventory, and of the claims its StatefulSets own: a claim whose size
 * differs from its volume claim template (in `desired`, the objects the bundle renders now, else the live
 * StatefulSet's) is InProgress, saying so.
 */
export async function status(instance: InstanceRef, opts: EngineOptions & { desired?: readonly KubeObject[] | undefined }): Promise<StatusResult> {
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
    for (const { pvc, template } of await ownedClaims(run.client, sts)) {
      const ref = refOf(pvc);
      const size = claimRequest(pvc) as string;
      const asked = want.get(template) ?? size;
      const order = compareQuantities(size, asked);
      const state = order === 0 ? readiness(pvc) : { status: "InProgress" as const, message: `requests ${size}, the bundle asks ${asked}: ${order < 0 ? "apply expands it" : "volumes never shrink"}` };
      objects.push({ id: objectId(pvc), object: displayName(ref), ref, status: state.status, message: order === 0 ? `${state.message}, ${size}` : state.message });
    }
  }
  return { instance, found: true, module: inv.module, valuesDigest: inv.valuesDigest, objects };
}
