import type { Revision } from "../../engine/apply/index.ts";
import type { Values } from "../../schemas/values.ts";
import { clusterCommandOptions, openClusterCommand } from "../cluster.ts";
import type { Command } from "../command.ts";

/** The Chroma version a revision ran ("?" when it recorded no values). */
export const chromaOf = (r: Revision) => (r.values as Partial<Values> | null)?.chromadb?.apiVersion ?? "?";

function formatHistory(name: string, namespace: string, found: boolean, revisions: readonly Revision[]): string {
  if (!found) return `${name} (namespace ${namespace}): not applied (no inventory)\n`;
  if (revisions.length === 0) return `${name} (namespace ${namespace}): no revisions recorded yet (applied by a chroma-mod without history)\n`;
  const rows = [
    ["REVISION", "APPLIED", "CHROMA", "MODULE", "VALUES", "NOTE"],
    ...revisions.map((r, i) => [
      `${r.revision}${i === revisions.length - 1 ? " (current)" : ""}`,
      r.appliedAt.replace(/\.\d+Z$/, "Z"),
      chromaOf(r),
      r.module,
      r.valuesDigest.replace(/^sha256:/, "").slice(0, 12),
      r.note ?? "",
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const lines = rows.map((row) =>
    row
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join("  ")
      .trimEnd(),
  );
  return `${name} (namespace ${namespace}): ${revisions.length} revision${revisions.length === 1 ? "" : "s"}\n${lines.join("\n")}\n`;
}

export const historyCommand: Command = {
  name: "history",
  summary: "List each instance's revisions: the values each apply of new values applied",
  usage: "chroma-mod history <bundle.config.ts> [--local | --kubeconfig FILE --context NAME] [--instance NAME]... [-o json]",
  description:
    "Reads each instance's revisions from its inventory Secret: every apply of other values (or by another module version) records one, with the resolved values, the module and tool versions and the time; a no-op or a drift repair records none. The last 10 are kept. `rollback` re-applies one. Exit code 0, or 1 when an instance was never applied.",
  options: clusterCommandOptions,
  optionHelp: { output: "text (default) or json" },
  examples: ["chroma-mod history bundles/prod.config.ts --context prod", "chroma-mod history bundles/dev.config.ts --local -o json"],
  async run(args) {
    const { io } = args;
    const { format, instances, client, engine } = await openClusterCommand(historyCommand, args);
    try {
      const results = [];
      for (const instance of instances) {
        const ref = { name: instance.name, namespace: instance.namespace };
        results.push({ instance: ref, ...(await engine.history(ref, { client })) });
      }
      io.stdout(
        format === "json"
          ? `${JSON.stringify(results, null, 2)}\n`
          : results.map((r) => formatHistory(r.instance.name, r.instance.namespace, r.found, r.revisions)).join(""),
      );
      return results.every((r) => r.found) ? 0 : 1;
    } finally {
      client.close();
    }
  },
};
