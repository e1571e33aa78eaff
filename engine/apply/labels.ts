/** Owner labels and annotations the engine puts on every object it manages. */
import { KEEP_ANNOTATION, type KubeObject } from "../../core/types.ts";

export const TOOL = "chroma-mod";
export const MANAGED_BY = "app.kubernetes.io/managed-by";
export const INSTANCE = "chroma-mod.io/instance";
const INSTANCE_NAMESPACE = "chroma-mod.io/instance-namespace";
/** On an instance's inventory Secret: the bundle that holds the instance. */
export const BUNDLE = "chroma-mod.io/bundle";
/** `chroma-mod.io/keep: "true"`: never pruned or deleted unless the caller asks to delete data (core/types.ts). */
const KEEP = KEEP_ANNOTATION;
export const APPLYSET_ID = "applyset.kubernetes.io/id";
export const APPLYSET_PART_OF = "applyset.kubernetes.io/part-of";
export const APPLYSET_TOOLING = "applyset.kubernetes.io/tooling";
export const APPLYSET_GROUP_KINDS = "applyset.kubernetes.io/contains-group-kinds";
export const APPLYSET_NAMESPACES = "applyset.kubernetes.io/additional-namespaces";

export interface InstanceRef {
  readonly name: string;
  readonly namespace: string;
}

export function ownerLabels(instance: InstanceRef): Record<string, string> {
  return { [MANAGED_BY]: TOOL, [INSTANCE]: instance.name, [INSTANCE_NAMESPACE]: instance.namespace };
}

/** Label selector matching every object of an instance. */
export function ownerSelector(instance: InstanceRef): string {
  return Object.entries(ownerLabels(instance))
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}

/** True when the object still carries this instance's owner labels. */
export function isOwnedBy(obj: KubeObject, instance: InstanceRef): boolean {
  const labels = obj.metadata.labels ?? {};
  return Object.entries(ownerLabels(instance)).every(([k, v]) => labels[k] === v);
}

/** PVCs and objects annotated `chroma-mod.io/keep: "true"` hold data: never pruned or deleted implicitly. */
export function holdsData(obj: Pick<KubeObject, "kind" | "metadata">): boolean {
  return obj.kind === "PersistentVolumeClaim" || obj.metadata.annotations?.[KEEP] === "true";
}
