import pkg from "../../package.json" with { type: "json" };
import { loadInstances, selectInstances } from "../app.ts";
import { clusterOptions, connect, type ClusterFlags } from "../cluster.ts";
import { bundleOptions, outputFormat, requireArgument, type Command } from "../command.ts";
import { formatDiff } from "../format.ts";

export const diff: Command = {
  name: "diff",
  summary: "Show what apply would change, against the live cluster (exit 0 none, 1 changes, 2 error)",
  usage: "chroma-mod diff <bundle.config.ts> [--local | --kubeconfig FILE --context NAME] [--instance NAME]... [-o json] [--set …]",
  description:
    "Dry-runs every object server-side and prints a unified diff (live → after apply) per object that would change, including drift made by hand (kubectl edit) and objects apply would prune. Secret values are masked in `data` and `stringData`. Exit code 0: no changes, 1: changes, 2: error, like kubectl diff.",
  options: { ...bundleOptions, ...clusterOptions, instance: { type: "string", multiple: true }, output: { type: "string", short: "o" } },
  examples: ["chroma-mod diff bundles/prod.config.ts --context prod", "chroma-mod diff bundles/dev.config.ts --local -o json"],
  errorExitCode: 2,
  async run({ positionals, values, io }) {
    const file = requireArgument(diff, positionals, "the bundle file");
    const format = outputFormat(diff, values.output, ["text", "json"]);
    const instances = selectInstances(await loadInstances(file, { cwd: io.cwd, set: values.set as string[] | undefined }), values.instance as string[] | undefined);
    const client = await connect(values as ClusterFlags, (line) => io.stderr(`${line}\n`));
    const engine = await import("../../engine/apply/index.ts");
    try {
      const results = await engine.diff(instances, { client, toolVersion: pkg.version });
      io.stdout(format === "json" ? `${JSON.stringify(results, null, 2)}\n` : formatDiff(results));
      return engine.diffExitCode(results);
    } finally {
      client.close();
    }
  },
};
