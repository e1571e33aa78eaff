import { loadInstances } from "../app.ts";
import { bundleOptions, requireArgument, type Command } from "../command.ts";

export const vet: Command = {
  name: "vet",
  summary: "Validate a bundle: every instance, every value, every version gate",
  usage: "chroma-mod vet <bundle.config.ts> [--set <instance>.<path>=<value>]... [--eval-timeout 30s]",
  description:
    "Loads the bundle, validates every instance's values and the Chroma version gates, and reports all problems at once, each with its instance and value path. Exit code 0 when valid, 1 otherwise.",
  options: { ...bundleOptions },
  examples: ["chroma-mod vet bundles/prod.config.ts", "chroma-mod vet bundles/prod.config.ts --set vectors.chromadb.apiVersion=0.5.23"],
  async run({ positionals, values, io }) {
    const file = requireArgument(vet, positionals, "the bundle file");
    const instances = await loadInstances(file, {
      cwd: io.cwd,
      set: values.set as string[] | undefined,
      evalTimeout: values["eval-timeout"] as string | undefined,
      stderr: io.stderr,
    });
    const summary = instances.map((i) => `${i.name} (namespace ${i.namespace}, Chroma ${i.values.chromadb.apiVersion})`);
    io.stdout(`${file}: valid. ${instances.length} instance${instances.length === 1 ? "" : "s"}: ${summary.join(", ")}\n`);
    return 0;
  },
};
