import pkg from "../../package.json" with { type: "json" };
import { loadInstances, selectInstances } from "../app.ts";
import { clusterOptions, connect, parseDuration, type ClusterFlags } from "../cluster.ts";
import { bundleOptions, outputFormat, requireArgument, type Command } from "../command.ts";
import { formatDestroy } from "../format.ts";

export const del: Command = {
  name: "delete",
  summary: "Delete the instances of a bundle, keeping their data unless --delete-data",
  usage: "chroma-mod delete <bundle.config.ts> [--local | --kubeconfig FILE --context NAME] [--instance NAME]... [--delete-data] [--wait] [-o json]",
  description:
    "Deletes every object in each instance's inventory, in reverse apply order. PersistentVolumeClaims (the data), the credentials Secret and created namespaces are kept, with the inventory listing them, unless --delete-data is given.",
  options: { ...bundleOptions, ...clusterOptions, instance: { type: "string", multiple: true }, "delete-data": { type: "boolean" }, wait: { type: "boolean" }, timeout: { type: "string" }, output: { type: "string", short: "o" } },
  examples: ["chroma-mod delete bundles/dev.config.ts --local", "chroma-mod delete bundles/prod.config.ts --instance vectors --delete-data"],
  async run({ positionals, values, io }) {
    const file = requireArgument(del, positionals, "the bundle file");
    const format = outputFormat(del, values.output, ["text", "json"]);
    const timeoutMs = parseDuration("timeout", (values.timeout as string | undefined) ?? "5m");
    const instances = selectInstances(await loadInstances(file, { cwd: io.cwd, set: values.set as string[] | undefined }), values.instance as string[] | undefined);
    const client = await connect(values as ClusterFlags, (line) => io.stderr(`${line}\n`));
    const engine = await import("../../engine/apply/index.ts");
    try {
      const results = [];
      for (const instance of instances) {
        results.push(
          await engine.destroy(
            { name: instance.name, namespace: instance.namespace },
            { client, toolVersion: pkg.version, deleteData: values["delete-data"] as boolean | undefined, wait: values.wait as boolean | undefined, timeoutMs, onEvent: (e) => io.stderr(`${e.instance} ${e.phase}: ${e.message}\n`) },
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
