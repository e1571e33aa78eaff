import pkg from "../../package.json" with { type: "json" };
import { chromaModule } from "../../module/index.ts";
import { clusterCommandOptions, openClusterCommand } from "../cluster.ts";
import type { Command } from "../command.ts";
import { formatDiff } from "../format.ts";

export const diff: Command = {
  name: "diff",
  summary: "Show what apply would change, against the live cluster (exit 0 none, 1 changes, 2 error)",
  usage: "chroma-mod diff <bundle.config.ts> [--local | --kubeconfig FILE --context NAME] [--instance NAME]... [-o json] [--set …]",
  description:
    "Dry-runs every object server-side and prints a unified diff (live → after apply) per object that would change, including drift made by hand (kubectl edit) and objects apply would prune. Secret values are masked in `data` and `stringData`. Exit code 0: no changes, 1: changes, 2: error, like kubectl diff.",
  options: clusterCommandOptions,
  optionHelp: { output: "text (default) or json" },
  examples: ["chroma-mod diff bundles/prod.config.ts --context prod", "chroma-mod diff bundles/dev.config.ts --local -o json"],
  errorExitCode: 2,
  async run(args) {
    const { io } = args;
    const { format, instances, client, engine, log, bundle } = await openClusterCommand(diff, args);
    try {
      const results = await engine.diff(instances, {
        client,
        bundle,
        kindHints: chromaModule.kindHints,
        toolVersion: pkg.version,
        onEvent: (e) => e.phase === "plan" && log(`${e.instance} ${e.phase}: ${e.message}`),
      });
      io.stdout(format === "json" ? `${JSON.stringify(results, null, 2)}\n` : formatDiff(results));
      return engine.diffExitCode(results);
    } finally {
      client.close();
    }
  },
};
