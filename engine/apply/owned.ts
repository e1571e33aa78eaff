/**
 * Deciding "unchanged" without asking the server: an object needs no apply when the live `managedFields` entry of our
 * field manager (operation Apply, same apiVersion) owns exactly the fields we send and the live values of those fields
 * equal ours. Server-side apply then has nothing to add, change or release. Schema-free: the entry's `fieldsV1` names
 * list items by their keys (`k:{…}`) and set items by value (`v:…`), so it can be walked together with the objects.
 *
 * Conservative by construction: whatever this cannot match exactly (a quantity the server wrote in another form, a
 * field the server defaulted inside something we own, a list another manager added items to, an entry of another
 * apiVersion) is "undecided", and the caller falls back to a server-side dry-run, which decides it for sure.
 */
import type { KubeObject } from "../../core/types.ts";
import { deepEqual } from "./normalize.ts";

interface ManagedFieldsEntry {
  readonly manager?: string;
  readonly operation?: string;
  readonly apiVersion?: string;
  readonly subresource?: string;
  readonly fieldsType?: string;
  readonly fieldsV1?: FieldSet;
}

/** A node of a fieldsV1 set: `f:<field>`, `k:<json key>`, `v:<json value>`, `.` (the list item itself). */
type FieldSet = { readonly [key: string]: FieldSet };

type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The API server fills a list-map key field the applier left out with its default, and records it as owned: the only
 * such default of the built-in kinds is a port's `protocol: TCP` (containers, Services, endpoints).
 */
function isDefaultedKey(field: string, value: Json): boolean {
  return field === "protocol" && value === "TCP";
}

/**
 * A value Go's `omitempty` leaves out of the stored object: a field we own (so we sent it) that is absent live was
 * sent with such a value, and sending it again stores nothing again.
 */
function isEmptyValue(v: Json): boolean {
  return v === 0 || v === false || v === "" || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

/**
 * A value owned as a whole (a scalar, an atomic list or map): equal, except that the API server's `status` of an
 * object embedded in it (a StatefulSet's volume claim templates) is not ours to compare (appliers never send status).
 */
function sameLeaf(desired: Json, live: Json): boolean {
  if (Array.isArray(desired) && Array.isArray(live)) return desired.length === live.length && desired.every((d, i) => sameLeaf(d, live[i]));
  if (!isObject(desired) || !isObject(live)) return deepEqual(desired, live);
  const keys = Object.keys(live).filter((k) => !(k === "status" && desired[k] === undefined));
  return keys.length === Object.keys(desired).length && keys.every((k) => Object.hasOwn(desired, k) && sameLeaf(desired[k], live[k]));
}

/** `desired` (what we send, as JSON) is exactly what `owned` marks of `live`, with equal values. */
function sameOwned(desired: Json, live: Json, owned: FieldSet, defaultedKeys: ReadonlySet<string> = new Set()): boolean {
  const keys = Object.keys(owned).filter((k) => k !== ".");
  if (keys.length === 0) return sameLeaf(desired, live);
  if (Array.isArray(live)) return sameItems(desired, live, owned, keys);
  if (!isObject(live) || !isObject(desired)) return false;
  const fields = new Set<string>();
  for (const key of keys) {
    if (!key.startsWith("f:")) return false;
    const field = key.slice(2);
    fields.add(field);
    if (desired[field] === undefined) {
      if (defaultedKeys.has(field) && isDefaultedKey(field, live[field])) continue;
      return false;
    }
    if (!Object.hasOwn(live, field)) {
      if (isEmptyValue(desired[field])) continue;
      return false;
    }
    if (!sameOwned(desired[field], live[field], owned[key] as FieldSet)) return false;
  }
  // A key whose value is undefined is not sent (JSON).
  return Object.keys(desired).every((field) => desired[field] === undefined || fields.has(field));
}

/** The items of a list we own (by key or value), in live order, against the items we send, in our order. */
function sameItems(desired: Json, live: Json[], owned: FieldSet, keys: string[]): boolean {
  if (!Array.isArray(desired)) return false;
  const items: Array<{ index: number; key: string }> = [];
  for (const key of keys) {
    const kind = key.slice(0, 2);
    if (kind !== "k:" && kind !== "v:") return false;
    let wanted: Json;
    try {
      wanted = JSON.parse(key.slice(2));
    } catch {
      return false;
    }
    const index = live.findIndex((item) => (kind === "v:" ? deepEqual(item, wanted) : isObject(wanted) && matchesKey(item, wanted)));
    if (index < 0) return false;
    items.push({ index, key });
  }
  if (items.length !== desired.length) return false;
  items.sort((a, b) => a.index - b.index);
  return items.every(({ index, key }, i) => {
    if (key.startsWith("v:")) return deepEqual(desired[i], live[index]);
    const keyFields = new Set(Object.keys(JSON.parse(key.slice(2)) as object));
    return sameOwned(desired[i], live[index], owned[key] as FieldSet, keyFields);
  });
}

function matchesKey(item: Json, key: Record<string, Json>): boolean {
  return isObject(item) && Object.entries(key).every(([k, v]) => deepEqual(item[k], v));
}

/** What of an object server-side apply records as owned: everything but its identity (apiVersion, kind, name, namespace). */
function ownedPart(obj: KubeObject): Record<string, Json> {
  const { apiVersion: _a, kind: _k, metadata, ...rest } = obj;
  const { name: _n, namespace: _ns, ...meta } = metadata;
  return Object.keys(meta).length ? { ...rest, metadata: meta } : rest;
}

/**
 * True when applying `desired` with `manager` would change nothing in `live`: the manager's Apply entry owns exactly
 * the fields of `desired` and every one of them has the same value live. False means "not known": dry-run it.
 */
export function unchangedByOwnership(desired: KubeObject, live: KubeObject, manager: string): boolean {
  const entries = (live.metadata.managedFields ?? []) as ManagedFieldsEntry[];
  const ours = entries.filter((e) => e.manager === manager && e.operation === "Apply" && !e.subresource);
  const [entry] = ours;
  if (ours.length !== 1 || !entry || entry.apiVersion !== desired.apiVersion || entry.fieldsType !== "FieldsV1" || !entry.fieldsV1) return false;
  return sameOwned(ownedPart(desired), live, entry.fieldsV1);
}
