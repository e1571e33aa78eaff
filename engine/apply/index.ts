/** The engine's public API: apply, diff, destroy and status of rendered instances. */
export {
  apply,
  diff,
  diffExitCode,
  destroy,
  status,
  type ApplyOptions,
  type ApplyResult,
  type BundleRef,
  type ChangeAction,
  type DestroyOptions,
  type DestroyResult,
  type DiffResult,
  type EngineEvent,
  type EngineOptions,
  type ObjectChange,
  type ObjectDiff,
  type StatusResult,
} from "./engine.ts";
export { ApplyError } from "./errors.ts";
export { GeneratedSecretError, htpasswdLine } from "./generated.ts";
export { applySetId, objectId } from "./ids.ts";
export { inventoryName } from "./inventory.ts";
export { KEEP, type InstanceRef } from "./labels.ts";
export { maskSecret } from "./mask.ts";
export type { Explanation, PodExplanation, WaitResult } from "./wait.ts";
export { KubeClient, type KubeClientOptions } from "../kube/client.ts";
export * from "../kube/errors.ts";
