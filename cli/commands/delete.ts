import pkg from "../../package.json" with { type: "json" };
import { clusterCommandOptions, openClusterCommand, parseDuration } from "../cluster.ts";
import type { Command } from "../command.ts";
import { formatDestroy } from "../format.ts";

export const del: Command = {
  name: "delete",
  summary: "Delete the instances of a bundle, keeping their data unless --delete-data",
  usage: "chroma-mod delete <bundle.config.ts> [--local | --kubeconfig FILE --context NAME] [--instance NAME]... [--delete-data] [--wait] [-o json]",
  description:
    "Deletes every object in each instance's inventory, in reverse apply order. PersistentVolumeClaims (the data) and the credentials Secret are kept, with the inventory listing them, unless --delete-data is given; namespaces the bundle created are never deleted.",
  options: { ...clusterCommandOptions, "delete-data": { type: "boolean" }, wait: { type: "boolean" }, timeout: { type: "string" } },
  optionHelp: { output: "text (default) or json", timeout: "How long --wait waits (default 5m)" },
  examples: ["chroma-mod delete bundles/dev.config.ts --local", "chroma-mod delete bundles/prod.config.ts --instance vectors --delete-data"],
  async run(args) {
    const { values, io } = args;
    const timeoutMs = parseDuration("timeout", (values.timeout as string | undefined) ?? "5m");
    const { format, instances, client, engine, log } = await openClusterCommand(del, args);
    try {
      const results = [];
      for (const instance of instances) {
        results.push(
          await engine.destroy(
            { name: instance.name, namespace: instance.namespace },
            {
              client,
              toolVersion: pkg.version,
              deleteData: values["delete-data"] as boolean | undefined,
              wait: values.wait as boolean | undefined,
              timeoutMs,
              onEvent: (e) => log(`${e.instance} ${e.phase}: ${e.message}`),
            },
          ),
        );
      }
      io.stdout(format === "json" ? `${JSON.stringify(results, null, 2)}\n` : results.map(formatDestroy).join(""));
      return 0;
    } finally {
      client.close();
    }
  },
};
