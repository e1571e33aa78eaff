/** The generic bundle shape: named instances, each with a namespace and the module's values. */
import * as v from "valibot";
import { strictObject } from "./issues.ts";

/** Instance names prefix every object they own; 40 characters leave room for the module's suffixes. */
const instanceNamePattern = /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/;
const namespacePattern = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function instanceSchemaFor<TValues extends v.GenericSchema>(valuesSchema: TValues) {
  return strictObject({
    namespace: v.pipe(
      v.optional(v.pipe(v.string(), v.regex(namespacePattern, "a namespace name (DNS label)")), "default"),
      v.description("Namespace of every object of the instance."),
    ),
    createNamespace: v.pipe(
      v.optional(v.boolean(), false),
      v.description("`apply` creates the namespace (labelled to enforce the `restricted` Pod Security Standard) and never deletes it."),
    ),
    values: v.optional(valuesSchema, {} as v.InferInput<TValues>),
  });
}

export function bundleSchemaFor<TValues extends v.GenericSchema>(valuesSchema: TValues) {
  return strictObject({
    name: v.pipe(
      v.optional(v.pipe(v.string(), v.regex(namespacePattern, "a bundle name: lowercase letters, digits and '-', at most 63 characters"))),
      v.description(
        "The bundle's name (default: its file name without `.config.ts`). `apply` labels each instance's inventory with it, and removes the instances the bundle no longer holds.",
      ),
    ),
    instances: v.pipe(
      v.record(
        v.pipe(v.string(), v.regex(instanceNamePattern, "an instance name: lowercase letters, digits and '-', starting with a letter, at most 40 characters")),
        instanceSchemaFor(valuesSchema),
      ),
      v.minEntries(1, "at least one instance"),
    ),
  });
}
