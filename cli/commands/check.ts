import { UserError } from "../../engine/errors.ts";
import { type Finding, SEVERITIES, type Severity } from "../../core/types.ts";
import { chromaModule } from "../../module/index.ts";
import { openBundle } from "../app.ts";
import { bundleOptions, type Command } from "../command.ts";

interface Reported extends Finding {
  readonly instance: string;
  readonly namespace: string;
  /** The path as vet and `--set` spell it: `<instance>.values.<path>`. */
  readonly valuePath: string;
}

function severityOption(value: unknown): Severity | undefined {
  if (value === undefined) return undefined;
  if (!(SEVERITIES as readonly string[]).includes(value as string))
    throw new UserError(
      `check: --fail-on ${String(value)} is not a severity.`,
      `Use one of: ${SEVERITIES.join(", ")} (a finding at that severity or above fails).`,
    );
  return value as Severity;
}

function ignoredIds(value: unknown): Set<string> {
  const ids = (value as string[] | undefined) ?? [];
  const known = chromaModule.findingIds;
  const unknown = ids.filter((id) => !known.includes(id as (typeof known)[number]));
  if (unknown.length > 0) throw new UserError(`check: --ignore ${unknown.join(", ")}: no such check.`, `Known checks: ${known.join(", ")}.`);
  return new Set(ids);
}

const counts = (findings: readonly Finding[]) =>
  SEVERITIES.map((severity) => [severity, findings.filter((f) => f.severity === severity).length] as const).filter(([, n]) => n > 0);

export const check: Command = {
  name: "check",
  summary: "Report security and production-readiness risks in a bundle's values (auth, TLS, reset, limits, …)",
  usage: "chroma-mod check <bundle.config.ts> [--fail-on high|medium|low|info] [--ignore ID]... [-o text|json] [--instance NAME]... [--set …]",
  description:
    "Checks each instance's values (after vet, which must pass first) for what they leave open: auth off, reset allowed, data on an emptyDir, plain HTTP outside the cluster, CORS *, no NetworkPolicy, no memory limit, a weakened pod, a mutable image tag, and more. Each finding has a severity (high, medium, low, info), the value path and the fix. No cluster needed. Exit code 0, or 1 with --fail-on when a finding is at that severity or above (for CI).",
  options: {
    ...bundleOptions,
    output: { type: "string", short: "o" },
    instance: { type: "string", multiple: true },
    "fail-on": { type: "string" },
    ignore: { type: "string", multiple: true },
  },
  optionHelp: { output: "text (default) or json" },
  examples: [
    "chroma-mod check bundles/prod.config.ts",
    "chroma-mod check bundles/prod.config.ts --fail-on high",
    "chroma-mod check bundles/dev.config.ts --ignore no-persistence --ignore image-no-digest -o json",
  ],
  async run(args) {
    const { values, io } = args;
    const failOn = severityOption(values["fail-on"]);
    const ignored = ignoredIds(values.ignore);
    const { format, instances } = await openBundle(check, args, ["text", "json"]);
    const reports = instances.map((instance) => ({
      instance,
      findings: chromaModule
        .audit(instance.values)
        .filter((f) => !ignored.has(f.id))
        .map((f): Reported => ({ instance: instance.name, namespace: instance.namespace, valuePath: `${instance.name}.values.${f.path}`, ...f })),
    }));
    const all = reports.flatMap((r) => r.findings);
    const failed = failOn !== undefined && all.some((f) => SEVERITIES.indexOf(f.severity) <= SEVERITIES.indexOf(failOn));
    if (format === "json") io.stdout(`${JSON.stringify(all, null, 2)}\n`);
    else {
      const blocks = reports.map(({ instance, findings }) => {
        const head = `${instance.name} (namespace ${instance.namespace}, Chroma ${instance.values.chromadb.apiVersion}): ${findings.length === 0 ? "no findings" : `${findings.length} finding${findings.length === 1 ? "" : "s"}`}\n`;
        const width = Math.max(0, ...findings.map((f) => f.id.length));
        return `${head}${findings
          .map(
            (f) =>
              `  ${f.severity.toUpperCase().padEnd(6)}  ${f.id.padEnd(width)}  ${f.valuePath}\n${" ".repeat(width + 12)}${f.message}.\n${" ".repeat(width + 12)}Fix: ${f.fix}.\n`,
          )
          .join("")}`;
      });
      const summary = counts(all)
        .map(([severity, n]) => `${n} ${severity}`)
        .join(", ");
      const verdict = failOn === undefined ? "" : failed ? ` Failed: a finding at ${failOn} or above (--fail-on ${failOn}).` : ` Passed --fail-on ${failOn}.`;
      io.stdout(`${blocks.join("\n")}\n${all.length} finding${all.length === 1 ? "" : "s"}${summary ? `: ${summary}` : ""}.${verdict}\n`);
    }
    return failed ? 1 : 0;
  },
};
