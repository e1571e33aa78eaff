/**
 * Taking objects over from another tool (a Helm release), in place, before they are applied:
 *
 * - each object the instance renders and the other tool holds has its field ownership moved to chroma-mod: the other
 *   tool's managedFields entries (Helm 3 writes them as Updates, Helm 4 as Applies, both as manager "helm") become
 *   chroma-mod's Apply entry, as kubectl's client-side-apply upgrade does. The apply that follows then owns every
 *   field the chart set, so a field chroma-mod does not send (the chart's labels and annotations) is removed instead
 *   of staying behind with a manager nobody runs, and there is no conflict to force;
 * - a StatefulSet re-created because its immutable fields changed (a chart's selector and claim templates never match
 *   ours) is deleted with orphan propagation, so its claims survive even when its persistentVolumeClaimRetentionPolicy
 *   says Delete (apply.ts);
 * - objects the other tool holds that the instance does not render are left alone and reported: they may be shared
 *   (the chart names some ConfigMaps without the release), and their owner decides;
 * - refused before anything is written: a StatefulSet of the other tool whose volume claim templates the instance
 *   does not render under the same StatefulSet and template names (its claims, and the data in them, would no longer
 *   be mounted).
 *
 * Generic: which objects and which managers are the caller's (the CLI reads them from the Helm release).
 */
import type { KubeObject, RenderedInstance } from "../../core/types.ts";
import { type KubeClient, refOf } from "../kube/client.ts";
import { describeRef, type ObjectRef } from "../kube/errors.ts";
import { splitApiVersion } from "../kube/api-version.ts";
import { ApplyError } from "./errors.ts";
import { objectId } from "./ids.ts";
import { templateRequests } from "./volumes.ts";
import { deleteAndWait } from "./wait.ts";

export interface Adoption {
  /** Who holds the objects, for messages: `Helm release "chroma"`. */
  readonly owner: string;
  /** Its field managers: their managedFields entries become chroma-mod's. */
  readonly managers: readonly string[];
  /** Its objects (namespaced ones with their namespace set). */
  readonly objects: readonly KubeObject[];
}

export interface AdoptionResult {
  /** Objects now owned by chroma-mod (still as the other tool left them: the apply that follows updates them). */
  readonly taken: readonly ObjectRef[];
  /** Objects of the other tool the instance does not render: left as they are. */
  readonly left: readonly ObjectRef[];
  /** Pods a StatefulSet of the other tool left behind when it was deleted with orphan propagation: stopped. */
  readonly stopped: readonly ObjectRef[];
}

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: FieldSet;
  subresource?: string;
}
type FieldSet = { [key: string]: FieldSet };

/** The union of two FieldsV1 sets (each a trie of `f:`, `k:`, `v:`, `i:` and `.` keys). */
export function unionFields(a: FieldSet, b: FieldSet): FieldSet {
  const out: FieldSet = { ...a };
  for (const [key, sub] of Object.entries(b)) out[key] = key in out ? unionFields(out[key]!, sub) : sub;
  return out;
}

/**
 * The managedFields with the entries of `managers` (main resource only: a status subresource entry stays) merged into
 * `ours`'s Apply entry of the same apiVersion; undefined when there is nothing to move.
 */
export function takeOverFields(
  entries: readonly ManagedFieldsEntry[],
  managers: readonly string[],
  ours: string,
  now: string,
): ManagedFieldsEntry[] | undefined {
  // Every entry names its manager (the API server refuses one without).
  const theirs = (e: ManagedFieldsEntry) => !e.subresource && managers.includes(e.manager as string);
  const moved = (e: ManagedFieldsEntry) => theirs(e) || (!e.subresource && e.manager === ours && e.operation === "Apply");
  const taken = entries.filter(theirs);
  if (taken.length === 0) return undefined;
  const merged = new Map<string, ManagedFieldsEntry>();
  for (const e of entries.filter(moved)) {
    const version = e.apiVersion as string;
    const prior = merged.get(version);
    merged.set(version, {
      manager: ours,
      operation: "Apply",
      apiVersion: version,
      time: now,
      fieldsType: "FieldsV1",
      fieldsV1: unionFields(prior?.fieldsV1 ?? {}, e.fieldsV1 ?? {}),
    });
  }
  return [...entries.filter((e) => !moved(e)), ...merged.values()];
}

/** `group/Kind/namespace/name`: the same object whatever version of its group names it. */
function identity(o: KubeObject): string {
  return `${splitApiVersion(o.apiVersion).group}/${objectId(o)}`;
}

/**
 * An object with `namespace` where it names none, on both sides (the instance's objects, the release's in the same
 * namespace), so a cluster-scoped one compares equal too; a request ignores the namespace of a cluster-scoped kind.
 */
export function inNamespace(o: KubeObject, namespace: string): KubeObject {
  return { ...o, metadata: { ...o.metadata, namespace: o.metadata.namespace ?? namespace } };
}

/** Why the instance cannot take over `theirs`'s volumes: a claim template it does not render under the same names. */
function volumeRefusal(adoption: Adoption, theirs: KubeObject, rendered: ReadonlyMap<string, KubeObject>): ApplyError | undefined {
  const templates = [...templateRequests(theirs).keys()];
  if (theirs.kind !== "StatefulSet" || templates.length === 0) return undefined;
  const ours = rendered.get(identity(theirs));
  const missing = ours ? templates.filter((t) => !templateRequests(ours).has(t)) : templates;
  if (missing.length === 0) return undefined;
  return new ApplyError(
    `Cannot adopt ${adoption.owner}: its ${describeRef(refOf(theirs))} keeps its data in the claims of its volume claim templates ${missing.map((t) => `"${t}" (${t}-${theirs.metadata.name}-0, …)`).join(", ")}, and the instance renders no StatefulSet "${theirs.metadata.name}" with them: the new pods would start on empty volumes.`,
    "Name the instance's objects as the release named them (chroma-mod import helm writes nameOverride/fullnameOverride for that), then adopt again.",
  );
}

/**
 * The pods a StatefulSet of the other tool left running when it was deleted with orphan propagation, as an adoption
 * interrupted between re-creating steps leaves them (apply.ts deletes them right after the StatefulSet otherwise):
 * named `<statefulset>-<n>` and selected by its selector. The instance's StatefulSet could never
 * create its pods under those names, so they are stopped (gracefully; their claims stay).
 */
async function stopLeftPods(client: KubeClient, theirs: KubeObject, timeoutMs: number): Promise<ObjectRef[]> {
  const labels = (theirs.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels;
  const selector = Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  const pods = await client.list("v1", "Pod", { namespace: theirs.metadata.namespace, labelSelector: selector });
  const name = new RegExp(`^${theirs.metadata.name.replace(/[.]/g, "\\.")}-\\d+$`);
  // With the StatefulSet gone, nothing else owns a pod of its name and selector (its deletion orphaned the pods, or
  // the garbage collector is deleting them, which this only hastens).
  const refs = pods.filter((p) => name.test(p.metadata.name)).map(refOf);
  for (const ref of refs) await deleteAndWait(client, ref, "Background", timeoutMs);
  return refs;
}

/**
 * Moves the ownership of the objects the instance renders and `adoption` holds to chroma-mod (one JSON patch each,
 * guarded by the object's resourceVersion). Objects that do not exist are skipped (the apply creates them).
 */
export async function adopt(client: KubeClient, inst: RenderedInstance, adoption: Adoption, timeoutMs = 300_000): Promise<AdoptionResult> {
  const rendered = new Map(inst.objects.map((o) => [identity(inNamespace(o, inst.namespace)), inNamespace(o, inst.namespace)]));
  const refusals = adoption.objects.flatMap((o) => volumeRefusal(adoption, o, rendered) ?? []);
  if (refusals.length > 0) throw refusals[0];
  const taken: ObjectRef[] = [];
  const left: ObjectRef[] = [];
  const stopped: ObjectRef[] = [];
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  for (const theirs of adoption.objects) {
    const ours = rendered.get(identity(theirs));
    if (!ours) {
      left.push(refOf(theirs));
      continue;
    }
    const ref = refOf(ours);
    const live = await client.get(ref);
    if (!live) {
      if (theirs.kind === "StatefulSet") stopped.push(...(await stopLeftPods(client, theirs, timeoutMs)));
      continue;
    }
    const fields = takeOverFields(live.metadata.managedFields as ManagedFieldsEntry[], adoption.managers, client.fieldManager, now);
    if (fields) {
      await client.jsonPatch(ref, [
        { op: "test", path: "/metadata/resourceVersion", value: live.metadata.resourceVersion },
        { op: "replace", path: "/metadata/managedFields", value: fields },
      ]);
    }
    taken.push(ref);
  }
  return { taken, left, stopped };
}

/** The ids (inventory ids) of the objects taken over: apply may re-create them past immutable fields. */
export function adoptedIds(result: AdoptionResult): Set<string> {
  return new Set(result.taken.map((r) => objectId({ apiVersion: r.apiVersion, kind: r.kind, metadata: { name: r.name, namespace: r.namespace } })));
}
