/** Apply stages: what must exist before what. Deletes run in reverse. */
import { objectId } from "./ids.ts";

export const STAGES = ["namespaces", "crds", "cluster-rbac", "config", "workloads", "rest"] as const;
export type Stage = (typeof STAGES)[number];

const CONFIG_KINDS = new Set([
  "ServiceAccount",
  "Secret",
  "ConfigMap",
  "PersistentVolumeClaim",
  "Role",
  "RoleBinding",
  "ResourceQuota",
  "LimitRange",
  "NetworkPolicy",
]);
const WORKLOAD_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod"]);

/**
 * The stage an object belongs to. Roles sit in config so RoleBindings see them (escalation checks); NetworkPolicies
 * too, so that a pod never starts before the policy that guards it.
 */
export function stageOf(obj: { readonly apiVersion: string; readonly kind: string }): Stage {
  if (obj.kind === "Namespace" && obj.apiVersion === "v1") return "namespaces";
  if (obj.kind === "CustomResourceDefinition") return "crds";
  if (obj.kind === "ClusterRole" || obj.kind === "ClusterRoleBinding" || obj.kind.endsWith("Class")) return "cluster-rbac";
  if (CONFIG_KINDS.has(obj.kind)) return "config";
  if (WORKLOAD_KINDS.has(obj.kind)) return "workloads";
  return "rest";
}

/** What ordering needs to know of an object. */
export interface Sortable {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string | undefined };
}

const identity = <T>(x: T) => x as unknown as Sortable;

/** Deterministic order: by stage, then by id. */
export function sortForApply<T>(items: readonly T[], key: (item: T) => Sortable = identity): T[] {
  const rank = (t: T) => STAGES.indexOf(stageOf(key(t)));
  return [...items].sort((a, b) => rank(a) - rank(b) || compareIds(key(a), key(b)));
}

/** Reverse of the apply order, for deletes. */
export function sortForDelete<T>(items: readonly T[], key: (item: T) => Sortable = identity): T[] {
  return sortForApply(items, key).reverse();
}

/** Groups objects by stage, in stage order, skipping empty stages. */
export function groupByStage<T>(items: readonly T[], key: (item: T) => Sortable = identity): Array<[Stage, T[]]> {
  const sorted = sortForApply(items, key);
  return STAGES.map((s) => [s, sorted.filter((o) => stageOf(key(o)) === s)] as [Stage, T[]]).filter(([, l]) => l.length > 0);
}

function compareIds(a: Sortable, b: Sortable): number {
  const x = objectId(a);
  const y = objectId(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Runs `fn` over items with at most `limit` in flight; results keep input order; first error wins. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        results[i] = await fn(items[i] as T);
      } catch (error) {
        failed ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failed) throw failed.error;
  return results;
}
