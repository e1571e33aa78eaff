/** Wires the Chroma module into the generic engine: load a bundle file and evaluate it. */
import { join } from "node:path";
import { packageRoot } from "../engine/package-root.ts";
import { UserError } from "../engine/errors.ts";
import { evaluate, parseOverride, type EvaluatedInstance } from "../engine/evaluate.ts";
import { loadBundleFile } from "../engine/loader.ts";
import { chromaModule } from "../module/index.ts";
import type { Values } from "../schemas/values.ts";

export const packageEntry = join(packageRoot(import.meta.url), "mod.ts");

export async function loadInstances(file: string, options: { cwd: string; set?: readonly string[] }): Promise<EvaluatedInstance<Values>[]> {
  const overrides = (options.set ?? []).map(parseOverride);
  const bundle = await loadBundleFile(file, { aliases: { "chroma-mod": packageEntry }, cwd: options.cwd });
  return evaluate(chromaModule, bundle, { file, overrides });
}

/** Keeps only the named instances (`--instance`), refusing unknown names. */
export function selectInstances<T extends { name: string }>(instances: T[], names: readonly string[] | undefined): T[] {
  if (!names || names.length === 0) return instances;
  const unknown = names.filter((name) => !instances.some((instance) => instance.name === name));
  if (unknown.length > 0) {
    const known = instances.map((instance) => instance.name).join(", ");
    throw new UserError(`--instance ${unknown.join(", ")}: no such instance in the bundle.`, `Known instances: ${known}.`);
  }
  return instances.filter((instance) => names.includes(instance.name));
}
