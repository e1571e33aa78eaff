/**
 * The change set: what a run did (or, for diff, would do) to each object, the one order changes are reported in, and
 * the one rule saying whether a run changed anything.
 */
import type { ObjectRef } from "../kube/errors.ts";
import { displayName, objectId } from "./ids.ts";
import { type Stage, STAGES } from "./order.ts";
import type { ClaimResize } from "./volumes.ts";

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

/** An object as the change set knows it: its inventory id, reference and stage. */
export interface ChangeSubject {
  readonly id: string;
  readonly ref: ObjectRef;
  readonly stage: Stage;
}

export function changeOf(p: ChangeSubject, action: ChangeAction, reason?: string): ObjectChange {
  return { id: p.id, object: displayName(p.ref), ref: p.ref, stage: p.stage, action, ...(reason ? { reason } : {}) };
}

/** The change of a live claim expanded to follow its StatefulSet's volume claim template. */
export function resizeChange(r: ClaimResize): ObjectChange {
  const p = { id: objectId(r.live), ref: r.ref, stage: "config" as const };
  return changeOf(p, "configured", `expand ${r.from} → ${r.to} (volume claim template "${r.template}" of StatefulSet ${r.statefulSet})`);
}

/** Sorts in place by stage (in apply order, or reversed for deletions, as destroy goes), then by id. */
export function sortChanges<T extends ObjectChange>(changes: T[], deletions = false): T[] {
  const order = new Map(STAGES.map((s, i) => [s, deletions ? -i : i]));
  return changes.sort((a, b) => (order.get(a.stage) as number) - (order.get(b.stage) as number) || (a.id < b.id ? -1 : 1));
}

/** A run changed something when an object was created, configured, pruned or deleted: anything but unchanged or skipped. */
export function hasChanges(changes: readonly ObjectChange[]): boolean {
  return changes.some((c) => c.action !== "unchanged" && c.action !== "skipped");
}
