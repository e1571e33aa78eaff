import { stringify } from "yaml";
import { openBundle } from "../app.ts";
import { bundleOptions, type Command } from "../command.ts";

export const values: Command = {
  name: "values",
  summary: "Print the resolved values of each instance, defaults included",
  usage: "chroma-mod values <bundle.config.ts> [--instance NAME]... [-o yaml|json] [--set …]",
  description: "Validates the bundle and prints each instance's values after defaults, keyed by instance name.",
  options: { ...bundleOptions, output: { type: "string", short: "o" }, instance: { type: "string", multiple: true } },
  optionHelp: { output: "yaml (default) or json" },
  examples: ["chroma-mod values bundles/prod.config.ts", "chroma-mod values bundles/prod.config.ts --instance vectors -o json"],
  async run(args) {
    const { format, instances } = await openBundle(values, args, ["yaml", "json"]);
    const out = Object.fromEntries(instances.map((i) => [i.name, { namespace: i.namespace, values: i.values }]));
    args.io.stdout(format === "json" ? `${JSON.stringify(out, null, 2)}\n` : stringify(out, { lineWidth: 0, aliasDuplicateObjects: false }));
    return 0;
  },
};
