/**
 * Namespaces belong to the bundle, not to one instance: each namespace that an instance of the bundle asks to create
 * (`createNamespace: true`) is rendered once, applied once before any instance, and never pruned or deleted.
 */
import { KEEP_ANNOTATION, type KubeObject } from "../core/types.ts";

/** A namespace the bundle creates: restricted Pod Security enforced, never pruned or deleted. */
export function namespaceObject(name: string): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name,
      labels: { "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "latest" },
      annotations: { [KEEP_ANNOTATION]: "true" },
    },
  };
}

/** The namespaces that any of `instances` (sharing them with the others) asks the bundle to create. */
export function createdNamespaces(instances: ReadonlyArray<{ readonly namespace: string; readonly createNamespace?: boolean | undefined }>): Set<string> {
  return new Set(instances.filter((i) => i.createNamespace).map((i) => i.namespace));
}

/** The Namespace objects of a bundle's instances: one per namespace created, sorted by name. */
export function bundleNamespaces(instances: ReadonlyArray<{ readonly namespace: string; readonly createNamespace?: boolean | undefined }>): KubeObject[] {
  return [...createdNamespaces(instances)].sort().map(namespaceObject);
}
