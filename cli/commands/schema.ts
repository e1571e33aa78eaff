import { jsonSchemaOf } from "../../schemas/json-schema.ts";
import type { Command } from "../command.ts";

export const schema: Command = {
  name: "schema",
  summary: "Print the JSON Schema of the values (for editors and yaml-language-server)",
  usage: "chroma-mod schema [--bundle]",
  description:
    "Prints the JSON Schema (draft-07) of one instance's values, generated from the same schemas `vet` uses. With --bundle, the schema of a whole bundle.",
  options: { bundle: { type: "boolean" } },
  examples: ["chroma-mod schema > chroma-values.schema.json"],
  async run({ values, io }) {
    io.stdout(`${JSON.stringify(jsonSchemaOf(values.bundle ? "bundle" : "values"), null, 2)}\n`);
    return 0;
  },
};
