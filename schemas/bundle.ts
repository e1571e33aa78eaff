/** The Chroma bundle: one or more named Chroma instances, each with a namespace and values. */
import type * as v from "valibot";
import { bundleSchemaFor, instanceSchemaFor } from "../core/bundle.ts";
import { valuesSchema } from "./values.ts";

const instanceSchema = instanceSchemaFor(valuesSchema);
export const bundleSchema = bundleSchemaFor(valuesSchema);

export type InstanceInput = v.InferInput<typeof instanceSchema>;
export type BundleInput = v.InferInput<typeof bundleSchema>;
