/** Readers of an instance's rendered objects: its StatefulSet, its ConfigMap's files and its pod's containers. */
import type { KubeObject } from "../../../core/types.ts";
import type { PodSpec } from "../runner.ts";

export function statefulSet(objects: readonly KubeObject[]) {
  return objects.find((o) => o.kind === "StatefulSet") as KubeObject & { spec: { template: { spec: PodSpec } } };
}
export function configMapData(objects: readonly KubeObject[]): Record<string, string> {
  return ((objects.find((o) => o.kind === "ConfigMap") as { data?: Record<string, string> } | undefined)?.data ?? {}) as Record<string, string>;
}
export function containerNames(objects: readonly KubeObject[]): string[] {
  return statefulSet(objects).spec.template.spec.containers.map((c) => c.name);
}
