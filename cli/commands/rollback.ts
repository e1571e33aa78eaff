import pkg from "../../package.json" with { type: "json" };
import { UserError } from "../../engine/errors.ts";
import { evaluate } from "../../engine/evaluate.ts";
import { chromaModule } from "../../module/index.ts";
import type { Values } from "../../schemas/values.ts";
import { clusterCommandOptions, openClusterCommand, parseDuration } from "../cluster.ts";
import type { Command } from "../command.ts";
import { formatApply } from "../format.ts";
import { interruptHandler } from "./apply.ts";
import { chromaOf } from "./history.ts";

export const rollbackCommand: Command = {
  name: "rollback",
  summary: "Re-apply a recorded revision of one instance (default: the one before the current)",
  usage:
    "chroma-mod rollback <bundle.config.ts> --instance NAME [--to REVISION] [--local | --kubeconfig FILE --context NAME] [--force] [--force-conflicts] [--no-wait] [--timeout 5m] [-o json]",
  description:
    "Applies the resolved values a revision recorded, rendered by this chroma-mod, with everything apply does (only drifted objects, prune, wait), and records a new revision noted 'rollback to N'. Refused when the revision runs a Chroma version that cannot read the data the current one wrote (0.5, 0.6 and 1.0 changed the on-disk format). The bundle file is not changed: the next apply applies it again.",
  options: {
    ...clusterCommandOptions,
    to: { type: "string" },
    force: { type: "boolean" },
    "force-conflicts": { type: "boolean" },
    "no-wait": { type: "boolean" },
    timeout: { type: "string" },
  },
  optionHelp: { output: "text (default) or json", to: "The revision to re-apply (default: the one before the current; see `chroma-mod history`)" },
  examples: [
    "chroma-mod rollback bundles/prod.config.ts --instance vectors --context prod",
    "chroma-mod rollback bundles/dev.config.ts --instance dev --to 2 --local",
  ],
  async run(args) {
    const { values, io } = args;
    if ((values.instance as string[] | undefined)?.length !== 1) {
      throw new UserError("rollback: name exactly one instance with --instance.", `Usage: ${rollbackCommand.usage}`);
    }
    const timeout = (values.timeout as string | undefined) ?? "5m";
    const timeoutMs = parseDuration("timeout", timeout);
    const wanted = values.to as string | undefined;
    if (wanted !== undefined && !/^[1-9]\d{0,8}$/.test(wanted))
      throw new UserError(`rollback: --to ${wanted}: not a revision number.`, "Name a revision `chroma-mod history` lists.");
    const { format, instances, client, engine, log, bundle } = await openClusterCommand(rollbackCommand, args);
    const controller = new AbortController();
    const onSignal = interruptHandler(controller, log, process.exit.bind(process));
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    try {
      const inst = instances[0]!;
      const label = `${inst.namespace}/${inst.name}`;
      const { revisions } = await engine.history({ name: inst.name, namespace: inst.namespace }, { client });
      const current = revisions.at(-1);
      if (!current) throw new UserError(`rollback: ${label} has no recorded revision.`, "Apply it first: rollback re-applies what an apply recorded.");
      const target = wanted === undefined ? revisions.at(-2) : revisions.find((r) => r.revision === Number(wanted));
      if (!target) {
        throw new UserError(
          wanted === undefined
            ? `rollback: ${label} has one revision only (${current.revision}): nothing to roll back to.`
            : `rollback: ${label} has no revision ${wanted}.`,
          `Its revisions: ${revisions.map((r) => r.revision).join(", ")} (chroma-mod history lists them).`,
        );
      }
      const refusal = chromaModule.rollbackRefusal(current.values as Values, target.values as Values);
      if (refusal) throw new UserError(`rollback: refused for ${label}: ${refusal}`, "Nothing was changed.");
      let rendered: (typeof instances)[number] | undefined;
      try {
        [rendered] = evaluate(
          chromaModule,
          { instances: { [inst.name]: { namespace: inst.namespace, values: target.values } } },
          { file: `history revision ${target.revision}` },
        );
      } catch (error) {
        throw new UserError(
          `rollback: revision ${target.revision} of ${label} is not valid for this chroma-mod (${pkg.version}; it was applied by ${target.tool}): ${(error as Error).message}`,
          "Roll back with the chroma-mod version that applied it, or apply a fixed bundle.",
        );
      }
      log(`${inst.name}: rolling back to revision ${target.revision} (applied ${target.appliedAt} by ${target.tool}, Chroma ${chromaOf(target)})`);
      const results = await engine.apply(
        [{ ...rendered!, bundle: inst.bundle, bundleNameFromFile: inst.bundleNameFromFile, createNamespace: inst.createNamespace }],
        {
          client,
          bundle: { ...bundle, complete: false },
          signal: controller.signal,
          toolVersion: pkg.version,
          onEvent: (e) => log(`${e.instance} ${e.phase}: ${e.object ? `${e.object} ` : ""}${e.message}`),
          force: values.force as boolean | undefined,
          forceConflicts: values["force-conflicts"] as boolean | undefined,
          wait: !values["no-wait"],
          timeoutMs,
          revisionNote: `rollback to ${target.revision}`,
        },
      );
      io.stdout(format === "json" ? `${JSON.stringify(results, null, 2)}\n` : formatApply(results, false));
      if (results.some((r) => r.wait && !r.wait.ready)) {
        throw new UserError(`${label} rolled back but not ready: see why above.`, `Fix the cause shown, or raise --timeout (it was ${timeout}).`);
      }
      return 0;
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      client.close();
    }
  },
};
