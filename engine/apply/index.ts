/**
 * The engine's public API: apply, diff, destroy and status of rendered instances against a cluster, with inventory,
 * staged server-side apply, drift detection, prune and wait. It knows nothing about what the objects are for.
 *
 * Split by concern, as fluxcd/pkg's `ssa` is: options.ts (what callers pass), run.ts (one instance's run),
 * changeset.ts (change entries, their order, whether anything changed), plan.ts (desired objects and their
 * preflight dry-runs), apply.ts, diff.ts, prune.ts (removal and the keep-data rule), delete.ts, status.ts,
 * bundle.ts (instances that left the bundle, the bundle's namespaces); order.ts (stages), wait.ts (readiness),
 * inventory.ts, normalize.ts, volumes.ts beside them.
 */
export { apply, type ApplyResult } from "./apply.ts";
export type { ObjectChange } from "./changeset.ts";
export { destroy, type DestroyResult } from "./delete.ts";
export { diff, diffExitCode, type DiffResult } from "./diff.ts";
export type { EngineEvent } from "./options.ts";
export { status, type StatusResult } from "./status.ts";
export { history, type Revision } from "./history.ts";
export { ApplyError } from "./errors.ts";
export * from "../kube/errors.ts";
