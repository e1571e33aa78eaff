/** Wires the Chroma module into the generic engine: load a bundle file and evaluate it. */
import { bundleAliases } from "./entry.ts";
import { UserError } from "../engine/errors.ts";
import { outputFormat, parseDuration, requireArgument, type Command } from "./command.ts";
import { evaluate, type EvaluatedInstance } from "../engine/evaluate.ts";
import { loadBundleFile } from "../engine/loader.ts";
import { chromaModule } from "../module/index.ts";
import type { Values } from "../schemas/values.ts";

export { packageEntry } from "./entry.ts";

export async function loadInstances(
  file: string,
  options: { cwd: string; set?: readonly string[]; evalTimeout?: string | undefined; stderr: (text: string) => void },
): Promise<EvaluatedInstance<Values>[]> {
  const sets = options.set ?? [];
  const overrides = sets.length === 0 ? [] : sets.map((await import("../engine/overrides.ts")).parseOverride);
  const timeoutMs = options.evalTimeout === undefined ? undefined : parseDuration("eval-timeout", options.evalTimeout);
  const bundle = await loadBundleFile(file, {
    aliases: bundleAliases,
    cwd: options.cwd,
    onOutput: options.stderr,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  return evaluate(chromaModule, bundle, { file, overrides });
}

/** Keeps only the named instances (`--instance`), refusing unknown names. */
function selectInstances<T extends { name: string }>(instances: T[], names: readonly string[] | undefined): T[] {
  if (!names || names.length === 0) return instances;
  const unknown = names.filter((name) => !instances.some((instance) => instance.name === name));
  if (unknown.length > 0) {
    const known = instances.map((instance) => instance.name).join(", ");
    throw new UserError(`--instance ${unknown.join(", ")}: no such instance in the bundle.`, `Known instances: ${known}.`);
  }
  return instances.filter((instance) => names.includes(instance.name));
}

/**
 * What every command that reads a bundle starts with: the bundle file argument, the output format among `formats`,
 * and the bundle's instances, evaluated with `--set` and narrowed by `--instance`.
 */
export async function openBundle(command: Pick<Command, "name" | "usage">, args: Parameters<Command["run"]>[0], formats: readonly string[]) {
  const { positionals, values, io } = args;
  const file = requireArgument(command, positionals, "the bundle file");
  const format = outputFormat(command, values.output, formats);
  const instances = selectInstances(
    await loadInstances(file, {
      cwd: io.cwd,
      set: values.set as string[] | undefined,
      evalTimeout: values["eval-timeout"] as string | undefined,
      stderr: io.stderr,
    }),
    values.instance as string[] | undefined,
  );
  return { format, instances };
}
