/**
 * chroma-mod's public API for bundles: `import { defineBundle } from "chroma-mod"`.
 * Everything here is types and identity functions: a bundle is plain data, typed for the IDE and validated by `vet`.
 */
import type { BundleInput, InstanceInput } from "./schemas/bundle.ts";
import type { ValuesInput } from "./schemas/values.ts";

export type { BundleInput, InstanceInput, ValuesInput };
export { chromaReleases, defaultChromaVersion } from "./schemas/releases.ts";

/** Declares a bundle: one or more Chroma instances, keyed by instance name. */
export function defineBundle(bundle: BundleInput): BundleInput {
  return bundle;
}

/** Declares values shared between instances or files (spread them into an instance's `values`). */
export function defineValues(values: ValuesInput): ValuesInput {
  return values;
}
