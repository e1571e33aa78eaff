/** Secret values never reach output: `***`, or `*** (before)` / `*** (after)` when a value changed. */
import type { KubeObject } from "../../core/types.ts";

const FIELDS = ["data", "stringData"] as const;

function isSecret(obj: KubeObject | undefined): obj is KubeObject {
  return obj !== undefined && obj.kind === "Secret" && obj.apiVersion === "v1";
}

/** Masks the values of a Secret pair (either side may be absent). Other kinds pass through unchanged. */
export function maskSecretPair(before: KubeObject | undefined, after: KubeObject | undefined): [KubeObject | undefined, KubeObject | undefined] {
  if (!isSecret(before) && !isSecret(after)) return [before, after];
  const b = before ? structuredClone(before) : undefined;
  const a = after ? structuredClone(after) : undefined;
  for (const field of FIELDS) {
    const bv = (b?.[field] ?? {}) as Record<string, string>;
    const av = (a?.[field] ?? {}) as Record<string, string>;
    const changed = new Set(Object.keys(bv).filter((k) => k in av && av[k] !== bv[k]));
    for (const key of Object.keys(bv)) bv[key] = changed.has(key) ? "*** (before)" : "***";
    for (const key of Object.keys(av)) av[key] = changed.has(key) ? "*** (after)" : "***";
  }
  return [b, a];
}

/** Masks one object (for printing a single Secret). */
export function maskSecret(obj: KubeObject): KubeObject {
  return maskSecretPair(obj, undefined)[0] as KubeObject;
}
