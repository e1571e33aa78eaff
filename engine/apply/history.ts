/**
 * The revisions of an instance: what each apply of other values applied (the values, the module, when),
 * kept in the inventory Secret beside the inventory (key `history`), the last HISTORY_LIMIT of them and at most
 * HISTORY_MAX_BYTES. A no-op apply records nothing, so it still writes nothing. `rollback` re-applies one.
 */
import type { KubeClient } from "../kube/client.ts";
import { decodeInventory, inventoryName } from "./inventory.ts";
import type { InstanceRef } from "./labels.ts";

export interface Revision {
  readonly revision: number;
  /** ISO time of the apply. */
  readonly appliedAt: string;
  /** `chroma-mod/<version>` that applied it. */
  readonly tool: string;
  /** `<module>/<version>` that rendered it. */
  readonly module: string;
  readonly valuesDigest: string;
  /** The instance's resolved values, as the module validated them (plain data). */
  readonly values: unknown;
  /** Why it was recorded when not by a plain apply (e.g. "rollback to 2"). */
  readonly note?: string;
}

export const HISTORY_LIMIT = 10;
export const HISTORY_MAX_BYTES = 256 * 1024;

/** The history with `entry` appended as the next revision, trimmed to the limits (oldest first out). */
export function appendRevision(old: readonly Revision[], entry: Omit<Revision, "revision">): Revision[] {
  const revision = (old.at(-1)?.revision ?? 0) + 1;
  const out = [...old, { revision, ...entry }].slice(-HISTORY_LIMIT);
  while (out.length > 1 && Buffer.byteLength(JSON.stringify(out)) > HISTORY_MAX_BYTES) out.shift();
  return out;
}

/**
 * A new revision is due when the apply applied other values, or a module of another version rendered them, than the
 * last revision recorded. Repairing drift re-applies the same revision (no new one, no extra write).
 */
export function revisionDue(old: readonly Revision[], valuesDigest: string, module: string): boolean {
  const last = old.at(-1);
  return last?.valuesDigest !== valuesDigest || last.module !== module;
}

/** The recorded revisions of an instance, oldest first; `found` false when it has no inventory. */
export async function history(ref: InstanceRef, opts: { client: KubeClient }): Promise<{ found: boolean; revisions: Revision[] }> {
  const secret = await opts.client.get({ apiVersion: "v1", kind: "Secret", namespace: ref.namespace, name: inventoryName(ref) });
  const inv = decodeInventory(secret);
  return { found: inv !== undefined, revisions: [...(inv?.history ?? [])] };
}
