/**
 * Planning: the desired objects of an instance prepared for apply, and the preflight that learns, per object, what
 * apply would do (GET + server-side dry-run: created, configured, unchanged, deferred, re-created, refused).
 */
import type { KubeObject, RenderedInstance } from "../../core/types.ts";
import { compareQuantities } from "../../core/quantity.ts";
import { refOf } from "../kube/client.ts";
import { ApiError, describeRef, FieldConflictError, ImmutableFieldError, KindNotFoundError, NamespaceNotFoundError, type ObjectRef } from "../kube/errors.ts";
import { ApplyError } from "./errors.ts";
import { certificateIssuer, decodeSecretData, fillSecretData, generatedSecretObject } from "./generated.ts";
import { applySetId, objectId } from "./ids.ts";
import { decodeInventory, type Inventory, inventoryName } from "./inventory.ts";
import { APPLYSET_PART_OF, ownerLabels } from "./labels.ts";
import { hasDrifted, isHandEdit, prepareDesired } from "./normalize.ts";
import { unchangedByOwnership } from "./owned.ts";
import { mapLimit, type Stage, stageOf } from "./order.ts";
import type { Run } from "./run.ts";
import { type ClaimResize, planClaimResizes, templateRequests, withTemplateRequests } from "./volumes.ts";

/** One object of the desired set, with what the preflight learnt. */
export interface Planned {
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
    if (namespaced === undefined)
      throw new KindNotFoundError(o.apiVersion, o.kind, `${o.kind} "${o.metadata.name}"`, run.opts.kindHints?.[`${o.apiVersion}/${o.kind}`]);
    const deferred = !m;
    const obj = prepareDesired(structuredClone(o));
    if (namespaced) obj.metadata.namespace ??= inst.namespace;
    else delete obj.metadata.namespace;
    obj.metadata.labels = { ...obj.metadata.labels, ...labels };
    const p = plan(obj, false, deferred);
    p.crdProvided = crdScopes.has(`${o.apiVersion}/${o.kind}`);
    return p;
  });
  const issue = await certificateIssuer(inst.generatedSecrets);
  for (const g of inst.generatedSecrets) {
    const ref = { apiVersion: "v1", kind: "Secret", name: g.metadata.name, namespace: g.metadata.namespace };
    const live = await run.reader.get(ref);
    const { data, added } = fillSecretData(g, decodeSecretData(live), issue);
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

/** A desired object, before its preflight. */
export function plan(obj: KubeObject, generated: boolean, deferred: boolean): Planned {
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
    const live = await run.reader.namespace(ns);
    if (live) continue;
    if (!provided.has(ns)) throw new NamespaceNotFoundError(ns, ns === run.instance.namespace ? run.instance.name : undefined);
    pending.add(ns);
  }
  return pending;
}

/**
 * What a preflight is told: whether conflicts are taken over, the namespaces still to be created, and whether a field
 * conflict is recorded as a refusal (diff) rather than thrown (apply).
 */
export interface Checks {
  readonly forceConflicts: boolean;
  readonly pendingNamespaces: ReadonlySet<string>;
  readonly collectRefusals: boolean;
}

/** GET + server-side dry-run of one object; decides created/configured/unchanged. */
export async function preflight(run: Run, p: Planned, opts: Checks): Promise<void> {
  // The CRD may have been applied since: look again.
  if (p.deferred && opts.pendingNamespaces.size === 0 && (await run.client.lookup(p.ref.apiVersion, p.ref.kind))) p.deferred = false;
  if (p.deferred || (p.ref.namespace && opts.pendingNamespaces.has(p.ref.namespace))) {
    p.deferred = true;
    p.action = "created";
    return;
  }
  p.live = await run.reader.get(p.ref);
  if (p.ref.kind === "StatefulSet") {
    const volumes = await planClaimResizes(run.reader, p.obj, p.live);
    p.resizes = volumes.resizes;
    p.volumeRefusals = volumes.refusals;
    const expand = volumes.resizes.filter((r) => !r.refusal);
    await mapLimit(expand, run.concurrency, async (r) => {
      r.merged = await run.client.apply(r.patch, { dryRun: true, force: true });
    });
  }
  if (!p.live && !opts.collectRefusals) {
    // Nothing to merge with: apply creates exactly this object, and the create itself is checked by the server.
    // (diff dry-runs it: what the server would refuse or default is what diff is asked for.)
    p.action = "created";
    return;
  }
  if (p.live && unchangedByOwnership(p.obj, p.live, run.client.fieldManager)) {
    p.action = "unchanged";
    return;
  }
  try {
    p.merged = await run.client.apply(p.obj, { dryRun: true, force: opts.forceConflicts });
  } catch (e) {
    // Conflicts and immutable fields only happen on updates, so p.live exists where they are handled.
    if (e instanceof FieldConflictError && e.managers.every((m) => isHandEdit(p.live!, m))) {
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

/**
 * Plans an instance: reads its last inventory, prepares its desired objects, checks the namespaces they need (those of
 * `bundleNamespaces` may still be missing: what goes in them is deferred) and preflights every object.
 */
export async function planInstance(
  run: Run,
  inst: RenderedInstance,
  bundleNamespaces: ReadonlySet<string>,
  checks: Omit<Checks, "pendingNamespaces">,
): Promise<{ secret: KubeObject | undefined; inventory: Inventory | undefined; planned: Planned[] }> {
  const secret = await run.reader.get(run.inventoryRef());
  const inventory = decodeInventory(secret);
  const planned = await prepare(run, inst);
  const pendingNamespaces = await checkNamespaces(run, planned, bundleNamespaces);
  await mapLimit(planned, run.concurrency, (p) => preflight(run, p, { ...checks, pendingNamespaces }));
  return { secret, inventory, planned };
}
