/** Semantic comparison of objects: drops what the server owns (status, managedFields, resourceVersion…). */
import type { KubeObject } from "../../core/types.ts";

/**
 * A copy keeping only what a user declares: metadata name/namespace/labels/annotations, no status; apiVersion, kind
 * and metadata first, as kubectl shows objects (a GET, a list item and a dry-run answer each order them differently).
 */
export function normalize(obj: KubeObject): KubeObject {
  const { status: _status, metadata, apiVersion, kind, ...rest } = obj;
  const meta: KubeObject["metadata"] = { name: metadata.name };
  if (metadata.namespace) meta.namespace = metadata.namespace;
  if (metadata.labels && Object.keys(metadata.labels).length) meta.labels = sortKeys(metadata.labels);
  if (metadata.annotations && Object.keys(metadata.annotations).length) meta.annotations = sortKeys(metadata.annotations);
  return { apiVersion, kind, metadata: meta, ...rest } as KubeObject;
}

/** Deep equality of plain JSON data, key order ignored. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** True when applying would change the live object (live vs the dry-run result). */
export function hasDrifted(live: KubeObject, merged: KubeObject): boolean {
  return !deepEqual(normalize(live), normalize(merged));
}

function sortKeys(r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(r)
      .sort()
      .map((k) => [k, r[k] as string]),
  );
}

/** Hand edits: Update operations by kubectl (kubectl-edit, kubectl-patch, kubectl-client-side-apply, …). */
export function isHandEdit(live: KubeObject, manager: string): boolean {
  const fields = (live.metadata.managedFields ?? []) as Array<{ manager?: string; operation?: string }>;
  return fields.some((f) => f.manager === manager && f.operation === "Update" && (manager.startsWith("kubectl") || manager === "before-first-apply"));
}

/**
 * Desired-object fixes before apply: a v1 Secret's `stringData` becomes base64 `data` (the API server never
 * stores stringData, so applying it would show as drift forever and confuse field ownership).
 */
export function prepareDesired(obj: KubeObject): KubeObject {
  if (obj.kind !== "Secret" || obj.apiVersion !== "v1" || obj.stringData === undefined) return obj;
  const { stringData, ...rest } = obj;
  const encoded = Object.entries(stringData as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, "utf8").toString("base64")]);
  return { ...rest, data: { ...(obj.data as Record<string, string> | undefined), ...Object.fromEntries(encoded) } } as KubeObject;
}
