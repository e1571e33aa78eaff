/**
 * Growing volumes: a StatefulSet's volumeClaimTemplates storage request against the live PersistentVolumeClaims it
 * owns (`<template>-<statefulset>-<ordinal>`). Kubernetes never updates those claims when the template changes, and
 * refuses the template change itself; the engine expands the claims (where their StorageClass allows it) and
 * re-creates the StatefulSet with orphan propagation. Volumes never shrink. Generic: nothing here knows what the
 * volumes hold.
 */
import type { KubeObject } from "../../core/types.ts";
import type { KubeClient } from "../kube/client.ts";
import { describeRef, type ObjectRef } from "../kube/errors.ts";
import { ApplyError } from "./errors.ts";
import { compareQuantities } from "../../core/quantity.ts";
import type { LiveReader } from "./live.ts";

interface ClaimTemplate {
  readonly metadata: { readonly name: string };
  readonly spec?: { readonly resources?: { readonly requests?: { readonly storage?: string } } };
}

function templatesOf(sts: KubeObject): ClaimTemplate[] {
  return ((sts.spec as { volumeClaimTemplates?: ClaimTemplate[] } | undefined)?.volumeClaimTemplates ?? []) as ClaimTemplate[];
}

/** Storage request per volume claim template name. */
export function templateRequests(sts: KubeObject): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of templatesOf(sts)) {
    const storage = t.spec?.resources?.requests?.storage;
    if (storage !== undefined) out.set(t.metadata.name, storage);
  }
  return out;
}

/** A copy of `sts` whose volume claim templates request the sizes in `sizes` (templates not listed unchanged). */
export function withTemplateRequests(sts: KubeObject, sizes: ReadonlyMap<string, string>): KubeObject {
  const copy = structuredClone(sts);
  for (const t of templatesOf(copy)) {
    const size = sizes.get(t.metadata.name);
    if (size !== undefined) (t.spec as { resources: { requests: { storage: string } } }).resources.requests.storage = size;
  }
  return copy;
}

/** The template a claim was made from, when its name is `<template>-<statefulset>-<ordinal>`. */
export function claimTemplate(claimName: string, statefulSet: string, templates: Iterable<string>): string | undefined {
  for (const t of templates) if (new RegExp(`^${escapeRegExp(t)}-${escapeRegExp(statefulSet)}-\\d+$`).test(claimName)) return t;
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function claimRequest(pvc: KubeObject): string | undefined {
  return (pvc.spec as { resources?: { requests?: { storage?: string } } } | undefined)?.resources?.requests?.storage;
}

/** One live claim of a StatefulSet whose size differs from its template's. */
export interface ClaimResize {
  readonly ref: ObjectRef;
  readonly live: KubeObject;
  readonly statefulSet: string;
  readonly template: string;
  readonly from: string;
  readonly to: string;
  /** The partial object that sets the new request (server-side apply, force: the controller created the claim). */
  readonly patch: KubeObject;
  /** Why apply must refuse (a shrink, or a StorageClass that cannot expand). */
  readonly refusal?: ApplyError | undefined;
  /** The claim as the server would have it after the patch (diff). */
  merged?: KubeObject | undefined;
}

/** The live claims of a StatefulSet, with the template each was made from. */
export async function ownedClaims(reader: LiveReader, sts: KubeObject): Promise<Array<{ pvc: KubeObject; template: string }>> {
  const templates = [...templateRequests(sts).keys()];
  if (templates.length === 0) return [];
  const pvcs = await reader.claims(sts.metadata.namespace as string);
  return pvcs.flatMap((pvc) => {
    const template = claimTemplate(pvc.metadata.name, sts.metadata.name, templates);
    return template ? [{ pvc, template }] : [];
  });
}

/** Why a template change from `from` to `to` would shrink volumes: undefined when it does not. */
function shrinkRefusal(what: string, from: string, to: string, statefulSet: ObjectRef, template: string): ApplyError {
  return new ApplyError(
    `Cannot shrink ${what} from ${from} to ${to}: Kubernetes volumes only grow, and the volume claim template "${template}" of ${describeRef(statefulSet)} now asks ${to}.`,
    `Keep the size at ${from} or more; to make a volume smaller, move its data to a new, smaller claim yourself.`,
  );
}

/**
 * Compares a desired StatefulSet's volume claim templates with the live StatefulSet and the live claims it owns:
 * claims to expand (checked against their StorageClass), and refusals for any shrink.
 */
export async function planClaimResizes(
  reader: LiveReader,
  desired: KubeObject,
  live: KubeObject | undefined,
): Promise<{ resizes: ClaimResize[]; refusals: ApplyError[] }> {
  const want = templateRequests(desired);
  const refusals: ApplyError[] = [];
  const stsRef = { apiVersion: desired.apiVersion, kind: desired.kind, name: desired.metadata.name, namespace: desired.metadata.namespace };
  for (const [template, size] of live ? templateRequests(live) : []) {
    const to = want.get(template);
    if (to !== undefined && compareQuantities(to, size) < 0)
      refusals.push(shrinkRefusal(`the volume claim template "${template}" of ${describeRef(stsRef)}`, size, to, stsRef, template));
  }
  const resizes: ClaimResize[] = [];
  for (const { pvc, template } of await ownedClaims(reader, desired)) {
    const to = want.get(template)!;
    const from = claimRequest(pvc) as string; // the API server requires a claim's storage request
    const order = compareQuantities(from, to);
    if (order === 0) continue;
    const ref = { apiVersion: "v1", kind: "PersistentVolumeClaim", name: pvc.metadata.name, namespace: pvc.metadata.namespace };
    const patch = {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: ref.name, namespace: ref.namespace! },
      spec: { resources: { requests: { storage: to } } },
    };
    const refusal = order > 0 ? shrinkRefusal(describeRef(ref), from, to, stsRef, template) : await expansionRefusal(reader.client, pvc, ref, from, to);
    resizes.push({ ref, live: pvc, statefulSet: desired.metadata.name, template, from, to, patch, refusal });
  }
  return { resizes, refusals };
}

/** A claim can grow only when its StorageClass says `allowVolumeExpansion: true`. */
async function expansionRefusal(client: KubeClient, pvc: KubeObject, ref: ObjectRef, from: string, to: string): Promise<ApplyError | undefined> {
  const className = (pvc.spec as { storageClassName?: string }).storageClassName;
  const cls = className ? await client.get({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", name: className }) : undefined;
  if (cls?.allowVolumeExpansion === true) return undefined;
  const why = className
    ? `its StorageClass "${className}" does not allow volume expansion (allowVolumeExpansion is not true)`
    : "it has no StorageClass, so it cannot be expanded";
  return new ApplyError(
    `Cannot grow ${describeRef(ref)} from ${from} to ${to}: ${why}.`,
    className
      ? `Keep the size at ${from}, or have a cluster administrator set allowVolumeExpansion: true on StorageClass "${className}" (if its provisioner can expand volumes), or move the data to a new claim yourself.`
      : `Keep the size at ${from}, or move the data to a new claim of a StorageClass that allows expansion yourself.`,
  );
}
