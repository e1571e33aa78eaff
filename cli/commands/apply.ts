import pkg from "../../package.json" with { type: "json" };
import { UserError } from "../../engine/errors.ts";
import { chromaModule } from "../../module/index.ts";
import { clusterCommandOptions, openClusterCommand, parseDuration } from "../cluster.ts";
import type { Command } from "../command.ts";
import { formatApply } from "../format.ts";

export const apply: Command = {
  name: "apply",
  summary: "Apply a bundle to a cluster: server-side apply, drift repair, prune, wait",
  usage:
    "chroma-mod apply <bundle.config.ts> [--local | --kubeconfig FILE --context NAME] [--instance NAME]... [--dry-run] [--force] [--force-conflicts] [--adopt-helm RELEASE] [--no-wait] [--timeout 5m] [-o json] [--set …]",
  description: [
    "First the namespaces the bundle creates (createNamespace), once each. Then, for each instance: (1) records the intended inventory (old ∪ new objects) so an interrupted run leaves no orphans;",
    "(2) dry-runs every object server-side and compares it with the live one: only drifted or new objects are applied,",
    "so a no-op apply sends no writes; (3) applies in stages (namespaces, config and volumes, workloads, the rest) with",
    "fieldManager chroma-mod; (4) creates the credentials Secret once, never rotating it; (5) prunes objects that left the",
    "bundle, never PersistentVolumeClaims or credentials; (6) waits until everything is ready (kstatus rules), showing",
    "the events and container states that explain a timeout. --force re-creates objects whose immutable fields changed",
    "(never their data); --force-conflicts takes fields over from another manager (e.g. Helm). Ctrl-C stops between",
    "requests; the next apply converges. Last, an instance the bundle held before (its inventory is labelled with the",
    "bundle's name) and no longer holds is removed as `delete` does, keeping its PersistentVolumeClaims and credentials",
    "(not with --instance). A grown volume claim template expands the StatefulSet's PersistentVolumeClaims (where their",
    "StorageClass allows expansion) and re-creates the StatefulSet keeping its pods and volumes; shrinking is refused.",
    "--adopt-helm RELEASE takes over a running release of the Chroma Helm chart in the instance's namespace (write the",
    "bundle with `chroma-mod import helm --from-release RELEASE`): the objects the instance renders under the release's",
    "names become chroma-mod's (Helm's field ownership moved to chroma-mod, the StatefulSet re-created with orphan",
    "propagation, so its data claim stays and is mounted again); refused across a Chroma data-format boundary.",
  ].join(" "),
  options: {
    ...clusterCommandOptions,
    "dry-run": { type: "boolean" },
    force: { type: "boolean" },
    "force-conflicts": { type: "boolean" },
    "adopt-helm": { type: "string" },
    "no-wait": { type: "boolean" },
    timeout: { type: "string" },
  },
  optionHelp: {
    output: "text (default) or json",
    "adopt-helm": "Take over this Helm release of the Chroma chart (one instance, in the release's namespace); not with --dry-run",
  },
  examples: [
    "chroma-mod apply bundles/dev.config.ts --local   # ends with: dev: Chroma 1.5.9 ready at http://127.0.0.1:8000 (…)",
    "chroma-mod apply bundles/prod.config.ts --context prod --timeout 10m",
    "chroma-mod apply bundles/prod.config.ts --dry-run",
    "chroma-mod import helm --from-release prod -n search -o prod.config.ts && chroma-mod apply prod.config.ts --adopt-helm prod",
  ],
  async run(args) {
    const { values, io } = args;
    const timeout = (values.timeout as string | undefined) ?? "5m";
    const timeoutMs = parseDuration("timeout", timeout);
    const release = values["adopt-helm"] as string | undefined;
    if (release !== undefined && values["dry-run"])
      throw new UserError(
        "--adopt-helm cannot be combined with --dry-run: adoption moves Helm's field ownership first.",
        "Run chroma-mod diff to see the objects, then apply --adopt-helm.",
      );
    const { format, instances, client, engine, log, bundle } = await openClusterCommand(apply, args);
    if (values.local && !values["dry-run"]) {
      const note = await (await import("../local-access.ts")).firstUseNote(instances);
      if (note) log(note);
    }
    const controller = new AbortController();
    const onSignal = interruptHandler(controller, log, process.exit.bind(process));
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    try {
      const common = {
        client,
        bundle,
        kindHints: chromaModule.kindHints,
        signal: controller.signal,
        toolVersion: pkg.version,
        onEvent: (e: { instance: string; phase: string; message: string; object?: string | undefined }) =>
          log(`${e.instance} ${e.phase}: ${e.object ? `${e.object} ` : ""}${e.message}`),
      };
      if (values["dry-run"]) {
        const diffs = await engine.diff(instances, common);
        const results = diffs.map((d) => ({
          instance: d.instance,
          changes: d.changes,
          changed: d.changed,
          inventory: "unchanged" as const,
          writes: 0,
          removed: d.removed,
        }));
        io.stdout(format === "json" ? `${JSON.stringify(results, null, 2)}\n` : formatApply(results, true));
        return 0;
      }
      const adoption =
        release === undefined ? undefined : await (await import("../helm-release.ts")).adoptHelmRelease(client, release, instances, { log, timeoutMs });
      const results = await engine.apply(instances, {
        ...common,
        adopted: adoption?.adopted,
        force: values.force as boolean | undefined,
        forceConflicts: values["force-conflicts"] as boolean | undefined,
        wait: !values["no-wait"],
        timeoutMs,
      });
      io.stdout(format === "json" ? `${JSON.stringify(results, null, 2)}\n` : formatApply(results, false));
      if (values.local && format !== "json" && !values["no-wait"] && results.every((r) => r.wait?.ready)) {
        const { accessLines } = await import("../local-access.ts");
        io.stdout(`${(await accessLines(instances, "ready")).join("\n")}\n`);
      }
      for (const line of adoption?.after ?? []) log(line);
      const notReady = results.filter((r) => r.wait && !r.wait.ready);
      if (notReady.length > 0) {
        throw new UserError(
          `${notReady.map((r) => `${r.instance.namespace}/${r.instance.name}`).join(", ")} applied but not ready: see why above.`,
          `Fix the cause shown (events, container states), then apply again; or raise --timeout (it was ${timeout}).`,
        );
      }
      return 0;
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      client.close();
    }
  },
};

/** Ctrl-C: the first stops between requests (the next apply converges), the second quits at once. */
export function interruptHandler(controller: AbortController, log: (line: string) => void, exit: (code: number) => void) {
  return () => {
    if (controller.signal.aborted) return exit(130);
    log("interrupted: stopping after the requests in flight (Ctrl-C again to quit now); the next apply converges");
    controller.abort();
  };
}
