import { toJsonSchema } from "@valibot/to-json-schema";
import { bundleSchema } from "../../schemas/bundle.ts";
import { valuesSchema } from "../../schemas/values.ts";
import type { Command } from "../command.ts";

/** The JSON Schema of an instance's values (or of a whole bundle), for editors and yaml-language-server. */
export function jsonSchemaOf(which: "values" | "bundle"): Record<string, unknown> {
  const schema = toJsonSchema(which === "bundle" ? bundleSchema : valuesSchema, { typeMode: "input" }) as Record<string, unknown>;
  return { ...schema, title: which === "bundle" ? "chroma-mod bundle" : "chroma-mod Chroma instance values" };
}

export const schema: Command = {
  name: "schema",
  summary: "Print the JSON Schema of the values (for editors and yaml-language-server)",
  usage: "chroma-mod schema [--bundle]",
  description: "Prints the JSON Schema (draft-07) of one instance's values, generated from the same schemas `vet` uses. With --bundle, the schema of a whole bundle.",
  options: { bundle: { type: "boolean" } },
  examples: ["chroma-mod schema > chroma-values.schema.json"],
  async run({ values, io }) {
    io.stdout(`${JSON.stringify(jsonSchemaOf(values.bundle ? "bundle" : "values"), null, 2)}\n`);
    return 0;
  },
};
