/**
 * The inventory of an instance: a Secret `chroma-mod.<instance>` in the instance namespace, which is also the
 * kubectl ApplySet parent of every object the instance applied.
 */
import type { KubeObject } from "../../core/types.ts";
import type { ObjectRef } from "../kube/errors.ts";
import { applySetId, groupKind } from "./ids.ts";
import { APPLYSET_GROUP_KINDS, APPLYSET_ID, APPLYSET_NAMESPACES, APPLYSET_TOOLING, BUNDLE, type InstanceRef, ownerLabels, TOOL } from "./labels.ts";
import type { Revision } from "./history.ts";
import { deepEqual } from "./normalize.ts";

const INVENTORY_KEY = "inventory";
const HISTORY_KEY = "history";
export const INVENTORY_TYPE = "chroma-mod.io/inventory";

export interface InventoryEntry {
  /** `<ns>_<name>_<group>_<kind>` */
  readonly id: string;
  /** apiVersion the object was applied with. */
  readonly v: string;
  /** A generated Secret: never pruned, deleted only with deleteData. */
  readonly generated?: true;
}

export interface Inventory {
  readonly module: string;
  readonly valuesDigest: string;
  readonly entries: readonly InventoryEntry[];
  /** The instance's revisions (engine/apply/history.ts), stored under their own key. */
  readonly history?: readonly Revision[];
}

export function inventoryName(instance: InstanceRef): string {
  return `${TOOL}.${instance.name}`;
}

/** Parses an inventory id back into a reference (`__` in names becomes `:` again). */
export function refFromEntry(entry: InventoryEntry): ObjectRef {
  const parts = entry.id.split("_");
  const kind = parts.pop() as string;
  parts.pop(); // group: implied by the apiVersion
  const namespace = parts.shift() as string;
  const name = parts.join("_").replaceAll("__", ":");
  return { apiVersion: entry.v, kind, name, ...(namespace ? { namespace } : {}) };
}

/** Union of two entry lists by id (later lists win), sorted by id. */
export function mergeEntries(...lists: ReadonlyArray<readonly InventoryEntry[]>): InventoryEntry[] {
  const byId = new Map<string, InventoryEntry>();
  for (const list of lists) for (const e of list) byId.set(e.id, e);
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}

const decode = (raw: string): unknown => JSON.parse(Buffer.from(raw, "base64").toString("utf8"));
const encode = (value: unknown): string => Buffer.from(JSON.stringify(value), "utf8").toString("base64");

/** Decodes the inventory stored in a live Secret; undefined when absent or unreadable (an unreadable history: none). */
export function decodeInventory(secret: KubeObject | undefined): Inventory | undefined {
  const data = secret?.data as Record<string, string> | undefined;
  const raw = data?.[INVENTORY_KEY];
  if (!raw) return undefined;
  let inv: Inventory;
  try {
    inv = decode(raw) as Inventory;
  } catch {
    return undefined;
  }
  if (!Array.isArray(inv.entries)) return undefined;
  let history: unknown;
  try {
    history = data[HISTORY_KEY] ? decode(data[HISTORY_KEY]) : undefined;
  } catch {
    history = undefined;
  }
  return Array.isArray(history) ? { ...inv, history: history as Revision[] } : inv;
}

/**
 * The inventory Secret: ApplySet parent with id label, tooling and contains-group-kinds annotations; labelled with
 * the bundle that holds the instance, when there is one.
 */
export function inventorySecret(instance: InstanceRef, inv: Inventory, toolVersion: string, bundle?: string): KubeObject {
  const kinds = new Set<string>();
  const namespaces = new Set<string>();
  for (const e of inv.entries) {
    const ref = refFromEntry(e);
    kinds.add(groupKind(ref.apiVersion, ref.kind));
    if (ref.namespace && ref.namespace !== instance.namespace) namespaces.add(ref.namespace);
  }
  const name = inventoryName(instance);
  const annotations: Record<string, string> = {
    [APPLYSET_TOOLING]: `${TOOL}/${toolVersion}`,
    [APPLYSET_GROUP_KINDS]: [...kinds].sort().join(","),
  };
  if (namespaces.size) annotations[APPLYSET_NAMESPACES] = [...namespaces].sort().join(",");
  const body: Inventory = { module: inv.module, valuesDigest: inv.valuesDigest, entries: mergeEntries(inv.entries) };
  const data: Record<string, string> = { [INVENTORY_KEY]: encode(body) };
  if (inv.history?.length) data[HISTORY_KEY] = encode(inv.history);
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name,
      namespace: instance.namespace,
      labels: { ...ownerLabels(instance), [APPLYSET_ID]: applySetId(name, instance.namespace), ...(bundle ? { [BUNDLE]: bundle } : {}) },
      annotations,
    },
    type: INVENTORY_TYPE,
    data,
  };
}

/** True when the live inventory Secret already says what `desired` says (so no write is needed). */
export function inventoryUpToDate(live: KubeObject | undefined, desired: KubeObject): boolean {
  if (!live) return false;
  const want = desired.metadata as { labels: Record<string, string>; annotations: Record<string, string> };
  const liveAnnotations = live.metadata.annotations ?? {};
  const subset = (have: Record<string, string> | undefined, wanted: Record<string, string>) => Object.entries(wanted).every(([k, v]) => have?.[k] === v);
  return (
    live.type === desired.type &&
    subset(live.metadata.labels, want.labels) &&
    live.metadata.labels?.[BUNDLE] === want.labels[BUNDLE] &&
    subset(liveAnnotations, want.annotations) &&
    Object.keys(liveAnnotations).every((k) => !k.startsWith("applyset.") || k in want.annotations) &&
    deepEqual(decodeInventory(live), decodeInventory(desired))
  );
}
