import pkg from "../../package.json" with { type: "json" };
import { chromaModule } from "../../module/index.ts";
import { clusterCommandOptions, openClusterCommand } from "../cluster.ts";
import type { Command } from "../command.ts";
import { formatStatus } from "../format.ts";

export const status: Command = {
  name: "status",
  summary: "Show every object of each instance, its readiness, the inventory and the Chroma version",
  usage: "chroma-mod status <bundle.config.ts> [--local | --kubeconfig FILE --context NAME] [--instance NAME]... [-o json]",
  description:
    "Reads each instance's inventory from the cluster and reports every object it owns with its readiness (kstatus rules), the module and values digest recorded at the last apply, and the Chroma version running.",
  options: clusterCommandOptions,
  optionHelp: { output: "text (default) or json" },
  examples: ["chroma-mod status bundles/prod.config.ts --context prod"],
  async run(args) {
    const { io } = args;
    const { format, instances, client, engine } = await openClusterCommand(status, args);
    try {
      const results = [];
      const summaries: (string | undefined)[] = [];
      for (const instance of instances) {
        const { description, ...result } = await engine.status(
          { name: instance.name, namespace: instance.namespace },
          { client, toolVersion: pkg.version, desired: instance.objects, describe: chromaModule.describe },
        );
        results.push({ ...result, ...description?.fields });
        summaries.push(description?.summary);
      }
      io.stdout(format === "json" ? `${JSON.stringify(results, null, 2)}\n` : results.map((r, i) => formatStatus(r, summaries[i])).join(""));
      return results.every((r) => r.found && r.objects.every((o) => o.status === "Current")) ? 0 : 1;
    } finally {
      client.close();
    }
  },
};
