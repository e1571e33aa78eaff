/** The JSON Schema of an instance's values or of a whole bundle (for editors, yaml-language-server and the docs). */
import { toJsonSchema } from "@valibot/to-json-schema";
import { bundleSchema } from "./bundle.ts";
import { valuesSchema } from "./values.ts";

export function jsonSchemaOf(which: "values" | "bundle"): Record<string, unknown> {
  const schema = toJsonSchema(which === "bundle" ? bundleSchema : valuesSchema, { typeMode: "input" }) as Record<string, unknown>;
  return { ...schema, title: which === "bundle" ? "chroma-mod bundle" : "chroma-mod Chroma instance values" };
}
